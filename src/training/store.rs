//! All SQL about coordinator trainings: the only module that writes `training` and
//! `training_participant`. Every function takes the tenant first; participants are found
//! through a training of the tenant.

use chrono::{DateTime, NaiveDate, Utc};

use super::{Kind, Training, TrainingDraft, TrainingId};
use crate::account::AccountId;
use crate::db::{Db, StoreError, StoreResult, Tx, now};
use crate::tenant::TenantId;
use crate::{with_db, with_tx};

#[derive(sqlx::FromRow)]
struct Row {
    id: TrainingId,
    tenant_id: TenantId,
    kind: Kind,
    held_on: NaiveDate,
    title: String,
    organiser: String,
    lecturer: String,
    content: String,
    others: i64,
    created_at: DateTime<Utc>,
}

macro_rules! select {
    ($where:expr) => {
        concat!(
            "SELECT id, tenant_id, kind, held_on, title, organiser, lecturer, content, others, created_at \
             FROM training WHERE ",
            $where
        )
    };
}

/// Rows with their participants, read in one more statement: those of the tenant's
/// trainings held from `first` to `last`.
async fn with_participants(
    db: &Db,
    tenant: TenantId,
    rows: Vec<Row>,
    first: NaiveDate,
    last: NaiveDate,
) -> StoreResult<Vec<Training>> {
    let people: Vec<(TrainingId, AccountId, String)> = with_db!(db, |p| {
        sqlx::query_as(
            "SELECT p.training_id, p.account_id, a.display_name FROM training_participant p \
             JOIN training t ON t.id = p.training_id JOIN account a ON a.id = p.account_id \
             WHERE t.tenant_id = $1 AND t.held_on >= $2 AND t.held_on <= $3 ORDER BY a.furigana, a.display_name, a.id",
        )
        .bind(tenant)
        .bind(first)
        .bind(last)
        .fetch_all(p)
        .await?
    });
    Ok(rows
        .into_iter()
        .map(|r| Training {
            id: r.id,
            tenant_id: r.tenant_id,
            participants: people.iter().filter(|(t, _, _)| *t == r.id).map(|(_, a, n)| (*a, n.clone())).collect(),
            draft: TrainingDraft {
                kind: r.kind,
                held_on: r.held_on,
                title: r.title,
                organiser: r.organiser,
                lecturer: r.lecturer,
                content: r.content,
                others: r.others,
                participants: Vec::new(),
            },
            created_at: r.created_at,
        })
        .map(|mut t| {
            t.draft.participants = t.participants.iter().map(|(a, _)| *a).collect();
            t
        })
        .collect())
}

/// Records a training.
///
/// # Errors
/// The database fails.
pub async fn insert(tx: &mut Tx, tenant: TenantId, d: &TrainingDraft) -> StoreResult<TrainingId> {
    let now = now();
    Ok(with_tx!(tx, |c| {
        sqlx::query_as::<_, (TrainingId,)>(
            "INSERT INTO training (tenant_id, kind, held_on, title, organiser, lecturer, content, others, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
        )
        .bind(tenant)
        .bind(d.kind)
        .bind(d.held_on)
        .bind(&d.title)
        .bind(&d.organiser)
        .bind(&d.lecturer)
        .bind(&d.content)
        .bind(d.others)
        .bind(now)
        .fetch_one(&mut *c)
        .await?
        .0
    }))
}

/// Saves an edited training.
///
/// # Errors
/// [`StoreError::NotFound`] for another tenant's.
pub async fn update(tx: &mut Tx, tenant: TenantId, id: TrainingId, d: &TrainingDraft) -> StoreResult<()> {
    let n = with_tx!(tx, |c| {
        sqlx::query(
            "UPDATE training SET kind = $3, held_on = $4, title = $5, organiser = $6, lecturer = $7, content = $8, \
             others = $9, updated_at = $10 WHERE tenant_id = $1 AND id = $2",
        )
        .bind(tenant)
        .bind(id)
        .bind(d.kind)
        .bind(d.held_on)
        .bind(&d.title)
        .bind(&d.organiser)
        .bind(&d.lecturer)
        .bind(&d.content)
        .bind(d.others)
        .bind(now())
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    if n == 1 { Ok(()) } else { Err(StoreError::NotFound) }
}

/// Sets who took part: accounts of the tenant, replacing those recorded before.
///
/// # Errors
/// [`StoreError::NotFound`] for an account not of the tenant.
pub async fn set_participants(tx: &mut Tx, tenant: TenantId, id: TrainingId, people: &[AccountId]) -> StoreResult<()> {
    with_tx!(tx, |c| {
        sqlx::query("DELETE FROM training_participant WHERE tenant_id = $1 AND training_id = $2")
            .bind(tenant)
            .bind(id)
            .execute(&mut *c)
            .await?;
        for a in people {
            let n = sqlx::query(
                "INSERT INTO training_participant (training_id, account_id, tenant_id) \
                 SELECT $2, id, tenant_id FROM account WHERE tenant_id = $1 AND id = $3",
            )
            .bind(tenant)
            .bind(id)
            .bind(a)
            .execute(&mut *c)
            .await?
            .rows_affected();
            if n != 1 {
                return Err(StoreError::NotFound);
            }
        }
    });
    Ok(())
}

/// Deletes a training and its participants.
///
/// # Errors
/// [`StoreError::NotFound`].
pub async fn delete(tx: &mut Tx, tenant: TenantId, id: TrainingId) -> StoreResult<()> {
    let n = with_tx!(tx, |c| {
        sqlx::query("DELETE FROM training WHERE tenant_id = $1 AND id = $2")
            .bind(tenant)
            .bind(id)
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    if n == 1 { Ok(()) } else { Err(StoreError::NotFound) }
}

/// A training of the tenant, with who took part.
///
/// # Errors
/// [`StoreError::NotFound`].
pub async fn get(db: &Db, tenant: TenantId, id: TrainingId) -> StoreResult<Training> {
    const SQL: &str = select!("tenant_id = $1 AND id = $2");
    let row = with_db!(db, |p| sqlx::query_as::<_, Row>(SQL).bind(tenant).bind(id).fetch_one(p).await?);
    let day = row.held_on;
    with_participants(db, tenant, vec![row], day, day).await?.pop().ok_or(StoreError::NotFound)
}

/// The trainings held from `first` to `last` (inclusive), oldest first.
///
/// # Errors
/// The database fails.
pub async fn between(db: &Db, tenant: TenantId, first: NaiveDate, last: NaiveDate) -> StoreResult<Vec<Training>> {
    const SQL: &str = select!("tenant_id = $1 AND held_on >= $2 AND held_on <= $3 ORDER BY held_on, id");
    let rows = with_db!(db, |p| sqlx::query_as::<_, Row>(SQL).bind(tenant).bind(first).bind(last).fetch_all(p).await?);
    with_participants(db, tenant, rows, first, last).await
}
