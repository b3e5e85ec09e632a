//! Feature extraction: turns a document's tokens into 64-bit feature keys per token.
//!
//! Why keys and not strings: the tagger must run at hundreds of thousands of tokens per
//! second, so no feature is ever spelled out. Each token is analysed once into a
//! [`TokenInfo`](token::TokenInfo) of hashes (lower-cased form, exact form, affixes, shapes)
//! plus small codes (casing, word clusters, gazetteer matches, document casing evidence); a
//! feature is then a hash of a template number, a window offset and one or more of those
//! values. The model maps keys to weight rows; keys it never saw in training are ignored.
//!
//! Besides the token's own window, two document-level families help where one sentence
//! is not enough: how the same word is capitalised elsewhere in the document (an ALL-CAPS
//! headline word that appears capitalised mid-sentence is a name), and context
//! aggregation (Ratinov & Roth 2009): a capitalised word also sees the words next to its
//! other occurrences ("Pirelli" next to "SpA" elsewhere in the story).
//!
//! Text is normalised first: typographic quotes and apostrophes become `"` and `'`,
//! dashes `-`, the ellipsis `...` — CoNLL-2003 is ASCII, article text is not. Digits
//! become `0` in word features, so "1996-08-22" and "2025-03-01" share weights.
//!
//! The modules follow a token's way to its keys:
//!
//! * `forms`: normalising a token's characters and hashing its word forms, with the
//!   reusable [`Scratch`] buffers that keep analysis allocation-free;
//! * `token`: the one-time analysis of a token into a `TokenInfo` (forms, shapes,
//!   affixes, casing, clusters);
//! * `document`: a whole document analysed, with the evidence only the document gives
//!   (headlines, gazetteer matches, document casing, context aggregation);
//! * `local` and `second_pass`: the keys of one token, for the first and second pass;
//! * `spans`: the keys of one mention the tagger found, seen whole, for the span typer;
//! * `keys`: the hash every key is made with, and the template and family numbers;
//! * `settings`: which families a model uses.

mod document;
mod forms;
mod keys;
mod local;
mod second_pass;
mod settings;
mod spans;
#[cfg(test)]
mod tests;
mod token;

pub(crate) use document::{DocumentFeatures, Resources};
#[cfg(feature = "training")]
pub(crate) use forms::lower_text;
pub(crate) use forms::{lower_key, word_key, Scratch};
pub(crate) use keys::{KeyHasher, KeyMap};
pub use settings::FeatureSettings;
