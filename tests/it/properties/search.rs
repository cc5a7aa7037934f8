//! Search: any query is answered, tokens and highlights stand on the text.

use super::*;

/// What people type into the search box: words in Japanese and Latin, query syntax that
/// other engines read (`"`, `:`, `(`, `^`, `*`, `~`, AND), unbalanced quotes, odd Unicode
/// (combining marks, half-width kana, ligatures, control characters), or anything.
fn search_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => select(
            &[
                "\"", ":", "(", ")", "^", "^2", "*", "~", "~1", "+", "-", "!", "[", "]", "{", "}", "\\", "/", "|", "&&", "||",
                "AND", "OR", "NOT", "title:", "kind:event", "?", ".*", "$", "\\x{", " ", "\u{3000}", "\t", "\n",
            ][..],
        )
        .prop_map(str::to_owned),
        3 => select(
            &[
                "居住", "支援", "居住支援事業", "防災", "ボランティア", "ﾎﾞﾗﾝﾃｨｱ", "ｶﾞ", "ＮＰＯ", "npo", "Social", "仙台", "a", "ー", "・", "々",
                "㍿", "\u{3099}", "e\u{301}", "İ", "ß", "👍", "\u{20000}", "\u{0}", "\u{7f}", "\u{200b}", "\u{feff}",
            ][..],
        )
        .prop_map(str::to_owned),
        1 => any::<String>(),
    ];
    prop_oneof![
        8 => prop::collection::vec(piece, 0..16).prop_map(|p| p.concat()),
        1 => "[a-zあ-ん居住支援ア-ン ]{300,1500}",
    ]
}

/// A record of the tenant 1 with this title and body.
fn doc(id: i64, title: &str, body: &str) -> Doc {
    Doc {
        tenant: TenantId(1),
        kind: Kind::Issue,
        id,
        title: title.to_owned(),
        body: body.to_owned(),
        tags: vec!["防災".to_owned()],
        date: chrono::DateTime::from_timestamp(1_700_000_000, 0).expect("a time"),
        url: format!("/issues/{id}"),
    }
}

/// A few records of the kinds of text people write.
static INDEX: LazyLock<Index> = LazyLock::new(|| {
    Index::of_documents(
        [
            doc(1, "居住支援の勉強会", "住まいの確保に困る人を地域で支える。ボランティア募集\n次回は\"仙台\"で"),
            doc(
                2,
                "NPO法人あおば: Social Hub meeting",
                "ＮＰＯ法人と町内会が防災訓練（2023年度）。ﾎﾞﾗﾝﾃｨｱ歓迎 e\u{301}",
            ),
            doc(3, "㍿と々の話", "居住・支援 a+b (c) *d* ~e^2"),
        ],
        1,
    )
    .expect("an index")
});

/// Ranges of `text` that lie on character boundaries, in order, apart.
fn marks_fit(text: &str, marks: &[(usize, usize)]) -> Result<(), TestCaseError> {
    let mut at = 0;
    for &(from, to) in marks {
        prop_assert!(at <= from && from < to && to <= text.len(), "{marks:?} in {text:?}");
        prop_assert!(text.is_char_boundary(from) && text.is_char_boundary(to), "{marks:?} in {text:?}");
        at = to;
    }
    Ok(())
}

/// The pieces of `text` stand on its characters: each covers a whole number of them, its
/// first character ending inside it, in the order of the text; a bigram is two kana or
/// kanji, a Latin word letters and digits.
fn pieces_fit(text: &str, pieces: &[Piece]) -> Result<(), TestCaseError> {
    let mut from = 0;
    for p in pieces {
        prop_assert!(
            from <= p.from && p.from < p.first_to && p.first_to <= p.to && p.to <= text.len(),
            "{p:?} in {text:?}"
        );
        for at in [p.from, p.first_to, p.to] {
            prop_assert!(text.is_char_boundary(at), "{p:?} in {text:?}");
        }
        prop_assert!(!p.text.is_empty());
        if p.cjk {
            prop_assert!((1..=2).contains(&p.text.chars().count()), "{p:?}");
        } else {
            prop_assert!(!p.follows && p.text.chars().all(char::is_alphanumeric), "{p:?}");
        }
        from = p.from;
    }
    Ok(())
}

proptest! {
    #![proptest_config(cases(256))]

    /// Whatever is typed into the search box, a search answers without a panic or an
    /// error, and every highlighted range of a hit's title and snippet lies on character
    /// boundaries, in order.
    #[test]
    fn any_query_is_answered(text in search_like(), kind in prop::option::of(Just(Kind::Issue)), offset in 0..3usize) {
        let _ = search_text::query_words(&text);
        let _ = search_text::query_phrases(&text);
        let q = Query { text: text.clone(), kind, offset, limit: 10, ..Query::default() };
        let results = INDEX.search_now(TenantId(1), &q);
        prop_assert!(results.is_ok(), "{:?}: {:?}", text, results.err());
        for hit in results.expect("results").hits {
            marks_fit(&hit.title, &hit.title_marks)?;
            marks_fit(&hit.snippet, &hit.marks)?;
        }
    }

    /// The tokens of any text stand on its characters (what snippets and highlights cut
    /// it at), and the index's tokenizer gives them in order within the text.
    #[test]
    fn tokens_stand_on_the_texts_characters(text in search_like()) {
        pieces_fit(&text, &search_text::pieces(&text))?;
        let mut tokenizer = search_text::BigramTokenizer;
        let mut stream = tokenizer.token_stream(&text);
        let mut position = 0;
        while stream.advance() {
            let token = stream.token();
            prop_assert!(token.position >= position && token.offset_from <= token.offset_to && token.offset_to <= text.len(), "{token:?}");
            prop_assert!(text.is_char_boundary(token.offset_from) && text.is_char_boundary(token.offset_to), "{token:?}");
            position = token.position;
        }
    }
}

/// A word of a record's text: a run of kana and kanji, or a Latin word.
#[derive(Clone, Debug)]
enum Word {
    Run(String),
    Latin(String),
}

fn words() -> impl Strategy<Value = Vec<Word>> {
    let word = prop_oneof![
        "[あ-んア-ンー々居住支援地域防災町内会]{1,7}".prop_map(Word::Run),
        "[a-zA-Z0-9]{1,8}".prop_map(Word::Latin),
    ];
    prop::collection::vec(word, 1..8)
}

/// The words written one after another, each separator from `separators`.
fn written(words: &[Word], separators: &[&str]) -> String {
    let mut text = String::new();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            text.push_str(separators[i % separators.len()]);
        }
        text.push_str(match w {
            Word::Run(s) | Word::Latin(s) => s,
        });
    }
    text
}

proptest! {
    #![proptest_config(cases(256))]

    /// As documented: a run of kana and kanji gives its bigrams in order (a run of one
    /// character, the character), katakana as hiragana, each bigram after the first of a
    /// run following the one before; a Latin word is one token, in lower case.
    #[test]
    fn runs_give_bigrams_and_latin_words_give_words(words in words(), separators in prop::collection::vec(select(&[" ", "、", "。", "・", "-", "(", ")", "\"", "\u{3000}"][..]), 1..4)) {
        let text = written(&words, &separators);
        let got: Vec<(String, bool, bool)> = search_text::pieces(&text).into_iter().map(|p| (p.text, p.cjk, p.follows)).collect();
        let mut expected = Vec::new();
        for w in &words {
            match w {
                Word::Latin(s) => expected.push((s.to_lowercase(), false, false)),
                Word::Run(s) => {
                    let chars: Vec<char> = hiragana(s).chars().collect();
                    if chars.len() == 1 {
                        expected.push((chars[0].to_string(), true, false));
                    }
                    for (n, pair) in chars.windows(2).enumerate() {
                        expected.push((pair.iter().collect(), true, n > 0));
                    }
                }
            }
        }
        prop_assert_eq!(got, expected);
    }
}

proptest! {
    #![proptest_config(cases(48))]

    /// A record is found by any word of it as written: a whole Latin word (in any case,
    /// full-width too) or any piece of a run of kana and kanji (katakana or hiragana).
    #[test]
    fn a_record_is_found_by_any_word_of_it(
        words in words(),
        body in words(),
        pick in any::<Pick>(),
        start in any::<Pick>(),
        length in any::<Pick>(),
        form in 0..3usize,
    ) {
        let title = written(&words, &[" ", "、"]);
        let index = Index::of_documents([doc(1, &title, &written(&body, &["・"])), doc(2, "関係のない記録", "")], 1).expect("an index");
        let query = match &words[pick.index(words.len())] {
            Word::Latin(s) => match form {
                0 => s.clone(),
                1 => s.to_uppercase(),
                _ => full_width(s),
            },
            Word::Run(s) => {
                let chars: Vec<char> = s.chars().collect();
                let from = start.index(chars.len());
                let to = from + 1 + length.index(chars.len() - from);
                let piece: String = chars[from..to].iter().collect();
                if form == 0 { hiragana(&piece) } else { piece }
            }
        };
        let q = Query { text: query.clone(), limit: 10, ..Query::default() };
        let found: Vec<String> = index.search_now(TenantId(1), &q).expect("results").hits.into_iter().map(|h| h.url).collect();
        prop_assert!(found.contains(&"/issues/1".to_owned()), "{:?} in {:?}: {:?}", query, title, found);
    }
}

/// The words of a text of few characters, so that the same character comes often.
fn few_letter_words() -> impl Strategy<Value = Vec<Word>> {
    let word = prop_oneof!["[あいこア居住々ー]{1,6}".prop_map(Word::Run), "[abAB1]{1,3}".prop_map(Word::Latin)];
    prop::collection::vec(word, 1..6)
}

/// A query word from `words`: a whole Latin word, or a piece of a run.
fn query_word(words: &[Word], pick: &Pick, start: &Pick, length: &Pick) -> String {
    match &words[pick.index(words.len())] {
        Word::Latin(s) => s.to_uppercase(),
        Word::Run(s) => {
            let chars: Vec<char> = s.chars().collect();
            let from = start.index(chars.len());
            let to = from + 1 + length.index(chars.len() - from);
            chars[from..to].iter().collect()
        }
    }
}

/// Whether a character of a run of kana and kanji comes twice in a row (ああ, 々々).
fn doubled(words: &[Word]) -> bool {
    words.iter().any(|w| match w {
        Word::Run(s) => hiragana(s).chars().collect::<Vec<_>>().windows(2).any(|p| p[0] == p[1]),
        Word::Latin(_) => false,
    })
}

/// Each place a query word is found in a text is highlighted, and the highlight holds that
/// very word (after the index's normalisation): never more, never less, never nothing.
fn highlights_hold_the_word(words: &[Word], query: &str) -> Result<(), TestCaseError> {
    let text = written(words, &[" ", "、"]);
    let word = &search_text::query_words(query)[0];
    let found = search_text::find(&search_text::pieces(&text), word);
    prop_assert!(!found.is_empty(), "{query:?} in {text:?}");
    for (from, to) in found {
        prop_assert_eq!(
            search_text::normalize(&text[from..to]),
            search_text::normalize(query),
            "{:?} in {:?} at {}..{}",
            query,
            text,
            from,
            to
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(cases(256))]

    /// Where a query word (a Latin word, a piece of a run of kana and kanji) is found in a
    /// text, the range highlighted holds that word, no more and no less.
    #[test]
    fn a_highlight_holds_the_word_found(
        words in few_letter_words().prop_filter("no character twice in a row", |w| !doubled(w)),
        pick in any::<Pick>(),
        start in any::<Pick>(),
        length in any::<Pick>(),
    ) {
        highlights_hold_the_word(&words, &query_word(&words, &pick, &start, &length))?;
    }

    /// A character found where it is written twice in a row (ああ, ここ, 々々) is
    /// highlighted too.
    #[test]
    fn a_character_written_twice_is_highlighted(
        words in few_letter_words().prop_filter("a character twice in a row", |w| doubled(w)),
        pick in any::<Pick>(),
        start in any::<Pick>(),
        length in any::<Pick>(),
    ) {
        highlights_hold_the_word(&words, &query_word(&words, &pick, &start, &length))?;
    }
}
