//! The home page: what the center offers now, gathered from its concepts: the next
//! sessions with their seats, the consultations open for comment with the days left, the
//! issues brought lately with their 共感, and one way to bring an issue. Above the
//! concepts, as `routes` is; the shell keeps only the language switch.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::routing::get;

use crate::consultation::Consultation;
use crate::event::web::Card;
use crate::social_issue::SocialIssue;
use crate::web::{AppResult, AppState, Ctx};

/// How many of each the home page shows; each list links to the whole.
const SESSIONS: i64 = 3;
const ISSUES: i64 = 5;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(index))
}

#[derive(Template)]
#[template(path = "home/index.html")]
struct HomePage {
    ctx: Ctx,
    sessions: Vec<Card>,
    consultations: Vec<Consultation>,
    issues: Vec<SocialIssue>,
    now: chrono::DateTime<chrono::Utc>,
}

async fn index(ctx: Ctx, State(st): State<AppState>) -> AppResult<HomePage> {
    let tenant = ctx.tenant.id;
    let now = crate::db::now();
    let sessions = crate::event::web::upcoming_cards(&st, tenant, SESSIONS).await?;
    let consultations = crate::consultation::store::list_open(&st.db, tenant, now).await?;
    let issues =
        crate::social_issue::store::list(&st.db, tenant, crate::social_issue::Status::Published, ISSUES).await?;
    Ok(HomePage { ctx, sessions, consultations, issues, now })
}

crate::html_page!(HomePage);
