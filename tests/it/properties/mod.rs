//! Property tests (issue 20, hardening): random input thrown at what reads people's files
//! and typing: rosters and received comments, Markdown, dates, search queries. Nothing
//! panics, every problem is placed on a line of the file, what is accepted comes back
//! whole, and what is rendered is safe.

use std::sync::LazyLock;

use chrono::{Datelike, Days, NaiveDate};
use proptest::prelude::*;
use proptest::sample::{Index as Pick, select};

use socialhub::consultation::{Channel, Received, WindowForm, received};
use socialhub::event::{EventKind, Mode, parse_time};
use socialhub::i18n::{FiscalYear, Lang, normalize_identifier, wareki};
use socialhub::markdown::{html_text, markdown_to_text, render_markdown};
use socialhub::roster::{self, RosterRow, RowError};
use socialhub::search::text::{self as search_text, Piece};
use socialhub::search::{Doc, Index, Kind, Query};
use socialhub::sector::Sector;
use socialhub::tenant::TenantId;
use socialhub::validate::FieldErrors;
use tantivy::tokenizer::{TokenStream, Tokenizer};

/// Proptest's settings here: `cases` cases, and no regression files written next to the
/// sources (a failure prints its smallest input, which belongs in a plain test).
fn cases(cases: u32) -> ProptestConfig {
    ProptestConfig { cases, failure_persistence: None, max_shrink_iters: 4096, ..ProptestConfig::default() }
}

/// ASCII signs, letters and digits in their full-width forms (２０２３－０４－２０), as
/// Japanese input methods type them.
fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| if ('!'..='~').contains(&c) { char::from_u32(c as u32 + 0xFEE0).unwrap_or(c) } else { c })
        .collect()
}

/// Katakana as hiragana (the search index's folding).
fn hiragana(s: &str) -> String {
    s.chars()
        .map(|c| if ('\u{30a1}'..='\u{30f6}').contains(&c) { char::from_u32(c as u32 - 0x60).unwrap_or(c) } else { c })
        .collect()
}

/// A date between 1900 and 2200, the years the parsers take.
fn date_in_range() -> impl Strategy<Value = NaiveDate> {
    let first = NaiveDate::from_ymd_opt(1900, 1, 1).expect("a date");
    let last = NaiveDate::from_ymd_opt(2200, 12, 31).expect("a date");
    (0..=(last - first).num_days() as u64).prop_map(move |n| first + Days::new(n))
}

/// A date as people and spreadsheets write it: 2023-04-20, 2023/4/20, 2023.4.20,
/// 2023年4月20日, full-width, or in the era (令和5年4月20日（木）).
fn typed_date() -> impl Strategy<Value = (NaiveDate, String)> {
    (date_in_range(), 0..6usize, any::<bool>()).prop_map(|(date, form, spaced)| {
        let typed = match form {
            0 => date.format("%Y-%m-%d").to_string(),
            1 => date.format("%Y/%-m/%-d").to_string(),
            2 => date.format("%Y.%-m.%-d").to_string(),
            3 => date.format("%Y年%-m月%-d日").to_string(),
            4 => full_width(&date.format("%Y-%m-%d").to_string()),
            _ => wareki::format_date_ja(date),
        };
        (date, if spaced { format!(" {typed}　") } else { typed })
    })
}

mod dates;
mod markdown;
mod rosters;
mod search;
