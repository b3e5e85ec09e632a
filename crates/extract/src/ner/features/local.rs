//! The first pass's features of one token: its window, its lexicon matches, and the
//! document's evidence about its word.
//!
//! [`DocumentFeatures::local_features`] is the innermost loop of the whole pipeline: it runs
//! for every token of every article and emits a few dozen keys each time. It therefore never
//! allocates (keys are appended to a buffer the caller reuses), reads only the precomputed
//! [`TokenInfo`]s of the token and its neighbours, and hashes each key in a handful of
//! multiplications. Past the sentence's ends the window sees padding values
//! ([`TokenInfo::boundary`]), so "first word" and "last word" are features too.
//!
//! The templates, in the order their keys are emitted (the order is part of the model:
//! training numbers features as it first meets them):
//!
//! * the bias, a key every token has;
//! * words: the lower-cased word at each offset of the window (±[`MAX_WINDOW`]), the exact
//!   form, the two word bigrams, and prefixes and suffixes of the word;
//! * shapes: the shape, the short shapes of the token and its neighbours and their trigram,
//!   the casing class (with whether the sentence starts here), the short shape of a headline
//!   word, and a word next to a short shape on either side;
//! * word clusters of the token and its neighbours (if enabled);
//! * gazetteer matches of the token and the types matched next to it (if enabled);
//! * document casing: how the document writes the word elsewhere (if enabled);
//! * context aggregation: the neighbours of the word's other capitalised occurrences (if
//!   enabled).

use std::ops::Range;

use super::document::DocumentFeatures;
use super::keys::{template, KeyHasher};
use super::settings::{FeatureSettings, MAX_WINDOW};
use super::token::TokenInfo;

impl DocumentFeatures {
    /// Appends the first-pass feature keys (local, lexicon, document casing and context
    /// aggregation) of the token at flat `position` in `sentence` to `out`.
    pub(crate) fn local_features(
        &self,
        sentence: &Range<usize>,
        position: usize,
        settings: &FeatureSettings,
        out: &mut Vec<u64>,
    ) {
        let current = &self.infos[position];
        let previous = &self.neighbour(sentence, position, -1);
        let next = &self.neighbour(sentence, position, 1);
        out.push(KeyHasher::new(template::BIAS).finish());
        self.window_words(sentence, position, settings.window, out);
        form_features(previous, current, next, settings.affix_len, out);
        shape_features(previous, current, next, out);
        if settings.clusters {
            cluster_features(previous, current, next, out);
        }
        if settings.gazetteer {
            gazetteer_features(previous, current, next, out);
        }
        if settings.document_case && current.casing.has_letters() {
            out.push(
                KeyHasher::new(template::DOCUMENT_CASE)
                    .add(current.casing as u64)
                    .add(u64::from(current.is_initial_or_headline()))
                    .add(u64::from(current.document_case))
                    .finish(),
            );
        }
        if settings.context_aggregation && current.casing.is_capitalised() {
            out.extend(self.aggregated_contexts(current.word));
        }
    }

    /// The lower-cased word at each offset of a window of `window` tokens to each side.
    #[inline]
    fn window_words(
        &self,
        sentence: &Range<usize>,
        position: usize,
        window: usize,
        out: &mut Vec<u64>,
    ) {
        let window = window.min(MAX_WINDOW) as isize;
        for offset in -window..=window {
            out.push(
                KeyHasher::new(template::WORD)
                    .add(offset as u64)
                    .add(self.neighbour(sentence, position, offset).word)
                    .finish(),
            );
        }
    }
}

/// The token's exact form, the word bigrams on either side, and up to `affix_len`
/// prefixes and suffixes.
#[inline]
fn form_features(
    previous: &TokenInfo,
    current: &TokenInfo,
    next: &TokenInfo,
    affix_len: usize,
    out: &mut Vec<u64>,
) {
    out.push(KeyHasher::new(template::EXACT).add(current.exact).finish());
    for (side, first, second) in [(0, previous, current), (1, current, next)] {
        out.push(
            KeyHasher::new(template::BIGRAM)
                .add(side)
                .add(first.word)
                .add(second.word)
                .finish(),
        );
    }
    let affixes = usize::from(current.affixes).min(affix_len);
    for length in 0..affixes {
        out.push(
            KeyHasher::new(template::PREFIX)
                .add(current.prefixes[length])
                .finish(),
        );
        out.push(
            KeyHasher::new(template::SUFFIX)
                .add(current.suffixes[length])
                .finish(),
        );
    }
}

/// The token's shape and casing, alone and next to its neighbours' shapes and words.
#[inline]
fn shape_features(previous: &TokenInfo, current: &TokenInfo, next: &TokenInfo, out: &mut Vec<u64>) {
    out.push(KeyHasher::new(template::SHAPE).add(current.shape).finish());
    for (offset, info) in [(-1i64, previous), (0, current), (1, next)] {
        out.push(
            KeyHasher::new(template::SHORT_SHAPE)
                .add(offset as u64)
                .add(info.short_shape)
                .finish(),
        );
    }
    out.push(
        KeyHasher::new(template::SHAPE_TRIGRAM)
            .add(previous.short_shape)
            .add(current.short_shape)
            .add(next.short_shape)
            .finish(),
    );
    out.push(
        KeyHasher::new(template::CASING_START)
            .add(current.casing as u64)
            .add(u64::from(current.sentence_start))
            .finish(),
    );
    out.push(
        KeyHasher::new(template::HEADLINE_SHAPE)
            .add(u64::from(current.headline))
            .add(current.short_shape)
            .finish(),
    );
    out.push(
        KeyHasher::new(template::WORD_THEN_SHAPE)
            .add(previous.word)
            .add(current.short_shape)
            .finish(),
    );
    out.push(
        KeyHasher::new(template::SHAPE_THEN_WORD)
            .add(current.short_shape)
            .add(next.word)
            .finish(),
    );
}

/// The token's word clusters at every granularity (or a key for an unknown word), and
/// its neighbours' at the two finer ones.
#[inline]
fn cluster_features(
    previous: &TokenInfo,
    current: &TokenInfo,
    next: &TokenInfo,
    out: &mut Vec<u64>,
) {
    let key = |offset: u64, level: u64, id: u16| {
        KeyHasher::new(template::CLUSTER)
            .add(offset)
            .add(level)
            .add(u64::from(id))
            .finish()
    };
    match current.clusters {
        Some(ids) => {
            for (level, id) in ids.iter().enumerate() {
                out.push(key(0, level as u64, *id));
            }
        }
        None if current.casing.has_letters() => out.push(key(0, 9, 0)),
        None => {}
    }
    for (offset, info) in [(1u64, previous), (2, next)] {
        if let Some(ids) = info.clusters {
            out.push(key(offset, 1, ids[1]));
            out.push(key(offset, 2, ids[2]));
        }
    }
}

/// The token's gazetteer match bits, and the entity types matched by its neighbours.
#[inline]
fn gazetteer_features(
    previous: &TokenInfo,
    current: &TokenInfo,
    next: &TokenInfo,
    out: &mut Vec<u64>,
) {
    for bit in 0..16u64 {
        if current.gazetteer & (1 << bit) != 0 {
            out.push(KeyHasher::new(template::GAZETTEER).add(bit).finish());
        }
    }
    for (offset, info) in [(-1i64, previous), (1, next)] {
        if info.gazetteer != 0 {
            out.push(
                KeyHasher::new(template::GAZETTEER_NEIGHBOUR)
                    .add(offset as u64)
                    .add(gazetteer_types(info.gazetteer))
                    .finish(),
            );
        }
    }
}

/// The set of types among gazetteer match bits, as a 4-bit mask.
fn gazetteer_types(bits: u16) -> u64 {
    (0..4).fold(0, |mask, kind| {
        if bits >> (4 * kind) & 0xf != 0 {
            mask | 1 << kind
        } else {
            mask
        }
    })
}
