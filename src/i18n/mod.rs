//! Languages and localisation: Fluent messages (`locales/<lang>/*.ftl`, Japanese first),
//! Japanese era dates and fiscal years, and normalisation of typed identifiers.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{LazyLock, PoisonError, RwLock};

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};
use unicode_normalization::UnicodeNormalization;

pub mod fiscal_year;
pub mod wareki;

pub use fiscal_year::FiscalYear;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "ja",
        // Isolation marks (U+2068/U+2069) around arguments show up as stray characters
        // in mail clients and in copied text; all our text runs left to right.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// How many formatted messages [`Lang::t`] keeps per language.
const MAX_KEPT: usize = 4096;

/// Kept messages, shared by all threads.
type Shared<K> = RwLock<HashMap<K, &'static str, rustc_hash::FxBuildHasher>>;

/// The kept message for `key`: from the shared map, else made by `make` and kept
/// (`to_static` makes the key that lives as long as the text). Past [`MAX_KEPT`] a
/// message is made each time and not kept.
fn look_up<K, Q>(
    shared: &Shared<K>,
    key: &Q,
    to_static: impl FnOnce(&Q) -> K,
    make: impl FnOnce() -> String,
) -> Cow<'static, str>
where
    K: std::borrow::Borrow<Q> + std::hash::Hash + Eq + Copy,
    Q: std::hash::Hash + Eq + ?Sized,
{
    if let Some(text) = shared.read().unwrap_or_else(PoisonError::into_inner).get(key) {
        return Cow::Borrowed(text);
    }
    let text = make();
    let mut shared = shared.write().unwrap_or_else(PoisonError::into_inner);
    // Another thread may have kept it meanwhile: then its text serves.
    if let Some(kept) = shared.get(key) {
        return Cow::Borrowed(kept);
    }
    if shared.len() >= MAX_KEPT {
        return Cow::Owned(text);
    }
    let kept: &'static str = Box::leak(text.into_boxed_str());
    shared.insert(to_static(key), kept);
    Cow::Borrowed(kept)
}

/// A language the platform speaks; Japanese is the default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Ja,
    En,
}

static JA: LazyLock<LanguageIdentifier> = LazyLock::new(|| "ja".parse().expect("valid language tag"));
static EN: LazyLock<LanguageIdentifier> = LazyLock::new(|| "en".parse().expect("valid language tag"));

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Ja, Lang::En];

    /// ` lang="ja"` for an element holding what people wrote in Japanese (a title, a
    /// description) when the interface is in English, so that a screen reader reads it in
    /// Japanese; empty in the Japanese interface or for text with no kana or kanji.
    pub fn ja_attr(self, text: &str) -> &'static str {
        let japanese =
            |c: char| matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}');
        if self == Lang::En && text.chars().any(japanese) { " lang=\"ja\"" } else { "" }
    }

    /// `ja` or `en`, as in URLs, cookies and `lang` attributes.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    /// Parses `ja`/`en` (also `ja-JP`, `en-US`…); anything else is `None`.
    pub fn from_code(code: &str) -> Option<Lang> {
        match code.split(['-', '_']).next()?.to_ascii_lowercase().as_str() {
            "ja" => Some(Lang::Ja),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    fn id(self) -> &'static LanguageIdentifier {
        match self {
            Lang::Ja => &JA,
            Lang::En => &EN,
        }
    }

    /// The message `id` in this language (falling back to Japanese, then to the id).
    /// Messages without arguments never change while the process runs, so each is
    /// formatted once and kept for the life of the process (a page asks for dozens): the
    /// ids are those the code names, a few hundred. Past [`MAX_KEPT`] (an id made from
    /// data gone wrong), a message is formatted each time instead.
    pub fn t(self, id: &str) -> Cow<'static, str> {
        self.kept(id, false)
    }

    /// Whether `id` names a message (in Japanese, which every message has).
    pub fn has_message(id: &str) -> bool {
        LOCALES.try_lookup(&JA, id).is_some()
    }

    /// The message `id` escaped for HTML (`&#60;` for `<` and so on, as askama escapes),
    /// kept like [`Lang::t`]: templates write it as it is instead of escaping it again on
    /// every page.
    pub fn t_html(self, id: &str) -> Cow<'static, str> {
        self.kept(id, true)
    }

    fn kept(self, id: &str, html: bool) -> Cow<'static, str> {
        /// By form (text, HTML), then by language.
        static KEPT: [[LazyLock<Shared<&'static str>>; 2]; 2] = [
            [LazyLock::new(Default::default), LazyLock::new(Default::default)],
            [LazyLock::new(Default::default), LazyLock::new(Default::default)],
        ];
        let (form, lang) = (usize::from(html), self as usize);
        look_up(
            &KEPT[form][lang],
            id,
            |id| Box::leak(id.into()),
            || {
                let text = LOCALES.lookup(self.id(), id);
                if !html {
                    return text;
                }
                let mut escaped = String::with_capacity(text.len());
                askama::filters::Escaper::write_escaped_str(&askama::filters::Html, &mut escaped, &text)
                    .expect("writing to a String cannot fail");
                escaped
            },
        )
    }

    /// The message `id` with one integer argument, kept like [`Lang::t`] (for counts a
    /// busy page shows on every view, such as seats left).
    pub fn t_int(self, id: &'static str, name: &'static str, n: i64) -> Cow<'static, str> {
        type Key = (&'static str, &'static str, i64);
        static KEPT: [LazyLock<Shared<Key>>; 2] = [LazyLock::new(Default::default), LazyLock::new(Default::default)];
        look_up(&KEPT[self as usize], &(id, name, n), |key| *key, || self.t_args(id, &[(name, &n.to_string())]))
    }

    /// The message `id` with one numeric argument `count`.
    pub fn t1_count(self, id: &str, count: impl std::fmt::Display) -> String {
        self.t_args(id, &[("count", &count.to_string())])
    }

    /// The message `id` with named arguments.
    pub fn t_args(self, id: &str, args: &[(&str, &str)]) -> String {
        let map: HashMap<std::borrow::Cow<'static, str>, FluentValue<'_>> =
            args.iter().map(|(k, v)| (std::borrow::Cow::Owned((*k).to_owned()), FluentValue::from(*v))).collect();
        LOCALES.lookup_with_args(self.id(), id, &map)
    }
}

/// An amount with thousands separators, as yen are written: 1,000.
pub fn group_digits(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Normalises something a person typed that serves as an identifier (an e-mail address,
/// a code): NFKC folds full-width letters and digits (ＮＰＯ → NPO, ０９０ → 090), then
/// surrounding white space is trimmed. Never used on names or free text.
pub fn normalize_identifier(s: &str) -> String {
    s.nfkc().collect::<String>().trim().to_owned()
}

/// A name as compared, the same however it is written in width, case or spacing (ＮＰＯ法人 あおば
/// = npo法人あおば): NFKC, without spaces, lower case. For telling names apart, never shown.
pub fn compare_key(s: &str) -> String {
    s.nfkc().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect()
}

#[cfg(test)]
mod tests;
