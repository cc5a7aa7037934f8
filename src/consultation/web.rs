//! Consultation pages: the public page (the roadmap version paragraph by paragraph, a
//! comment form under each while the window is open, the published result), opening a
//! consultation, and the lab's page to moderate, read the summary by paragraph and
//! publish the result.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::{
    Comment, CommentForm, CommentId, Consultation, ConsultationId, Phase, ResponseForm, ResponseId, WindowForm, store,
};
use crate::db::{StoreError, now};
use crate::lab::Lab;
use crate::lab::web::{load, load_managed};
use crate::moderation::web::{ModerationForm, ReasonForm};
use crate::moderation::{Step, Subject};
use crate::rate_limit;
use crate::roadmap::{Paragraph, Version};
use crate::social_issue::Status;
use crate::validate::FieldErrors;
use crate::web::{AppError, AppResult, AppState, Ctx, Member};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/labs/{id}/consultations", post(create))
        .route("/labs/{id}/consultations/new", get(new))
        .route("/consultations/{id}", get(show))
        .route("/consultations/{id}/comments", post(comment))
        .route("/consultations/{id}/manage", get(manage))
        .route("/consultations/{id}/comments/{comment}/moderation", post(moderate))
        .route("/consultations/{id}/comments/{comment}/report", post(report))
        .route("/consultations/{id}/responses", post(add_response))
        .route("/consultations/{id}/responses/{response}/delete", post(delete_response))
        .route("/consultations/{id}/publish", post(publish))
        .route("/consultations/{id}/workbench", get(workbench))
        .route("/consultations/{id}/result.csv", get(result_csv))
        .route("/consultations/{id}/result.xlsx", get(result_xlsx))
        .route("/consultations/{id}/received", post(receive))
        .route("/consultations/{id}/received.csv", post(import_received))
        .route("/consultations/{id}/scope", post(scope))
        .route("/consultations/{id}/folds", post(folds))
        .route("/consultations/{id}/groups", post(groups))
}

#[derive(Template)]
#[template(path = "consultation/new.html")]
pub struct NewPage {
    pub ctx: Ctx,
    pub lab: Lab,
    pub form: WindowForm,
    pub versions: Vec<Version>,
}

async fn new(Member(ctx, _): Member, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<NewPage> {
    let lab = load_managed(&ctx, &st, id).await?;
    let versions = consultable(&st, &ctx, lab.id).await?;
    let form = WindowForm {
        version: versions.first().map(|v| v.number.to_string()).unwrap_or_default(),
        ..WindowForm::default()
    };
    Ok(NewPage { ctx, lab, form, versions })
}

/// The versions a consultation can be opened on: those not withdrawn, newest first.
async fn consultable(st: &AppState, ctx: &Ctx, lab: crate::lab::LabId) -> AppResult<Vec<Version>> {
    let mut versions = crate::roadmap::store::list(&st.db, ctx.tenant.id, lab).await?;
    versions.retain(|v| v.withdrawn_at.is_none());
    Ok(versions)
}

async fn create(
    Member(ctx, _): Member,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(form): Form<WindowForm>,
) -> AppResult<Response> {
    let lab = load_managed(&ctx, &st, id).await?;
    let errors = match form.validate() {
        Ok(window) => match super::open(&st.db, ctx.tenant.id, lab.id, &window).await {
            Ok(cid) => {
                ctx.set_flash("consultation-opened");
                return Ok(Redirect::to(&format!("/consultations/{}", cid.0)).into_response());
            }
            Err(StoreError::NotFound) => FieldErrors::single("version", "consultation-error-version"),
            Err(e) => return Err(e.into()),
        },
        Err(errors) => errors,
    };
    let versions = consultable(&st, &ctx, lab.id).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, NewPage { ctx: ctx.with_errors(errors), lab, form, versions })
        .into_response())
}

/// A paragraph with the comments on it.
pub struct Section {
    pub paragraph: Paragraph,
    pub comments: Vec<Comment>,
}

fn sections(paragraphs: Vec<Paragraph>, comments: &[Comment]) -> Vec<Section> {
    paragraphs
        .into_iter()
        .map(|paragraph| {
            let comments = comments.iter().filter(|c| c.paragraph == paragraph.number).cloned().collect();
            Section { paragraph, comments }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "consultation/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub c: Consultation,
    pub phase: Phase,
    pub sections: Vec<Section>,
    pub responses: Vec<super::Response>,
    /// What the version that took the comments in changed, with the rows behind it.
    pub amendments: Vec<super::Amendment>,
    pub manage: bool,
    /// The comment being written, kept when it is refused: (paragraph, text).
    pub draft: (i64, String),
}

async fn load_consultation(ctx: &Ctx, st: &AppState, id: i64) -> AppResult<(Consultation, Version)> {
    let c = store::get(&st.db, ctx.tenant.id, ConsultationId(id)).await?;
    let version = crate::roadmap::store::get_by_id(&st.db, ctx.tenant.id, c.version_id).await?;
    Ok((c, version))
}

async fn show(ctx: Ctx, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<ShowPage> {
    let (c, version) = load_consultation(&ctx, &st, id).await?;
    let (_, access) = load(&ctx, &st, c.lab_id.0).await?;
    let comments = store::comments(&st.db, ctx.tenant.id, c.id, Some(Status::Published)).await?;
    let phase = c.phase(now());
    let responses =
        if phase == Phase::Published { store::responses(&st.db, ctx.tenant.id, c.id).await? } else { Vec::new() };
    let amendments = match c.result_version.filter(|n| phase == Phase::Published && *n != c.version_number) {
        Some(n) => {
            let result = crate::roadmap::store::get(&st.db, ctx.tenant.id, c.lab_id, n).await?;
            super::amendments(&version.body, &result.body, &responses)
        }
        None => Vec::new(),
    };
    Ok(ShowPage {
        sections: sections(version.paragraphs(), &comments),
        amendments,
        responses,
        manage: access.manage,
        phase,
        c,
        ctx,
        draft: (0, String::new()),
    })
}

async fn comment(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(f): Form<CommentForm>,
) -> AppResult<Response> {
    let (c, version) = load_consultation(&ctx, &st, id).await?;
    let paragraphs = version.paragraphs().len() as i64;
    let paragraph = f.paragraph.trim().parse::<i64>().ok().filter(|n| (1..=paragraphs).contains(n));
    let body = f.body.trim();
    let problem = if !rate_limit::hit(&st.db, rate_limit::PUBLIC_FORM, &ctx.client_key()).await? {
        Some(("error-too-many-message", StatusCode::TOO_MANY_REQUESTS))
    } else if c.phase(now()) != Phase::Open {
        Some(("consultation-error-closed", StatusCode::CONFLICT))
    } else if paragraph.is_none() {
        Some(("consultation-error-paragraph", StatusCode::UNPROCESSABLE_ENTITY))
    } else if body.is_empty() {
        Some(("consultation-error-empty", StatusCode::UNPROCESSABLE_ENTITY))
    } else if body.chars().count() > 2000 {
        Some(("consultation-error-long", StatusCode::UNPROCESSABLE_ENTITY))
    } else {
        None
    };
    let author = ctx.account.as_ref().filter(|_| f.anonymous.is_none()).map(|a| a.id);
    let written = match (problem, paragraph) {
        // `None`: the window closed between the check and the write.
        (None, Some(p)) => super::comment(&st.db, ctx.tenant.id, c.id, p, author, body)
            .await?
            .ok_or(("consultation-error-closed", StatusCode::CONFLICT)),
        (Some(problem), _) => Err(problem),
        (None, None) => Err(("consultation-error-paragraph", StatusCode::UNPROCESSABLE_ENTITY)),
    };
    match written {
        Ok(status) => {
            ctx.set_flash(if status == Status::Published {
                "consultation-comment-published"
            } else {
                "consultation-comment-pending"
            });
            Ok(Redirect::to(&format!("/consultations/{id}#paragraph-{}", paragraph.unwrap_or(1))).into_response())
        }
        Err((message, status)) => {
            let field = if message == "consultation-error-closed" { "paragraphs" } else { "body" };
            let errors = FieldErrors::single(field, message);
            let page = show(ctx.with_errors(errors), State(st), Path(id)).await?;
            Ok((status, ShowPage { draft: (paragraph.unwrap_or(0), f.body), ..page }).into_response())
        }
    }
}

#[derive(Template)]
#[template(path = "consultation/manage.html")]
pub struct ManagePage {
    pub ctx: Ctx,
    pub c: Consultation,
    pub phase: Phase,
    pub sections: Vec<Section>,
    pub responses: Vec<super::Response>,
    pub versions: Vec<Version>,
    /// Published comments neither answered nor outside the scope.
    pub unanswered: usize,
    /// Readers' reports waiting for a decision: (comment, reports, last reason, when).
    pub reports: Vec<(i64, i64, String, chrono::DateTime<chrono::Utc>)>,
}

impl ManagePage {
    pub fn count(&self, status: &str) -> usize {
        self.sections.iter().flat_map(|s| &s.comments).filter(|c| c.status.code() == status).count()
    }

    pub fn count_in(&self, section: &Section, status: &str) -> usize {
        section.comments.iter().filter(|c| c.status.code() == status).count()
    }
}

async fn manage_page(ctx: Ctx, st: &AppState, id: i64) -> AppResult<ManagePage> {
    let (c, version) = load_consultation(&ctx, st, id).await?;
    load_managed(&ctx, st, c.lab_id.0).await?;
    let t = ctx.tenant.id;
    let comments = store::comments(&st.db, t, c.id, None).await?;
    let ids: Vec<i64> = comments.iter().map(|k| k.id.0).collect();
    Ok(ManagePage {
        unanswered: super::unanswered(&comments),
        reports: crate::moderation::store::flagged_among(&st.db, t, Subject::ConsultationComment, &ids).await?,
        sections: sections(version.paragraphs(), &comments),
        responses: store::responses(&st.db, t, c.id).await?,
        versions: consultable(st, &ctx, c.lab_id).await?,
        phase: c.phase(now()),
        c,
        ctx,
    })
}

async fn manage(Member(ctx, _): Member, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<ManagePage> {
    manage_page(ctx, &st, id).await
}

/// The consultation, when the reader manages its lab.
async fn load_managed_consultation(ctx: &Ctx, st: &AppState, id: i64) -> AppResult<Consultation> {
    let c = store::get(&st.db, ctx.tenant.id, ConsultationId(id)).await?;
    load_managed(ctx, st, c.lab_id.0).await?;
    Ok(c)
}

async fn moderate(
    Member(ctx, me): Member,
    State(st): State<AppState>,
    Path((id, comment)): Path<(i64, i64)>,
    Form(f): Form<ModerationForm>,
) -> AppResult<Response> {
    // Who may moderate is decided before anything changes: the lab's lead or the
    // secretariat, for this consultation; the comment must be one of its own.
    let c = load_managed_consultation(&ctx, &st, id).await?;
    let back = format!("/consultations/{id}/manage");
    let back = f.back(&back).to_owned();
    let Some(step) = f.step(&ctx)? else {
        return Ok(Redirect::to(&back).into_response());
    };
    super::moderate_comment(&st.db, ctx.tenant.id, c.id, CommentId(comment), &step, Some(me.id)).await?;
    ctx.set_flash("issue-moderated");
    Ok(Redirect::to(&back).into_response())
}

/// A reader reports a published comment; it waits, marked, in the lab's page and the
/// moderators' queue until someone decides.
async fn report(
    ctx: Ctx,
    State(st): State<AppState>,
    Path((id, comment)): Path<(i64, i64)>,
    Form(f): Form<ReasonForm>,
) -> AppResult<Response> {
    let c = store::get(&st.db, ctx.tenant.id, ConsultationId(id)).await?;
    if !rate_limit::hit(&st.db, rate_limit::PUBLIC_FORM, &ctx.client_key()).await? {
        return Err(AppError::TooManyRequests);
    }
    let actor = ctx.account.as_ref().map(|a| a.id);
    super::moderate_comment(&st.db, ctx.tenant.id, c.id, CommentId(comment), &Step::report(&f.reason), actor).await?;
    ctx.set_flash("issue-reported");
    Ok(Redirect::to(&format!("/consultations/{id}#comment-{comment}")).into_response())
}

/// A row of the result drafted from the workbench, the comments it answers ticked; while
/// the window is open too, never once the result is published.
async fn add_response(
    Member(ctx, _): Member,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let c = load_managed_consultation(&ctx, &st, id).await?;
    let form = ResponseForm::from_pairs(pairs);
    if c.phase(now()) == Phase::Published {
        ctx.set_flash("consultation-error-published");
        return Ok(Redirect::to(&format!("/consultations/{id}/manage")).into_response());
    }
    let version = crate::roadmap::store::get_by_id(&st.db, ctx.tenant.id, c.version_id).await?;
    let published: Vec<CommentId> =
        store::comments(&st.db, ctx.tenant.id, c.id, Some(Status::Published)).await?.iter().map(|k| k.id).collect();
    match form.validate(version.paragraphs().len() as i64, &published) {
        Ok(draft) => {
            super::add_response(&st.db, ctx.tenant.id, c.id, &draft).await?;
            ctx.set_flash("consultation-response-saved");
            Ok(Redirect::to(&format!("/consultations/{id}/workbench#paragraph-{}", draft.paragraph)).into_response())
        }
        Err(errors) => {
            let page = workbench_page(ctx.with_errors(errors), &st, id, form, ReceivedForm::default()).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

async fn delete_response(
    Member(ctx, _): Member,
    State(st): State<AppState>,
    Path((id, response)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let c = load_managed_consultation(&ctx, &st, id).await?;
    if c.phase(now()) != Phase::Published {
        super::delete_response(&st.db, ctx.tenant.id, c.id, ResponseId(response)).await?;
    }
    Ok(Redirect::to(&format!("/consultations/{id}/manage#responses-heading")).into_response())
}

/// A comment the lab received outside the page, as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ReceivedForm {
    pub paragraph: String,
    #[serde(rename = "received-body")]
    pub body: String,
    pub channel: String,
    #[serde(rename = "received-contact")]
    pub contact_email: String,
}

impl ReceivedForm {
    fn validate(&self, paragraphs: i64) -> Result<super::Received, FieldErrors> {
        let mut errors = FieldErrors::default();
        let paragraph = crate::i18n::normalize_identifier(&self.paragraph)
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=paragraphs).contains(n));
        if paragraph.is_none() {
            errors.add("received-paragraph", "consultation-error-paragraph");
        }
        let body = self.body.trim();
        if body.is_empty() || body.chars().count() > super::received::MAX_CHARS {
            errors.add("received-body", "consultation-error-body");
        }
        let channel = super::Channel::from_code(&self.channel);
        if channel.is_none() {
            errors.add("received-channel", "consultation-import-error-channel");
        }
        let contact = self.contact_email.trim();
        let contact_email =
            if contact.is_empty() { Some(String::new()) } else { crate::account::normalize_email(contact) };
        if contact_email.is_none() {
            errors.add("received-contact", "account-error-email-invalid");
        }
        match (paragraph, channel, contact_email) {
            (Some(paragraph), Some(channel), Some(contact_email)) if errors.is_empty() => {
                Ok(super::Received { paragraph, body: body.to_owned(), channel, contact_email })
            }
            _ => Err(errors),
        }
    }
}

#[derive(Template)]
#[template(path = "consultation/workbench.html")]
pub struct WorkbenchPage {
    pub ctx: Ctx,
    pub c: Consultation,
    pub phase: Phase,
    pub paragraphs: Vec<Paragraph>,
    pub reading: super::Reading,
    pub comments: Vec<Comment>,
    pub unanswered: usize,
    /// The row being drafted (kept when refused), and the comment being entered.
    pub form: ResponseForm,
    pub received: ReceivedForm,
    pub channels: Vec<super::Channel>,
    /// How many comments a CSV file just brought, or what was wrong with it (nothing taken).
    pub imported: Option<usize>,
    pub import_problems: Vec<String>,
}

impl WorkbenchPage {
    /// The paragraph whose row form was sent (its errors are shown there).
    pub fn sent_paragraph(&self) -> i64 {
        self.form.paragraph.trim().parse().unwrap_or(0)
    }

    /// What the reader sees of an entry's comments: answered, outside the scope, or neither.
    pub fn state(&self, entry: &super::Entry) -> &'static str {
        let of = |id: &CommentId| self.comments.iter().find(|k| k.id == *id);
        if entry.comments.iter().all(|id| of(id).is_some_and(|k| k.out_of_scope)) {
            "consultation-out-of-scope"
        } else if entry.comments.iter().all(|id| of(id).is_some_and(|k| k.response_id.is_some())) {
            "consultation-answered"
        } else {
            ""
        }
    }

    /// The numbers an entry's checkbox sends: every comment it folds.
    pub fn value(&self, entry: &super::Entry) -> String {
        entry.comments.iter().map(|c| c.0.to_string()).collect::<Vec<_>>().join(" ")
    }

    /// 「N件（うち同文 M件）」: a group's comments, and how many of them are copies.
    pub fn group_count(&self, g: &super::EntryGroup) -> String {
        let copies: usize = g.entries.iter().filter(|e| e.count > 1).map(|e| e.count).sum();
        let n = g.count().to_string();
        if copies > 0 {
            self.ctx.lang.t_args("consultation-count-copies", &[("count", &n), ("copies", &copies.to_string())])
        } else {
            self.ctx.lang.t_args("consultation-count", &[("count", &n)])
        }
    }

    /// Whether the entry's checkbox was ticked in the form sent back.
    pub fn ticked(&self, entry: &super::Entry) -> bool {
        entry.comments.iter().any(|c| self.form.ticks(*c))
    }
}

async fn workbench_page(
    ctx: Ctx,
    st: &AppState,
    id: i64,
    form: ResponseForm,
    received: ReceivedForm,
) -> AppResult<WorkbenchPage> {
    let (c, version) = load_consultation(&ctx, st, id).await?;
    load_managed(&ctx, st, c.lab_id.0).await?;
    let comments = store::comments(&st.db, ctx.tenant.id, c.id, None).await?;
    Ok(WorkbenchPage {
        reading: super::read(&comments, &store::groups(&st.db, ctx.tenant.id, c.id).await?),
        unanswered: super::unanswered(&comments),
        paragraphs: version.paragraphs(),
        phase: c.phase(now()),
        channels: super::Channel::ALL.into_iter().filter(|k| *k != super::Channel::Web).collect(),
        comments,
        c,
        ctx,
        form,
        received,
        imported: None,
        import_problems: Vec::new(),
    })
}

/// The lab's workbench: comments folded and grouped by paragraph, rows drafted from
/// them by ticking, comments received outside the page entered.
async fn workbench(
    Member(ctx, _): Member,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Query(query): Query<WorkbenchQuery>,
) -> AppResult<WorkbenchPage> {
    let mut page = workbench_page(ctx, &st, id, ResponseForm::default(), ReceivedForm::default()).await?;
    page.imported = query.imported.and_then(|n| n.parse().ok());
    Ok(page)
}

/// After a CSV file was taken: how many comments it brought (only said, never done again
/// when the page is reloaded).
#[derive(serde::Deserialize)]
pub struct WorkbenchQuery {
    imported: Option<String>,
}

/// Comments received outside the page from a CSV file (段落, 意見, 提出方法, optionally
/// 連絡先), as the command line takes them: all or nothing, every problem by its line and
/// column.
async fn import_received(
    Member(ctx, _): Member,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let c = load_managed_consultation(&ctx, &st, id).await?;
    let mut file: Option<Vec<u8>> = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("file") {
            file = field.bytes().await.ok().map(|b| b.to_vec());
        }
    }
    let version = crate::roadmap::store::get_by_id(&st.db, ctx.tenant.id, c.version_id).await?;
    let lang = ctx.lang;
    let problems = match file.filter(|f| !f.is_empty()) {
        None => vec![lang.t("roster-error-no-file").into_owned()],
        Some(bytes) => match super::received::parse_csv(&bytes, version.paragraphs().len() as i64) {
            Err(errors) => errors.iter().map(|e| e.describe(lang)).collect(),
            Ok(received) => {
                return match super::receive(&st.db, ctx.tenant.id, c.id, &received).await? {
                    Some(n) => Ok(Redirect::to(&format!("/consultations/{id}/workbench?imported={n}#import-heading"))
                        .into_response()),
                    None => {
                        ctx.set_flash("consultation-error-published");
                        Ok(Redirect::to(&format!("/consultations/{id}/manage")).into_response())
                    }
                };
            }
        },
    };
    let mut page = workbench_page(ctx, &st, id, ResponseForm::default(), ReceivedForm::default()).await?;
    page.import_problems = problems;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

async fn receive(
    Member(ctx, _): Member,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(form): Form<ReceivedForm>,
) -> AppResult<Response> {
    let c = load_managed_consultation(&ctx, &st, id).await?;
    let version = crate::roadmap::store::get_by_id(&st.db, ctx.tenant.id, c.version_id).await?;
    match form.validate(version.paragraphs().len() as i64) {
        Ok(received) => match super::receive(&st.db, ctx.tenant.id, c.id, std::slice::from_ref(&received)).await? {
            Some(_) => {
                ctx.set_flash("consultation-received-saved");
                Ok(Redirect::to(&format!("/consultations/{id}/workbench#received-heading")).into_response())
            }
            None => {
                ctx.set_flash("consultation-error-published");
                Ok(Redirect::to(&format!("/consultations/{id}/manage")).into_response())
            }
        },
        Err(errors) => {
            let page = workbench_page(ctx.with_errors(errors), &st, id, ResponseForm::default(), form).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// Ticked comments marked outside the scope (`action=out`) or inside again.
async fn scope(
    Member(ctx, _): Member,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let c = load_managed_consultation(&ctx, &st, id).await?;
    let out = !pairs.iter().any(|(k, v)| k == "action" && v == "in");
    let ticked = super::ticked(&pairs);
    if ticked.is_empty() {
        ctx.set_flash("consultation-error-nothing-ticked");
    } else {
        super::set_out_of_scope(&st.db, ctx.tenant.id, c.id, &ticked, out).await?;
        ctx.set_flash("consultation-scope-saved");
    }
    Ok(Redirect::to(&format!("/consultations/{id}/workbench")).into_response())
}

/// A paragraph's groups changed: ticked comments moved into a group or a new one
/// (`action=move`, `to`), or a group renamed (`rename` names it, `label-KEY` the name).
async fn groups(
    Member(ctx, _): Member,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let c = load_managed_consultation(&ctx, &st, id).await?;
    let field = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let paragraph: i64 = field("group_paragraph").and_then(|p| p.parse().ok()).unwrap_or(0);
    let comments = store::comments(&st.db, ctx.tenant.id, c.id, None).await?;
    let reading = super::read(&comments, &store::groups(&st.db, ctx.tenant.id, c.id).await?);
    let Some(here) = reading.paragraphs.into_iter().find(|p| p.paragraph == paragraph) else {
        return Err(AppError::NotFound);
    };
    let change = match field("rename") {
        Some(key) => super::Regroup::Rename { label: field(&format!("label-{key}")).unwrap_or_default(), key },
        None => super::Regroup::Move { comments: super::ticked(&pairs), to: field("to").filter(|t| t != "new") },
    };
    let done = super::regroup(&st.db, ctx.tenant.id, c.id, &here, &change).await?;
    ctx.set_flash(match (done, &change) {
        (true, _) => "consultation-groups-saved",
        (false, super::Regroup::Rename { .. }) => "consultation-error-group-label",
        (false, super::Regroup::Move { .. }) => "consultation-error-nothing-ticked",
    });
    Ok(Redirect::to(&format!("/consultations/{id}/workbench#paragraph-{paragraph}")).into_response())
}

/// Ticked folds undone (`action=apart`: each comment read on its own) or folded again.
async fn folds(
    Member(ctx, _): Member,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let c = load_managed_consultation(&ctx, &st, id).await?;
    let apart = !pairs.iter().any(|(k, v)| k == "action" && v == "fold");
    let ticked = super::ticked(&pairs);
    if ticked.is_empty() {
        ctx.set_flash("consultation-error-nothing-ticked");
    } else {
        super::keep_apart(&st.db, ctx.tenant.id, c.id, &ticked, apart).await?;
        ctx.set_flash("consultation-folds-saved");
    }
    Ok(Redirect::to(&format!("/consultations/{id}/workbench")).into_response())
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct PublishForm {
    version: String,
}

async fn publish(
    Member(ctx, _): Member,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    Form(f): Form<PublishForm>,
) -> AppResult<Response> {
    let c = load_managed_consultation(&ctx, &st, id).await?;
    let version = crate::i18n::normalize_identifier(&f.version).parse::<i64>().unwrap_or(0);
    // Every comment is answered by a row or marked outside the scope before the result
    // is published.
    let comments = store::comments(&st.db, ctx.tenant.id, c.id, None).await?;
    if c.phase(now()) == Phase::Closed && super::unanswered(&comments) > 0 {
        ctx.set_flash("consultation-error-unanswered");
        return Ok(Redirect::to(&format!("/consultations/{id}/workbench")).into_response());
    }
    let message = match super::publish_result(&st.db, &ctx.tenant, &c, version, &ctx.base_url).await {
        Ok(true) => "consultation-result-published",
        Ok(false) => "consultation-error-not-closed",
        Err(StoreError::NotFound) => "consultation-error-version",
        Err(e) => return Err(e.into()),
    };
    ctx.set_flash(message);
    let to = if message == "consultation-result-published" {
        format!("/consultations/{id}#result-heading")
    } else {
        format!("/consultations/{id}/manage")
    };
    Ok(Redirect::to(&to).into_response())
}

/// The published result's table, for anyone; nothing before it is published.
async fn result_rows(ctx: &Ctx, st: &AppState, id: i64) -> AppResult<(Consultation, Vec<Vec<String>>)> {
    let c = store::get(&st.db, ctx.tenant.id, ConsultationId(id)).await?;
    if c.phase(now()) != Phase::Published {
        return Err(AppError::NotFound);
    }
    let responses = store::responses(&st.db, ctx.tenant.id, c.id).await?;
    let rows = super::result_table(&responses, ctx.lang);
    Ok((c, rows))
}

async fn result_csv(ctx: Ctx, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<Response> {
    let (c, rows) = result_rows(&ctx, &st, id).await?;
    let body = crate::spreadsheet::to_csv(&rows)?;
    Ok(crate::web::download("text/csv; charset=utf-8", format!("consultation-{}-result.csv", c.id.0), body))
}

async fn result_xlsx(ctx: Ctx, State(st): State<AppState>, Path(id): Path<i64>) -> AppResult<Response> {
    let (c, rows) = result_rows(&ctx, &st, id).await?;
    let body = crate::spreadsheet::to_xlsx(&ctx.lang.t_args("consultation-title", &[("lab", &c.lab_title)]), &rows)?;
    Ok(crate::web::download(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        format!("consultation-{}-result.xlsx", c.id.0),
        body,
    ))
}

crate::html_page!(NewPage, ShowPage, ManagePage, WorkbenchPage);
