//! Evaluations against the shared annotated data sets: each reads a corpus, runs the relevant
//! stage (or the whole pipeline) and reports the scores the issues set bars on.

pub mod dates;
pub mod html;
pub mod quotes;

use std::path::PathBuf;

/// A data set that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// A file or directory could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A file is not in the format its data set promises.
    #[error("{path}: {message}")]
    Format {
        /// The offending file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
}

/// `part / whole`, or 0 for an empty whole.
pub fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// The harmonic mean of precision and recall (0 when both are 0).
pub fn f1(precision: f64, recall: f64) -> f64 {
    if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    }
}
