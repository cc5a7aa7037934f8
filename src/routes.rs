//! The application assembled: every concept's pages inside the web shell. The shell
//! (`web`: context, errors, CSRF, layout, tenants, login sessions) sits below the
//! concepts and never imports their pages; this module, above both, is the one place
//! that knows them all.

use axum::Router;

use crate::web::{self, AppState};

/// Every page route of every concept, to go inside [`web::shell`].
fn pages() -> Router<AppState> {
    Router::new()
        .merge(crate::home::router())
        .merge(crate::mypage::router())
        .merge(crate::account::web::router())
        .merge(crate::privacy::web::router())
        .merge(crate::person::web::router())
        .merge(crate::access_log::web::router())
        .merge(crate::operations::web::router())
        .merge(crate::event::web::router())
        .merge(crate::event::admin::router())
        .merge(crate::registration::web::router())
        .merge(crate::attendance::web::router())
        .merge(crate::roster::web::router())
        .merge(crate::report::web::router())
        .merge(crate::social_issue::web::router())
        .merge(crate::organisation::web::router())
        .merge(crate::directory::web::router())
        .merge(crate::probono::web::router())
        .merge(crate::project::web::router())
        .merge(crate::introduction::web::router())
        .merge(crate::hearing::web::router())
        .merge(crate::training::web::router())
        .merge(crate::visit::web::router())
        .merge(crate::subscription::web::router())
        .merge(crate::board::web::router())
        .merge(crate::lab::web::router())
        .merge(crate::tenant::web::router())
        .merge(crate::roadmap::web::router())
        .merge(crate::consultation::web::router())
        .merge(crate::notification::web::router())
        .merge(crate::moderation::web::router())
        .merge(crate::search::web::router())
        .merge(crate::article::web::router())
        .merge(crate::file::web::router())
}

/// The whole application, as `serve` and the tests run it.
pub fn app(state: AppState) -> Router {
    web::shell(state, pages())
}
