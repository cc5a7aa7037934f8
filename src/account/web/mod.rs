//! Account pages: sign-up, verification, login and logout, password reset (`auth.rs`),
//! the person's own profile, data export and deletion (`profile.rs`), and the
//! secretariat's list of accounts with their roles (`admin.rs`).

use axum::Router;
use axum::routing::{get, post};

use crate::web::AppState;

mod admin;
mod auth;
mod profile;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/signup", get(auth::signup_form).post(auth::signup))
        .route("/account/verify", get(auth::verify_form).post(auth::verify))
        .route("/login", get(auth::login_form).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/password/forgot", get(auth::forgot_form).post(auth::forgot))
        .route("/password/reset", get(auth::reset_form).post(auth::reset))
        .route("/account", get(profile::show).post(profile::update))
        .route("/account/password", post(profile::change_password))
        .route("/account/export", get(profile::export))
        .route("/account/export.csv", get(profile::export_csv))
        .route("/account/delete", get(profile::delete_form).post(profile::delete))
        .route("/admin/accounts", get(admin::index))
        .route("/admin/accounts/{id}/role", post(admin::update_role))
}
