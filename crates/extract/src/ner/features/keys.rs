//! Feature keys: the one hash every feature, lexicon entry and weight row is found by.
//!
//! A feature is never spelled out as a string. It is a 64-bit key, hashed from a *template*
//! number (which kind of feature: the word two to the left, the shape trigram, …) followed by
//! the values it combines (a window offset, hashes of word forms, small codes), and the model
//! looks its weight row up by that key. Word forms are hashed the same way under a *family*
//! number, so "the lower-cased form" and "the exact form" of the same characters never
//! collide. [`KeyHasher`] is that hash; it is fixed forever, because saved models store keys
//! made with it (change it and every model must be retrained).
//!
//! Keys are already well mixed, so maps keyed by them ([`KeyMap`]) skip hashing altogether.
//! The hash functions are marked `#[inline]`: they run a few dozen times per token, from
//! every module of the feature extractor, in the hottest loop of the pipeline.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A streaming 64-bit hash (FxHash-style combine, SplitMix64 finish) for feature keys.
/// It is fixed forever: saved models store keys made with it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct KeyHasher(u64);

impl KeyHasher {
    /// Starts a hash for values of family `tag`.
    #[inline]
    pub(crate) fn new(tag: u64) -> KeyHasher {
        KeyHasher(mix(tag ^ 0x243f_6a88_85a3_08d3))
    }

    /// Adds one value.
    #[inline]
    pub(crate) fn add(self, value: u64) -> KeyHasher {
        KeyHasher((self.0.rotate_left(5) ^ value).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95))
    }

    /// The finished hash.
    #[inline]
    pub(crate) fn finish(self) -> u64 {
        mix(self.0)
    }
}

/// SplitMix64's finaliser: spreads every input bit over the whole word.
#[inline]
fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// A `Hasher` for keys that are already well-mixed hashes: it passes them through.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct PassThrough(u64);

impl Hasher for PassThrough {
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*byte);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A map keyed by pre-hashed `u64`s; deterministic iteration for a given insertion order.
pub(crate) type KeyMap<V> = HashMap<u64, V, BuildHasherDefault<PassThrough>>;

/// Hash families of token values: the first value hashed into the key of a word form.
pub(super) mod family {
    pub const WORD: u64 = 1;
    pub const LOWER: u64 = 2;
    pub const EXACT: u64 = 3;
    pub const SHAPE: u64 = 4;
    pub const SHORT_SHAPE: u64 = 5;
    pub const PREFIX: u64 = 6;
    pub const SUFFIX: u64 = 7;
}

/// Feature templates: the first value hashed into every feature key.
pub(super) mod template {
    pub const BIAS: u64 = 100;
    pub const WORD: u64 = 101;
    pub const EXACT: u64 = 102;
    pub const BIGRAM: u64 = 103;
    pub const PREFIX: u64 = 104;
    pub const SUFFIX: u64 = 105;
    pub const SHAPE: u64 = 106;
    pub const SHORT_SHAPE: u64 = 107;
    pub const SHAPE_TRIGRAM: u64 = 108;
    pub const CASING_START: u64 = 109;
    pub const HEADLINE_SHAPE: u64 = 110;
    pub const WORD_THEN_SHAPE: u64 = 111;
    pub const SHAPE_THEN_WORD: u64 = 112;
    pub const CLUSTER: u64 = 113;
    pub const GAZETTEER: u64 = 114;
    pub const GAZETTEER_NEIGHBOUR: u64 = 115;
    pub const DOCUMENT_CASE: u64 = 116;
    pub const FIRST_PASS_LABEL: u64 = 117;
    pub const DOCUMENT_TYPE: u64 = 118;
    pub const DOCUMENT_TYPE_CASING: u64 = 119;
    pub const DOCUMENT_SHARE: u64 = 120;
    pub const CONTEXT_AGGREGATE: u64 = 121;
    pub const DOCUMENT_LABEL: u64 = 122;
    // The span typer's templates (module `spans`).
    pub const SPAN_BIAS: u64 = 130;
    pub const SPAN_LENGTH: u64 = 131;
    pub const SPAN_NAME: u64 = 132;
    pub const SPAN_WORD: u64 = 133;
    pub const SPAN_WORD_TYPE: u64 = 134;
    pub const SPAN_FIRST: u64 = 135;
    pub const SPAN_LAST: u64 = 136;
    pub const SPAN_SUFFIX: u64 = 137;
    pub const SPAN_SHAPE: u64 = 138;
    pub const SPAN_CLUSTER: u64 = 139;
    pub const SPAN_CONTEXT: u64 = 140;
    pub const SPAN_CONTEXT_TYPE: u64 = 141;
    pub const SPAN_CONTEXT_CLUSTER: u64 = 142;
    pub const SPAN_NEXT_TO_NUMBER: u64 = 143;
    pub const SPAN_NUMBER_SHARE: u64 = 144;
    pub const SPAN_SENTENCE_TYPE: u64 = 145;
    pub const SPAN_NEIGHBOUR_TYPE: u64 = 146;
    pub const SPAN_DOCUMENT_NAME: u64 = 147;
    pub const SPAN_DOCUMENT_WORD: u64 = 148;
    pub const SPAN_GAZETTEER: u64 = 149;
    pub const SPAN_GAZETTEER_TYPE: u64 = 150;
}
