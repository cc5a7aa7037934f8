//! The moderators' queue (`/admin/moderation`): reported posts first, marked with their
//! reports, then what waits for approval, then the log; and the forms moderators and
//! readers send, which each kind of post's own pages take.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::routing::get;

use super::{Action, Flagged, LogEntry, Post, Step, store};
use crate::web::{Admin, AppError, AppResult, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/moderation", get(queue))
}

/// A moderator's decision as sent: `approve`, `hide` (with a reason) or `restore`, and the
/// page to come back to.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ModerationForm {
    pub action: String,
    pub reason: String,
    /// A page of the secretariat's to come back to (`/admin/…`); others are ignored.
    pub back: String,
}

impl ModerationForm {
    /// The step; `None`, with a message for the next page, when hiding without a reason.
    ///
    /// # Errors
    /// [`AppError::NotFound`] for an unknown step (only a forged form sends one).
    pub fn step(&self, ctx: &Ctx) -> AppResult<Option<Step>> {
        let action = match self.action.as_str() {
            "approve" => Action::Approved,
            "hide" => Action::Hidden,
            "restore" => Action::Restored,
            _ => return Err(AppError::NotFound),
        };
        let step = Step::decision(action, &self.reason);
        if step.is_none() {
            ctx.set_flash("issue-error-hide-reason-required");
        }
        Ok(step)
    }

    /// Where to go afterwards: the page the form came from when it is one of the
    /// secretariat's, else `default`.
    pub fn back<'a>(&'a self, default: &'a str) -> &'a str {
        let local = self.back.starts_with("/admin/") && !self.back.contains("//") && !self.back.contains('\\');
        if local { &self.back } else { default }
    }
}

/// A reader's report as sent.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ReasonForm {
    pub reason: String,
}

#[derive(Template)]
#[template(path = "moderation/queue.html")]
pub struct QueuePage {
    pub ctx: Ctx,
    pub flagged: Vec<Flagged>,
    /// Issues waiting for approval.
    pub pending: Vec<Post>,
    /// Comments waiting for approval, on issues and consultations.
    pub comments: Vec<Post>,
    pub log: Vec<LogEntry>,
}

impl QueuePage {
    /// A step's name in the reader's language.
    pub fn action(&self, action: &Action) -> std::borrow::Cow<'static, str> {
        action.label(self.ctx.lang)
    }

    /// What kind of post a line is about, in the reader's language.
    pub fn subject(&self, subject: &super::Subject) -> std::borrow::Cow<'static, str> {
        self.ctx.lang.t(match subject {
            super::Subject::SocialIssue => "moderation-subject-social-issue",
            super::Subject::IssueComment => "moderation-subject-issue-comment",
            super::Subject::ConsultationComment => "moderation-subject-consultation-comment",
            super::Subject::ArticleComment => "moderation-subject-article-comment",
            super::Subject::BoardPost => "moderation-subject-board-post",
            super::Subject::BoardComment => "moderation-subject-board-comment",
        })
    }
}

async fn queue(Admin(ctx, _): Admin, State(st): State<AppState>) -> AppResult<QueuePage> {
    let t = ctx.tenant.id;
    let (pending, comments) = store::pending(&st.db, t).await?.into_iter().partition(Post::is_issue);
    Ok(QueuePage {
        flagged: store::flagged(&st.db, t).await?,
        pending,
        comments,
        log: store::list_log(&st.db, t, 50).await?,
        ctx,
    })
}

crate::html_page!(QueuePage);
