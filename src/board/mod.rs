//! The community board (掲示板): the network's posts in place of the Facebook group:
//! notices, grant information, project progress, data and materials, and event
//! announcements. A member posts for everyone or for members only; readers who may read
//! a post mark it useful (参考になった); the secretariat pins posts and moderates them like
//! every public post ([`crate::moderation`]); readers report. A session is announced from
//! its page.
//!
//! Who may do what: anyone reads public posts, members also members-only posts; a member
//! posts; its author and the secretariat edit a post; only the secretariat pins, hides
//! and restores.

use chrono::{DateTime, Utc};

use crate::account::{Account, AccountId};
use crate::db::{Db, StoreResult};
use crate::i18n::Lang;
use crate::moderation::Status;
use crate::tenant::TenantId;
use crate::validate::FieldErrors;

pub mod store;
pub mod web;

/// A post's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sqlx::Type, serde::Serialize)]
#[sqlx(transparent)]
pub struct PostId(pub i64);

/// What a post is about (the group's habits: お知らせ, 助成金情報, プロジェクト進捗,
/// データ・資料, イベント告知).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Category {
    Notice,
    Grant,
    Project,
    Data,
    Event,
}

crate::text_code!(Category { Notice = "notice", Grant = "grant", Project = "project", Data = "data", Event = "event" });

impl Category {
    pub fn label(self, lang: Lang) -> std::borrow::Cow<'static, str> {
        lang.t(&format!("board-category-{}", self.code()))
    }
}

/// Who may read a post.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    Public,
    Members,
}

crate::text_code!(Audience { Public = "public", Members = "members" });

impl Audience {
    pub fn label(self, lang: Lang) -> std::borrow::Cow<'static, str> {
        lang.t(&format!("board-audience-{}", self.code()))
    }
}

/// A post.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Post {
    pub id: PostId,
    pub tenant_id: TenantId,
    pub author_id: Option<AccountId>,
    /// The author's display name; empty once their account is gone.
    pub author: String,
    pub category: Category,
    pub audience: Audience,
    pub title: String,
    /// As written (Markdown), for editing.
    pub body: String,
    /// Rendered and sanitised when saved.
    pub body_html: String,
    /// The session it announces.
    pub event_id: Option<crate::event::EventId>,
    pub pinned: bool,
    pub status: Status,
    pub hidden_reason: String,
    /// Readers who marked it useful.
    pub reactions: i64,
    pub created_at: DateTime<Utc>,
}

impl Post {
    /// Whether `reader` may read it: a public post everyone, a members' post members; a
    /// hidden one only its author and the secretariat.
    pub fn readable_by(&self, reader: Option<&Account>) -> bool {
        let manager = reader.is_some_and(|a| a.is_admin() || Some(a.id) == self.author_id);
        let audience = self.audience == Audience::Public || reader.is_some();
        audience && (self.status == Status::Published || manager)
    }

    /// Whether `reader` may edit it: its author and the secretariat.
    pub fn editable_by(&self, reader: &Account) -> bool {
        reader.is_admin() || Some(reader.id) == self.author_id
    }
}

/// The post form as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct PostForm {
    pub category: String,
    pub audience: String,
    pub title: String,
    pub body: String,
    /// The session announced, by its number.
    pub event: String,
}

/// A validated post.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostDraft {
    pub category: Category,
    pub audience: Audience,
    pub title: String,
    pub body: String,
    pub event_id: Option<crate::event::EventId>,
}

impl PostForm {
    pub fn of(p: &Post) -> PostForm {
        PostForm {
            category: p.category.code().to_owned(),
            audience: p.audience.code().to_owned(),
            title: p.title.clone(),
            body: p.body.clone(),
            event: p.event_id.map(|e| e.0.to_string()).unwrap_or_default(),
        }
    }

    /// Validates the form; the session's number accepts full-width digits.
    ///
    /// # Errors
    /// Each field's problem.
    pub fn validate(&self) -> Result<PostDraft, FieldErrors> {
        let mut errors = FieldErrors::default();
        let category = Category::from_code(self.category.trim());
        if category.is_none() {
            errors.add("category", "board-error-category");
        }
        let audience = Audience::from_code(self.audience.trim());
        if audience.is_none() {
            errors.add("audience", "board-error-audience");
        }
        let title = self.title.trim();
        if title.is_empty() {
            errors.add("title", "board-error-title");
        } else if title.chars().count() > 120 || title.contains(['\r', '\n']) {
            errors.add("title", "board-error-title-long");
        }
        let body = self.body.trim();
        if body.is_empty() {
            errors.add("body", "board-error-body");
        } else if body.chars().count() > 20_000 {
            errors.add("body", "board-error-body-long");
        }
        let event = crate::i18n::normalize_identifier(&self.event);
        let event_id = match event.trim().trim_start_matches('#') {
            "" => None,
            n => match n.parse::<i64>() {
                Ok(n) if n > 0 => Some(crate::event::EventId(n)),
                _ => {
                    errors.add("event", "board-error-event");
                    None
                }
            },
        };
        match (category, audience) {
            (Some(category), Some(audience)) if errors.is_empty() => {
                Ok(PostDraft { category, audience, title: title.to_owned(), body: body.to_owned(), event_id })
            }
            _ => Err(errors),
        }
    }
}

/// Posts, signed by the member.
///
/// # Errors
/// [`crate::db::StoreError::NotFound`] when the session announced is not the tenant's.
pub async fn post(db: &Db, tenant: TenantId, draft: &PostDraft, by: AccountId) -> StoreResult<PostId> {
    db.write(async |tx| store::insert(tx, tenant, draft, by).await).await
}

/// How many files a post may carry.
pub const MAX_ATTACHMENTS: i64 = 5;

/// Attaches a checked file to a post (kept by the file store, not public); `false` when
/// the post already carries [`MAX_ATTACHMENTS`].
///
/// # Errors
/// The database fails.
pub async fn attach(
    db: &Db,
    tenant: TenantId,
    post: PostId,
    file: &crate::file::Checked,
    by: AccountId,
) -> StoreResult<bool> {
    db.write(async |tx| {
        store::lock(tx, tenant, post).await?;
        if store::count_attachments(tx, tenant, post).await? >= MAX_ATTACHMENTS {
            return Ok(false);
        }
        let id = crate::file::store::insert_private(tx, tenant, file, Some(by)).await?;
        store::insert_attachment(tx, tenant, post, id).await?;
        Ok(true)
    })
    .await
}

/// Takes a file off a post and lets the file go (a post's files are its own).
///
/// # Errors
/// [`crate::db::StoreError::NotFound`] when the file is not attached to the post.
pub async fn detach(db: &Db, tenant: TenantId, post: PostId, file: crate::file::FileId) -> StoreResult<()> {
    db.write(async |tx| {
        store::lock(tx, tenant, post).await?;
        if !store::delete_attachment(tx, tenant, post, file).await? {
            return Err(crate::db::StoreError::NotFound);
        }
        crate::file::store::delete_private(tx, tenant, file).await
    })
    .await
}

/// Changes a post's text.
///
/// # Errors
/// [`crate::db::StoreError::NotFound`] for another tenant's post or session.
pub async fn update(db: &Db, tenant: TenantId, id: PostId, draft: &PostDraft) -> StoreResult<()> {
    db.write(async |tx| store::update(tx, tenant, id, draft).await).await
}

/// Pins a post to the top of the board, or unpins it.
///
/// # Errors
/// [`crate::db::StoreError::NotFound`] for another tenant's post.
pub async fn pin(db: &Db, tenant: TenantId, id: PostId, pinned: bool) -> StoreResult<()> {
    db.write(async |tx| store::set_pinned(tx, tenant, id, pinned).await).await
}

/// Marks the post useful for the reader, or takes the mark back.
///
/// # Errors
/// [`crate::db::StoreError::NotFound`] for another tenant's post.
pub async fn toggle_reaction(db: &Db, tenant: TenantId, id: PostId, by: AccountId) -> StoreResult<bool> {
    db.write(async |tx| store::toggle_reaction(tx, tenant, id, by).await).await
}

/// A moderator's step or a reader's report on a post, logged in the same change.
///
/// # Errors
/// [`crate::db::StoreError::NotFound`] for another tenant's post.
pub async fn moderate(
    db: &Db,
    tenant: TenantId,
    id: PostId,
    step: &crate::moderation::Step,
    actor: Option<AccountId>,
) -> StoreResult<()> {
    use crate::moderation::{Subject, store as log};
    db.write(async |tx| {
        match step.outcome() {
            Some((status, reason)) => store::set_status(tx, tenant, id, status, reason).await?,
            None => store::get_in(tx, tenant, id).await.map(|_| ())?,
        }
        log::log(tx, tenant, Subject::BoardPost, id.0, step, actor).await?;
        Ok(())
    })
    .await
}

/// A member's comment on a published post; `false` when there is no such post.
///
/// # Errors
/// The database fails.
pub async fn comment(db: &Db, tenant: TenantId, post: PostId, by: AccountId, body: &str) -> StoreResult<bool> {
    db.write(async |tx| store::insert_comment(tx, tenant, post, by, body).await).await
}

/// A moderator's step or a reader's report on a comment, logged in the same change;
/// returns its post. A report is taken only on a published comment.
///
/// # Errors
/// [`crate::db::StoreError::NotFound`] for another tenant's comment.
pub async fn moderate_comment(
    db: &Db,
    tenant: TenantId,
    id: i64,
    step: &crate::moderation::Step,
    actor: Option<AccountId>,
) -> StoreResult<PostId> {
    use crate::moderation::{Subject, store as log};
    db.write(async |tx| {
        let post = match step.outcome() {
            Some((status, reason)) => store::set_comment_status(tx, tenant, id, status, reason).await?,
            None => store::published_comment_post(tx, tenant, id).await?,
        };
        log::log(tx, tenant, Subject::BoardComment, id, step, actor).await?;
        Ok(post)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(audience: Audience, status: Status) -> Post {
        Post {
            id: PostId(1),
            tenant_id: TenantId(1),
            author_id: Some(AccountId(7)),
            author: "著者".into(),
            category: Category::Grant,
            audience,
            title: "t".into(),
            body: "b".into(),
            body_html: "b".into(),
            event_id: None,
            pinned: false,
            status,
            hidden_reason: String::new(),
            reactions: 0,
            created_at: Utc::now(),
        }
    }

    #[test]
    fn who_reads_a_post() {
        assert!(post(Audience::Public, Status::Published).readable_by(None));
        assert!(!post(Audience::Members, Status::Published).readable_by(None));
        assert!(!post(Audience::Public, Status::Hidden).readable_by(None));
    }

    #[test]
    fn the_form_is_checked_field_by_field() {
        let ok = PostForm {
            category: "grant".into(),
            audience: "members".into(),
            title: "助成金のお知らせ".into(),
            body: "締切は５月".into(),
            event: "＃１２".into(),
        }
        .validate()
        .unwrap();
        assert_eq!(ok.event_id, Some(crate::event::EventId(12)));
        assert_eq!(ok.body, "締切は５月", "free text is not normalised");
        let bad = PostForm { category: "diary".into(), audience: "friends".into(), ..PostForm::default() };
        let fields: Vec<_> = bad.validate().unwrap_err().0.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["category", "audience", "title", "body"]);
    }
}
