//! Roster export in the same layout as the import reads, so a file can go round trip:
//! CSV as UTF-8 with BOM and CRLF line ends (what Excel on Japanese Windows opens
//! correctly), and XLSX. Each row carries its event's 種別, so the kind survives the trip.

use crate::attendance::store::RosterLine;
use crate::event::{Event, Mode};
use crate::i18n::wareki;
use crate::spreadsheet::defuse;

/// The import's columns; 種別 last, so that files written before it keep their order, and
/// a 勉強会 roster imports back as 勉強会 (rather than as the import's default kind).
const HEADER: [&str; 9] = ["日付", "テーマ", "氏名", "メール", "所属", "属性", "初参加", "参加方法", "種別"];

fn cells(event: &Event, line: &RosterLine) -> [String; 9] {
    let date = wareki::jst_date(event.starts_at).format("%Y-%m-%d").to_string();
    let anonymous = line.name.as_deref().is_none_or(str::is_empty) && line.email.is_none();
    [
        date,
        event.title.clone(),
        if anonymous { "匿名".to_owned() } else { line.name.clone().unwrap_or_default() },
        line.email.clone().unwrap_or_default(),
        line.affiliation.clone().unwrap_or_default(),
        line.sector.label(crate::i18n::Lang::Ja).into_owned(),
        match line.first_time {
            Some(true) => "○".to_owned(),
            Some(false) => String::new(),
            None => "—".to_owned(),
        },
        match line.mode {
            Mode::Venue => "会場".to_owned(),
            Mode::Online => "オンライン".to_owned(),
        },
        // The Japanese name, as the import reads it (EventKind::from_label).
        event.kind.label_ja().to_owned(),
    ]
}

/// The roster as CSV bytes: BOM, CRLF.
///
/// # Errors
/// Only if writing to memory fails.
pub fn to_csv(event: &Event, lines: &[RosterLine]) -> anyhow::Result<Vec<u8>> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(&mut out);
        w.write_record(HEADER)?;
        for line in lines {
            w.write_record(cells(event, line).map(defuse))?;
        }
        w.flush()?;
    }
    Ok(out)
}

/// The roster as an XLSX workbook.
///
/// # Errors
/// The workbook cannot be built.
pub fn to_xlsx(event: &Event, lines: &[RosterLine]) -> anyhow::Result<Vec<u8>> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("名簿")?;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (c, h) in HEADER.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (r, line) in lines.iter().enumerate() {
        for (c, value) in cells(event, line).map(defuse).iter().enumerate() {
            sheet.write_string(r as u32 + 1, c as u16, value)?;
        }
    }
    sheet.autofit();
    Ok(book.save_to_buffer()?)
}
