//! One token, analysed once: the hashes of its forms, its shape, its casing.
//!
//! The tagger reads each token through a window of five, two passes, so everything a feature
//! needs from a token is computed once, in [`TokenInfo::analyse`], and stored as fixed-size
//! values: hashes of its forms (lower-cased, exact, prefixes and suffixes of up to
//! [`MAX_AFFIX`] characters), of its *shape* (each character as `X`, `x`, `d` or itself:
//! "McDonald's" is `XxXxxxxx'x`) and *short shape* (runs collapsed: `XxXx'x`), its
//! [`Casing`] class, and its word-cluster ids. The document-level facts (gazetteer matches,
//! sentence start, headline, how the document writes the word elsewhere) are filled in
//! afterwards by `super::document`, when the whole document is known.

use super::forms::{hash_chars, lower_into, normalize_into, Scratch};
use super::keys::{family, KeyHasher};
use super::settings::MAX_AFFIX;
use crate::ner::lexicon::WordClusters;

/// How a token is capitalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Casing {
    /// Outside the sentence (window padding).
    Boundary = 0,
    /// No letters or digits: punctuation and symbols.
    Punct,
    /// Digits but no letters.
    Number,
    /// Letters, all lower case.
    Lower,
    /// A capital first letter followed only by lower case ("Paris").
    Title,
    /// Letters, all capitals ("NATO", "U.S.").
    Upper,
    /// Any other mix ("McDonald", "iPhone").
    Mixed,
    /// Letters and digits ("G7", "1980s").
    AlphaNum,
}

impl Casing {
    /// The casing class of normalised characters.
    fn of(chars: &[char]) -> Casing {
        let (mut upper, mut lower, mut digits, mut letters) = (0, 0, 0, 0);
        let mut first_upper = false;
        let mut lower_then_upper = false;
        for c in chars {
            if c.is_alphabetic() {
                if c.is_uppercase() {
                    if letters == 0 {
                        first_upper = true;
                    } else if lower > 0 {
                        lower_then_upper = true;
                    }
                    upper += 1;
                } else if c.is_lowercase() {
                    lower += 1;
                }
                letters += 1;
            } else if c.is_numeric() {
                digits += 1;
            }
        }
        match (letters, digits) {
            (0, 0) => Casing::Punct,
            (0, _) => Casing::Number,
            (_, d) if d > 0 => Casing::AlphaNum,
            _ if upper == 0 => Casing::Lower,
            _ if lower == 0 => Casing::Upper,
            _ if first_upper && upper == 1 && !lower_then_upper => Casing::Title,
            _ => Casing::Mixed,
        }
    }

    /// Whether the token has letters (is a word rather than a number or punctuation).
    pub(super) fn has_letters(self) -> bool {
        matches!(
            self,
            Casing::Lower | Casing::Title | Casing::Upper | Casing::Mixed | Casing::AlphaNum
        )
    }

    /// Whether the token is written with capitals, as names are.
    pub(super) fn is_capitalised(self) -> bool {
        matches!(self, Casing::Title | Casing::Upper | Casing::Mixed)
    }
}

/// Everything about one token that features are made of, computed once per token.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TokenInfo {
    /// Lower-cased, digits as `0`.
    pub(super) word: u64,
    /// The exact form, digits as `0`.
    pub(super) exact: u64,
    /// Every character as its class (`X`, `x`, `d`) or itself.
    pub(super) shape: u64,
    /// The shape with runs of one class collapsed.
    pub(super) short_shape: u64,
    /// Prefixes of the word, one to `affixes` characters long.
    pub(super) prefixes: [u64; MAX_AFFIX],
    /// Suffixes of the word, one to `affixes` characters long.
    pub(super) suffixes: [u64; MAX_AFFIX],
    /// How many prefixes and suffixes are set: shorter than the word, at most [`MAX_AFFIX`].
    pub(super) affixes: u8,
    /// The casing class.
    pub(super) casing: Casing,
    /// Cluster ids at the 64, 256 and 1024 granularities, if the word is known.
    pub(super) clusters: Option<[u16; 3]>,
    /// Gazetteer matches: bit `4 * type + position` (BILOU position, B=0 … U=3).
    pub(super) gazetteer: u16,
    /// True when only punctuation precedes the token in its sentence.
    pub(super) sentence_start: bool,
    /// True when the token's sentence is written in capitals (a headline or dateline).
    pub(super) headline: bool,
    /// Bit 0: written in lower case elsewhere in the document; bit 1: capitalised in
    /// running text (not sentence-initial, not a headline) elsewhere in the document.
    pub(super) document_case: u8,
}

impl TokenInfo {
    /// The padding value before (`end == false`) or after the sentence.
    pub(super) fn boundary(end: bool) -> TokenInfo {
        let value = if end { 0xe0d } else { 0xb05 };
        TokenInfo {
            word: value,
            exact: value,
            shape: value,
            short_shape: value,
            prefixes: [value; MAX_AFFIX],
            suffixes: [value; MAX_AFFIX],
            affixes: 0,
            casing: Casing::Boundary,
            clusters: None,
            gazetteer: 0,
            sentence_start: false,
            headline: false,
            document_case: 0,
        }
    }

    /// Analyses one token; `lower_key`/`word_key` agree with the values stored here.
    pub(super) fn analyse(
        token: &str,
        clusters: &WordClusters,
        scratch: &mut Scratch,
    ) -> TokenInfo {
        normalize_into(token, &mut scratch.normalized);
        let chars = &scratch.normalized;
        let casing = Casing::of(chars);
        let (shape, short_shape) = shape_keys(chars);
        let exact = hash_chars(
            family::EXACT,
            chars.iter().map(|&c| if c.is_numeric() { '0' } else { c }),
        );
        lower_into(chars, false, &mut scratch.lowered);
        let cluster_ids = clusters.get(hash_chars(family::LOWER, scratch.lowered.iter().copied()));
        for c in scratch.lowered.iter_mut() {
            if c.is_numeric() {
                *c = '0';
            }
        }
        let lowered = &scratch.lowered;
        let word = hash_chars(family::WORD, lowered.iter().copied());
        let (prefixes, suffixes, affixes) = affix_keys(lowered);
        TokenInfo {
            word,
            exact,
            shape,
            short_shape,
            prefixes,
            suffixes,
            affixes,
            casing,
            clusters: cluster_ids,
            gazetteer: 0,
            sentence_start: false,
            headline: false,
            document_case: 0,
        }
    }

    /// Whether a gazetteer match may start here: capitalised or a number, as names are.
    pub(super) fn may_start_name(&self) -> bool {
        self.casing.is_capitalised() || matches!(self.casing, Casing::Number | Casing::AlphaNum)
    }

    /// Whether the token's capitals say little about it: the first word of a sentence or a
    /// word of a headline is capitalised whatever it is.
    pub(super) fn is_initial_or_headline(&self) -> bool {
        self.sentence_start || self.headline
    }
}

/// The shape and short-shape keys of normalised characters.
fn shape_keys(chars: &[char]) -> (u64, u64) {
    let mut shape = KeyHasher::new(family::SHAPE);
    let mut short_shape = KeyHasher::new(family::SHORT_SHAPE);
    let mut previous_class = None;
    for c in chars {
        let class = if c.is_uppercase() {
            'X'
        } else if c.is_alphabetic() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            *c
        };
        shape = shape.add(u64::from(class));
        if previous_class != Some(class) {
            short_shape = short_shape.add(u64::from(class));
        }
        previous_class = Some(class);
    }
    (shape.finish(), short_shape.finish())
}

/// The prefix and suffix keys of a lower-cased word, and how many of each are set: one per
/// length from 1 to [`MAX_AFFIX`], shorter than the word itself.
fn affix_keys(lowered: &[char]) -> ([u64; MAX_AFFIX], [u64; MAX_AFFIX], u8) {
    let affixes = lowered.len().saturating_sub(1).min(MAX_AFFIX);
    let mut prefixes = [0; MAX_AFFIX];
    let mut suffixes = [0; MAX_AFFIX];
    for length in 1..=affixes {
        prefixes[length - 1] = hash_chars(family::PREFIX, lowered[..length].iter().copied());
        let suffix = &lowered[lowered.len() - length..];
        suffixes[length - 1] = hash_chars(family::SUFFIX, suffix.iter().copied());
    }
    // At most MAX_AFFIX, so the cast cannot truncate.
    (prefixes, suffixes, affixes as u8)
}
