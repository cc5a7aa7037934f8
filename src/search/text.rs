//! Japanese and Latin text as the index sees it: normalised (NFKC, lower case, katakana
//! as hiragana), cut into words for Latin text and bigrams over runs of kana and kanji,
//! each token keeping where it came from in the original text (for snippets).
//!
//! Besides its bigrams, the index holds every three- and four-character piece of a run
//! ([`LONGEST`]), so that most Japanese words are one term of the index.
//!
//! A query word matches a record when the record contains it as written, after the same
//! normalisation: its tokens must stand at the same positions from one another (see
//! [`query_phrases`]: a run of up to four characters is one term, a longer one pieces of
//! four; between runs a separator is asked for). A run of one kana or kanji at the
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
    /// True for a bigram that overlaps the one before it (the same run of kana and kanji).
    pub follows: bool,
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
                    follows: false,
                });
            } else {
                for (n, pair) in run.windows(2).enumerate() {
                    out.push(Piece {
                        text: [pair[0].c, pair[1].c].iter().collect(),
                        from: pair[0].from,
                        to: pair[1].to,
                        first_to: pair[0].to,
                        cjk: true,
                        follows: n > 0,
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
                follows: false,
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
    normalized.split_whitespace().map(|word| patterns(&pieces(word))).filter(|p| !p.is_empty()).collect()
}

/// What each of a word's tokens asks of the record's token at its place.
fn patterns(pieces: &[Piece]) -> Vec<Pattern> {
    let n = pieces.len();
    pieces
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
        .collect()
}

/// The token the index puts between two tokens that do not overlap (after another run of
/// kana and kanji, or a Latin word, or before one): one position after the first, the
/// next token two positions after it. No text gives it (tokens are letters only).
pub const SEPARATOR: &str = "|";

/// Where a text's first token is: the index puts one text after another (the title twice,
/// then the body) one position after the last token of the one before, so a text starting
/// here starts four after it, where no query word's tokens reach across.
pub const FIRST: usize = 2;

/// The positions the index gives a text's tokens: one after another within a run of
/// bigrams, and three further at any other step, the [`SEPARATOR`] between. So a token
/// two positions after another is two bigrams further in the same run, never in another
/// run; and a step from one run to the next is marked.
fn positions(pieces: &[Piece]) -> Vec<usize> {
    let mut position = FIRST;
    pieces
        .iter()
        .enumerate()
        .map(|(i, p)| {
            if i > 0 {
                position += if p.follows { 1 } else { 3 };
            }
            position
        })
        .collect()
}

/// The longest piece of a run of kana and kanji the index holds as one term. Besides its
/// bigrams, the index holds every piece of three and of four characters of a run, each at
/// the position of its first bigram: so a query word of up to four characters (防災,
/// 町内会, 居住支援) is one term, counted by its document frequency and ranked without
/// reading positions, and a longer one a phrase of few and rare terms.
pub const LONGEST: usize = 4;

/// The query as the index is asked it: for each word, the patterns its tokens must meet
/// at these positions from its first. A run of up to [`LONGEST`] characters is one term; a
/// longer one is pieces of that length at most that many positions apart, which no run's
/// end can come between (居住支援事業: 居住支援 and 支援事業 two positions apart). Between
/// runs the [`SEPARATOR`] is asked for, so that 居住・支援 does not find 居住者支援.
pub fn query_phrases(query: &str) -> Vec<Vec<(usize, Pattern)>> {
    let normalized: String = query.nfkc().collect();
    normalized
        .split_whitespace()
        .filter_map(|word| {
            let pieces = pieces(word);
            let at: Vec<usize> = positions(&pieces).into_iter().map(|p| p - FIRST).collect();
            let patterns = patterns(&pieces);
            let mut phrase = Vec::with_capacity(pieces.len());
            let mut i = 0;
            while i < pieces.len() {
                let end = i + 1 + pieces[i + 1..].iter().take_while(|p| p.follows).count();
                if i > 0 {
                    phrase.push((at[i] - 2, Pattern::Exact(SEPARATOR.to_owned())));
                }
                if end - i == 1 {
                    phrase.push((at[i], patterns[i].clone()));
                } else {
                    let run = run_chars(&pieces[i..end]);
                    let mut starts: Vec<usize> =
                        (0..).step_by(LONGEST).take_while(|s| s + LONGEST < run.len()).collect();
                    starts.push(run.len().saturating_sub(LONGEST));
                    for s in starts {
                        let text: String = run[s..(s + LONGEST).min(run.len())].iter().collect();
                        phrase.push((at[i] + s, Pattern::Exact(text)));
                    }
                }
                i = end;
            }
            (!phrase.is_empty()).then_some(phrase)
        })
        .collect()
}

/// The characters of a run of bigrams.
fn run_chars(bigrams: &[Piece]) -> Vec<char> {
    let mut chars: Vec<char> = bigrams[0].text.chars().collect();
    chars.extend(bigrams[1..].iter().filter_map(|p| p.text.chars().nth(1)));
    chars
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
        // One character asked for within one bigram: the first place it stands (in 「ああ」
        // the first あ, not the empty space between the two).
        if let [Pattern::Contains(c)] = word
            && first.text.chars().count() == 2
        {
            found.push(if first.text.starts_with(*c) {
                (first.from, first.first_to)
            } else {
                (first.first_to, first.to)
            });
            continue;
        }
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
        let pieces = pieces(text);
        let at = positions(&pieces);
        let mut tokens = Vec::with_capacity(pieces.len() * 3);
        for (i, p) in pieces.iter().enumerate() {
            let position = at[i];
            if i > 0 && !p.follows {
                tokens.push(tantivy::tokenizer::Token {
                    offset_from: p.from,
                    offset_to: p.from,
                    position: position - 2,
                    text: SEPARATOR.to_owned(),
                    position_length: 1,
                });
            }
            tokens.push(tantivy::tokenizer::Token {
                offset_from: p.from,
                offset_to: p.to,
                position,
                text: p.text.clone(),
                position_length: 1,
            });
            // The longer pieces of the run starting here.
            let mut text = p.text.clone();
            for next in pieces[i + 1..].iter().take(LONGEST - 2).take_while(|n| p.cjk && n.follows) {
                text.extend(next.text.chars().nth(1));
                tokens.push(tantivy::tokenizer::Token {
                    offset_from: p.from,
                    offset_to: next.to,
                    position,
                    text: text.clone(),
                    position_length: 1,
                });
            }
        }
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
