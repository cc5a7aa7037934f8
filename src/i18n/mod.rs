//! Languages and localisation: Fluent messages (`locales/<lang>/*.ftl`, Japanese first),
//! Japanese era dates and fiscal years, and normalisation of typed identifiers.

use std::collections::HashMap;
use std::sync::{LazyLock, RwLock};

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
    /// formatted once and kept (a page asks for dozens).
    pub fn t(self, id: &str) -> String {
        static FORMATTED: [LazyLock<RwLock<HashMap<String, String>>>; 2] =
            [LazyLock::new(Default::default), LazyLock::new(Default::default)];
        let cache = &FORMATTED[self as usize];
        if let Some(text) = cache.read().ok().and_then(|m| m.get(id).cloned()) {
            return text;
        }
        let text = LOCALES.lookup(self.id(), id);
        if let Ok(mut m) = cache.write() {
            m.insert(id.to_owned(), text.clone());
        }
        text
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

/// Normalises something a person typed that serves as an identifier (an e-mail address,
/// a code): NFKC folds full-width letters and digits (ＮＰＯ → NPO, ０９０ → 090), then
/// surrounding white space is trimmed. Never used on names or free text.
pub fn normalize_identifier(s: &str) -> String {
    s.nfkc().collect::<String>().trim().to_owned()
}

#[cfg(test)]
mod tests;
