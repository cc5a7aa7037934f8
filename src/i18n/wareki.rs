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
