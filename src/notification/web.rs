//! The member's page of notifications.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::Notification;
use crate::web::{AppResult, AppState, Ctx, Member};

pub fn router() -> Router<AppState> {
    Router::new().route("/notifications", get(index)).route("/notifications/read", post(mark_read))
}

#[derive(Template)]
#[template(path = "notification/index.html")]
pub struct IndexPage {
    pub ctx: Ctx,
    pub notifications: Vec<Notification>,
}

async fn index(Member(ctx, me): Member, State(st): State<AppState>) -> AppResult<IndexPage> {
    let notifications = super::store::list(&st.db, ctx.tenant.id, me.id, 100).await?;
    Ok(IndexPage { ctx, notifications })
}

async fn mark_read(Member(ctx, me): Member, State(st): State<AppState>) -> AppResult<Response> {
    super::mark_all_read(&st.db, ctx.tenant.id, me.id).await?;
    ctx.set_flash("notification-marked-read");
    Ok(Redirect::to("/notifications").into_response())
}

crate::html_page!(IndexPage);
