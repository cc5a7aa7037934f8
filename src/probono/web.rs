//! Pro bono pages: the lists of needs and offers, one's page (with the suggested matches
//! for its poster and the coordinators), posting and editing, the status, and the
//! coordinators' queue of open needs.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::{DateTime, NaiveDate, Utc};

use super::matching::{self, Reason};
use super::{
    Access, Behalf, Draft, Kind, Need, NeedId, NeedStatus, Offer, OfferId, OfferStatus, PostForm, Refused, SHOWN_TO,
    Terms, store,
};
use crate::account::Account;
use crate::i18n::Lang;
use crate::skill::Skill;
use crate::validate::FieldErrors;
use crate::visibility::{Viewer, Visibility};
use crate::web::{AppError, AppResult, AppState, Ctx, Member, Staff};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/needs", get(needs).post(create_need))
        .route("/needs/new", get(new_need))
        .route("/needs/{id}", get(show_need).post(update_need))
        .route("/needs/{id}/edit", get(edit_need))
        .route("/needs/{id}/status", post(need_status))
        .route("/offers", get(offers).post(create_offer))
        .route("/offers/new", get(new_offer))
        .route("/offers/{id}", get(show_offer).post(update_offer))
        .route("/offers/{id}/edit", get(edit_offer))
        .route("/offers/{id}/status", post(offer_status))
        .route("/coordination", get(queue))
}

/// How many suggestions a need's page shows.
const SUGGESTIONS: usize = 10;

fn today() -> NaiveDate {
    crate::i18n::wareki::jst_date(Utc::now())
}

/// Needs or offers: what a page is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum What {
    Needs,
    Offers,
}

impl What {
    /// The path its pages are under, and the start of its Fluent ids.
    pub fn path(self) -> &'static str {
        match self {
            What::Needs => "needs",
            What::Offers => "offers",
        }
    }

    pub fn is_needs(self) -> bool {
        self == What::Needs
    }

    /// The Fluent id of one of the texts that differ between needs and offers
    /// (`need-title` or `offer-title` for `title`).
    pub fn t(self, text: &str) -> &'static str {
        let (need, offer) = match text {
            "title" => ("need-title", "offer-title"),
            "intro" => ("need-intro", "offer-intro"),
            "new_title" => ("need-new-title", "offer-new-title"),
            "edit_title" => ("need-edit-title", "offer-edit-title"),
            "other" => ("need-other", "offer-other"),
            "none" => ("need-none", "offer-none"),
            "form_intro" => ("need-form-intro", "offer-form-intro"),
            "title_hint" => ("need-title-hint", "offer-title-hint"),
            "body_hint" => ("need-body-hint", "offer-body-hint"),
            "saved" => ("need-saved", "offer-saved"),
            _ => ("", ""),
        };
        if self.is_needs() { need } else { offer }
    }
}

/// A need or an offer as its pages show it (never its poster).
#[derive(Clone, Debug)]
pub struct Post {
    pub what: What,
    pub id: i64,
    pub title: String,
    pub body: String,
    pub terms: Terms,
    pub organisation: Option<(i64, String)>,
    pub lab: Option<(i64, String)>,
    pub project: Option<(i64, String)>,
    pub visibility: Visibility,
    pub status_code: &'static str,
    pub status: String,
    pub open: bool,
    pub created_at: DateTime<Utc>,
}

impl Post {
    fn of_need(n: &Need, lang: Lang) -> Post {
        Post {
            what: What::Needs,
            id: n.id.0,
            title: n.title.clone(),
            body: n.body.clone(),
            terms: n.terms.clone(),
            organisation: n.organisation.as_ref().map(|o| (o.id.0, o.name.clone())),
            lab: n.lab.as_ref().map(|l| (l.id.0, l.name.clone())),
            project: n.project.as_ref().map(|p| (p.id.0, p.name.clone())),
            visibility: n.visibility,
            status_code: n.status.code(),
            status: n.status.label(lang).into_owned(),
            open: n.status == NeedStatus::Open,
            created_at: n.created_at,
        }
    }

    fn of_offer(o: &Offer, lang: Lang) -> Post {
        Post {
            what: What::Offers,
            id: o.id.0,
            title: o.title.clone(),
            body: o.body.clone(),
            terms: o.terms.clone(),
            organisation: o.organisation.as_ref().map(|o| (o.id.0, o.name.clone())),
            lab: None,
            project: None,
            visibility: o.visibility,
            status_code: o.status.code(),
            status: o.status.label(lang).into_owned(),
            open: o.status == OfferStatus::Open,
            created_at: o.created_at,
        }
    }

    pub fn href(&self) -> String {
        format!("/{}/{}", self.what.path(), self.id)
    }

    pub fn kind(&self, lang: &Lang) -> String {
        self.terms.kind.map(|k| k.label(*lang).into_owned()).unwrap_or_default()
    }

    pub fn skills(&self, lang: &Lang) -> Vec<String> {
        self.terms.skills.iter().map(|s| s.label(*lang).into_owned()).collect()
    }

    /// When, as a reader reads it: 令和5年6月1日（木）〜令和5年6月30日（金）.
    pub fn period(&self, ctx: &Ctx) -> String {
        period(ctx, self.terms.starts_on, self.terms.ends_on)
    }
}

fn period(ctx: &Ctx, from: Option<NaiveDate>, until: Option<NaiveDate>) -> String {
    match (from, until) {
        (None, None) => String::new(),
        (from, until) => format!(
            "{}〜{}",
            from.map(|d| ctx.day(d)).unwrap_or_default(),
            until.map(|d| ctx.day(d)).unwrap_or_default()
        ),
    }
}

/// A suggestion as the need's page shows it.
pub struct Shown {
    pub offer: Post,
    pub reasons: Vec<String>,
}

/// The reasons in the reader's language.
fn reasons(ctx: &Ctx, reasons: &[Reason]) -> Vec<String> {
    reasons
        .iter()
        .map(|r| match r {
            Reason::Skill(s) => ctx.t1("match-reason-skill", "skill", s.label(ctx.lang)),
            Reason::Tag(t) => ctx.t1("match-reason-tag", "tag", t),
            Reason::Place(p) => ctx.t1("match-reason-place", "place", p),
            Reason::Online => ctx.lang.t("match-reason-online").into_owned(),
            Reason::Period(from, until) => ctx.t1("match-reason-period", "period", period(ctx, *from, *until)),
        })
        .collect()
}

/// The offers that could meet a need, among those the reader may read.
pub async fn suggestions(st: &AppState, ctx: &Ctx, need: &Need) -> AppResult<Vec<Shown>> {
    let Some(kind) = need.terms.kind else { return Ok(Vec::new()) };
    let viewer = Viewer::of(ctx.account.as_ref());
    let today = today();
    let offers = store::candidates(&st.db, ctx.tenant.id, kind, viewer, today).await?;
    Ok(suggested(ctx, need, &offers, today, SUGGESTIONS))
}

/// The best of `offers` for a need that is still open, as its page shows them.
fn suggested(ctx: &Ctx, need: &Need, offers: &[Offer], today: NaiveDate, limit: usize) -> Vec<Shown> {
    if need.status != NeedStatus::Open {
        return Vec::new();
    }
    matching::suggest(need, offers, today, limit)
        .into_iter()
        .map(|s| Shown { offer: Post::of_offer(s.offer, ctx.lang), reasons: reasons(ctx, &s.reasons) })
        .collect()
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    pub kind: String,
    pub skill: String,
    pub status: String,
}

#[derive(Template)]
#[template(path = "probono/index.html")]
pub struct IndexPage {
    pub ctx: Ctx,
    pub what: What,
    pub posts: Vec<Post>,
    pub query: ListQuery,
    pub statuses: Vec<(&'static str, String)>,
}

async fn list(ctx: Ctx, st: &AppState, what: What, q: ListQuery) -> AppResult<IndexPage> {
    let viewer = Viewer::of(ctx.account.as_ref());
    let own = ctx.account.as_ref().map(|a| a.id);
    let kind = Kind::from_code(&q.kind);
    let skill = Skill::from_code(&q.skill);
    let lang = ctx.lang;
    let (posts, statuses) = match what {
        What::Needs => {
            let f = store::Filter { status: NeedStatus::from_code(&q.status), kind, skill };
            let needs = store::needs(&st.db, ctx.tenant.id, viewer, own, f).await?;
            (
                needs.iter().map(|n| Post::of_need(n, lang)).collect(),
                NeedStatus::ALL.iter().map(|s| (s.code(), s.label(lang).into_owned())).collect(),
            )
        }
        What::Offers => {
            let f = store::Filter { status: OfferStatus::from_code(&q.status), kind, skill };
            let offers = store::offers(&st.db, ctx.tenant.id, viewer, own, f).await?;
            (
                offers.iter().map(|o| Post::of_offer(o, lang)).collect(),
                OfferStatus::ALL.iter().map(|s| (s.code(), s.label(lang).into_owned())).collect(),
            )
        }
    };
    Ok(IndexPage { ctx, what, posts, query: q, statuses })
}

async fn needs(ctx: Ctx, State(st): State<AppState>, Query(q): Query<ListQuery>) -> AppResult<IndexPage> {
    list(ctx, &st, What::Needs, q).await
}

async fn offers(ctx: Ctx, State(st): State<AppState>, Query(q): Query<ListQuery>) -> AppResult<IndexPage> {
    list(ctx, &st, What::Offers, q).await
}

#[derive(Template)]
#[template(path = "probono/form.html")]
pub struct FormPage {
    pub ctx: Ctx,
    pub what: What,
    pub form: PostForm,
    /// `None` for a new one.
    pub id: Option<i64>,
    /// What the poster may post for ((code, name)); `None` when someone else edits it.
    pub behalf: Option<Vec<(String, String)>>,
    pub visibilities: [Visibility; 3],
}

async fn form_page(
    ctx: Ctx,
    st: &AppState,
    what: What,
    form: PostForm,
    id: Option<i64>,
    poster_edits: bool,
) -> AppResult<FormPage> {
    let account = ctx.require_account()?.id;
    let behalf = if poster_edits {
        Some(super::behalf_choices(&st.db, ctx.tenant.id, account, what.is_needs()).await?)
    } else {
        None
    };
    Ok(FormPage { ctx, what, form, id, behalf, visibilities: SHOWN_TO })
}

async fn new_need(Member(ctx, _): Member, State(st): State<AppState>) -> AppResult<FormPage> {
    form_page(ctx, &st, What::Needs, PostForm::new_with(Visibility::Public), None, true).await
}

async fn new_offer(Member(ctx, _): Member, State(st): State<AppState>) -> AppResult<FormPage> {
    form_page(ctx, &st, What::Offers, PostForm::new_with(Visibility::Members), None, true).await
}

/// What is being edited: its poster and what it was posted for.
struct Editing {
    id: i64,
    poster: crate::account::AccountId,
    behalf: Behalf,
}

/// Validates and saves; refusals re-display the form with what was typed.
async fn save(ctx: Ctx, st: &AppState, what: What, form: PostForm, editing: Option<Editing>) -> AppResult<Response> {
    let account = ctx.require_account()?.id;
    let poster_edits = editing.as_ref().is_none_or(|e| e.poster == account);
    let id = editing.as_ref().map(|e| e.id);
    let refuse = async |ctx: Ctx, errors: FieldErrors, form: PostForm| -> AppResult<Response> {
        let page = form_page(ctx.with_errors(errors), st, what, form, id, poster_edits).await?;
        Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
    };
    let mut draft: Draft = match form.validate() {
        Ok(d) => d,
        Err(errors) => return refuse(ctx, errors, form).await,
    };
    let poster = match &editing {
        // Someone else (the secretariat) keeps what it was posted for, checked as its poster's.
        Some(e) if e.poster != account => {
            draft.behalf = e.behalf;
            e.poster
        }
        _ => account,
    };
    let tenant = ctx.tenant.id;
    let kept = editing.as_ref().map(|e| e.behalf);
    let saved = match what {
        What::Needs => super::save_need(&st.db, tenant, poster, id.map(NeedId), &draft, kept).await.map(|i| i.0),
        What::Offers => super::save_offer(&st.db, tenant, poster, id.map(OfferId), &draft, kept).await.map(|i| i.0),
    };
    match saved {
        Ok(id) => {
            ctx.set_flash(what.t("saved"));
            Ok(Redirect::to(&format!("/{}/{id}", what.path())).into_response())
        }
        Err(Refused::Behalf) => refuse(ctx, FieldErrors::single("on_behalf", "probono-error-behalf"), form).await,
        Err(Refused::Store(e)) => Err(e.into()),
    }
}

async fn create_need(
    Member(ctx, _): Member,
    State(st): State<AppState>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    save(ctx, &st, What::Needs, PostForm::from_pairs(pairs), None).await
}

async fn create_offer(
    Member(ctx, _): Member,
    State(st): State<AppState>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    save(ctx, &st, What::Offers, PostForm::from_pairs(pairs), None).await
}

/// A need the reader may read, and what they may do with it; another's unseen need is not
/// found.
async fn load_need(ctx: &Ctx, st: &AppState, id: i64) -> AppResult<(Need, Access)> {
    let need = store::get_need(&st.db, ctx.tenant.id, NeedId(id)).await?;
    let access = need.access(ctx.account.as_ref());
    if access.read { Ok((need, access)) } else { Err(not_shown(ctx)) }
}

async fn load_offer(ctx: &Ctx, st: &AppState, id: i64) -> AppResult<(Offer, Access)> {
    let offer = store::get_offer(&st.db, ctx.tenant.id, OfferId(id)).await?;
    let access = offer.access(ctx.account.as_ref());
    if access.read { Ok((offer, access)) } else { Err(not_shown(ctx)) }
}

/// Not shown to this reader: a visitor is asked to log in, a member is told it is not there.
fn not_shown(ctx: &Ctx) -> AppError {
    if ctx.account.is_some() { AppError::NotFound } else { AppError::LoginRequired { next: ctx.path.clone() } }
}

#[derive(Template)]
#[template(path = "probono/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub post: Post,
    pub access: Access,
    /// For a need, to its poster and the coordinators.
    pub suggestions: Option<Vec<Shown>>,
}

async fn show_need(ctx: Ctx, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<ShowPage> {
    let (need, access) = load_need(&ctx, &st, id).await?;
    let suggestions = if access.work { Some(suggestions(&st, &ctx, &need).await?) } else { None };
    let post = Post::of_need(&need, ctx.lang);
    Ok(ShowPage { ctx, post, access, suggestions })
}

async fn show_offer(ctx: Ctx, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<ShowPage> {
    let (offer, access) = load_offer(&ctx, &st, id).await?;
    let post = Post::of_offer(&offer, ctx.lang);
    Ok(ShowPage { ctx, post, access, suggestions: None })
}

/// What a need or an offer was posted for.
fn behalf_of(
    organisation: Option<&super::Named<crate::organisation::OrganisationId>>,
    lab: Option<&super::Named<crate::lab::LabId>>,
    project: Option<&super::Named<crate::project::ProjectId>>,
) -> Behalf {
    match (organisation, lab, project) {
        (Some(o), _, _) => Behalf::Organisation(o.id),
        (None, Some(l), _) => Behalf::Lab(l.id),
        (None, None, Some(p)) => Behalf::Project(p.id),
        _ => Behalf::Own,
    }
}

async fn edit_need(
    Member(ctx, account): Member,
    State(st): State<AppState>,
    Path(id): Path<i64>,
) -> AppResult<FormPage> {
    let (n, access) = load_need(&ctx, &st, id).await?;
    if !access.edit {
        return Err(AppError::Forbidden);
    }
    let behalf = behalf_of(n.organisation.as_ref(), n.lab.as_ref(), n.project.as_ref());
    let form = PostForm::of(&n.title, &n.body, &n.terms, n.visibility, behalf);
    let page = form_page(ctx, &st, What::Needs, form, Some(id), n.account_id == account.id).await?;
    let name =
        [n.organisation.map(|o| o.name), n.lab.map(|l| l.name), n.project.map(|p| p.name)].into_iter().flatten().next();
    Ok(keep_behalf(page, behalf, name))
}

/// The poster's form offers what the post is for even when they could no longer choose
/// it (they left the organisation): saving it unchanged keeps it.
fn keep_behalf(mut page: FormPage, behalf: Behalf, name: Option<String>) -> FormPage {
    if let (Some(choices), Some(name)) = (page.behalf.as_mut(), name) {
        let code = behalf.code();
        if !choices.iter().any(|(c, _)| *c == code) {
            choices.push((code, name));
        }
    }
    page
}

async fn edit_offer(
    Member(ctx, account): Member,
    State(st): State<AppState>,
    Path(id): Path<i64>,
) -> AppResult<FormPage> {
    let (o, access) = load_offer(&ctx, &st, id).await?;
    if !access.edit {
        return Err(AppError::Forbidden);
    }
    let behalf = behalf_of(o.organisation.as_ref(), None, None);
    let form = PostForm::of(&o.title, &o.body, &o.terms, o.visibility, behalf);
    let page = form_page(ctx, &st, What::Offers, form, Some(id), o.account_id == account.id).await?;
    Ok(keep_behalf(page, behalf, o.organisation.map(|o| o.name)))
}

async fn update_need(
    Member(ctx, _): Member,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (n, access) = load_need(&ctx, &st, id).await?;
    if !access.edit {
        return Err(AppError::Forbidden);
    }
    let editing = Editing {
        id,
        poster: n.account_id,
        behalf: behalf_of(n.organisation.as_ref(), n.lab.as_ref(), n.project.as_ref()),
    };
    save(ctx, &st, What::Needs, PostForm::from_pairs(pairs), Some(editing)).await
}

async fn update_offer(
    Member(ctx, _): Member,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (o, access) = load_offer(&ctx, &st, id).await?;
    if !access.edit {
        return Err(AppError::Forbidden);
    }
    let editing = Editing { id, poster: o.account_id, behalf: behalf_of(o.organisation.as_ref(), None, None) };
    save(ctx, &st, What::Offers, PostForm::from_pairs(pairs), Some(editing)).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct StatusForm {
    pub status: String,
}

async fn need_status(
    Member(ctx, _): Member,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(f): Form<StatusForm>,
) -> AppResult<Redirect> {
    let (n, access) = load_need(&ctx, &st, id).await?;
    if !access.work {
        return Err(AppError::Forbidden);
    }
    let status = NeedStatus::from_code(&f.status).ok_or(AppError::BadRequest)?;
    super::set_need_status(&st.db, ctx.tenant.id, n.id, status).await?;
    ctx.set_flash("probono-status-saved");
    Ok(Redirect::to(&format!("/needs/{id}")))
}

async fn offer_status(
    Member(ctx, _): Member,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(f): Form<StatusForm>,
) -> AppResult<Redirect> {
    let (o, access) = load_offer(&ctx, &st, id).await?;
    if !access.work {
        return Err(AppError::Forbidden);
    }
    let status = OfferStatus::from_code(&f.status).ok_or(AppError::BadRequest)?;
    super::set_offer_status(&st.db, ctx.tenant.id, o.id, status).await?;
    ctx.set_flash("probono-status-saved");
    Ok(Redirect::to(&format!("/offers/{id}")))
}

/// One open need in the queue, with its best suggestions.
pub struct Queued {
    pub need: Post,
    pub suggestions: Vec<Shown>,
}

#[derive(Template)]
#[template(path = "probono/queue.html")]
pub struct QueuePage {
    pub ctx: Ctx,
    pub queue: Vec<Queued>,
}

/// The coordinators' queue: open needs, oldest first, each with its best suggestions (the
/// candidates of each kind read once for the whole queue).
async fn queue(Staff(ctx, _): Staff, State(st): State<AppState>) -> AppResult<QueuePage> {
    let needs = store::open_needs(&st.db, ctx.tenant.id).await?;
    let viewer = Viewer::of(ctx.account.as_ref());
    let today = today();
    let mut candidates: std::collections::HashMap<Kind, Vec<Offer>> = std::collections::HashMap::new();
    let mut queue = Vec::with_capacity(needs.len());
    for need in &needs {
        let suggestions = match need.terms.kind {
            Some(kind) => {
                let offers = match candidates.entry(kind) {
                    std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                    std::collections::hash_map::Entry::Vacant(e) => {
                        e.insert(store::candidates(&st.db, ctx.tenant.id, kind, viewer, today).await?)
                    }
                };
                suggested(&ctx, need, offers, today, 3)
            }
            None => Vec::new(),
        };
        queue.push(Queued { need: Post::of_need(need, ctx.lang), suggestions });
    }
    Ok(QueuePage { ctx, queue })
}

/// Whether the account is a coordinator or the secretariat (for templates).
pub fn coordinates(account: Option<&Account>) -> bool {
    account.is_some_and(|a| matches!(a.role, crate::account::Role::Admin | crate::account::Role::Coordinator))
}

crate::html_page!(IndexPage, FormPage, ShowPage, QueuePage);
