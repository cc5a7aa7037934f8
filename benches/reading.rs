//! Reading a consultation's comments at scale (issue 19): 5,000 comments on one
//! consultation, folded and grouped by `consultation::read` as the workbench does
//! (`reading::fold` for the copies, then `reading::group` on the entries, paragraph by
//! paragraph), with no group kept by the lab (every comment grouped by the words), in
//! memory: the database read that comes before it is not measured.
//!
//! The comments (not timed; a seeded generator, so every run makes the same ones) are made
//! from our own two consultations (`tests/fixtures/consultations/kyoju.csv` and
//! `chonaikai.csv`, read at start with their themes): three in ten echo a fixture comment
//! (all of it or a run of its sentences), the others mix a sentence of one with one to
//! three of other comments of the same theme (now and then of another theme of the same
//! paragraph); endings, connectives and words said another way (してください / してほしい,
//! と思います / と考えます, 高齢者 / お年寄り…); a personal opening (若林区に住む七十代の
//! 年金生活者です。) or a closing (ご検討ください。) now and then; a few are one short line
//! (賛成です。). Among them three form letters of our own, copied 300, 200 and 100 times, a
//! tenth of each letter's copies with one sentence changed. Their order is shuffled; most
//! came through the page (some signed, some anonymous), the others on paper, by post,
//! mail, fax or at the venue.
//!
//! Two layouts of the same 5,000 texts, measured separately: (a) every comment on one
//! paragraph, the worst case for the grouping, which compares every entry of a paragraph
//! with every other; (b) the comments on the eight paragraphs their fixture comments were
//! written for (kyoju's four, chonaikai's first three, its last two as the eighth).
//!
//! What is measured is checked before any figure is printed: every comment is in exactly
//! one entry, on its paragraph, its text as written; each form letter's copies (identical
//! and changed) are one entry of exactly those comments; every paragraph has more than one
//! group and fewer groups than entries.
//!
//! `cargo bench --bench reading [-- COMMENTS ROUNDS]` (5000 5 by default) prints, for each
//! layout, the entries and groups found, the wall-clock time of `read` over ROUNDS rounds after one
//! not timed (median and slowest), where the time goes (`fold` and `group` timed apart),
//! whether every round found the same groups, the process's peak memory and the cores.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use socialhub::consultation::{Channel, Comment, CommentId, Reading, Status, read, reading};

/// How many comments by default, the form letters' copies among them.
const COMMENTS: usize = 5_000;
/// The aim (issue 19): folding and grouping 5,000 comments in under 10 s on 2 cores.
const AIM: Duration = Duration::from_secs(10);

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/consultations/");

/// A small deterministic generator (xorshift), so every run makes the same comments.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// A fixture comment: the paragraph it is on in layout (b), its theme, its sentences.
struct Source {
    paragraph: i64,
    theme: String,
    sentences: Vec<String>,
}

/// Sentences as written, each with its closing mark (。！？); what follows the last mark
/// is a sentence too.
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        current.push(c);
        if matches!(c, '。' | '！' | '？' | '!' | '?') {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.trim().is_empty() {
        out.push(current);
    }
    out
}

/// The fixture comments of both consultations, each text once (the fixtures' own form
/// letters would otherwise be copied into thousands of near copies).
fn sources() -> Vec<Source> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for (name, first_paragraph) in [("kyoju", 0), ("chonaikai", 4)] {
        let themes: Vec<String> = std::fs::read_to_string(format!("{FIXTURES}{name}.themes.txt"))
            .expect("the fixture's themes")
            .lines()
            .map(str::to_owned)
            .collect();
        let mut reader = csv::Reader::from_path(format!("{FIXTURES}{name}.csv")).expect("the fixture's comments");
        let records: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a fixture row")).collect();
        assert_eq!(records.len(), themes.len(), "{name}: a theme for every comment");
        for (record, theme) in records.iter().zip(themes) {
            let paragraph: i64 = record[0].parse().expect("a paragraph number");
            let text = record[1].to_owned();
            if seen.insert(text.clone()) {
                // chonaikai's five paragraphs as the consultation's 5–8 (its 4 and 5 as 8).
                let paragraph = (first_paragraph + paragraph).min(8);
                out.push(Source { paragraph, theme: format!("{name}:{theme}"), sentences: sentences(&text) });
            }
        }
    }
    out
}

/// Endings said another way: (how a sentence ends, what it may end with instead).
const ENDINGS: &[(&str, &[&str])] = &[
    (
        "てください。",
        &["てほしい。", "てほしいです。", "ていただきたい。", "ていただけないでしょうか。", "てもらいたいです。"],
    ),
    ("てほしい。", &["てください。", "てほしいです。", "ていただきたいです。", "てもらえるとありがたい。"]),
    ("てほしいです。", &["てください。", "てほしい。", "ていただきたいと思います。"]),
    ("と思います。", &["と考えます。", "と感じています。", "と思う。", "と私は思います。"]),
    ("と思う。", &["と思います。", "と考える。", "と思っている。"]),
    ("と考えます。", &["と思います。", "と考えています。", "と考える。"]),
    ("べきです。", &["べきだ。", "べきではないでしょうか。", "べきだと思います。"]),
    ("べきだ。", &["べきです。", "べきだと思う。"]),
    ("です。", &["ですね。", "です！"]),
    ("ません。", &["ません！", "ませんね。"]),
];

/// Connectives, particles and words said another way, wherever they first occur.
const WORDS: &[(&str, &[&str])] = &[
    ("ただ、", &["しかし、", "とはいえ、", "ただし、"]),
    ("また、", &["それから、", "加えて、", "さらに、"]),
    ("とても", &["非常に", "本当に", "すごく"]),
    ("ので、", &["から、", "ため、"]),
    ("について", &["に関して"]),
    ("けれど", &["けど", "が"]),
    ("だけでなく", &["だけではなく", "ばかりでなく"]),
    ("大切", &["大事"]),
    ("高齢者", &["お年寄り", "高齢の方"]),
    ("子ども", &["子供"]),
    ("スマートフォン", &["スマホ"]),
    ("私は", &["わたしは", "私としては"]),
    ("ぜひ", &["是非", "どうか"]),
];

/// A sentence said another way, now and then; `force` tries every rule.
fn reword(r: &mut Rng, sentence: &str, force: bool) -> String {
    let mut s = sentence.to_owned();
    for (from, to) in ENDINGS {
        if s.ends_with(from) {
            if force || r.chance(0.5) {
                s.truncate(s.len() - from.len());
                s.push_str(r.pick(to));
            }
            break;
        }
    }
    for (from, to) in WORDS {
        if s.contains(from) && (force || r.chance(0.3)) {
            s = s.replacen(from, r.pick(to), 1);
        }
    }
    s
}

const WARDS: &[&str] = &["青葉区", "宮城野区", "若林区", "太白区", "泉区", "若林区荒井", "泉区の団地"];
const AGES: &[&str] = &["二十", "三十", "四十", "五十", "六十", "七十", "八十"];
const ROLES: &[&str] = &[
    "会社員",
    "主婦",
    "年金生活者",
    "自営業の者",
    "看護師",
    "介護職員",
    "大学生",
    "パート勤めの母親",
    "町内会の班長",
    "民生委員",
    "アパートの大家",
    "不動産業の者",
    "子育て中の父親",
    "一人暮らしの者",
];
const GREETINGS: &[&str] = &[
    "説明会に参加した者です。",
    "ロードマップを拝見しました。",
    "いつも活動お疲れさまです。",
    "ひとこと意見を述べます。",
    "市政だよりで知り、意見を送ります。",
    "初めて意見を出します。",
    "回覧で案内を見ました。",
];
const CLOSINGS: &[&str] = &[
    "よろしくお願いします。",
    "よろしくお願いいたします。",
    "ご検討ください。",
    "前向きなご検討をお願いします。",
    "期待しています。",
    "応援しています。",
    "以上です。",
    "住民の声をよく聞いて進めてください。",
    "どうか実現してください。",
    "結果をきちんと公表してください。",
];
/// One short line, as some people write.
const SHORT: &[&str] = &[
    "賛成です。",
    "反対です。",
    "良い取り組みだと思います。",
    "特にありません。",
    "よく分からない。",
    "期待しています。",
    "賛成。",
    "もっと説明してほしい。",
    "早く進めてください。",
    "予算の無駄だと思う。",
];
const SURNAMES: &[&str] = &[
    "佐藤",
    "鈴木",
    "高橋",
    "田中",
    "伊藤",
    "渡辺",
    "山本",
    "中村",
    "小林",
    "加藤",
    "吉田",
    "山田",
    "佐々木",
    "阿部",
    "菅原",
];
const GIVEN: &[&str] = &["花子", "太郎", "美穂", "健一", "幸子", "誠", "由美", "大輔", "恵子", "翔", "和子", "博"];

/// Who the writer is, as people open a comment.
fn opening(r: &mut Rng) -> String {
    match r.below(5) {
        0 => format!("{}に住む{}代の{}です。", r.pick(WARDS), r.pick(AGES), r.pick(ROLES)),
        1 => format!("{}で{}年暮らしています。", r.pick(WARDS), 2 + r.below(50)),
        2 => format!("{}をしております。", r.pick(ROLES)),
        3 => format!("{}{}代の{}です。", r.pick(GREETINGS), r.pick(AGES), r.pick(ROLES)),
        _ => (*r.pick(GREETINGS)).to_owned(),
    }
}

/// One ordinary comment: its paragraph in layout (b) and its text.
fn comment(
    r: &mut Rng,
    sources: &[Source],
    by_theme: &HashMap<&str, Vec<usize>>,
    by_paragraph: &HashMap<i64, Vec<usize>>,
) -> (i64, String) {
    let source = &sources[r.below(sources.len())];
    if r.chance(0.03) {
        return (source.paragraph, (*r.pick(SHORT)).to_owned());
    }
    let mut said: Vec<String> = Vec::new();
    if r.chance(0.3) {
        // Its own sentences, all or a run of them, as someone echoing it.
        let n = source.sentences.len();
        let (from, to) = if n > 1 && r.chance(0.4) {
            let from = r.below(n);
            (from, from + 1 + r.below(n - from))
        } else {
            (0, n)
        };
        said.extend_from_slice(&source.sentences[from..to]);
    } else {
        // Its writer's own mix: a sentence of it and of two or three others of the same
        // theme, now and then one of another theme of the same paragraph.
        said.push(source.sentences[r.below(source.sentences.len())].clone());
        let extra = 1 + r.below(3);
        for _ in 0..extra {
            let pool = if r.chance(0.15) { &by_paragraph[&source.paragraph] } else { &by_theme[source.theme.as_str()] };
            let other = &sources[r.pick(pool)];
            let sentence = other.sentences[r.below(other.sentences.len())].clone();
            if !said.contains(&sentence) {
                let at = r.below(said.len() + 1);
                said.insert(at, sentence);
            }
        }
    }
    let mut text = String::new();
    if r.chance(0.45) {
        text.push_str(&opening(r));
    }
    let breaks = r.chance(0.1);
    for s in &said {
        text.push_str(&reword(r, s, false));
        if breaks {
            text.push('\n');
        }
    }
    if r.chance(0.35) {
        text.push_str(r.pick(CLOSINGS));
    }
    (source.paragraph, text.trim_end().to_owned())
}

/// The form letters: their paragraph in layout (b), text, and copies.
const LETTERS: [(i64, &str, usize); 3] = [
    (
        1,
        "私たちは、住まいに困っている人が誰でも気軽に相談できる窓口を求めます。現在の相談窓口は平日の昼間しか開いておらず、働いている人や子育て中の人は利用できません。居住支援ラボのロードマップには、夜間と土日の相談日を設けることを明記してください。また、足の悪い高齢者や障害のある方のために、団地の集会所や地区の市民センターへの出張相談を定期的に行ってください。相談員には福祉と不動産の両方に詳しい人を配置し、たらい回しにしないでください。電話やオンラインでも予約なしで相談できる体制を整えてください。誰一人取り残さない住まいの支援を、心から望みます。",
        300,
    ),
    (
        7,
        "防災訓練と要支援者名簿について意見を述べます。大きな地震の際、最初に助け合うのは隣近所の住民です。年に一度の訓練では、避難所の開設から受付、食料の配布までを住民自身が実際に体験できるようにしてください。訓練は休日だけでなく夜間にも行い、停電や断水を想定した内容を加えてください。要支援者名簿は、本人の同意を得たうえで作成し、保管する人と閲覧できる人を規約で明確に定めてください。名簿は少なくとも年に一度更新し、転居や入院などの変化を反映させてください。住民の命を守るため、市と町内会が責任をもって取り組むことを求めます。",
        200,
    ),
    (
        8,
        "町内会とNPO、企業、大学との連携について意見を申し上げます。地域の担い手が減るなか、外部の力を借りることには賛成します。ただし、連携が特定の企業の宣伝や営業の場にならないよう、協力の条件をあらかじめ文書で取り決めてください。大学生ボランティアには交通費と保険を用意し、活動の前に地域の歴史や高齢者との接し方を学ぶ研修を行ってください。連携の窓口を役員一人に任せるのではなく、複数の住民で担う体制を作ってください。連携の成果と費用は毎年住民に報告してください。顔の見える関係を長く続けられる連携を望みます。",
        100,
    ),
];

/// A copy of a letter with one sentence changed: said another way, or the writer's own.
fn changed_copy(r: &mut Rng, letter: &str) -> String {
    let mut said = sentences(letter);
    let at = 1 + r.below(said.len() - 1);
    let reworded = reword(r, &said[at], true);
    said[at] = if reworded != said[at] && r.chance(0.5) { reworded } else { opening(r) };
    said.concat()
}

/// The generated consultation: its comments (ids 1..=n in the order they came) and each
/// form letter's copies.
struct Generated {
    comments: Vec<Comment>,
    letters: Vec<Vec<CommentId>>,
    changed: Vec<usize>,
}

fn generate(n: usize) -> Generated {
    let sources = sources();
    let mut by_theme: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_paragraph: HashMap<i64, Vec<usize>> = HashMap::new();
    for (i, s) in sources.iter().enumerate() {
        by_theme.entry(s.theme.as_str()).or_default().push(i);
        by_paragraph.entry(s.paragraph).or_default().push(i);
    }
    let mut r = Rng(0x9E37_79B9_7F4A_7C15);
    // (paragraph, text, which letter).
    let mut made: Vec<(i64, String, Option<usize>)> = Vec::with_capacity(n);
    let mut changed = vec![0; LETTERS.len()];
    for (k, (paragraph, letter, copies)) in LETTERS.iter().enumerate() {
        for c in 0..*copies {
            // Every tenth copy with a sentence changed.
            let text = if c % 10 == 9 {
                changed[k] += 1;
                changed_copy(&mut r, letter)
            } else {
                (*letter).to_owned()
            };
            made.push((*paragraph, text, Some(k)));
        }
    }
    assert!(n > made.len(), "more comments than the form letters' copies");
    while made.len() < n {
        let (paragraph, text) = comment(&mut r, &sources, &by_theme, &by_paragraph);
        made.push((paragraph, text, None));
    }
    // In the order they came.
    for i in (1..made.len()).rev() {
        let j = r.below(i + 1);
        made.swap(i, j);
    }
    let opened: DateTime<Utc> = Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).unwrap();
    let mut letters = vec![Vec::new(); LETTERS.len()];
    let comments = made
        .into_iter()
        .enumerate()
        .map(|(i, (paragraph, body, letter))| {
            let id = CommentId(i as i64 + 1);
            if let Some(k) = letter {
                letters[k].push(id);
            }
            let channel = match r.below(20) {
                0..=13 => Channel::Web,
                14 | 15 => Channel::Paper,
                16 => Channel::Post,
                17 => Channel::Mail,
                18 => Channel::Fax,
                _ => Channel::Venue,
            };
            let author =
                (channel != Channel::Web || r.chance(0.6)).then(|| format!("{} {}", r.pick(SURNAMES), r.pick(GIVEN)));
            Comment {
                id,
                paragraph,
                author,
                body,
                status: Status::Published,
                response_id: None,
                // Thirty days' window, in the order they came.
                created_at: opened + chrono::Duration::seconds((i as i64) * 30 * 86_400 / n as i64),
                channel,
                kept_apart: false,
                out_of_scope: false,
                group_id: None,
            }
        })
        .collect();
    Generated { comments, letters, changed }
}

/// What a reading found: entries and groups, in all and per paragraph.
struct Found {
    entries: usize,
    /// Entries of one comment; the largest other than the form letters' (count, text).
    single: usize,
    largest: Vec<(usize, String)>,
    groups: usize,
    per_paragraph: Vec<(i64, usize, usize, usize)>,
}

/// Checks a reading against the comments it read; panics on anything wrong.
fn check(layout: &str, comments: &[Comment], letters: &[Vec<CommentId>], reading: &Reading) -> Found {
    let mut seen = vec![false; comments.len()];
    let mut entry_of: HashMap<CommentId, Vec<CommentId>> = HashMap::new();
    let mut found = Found { entries: 0, single: 0, largest: Vec::new(), groups: 0, per_paragraph: Vec::new() };
    let letter_ids: HashSet<CommentId> = letters.iter().flatten().copied().collect();
    for p in &reading.paragraphs {
        let (mut entries, mut held) = (0, 0);
        for g in &p.groups {
            assert!(!g.entries.is_empty(), "{layout}: an empty group on paragraph {}", p.paragraph);
            for e in &g.entries {
                assert!(
                    e.count == e.texts.len() && e.count == e.comments.len() && e.count > 0,
                    "{layout}: an entry's count {} against {} texts and {} comments",
                    e.count,
                    e.texts.len(),
                    e.comments.len()
                );
                assert_eq!(e.text, e.texts[0], "{layout}: an entry's text is its first comment's");
                for (text, id) in e.texts.iter().zip(&e.comments) {
                    let at = usize::try_from(id.0 - 1).expect("a generated id");
                    let c = comments.get(at).unwrap_or_else(|| panic!("{layout}: comment {} was not generated", id.0));
                    assert_eq!(c.paragraph, p.paragraph, "{layout}: comment {} read on another paragraph", id.0);
                    assert_eq!(text, &c.body, "{layout}: comment {}'s text changed", id.0);
                    assert!(!seen[at], "{layout}: comment {} in two entries", id.0);
                    seen[at] = true;
                    entry_of.insert(*id, e.comments.clone());
                    held += 1;
                }
                entries += 1;
                if e.count == 1 {
                    found.single += 1;
                } else if !letter_ids.contains(&e.comments[0]) {
                    found.largest.push((e.count, e.text.clone()));
                }
            }
        }
        let groups = p.groups.len();
        assert!(
            groups > 1 && groups < entries,
            "{layout}: paragraph {} has {groups} groups of {entries} entries",
            p.paragraph
        );
        found.entries += entries;
        found.groups += groups;
        found.per_paragraph.push((p.paragraph, held, entries, groups));
    }
    found.largest.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    found.largest.truncate(3);
    let missing = seen.iter().filter(|s| !**s).count();
    assert_eq!(missing, 0, "{layout}: {missing} comments in no entry");
    for (k, copies) in letters.iter().enumerate() {
        let mut entry = entry_of[&copies[0]].clone();
        let mut expected = copies.clone();
        entry.sort_unstable_by_key(|c| c.0);
        expected.sort_unstable_by_key(|c| c.0);
        assert_eq!(
            entry.len(),
            expected.len(),
            "{layout}: form letter {} ({} copies) folded into an entry of {}",
            k + 1,
            expected.len(),
            entry.len()
        );
        assert_eq!(entry, expected, "{layout}: form letter {}'s entry holds other comments", k + 1);
    }
    found
}

/// The groups a reading found, as comment ids, to compare rounds.
fn shape(reading: &Reading) -> Vec<Vec<Vec<i64>>> {
    reading
        .paragraphs
        .iter()
        .map(|p| {
            let mut groups: Vec<Vec<i64>> = p
                .groups
                .iter()
                .map(|g| {
                    let mut ids: Vec<i64> = g.entries.iter().flat_map(|e| e.comments.iter().map(|c| c.0)).collect();
                    ids.sort_unstable();
                    ids
                })
                .collect();
            groups.sort();
            groups
        })
        .collect()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// The median and the slowest of some times.
fn median_max(times: &[Duration]) -> (Duration, Duration) {
    let mut t = times.to_vec();
    t.sort_unstable();
    (t[t.len() / 2], t[t.len() - 1])
}

/// `fold` and `group` timed apart, as `read` calls them on each paragraph.
fn parts(comments: &[Comment]) -> (Duration, Duration) {
    let mut paragraphs: Vec<i64> = comments.iter().map(|c| c.paragraph).collect();
    paragraphs.sort_unstable();
    paragraphs.dedup();
    let (mut folding, mut grouping) = (Duration::ZERO, Duration::ZERO);
    for p in paragraphs {
        let texts: Vec<&str> = comments.iter().filter(|c| c.paragraph == p).map(|c| c.body.as_str()).collect();
        let apart = vec![false; texts.len()];
        let t = Instant::now();
        let folds = reading::fold(&texts, &apart);
        folding += t.elapsed();
        let firsts: Vec<&str> = folds.iter().map(|f| texts[f[0]]).collect();
        let weights: Vec<usize> = folds.iter().map(Vec::len).collect();
        let t = Instant::now();
        let groups = reading::group(&firsts, &weights);
        grouping += t.elapsed();
        assert!(!groups.is_empty());
    }
    (folding, grouping)
}

/// The process's peak resident memory, from /proc (Linux).
fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| l["VmHWM:".len()..].trim().to_owned()))
        .unwrap_or_else(|| "unknown".to_owned())
}

fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let n = args.first().copied().unwrap_or(COMMENTS);
    let rounds = args.get(1).copied().unwrap_or(5).max(1);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let t = Instant::now();
    let generated = generate(n);
    let chars: usize = generated.comments.iter().map(|c| c.body.chars().count()).sum();
    println!(
        "{} comments generated in {:.2} s ({} characters, {:.0} a comment on average); form letters: {} copies ({} with a sentence changed)",
        generated.comments.len(),
        t.elapsed().as_secs_f64(),
        chars,
        chars as f64 / generated.comments.len() as f64,
        generated.letters.iter().map(|l| l.len().to_string()).collect::<Vec<_>>().join(", "),
        generated.changed.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
    );
    for id in [1usize, 2, 3] {
        println!("  e.g. #{id}: {}", generated.comments[id - 1].body.replace('\n', "⏎"));
    }
    println!("cores: {cores} (std::thread::available_parallelism); read runs on one thread");
    let layouts: [(&str, Vec<Comment>); 2] = [
        ("(a) one paragraph", generated.comments.iter().cloned().map(|c| Comment { paragraph: 1, ..c }).collect()),
        ("(b) eight paragraphs", generated.comments.clone()),
    ];
    for (layout, comments) in &layouts {
        // One round not timed, checked.
        let warm = read(comments, &[]);
        let found = check(layout, comments, &generated.letters, &warm);
        let first = shape(&warm);
        drop(warm);
        let mut times = Vec::with_capacity(rounds);
        let mut same = true;
        for _ in 0..rounds {
            let t = Instant::now();
            let reading = read(comments, &[]);
            times.push(t.elapsed());
            check(layout, comments, &generated.letters, &reading);
            same &= shape(&reading) == first;
        }
        let (median, max) = median_max(&times);
        let (folding, grouping) = parts(comments);
        println!(
            "{layout}: {} comments, {} entries ({} of one comment), {} groups",
            comments.len(),
            found.entries,
            found.single,
            found.groups
        );
        for (count, text) in &found.largest {
            println!("  a fold of {count} (not a form letter): {}", text.replace('\n', "⏎"));
        }
        for (p, held, entries, groups) in &found.per_paragraph {
            println!("  paragraph {p}: {held} comments, {entries} entries, {groups} groups");
        }
        println!(
            "  read, {rounds} rounds after one not timed: median {:.1} ms, slowest {:.1} ms (every round: {})",
            ms(median),
            ms(max),
            times.iter().map(|t| format!("{:.1}", ms(*t))).collect::<Vec<_>>().join(", "),
        );
        println!("  of it, one more pass timed apart: fold {:.1} ms, group {:.1} ms", ms(folding), ms(grouping));
        println!("  the same groups in every round: {}", if same { "yes" } else { "NO" });
        println!("  peak memory of the process so far: {}", peak_memory());
        println!(
            "  aim (under {} s on 2 cores): {}",
            AIM.as_secs(),
            if max < AIM {
                "met"
            } else if median < AIM {
                "met at the median, not by the slowest"
            } else {
                "NOT met"
            }
        );
    }
}
