//! Hearing pages, for the secretariat and coordinators only: the year's hearings, one
//! hearing, recording and editing one, and the aggregate that goes into the report.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};

use super::{Hearing, HearingForm, HearingId, Summary, store};
use crate::i18n::FiscalYear;
use crate::web::{Admin, AppResult, AppState, Ctx, Staff};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/hearings", get(index).post(create))
        .route("/hearings/new", get(new))
        .route("/hearings/summary", get(summary))
        .route("/hearings/{id}", get(show).post(update))
        .route("/hearings/{id}/edit", get(edit))
        .route("/hearings/{id}/delete", post(delete))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct YearQuery {
    pub fiscal_year: String,
}

impl YearQuery {
    /// The year asked for, else the current one.
    fn year(&self) -> FiscalYear {
        FiscalYear::asked_or_current(&self.fiscal_year)
    }
}

/// The years to choose from: those with hearings and the one shown.
async fn years(st: &AppState, ctx: &Ctx, shown: FiscalYear) -> AppResult<Vec<FiscalYear>> {
    let mut years = store::years(&st.db, ctx.tenant.id).await?;
    if !years.contains(&shown) {
        years.push(shown);
        years.sort_by_key(|y| std::cmp::Reverse(y.0));
    }
    Ok(years)
}

#[derive(Template)]
#[template(path = "hearing/index.html")]
pub struct IndexPage {
    pub ctx: Ctx,
    pub year: FiscalYear,
    pub years: Vec<FiscalYear>,
    pub hearings: Vec<Hearing>,
}

async fn index(Staff(ctx, _): Staff, State(st): State<AppState>, Query(q): Query<YearQuery>) -> AppResult<IndexPage> {
    let year = q.year();
    let hearings = store::between(&st.db, ctx.tenant.id, year.first_day(), year.last_day()).await?;
    let years = years(&st, &ctx, year).await?;
    Ok(IndexPage { ctx, year, years, hearings })
}

#[derive(Template)]
#[template(path = "hearing/summary.html")]
pub struct SummaryPage {
    pub ctx: Ctx,
    pub year: FiscalYear,
    pub years: Vec<FiscalYear>,
    pub summary: Summary,
}

impl SummaryPage {
    /// 「ヒアリング13件（13社）」.
    pub fn counts(&self) -> String {
        let (h, c) = (self.summary.hearings.to_string(), self.summary.companies.to_string());
        self.ctx.lang.t_args("hearings-summary-counts", &[("hearings", &h), ("companies", &c)])
    }

    pub fn method(&self, code: &str) -> String {
        super::Method::from_code(code).map(|m| m.label(self.ctx.lang).into_owned()).unwrap_or_default()
    }

    pub fn partner(&self, code: &str) -> String {
        crate::organisation::Kind::from_code(code).map(|k| k.label(self.ctx.lang).into_owned()).unwrap_or_default()
    }
}

async fn summary(
    Staff(ctx, _): Staff,
    State(st): State<AppState>,
    Query(q): Query<YearQuery>,
) -> AppResult<SummaryPage> {
    let year = q.year();
    let hearings = store::between(&st.db, ctx.tenant.id, year.first_day(), year.last_day()).await?;
    let years = years(&st, &ctx, year).await?;
    Ok(SummaryPage { ctx, year, years, summary: super::summarise(&hearings) })
}

#[derive(Template)]
#[template(path = "hearing/form.html")]
pub struct FormPage {
    pub ctx: Ctx,
    pub form: HearingForm,
    pub id: Option<i64>,
}

async fn new(Staff(ctx, _): Staff) -> FormPage {
    FormPage { ctx, form: HearingForm { method: "visit".into(), ..HearingForm::default() }, id: None }
}

/// Validates and saves; a refused form comes back with what was typed.
async fn save(ctx: Ctx, st: &AppState, form: HearingForm, id: Option<HearingId>) -> AppResult<Response> {
    let draft = match form.validate() {
        Ok(d) => d,
        Err(errors) => {
            let page = FormPage { ctx: ctx.with_errors(errors), form, id: id.map(|i| i.0) };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let account = ctx.require_account()?.id;
    let id = match id {
        None => super::record(&st.db, ctx.tenant.id, account, &draft).await?,
        Some(id) => {
            super::update(&st.db, ctx.tenant.id, id, &draft).await?;
            id
        }
    };
    ctx.set_flash("hearing-saved");
    Ok(Redirect::to(&format!("/hearings/{}", id.0)).into_response())
}

async fn create(
    Staff(ctx, _): Staff,
    State(st): State<AppState>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    save(ctx, &st, HearingForm::from_pairs(pairs), None).await
}

#[derive(Template)]
#[template(path = "hearing/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub hearing: Hearing,
    pub recorded_by: String,
}

impl ShowPage {
    pub fn partner(&self, kind: &crate::organisation::Kind) -> String {
        kind.label(self.ctx.lang).into_owned()
    }
}

async fn show(Staff(ctx, _): Staff, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<ShowPage> {
    let hearing = store::get(&st.db, ctx.tenant.id, HearingId(id)).await?;
    let action = crate::access_log::Action::HearingViewed;
    let subject = format!("{} ({})", hearing.draft.company, hearing.draft.held_on);
    crate::access_log::store::record(&st.db, ctx.tenant.id, ctx.account_id(), action, &subject, &ctx.client_address())
        .await?;
    let recorded_by = match hearing.recorded_by {
        Some(a) => crate::account::store::find(&st.db, ctx.tenant.id, a).await?.map(|a| a.display_name),
        None => None,
    }
    .unwrap_or_default();
    Ok(ShowPage { ctx, hearing, recorded_by })
}

async fn edit(Staff(ctx, _): Staff, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<FormPage> {
    let hearing = store::get(&st.db, ctx.tenant.id, HearingId(id)).await?;
    Ok(FormPage { ctx, form: HearingForm::of(&hearing.draft), id: Some(id) })
}

async fn update(
    Staff(ctx, _): Staff,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let hearing = store::get(&st.db, ctx.tenant.id, HearingId(id)).await?;
    save(ctx, &st, HearingForm::from_pairs(pairs), Some(hearing.id)).await
}

async fn delete(Admin(ctx, _): Admin, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<Redirect> {
    super::delete(&st.db, ctx.tenant.id, HearingId(id)).await?;
    ctx.set_flash("hearing-deleted");
    Ok(Redirect::to("/hearings"))
}

crate::html_page!(IndexPage, SummaryPage, FormPage, ShowPage);
