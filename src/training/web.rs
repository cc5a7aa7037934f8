//! Coordinator training pages, for the secretariat and coordinators only: the year's
//! trainings, one training, recording and editing one.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};

use super::{Training, TrainingForm, TrainingId, store};
use crate::account::{Account, Role};
use crate::i18n::FiscalYear;
use crate::web::{Admin, AppResult, AppState, Ctx, Staff};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/trainings", get(index).post(create))
        .route("/trainings/new", get(new))
        .route("/trainings/{id}", get(show).post(update))
        .route("/trainings/{id}/edit", get(edit))
        .route("/trainings/{id}/delete", post(delete))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct YearQuery {
    pub fiscal_year: String,
}

#[derive(Template)]
#[template(path = "training/index.html")]
pub struct IndexPage {
    pub ctx: Ctx,
    pub year: FiscalYear,
    pub trainings: Vec<Training>,
    pub counts: super::Counts,
}

impl IndexPage {
    pub fn kind(&self, code: &str) -> String {
        super::Kind::from_code(code).map(|k| k.label(self.ctx.lang).into_owned()).unwrap_or_default()
    }
}

/// The center's coordinators (who count as trained) and its secretariat.
async fn staff(st: &AppState, ctx: &Ctx) -> AppResult<Vec<Account>> {
    Ok(crate::account::store::list(&st.db, ctx.tenant.id)
        .await?
        .into_iter()
        .filter(|a| a.role != Role::Member)
        .collect())
}

async fn index(Staff(ctx, _): Staff, State(st): State<AppState>, Query(q): Query<YearQuery>) -> AppResult<IndexPage> {
    let year = FiscalYear::asked_or_current(&q.fiscal_year);
    let trainings = store::between(&st.db, ctx.tenant.id, year.first_day(), year.last_day()).await?;
    let coordinators: Vec<_> =
        staff(&st, &ctx).await?.into_iter().filter(|a| a.role == Role::Coordinator).map(|a| a.id).collect();
    let counts = super::count(&trainings, &coordinators);
    Ok(IndexPage { ctx, year, trainings, counts })
}

#[derive(Template)]
#[template(path = "training/form.html")]
pub struct FormPage {
    pub ctx: Ctx,
    pub form: TrainingForm,
    pub id: Option<i64>,
    /// Who may be ticked as taking part.
    pub staff: Vec<Account>,
}

async fn new(Staff(ctx, _): Staff, State(st): State<AppState>) -> AppResult<FormPage> {
    let staff = staff(&st, &ctx).await?;
    Ok(FormPage { ctx, form: TrainingForm::default(), id: None, staff })
}

async fn save(ctx: Ctx, st: &AppState, form: TrainingForm, id: Option<TrainingId>) -> AppResult<Response> {
    // Who took part is chosen among the center's coordinators and secretariat.
    let staff_ids: Vec<_> = staff(st, &ctx).await?.into_iter().map(|a| a.id).collect();
    let checked = form.validate().and_then(|d| {
        if d.participants.iter().all(|p| staff_ids.contains(p)) {
            Ok(d)
        } else {
            Err(crate::validate::FieldErrors::single("participants", "training-error-participant"))
        }
    });
    let draft = match checked {
        Ok(d) => d,
        Err(errors) => {
            let staff = staff(st, &ctx).await?;
            let page = FormPage { ctx: ctx.with_errors(errors), form, id: id.map(|i| i.0), staff };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let id = match id {
        None => super::record(&st.db, ctx.tenant.id, &draft).await?,
        Some(id) => {
            super::update(&st.db, ctx.tenant.id, id, &draft).await?;
            id
        }
    };
    ctx.set_flash("training-saved");
    Ok(Redirect::to(&format!("/trainings/{}", id.0)).into_response())
}

async fn create(
    Staff(ctx, _): Staff,
    State(st): State<AppState>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    save(ctx, &st, TrainingForm::from_pairs(pairs), None).await
}

#[derive(Template)]
#[template(path = "training/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub training: Training,
}

async fn show(Staff(ctx, _): Staff, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<ShowPage> {
    let training = store::get(&st.db, ctx.tenant.id, TrainingId(id)).await?;
    Ok(ShowPage { ctx, training })
}

async fn edit(Staff(ctx, _): Staff, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<FormPage> {
    let training = store::get(&st.db, ctx.tenant.id, TrainingId(id)).await?;
    let staff = staff(&st, &ctx).await?;
    Ok(FormPage { ctx, form: TrainingForm::of(&training), id: Some(id), staff })
}

async fn update(
    Staff(ctx, _): Staff,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let training = store::get(&st.db, ctx.tenant.id, TrainingId(id)).await?;
    save(ctx, &st, TrainingForm::from_pairs(pairs), Some(training.id)).await
}

async fn delete(Admin(ctx, _): Admin, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<Redirect> {
    super::delete(&st.db, ctx.tenant.id, TrainingId(id)).await?;
    ctx.set_flash("training-deleted");
    Ok(Redirect::to("/trainings"))
}

crate::html_page!(IndexPage, FormPage, ShowPage);
