//! Attendances (参加): who took part in an event, by sector, at the venue or online, and
//! whether it was their first time (初参加). An attendance records its own sector, so the
//! statistics stay as they were counted even when a person's profile changes later.
//!
//! First time is decided by the person's history (account, or normalised e-mail for
//! guests); a value given explicitly at check-in or by an import wins; someone whose
//! history cannot be told (anonymous, or a walk-in who gave no address, even with a name)
//! stays unknown, and unknown is never counted as first time.
//!
//! Self check-in opens at the start of the session and closes two hours after its end;
//! the online join link records attendance from 30 minutes before the start, when people
//! come into the meeting. The secretariat's own check-in is never gated by time.

use chrono::{DateTime, TimeDelta, Utc};

use crate::event::Mode;
use crate::sector::Sector;

pub mod store;
pub mod web;

/// How an attendance was recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// Marked by the secretariat from the registration list.
    Checkin,
    /// Someone who came without registering.
    Walkin,
    /// Self check-in with the code shown at the venue.
    SelfCheckin,
    /// Joined online through their registration's link.
    Online,
    /// From a roster file.
    Import,
}

impl Source {
    pub fn code(self) -> &'static str {
        match self {
            Source::Checkin => "checkin",
            Source::Walkin => "walkin",
            Source::SelfCheckin => "self",
            Source::Online => "online",
            Source::Import => "import",
        }
    }
}

/// How long after the end of a session people can still check themselves in or join.
pub const GRACE_AFTER_END: TimeDelta = TimeDelta::hours(2);
/// How long before the start the online join link already records attendance.
pub const JOIN_BEFORE_START: TimeDelta = TimeDelta::minutes(30);

/// Where a session's self check-in stands at a moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Door {
    /// Before the start: opens at the start time.
    NotYet,
    Open,
    /// After the end and its grace (or the session is not published).
    Closed,
}

/// Whether self check-in of a published session running from `starts_at` to `ends_at`
/// takes people at `now`: from the start until [`GRACE_AFTER_END`] after the end.
pub fn self_checkin_door(starts_at: DateTime<Utc>, ends_at: DateTime<Utc>, now: DateTime<Utc>) -> Door {
    if now > ends_at + GRACE_AFTER_END {
        Door::Closed
    } else if now < starts_at {
        Door::NotYet
    } else {
        Door::Open
    }
}

/// Whether the online join link of a published session records attendance at `now`:
/// from [`JOIN_BEFORE_START`] before the start until [`GRACE_AFTER_END`] after the end.
pub fn join_records(starts_at: DateTime<Utc>, ends_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now >= starts_at - JOIN_BEFORE_START && now <= ends_at + GRACE_AFTER_END
}

/// Whether it is a person's first time: the explicit value if given, else from history
/// when the person is known, else unknown.
pub fn first_time(explicit: Option<bool>, known_person: bool, attended_before: bool) -> Option<bool> {
    explicit.or(known_person.then_some(!attended_before))
}

/// Attendances counted by (sector, mode, first time).
pub type Group = (Sector, Mode, Option<bool>, i64);

/// An event's statistics, as the annual report counts them.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct EventStats {
    /// Attendances (のべ人数).
    pub participants: i64,
    /// First-timers; `None` when any attendance's first time is unknown (shown as —).
    pub first_timers: Option<i64>,
    /// Attendances whose first time is unknown.
    pub first_time_unknown: i64,
    /// Attendances per sector, in [`Sector::ALL`] order.
    pub sectors: Vec<(Sector, i64)>,
    pub venue: i64,
    pub online: i64,
}

impl EventStats {
    /// Tallies (sector, mode, first time, count) groups.
    pub fn tally(groups: &[Group]) -> EventStats {
        let sum = |f: &dyn Fn(&Group) -> bool| groups.iter().filter(|g| f(g)).map(|g| g.3).sum::<i64>();
        let unknown = sum(&|g| g.2.is_none());
        EventStats {
            participants: sum(&|_| true),
            first_timers: (unknown == 0).then(|| sum(&|g| g.2 == Some(true))),
            first_time_unknown: unknown,
            sectors: Sector::ALL.iter().map(|s| (*s, sum(&|g| g.0 == *s))).collect(),
            venue: sum(&|g| g.1 == Mode::Venue),
            online: sum(&|g| g.1 == Mode::Online),
        }
    }

    pub fn sector(&self, sector: Sector) -> i64 {
        self.sectors.iter().find(|(s, _)| *s == sector).map_or(0, |(_, n)| *n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_first_time_wins_and_unknown_stays_unknown() {
        assert_eq!(first_time(Some(false), true, false), Some(false));
        assert_eq!(first_time(None, true, false), Some(true));
        assert_eq!(first_time(None, true, true), Some(false));
        assert_eq!(first_time(None, false, false), None);
    }

    #[test]
    fn self_check_in_opens_at_the_start_and_closes_after_the_grace() {
        let start = DateTime::parse_from_rfc3339("2024-04-18T10:00:00Z").unwrap().to_utc();
        let end = start + TimeDelta::minutes(90);
        let at = |minutes: i64| start + TimeDelta::minutes(minutes);
        let door = |minutes: i64| self_checkin_door(start, end, at(minutes));
        assert_eq!(door(-30), Door::NotYet);
        assert_eq!(door(-1), Door::NotYet);
        assert_eq!(door(0), Door::Open);
        assert_eq!(door(90 + 120), Door::Open);
        assert_eq!(door(90 + 121), Door::Closed);
        // People come into an online meeting a little early.
        assert!(join_records(start, end, at(-30)));
        assert!(!join_records(start, end, at(-31)));
        assert!(join_records(start, end, at(90 + 120)));
        assert!(!join_records(start, end, at(90 + 121)));
    }

    #[test]
    fn unknown_first_times_make_the_count_unknown() {
        let s = EventStats::tally(&[(Sector::Citizen, Mode::Online, None, 7)]);
        assert_eq!(s.participants, 7);
        assert_eq!(s.first_timers, None);
        assert_eq!(s.sector(Sector::Citizen), 7);
        let s = EventStats::tally(&[
            (Sector::Npo, Mode::Venue, Some(true), 3),
            (Sector::Company, Mode::Online, Some(false), 2),
        ]);
        assert_eq!((s.participants, s.first_timers, s.venue, s.online), (5, Some(3), 3, 2));
    }
}
