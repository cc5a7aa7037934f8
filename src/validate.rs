//! Field errors that domain validation reports and forms show next to each field.
//! Messages are Fluent ids, so every page shows them in the reader's language. Also what
//! text typed or imported may hold: no control characters but line breaks and tabs.

use std::borrow::Cow;

/// One field's problem: the form field name and a Fluent message id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: &'static str,
}

/// The problems found in one submission, in field order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<FieldError>);

/// What an e-mail field that is not an address says: to enter one when it is empty, else
/// what one looks like.
pub fn email_message(value: &str) -> &'static str {
    if value.trim().is_empty() { "account-error-email-required" } else { "account-error-email-invalid" }
}

impl FieldErrors {
    pub fn add(&mut self, field: &'static str, message: &'static str) {
        self.0.push(FieldError { field, message });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The message id for `field`, if it has a problem.
    pub fn get(&self, field: &str) -> Option<&'static str> {
        self.0.iter().find(|e| e.field == field).map(|e| e.message)
    }

    /// `Ok(value)` when nothing was found.
    ///
    /// # Errors
    /// `self` when it holds any problem.
    pub fn into_result<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.0.is_empty() { Ok(value) } else { Err(self) }
    }

    pub fn single(field: &'static str, message: &'static str) -> FieldErrors {
        FieldErrors(vec![FieldError { field, message }])
    }

    /// A required e-mail field, normalised ([`crate::account::normalize_email`]): left
    /// empty it says so (メールアドレスを入力してください), else what a right one looks like.
    pub fn email(&mut self, field: &'static str, value: &str) -> Option<String> {
        let email = crate::account::normalize_email(value);
        if email.is_none() {
            self.add(field, email_message(value));
        }
        email
    }

    /// A フリガナ field (may be empty), in katakana ([`crate::person::normalize_furigana`]).
    pub fn furigana(&mut self, field: &'static str, value: &str) -> Option<String> {
        let furigana = crate::person::normalize_furigana(value);
        if furigana.is_none() {
            self.add(field, "person-error-furigana");
        }
        furigana
    }

    /// A required フリガナ field: left empty it says so (フリガナを入力してください), else as
    /// [`FieldErrors::furigana`].
    pub fn required_furigana(&mut self, field: &'static str, value: &str) -> Option<String> {
        if value.trim().is_empty() {
            self.add(field, "person-error-furigana-required");
            return None;
        }
        self.furigana(field, value)
    }

    /// A required date field, read as people type dates ([`crate::i18n::wareki::parse_date`]):
    /// left empty it says `empty` (…を入力してください), unreadable it says `unreadable`
    /// (the forms it takes); each message names the field.
    pub fn date(
        &mut self,
        field: &'static str,
        value: &str,
        empty: &'static str,
        unreadable: &'static str,
    ) -> Option<chrono::NaiveDate> {
        if value.trim().is_empty() {
            self.add(field, empty);
            return None;
        }
        let date = crate::i18n::wareki::parse_date(value);
        if date.is_none() {
            self.add(field, unreadable);
        }
        date
    }
}

/// A short note as typed (a reason, a stage note): trimmed and cut to `max` characters.
pub fn short_text(s: &str, max: usize) -> String {
    s.trim().chars().take(max).collect()
}

/// Whether `c` is a control character that has no place in text people type or import:
/// the C0 controls other than tab, line feed and carriage return, DEL, and the C1
/// controls. NUL among them is what PostgreSQL text cannot hold at all; the others move a
/// terminal's cursor, hide text or end lines in files where nobody expects it.
pub fn is_stray_control(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
}

/// `s` without its [`is_stray_control`] characters (borrowed when it has none).
pub fn without_stray_controls(s: &str) -> Cow<'_, str> {
    if s.contains(is_stray_control) { Cow::Owned(s.replace(is_stray_control, "")) } else { Cow::Borrowed(s) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stray_controls_go_and_line_breaks_and_tabs_stay() {
        assert_eq!(without_stray_controls("a\u{0}b\u{7}\u{1b}[2J\u{7f}\u{85}\u{9f}c"), "ab[2Jc");
        assert_eq!(without_stray_controls("一行目\r\n二行目\tタブ\r"), "一行目\r\n二行目\tタブ\r");
        assert!(matches!(without_stray_controls("佐藤 美咲"), Cow::Borrowed(_)));
        // Characters next to the C1 range are kept.
        assert_eq!(without_stray_controls("\u{a0}\u{7e}é"), "\u{a0}\u{7e}é");
    }
}
