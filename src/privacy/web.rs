//! The privacy notice's page, with its version, and a member's consent to it.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use crate::web::{AppResult, AppState, Ctx, Member};

pub fn router() -> Router<AppState> {
    Router::new().route("/privacy", get(notice)).route("/privacy/consent", post(consent))
}

#[derive(Template)]
#[template(path = "privacy/notice.html")]
pub struct NoticePage {
    pub ctx: Ctx,
    /// The version's day, as the reader writes dates.
    pub version: String,
    /// The consents the logged-in member gave, oldest first.
    pub consents: Vec<super::Consent>,
    /// How long what is kept, as a sentence.
    pub retention: String,
}

impl NoticePage {
    /// When, in Japan time, as the reader expects it.
    pub fn when(&self, c: &super::Consent) -> String {
        crate::i18n::wareki::format_datetime(self.ctx.lang, c.given_at)
    }

    /// Whether the logged-in member has agreed to this version.
    pub fn agreed(&self) -> bool {
        self.consents.iter().any(|c| c.notice_version == super::NOTICE_VERSION)
    }
}

async fn notice(ctx: Ctx, State(st): State<AppState>) -> AppResult<NoticePage> {
    let consents = match &ctx.account {
        Some(a) => super::store::of_account(&st.db, ctx.tenant.id, a.id).await?,
        None => Vec::new(),
    };
    let version = crate::i18n::wareki::format_date(ctx.lang, super::notice_date());
    let r = st.config.retention;
    let retention = ctx.lang.t_args(
        "privacy-retention",
        &[
            ("guest", &r.guest_days.to_string()),
            ("contact", &r.contact_days.to_string()),
            ("log", &r.access_log_days.to_string()),
        ],
    );
    Ok(NoticePage { ctx, version, consents, retention })
}

/// A member agrees to the current notice.
async fn consent(Member(ctx, account): Member, State(st): State<AppState>) -> AppResult<Response> {
    if super::asks_again(account.consented_notice.as_deref()) {
        super::agree(&st.db, ctx.tenant.id, account.id).await?;
    }
    ctx.set_flash("privacy-agreed");
    Ok(Redirect::to("/privacy").into_response())
}

crate::html_page!(NoticePage);
