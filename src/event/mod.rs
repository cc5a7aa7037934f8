//! Events (セッション): 情報交換会 and the other gatherings (勉強会, 報告会, 研修,
//! 事務局ミーティング), held at the venue, online, or both at once. This file holds the
//! types and the validation of the event form; SQL is in `store.rs`, pages in `web.rs`
//! and `admin.rs`, the calendar feed in `ical.rs`, open data in `opendata.rs`.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use crate::i18n::{Lang, normalize_identifier, wareki};
use crate::tenant::TenantId;
use crate::validate::FieldErrors;

pub mod admin;
pub mod ical;
pub mod opendata;
pub mod store;
pub mod web;

/// An event's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sqlx::Type, serde::Serialize, serde::Deserialize)]
#[sqlx(transparent)]
pub struct EventId(pub i64);

/// What kind of gathering an event is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// 情報交換会: the monthly hybrid meeting.
    InfoExchange,
    /// 勉強会
    Study,
    /// 報告会
    Report,
    /// 研修
    Training,
    /// 事務局ミーティング
    SecretariatMeeting,
}

crate::text_code!(EventKind {
    InfoExchange = "info_exchange",
    Study = "study",
    Report = "report",
    Training = "training",
    SecretariatMeeting = "secretariat_meeting",
});

impl EventKind {
    /// The Japanese name, as written in rosters (情報交換会 …).
    pub fn label_ja(self) -> &'static str {
        match self {
            EventKind::InfoExchange => "情報交換会",
            EventKind::Study => "勉強会",
            EventKind::Report => "報告会",
            EventKind::Training => "研修",
            EventKind::SecretariatMeeting => "事務局ミーティング",
        }
    }

    /// Parses a Japanese name or a code.
    pub fn from_label(label: &str) -> Option<EventKind> {
        let l = normalize_identifier(label);
        EventKind::ALL.into_iter().find(|k| k.label_ja() == l || k.code() == l)
    }

    /// Whether events of this kind are the center's own business: counted in the report,
    /// never shown to the public (not in the lists, the calendar feed or the open data).
    pub fn is_internal(self) -> bool {
        self == EventKind::SecretariatMeeting
    }

    pub fn label(self, lang: Lang) -> std::borrow::Cow<'static, str> {
        lang.t(match self {
            EventKind::InfoExchange => "event-kind-info-exchange",
            EventKind::Study => "event-kind-study",
            EventKind::Report => "event-kind-report",
            EventKind::Training => "event-kind-training",
            EventKind::SecretariatMeeting => "event-kind-secretariat-meeting",
        })
    }
}

/// Where a person takes part.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// 会場: at the venue.
    Venue,
    /// オンライン: on Zoom or similar.
    Online,
}

crate::text_code!(Mode { Venue = "venue", Online = "online" });

impl Mode {
    /// Parses 会場 / オンライン as written in rosters, or a code.
    pub fn from_label(label: &str) -> Option<Mode> {
        match normalize_identifier(label).to_lowercase().as_str() {
            "会場" | "来場" | "venue" => Some(Mode::Venue),
            "オンライン" | "zoom" | "online" => Some(Mode::Online),
            _ => None,
        }
    }

    pub fn label(self, lang: Lang) -> std::borrow::Cow<'static, str> {
        lang.t(match self {
            Mode::Venue => "event-mode-venue",
            Mode::Online => "event-mode-online",
        })
    }
}

/// Whether an event is visible and open.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Draft,
    Published,
    Cancelled,
}

crate::text_code!(Status { Draft = "draft", Published = "published", Cancelled = "cancelled" });

impl Status {
    pub fn label(self, lang: Lang) -> std::borrow::Cow<'static, str> {
        lang.t(match self {
            Status::Draft => "event-status-draft",
            Status::Published => "event-status-published",
            Status::Cancelled => "event-status-cancelled",
        })
    }
}

/// An event of one tenant.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Event {
    pub id: EventId,
    #[serde(skip)]
    pub tenant_id: TenantId,
    pub kind: EventKind,
    pub title: String,
    /// Markdown, as written.
    pub description: String,
    /// The description rendered and sanitised when it was saved (no scripts, no styles).
    #[serde(skip)]
    pub description_html: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// Where it is held; empty when online only.
    pub venue: String,
    /// The online meeting's address; empty when at the venue only. Shown only to
    /// registered people.
    #[serde(skip)]
    pub online_url: String,
    /// Seats at the venue; `None` is no limit.
    pub venue_capacity: Option<i64>,
    /// Places online; `None` is no limit.
    pub online_capacity: Option<i64>,
    /// 顔出しなし・匿名: no name or e-mail is asked or kept.
    pub anonymous: bool,
    /// 参加費 in yen; 0 is free.
    pub fee_yen: i64,
    /// 申込締切: registration closes at this moment (the end of the deadline's day, Japan
    /// time); `None`: open until the session ends.
    pub registration_closes_at: Option<DateTime<Utc>>,
    pub status: Status,
    /// Short code people type (or scan as a QR code) to check themselves in.
    #[serde(skip)]
    pub checkin_code: String,
    /// Co-hosting organisations (e.g. NPO法人底上げ).
    pub cohosts: Vec<String>,
    /// The social issue this session takes up, if any.
    pub social_issue_id: Option<crate::social_issue::SocialIssueId>,
    /// The lab this session belongs to (a lab's study session), if any.
    pub lab_id: Option<crate::lab::LabId>,
    /// Where people took part in a session imported from a roster (empty for sessions
    /// created on the platform: their venue and online address say it).
    pub held_modes: Vec<Mode>,
}

impl Event {
    /// Whether a reader sees the event: everyone sees published and cancelled sessions;
    /// drafts and internal meetings only the secretariat.
    pub fn visible_to(&self, secretariat: bool) -> bool {
        secretariat || (self.status != Status::Draft && !self.kind.is_internal())
    }

    /// Where the session takes place: the modes it offers, or for one imported from a
    /// roster, where its participants took part.
    pub fn place_modes(&self) -> Vec<Mode> {
        if self.held_modes.is_empty() { self.modes() } else { self.held_modes.clone() }
    }

    /// The last day to register (申込締切), in Japan, if the session has one.
    pub fn deadline_day(&self) -> Option<NaiveDate> {
        self.registration_closes_at.map(|t| wareki::jst_date(t - chrono::Duration::seconds(1)))
    }

    /// 参加費 as a page says it: 無料, or 1,000円.
    pub fn fee_label(&self, lang: Lang) -> String {
        if self.fee_yen == 0 {
            lang.t("event-fee-free").into_owned()
        } else {
            lang.t_args("event-fee-yen", &[("amount", &crate::i18n::group_digits(self.fee_yen))])
        }
    }

    /// Whether the session runs over more than one day (in Japan).
    pub fn is_multi_day(&self) -> bool {
        wareki::jst_date(self.starts_at) != wareki::jst_date(self.ends_at)
    }

    /// Whether people can take part in `mode`.
    pub fn offers(&self, mode: Mode) -> bool {
        match mode {
            Mode::Venue => !self.venue.is_empty(),
            Mode::Online => !self.online_url.is_empty(),
        }
    }

    /// The modes offered, venue first.
    pub fn modes(&self) -> Vec<Mode> {
        Mode::ALL.into_iter().filter(|m| self.offers(*m)).collect()
    }

    pub fn capacity(&self, mode: Mode) -> Option<i64> {
        match mode {
            Mode::Venue => self.venue_capacity,
            Mode::Online => self.online_capacity,
        }
    }

    pub fn is_hybrid(&self) -> bool {
        self.offers(Mode::Venue) && self.offers(Mode::Online)
    }

    pub fn is_past(&self, now: DateTime<Utc>) -> bool {
        self.ends_at < now
    }

    /// The date in Japan, as readers of `lang` expect it (令和5年4月20日（木）), and for a
    /// session over several days its last day too (令和5年8月5日（土）〜8月6日（日）).
    pub fn date_label(&self, lang: Lang) -> String {
        let first = wareki::format_date(lang, wareki::jst_date(self.starts_at));
        if !self.is_multi_day() {
            return first;
        }
        let last = wareki::format_date(lang, wareki::jst_date(self.ends_at));
        match lang {
            Lang::Ja => format!("{first}〜{last}"),
            Lang::En => format!("{first} – {last}"),
        }
    }

    /// 19:00–20:30 in Japan time.
    pub fn time_label(&self) -> String {
        use chrono::Timelike;
        let tz = wareki::jst();
        let (s, e) = (self.starts_at.with_timezone(&tz), self.ends_at.with_timezone(&tz));
        // Built by hand: this is on every view of the event page, and `format!` costs
        // several times as much.
        let mut label = String::with_capacity(16);
        for (i, n) in [s.hour(), s.minute(), e.hour(), e.minute()].into_iter().enumerate() {
            label.push_str(["", ":", "–", ":"][i]);
            if n < 10 {
                label.push('0');
            }
            crate::i18n::wareki::push_number(&mut label, n);
        }
        label
    }
}

/// Creates an event as a draft.
///
/// # Errors
/// The database fails.
pub async fn create(db: &crate::db::Db, tenant: TenantId, draft: &EventDraft) -> crate::db::StoreResult<EventId> {
    db.write(async |tx| store::insert(tx, tenant, draft, Status::Draft).await).await
}

/// Saves an event's new fields; a raised capacity gives places to those waiting, oldest
/// first, in the same transaction. Returns the registrations promoted.
///
/// # Errors
/// [`crate::db::StoreError::NotFound`] for an id of another tenant.
pub async fn save(
    db: &crate::db::Db,
    tenant: TenantId,
    id: EventId,
    draft: &EventDraft,
) -> crate::db::StoreResult<Vec<crate::registration::RegistrationId>> {
    db.write(async |tx| {
        store::update(tx, tenant, id, draft).await?;
        crate::registration::store::refill(tx, tenant, id).await
    })
    .await
}

/// Publishes, cancels or withdraws an event to draft.
///
/// # Errors
/// [`crate::db::StoreError::NotFound`] for an id of another tenant.
pub async fn set_status(
    db: &crate::db::Db,
    tenant: TenantId,
    id: EventId,
    status: Status,
) -> crate::db::StoreResult<()> {
    db.write(async |tx| store::set_status(tx, tenant, id, status).await).await
}

/// Markdown to safe HTML.
pub fn render_markdown(md: &str) -> String {
    use pulldown_cmark::{Event as Md, HeadingLevel, Tag, TagEnd};
    // Headings in what people write start below the page's own title (h1): `#` is an h2.
    let lower = |level: HeadingLevel| match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        HeadingLevel::H5 | HeadingLevel::H6 => HeadingLevel::H6,
    };
    let events = pulldown_cmark::Parser::new_ext(md, pulldown_cmark::Options::empty()).map(|e| match e {
        Md::Start(Tag::Heading { level, id, classes, attrs }) => {
            Md::Start(Tag::Heading { level: lower(level), id, classes, attrs })
        }
        Md::End(TagEnd::Heading(level)) => Md::End(TagEnd::Heading(lower(level))),
        other => other,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    ammonia::Builder::default().link_rel(Some("noopener noreferrer nofollow")).clean(&html).to_string()
}

/// Markdown as plain text, for places that take no markup (open data): the text of each
/// block on its own line, a link's address after its text when the two differ.
pub fn markdown_to_text(md: &str) -> String {
    use pulldown_cmark::{Event as Md, Tag, TagEnd};
    let mut out = String::new();
    let mut links: Vec<(String, usize)> = Vec::new();
    for event in pulldown_cmark::Parser::new_ext(md, pulldown_cmark::Options::empty()) {
        match event {
            Md::Text(t) | Md::Code(t) => out.push_str(&t),
            Md::SoftBreak | Md::HardBreak => out.push('\n'),
            Md::Start(Tag::Link { dest_url, .. }) => links.push((dest_url.into_string(), out.len())),
            Md::End(TagEnd::Link) => {
                if let Some((url, from)) = links.pop()
                    && out[from..] != url
                {
                    out.push_str(&format!("（{url}）"));
                }
            }
            Md::Start(Tag::Item) => out.push('・'),
            Md::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::CodeBlock | TagEnd::BlockQuote(_),
            ) => {
                out.push('\n');
            }
            _ => {}
        }
    }
    let lines: Vec<&str> = out.lines().map(str::trim_end).filter(|l| !l.trim().is_empty()).collect();
    lines.join("\n")
}

/// Event fields as validated from the form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventDraft {
    pub kind: EventKind,
    pub title: String,
    pub description: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub venue: String,
    pub online_url: String,
    pub venue_capacity: Option<i64>,
    pub online_capacity: Option<i64>,
    pub anonymous: bool,
    pub fee_yen: i64,
    pub registration_closes_at: Option<DateTime<Utc>>,
    pub cohosts: Vec<String>,
    pub social_issue_id: Option<crate::social_issue::SocialIssueId>,
    pub lab_id: Option<crate::lab::LabId>,
}

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

    /// The event a validated form would become once stored.
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

    #[test]
    fn labels_parse() {
        assert_eq!(EventKind::from_label("勉強会"), Some(EventKind::Study));
        assert_eq!(Mode::from_label("オンライン"), Some(Mode::Online));
        assert_eq!(Mode::from_label("会場"), Some(Mode::Venue));
        assert_eq!(Mode::from_label("自宅"), None);
    }

    #[test]
    fn headings_start_below_the_pages_title() {
        assert_eq!(render_markdown("# 背景\n\n## 経緯\n\n###### 注"), "<h2>背景</h2>\n<h3>経緯</h3>\n<h6>注</h6>\n");
    }

    #[test]
    fn markdown_is_sanitised() {
        let html = render_markdown("**太字** <script>alert(1)</script> [x](javascript:alert(1))");
        assert!(html.contains("<strong>太字</strong>"));
        assert!(!html.contains("<script") && !html.contains("javascript:"));
    }

    #[test]
    fn markdown_becomes_plain_text_for_open_data() {
        let md = "## 内容\n\n**空き家**の活用を考えます。\n詳しくは[募集ページ](https://example.jp/a)へ。\n\n- 第1部 報告\n- 第2部 対話\n\n<script>alert(1)</script>\n";
        assert_eq!(
            markdown_to_text(md),
            "内容\n空き家の活用を考えます。\n詳しくは募集ページ（https://example.jp/a）へ。\n・第1部 報告\n・第2部 対話"
        );
        assert_eq!(markdown_to_text("<https://example.jp/>"), "https://example.jp/", "an address as its own text");
        assert_eq!(markdown_to_text(""), "");
    }
}
