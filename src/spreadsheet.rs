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

#[cfg(test)]
mod tests {
    use super::defuse;

    #[test]
    fn formula_like_cells_become_text() {
        for cell in ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"] {
            assert_eq!(defuse(cell.to_owned()), format!("'{cell}"));
        }
        for cell in ["", "佐藤 美咲", "—", "a=1", "'=1"] {
            assert_eq!(defuse(cell.to_owned()), cell);
        }
    }
}
