//! Japanese era (和暦) dates: 令和5年4月20日（木）, and their English counterparts.
//!
//! Times are kept in UTC and shown in Japan time (UTC+9, no daylight saving).

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc, Weekday};

use super::Lang;

/// Japan Standard Time, UTC+9 all year.
pub fn jst() -> FixedOffset {
    FixedOffset::east_opt(9 * 3600).expect("UTC+9 is a valid offset")
}

/// The local date in Japan of a UTC instant.
pub fn jst_date(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&jst()).date_naive()
}

/// The start (midnight in Japan) of a date, as a UTC instant.
pub fn jst_midnight(date: NaiveDate) -> DateTime<Utc> {
    date.and_time(chrono::NaiveTime::MIN).and_local_timezone(jst()).single().expect("UTC+9 has no gaps").to_utc()
}

/// An era of the Japanese calendar since the Gregorian calendar was adopted.
struct Era {
    name: &'static str,
    first_day: (i32, u32, u32),
}

/// Newest first, so the first era whose first day is not after a date is its era.
const ERAS: [Era; 5] = [
    Era { name: "令和", first_day: (2019, 5, 1) },
    Era { name: "平成", first_day: (1989, 1, 8) },
    Era { name: "昭和", first_day: (1926, 12, 25) },
    Era { name: "大正", first_day: (1912, 7, 30) },
    Era { name: "明治", first_day: (1868, 10, 23) },
];

/// The era name and year of `date`, e.g. ("令和", 5); `None` before Meiji.
pub fn era_year(date: NaiveDate) -> Option<(&'static str, i32)> {
    ERAS.iter().find_map(|era| {
        let (y, m, d) = era.first_day;
        let first = NaiveDate::from_ymd_opt(y, m, d)?;
        (date >= first).then(|| (era.name, date.year() - y + 1))
    })
}

/// A date as people type it in Japan: 2024-04-18, 2024/4/18, 2024.4.18, 2024年4月18日,
/// 令和6年4月18日 (元年 too, and R6.4.18 or H31/4/30 as forms abbreviate eras), full-width
/// digits allowed, a weekday after it ignored (（木）). An era's date must fall within it
/// (令和元年4月1日 was still 平成). `None` for anything else, and for years outside
/// 1900–2200.
pub fn parse_date(input: &str) -> Option<NaiveDate> {
    let s = super::normalize_identifier(input);
    // A weekday in brackets after the date, as dates are printed: （木） becomes (木).
    let s = match s.find('(') {
        Some(i) if s.ends_with(')') => s[..i].trim_end(),
        _ => s.as_str(),
    };
    let (era, rest) = split_era(s);
    let mut parts = rest.split(['-', '/', '.', '年', '月', '日']).map(str::trim);
    let year = match parts.next()? {
        "元" if era.is_some() => 1,
        y => y.parse::<i32>().ok()?,
    };
    let month = parts.next()?.parse::<u32>().ok()?;
    let day = parts.next()?.parse::<u32>().ok()?;
    // Only what the last separator may leave: 日 at the end.
    if parts.any(|p| !p.is_empty()) {
        return None;
    }
    let date = match era {
        None => NaiveDate::from_ymd_opt(year, month, day)?,
        Some(i) => {
            let (y, m, d) = ERAS[i].first_day;
            // A year of any size typed is refused, never overflowed.
            let date = NaiveDate::from_ymd_opt(y.checked_add(year)?.checked_sub(1)?, month, day)?;
            let first = NaiveDate::from_ymd_opt(y, m, d)?;
            let next = i.checked_sub(1).and_then(|n| {
                let (y, m, d) = ERAS[n].first_day;
                NaiveDate::from_ymd_opt(y, m, d)
            });
            if year < 1 || date < first || next.is_some_and(|next| date >= next) {
                return None;
            }
            date
        }
    };
    (1900..=2200).contains(&date.year()).then_some(date)
}

/// The era a typed date starts with (its index in [`ERAS`]) and the rest: 令和 or R.
fn split_era(s: &str) -> (Option<usize>, &str) {
    const LETTERS: [char; 5] = ['R', 'H', 'S', 'T', 'M'];
    for (i, era) in ERAS.iter().enumerate() {
        if let Some(rest) = s.strip_prefix(era.name) {
            return (Some(i), rest);
        }
    }
    let mut chars = s.chars();
    match chars.next().map(|c| c.to_ascii_uppercase()) {
        Some(c) if LETTERS.contains(&c) && chars.as_str().starts_with(|d: char| d.is_ascii_digit()) => {
            (LETTERS.iter().position(|l| *l == c), chars.as_str())
        }
        _ => (None, s),
    }
}

/// 令和5年 (the first year of an era is 元年, as written in Japan).
pub fn era_year_label(date: NaiveDate) -> String {
    let mut s = String::with_capacity(16);
    push_era_year(&mut s, date);
    s
}

fn push_era_year(s: &mut String, date: NaiveDate) {
    match era_year(date) {
        Some((name, 1)) => {
            s.push_str(name);
            s.push_str("元年");
        }
        Some((name, n)) => {
            s.push_str(name);
            push_number(s, n);
            s.push('年');
        }
        None => {
            push_number(s, date.year());
            s.push('年');
        }
    }
}

/// Appends `n` in ASCII digits (dates are built on every page view, and `format!` costs
/// several times as much).
pub(crate) fn push_number(s: &mut String, n: impl Into<i64>) {
    let n: i64 = n.into();
    if n < 0 {
        s.push('-');
    }
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n.unsigned_abs();
    loop {
        at -= 1;
        digits[at] = b'0' + u8::try_from(rest % 10).expect("a digit");
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    s.extend(digits[at..].iter().map(|&d| char::from(d)));
}

fn weekday_ja(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "月",
        Weekday::Tue => "火",
        Weekday::Wed => "水",
        Weekday::Thu => "木",
        Weekday::Fri => "金",
        Weekday::Sat => "土",
        Weekday::Sun => "日",
    }
}

/// 令和5年4月20日（木）
pub fn format_date_ja(date: NaiveDate) -> String {
    let mut s = String::with_capacity(40);
    push_era_year(&mut s, date);
    push_number(&mut s, date.month());
    s.push('月');
    push_number(&mut s, date.day());
    s.push_str("日（");
    s.push_str(weekday_ja(date.weekday()));
    s.push('）');
    s
}

/// Thu, 20 April 2023
pub fn format_date_en(date: NaiveDate) -> String {
    date.format("%a, %-d %B %Y").to_string()
}

/// A date as people of `lang` expect it: the era in Japanese, Gregorian in English.
pub fn format_date(lang: Lang, date: NaiveDate) -> String {
    match lang {
        Lang::Ja => format_date_ja(date),
        Lang::En => format_date_en(date),
    }
}

/// A UTC instant as a Japan-time date and time: 令和5年4月20日（木）19:00.
pub fn format_datetime(lang: Lang, t: DateTime<Utc>) -> String {
    let local = t.with_timezone(&jst());
    match lang {
        Lang::Ja => format!("{}{}", format_date_ja(local.date_naive()), local.format("%H:%M")),
        Lang::En => format!("{} {}", format_date_en(local.date_naive()), local.format("%H:%M")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn formats_the_reports_dates() {
        assert_eq!(format_date_ja(d(2023, 4, 20)), "令和5年4月20日（木）");
        assert_eq!(format_date_ja(d(2024, 3, 21)), "令和6年3月21日（木）");
        assert_eq!(format_date_en(d(2023, 4, 20)), "Thu, 20 April 2023");
    }

    #[test]
    fn dates_are_read_as_people_type_them() {
        let ok = [
            "2024-04-18",
            "2024/4/18",
            "2024.4.18",
            "２０２４－０４－１８",
            "２０２４/４/１８",
            "2024年4月18日",
            "２０２４年４月１８日",
            "令和6年4月18日",
            "令和６年４月１８日",
            "令和6年4月18日（木）",
            " R6.4.18 ",
            "r6/4/18",
            "㋿6年4月18日",
        ];
        for s in ok {
            assert_eq!(parse_date(s), Some(d(2024, 4, 18)), "{s}");
        }
        assert_eq!(parse_date("令和元年5月1日"), Some(d(2019, 5, 1)));
        assert_eq!(parse_date("平成31年4月30日"), Some(d(2019, 4, 30)));
        assert_eq!(parse_date("H31/4/30"), Some(d(2019, 4, 30)));
        assert_eq!(parse_date("昭和64年1月7日"), Some(d(1989, 1, 7)));
        let bad = [
            "",
            "2024-02-30",
            "令和元年4月30日",
            "平成31年5月1日",
            "令和0年4月1日",
            "2024-04",
            "2024-04-18-01",
            "4/18/2024",
            "令和六年四月十八日",
            "明日",
            "1800-01-01",
            "2024年4月18日10時",
            "X6.4.18",
        ];
        for s in bad {
            assert_eq!(parse_date(s), None, "{s}");
        }
    }

    #[test]
    fn era_boundaries_and_first_years() {
        assert_eq!(era_year_label(d(2019, 4, 30)), "平成31年");
        assert_eq!(era_year_label(d(2019, 5, 1)), "令和元年");
        assert_eq!(era_year_label(d(1989, 1, 7)), "昭和64年");
        assert_eq!(era_year_label(d(1989, 1, 8)), "平成元年");
        assert_eq!(era_year_label(d(1926, 12, 25)), "昭和元年");
        assert_eq!(era_year_label(d(1912, 7, 29)), "明治45年");
        assert_eq!(era_year_label(d(1800, 1, 1)), "1800年");
        assert_eq!(format_date_ja(d(2019, 5, 1)), "令和元年5月1日（水）");
        assert_eq!(format_date_ja(d(2023, 12, 31)), "令和5年12月31日（日）");
    }

    #[test]
    fn numbers_are_written_in_ascii_digits() {
        for n in [0i64, 7, 10, 99, 2026, -5, i64::MAX, i64::MIN] {
            let mut s = String::from("x");
            push_number(&mut s, n);
            assert_eq!(s, format!("x{n}"));
        }
    }

    #[test]
    fn instants_are_shown_in_japan_time() {
        // 2023-04-20 10:00 UTC is 19:00 in Japan.
        let t = DateTime::parse_from_rfc3339("2023-04-20T10:00:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(format_datetime(Lang::Ja, t), "令和5年4月20日（木）19:00");
        // 2023-03-31 16:00 UTC is already 1 April in Japan.
        let t = DateTime::parse_from_rfc3339("2023-03-31T16:00:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(jst_date(t), d(2023, 4, 1));
    }
}
