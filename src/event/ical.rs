//! iCalendar (RFC 5545) for calendar apps: a feed of the tenant's published events and
//! one file per event. The online meeting address is never included: it goes only to
//! registered people.

use icalendar::{Calendar, Component, EventLike, EventStatus};

use super::{Event, Status};

fn to_ical(event: &Event, base_url: &str, host: &str) -> icalendar::Event {
    let url = format!("{base_url}/events/{}", event.id.0);
    let mut e = icalendar::Event::new();
    e.uid(&format!("event-{}@{host}", event.id.0))
        .summary(&event.title)
        .starts(event.starts_at)
        .ends(event.ends_at)
        .url(&url)
        .description(&format!("{}\n\n{url}", event.description));
    if !event.venue.is_empty() {
        e.location(&event.venue);
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

/// A calendar holding `events`, named after the center.
pub fn calendar(center: &str, events: &[Event], base_url: &str) -> String {
    let host = url::Url::parse(base_url).ok().and_then(|u| u.host_str().map(str::to_owned)).unwrap_or_default();
    let mut cal = Calendar::new();
    cal.name(center).timezone("Asia/Tokyo");
    for e in events {
        cal.push(to_ical(e, base_url, &host));
    }
    cal.done().to_string()
}
