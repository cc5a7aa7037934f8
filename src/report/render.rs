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

/// CSV for spreadsheets.
///
/// # Errors
/// Only if writing to memory fails.
pub fn to_csv(report: &AnnualReport, lang: Lang) -> anyhow::Result<Vec<u8>> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).flexible(true).from_writer(&mut out);
        w.write_record([report.heading(lang)])?;
        for r in rows(report, lang) {
            w.write_record(r.iter().map(|c| crate::spreadsheet::defuse(c.clone())))?;
        }
        w.flush()?;
    }
    Ok(out)
}

/// XLSX with one sheet.
///
/// # Errors
/// The workbook cannot be built.
pub fn to_xlsx(report: &AnnualReport, lang: Lang) -> anyhow::Result<Vec<u8>> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(report.fy().label(Lang::En))?;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    sheet.write_string_with_format(0, 0, report.heading(lang), &bold)?;
    for (r, row) in rows(report, lang).iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 2, c as u16);
            match cell.parse::<f64>() {
                Ok(n) if c != 0 || r > 2 => sheet.write_number(r, c, n)?,
                _ if r == 2 => sheet.write_string_with_format(r, c, cell, &bold)?,
                _ => sheet.write_string(r, c, crate::spreadsheet::defuse(cell.clone()))?,
            };
        }
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
