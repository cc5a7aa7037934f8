//! Events (セッション): 情報交換会 and the other gatherings (勉強会, 報告会, 研修,
//! 事務局ミーティング), held at the venue, online, or both at once. This file holds the
//! types and the rules of an event; the form and its validation are in `form.rs`, SQL in
//! `store.rs`, pages in `web.rs` and `admin.rs`, the calendar feed in `ical.rs`, open data
//! in `opendata.rs`.

use chrono::{DateTime, NaiveDate, Utc};

use crate::i18n::{Lang, normalize_identifier, wareki};
use crate::tenant::TenantId;

pub mod admin;
mod form;
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

pub use form::{EventForm, japan_instant, parse_date, parse_fee, parse_time};

#[cfg(test)]
mod tests {
    use super::*;

    /// The event a validated form would become once stored.

    #[test]
    fn labels_parse() {
        assert_eq!(EventKind::from_label("勉強会"), Some(EventKind::Study));
        assert_eq!(Mode::from_label("オンライン"), Some(Mode::Online));
        assert_eq!(Mode::from_label("会場"), Some(Mode::Venue));
        assert_eq!(Mode::from_label("自宅"), None);
    }
}
