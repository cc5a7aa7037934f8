//! Reading many comments at once, on the center's own server and from the words alone
//! (no model, nothing downloaded):
//!
//! - **Folding**: copies are one entry: the same text however written in width, case,
//!   spacing or punctuation, and near copies (a form letter with a line changed), found
//!   by the three-character pieces they share (MinHash candidates, then the exact
//!   Jaccard similarity of the two texts).
//! - **Grouping**: entries grouped by what they say: character bigrams of runs of kana and
//!   kanji and whole Latin words (as search reads text), weighted by TF-IDF, compared by
//!   cosine, joined by average linkage while the groups stay alike enough. Each group is
//!   shown by its most central entry, verbatim: nothing here writes a sentence.

use std::collections::HashMap;

/// Texts shorter than this (characters compared) fold only with the same text.
pub const NEAR_MIN_CHARS: usize = 30;
/// How much of their three-character pieces two texts must share (Jaccard) to be copies.
pub const NEAR_SIMILARITY: f64 = 0.6;
/// How alike (average cosine) two groups must be to be joined.
pub const GROUP_SIMILARITY: f32 = 0.1;

/// What of a text is compared: normalised as search compares (NFKC, lower case, katakana
/// as hiragana), letters and digits only.
fn compared(text: &str) -> String {
    crate::search::text::normalize(text).chars().filter(|c| c.is_alphanumeric()).collect()
}

/// A stable 64-bit mix (splitmix64's finaliser).
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// The text's three-character pieces, hashed, sorted, each once.
fn shingles(chars: &[char]) -> Vec<u64> {
    let mut out: Vec<u64> =
        chars.windows(3).map(|w| mix(u64::from(w[0]) ^ mix(u64::from(w[1]) ^ mix(u64::from(w[2]))))).collect();
    out.sort_unstable();
    out.dedup();
    out
}

fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - both;
    if union == 0 { 0.0 } else { both as f64 / union as f64 }
}

struct Sets(Vec<usize>);

impl Sets {
    fn new(n: usize) -> Sets {
        Sets((0..n).collect())
    }

    fn root(&mut self, mut i: usize) -> usize {
        while self.0[i] != i {
            self.0[i] = self.0[self.0[i]];
            i = self.0[i];
        }
        i
    }

    fn join(&mut self, a: usize, b: usize) {
        let (a, b) = (self.root(a), self.root(b));
        // The smaller index stays the root: a fold is named by its first comment.
        if a < b {
            self.0[b] = a;
        } else {
            self.0[a] = b;
        }
    }
}

/// MinHash bands: texts that agree on every row of some band are compared exactly.
const BANDS: usize = 32;
const ROWS: usize = 3;

/// Folds copies: each fold lists the indices of `texts` it holds, the first first; folds in
/// the order of their first text. A text `kept_apart` (a fold undone) is a fold of its own.
pub fn fold(texts: &[&str], kept_apart: &[bool]) -> Vec<Vec<usize>> {
    let mut sets = Sets::new(texts.len());
    let compared: Vec<Vec<char>> = texts.iter().map(|t| compared(t).chars().collect()).collect();
    // The same text: one fold.
    let mut first: HashMap<&[char], usize> = HashMap::new();
    let mut distinct = Vec::new();
    for (i, c) in compared.iter().enumerate() {
        if kept_apart.get(i).copied().unwrap_or(false) {
            continue;
        }
        match first.get(c.as_slice()) {
            Some(&f) => sets.join(f, i),
            None => {
                first.insert(c, i);
                distinct.push(i);
            }
        }
    }
    // Near copies among the distinct texts long enough to tell.
    let long: Vec<usize> = distinct.into_iter().filter(|&i| compared[i].len() >= NEAR_MIN_CHARS).collect();
    let pieces: HashMap<usize, Vec<u64>> = long.iter().map(|&i| (i, shingles(&compared[i]))).collect();
    let seeds: Vec<u64> = (0..BANDS * ROWS).map(|k| mix(k as u64 + 1)).collect();
    let mut buckets: HashMap<(usize, u64), Vec<usize>> = HashMap::new();
    for &i in &long {
        let set = &pieces[&i];
        let signature: Vec<u64> =
            seeds.iter().map(|s| set.iter().map(|x| mix(x ^ s)).min().unwrap_or(u64::MAX)).collect();
        for (band, rows) in signature.chunks(ROWS).enumerate() {
            let key = rows.iter().fold(band as u64, |h, r| mix(h ^ r));
            buckets.entry((band, key)).or_default().push(i);
        }
    }
    let mut compared_pairs = std::collections::HashSet::new();
    for members in buckets.values().filter(|m| m.len() > 1) {
        for (n, &a) in members.iter().enumerate() {
            for &b in &members[n + 1..] {
                if compared_pairs.insert((a, b)) && jaccard(&pieces[&a], &pieces[&b]) >= NEAR_SIMILARITY {
                    sets.join(a, b);
                }
            }
        }
    }
    let mut folds: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..texts.len() {
        let r = sets.root(i);
        folds.entry(r).or_default().push(i);
    }
    let mut out: Vec<Vec<usize>> = folds.into_values().collect();
    out.sort_by_key(|f| f[0]);
    out
}

/// A group of entries: their indices, and the one most like the others.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub members: Vec<usize>,
    pub central: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    Kanji,
    Katakana,
    Hiragana,
    Latin,
    Other,
}

fn script(c: char) -> Script {
    match c {
        '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '々' | '〆' => Script::Kanji,
        '\u{30A0}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}' => Script::Katakana,
        '\u{3040}'..='\u{309F}' => Script::Hiragana,
        c if c.is_alphanumeric() => Script::Latin,
        _ => Script::Other,
    }
}

/// The words that say what a text is about: each kanji, pair and triple of kanji in a
/// run, katakana words and Latin words whole (NFKC, lower case); hiragana, which mostly
/// carries grammar, is left out.
fn terms(text: &str) -> Vec<String> {
    use unicode_normalization::UnicodeNormalization;
    let chars: Vec<char> = text.nfkc().flat_map(char::to_lowercase).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let kind = script(chars[i]);
        let start = i;
        while i < chars.len() && (script(chars[i]) == kind || (kind == Script::Katakana && chars[i] == 'ー')) {
            i += 1;
        }
        let run = &chars[start..i];
        match kind {
            Script::Kanji => {
                out.extend(run.iter().map(char::to_string));
                out.extend(run.windows(2).map(|w| w.iter().collect()));
                out.extend(run.windows(3).map(|w| w.iter().collect()));
            }
            Script::Katakana | Script::Latin => out.push(run.iter().collect()),
            Script::Hiragana | Script::Other => {}
        }
    }
    out
}

/// Each text as a unit vector of its terms (sparse: term, weight), terms that only one
/// text has left out (they make nothing alike).
fn vectors(texts: &[&str]) -> Vec<Vec<(u32, f32)>> {
    let mut ids: HashMap<String, u32> = HashMap::new();
    let counts: Vec<HashMap<u32, u32>> = texts
        .iter()
        .map(|t| {
            let mut tf: HashMap<u32, u32> = HashMap::new();
            for term in terms(t) {
                let next = ids.len() as u32;
                *tf.entry(*ids.entry(term).or_insert(next)).or_default() += 1;
            }
            tf
        })
        .collect();
    let mut df = vec![0u32; ids.len()];
    for tf in &counts {
        for t in tf.keys() {
            df[*t as usize] += 1;
        }
    }
    let n = texts.len() as f32;
    counts
        .into_iter()
        .map(|tf| {
            let mut v: Vec<(u32, f32)> = tf
                .into_iter()
                .filter(|(t, _)| df[*t as usize] > 1)
                .map(|(t, c)| (t, (1.0 + (c as f32).ln()) * (n / df[t as usize] as f32).ln().max(0.0)))
                .filter(|(_, w)| *w > 0.0)
                .collect();
            let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
            if norm > 0.0 {
                for (_, w) in &mut v {
                    *w /= norm;
                }
            }
            v.sort_unstable_by_key(|(t, _)| *t);
            v
        })
        .collect()
}

/// The cosine of every pair, as one row-major matrix.
fn similarities(vectors: &[Vec<(u32, f32)>]) -> Vec<f32> {
    let n = vectors.len();
    let mut postings: HashMap<u32, Vec<(usize, f32)>> = HashMap::new();
    for (d, v) in vectors.iter().enumerate() {
        for &(t, w) in v {
            postings.entry(t).or_default().push((d, w));
        }
    }
    let mut s = vec![0f32; n * n];
    for list in postings.values() {
        for (k, &(a, wa)) in list.iter().enumerate() {
            for &(b, wb) in &list[k + 1..] {
                s[a * n + b] += wa * wb;
            }
        }
    }
    for a in 0..n {
        for b in a + 1..n {
            s[b * n + a] = s[a * n + b];
        }
        s[a * n + a] = 1.0;
    }
    s
}

/// Groups texts by what they say; `weights` (how many comments each stands for) order the
/// groups, the largest first.
pub fn group(texts: &[&str], weights: &[usize]) -> Vec<Group> {
    group_at(texts, weights, GROUP_SIMILARITY)
}

/// [`group`] with another bar for joining groups.
pub fn group_at(texts: &[&str], weights: &[usize], bar: f32) -> Vec<Group> {
    let n = texts.len();
    if n == 0 {
        return Vec::new();
    }
    let vecs = vectors(texts);
    let pairwise = similarities(&vecs);
    // Average linkage by the nearest-neighbour chain: groups that are each other's most
    // alike join; a group whose most alike is below the bar is finished.
    let mut s = pairwise.clone();
    let mut size = vec![1usize; n];
    let mut members: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
    let mut active: Vec<bool> = vec![true; n];
    let mut finished: Vec<bool> = vec![false; n];
    let mut chain: Vec<usize> = Vec::new();
    loop {
        if chain.is_empty() {
            match (0..n).find(|&i| active[i] && !finished[i]) {
                Some(i) => chain.push(i),
                None => break,
            }
        }
        let a = *chain.last().unwrap();
        let previous = chain.len().checked_sub(2).map(|k| chain[k]);
        let mut best: Option<(usize, f32)> = None;
        for c in (0..n).filter(|&c| c != a && active[c] && !finished[c]) {
            let sim = s[a * n + c];
            let better = match best {
                None => true,
                Some((b, bs)) => sim > bs || (sim == bs && Some(c) == previous && Some(b) != previous),
            };
            if better {
                best = Some((c, sim));
            }
        }
        match best {
            Some((b, sim)) if sim >= bar => {
                if Some(b) == previous {
                    chain.truncate(chain.len() - 2);
                    // Join b into a (Lance–Williams for the average).
                    let (na, nb) = (size[a] as f32, size[b] as f32);
                    for k in (0..n).filter(|&k| active[k] && k != a && k != b) {
                        let joined = (na * s[a * n + k] + nb * s[b * n + k]) / (na + nb);
                        s[a * n + k] = joined;
                        s[k * n + a] = joined;
                    }
                    size[a] += size[b];
                    let moved = std::mem::take(&mut members[b]);
                    members[a].extend(moved);
                    active[b] = false;
                } else {
                    chain.push(b);
                }
            }
            // Nothing alike enough: a (and, being its most alike, nothing else) is done.
            _ => {
                finished[a] = true;
                chain.clear();
            }
        }
    }
    let mut groups: Vec<Group> = (0..n)
        .filter(|&i| active[i])
        .map(|i| {
            let mut m = std::mem::take(&mut members[i]);
            m.sort_unstable();
            let central = *m
                .iter()
                .max_by(|&&x, &&y| {
                    let sx: f32 = m.iter().map(|&o| pairwise[x * n + o]).sum();
                    let sy: f32 = m.iter().map(|&o| pairwise[y * n + o]).sum();
                    sx.total_cmp(&sy).then(y.cmp(&x))
                })
                .expect("a group has members");
            Group { members: m, central }
        })
        .collect();
    let weight = |g: &Group| g.members.iter().map(|&i| weights.get(i).copied().unwrap_or(1)).sum::<usize>();
    groups.sort_by(|x, y| weight(y).cmp(&weight(x)).then(x.members[0].cmp(&y.members[0])));
    groups
}

/// The text most like all the others (the central one of a group the lab keeps).
pub fn central(texts: &[&str]) -> usize {
    let n = texts.len();
    let s = similarities(&vectors(texts));
    (0..n)
        .max_by(|&x, &y| {
            let sx: f32 = (0..n).map(|o| s[x * n + o]).sum();
            let sy: f32 = (0..n).map(|o| s[y * n + o]).sum();
            sx.total_cmp(&sy).then(y.cmp(&x))
        })
        .unwrap_or(0)
}

/// How well two labelings of the same items agree, corrected for chance (the adjusted
/// Rand index): 1 for the same partition, about 0 for a random one.
pub fn adjusted_rand_index(a: &[usize], b: &[usize]) -> f64 {
    assert_eq!(a.len(), b.len(), "two labelings of the same items");
    let pairs = |n: u64| (n * n.saturating_sub(1) / 2) as f64;
    let mut table: HashMap<(usize, usize), u64> = HashMap::new();
    let (mut rows, mut cols): (HashMap<usize, u64>, HashMap<usize, u64>) = (HashMap::new(), HashMap::new());
    for (x, y) in a.iter().zip(b) {
        *table.entry((*x, *y)).or_default() += 1;
        *rows.entry(*x).or_default() += 1;
        *cols.entry(*y).or_default() += 1;
    }
    let index: f64 = table.values().map(|&n| pairs(n)).sum();
    let (sa, sb): (f64, f64) = (rows.values().map(|&n| pairs(n)).sum(), cols.values().map(|&n| pairs(n)).sum());
    let expected = sa * sb / pairs(a.len() as u64).max(1.0);
    let max = (sa + sb) / 2.0;
    if (max - expected).abs() < f64::EPSILON { 1.0 } else { (index - expected) / (max - expected) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_fold_however_written_and_near_copies_with_a_line_changed() {
        let letter = "私たちは相談窓口を各区に設けることに強く賛成します。特に高齢者や外国人住民が気軽に相談できるよう、夜間と土日の開設をお願いします。";
        let changed = "私たちは相談窓口を各区に設けることに強く賛成します。特に高齢者や外国人住民が気軽に相談できるよう、夜間と土日の開設を要望します。";
        let texts = [
            letter,
            "バスの本数を増やしてほしい",
            &letter.replace('。', "．"),
            changed,
            "バスの本数を増やしてほしい！",
            "ﾊﾞｽの本数を増やしてほしい",
            "バスの本数を減らしてほしい",
        ];
        assert_eq!(fold(&texts, &[false; 7]), vec![vec![0, 2, 3], vec![1, 4, 5], vec![6]]);
        // A fold undone: kept apart, each is its own entry.
        assert_eq!(
            fold(&texts, &[false, false, false, true, false, false, false]),
            vec![vec![0, 2], vec![1, 4, 5], vec![3], vec![6]]
        );
        assert!(fold(&[], &[]).is_empty());
    }

    #[test]
    fn a_short_text_folds_only_with_the_same() {
        assert_eq!(fold(&["賛成です", "反対です", "賛成です。"], &[false; 3]), vec![vec![0, 2], vec![1]]);
    }

    #[test]
    fn comments_group_by_what_they_say_and_show_the_most_central() {
        let texts = [
            "窓口を夜間も開けてほしい。仕事帰りに相談したい。",
            "外国語の通訳を窓口に置いてください。",
            "夜間と土日にも窓口を開けてほしい、仕事帰りや休みの日に相談したい。",
            "通訳がいないと外国人は相談できません。外国語対応を。",
            "休みの日に相談したいので土日も窓口を開けてほしい。",
        ];
        let groups = group(&texts, &[1, 1, 1, 1, 1]);
        let sets: Vec<Vec<usize>> = groups.iter().map(|g| g.members.clone()).collect();
        assert_eq!(sets, vec![vec![0, 2, 4], vec![1, 3]]);
        assert_eq!(groups[0].central, 2, "the one that says what both others say");
        assert!(group(&[], &[]).is_empty());
        assert_eq!(group(&["一つだけ"], &[3]), vec![Group { members: vec![0], central: 0 }]);
    }

    #[test]
    fn the_adjusted_rand_index() {
        assert!((adjusted_rand_index(&[0, 0, 1, 1], &[5, 5, 7, 7]) - 1.0).abs() < 1e-9);
        assert!(adjusted_rand_index(&[0, 0, 1, 1], &[0, 1, 0, 1]) < 0.0);
        // A known value: (sklearn) ARI([0,0,0,1,1,1], [0,0,1,1,2,2]) = 0.2424…
        assert!((adjusted_rand_index(&[0, 0, 0, 1, 1, 1], &[0, 0, 1, 1, 2, 2]) - 0.242_424).abs() < 1e-5);
    }
}
