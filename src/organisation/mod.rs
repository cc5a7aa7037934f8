//! Organisations (団体): the NPOs, companies, universities, city offices, neighbourhood
//! associations and assemblies the network's people belong to, each with what it does
//! and what it looks for.
//!
//! A member of the center links themselves to an organisation; its admins confirm (the
//! member who records an organisation is its first admin). Each person chooses who sees
//! that they belong ([`crate::visibility`]): nobody, unless they choose otherwise, so an
//! organisation's public page never shows a person who has not chosen to be shown.
//!
//! Who may do what: anyone reads the list and an organisation's page; a member records an
//! organisation, asks to join one, and chooses who sees their membership, or leaves; the
//! organisation's admins and the secretariat edit it and confirm, remove and appoint its
//! people. An organisation always keeps an admin.

use chrono::{DateTime, Utc};

use crate::account::{Account, AccountId};
use crate::db::{Db, StoreError, StoreResult};
use crate::i18n::Lang;
use crate::sector::Sector;
use crate::tenant::TenantId;
use crate::validate::FieldErrors;
use crate::visibility::Visibility;

pub mod store;
pub mod web;

/// An organisation's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sqlx::Type, serde::Serialize)]
#[sqlx(transparent)]
pub struct OrganisationId(pub i64);

/// What kind of body an organisation is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Npo,
    Company,
    University,
    Government,
    /// 町内会・自治会.
    Neighbourhood,
    /// 議会.
    Council,
    Other,
}

crate::text_code!(Kind {
    Npo = "npo",
    Company = "company",
    University = "university",
    Government = "government",
    Neighbourhood = "neighbourhood",
    Council = "council",
    Other = "other",
});

impl Kind {
    /// The name shown to people: NPO・市民活動団体, 企業, …
    pub fn label(self, lang: Lang) -> std::borrow::Cow<'static, str> {
        lang.t(&format!("organisation-kind-{}", self.code()))
    }

    /// The sector the report counts it in (a neighbourhood association is citizens').
    pub fn sector(self) -> Sector {
        match self {
            Kind::Npo => Sector::Npo,
            Kind::Company => Sector::Company,
            Kind::University => Sector::University,
            Kind::Government => Sector::Government,
            Kind::Council => Sector::Councilor,
            Kind::Neighbourhood | Kind::Other => Sector::Citizen,
        }
    }
}

/// An organisation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Organisation {
    pub id: OrganisationId,
    pub tenant_id: TenantId,
    pub name: String,
    pub kind: Kind,
    /// Where it is (仙台市青葉区 …), as written.
    pub place: String,
    /// What it does.
    pub activities: String,
    /// What it looks for (volunteers, partners, a venue …).
    pub seeking: String,
    pub created_at: DateTime<Utc>,
}

/// One person's link to an organisation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Membership {
    pub account_id: AccountId,
    /// The account's display name.
    pub name: String,
    pub admin: bool,
    /// `None` while the organisation's admins have not confirmed it.
    pub confirmed_at: Option<DateTime<Utc>>,
    pub visibility: Visibility,
}

impl Membership {
    pub fn confirmed(&self) -> bool {
        self.confirmed_at.is_some()
    }
}

/// What the reader may do with an organisation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Access {
    /// One of its admins, or the secretariat: edits it and manages its people.
    pub manage: bool,
}

impl Access {
    /// The reader's access given their own link to the organisation, if any.
    pub fn of(account: Option<&Account>, own: Option<&Membership>) -> Access {
        let secretariat = account.is_some_and(Account::is_admin);
        Access { manage: secretariat || own.is_some_and(|m| m.admin && m.confirmed()) }
    }
}

/// The organisation form as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct OrganisationForm {
    pub name: String,
    pub kind: String,
    pub place: String,
    pub activities: String,
    pub seeking: String,
}

/// A validated organisation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrganisationDraft {
    pub name: String,
    pub kind: Kind,
    pub place: String,
    pub activities: String,
    pub seeking: String,
}

impl OrganisationForm {
    /// The form filled with an organisation's values, for editing.
    pub fn of(o: &Organisation) -> OrganisationForm {
        OrganisationForm {
            name: o.name.clone(),
            kind: o.kind.code().to_owned(),
            place: o.place.clone(),
            activities: o.activities.clone(),
            seeking: o.seeking.clone(),
        }
    }

    /// Validates the form. Names and texts are kept as written (never width-normalised).
    ///
    /// # Errors
    /// Each field's problem.
    pub fn validate(&self) -> Result<OrganisationDraft, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = self.name.trim();
        if name.is_empty() {
            errors.add("name", "organisation-error-name");
        } else if name.chars().count() > 120 || name.contains(['\r', '\n']) {
            errors.add("name", "organisation-error-name-long");
        }
        let kind = Kind::from_code(self.kind.trim());
        if kind.is_none() {
            errors.add("kind", "organisation-error-kind");
        }
        let place = self.place.trim();
        if place.chars().count() > 120 || place.contains(['\r', '\n']) {
            errors.add("place", "organisation-error-place");
        }
        for (field, text) in [("activities", &self.activities), ("seeking", &self.seeking)] {
            if text.trim().chars().count() > 5_000 {
                errors.add(field, "organisation-error-text-long");
            }
        }
        match kind {
            Some(kind) if errors.is_empty() => Ok(OrganisationDraft {
                name: name.to_owned(),
                kind,
                place: place.to_owned(),
                activities: self.activities.trim().to_owned(),
                seeking: self.seeking.trim().to_owned(),
            }),
            _ => Err(errors),
        }
    }
}

/// The bodies people came from, as a report counts them (「11団体15名」): each stated
/// affiliation (所属), the same however it is written in width, case or spacing, and named
/// as the center's organisation of that name where there is one.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Bodies {
    /// One line per body, the most people first.
    pub lines: Vec<Body>,
    /// People who stated an affiliation.
    pub people: usize,
}

/// One body and how many came from it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Body {
    /// The organisation's name, or the affiliation as first written.
    pub name: String,
    pub organisation: Option<OrganisationId>,
    /// People told apart.
    pub people: usize,
    /// Times they came (a person at three sessions counts three).
    pub attendances: usize,
}

/// An affiliation as compared: NFKC (ＮＰＯ = NPO), lower case, without spaces.
fn affiliation_key(text: &str) -> String {
    crate::i18n::compare_key(text)
}

/// The recorded organisation an affiliation names, however it is written in width, case
/// or spacing: what makes a person's 所属 a link where one exists.
pub fn named_by<'a>(affiliation: &str, organisations: &'a [Organisation]) -> Option<&'a Organisation> {
    let key = affiliation_key(affiliation.trim());
    if key.is_empty() {
        return None;
    }
    organisations.iter().find(|o| affiliation_key(&o.name) == key)
}

/// The center's organisations by the name an affiliation is compared by, for pages that
/// link many affiliations (each name normalised once).
#[derive(Clone, Debug, Default)]
pub struct Names(std::collections::HashMap<String, OrganisationId>);

impl Names {
    pub fn of(organisations: &[Organisation]) -> Names {
        Names(organisations.iter().map(|o| (affiliation_key(&o.name), o.id)).collect())
    }

    /// The organisation an affiliation names, however it is written.
    pub fn named_by(&self, affiliation: &str) -> Option<OrganisationId> {
        self.0.get(&affiliation_key(affiliation.trim())).copied()
    }
}

/// Counts the bodies behind `affiliations`, one per person (empty ones are nobody's),
/// naming those the center has recorded among `organisations`.
pub fn bodies(affiliations: &[String], organisations: &[Organisation]) -> Bodies {
    let entries: Vec<(i64, &str)> = (0..).zip(affiliations.iter().map(String::as_str)).collect();
    tally_bodies(&entries, organisations)
}

/// Counts the bodies behind attendances given as (person, affiliation): people told apart
/// by their id, and attendances; empty affiliations are nobody's.
pub fn tally_bodies(entries: &[(i64, &str)], organisations: &[Organisation]) -> Bodies {
    let known: std::collections::HashMap<String, &Organisation> =
        organisations.iter().map(|o| (affiliation_key(&o.name), o)).collect();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut lines: Vec<(Body, std::collections::HashSet<i64>)> = Vec::new();
    let mut everyone = std::collections::HashSet::new();
    for (person, a) in entries.iter().map(|(p, a)| (*p, a.trim())).filter(|(_, a)| !a.is_empty()) {
        everyone.insert(person);
        let key = affiliation_key(a);
        let at = *index.entry(key.clone()).or_insert_with(|| {
            let found = known.get(&key);
            let name = found.map_or_else(|| a.to_owned(), |o| o.name.clone());
            let body = Body { name, organisation: found.map(|o| o.id), people: 0, attendances: 0 };
            lines.push((body, std::collections::HashSet::new()));
            lines.len() - 1
        });
        let (body, people) = &mut lines[at];
        body.attendances += 1;
        if people.insert(person) {
            body.people += 1;
        }
    }
    let mut lines: Vec<Body> = lines.into_iter().map(|(b, _)| b).collect();
    lines.sort_by(|a, b| {
        b.people.cmp(&a.people).then_with(|| b.attendances.cmp(&a.attendances)).then_with(|| a.name.cmp(&b.name))
    });
    Bodies { lines, people: everyone.len() }
}

/// Why a change to an organisation's people was refused.
#[derive(Debug)]
pub enum Refused {
    /// It would leave the organisation without an admin.
    LastAdmin,
    Store(StoreError),
}

impl From<StoreError> for Refused {
    fn from(e: StoreError) -> Refused {
        Refused::Store(e)
    }
}

/// Records an organisation; the member who records it is its first admin, shown as they
/// choose.
///
/// # Errors
/// [`StoreError::Conflict`] when the center has an organisation of that name.
pub async fn create(
    db: &Db,
    tenant: TenantId,
    draft: &OrganisationDraft,
    by: AccountId,
    shown: Visibility,
) -> StoreResult<OrganisationId> {
    db.write(async |tx| {
        let id = store::insert(tx, tenant, draft).await?;
        store::insert_member(tx, tenant, id, by, true, true, shown).await?;
        Ok(id)
    })
    .await
}

/// Changes an organisation's record.
///
/// # Errors
/// [`StoreError::NotFound`] for another tenant's; [`StoreError::Conflict`] for a name taken.
pub async fn update(db: &Db, tenant: TenantId, id: OrganisationId, draft: &OrganisationDraft) -> StoreResult<()> {
    db.write(async |tx| store::update(tx, tenant, id, draft).await).await
}

/// A member asks to belong to the organisation; its admins confirm. Asking again changes
/// only who sees it.
///
/// # Errors
/// [`StoreError::NotFound`] for another tenant's organisation.
pub async fn ask_to_join(
    db: &Db,
    tenant: TenantId,
    id: OrganisationId,
    account: AccountId,
    shown: Visibility,
) -> StoreResult<()> {
    db.write(async |tx| {
        store::get_in(tx, tenant, id).await?;
        match store::membership_in(tx, tenant, id, account).await? {
            Some(_) => store::set_visibility(tx, tenant, id, account, shown).await,
            None => store::insert_member(tx, tenant, id, account, false, false, shown).await,
        }
    })
    .await
}

/// The person chooses who sees that they belong.
///
/// # Errors
/// [`StoreError::NotFound`] when they do not belong.
pub async fn set_visibility(
    db: &Db,
    tenant: TenantId,
    id: OrganisationId,
    account: AccountId,
    shown: Visibility,
) -> StoreResult<()> {
    db.write(async |tx| store::set_visibility(tx, tenant, id, account, shown).await).await
}

/// An admin confirms that the person belongs.
///
/// # Errors
/// [`StoreError::NotFound`] when they did not ask.
pub async fn confirm(db: &Db, tenant: TenantId, id: OrganisationId, account: AccountId) -> StoreResult<()> {
    db.write(async |tx| store::confirm(tx, tenant, id, account).await).await
}

/// Makes a confirmed person an admin, or no longer one.
///
/// # Errors
/// [`Refused::LastAdmin`] when no admin would be left.
pub async fn set_admin(
    db: &Db,
    tenant: TenantId,
    id: OrganisationId,
    account: AccountId,
    admin: bool,
) -> Result<(), Refused> {
    db.write(async |tx| {
        let Some(m) = store::membership_in(tx, tenant, id, account).await? else {
            return Err(Refused::Store(StoreError::NotFound));
        };
        if !m.confirmed() {
            return Err(Refused::Store(StoreError::NotFound));
        }
        if m.admin && !admin && store::count_admins_in(tx, tenant, id).await? <= 1 {
            return Err(Refused::LastAdmin);
        }
        store::set_admin(tx, tenant, id, account, admin).await?;
        Ok(())
    })
    .await
}

/// Takes the person off the organisation (they leave, an admin declines or removes them).
///
/// # Errors
/// [`Refused::LastAdmin`] for its only admin.
pub async fn remove(db: &Db, tenant: TenantId, id: OrganisationId, account: AccountId) -> Result<(), Refused> {
    db.write(async |tx| {
        let Some(m) = store::membership_in(tx, tenant, id, account).await? else {
            return Err(Refused::Store(StoreError::NotFound));
        };
        if m.admin && m.confirmed() && store::count_admins_in(tx, tenant, id).await? <= 1 {
            return Err(Refused::LastAdmin);
        }
        store::delete_member(tx, tenant, id, account).await?;
        Ok(())
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_keeps_names_as_written() {
        let form = OrganisationForm {
            name: " ＮＰＯ法人あおば ".into(),
            kind: "npo".into(),
            place: "仙台市青葉区".into(),
            activities: "居住支援".into(),
            seeking: String::new(),
        };
        let draft = form.validate().unwrap();
        assert_eq!(draft.name, "ＮＰＯ法人あおば", "a name is not width-normalised");
        assert_eq!(draft.kind.sector(), Sector::Npo);
        let bad = OrganisationForm { kind: "club".into(), place: "a\nb".into(), ..OrganisationForm::default() };
        let fields: Vec<_> = bad.validate().unwrap_err().0.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "kind", "place"]);
    }

    #[test]
    fn every_kind_and_choice_has_a_name_in_both_languages() {
        for lang in [Lang::Ja, Lang::En] {
            for k in Kind::ALL {
                assert!(!k.label(lang).starts_with("organisation-kind-"), "{k:?} in {lang:?}");
            }
            for v in Visibility::ALL {
                assert!(!v.label(lang).starts_with("visibility-"), "{v:?} in {lang:?}");
            }
        }
    }

    #[test]
    fn bodies_are_counted_however_their_names_are_written() {
        let aoba = Organisation {
            id: OrganisationId(3),
            tenant_id: TenantId(1),
            name: "NPO法人あおば".into(),
            kind: Kind::Npo,
            place: String::new(),
            activities: String::new(),
            seeking: String::new(),
            created_at: Utc::now(),
        };
        let typed: Vec<String> =
            ["ＮＰＯ法人あおば", "npo法人 あおば", "仙台市", "", "  ", "仙台市", "東北大学"].map(String::from).to_vec();
        let b = bodies(&typed, &[aoba]);
        assert_eq!(b.people, 5, "an empty affiliation is nobody's");
        assert_eq!(b.lines.len(), 3);
        assert_eq!(
            (b.lines[0].name.as_str(), b.lines[0].organisation, b.lines[0].people),
            ("NPO法人あおば", Some(OrganisationId(3)), 2)
        );
        assert_eq!((b.lines[1].name.as_str(), b.lines[1].organisation, b.lines[1].people), ("仙台市", None, 2));
        assert_eq!(b.lines[2].name, "東北大学");
    }

    #[test]
    fn its_confirmed_admins_and_the_secretariat_manage() {
        let m = |admin, confirmed: bool| Membership {
            account_id: AccountId(1),
            name: "x".into(),
            admin,
            confirmed_at: confirmed.then(Utc::now),
            visibility: Visibility::Nobody,
        };
        assert!(!Access::of(None, None).manage);
        assert!(Access::of(None, Some(&m(true, true))).manage);
        assert!(!Access::of(None, Some(&m(true, false))).manage, "not before confirmed");
        assert!(!Access::of(None, Some(&m(false, true))).manage);
        assert_eq!(Kind::Neighbourhood.sector(), Sector::Citizen);
    }
}
