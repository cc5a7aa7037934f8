//! Visit pages, for the secretariat and coordinators only: the year's visits, one visit,
//! recording and editing one.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};

use super::{Visit, VisitForm, VisitId, store};
use crate::i18n::FiscalYear;
use crate::web::{Admin, AppResult, AppState, Ctx, Staff};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/visits", get(index).post(create))
        .route("/visits/new", get(new))
        .route("/visits/{id}", get(show).post(update))
        .route("/visits/{id}/edit", get(edit))
        .route("/visits/{id}/delete", post(delete))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct YearQuery {
    pub fiscal_year: String,
}

#[derive(Template)]
#[template(path = "visit/index.html")]
pub struct IndexPage {
    pub ctx: Ctx,
    pub year: FiscalYear,
    pub visits: Vec<Visit>,
    pub counts: super::Counts,
}

async fn index(Staff(ctx, _): Staff, State(st): State<AppState>, Query(q): Query<YearQuery>) -> AppResult<IndexPage> {
    let year = FiscalYear::asked_or_current(&q.fiscal_year);
    let visits = store::between(&st.db, ctx.tenant.id, year.first_day(), year.last_day()).await?;
    let counts = super::count(&visits);
    Ok(IndexPage { ctx, year, visits, counts })
}

#[derive(Template)]
#[template(path = "visit/form.html")]
pub struct FormPage {
    pub ctx: Ctx,
    pub form: VisitForm,
    pub id: Option<i64>,
}

async fn new(Staff(ctx, _): Staff) -> FormPage {
    FormPage { ctx, form: VisitForm::default(), id: None }
}

async fn save(ctx: Ctx, st: &AppState, form: VisitForm, id: Option<VisitId>) -> AppResult<Response> {
    let draft = match form.validate() {
        Ok(d) => d,
        Err(errors) => {
            let page = FormPage { ctx: ctx.with_errors(errors), form, id: id.map(|i| i.0) };
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
    ctx.set_flash("visit-saved");
    Ok(Redirect::to(&format!("/visits/{}", id.0)).into_response())
}

async fn create(Staff(ctx, _): Staff, State(st): State<AppState>, Form(form): Form<VisitForm>) -> AppResult<Response> {
    save(ctx, &st, form, None).await
}

#[derive(Template)]
#[template(path = "visit/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub visit: Visit,
}

async fn show(Staff(ctx, _): Staff, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<ShowPage> {
    let visit = store::get(&st.db, ctx.tenant.id, VisitId(id)).await?;
    Ok(ShowPage { ctx, visit })
}

async fn edit(Staff(ctx, _): Staff, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<FormPage> {
    let visit = store::get(&st.db, ctx.tenant.id, VisitId(id)).await?;
    Ok(FormPage { ctx, form: VisitForm::of(&visit.draft), id: Some(id) })
}

async fn update(
    Staff(ctx, _): Staff,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(form): Form<VisitForm>,
) -> AppResult<Response> {
    let visit = store::get(&st.db, ctx.tenant.id, VisitId(id)).await?;
    save(ctx, &st, form, Some(visit.id)).await
}

async fn delete(Admin(ctx, _): Admin, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<Redirect> {
    super::delete(&st.db, ctx.tenant.id, VisitId(id)).await?;
    ctx.set_flash("visit-deleted");
    Ok(Redirect::to("/visits"))
}

crate::html_page!(IndexPage, FormPage, ShowPage);
