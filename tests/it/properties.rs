//! Property tests (issue 20, hardening): random input thrown at what reads people's files
//! and typing: rosters and received comments, Markdown, dates, search queries. Nothing
//! panics, every problem is placed on a line of the file, what is accepted comes back
//! whole, and what is rendered is safe.

use std::sync::LazyLock;

use chrono::{Datelike, Days, NaiveDate};
use proptest::prelude::*;
use proptest::sample::{Index as Pick, select};

use socialhub::consultation::{Channel, Received, WindowForm, received};
use socialhub::event::{EventKind, Mode, parse_time};
use socialhub::i18n::{FiscalYear, Lang, normalize_identifier, wareki};
use socialhub::markdown::{html_text, markdown_to_text, render_markdown};
use socialhub::roster::{self, RosterRow, RowError};
use socialhub::search::text::{self as search_text, Piece};
use socialhub::search::{Doc, Index, Kind, Query};
use socialhub::sector::Sector;
use socialhub::tenant::TenantId;
use socialhub::validate::FieldErrors;
use tantivy::tokenizer::{TokenStream, Tokenizer};

/// Proptest's settings here: `cases` cases, and no regression files written next to the
/// sources (a failure prints its smallest input, which belongs in a plain test).
fn cases(cases: u32) -> ProptestConfig {
    ProptestConfig { cases, failure_persistence: None, max_shrink_iters: 4096, ..ProptestConfig::default() }
}

/// ASCII signs, letters and digits in their full-width forms (２０２３－０４－２０), as
/// Japanese input methods type them.
fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| if ('!'..='~').contains(&c) { char::from_u32(c as u32 + 0xFEE0).unwrap_or(c) } else { c })
        .collect()
}

/// Katakana as hiragana (the search index's folding).
fn hiragana(s: &str) -> String {
    s.chars()
        .map(|c| if ('\u{30a1}'..='\u{30f6}').contains(&c) { char::from_u32(c as u32 - 0x60).unwrap_or(c) } else { c })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Rosters and received comments
// ---------------------------------------------------------------------------------------

/// Words of uploaded files: headers, cells as people write them, formula-like and control
/// characters.
const CSV_WORDS: &[&str] = &[
    "日付",
    "テーマ",
    "氏名",
    "メール",
    "所属",
    "属性",
    "初参加",
    "参加方法",
    "種別",
    "段落",
    "意見",
    "提出方法",
    "連絡先",
    "date",
    "2023-04-20",
    "2023/4/20",
    "令和5年4月20日（木）",
    "２０２３－０４－２０",
    "R5.4.20",
    "2024-02-30",
    "地域の担い手",
    "佐藤 花子",
    "匿名",
    "hanako@example.jp",
    "ＮＰＯ法人あおば",
    "市民",
    "ＮＰＯ",
    "会場",
    "オンライン",
    "○",
    "—",
    "勉強会",
    "紙",
    "ＦＡＸ",
    "１",
    "0",
    "99999999999999999999",
    "=HYPERLINK(\"http://x\")",
    "'=1+1",
    "'-",
    "\u{0}",
    "\u{1b}[2J",
    "\u{85}",
    "\u{7f}",
    "\u{2028}",
];

/// Bytes of Shift_JIS text (日付, あ, ア, half-width ｱ) and bytes that only look like it.
const SHIFT_JIS_LIKE: &[&[u8]] = &[
    b"\x93\xfa\x95\x74",
    b"\x82\xa0",
    b"\x83\x41",
    b"\xb1",
    b"\x81",
    b"\x81\x7f",
    b"\xfc\xfc",
    b"\xff",
    b"\xe3\x81",
    b"\xef\xbb",
];

/// Text as Excel on Japanese Windows saves it (CP932); what it cannot hold becomes `&#…;`.
fn shift_jis(text: &str) -> Vec<u8> {
    encoding_rs::SHIFT_JIS.encode(text).0.into_owned()
}

/// Bytes that look like an uploaded CSV: headers, cells, quotes and commas, line breaks of
/// every kind, byte order marks, Shift_JIS and broken UTF-8, control characters, maybe
/// after a right header; or any bytes at all.
fn csv_like_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        4 => select(CSV_WORDS).prop_map(|w| w.as_bytes().to_vec()),
        4 => select(&[",", ",", "\"", "\"\"", "\r", "\n", "\r\n", "\u{feff}", "\t", " ", "　"][..])
            .prop_map(|w| w.as_bytes().to_vec()),
        1 => any::<String>().prop_map(String::into_bytes),
        1 => select(SHIFT_JIS_LIKE).prop_map(<[u8]>::to_vec),
        1 => prop::collection::vec(any::<u8>(), 0..6),
    ];
    let text = prop::collection::vec(piece, 0..80).prop_map(|p| p.concat());
    // A right header first, so that the rows after it are read cell by cell.
    let headers = select(&["日付,テーマ,氏名,メール,所属,属性,初参加,参加方法,種別", "段落,意見,提出方法,連絡先"][..]);
    let headed = (headers, text.clone()).prop_map(|(h, t)| [h.as_bytes(), b"\r\n", &t].concat());
    prop_oneof![
        4 => text.clone(),
        3 => headed,
        2 => text.prop_map(|b| shift_jis(&String::from_utf8_lossy(&b))),
        2 => prop::collection::vec(any::<u8>(), 0..512),
    ]
}

/// The lines of a file as an editor counts them: a line ends at CR LF, at LF, or at a CR
/// alone (the line breaks of CSV).
fn line_count(bytes: &[u8]) -> usize {
    let mut lines = 1;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\r' => {
                lines += 1;
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
            }
            b'\n' => lines += 1,
            _ => {}
        }
        i += 1;
    }
    lines
}

fn errors_on_lines(errors: &[RowError], lines: usize) -> Result<(), TestCaseError> {
    prop_assert!(!errors.is_empty(), "a refusal names at least one problem");
    for e in errors {
        prop_assert!((1..=lines).contains(&e.line), "{e:?} is not on one of the file's {lines} lines");
    }
    Ok(())
}

/// A small workbook in the roster's layout.
static WORKBOOK: LazyLock<Vec<u8>> = LazyLock::new(|| {
    let rows = [
        ["日付", "テーマ", "氏名", "メール", "属性", "参加方法"],
        ["2023-04-20", "地域の担い手", "佐藤 花子", "hanako@example.jp", "NPO", "会場"],
        ["令和5年5月18日", "居住支援", "匿名", "", "市民", "オンライン"],
    ];
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *cell).expect("a cell");
        }
    }
    book.save_to_buffer().expect("a workbook")
});

proptest! {
    #![proptest_config(cases(256))]

    /// Whatever bytes are uploaded, reading them as a roster or as received comments never
    /// panics, and every problem reported stands on a line of the file (the header is line
    /// 1). The records read are numbered by the line they start on, in order.
    #[test]
    fn any_upload_is_answered_with_rows_or_problems_on_its_lines(bytes in csv_like_bytes()) {
        let lines = line_count(&bytes);
        if let Err(errors) = roster::parse_file(&bytes, EventKind::InfoExchange) {
            errors_on_lines(&errors, lines)?;
        }
        if let Err(errors) = received::parse_csv(&bytes, 3) {
            errors_on_lines(&errors, lines)?;
        }
        match roster::read_csv(&bytes) {
            Ok(table) => {
                let numbers: Vec<usize> = table.iter().map(|(line, _)| *line).collect();
                prop_assert!(numbers.iter().all(|n| (1..=lines).contains(n)), "{numbers:?} of {lines} lines");
                prop_assert!(numbers.is_sorted(), "{numbers:?}");
            }
            Err(errors) => errors_on_lines(&errors, lines)?,
        }
    }
}

proptest! {
    #![proptest_config(cases(64))]

    /// A workbook damaged anywhere (bytes changed, cut short) is refused or read, never a
    /// panic; the workbook undamaged reads whole.
    #[test]
    fn a_damaged_workbook_never_panics(
        changes in prop::collection::vec((any::<Pick>(), any::<u8>()), 0..6),
        cut in prop::option::weighted(0.2, any::<Pick>()),
    ) {
        let mut bytes = WORKBOOK.clone();
        for (at, byte) in &changes {
            let at = at.index(bytes.len());
            bytes[at] = *byte;
        }
        if let Some(cut) = &cut {
            bytes.truncate(cut.index(bytes.len()));
        }
        let read = roster::parse_file(&bytes, EventKind::Study);
        if changes.is_empty() && cut.is_none() {
            prop_assert_eq!(read.map(|rows| rows.len()), Ok(2));
        } else if let Err(errors) = read {
            prop_assert!(!errors.is_empty() && errors.iter().all(|e| e.line >= 1), "{errors:?}");
        }
    }
}

/// The columns of a roster, as the generator writes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Col {
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

impl Col {
    const ALL: [Col; 9] = [
        Col::Date,
        Col::Title,
        Col::Name,
        Col::Email,
        Col::Affiliation,
        Col::Sector,
        Col::FirstTime,
        Col::Mode,
        Col::Kind,
    ];

    /// The headers a center may give the column.
    fn headers(self) -> &'static [&'static str] {
        match self {
            Col::Date => &["日付", "開催日", "date", "Date"],
            Col::Title => &["テーマ", "タイトル", "title", "Theme"],
            Col::Name => &["氏名", "名前", "name"],
            Col::Email => &["メール", "メールアドレス", "email", "E-mail"],
            Col::Affiliation => &["所属", "affiliation"],
            Col::Sector => &["属性", "sector"],
            Col::FirstTime => &["初参加", "first_time", "First time"],
            Col::Mode => &["参加方法", "mode"],
            Col::Kind => &["種別", "kind"],
        }
    }

    fn required(self) -> bool {
        matches!(self, Col::Date | Col::Title | Col::Sector | Col::Mode)
    }
}

/// One participation, each cell as written and what it means.
#[derive(Clone, Debug)]
struct Entry {
    date: NaiveDate,
    date_cell: String,
    title: String,
    name: String,
    email: Option<String>,
    email_cell: String,
    affiliation: String,
    sector: Sector,
    sector_cell: &'static str,
    first_time: Option<bool>,
    first_time_cell: &'static str,
    mode: Mode,
    mode_cell: &'static str,
    /// `None`: the cell is empty, the import's default kind applies.
    kind: Option<EventKind>,
    kind_cell: &'static str,
}

impl Entry {
    fn cell(&self, col: Col) -> String {
        match col {
            Col::Date => self.date_cell.clone(),
            Col::Title => self.title.clone(),
            Col::Name => self.name.clone(),
            Col::Email => self.email_cell.clone(),
            Col::Affiliation => self.affiliation.clone(),
            Col::Sector => self.sector_cell.to_owned(),
            Col::FirstTime => self.first_time_cell.to_owned(),
            Col::Mode => self.mode_cell.to_owned(),
            Col::Kind => self.kind_cell.to_owned(),
        }
    }
}

/// A roster file as generated: its columns, rows and how it is written.
#[derive(Clone, Debug)]
struct RosterFile {
    /// The columns present, in the file's order, each with its header as written.
    columns: Vec<(Col, &'static str)>,
    /// The rows after the header; `None` is a blank row.
    rows: Vec<Option<Entry>>,
    default_kind: EventKind,
    /// Cells written as the export writes them ([`socialhub::spreadsheet::defuse`]).
    defused: bool,
    /// Every cell in quotes, not only those that need them.
    quote_all: bool,
    /// A blank row as an empty line rather than as a row of empty cells.
    blank_as_empty_line: bool,
    bom: bool,
    shift_jis: bool,
    terminator: &'static str,
    /// Line breaks after the last row (Excel writes one; some files have more).
    trailing_breaks: usize,
}

/// A date between 1900 and 2200, the years the parsers take.
fn date_in_range() -> impl Strategy<Value = NaiveDate> {
    let first = NaiveDate::from_ymd_opt(1900, 1, 1).expect("a date");
    let last = NaiveDate::from_ymd_opt(2200, 12, 31).expect("a date");
    (0..=(last - first).num_days() as u64).prop_map(move |n| first + Days::new(n))
}

/// A date as people and spreadsheets write it: 2023-04-20, 2023/4/20, 2023.4.20,
/// 2023年4月20日, full-width, or in the era (令和5年4月20日（木）).
fn typed_date() -> impl Strategy<Value = (NaiveDate, String)> {
    (date_in_range(), 0..6usize, any::<bool>()).prop_map(|(date, form, spaced)| {
        let typed = match form {
            0 => date.format("%Y-%m-%d").to_string(),
            1 => date.format("%Y/%-m/%-d").to_string(),
            2 => date.format("%Y.%-m.%-d").to_string(),
            3 => date.format("%Y年%-m月%-d日").to_string(),
            4 => full_width(&date.format("%Y-%m-%d").to_string()),
            _ => wareki::format_date_ja(date),
        };
        (date, if spaced { format!(" {typed}　") } else { typed })
    })
}

/// Free text of a cell (a theme, an affiliation): Japanese and Latin, quotes, commas and
/// line breaks, maybe starting like a formula; trimmed, as the import keeps it. Only
/// characters Shift_JIS holds.
fn cell_text(min: usize) -> impl Strategy<Value = String> {
    "[=+@-]?[あ-んア-ン居住支援地域防災町内会の担い手a-zA-Z0-9 ,\"'\n、。（）]{0,12}"
        .prop_filter("trimmed, long enough", move |s| s.trim() == s && s.chars().count() >= min)
}

/// An e-mail address (as kept: lower case) and how it is typed.
fn typed_email() -> impl Strategy<Value = (String, String)> {
    ("[a-z0-9]{1,8}(\\.[a-z0-9]{1,4})?@[a-z0-9]{1,8}\\.(jp|com|or\\.jp)", 0..3usize).prop_map(|(email, form)| {
        let typed = match form {
            0 => email.clone(),
            1 => email.to_uppercase(),
            _ => full_width(&email),
        };
        (email, typed)
    })
}

fn entry() -> impl Strategy<Value = Entry> {
    let name = prop_oneof![
        Just(String::new()),
        Just("匿名".to_owned()),
        "[佐藤鈴木花子一郎a-zA-Z]{1,4}( [佐藤鈴木花子一郎]{1,3})?"
    ];
    let sector = select(
        &[
            ("市民", Sector::Citizen),
            ("企業", Sector::Company),
            ("大学", Sector::University),
            ("NPO", Sector::Npo),
            ("ＮＰＯ", Sector::Npo),
            ("npo", Sector::Npo),
            ("行政", Sector::Government),
            ("議員", Sector::Councilor),
            ("citizen", Sector::Citizen),
        ][..],
    );
    let first_time = select(
        &[
            ("○", Some(true)),
            ("◯", Some(true)),
            ("yes", Some(true)),
            ("", Some(false)),
            ("×", Some(false)),
            ("—", None),
            ("-", None),
            ("ー", None),
            ("不明", None),
        ][..],
    );
    let mode = select(
        &[
            ("会場", Mode::Venue),
            ("来場", Mode::Venue),
            ("ＶＥＮＵＥ", Mode::Venue),
            ("オンライン", Mode::Online),
            ("Zoom", Mode::Online),
        ][..],
    );
    let kind = select(
        &[
            ("", None),
            ("情報交換会", Some(EventKind::InfoExchange)),
            ("勉強会", Some(EventKind::Study)),
            ("報告会", Some(EventKind::Report)),
            ("研修", Some(EventKind::Training)),
            ("事務局ミーティング", Some(EventKind::SecretariatMeeting)),
            ("study", Some(EventKind::Study)),
        ][..],
    );
    (typed_date(), cell_text(1), name, prop::option::of(typed_email()), cell_text(0), sector, first_time, mode, kind)
        .prop_map(|((date, date_cell), title, name, email, affiliation, sector, first_time, mode, kind)| Entry {
            date,
            date_cell,
            title,
            name,
            email_cell: email.as_ref().map(|e| e.1.clone()).unwrap_or_default(),
            email: email.map(|e| e.0),
            affiliation,
            sector: sector.1,
            sector_cell: sector.0,
            first_time: first_time.1,
            first_time_cell: first_time.0,
            mode: mode.1,
            mode_cell: mode.0,
            kind: kind.1,
            kind_cell: kind.0,
        })
}

prop_compose! {
    /// A roster file with lines ending in one of `terminators`.
    fn roster_file(terminators: &'static [&'static str])(
        present in prop::collection::vec(any::<bool>(), 9),
        spellings in prop::collection::vec(any::<Pick>(), 9),
        order in Just((0..9).collect::<Vec<usize>>()).prop_shuffle(),
        rows in prop::collection::vec(prop::option::weighted(0.85, entry()), 1..7),
        default_kind in select(EventKind::ALL.to_vec()),
        defused in any::<bool>(),
        quote_all in prop::bool::weighted(0.2),
        blank_as_empty_line in any::<bool>(),
        encoding in 0..3usize,
        terminator in select(terminators),
        trailing_breaks in 0..3usize,
    ) -> RosterFile {
        let columns = order
            .into_iter()
            .map(|i| Col::ALL[i])
            .filter(|c| c.required() || present[*c as usize])
            .map(|c| (c, c.headers()[spellings[c as usize].index(c.headers().len())]))
            .collect();
        RosterFile {
            columns,
            rows,
            default_kind,
            defused,
            quote_all,
            blank_as_empty_line,
            bom: encoding == 1,
            shift_jis: encoding == 2,
            terminator,
            trailing_breaks,
        }
    }
}

/// One line of CSV: cells in quotes where they hold a comma, a quote or a line break (or
/// all of them).
fn csv_line(cells: &[String], quote_all: bool) -> String {
    cells
        .iter()
        .map(|c| {
            if quote_all || c.contains([',', '"', '\r', '\n']) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                c.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// Text as the file holds it: Shift_JIS (with — as ―, the dash CP932 holds) or UTF-8,
/// with or without a BOM.
fn file_bytes(text: &str, bom: bool, in_shift_jis: bool) -> Vec<u8> {
    let mut bytes = if bom { b"\xEF\xBB\xBF".to_vec() } else { Vec::new() };
    if in_shift_jis {
        let text = text.replace('—', "―");
        let (encoded, _, unmappable) = encoding_rs::SHIFT_JIS.encode(&text);
        assert!(!unmappable, "the generator writes only what Shift_JIS holds: {text}");
        bytes.extend_from_slice(&encoded);
    } else {
        bytes.extend_from_slice(text.as_bytes());
    }
    bytes
}

impl RosterFile {
    /// The file's bytes, and the line each row starts on.
    fn write(&self) -> (Vec<u8>, Vec<usize>) {
        let header: Vec<String> = self.columns.iter().map(|(_, h)| (*h).to_owned()).collect();
        let mut text = csv_line(&header, self.quote_all);
        let mut lines = Vec::new();
        for row in &self.rows {
            text.push_str(self.terminator);
            lines.push(line_count(text.as_bytes()));
            match row {
                Some(entry) => {
                    let cells: Vec<String> = self
                        .columns
                        .iter()
                        .map(|(c, _)| entry.cell(*c))
                        .map(|cell| if self.defused { socialhub::spreadsheet::defuse(cell) } else { cell })
                        .collect();
                    text.push_str(&csv_line(&cells, self.quote_all));
                }
                None if self.blank_as_empty_line => {}
                None => text.push_str(&",".repeat(self.columns.len() - 1)),
            }
        }
        text.push_str(&self.terminator.repeat(self.trailing_breaks));
        (file_bytes(&text, self.bom, self.shift_jis), lines)
    }

    fn has(&self, col: Col) -> bool {
        self.columns.iter().any(|(c, _)| *c == col)
    }

    /// The rows the import should give.
    fn expected(&self, lines: &[usize]) -> Vec<RosterRow> {
        self.rows
            .iter()
            .zip(lines)
            .filter_map(|(row, line)| row.as_ref().map(|e| (e, *line)))
            .map(|(e, line)| {
                let email = if self.has(Col::Email) { e.email.clone() } else { None };
                let name = if self.has(Col::Name) { e.name.as_str() } else { "" };
                let anonymous = (name.is_empty() || name == "匿名") && email.is_none();
                RosterRow {
                    line,
                    date: e.date,
                    title: e.title.clone(),
                    kind: if self.has(Col::Kind) { e.kind.unwrap_or(self.default_kind) } else { self.default_kind },
                    name: (!anonymous).then(|| name.to_owned()),
                    email,
                    affiliation: if self.has(Col::Affiliation) { e.affiliation.clone() } else { String::new() },
                    sector: e.sector,
                    first_time: if self.has(Col::FirstTime) { e.first_time } else { None },
                    mode: e.mode,
                }
            })
            .collect()
    }
}

proptest! {
    #![proptest_config(cases(256))]

    /// A valid roster comes back whole: every participation, with its date however typed,
    /// its theme, name, address, affiliation, sector, first time, mode and kind, numbered
    /// by the line it starts on; whatever the columns' order and names, the optional
    /// columns left out, blank rows, quotes, commas and line breaks in cells, cells defused
    /// as the export writes them, UTF-8 with or without BOM or Shift_JIS, CR LF or LF.
    #[test]
    fn a_valid_roster_comes_back_whole(file in roster_file(&["\r\n", "\n"])) {
        let (bytes, lines) = file.write();
        prop_assert_eq!(roster::parse_file(&bytes, file.default_kind), Ok(file.expected(&lines)));
    }

    /// A wrong cell (an impossible date, an unknown sector or mode, an empty theme, a bad
    /// address) is the one problem reported, at its line and under its column's header as
    /// written, and nothing is imported.
    #[test]
    fn a_wrong_cell_is_named_by_line_and_column(
        file in roster_file(&["\r\n", "\n"]),
        row in any::<Pick>(),
        spoil in 0..5usize,
    ) {
        let mut file = file;
        let data: Vec<usize> = (0..file.rows.len()).filter(|i| file.rows[*i].is_some()).collect();
        prop_assume!(!data.is_empty());
        let at = data[row.index(data.len())];
        let (col, value, message) = match spoil {
            0 => (Col::Date, "2023-02-30", "roster-error-date"),
            1 => (Col::Sector, "宇宙人", "roster-error-sector"),
            2 => (Col::Mode, "伝書鳩", "roster-error-mode"),
            3 => (Col::Title, "", "roster-error-title"),
            _ if file.has(Col::Email) => (Col::Email, "hanako@", "roster-error-email"),
            _ => (Col::Date, "令和元年4月30日", "roster-error-date"),
        };
        let entry = file.rows[at].as_mut().expect("a data row");
        match col {
            Col::Date => entry.date_cell = value.to_owned(),
            Col::Sector => entry.sector_cell = value,
            Col::Mode => entry.mode_cell = value,
            Col::Title => entry.title = value.to_owned(),
            _ => entry.email_cell = value.to_owned(),
        }
        let header = file.columns.iter().find(|(c, _)| *c == col).map(|(_, h)| *h).expect("a column");
        let (bytes, lines) = file.write();
        let expected = RowError { line: lines[at], column: header.to_owned(), message, value: value.to_owned() };
        prop_assert_eq!(roster::parse_file(&bytes, file.default_kind), Err(vec![expected]));
    }
}

proptest! {
    #![proptest_config(cases(64))]

    /// Rows of a file whose lines end in a CR alone (as "CSV (Macintosh)" files do) are
    /// numbered by the line they start on, as with CR LF and LF.
    #[test]
    fn rows_of_a_file_with_cr_line_ends_are_numbered_by_their_line(file in roster_file(&["\r"])) {
        let (bytes, lines) = file.write();
        prop_assert_eq!(roster::parse_file(&bytes, file.default_kind), Ok(file.expected(&lines)));
    }
}

/// A received comment and the cells it is written in.
#[derive(Clone, Debug)]
struct ReceivedRow {
    received: Received,
    paragraph_cell: String,
    channel_cell: &'static str,
    contact_cell: String,
}

fn received_row(paragraphs: i64) -> impl Strategy<Value = ReceivedRow> {
    let channel = select(
        &[
            ("紙", Channel::Paper),
            ("郵送", Channel::Post),
            ("メール", Channel::Mail),
            ("ＦＡＸ", Channel::Fax),
            ("fax", Channel::Fax),
            ("会場", Channel::Venue),
            ("ウェブ", Channel::Web),
            ("窓口", Channel::Venue),
        ][..],
    );
    (1..=paragraphs, any::<bool>(), cell_text(1), channel, prop::option::of(typed_email())).prop_map(
        |(paragraph, wide, body, channel, contact)| ReceivedRow {
            paragraph_cell: if wide { full_width(&paragraph.to_string()) } else { paragraph.to_string() },
            channel_cell: channel.0,
            contact_cell: contact.as_ref().map(|c| c.1.clone()).unwrap_or_default(),
            received: Received {
                paragraph,
                body,
                channel: channel.1,
                contact_email: contact.map(|c| c.0).unwrap_or_default(),
            },
        },
    )
}

proptest! {
    #![proptest_config(cases(256))]

    /// Received comments come back whole (paragraph, comment with its quotes, commas and
    /// line breaks, channel, address), whatever the columns' order and names, with or
    /// without 連絡先, after blank lines, in UTF-8 with or without BOM or in Shift_JIS.
    #[test]
    fn received_comments_come_back_whole(
        (paragraphs, rows) in (1..30i64).prop_flat_map(|n| (Just(n), prop::collection::vec(received_row(n), 0..6))),
        order in Just(vec![0usize, 1, 2, 3]).prop_shuffle(),
        spellings in prop::collection::vec(any::<Pick>(), 4),
        with_contact in any::<bool>(),
        leading_blank_lines in 0..3usize,
        encoding in 0..3usize,
        terminator in select(&["\r\n", "\n"][..]),
    ) {
        const HEADERS: [&[&str]; 4] = [
            &["段落", "該当箇所", "paragraph"],
            &["意見", "ご意見", "意見の内容", "comment", "body"],
            &["提出方法", "受付方法", "channel"],
            &["連絡先", "メールアドレス", "email", "e-mail"],
        ];
        let columns: Vec<usize> = order.into_iter().filter(|c| *c != 3 || with_contact).collect();
        let header: Vec<String> =
            columns.iter().map(|c| HEADERS[*c][spellings[*c].index(HEADERS[*c].len())].to_owned()).collect();
        let mut text = terminator.repeat(leading_blank_lines);
        text.push_str(&csv_line(&header, false));
        for row in &rows {
            let cells: Vec<String> = columns
                .iter()
                .map(|c| match c {
                    0 => row.paragraph_cell.clone(),
                    1 => row.received.body.clone(),
                    2 => row.channel_cell.to_owned(),
                    _ => row.contact_cell.clone(),
                })
                .collect();
            text.push_str(terminator);
            text.push_str(&csv_line(&cells, false));
        }
        let bytes = file_bytes(&text, encoding == 1, encoding == 2);
        let expected: Vec<Received> = rows
            .iter()
            .map(|r| Received {
                contact_email: if with_contact { r.received.contact_email.clone() } else { String::new() },
                ..r.received.clone()
            })
            .collect();
        prop_assert_eq!(received::parse_csv(&bytes, paragraphs), Ok(expected));
    }
}

// ---------------------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------------------

/// HTML and links that would run script, load another page or restyle this one.
const HOSTILE: &[&str] = &[
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    "<script",
    "</script>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"javascript:alert(1)\">",
    "<IMG SRC=JaVaScRiPt:alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href=\"java&#x09;script:alert(1)\">x</a>",
    "<a href=\"&#106;avascript:alert(1)\">x</a>",
    "<a href=\" javascript:alert(1)\">x</a>",
    "<a href=javascript&colon;alert(1)>x</a>",
    "<a href=\"vbscript:msgbox(1)\">x</a>",
    "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x]( javascript:alert(1) \"t\")",
    "![x](javascript:alert(1))",
    "![x](x \"\\\" onerror=\\\"alert(1)\")",
    "<javascript:alert(1)>",
    "[r]\n\n[r]: javascript:alert(1)\n",
    "<iframe src=\"https://evil.example/\"></iframe>",
    "<IFRAME SRCDOC=\"<script>alert(1)</script>\">",
    "<style>body{display:none}</style>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"javascript:alert(1)\">",
    "<form action=\"javascript:alert(1)\"><button formaction=javascript:alert(1)>x</button></form>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<base href=\"javascript:alert(1)//\">",
    "<link rel=stylesheet href=//evil.example/x.css>",
    "<!-- <script>alert(1)</script> -->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<p onclick=\"alert(1)\">x</p>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<template><script>alert(1)</script></template>",
    "<textarea></textarea><script>alert(1)</script>",
    "\"><script>alert(1)</script>",
    "' onmouseover='alert(1)",
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```\n",
    "<a href=\"https://example.jp/\" onclick=\"alert(1)\" target=_blank>ok</a>",
    "[ok](https://example.jp/ \"title\")",
    "居住支援",
    "**太字**",
];

/// Markdown's own signs, to put the fragments in every context (headings, quotes, lists,
/// code, tables, links).
const MARKDOWN_SIGNS: &[&str] = &[
    "\n", "\n\n", "    ", "# ", "## ", "> ", "- ", "1. ", "**", "*", "_", "`", "```\n", "[", "]", "(", ")", "![", "<",
    ">", "&", "|", "\\", "---\n", "<div>\n", "</div>\n", "\t", "\r\n", "\"", "'", "=", " ",
];

fn hostile_markdown() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => select(HOSTILE).prop_map(str::to_owned),
        4 => select(MARKDOWN_SIGNS).prop_map(str::to_owned),
        1 => any::<String>(),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|p| p.concat())
}

/// Attributes that hold an address a browser loads or follows.
const URL_ATTRIBUTES: &[&str] =
    &["href", "src", "action", "formaction", "data", "xlink:href", "poster", "background", "srcdoc"];

/// Elements that run script, load other pages or change this one's look.
const FORBIDDEN: &[&str] =
    &["script", "iframe", "style", "object", "embed", "frame", "base", "meta", "link", "form", "svg", "math"];

/// HTML is safe to put in a page: no element that runs or loads anything, no event
/// handler attribute, no address that runs script (however it is spelled once parsed).
fn assert_safe(html: &str) -> Result<(), TestCaseError> {
    let lower = html.to_ascii_lowercase();
    for tag in ["<script", "<iframe", "<style", "<object", "<embed"] {
        prop_assert!(!lower.contains(tag), "{tag} in {html}");
    }
    let document = scraper::Html::parse_fragment(html);
    for node in document.tree.nodes() {
        let Some(element) = node.value().as_element() else { continue };
        let name = element.name().to_ascii_lowercase();
        prop_assert!(!FORBIDDEN.contains(&name.as_str()), "<{name}> in {html}");
        for (attribute, value) in element.attrs() {
            let attribute = attribute.to_ascii_lowercase();
            prop_assert!(!attribute.starts_with("on"), "{attribute}= in {html}");
            if URL_ATTRIBUTES.contains(&attribute.as_str()) {
                // What a browser reads as the scheme: controls and white space dropped.
                let address: String = value
                    .chars()
                    .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
                    .collect::<String>()
                    .to_ascii_lowercase();
                for scheme in ["javascript:", "vbscript:", "data:"] {
                    prop_assert!(!address.starts_with(scheme), "{attribute}={value:?} in {html}");
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(cases(256))]

    /// Whatever is written, Markdown mixed with HTML, scripts and hostile links included,
    /// renders without a panic to HTML that runs nothing: no script, iframe, style, object
    /// or embed element, no `on…=` attribute, no `javascript:` (nor `vbscript:`, `data:`)
    /// address. Its plain text for open data is made without a panic too.
    #[test]
    fn whatever_is_written_renders_to_safe_html(md in hostile_markdown()) {
        assert_safe(&render_markdown(&md))?;
        let _ = markdown_to_text(&md);
        let _ = html_text(&md);
    }

    /// Text with nothing Markdown or HTML reads as markup comes out whole, as one
    /// paragraph.
    #[test]
    fn plain_text_comes_out_whole(words in prop::collection::vec("[a-zA-Z0-9あ-んア-ン居住支援地域防災、。]{1,8}", 1..12)) {
        let text = words.join(" ");
        prop_assert_eq!(render_markdown(&text), format!("<p>{text}</p>\n"));
        prop_assert_eq!(markdown_to_text(&text), text);
    }

    /// The text of HTML keeps what is around a script or a style (in any case), drops
    /// what is inside it, and leaves text without tags or entities as it is.
    #[test]
    fn html_text_drops_scripts_and_keeps_the_text(
        before in "[^<&]{0,20}",
        inside in "[^<]{0,20}",
        after in "[^<&]{0,20}",
        tag in select(&["script", "SCRIPT", "Script", "style", "STYLE"][..]),
    ) {
        prop_assert_eq!(html_text(&before), before.clone());
        let html = format!("{before}<{tag} type=\"text/javascript\">{inside}</{tag}>{after}");
        prop_assert_eq!(html_text(&html), format!("{before}{after}"));
    }
}

proptest! {
    #![proptest_config(cases(64))]

    /// The plain text of Markdown (open data) holds nothing of a script or a style written
    /// among its text, as its HTML holds nothing of it.
    #[test]
    fn plain_text_holds_nothing_of_a_script(
        before in "[あ-ん居住支援 ]{0,8}",
        inside in "[a-z]{1,12}",
        after in "[あ-ん居住支援 ]{0,8}",
        tag in select(&["script", "style"][..]),
    ) {
        let md = format!("{before}<{tag}>zq{inside}</{tag}>{after}");
        prop_assert!(!render_markdown(&md).contains("zq"), "{}", render_markdown(&md));
        prop_assert!(!markdown_to_text(&md).contains("zq"), "{:?} gives {:?}", md, markdown_to_text(&md));
    }
}

// ---------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------

/// Strings that look like typed dates: digits of both widths, every separator, era names
/// and letters, 元, weekdays in brackets, numbers too large for any year, or anything.
fn date_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => "[0-9０-９]{1,5}",
        3 => select(&["-", "/", ".", "年", "月", "日", "－", "／", "．", " ", "　", "(", ")", "（木）", "(月)", ":", "FY", "ＦＹ"][..])
            .prop_map(str::to_owned),
        2 => select(&["令和", "平成", "昭和", "大正", "明治", "R", "H", "S", "T", "M", "r", "h", "㋿", "㍻", "元"][..])
            .prop_map(str::to_owned),
        1 => select(&["2147483648", "4294967295", "-2147483648", "99999999999999999999", "0", "00"][..])
            .prop_map(str::to_owned),
        1 => any::<String>(),
    ];
    prop::collection::vec(piece, 0..10).prop_map(|p| p.concat())
}

/// Any date chrono can hold.
fn any_date() -> impl Strategy<Value = NaiveDate> {
    (NaiveDate::MIN.num_days_from_ce()..=NaiveDate::MAX.num_days_from_ce())
        .prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).expect("a day chrono holds"))
}

proptest! {
    #![proptest_config(cases(256))]

    /// Whatever is typed in a date field, reading it never panics: a date it reads lies in
    /// 1900–2200, the form's check says "required" for a blank field and "unreadable" for
    /// what it cannot read, and a consultation's window, a fiscal year asked for and a time
    /// are read or refused without a panic too.
    #[test]
    fn any_typed_date_is_read_or_refused(typed in date_like(), other in date_like()) {
        let date = wareki::parse_date(&typed);
        if let Some(d) = date {
            prop_assert!((1900..=2200).contains(&d.year()), "{typed:?} read as {d}");
        }
        prop_assert_eq!(socialhub::event::parse_date(&typed), date);
        let mut errors = FieldErrors::default();
        let checked = errors.date("opens_on", &typed, "required", "unreadable");
        prop_assert_eq!(checked, date.filter(|_| !typed.trim().is_empty()));
        let said: Vec<&str> = errors.0.iter().map(|e| e.message).collect();
        match (typed.trim().is_empty(), checked) {
            (true, _) => prop_assert_eq!(said, ["required"]),
            (false, None) => prop_assert_eq!(said, ["unreadable"]),
            (false, Some(_)) => prop_assert!(said.is_empty()),
        }
        let window = WindowForm { version: "1".into(), opens_on: typed.clone(), closes_on: other.clone() };
        let _ = window.validate();
        let _ = FiscalYear::asked_or_current(&typed);
        let _ = parse_time(&typed);
    }

    /// A date from 1900 to 2200 typed as people type it (2023-04-20, 2023/4/20, 2023.4.20,
    /// 2023年4月20日, full-width digits, spaces around, or in the era as pages print it:
    /// 令和5年4月20日（木）) reads back as the same date.
    #[test]
    fn a_typed_date_reads_back_as_the_same_date((date, typed) in typed_date()) {
        prop_assert_eq!(wareki::parse_date(&typed), Some(date), "{}", typed);
    }

    /// A consultation's window of two typed dates is taken when the last day is not before
    /// the first, from the first day's midnight in Japan to the midnight after the last.
    #[test]
    fn a_window_runs_from_the_first_day_to_the_end_of_the_last((opens, opens_on) in typed_date(), (closes, closes_on) in typed_date()) {
        let window = WindowForm { version: "２".into(), opens_on, closes_on }.validate();
        if closes < opens {
            let errors = window.expect_err("a window ending before it opens");
            prop_assert_eq!(errors.get("closes_on"), Some("consultation-error-order"));
        } else {
            let window = window.expect("a window");
            prop_assert_eq!(window.version, 2);
            prop_assert_eq!(window.opens_at, wareki::jst_midnight(opens));
            prop_assert_eq!(window.closes_at, wareki::jst_midnight(closes + Days::new(1)));
        }
    }

    /// Any date chrono holds is written in Japanese (the era, or the Western year before
    /// Meiji) and in English without a panic and never empty.
    #[test]
    fn any_date_is_written_in_both_languages(date in any_date()) {
        let ja = wareki::format_date(Lang::Ja, date);
        let en = wareki::format_date(Lang::En, date);
        prop_assert!(ja.ends_with('）') && ja.contains('月') && ja.contains('日'), "{}", ja);
        prop_assert!(!en.is_empty());
        prop_assert!(!wareki::era_year_label(date).is_empty());
    }

    /// A date from 1900 to 2200 in its fiscal year, with a label in each language; written
    /// in the era it reads back as itself, and its midnight in Japan is written as that
    /// day at 00:00.
    #[test]
    fn a_date_in_range_is_in_its_fiscal_year_and_reads_back(date in date_in_range()) {
        let year = FiscalYear::of(date);
        prop_assert!(year.first_day() <= date && date <= year.last_day(), "{date} in {year:?}");
        prop_assert!(year.label(Lang::Ja).ends_with("年度"));
        prop_assert_eq!(year.label(Lang::En), format!("FY{}", year.0));
        prop_assert_eq!(wareki::parse_date(&wareki::format_date_ja(date)), Some(date));
        let midnight = wareki::jst_midnight(date);
        prop_assert_eq!(wareki::jst_date(midnight), date);
        prop_assert_eq!(wareki::format_datetime(Lang::Ja, midnight), format!("{}00:00", wareki::format_date_ja(date)));
    }

    /// Full-width letters, digits and signs become ASCII, and the white space around them
    /// goes, so that ２０２３－０４－２０ is 2023-04-20.
    #[test]
    fn full_width_identifiers_become_ascii(typed in "[!-~]{0,20}") {
        prop_assert_eq!(normalize_identifier(&format!("　{} ", full_width(&typed))), typed);
    }
}

proptest! {
    #![proptest_config(cases(256))]

    /// A date in an era with a year of any size (令和2147483647年1月1日, R2147483647.1.1) is
    /// read or refused without a panic, and a date read lies in 1900–2200.
    #[test]
    fn an_era_year_of_any_size_is_read_or_refused(
        era in select(&["令和", "平成", "昭和", "大正", "明治", "R", "H", "S", "T", "M"][..]),
        year in prop_oneof![1..70i32, any::<i32>(), (i32::MAX - 4000)..=i32::MAX],
        month in 0..14u32,
        day in 0..33u32,
        form in 0..2usize,
    ) {
        let typed = match form {
            0 => format!("{era}{year}年{month}月{day}日"),
            _ => format!("{era}{year}.{month}.{day}"),
        };
        if let Some(date) = wareki::parse_date(&typed) {
            prop_assert!((1900..=2200).contains(&date.year()), "{typed:?} read as {date}");
        }
    }
}

// ---------------------------------------------------------------------------------------
// Search
// ---------------------------------------------------------------------------------------

/// What people type into the search box: words in Japanese and Latin, query syntax that
/// other engines read (`"`, `:`, `(`, `^`, `*`, `~`, AND), unbalanced quotes, odd Unicode
/// (combining marks, half-width kana, ligatures, control characters), or anything.
fn search_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => select(
            &[
                "\"", ":", "(", ")", "^", "^2", "*", "~", "~1", "+", "-", "!", "[", "]", "{", "}", "\\", "/", "|", "&&", "||",
                "AND", "OR", "NOT", "title:", "kind:event", "?", ".*", "$", "\\x{", " ", "\u{3000}", "\t", "\n",
            ][..],
        )
        .prop_map(str::to_owned),
        3 => select(
            &[
                "居住", "支援", "居住支援事業", "防災", "ボランティア", "ﾎﾞﾗﾝﾃｨｱ", "ｶﾞ", "ＮＰＯ", "npo", "Social", "仙台", "a", "ー", "・", "々",
                "㍿", "\u{3099}", "e\u{301}", "İ", "ß", "👍", "\u{20000}", "\u{0}", "\u{7f}", "\u{200b}", "\u{feff}",
            ][..],
        )
        .prop_map(str::to_owned),
        1 => any::<String>(),
    ];
    prop_oneof![
        8 => prop::collection::vec(piece, 0..16).prop_map(|p| p.concat()),
        1 => "[a-zあ-ん居住支援ア-ン ]{300,1500}",
    ]
}

/// A record of the tenant 1 with this title and body.
fn doc(id: i64, title: &str, body: &str) -> Doc {
    Doc {
        tenant: TenantId(1),
        kind: Kind::Issue,
        id,
        title: title.to_owned(),
        body: body.to_owned(),
        tags: vec!["防災".to_owned()],
        date: chrono::DateTime::from_timestamp(1_700_000_000, 0).expect("a time"),
        url: format!("/issues/{id}"),
    }
}

/// A few records of the kinds of text people write.
static INDEX: LazyLock<Index> = LazyLock::new(|| {
    Index::of_documents(
        [
            doc(1, "居住支援の勉強会", "住まいの確保に困る人を地域で支える。ボランティア募集\n次回は\"仙台\"で"),
            doc(
                2,
                "NPO法人あおば: Social Hub meeting",
                "ＮＰＯ法人と町内会が防災訓練（2023年度）。ﾎﾞﾗﾝﾃｨｱ歓迎 e\u{301}",
            ),
            doc(3, "㍿と々の話", "居住・支援 a+b (c) *d* ~e^2"),
        ],
        1,
    )
    .expect("an index")
});

/// Ranges of `text` that lie on character boundaries, in order, apart.
fn marks_fit(text: &str, marks: &[(usize, usize)]) -> Result<(), TestCaseError> {
    let mut at = 0;
    for &(from, to) in marks {
        prop_assert!(at <= from && from < to && to <= text.len(), "{marks:?} in {text:?}");
        prop_assert!(text.is_char_boundary(from) && text.is_char_boundary(to), "{marks:?} in {text:?}");
        at = to;
    }
    Ok(())
}

/// The pieces of `text` stand on its characters: each covers a whole number of them, its
/// first character ending inside it, in the order of the text; a bigram is two kana or
/// kanji, a Latin word letters and digits.
fn pieces_fit(text: &str, pieces: &[Piece]) -> Result<(), TestCaseError> {
    let mut from = 0;
    for p in pieces {
        prop_assert!(
            from <= p.from && p.from < p.first_to && p.first_to <= p.to && p.to <= text.len(),
            "{p:?} in {text:?}"
        );
        for at in [p.from, p.first_to, p.to] {
            prop_assert!(text.is_char_boundary(at), "{p:?} in {text:?}");
        }
        prop_assert!(!p.text.is_empty());
        if p.cjk {
            prop_assert!((1..=2).contains(&p.text.chars().count()), "{p:?}");
        } else {
            prop_assert!(!p.follows && p.text.chars().all(char::is_alphanumeric), "{p:?}");
        }
        from = p.from;
    }
    Ok(())
}

proptest! {
    #![proptest_config(cases(256))]

    /// Whatever is typed into the search box, a search answers without a panic or an
    /// error, and every highlighted range of a hit's title and snippet lies on character
    /// boundaries, in order.
    #[test]
    fn any_query_is_answered(text in search_like(), kind in prop::option::of(Just(Kind::Issue)), offset in 0..3usize) {
        let _ = search_text::query_words(&text);
        let _ = search_text::query_phrases(&text);
        let q = Query { text: text.clone(), kind, offset, limit: 10, ..Query::default() };
        let results = INDEX.search_now(TenantId(1), &q);
        prop_assert!(results.is_ok(), "{:?}: {:?}", text, results.err());
        for hit in results.expect("results").hits {
            marks_fit(&hit.title, &hit.title_marks)?;
            marks_fit(&hit.snippet, &hit.marks)?;
        }
    }

    /// The tokens of any text stand on its characters (what snippets and highlights cut
    /// it at), and the index's tokenizer gives them in order within the text.
    #[test]
    fn tokens_stand_on_the_texts_characters(text in search_like()) {
        pieces_fit(&text, &search_text::pieces(&text))?;
        let mut tokenizer = search_text::BigramTokenizer;
        let mut stream = tokenizer.token_stream(&text);
        let mut position = 0;
        while stream.advance() {
            let token = stream.token();
            prop_assert!(token.position >= position && token.offset_from <= token.offset_to && token.offset_to <= text.len(), "{token:?}");
            prop_assert!(text.is_char_boundary(token.offset_from) && text.is_char_boundary(token.offset_to), "{token:?}");
            position = token.position;
        }
    }
}

/// A word of a record's text: a run of kana and kanji, or a Latin word.
#[derive(Clone, Debug)]
enum Word {
    Run(String),
    Latin(String),
}

fn words() -> impl Strategy<Value = Vec<Word>> {
    let word = prop_oneof![
        "[あ-んア-ンー々居住支援地域防災町内会]{1,7}".prop_map(Word::Run),
        "[a-zA-Z0-9]{1,8}".prop_map(Word::Latin),
    ];
    prop::collection::vec(word, 1..8)
}

/// The words written one after another, each separator from `separators`.
fn written(words: &[Word], separators: &[&str]) -> String {
    let mut text = String::new();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            text.push_str(separators[i % separators.len()]);
        }
        text.push_str(match w {
            Word::Run(s) | Word::Latin(s) => s,
        });
    }
    text
}

proptest! {
    #![proptest_config(cases(256))]

    /// As documented: a run of kana and kanji gives its bigrams in order (a run of one
    /// character, the character), katakana as hiragana, each bigram after the first of a
    /// run following the one before; a Latin word is one token, in lower case.
    #[test]
    fn runs_give_bigrams_and_latin_words_give_words(words in words(), separators in prop::collection::vec(select(&[" ", "、", "。", "・", "-", "(", ")", "\"", "\u{3000}"][..]), 1..4)) {
        let text = written(&words, &separators);
        let got: Vec<(String, bool, bool)> = search_text::pieces(&text).into_iter().map(|p| (p.text, p.cjk, p.follows)).collect();
        let mut expected = Vec::new();
        for w in &words {
            match w {
                Word::Latin(s) => expected.push((s.to_lowercase(), false, false)),
                Word::Run(s) => {
                    let chars: Vec<char> = hiragana(s).chars().collect();
                    if chars.len() == 1 {
                        expected.push((chars[0].to_string(), true, false));
                    }
                    for (n, pair) in chars.windows(2).enumerate() {
                        expected.push((pair.iter().collect(), true, n > 0));
                    }
                }
            }
        }
        prop_assert_eq!(got, expected);
    }
}

proptest! {
    #![proptest_config(cases(48))]

    /// A record is found by any word of it as written: a whole Latin word (in any case,
    /// full-width too) or any piece of a run of kana and kanji (katakana or hiragana).
    #[test]
    fn a_record_is_found_by_any_word_of_it(
        words in words(),
        body in words(),
        pick in any::<Pick>(),
        start in any::<Pick>(),
        length in any::<Pick>(),
        form in 0..3usize,
    ) {
        let title = written(&words, &[" ", "、"]);
        let index = Index::of_documents([doc(1, &title, &written(&body, &["・"])), doc(2, "関係のない記録", "")], 1).expect("an index");
        let query = match &words[pick.index(words.len())] {
            Word::Latin(s) => match form {
                0 => s.clone(),
                1 => s.to_uppercase(),
                _ => full_width(s),
            },
            Word::Run(s) => {
                let chars: Vec<char> = s.chars().collect();
                let from = start.index(chars.len());
                let to = from + 1 + length.index(chars.len() - from);
                let piece: String = chars[from..to].iter().collect();
                if form == 0 { hiragana(&piece) } else { piece }
            }
        };
        let q = Query { text: query.clone(), limit: 10, ..Query::default() };
        let found: Vec<String> = index.search_now(TenantId(1), &q).expect("results").hits.into_iter().map(|h| h.url).collect();
        prop_assert!(found.contains(&"/issues/1".to_owned()), "{:?} in {:?}: {:?}", query, title, found);
    }
}

/// The words of a text of few characters, so that the same character comes often.
fn few_letter_words() -> impl Strategy<Value = Vec<Word>> {
    let word = prop_oneof!["[あいこア居住々ー]{1,6}".prop_map(Word::Run), "[abAB1]{1,3}".prop_map(Word::Latin)];
    prop::collection::vec(word, 1..6)
}

/// A query word from `words`: a whole Latin word, or a piece of a run.
fn query_word(words: &[Word], pick: &Pick, start: &Pick, length: &Pick) -> String {
    match &words[pick.index(words.len())] {
        Word::Latin(s) => s.to_uppercase(),
        Word::Run(s) => {
            let chars: Vec<char> = s.chars().collect();
            let from = start.index(chars.len());
            let to = from + 1 + length.index(chars.len() - from);
            chars[from..to].iter().collect()
        }
    }
}

/// Whether a character of a run of kana and kanji comes twice in a row (ああ, 々々).
fn doubled(words: &[Word]) -> bool {
    words.iter().any(|w| match w {
        Word::Run(s) => hiragana(s).chars().collect::<Vec<_>>().windows(2).any(|p| p[0] == p[1]),
        Word::Latin(_) => false,
    })
}

/// Each place a query word is found in a text is highlighted, and the highlight holds that
/// very word (after the index's normalisation): never more, never less, never nothing.
fn highlights_hold_the_word(words: &[Word], query: &str) -> Result<(), TestCaseError> {
    let text = written(words, &[" ", "、"]);
    let word = &search_text::query_words(query)[0];
    let found = search_text::find(&search_text::pieces(&text), word);
    prop_assert!(!found.is_empty(), "{query:?} in {text:?}");
    for (from, to) in found {
        prop_assert_eq!(
            search_text::normalize(&text[from..to]),
            search_text::normalize(query),
            "{:?} in {:?} at {}..{}",
            query,
            text,
            from,
            to
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(cases(256))]

    /// Where a query word (a Latin word, a piece of a run of kana and kanji) is found in a
    /// text, the range highlighted holds that word, no more and no less.
    #[test]
    fn a_highlight_holds_the_word_found(
        words in few_letter_words().prop_filter("no character twice in a row", |w| !doubled(w)),
        pick in any::<Pick>(),
        start in any::<Pick>(),
        length in any::<Pick>(),
    ) {
        highlights_hold_the_word(&words, &query_word(&words, &pick, &start, &length))?;
    }

    /// A character found where it is written twice in a row (ああ, ここ, 々々) is
    /// highlighted too.
    #[test]
    fn a_character_written_twice_is_highlighted(
        words in few_letter_words().prop_filter("a character twice in a row", |w| doubled(w)),
        pick in any::<Pick>(),
        start in any::<Pick>(),
        length in any::<Pick>(),
    ) {
        highlights_hold_the_word(&words, &query_word(&words, &pick, &start, &length))?;
    }
}
