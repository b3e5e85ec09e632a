//! Salience: how central an entity is to the article, from 0 to 1.
//!
//! `0.45·ln(1+n)/ln(1+n_max) + 0.25·(1 − first/len) + 0.15·in_title + 0.15·in_lede`,
//! where `n` is the entity's mention count, `n_max` that of the most mentioned entity, `first`
//! the byte offset of its first mention in a text of `len` bytes, `in_title` whether one of
//! its names appears in the headline and `in_lede` whether it is mentioned in the first
//! paragraph: frequency dominates, early and headline entities come next.

use super::aliases::name_key;
use crate::text::tokens::{tokenize, TokenKind};

/// The headline's words, folded like form words.
pub(super) fn title_words(title: Option<&str>) -> Vec<String> {
    let Some(title) = title else {
        return Vec::new();
    };
    tokenize(title)
        .iter()
        .filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::Number))
        .map(|t| name_key(t.text(title)))
        .collect()
}

/// Whether `words` occur as a contiguous run in `haystack`.
pub(super) fn contains_words(haystack: &[String], words: &[String]) -> bool {
    !words.is_empty() && haystack.windows(words.len()).any(|w| w == words)
}

/// The salience formula of the module doc, rounded to three decimals.
pub(super) fn salience(
    count: usize,
    max_count: usize,
    first: usize,
    len: usize,
    in_title: bool,
    in_lede: bool,
) -> f64 {
    let frequency = (1.0 + count as f64).ln() / (1.0 + max_count.max(1) as f64).ln();
    let position = 1.0 - first as f64 / len.max(1) as f64;
    let score = 0.45 * frequency
        + 0.25 * position.clamp(0.0, 1.0)
        + 0.15 * f64::from(u8::from(in_title))
        + 0.15 * f64::from(u8::from(in_lede));
    (score.clamp(0.0, 1.0) * 1000.0).round() / 1000.0
}
