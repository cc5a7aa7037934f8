//! Text written into files that people open in a spreadsheet (CSV and XLSX exports: the
//! roster, the annual report, the open-data event list).

/// Text typed by the public that a spreadsheet would run as a formula (`=HYPERLINK(…)`)
/// is written with a leading `'`, which spreadsheets show as text; the roster import drops
/// it again. A cell is formula-like when it begins with `=`, `+`, `-` or `@`, or with a tab
/// or a carriage return (OWASP's list for CSV injection).
pub fn defuse(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && cell != "—" { format!("'{cell}") } else { cell }
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
