use super::*;

const HEADER: &str = "日付,テーマ,氏名,メール,所属,属性,初参加,参加方法\r\n";

fn parse(body: &str) -> Result<Vec<RosterRow>, Vec<RowError>> {
    parse_file(format!("\u{feff}{HEADER}{body}").as_bytes(), EventKind::InfoExchange)
}

#[test]
fn reads_the_centers_layout() {
    let rows = parse(
        "2023-04-20,テーマ,佐藤 美咲,P0001@Example.JP,NPO法人あおば,ＮＰＯ,○,会場\r\n\
         2023/04/20,テーマ,中村 由美,,,市民,,オンライン\r\n\
         2023-12-26,匿名の回,匿名,,,市民,—,オンライン\r\n",
    )
    .unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].line, 2);
    assert_eq!(rows[0].email.as_deref(), Some("p0001@example.jp"));
    assert_eq!(rows[0].sector, Sector::Npo);
    assert_eq!(rows[0].first_time, Some(true));
    assert_eq!(rows[0].mode, Mode::Venue);
    assert_eq!(rows[1].date, rows[0].date);
    assert_eq!(rows[1].first_time, Some(false));
    assert_eq!(rows[1].name.as_deref(), Some("中村 由美"));
    assert!(rows[2].is_anonymous());
    assert_eq!(rows[2].first_time, None);
    assert_eq!(rows[2].kind, EventKind::InfoExchange);
}

#[test]
fn every_bad_cell_is_named_by_line_and_column() {
    let errors = parse(
        "2023-04-20,テーマ,佐藤 美咲,p1@example.jp,,NPO,○,会場\r\n\
         2023-02-30,テーマ,x,not-mail,,学生,はい,自宅\r\n\
         2023-04-20,,y,,,市民,,会場\r\n",
    )
    .unwrap_err();
    let found: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.column.as_str())).collect();
    assert_eq!(found, [(3, "日付"), (3, "メール"), (3, "属性"), (3, "初参加"), (3, "参加方法"), (4, "テーマ")]);
    assert_eq!(
        errors[2].describe(Lang::Ja),
        "3行目「属性」: 「学生」は属性として読めません（市民・企業・大学・NPO・行政・議員のいずれか）。"
    );
    assert!(errors[2].describe(Lang::En).starts_with("line 3, column 属性: "));
}

#[test]
fn control_characters_are_refused_by_line_and_column() {
    let errors = parse(
        "2023-04-20,テーマ,佐藤\u{0}美咲,,,市民,,会場\r\n\
         2023-04-20,テ\u{1b}[2Jーマ,b,,所属\u{85},宇宙人,,会場\r\n\
         2023-04-20,テーマ,\"タブ\tと\r\n改行\",,,\u{7f}市民,,会場\r\n",
    )
    .unwrap_err();
    let found: Vec<(usize, &str, &str)> =
        errors.iter().map(|e| (e.line, e.column.as_str(), e.value.as_str())).collect();
    assert_eq!(
        found,
        [
            (2, "氏名", "U+0000"),
            (3, "テーマ", "U+001B"),
            (3, "所属", "U+0085"),
            (3, "属性", "宇宙人"),
            (4, "属性", "U+007F")
        ],
        "a tab and a line break are kept; the cell with a control is not read further"
    );
    assert_eq!(
        errors[0].describe(Lang::Ja),
        "2行目「氏名」: 制御文字（U+0000）が含まれています。取り除いてから、もう一度取り込んでください。"
    );
    assert_eq!(
        errors[0].describe(Lang::En),
        "line 2, column 氏名: It holds a control character (U+0000). Remove it and import again."
    );
    // The same in an XLSX workbook's table.
    let table = vec![
        (1, HEADER.trim_end().split(',').map(str::to_owned).collect::<Vec<_>>()),
        (2, ["2023-04-20", "テーマ", "a\u{8}b", "", "", "市民", "", "会場"].map(str::to_owned).to_vec()),
    ];
    let errors = parse_table(&table, EventKind::InfoExchange).unwrap_err();
    assert_eq!((errors[0].line, errors[0].column.as_str(), errors[0].value.as_str()), (2, "氏名", "U+0008"));
}

#[test]
fn a_missing_column_is_reported_on_line_one() {
    let errors = parse_file("日付,テーマ,氏名\n2023-04-20,x,y\n".as_bytes(), EventKind::InfoExchange).unwrap_err();
    let found: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.column.as_str())).collect();
    assert_eq!(found, [(1, "属性"), (1, "参加方法")]);
}

#[test]
fn quoted_fields_with_newlines_keep_line_numbers() {
    let errors =
        parse("2023-04-20,\"二行の\nテーマ\",a,,,市民,,会場\r\n2023-04-20,t,b,,,宇宙人,,会場\r\n").unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, 4);
}

#[test]
fn a_kind_column_overrides_the_default() {
    let rows = parse_file(
        "日付,テーマ,属性,参加方法,種別\n2023-05-01,読書会,市民,会場,勉強会\n".as_bytes(),
        EventKind::InfoExchange,
    )
    .unwrap();
    assert_eq!(rows[0].kind, EventKind::Study);
}

#[test]
fn excels_shift_jis_csv_reads_as_its_utf8_twin() {
    // Excel on Japanese Windows, "CSV (コンマ区切り)": Shift_JIS, no BOM, CRLF.
    let text = format!(
        "{HEADER}2023-04-20,髙橋さんの回,髙橋 美咲,p1@example.jp,ＮＰＯ法人あおば,ＮＰＯ,○,会場\r\n\
         2023-04-20,髙橋さんの回,中村 由美,,,宇宙人,,会場\r\n"
    );
    let (sjis, _, unmappable) = encoding_rs::SHIFT_JIS.encode(&text);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&sjis).is_err(), "really not UTF-8");
    let from_sjis = parse_file(&sjis, EventKind::InfoExchange).unwrap_err();
    let from_utf8 = parse_file(text.as_bytes(), EventKind::InfoExchange).unwrap_err();
    assert_eq!(from_sjis, from_utf8);
    assert_eq!((from_sjis[0].line, from_sjis[0].column.as_str(), from_sjis[0].value.as_str()), (3, "属性", "宇宙人"));
    let good = text.lines().take(2).collect::<Vec<_>>().join("\r\n");
    let rows = parse_file(&encoding_rs::SHIFT_JIS.encode(&good).0, EventKind::InfoExchange).unwrap();
    assert_eq!(rows[0].title, "髙橋さんの回");
    assert_eq!(rows[0].name.as_deref(), Some("髙橋 美咲"));
    assert_eq!(rows[0].affiliation, "ＮＰＯ法人あおば", "free text is kept as typed");
}

#[test]
fn binary_garbage_is_an_error_not_a_panic() {
    assert!(parse_file(b"\xff\xfe\x00garbage", EventKind::InfoExchange).is_err());
    assert!(parse_file(b"PK\x03\x04not really a zip", EventKind::InfoExchange).is_err());
    assert!(parse_file(b"", EventKind::InfoExchange).is_err());
}

#[test]
fn the_default_kind_is_a_code_or_a_japanese_name() {
    assert_eq!(parse_default_kind("study", Lang::Ja), Ok(EventKind::Study));
    assert_eq!(parse_default_kind(" 勉強会 ", Lang::Ja), Ok(EventKind::Study));
    assert_eq!(parse_default_kind("ＳＴＵＤＹ", Lang::En), Ok(EventKind::Study));
    for kind in EventKind::ALL {
        assert_eq!(parse_default_kind(kind.label_ja(), Lang::Ja), Ok(kind));
        assert_eq!(parse_default_kind(kind.code(), Lang::Ja), Ok(kind));
    }
    assert_eq!(
        parse_default_kind("勉強", Lang::Ja),
        Err("「勉強」は種別として読めません。使える種別：情報交換会（info_exchange）・勉強会（study）・報告会（report）\
             ・研修（training）・事務局ミーティング（secretariat_meeting）。"
            .to_owned())
    );
    let english = parse_default_kind("sutdy", Lang::En).unwrap_err();
    assert!(
        english.starts_with("sutdy is not a kind. Accepted kinds: 情報交換会 (info_exchange), 勉強会 (study)"),
        "{english}"
    );
    assert!(parse_default_kind("", Lang::Ja).is_err());
}
