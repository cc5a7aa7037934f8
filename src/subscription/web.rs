//! The member's page of what reaches them (`/account/mail`: per kind at once, daily,
//! weekly or nothing, and the language of their mails), and the unsubscribe address of
//! every mail, which works without logging in.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

use super::{Cadence, Choices, Kind, Scope, store};
use crate::account::AccountId;
use crate::i18n::Lang;
use crate::validate::FieldErrors;
use crate::web::{AppError, AppResult, AppState, Ctx, Member};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account/mail", get(edit).post(save))
        .route("/unsubscribe/{account}/{scope}/{sig}", get(unsubscribe_page).post(unsubscribe))
}

#[derive(Template)]
#[template(path = "subscription/settings.html")]
pub struct SettingsPage {
    pub ctx: Ctx,
    /// The chosen code per field (`lang` and each kind's code), as shown in the form.
    pub form: HashMap<String, String>,
    pub kinds: [Kind; Kind::ALL.len()],
    pub cadences: [Cadence; Cadence::ALL.len()],
    pub langs: [Lang; 2],
}

impl SettingsPage {
    pub fn chosen(&self, field: &str) -> &str {
        self.form.get(field).map_or("", String::as_str)
    }
}

fn page(ctx: Ctx, form: HashMap<String, String>) -> SettingsPage {
    SettingsPage { ctx, form, kinds: Kind::ALL, cadences: Cadence::ALL, langs: Lang::ALL }
}

async fn edit(Member(ctx, me): Member, State(st): State<AppState>) -> AppResult<SettingsPage> {
    let choices = store::choices(&st.db, ctx.tenant.id, me.id).await?;
    let mut form: HashMap<String, String> =
        choices.iter().map(|(k, c)| (k.code().to_owned(), c.code().to_owned())).collect();
    form.insert("lang".to_owned(), me.lang.code().to_owned());
    Ok(page(ctx, form))
}

/// The choices of a submitted form, or which fields are wrong.
fn parse(form: &HashMap<String, String>) -> Result<(Lang, Choices), FieldErrors> {
    let mut errors = FieldErrors::default();
    let lang = form.get("lang").and_then(|l| Lang::from_code(l));
    if lang.is_none() {
        errors.add("lang", "subscription-error-choose");
    }
    let mut choices = Choices::default();
    for kind in Kind::ALL {
        match form.get(kind.code()).and_then(|c| Cadence::from_code(c)) {
            Some(c) => choices.set(kind, c),
            None => errors.add(kind.code(), "subscription-error-choose"),
        }
    }
    match lang {
        Some(lang) if errors.is_empty() => Ok((lang, choices)),
        _ => Err(errors),
    }
}

async fn save(
    Member(ctx, me): Member,
    State(st): State<AppState>,
    Form(form): Form<HashMap<String, String>>,
) -> AppResult<Response> {
    match parse(&form) {
        Ok((lang, choices)) => {
            super::choose(&st.db, ctx.tenant.id, me.id, lang, &choices).await?;
            ctx.set_flash("subscription-saved");
            Ok(Redirect::to("/account/mail").into_response())
        }
        Err(errors) => Ok((StatusCode::UNPROCESSABLE_ENTITY, page(ctx.with_errors(errors), form)).into_response()),
    }
}

#[derive(Template)]
#[template(path = "subscription/unsubscribe.html")]
pub struct UnsubscribePage {
    pub ctx: Ctx,
    pub scope: String,
    /// Whether it is done (after the button) or asked (from the mail's link).
    pub done: bool,
    pub action: String,
}

/// The account and scope of a signed address, or not found (an address nobody signed,
/// or signed for an account that is gone).
async fn checked(
    st: &AppState,
    ctx: &Ctx,
    account: i64,
    scope: &str,
    sig: &str,
) -> Result<(crate::account::Account, Scope), AppError> {
    let scope = Scope::from_code(scope).ok_or(AppError::NotFound)?;
    let account =
        crate::account::store::find(&st.db, ctx.tenant.id, AccountId(account)).await?.ok_or(AppError::NotFound)?;
    if !st.unsubscribe_key.verifies(ctx.tenant.id, (account.id, account.created_at), scope, sig) {
        return Err(AppError::NotFound);
    }
    Ok((account, scope))
}

/// The page of a mail's unsubscribe link: a button, since a link alone must change
/// nothing (mail scanners open links).
async fn unsubscribe_page(
    ctx: Ctx,
    State(st): State<AppState>,
    Path((account, scope, sig)): Path<(i64, String, String)>,
) -> AppResult<UnsubscribePage> {
    let (account, scope) = checked(&st, &ctx, account, &scope, &sig).await?;
    let action = st.unsubscribe_key.path(ctx.tenant.id, (account.id, account.created_at), scope);
    Ok(UnsubscribePage { scope: scope.label(ctx.lang), done: false, action, ctx })
}

/// Stops the mail: from the page's button or in one click from the mail program
/// (`List-Unsubscribe-Post`), without logging in.
async fn unsubscribe(
    ctx: Ctx,
    State(st): State<AppState>,
    Path((account, scope, sig)): Path<(i64, String, String)>,
) -> AppResult<UnsubscribePage> {
    let (account, scope) = checked(&st, &ctx, account, &scope, &sig).await?;
    super::stop(&st.db, ctx.tenant.id, account.id, scope).await?;
    let action = st.unsubscribe_key.path(ctx.tenant.id, (account.id, account.created_at), scope);
    Ok(UnsubscribePage { scope: scope.label(ctx.lang), done: true, action, ctx })
}

crate::html_page!(SettingsPage, UnsubscribePage);
