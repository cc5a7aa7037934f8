//! Field errors that domain validation reports and forms show next to each field.
//! Messages are Fluent ids, so every page shows them in the reader's language.

/// One field's problem: the form field name and a Fluent message id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: &'static str,
}

/// The problems found in one submission, in field order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<FieldError>);

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
}

/// A short note as typed (a reason, a stage note): trimmed and cut to `max` characters.
pub fn short_text(s: &str, max: usize) -> String {
    s.trim().chars().take(max).collect()
}
