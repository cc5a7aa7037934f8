//! Social issues (地域課題・課題の種): anyone brings an issue or the seed of one; members
//! say "me too" (共感); the secretariat moves it through the four stages with a dated
//! history. Posts made anonymously wait for the secretariat's approval and keep no author.
//! This file holds the types and validation; SQL is in `store.rs`, pages in `web.rs`.

use chrono::{DateTime, Utc};

use crate::i18n::Lang;
use crate::tenant::TenantId;
use crate::validate::FieldErrors;

pub mod follow;
pub mod store;
pub mod web;

/// A social issue's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sqlx::Type, serde::Serialize)]
#[sqlx(transparent)]
pub struct SocialIssueId(pub i64);

/// The four stages of work on an issue (report, figure 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Stage(pub i64);

impl Stage {
    pub const ALL: [Stage; 4] = [Stage(1), Stage(2), Stage(3), Stage(4)];

    /// ① 課題発見/主体形成 …
    pub fn label(self, lang: Lang) -> std::borrow::Cow<'static, str> {
        lang.t(&format!("issue-stage-{}", self.0))
    }
}

/// Whether an issue (or a comment) shows publicly: see [`crate::moderation`].
pub use crate::moderation::Status;

/// A comment's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sqlx::Type, serde::Serialize, serde::Deserialize)]
#[sqlx(transparent)]
#[serde(transparent)]
pub struct CommentId(pub i64);

/// Area tags people pick from (free tags would scatter the same issue under many names).
pub const TAGS: [&str; 9] = ["子育て", "高齢者", "居住支援", "防災", "教育", "多文化共生", "地域自治", "障害", "環境"];

/// A social issue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SocialIssue {
    pub id: SocialIssueId,
    pub tenant_id: TenantId,
    pub title: String,
    pub description: String,
    /// Rendered and sanitised when saved.
    pub description_html: String,
    pub tags: Vec<String>,
    /// Ward or place (e.g. 若林区).
    pub place: String,
    /// The member who brought it; `None` when posted anonymously.
    pub author: Option<String>,
    pub status: Status,
    pub hidden_reason: String,
    pub stage: Stage,
    pub supporters: i64,
    pub created_at: DateTime<Utc>,
}

/// The issue form as typed.
#[derive(Clone, Debug, Default)]
pub struct IssueForm {
    pub title: String,
    pub description: String,
    pub place: String,
    /// Checked tags (the form sends `tag` once per checked box).
    pub tags: Vec<String>,
    pub anonymous: Option<String>,
    /// Set once the similar issues already there were shown: the next submit sends.
    pub similar_seen: Option<String>,
}

/// A validated new issue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewIssue {
    pub title: String,
    pub description: String,
    pub place: String,
    pub tags: Vec<String>,
    pub anonymous: bool,
}

impl IssueForm {
    /// Reads the submitted fields (a list, since `tag` repeats).
    pub fn from_pairs(pairs: Vec<(String, String)>) -> IssueForm {
        let mut f = IssueForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "title" => f.title = v,
                "description" => f.description = v,
                "place" => f.place = v,
                "tag" => f.tags.push(v),
                "anonymous" => f.anonymous = Some(v),
                "similar_seen" => f.similar_seen = Some(v),
                _ => {}
            }
        }
        f
    }

    pub fn has_tag(&self, tag: &&str) -> bool {
        self.tags.iter().any(|t| t == tag)
    }

    /// Validates the form.
    ///
    /// # Errors
    /// Each field's problem.
    pub fn validate(&self) -> Result<NewIssue, FieldErrors> {
        let mut errors = FieldErrors::default();
        let title = self.title.trim();
        if title.is_empty() {
            errors.add("title", "issue-error-title");
        } else if title.chars().count() > 120 {
            errors.add("title", "issue-error-title-long");
        }
        let description = self.description.trim();
        if description.is_empty() {
            errors.add("description", "issue-error-description");
        } else if description.chars().count() > 10_000 {
            errors.add("description", "issue-error-description-long");
        }
        if self.place.trim().chars().count() > 100 {
            errors.add("place", "issue-error-place-long");
        }
        let tags: Vec<String> =
            TAGS.iter().filter(|t| self.tags.iter().any(|x| x == *t)).map(|t| (*t).to_owned()).collect();
        errors.into_result(NewIssue {
            title: title.to_owned(),
            description: description.to_owned(),
            place: self.place.trim().to_owned(),
            tags,
            anonymous: self.anonymous.is_some(),
        })
    }
}

/// Brings an issue: published at once when a member signs it (and they follow it), else
/// waiting for approval with no author kept.
///
/// # Errors
/// The database fails.
pub async fn bring(
    db: &crate::db::Db,
    tenant: TenantId,
    new: &NewIssue,
    author: Option<crate::account::AccountId>,
) -> crate::db::StoreResult<SocialIssueId> {
    db.write(async |tx| {
        let id = store::insert(tx, tenant, new, author).await?;
        if let Some(author) = author {
            follow::follow(tx, tenant, id, author).await?;
        }
        Ok(id)
    })
    .await
}

/// Adds or withdraws a member's support of a published issue; returns whether they now
/// support it.
///
/// # Errors
/// [`crate::db::StoreError::NotFound`] unless the issue is published in this tenant.
pub async fn toggle_support(
    db: &crate::db::Db,
    tenant: TenantId,
    id: SocialIssueId,
    account: crate::account::AccountId,
) -> crate::db::StoreResult<bool> {
    db.write(async |tx| store::toggle_support(tx, tenant, id, account).await).await
}

/// Moves an issue to a stage, with a note in its history.
///
/// # Errors
/// [`crate::db::StoreError::NotFound`] for another tenant's id.
pub async fn set_stage(
    db: &crate::db::Db,
    tenant: TenantId,
    id: SocialIssueId,
    stage: Stage,
    note: &str,
    by: crate::account::AccountId,
) -> crate::db::StoreResult<()> {
    db.write(async |tx| store::set_stage(tx, tenant, id, stage, note, by).await).await
}

/// Applies a moderator's step (or a reader's report) to an issue and logs it, in one
/// transaction. A report is taken only on a published issue.
///
/// # Errors
/// [`crate::db::StoreError::NotFound`] for another tenant's id, or a report on an issue
/// that is not published.
pub async fn moderate(
    db: &crate::db::Db,
    tenant: TenantId,
    id: SocialIssueId,
    step: &crate::moderation::Step,
    actor: Option<crate::account::AccountId>,
) -> crate::db::StoreResult<()> {
    use crate::moderation::{Subject, store as log};
    db.write(async |tx| {
        match step.outcome() {
            Some((status, reason)) => store::set_status(tx, tenant, id, status, reason).await?,
            None if store::status_in(tx, tenant, id).await? != Status::Published => {
                return Err(crate::db::StoreError::NotFound);
            }
            None => {}
        }
        log::log(tx, tenant, Subject::SocialIssue, id.0, step, actor).await
    })
    .await
}

/// Adds a comment to a published issue (shown at once when signed, else waiting for
/// approval); returns its status, `None` when the issue is not published here.
///
/// # Errors
/// The database fails.
pub async fn comment(
    db: &crate::db::Db,
    tenant: TenantId,
    issue: SocialIssueId,
    author: Option<crate::account::AccountId>,
    body: &str,
) -> crate::db::StoreResult<Option<Status>> {
    db.write(async |tx| store::insert_comment(tx, tenant, issue, author, body).await).await
}

/// Applies a moderator's step (or a reader's report) to a comment and logs it, in one
/// transaction; returns the issue it is on, and whether the comment became published by
/// it (what followers are told of: approving one already shown tells nobody again). A
/// report is taken only on a published comment.
///
/// # Errors
/// [`crate::db::StoreError::NotFound`] for another tenant's comment, or a report on a
/// comment that is not published.
pub async fn moderate_comment(
    db: &crate::db::Db,
    tenant: TenantId,
    id: CommentId,
    step: &crate::moderation::Step,
    actor: Option<crate::account::AccountId>,
) -> crate::db::StoreResult<(SocialIssueId, bool)> {
    use crate::moderation::{Subject, store as log};
    db.write(async |tx| {
        let was_published = store::published_comment_issue(tx, tenant, id).await?.is_some();
        let (issue, now_published) = match step.outcome() {
            Some((status, reason)) => {
                (store::set_comment_status(tx, tenant, id, status, reason).await?, status == Status::Published)
            }
            None => {
                (store::published_comment_issue(tx, tenant, id).await?.ok_or(crate::db::StoreError::NotFound)?, true)
            }
        };
        log::log(tx, tenant, Subject::IssueComment, id.0, step, actor).await?;
        Ok((issue, now_published && !was_published))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_known_tags_are_kept() {
        let f = IssueForm {
            title: "空き家".into(),
            description: "増えています".into(),
            tags: vec!["居住支援".into(), "<script>".into()],
            ..IssueForm::default()
        };
        assert_eq!(f.validate().unwrap().tags, ["居住支援"]);
        let errors = IssueForm::default().validate().unwrap_err();
        let fields: Vec<_> = errors.0.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["title", "description"]);
    }
}
