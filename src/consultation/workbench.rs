//! The lab's workbench: a consultation's comments read as entries (copies folded) in
//! groups (computed, or as the lab keeps them), and the changes the lab makes to groups.

use super::{Comment, CommentId, ConsultationId, GroupId, Status, reading, store};
use crate::tenant::TenantId;

/// One entry of a group: a comment, or copies folded into one (「N件（うち同文 M件）」).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Entry {
    /// The first comment's text, verbatim.
    pub text: String,
    /// How many comments it stands for.
    pub count: usize,
    /// Every comment it folds, copies included.
    pub texts: Vec<String>,
    #[serde(skip)]
    pub comments: Vec<CommentId>,
}

/// A group of entries that say the same thing, its most central entry first.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct EntryGroup {
    /// How forms name it: `g12` for a group the lab keeps, `c3` for one computed.
    #[serde(skip)]
    pub key: String,
    /// Its name: at first the central entry's opening words, verbatim.
    pub label: String,
    pub entries: Vec<Entry>,
}

impl EntryGroup {
    /// How many comments the group holds.
    pub fn count(&self) -> usize {
        self.entries.iter().map(|e| e.count).sum()
    }
}

/// A paragraph's comments as read: groups of entries, the largest first.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ParagraphReading {
    pub paragraph: i64,
    pub groups: Vec<EntryGroup>,
}

/// The comments of a consultation as read: paragraph by paragraph.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Reading {
    pub paragraphs: Vec<ParagraphReading>,
}

/// How many characters of the central comment name a group at first.
const LABEL_CHARS: usize = 40;

/// A group the lab keeps (named, merged, split or moved into by hand).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeptGroup {
    pub id: GroupId,
    pub paragraph: i64,
    pub label: String,
}

/// Folds the comments into entries (copies as one).
fn entries_of(here: &[&Comment]) -> Vec<Entry> {
    let texts: Vec<&str> = here.iter().map(|c| c.body.as_str()).collect();
    let apart: Vec<bool> = here.iter().map(|c| c.kept_apart).collect();
    reading::fold(&texts, &apart)
        .iter()
        .map(|f| Entry {
            text: texts[f[0]].to_owned(),
            count: f.len(),
            texts: f.iter().map(|&i| texts[i].to_owned()).collect(),
            comments: f.iter().map(|&i| here[i].id).collect(),
        })
        .collect()
}

/// The entries in the order a group shows them: the central one first, then the largest.
fn ordered(entries: &[Entry], members: &[usize], central: usize) -> Vec<Entry> {
    let mut members = members.to_vec();
    members.sort_by_key(|&m| (m != central, std::cmp::Reverse(entries[m].count), m));
    members.into_iter().map(|m| entries[m].clone()).collect()
}

/// Folds and groups the published comments, paragraph by paragraph (see [`reading`]):
/// the groups the lab keeps first, as it made them, then the comments in none of them,
/// grouped as computed.
pub fn read(comments: &[Comment], kept: &[KeptGroup]) -> Reading {
    let mut paragraphs: Vec<i64> =
        comments.iter().filter(|c| c.status == Status::Published).map(|c| c.paragraph).collect();
    paragraphs.sort_unstable();
    paragraphs.dedup();
    let paragraphs = paragraphs
        .into_iter()
        .map(|p| {
            let here: Vec<&Comment> =
                comments.iter().filter(|c| c.paragraph == p && c.status == Status::Published).collect();
            let mut groups = Vec::new();
            let mut placed = std::collections::HashSet::new();
            for g in kept.iter().filter(|g| g.paragraph == p) {
                let members: Vec<&Comment> = here.iter().copied().filter(|c| c.group_id == Some(g.id)).collect();
                if members.is_empty() {
                    continue;
                }
                placed.extend(members.iter().map(|c| c.id));
                let entries = entries_of(&members);
                let firsts: Vec<&str> = entries.iter().map(|e| e.text.as_str()).collect();
                let all: Vec<usize> = (0..entries.len()).collect();
                let central = reading::central(&firsts);
                groups.push(EntryGroup {
                    key: format!("g{}", g.id.0),
                    label: g.label.clone(),
                    entries: ordered(&entries, &all, central),
                });
            }
            let rest: Vec<&Comment> = here.iter().copied().filter(|c| !placed.contains(&c.id)).collect();
            let entries = entries_of(&rest);
            let firsts: Vec<&str> = entries.iter().map(|e| e.text.as_str()).collect();
            let weights: Vec<usize> = entries.iter().map(|e| e.count).collect();
            groups.extend(reading::group(&firsts, &weights).into_iter().enumerate().map(|(k, g)| EntryGroup {
                key: format!("c{k}"),
                label: label_of(&entries[g.central].text),
                entries: ordered(&entries, &g.members, g.central),
            }));
            ParagraphReading { paragraph: p, groups }
        })
        .collect();
    Reading { paragraphs }
}

/// A group's first name: the opening words of its central comment, as written.
fn label_of(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default().trim();
    if line.chars().count() > LABEL_CHARS {
        format!("{}…", line.chars().take(LABEL_CHARS).collect::<String>())
    } else {
        line.to_owned()
    }
}

/// What the lab does to a paragraph's groups.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Regroup {
    /// Ticked comments into a group (by its key), or into a new one (`None`): merging,
    /// splitting and moving are all this.
    Move {
        comments: Vec<CommentId>,
        to: Option<String>,
    },
    Rename {
        key: String,
        label: String,
    },
}

/// The longest name of a group.
pub const GROUP_LABEL_CHARS: usize = 100;

/// Changes a paragraph's groups as `reading` shows them (read from the same comments):
/// the computed groups are kept as they are first, then the change is made, in one
/// transaction. `false`, changing nothing, for a name empty or too long, or nothing to
/// move.
///
/// # Errors
/// The database fails.
pub async fn regroup(
    db: &crate::db::Db,
    tenant: TenantId,
    id: ConsultationId,
    reading: &ParagraphReading,
    change: &Regroup,
) -> crate::db::StoreResult<bool> {
    let here: Vec<CommentId> =
        reading.groups.iter().flat_map(|g| &g.entries).flat_map(|e| &e.comments).copied().collect();
    match change {
        Regroup::Rename { label, .. }
            if label.trim().is_empty() || label.trim().chars().count() > GROUP_LABEL_CHARS =>
        {
            return Ok(false);
        }
        Regroup::Move { comments, .. } if !comments.iter().any(|c| here.contains(c)) => return Ok(false),
        _ => {}
    }
    db.write(async |tx| {
        // The groups shown are kept as shown: computed ones become the lab's.
        let mut keys: Vec<(String, GroupId)> = Vec::new();
        for g in &reading.groups {
            let kept = match g.key.strip_prefix('g').and_then(|n| n.parse().ok()) {
                Some(n) => GroupId(n),
                None => {
                    let new = store::insert_group(tx, tenant, id, reading.paragraph, &g.label).await?;
                    let members: Vec<CommentId> = g.entries.iter().flat_map(|e| e.comments.clone()).collect();
                    store::set_group(tx, tenant, id, &members, new).await?;
                    new
                }
            };
            keys.push((g.key.clone(), kept));
        }
        let find = |key: &str| keys.iter().find(|(k, _)| k == key).map(|(_, g)| *g);
        match change {
            Regroup::Move { comments, to } => {
                let moving: Vec<CommentId> = comments.iter().copied().filter(|c| here.contains(c)).collect();
                let target = match to.as_deref().and_then(find) {
                    Some(g) => g,
                    None => {
                        let first = reading
                            .groups
                            .iter()
                            .flat_map(|g| &g.entries)
                            .find(|e| e.comments.iter().any(|c| moving.contains(c)))
                            .map(|e| label_of(&e.text))
                            .unwrap_or_default();
                        store::insert_group(tx, tenant, id, reading.paragraph, &first).await?
                    }
                };
                store::set_group(tx, tenant, id, &moving, target).await?;
            }
            Regroup::Rename { key, label } => {
                if let Some(g) = find(key) {
                    store::rename_group(tx, tenant, id, g, label.trim()).await?;
                }
            }
        }
        store::delete_empty_groups(tx, tenant, id).await?;
        Ok(true)
    })
    .await
}
