//! Rosters and received comments: nothing panics, every problem is on a line of the file, what is accepted comes back whole.

use super::*;

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
