//! Consultations (意見募集): a public comment window on one version of a lab's roadmap.
//! People comment on a paragraph; members may sign, anyone may comment anonymously, and
//! anonymous comments wait for moderation. After the window closes the comments are
//! read-only, the lab reads a summary by paragraph and publishes the result the way
//! Japanese public comment results are published: a table of 意見の概要 (grouped
//! comments) and the lab's 考え方, linked to the roadmap version that took them in.

use chrono::{DateTime, NaiveDate, Utc};

use crate::i18n::{normalize_identifier, wareki};
use crate::lab::LabId;
pub use crate::moderation::Status;
use crate::tenant::TenantId;
use crate::validate::FieldErrors;
pub use received::Received;
pub use result::{Amendment, amendments, publish_result, result_table};

pub mod reading;
pub mod received;
pub mod result;
pub mod store;
pub mod web;
pub mod workbench;

pub use workbench::{Entry, EntryGroup, KeptGroup, ParagraphReading, Reading, Regroup, read, regroup};

/// A consultation's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sqlx::Type, serde::Serialize)]
#[sqlx(transparent)]
pub struct ConsultationId(pub i64);

/// A comment's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sqlx::Type, serde::Serialize)]
#[sqlx(transparent)]
pub struct CommentId(pub i64);

/// A result row's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sqlx::Type, serde::Serialize)]
#[sqlx(transparent)]
pub struct ResponseId(pub i64);

/// A consultation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Consultation {
    pub id: ConsultationId,
    pub tenant_id: TenantId,
    pub lab_id: LabId,
    pub lab_title: String,
    /// The roadmap version under consultation (its row id and number).
    pub version_id: crate::roadmap::VersionId,
    pub version_number: i64,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    /// The version that took the comments into account, once the result is published.
    pub result_version: Option<i64>,
    pub result_published_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// Where a consultation stands at a moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Upcoming,
    Open,
    Closed,
    /// Closed, with its result published.
    Published,
}

impl Phase {
    pub fn code(self) -> &'static str {
        match self {
            Phase::Upcoming => "upcoming",
            Phase::Open => "open",
            Phase::Closed => "closed",
            Phase::Published => "published",
        }
    }

    pub fn label(self, lang: crate::i18n::Lang) -> std::borrow::Cow<'static, str> {
        lang.t(&format!("consultation-phase-{}", self.code()))
    }
}

impl Consultation {
    pub fn phase(&self, now: DateTime<Utc>) -> Phase {
        if now < self.opens_at {
            Phase::Upcoming
        } else if now < self.closes_at {
            Phase::Open
        } else if self.result_published_at.is_some() {
            Phase::Published
        } else {
            Phase::Closed
        }
    }

    /// The window as the reader expects it: 令和5年4月1日（土）〜令和5年4月30日（日）.
    pub fn period(&self, lang: crate::i18n::Lang) -> String {
        let from = wareki::format_date(lang, wareki::jst_date(self.opens_at));
        let to = wareki::format_date(lang, self.last_day());
        lang.t_args("consultation-period-range", &[("from", &from), ("to", &to)])
    }

    /// The last day comments are taken, in Japan time.
    pub fn last_day(&self) -> NaiveDate {
        wareki::jst_date(self.closes_at - chrono::Duration::seconds(1))
    }

    /// Whole days left after today (Japan time) to comment: 0 on the last day.
    pub fn days_left(&self, now: DateTime<Utc>) -> i64 {
        (self.last_day() - wareki::jst_date(now)).num_days().max(0)
    }

    /// How long it stays open, as a list says it: 令和5年4月30日（日）まで（あと3日）, or
    /// 今日まで on its last day.
    pub fn deadline_label(&self, lang: crate::i18n::Lang, now: DateTime<Utc>) -> String {
        let last = wareki::format_date(lang, self.last_day());
        match self.days_left(now) {
            0 => lang.t_args("consultation-closes-today", &[("date", &last)]),
            n => lang.t_args("consultation-closes-in", &[("date", &last), ("days", &n.to_string())]),
        }
    }
}

/// How a comment came: through the page, or received by the lab and entered by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Web,
    /// On a form, at the center or in a box.
    Paper,
    Post,
    Mail,
    Fax,
    /// Said or written at the venue where the roadmap was shown.
    Venue,
}

crate::text_code!(Channel { Web = "web", Paper = "paper", Post = "post", Mail = "mail", Fax = "fax", Venue = "venue" });

impl Channel {
    pub fn label(self, lang: crate::i18n::Lang) -> std::borrow::Cow<'static, str> {
        lang.t(&format!("consultation-channel-{}", self.code()))
    }

    /// A channel as a person types it: its code or its name in Japanese or English,
    /// however written in width or case.
    pub fn from_name(name: &str) -> Option<Channel> {
        let n = normalize_identifier(name).to_lowercase();
        Channel::from_code(&n).or(match n.as_str() {
            "ウェブ" | "web" | "ホームページ" | "インターネット" | "online" | "オンライン" => {
                Some(Channel::Web)
            }
            "紙" | "用紙" | "意見用紙" | "持参" => Some(Channel::Paper),
            "郵送" | "郵便" | "はがき" => Some(Channel::Post),
            "メール" | "電子メール" | "email" | "e-mail" => Some(Channel::Mail),
            "ファクス" | "ファックス" | "ファクシミリ" => Some(Channel::Fax),
            "会場" | "窓口" | "口頭" => Some(Channel::Venue),
            _ => None,
        })
    }
}

/// One comment on a paragraph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    pub id: CommentId,
    pub paragraph: i64,
    /// `None` when posted anonymously.
    pub author: Option<String>,
    pub body: String,
    pub status: Status,
    /// The result row that answers it.
    pub response_id: Option<ResponseId>,
    pub created_at: DateTime<Utc>,
    pub channel: Channel,
    /// Kept out of any fold (a fold undone).
    pub kept_apart: bool,
    /// Marked as outside what the consultation asked.
    pub out_of_scope: bool,
    /// The group the lab put it in, if it has kept groups.
    pub group_id: Option<GroupId>,
}

/// A group's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sqlx::Type, serde::Serialize)]
#[sqlx(transparent)]
pub struct GroupId(pub i64);

/// One row of the published result: grouped comments and the lab's response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    pub id: ResponseId,
    pub paragraph: i64,
    /// 意見の概要.
    pub summary: String,
    /// 考え方.
    pub response: String,
    /// 修正の有無: whether the roadmap was changed for it, and why (or why not).
    pub changed: bool,
    pub change_reason: String,
    /// The comments it answers.
    pub comments: Vec<CommentId>,
}

/// The form that opens a consultation, as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct WindowForm {
    pub version: String,
    pub opens_on: String,
    pub closes_on: String,
}

/// A validated window: the version's number and the half-open UTC range
/// [opening day 0:00 JST, the day after the last day 0:00 JST).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Window {
    pub version: i64,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
}

fn jst_midnight(d: NaiveDate) -> DateTime<Utc> {
    d.and_time(chrono::NaiveTime::MIN)
        .and_local_timezone(wareki::jst())
        .single()
        .expect("UTC+9 has no gaps")
        .with_timezone(&Utc)
}

impl WindowForm {
    /// Validates the form: dates as YYYY-MM-DD (full-width digits accepted), the last day
    /// not before the first.
    ///
    /// # Errors
    /// Each field's problem.
    pub fn validate(&self) -> Result<Window, FieldErrors> {
        let mut errors = FieldErrors::default();
        let version = normalize_identifier(&self.version).parse::<i64>().ok().filter(|n| *n > 0);
        if version.is_none() {
            errors.add("version", "consultation-error-version");
        }
        let opens =
            errors.date("opens_on", &self.opens_on, "consultation-error-opens-required", "consultation-error-opens");
        let closes = errors.date(
            "closes_on",
            &self.closes_on,
            "consultation-error-closes-required",
            "consultation-error-closes",
        );
        if let (Some(o), Some(c)) = (opens, closes)
            && c < o
        {
            errors.add("closes_on", "consultation-error-order");
        }
        match (version, opens, closes) {
            (Some(version), Some(o), Some(c)) if errors.is_empty() => {
                Ok(Window { version, opens_at: jst_midnight(o), closes_at: jst_midnight(c + chrono::Days::new(1)) })
            }
            _ => Err(errors),
        }
    }
}

/// A comment as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct CommentForm {
    pub paragraph: String,
    pub body: String,
    /// Present when a member chooses not to sign.
    pub anonymous: Option<String>,
}

/// One row of the result as typed, the comments it answers ticked.
#[derive(Clone, Debug, Default)]
pub struct ResponseForm {
    pub paragraph: String,
    pub summary: String,
    pub response: String,
    /// 修正の有無: "yes" or "no".
    pub changed: String,
    pub change_reason: String,
    /// The comments it answers, as ticked: each value one comment's number or a folded
    /// entry's numbers ("3 5 8"; full-width accepted).
    pub comments: String,
}

impl ResponseForm {
    /// The form from its fields, every ticked `comment` kept.
    pub fn from_pairs(pairs: Vec<(String, String)>) -> ResponseForm {
        let mut f = ResponseForm::default();
        let mut ticked = Vec::new();
        for (k, v) in pairs {
            match k.as_str() {
                "paragraph" => f.paragraph = v,
                "summary" => f.summary = v,
                "response" => f.response = v,
                "changed" => f.changed = v,
                "change_reason" => f.change_reason = v,
                "comment" | "comments" => ticked.push(v),
                _ => {}
            }
        }
        f.comments = ticked.join(" ");
        f
    }

    /// Whether a comment's number is among those ticked.
    pub fn ticks(&self, id: CommentId) -> bool {
        comment_numbers(&self.comments).contains(&Some(id))
    }
}

/// The comment numbers in what was ticked or typed ("3, 5", "＃３ 5"); `None` for what is
/// not a number.
fn comment_numbers(typed: &str) -> Vec<Option<CommentId>> {
    normalize_identifier(typed)
        .split([',', '、', ' '])
        .filter(|s| !s.is_empty())
        .map(|s| s.trim_start_matches('#').parse::<i64>().ok().map(CommentId))
        .collect()
}

/// A validated result row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResponseDraft {
    pub paragraph: i64,
    pub summary: String,
    pub response: String,
    pub changed: bool,
    pub change_reason: String,
    pub comments: Vec<CommentId>,
}

impl ResponseForm {
    /// Validates the row against the comments it may answer (published ones) and the
    /// number of paragraphs.
    ///
    /// # Errors
    /// Each field's problem.
    pub fn validate(&self, paragraphs: i64, comment_ids: &[CommentId]) -> Result<ResponseDraft, FieldErrors> {
        let mut errors = FieldErrors::default();
        let paragraph =
            normalize_identifier(&self.paragraph).parse::<i64>().ok().filter(|n| (1..=paragraphs).contains(n));
        if paragraph.is_none() {
            errors.add("paragraph", "consultation-error-paragraph");
        }
        let summary = self.summary.trim();
        if summary.is_empty() || summary.chars().count() > 2000 {
            errors.add("summary", "consultation-error-summary");
        }
        let response = self.response.trim();
        if response.is_empty() || response.chars().count() > 4000 {
            errors.add("response", "consultation-error-response");
        }
        let comments: Option<Vec<CommentId>> =
            comment_numbers(&self.comments).into_iter().map(|n| n.filter(|n| comment_ids.contains(n))).collect();
        let comments = comments.filter(|c| !c.is_empty());
        if comments.is_none() {
            errors.add("comments", "consultation-error-comments");
        }
        let changed = match self.changed.as_str() {
            "yes" => Some(true),
            "no" | "" => Some(false),
            _ => None,
        };
        let reason = self.change_reason.trim();
        if changed.is_none() {
            errors.add("changed", "consultation-error-changed");
        } else if changed == Some(true) && reason.is_empty() {
            errors.add("change_reason", "consultation-error-change-reason");
        }
        if reason.chars().count() > 2000 {
            errors.add("change_reason", "consultation-error-change-reason");
        }
        match (paragraph, comments, changed) {
            (Some(paragraph), Some(mut comments), Some(changed)) if errors.is_empty() => {
                comments.sort_unstable_by_key(|c| c.0);
                comments.dedup();
                Ok(ResponseDraft {
                    paragraph,
                    summary: summary.to_owned(),
                    response: response.to_owned(),
                    changed,
                    change_reason: reason.to_owned(),
                    comments,
                })
            }
            _ => Err(errors),
        }
    }
}

/// Adds comments the lab received outside the page, all or none; how many, or `None`
/// once the result is published.
///
/// # Errors
/// [`crate::db::StoreError::NotFound`] for another tenant's consultation.
pub async fn receive(
    db: &crate::db::Db,
    tenant: TenantId,
    id: ConsultationId,
    comments: &[Received],
) -> crate::db::StoreResult<Option<usize>> {
    db.write(async |tx| store::insert_received(tx, tenant, id, comments, crate::db::now()).await).await
}

/// Marks comments as outside what the consultation asked (or inside again).
///
/// # Errors
/// The database fails.
pub async fn set_out_of_scope(
    db: &crate::db::Db,
    tenant: TenantId,
    id: ConsultationId,
    comments: &[CommentId],
    out: bool,
) -> crate::db::StoreResult<()> {
    db.write(async |tx| store::set_out_of_scope(tx, tenant, id, comments, out).await).await
}

/// Undoes folds (the comments are read one by one) or lets them fold again.
///
/// # Errors
/// The database fails.
pub async fn keep_apart(
    db: &crate::db::Db,
    tenant: TenantId,
    id: ConsultationId,
    comments: &[CommentId],
    apart: bool,
) -> crate::db::StoreResult<()> {
    db.write(async |tx| store::set_kept_apart(tx, tenant, id, comments, apart).await).await
}

/// The published comments neither answered by a row nor marked outside the scope.
pub fn unanswered(comments: &[Comment]) -> usize {
    comments.iter().filter(|c| c.status == Status::Published && c.response_id.is_none() && !c.out_of_scope).count()
}

/// The comment numbers ticked in a form (`comment` fields, each one or more numbers).
pub fn ticked(pairs: &[(String, String)]) -> Vec<CommentId> {
    pairs.iter().filter(|(k, _)| k == "comment").flat_map(|(_, v)| comment_numbers(v)).flatten().collect()
}

/// Opens a consultation on a version of a lab's roadmap.
///
/// # Errors
/// [`crate::db::StoreError::NotFound`] when the lab (of this tenant) has no such version.
pub async fn open(
    db: &crate::db::Db,
    tenant: TenantId,
    lab: LabId,
    window: &Window,
) -> crate::db::StoreResult<ConsultationId> {
    db.write(async |tx| store::insert(tx, tenant, lab, window).await).await
}

/// Takes a comment while the window is open; its status, or `None` when the window is
/// not open.
///
/// # Errors
/// The database fails.
pub async fn comment(
    db: &crate::db::Db,
    tenant: TenantId,
    id: ConsultationId,
    paragraph: i64,
    author: Option<crate::account::AccountId>,
    body: &str,
) -> crate::db::StoreResult<Option<Status>> {
    db.write(async |tx| store::insert_comment(tx, tenant, id, paragraph, author, body).await).await
}

/// Applies a moderator's step (or a reader's report) to a comment of this consultation
/// and logs it, in one transaction. Whether the comment belongs to the consultation is
/// decided before anything is written, in the statement that writes: a comment of
/// another consultation (another lab's) is not found and nothing changes.
///
/// # Errors
/// [`crate::db::StoreError::NotFound`] for a comment of another consultation, or a report
/// on a comment that is not published.
pub async fn moderate_comment(
    db: &crate::db::Db,
    tenant: TenantId,
    id: ConsultationId,
    comment: CommentId,
    step: &crate::moderation::Step,
    actor: Option<crate::account::AccountId>,
) -> crate::db::StoreResult<()> {
    use crate::moderation::{Subject, store as log};
    db.write(async |tx| {
        let found = match step.outcome() {
            Some((status, reason)) => store::set_comment_status(tx, tenant, id, comment, status, reason).await?,
            None => store::is_published_comment(tx, tenant, id, comment).await?,
        };
        if !found {
            return Err(crate::db::StoreError::NotFound);
        }
        log::log(tx, tenant, Subject::ConsultationComment, comment.0, step, actor).await
    })
    .await
}

/// Adds a row to the result and marks the comments it answers, in one transaction.
///
/// # Errors
/// [`crate::db::StoreError::NotFound`] for another tenant's consultation.
pub async fn add_response(
    db: &crate::db::Db,
    tenant: TenantId,
    id: ConsultationId,
    draft: &ResponseDraft,
) -> crate::db::StoreResult<ResponseId> {
    db.write(async |tx| store::add_response(tx, tenant, id, draft).await).await
}

/// Removes a row of the result.
///
/// # Errors
/// The database fails.
pub async fn delete_response(
    db: &crate::db::Db,
    tenant: TenantId,
    id: ConsultationId,
    response: ResponseId,
) -> crate::db::StoreResult<()> {
    db.write(async |tx| store::delete_response(tx, tenant, id, response).await).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_runs_from_the_first_to_the_end_of_the_last_day_in_japan() {
        let w =
            WindowForm {
                version: "１".into(), opens_on: "2023-04-01".into(), closes_on: "２０２３-０４-３０".into()
            }
            .validate()
            .unwrap();
        assert_eq!(w.opens_at.to_rfc3339(), "2023-03-31T15:00:00+00:00");
        assert_eq!(w.closes_at.to_rfc3339(), "2023-04-30T15:00:00+00:00");
        let c = Consultation {
            id: ConsultationId(1),
            tenant_id: TenantId(1),
            lab_id: LabId(1),
            lab_title: String::new(),
            version_id: crate::roadmap::VersionId(1),
            version_number: 1,
            opens_at: w.opens_at,
            closes_at: w.closes_at,
            result_version: None,
            result_published_at: None,
            created_at: w.opens_at,
        };
        assert_eq!(c.last_day(), NaiveDate::from_ymd_opt(2023, 4, 30).unwrap());
        assert_eq!(c.period(crate::i18n::Lang::Ja), "令和5年4月1日（土）〜令和5年4月30日（日）");
        assert_eq!(c.phase(w.opens_at - chrono::Duration::seconds(1)), Phase::Upcoming);
        assert_eq!(c.phase(w.closes_at - chrono::Duration::seconds(1)), Phase::Open);
        assert_eq!(c.phase(w.closes_at), Phase::Closed);
        let bad = WindowForm { version: "x".into(), opens_on: "2023-05-01".into(), closes_on: "2023-04-30".into() };
        let fields: Vec<_> = bad.validate().unwrap_err().0.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["version", "closes_on"]);
    }

    #[test]
    fn changes_are_annotated_with_the_rows_that_changed_the_text() {
        let row = |paragraph, changed| Response {
            id: ResponseId(1),
            paragraph,
            summary: String::new(),
            response: String::new(),
            changed,
            change_reason: String::new(),
            comments: Vec::new(),
        };
        let rows = [row(1, false), row(2, true), row(2, true), row(3, true)];
        let consulted = "窓口を設ける。\n\n平日の昼に開く。\n\n空き家を調べる。";
        let result = "窓口を設ける。\n\n平日の昼と夜に開く。\n\n空き家を調べる。\n\n見守りを始める。";
        let a = amendments(consulted, result, &rows);
        assert_eq!(a.len(), 2, "{a:?}");
        assert_eq!((a[0].paragraph, a[0].rows.clone()), (2, vec![2, 3]));
        let codes: Vec<(&str, &str)> = a[0].lines.iter().map(|l| (l.change.code(), l.text.as_str())).collect();
        assert_eq!(codes, [("removed", "平日の昼に開く。"), ("added", "平日の昼と夜に開く。")]);
        assert_eq!((a[1].paragraph, a[1].rows.clone()), (3, vec![4]), "added after the third paragraph");
        assert!(amendments(consulted, consulted, &rows).is_empty());
        // Two neighbouring paragraphs rewritten: each its own change, with its own rows.
        let both = "窓口を設ける。\n\n平日の昼と夜に開く。\n\n空き家を区ごとに調べる。";
        let a = amendments(consulted, both, &rows);
        let shown: Vec<(i64, Vec<usize>)> = a.iter().map(|a| (a.paragraph, a.rows.clone())).collect();
        assert_eq!(shown, [(2, vec![2, 3]), (3, vec![4])]);
        // One paragraph split in two: one change, answered by the rows of that paragraph.
        let split = "窓口を設ける。\n\n平日の昼に開く。\n\n夜も開く。\n\n空き家を調べる。";
        let a = amendments(consulted, split, &rows);
        let shown: Vec<(i64, Vec<usize>)> = a.iter().map(|a| (a.paragraph, a.rows.clone())).collect();
        assert_eq!(shown, [(2, vec![2, 3])]);
    }

    #[test]
    fn a_result_row_answers_known_comments() {
        let f = ResponseForm {
            paragraph: "２".into(),
            summary: "窓口を増やしてほしい".into(),
            response: "第2版で区ごとに設けます".into(),
            comments: "＃３、5".into(),
            ..ResponseForm::default()
        };
        let ids = |n: &[i64]| n.iter().map(|i| CommentId(*i)).collect::<Vec<_>>();
        assert_eq!(f.validate(4, &ids(&[3, 5, 8])).unwrap().comments, ids(&[3, 5]));
        // Ticked: an entry's folded comments and a single one, in any order.
        let ticked = ResponseForm::from_pairs(
            [("paragraph", "2"), ("summary", "s"), ("response", "r"), ("comment", "8 3"), ("comment", "5")]
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .to_vec(),
        );
        assert!(ticked.ticks(CommentId(3)) && !ticked.ticks(CommentId(4)));
        let draft = ticked.validate(4, &ids(&[3, 5, 8])).unwrap();
        assert_eq!((draft.comments, draft.changed), (ids(&[3, 5, 8]), false));
        let none = ResponseForm { comments: String::new(), ..f.clone() };
        assert_eq!(none.validate(4, &ids(&[3])).unwrap_err().get("comments"), Some("consultation-error-comments"));
        let changed = ResponseForm { changed: "yes".into(), ..f.clone() };
        assert_eq!(
            changed.validate(4, &ids(&[3, 5])).unwrap_err().get("change_reason"),
            Some("consultation-error-change-reason")
        );
        let unknown = ResponseForm { comments: "4".into(), ..f.clone() };
        assert_eq!(
            unknown.validate(4, &ids(&[3, 5])).unwrap_err().get("comments"),
            Some("consultation-error-comments")
        );
        assert_eq!(f.validate(1, &ids(&[3, 5])).unwrap_err().get("paragraph"), Some("consultation-error-paragraph"));
    }
}
