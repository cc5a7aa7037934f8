//! Text written into files that people open in a spreadsheet (CSV and XLSX exports: the
//! roster, the annual report, the open-data event list).

/// Text typed by the public that a spreadsheet would run as a formula (`=HYPERLINK(…)`)
/// is written with a leading `'`, which spreadsheets show as text; the roster import drops
/// it again. A cell is formula-like when it begins with `=`, `+`, `-` or `@`, or with a tab
/// or a carriage return (OWASP's list for CSV injection).
pub fn defuse(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && cell != "—" { format!("'{cell}") } else { cell }
}

/// CSV as Excel on Japanese Windows opens it: UTF-8 with a BOM, CRLF line ends, every
/// cell defused; rows may differ in length.
///
/// # Errors
/// Only if writing to memory fails.
pub fn to_csv(rows: &[Vec<String>]) -> anyhow::Result<Vec<u8>> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).flexible(true).from_writer(&mut out);
        for row in rows {
            w.write_record(row.iter().map(|c| defuse(c.clone())))?;
        }
        w.flush()?;
    }
    Ok(out)
}

/// A cell written in figures only (`12`, `0.85`), as a number.
fn number(cell: &str) -> Option<f64> {
    let figures = !cell.is_empty() && cell.chars().all(|c| c.is_ascii_digit() || c == '.');
    figures.then(|| cell.parse().ok()).flatten()
}

/// Writes rows into a sheet from row `top`, the first (the columns' names) in bold,
/// numbers as numbers, text defused.
///
/// # Errors
/// The sheet refuses a cell.
pub fn write_table(
    sheet: &mut rust_xlsxwriter::Worksheet,
    top: u32,
    rows: &[Vec<String>],
    bold: &rust_xlsxwriter::Format,
) -> anyhow::Result<()> {
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (at, c) = (top + r as u32, c as u16);
            match number(cell) {
                _ if r == 0 => sheet.write_string_with_format(at, c, cell, bold)?,
                Some(n) => sheet.write_number(at, c, n)?,
                None => sheet.write_string(at, c, defuse(cell.clone()))?,
            };
        }
    }
    Ok(())
}

/// A workbook of one sheet: a title in bold, then the table from the third row.
///
/// # Errors
/// The workbook cannot be built.
pub fn to_xlsx(title: &str, rows: &[Vec<String>]) -> anyhow::Result<Vec<u8>> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let sheet = book.add_worksheet();
    sheet.write_string_with_format(0, 0, title, &bold)?;
    write_table(sheet, 2, rows, &bold)?;
    sheet.autofit();
    Ok(book.save_to_buffer()?)
}

/// A JSON document (a person's data export) as rows a spreadsheet reads: the first row
/// names the columns (`header`: section, item, field, value), then one row per value,
/// with its top-level section, the item's number in a list (1-based, empty outside a
/// list) and the field's path within the item (`place.name`, `skills.2`).
pub fn json_rows(doc: &serde_json::Value, header: [String; 4]) -> Vec<Vec<String>> {
    fn leaves(prefix: &str, v: &serde_json::Value, out: &mut Vec<(String, String)>) {
        let join = |k: &str| if prefix.is_empty() { k.to_owned() } else { format!("{prefix}.{k}") };
        match v {
            serde_json::Value::Object(map) => map.iter().for_each(|(k, v)| leaves(&join(k), v, out)),
            serde_json::Value::Array(items) => {
                items.iter().enumerate().for_each(|(i, v)| leaves(&join(&(i + 1).to_string()), v, out));
            }
            serde_json::Value::Null => out.push((prefix.to_owned(), String::new())),
            serde_json::Value::String(s) => out.push((prefix.to_owned(), s.clone())),
            other => out.push((prefix.to_owned(), other.to_string())),
        }
    }
    let mut rows = vec![header.to_vec()];
    let serde_json::Value::Object(sections) = doc else { return rows };
    for (section, v) in sections {
        let mut push = |item: String, v: &serde_json::Value| {
            let mut found = Vec::new();
            leaves("", v, &mut found);
            rows.extend(found.into_iter().map(|(field, value)| vec![section.clone(), item.clone(), field, value]));
        };
        match v {
            serde_json::Value::Array(items) => items.iter().enumerate().for_each(|(i, v)| push((i + 1).to_string(), v)),
            other => push(String::new(), other),
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_cells_become_text() {
        for cell in ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"] {
            assert_eq!(defuse(cell.to_owned()), format!("'{cell}"));
        }
        for cell in ["", "佐藤 美咲", "—", "a=1", "'=1"] {
            assert_eq!(defuse(cell.to_owned()), cell);
        }
    }

    #[test]
    fn json_becomes_one_row_per_value() {
        let doc = serde_json::json!({
            "center": "仙台",
            "account": {"email": "a@example.jp", "place": {"name": "青葉区"}},
            "posts": [{"title": "=1+1", "tags": ["x", "y"]}, {"title": null}],
        });
        let h = ["s".to_owned(), "i".to_owned(), "f".to_owned(), "v".to_owned()];
        let rows = json_rows(&doc, h);
        let row = |a: &str, b: &str, c: &str, d: &str| vec![a.to_owned(), b.to_owned(), c.to_owned(), d.to_owned()];
        assert_eq!(
            rows,
            vec![
                row("s", "i", "f", "v"),
                row("account", "", "email", "a@example.jp"),
                row("account", "", "place.name", "青葉区"),
                row("center", "", "", "仙台"),
                row("posts", "1", "tags.1", "x"),
                row("posts", "1", "tags.2", "y"),
                row("posts", "1", "title", "=1+1"),
                row("posts", "2", "title", ""),
            ]
        );
        // The formula-like title is written as text in the file.
        let csv = String::from_utf8(to_csv(&rows).unwrap()).unwrap();
        assert!(csv.contains("posts,1,title,'=1+1\r\n"), "{csv}");
    }
}
