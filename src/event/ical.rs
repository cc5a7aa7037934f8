//! iCalendar (RFC 5545) for calendar apps: a feed of the tenant's published events and
//! one file per event. The online meeting address is never included: it goes only to
//! registered people.

use std::borrow::Cow;

use icalendar::{Calendar, Component, EventLike, EventStatus};

use super::{Event, Status};
use crate::validate::is_stray_control;

/// Text for a TEXT property (a title, a place, a description): every line break (CR LF, a
/// lone CR or a lone LF) as one LF, which the icalendar crate writes as the escaped `\n`,
/// and no other control character but tab (RFC 5545 allows none in TEXT). The crate
/// escapes LF but passes CR through as it is, and many readers end a line at a bare CR:
/// a description typed in a text area (browsers send CR LF) or a CR put into a title
/// would break the file's lines, and could start a property of its own.
fn text(s: &str) -> Cow<'_, str> {
    if !s.contains(|c: char| c == '\r' || is_stray_control(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push('\n');
            }
            c if is_stray_control(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn to_ical(event: &Event, base_url: &str, host: &str) -> icalendar::Event {
    let url = format!("{base_url}/events/{}", event.id.0);
    let mut e = icalendar::Event::new();
    e.uid(&format!("event-{}@{host}", event.id.0))
        .summary(&text(&event.title))
        .starts(event.starts_at)
        .ends(event.ends_at)
        .url(&url)
        .description(&format!("{}\n\n{url}", text(&event.description)));
    if !event.venue.is_empty() {
        e.location(&text(&event.venue));
    } else {
        e.location(&url);
    }
    if event.status == Status::Cancelled {
        e.status(EventStatus::Cancelled);
    } else {
        e.status(EventStatus::Confirmed);
    }
    e.done()
}

/// A calendar holding `events`, named after the center. Line breaks inside text are
/// written escaped (`\n`); the file has no CR but those that end its lines.
pub fn calendar(center: &str, events: &[Event], base_url: &str) -> String {
    let host = url::Url::parse(base_url).ok().and_then(|u| u.host_str().map(str::to_owned)).unwrap_or_default();
    let mut cal = Calendar::new();
    // The crate writes the name as it is (NAME and X-WR-CALNAME are not escaped as TEXT):
    // a name is one line.
    cal.name(&text(center).replace('\n', " ")).timezone("Asia/Tokyo");
    for e in events {
        cal.push(to_ical(e, base_url, &host));
    }
    cal.done().to_string()
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::event::{EventId, EventKind};
    use crate::tenant::TenantId;

    fn event(title: &str, venue: &str, description: &str) -> Event {
        let starts_at = Utc.with_ymd_and_hms(2024, 4, 18, 10, 0, 0).unwrap();
        Event {
            id: EventId(7),
            tenant_id: TenantId(1),
            kind: EventKind::InfoExchange,
            title: title.to_owned(),
            description: description.to_owned(),
            description_html: String::new(),
            starts_at,
            ends_at: starts_at + chrono::TimeDelta::minutes(90),
            venue: venue.to_owned(),
            online_url: String::new(),
            venue_capacity: None,
            online_capacity: None,
            anonymous: false,
            fee_yen: 0,
            registration_closes_at: None,
            status: Status::Published,
            checkin_code: String::new(),
            cohosts: Vec::new(),
            social_issue_id: None,
            lab_id: None,
            held_modes: Vec::new(),
        }
    }

    #[test]
    fn line_breaks_inside_text_are_escaped_and_no_bare_cr_reaches_the_file() {
        let e = event("一行目\rSUMMARY:偽物", "会場\r\nLOCATION:偽物", "説明1\r\n説明2\r説明3\n説明4\u{0}");
        let ics = calendar("センター\rX-INJECTED:1", &[e], "https://hub.example.jp");
        for (i, _) in ics.match_indices('\r') {
            assert_eq!(ics.as_bytes().get(i + 1), Some(&b'\n'), "a CR that does not end a line, at {i}: {ics:?}");
        }
        assert!(!ics.contains('\0'), "{ics:?}");
        let lines: Vec<&str> = ics.split("\r\n").collect();
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains("\r\nSUMMARY:一行目\\nSUMMARY:偽物\r\n"), "{unfolded}");
        assert!(unfolded.contains("\r\nLOCATION:会場\\nLOCATION:偽物\r\n"), "{unfolded}");
        assert!(
            unfolded.contains("\r\nDESCRIPTION:説明1\\n説明2\\n説明3\\n説明4\\n\\nhttps://hub.example.jp/events/7\r\n"),
            "{unfolded}"
        );
        assert!(!lines.iter().any(|l| l.starts_with("X-INJECTED")), "{ics:?}");
        assert!(unfolded.contains("\r\nX-WR-CALNAME:センター X-INJECTED:1\r\n"), "{unfolded}");
    }
}
