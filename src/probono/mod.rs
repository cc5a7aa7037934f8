//! Pro bono (プロボノ): needs and offers. A need ("デザインを10時間", "若林区の会場",
//! "会計の相談") is asked by a member for themselves, for an organisation they belong to, for
//! a lab they lead or for a project they are in; an offer (a skill, time, a place, money, equipment) is given by a
//! member or an organisation. Both name skills from the shared list ([`Skill`]), tags, a
//! place and a time window, so that [`matching`] can suggest, with its reasons, the offers
//! that could meet a need.
//!
//! Neither page names the person behind it: a need or an offer shows its organisation or
//! lab, or says it is a person's; people are put in touch only through an introduction
//! ([`crate::introduction`]) both have accepted.
//!
//! Who may do what: anyone reads what is shown to them ([`Visibility`]: public, members,
//! or coordinators and the secretariat); a member posts needs and offers; the one who
//! posted it and the secretariat edit it; they and the coordinators change its status;
//! the suggestions for a need are for the one who posted it (among the offers they may
//! read) and for coordinators and the secretariat (all of them).

use chrono::{DateTime, NaiveDate, Utc};

use crate::account::{Account, AccountId, Role};
use crate::db::{Db, StoreError, StoreResult};
use crate::i18n::Lang;
use crate::lab::{LabId, LabRole};
use crate::organisation::OrganisationId;
use crate::skill::Skill;
use crate::tenant::TenantId;
use crate::validate::FieldErrors;
use crate::visibility::Visibility;

pub mod matching;
pub mod store;
pub mod web;

/// A need's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sqlx::Type, serde::Serialize)]
#[sqlx(transparent)]
pub struct NeedId(pub i64);

/// An offer's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sqlx::Type, serde::Serialize)]
#[sqlx(transparent)]
pub struct OfferId(pub i64);

/// What is asked for or given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A skill (デザイン, 会計 …), given as time of someone who has it.
    Skill,
    /// Hands (人手): time without a particular skill.
    Time,
    /// A place (会場, 倉庫 …).
    Place,
    /// Money (寄付, 協賛).
    Money,
    /// Equipment or goods (機材, 物品).
    Equipment,
}

crate::text_code!(Kind { Skill = "skill", Time = "time", Place = "place", Money = "money", Equipment = "equipment" });

impl Kind {
    pub fn label(self, lang: Lang) -> std::borrow::Cow<'static, str> {
        lang.t(&format!("probono-kind-{}", self.code()))
    }
}

/// Where a need stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NeedStatus {
    Open,
    /// Met (満たされた): counted in the annual report as a need met.
    Met,
    /// Withdrawn without being met.
    Closed,
}

crate::text_code!(NeedStatus { Open = "open", Met = "met", Closed = "closed" });

/// Where an offer stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OfferStatus {
    Open,
    Closed,
}

crate::text_code!(OfferStatus { Open = "open", Closed = "closed" });

impl NeedStatus {
    pub fn label(self, lang: Lang) -> std::borrow::Cow<'static, str> {
        lang.t(&format!("need-status-{}", self.code()))
    }
}

impl OfferStatus {
    pub fn label(self, lang: Lang) -> std::borrow::Cow<'static, str> {
        lang.t(&format!("offer-status-{}", self.code()))
    }
}

/// Who may read a need or an offer: the public, members, or coordinators and the
/// secretariat (never "nobody": what is posted is there to be found).
pub const SHOWN_TO: [Visibility; 3] = [Visibility::Public, Visibility::Members, Visibility::Coordinators];

/// What a need asks or an offer gives, as matching reads it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Terms {
    pub kind: Option<Kind>,
    pub skills: Vec<Skill>,
    /// Tags, NFKC (identifiers people filter by).
    pub tags: Vec<String>,
    /// Where, as written (仙台市若林区 …); empty for anywhere.
    pub place: String,
    /// Online will do.
    pub online: bool,
    /// When: from and until (either may be open).
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
}

/// A name something is posted under: an organisation's or a lab's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Named<Id> {
    pub id: Id,
    pub name: String,
}

/// A need.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Need {
    pub id: NeedId,
    pub tenant_id: TenantId,
    /// Who posted it (never shown on its page).
    pub account_id: AccountId,
    pub organisation: Option<Named<OrganisationId>>,
    pub lab: Option<Named<LabId>>,
    pub project: Option<Named<crate::project::ProjectId>>,
    pub title: String,
    pub body: String,
    pub terms: Terms,
    pub visibility: Visibility,
    pub status: NeedStatus,
    pub created_at: DateTime<Utc>,
}

/// An offer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Offer {
    pub id: OfferId,
    pub tenant_id: TenantId,
    /// Who posted it (never shown on its page).
    pub account_id: AccountId,
    pub organisation: Option<Named<OrganisationId>>,
    pub title: String,
    pub body: String,
    pub terms: Terms,
    pub visibility: Visibility,
    pub status: OfferStatus,
    pub created_at: DateTime<Utc>,
}

/// What the reader may do with a need or an offer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Access {
    /// Reads it.
    pub read: bool,
    /// Edits it: the one who posted it and the secretariat.
    pub edit: bool,
    /// Changes its status and sees a need's suggestions: they and the coordinators.
    pub work: bool,
    /// Sees every open offer among the suggestions and introduces: coordinators and the
    /// secretariat.
    pub coordinate: bool,
}

impl Access {
    /// The reader's access to something posted by `poster`, shown to `visibility`.
    pub fn of(reader: Option<&Account>, poster: AccountId, visibility: Visibility) -> Access {
        let viewer = crate::visibility::Viewer::of(reader);
        let own = reader.is_some_and(|a| a.id == poster);
        let secretariat = reader.is_some_and(Account::is_admin);
        let coordinate = reader.is_some_and(|a| matches!(a.role, Role::Admin | Role::Coordinator));
        Access {
            read: own || visibility.shows_to(viewer),
            edit: own || secretariat,
            work: own || coordinate,
            coordinate,
        }
    }
}

impl Need {
    pub fn access(&self, reader: Option<&Account>) -> Access {
        Access::of(reader, self.account_id, self.visibility)
    }
}

impl Offer {
    pub fn access(&self, reader: Option<&Account>) -> Access {
        Access::of(reader, self.account_id, self.visibility)
    }
}

/// The need and offer form as typed (a list of pairs, since `skill` repeats).
#[derive(Clone, Debug, Default)]
pub struct PostForm {
    pub title: String,
    pub body: String,
    pub kind: String,
    pub skills: Vec<String>,
    pub tags: String,
    pub place: String,
    pub online: bool,
    pub starts_on: String,
    pub ends_on: String,
    pub visibility: String,
    /// `o123` for an organisation, `l45` for a lab, empty for oneself.
    pub on_behalf: String,
}

/// Posted on behalf of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Behalf {
    Own,
    Organisation(OrganisationId),
    Lab(LabId),
    Project(crate::project::ProjectId),
}

impl Behalf {
    pub fn code(self) -> String {
        match self {
            Behalf::Own => String::new(),
            Behalf::Organisation(o) => format!("o{}", o.0),
            Behalf::Lab(l) => format!("l{}", l.0),
            Behalf::Project(p) => format!("p{}", p.0),
        }
    }

    fn parse(code: &str) -> Option<Behalf> {
        let code = code.trim();
        if code.is_empty() {
            return Some(Behalf::Own);
        }
        let id = |rest: &str| rest.parse::<i64>().ok();
        if let Some(rest) = code.strip_prefix('o') {
            id(rest).map(|i| Behalf::Organisation(OrganisationId(i)))
        } else if let Some(rest) = code.strip_prefix('l') {
            id(rest).map(|i| Behalf::Lab(LabId(i)))
        } else if let Some(rest) = code.strip_prefix('p') {
            id(rest).map(|i| Behalf::Project(crate::project::ProjectId(i)))
        } else {
            None
        }
    }
}

/// A validated need or offer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Draft {
    pub title: String,
    pub body: String,
    pub terms: Terms,
    pub visibility: Visibility,
    pub behalf: Behalf,
}

const TITLE_MAX: usize = 120;
const BODY_MAX: usize = 5_000;

impl PostForm {
    /// Reads the submitted fields.
    pub fn from_pairs(pairs: Vec<(String, String)>) -> PostForm {
        let mut f = PostForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "title" => f.title = v,
                "body" => f.body = v,
                "kind" => f.kind = v,
                "skill" => f.skills.push(v),
                "tags" => f.tags = v,
                "place" => f.place = v,
                "online" => f.online = !v.is_empty(),
                "starts_on" => f.starts_on = v,
                "ends_on" => f.ends_on = v,
                "visibility" => f.visibility = v,
                "on_behalf" => f.on_behalf = v,
                _ => {}
            }
        }
        f
    }

    /// The form for a new need or offer: shown to members, unless a need (public).
    pub fn new_with(visibility: Visibility) -> PostForm {
        PostForm { visibility: visibility.code().to_owned(), ..PostForm::default() }
    }

    /// The form filled with what was posted, for editing.
    pub fn of(title: &str, body: &str, terms: &Terms, visibility: Visibility, behalf: Behalf) -> PostForm {
        PostForm {
            title: title.to_owned(),
            body: body.to_owned(),
            kind: terms.kind.map(|k| k.code().to_owned()).unwrap_or_default(),
            skills: terms.skills.iter().map(|s| s.code().to_owned()).collect(),
            tags: terms.tags.join(" "),
            place: terms.place.clone(),
            online: terms.online,
            starts_on: terms.starts_on.map(|d| d.to_string()).unwrap_or_default(),
            ends_on: terms.ends_on.map(|d| d.to_string()).unwrap_or_default(),
            visibility: visibility.code().to_owned(),
            on_behalf: behalf.code(),
        }
    }

    pub fn has_skill(&self, skill: &Skill) -> bool {
        self.skills.iter().any(|s| s == skill.code())
    }

    /// Validates the form. Titles, texts and places are kept as written; tags are
    /// identifiers (NFKC); dates are read as people type them (和暦 included).
    ///
    /// # Errors
    /// Each field's problem.
    pub fn validate(&self) -> Result<Draft, FieldErrors> {
        let mut errors = FieldErrors::default();
        let title = self.title.trim();
        if title.is_empty() {
            errors.add("title", "probono-error-title");
        } else if title.chars().count() > TITLE_MAX || title.contains(['\r', '\n']) {
            errors.add("title", "probono-error-title-long");
        }
        if self.body.trim().chars().count() > BODY_MAX {
            errors.add("body", "probono-error-body-long");
        }
        let kind = Kind::from_code(self.kind.trim());
        if kind.is_none() {
            errors.add("kind", "probono-error-kind");
        }
        let mut skills = Vec::new();
        for s in &self.skills {
            match Skill::from_code(s.trim()) {
                Some(s) => skills.push(s),
                None => {
                    errors.add("skills", "probono-error-skill");
                    break;
                }
            }
        }
        skills.sort();
        skills.dedup();
        if kind == Some(Kind::Skill) && skills.is_empty() && errors.get("skills").is_none() {
            errors.add("skills", "probono-error-skill-none");
        }
        let tags = crate::article::parse_tags(&self.tags);
        if tags.len() > 10 || tags.iter().any(|t| t.chars().count() > 30) {
            errors.add("tags", "probono-error-tags");
        }
        let place = self.place.trim();
        if place.chars().count() > 100 || place.contains(['\r', '\n']) {
            errors.add("place", "probono-error-place");
        }
        let mut date = |field: &'static str, value: &str| {
            if value.trim().is_empty() {
                return None;
            }
            let d = crate::i18n::wareki::parse_date(value);
            if d.is_none() {
                errors.add(field, "probono-error-date");
            }
            d
        };
        let starts_on = date("starts_on", &self.starts_on);
        let ends_on = date("ends_on", &self.ends_on);
        if let (Some(s), Some(e)) = (starts_on, ends_on)
            && e < s
        {
            errors.add("ends_on", "probono-error-ends-before");
        }
        let visibility = Visibility::from_code(self.visibility.trim()).filter(|v| SHOWN_TO.contains(v));
        if visibility.is_none() {
            errors.add("visibility", "probono-error-visibility");
        }
        let behalf = Behalf::parse(&self.on_behalf);
        if behalf.is_none() {
            errors.add("on_behalf", "probono-error-behalf");
        }
        match (kind, visibility, behalf) {
            (Some(kind), Some(visibility), Some(behalf)) if errors.is_empty() => Ok(Draft {
                title: title.to_owned(),
                body: self.body.trim().to_owned(),
                terms: Terms {
                    kind: Some(kind),
                    skills,
                    tags,
                    place: place.to_owned(),
                    online: self.online,
                    starts_on,
                    ends_on,
                },
                visibility,
                behalf,
            }),
            _ => Err(errors),
        }
    }
}

/// Why posting was refused.
#[derive(Debug)]
pub enum Refused {
    /// On behalf of an organisation the poster does not belong to (confirmed), a lab they
    /// do not lead or a project they are not in; offers are never a lab's or a project's.
    Behalf,
    Store(StoreError),
}

impl From<StoreError> for Refused {
    fn from(e: StoreError) -> Refused {
        Refused::Store(e)
    }
}

/// Whether `account` may post on behalf of what the draft names.
async fn may_post_for(db: &Db, tenant: TenantId, account: AccountId, behalf: Behalf) -> StoreResult<bool> {
    Ok(match behalf {
        Behalf::Own => true,
        Behalf::Organisation(o) => crate::organisation::store::of_account(db, tenant, account)
            .await?
            .iter()
            .any(|(id, _, m)| *id == o && m.confirmed()),
        Behalf::Lab(l) => crate::lab::store::of_account(db, tenant, account)
            .await?
            .iter()
            .any(|(id, _, role)| *id == l && *role == LabRole::Lead),
        Behalf::Project(p) => {
            crate::project::store::of_account(db, tenant, account).await?.iter().any(|(id, _, _)| *id == p)
        }
    })
}

/// What the poster may post on behalf of: the organisations they belong to (confirmed),
/// and for a need the labs they lead and the projects they are in, as (code, name).
///
/// # Errors
/// The database fails.
pub async fn behalf_choices(
    db: &Db,
    tenant: TenantId,
    account: AccountId,
    labs: bool,
) -> StoreResult<Vec<(String, String)>> {
    let mut choices: Vec<(String, String)> = crate::organisation::store::of_account(db, tenant, account)
        .await?
        .into_iter()
        .filter(|(_, _, m)| m.confirmed())
        .map(|(id, name, _)| (Behalf::Organisation(id).code(), name))
        .collect();
    if labs {
        choices.extend(
            crate::lab::store::of_account(db, tenant, account)
                .await?
                .into_iter()
                .filter(|(_, _, role)| *role == LabRole::Lead)
                .map(|(id, title, _)| (Behalf::Lab(id).code(), title)),
        );
        choices.extend(
            crate::project::store::of_account(db, tenant, account)
                .await?
                .into_iter()
                .map(|(id, title, _)| (Behalf::Project(id).code(), title)),
        );
    }
    Ok(choices)
}

/// Posts a need, or saves the one being edited (`id`), on behalf of what the draft names.
/// The one posting must belong to the organisation, lead the lab or be in the project,
/// unless it stays what it was posted for (`kept`): a post is not refused because its
/// poster has left the organisation since.
///
/// # Errors
/// [`Refused::Behalf`]; [`StoreError::NotFound`] for another tenant's need.
pub async fn save_need(
    db: &Db,
    tenant: TenantId,
    by: AccountId,
    id: Option<NeedId>,
    draft: &Draft,
    kept: Option<Behalf>,
) -> Result<NeedId, Refused> {
    if kept != Some(draft.behalf) && !may_post_for(db, tenant, by, draft.behalf).await? {
        return Err(Refused::Behalf);
    }
    Ok(db
        .write(async |tx| match id {
            None => store::insert_need(tx, tenant, by, draft).await,
            Some(id) => store::update_need(tx, tenant, id, draft).await.map(|()| id),
        })
        .await?)
}

/// Posts an offer, or saves the one being edited, for oneself or an organisation.
///
/// # Errors
/// [`Refused::Behalf`] (a lab does not offer); [`StoreError::NotFound`].
pub async fn save_offer(
    db: &Db,
    tenant: TenantId,
    by: AccountId,
    id: Option<OfferId>,
    draft: &Draft,
    kept: Option<Behalf>,
) -> Result<OfferId, Refused> {
    let lab_or_project = matches!(draft.behalf, Behalf::Lab(_) | Behalf::Project(_));
    if lab_or_project || (kept != Some(draft.behalf) && !may_post_for(db, tenant, by, draft.behalf).await?) {
        return Err(Refused::Behalf);
    }
    Ok(db
        .write(async |tx| match id {
            None => store::insert_offer(tx, tenant, by, draft).await,
            Some(id) => store::update_offer(tx, tenant, id, draft).await.map(|()| id),
        })
        .await?)
}

/// Sets a need's status (met: counted as met from now).
///
/// # Errors
/// [`StoreError::NotFound`].
pub async fn set_need_status(db: &Db, tenant: TenantId, id: NeedId, status: NeedStatus) -> StoreResult<()> {
    db.write(async |tx| store::set_need_status(tx, tenant, id, status).await).await
}

/// Sets an offer's status.
///
/// # Errors
/// [`StoreError::NotFound`].
pub async fn set_offer_status(db: &Db, tenant: TenantId, id: OfferId, status: OfferStatus) -> StoreResult<()> {
    db.write(async |tx| store::set_offer_status(tx, tenant, id, status).await).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> PostForm {
        PostForm::from_pairs(pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect())
    }

    #[test]
    fn the_form_reads_skills_tags_places_and_dates_as_people_type_them() {
        let d = form(&[
            ("title", " チラシのデザインを10時間 "),
            ("kind", "skill"),
            ("skill", "design"),
            ("skill", "writing"),
            ("tags", "子ども食堂、ＳＤＧｓ"),
            ("place", "仙台市若林区"),
            ("starts_on", "令和5年6月1日"),
            ("ends_on", "2023/6/30"),
            ("visibility", "public"),
            ("on_behalf", "o7"),
        ])
        .validate()
        .unwrap();
        assert_eq!(d.title, "チラシのデザインを10時間");
        assert_eq!(d.terms.skills, [Skill::Design, Skill::Writing]);
        assert_eq!(d.terms.tags, ["子ども食堂", "SDGs"]);
        assert_eq!(d.terms.starts_on, NaiveDate::from_ymd_opt(2023, 6, 1));
        assert_eq!(d.behalf, Behalf::Organisation(OrganisationId(7)));

        let bad = form(&[
            ("kind", "skill"),
            ("place", "a\nb"),
            ("starts_on", "6月31日"),
            ("visibility", "nobody"),
            ("on_behalf", "ｏ1"),
        ]);
        let fields: Vec<_> = bad.validate().unwrap_err().0.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["title", "skills", "place", "starts_on", "visibility", "on_behalf"]);
        let backwards = form(&[
            ("title", "会場"),
            ("kind", "place"),
            ("starts_on", "2023-07-01"),
            ("ends_on", "2023-06-01"),
            ("visibility", "members"),
        ]);
        let fields: Vec<_> = backwards.validate().unwrap_err().0.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["ends_on"]);
    }

    #[test]
    fn the_poster_and_the_secretariat_edit_and_coordinators_work() {
        let account = Account::sample;
        let poster = account(1, Role::Member);
        let other = account(2, Role::Member);
        let coordinator = account(3, Role::Coordinator);
        let secretariat = account(4, Role::Admin);
        let a = |r: Option<&Account>, v| Access::of(r, AccountId(1), v);
        assert_eq!(
            a(Some(&poster), Visibility::Coordinators),
            Access { read: true, edit: true, work: true, coordinate: false }
        );
        assert_eq!(a(Some(&other), Visibility::Members), Access { read: true, ..Access::default() });
        assert!(!a(Some(&other), Visibility::Coordinators).read);
        assert!(!a(None, Visibility::Members).read);
        assert!(a(None, Visibility::Public).read);
        assert_eq!(
            a(Some(&coordinator), Visibility::Coordinators),
            Access { read: true, edit: false, work: true, coordinate: true }
        );
        assert_eq!(
            a(Some(&secretariat), Visibility::Coordinators),
            Access { read: true, edit: true, work: true, coordinate: true }
        );
    }

    #[test]
    fn every_kind_and_status_has_a_name_in_both_languages() {
        for lang in [Lang::Ja, Lang::En] {
            for k in Kind::ALL {
                assert!(!k.label(lang).starts_with("probono-"), "{k:?}");
            }
            for s in NeedStatus::ALL {
                assert!(!s.label(lang).starts_with("need-"), "{s:?}");
            }
            for s in OfferStatus::ALL {
                assert!(!s.label(lang).starts_with("offer-"), "{s:?}");
            }
        }
    }
}
