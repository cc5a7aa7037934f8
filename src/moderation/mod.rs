//! Moderation (確認): what the public posts (social issues, their comments, comments on a
//! consultation and on articles, board posts and their comments) is published, waits for approval,
//! or is hidden with a reason. Moderators approve, hide and restore; readers report (通報),
//! which puts the item in the moderators' queue, marked, until a moderator decides. Every
//! step is a line of the log, which the application only ever adds to.
//!
//! Each kind of post keeps its status in its own table, written by its own store; its
//! concept applies a step through [`apply`]'s rules and writes the log here in the same
//! transaction. SQL is in `store.rs`, the queue page in `web.rs`.

use chrono::{DateTime, Utc};

pub mod store;
pub mod web;

/// Whether a post shows publicly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Posted without an account: waiting for a moderator.
    Pending,
    Published,
    /// Hidden by a moderator, with a reason.
    Hidden,
}

crate::text_code!(Status { Pending = "pending", Published = "published", Hidden = "hidden" });

impl Status {
    pub fn label(self, lang: crate::i18n::Lang) -> std::borrow::Cow<'static, str> {
        lang.t(match self {
            Status::Pending => "issue-status-pending",
            Status::Published => "issue-status-published",
            Status::Hidden => "issue-status-hidden",
        })
    }

    /// The status of a new post: at once when signed by a member, else after approval.
    pub fn of_new_post(signed: bool) -> Status {
        if signed { Status::Published } else { Status::Pending }
    }
}

/// A step of moderation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// A reader's report: the post stays as it is and waits in the queue, marked.
    Reported,
    Approved,
    Hidden,
    Restored,
}

crate::text_code!(Action { Reported = "reported", Approved = "approved", Hidden = "hidden", Restored = "restored" });

impl Action {
    /// The status the step leaves the post in; a report changes nothing.
    pub fn status(self) -> Option<Status> {
        match self {
            Action::Approved | Action::Restored => Some(Status::Published),
            Action::Hidden => Some(Status::Hidden),
            Action::Reported => None,
        }
    }

    /// Its name in the log, in the reader's language.
    pub fn label(self, lang: crate::i18n::Lang) -> std::borrow::Cow<'static, str> {
        lang.t(match self {
            Action::Reported => "issue-log-reported",
            Action::Approved => "issue-log-approved",
            Action::Hidden => "issue-log-hidden",
            Action::Restored => "issue-log-restored",
        })
    }
}

/// What kind of post a step is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Subject {
    SocialIssue,
    IssueComment,
    ConsultationComment,
    ArticleComment,
    BoardPost,
    BoardComment,
}

crate::text_code!(Subject {
    SocialIssue = "social_issue",
    IssueComment = "issue_comment",
    ConsultationComment = "consultation_comment",
    ArticleComment = "article_comment",
    BoardPost = "board_post",
    BoardComment = "board_comment",
});

/// A moderator's or a reader's step, with its reason (required to hide).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub action: Action,
    pub reason: String,
}

impl Step {
    /// A moderator's step; `None` when hiding without a reason (a hidden post's author
    /// and the log must be able to tell why).
    pub fn decision(action: Action, reason: &str) -> Option<Step> {
        let reason = crate::validate::short_text(reason, 500);
        (action != Action::Hidden || !reason.is_empty()).then_some(Step { action, reason })
    }

    /// A reader's report, with what they said.
    pub fn report(reason: &str) -> Step {
        Step { action: Action::Reported, reason: crate::validate::short_text(reason, 500) }
    }

    /// The status the post moves to, and the reason it keeps for being hidden.
    pub fn outcome(&self) -> Option<(Status, &str)> {
        self.action.status().map(|s| (s, if s == Status::Hidden { self.reason.as_str() } else { "" }))
    }
}

/// One line of the log.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct LogEntry {
    pub subject: Subject,
    pub subject_id: i64,
    pub action: Action,
    pub reason: String,
    /// Who took the step (a reader's report may come from nobody in particular).
    pub actor: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A post waiting in the moderators' queue.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Post {
    pub subject: Subject,
    pub subject_id: i64,
    /// The post's title, or its text for a comment.
    pub text: String,
    /// What a comment is on (its issue or consultation).
    pub parent: Option<i64>,
    pub created_at: DateTime<Utc>,
}

/// A published post that readers reported and no moderator has decided on since.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flagged {
    pub post: Post,
    /// Reports since the last decision.
    pub reports: i64,
    /// What the last report said.
    pub reason: String,
    pub reported_at: DateTime<Utc>,
}

impl Post {
    /// Whether it is a social issue (else a comment).
    pub fn is_issue(&self) -> bool {
        self.subject == Subject::SocialIssue
    }

    /// Where the post is read, within the tenant's site.
    pub fn link(&self) -> String {
        match (self.subject, self.parent) {
            (Subject::IssueComment, Some(issue)) => format!("/issues/{issue}#comment-{}", self.subject_id),
            (Subject::ConsultationComment, Some(c)) => format!("/consultations/{c}/manage#comment-{}", self.subject_id),
            (Subject::ArticleComment, Some(a)) => format!("/articles/{a}#comment-{}", self.subject_id),
            (Subject::BoardPost, _) => format!("/board/{}", self.subject_id),
            (Subject::BoardComment, Some(p)) => format!("/board/{p}#comment-{}", self.subject_id),
            _ => format!("/issues/{}", self.subject_id),
        }
    }

    /// Where a moderator's decision on it is sent.
    pub fn action(&self) -> String {
        match (self.subject, self.parent) {
            (Subject::IssueComment, _) => format!("/admin/comments/{}/moderation", self.subject_id),
            (Subject::ArticleComment, _) => format!("/admin/article-comments/{}/moderation", self.subject_id),
            (Subject::BoardPost, _) => format!("/admin/board/{}/moderation", self.subject_id),
            (Subject::BoardComment, _) => format!("/admin/board-comments/{}/moderation", self.subject_id),
            (Subject::ConsultationComment, Some(c)) => {
                format!("/consultations/{c}/comments/{}/moderation", self.subject_id)
            }
            _ => format!("/admin/issues/{}/moderation", self.subject_id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hiding_needs_a_reason_and_a_report_changes_nothing() {
        assert_eq!(Step::decision(Action::Hidden, "  "), None);
        let hide = Step::decision(Action::Hidden, "個人情報").unwrap();
        assert_eq!(hide.outcome(), Some((Status::Hidden, "個人情報")));
        let approve = Step::decision(Action::Approved, "ok").unwrap();
        assert_eq!(approve.outcome(), Some((Status::Published, "")), "no reason kept for a published post");
        assert_eq!(Step::report("違う").outcome(), None);
        assert_eq!(Status::of_new_post(true), Status::Published);
        assert_eq!(Status::of_new_post(false), Status::Pending);
    }
}
