//! Japanese and Latin text as the index sees it: normalised (NFKC, lower case, katakana
//! as hiragana), cut into words for Latin text and bigrams over runs of kana and kanji,
//! each token keeping where it came from in the original text (for snippets).
//!
//! A query word matches a record when the record contains it as written, after the same
//! normalisation: its tokens must follow one another. A run of one kana or kanji at the
//! edge of a query word may be the start or the end of a longer run in the record; a query
//! of one such character finds every record containing it.

use unicode_normalization::UnicodeNormalization;

/// The name the tokenizer is registered under in the index.
pub const TOKENIZER: &str = "ja_bigram";

/// One normalised character and the bytes of the original text it came from.
#[derive(Clone, Copy, Debug)]
struct Folded {
    c: char,
    from: usize,
    to: usize,
}

/// Kana and kanji: what is cut into bigrams. The long vowel mark belongs to a run; the
/// middle dot (・) separates.
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3041}'..='\u{309f}' // hiragana (katakana is folded into it)
        | '\u{30a1}'..='\u{30fa}' | '\u{30fc}'..='\u{30ff}'
        | '\u{3005}' | '\u{3006}' | '\u{3007}' // 々 〆 〇
        | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}'
        | '\u{20000}'..='\u{2ffff}')
}

/// Katakana as hiragana, so that カナ and かな are one.
fn kana_fold(c: char) -> char {
    match c {
        '\u{30a1}'..='\u{30f6}' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
        _ => c,
    }
}

/// The text normalised character by character, each with its original bytes: NFKC (full
/// width to half, half-width kana to full, voiced marks composed), lower case, katakana as
/// hiragana.
fn fold(text: &str) -> Vec<Folded> {
    let mut out: Vec<Folded> = Vec::with_capacity(text.len() / 2);
    for (from, original) in text.char_indices() {
        let to = from + original.len_utf8();
        for n in std::iter::once(original).nfkc() {
            // A half-width voiced mark (ｶﾞ) joins the kana before it.
            if matches!(n, '\u{3099}' | '\u{309a}') {
                if let Some(last) = out.last_mut()
                    && let Some(composed) = unicode_normalization::char::compose(last.c, n)
                {
                    last.c = kana_fold(composed);
                    last.to = to;
                }
                continue;
            }
            for l in n.to_lowercase() {
                out.push(Folded { c: kana_fold(l), from, to });
            }
        }
    }
    out
}

/// The text normalised as the index compares it (for tests and for suggestions).
pub fn normalize(text: &str) -> String {
    fold(text).iter().map(|f| f.c).collect()
}

/// A token of the index: its text, the original bytes it covers, and, for a bigram, where
/// its first character ends in the original.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub from: usize,
    pub to: usize,
    /// The end of the first character in the original text.
    pub first_to: usize,
    /// True for kana and kanji (a bigram, or a run of one).
    pub cjk: bool,
}

/// The tokens of a text, in order.
pub fn pieces(text: &str) -> Vec<Piece> {
    let folded = fold(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < folded.len() {
        let c = folded[i].c;
        if is_cjk(c) {
            let start = i;
            while i < folded.len() && is_cjk(folded[i].c) {
                i += 1;
            }
            let run = &folded[start..i];
            if run.len() == 1 {
                out.push(Piece {
                    text: c.to_string(),
                    from: run[0].from,
                    to: run[0].to,
                    first_to: run[0].to,
                    cjk: true,
                });
            } else {
                for pair in run.windows(2) {
                    out.push(Piece {
                        text: [pair[0].c, pair[1].c].iter().collect(),
                        from: pair[0].from,
                        to: pair[1].to,
                        first_to: pair[0].to,
                        cjk: true,
                    });
                }
            }
        } else if c.is_alphanumeric() {
            let start = i;
            while i < folded.len() && folded[i].c.is_alphanumeric() && !is_cjk(folded[i].c) {
                i += 1;
            }
            let run = &folded[start..i];
            out.push(Piece {
                text: run.iter().map(|f| f.c).collect(),
                from: run[0].from,
                to: run[run.len() - 1].to,
                first_to: run[0].to,
                cjk: false,
            });
        } else {
            i += 1;
        }
    }
    out
}

/// What one token of a query word asks of the record's token at its place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pattern {
    /// This very token.
    Exact(String),
    /// A one-character run at the end of the word: the character alone, or a bigram
    /// starting with it.
    StartsWith(char),
    /// A one-character run at the start of the word: the character alone, or a bigram
    /// ending with it.
    EndsWith(char),
    /// A word of one kana or kanji: the character anywhere.
    Contains(char),
}

impl Pattern {
    /// Whether a record's token satisfies it.
    pub fn matches(&self, token: &str) -> bool {
        let mut chars = token.chars();
        match self {
            Pattern::Exact(t) => t == token,
            Pattern::StartsWith(c) => chars.next() == Some(*c) && chars.count() <= 1,
            Pattern::EndsWith(c) => {
                let v: Vec<char> = chars.collect();
                v.len() <= 2 && v.last() == Some(c)
            }
            Pattern::Contains(c) => {
                let v: Vec<char> = chars.collect();
                v.len() <= 2 && v.contains(c)
            }
        }
    }

    /// The pattern as a regular expression over the index's terms.
    pub fn regex(&self) -> String {
        let esc = |c: char| format!("\\x{{{:x}}}", c as u32);
        match self {
            Pattern::Exact(t) => t.chars().map(esc).collect(),
            Pattern::StartsWith(c) => format!("{}.?", esc(*c)),
            Pattern::EndsWith(c) => format!(".?{}", esc(*c)),
            Pattern::Contains(c) => format!("{0}.?|.{0}", esc(*c)),
        }
    }
}

/// A query cut into its words (at spaces, full-width ones too), each word into the
/// patterns its tokens must satisfy one after another. Words with no letter are dropped.
pub fn query_words(query: &str) -> Vec<Vec<Pattern>> {
    let normalized: String = query.nfkc().collect();
    normalized
        .split_whitespace()
        .filter_map(|word| {
            let pieces = pieces(word);
            let n = pieces.len();
            let patterns: Vec<Pattern> = pieces
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let one_char = p.cjk && p.text.chars().count() == 1;
                    let c = p.text.chars().next().unwrap_or_default();
                    match (one_char, i == 0, i + 1 == n) {
                        (true, true, true) => Pattern::Contains(c),
                        (true, _, true) => Pattern::StartsWith(c),
                        (true, true, _) => Pattern::EndsWith(c),
                        _ => Pattern::Exact(p.text.clone()),
                    }
                })
                .collect();
            (!patterns.is_empty()).then_some(patterns)
        })
        .collect()
}

/// The byte ranges of the original text where a query word matches, for highlighting.
pub fn find(pieces: &[Piece], word: &[Pattern]) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    if word.is_empty() || pieces.len() < word.len() {
        return found;
    }
    for start in 0..=pieces.len() - word.len() {
        let window = &pieces[start..start + word.len()];
        if !window.iter().zip(word).all(|(p, w)| w.matches(&p.text)) {
            continue;
        }
        let first = &window[0];
        let last = &window[word.len() - 1];
        // Only the character asked for, not the rest of the bigram it sits in.
        let from = match &word[0] {
            Pattern::EndsWith(c) | Pattern::Contains(c)
                if first.text.chars().count() == 2 && first.text.chars().nth(1) == Some(*c) =>
            {
                first.first_to
            }
            _ => first.from,
        };
        let to = match &word[word.len() - 1] {
            Pattern::StartsWith(c) | Pattern::Contains(c)
                if last.text.chars().count() == 2 && last.text.starts_with(*c) =>
            {
                last.first_to
            }
            _ => last.to,
        };
        found.push((from, to));
    }
    found.dedup();
    found
}

/// The tokenizer the index uses for titles and bodies.
#[derive(Clone, Default)]
pub struct BigramTokenizer;

pub struct PieceStream {
    tokens: Vec<tantivy::tokenizer::Token>,
    next: usize,
}

impl tantivy::tokenizer::Tokenizer for BigramTokenizer {
    type TokenStream<'a> = PieceStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> PieceStream {
        let tokens = pieces(text)
            .into_iter()
            .enumerate()
            .map(|(position, p)| tantivy::tokenizer::Token {
                offset_from: p.from,
                offset_to: p.to,
                position,
                text: p.text,
                position_length: 1,
            })
            .collect();
        PieceStream { tokens, next: 0 }
    }
}

impl tantivy::tokenizer::TokenStream for PieceStream {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &tantivy::tokenizer::Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut tantivy::tokenizer::Token {
        &mut self.tokens[self.next - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        pieces(text).into_iter().map(|p| p.text).collect()
    }

    #[test]
    fn japanese_in_bigrams_latin_in_words() {
        assert_eq!(texts("居住支援"), ["居住", "住支", "支援"]);
        assert_eq!(texts("NPO法人あおば"), ["npo", "法人", "人あ", "あお", "おば"]);
        assert_eq!(texts("町 内"), ["町", "内"]);
        assert_eq!(texts("Social Hub、仙台"), ["social", "hub", "仙台"]);
        assert_eq!(texts("2023年度"), ["2023", "年度"]);
    }

    #[test]
    fn width_case_and_kana_are_folded() {
        assert_eq!(normalize("ＮＰＯ"), "npo");
        assert_eq!(normalize("ﾎﾞﾗﾝﾃｨｱ"), "ぼらんてぃあ");
        assert_eq!(normalize("ボランティア"), normalize("ぼらんてぃあ"));
        assert_eq!(normalize("１２３"), "123");
        // Offsets still point into the original text.
        let p = pieces("ｶﾞｽ");
        assert_eq!(p[0].text, "がす");
        assert_eq!(&"ｶﾞｽ"[p[0].from..p[0].to], "ｶﾞｽ");
    }

    #[test]
    fn a_query_word_must_appear_as_written() {
        let doc = pieces("居住の支援について");
        assert!(find(&doc, &query_words("居住支援")[0]).is_empty());
        assert_eq!(find(&doc, &query_words("居住")[0]).len(), 1);
        let doc = pieces("地域の居住支援ラボ");
        let text = "地域の居住支援ラボ";
        let hits = find(&doc, &query_words("居住支援")[0]);
        assert_eq!(hits.iter().map(|&(a, b)| &text[a..b]).collect::<Vec<_>>(), ["居住支援"]);
    }

    #[test]
    fn one_character_at_an_edge_may_continue_in_the_record() {
        let text = "2023年度の報告";
        let doc = pieces(text);
        let hits = find(&doc, &query_words("2023年")[0]);
        assert_eq!(hits.iter().map(|&(a, b)| &text[a..b]).collect::<Vec<_>>(), ["2023年"]);
        let hits = find(&doc, &query_words("報")[0]);
        assert_eq!(hits.iter().map(|&(a, b)| &text[a..b]).collect::<Vec<_>>(), ["報"]);
        let hits = find(&doc, &query_words("告")[0]);
        assert_eq!(hits.iter().map(|&(a, b)| &text[a..b]).collect::<Vec<_>>(), ["告"]);
        assert!(find(&doc, &query_words("年2023")[0]).is_empty());
    }

    #[test]
    fn query_words_split_at_any_space() {
        assert_eq!(query_words("防災\u{3000}ＮＰＯ").len(), 2);
        assert!(query_words("、。！").is_empty());
        assert_eq!(query_words("カタカナ"), query_words("かたかな"));
    }
}
