//! Dates: whatever is typed is read or refused, and what is read reads back.

use super::*;

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
