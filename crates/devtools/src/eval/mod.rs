//! Evaluations against the shared annotated data sets: each reads a corpus, runs the relevant
//! stage (or the whole pipeline) and reports the scores the issues set bars on. What they
//! share lives here: the error type, the ratios, and the alignment of a record's normalised
//! text back to the raw text the annotations point into.

pub mod dates;
pub mod geo;
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

/// Characters the text stage drops: zero-width and soft hyphens.
fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}'
    )
}

/// For every character of a record's `normalised` text, the index of the character of the `raw`
/// text given to the pipeline it came from, for scoring record offsets against annotations of
/// the raw text. Equal characters pair up; whitespace and invisible characters are skipped on
/// either side, and so are raw combining marks (NFC composed them into the character before:
/// "A" and U+0303 became "Ã"), so that offsets after a decomposed accent do not drift; any other
/// difference (a composed accent) pairs the two characters and moves on.
pub(crate) fn align(normalised: &[char], raw: &[char]) -> Vec<usize> {
    let mut out = Vec::with_capacity(normalised.len());
    let mut r = 0;
    for &c in normalised {
        if c.is_whitespace() {
            out.push(r.min(raw.len()));
            continue;
        }
        let skipped = |x: char| x.is_whitespace() || invisible(x) || combining(x);
        while r < raw.len() && raw[r] != c && skipped(raw[r]) {
            r += 1;
        }
        out.push(r.min(raw.len()));
        r += 1;
    }
    out
}

/// Combining marks, which NFC composes into the character before them.
fn combining(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36f}' | '\u{1ab0}'..='\u{1aff}' | '\u{1dc0}'..='\u{1dff}' | '\u{20d0}'..='\u{20ff}' | '\u{fe20}'..='\u{fe2f}')
}
