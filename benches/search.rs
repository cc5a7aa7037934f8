//! The search index at scale: builds an index of generated Japanese documents and times
//! queries of the kinds people type (a two-kanji word, a longer phrase, a katakana word in
//! hiragana, two words, a Latin word, one kanji, a word found nowhere).
//!
//! Two corpora: "varied" (5,000 nouns drawn Zipf-like, the center's among them, so a word
//! is in a few documents in a hundred) and "dense" (the center's 50 nouns only: each in
//! about a quarter of all documents, the worst case for a query).
//!
//! `cargo bench --bench search -- 100000 1000000` prints, for each corpus and size, the
//! build time and the latency of 1,000 queries (p50, p99, slowest) and how many hits they
//! found; `SEARCH_BENCH_EACH=1` adds each query's median.

use std::time::{Duration, Instant};

use socialhub::search::{Doc, Index, Kind, Query};
use socialhub::tenant::TenantId;

/// A small deterministic generator (xorshift), so every run indexes the same text.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const NOUNS: &[&str] = &[
    "居住支援",
    "防災",
    "町内会",
    "子ども食堂",
    "空き家",
    "高齢者",
    "見守り",
    "地域包括",
    "市民活動",
    "情報交換会",
    "ボランティア",
    "プロボノ",
    "ロードマップ",
    "ワークショップ",
    "社会福祉協議会",
    "不動産会社",
    "大学生",
    "行政職員",
    "外国人住民",
    "日本語教室",
    "避難所",
    "防災訓練",
    "子育て",
    "介護",
    "孤立",
    "居場所",
    "公園",
    "図書館",
    "商店街",
    "若林区",
    "青葉区",
    "宮城野区",
    "太白区",
    "泉区",
    "仙台市",
    "多賀城",
    "石巻",
    "名取",
    "相談窓口",
    "寄付",
    "助成金",
    "担い手",
    "後継者",
    "自治会",
    "NPO",
    "DX",
    "SDGs",
    "アンケート",
    "オンライン",
    "ハイブリッド",
];
const VERBS: &[&str] = &[
    "を考えます",
    "について話し合いました",
    "の事例を紹介します",
    "に取り組んでいます",
    "が課題です",
    "を進めたい",
    "の担い手が足りません",
    "を支える仕組みをつくります",
    "について学びました",
    "の声を集めます",
];
const LINKS: &[&str] = &["と", "の", "や", "における", "をめぐる", "から見た"];

/// Kanji that make the varied corpus's other words, two or three at a time.
const KANJI: &str = "安全生活環境交通医療教育文化観光農業漁業商業工業情報通信研究開発計画調査報告資料会議委員学習体験交流協働参加支援相談福祉健康食品住宅土地建物道路河川森林海岸公共施設運営管理事業予算決算制度条例政策評価改善推進促進連携協力共同地域社会家庭学校職場病院駅前中心周辺全体個別長期短期将来現在過去新規継続変更検討実施確認";

/// The nouns of a corpus: the center's own, and for the varied corpus thousands more,
/// each drawn with a Zipf-like weight (the n-th word n times rarer than the first), so
/// that a word is in a few documents in a hundred, as in real text, not in a quarter.
struct Vocabulary {
    words: Vec<String>,
    /// Cumulative weights, for drawing.
    weights: Vec<f64>,
}

impl Vocabulary {
    fn dense() -> Vocabulary {
        let words: Vec<String> = NOUNS.iter().map(|w| (*w).to_owned()).collect();
        let weights = (1..=words.len()).map(|i| i as f64).collect();
        Vocabulary { words, weights }
    }

    fn varied(r: &mut Rng) -> Vocabulary {
        let kanji: Vec<char> = KANJI.chars().collect();
        let mut words: Vec<String> = Vec::new();
        while words.len() < 5_000 {
            let n = 2 + (r.next() % 2) as usize;
            words.push((0..n).map(|_| kanji[(r.next() % kanji.len() as u64) as usize]).collect());
        }
        // The center's words among them, from the common to the rare.
        for (i, w) in NOUNS.iter().enumerate() {
            words[i * 97 + 3] = (*w).to_owned();
        }
        let mut total = 0.0;
        let weights = (1..=words.len())
            .map(|rank| {
                total += 1.0 / rank as f64;
                total
            })
            .collect();
        Vocabulary { words, weights }
    }

    fn pick(&self, r: &mut Rng) -> &str {
        let last = self.weights[self.weights.len() - 1];
        let x = (r.next() % 1_000_000_007) as f64 / 1_000_000_007.0 * last;
        let i = self.weights.partition_point(|w| *w < x).min(self.words.len() - 1);
        &self.words[i]
    }
}

fn sentence(r: &mut Rng, v: &Vocabulary) -> String {
    let (a, b) = (v.pick(r).to_owned(), v.pick(r).to_owned());
    format!("{a}{}{b}{}。", r.pick(LINKS), r.pick(VERBS))
}

fn document(r: &mut Rng, v: &Vocabulary, id: i64) -> Doc {
    let (a, b) = (v.pick(r).to_owned(), v.pick(r).to_owned());
    let title = format!("{a}{}{b}", r.pick(LINKS));
    let sentences = 3 + (r.next() % 6) as usize;
    let body: String = (0..sentences).map(|_| sentence(r, v)).collect();
    let kinds = [Kind::Event, Kind::Issue, Kind::Lab, Kind::Roadmap, Kind::Consultation];
    Doc {
        tenant: TenantId(1),
        kind: kinds[(r.next() % 5) as usize],
        id,
        title,
        body,
        tags: vec![r.pick(&["防災", "福祉", "子ども", "まちづくり"]).to_owned()],
        date: chrono::DateTime::from_timestamp(1_600_000_000 + (r.next() % 200_000_000) as i64, 0).unwrap(),
        url: format!("/issues/{id}"),
    }
}

const QUERIES: &[&str] = &[
    "防災",
    "居住支援",
    "ぼらんてぃあ",
    "町内会 担い手",
    "NPO",
    "避難所における",
    "空き家の事例",
    "区",
    "孤立 見守り",
    "存在しないことば",
    "子ども食堂",
    "ﾜｰｸｼｮｯﾌﾟ",
    "仙台市",
    "DX 行政職員",
    "相談窓口から見た",
    "NPO法",
];

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

fn main() -> anyhow::Result<()> {
    let sizes: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let sizes = if sizes.is_empty() { vec![100_000] } else { sizes };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    for (corpus, n) in ["varied", "dense"].into_iter().flat_map(|c| sizes.iter().map(move |n| (c, *n))) {
        let mut r = Rng(0x9E37_79B9_7F4A_7C15);
        let vocabulary = if corpus == "dense" { Vocabulary::dense() } else { Vocabulary::varied(&mut r) };
        let started = Instant::now();
        let docs = (0..n as i64).map(|id| document(&mut r, &vocabulary, id));
        let index = Index::of_documents(docs, threads)?;
        let built = started.elapsed();
        println!("segments: {:?}", index.segment_sizes());
        let mut times = Vec::with_capacity(1_000);
        let mut hits = 0usize;
        for i in 0..1_000 {
            let q = Query { text: QUERIES[i % QUERIES.len()].to_owned(), limit: 20, ..Query::default() };
            let t = Instant::now();
            let found = index.search_now(TenantId(1), &q)?;
            times.push(t.elapsed());
            hits += found.total;
        }
        if std::env::var_os("SEARCH_BENCH_EACH").is_some() {
            for (i, q) in QUERIES.iter().enumerate() {
                let mut own: Vec<Duration> = times.iter().skip(i).step_by(QUERIES.len()).copied().collect();
                own.sort_unstable();
                let found =
                    index.search_now(TenantId(1), &Query { text: (*q).to_owned(), limit: 20, ..Query::default() })?;
                println!("  {q}: p50 {:.2} ms, {} hits", percentile(&own, 0.5).as_secs_f64() * 1e3, found.total);
            }
        }
        times.sort_unstable();
        println!(
            "{corpus} corpus, {n} documents ({threads} threads): built in {:.1} s ({} indexed); 1,000 queries: p50 {:.2} ms, p99 {:.2} ms, slowest {:.2} ms; {} hits in all",
            built.as_secs_f64(),
            index.len(),
            percentile(&times, 0.50).as_secs_f64() * 1e3,
            percentile(&times, 0.99).as_secs_f64() * 1e3,
            times.last().unwrap().as_secs_f64() * 1e3,
            hits,
        );
    }
    Ok(())
}
