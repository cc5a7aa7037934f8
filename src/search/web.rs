//! The search page (`/search`), reached from the box in every page's header.

use askama::Template;
use axum::Router;
use axum::extract::{Query as UrlQuery, State};
use axum::routing::get;

use super::{Hit, Kind, Query, Results};
use crate::web::{AppResult, AppState, Ctx};

/// Hits on a page.
const PER_PAGE: usize = 20;

pub fn router() -> Router<AppState> {
    Router::new().route("/search", get(page))
}

/// The search as the URL gives it; anything unreadable is ignored, never an error.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct SearchParams {
    pub q: String,
    pub kind: String,
    pub tag: String,
    pub fy: String,
    pub page: String,
}

#[derive(Template)]
#[template(path = "search/index.html")]
pub struct SearchPage {
    pub ctx: Ctx,
    pub params: SearchParams,
    pub results: Results,
    pub page: usize,
    pub pages: usize,
    pub kinds: Vec<(&'static str, String, bool)>,
}

impl SearchPage {
    /// Text with its matched ranges in `<mark>`, escaped.
    pub fn marked(&self, text: &str, marks: &[(usize, usize)]) -> askama::filters::Safe<String> {
        let escape =
            |t: &str| askama::filters::escape(t, askama::filters::Html).map(|e| e.to_string()).unwrap_or_default();
        let mut out = String::new();
        let mut at = 0;
        for &(from, to) in marks {
            if from < at || to > text.len() || !text.is_char_boundary(from) || !text.is_char_boundary(to) {
                continue;
            }
            out.push_str(&escape(&text[at..from]));
            out.push_str("<mark>");
            out.push_str(&escape(&text[from..to]));
            out.push_str("</mark>");
            at = to;
        }
        out.push_str(&escape(&text[at..]));
        askama::filters::Safe(out)
    }

    pub fn kind_label(&self, hit: &Hit) -> std::borrow::Cow<'static, str> {
        self.ctx.lang.t(hit.kind.label_id())
    }

    /// The link to another page of the same search.
    pub fn page_link(&self, page: usize) -> String {
        let mut url = url::Url::parse("http://x/search").expect("a fixed URL");
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("q", &self.params.q);
            for (name, value) in [("kind", &self.params.kind), ("tag", &self.params.tag), ("fy", &self.params.fy)] {
                if !value.is_empty() {
                    q.append_pair(name, value);
                }
            }
            if page > 1 {
                q.append_pair("page", &page.to_string());
            }
        }
        format!("/search?{}", url.query().unwrap_or_default())
    }
}

async fn page(ctx: Ctx, State(st): State<AppState>, UrlQuery(params): UrlQuery<SearchParams>) -> AppResult<SearchPage> {
    let page = params.page.trim().parse::<usize>().ok().filter(|p| (1..=1000).contains(p)).unwrap_or(1);
    let kind = Kind::from_code(params.kind.trim());
    let query = Query {
        text: params.q.chars().take(200).collect(),
        kind,
        tag: Some(params.tag.trim().to_owned()).filter(|t| !t.is_empty()),
        fiscal_year: params.fy.trim().parse().ok().filter(|y| (1900..=2999).contains(y)),
        offset: (page - 1) * PER_PAGE,
        limit: PER_PAGE,
    };
    let results = if query.text.trim().is_empty() {
        Results::default()
    } else {
        st.search.search(&st.db, ctx.tenant.id, &query).await?
    };
    let pages = results.total.div_ceil(PER_PAGE);
    let kinds = Kind::ALL.iter().map(|k| (k.code(), ctx.lang.t(k.label_id()).into_owned(), Some(*k) == kind)).collect();
    Ok(SearchPage { ctx, params, results, page, pages, kinds })
}

crate::html_page!(SearchPage);
