//! Projects (プロジェクト): a team working on an issue, born in a session or a lab. A
//! project links to the issue it works on and to the session or lab it was born in, and
//! they link back (their pages list the projects they gave rise to); it has members (one
//! lead or more), a status, updates (each a post on the board, in its プロジェクト category)
//! and needs ([`crate::probono`], posted for the project by its members).
//!
//! Who may do what: anyone reads a project and its public updates; members of the center
//! see who is in it; any member starts one (and leads it); its leads and the secretariat
//! edit it, change its status and add or remove members; its members post updates and
//! needs for it, and leave it. A project always keeps a lead.

use chrono::{DateTime, NaiveDate, Utc};

use crate::account::{Account, AccountId};
use crate::db::{Db, StoreError, StoreResult};
use crate::event::EventId;
use crate::i18n::Lang;
use crate::lab::LabId;
use crate::social_issue::SocialIssueId;
use crate::tenant::TenantId;
use crate::validate::FieldErrors;

pub mod store;
pub mod web;

/// A project's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sqlx::Type, serde::Serialize)]
#[sqlx(transparent)]
pub struct ProjectId(pub i64);

/// Where a project stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    /// 準備中: the team is forming.
    Forming,
    /// 進行中: started (counted as started the day it first became active).
    Active,
    /// 休止中.
    Paused,
    /// 完了.
    Done,
}

crate::text_code!(Status { Forming = "forming", Active = "active", Paused = "paused", Done = "done" });

impl Status {
    pub fn label(self, lang: Lang) -> std::borrow::Cow<'static, str> {
        lang.t(&format!("project-status-{}", self.code()))
    }
}

/// A project.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Project {
    pub id: ProjectId,
    pub tenant_id: TenantId,
    pub title: String,
    pub description: String,
    pub status: Status,
    /// What it was born in and works on, with their titles: only what anyone may see (an
    /// issue hidden or a session made a draft since is not named).
    pub issue: Option<(SocialIssueId, String)>,
    pub event: Option<(EventId, String)>,
    pub lab: Option<(LabId, String)>,
    /// The day it first became active.
    pub started_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
}

/// One of a project's members.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub account_id: AccountId,
    pub name: String,
    pub lead: bool,
}

/// What the reader may do with a project.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Access {
    /// Sees who is in it: members of the center.
    pub see_members: bool,
    /// One of its members: posts updates and needs for it, leaves it.
    pub member: bool,
    /// One of its leads, or the secretariat: edits it and its members.
    pub manage: bool,
}

impl Access {
    pub fn of(reader: Option<&Account>, own: Option<&Member>) -> Access {
        let secretariat = reader.is_some_and(Account::is_admin);
        Access {
            see_members: reader.is_some(),
            member: own.is_some(),
            manage: secretariat || own.is_some_and(|m| m.lead),
        }
    }
}

/// The project form as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ProjectForm {
    pub title: String,
    pub description: String,
    pub status: String,
    /// What it was born in or works on (ids, kept from the page it was started from).
    pub issue: String,
    pub event: String,
    pub lab: String,
}

/// A validated project.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectDraft {
    pub title: String,
    pub description: String,
    pub status: Status,
    pub issue: Option<SocialIssueId>,
    pub event: Option<EventId>,
    pub lab: Option<LabId>,
}

fn id_of(typed: &str) -> Result<Option<i64>, ()> {
    let t = typed.trim();
    if t.is_empty() { Ok(None) } else { t.parse().map(Some).map_err(|_| ()) }
}

impl ProjectForm {
    pub fn of(p: &Project) -> ProjectForm {
        ProjectForm {
            title: p.title.clone(),
            description: p.description.clone(),
            status: p.status.code().to_owned(),
            issue: p.issue.as_ref().map(|i| i.0.0.to_string()).unwrap_or_default(),
            event: p.event.as_ref().map(|e| e.0.0.to_string()).unwrap_or_default(),
            lab: p.lab.as_ref().map(|l| l.0.0.to_string()).unwrap_or_default(),
        }
    }

    /// Validates the form.
    ///
    /// # Errors
    /// Each field's problem.
    pub fn validate(&self) -> Result<ProjectDraft, FieldErrors> {
        let mut errors = FieldErrors::default();
        let title = self.title.trim();
        if title.is_empty() {
            errors.add("title", "project-error-title");
        } else if title.chars().count() > 120 || title.contains(['\r', '\n']) {
            errors.add("title", "project-error-title-long");
        }
        if self.description.trim().chars().count() > 10_000 {
            errors.add("description", "project-error-description-long");
        }
        let status =
            if self.status.trim().is_empty() { Some(Status::Forming) } else { Status::from_code(self.status.trim()) };
        if status.is_none() {
            errors.add("status", "project-error-status");
        }
        let (issue, event, lab) = (id_of(&self.issue), id_of(&self.event), id_of(&self.lab));
        if issue.is_err() || event.is_err() || lab.is_err() {
            errors.add("title", "project-error-origin");
        }
        match status {
            Some(status) if errors.is_empty() => Ok(ProjectDraft {
                title: title.to_owned(),
                description: self.description.trim().to_owned(),
                status,
                issue: issue.ok().flatten().map(SocialIssueId),
                event: event.ok().flatten().map(EventId),
                lab: lab.ok().flatten().map(LabId),
            }),
            _ => Err(errors),
        }
    }
}

/// Why a change to a project's members was refused.
#[derive(Debug)]
pub enum Refused {
    /// It would leave the project without a lead.
    LastLead,
    /// No account of the center has that address.
    NoSuchAccount,
    Store(StoreError),
}

impl From<StoreError> for Refused {
    fn from(e: StoreError) -> Refused {
        Refused::Store(e)
    }
}

/// Starts a project; the member who starts it leads it.
///
/// # Errors
/// [`StoreError::NotFound`] when what it was born in is not the tenant's (or not public).
pub async fn start(db: &Db, tenant: TenantId, by: AccountId, draft: &ProjectDraft) -> StoreResult<ProjectId> {
    db.write(async |tx| {
        let id = store::insert(tx, tenant, draft).await?;
        store::set_member(tx, tenant, id, by, true).await?;
        Ok(id)
    })
    .await
}

/// Saves an edited project (its status too: the first time it becomes active is the day
/// it started; paused or done without ever being active, it never started).
///
/// # Errors
/// [`StoreError::NotFound`].
pub async fn update(db: &Db, tenant: TenantId, id: ProjectId, draft: &ProjectDraft) -> StoreResult<()> {
    db.write(async |tx| store::update(tx, tenant, id, draft).await).await
}

/// Adds a member of the center to the project by their address, or changes whether they
/// lead it.
///
/// # Errors
/// [`Refused::NoSuchAccount`]; [`Refused::LastLead`] when the only lead stops leading.
pub async fn set_member(db: &Db, tenant: TenantId, id: ProjectId, email: &str, lead: bool) -> Result<(), Refused> {
    let Some((account, _)) = crate::account::store::find_by_email(db, tenant, email.trim()).await? else {
        return Err(Refused::NoSuchAccount);
    };
    db.write(async |tx| {
        store::get_in(tx, tenant, id).await?;
        if !lead && store::is_only_lead(tx, tenant, id, account.id).await? {
            return Err(Refused::LastLead);
        }
        store::set_member(tx, tenant, id, account.id, lead).await?;
        Ok(())
    })
    .await
}

/// Takes someone off the project (they leave, or a lead removes them).
///
/// # Errors
/// [`Refused::LastLead`] for its only lead.
pub async fn remove_member(db: &Db, tenant: TenantId, id: ProjectId, account: AccountId) -> Result<(), Refused> {
    db.write(async |tx| {
        if store::is_only_lead(tx, tenant, id, account).await? {
            return Err(Refused::LastLead);
        }
        store::remove_member(tx, tenant, id, account).await?;
        Ok(())
    })
    .await
}

/// Posts an update of the project on the board (in its プロジェクト category, linking back to
/// the project) and lists it with the project, in one change.
///
/// # Errors
/// [`StoreError::NotFound`] for another tenant's project.
pub async fn post_update(
    db: &Db,
    tenant: TenantId,
    project: &Project,
    by: AccountId,
    draft: &crate::board::PostDraft,
) -> StoreResult<crate::board::PostId> {
    db.write(async |tx| {
        let post = crate::board::store::insert(tx, tenant, draft, by).await?;
        store::insert_update(tx, tenant, project.id, post).await?;
        Ok(post)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_project_is_forming_until_said_otherwise_and_keeps_where_it_was_born() {
        let form = ProjectForm { title: " 空き家の見守り ".into(), lab: "3".into(), ..ProjectForm::default() };
        let d = form.validate().unwrap();
        assert_eq!((d.title.as_str(), d.status, d.lab), ("空き家の見守り", Status::Forming, Some(LabId(3))));
        let bad = ProjectForm { status: "stalled".into(), event: "x".into(), ..ProjectForm::default() };
        let fields: Vec<_> = bad.validate().unwrap_err().0.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["title", "status", "title"]);
        let lead = Member { account_id: AccountId(1), name: "x".into(), lead: true };
        assert!(Access::of(None, Some(&lead)).manage);
        assert!(!Access::of(None, None).see_members);
        for lang in [Lang::Ja, Lang::En] {
            for s in Status::ALL {
                assert!(!s.label(lang).starts_with("project-"));
            }
        }
    }
}
