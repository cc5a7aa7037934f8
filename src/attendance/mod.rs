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
use crate::sector::{Sector, SectorCounts};

pub mod checkin;
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

crate::text_code!(Source {
    Checkin = "checkin",
    Walkin = "walkin",
    SelfCheckin = "self",
    Online = "online",
    Import = "import",
});

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

/// What is known of a person's first time (初参加) when an attendance is recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FirstTime {
    /// Said at the door or written in a roster: yes, no, or not known (—).
    Given(Option<bool>),
    /// To be told from the person's history on the platform.
    FromHistory,
}

/// The first-time rule, decided here only (check-in, walk-ins, self check-in, the online
/// link and roster imports all record through [`store::record`], which asks this): a
/// value given at the door or in a roster wins, and — stays unknown; otherwise a person
/// told apart by an account or an e-mail (`attended_before` is `Some`) is a first-timer
/// unless they attended an earlier session of the center; anyone else is unknown.
/// Unknown is never counted as a first time.
pub fn first_time(claim: FirstTime, attended_before: Option<bool>) -> Option<bool> {
    match claim {
        FirstTime::Given(given) => given,
        FirstTime::FromHistory => attended_before.map(|before| !before),
    }
}

/// What to record.
#[derive(Clone, Debug)]
pub struct NewAttendance {
    pub person: Option<crate::person::PersonId>,
    pub registration: Option<crate::registration::RegistrationId>,
    pub sector: Sector,
    pub mode: Mode,
    pub first_time: FirstTime,
    pub source: Source,
    /// What identifies a roster line across imports of the same file.
    pub import_key: Option<String>,
}

impl NewAttendance {
    /// The anonymity rule, decided here only: at an anonymous session (顔出しなし・匿名)
    /// nobody's identity is kept. The attendance is a 市民 whose first time is unknown,
    /// tied to no person; only its mode, source and registration (which keeps no person
    /// either) remain.
    pub fn at(self, anonymous_event: bool) -> NewAttendance {
        if !anonymous_event {
            return self;
        }
        NewAttendance { person: None, sector: Sector::Citizen, first_time: FirstTime::Given(None), ..self }
    }
}

/// Attendances counted by (sector, mode, first time).
pub type Group = (Sector, Mode, Option<bool>, i64);

/// One session's count: participants (のべ人数), first-timers and participants by sector
/// and mode. The same tally serves a session's own statistics and every line of the
/// annual report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Tally {
    /// Attendances (のべ人数).
    pub participants: i64,
    /// First-timers among the attendances whose first time is known; `None` (shown —)
    /// only when no one's first time is known (an anonymous session).
    pub first_timers: Option<i64>,
    /// Attendances whose first time is unknown (walk-ins not asked, anonymous sessions).
    pub first_time_unknown: i64,
    /// Attendances per sector.
    pub sectors: SectorCounts,
    pub venue: i64,
    pub online: i64,
}

impl Tally {
    /// Tallies (sector, mode, first time, count) groups.
    pub fn of(groups: &[Group]) -> Tally {
        let mut t = Tally::default();
        let mut first = 0;
        for &(sector, mode, first_time, n) in groups {
            t.participants += n;
            t.sectors.add(sector, n);
            match mode {
                Mode::Venue => t.venue += n,
                Mode::Online => t.online += n,
            }
            match first_time {
                Some(true) => first += n,
                Some(false) => {}
                None => t.first_time_unknown += n,
            }
        }
        t.first_timers = (t.first_time_unknown < t.participants).then_some(first);
        t
    }

    /// The first-timers as the report prints them: 5, 5（不明 2） when some first times
    /// are unknown, — when none is known.
    pub fn first_timers_label(&self, lang: crate::i18n::Lang) -> String {
        match self.first_timers {
            None => "—".to_owned(),
            Some(n) if self.first_time_unknown == 0 => n.to_string(),
            Some(n) => lang.t_args(
                "stats-first-timers-with-unknown",
                &[("known", &n.to_string()), ("unknown", &self.first_time_unknown.to_string())],
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_first_time_wins_and_unknown_stays_unknown() {
        assert_eq!(first_time(FirstTime::Given(Some(false)), Some(false)), Some(false));
        assert_eq!(first_time(FirstTime::Given(None), Some(false)), None, "— in a roster stays unknown");
        assert_eq!(first_time(FirstTime::FromHistory, Some(false)), Some(true));
        assert_eq!(first_time(FirstTime::FromHistory, Some(true)), Some(false));
        assert_eq!(first_time(FirstTime::FromHistory, None), None);
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
    fn unknown_first_times_leave_the_known_ones_counted() {
        // An anonymous session: nobody's first time is known.
        let s = Tally::of(&[(Sector::Citizen, Mode::Online, None, 7)]);
        assert_eq!((s.participants, s.first_timers, s.first_time_unknown), (7, None, 7));
        assert_eq!(s.sectors.get(Sector::Citizen), 7);
        assert_eq!(s.first_timers_label(crate::i18n::Lang::Ja), "—");
        // Everyone known.
        let s =
            Tally::of(&[(Sector::Npo, Mode::Venue, Some(true), 3), (Sector::Company, Mode::Online, Some(false), 2)]);
        assert_eq!((s.participants, s.first_timers, s.venue, s.online), (5, Some(3), 3, 2));
        assert_eq!(s.first_timers_label(crate::i18n::Lang::Ja), "3");
        // Two walk-ins not asked in an ordinary session: the known first-timers still count.
        let s = Tally::of(&[
            (Sector::Npo, Mode::Venue, Some(true), 5),
            (Sector::Citizen, Mode::Venue, Some(false), 4),
            (Sector::Citizen, Mode::Venue, None, 2),
        ]);
        assert_eq!((s.participants, s.first_timers, s.first_time_unknown), (11, Some(5), 2));
        assert_eq!(s.first_timers_label(crate::i18n::Lang::Ja), "5（不明 2）");
        assert_eq!(s.first_timers_label(crate::i18n::Lang::En), "5 (2 unknown)");
    }

    #[test]
    fn an_anonymous_session_keeps_nobody() {
        let new = NewAttendance {
            person: Some(crate::person::PersonId(4)),
            registration: None,
            sector: Sector::Npo,
            mode: Mode::Venue,
            first_time: FirstTime::Given(Some(true)),
            source: Source::Walkin,
            import_key: None,
        };
        let kept = new.clone().at(true);
        assert_eq!((kept.person, kept.sector, kept.first_time), (None, Sector::Citizen, FirstTime::Given(None)));
        assert_eq!(new.clone().at(false).person, new.person);
    }
}
