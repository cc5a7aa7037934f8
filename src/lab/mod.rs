//! Labs (レジデンスラボ): a theme worked on by members with roles (lead, member, advisor,
//! pro bono), the lab's meetings (date, attendees, minutes; they count in the annual
//! report's activity figures), its study sessions (events of the lab), its roadmap
//! (`crate::roadmap`) and consultations on it (`crate::consultation`).
//!
//! Who may do what: anyone reads a lab's public page; the lab's members also read the
//! minutes and record meetings; the lead and the secretariat manage the lab (description,
//! members, roadmap, consultations); only the secretariat opens a lab.

use chrono::{DateTime, NaiveDate, Utc};

use crate::account::Account;
use crate::i18n::{Lang, normalize_identifier};
use crate::social_issue::SocialIssueId;
use crate::tenant::TenantId;
use crate::validate::FieldErrors;

pub mod meeting;
pub mod store;
pub mod web;

pub use meeting::{Meeting, MeetingDraft, MeetingForm, MeetingId};

/// A lab's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sqlx::Type, serde::Serialize)]
#[sqlx(transparent)]
pub struct LabId(pub i64);

/// A member's part in a lab.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabRole {
    Lead,
    Member,
    Advisor,
    /// A pro bono professional lending their skills.
    ProBono,
}

crate::text_code!(LabRole { Lead = "lead", Member = "member", Advisor = "advisor", ProBono = "probono" });

impl LabRole {
    pub fn label(self, lang: Lang) -> std::borrow::Cow<'static, str> {
        lang.t(&format!("lab-role-{}", self.code()))
    }
}

/// A lab.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lab {
    pub id: LabId,
    pub tenant_id: TenantId,
    /// The theme (e.g. 居住支援).
    pub title: String,
    pub description: String,
    /// Rendered and sanitised when saved.
    pub description_html: String,
    /// The social issue the lab took up.
    pub social_issue_id: Option<SocialIssueId>,
    /// The session it grew out of.
    pub event_id: Option<crate::event::EventId>,
    /// The day it was founded (発足), in Japan.
    pub founded_on: NaiveDate,
    pub members: i64,
    pub created_at: DateTime<Utc>,
}

/// One member of a lab.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabMember {
    pub account_id: crate::account::AccountId,
    pub name: String,
    pub role: LabRole,
}

/// A member's request to join a lab, waiting for the lead's answer.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct JoinRequest {
    pub account_id: crate::account::AccountId,
    pub name: String,
    /// Their word to the lead.
    pub note: String,
    pub created_at: DateTime<Utc>,
}

/// The lead's answer to a request to join.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    Accept,
    Decline,
}

crate::text_code!(Answer { Accept = "accept", Decline = "decline" });

/// Asks to join a lab, telling its leads; `false`, changing nothing, when the account is a
/// member already.
///
/// # Errors
/// The database fails.
pub async fn request_join(
    db: &crate::db::Db,
    tenant: TenantId,
    lab: &Lab,
    account: &Account,
    note: &str,
) -> crate::db::StoreResult<bool> {
    let link = format!("/labs/{}/members", lab.id.0);
    db.write(async |tx| {
        if !store::request_join(tx, tenant, lab.id, account.id, note).await? {
            return Ok(false);
        }
        let leads = store::leads_in(tx, tenant, lab.id).await?;
        let message =
            crate::notification::Message { tenant, id: "lab-notice-join-requested", subject: &lab.title, link: &link };
        crate::notification::store::insert(tx, tenant, &leads, &message).await?;
        Ok(true)
    })
    .await
}

/// Withdraws one's own request to join a lab.
///
/// # Errors
/// The database fails.
pub async fn withdraw_request(
    db: &crate::db::Db,
    tenant: TenantId,
    lab: LabId,
    account: crate::account::AccountId,
) -> crate::db::StoreResult<()> {
    db.write(async |tx| store::remove_request(tx, tenant, lab, account).await.map(|_| ())).await
}

/// Answers a request to join (the member joins, or the request goes) and tells its author.
///
/// # Errors
/// [`crate::db::StoreError::NotFound`] when there is no such request.
pub async fn answer_request(
    db: &crate::db::Db,
    tenant: TenantId,
    lab: &Lab,
    account: crate::account::AccountId,
    answer: Answer,
) -> crate::db::StoreResult<()> {
    let link = format!("/labs/{}", lab.id.0);
    db.write(async |tx| {
        let id = match answer {
            Answer::Accept => {
                store::accept_request(tx, tenant, lab.id, account).await?;
                "lab-notice-join-accepted"
            }
            Answer::Decline => {
                if !store::remove_request(tx, tenant, lab.id, account).await? {
                    return Err(crate::db::StoreError::NotFound);
                }
                "lab-notice-join-declined"
            }
        };
        let message = crate::notification::Message { tenant, id, subject: &lab.title, link: &link };
        crate::notification::store::insert(tx, tenant, &[account], &message).await
    })
    .await
}

/// The request-to-join form as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct JoinForm {
    pub note: String,
}

impl JoinForm {
    /// The word to the lead, trimmed.
    ///
    /// # Errors
    /// A word longer than 500 characters.
    pub fn validate(&self) -> Result<String, FieldErrors> {
        let note = self.note.trim();
        if note.chars().count() > 500 {
            return Err(FieldErrors::single("note", "lab-error-join-note-long"));
        }
        Ok(note.to_owned())
    }
}

/// What the reader may do with a lab.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Access {
    /// A member of the lab (any role): reads minutes, records meetings.
    pub member: bool,
    /// The lead or the secretariat: edits the lab, its members, roadmap and consultations.
    pub manage: bool,
}

impl Access {
    /// The reader's access given their role in the lab, if any.
    pub fn of(account: Option<&Account>, role: Option<LabRole>) -> Access {
        let admin = account.is_some_and(Account::is_admin);
        Access { member: admin || role.is_some(), manage: admin || role == Some(LabRole::Lead) }
    }
}

/// The lab form as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct LabForm {
    pub title: String,
    pub description: String,
    /// The social issue's number, if the lab took one up.
    pub social_issue: String,
    /// The number of the session it grew out of, if any.
    pub event: String,
    /// The day it was founded, as typed (2023-10-01, 令和5年10月1日…).
    pub founded_on: String,
}

/// A validated lab.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabDraft {
    pub title: String,
    pub description: String,
    pub social_issue_id: Option<SocialIssueId>,
    pub event_id: Option<crate::event::EventId>,
    pub founded_on: NaiveDate,
}

impl LabForm {
    pub fn from_lab(lab: &Lab) -> LabForm {
        LabForm {
            title: lab.title.clone(),
            description: lab.description.clone(),
            social_issue: lab.social_issue_id.map(|i| i.0.to_string()).unwrap_or_default(),
            event: lab.event_id.map(|e| e.0.to_string()).unwrap_or_default(),
            founded_on: lab.founded_on.to_string(),
        }
    }

    /// A new lab's form: founded today, from the issue or session it was started from.
    pub fn new_from(today: NaiveDate, social_issue: Option<i64>, event: Option<i64>) -> LabForm {
        let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
        LabForm {
            social_issue: number(social_issue),
            event: number(event),
            founded_on: today.to_string(),
            ..LabForm::default()
        }
    }

    /// Validates the form. The issue number is an identifier: full-width digits are accepted.
    ///
    /// # Errors
    /// Each field's problem.
    pub fn validate(&self) -> Result<LabDraft, FieldErrors> {
        let mut errors = FieldErrors::default();
        let title = self.title.trim();
        if title.is_empty() {
            errors.add("title", "lab-error-title");
        } else if title.chars().count() > 120 {
            errors.add("title", "lab-error-title-long");
        }
        let description = self.description.trim();
        if description.chars().count() > 20_000 {
            errors.add("description", "lab-error-description-long");
        }
        let mut number = |field: &'static str, typed: &str, message: &'static str| match normalize_identifier(typed)
            .trim()
            .trim_start_matches('#')
        {
            "" => None,
            n => match n.parse::<i64>() {
                Ok(n) if n > 0 => Some(n),
                _ => {
                    errors.add(field, message);
                    None
                }
            },
        };
        let social_issue_id = number("social_issue", &self.social_issue, "lab-error-issue").map(SocialIssueId);
        let event_id = number("event", &self.event, "lab-error-event").map(crate::event::EventId);
        let founded_on = errors.date("founded_on", &self.founded_on, "lab-error-founded-required", "lab-error-founded");
        match founded_on {
            Some(founded_on) if errors.is_empty() => Ok(LabDraft {
                title: title.to_owned(),
                description: description.to_owned(),
                social_issue_id,
                event_id,
                founded_on,
            }),
            _ => Err(errors),
        }
    }
}

/// Opens a lab (the secretariat).
///
/// # Errors
/// [`crate::db::StoreError::NotFound`] when the social issue is not this tenant's.
pub async fn open(db: &crate::db::Db, tenant: TenantId, draft: &LabDraft) -> crate::db::StoreResult<LabId> {
    db.write(async |tx| store::insert(tx, tenant, draft).await).await
}

/// Changes a lab's theme, description and issue.
///
/// # Errors
/// [`crate::db::StoreError::NotFound`] for another tenant's lab or issue.
pub async fn update(db: &crate::db::Db, tenant: TenantId, id: LabId, draft: &LabDraft) -> crate::db::StoreResult<()> {
    db.write(async |tx| store::update(tx, tenant, id, draft).await).await
}

/// Adds the account with this e-mail to the lab, or changes its role.
///
/// # Errors
/// [`crate::db::StoreError::NotFound`] when no account of the tenant has the address.
pub async fn set_member(
    db: &crate::db::Db,
    tenant: TenantId,
    lab: LabId,
    email: &str,
    role: LabRole,
) -> crate::db::StoreResult<()> {
    let email = crate::account::normalize_email(email).ok_or(crate::db::StoreError::NotFound)?;
    db.write(async |tx| store::set_member(tx, tenant, lab, &email, role).await).await
}

/// Removes a member from the lab.
///
/// # Errors
/// The database fails.
pub async fn remove_member(
    db: &crate::db::Db,
    tenant: TenantId,
    lab: LabId,
    account: crate::account::AccountId,
) -> crate::db::StoreResult<()> {
    db.write(async |tx| store::remove_member(tx, tenant, lab, account).await).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_identifiers_are_read_but_text_is_kept() {
        let f = LabForm {
            title: "居住支援".into(),
            description: "ＮＰＯと企業".into(),
            social_issue: "＃１２".into(),
            event: "３４".into(),
            founded_on: "令和5年10月1日".into(),
        };
        let d = f.validate().unwrap();
        assert_eq!(d.social_issue_id, Some(SocialIssueId(12)));
        assert_eq!(d.event_id, Some(crate::event::EventId(34)));
        assert_eq!(d.founded_on, NaiveDate::from_ymd_opt(2023, 10, 1).unwrap());
        assert_eq!(d.description, "ＮＰＯと企業", "free text is not normalised");
        let bad =
            LabForm { social_issue: "十二".into(), event: "x".into(), ..LabForm::default() }.validate().unwrap_err();
        let fields: Vec<_> = bad.0.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["title", "social_issue", "event", "founded_on"]);
    }

    #[test]
    fn leads_and_the_secretariat_manage() {
        assert_eq!(Access::of(None, None), Access::default());
        assert_eq!(Access::of(None, Some(LabRole::Advisor)), Access { member: true, manage: false });
        assert_eq!(Access::of(None, Some(LabRole::Lead)), Access { member: true, manage: true });
    }
}
