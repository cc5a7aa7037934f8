//! The published result: the table municipalities publish, what changed in the roadmap
//! and which rows changed it, and publishing with the commenters told.

use super::{Consultation, Response, ResponseId, store};

/// The published result as the table municipalities publish: 番号, 該当箇所, 意見の概要,
/// 件数, 考え方, 修正の有無 and its reason; the columns' names first.
pub fn result_table(responses: &[Response], lang: crate::i18n::Lang) -> Vec<Vec<String>> {
    let t = |id: &str| lang.t(id).into_owned();
    let mut rows = vec![vec![
        t("consultation-col-number"),
        t("consultation-col-paragraph"),
        t("consultation-col-summary"),
        t("consultation-col-count"),
        t("consultation-col-response"),
        t("consultation-col-changed"),
        t("consultation-change-reason"),
    ]];
    rows.extend(responses.iter().enumerate().map(|(i, r)| {
        vec![
            (i + 1).to_string(),
            lang.t_args("roadmap-paragraph", &[("number", &r.paragraph.to_string())]),
            r.summary.clone(),
            r.comments.len().to_string(),
            r.response.clone(),
            t(if r.changed { "consultation-changed-yes" } else { "consultation-changed-no" }),
            r.change_reason.clone(),
        ]
    }));
    rows
}

/// What the version that took the comments in changed in one paragraph of the version
/// consulted, and the rows of the result that say the text changes there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Amendment {
    /// The paragraph of the version consulted (for what was added, the one it follows).
    pub paragraph: i64,
    pub lines: Vec<crate::roadmap::DiffLine>,
    /// Numbers of the result's rows (1, 2, … as published).
    pub rows: Vec<usize>,
}

/// The changes from the version consulted to the one that took the comments in,
/// paragraph by paragraph, each annotated with the result's rows marked 修正 有 for it.
pub fn amendments(consulted: &str, result: &str, responses: &[Response]) -> Vec<Amendment> {
    let (old, new) = (crate::roadmap::blocks(consulted), crate::roadmap::blocks(result));
    let old_refs: Vec<&str> = old.iter().map(String::as_str).collect();
    let new_refs: Vec<&str> = new.iter().map(String::as_str).collect();
    let ops = similar::capture_diff_slices(similar::Algorithm::Myers, &old_refs, &new_refs);
    let rows_for = |paragraph: i64| -> Vec<usize> {
        responses
            .iter()
            .enumerate()
            .filter(|(_, r)| r.changed && r.paragraph == paragraph)
            .map(|(i, _)| i + 1)
            .collect()
    };
    let mut out = Vec::new();
    for op in ops {
        let (old_range, new_range) = (op.old_range(), op.new_range());
        if matches!(op, similar::DiffOp::Equal { .. }) {
            continue;
        }
        // Paragraphs rewritten one for one are each their own change; otherwise the
        // paragraphs replaced (or the one that what was added follows) are one.
        let pieces: Vec<(std::ops::Range<usize>, std::ops::Range<usize>)> = if old_range.len() == new_range.len() {
            old_range.clone().zip(new_range.clone()).map(|(o, n)| (o..o + 1, n..n + 1)).collect()
        } else {
            vec![(old_range, new_range)]
        };
        for (old_range, new_range) in pieces {
            let paragraph = if old_range.is_empty() { old_range.start.max(1) } else { old_range.start + 1 } as i64;
            let last = (old_range.end as i64).max(paragraph);
            let rows = (paragraph..=last).flat_map(rows_for).collect();
            let lines = crate::roadmap::diff(&old[old_range].concat(), &new[new_range].concat());
            out.push(Amendment { paragraph, rows, lines });
        }
    }
    out
}

/// Publishes the result with the version that took the comments in, and in the same
/// transaction tells every commenter who can be told, with a link to the row that answers
/// their comment: a member who signed by a notification (mailed as they chose), one who
/// left an address by a mail. `false`, changing nothing, while the window is open or once
/// published.
///
/// # Errors
/// [`crate::db::StoreError::NotFound`] when the lab has no such version.
pub async fn publish_result(
    db: &crate::db::Db,
    tenant: &crate::tenant::Tenant,
    c: &Consultation,
    version: i64,
    base_url: &str,
) -> crate::db::StoreResult<bool> {
    db.write(async |tx| {
        if !store::publish_result(tx, tenant.id, c, version).await? {
            return Ok(false);
        }
        let order = store::response_order(tx, tenant.id, c.id).await?;
        let link = |r: Option<ResponseId>| {
            let row = r.and_then(|r| order.iter().position(|o| *o == r));
            match row {
                Some(i) => format!("/consultations/{}#row-{}", c.id.0, i + 1),
                None => format!("/consultations/{}#result-heading", c.id.0),
            }
        };
        let mut told: Vec<(crate::account::AccountId, String)> = Vec::new();
        let mut mailed: Vec<(String, Vec<String>)> = Vec::new();
        for reply in store::replies(tx, tenant.id, c.id).await? {
            let path = link(reply.response);
            match reply.account {
                Some(account) if !told.contains(&(account, path.clone())) => told.push((account, path)),
                Some(_) => {}
                None => match mailed.iter_mut().find(|(to, _)| *to == reply.contact_email) {
                    Some((_, links)) if !links.contains(&path) => links.push(path),
                    Some(_) => {}
                    None => mailed.push((reply.contact_email, vec![path])),
                },
            }
        }
        for (account, path) in &told {
            let message = crate::notification::Message {
                tenant: tenant.id,
                id: "consultation-notice-result",
                subject: &c.lab_title,
                link: path,
            };
            crate::notification::store::insert(tx, tenant.id, &[*account], &message).await?;
        }
        let lang = crate::i18n::Lang::Ja;
        let mails: Vec<crate::mail::outbox::Outgoing> = mailed
            .into_iter()
            .map(|(to, paths)| {
                let links: Vec<String> = paths.iter().map(|p| format!("{base_url}{p}")).collect();
                crate::mail::outbox::Outgoing {
                    tenant: tenant.id,
                    account: None,
                    to,
                    subject: lang.t_args("consultation-result-mail-subject", &[("lab", &c.lab_title)]),
                    body: lang.t_args(
                        "consultation-result-mail-body",
                        &[("center", &tenant.name), ("lab", &c.lab_title), ("links", &links.join("\n"))],
                    ),
                    unsubscribe_url: String::new(),
                }
            })
            .collect();
        crate::mail::outbox::enqueue(tx, &mails, crate::db::now()).await?;
        Ok(true)
    })
    .await
}
