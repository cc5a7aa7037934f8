//! What the index holds of each kind of public record, read through each concept's own
//! store: a record that is not public (a draft, an internal meeting, an issue waiting for
//! approval or hidden) gives no document, so it is never found.

use super::{Doc, Kind};
use crate::db::{Db, StoreError, StoreResult};
use crate::i18n::Lang;
use crate::tenant::TenantId;

/// Every public record of the tenant.
///
/// # Errors
/// The database fails.
pub async fn all(db: &Db, tenant: TenantId) -> StoreResult<Vec<Doc>> {
    let mut docs = Vec::new();
    for e in crate::event::store::list(db, tenant, crate::event::store::Listing::All, i64::MAX).await? {
        docs.extend(event_doc(e));
    }
    for i in crate::social_issue::store::list(db, tenant, crate::social_issue::Status::Published, i64::MAX).await? {
        docs.push(issue_doc(i));
    }
    for lab in crate::lab::store::list(db, tenant).await? {
        docs.extend(roadmap_doc(db, tenant, &lab).await?);
        for c in crate::consultation::store::list_for_lab(db, tenant, lab.id).await? {
            docs.push(consultation_doc(db, tenant, c).await?);
        }
        docs.push(lab_doc(lab));
    }
    for a in crate::article::store::published(db, tenant, None, i64::MAX, 0).await? {
        docs.push(article_doc(a));
    }
    for o in crate::organisation::store::list(db, tenant, None).await? {
        docs.push(organisation_doc(o));
    }
    for p in crate::directory::store::list_shown(db, tenant, crate::visibility::Viewer::Public).await? {
        docs.extend(person_doc(tenant, &p));
    }
    for p in crate::board::store::list(db, tenant, false, None, i64::MAX, 0).await? {
        docs.extend(post_doc(p));
    }
    let (needs, offers) = crate::probono::store::public_open(db, tenant).await?;
    docs.extend(needs.into_iter().filter_map(need_doc));
    docs.extend(offers.into_iter().filter_map(offer_doc));
    Ok(docs)
}

/// The records whose documents a change to this one touches: itself, and for a lab its
/// roadmap and consultations, which carry the lab's title.
///
/// # Errors
/// The database fails.
pub async fn affected(db: &Db, tenant: TenantId, kind: Kind, id: i64) -> StoreResult<Vec<(Kind, i64)>> {
    let mut records = vec![(kind, id)];
    if kind == Kind::Lab {
        records.push((Kind::Roadmap, id));
        for c in crate::consultation::store::list_for_lab(db, tenant, crate::lab::LabId(id)).await? {
            records.push((Kind::Consultation, c.id.0));
        }
    }
    Ok(records)
}

/// The document of one record, `None` when it is gone or not public.
///
/// # Errors
/// The database fails.
pub async fn one(db: &Db, tenant: TenantId, kind: Kind, id: i64) -> StoreResult<Option<Doc>> {
    let found = match kind {
        Kind::Event => crate::event::store::get(db, tenant, crate::event::EventId(id)).await.map(event_doc),
        Kind::Issue => crate::social_issue::store::get(db, tenant, crate::social_issue::SocialIssueId(id))
            .await
            .map(|i| (i.status == crate::social_issue::Status::Published).then(|| issue_doc(i))),
        Kind::Lab => crate::lab::store::get(db, tenant, crate::lab::LabId(id)).await.map(|l| Some(lab_doc(l))),
        Kind::Roadmap => match crate::lab::store::get(db, tenant, crate::lab::LabId(id)).await {
            Ok(lab) => roadmap_doc(db, tenant, &lab).await,
            Err(e) => Err(e),
        },
        Kind::Article => crate::article::store::get(db, tenant, crate::article::ArticleId(id))
            .await
            .map(|a| (a.status == crate::article::Status::Published).then(|| article_doc(a))),
        Kind::Organisation => crate::organisation::store::get(db, tenant, crate::organisation::OrganisationId(id))
            .await
            .map(|o| Some(organisation_doc(o))),
        Kind::Person => crate::directory::store::find(db, tenant, crate::account::AccountId(id))
            .await
            .map(|p| p.and_then(|p| person_doc(tenant, &p))),
        Kind::Post => crate::board::store::get(db, tenant, crate::board::PostId(id)).await.map(post_doc),
        Kind::Need => crate::probono::store::get_need(db, tenant, crate::probono::NeedId(id)).await.map(need_doc),
        Kind::Offer => crate::probono::store::get_offer(db, tenant, crate::probono::OfferId(id)).await.map(offer_doc),
        Kind::Consultation => {
            match crate::consultation::store::get(db, tenant, crate::consultation::ConsultationId(id)).await {
                Ok(c) => consultation_doc(db, tenant, c).await.map(Some),
                Err(e) => Err(e),
            }
        }
    };
    match found {
        Ok(doc) => Ok(doc),
        Err(StoreError::NotFound) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The parts that say something, one to a line.
fn lines<'a>(parts: impl IntoIterator<Item = &'a String>) -> String {
    parts.into_iter().filter(|p| !p.trim().is_empty()).map(String::as_str).collect::<Vec<_>>().join("\n")
}

fn event_doc(e: crate::event::Event) -> Option<Doc> {
    if !e.visible_to(false) {
        return None;
    }
    let description = crate::markdown::markdown_to_text(&e.description);
    let body = lines([&description, &e.venue].into_iter().chain(&e.cohosts));
    Some(Doc {
        tenant: e.tenant_id,
        kind: Kind::Event,
        id: e.id.0,
        title: e.title,
        body,
        tags: Vec::new(),
        date: e.starts_at,
        url: format!("/events/{}", e.id.0),
    })
}

fn issue_doc(i: crate::social_issue::SocialIssue) -> Doc {
    Doc {
        tenant: i.tenant_id,
        kind: Kind::Issue,
        id: i.id.0,
        title: i.title,
        body: lines([&crate::markdown::markdown_to_text(&i.description), &i.place]),
        tags: i.tags,
        date: i.created_at,
        url: format!("/issues/{}", i.id.0),
    }
}

fn article_doc(a: crate::article::Article) -> Doc {
    Doc {
        tenant: a.tenant_id,
        kind: Kind::Article,
        id: a.id.0,
        title: a.title,
        body: crate::markdown::markdown_to_text(&a.body),
        tags: a.tags,
        date: a.dated_at,
        url: format!("/articles/{}", a.id.0),
    }
}

/// An organisation as its public page shows it, without its people: whether a person
/// belongs is theirs to show, and the index holds only what everyone may read.
fn organisation_doc(o: crate::organisation::Organisation) -> Doc {
    let kind = o.kind.label(Lang::Ja).into_owned();
    Doc {
        tenant: o.tenant_id,
        kind: Kind::Organisation,
        id: o.id.0,
        title: o.name,
        body: lines([&kind, &o.place, &o.activities, &o.seeking]),
        tags: Vec::new(),
        date: o.created_at,
        url: format!("/organisations/{}", o.id.0),
    }
}

/// A person as the public sees them in the directory: nothing unless their name is public,
/// then only their public parts (the index holds only what everyone may read).
fn person_doc(tenant: TenantId, p: &crate::directory::Profile) -> Option<Doc> {
    let seen = p.seen_by(crate::visibility::Viewer::Public, false)?;
    let sector = seen.sector.map(|s| s.label(Lang::Ja).into_owned()).unwrap_or_default();
    let interests = seen.interests.join(" ");
    let (skills, seeking) = (seen.skills.unwrap_or_default(), seen.seeking.unwrap_or_default());
    Some(Doc {
        tenant,
        kind: Kind::Person,
        id: seen.account_id.0,
        title: seen.name,
        body: lines([&sector, &interests, &skills, &seeking]),
        tags: Vec::new(),
        date: p.updated_at,
        url: format!("/people/{}", seen.account_id.0),
    })
}

/// A board post that everyone may read; none for a members' post or one not published.
fn post_doc(p: crate::board::Post) -> Option<Doc> {
    (p.readable_by(None)).then(|| Doc {
        tenant: p.tenant_id,
        kind: Kind::Post,
        id: p.id.0,
        title: p.title,
        body: crate::markdown::markdown_to_text(&p.body),
        tags: Vec::new(),
        date: p.created_at,
        url: format!("/board/{}", p.id.0),
    })
}

/// What a need or an offer says: its text, skills, place and tags; never who posted it.
fn probono_text(body: &str, terms: &crate::probono::Terms) -> String {
    let skills: Vec<String> = terms.skills.iter().map(|s| s.label(Lang::Ja).into_owned()).collect();
    let place = [terms.place.clone()];
    lines([body.to_owned()].iter().chain(&skills).chain(&place).chain(&terms.tags))
}

/// A need everyone may read while it is open.
fn need_doc(n: crate::probono::Need) -> Option<Doc> {
    let public = n.visibility == crate::visibility::Visibility::Public;
    (public && n.status == crate::probono::NeedStatus::Open).then(|| Doc {
        tenant: n.tenant_id,
        kind: Kind::Need,
        id: n.id.0,
        body: probono_text(&n.body, &n.terms),
        title: n.title,
        tags: n.terms.tags,
        date: n.created_at,
        url: format!("/needs/{}", n.id.0),
    })
}

/// An offer everyone may read while it is open.
fn offer_doc(o: crate::probono::Offer) -> Option<Doc> {
    let public = o.visibility == crate::visibility::Visibility::Public;
    (public && o.status == crate::probono::OfferStatus::Open).then(|| Doc {
        tenant: o.tenant_id,
        kind: Kind::Offer,
        id: o.id.0,
        body: probono_text(&o.body, &o.terms),
        title: o.title,
        tags: o.terms.tags,
        date: o.created_at,
        url: format!("/offers/{}", o.id.0),
    })
}

fn lab_doc(l: crate::lab::Lab) -> Doc {
    Doc {
        tenant: l.tenant_id,
        kind: Kind::Lab,
        id: l.id.0,
        title: l.title,
        body: crate::markdown::markdown_to_text(&l.description),
        tags: Vec::new(),
        date: l.created_at,
        url: format!("/labs/{}", l.id.0),
    }
}

/// The lab's current roadmap version (the newest not withdrawn), if it has one.
async fn roadmap_doc(db: &Db, tenant: TenantId, lab: &crate::lab::Lab) -> StoreResult<Option<Doc>> {
    let versions = crate::roadmap::store::list(db, tenant, lab.id).await?;
    Ok(crate::roadmap::current(&versions).map(|v| Doc {
        tenant,
        kind: Kind::Roadmap,
        id: lab.id.0,
        title: format!("{} {}", lab.title, Lang::Ja.t("roadmap-title")),
        body: crate::markdown::markdown_to_text(&v.body),
        tags: Vec::new(),
        date: v.created_at,
        url: format!("/labs/{}/roadmap/{}", lab.id.0, v.number),
    }))
}

/// A consultation: its published comments and, once published, the answers to them.
async fn consultation_doc(db: &Db, tenant: TenantId, c: crate::consultation::Consultation) -> StoreResult<Doc> {
    let comments =
        crate::consultation::store::comments(db, tenant, c.id, Some(crate::moderation::Status::Published)).await?;
    let mut body: Vec<String> = comments.into_iter().map(|k| k.body).collect();
    if c.result_published_at.is_some() {
        for r in crate::consultation::store::responses(db, tenant, c.id).await? {
            body.push(r.summary);
            body.push(r.response);
        }
    }
    Ok(Doc {
        tenant,
        kind: Kind::Consultation,
        id: c.id.0,
        title: Lang::Ja.t_args("consultation-title", &[("lab", &c.lab_title)]),
        body: body.join("\n"),
        tags: Vec::new(),
        date: c.opens_at,
        url: format!("/consultations/{}", c.id.0),
    })
}
