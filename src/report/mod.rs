//! The annual report (年度報告): the statistics a center reports to its city, counted
//! from attendance records for one fiscal year (April–March) and one kind of event.
//! Per session: participants, first-timers (— when unknown) and participants by sector;
//! totals and shares rounded as the city's report prints them; a comparison with the
//! previous year; and how mixed each session was across sectors.
//!
//! This file computes (no I/O); `store.rs` reads the counts, `render.rs` writes CSV, XLSX
//! and SVG charts, `web.rs` serves the page.

use chrono::{DateTime, NaiveDate, Utc};

use crate::attendance::{Group, Tally};
use crate::event::{EventId, EventKind};
use crate::i18n::{FiscalYear, Lang, wareki};
use crate::sector::{Sector, SectorCounts};

pub mod render;
pub mod store;
pub mod web;

/// One session's line.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct EventLine {
    /// 1, 2, … in date order.
    pub number: usize,
    #[serde(skip)]
    pub id: EventId,
    /// Japan date of its (first) day.
    pub date: NaiveDate,
    #[serde(skip)]
    pub starts_at: DateTime<Utc>,
    pub title: String,
    /// Participants, first-timers (the known count; `null` when none is known) and
    /// participants by sector and mode.
    #[serde(flatten)]
    pub tally: Tally,
    /// Simpson's diversity across sectors (see [`SectorCounts::diversity`]).
    pub diversity: Option<f64>,
}

/// The totals of a year.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Totals {
    pub events: usize,
    /// Attendances (のべ人数).
    pub participants: i64,
    /// First-timers, counted where known.
    pub first_timers: i64,
    /// Attendances whose first time is unknown.
    pub first_time_unknown: i64,
    /// People told apart by their records (account or e-mail); anonymous and unnamed
    /// participations cannot be told apart and are not counted here.
    pub unique_people: i64,
    pub sectors: SectorCounts,
}

/// A year's report.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct AnnualReport {
    pub fiscal_year: i32,
    pub kind: EventKind,
    pub events: Vec<EventLine>,
    pub totals: Totals,
    /// The same counts for the previous fiscal year.
    pub previous: Totals,
    /// Each lab's meetings and study sessions in the year (the report's activity figures).
    pub labs: Vec<crate::lab::store::Activity>,
    /// Sessions held in the year by kind, internal meetings included.
    pub kinds: Vec<KindCount>,
    /// The network at the year's end (ソーシャルハブ).
    pub network: Network,
    /// Where the year's participants came from (the report's 「11団体15名」): attendances
    /// by the affiliation each person gave, the center's recorded organisations named.
    pub bodies: crate::organisation::Bodies,
    /// Open innovation in the year: needs posted and met, coordinators' introductions and
    /// what came of them.
    pub innovation: Innovation,
}

/// Open innovation (オープンイノベーション) in numbers for the year.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Innovation {
    /// Projects started (first active) during the year.
    pub projects_started: i64,
    /// Needs posted during the year.
    pub needs_posted: i64,
    /// Needs marked met during the year.
    pub needs_met: i64,
    /// Introductions made during the year, by answer and outcome.
    pub introductions: crate::introduction::Counts,
    /// Company hearings held during the year, in numbers (no company named).
    pub hearings: crate::hearing::Summary,
    /// Coordinator trainings held during the year, by kind, and the coordinators trained.
    pub trainings: crate::training::Counts,
    /// Visits to other centers begun during the year.
    pub visits: crate::visit::Counts,
}

/// The network in numbers: its members and organisations at the year's end, and how
/// many of its members took part in more than one program during the year.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Network {
    /// Accounts made by the year's end (accounts deleted since are not counted).
    pub members: i64,
    /// Accounts made during the year.
    pub new_members: i64,
    /// Organisations recorded by the year's end, by the sector each counts in.
    pub organisations: SectorCounts,
    /// Posts on the board during the year.
    pub posts: i64,
    /// Members who took part in at least two programs in the year: sessions attended,
    /// labs belonged to, issues brought or supported, consultations commented on, the
    /// board written on (by name: what was done anonymously is not counted).
    pub in_several_programs: i64,
}

/// How many accounts appear in at least two of the programs' lists.
pub fn in_several(programs: &[Vec<crate::account::AccountId>]) -> i64 {
    let mut seen: std::collections::HashMap<crate::account::AccountId, usize> = std::collections::HashMap::new();
    for program in programs {
        let once: std::collections::HashSet<_> = program.iter().collect();
        for a in once {
            *seen.entry(*a).or_default() += 1;
        }
    }
    seen.values().filter(|n| **n >= 2).count() as i64
}

/// How many sessions of one kind were held in the year, and their attendances.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct KindCount {
    pub kind: EventKind,
    pub events: i64,
    pub participants: i64,
}

/// What the store reads: per held event (date order), its attendances grouped by sector,
/// mode and first time.
#[derive(Clone, Debug)]
pub struct EventCounts {
    pub id: EventId,
    pub starts_at: DateTime<Utc>,
    pub title: String,
    pub groups: Vec<Group>,
}

/// Builds the year's lines and totals from the counts, each session by [`Tally::of`].
pub fn tally(events: &[EventCounts], unique_people: i64) -> (Vec<EventLine>, Totals) {
    let mut totals = Totals { events: events.len(), unique_people, ..Totals::default() };
    let lines = events
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let tally = Tally::of(&e.groups);
            totals.participants += tally.participants;
            totals.first_timers += tally.first_timers.unwrap_or(0);
            totals.first_time_unknown += tally.first_time_unknown;
            for s in Sector::ALL {
                totals.sectors.add(s, tally.sectors.get(s));
            }
            EventLine {
                number: i + 1,
                id: e.id,
                date: wareki::jst_date(e.starts_at),
                starts_at: e.starts_at,
                title: e.title.clone(),
                diversity: tally.sectors.diversity(),
                tally,
            }
        })
        .collect();
    (lines, totals)
}

/// A share as the city's report prints it: whole percent, or one decimal below 1%
/// (66 of 250 → 26%, 1 of 250 → 0.4%).
pub fn share(part: i64, total: i64) -> String {
    if total <= 0 {
        return "—".to_owned();
    }
    let p = part as f64 * 100.0 / total as f64;
    if p > 0.0 && p < 1.0 { format!("{:.1}%", p) } else { format!("{:.0}%", p) }
}

/// A year-over-year factor: 45 → 94 is ×2.1; `None` from zero.
pub fn factor(before: i64, after: i64) -> Option<String> {
    (before > 0).then(|| format!("×{:.1}", after as f64 / before as f64))
}

impl AnnualReport {
    pub fn fy(&self) -> FiscalYear {
        FiscalYear(self.fiscal_year)
    }

    pub fn kind(&self) -> EventKind {
        self.kind
    }

    /// 令和5年度 情報交換会 / FY2023 Information exchange
    pub fn heading(&self, lang: Lang) -> String {
        format!("{} {}", self.fy().label(lang), self.kind().label(lang))
    }

    /// The average diversity of the year's sessions.
    pub fn mean_diversity(&self) -> Option<f64> {
        let d: Vec<f64> = self.events.iter().filter_map(|e| e.diversity).collect();
        (!d.is_empty()).then(|| d.iter().sum::<f64>() / d.len() as f64)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn several_programs_means_at_least_two_lists() {
        use crate::account::AccountId;
        let programs = [
            vec![AccountId(1), AccountId(2), AccountId(2)],
            vec![AccountId(2), AccountId(3)],
            vec![AccountId(1)],
            vec![],
        ];
        assert_eq!(in_several(&programs), 2, "1 and 2, not 2 twice in one program nor 3");
        assert_eq!(in_several(&[vec![AccountId(4), AccountId(4)]]), 0);
    }

    use super::*;
    use crate::event::Mode;

    #[test]
    fn shares_round_as_the_report_prints_them() {
        let parts = [66, 36, 12, 106, 29, 1];
        let printed: Vec<String> = parts.iter().map(|p| share(*p, 250)).collect();
        assert_eq!(printed, ["26%", "14%", "5%", "42%", "12%", "0.4%"]);
        assert_eq!(share(0, 250), "0%");
        assert_eq!(share(1, 0), "—");
    }

    #[test]
    fn factors() {
        assert_eq!(factor(45, 94).as_deref(), Some("×2.1"));
        assert_eq!(factor(0, 5), None);
    }

    #[test]
    fn diversity_is_zero_for_one_sector_and_highest_when_even() {
        assert_eq!(SectorCounts([7, 0, 0, 0, 0, 0]).diversity(), Some(0.0));
        let even = SectorCounts([1, 1, 1, 1, 1, 1]).diversity().unwrap();
        assert!((even - 5.0 / 6.0).abs() < 1e-9);
        assert_eq!(SectorCounts::default().diversity(), None);
    }

    #[test]
    fn unknown_first_times_leave_the_known_ones_in_the_year() {
        let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        let events = vec![
            EventCounts {
                id: EventId(1),
                starts_at: t("2023-12-21T10:00:00Z"),
                title: "a".into(),
                groups: vec![
                    (Sector::Npo, Mode::Venue, Some(true), 3),
                    (Sector::Citizen, Mode::Online, Some(false), 2),
                ],
            },
            EventCounts {
                id: EventId(2),
                starts_at: t("2023-12-26T10:00:00Z"),
                title: "b".into(),
                groups: vec![(Sector::Citizen, Mode::Online, None, 7)],
            },
            EventCounts {
                id: EventId(3),
                starts_at: t("2024-01-18T10:00:00Z"),
                title: "c".into(),
                groups: vec![(Sector::Npo, Mode::Venue, Some(true), 5), (Sector::Citizen, Mode::Venue, None, 2)],
            },
        ];
        let (lines, totals) = tally(&events, 4);
        assert_eq!(lines[0].tally.first_timers, Some(3));
        assert_eq!(lines[1].tally.first_timers, None, "an anonymous session shows —");
        assert_eq!((lines[2].tally.first_timers, lines[2].tally.first_time_unknown), (Some(5), 2));
        assert_eq!((totals.participants, totals.first_timers, totals.events), (19, 8, 3));
        assert_eq!(totals.first_time_unknown, 9);
        assert_eq!(totals.sectors.get(Sector::Citizen), 11);
        assert_eq!(lines[1].number, 2);
        let json = serde_json::to_value(&lines[2]).unwrap();
        assert_eq!(json["first_timers"], 5);
        assert_eq!(json["first_time_unknown"], 2);
        assert_eq!(serde_json::to_value(&lines[1]).unwrap()["first_timers"], serde_json::Value::Null);
    }
}
