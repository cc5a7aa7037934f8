//! People who take part (参加者): everyone the center has met, with or without an account.
//! A person is known by their account or, for guests, by their normalised e-mail. A walk-in
//! who gave only a name is a record holding that name, never matched to anyone else;
//! an anonymous participant is no person record at all. Without an account or e-mail
//! nobody's history can be told, so their first time stays unknown.

use crate::account::AccountId;
use crate::sector::Sector;
use crate::tenant::TenantId;

pub mod request;
pub mod store;
pub mod web;

/// A person's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sqlx::Type, serde::Serialize, serde::Deserialize)]
#[sqlx(transparent)]
pub struct PersonId(pub i64);

/// Someone who registered for or attended an event.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Person {
    pub id: PersonId,
    #[serde(skip)]
    pub tenant_id: TenantId,
    pub account_id: Option<AccountId>,
    pub email: Option<String>,
    /// As written, family name first.
    pub name: String,
    pub sector: Sector,
    pub affiliation: String,
}

/// A guest as the center keeps them: a person known by e-mail, without an account.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct Guest {
    pub id: PersonId,
    pub email: String,
    /// As written, family name first.
    pub name: String,
    pub furigana: String,
    pub sector: Sector,
    pub affiliation: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// What a guest tells about themselves when registering or at the door.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GuestDetails {
    pub name: String,
    /// フリガナ, in katakana; may be empty.
    pub furigana: String,
    /// Normalised (see [`crate::account::normalize_email`]).
    pub email: String,
    pub sector: Sector,
    pub affiliation: String,
}

/// フリガナ as typed, in the katakana the check-in list sorts by: hiragana and half-width
/// katakana become full-width katakana, spaces (full-width too) one space. `None` when it
/// holds anything but kana, the long vowel mark, ・ and spaces; empty stays empty.
pub fn normalize_furigana(typed: &str) -> Option<String> {
    use unicode_normalization::UnicodeNormalization;
    let nfkc: String = typed.nfkc().collect();
    let mut out = String::with_capacity(nfkc.len());
    for word in nfkc.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars() {
            let c = to_katakana(c);
            if !matches!(c, '\u{30a1}'..='\u{30fa}' | 'ー' | '・' | 'ヽ' | 'ヾ') {
                return None;
            }
            out.push(c);
        }
    }
    (out.chars().count() <= 100).then_some(out)
}

/// A hiragana letter as its katakana; anything else as it is.
pub fn to_katakana(c: char) -> char {
    match c {
        '\u{3041}'..='\u{3096}' => char::from_u32(c as u32 + 0x60).unwrap_or(c),
        _ => c,
    }
}

#[cfg(test)]
mod furigana_tests {
    use super::normalize_furigana;

    #[test]
    fn furigana_is_katakana_however_typed() {
        assert_eq!(normalize_furigana("サトウ ハナコ").as_deref(), Some("サトウ ハナコ"));
        assert_eq!(normalize_furigana("さとう　はなこ").as_deref(), Some("サトウ ハナコ"));
        assert_eq!(normalize_furigana("ｻﾄｳ ﾊﾅｺ").as_deref(), Some("サトウ ハナコ"));
        assert_eq!(normalize_furigana("  ").as_deref(), Some(""));
        assert_eq!(normalize_furigana("スズキ・イチロー").as_deref(), Some("スズキ・イチロー"));
        assert_eq!(normalize_furigana("佐藤"), None);
        assert_eq!(normalize_furigana("Sato"), None);
    }
}
