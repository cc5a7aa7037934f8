//! The annual report as CSV (UTF-8 with BOM, CRLF), XLSX, and SVG charts that print well
//! (black on white, patterns of weight rather than colour alone, text labels on every bar).

use chrono::Datelike;

use super::{AnnualReport, share};
use crate::i18n::{Lang, wareki};
use crate::sector::Sector;

fn header(lang: Lang) -> Vec<String> {
    let mut h = vec![
        lang.t("report-col-number"),
        lang.t("report-col-date"),
        lang.t("report-col-title"),
        lang.t("report-col-participants"),
        lang.t("report-col-first-timers"),
    ];
    h.extend(Sector::ALL.iter().map(|s| s.label(lang)));
    h.push(lang.t("report-col-diversity"));
    h.into_iter().map(std::borrow::Cow::into_owned).collect()
}

/// The table rows: one per session, then the totals and the shares.
pub fn rows(report: &AnnualReport, lang: Lang) -> Vec<Vec<String>> {
    let mut out = vec![header(lang)];
    for e in &report.events {
        let mut r = vec![
            e.number.to_string(),
            wareki::format_date(lang, e.date),
            e.title.clone(),
            e.tally.participants.to_string(),
            e.tally.first_timers_label(lang),
        ];
        r.extend(Sector::ALL.iter().map(|s| e.tally.sectors.get(*s).to_string()));
        r.push(e.diversity.map_or_else(String::new, |d| format!("{d:.2}")));
        out.push(r);
    }
    let t = &report.totals;
    let mut total = vec![
        lang.t("report-total").into_owned(),
        String::new(),
        lang.t1_count("report-sessions", t.events),
        t.participants.to_string(),
        t.first_timers.to_string(),
    ];
    total.extend(Sector::ALL.iter().map(|s| t.sectors.get(*s).to_string()));
    total.push(report.mean_diversity().map_or_else(String::new, |d| format!("{d:.2}")));
    out.push(total);
    let mut shares =
        vec![lang.t("report-share").into_owned(), String::new(), String::new(), String::new(), String::new()];
    shares.extend(Sector::ALL.iter().map(|s| share(t.sectors.get(*s), t.participants)));
    shares.push(String::new());
    out.push(shares);
    out
}

/// One of the report's other chapters as a table: its heading, then its rows, the first
/// naming the columns.
pub struct Chapter {
    pub heading: String,
    pub rows: Vec<Vec<String>>,
}

/// The chapters after the sessions' table, as the report's page shows them: sessions by
/// kind, the labs, the network, where participants came from, and open innovation
/// (introductions, trainings, visits and company hearings, in numbers only).
pub fn chapters(report: &AnnualReport, lang: Lang) -> Vec<Chapter> {
    let t = |id: &str| lang.t(id).into_owned();
    let pair = |label: String, n: String| vec![label, n];
    let mut out = vec![Chapter {
        heading: t("report-kinds-heading"),
        rows: std::iter::once(vec![t("report-kinds-kind"), t("report-cmp-events"), t("report-col-participants")])
            .chain(
                report
                    .kinds
                    .iter()
                    .map(|k| vec![k.kind.label(lang).into_owned(), k.events.to_string(), k.participants.to_string()]),
            )
            .collect(),
    }];
    out.push(Chapter {
        heading: t("report-labs-heading"),
        rows: std::iter::once(vec![
            t("report-labs-lab"),
            t("report-labs-meetings"),
            t("report-labs-probono"),
            t("report-labs-attendees"),
            t("report-labs-events"),
            t("report-labs-participants"),
        ])
        .chain(report.labs.iter().map(|l| {
            vec![
                l.lab.clone(),
                l.meetings.to_string(),
                l.probono_meetings.to_string(),
                l.attendees.to_string(),
                l.events.to_string(),
                l.session_participants.total().to_string(),
            ]
        }))
        .collect(),
    });
    let sector_row = |lab: &str, what: &str, counts: &crate::sector::SectorCounts, unknown: i64| {
        let mut row = vec![lab.to_owned(), what.to_owned()];
        row.extend(crate::sector::Sector::ALL.iter().map(|s| counts.get(*s).to_string()));
        row.extend([unknown.to_string(), (counts.total() + unknown).to_string()]);
        row
    };
    let mut header = vec![t("report-labs-lab"), t("report-lab-sectors-what")];
    header.extend(crate::sector::Sector::ALL.iter().map(|s| s.label(lang).into_owned()));
    header.extend([t("report-lab-sectors-unknown"), t("report-total")]);
    out.push(Chapter {
        heading: t("report-lab-sectors-caption"),
        rows: std::iter::once(header)
            .chain(report.labs.iter().flat_map(|l| {
                [
                    sector_row(&l.lab, &t("report-lab-sectors-meetings"), &l.meeting_sectors, l.meeting_unknown),
                    sector_row(&l.lab, &t("report-lab-sectors-sessions"), &l.session_participants, 0),
                ]
            }))
            .collect(),
    });
    let n = &report.network;
    let mut network = vec![
        vec![t("report-network-caption"), String::new()],
        pair(t("report-network-members"), n.members.to_string()),
        pair(t("report-network-new-members"), n.new_members.to_string()),
        pair(t("report-network-several"), n.in_several_programs.to_string()),
        pair(t("report-network-organisations"), n.organisations.total().to_string()),
    ];
    network
        .extend(Sector::ALL.iter().map(|s| pair(format!("　{}", s.label(lang)), n.organisations.get(*s).to_string())));
    network.push(pair(t("report-network-posts"), n.posts.to_string()));
    out.push(Chapter { heading: t("report-network-heading"), rows: network });
    out.push(Chapter {
        heading: t("report-bodies-heading"),
        rows: std::iter::once(vec![t("report-bodies-body"), t("report-bodies-people"), t("report-bodies-attendances")])
            .chain(
                report
                    .bodies
                    .lines
                    .iter()
                    .map(|b| vec![b.name.clone(), b.people.to_string(), b.attendances.to_string()]),
            )
            .collect(),
    });
    let i = &report.innovation;
    let intro = &i.introductions;
    let mut innovation = vec![
        vec![t("report-innovation-caption"), String::new()],
        pair(t("report-projects-started"), i.projects_started.to_string()),
        pair(t("report-needs-posted"), i.needs_posted.to_string()),
        pair(t("report-needs-met"), i.needs_met.to_string()),
        pair(t("report-introductions-made"), intro.made.to_string()),
        pair(t("report-introductions-accepted"), intro.accepted.to_string()),
        pair(t("report-introductions-declined"), intro.declined.to_string()),
        pair(t("report-introductions-met"), intro.met.to_string()),
        pair(t("report-introductions-project-started"), intro.project_started.to_string()),
        pair(t("report-introductions-no-fit"), intro.no_fit.to_string()),
    ];
    let label = |code: &str, of: fn(&str, Lang) -> Option<String>| of(code, lang).unwrap_or_else(|| code.to_owned());
    innovation.extend(i.trainings.by_kind.iter().map(|(code, n)| {
        let kind = label(code, |c, l| crate::training::Kind::from_code(c).map(|k| k.label(l).into_owned()));
        pair(format!("{}：{kind}", t("trainings-title")), n.to_string())
    }));
    innovation.push(pair(t("report-coordinators-trained"), i.trainings.coordinators_trained.to_string()));
    innovation.push(pair(t("report-visits"), i.visits.visits.to_string()));
    innovation.push(pair(t("report-visit-days"), i.visits.days.to_string()));
    innovation.push(pair(t("report-visit-places"), i.visits.organisations.to_string()));
    let h = &i.hearings;
    innovation.push(pair(t("report-hearings-heading"), h.hearings.to_string()));
    innovation.extend(h.by_method.iter().map(|(code, n)| {
        let method = label(code, |c, l| crate::hearing::Method::from_code(c).map(|m| m.label(l).into_owned()));
        pair(format!("{}：{method}", t("hearings-by-method")), n.to_string())
    }));
    innovation
        .extend(h.barriers.iter().map(|(tag, n)| pair(format!("{}：{tag}", t("hearings-barriers")), n.to_string())));
    innovation.extend(h.partners.iter().map(|(code, n)| {
        let kind = label(code, |c, l| crate::organisation::Kind::from_code(c).map(|k| k.label(l).into_owned()));
        pair(format!("{}：{kind}", t("hearings-partners")), n.to_string())
    }));
    out.push(Chapter { heading: t("report-innovation-heading"), rows: innovation });
    out
}

/// CSV for spreadsheets: the sessions' table, then each chapter after an empty line.
///
/// # Errors
/// Only if writing to memory fails.
pub fn to_csv(report: &AnnualReport, lang: Lang) -> anyhow::Result<Vec<u8>> {
    let mut all = vec![vec![report.heading(lang)]];
    all.extend(rows(report, lang));
    for chapter in chapters(report, lang) {
        all.push(vec![String::new()]);
        all.push(vec![chapter.heading]);
        all.extend(chapter.rows);
    }
    crate::spreadsheet::to_csv(&all)
}

/// XLSX: the sessions on the first sheet, the other chapters one under another on the
/// second.
///
/// # Errors
/// The workbook cannot be built.
pub fn to_xlsx(report: &AnnualReport, lang: Lang) -> anyhow::Result<Vec<u8>> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let sheet = book.add_worksheet();
    sheet.set_name(report.fy().label(Lang::En))?;
    sheet.write_string_with_format(0, 0, report.heading(lang), &bold)?;
    crate::spreadsheet::write_table(sheet, 2, &rows(report, lang), &bold)?;
    sheet.autofit();
    let sheet = book.add_worksheet();
    sheet.set_name(lang.t("report-chapters-sheet"))?;
    let mut top = 0;
    for chapter in chapters(report, lang) {
        sheet.write_string_with_format(top, 0, &chapter.heading, &bold)?;
        crate::spreadsheet::write_table(sheet, top + 1, &chapter.rows, &bold)?;
        top += chapter.rows.len() as u32 + 2;
    }
    sheet.autofit();
    Ok(book.save_to_buffer()?)
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Bars of participants per session over the year, first-timers darker inside.
pub fn sessions_chart(report: &AnnualReport, lang: Lang) -> String {
    let (w, h, left, bottom, top) = (640.0, 260.0, 40.0, 40.0, 20.0);
    let n = report.events.len().max(1) as f64;
    let max = report.events.iter().map(|e| e.tally.participants).max().unwrap_or(0).max(1) as f64;
    let slot = (w - left - 10.0) / n;
    let bar = (slot * 0.6).min(40.0);
    let scale = |v: f64| (h - bottom - top) * v / max;
    let mut svg = format!(
        "<svg viewBox=\"0 0 {w} {h}\" width=\"100%\" role=\"img\" aria-labelledby=\"sessions-chart-title sessions-chart-desc\" class=\"chart\">\
         <title id=\"sessions-chart-title\">{}</title><desc id=\"sessions-chart-desc\">{}</desc>\
         <line x1=\"{left}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#000\"/>",
        esc(&lang.t("report-chart-sessions")),
        esc(&lang.t("report-chart-sessions-desc")),
        h - bottom,
        w - 5.0,
        h - bottom
    );
    for (i, e) in report.events.iter().enumerate() {
        let x = left + slot * i as f64 + (slot - bar) / 2.0;
        let ph = scale(e.tally.participants as f64);
        let fh = scale(e.tally.first_timers.unwrap_or(0) as f64);
        let base = h - bottom;
        svg.push_str(&format!(
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{bar:.1}\" height=\"{ph:.1}\" fill=\"#9fc5e8\" stroke=\"#000\"/>\
             <rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{bar:.1}\" height=\"{fh:.1}\" fill=\"#0b5394\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\">{}</text>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\">{}</text>",
            base - ph,
            base - fh,
            x + bar / 2.0,
            base - ph - 4.0,
            e.tally.participants,
            x + bar / 2.0,
            base + 16.0,
            esc(&match lang {
                Lang::Ja => format!("{}/{}", e.date.month(), e.date.day()),
                Lang::En => e.date.format("%-d %b").to_string(),
            }),
        ));
    }
    svg.push_str(&format!(
        "<rect x=\"{left}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"#9fc5e8\" stroke=\"#000\"/>\
         <text x=\"{}\" y=\"{}\" font-size=\"11\">{}</text>\
         <rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"#0b5394\"/>\
         <text x=\"{}\" y=\"{}\" font-size=\"11\">{}</text></svg>",
        h - 14.0,
        left + 16.0,
        h - 4.0,
        esc(&lang.t("report-col-participants")),
        left + 140.0,
        h - 14.0,
        left + 156.0,
        h - 4.0,
        esc(&lang.t("report-col-first-timers")),
    ));
    svg
}

/// Horizontal bars of each sector's share of the year's participants.
pub fn sectors_chart(report: &AnnualReport, lang: Lang) -> String {
    let t = &report.totals;
    let (w, row, left) = (640.0, 28.0, 130.0);
    let h = row * 6.0 + 10.0;
    let max = Sector::ALL.iter().map(|s| t.sectors.get(*s)).max().unwrap_or(0).max(1) as f64;
    let mut svg = format!(
        "<svg viewBox=\"0 0 {w} {h}\" width=\"100%\" role=\"img\" aria-labelledby=\"sectors-chart-title\" class=\"chart\">\
         <title id=\"sectors-chart-title\">{}</title>",
        esc(&lang.t("report-chart-sectors"))
    );
    for (i, s) in Sector::ALL.iter().enumerate() {
        let n = t.sectors.get(*s);
        let y = 5.0 + row * i as f64;
        let len = (w - left - 120.0) * n as f64 / max;
        svg.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"13\" text-anchor=\"end\">{}</text>\
             <rect x=\"{left}\" y=\"{y:.1}\" width=\"{len:.1}\" height=\"{:.1}\" fill=\"#0b5394\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"13\">{} ({})</text>",
            left - 8.0,
            y + row * 0.6,
            esc(&s.label(lang)),
            row * 0.7,
            left + len + 6.0,
            y + row * 0.6,
            n,
            share(n, t.participants),
        ));
    }
    svg.push_str("</svg>");
    svg
}
