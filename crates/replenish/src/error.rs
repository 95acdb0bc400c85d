//! Error types shared by every part of the library.
//!
//! Two layers:
//! * [`Problem`] — one thing wrong with the input data, located by file, row and
//!   column. Ingestion collects *all* problems before failing, so a user fixes a
//!   file once instead of once per error.
//! * [`Error`] — what a public function returns. Each variant is a distinct kind
//!   that the bindings map to their own exception class / error code.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What kind of data problem was found. Stable names: bindings expose them as strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// A required file is missing from the folder.
    MissingFile,
    /// The file has no bytes, or a header and no data where data is required.
    EmptyFile,
    /// Bytes that are not valid UTF-8.
    InvalidEncoding,
    /// A required column is absent from the header.
    MissingColumn,
    /// The same column name appears twice in the header.
    DuplicateColumn,
    /// A row with a different number of fields than the header.
    MalformedRow,
    /// A required value is empty.
    MissingValue,
    /// Text where a number was expected (or NaN / infinity).
    InvalidNumber,
    /// Text that is not a date in the configured format.
    InvalidDate,
    /// A value outside its allowed range (negative lead time, service level above 1, ...).
    OutOfRange,
    /// A value not among the allowed choices (unknown status, weekday, ...).
    InvalidValue,
    /// A reference to an SKU, location or supplier that is not defined.
    UnknownReference,
    /// Two rows with the same key.
    DuplicateKey,
    /// Two values on one row contradict each other (max order below MOQ, ...).
    Inconsistent,
}

impl ProblemKind {
    /// The stable snake_case name, as serialised.
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemKind::MissingFile => "missing_file",
            ProblemKind::EmptyFile => "empty_file",
            ProblemKind::InvalidEncoding => "invalid_encoding",
            ProblemKind::MissingColumn => "missing_column",
            ProblemKind::DuplicateColumn => "duplicate_column",
            ProblemKind::MalformedRow => "malformed_row",
            ProblemKind::MissingValue => "missing_value",
            ProblemKind::InvalidNumber => "invalid_number",
            ProblemKind::InvalidDate => "invalid_date",
            ProblemKind::OutOfRange => "out_of_range",
            ProblemKind::InvalidValue => "invalid_value",
            ProblemKind::UnknownReference => "unknown_reference",
            ProblemKind::DuplicateKey => "duplicate_key",
            ProblemKind::Inconsistent => "inconsistent",
        }
    }
}

/// One problem in the input, located as precisely as the data allows.
///
/// `row` is the 1-based line number in the file as a text editor or spreadsheet
/// shows it (the header is row 1, the first data row is row 2). `column` is the
/// column name as it appears in the user's file (before any renaming).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    pub file: String,
    pub row: Option<u64>,
    pub column: Option<String>,
    pub kind: ProblemKind,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(row) = self.row {
            write!(f, ":{row}")?;
        }
        if let Some(col) = &self.column {
            write!(f, ":{col}")?;
        }
        write!(f, ": {} ({})", self.message, self.kind.as_str())
    }
}

/// Every error a public function of this crate can return.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input data failed validation. Holds every problem found, in file and row order.
    #[error("{} problem(s) in the input data; first: {}", .problems.len(), .problems.first().map(|p| p.to_string()).unwrap_or_default())]
    Validation {
        problems: Vec<Problem>,
        /// What was read and rejected per file, for the data-quality report.
        summary: Box<crate::ingest::QualityReport>,
    },
    /// A configuration value is invalid.
    #[error("invalid configuration: {field}: {message}")]
    Config { field: String, message: String },
    /// A rule expression is wrong: unknown attribute, type error or syntax error.
    /// `position` is the 0-based character offset in `expression`.
    #[error("rule `{rule}`, `{field}`, column {}: {message}\n  {expression}\n  {}^", .position + 1, " ".repeat(*.position))]
    Rule { rule: String, field: String, expression: String, position: usize, message: String },
    /// A workflow event was refused (not authorised, self-approval, wrong state, ...).
    #[error("{message} ({})", .kind.as_str())]
    Workflow { kind: crate::workflow::WorkflowErrorKind, message: String },
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// An argument to a function is outside what the function accepts.
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// The caller cancelled the call (Ctrl-C in Python, an `AbortSignal` in Node)
    /// through its [`crate::progress::Progress`].
    #[error("cancelled")]
    Cancelled,
    /// A bug in replenish (a caught panic). Please report it.
    #[error("internal error (please report it): {0}")]
    Internal(String),
}

impl Error {
    /// A short stable code per kind, used as the error `code` in Node and for the
    /// exception class in Python.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Validation { .. } => "VALIDATION",
            Error::Config { .. } => "CONFIG",
            Error::Rule { .. } => "RULE",
            Error::Workflow { .. } => "WORKFLOW",
            Error::Io { .. } => "IO",
            Error::InvalidInput(_) => "INVALID_INPUT",
            Error::Cancelled => "CANCELLED",
            Error::Internal(_) => "INTERNAL",
        }
    }

    /// The data problems behind a validation error (empty for other kinds).
    pub fn problems(&self) -> &[Problem] {
        match self {
            Error::Validation { problems, .. } => problems,
            _ => &[],
        }
    }

    pub(crate) fn config(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Config { field: field.into(), message: message.into() }
    }
}

/// Runs `f`, turning a panic into [`Error::Internal`] so that it never crosses a
/// language boundary. The bindings wrap every call into the core with it.
pub fn guard<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        Err(Error::Internal(what))
    })
}

/// Result alias used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Parses JSON given for `field` (what the bindings pass), a config error naming it otherwise.
pub fn from_json<T: serde::de::DeserializeOwned>(text: &str, field: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| Error::Config { field: field.into(), message: e.to_string() })
}

/// A value as JSON text (results the bindings hand on).
pub fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Internal(format!("cannot serialise a result: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guard_turns_a_panic_into_an_internal_error() {
        let r: Result<u8> = guard(|| panic!("boom {}", 7));
        match r {
            Err(e @ Error::Internal(_)) => {
                assert_eq!(e.code(), "INTERNAL");
                assert!(e.to_string().contains("boom 7"));
            }
            other => panic!("expected an internal error, got {other:?}"),
        }
        assert_eq!(guard(|| Ok(3)).ok(), Some(3));
    }
}
