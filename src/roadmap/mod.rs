//! Roadmaps (ロードマップ): a lab's Markdown document, kept version by version. Each
//! version is split into numbered paragraphs (blocks separated by a blank line) so that a
//! consultation can take comments on one paragraph at a time, and two versions can be
//! compared line by line.

use chrono::{DateTime, Utc};

use crate::lab::LabId;
use crate::validate::FieldErrors;

pub mod store;
pub mod web;

/// A roadmap version's row id (consultations refer to it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sqlx::Type, serde::Serialize)]
#[sqlx(transparent)]
pub struct VersionId(pub i64);

/// One saved version of a lab's roadmap.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    /// The row id (consultations refer to it).
    pub id: VersionId,
    pub lab_id: LabId,
    /// 1, 2, … within the lab.
    pub number: i64,
    pub body: String,
    /// What changed, in the author's words.
    pub note: String,
    pub author: Option<String>,
    pub created_at: DateTime<Utc>,
    /// When it was withdrawn: kept in the history, never the current version again.
    pub withdrawn_at: Option<DateTime<Utc>>,
    /// Why, in the words of whoever withdrew it.
    pub withdrawn_note: String,
}

/// The lab's current version: the newest not withdrawn (`versions` newest first).
pub fn current(versions: &[Version]) -> Option<&Version> {
    versions.iter().find(|v| v.withdrawn_at.is_none())
}

/// One numbered paragraph of a version, rendered and sanitised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paragraph {
    /// 1, 2, …
    pub number: i64,
    pub html: String,
}

impl Version {
    /// The version's paragraphs: blocks of Markdown separated by blank lines.
    pub fn paragraphs(&self) -> Vec<Paragraph> {
        paragraphs(&self.body)
    }

    /// The whole version rendered and sanitised.
    pub fn html(&self) -> String {
        crate::markdown::render_markdown(&self.body)
    }
}

/// Saves a new version of a lab's roadmap; returns its number.
///
/// # Errors
/// [`crate::db::StoreError::NotFound`] for another tenant's lab.
pub async fn save(
    db: &crate::db::Db,
    tenant: crate::tenant::TenantId,
    lab: LabId,
    body: &str,
    note: &str,
    by: crate::account::AccountId,
) -> crate::db::StoreResult<i64> {
    db.write(async |tx| store::insert(tx, tenant, lab, body, note, by).await).await
}

/// Why a version was not withdrawn.
#[derive(Debug)]
pub enum WithdrawRefused {
    /// A consultation on it is open or still to open: it is what people comment on.
    Consulted,
    Store(crate::db::StoreError),
}

impl From<crate::db::StoreError> for WithdrawRefused {
    fn from(e: crate::db::StoreError) -> Self {
        WithdrawRefused::Store(e)
    }
}

/// Withdraws version `number` of a lab's roadmap, saying why (`note`, at most 500
/// characters, checked by [`WithdrawForm::validate`]).
///
/// # Errors
/// [`WithdrawRefused::Consulted`] while a consultation on it is open or to open;
/// [`crate::db::StoreError::NotFound`] for another tenant's lab, a version that does not
/// exist or was withdrawn already.
pub async fn withdraw(
    db: &crate::db::Db,
    tenant: crate::tenant::TenantId,
    lab: LabId,
    number: i64,
    note: &str,
) -> Result<(), WithdrawRefused> {
    db.write(async |tx| match store::withdraw(tx, tenant, lab, number, note).await? {
        store::Withdrawal::Done => Ok(()),
        store::Withdrawal::Consulted => Err(WithdrawRefused::Consulted),
    })
    .await
}

/// The withdrawal form as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct WithdrawForm {
    pub withdrawn_note: String,
}

impl WithdrawForm {
    /// The reason, trimmed.
    ///
    /// # Errors
    /// A reason longer than 500 characters.
    pub fn validate(&self) -> Result<String, FieldErrors> {
        let note = self.withdrawn_note.trim();
        if note.chars().count() > 500 {
            return Err(FieldErrors::single("withdrawn_note", "roadmap-error-note-long"));
        }
        Ok(note.to_owned())
    }
}

/// Splits Markdown into blocks separated by blank lines and renders each.
pub fn paragraphs(body: &str) -> Vec<Paragraph> {
    blocks(body)
        .iter()
        .zip(1..)
        .map(|(md, number)| Paragraph { number, html: crate::markdown::render_markdown(md) })
        .collect()
}

/// The Markdown of each paragraph: blocks separated by blank lines.
pub fn blocks(body: &str) -> Vec<String> {
    let mut blocks: Vec<String> = Vec::new();
    let mut current = String::new();
    for line in body.lines() {
        if line.trim().is_empty() {
            if !current.trim().is_empty() {
                blocks.push(std::mem::take(&mut current));
            }
            current.clear();
        } else {
            current.push_str(line);
            current.push('\n');
        }
    }
    if !current.trim().is_empty() {
        blocks.push(current);
    }
    blocks
}

/// How a line of a diff changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Same,
    Removed,
    Added,
}

impl Change {
    pub fn code(self) -> &'static str {
        match self {
            Change::Same => "same",
            Change::Removed => "removed",
            Change::Added => "added",
        }
    }
}

/// One line of a diff between two versions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiffLine {
    pub change: Change,
    pub text: String,
}

/// The line-by-line difference from `old` to `new` (text, not HTML: shown escaped).
pub fn diff(old: &str, new: &str) -> Vec<DiffLine> {
    similar::TextDiff::from_lines(old, new)
        .iter_all_changes()
        .map(|c| DiffLine {
            change: match c.tag() {
                similar::ChangeTag::Equal => Change::Same,
                similar::ChangeTag::Delete => Change::Removed,
                similar::ChangeTag::Insert => Change::Added,
            },
            text: c.value().trim_end_matches(['\n', '\r']).to_owned(),
        })
        .collect()
}

/// The new-version form as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct VersionForm {
    pub body: String,
    pub note: String,
}

impl VersionForm {
    /// Validates the form; returns the body and the note.
    ///
    /// # Errors
    /// Each field's problem.
    pub fn validate(&self) -> Result<(String, String), FieldErrors> {
        let mut errors = FieldErrors::default();
        let body = self.body.trim_end();
        if body.trim().is_empty() {
            errors.add("body", "roadmap-error-body");
        } else if body.chars().count() > 100_000 {
            errors.add("body", "roadmap-error-body-long");
        }
        let note = self.note.trim();
        if note.chars().count() > 500 {
            errors.add("note", "roadmap-error-note-long");
        }
        errors.into_result((body.to_owned(), note.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_are_blocks_between_blank_lines() {
        let p = paragraphs(
            "# 居住支援ロードマップ\n\n## 1年目\n相談窓口を<b>つくる</b>。\n<script>x</script>\n\n\n- 住まい\n- 見守り\n",
        );
        assert_eq!(p.len(), 3);
        assert_eq!(p[0].number, 1);
        assert!(p[1].html.contains("<h3>1年目</h3>") && !p[1].html.contains("<script>"), "{}", p[1].html);
        assert!(p[2].html.contains("<li>見守り</li>"));
    }

    #[test]
    fn a_diff_shows_removed_and_added_lines() {
        let d = diff("相談窓口\n見守り\n", "相談窓口\n見守り訪問\n住まい探し\n");
        let changes: Vec<_> = d.iter().map(|l| (l.change, l.text.as_str())).collect();
        assert_eq!(
            changes,
            [
                (Change::Same, "相談窓口"),
                (Change::Removed, "見守り"),
                (Change::Added, "見守り訪問"),
                (Change::Added, "住まい探し")
            ]
        );
    }
}
