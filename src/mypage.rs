//! マイページ: a member's own part in the center, gathered from the concepts: the sessions
//! they registered for (with a place or waiting) and attended, the issues they brought,
//! support and follow, and the comments they signed. Above the concepts, as `home` is;
//! profile, password, export and deletion stay with the account (`/account`).

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use chrono::{DateTime, Utc};

use crate::attendance::store::OfAccount as Attended;
use crate::consultation::store::CommentOfAccount;
use crate::registration::store::OfAccount as Registered;
use crate::social_issue::store::OfAccount as Issues;
use crate::web::{AppResult, AppState, Member};

pub fn router() -> Router<AppState> {
    Router::new().route("/mypage", get(show))
}

#[derive(Template)]
#[template(path = "mypage/index.html")]
struct MyPage {
    ctx: crate::web::Ctx,
    /// Registrations for sessions that have not ended, soonest first, cancelled ones left out.
    upcoming: Vec<Registered>,
    /// Sessions attended, latest first.
    attended: Vec<Attended>,
    issues: Issues,
    consultation_comments: Vec<CommentOfAccount>,
    /// Their needs and offers, newest first: (path, title, status).
    probono: Vec<(String, String, String)>,
    /// Introductions they are one of the two in, and how many await their answer.
    introductions: usize,
    awaiting: usize,
}

impl MyPage {
    fn when(&self, t: &DateTime<Utc>) -> String {
        crate::i18n::wareki::format_datetime(self.ctx.lang, *t)
    }

    fn registration_state(&self, r: &Registered) -> String {
        let lang = self.ctx.lang;
        let id = match r.status {
            crate::registration::Status::Waiting => "mypage-waiting",
            _ => "mypage-registered",
        };
        lang.t_args(id, &[("mode", &r.mode.label(lang))])
    }
}

async fn show(Member(ctx, me): Member, State(st): State<AppState>) -> AppResult<MyPage> {
    let tenant = ctx.tenant.id;
    let now = crate::db::now();
    let upcoming = crate::registration::store::list_of_account(&st.db, tenant, me.id)
        .await?
        .into_iter()
        .filter(|r| r.ends_at >= now && r.status != crate::registration::Status::Cancelled)
        .collect();
    let mut attended = crate::attendance::store::list_of_account(&st.db, tenant, me.id).await?;
    attended.reverse();
    let mut issues = crate::social_issue::store::of_account(&st.db, tenant, me.id).await?;
    // What they support or follow is listed while it is public; their own issues always.
    let public = crate::moderation::Status::Published;
    issues.supported.retain(|(_, _, status)| *status == public);
    issues.following.retain(|(_, _, status)| *status == public);
    let consultation_comments = crate::consultation::store::comments_of_account(&st.db, tenant, me.id).await?;
    let lang = ctx.lang;
    let mut probono: Vec<(String, String, String)> = crate::probono::store::needs_of(&st.db, tenant, me.id)
        .await?
        .into_iter()
        .map(|n| (format!("/needs/{}", n.id.0), n.title, n.status.label(lang).into_owned()))
        .collect();
    probono.extend(
        crate::probono::store::offers_of(&st.db, tenant, me.id)
            .await?
            .into_iter()
            .map(|o| (format!("/offers/{}", o.id.0), o.title, o.status.label(lang).into_owned())),
    );
    let introductions = crate::introduction::store::list(&st.db, tenant, Some(me.id)).await?;
    let awaiting = introductions.iter().filter(|i| i.access(Some(&me)).answer.is_some()).count();
    let introductions = introductions.len();
    Ok(MyPage { ctx, upcoming, attended, issues, consultation_comments, probono, introductions, awaiting })
}

crate::html_page!(MyPage);
