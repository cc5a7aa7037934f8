//! Article pages: the public gallery (`/articles`), an article, its Atom feed, and the
//! secretariat's list and form (`/admin/articles`).

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

use super::{Article, ArticleForm, ArticleId, Category, Status, store};
use crate::db::StoreError;
use crate::validate::FieldErrors;
use crate::web::{Admin, AppError, AppResult, AppState, Ctx};

/// Articles on a page of the gallery.
const PER_PAGE: i64 = 12;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/articles", get(gallery))
        .route("/articles.atom", get(feed))
        .route("/articles/{id}", get(show))
        .route("/articles/{id}/comments", axum::routing::post(comment))
        .route("/article-comments/{id}/report", axum::routing::post(report_comment))
        .route("/admin/article-comments/{id}/moderation", axum::routing::post(moderate_comment))
        .route("/admin/articles", get(admin_index).post(create))
        .route("/admin/articles/new", get(new))
        .route("/admin/articles/{id}", axum::routing::post(update))
        .route("/admin/articles/{id}/edit", get(edit))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct GalleryQuery {
    pub category: String,
    pub page: String,
}

#[derive(Template)]
#[template(path = "article/gallery.html")]
pub struct GalleryPage {
    pub ctx: Ctx,
    pub articles: Vec<Article>,
    /// (code, label, selected) of each category, for the filter links.
    pub categories: Vec<(&'static str, String, bool)>,
    pub category: Option<Category>,
    pub page: i64,
    pub pages: i64,
}

impl GalleryPage {
    pub fn page_link(&self, page: i64) -> String {
        match self.category {
            Some(c) => format!("/articles?category={}&page={page}", c.code()),
            None => format!("/articles?page={page}"),
        }
    }
}

async fn gallery(ctx: Ctx, State(st): State<AppState>, Query(q): Query<GalleryQuery>) -> AppResult<GalleryPage> {
    let category = Category::from_code(q.category.trim());
    let page = q.page.trim().parse::<i64>().ok().filter(|p| (1..=10_000).contains(p)).unwrap_or(1);
    let total = store::published_count(&st.db, ctx.tenant.id, category).await?;
    let articles = store::published(&st.db, ctx.tenant.id, category, PER_PAGE, (page - 1) * PER_PAGE).await?;
    let categories =
        Category::ALL.iter().map(|c| (c.code(), c.label(ctx.lang).into_owned(), Some(*c) == category)).collect();
    Ok(GalleryPage { ctx, articles, categories, category, page, pages: (total + PER_PAGE - 1) / PER_PAGE })
}

#[derive(Template)]
#[template(path = "article/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub article: Article,
    pub comments: Vec<store::Comment>,
    /// The comment being written, kept when it is refused.
    pub draft: String,
}

async fn show(ctx: Ctx, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<ShowPage> {
    let article = store::get(&st.db, ctx.tenant.id, ArticleId(id)).await?;
    if article.status != Status::Published && !ctx.is_admin() {
        return Err(AppError::NotFound);
    }
    let comments = store::comments(&st.db, ctx.tenant.id, article.id).await?;
    Ok(ShowPage { ctx, article, comments, draft: String::new() })
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct CommentForm {
    body: String,
}

/// A comment on a published article: a member's at once, a visitor's after approval.
async fn comment(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(f): Form<CommentForm>,
) -> AppResult<Response> {
    let body = f.body.trim();
    let problem = crate::social_issue::web::comment_problem(&ctx, &st, body).await?;
    if let Some((message, status)) = problem {
        let page = show(ctx.with_errors(FieldErrors::single("body", message)), State(st), Path(id)).await?;
        return Ok((status, ShowPage { draft: f.body, ..page }).into_response());
    }
    let author = ctx.account.as_ref().map(|a| a.id);
    let status = super::comment(&st.db, ctx.tenant.id, ArticleId(id), author, body).await?.ok_or(AppError::NotFound)?;
    ctx.set_flash(if status == crate::moderation::Status::Published {
        "issue-comment-published"
    } else {
        "issue-comment-pending"
    });
    Ok(Redirect::to(&format!("/articles/{id}#comments-heading")).into_response())
}

async fn moderate_comment(
    Admin(ctx, me): Admin,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(f): Form<crate::moderation::web::ModerationForm>,
) -> AppResult<Response> {
    let back = f.back("/admin/moderation");
    let Some(step) = f.step(&ctx)? else {
        return Ok(Redirect::to(back).into_response());
    };
    super::moderate_comment(&st.db, ctx.tenant.id, id, &step, Some(me.id)).await?;
    ctx.set_flash("issue-moderated");
    Ok(Redirect::to(back).into_response())
}

/// A reader reports a comment; it waits in the moderators' queue.
async fn report_comment(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(f): Form<crate::moderation::web::ReasonForm>,
) -> AppResult<Response> {
    if !crate::rate_limit::hit(&st.db, crate::rate_limit::PUBLIC_FORM, &ctx.client_key()).await? {
        return Err(AppError::TooManyRequests);
    }
    let actor = ctx.account.as_ref().map(|a| a.id);
    let step = crate::moderation::Step::report(&f.reason);
    let article = super::moderate_comment(&st.db, ctx.tenant.id, id, &step, actor).await?;
    ctx.set_flash("issue-reported");
    Ok(Redirect::to(&format!("/articles/{}#comments-heading", article.0)).into_response())
}

/// The newest published articles as an Atom feed.
async fn feed(ctx: Ctx, State(st): State<AppState>) -> AppResult<Response> {
    let articles = store::published(&st.db, ctx.tenant.id, None, 50, 0).await?;
    let entries = articles
        .iter()
        .map(|a| crate::web::atom::Entry {
            id: format!("article-{}", a.id.0),
            title: a.title.clone(),
            url: format!("{}/articles/{}", ctx.base_url, a.id.0),
            updated: a.dated_at,
            author: a.author.clone().unwrap_or_else(|| ctx.tenant.name.clone()),
            content_html: Some(a.body_html.clone()),
            summary: None,
        })
        .collect();
    let feed = crate::web::atom::Feed {
        id: "articles",
        title: format!("{} — {}", ctx.tenant.name, ctx.lang.t("articles-title")),
        lang: ctx.lang.code(),
        base_url: &ctx.base_url,
        path: "/articles",
        entries,
    };
    Ok(feed.into_response())
}

#[derive(Template)]
#[template(path = "article/admin.html")]
pub struct AdminPage {
    pub ctx: Ctx,
    pub articles: Vec<Article>,
}

async fn admin_index(Admin(ctx, _): Admin, State(st): State<AppState>) -> AppResult<AdminPage> {
    let articles = store::all(&st.db, ctx.tenant.id).await?;
    Ok(AdminPage { ctx, articles })
}

#[derive(Template)]
#[template(path = "article/form.html")]
pub struct FormPage {
    pub ctx: Ctx,
    pub form: ArticleForm,
    /// `None` when writing a new one.
    pub article: Option<ArticleId>,
    pub categories: Vec<(&'static str, String, bool)>,
    /// What the article can link to: (id, title, selected).
    pub events: Vec<(i64, String, bool)>,
    pub labs: Vec<(i64, String, bool)>,
    pub issues: Vec<(i64, String, bool)>,
}

async fn form_page(ctx: Ctx, st: &AppState, form: ArticleForm, article: Option<ArticleId>) -> AppResult<FormPage> {
    let tenant = ctx.tenant.id;
    let categories =
        Category::ALL.iter().map(|c| (c.code(), c.label(ctx.lang).into_owned(), c.code() == form.category)).collect();
    let events = crate::event::store::list(&st.db, tenant, crate::event::store::Listing::All, 500)
        .await?
        .into_iter()
        .filter(|e| e.visible_to(false))
        .map(|e| {
            let label = format!("{} {}", ctx.date(&e.starts_at), e.title);
            (e.id.0, label, e.id.0.to_string() == form.event_id)
        })
        .collect();
    let labs = crate::lab::store::list(&st.db, tenant)
        .await?
        .into_iter()
        .map(|l| (l.id.0, l.title, l.id.0.to_string() == form.lab_id))
        .collect();
    let issues = crate::social_issue::store::list(&st.db, tenant, crate::social_issue::Status::Published, 500)
        .await?
        .into_iter()
        .map(|i| (i.id.0, i.title, i.id.0.to_string() == form.social_issue_id))
        .collect();
    Ok(FormPage { ctx, form, article, categories, events, labs, issues })
}

async fn new(Admin(ctx, _): Admin, State(st): State<AppState>) -> AppResult<FormPage> {
    let today = crate::i18n::wareki::jst_date(crate::db::now()).format("%Y-%m-%d").to_string();
    let form =
        ArticleForm { date: today, category: Category::SessionReport.code().to_owned(), ..ArticleForm::default() };
    form_page(ctx, &st, form, None).await
}

fn status_of(form: &ArticleForm) -> Status {
    if form.action == "publish" { Status::Published } else { Status::Draft }
}

/// The form again with its problems, the input kept.
async fn again(
    ctx: Ctx,
    st: &AppState,
    form: ArticleForm,
    article: Option<ArticleId>,
    errors: FieldErrors,
) -> AppResult<Response> {
    Ok((StatusCode::UNPROCESSABLE_ENTITY, form_page(ctx.with_errors(errors), st, form, article).await?).into_response())
}

async fn create(
    Admin(ctx, me): Admin,
    State(st): State<AppState>,
    Form(form): Form<ArticleForm>,
) -> AppResult<Response> {
    let draft = match form.validate() {
        Ok(d) => d,
        Err(errors) => return again(ctx, &st, form, None, errors).await,
    };
    let status = status_of(&form);
    let tenant = ctx.tenant.id;
    let saved = st.db.write(async |tx| store::insert(tx, tenant, &draft, status, Some(me.id), None).await).await;
    match saved {
        Ok(id) => {
            ctx.set_flash(if status == Status::Published { "article-published" } else { "article-saved" });
            Ok(Redirect::to(&format!("/articles/{}", id.0)).into_response())
        }
        Err(StoreError::NotFound) => {
            again(ctx, &st, form, None, FieldErrors::single("event_id", "article-error-link")).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn edit(Admin(ctx, _): Admin, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<FormPage> {
    let article = store::get(&st.db, ctx.tenant.id, ArticleId(id)).await?;
    form_page(ctx, &st, ArticleForm::of(&article), Some(article.id)).await
}

async fn update(
    Admin(ctx, _): Admin,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(form): Form<ArticleForm>,
) -> AppResult<Response> {
    let id = ArticleId(id);
    let tenant = ctx.tenant.id;
    // Another center's article is not found before anything is checked or written.
    store::get(&st.db, tenant, id).await?;
    let draft = match form.validate() {
        Ok(d) => d,
        Err(errors) => return again(ctx, &st, form, Some(id), errors).await,
    };
    let status = status_of(&form);
    match st.db.write(async |tx| store::update(tx, tenant, id, &draft, status).await).await {
        Ok(()) => {
            ctx.set_flash(if status == Status::Published { "article-published" } else { "article-saved" });
            Ok(Redirect::to(&format!("/articles/{}", id.0)).into_response())
        }
        Err(StoreError::NotFound) => {
            again(ctx, &st, form, Some(id), FieldErrors::single("event_id", "article-error-link")).await
        }
        Err(e) => Err(e.into()),
    }
}

crate::html_page!(GalleryPage, ShowPage, AdminPage, FormPage);
