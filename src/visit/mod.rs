//! Visits to other centers (視察): several days somewhere (京都市), the organisations
//! visited and the people met there, what was learnt, and what was shared with the city.
//! The report counts them, with their days and the organisations visited.
//!
//! Kept by the secretariat and coordinators; nobody else reads them.

use chrono::{DateTime, NaiveDate, Utc};

use crate::db::{Db, StoreResult};
use crate::tenant::TenantId;
use crate::validate::FieldErrors;

pub mod store;
pub mod web;

/// A visit's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sqlx::Type, serde::Serialize)]
#[sqlx(transparent)]
pub struct VisitId(pub i64);

/// A visit as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Visit {
    pub id: VisitId,
    pub tenant_id: TenantId,
    pub draft: VisitDraft,
    pub created_at: DateTime<Utc>,
}

/// A validated visit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VisitDraft {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// Where (京都市).
    pub destination: String,
    pub purpose: String,
    /// The organisations visited, one per line.
    pub organisations: Vec<String>,
    /// The people met, one per line (name and role, as they gave them).
    pub people_met: Vec<String>,
    pub learnt: String,
    /// What was shared with the city, and when.
    pub shared_with_city: String,
    /// How many of the center went.
    pub visitors: i64,
}

impl VisitDraft {
    /// Days away, first and last included.
    pub fn days(&self) -> i64 {
        (self.ends_on - self.starts_on).num_days() + 1
    }
}

/// The visit form as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct VisitForm {
    pub starts_on: String,
    pub ends_on: String,
    pub destination: String,
    pub purpose: String,
    pub organisations: String,
    pub people_met: String,
    pub learnt: String,
    pub shared_with_city: String,
    pub visitors: String,
}

/// Lines as typed: trimmed, empty ones dropped.
fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect()
}

impl VisitForm {
    pub fn of(d: &VisitDraft) -> VisitForm {
        VisitForm {
            starts_on: d.starts_on.to_string(),
            ends_on: d.ends_on.to_string(),
            destination: d.destination.clone(),
            purpose: d.purpose.clone(),
            organisations: d.organisations.join("\n"),
            people_met: d.people_met.join("\n"),
            learnt: d.learnt.clone(),
            shared_with_city: d.shared_with_city.clone(),
            visitors: d.visitors.to_string(),
        }
    }

    /// Validates the form: the first day and where are required; the last day is the
    /// first when left empty, and at most 31 days later.
    ///
    /// # Errors
    /// Each field's problem.
    pub fn validate(&self) -> Result<VisitDraft, FieldErrors> {
        let mut errors = FieldErrors::default();
        let starts_on = errors.date("starts_on", &self.starts_on, "visit-error-starts-on", "visit-error-date");
        let ends_on = if self.ends_on.trim().is_empty() {
            starts_on
        } else {
            let d = crate::i18n::wareki::parse_date(&self.ends_on);
            if d.is_none() {
                errors.add("ends_on", "visit-error-date");
            }
            d
        };
        if let (Some(s), Some(e)) = (starts_on, ends_on)
            && (e < s || (e - s).num_days() > 31)
        {
            errors.add("ends_on", "visit-error-ends-on");
        }
        let destination = self.destination.trim();
        if destination.is_empty() {
            errors.add("destination", "visit-error-destination");
        } else if destination.chars().count() > 200 || destination.contains(['\r', '\n']) {
            errors.add("destination", "visit-error-line");
        }
        for (field, text) in [
            ("purpose", &self.purpose),
            ("organisations", &self.organisations),
            ("people_met", &self.people_met),
            ("learnt", &self.learnt),
            ("shared_with_city", &self.shared_with_city),
        ] {
            if text.trim().chars().count() > 10_000 {
                errors.add(field, "visit-error-text-long");
            }
        }
        let visitors = crate::i18n::normalize_identifier(&self.visitors);
        let visitors = if visitors.is_empty() {
            Some(0)
        } else {
            visitors.parse::<i64>().ok().filter(|n| (0..=1_000).contains(n))
        };
        if visitors.is_none() {
            errors.add("visitors", "visit-error-visitors");
        }
        match (starts_on, ends_on, visitors) {
            (Some(starts_on), Some(ends_on), Some(visitors)) if errors.is_empty() => Ok(VisitDraft {
                starts_on,
                ends_on,
                destination: destination.to_owned(),
                purpose: self.purpose.trim().to_owned(),
                organisations: lines(&self.organisations),
                people_met: lines(&self.people_met),
                learnt: self.learnt.trim().to_owned(),
                shared_with_city: self.shared_with_city.trim().to_owned(),
                visitors,
            }),
            _ => Err(errors),
        }
    }
}

/// The year's visits as the report counts them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub visits: usize,
    pub days: i64,
    pub organisations: usize,
}

pub fn count(visits: &[Visit]) -> Counts {
    Counts {
        visits: visits.len(),
        days: visits.iter().map(|v| v.draft.days()).sum(),
        organisations: visits.iter().map(|v| v.draft.organisations.len()).sum(),
    }
}

/// Records a visit.
///
/// # Errors
/// The database fails.
pub async fn record(db: &Db, tenant: TenantId, draft: &VisitDraft) -> StoreResult<VisitId> {
    db.write(async |tx| store::insert(tx, tenant, draft).await).await
}

/// Saves an edited visit.
///
/// # Errors
/// [`crate::db::StoreError::NotFound`].
pub async fn update(db: &Db, tenant: TenantId, id: VisitId, draft: &VisitDraft) -> StoreResult<()> {
    db.write(async |tx| store::update(tx, tenant, id, draft).await).await
}

/// Deletes a visit recorded in error.
///
/// # Errors
/// [`crate::db::StoreError::NotFound`].
pub async fn delete(db: &Db, tenant: TenantId, id: VisitId) -> StoreResult<()> {
    db.write(async |tx| store::delete(tx, tenant, id).await).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_visit_of_two_days_to_five_organisations() {
        let form = VisitForm {
            starts_on: "令和5年8月30日".into(),
            ends_on: "2023/8/31".into(),
            destination: "京都市".into(),
            organisations: "龍谷大学 政策学部\n公益財団法人京都地域創造基金\n\n京都市市民活動総合センター\n".into(),
            visitors: "２".into(),
            ..VisitForm::default()
        };
        let d = form.validate().unwrap();
        assert_eq!((d.days(), d.organisations.len(), d.visitors), (2, 3, 2));
        let v = Visit { id: VisitId(1), tenant_id: TenantId(1), draft: d, created_at: Utc::now() };
        assert_eq!(count(&[v.clone(), v]), Counts { visits: 2, days: 4, organisations: 6 });
        let bad = VisitForm { starts_on: "2023-08-30".into(), ends_on: "2023-08-01".into(), ..VisitForm::default() };
        let fields: Vec<_> = bad.validate().unwrap_err().0.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["ends_on", "destination"]);
    }
}
