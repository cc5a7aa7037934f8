//! The event form as typed, and its validation into an [`EventDraft`]: dates as people
//! type them, times, capacities, the fee (参加費) and the registration deadline (申込締切).

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use super::{Event, EventDraft, EventKind};
use crate::i18n::{normalize_identifier, wareki};
use crate::validate::FieldErrors;

/// The event form as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct EventForm {
    pub kind: String,
    pub title: String,
    pub description: String,
    /// YYYY-MM-DD, Japan date.
    pub date: String,
    /// The last day, for a session over several days; empty for one day.
    pub end_date: String,
    /// HH:MM, Japan time.
    pub start_time: String,
    pub end_time: String,
    pub venue: String,
    pub online_url: String,
    pub venue_capacity: String,
    pub online_capacity: String,
    pub anonymous: Option<String>,
    /// 参加費 in yen: empty or 0 is free; 1,000 and １０００円 are read too.
    pub fee: String,
    /// 申込締切: the last day to register, or empty (until the session ends).
    pub deadline: String,
    /// One organisation per line.
    pub cohosts: String,
    /// The id of the social issue it takes up, or empty.
    pub social_issue: String,
    /// The id of the lab it belongs to, or empty.
    pub lab: String,
}

impl EventForm {
    /// The form filled with an event's values, for editing.
    pub fn of(e: &Event) -> EventForm {
        let tz = wareki::jst();
        EventForm {
            kind: e.kind.code().to_owned(),
            title: e.title.clone(),
            description: e.description.clone(),
            date: e.starts_at.with_timezone(&tz).format("%Y-%m-%d").to_string(),
            end_date: if e.is_multi_day() {
                e.ends_at.with_timezone(&tz).format("%Y-%m-%d").to_string()
            } else {
                String::new()
            },
            start_time: e.starts_at.with_timezone(&tz).format("%H:%M").to_string(),
            end_time: e.ends_at.with_timezone(&tz).format("%H:%M").to_string(),
            venue: e.venue.clone(),
            online_url: e.online_url.clone(),
            venue_capacity: e.venue_capacity.map(|c| c.to_string()).unwrap_or_default(),
            online_capacity: e.online_capacity.map(|c| c.to_string()).unwrap_or_default(),
            anonymous: e.anonymous.then(|| "yes".to_owned()),
            fee: if e.fee_yen == 0 { String::new() } else { e.fee_yen.to_string() },
            deadline: e.deadline_day().map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
            cohosts: e.cohosts.join("\n"),
            social_issue: e.social_issue_id.map(|i| i.0.to_string()).unwrap_or_default(),
            lab: e.lab_id.map(|l| l.0.to_string()).unwrap_or_default(),
        }
    }

    /// A fresh form for a monthly 情報交換会: 19:00–20:30.
    pub fn new_default() -> EventForm {
        EventForm {
            kind: EventKind::InfoExchange.code().to_owned(),
            start_time: "19:00".into(),
            end_time: "20:30".into(),
            ..EventForm::default()
        }
    }

    /// Validates the form.
    ///
    /// # Errors
    /// Every field's problem, in form order.
    pub fn validate(&self) -> Result<EventDraft, FieldErrors> {
        let mut errors = FieldErrors::default();
        let kind = EventKind::from_code(&self.kind);
        if kind.is_none() {
            errors.add("kind", "event-error-kind");
        }
        let title = self.title.trim();
        if title.is_empty() {
            errors.add("title", "event-error-title-required");
        } else if title.chars().count() > 200 {
            errors.add("title", "event-error-title-long");
        }
        if self.description.chars().count() > 20_000 {
            errors.add("description", "event-error-description-long");
        }
        let date = errors.date("date", &self.date, "event-error-date-required", "event-error-date");
        // A session over several days (a two-day study visit) ends on its last day.
        let end_date = match self.end_date.trim() {
            "" => date,
            s => match (parse_date(s), date) {
                (Some(last), Some(first)) if last >= first && (last - first).num_days() <= 31 => Some(last),
                (Some(_), None) => None,
                _ => {
                    errors.add("end_date", "event-error-end-date");
                    None
                }
            },
        };
        let start = parse_time(&self.start_time);
        if start.is_none() {
            errors.add("start_time", "event-error-time");
        }
        let end = parse_time(&self.end_time);
        if end.is_none() {
            errors.add("end_time", "event-error-time");
        } else if let (Some(start), Some(end)) = (start, end)
            // Days that could not be read are taken as one day: the times still compare.
            && (end_date.or(date), end) <= (date, start)
        {
            errors.add("end_time", "event-error-end-before-start");
        }
        let venue = self.venue.trim();
        let online_url = normalize_identifier(&self.online_url);
        if venue.is_empty() && online_url.is_empty() {
            errors.add("venue", "event-error-place-required");
        }
        if !online_url.is_empty()
            && !url::Url::parse(&online_url).is_ok_and(|u| matches!(u.scheme(), "https" | "http") && u.host().is_some())
        {
            errors.add("online_url", "event-error-online-url");
        }
        let venue_capacity = parse_capacity(&self.venue_capacity);
        if venue_capacity.is_err() {
            errors.add("venue_capacity", "event-error-capacity");
        }
        let online_capacity = parse_capacity(&self.online_capacity);
        if online_capacity.is_err() {
            errors.add("online_capacity", "event-error-capacity");
        }
        let fee_yen = parse_fee(&self.fee);
        if fee_yen.is_none() {
            errors.add("fee", "event-error-fee");
        }
        let deadline = match self.deadline.trim() {
            "" => Ok(None),
            s => match (parse_date(s), date) {
                (Some(d), Some(first)) if d <= end_date.unwrap_or(first) => Ok(Some(d)),
                (Some(_), None) => Ok(None),
                _ => Err(()),
            },
        };
        if deadline.is_err() {
            errors.add("deadline", "event-error-deadline");
        }
        let cohosts: Vec<String> =
            self.cohosts.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
        if cohosts.len() > 20 || cohosts.iter().any(|c| c.chars().count() > 200) {
            errors.add("cohosts", "event-error-cohosts");
        }
        let social_issue_id = match self.social_issue.trim() {
            "" => Ok(None),
            s => s.parse::<i64>().map(|i| Some(crate::social_issue::SocialIssueId(i))),
        };
        if social_issue_id.is_err() {
            errors.add("social_issue", "event-error-issue");
        }
        let lab_id = match self.lab.trim() {
            "" => None,
            s => match s.parse::<i64>() {
                Ok(i) => Some(crate::lab::LabId(i)),
                Err(_) => {
                    errors.add("lab", "event-error-lab");
                    None
                }
            },
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let (
            Some(kind),
            Some(date),
            Some(end_date),
            Some(start),
            Some(end),
            Ok(venue_capacity),
            Ok(online_capacity),
            Ok(social_issue_id),
            Some(fee_yen),
            Ok(deadline),
        ) = (kind, date, end_date, start, end, venue_capacity, online_capacity, social_issue_id, fee_yen, deadline)
        else {
            return Err(errors);
        };
        Ok(EventDraft {
            kind,
            title: title.to_owned(),
            description: self.description.trim().to_owned(),
            starts_at: japan_instant(date, start),
            ends_at: japan_instant(end_date, end),
            venue: venue.to_owned(),
            online_url,
            venue_capacity,
            online_capacity,
            anonymous: self.anonymous.is_some(),
            fee_yen,
            registration_closes_at: deadline.map(|d| japan_instant(d + chrono::Days::new(1), NaiveTime::MIN)),
            cohosts,
            social_issue_id,
            lab_id,
        })
    }
}

/// A fee as typed: empty is free (0); digits, full-width or with 円 and thousands commas
/// (１，０００円), up to 1,000,000 yen.
pub fn parse_fee(s: &str) -> Option<i64> {
    let s = normalize_identifier(s);
    let s = s.strip_suffix('円').unwrap_or(&s).replace(',', "");
    match s.trim() {
        "" | "無料" => Some(0),
        n => n.parse::<i64>().ok().filter(|n| (0..=1_000_000).contains(n)),
    }
}

/// A Japan date and time as a UTC instant.
pub fn japan_instant(date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    date.and_time(time).and_local_timezone(wareki::jst()).single().expect("UTC+9 has no gaps").with_timezone(&Utc)
}

/// A date as people type it: 2024-04-18, 2024/4/18, 令和6年4月18日 ([`wareki::parse_date`]).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    wareki::parse_date(s)
}

/// HH:MM, full-width digits allowed.
pub fn parse_time(s: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(&normalize_identifier(s), "%H:%M").ok()
}

/// Empty is no limit; otherwise a whole number from 0 to 100000.
fn parse_capacity(s: &str) -> Result<Option<i64>, ()> {
    let s = normalize_identifier(s);
    if s.is_empty() {
        return Ok(None);
    }
    match s.parse::<i64>() {
        Ok(n) if (0..=100_000).contains(&n) => Ok(Some(n)),
        _ => Err(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{EventId, Status};
    use crate::i18n::Lang;
    use crate::tenant::TenantId;

    fn form() -> EventForm {
        EventForm {
            title: "健常と障害の間".into(),
            date: "２０２３-１１-１６".into(),
            venue: "仙台市市民活動サポートセンター".into(),
            online_url: "https://zoom.example/j/1".into(),
            venue_capacity: "３０".into(),
            ..EventForm::new_default()
        }
    }

    #[test]
    fn a_valid_form_becomes_an_event_in_japan_time() {
        let d = form().validate().unwrap();
        assert_eq!(d.starts_at.to_rfc3339(), "2023-11-16T10:00:00+00:00");
        assert_eq!(d.ends_at.to_rfc3339(), "2023-11-16T11:30:00+00:00");
        assert_eq!(d.venue_capacity, Some(30));
        assert_eq!(d.online_capacity, None);
        assert_eq!(d.kind, EventKind::InfoExchange);
    }

    #[test]
    fn fees_and_deadlines_are_read_as_typed() {
        for (typed, yen) in [("", 0), ("0", 0), ("無料", 0), ("500", 500), ("１，０００円", 1000), ("1,000", 1000)]
        {
            assert_eq!(parse_fee(typed), Some(yen), "{typed}");
        }
        for typed in ["-1", "五百円", "1000000000", "500ドル", "5.5"] {
            assert_eq!(parse_fee(typed), None, "{typed}");
        }
        let d =
            EventForm { fee: "１，５００円".into(), deadline: "令和5年11月15日".into(), ..form() }.validate().unwrap();
        assert_eq!(d.fee_yen, 1500);
        // The end of the deadline's day in Japan: 2023-11-16 00:00 JST.
        assert_eq!(d.registration_closes_at.unwrap().to_rfc3339(), "2023-11-15T15:00:00+00:00");
        // Up to the session's day; not after it, and it must be a date.
        assert!(EventForm { deadline: "2023-11-16".into(), ..form() }.validate().is_ok());
        for deadline in ["2023-11-17", "来週"] {
            let errors = EventForm { deadline: deadline.into(), ..form() }.validate().unwrap_err();
            assert_eq!(
                errors.0.iter().map(|e| (e.field, e.message)).collect::<Vec<_>>(),
                [("deadline", "event-error-deadline")]
            );
        }
        let errors = EventForm { fee: "五百円".into(), ..form() }.validate().unwrap_err();
        assert_eq!(errors.0.iter().map(|e| e.field).collect::<Vec<_>>(), ["fee"]);
        // The form shows an event's fee and deadline again as they were typed.
        let event = event_of(d);
        assert_eq!(event.fee_label(Lang::Ja), "1,500円");
        assert_eq!(event.deadline_day().unwrap().to_string(), "2023-11-15");
        let again = EventForm::of(&event);
        assert_eq!((again.fee.as_str(), again.deadline.as_str()), ("1500", "2023-11-15"));
    }

    fn event_of(d: EventDraft) -> Event {
        Event {
            id: EventId(1),
            tenant_id: TenantId(1),
            kind: d.kind,
            title: d.title,
            description: String::new(),
            description_html: String::new(),
            starts_at: d.starts_at,
            ends_at: d.ends_at,
            venue: d.venue,
            online_url: d.online_url,
            venue_capacity: d.venue_capacity,
            online_capacity: d.online_capacity,
            anonymous: false,
            fee_yen: d.fee_yen,
            registration_closes_at: d.registration_closes_at,
            status: Status::Published,
            checkin_code: String::new(),
            cohosts: Vec::new(),
            social_issue_id: None,
            lab_id: None,
            held_modes: Vec::new(),
        }
    }

    #[test]
    fn times_are_shown_in_japan_time_with_two_digits() {
        let f = EventForm { start_time: "9:05".into(), end_time: "10:30".into(), ..form() };
        let event = event_of(f.validate().unwrap());
        assert_eq!(event.time_label(), "09:05–10:30");
        assert_eq!(event.date_label(Lang::Ja), "令和5年11月16日（木）");
    }

    #[test]
    fn every_problem_is_reported() {
        let f = EventForm {
            kind: "party".into(),
            title: " ".into(),
            date: "2023-13-01".into(),
            start_time: "20:00".into(),
            end_time: "19:00".into(),
            online_url: "javascript:alert(1)".into(),
            venue_capacity: "-1".into(),
            ..EventForm::default()
        };
        let fields: Vec<_> = f.validate().unwrap_err().0.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["kind", "title", "date", "end_time", "online_url", "venue_capacity"]);
    }
}
