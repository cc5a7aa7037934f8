//! Coordinator trainings (コーディネーター研修): the center's own (内部研修), others' that its
//! people took part in (外部研修: a seminar, an online course), and on the job (OJT: a
//! project worked through at a lab or secretariat meeting), each with its lecturer,
//! content and who took part: the center's coordinators and secretariat by account, others
//! as a number. The report counts them by kind, with the coordinators trained in the year.
//!
//! Kept by the secretariat and coordinators; nobody else reads them.

use chrono::{DateTime, NaiveDate, Utc};

use crate::account::AccountId;
use crate::db::{Db, StoreResult};
use crate::i18n::Lang;
use crate::tenant::TenantId;
use crate::validate::FieldErrors;

pub mod store;
pub mod web;

/// A training's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sqlx::Type, serde::Serialize)]
#[sqlx(transparent)]
pub struct TrainingId(pub i64);

/// What kind of training.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// 内部研修: the center's own.
    Internal,
    /// 外部研修: held by others.
    External,
    /// OJT研修: on the job.
    Ojt,
}

crate::text_code!(Kind { Internal = "internal", External = "external", Ojt = "ojt" });

impl Kind {
    pub fn label(self, lang: Lang) -> std::borrow::Cow<'static, str> {
        lang.t(&format!("training-kind-{}", self.code()))
    }
}

/// A training as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Training {
    pub id: TrainingId,
    pub tenant_id: TenantId,
    pub draft: TrainingDraft,
    /// Who took part, by account: (account, display name).
    pub participants: Vec<(AccountId, String)>,
    pub created_at: DateTime<Utc>,
}

impl Training {
    /// Everyone who took part: accounts and others.
    pub fn headcount(&self) -> i64 {
        i64::try_from(self.participants.len()).unwrap_or(i64::MAX).saturating_add(self.draft.others)
    }
}

/// A validated training.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrainingDraft {
    pub kind: Kind,
    pub held_on: NaiveDate,
    pub title: String,
    /// Who held it (for an external one: 東北チャレンジコミュニティ …).
    pub organiser: String,
    pub lecturer: String,
    pub content: String,
    /// Participants without an account here.
    pub others: i64,
    /// Participants with an account (the center's coordinators and secretariat).
    pub participants: Vec<AccountId>,
}

/// The training form as typed (pairs, since `participant` repeats).
#[derive(Clone, Debug, Default)]
pub struct TrainingForm {
    pub kind: String,
    pub held_on: String,
    pub title: String,
    pub organiser: String,
    pub lecturer: String,
    pub content: String,
    pub others: String,
    pub participants: Vec<String>,
}

impl TrainingForm {
    pub fn from_pairs(pairs: Vec<(String, String)>) -> TrainingForm {
        let mut f = TrainingForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "kind" => f.kind = v,
                "held_on" => f.held_on = v,
                "title" => f.title = v,
                "organiser" => f.organiser = v,
                "lecturer" => f.lecturer = v,
                "content" => f.content = v,
                "others" => f.others = v,
                "participant" => f.participants.push(v),
                _ => {}
            }
        }
        f
    }

    pub fn of(t: &Training) -> TrainingForm {
        let d = &t.draft;
        TrainingForm {
            kind: d.kind.code().to_owned(),
            held_on: d.held_on.to_string(),
            title: d.title.clone(),
            organiser: d.organiser.clone(),
            lecturer: d.lecturer.clone(),
            content: d.content.clone(),
            others: d.others.to_string(),
            participants: t.participants.iter().map(|(a, _)| a.0.to_string()).collect(),
        }
    }

    pub fn has_participant(&self, account: &AccountId) -> bool {
        self.participants.iter().any(|p| p.trim() == account.0.to_string())
    }

    /// Validates the form: kind, date and title are required; the number of others is a
    /// whole number (full-width digits too), 0 when empty.
    ///
    /// # Errors
    /// Each field's problem.
    pub fn validate(&self) -> Result<TrainingDraft, FieldErrors> {
        let mut errors = FieldErrors::default();
        let kind = Kind::from_code(self.kind.trim());
        if kind.is_none() {
            errors.add("kind", "training-error-kind");
        }
        let held_on = errors.date("held_on", &self.held_on, "training-error-held-on", "training-error-date");
        let title = self.title.trim();
        if title.is_empty() {
            errors.add("title", "training-error-title");
        }
        for (field, text) in [("title", &self.title), ("organiser", &self.organiser), ("lecturer", &self.lecturer)] {
            if text.trim().chars().count() > 200 || text.trim().contains(['\r', '\n']) {
                errors.add(field, "training-error-line");
            }
        }
        if self.content.trim().chars().count() > 10_000 {
            errors.add("content", "training-error-text-long");
        }
        let others = crate::i18n::normalize_identifier(&self.others);
        let others =
            if others.is_empty() { Some(0) } else { others.parse::<i64>().ok().filter(|n| (0..=10_000).contains(n)) };
        if others.is_none() {
            errors.add("others", "training-error-others");
        }
        let mut participants = Vec::new();
        for p in &self.participants {
            match p.trim().parse::<i64>() {
                Ok(id) if !participants.contains(&AccountId(id)) => participants.push(AccountId(id)),
                Ok(_) => {}
                Err(_) => errors.add("participants", "training-error-participant"),
            }
        }
        match (kind, held_on, others) {
            (Some(kind), Some(held_on), Some(others)) if errors.is_empty() => Ok(TrainingDraft {
                kind,
                held_on,
                title: title.to_owned(),
                organiser: self.organiser.trim().to_owned(),
                lecturer: self.lecturer.trim().to_owned(),
                content: self.content.trim().to_owned(),
                others,
                participants,
            }),
            _ => Err(errors),
        }
    }
}

/// The year's trainings as the report counts them.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Trainings by kind, in [`Kind::ALL`] order: (code, count).
    pub by_kind: Vec<(&'static str, usize)>,
    /// People taking part, all trainings together (one person at two counts twice).
    pub participants: i64,
    /// Coordinators (accounts) who took part in at least one training: those trained.
    pub coordinators_trained: usize,
}

/// Counts a year's trainings; `coordinators` are the accounts that count as trained.
pub fn count(trainings: &[Training], coordinators: &[AccountId]) -> Counts {
    let trained: std::collections::HashSet<AccountId> = trainings
        .iter()
        .flat_map(|t| t.participants.iter().map(|(a, _)| *a))
        .filter(|a| coordinators.contains(a))
        .collect();
    Counts {
        by_kind: Kind::ALL
            .iter()
            .map(|k| (k.code(), trainings.iter().filter(|t| t.draft.kind == *k).count()))
            .collect(),
        participants: trainings.iter().map(Training::headcount).sum(),
        coordinators_trained: trained.len(),
    }
}

/// Records a training.
///
/// # Errors
/// [`crate::db::StoreError::NotFound`] for a participant not of the tenant.
pub async fn record(db: &Db, tenant: TenantId, draft: &TrainingDraft) -> StoreResult<TrainingId> {
    db.write(async |tx| {
        let id = store::insert(tx, tenant, draft).await?;
        store::set_participants(tx, tenant, id, &draft.participants).await?;
        Ok(id)
    })
    .await
}

/// Saves an edited training and who took part.
///
/// # Errors
/// [`crate::db::StoreError::NotFound`].
pub async fn update(db: &Db, tenant: TenantId, id: TrainingId, draft: &TrainingDraft) -> StoreResult<()> {
    db.write(async |tx| {
        store::update(tx, tenant, id, draft).await?;
        store::set_participants(tx, tenant, id, &draft.participants).await
    })
    .await
}

/// Deletes a training recorded in error.
///
/// # Errors
/// [`crate::db::StoreError::NotFound`].
pub async fn delete(db: &Db, tenant: TenantId, id: TrainingId) -> StoreResult<()> {
    db.write(async |tx| store::delete(tx, tenant, id).await).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> TrainingForm {
        TrainingForm::from_pairs(pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect())
    }

    #[test]
    fn trainings_are_counted_by_kind_and_coordinators_trained_once() {
        let d = form(&[
            ("kind", "external"),
            ("held_on", "令和6年2月28日"),
            ("title", "連携オンラインセミナー基礎編"),
            ("others", "１"),
            ("participant", "3"),
            ("participant", "4"),
        ])
        .validate()
        .unwrap();
        assert_eq!((d.others, d.participants.len()), (1, 2));
        let t = |kind, people: &[i64]| Training {
            id: TrainingId(1),
            tenant_id: TenantId(1),
            draft: TrainingDraft { kind, ..d.clone() },
            participants: people.iter().map(|p| (AccountId(*p), String::new())).collect(),
            created_at: Utc::now(),
        };
        let trainings = [t(Kind::Internal, &[3, 4]), t(Kind::External, &[3, 4, 9]), t(Kind::Ojt, &[5])];
        let c = count(&trainings, &[AccountId(3), AccountId(4), AccountId(5)]);
        assert_eq!(c.by_kind, [("internal", 1), ("external", 1), ("ojt", 1)]);
        assert_eq!(c.coordinators_trained, 3, "the secretariat's 9 is not a coordinator trained");
        assert_eq!(c.participants, 3 + 4 + 2);
        let fields: Vec<_> =
            form(&[("held_on", "x"), ("others", "-1")]).validate().unwrap_err().0.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["kind", "held_on", "title", "others"]);
        for lang in [Lang::Ja, Lang::En] {
            for k in Kind::ALL {
                assert!(!k.label(lang).starts_with("training-"));
            }
        }
    }
}
