//! Evaluations against the shared annotated data sets: each reads a corpus, runs the relevant
//! stage (or the whole pipeline) and reports the scores the issues set bars on.

pub mod dates;
pub mod html;
pub mod quotes;
