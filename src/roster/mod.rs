//! Rosters (名簿): attendance lists kept in spreadsheets, imported as events, people and
//! attendances, and exported per event as CSV (UTF-8 with BOM, CRLF, for Excel on
//! Japanese Windows) or XLSX.
//!
//! The layout is the center's own (`../shared/domain/fixtures/roster-fy2022-fy2023.csv`):
//! 日付, テーマ, 氏名, メール, 所属, 属性, 初参加 (○ yes, empty no, — unknown), 参加方法
//! (会場 / オンライン), optionally 種別 (情報交換会 …). A row named 匿名 with no e-mail is an
//! anonymous participation. Parsing checks every row and reports each problem by its
//! line (the header is line 1) and column; nothing is imported while any row is wrong. A
//! cell with a control character other than a line break or a tab is such a problem.

use chrono::NaiveDate;

use crate::account::normalize_email;
use crate::event::{EventKind, Mode, parse_date};
use crate::i18n::{Lang, normalize_identifier};
use crate::sector::Sector;
use crate::validate::is_stray_control;

pub mod export;
pub mod import;
pub mod job;
pub mod store;
pub mod web;

/// One valid row of a roster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RosterRow {
    /// Line in the file (the header is line 1).
    pub line: usize,
    pub date: NaiveDate,
    pub title: String,
    pub kind: EventKind,
    /// `None` for an anonymous participation.
    pub name: Option<String>,
    pub email: Option<String>,
    pub affiliation: String,
    pub sector: Sector,
    /// ○ yes, empty no, — unknown.
    pub first_time: Option<bool>,
    pub mode: Mode,
}

impl RosterRow {
    pub fn is_anonymous(&self) -> bool {
        self.name.is_none() && self.email.is_none()
    }
}

/// A problem with one cell (or the header, line 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    pub line: usize,
    /// The column's header as written (or its expected name when missing).
    pub column: String,
    /// Fluent id of the message.
    pub message: &'static str,
    /// What the cell held.
    pub value: String,
}

impl RowError {
    /// "3行目「属性」: …" / "line 3, column 属性: …"
    pub fn describe(&self, lang: Lang) -> String {
        let line = self.line.to_string();
        lang.t_args(
            "roster-error-at",
            &[
                ("line", &line),
                ("column", &self.column),
                ("message", &lang.t_args(self.message, &[("value", &self.value)])),
            ],
        )
    }
}

/// The columns of a roster.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    Date,
    Title,
    Name,
    Email,
    Affiliation,
    Sector,
    FirstTime,
    Mode,
    Kind,
}

impl Column {
    fn from_header(h: &str) -> Option<Column> {
        match normalize_identifier(h).to_lowercase().as_str() {
            "日付" | "開催日" | "date" => Some(Column::Date),
            "テーマ" | "タイトル" | "title" | "theme" => Some(Column::Title),
            "氏名" | "名前" | "name" => Some(Column::Name),
            "メール" | "メールアドレス" | "email" | "e-mail" => Some(Column::Email),
            "所属" | "affiliation" => Some(Column::Affiliation),
            "属性" | "sector" => Some(Column::Sector),
            "初参加" | "first_time" | "first time" => Some(Column::FirstTime),
            "参加方法" | "mode" => Some(Column::Mode),
            "種別" | "kind" => Some(Column::Kind),
            _ => None,
        }
    }

    fn name_ja(self) -> &'static str {
        match self {
            Column::Date => "日付",
            Column::Title => "テーマ",
            Column::Name => "氏名",
            Column::Email => "メール",
            Column::Affiliation => "所属",
            Column::Sector => "属性",
            Column::FirstTime => "初参加",
            Column::Mode => "参加方法",
            Column::Kind => "種別",
        }
    }
}

const REQUIRED: [Column; 4] = [Column::Date, Column::Title, Column::Sector, Column::Mode];

/// ○ yes, empty no, — (or -, ー, ？) unknown.
fn parse_first_time(s: &str) -> Result<Option<bool>, ()> {
    match normalize_identifier(s).as_str() {
        "○" | "◯" | "〇" | "o" | "O" | "yes" | "1" | "true" => Ok(Some(true)),
        "" | "×" | "no" | "0" | "false" => Ok(Some(false)),
        "—" | "–" | "-" | "ー" | "―" | "?" | "不明" => Ok(None),
        _ => Err(()),
    }
}

/// Reads the kind given for rows without a 種別 cell (`--kind`, the upload page's field):
/// a code (`study`) or a Japanese name (勉強会), NFKC-normalised and trimmed like any
/// identifier, the code in any case.
///
/// # Errors
/// An unknown kind, as a message in `lang` that names the accepted values.
pub fn parse_default_kind(input: &str, lang: Lang) -> Result<EventKind, String> {
    let typed = normalize_identifier(input);
    EventKind::from_label(&typed).or_else(|| EventKind::from_code(&typed.to_lowercase())).ok_or_else(|| {
        let separator = match lang {
            Lang::Ja => "・",
            Lang::En => ", ",
        };
        let kinds: Vec<String> = EventKind::ALL
            .iter()
            .map(|k| match lang {
                Lang::Ja => format!("{}（{}）", k.label_ja(), k.code()),
                Lang::En => format!("{} ({})", k.label_ja(), k.code()),
            })
            .collect();
        lang.t_args("roster-error-default-kind", &[("value", &typed), ("kinds", &kinds.join(separator))])
    })
}

/// Parses a table (header first) into rows, or every problem found.
///
/// # Errors
/// One [`RowError`] per bad cell, and for a header without a required column.
pub fn parse_table(table: &[(usize, Vec<String>)], default_kind: EventKind) -> Result<Vec<RosterRow>, Vec<RowError>> {
    let Some((header_line, header)) = table.first() else {
        return Err(vec![RowError {
            line: 1,
            column: String::new(),
            message: "roster-error-empty",
            value: String::new(),
        }]);
    };
    let columns: Vec<Option<Column>> = header.iter().map(|h| Column::from_header(h)).collect();
    let mut errors: Vec<RowError> = REQUIRED
        .iter()
        .filter(|c| !columns.contains(&Some(**c)))
        .map(|c| RowError {
            line: *header_line,
            column: c.name_ja().to_owned(),
            message: "roster-error-missing-column",
            value: String::new(),
        })
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let index = |c: Column| columns.iter().position(|x| *x == Some(c));
    let mut rows = Vec::new();
    for (line, record) in &table[1..] {
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell = |c: Column| {
            let raw = index(c).and_then(|i| record.get(i)).map(|s| s.trim()).unwrap_or("");
            // Our exports write formula-like text with a leading ' (see spreadsheet::defuse).
            match raw.strip_prefix('\'') {
                Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
                _ => raw,
            }
        };
        let header_of = |c: Column| index(c).map_or_else(|| c.name_ja().to_owned(), |i| header[i].trim().to_owned());
        // A control character (other than a line break or a tab) is refused rather than
        // dropped: PostgreSQL cannot hold a NUL, and the file is best mended where it is
        // kept. Nothing more is said of such a cell (its value is not echoed).
        let mut controlled = Vec::new();
        for (i, column) in columns.iter().enumerate() {
            let (Some(column), Some(raw)) = (column, record.get(i)) else { continue };
            if let Some(found) = raw.chars().find(|ch| is_stray_control(*ch)) {
                errors.push(RowError {
                    line: *line,
                    column: header[i].trim().to_owned(),
                    message: "roster-error-control",
                    value: format!("U+{:04X}", u32::from(found)),
                });
                controlled.push(*column);
            }
        }
        let mut bad = |c: Column, message: &'static str| {
            if !controlled.contains(&c) {
                errors.push(RowError { line: *line, column: header_of(c), message, value: cell(c).to_owned() });
            }
        };
        let date = parse_date(cell(Column::Date));
        if date.is_none() {
            bad(Column::Date, "roster-error-date");
        }
        let title = cell(Column::Title).to_owned();
        if title.is_empty() {
            bad(Column::Title, "roster-error-title");
        }
        let kind =
            if cell(Column::Kind).is_empty() { Some(default_kind) } else { EventKind::from_label(cell(Column::Kind)) };
        if kind.is_none() {
            bad(Column::Kind, "roster-error-kind");
        }
        let raw_name = cell(Column::Name);
        let email = if cell(Column::Email).is_empty() {
            Ok(None)
        } else {
            normalize_email(cell(Column::Email)).map(Some).ok_or(())
        };
        if email.is_err() {
            bad(Column::Email, "roster-error-email");
        }
        let sector = Sector::from_label(cell(Column::Sector));
        if sector.is_none() {
            bad(Column::Sector, "roster-error-sector");
        }
        // Without a 初参加 column nothing is known about first times.
        let first_time =
            if index(Column::FirstTime).is_none() { Ok(None) } else { parse_first_time(cell(Column::FirstTime)) };
        if first_time.is_err() {
            bad(Column::FirstTime, "roster-error-first-time");
        }
        let mode = Mode::from_label(cell(Column::Mode));
        if mode.is_none() {
            bad(Column::Mode, "roster-error-mode");
        }
        if let (true, Some(date), false, Some(kind), Ok(email), Some(sector), Ok(first_time), Some(mode)) =
            (controlled.is_empty(), date, title.is_empty(), kind, email, sector, first_time, mode)
        {
            let anonymous_name = raw_name.is_empty() || raw_name == "匿名";
            rows.push(RosterRow {
                line: *line,
                date,
                title,
                kind,
                name: if anonymous_name && email.is_none() { None } else { Some(raw_name.to_owned()) },
                email,
                affiliation: cell(Column::Affiliation).to_owned(),
                sector,
                first_time,
                mode,
            });
        }
    }
    if errors.is_empty() { Ok(rows) } else { Err(errors) }
}

/// How many lines end in `bytes`: at LF, at CR LF, and at a lone CR (as the csv reader,
/// and old Mac spreadsheets' "CSV (Macintosh)", end them).
fn line_ends(bytes: &[u8]) -> usize {
    bytes.iter().enumerate().filter(|(i, b)| **b == b'\n' || (**b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))).count()
}

/// Reads a CSV file (UTF-8, with or without BOM, or Shift_JIS) into numbered records.
///
/// # Errors
/// A file that is neither UTF-8 nor Shift_JIS, or not CSV, as a [`RowError`] at the line
/// where it fails.
pub fn read_csv(bytes: &[u8]) -> Result<Vec<(usize, Vec<String>)>, Vec<RowError>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // Excel on Japanese Windows saves "CSV (コンマ区切り)" in Shift_JIS (CP932): a file
    // that is not UTF-8 but reads whole as Shift_JIS is taken as that (line endings and
    // commas are the same bytes in both, so lines are numbered alike).
    let decoded;
    let bytes = match std::str::from_utf8(bytes) {
        Ok(_) => bytes,
        Err(_) => match encoding_rs::SHIFT_JIS.decode_without_bom_handling_and_without_replacement(bytes) {
            Some(text) => {
                decoded = text.into_owned();
                decoded.as_bytes()
            }
            None => bytes,
        },
    };
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes);
    let mut table = Vec::new();
    let mut record = csv::ByteRecord::new();
    // Lines are counted here: the reader's own count stands on the previous record's line
    // ending until it reads on. A record starts at the first byte after any line endings.
    let (mut counted_to, mut line) = (0usize, 1usize);
    loop {
        let mut start = (reader.position().byte() as usize).min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        line += line_ends(&bytes[counted_to.min(start)..start]);
        counted_to = counted_to.max(start);
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let mut cells = Vec::with_capacity(record.len());
                for field in &record {
                    match std::str::from_utf8(field) {
                        Ok(s) => cells.push(s.to_owned()),
                        Err(_) => {
                            return Err(vec![RowError {
                                line,
                                column: String::new(),
                                message: "roster-error-encoding",
                                value: String::new(),
                            }]);
                        }
                    }
                }
                table.push((line, cells));
            }
            Err(e) => {
                return Err(vec![RowError {
                    line,
                    column: String::new(),
                    message: "roster-error-csv",
                    value: e.to_string(),
                }]);
            }
        }
    }
    Ok(table)
}

/// Reads the first sheet of an XLSX workbook into numbered records (row 1 is line 1).
///
/// # Errors
/// A file that is not a readable workbook.
pub fn read_xlsx(bytes: &[u8]) -> Result<Vec<(usize, Vec<String>)>, Vec<RowError>> {
    use calamine::{Data, Reader};
    let fail = |e: String| vec![RowError { line: 1, column: String::new(), message: "roster-error-xlsx", value: e }];
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).map_err(|e| fail(e.to_string()))?;
    let range = book.worksheet_range_at(0).ok_or_else(|| fail("no sheet".into()))?.map_err(|e| fail(e.to_string()))?;
    let first_row = range.start().map_or(0, |(r, _)| r as usize);
    Ok(range
        .rows()
        .enumerate()
        .map(|(i, row)| {
            let cells = row
                .iter()
                .map(|c| match c {
                    Data::DateTime(d) => d.as_datetime().map(|t| t.date().to_string()).unwrap_or_else(|| c.to_string()),
                    Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
                    other => other.to_string(),
                })
                .collect();
            (first_row + i + 1, cells)
        })
        .collect())
}

/// Parses a roster file, CSV or XLSX (told apart by its first bytes).
///
/// # Errors
/// Every problem, by line and column.
pub fn parse_file(bytes: &[u8], default_kind: EventKind) -> Result<Vec<RosterRow>, Vec<RowError>> {
    let table = if bytes.starts_with(b"PK\x03\x04") { read_xlsx(bytes)? } else { read_csv(bytes)? };
    parse_table(&table, default_kind)
}

#[cfg(test)]
mod tests;
