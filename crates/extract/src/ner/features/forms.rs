//! Word forms: a token's characters normalised to what the model was trained on, and the
//! keys of its lower-cased forms.
//!
//! CoNLL-2003, the training data, is ASCII; article text is not. Before any form is hashed,
//! typographic quotes and apostrophes become `"` and `'`, dashes `-`, the ellipsis `...`, and
//! exotic spaces a plain space ([`normalize_into`]), so “curly” text scores like CoNLL's. A
//! word's identity is then its lower-cased form, with every digit written as `0` in word
//! features ([`word_key`]), so "1996-08-22" and "2025-03-01" share weights; the word-cluster
//! table keeps the digits ([`lower_key`]).
//!
//! Every function writes into the buffers of a [`Scratch`], owned by the caller and reused
//! from token to token, so analysing a document allocates nothing per token.

use super::keys::{family, KeyHasher};

/// Reusable buffers for analysing tokens without allocating per token.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    /// The token's normalised characters.
    pub(super) normalized: Vec<char>,
    /// The normalised characters, lower-cased.
    pub(super) lowered: Vec<char>,
}

/// Maps typographic characters that CoNLL's ASCII text lacks onto their ASCII forms.
fn push_normalized(c: char, out: &mut Vec<char>) {
    let mapped = match c {
        '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '\u{00b4}' | '`'
        | '\u{2039}' | '\u{203a}' => '\'',
        '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' | '\u{00ab}'
        | '\u{00bb}' => '"',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' => '-',
        '\u{2026}' => {
            out.extend(['.', '.', '.']);
            return;
        }
        '\u{00a0}' | '\u{202f}' | '\u{2009}' => ' ',
        other => other,
    };
    out.push(mapped);
}

/// The normalised characters of `token` (PTB's ``` `` ``` and `''` become `"`).
pub(super) fn normalize_into(token: &str, out: &mut Vec<char>) {
    out.clear();
    if token == "``" || token == "''" {
        out.push('"');
        return;
    }
    for c in token.chars() {
        push_normalized(c, out);
    }
}

/// Lower-cases normalised characters; `zero_digits` also maps every digit to `0`.
pub(super) fn lower_into(chars: &[char], zero_digits: bool, out: &mut Vec<char>) {
    out.clear();
    for c in chars {
        if zero_digits && c.is_numeric() {
            out.push('0');
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

/// Hashes a character sequence in `family`.
pub(super) fn hash_chars(family: u64, chars: impl IntoIterator<Item = char>) -> u64 {
    chars
        .into_iter()
        .fold(KeyHasher::new(family), |h, c| h.add(u64::from(c)))
        .finish()
}

/// The normalised, lower-cased characters of `token`, in `scratch`; `zero_digits` also maps
/// every digit to `0`.
fn lowered<'s>(token: &str, zero_digits: bool, scratch: &'s mut Scratch) -> &'s [char] {
    normalize_into(token, &mut scratch.normalized);
    lower_into(&scratch.normalized, zero_digits, &mut scratch.lowered);
    &scratch.lowered
}

/// Hash of a token's lower-cased form with digits as `0`: the word identity used by
/// word features and the gazetteer.
pub(crate) fn word_key(token: &str, scratch: &mut Scratch) -> u64 {
    hash_chars(family::WORD, lowered(token, true, scratch).iter().copied())
}

/// Hash of a token's lower-cased form with digits kept: the key of the cluster table.
pub(crate) fn lower_key(token: &str, scratch: &mut Scratch) -> u64 {
    hash_chars(
        family::LOWER,
        lowered(token, false, scratch).iter().copied(),
    )
}

#[cfg(feature = "training")]
/// The normalised, lower-cased text of a token (digits kept), as stored in lexicons.
pub(crate) fn lower_text(token: &str, scratch: &mut Scratch) -> String {
    lowered(token, false, scratch).iter().collect()
}
