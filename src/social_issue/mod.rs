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

/// Whether an issue shows publicly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Posted anonymously, waiting for the secretariat.
    Pending,
    Published,
    /// Hidden by the secretariat, with a reason.
    Hidden,
}

crate::text_code!(Status { Pending = "pending", Published = "published", Hidden = "hidden" });

impl Status {
    pub fn label(self, lang: Lang) -> std::borrow::Cow<'static, str> {
        lang.t(&format!("issue-status-{}", self.code()))
    }
}

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
