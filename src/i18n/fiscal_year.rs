//! Fiscal years (年度), April to March: FY2023 = 令和5年度 = 2023-04-01 … 2024-03-31.

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc};

use super::Lang;
use super::wareki::{era_year, jst};

/// A fiscal year, named by the calendar year in which it starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FiscalYear(pub i32);

impl FiscalYear {
    /// The fiscal year a date falls in.
    pub fn of(date: NaiveDate) -> FiscalYear {
        if date.month() >= 4 { FiscalYear(date.year()) } else { FiscalYear(date.year() - 1) }
    }

    /// The fiscal year a UTC instant falls in, by its date in Japan.
    pub fn of_instant(t: DateTime<Utc>) -> FiscalYear {
        FiscalYear::of(super::wareki::jst_date(t))
    }

    /// The year a query names (`2023`, `FY2023`, full width too), else the current one.
    pub fn asked_or_current(asked: &str) -> FiscalYear {
        super::normalize_identifier(asked)
            .trim_start_matches("FY")
            .parse::<i32>()
            .ok()
            .filter(|y| (1900..=2200).contains(y))
            .map_or_else(|| FiscalYear::of_instant(Utc::now()), FiscalYear)
    }

    /// 1 April of the year.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0, 4, 1).expect("1 April exists")
    }

    /// 31 March of the next year.
    pub fn last_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0 + 1, 3, 31).expect("31 March exists")
    }

    /// The half-open UTC range [start, end) covering the year in Japan time, for queries.
    pub fn utc_range(self) -> (DateTime<Utc>, DateTime<Utc>) {
        let at_midnight = |d: NaiveDate| {
            d.and_time(NaiveTime::MIN)
                .and_local_timezone(jst())
                .single()
                .expect("UTC+9 has no gaps")
                .with_timezone(&Utc)
        };
        (at_midnight(self.first_day()), at_midnight(self.next().first_day()))
    }

    pub fn next(self) -> FiscalYear {
        FiscalYear(self.0 + 1)
    }

    pub fn previous(self) -> FiscalYear {
        FiscalYear(self.0 - 1)
    }

    /// 令和5年度 in Japanese, FY2023 in English. A fiscal year takes the era in force at
    /// the end of its first calendar year: FY2019 is 令和元年度 (Reiwa began in May 2019),
    /// FY1988 is 昭和63年度 (Heisei began in January 1989, in that year's last quarter).
    pub fn label(self, lang: Lang) -> String {
        let year_end = NaiveDate::from_ymd_opt(self.0, 12, 31).expect("31 December exists");
        match lang {
            Lang::Ja => match era_year(year_end) {
                Some((name, 1)) => format!("{name}元年度"),
                Some((name, n)) => format!("{name}{n}年度"),
                None => format!("{}年度", self.0),
            },
            Lang::En => format!("FY{}", self.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn april_starts_the_year() {
        assert_eq!(FiscalYear::of(d(2023, 4, 1)), FiscalYear(2023));
        assert_eq!(FiscalYear::of(d(2024, 3, 31)), FiscalYear(2023));
        assert_eq!(FiscalYear::of(d(2023, 3, 31)), FiscalYear(2022));
        assert_eq!(FiscalYear(2023).last_day(), d(2024, 3, 31));
    }

    #[test]
    fn labels_in_both_languages() {
        assert_eq!(FiscalYear(2023).label(Lang::Ja), "令和5年度");
        assert_eq!(FiscalYear(2019).label(Lang::Ja), "令和元年度");
        assert_eq!(FiscalYear(2018).label(Lang::Ja), "平成30年度");
        assert_eq!(FiscalYear(1988).label(Lang::Ja), "昭和63年度");
        assert_eq!(FiscalYear(1989).label(Lang::Ja), "平成元年度");
        assert_eq!(FiscalYear(2023).label(Lang::En), "FY2023");
    }

    #[test]
    fn utc_range_follows_japan_midnight() {
        let (start, end) = FiscalYear(2023).utc_range();
        assert_eq!(start.to_rfc3339(), "2023-03-31T15:00:00+00:00");
        assert_eq!(end.to_rfc3339(), "2024-03-31T15:00:00+00:00");
        let t = DateTime::parse_from_rfc3339("2024-03-31T14:59:59Z").unwrap().with_timezone(&Utc);
        assert_eq!(FiscalYear::of_instant(t), FiscalYear(2023));
        let t = DateTime::parse_from_rfc3339("2024-03-31T15:00:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(FiscalYear::of_instant(t), FiscalYear(2024));
    }
}
