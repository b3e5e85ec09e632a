//! Evaluations against the shared annotated data sets: each reads a corpus, runs the relevant
//! stage (or the whole pipeline) and reports the scores the issues set bars on.

pub mod dates;
pub mod html;
pub mod quotes;
pub mod timex;

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

/// The scores every evaluation shares, from the NER evaluation that the training needs too.
pub use newsworker_extract::ner::{f1, ratio};
