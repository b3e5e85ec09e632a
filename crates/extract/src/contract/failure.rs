//! Why an input could not become a record.
//!
//! Every input ends either as a record or as a dead letter; a [`Failure`] is the second outcome
//! before it is written anywhere. It names the stage that gave up, a [`Reason`] from a small
//! closed set (so it can label a metric without exploding its cardinality) and a message for a
//! person.

use std::fmt;

/// A closed set of failure kinds, used as the DLQ header `newsworker.reason` and as the
/// `reason` label of `newsworker_dlq_records_total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reason {
    /// The message is larger than `limits.max_article_bytes`.
    TooLarge,
    /// The message is not UTF-8.
    InvalidUtf8,
    /// The text holds NUL or other control characters: binary data, not an article.
    BinaryContent,
    /// The message starts like a JSON object but does not parse.
    InvalidJson,
    /// A JSON object that is not a valid envelope (wrong field type, no body).
    InvalidEnvelope,
    /// The body is empty or only whitespace.
    EmptyBody,
    /// The HTML yielded no article body.
    HtmlError,
    /// An extraction stage failed.
    StageError,
    /// The record is larger than the broker accepts.
    RecordTooLarge,
}

impl Reason {
    /// Every reason, for pre-registering metric series.
    pub const ALL: [Reason; 9] = [
        Reason::TooLarge,
        Reason::InvalidUtf8,
        Reason::BinaryContent,
        Reason::InvalidJson,
        Reason::InvalidEnvelope,
        Reason::EmptyBody,
        Reason::HtmlError,
        Reason::StageError,
        Reason::RecordTooLarge,
    ];

    /// The stable machine-readable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::TooLarge => "too_large",
            Reason::InvalidUtf8 => "invalid_utf8",
            Reason::BinaryContent => "binary_content",
            Reason::InvalidJson => "invalid_json",
            Reason::InvalidEnvelope => "invalid_envelope",
            Reason::EmptyBody => "empty_body",
            Reason::HtmlError => "html_error",
            Reason::StageError => "stage_error",
            Reason::RecordTooLarge => "record_too_large",
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An input that cannot become a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The stage that gave up (`envelope` for inputs rejected before the pipeline).
    pub stage: &'static str,
    /// The kind of failure.
    pub reason: Reason,
    /// What went wrong, for a person.
    pub message: String,
}

impl Failure {
    /// A failure of `stage` for `reason`.
    pub fn new(stage: &'static str, reason: Reason, message: impl Into<String>) -> Self {
        Failure {
            stage,
            reason,
            message: message.into(),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.reason, self.stage, self.message)
    }
}

impl std::error::Error for Failure {}
