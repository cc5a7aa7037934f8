//! Introduction pages: the coordinators' form (from a need and an offer, or two people by
//! their addresses), the list (every introduction for coordinators, one's own for the
//! others), an introduction's page with each person's answer, and the outcome.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};

use super::{Access, Answer, Introduction, IntroductionId, NewIntroduction, Outcome, Refused, Side, State as Standing};
use crate::account::Account;
use crate::probono::{Need, NeedId, Offer, OfferId};
use crate::validate::FieldErrors;
use crate::web::{AppError, AppResult, AppState, Ctx, Member, Staff};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/introductions", get(index).post(create))
        .route("/introductions/new", get(new))
        .route("/introductions/{id}", get(show))
        .route("/introductions/{id}/answer", post(answer))
        .route("/introductions/{id}/outcome", post(outcome))
}

/// Where an introduction stands, as a Fluent id.
fn standing(i: &Introduction) -> &'static str {
    match i.state() {
        Standing::Waiting => "introduction-state-waiting",
        Standing::Declined => "introduction-state-declined",
        Standing::Accepted => "introduction-state-accepted",
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct NewQuery {
    pub need: Option<i64>,
    pub offer: Option<i64>,
}

/// The introduction form as typed.
#[derive(serde::Deserialize, Default, Clone, Debug)]
#[serde(default)]
pub struct IntroductionForm {
    pub need: String,
    pub offer: String,
    pub a_email: String,
    pub b_email: String,
    pub purpose: String,
}

/// A need and an offer to introduce the posters of, with the names a coordinator sees.
pub struct Pair {
    pub need: Need,
    pub offer: Offer,
    pub need_by: String,
    pub offer_by: String,
}

#[derive(Template)]
#[template(path = "introduction/form.html")]
pub struct FormPage {
    pub ctx: Ctx,
    pub form: IntroductionForm,
    pub pair: Option<Pair>,
}

/// The need and offer named, when both are and are the tenant's.
async fn pair(ctx: &Ctx, st: &AppState, need: Option<i64>, offer: Option<i64>) -> AppResult<Option<Pair>> {
    let (Some(need), Some(offer)) = (need, offer) else { return Ok(None) };
    let tenant = ctx.tenant.id;
    let need = crate::probono::store::get_need(&st.db, tenant, NeedId(need)).await?;
    let offer = crate::probono::store::get_offer(&st.db, tenant, OfferId(offer)).await?;
    let name = async |id| -> AppResult<String> {
        Ok(crate::account::store::find(&st.db, tenant, id).await?.map(|a| a.display_name).unwrap_or_default())
    };
    let need_by = name(need.account_id).await?;
    let offer_by = name(offer.account_id).await?;
    Ok(Some(Pair { need, offer, need_by, offer_by }))
}

async fn new(Staff(ctx, _): Staff, State(st): State<AppState>, Query(q): Query<NewQuery>) -> AppResult<FormPage> {
    let pair = pair(&ctx, &st, q.need, q.offer).await?;
    let mut form = IntroductionForm::default();
    if let Some(p) = &pair {
        form.need = p.need.id.0.to_string();
        form.offer = p.offer.id.0.to_string();
        // Nothing of either in the words both read: the coordinator adds what they choose.
        form.purpose = ctx.lang.t("introduction-purpose-default").into_owned();
    }
    Ok(FormPage { ctx, form, pair })
}

async fn create(
    Staff(ctx, account): Staff,
    State(st): State<AppState>,
    Form(form): Form<IntroductionForm>,
) -> AppResult<Response> {
    let tenant = ctx.tenant.id;
    let pair = pair(&ctx, &st, form.need.trim().parse().ok(), form.offer.trim().parse().ok()).await?;
    let mut errors = FieldErrors::default();
    let purpose = match super::validate_purpose(&form.purpose) {
        Ok(p) => Some(p),
        Err(e) => {
            errors = e;
            None
        }
    };
    let parties = match &pair {
        Some(p) => Some((
            (p.need.account_id, p.need.organisation.as_ref().map(|o| o.id)),
            (p.offer.account_id, p.offer.organisation.as_ref().map(|o| o.id)),
        )),
        None => {
            let mut find = async |field: &'static str, email: &str| -> AppResult<Option<Account>> {
                let found = crate::account::store::find_by_email(&st.db, tenant, email.trim()).await?.map(|(a, _)| a);
                if found.is_none() {
                    errors.add(field, "introduction-error-who");
                }
                Ok(found)
            };
            let a = find("a_email", &form.a_email).await?;
            let b = find("b_email", &form.b_email).await?;
            a.zip(b).map(|(a, b)| ((a.id, None), (b.id, None)))
        }
    };
    let refuse = |ctx: Ctx, errors: FieldErrors, form: IntroductionForm, pair: Option<Pair>| {
        (StatusCode::UNPROCESSABLE_ENTITY, FormPage { ctx: ctx.with_errors(errors), form, pair }).into_response()
    };
    let (Some(purpose), Some((a, b)), true) = (purpose, parties, errors.is_empty()) else {
        return Ok(refuse(ctx, errors, form, pair));
    };
    let new = NewIntroduction {
        need: pair.as_ref().map(|p| p.need.id),
        offer: pair.as_ref().map(|p| p.offer.id),
        purpose,
        a,
        b,
    };
    match super::introduce(&st.db, tenant, account.id, &new).await {
        Ok(id) => {
            ctx.set_flash("introduction-made");
            Ok(Redirect::to(&format!("/introductions/{}", id.0)).into_response())
        }
        Err(Refused::Same) => {
            let field = if pair.is_some() { "purpose" } else { "b_email" };
            Ok(refuse(ctx, FieldErrors::single(field, "introduction-error-same"), form, pair))
        }
        Err(Refused::Store(e)) => Err(e.into()),
        Err(Refused::Answered | Refused::NotAccepted) => Err(AppError::BadRequest),
    }
}

/// One line of the list.
pub struct Line {
    pub id: i64,
    pub purpose: String,
    pub state: &'static str,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// The reader's own answer is awaited.
    pub awaiting: bool,
}

#[derive(Template)]
#[template(path = "introduction/index.html")]
pub struct IndexPage {
    pub ctx: Ctx,
    pub staff: bool,
    pub lines: Vec<Line>,
}

async fn index(Member(ctx, account): Member, State(st): State<AppState>) -> AppResult<IndexPage> {
    let staff = crate::probono::web::coordinates(Some(&account));
    let of = if staff { None } else { Some(account.id) };
    let lines = super::store::list(&st.db, ctx.tenant.id, of)
        .await?
        .iter()
        .map(|i| Line {
            id: i.id.0,
            purpose: i.purpose.lines().next().unwrap_or_default().chars().take(80).collect(),
            state: standing(i),
            created_at: i.created_at,
            awaiting: i.access(Some(&account)).answer.is_some(),
        })
        .collect();
    Ok(IndexPage { ctx, staff, lines })
}

/// One of the two as the reader may see them.
pub struct Person {
    pub name: String,
    pub email: String,
    pub organisation: Option<(i64, String)>,
    pub answer: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "introduction/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub intro: Introduction,
    pub access: Access,
    pub state: &'static str,
    pub coordinator: String,
    /// The need and offer it is about, when the reader may read them: (href, title).
    pub need: Option<(String, String)>,
    pub offer: Option<(String, String)>,
    /// Who the two are: to coordinators both, to each of the two the other once both
    /// accepted; nobody otherwise.
    pub people: Vec<Person>,
    /// The reader's own answer, when one of the two.
    pub own_answer: Option<&'static str>,
    pub outcomes: [Outcome; 3],
}

/// An introduction the reader may read; to anyone else it does not exist.
async fn load(ctx: &Ctx, st: &AppState, id: i64) -> AppResult<(Introduction, Access)> {
    let intro = super::store::get(&st.db, ctx.tenant.id, IntroductionId(id)).await?;
    let access = intro.access(ctx.account.as_ref());
    if access.read { Ok((intro, access)) } else { Err(AppError::NotFound) }
}

fn answer_id(a: Option<Answer>) -> Option<&'static str> {
    a.map(|a| match a {
        Answer::Accepted => "introduction-answer-accepted",
        Answer::Declined => "introduction-answer-declined",
    })
}

async fn show(Member(ctx, account): Member, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<ShowPage> {
    let (intro, access) = load(&ctx, &st, id).await?;
    let tenant = ctx.tenant.id;
    let find = async |id: Option<crate::account::AccountId>| -> AppResult<Option<Account>> {
        Ok(match id {
            Some(id) => crate::account::store::find(&st.db, tenant, id).await?,
            None => None,
        })
    };
    let coordinator = find(intro.coordinator).await?.map(|a| a.display_name).unwrap_or_default();
    let reader = Some(&account);
    // Before both accept, each of the two sees only their own need or offer: the other's
    // page would say whose it is.
    let both = access.staff || intro.state() == Standing::Accepted;
    let need = match intro.need {
        Some(n) => crate::probono::store::get_need(&st.db, tenant, n)
            .await
            .ok()
            .filter(|n| n.access(reader).read && (both || n.account_id == account.id))
            .map(|n| (format!("/needs/{}", n.id.0), n.title)),
        None => None,
    };
    let offer = match intro.offer {
        Some(o) => crate::probono::store::get_offer(&st.db, tenant, o)
            .await
            .ok()
            .filter(|o| o.access(reader).read && (both || o.account_id == account.id))
            .map(|o| (format!("/offers/{}", o.id.0), o.title)),
        None => None,
    };
    let mut people = Vec::new();
    if access.contact {
        for side in [Side::A, Side::B] {
            if access.side == Some(side) {
                continue;
            }
            let party = intro.party(side);
            let Some(a) = find(party.account).await? else { continue };
            people.push(Person {
                name: a.display_name,
                email: a.email,
                organisation: party.organisation.as_ref().map(|o| (o.id.0, o.name.clone())),
                answer: if access.staff { answer_id(party.answer) } else { None },
            });
        }
    }
    let own_answer = access.side.and_then(|s| answer_id(intro.party(s).answer));
    let state = standing(&intro);
    Ok(ShowPage { ctx, intro, access, state, coordinator, need, offer, people, own_answer, outcomes: Outcome::ALL })
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct AnswerForm {
    pub answer: String,
}

async fn answer(
    Member(ctx, account): Member,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(f): Form<AnswerForm>,
) -> AppResult<Redirect> {
    let (intro, access) = load(&ctx, &st, id).await?;
    if access.side.is_none() {
        return Err(AppError::Forbidden);
    }
    let answer = Answer::from_code(&f.answer).ok_or(AppError::BadRequest)?;
    match super::answer(&st.db, ctx.tenant.id, intro.id, account.id, answer).await {
        Ok(_) => {
            ctx.set_flash(if answer == Answer::Accepted { "introduction-accepted" } else { "introduction-declined" })
        }
        Err(Refused::Answered) => ctx.set_flash("introduction-error-answered"),
        Err(Refused::Store(e)) => return Err(e.into()),
        Err(Refused::Same | Refused::NotAccepted) => return Err(AppError::BadRequest),
    }
    Ok(Redirect::to(&format!("/introductions/{id}")))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct OutcomeForm {
    pub outcome: String,
}

async fn outcome(
    Member(ctx, _): Member,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(f): Form<OutcomeForm>,
) -> AppResult<Redirect> {
    let (intro, access) = load(&ctx, &st, id).await?;
    if !access.staff && access.side.is_none() {
        return Err(AppError::Forbidden);
    }
    let outcome = Outcome::from_code(&f.outcome).ok_or(AppError::BadRequest)?;
    match super::record_outcome(&st.db, ctx.tenant.id, intro.id, outcome).await {
        Ok(()) => ctx.set_flash("introduction-outcome-saved"),
        Err(Refused::NotAccepted) => ctx.set_flash("introduction-error-not-accepted"),
        Err(Refused::Store(e)) => return Err(e.into()),
        Err(Refused::Same | Refused::Answered) => return Err(AppError::BadRequest),
    }
    Ok(Redirect::to(&format!("/introductions/{id}")))
}

crate::html_page!(FormPage, IndexPage, ShowPage);
