//! Public events as open data in the government's recommended layout for event lists
//! (自治体標準オープンデータセット「イベント一覧」): CSV with its columns in its order, and
//! JSON with the same keys, so a city's open-data portal can take them as they are.

use super::Event;
use crate::i18n::wareki;
use crate::spreadsheet::defuse;

/// The columns of the standard, in order.
pub const COLUMNS: [&str; 32] = [
    "都道府県コード又は市区町村コード",
    "NO",
    "都道府県名",
    "市区町村名",
    "イベント名",
    "イベント名_カナ",
    "イベント名_英語",
    "開始日",
    "終了日",
    "開始時間",
    "終了時間",
    "開始日時特記事項",
    "説明",
    "料金(基本)",
    "料金(詳細)",
    "連絡先名称",
    "連絡先電話番号",
    "連絡先内線番号",
    "主催者",
    "場所名称",
    "住所",
    "方書",
    "緯度",
    "経度",
    "アクセス方法",
    "駐車場情報",
    "定員",
    "参加申込終了日",
    "参加申込終了時間",
    "参加申込方法",
    "URL",
    "備考",
];

/// Who publishes the data.
#[derive(Clone, Debug, Default)]
pub struct Publisher {
    /// 全国地方公共団体コード (e.g. 041009 for Sendai).
    pub municipality_code: String,
    pub prefecture: String,
    pub municipality: String,
    /// The center's name, as organiser and contact.
    pub center: String,
    /// The center's contact phone.
    pub phone: String,
}

impl Publisher {
    /// The center `name` where `locality` says (the secretariat's センターの所在地と連絡先).
    pub fn of(name: &str, locality: &crate::tenant::Locality) -> Publisher {
        Publisher {
            municipality_code: locality.municipality_code.clone(),
            prefecture: locality.prefecture().to_owned(),
            municipality: locality.municipality.clone(),
            center: name.to_owned(),
            phone: locality.phone.clone(),
        }
    }
}

/// One event as the standard's row (values in [`COLUMNS`] order).
pub fn row(publisher: &Publisher, event: &Event, base_url: &str) -> Vec<String> {
    let tz = wareki::jst();
    let start = event.starts_at.with_timezone(&tz);
    let end = event.ends_at.with_timezone(&tz);
    let mut organisers = vec![publisher.center.clone()];
    organisers.extend(event.cohosts.iter().cloned());
    // A session imported from a roster knows where people took part, not the venue's name.
    let modes = event.place_modes();
    let venue = if event.venue.is_empty() { "会場".to_owned() } else { event.venue.clone() };
    let place = match (modes.contains(&super::Mode::Venue), modes.contains(&super::Mode::Online)) {
        (true, true) => format!("{venue}／オンライン"),
        (true, false) => venue,
        (false, true) => "オンライン".to_owned(),
        (false, false) => String::new(),
    };
    let capacity: Vec<String> = event
        .modes()
        .into_iter()
        .filter_map(|m| {
            event.capacity(m).map(|c| format!("{}{c}名", if m == super::Mode::Venue { "会場" } else { "オンライン" }))
        })
        .collect();
    let registration_end = match event.registration_closes_at {
        Some(t) if t < event.ends_at => (t - chrono::Duration::minutes(1)).with_timezone(&tz),
        _ => end,
    };
    let url = format!("{base_url}/events/{}", event.id.0);
    let mut note = Vec::new();
    if event.status == super::Status::Cancelled {
        note.push("中止".to_owned());
    }
    if event.anonymous {
        note.push("顔出しなし・匿名で参加できます".to_owned());
    }
    vec![
        publisher.municipality_code.clone(),
        event.id.0.to_string(),
        publisher.prefecture.clone(),
        publisher.municipality.clone(),
        event.title.clone(),
        String::new(),
        String::new(),
        start.format("%Y-%m-%d").to_string(),
        end.format("%Y-%m-%d").to_string(),
        start.format("%H:%M").to_string(),
        end.format("%H:%M").to_string(),
        String::new(),
        crate::markdown::markdown_to_text(&event.description),
        if event.fee_yen == 0 {
            "無料".to_owned()
        } else {
            format!("{}円", crate::i18n::group_digits(event.fee_yen))
        },
        String::new(),
        publisher.center.clone(),
        publisher.phone.clone(),
        String::new(),
        organisers.join("、"),
        place,
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        capacity.join("、"),
        // Registration stays open until the deadline, or else until the session ends (late
        // online joiners register); a deadline is the end of its day, written 23:59.
        registration_end.format("%Y-%m-%d").to_string(),
        registration_end.format("%H:%M").to_string(),
        "ウェブサイトから申し込み".to_owned(),
        url,
        note.join("。"),
    ]
}

/// The CSV: UTF-8 with BOM, CRLF, header row first. Formula-like cells (a title typed as
/// `=HYPERLINK(…)`) are written as text, as in every export people open in a spreadsheet.
///
/// # Errors
/// Only if writing to memory fails.
pub fn to_csv(publisher: &Publisher, events: &[Event], base_url: &str) -> anyhow::Result<Vec<u8>> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(&mut out);
        w.write_record(COLUMNS)?;
        for e in events {
            w.write_record(row(publisher, e, base_url).into_iter().map(defuse))?;
        }
        w.flush()?;
    }
    Ok(out)
}

/// The JSON: an array of objects keyed by the standard's column names, the values as they
/// are (programs read JSON, and no spreadsheet runs it as formulas).
pub fn to_json(publisher: &Publisher, events: &[Event], base_url: &str) -> serde_json::Value {
    serde_json::Value::Array(
        events
            .iter()
            .map(|e| {
                let map: serde_json::Map<String, serde_json::Value> = COLUMNS
                    .iter()
                    .zip(row(publisher, e, base_url))
                    .map(|(k, v)| ((*k).to_owned(), serde_json::Value::String(v)))
                    .collect();
                serde_json::Value::Object(map)
            })
            .collect(),
    )
}
