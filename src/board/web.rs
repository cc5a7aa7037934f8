//! Board pages: the list (by category, pinned first), a post with its reactions, writing
//! and editing a post (a session announced from its page), pinning, reporting and
//! moderating.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::{Audience, Category, Post, PostForm, PostId, store};
use crate::db::StoreError;
use crate::validate::FieldErrors;
use crate::web::{Admin, AppError, AppResult, AppState, Ctx, Member};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/board", get(index).post(create))
        .route("/board/new", get(new))
        .route("/board/{id}", get(show).post(update))
        .route("/board/{id}/edit", get(edit))
        .route("/board/{id}/pin", post(pin))
        .route("/board/{id}/reaction", post(react))
        .route("/board/{id}/report", post(report))
        .route("/admin/board/{id}/moderation", post(moderate))
        .route("/board/{id}/comments", post(comment))
        .route("/board/{id}/attachments", post(attach))
        .route("/board/{id}/attachments/{file}/delete", post(detach))
        .route("/board/{id}/files/{file}/{name}", get(attachment))
        .route("/board-comments/{id}/report", post(report_comment))
        .route("/admin/board-comments/{id}/moderation", post(moderate_comment))
}

/// The post, when the reader may read it (else it does not exist for them).
async fn readable(ctx: &Ctx, st: &AppState, id: i64) -> AppResult<Post> {
    let p = store::get(&st.db, ctx.tenant.id, PostId(id)).await?;
    if p.readable_by(ctx.account.as_ref()) { Ok(p) } else { Err(AppError::NotFound) }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct Filter {
    pub category: String,
    pub page: String,
}

#[derive(Template)]
#[template(path = "board/index.html")]
pub struct IndexPage {
    pub ctx: Ctx,
    pub posts: Vec<Post>,
    pub category: Option<Category>,
    pub categories: [Category; 5],
    pub page: i64,
    pub pages: i64,
}

impl IndexPage {
    pub fn page_link(&self, page: i64) -> String {
        match self.category {
            Some(c) => format!("/board?category={}&page={page}", c.code()),
            None => format!("/board?page={page}"),
        }
    }
}

/// Posts on a page of the board.
const PER_PAGE: i64 = 30;

async fn index(ctx: Ctx, State(st): State<AppState>, Query(f): Query<Filter>) -> AppResult<IndexPage> {
    let category = Category::from_code(&f.category);
    let member = ctx.account.is_some();
    let page = f.page.trim().parse::<i64>().ok().filter(|p| (1..=10_000).contains(p)).unwrap_or(1);
    let total = store::count(&st.db, ctx.tenant.id, member, category).await?;
    let posts = store::list(&st.db, ctx.tenant.id, member, category, PER_PAGE, (page - 1) * PER_PAGE).await?;
    let pages = (total + PER_PAGE - 1) / PER_PAGE;
    Ok(IndexPage { ctx, posts, category, categories: Category::ALL, page, pages })
}

#[derive(Template)]
#[template(path = "board/form.html")]
pub struct FormPage {
    pub ctx: Ctx,
    pub form: PostForm,
    /// `None` for a new post.
    pub post: Option<PostId>,
    pub categories: [Category; 5],
    pub audiences: [Audience; 2],
}

impl FormPage {
    fn new(ctx: Ctx, form: PostForm, post: Option<PostId>) -> FormPage {
        FormPage { ctx, form, post, categories: Category::ALL, audiences: Audience::ALL }
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct NewQuery {
    /// A session to announce: the form comes filled with it.
    pub event: String,
}

async fn new(Member(ctx, _): Member, State(st): State<AppState>, Query(q): Query<NewQuery>) -> AppResult<FormPage> {
    let mut form = PostForm { audience: "public".into(), ..PostForm::default() };
    if let Ok(id) = q.event.parse::<i64>() {
        let event = crate::event::store::get(&st.db, ctx.tenant.id, crate::event::EventId(id)).await?;
        if !event.visible_to(false) {
            return Err(AppError::NotFound);
        }
        let when = format!("{} {}", ctx.date(&event.starts_at), event.time_label());
        form = PostForm {
            category: Category::Event.code().to_owned(),
            audience: "public".into(),
            title: event.title.clone(),
            body: format!("{when}\n\n[{}](/events/{id})", ctx.t("board-announce-link")),
            event: id.to_string(),
        };
    }
    Ok(FormPage::new(ctx, form, None))
}

async fn save(ctx: Ctx, st: &AppState, form: PostForm, id: Option<PostId>) -> AppResult<Response> {
    let refuse = |ctx: Ctx, errors: FieldErrors, form: PostForm| {
        (StatusCode::UNPROCESSABLE_ENTITY, FormPage::new(ctx.with_errors(errors), form, id)).into_response()
    };
    let draft = match form.validate() {
        Ok(d) => d,
        Err(errors) => return Ok(refuse(ctx, errors, form)),
    };
    let me = ctx.require_account()?.id;
    let saved = match id {
        None => super::post(&st.db, ctx.tenant.id, &draft, me).await,
        Some(id) => super::update(&st.db, ctx.tenant.id, id, &draft).await.map(|()| id),
    };
    match saved {
        Ok(id) => {
            ctx.set_flash("board-saved");
            Ok(Redirect::to(&format!("/board/{}", id.0)).into_response())
        }
        Err(StoreError::NotFound) if draft.event_id.is_some() => {
            Ok(refuse(ctx, FieldErrors::single("event", "board-error-event-unknown"), form))
        }
        Err(e) => Err(e.into()),
    }
}

async fn create(Member(ctx, _): Member, State(st): State<AppState>, Form(form): Form<PostForm>) -> AppResult<Response> {
    save(ctx, &st, form, None).await
}

/// The post, when the reader may edit it.
async fn editable(ctx: &Ctx, st: &AppState, id: i64) -> AppResult<Post> {
    let me = ctx.require_account()?;
    let p = readable(ctx, st, id).await?;
    if p.editable_by(me) { Ok(p) } else { Err(AppError::Forbidden) }
}

async fn edit(Member(ctx, _): Member, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<FormPage> {
    let p = editable(&ctx, &st, id).await?;
    Ok(FormPage::new(ctx, PostForm::of(&p), Some(p.id)))
}

async fn update(
    Member(ctx, _): Member,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(form): Form<PostForm>,
) -> AppResult<Response> {
    let p = editable(&ctx, &st, id).await?;
    save(ctx, &st, form, Some(p.id)).await
}

#[derive(Template)]
#[template(path = "board/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub post: Post,
    /// Whether the reader marked it useful.
    pub reacted: bool,
    pub editable: bool,
    /// The session it announces, when public.
    pub event: Option<crate::event::Event>,
    pub comments: Vec<store::Comment>,
    /// The comment being written, kept when it is refused.
    pub draft: String,
    pub attachments: Vec<store::Attachment>,
    /// Whether another file may be attached.
    pub may_attach: bool,
}

async fn show(ctx: Ctx, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<ShowPage> {
    let post = readable(&ctx, &st, id).await?;
    let reacted = match &ctx.account {
        Some(a) => store::reacted(&st.db, ctx.tenant.id, post.id, a.id).await?,
        None => false,
    };
    let editable = ctx.account.as_ref().is_some_and(|a| post.editable_by(a));
    let event = match post.event_id {
        Some(e) => crate::event::store::get(&st.db, ctx.tenant.id, e).await.ok().filter(|e| e.visible_to(false)),
        None => None,
    };
    let comments = store::comments(&st.db, ctx.tenant.id, post.id, ctx.is_admin()).await?;
    let attachments = store::attachments(&st.db, ctx.tenant.id, post.id).await?;
    let may_attach = editable && (attachments.len() as i64) < super::MAX_ATTACHMENTS;
    Ok(ShowPage { ctx, post, reacted, editable, event, comments, draft: String::new(), attachments, may_attach })
}

/// Attaches a file (a picture or a PDF, checked and cleaned like every upload); a refused
/// file is said on the post's page.
async fn attach(
    Member(ctx, me): Member,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    mut multipart: axum::extract::Multipart,
) -> AppResult<Response> {
    // Who may attach is decided before the file is read.
    let post = editable(&ctx, &st, id).await?;
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or_default().to_owned();
            if let Ok(bytes) = field.bytes().await {
                file = Some((name, bytes.to_vec()));
            }
        }
    }
    let (name, bytes) = file.unwrap_or_default();
    let refused = match crate::file::check(&name, &bytes) {
        Ok(checked) => {
            if super::attach(&st.db, ctx.tenant.id, post.id, &checked, me.id).await? {
                ctx.set_flash("board-attached");
                return Ok(Redirect::to(&format!("/board/{id}#attachments-heading")).into_response());
            }
            "board-error-attachments-full"
        }
        Err(why) => why.message(),
    };
    let page = show(ctx.with_errors(FieldErrors::single("file", refused)), State(st), Path(id)).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// Takes a file off the post.
async fn detach(
    Member(ctx, _): Member,
    State(st): State<AppState>,
    Path((id, file)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let post = editable(&ctx, &st, id).await?;
    super::detach(&st.db, ctx.tenant.id, post.id, crate::file::FileId(file)).await?;
    ctx.set_flash("board-detached");
    Ok(Redirect::to(&format!("/board/{id}#attachments-heading")).into_response())
}

/// An attached file, to those who may read its post; never kept by a shared cache.
async fn attachment(
    ctx: Ctx,
    State(st): State<AppState>,
    Path((id, file, _name)): Path<(i64, i64, String)>,
) -> AppResult<Response> {
    let post = readable(&ctx, &st, id).await?;
    let file = crate::file::FileId(file);
    if !store::attachments(&st.db, ctx.tenant.id, post.id).await?.iter().any(|a| a.file_id == file) {
        return Err(AppError::NotFound);
    }
    let stored = crate::file::store::get(&st.db, ctx.tenant.id, file).await?;
    Ok(crate::file::web::respond(stored, "private, no-cache"))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct CommentForm {
    pub body: String,
}

/// A member's comment on a post they may read.
async fn comment(
    Member(ctx, me): Member,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(f): Form<CommentForm>,
) -> AppResult<Response> {
    let post = readable(&ctx, &st, id).await?;
    let body = f.body.trim();
    if let Some((message, status)) = crate::social_issue::web::comment_problem(&ctx, &st, body).await? {
        let page = show(ctx.with_errors(FieldErrors::single("body", message)), State(st), Path(id)).await?;
        return Ok((status, ShowPage { draft: f.body, ..page }).into_response());
    }
    if !super::comment(&st.db, ctx.tenant.id, post.id, me.id, body).await? {
        return Err(AppError::NotFound);
    }
    ctx.set_flash("issue-comment-published");
    Ok(Redirect::to(&format!("/board/{id}#comments-heading")).into_response())
}

/// A reader reports a comment; it waits in the moderators' queue.
async fn report_comment(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(f): Form<crate::moderation::web::ReasonForm>,
) -> AppResult<Response> {
    // Only a reader of its post may report a comment; for anyone else it does not exist.
    let post = store::find_comment_post(&st.db, ctx.tenant.id, id).await?.ok_or(AppError::NotFound)?;
    readable(&ctx, &st, post.0).await?;
    if !crate::rate_limit::hit(&st.db, crate::rate_limit::PUBLIC_FORM, &ctx.client_key()).await? {
        return Err(AppError::TooManyRequests);
    }
    let step = crate::moderation::Step::report(&f.reason);
    let actor = ctx.account.as_ref().map(|a| a.id);
    let post = super::moderate_comment(&st.db, ctx.tenant.id, id, &step, actor).await?;
    ctx.set_flash("issue-reported");
    Ok(Redirect::to(&format!("/board/{}#comments-heading", post.0)).into_response())
}

async fn moderate_comment(
    Admin(ctx, me): Admin,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(f): Form<crate::moderation::web::ModerationForm>,
) -> AppResult<Response> {
    let Some(step) = f.step(&ctx)? else {
        return Ok(Redirect::to(f.back("/admin/moderation")).into_response());
    };
    let post = super::moderate_comment(&st.db, ctx.tenant.id, id, &step, Some(me.id)).await?;
    ctx.set_flash("issue-moderated");
    let back = format!("/board/{}#comment-{id}", post.0);
    Ok(Redirect::to(f.back(&back)).into_response())
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct PinForm {
    pub pinned: String,
}

async fn pin(
    Admin(ctx, _): Admin,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(f): Form<PinForm>,
) -> AppResult<Redirect> {
    super::pin(&st.db, ctx.tenant.id, PostId(id), f.pinned == "1").await?;
    ctx.set_flash("board-saved");
    Ok(Redirect::to(&format!("/board/{id}")))
}

async fn react(Member(ctx, me): Member, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<Redirect> {
    let p = readable(&ctx, &st, id).await?;
    super::toggle_reaction(&st.db, ctx.tenant.id, p.id, me.id).await?;
    Ok(Redirect::to(&format!("/board/{id}#reactions")))
}

/// A reader reports a post; it waits in the moderators' queue.
async fn report(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(f): Form<crate::moderation::web::ReasonForm>,
) -> AppResult<Response> {
    let p = readable(&ctx, &st, id).await?;
    if !crate::rate_limit::hit(&st.db, crate::rate_limit::PUBLIC_FORM, &ctx.client_key()).await? {
        return Err(AppError::TooManyRequests);
    }
    let step = crate::moderation::Step::report(&f.reason);
    super::moderate(&st.db, ctx.tenant.id, p.id, &step, ctx.account.as_ref().map(|a| a.id)).await?;
    ctx.set_flash("issue-reported");
    Ok(Redirect::to(&format!("/board/{id}")).into_response())
}

async fn moderate(
    Admin(ctx, me): Admin,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(f): Form<crate::moderation::web::ModerationForm>,
) -> AppResult<Response> {
    let back = format!("/board/{id}");
    let back = f.back(&back).to_owned();
    let Some(step) = f.step(&ctx)? else {
        return Ok(Redirect::to(&back).into_response());
    };
    super::moderate(&st.db, ctx.tenant.id, PostId(id), &step, Some(me.id)).await?;
    ctx.set_flash("issue-moderated");
    Ok(Redirect::to(&back).into_response())
}

crate::html_page!(IndexPage, FormPage, ShowPage);
