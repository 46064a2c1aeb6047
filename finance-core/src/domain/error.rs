use std::fmt;

/// One field that failed validation, with a message meant for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: String,
    pub message: String,
    /// The line of an uploaded file the error is on (1 is the first), for imports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
}

/// Every rule that an input broke; never empty.
///
/// Inputs are checked field by field and all failures are collected, so a form or an API
/// client learns everything that is wrong in one answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ValidationError {
    pub errors: Vec<FieldError>,
}

impl ValidationError {
    /// A failure of one field.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            errors: vec![FieldError {
                field: field.into(),
                message: message.into(),
                line: None,
            }],
        }
    }

    /// A failure of one field on `line` of an uploaded file.
    pub fn at_line(line: u64, field: impl Into<String>, message: impl Into<String>) -> Self {
        let mut e = Self::new(field, message);
        e.errors[0].line = Some(line);
        e
    }

    /// The same failures, reported under another field name (`amount` instead of `value`).
    pub fn for_field(mut self, field: &str) -> Self {
        for e in &mut self.errors {
            e.field = field.to_string();
        }
        self
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .errors
            .iter()
            .map(|e| match e.line {
                Some(line) => format!("line {line}: {}: {}", e.field, e.message),
                None => format!("{}: {}", e.field, e.message),
            })
            .collect();
        f.write_str(&parts.join("; "))
    }
}

/// Collects the failures of several fields and yields the parsed values only if all passed.
#[derive(Default)]
pub struct Validator {
    errors: Vec<FieldError>,
}

impl Validator {
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps the value of a passing check and records the errors of a failing one.
    pub fn check<T>(&mut self, result: Result<T, ValidationError>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.errors.extend(e.errors);
                None
            }
        }
    }

    /// Builds the result from the kept values if nothing failed, else returns every failure.
    ///
    /// `build` uses `?` on the kept `Option`s; it can only see `None` if a check failed.
    pub fn finish<T>(self, build: impl FnOnce() -> Option<T>) -> Result<T, ValidationError> {
        match (self.errors.is_empty(), build()) {
            (true, Some(v)) => Ok(v),
            _ => Err(ValidationError {
                errors: self.errors,
            }),
        }
    }
}

/// Validates a required free-text field: 1..=`max` characters as sent, of a single line,
/// stored trimmed. Control characters (NUL above all, which Postgres refuses in text) and
/// line or paragraph separators are refused rather than stored, around the text too.
/// (`domain::schemas::text_pattern` says the same in the API's document.)
pub fn text(field: &str, value: &str, max: usize) -> Result<String, ValidationError> {
    let len = value.chars().count();
    if value
        .chars()
        .any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}'))
    {
        Err(ValidationError::new(
            field,
            "must be one line of text without control characters",
        ))
    } else if len > max {
        Err(ValidationError::new(
            field,
            format!("must be at most {max} characters, got {len}"),
        ))
    } else if value.trim().is_empty() {
        Err(ValidationError::new(field, "must not be empty"))
    } else {
        Ok(value.trim().to_string())
    }
}
