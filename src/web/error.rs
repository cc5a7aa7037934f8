//! `AppError`: what a handler can fail with. Each kind becomes a page in the reader's
//! language (rendered by `frame`); internal causes go to the log, never to the page.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use crate::db::StoreError;

/// A failure a handler reports.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    /// Not logged in: redirect to the login page, then back to `next`.
    #[error("login required")]
    LoginRequired { next: String },
    /// A state-changing request without a valid CSRF token.
    #[error("CSRF token missing or invalid")]
    Csrf,
    /// A request body that could not be read (cut off, or not what it said it was).
    #[error("bad request")]
    BadRequest,
    /// A request body over the limit for its kind.
    #[error("request body too large")]
    TooLarge,
    #[error("too many requests")]
    TooManyRequests,
    #[error("service unavailable")]
    Unavailable,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            other => AppError::Internal(other.into()),
        }
    }
}

/// Marks a response as an error page for `frame` to render: status plus Fluent ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ErrorPage {
    pub title: &'static str,
    pub message: &'static str,
}

impl AppError {
    /// The status and the Fluent ids of the page's title and message.
    pub fn page(&self) -> (StatusCode, ErrorPage) {
        let (status, title, message) = match self {
            AppError::NotFound => (StatusCode::NOT_FOUND, "error-not-found-title", "error-not-found-message"),
            AppError::Forbidden => (StatusCode::FORBIDDEN, "error-forbidden-title", "error-forbidden-message"),
            AppError::LoginRequired { .. } => {
                (StatusCode::UNAUTHORIZED, "error-login-required-title", "error-login-required-message")
            }
            AppError::Csrf => (StatusCode::FORBIDDEN, "error-csrf-title", "error-csrf-message"),
            AppError::BadRequest => (StatusCode::BAD_REQUEST, "error-bad-request-title", "error-bad-request-message"),
            AppError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "error-too-large-title", "error-too-large-message"),
            AppError::TooManyRequests => {
                (StatusCode::TOO_MANY_REQUESTS, "error-too-many-title", "error-too-many-message")
            }
            AppError::Unavailable => {
                (StatusCode::SERVICE_UNAVAILABLE, "error-unavailable-title", "error-unavailable-message")
            }
            AppError::Internal(_) => {
                (StatusCode::INTERNAL_SERVER_ERROR, "error-internal-title", "error-internal-message")
            }
        };
        (status, ErrorPage { title, message })
    }

    /// Every kind, for the test that every message exists in every language.
    pub fn all_pages() -> Vec<ErrorPage> {
        [
            AppError::NotFound,
            AppError::Forbidden,
            AppError::LoginRequired { next: String::new() },
            AppError::Csrf,
            AppError::BadRequest,
            AppError::TooLarge,
            AppError::TooManyRequests,
            AppError::Unavailable,
            AppError::Internal(anyhow::anyhow!("")),
        ]
        .iter()
        .map(|e| e.page().1)
        .collect()
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::LoginRequired { next } = &self {
            let to =
                format!("/login?next={}", url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>());
            return Redirect::to(&to).into_response();
        }
        if let AppError::Internal(cause) = &self {
            tracing::error!(error = format!("{cause:#}"), "internal error");
        }
        let (status, page) = self.page();
        let mut res =
            (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], status.to_string()).into_response();
        if status == StatusCode::TOO_MANY_REQUESTS {
            res.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from_static("60"));
        }
        res.extensions_mut().insert(page);
        res
    }
}

pub type AppResult<T> = Result<T, AppError>;
