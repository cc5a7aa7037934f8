//! Articles (アーカイブ・ギャラリー): what the center learns, published on the platform
//! itself: session reports, lab results, hearing summaries, notices and case books. An
//! article is a draft until the secretariat publishes it; it links to at most one session,
//! lab and issue, and those pages show it back. Types and validation here; SQL in
//! `store.rs`, pages in `web.rs`.

use chrono::{DateTime, Utc};

use crate::i18n::Lang;
use crate::tenant::TenantId;
use crate::validate::FieldErrors;

pub mod import;
pub mod store;
pub mod web;

/// An article's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sqlx::Type, serde::Serialize)]
#[sqlx(transparent)]
pub struct ArticleId(pub i64);

/// What an article is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Category {
    /// セッション報告
    SessionReport,
    /// ラボ成果
    LabResult,
    /// ヒアリング要約
    HearingSummary,
    /// お知らせ
    Notice,
    /// 事例集
    Casebook,
}

crate::text_code!(Category {
    SessionReport = "session_report",
    LabResult = "lab_result",
    HearingSummary = "hearing_summary",
    Notice = "notice",
    Casebook = "casebook",
});

impl Category {
    pub fn label(self, lang: Lang) -> std::borrow::Cow<'static, str> {
        lang.t(&format!("article-category-{}", self.code().replace('_', "-")))
    }

    /// The category named in Japanese or by its code (imports use either).
    pub fn from_name(name: &str) -> Option<Category> {
        let name = name.trim();
        Category::from_code(name).or_else(|| Category::ALL.into_iter().find(|c| c.label(Lang::Ja) == name))
    }
}

/// Draft or published.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    Draft,
    Published,
}

crate::text_code!(Status { Draft = "draft", Published = "published" });

/// An article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Article {
    pub id: ArticleId,
    pub tenant_id: TenantId,
    pub title: String,
    /// Markdown as written.
    pub body: String,
    /// Rendered and sanitised when saved.
    pub body_html: String,
    pub category: Category,
    pub tags: Vec<String>,
    pub status: Status,
    /// The date it is known by (shown, and ordering the gallery).
    pub dated_at: DateTime<Utc>,
    pub author: Option<String>,
    pub event: Option<(crate::event::EventId, String)>,
    pub lab: Option<(crate::lab::LabId, String)>,
    pub issue: Option<(crate::social_issue::SocialIssueId, String)>,
}

impl Article {
    /// The first image in the body, shown as the article's cover in the gallery.
    pub fn cover(&self) -> Option<String> {
        pulldown_cmark::Parser::new(&self.body).find_map(|e| match e {
            pulldown_cmark::Event::Start(pulldown_cmark::Tag::Image { dest_url, .. })
                if dest_url.starts_with('/') || dest_url.starts_with("https://") =>
            {
                Some(dest_url.into_string())
            }
            _ => None,
        })
    }

    /// The body as plain text, cut to about `chars` characters, for the gallery.
    pub fn excerpt(&self, chars: usize) -> String {
        let text = crate::markdown::markdown_to_text(&self.body).replace('\n', " ");
        let mut out: String = text.chars().take(chars).collect();
        if text.chars().count() > chars {
            out.push('…');
        }
        out
    }
}

/// Adds a comment to a published article (see [`store::insert_comment`]).
///
/// # Errors
/// The database fails.
pub async fn comment(
    db: &crate::db::Db,
    tenant: TenantId,
    article: ArticleId,
    author: Option<crate::account::AccountId>,
    body: &str,
) -> crate::db::StoreResult<Option<crate::moderation::Status>> {
    db.write(async |tx| store::insert_comment(tx, tenant, article, author, body).await).await
}

/// Applies a moderator's step (or a reader's report) to a comment and logs it, in one
/// transaction; returns its article. A report is taken only on a published comment of a
/// published article.
///
/// # Errors
/// [`crate::db::StoreError::NotFound`] for another tenant's comment, or a report on a
/// comment that is not published.
pub async fn moderate_comment(
    db: &crate::db::Db,
    tenant: TenantId,
    id: i64,
    step: &crate::moderation::Step,
    actor: Option<crate::account::AccountId>,
) -> crate::db::StoreResult<ArticleId> {
    use crate::moderation::{Subject, store as log};
    db.write(async |tx| {
        let article = match step.outcome() {
            Some((status, reason)) => store::set_comment_status(tx, tenant, id, status, reason).await?,
            None => store::published_comment_article(tx, tenant, id).await?.ok_or(crate::db::StoreError::NotFound)?,
        };
        log::log(tx, tenant, Subject::ArticleComment, id, step, actor).await?;
        Ok(article)
    })
    .await
}

/// A validated article as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Draft {
    pub title: String,
    pub body: String,
    pub category: Category,
    pub tags: Vec<String>,
    pub dated_at: DateTime<Utc>,
    pub event_id: Option<crate::event::EventId>,
    pub lab_id: Option<crate::lab::LabId>,
    pub social_issue_id: Option<crate::social_issue::SocialIssueId>,
}

/// The article form as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ArticleForm {
    pub title: String,
    pub body: String,
    pub category: String,
    /// Tags separated by commas or spaces.
    pub tags: String,
    pub date: String,
    pub event_id: String,
    pub lab_id: String,
    pub social_issue_id: String,
    /// `publish` or `draft`: which button was pressed.
    pub action: String,
}

const TITLE_MAX: usize = 200;
const BODY_MAX: usize = 100_000;

/// Tags as typed: split at commas and spaces (full-width too), trimmed, NFKC (a tag is
/// an identifier people filter by), no repeats.
pub fn parse_tags(typed: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for t in typed.split(|c: char| c == ',' || c == '、' || c == '，' || c.is_whitespace()) {
        let t = crate::i18n::normalize_identifier(t);
        if !t.is_empty() && !tags.contains(&t) {
            tags.push(t);
        }
    }
    tags
}

impl ArticleForm {
    /// The form filled with an article's values, for editing.
    pub fn of(a: &Article) -> ArticleForm {
        ArticleForm {
            title: a.title.clone(),
            body: a.body.clone(),
            category: a.category.code().to_owned(),
            tags: a.tags.join(", "),
            date: crate::i18n::wareki::jst_date(a.dated_at).format("%Y-%m-%d").to_string(),
            event_id: a.event.as_ref().map(|e| e.0.0.to_string()).unwrap_or_default(),
            lab_id: a.lab.as_ref().map(|l| l.0.0.to_string()).unwrap_or_default(),
            social_issue_id: a.issue.as_ref().map(|i| i.0.0.to_string()).unwrap_or_default(),
            action: String::new(),
        }
    }

    /// Validates the form.
    ///
    /// # Errors
    /// Each field's problem.
    pub fn validate(&self) -> Result<Draft, FieldErrors> {
        let mut errors = FieldErrors::default();
        let title = self.title.trim();
        if title.is_empty() {
            errors.add("title", "article-error-title");
        } else if title.chars().count() > TITLE_MAX {
            errors.add("title", "article-error-title-long");
        }
        if self.body.trim().is_empty() {
            errors.add("body", "article-error-body");
        } else if self.body.chars().count() > BODY_MAX {
            errors.add("body", "article-error-body-long");
        }
        let category = Category::from_code(&self.category);
        if category.is_none() {
            errors.add("category", "article-error-category");
        }
        let date = errors.date("date", &self.date, "article-error-date-empty", "article-error-date");
        let id = |s: &str| s.trim().parse::<i64>().ok().filter(|n| *n > 0);
        match (category, date) {
            (Some(category), Some(date)) if errors.is_empty() => Ok(Draft {
                title: title.to_owned(),
                body: self.body.clone(),
                category,
                tags: parse_tags(&self.tags),
                dated_at: crate::i18n::wareki::jst_midnight(date),
                event_id: id(&self.event_id).map(crate::event::EventId),
                lab_id: id(&self.lab_id).map(crate::lab::LabId),
                social_issue_id: id(&self.social_issue_id).map(crate::social_issue::SocialIssueId),
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_split_however_typed() {
        assert_eq!(parse_tags("防災, 町内会　ＮＰＯ、防災"), ["防災", "町内会", "NPO"]);
        assert!(parse_tags(" , ").is_empty());
    }

    #[test]
    fn categories_by_code_or_japanese_name() {
        assert_eq!(Category::from_name("セッション報告"), Some(Category::SessionReport));
        assert_eq!(Category::from_name("casebook"), Some(Category::Casebook));
        assert_eq!(Category::from_name("日記"), None);
    }

    #[test]
    fn a_form_names_each_problem() {
        let errors = ArticleForm { date: "令和6年13月1日".into(), ..ArticleForm::default() }.validate().unwrap_err();
        let fields: Vec<_> = errors.0.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["title", "body", "category", "date"]);
        let ok = ArticleForm {
            title: " 第1回 情報交換会の報告 ".into(),
            body: "![会場](/files/1/a.jpg)\n\n話し合いました。".into(),
            category: "session_report".into(),
            date: "令和5年4月20日".into(),
            event_id: "3".into(),
            ..ArticleForm::default()
        }
        .validate()
        .unwrap();
        assert_eq!(ok.title, "第1回 情報交換会の報告");
        assert_eq!(ok.event_id, Some(crate::event::EventId(3)));
        assert_eq!(crate::i18n::wareki::jst_date(ok.dated_at).to_string(), "2023-04-20");
    }
}
