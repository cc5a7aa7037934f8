//! The secretariat's annual report page, with the same report as CSV, XLSX and JSON.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::{AnnualReport, factor, render, share, store};
use crate::event::EventKind;
use crate::i18n::{FiscalYear, Lang, wareki};
use crate::sector::Sector;
use crate::web::{Admin, AppResult, AppState, Ctx, download};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/reports/annual", get(page))
        .route("/admin/reports/annual.csv", get(csv))
        .route("/admin/reports/annual.xlsx", get(xlsx))
        .route("/admin/reports/annual.json", get(json))
}

/// Which report: `?fiscal_year=2023&kind=info_exchange` (defaults: the current fiscal
/// year, 情報交換会). Values that cannot be read fall back to the defaults.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ReportQuery {
    fiscal_year: String,
    kind: String,
}

impl ReportQuery {
    fn resolve(&self) -> (FiscalYear, EventKind) {
        let fy = FiscalYear::asked_or_current(&self.fiscal_year);
        (fy, EventKind::from_code(&self.kind).unwrap_or(EventKind::InfoExchange))
    }
}

/// What both the page and the standalone HTML file show.
pub struct ReportView {
    pub lang: Lang,
    pub center: String,
    pub report: AnnualReport,
    pub sessions_chart: String,
    pub sectors_chart: String,
}

/// One line of the year-over-year table.
pub struct Comparison {
    pub label: String,
    pub before: String,
    pub after: String,
    pub change: String,
}

impl ReportView {
    pub fn new(lang: Lang, center: String, report: AnnualReport) -> ReportView {
        let sessions_chart = render::sessions_chart(&report, lang);
        let sectors_chart = render::sectors_chart(&report, lang);
        ReportView { lang, center, report, sessions_chart, sectors_chart }
    }

    /// ` lang="ja"` on what people wrote, in the English report ([`Lang::ja_attr`]).
    pub fn ja(&self, text: &str) -> askama::filters::Safe<&'static str> {
        askama::filters::Safe(self.lang.ja_attr(text))
    }

    pub fn t(&self, id: &str) -> std::borrow::Cow<'static, str> {
        self.lang.t(id)
    }

    /// How a hearing was held, in the reader's language.
    pub fn hearing_method(&self, code: &str) -> String {
        crate::hearing::Method::from_code(code).map(|m| m.label(self.lang).into_owned()).unwrap_or_default()
    }

    /// A kind of coordinator training, in the reader's language.
    pub fn training_kind(&self, code: &str) -> String {
        crate::training::Kind::from_code(code).map(|k| k.label(self.lang).into_owned()).unwrap_or_default()
    }

    /// A kind of body, in the reader's language.
    pub fn body_kind(&self, code: &str) -> String {
        crate::organisation::Kind::from_code(code).map(|k| k.label(self.lang).into_owned()).unwrap_or_default()
    }

    pub fn heading(&self) -> String {
        self.report.heading(self.lang)
    }

    pub fn date(&self, d: &chrono::NaiveDate) -> String {
        wareki::format_date(self.lang, *d)
    }

    /// A session's first-timers as the report prints them (5, 5（不明 2）, —).
    pub fn first(&self, tally: &crate::attendance::Tally) -> String {
        tally.first_timers_label(self.lang)
    }

    /// A kind of session in the reader's language.
    pub fn kind_label(&self, kind: &EventKind) -> std::borrow::Cow<'static, str> {
        kind.label(self.lang)
    }

    pub fn diversity(&self, d: &Option<f64>) -> String {
        d.map_or_else(|| "—".to_owned(), |d| format!("{d:.2}"))
    }

    pub fn sectors(&self) -> Vec<(String, i64, String)> {
        let t = &self.report.totals;
        Sector::ALL
            .iter()
            .map(|s| (s.label(self.lang).into_owned(), t.sectors.get(*s), share(t.sectors.get(*s), t.participants)))
            .collect()
    }

    /// 「N団体M名」: the bodies the year's participants came from and the people who gave one.
    pub fn bodies_summary(&self) -> String {
        let b = &self.report.bodies;
        self.lang.t_args(
            "report-bodies-summary",
            &[("bodies", &b.lines.len().to_string()), ("people", &b.people.to_string())],
        )
    }

    /// The organisations by sector, each sector named.
    pub fn organisation_sectors(&self) -> Vec<(String, i64)> {
        let o = &self.report.network.organisations;
        Sector::ALL.iter().map(|s| (s.label(self.lang).into_owned(), o.get(*s))).collect()
    }

    pub fn sector_labels(&self) -> Vec<String> {
        Sector::ALL.iter().map(|s| s.label(self.lang).into_owned()).collect()
    }

    pub fn counts(&self, c: &super::SectorCounts) -> Vec<i64> {
        Sector::ALL.iter().map(|s| c.get(*s)).collect()
    }

    pub fn previous_label(&self) -> String {
        self.report.fy().previous().label(self.lang)
    }

    pub fn this_label(&self) -> String {
        self.report.fy().label(self.lang)
    }

    pub fn comparison(&self) -> Vec<Comparison> {
        let (b, a) = (&self.report.previous, &self.report.totals);
        let line = |id: &str, before: i64, after: i64| Comparison {
            label: self.t(id).into_owned(),
            before: before.to_string(),
            after: after.to_string(),
            change: factor(before, after).unwrap_or_else(|| "—".to_owned()),
        };
        let mut out = vec![
            line("report-cmp-events", b.events as i64, a.events as i64),
            line("report-cmp-participants", b.participants, a.participants),
            line("report-cmp-unique", b.unique_people, a.unique_people),
            line("report-cmp-first-timers", b.first_timers, a.first_timers),
        ];
        for s in Sector::ALL {
            out.push(Comparison {
                label: format!("{} {}", s.label(self.lang), self.t("report-share")),
                before: share(b.sectors.get(s), b.participants),
                after: share(a.sectors.get(s), a.participants),
                change: String::new(),
            });
        }
        out
    }

    pub fn mean_diversity(&self) -> String {
        self.diversity(&self.report.mean_diversity())
    }
}

#[derive(Template)]
#[template(path = "report/annual.html")]
pub struct AnnualPage {
    pub ctx: Ctx,
    pub view: ReportView,
    pub years: Vec<(i32, String, bool)>,
    pub kinds: Vec<(&'static str, String, bool)>,
    pub query: String,
}

/// The report as a file of its own (the CLI's `--format html`), ready to print.
#[derive(Template)]
#[template(path = "report/standalone.html")]
pub struct StandaloneReport {
    pub view: ReportView,
    pub css: &'static str,
}

/// The stylesheets the standalone file carries inside it.
pub fn standalone_css() -> &'static str {
    concat!(include_str!("../../static/app.css"), "\n", include_str!("../../static/report.css"))
}

async fn load(ctx: &Ctx, st: &AppState, q: &ReportQuery) -> AppResult<AnnualReport> {
    let (fy, kind) = q.resolve();
    Ok(store::annual(&st.db, ctx.tenant.id, fy, kind).await?)
}

async fn page(Admin(ctx, _): Admin, State(st): State<AppState>, Query(q): Query<ReportQuery>) -> AppResult<AnnualPage> {
    let report = load(&ctx, &st, &q).await?;
    let mut years = store::years(&st.db, ctx.tenant.id).await?;
    if !years.contains(&report.fy()) {
        years.push(report.fy());
        years.sort_by(|a, b| b.cmp(a));
    }
    let years = years.into_iter().map(|y| (y.0, y.label(ctx.lang), y == report.fy())).collect();
    let kinds = EventKind::ALL.iter().map(|k| (k.code(), k.label(ctx.lang).into_owned(), *k == report.kind)).collect();
    let query = format!("fiscal_year={}&kind={}", report.fiscal_year, report.kind.code());
    let view = ReportView::new(ctx.lang, ctx.tenant.name.clone(), report);
    Ok(AnnualPage { ctx, view, years, kinds, query })
}

async fn csv(Admin(ctx, _): Admin, State(st): State<AppState>, Query(q): Query<ReportQuery>) -> AppResult<Response> {
    let r = load(&ctx, &st, &q).await?;
    Ok(download(
        "text/csv; charset=utf-8",
        format!("annual-report-fy{}.csv", r.fiscal_year),
        render::to_csv(&r, ctx.lang)?,
    ))
}

async fn xlsx(Admin(ctx, _): Admin, State(st): State<AppState>, Query(q): Query<ReportQuery>) -> AppResult<Response> {
    let r = load(&ctx, &st, &q).await?;
    Ok(download(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        format!("annual-report-fy{}.xlsx", r.fiscal_year),
        render::to_xlsx(&r, ctx.lang)?,
    ))
}

async fn json(Admin(ctx, _): Admin, State(st): State<AppState>, Query(q): Query<ReportQuery>) -> AppResult<Response> {
    Ok(axum::Json(load(&ctx, &st, &q).await?).into_response())
}

crate::html_page!(AnnualPage);
