//! Feature extraction: turns a document's tokens into 64-bit feature keys per token.
//!
//! Why keys and not strings: the tagger must run at hundreds of thousands of tokens per
//! second, so no feature is ever spelled out. Each token is analysed once into a
//! [`TokenInfo`] of hashes (lower-cased form, exact form, affixes, shapes) plus small
//! codes (casing, word clusters, gazetteer matches, document casing evidence); a feature
//! is then a hash of a template number, a window offset and one or more of those values.
//! The model maps keys to weight rows; keys it never saw in training are ignored.
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

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use serde::{Deserialize, Serialize};

use super::labels::{Label, LABEL_COUNT};
use super::lexicon::{Gazetteer, WordClusters};

/// Which feature families the tagger uses; saved inside the model so run time extracts
/// exactly what training did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FeatureSettings {
    /// Words to each side whose forms are features (0..=2).
    pub window: usize,
    /// Longest prefix and suffix used as a feature, in characters (0..=4).
    pub affix_len: usize,
    /// Word-vector cluster features.
    pub clusters: bool,
    /// Training-set gazetteer match features.
    pub gazetteer: bool,
    /// How the same word is capitalised elsewhere in the document.
    pub document_case: bool,
    /// The words next to other occurrences of the same capitalised word in the
    /// document (context aggregation).
    pub context_aggregation: bool,
    /// A second pass that sees the first pass's labels for the same word elsewhere in
    /// the document.
    pub second_pass: bool,
}

impl Default for FeatureSettings {
    fn default() -> Self {
        FeatureSettings {
            window: 2,
            affix_len: 4,
            clusters: true,
            gazetteer: true,
            document_case: true,
            context_aggregation: true,
            second_pass: true,
        }
    }
}

/// Longest affix the extractor supports.
pub(crate) const MAX_AFFIX: usize = 4;
/// Widest window the extractor supports.
pub(crate) const MAX_WINDOW: usize = 2;

/// A streaming 64-bit hash (FxHash-style combine, SplitMix64 finish) for feature keys.
/// It is fixed forever: saved models store keys made with it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct KeyHasher(u64);

impl KeyHasher {
    /// Starts a hash for values of family `tag`.
    pub(crate) fn new(tag: u64) -> KeyHasher {
        KeyHasher(mix(tag ^ 0x243f_6a88_85a3_08d3))
    }

    /// Adds one value.
    pub(crate) fn add(self, value: u64) -> KeyHasher {
        KeyHasher((self.0.rotate_left(5) ^ value).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95))
    }

    /// The finished hash.
    pub(crate) fn finish(self) -> u64 {
        mix(self.0)
    }
}

/// SplitMix64's finaliser: spreads every input bit over the whole word.
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

/// Hash families of token values.
mod family {
    pub const WORD: u64 = 1;
    pub const LOWER: u64 = 2;
    pub const EXACT: u64 = 3;
    pub const SHAPE: u64 = 4;
    pub const SHORT_SHAPE: u64 = 5;
    pub const PREFIX: u64 = 6;
    pub const SUFFIX: u64 = 7;
}

/// Feature templates: the first value hashed into every key.
mod template {
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
pub(crate) fn normalize_into(token: &str, out: &mut Vec<char>) {
    out.clear();
    if token == "``" || token == "''" {
        out.push('"');
        return;
    }
    for c in token.chars() {
        push_normalized(c, out);
    }
}

/// Hashes a character sequence in `family`.
fn hash_chars(family: u64, chars: &[char]) -> u64 {
    chars
        .iter()
        .fold(KeyHasher::new(family), |h, c| h.add(u64::from(*c)))
        .finish()
}

/// Lower-cases normalised characters; `zero_digits` also maps every digit to `0`.
fn lower_into(chars: &[char], zero_digits: bool, out: &mut Vec<char>) {
    out.clear();
    for c in chars {
        if zero_digits && c.is_numeric() {
            out.push('0');
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

/// Reusable buffers for analysing tokens without allocating per token.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    normalized: Vec<char>,
    lowered: Vec<char>,
}

/// Hash of a token's lower-cased form with digits as `0`: the word identity used by
/// word features and the gazetteer.
pub(crate) fn word_key(token: &str, scratch: &mut Scratch) -> u64 {
    normalize_into(token, &mut scratch.normalized);
    lower_into(&scratch.normalized, true, &mut scratch.lowered);
    hash_chars(family::WORD, &scratch.lowered)
}

/// Hash of a token's lower-cased form with digits kept: the key of the cluster table.
pub(crate) fn lower_key(token: &str, scratch: &mut Scratch) -> u64 {
    normalize_into(token, &mut scratch.normalized);
    lower_into(&scratch.normalized, false, &mut scratch.lowered);
    hash_chars(family::LOWER, &scratch.lowered)
}

#[cfg(feature = "training")]
/// The normalised, lower-cased text of a token (digits kept), as stored in lexicons.
pub(crate) fn lower_text(token: &str, scratch: &mut Scratch) -> String {
    normalize_into(token, &mut scratch.normalized);
    lower_into(&scratch.normalized, false, &mut scratch.lowered);
    scratch.lowered.iter().collect()
}

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

    fn has_letters(self) -> bool {
        matches!(
            self,
            Casing::Lower | Casing::Title | Casing::Upper | Casing::Mixed | Casing::AlphaNum
        )
    }

    fn is_capitalised(self) -> bool {
        matches!(self, Casing::Title | Casing::Upper | Casing::Mixed)
    }
}

/// Everything about one token that features are made of, computed once per token.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TokenInfo {
    /// Lower-cased, digits as `0`.
    pub(crate) word: u64,
    exact: u64,
    shape: u64,
    short_shape: u64,
    prefixes: [u64; MAX_AFFIX],
    suffixes: [u64; MAX_AFFIX],
    affixes: u8,
    casing: Casing,
    /// Cluster ids at the 64, 256 and 1024 granularities, if the word is known.
    clusters: Option<[u16; 3]>,
    /// Gazetteer matches: bit `4 * type + position` (BILOU position, B=0 … U=3).
    gazetteer: u16,
    /// True when only punctuation precedes the token in its sentence.
    sentence_start: bool,
    /// True when the token's sentence is written in capitals (a headline or dateline).
    headline: bool,
    /// Bit 0: written in lower case elsewhere in the document; bit 1: capitalised in
    /// running text (not sentence-initial, not a headline) elsewhere in the document.
    document_case: u8,
}

impl TokenInfo {
    /// The padding value before (`end == false`) or after the sentence.
    fn boundary(end: bool) -> TokenInfo {
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
    fn analyse(token: &str, clusters: &WordClusters, scratch: &mut Scratch) -> TokenInfo {
        normalize_into(token, &mut scratch.normalized);
        let chars = &scratch.normalized;
        let casing = Casing::of(chars);
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
        let exact = chars
            .iter()
            .map(|c| if c.is_numeric() { '0' } else { *c })
            .fold(KeyHasher::new(family::EXACT), |h, c| h.add(u64::from(c)))
            .finish();
        lower_into(chars, false, &mut scratch.lowered);
        let cluster_ids = clusters.get(hash_chars(family::LOWER, &scratch.lowered));
        for c in scratch.lowered.iter_mut() {
            if c.is_numeric() {
                *c = '0';
            }
        }
        let lowered = &scratch.lowered;
        let word = hash_chars(family::WORD, lowered);
        let affixes = lowered.len().saturating_sub(1).min(MAX_AFFIX);
        let mut prefixes = [0; MAX_AFFIX];
        let mut suffixes = [0; MAX_AFFIX];
        for length in 1..=affixes {
            prefixes[length - 1] = hash_chars(family::PREFIX, &lowered[..length]);
            suffixes[length - 1] = hash_chars(family::SUFFIX, &lowered[lowered.len() - length..]);
        }
        TokenInfo {
            word,
            exact,
            shape: shape.finish(),
            short_shape: short_shape.finish(),
            prefixes,
            suffixes,
            // At most MAX_AFFIX, so the cast cannot truncate.
            affixes: affixes as u8,
            casing,
            clusters: cluster_ids,
            gazetteer: 0,
            sentence_start: false,
            headline: false,
            document_case: 0,
        }
    }

    /// Whether a gazetteer match may start here: capitalised or a number, as names are.
    fn may_start_name(&self) -> bool {
        self.casing.is_capitalised() || matches!(self.casing, Casing::Number | Casing::AlphaNum)
    }
}

/// The lexical resources features draw on.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Resources<'a> {
    pub(crate) clusters: &'a WordClusters,
    pub(crate) gazetteer: &'a Gazetteer,
}

/// A document analysed for feature extraction: token infos for all its tokens, flat,
/// and the range of each sentence.
#[derive(Debug)]
pub(crate) struct DocumentFeatures {
    infos: Vec<TokenInfo>,
    sentences: Vec<std::ops::Range<usize>>,
    /// Sorted, distinct `(word, neighbour feature)` pairs over the capitalised tokens
    /// of the document (context aggregation).
    aggregates: Vec<(u64, u64)>,
}

impl DocumentFeatures {
    /// Analyses every token of a document.
    pub(crate) fn new<S: AsRef<str>>(
        sentences: &[Vec<S>],
        resources: Resources<'_>,
        settings: &FeatureSettings,
        scratch: &mut Scratch,
    ) -> DocumentFeatures {
        let total = sentences.iter().map(Vec::len).sum();
        let mut infos = Vec::with_capacity(total);
        let mut ranges = Vec::with_capacity(sentences.len());
        for sentence in sentences {
            let start = infos.len();
            let mut sentence_start = true;
            for token in sentence {
                let mut info = TokenInfo::analyse(token.as_ref(), resources.clusters, scratch);
                info.sentence_start = sentence_start;
                sentence_start &= matches!(info.casing, Casing::Punct);
                infos.push(info);
            }
            let range = start..infos.len();
            mark_headline(&mut infos[range.clone()]);
            if settings.gazetteer {
                mark_gazetteer_matches(resources.gazetteer, &mut infos[range.clone()]);
            }
            ranges.push(range);
        }
        if settings.document_case {
            mark_document_case(&mut infos);
        }
        let aggregates = if settings.context_aggregation {
            aggregate_contexts(&infos, &ranges)
        } else {
            Vec::new()
        };
        DocumentFeatures {
            infos,
            sentences: ranges,
            aggregates,
        }
    }

    /// Number of tokens in the document.
    pub(crate) fn len(&self) -> usize {
        self.infos.len()
    }

    /// The flat token range of each sentence.
    pub(crate) fn sentences(&self) -> &[std::ops::Range<usize>] {
        &self.sentences
    }

    fn neighbour(
        &self,
        sentence: &std::ops::Range<usize>,
        position: usize,
        offset: isize,
    ) -> TokenInfo {
        match position.checked_add_signed(offset) {
            Some(p) if sentence.contains(&p) => self.infos[p],
            _ => TokenInfo::boundary(offset > 0),
        }
    }

    /// Appends the first-pass feature keys (local, lexicon, document casing and context
    /// aggregation) of the token at flat `position` in `sentence` to `out`.
    pub(crate) fn local_features(
        &self,
        sentence: &std::ops::Range<usize>,
        position: usize,
        settings: &FeatureSettings,
        out: &mut Vec<u64>,
    ) {
        let at = |offset: isize| self.neighbour(sentence, position, offset);
        let key = |template: u64| KeyHasher::new(template);
        let current = self.infos[position];
        let (previous, next) = (at(-1), at(1));
        out.push(key(template::BIAS).finish());
        let window = settings.window.min(MAX_WINDOW) as isize;
        for offset in -window..=window {
            out.push(
                key(template::WORD)
                    .add(offset as u64)
                    .add(at(offset).word)
                    .finish(),
            );
        }
        out.push(key(template::EXACT).add(current.exact).finish());
        out.push(
            key(template::BIGRAM)
                .add(0)
                .add(previous.word)
                .add(current.word)
                .finish(),
        );
        out.push(
            key(template::BIGRAM)
                .add(1)
                .add(current.word)
                .add(next.word)
                .finish(),
        );
        let affixes = usize::from(current.affixes).min(settings.affix_len);
        for length in 0..affixes {
            out.push(key(template::PREFIX).add(current.prefixes[length]).finish());
            out.push(key(template::SUFFIX).add(current.suffixes[length]).finish());
        }
        out.push(key(template::SHAPE).add(current.shape).finish());
        for (offset, info) in [(-1i64, previous), (0, current), (1, next)] {
            out.push(
                key(template::SHORT_SHAPE)
                    .add(offset as u64)
                    .add(info.short_shape)
                    .finish(),
            );
        }
        out.push(
            key(template::SHAPE_TRIGRAM)
                .add(previous.short_shape)
                .add(current.short_shape)
                .add(next.short_shape)
                .finish(),
        );
        out.push(
            key(template::CASING_START)
                .add(current.casing as u64)
                .add(u64::from(current.sentence_start))
                .finish(),
        );
        out.push(
            key(template::HEADLINE_SHAPE)
                .add(u64::from(current.headline))
                .add(current.short_shape)
                .finish(),
        );
        out.push(
            key(template::WORD_THEN_SHAPE)
                .add(previous.word)
                .add(current.short_shape)
                .finish(),
        );
        out.push(
            key(template::SHAPE_THEN_WORD)
                .add(current.short_shape)
                .add(next.word)
                .finish(),
        );
        if settings.clusters {
            self.cluster_features(&current, &previous, &next, out);
        }
        if settings.gazetteer {
            for bit in 0..16u64 {
                if current.gazetteer & (1 << bit) != 0 {
                    out.push(key(template::GAZETTEER).add(bit).finish());
                }
            }
            for (offset, info) in [(-1i64, previous), (1, next)] {
                if info.gazetteer != 0 {
                    let types = gazetteer_types(info.gazetteer);
                    out.push(
                        key(template::GAZETTEER_NEIGHBOUR)
                            .add(offset as u64)
                            .add(types)
                            .finish(),
                    );
                }
            }
        }
        if settings.document_case && current.casing.has_letters() {
            out.push(
                key(template::DOCUMENT_CASE)
                    .add(current.casing as u64)
                    .add(u64::from(current.sentence_start || current.headline))
                    .add(u64::from(current.document_case))
                    .finish(),
            );
        }
        if settings.context_aggregation && current.casing.is_capitalised() {
            let first = self
                .aggregates
                .partition_point(|(word, _)| *word < current.word);
            let same_word = self.aggregates[first..]
                .iter()
                .take_while(|(word, _)| *word == current.word)
                .take(MAX_AGGREGATES);
            out.extend(same_word.map(|(_, feature)| *feature));
        }
    }

    fn cluster_features(
        &self,
        current: &TokenInfo,
        previous: &TokenInfo,
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

    /// Appends the second-pass feature keys of the token at flat `position`, given the
    /// first pass's labels for the whole document (`first_pass[i]` for token `i`) and
    /// the per-word label counts from [`DocumentFeatures::label_counts`].
    pub(crate) fn second_pass_features(
        &self,
        sentence: &std::ops::Range<usize>,
        position: usize,
        first_pass: &[Label],
        counts: &KeyMap<[u16; LABEL_COUNT]>,
        out: &mut Vec<u64>,
    ) {
        let key = |template: u64| KeyHasher::new(template);
        for offset in -1isize..=1 {
            let label = match position.checked_add_signed(offset) {
                Some(p) if sentence.contains(&p) => first_pass.get(p).map_or(99, |l| l.index()),
                _ => 98,
            };
            out.push(
                key(template::FIRST_PASS_LABEL)
                    .add(offset as u64)
                    .add(label as u64)
                    .finish(),
            );
        }
        let current = self.infos[position];
        if !current.casing.has_letters() {
            return;
        }
        let Some(all) = counts.get(&current.word) else {
            return;
        };
        let mut labels = *all;
        let own = first_pass.get(position).map_or(0, |l| l.index());
        labels[own] = labels[own].saturating_sub(1);
        let mut others = [0u16; LABEL_TYPES];
        for (index, count) in labels.iter().enumerate() {
            let slot = &mut others[type_slot(Label::from_index(index))];
            *slot = slot.saturating_add(*count);
        }
        let total: u32 = others.iter().map(|c| u32::from(*c)).sum();
        if total == 0 {
            return;
        }
        let entities = total - u32::from(others[0]);
        let share = match entities {
            0 => 0,
            e if e == total => 3,
            e if 2 * e >= total => 2,
            _ => 1,
        };
        out.push(
            key(template::DOCUMENT_SHARE)
                .add(share)
                .add(current.casing as u64)
                .finish(),
        );
        let best = (1..LABEL_TYPES).max_by_key(|slot| (others[*slot], std::cmp::Reverse(*slot)));
        if let Some(slot) = best.filter(|slot| others[*slot] > 0) {
            out.push(key(template::DOCUMENT_TYPE).add(slot as u64).finish());
            out.push(
                key(template::DOCUMENT_TYPE_CASING)
                    .add(slot as u64)
                    .add(current.casing as u64)
                    .add(u64::from(current.sentence_start || current.headline))
                    .finish(),
            );
            let label = (1..LABEL_COUNT).max_by_key(|l| (labels[*l], std::cmp::Reverse(*l)));
            if let Some(label) = label {
                out.push(key(template::DOCUMENT_LABEL).add(label as u64).finish());
            }
        }
    }

    /// For each word (lower-cased form) of the document, how many of its occurrences
    /// got each label.
    pub(crate) fn label_counts(&self, labels: &[Label]) -> KeyMap<[u16; LABEL_COUNT]> {
        let mut counts: KeyMap<[u16; LABEL_COUNT]> = KeyMap::default();
        for (info, label) in self.infos.iter().zip(labels) {
            if info.casing.has_letters() {
                let slot = &mut counts.entry(info.word).or_default()[label.index()];
                *slot = slot.saturating_add(1);
            }
        }
        counts
    }

    /// The analysis of the token at flat `position`.
    #[cfg(test)]
    pub(crate) fn info(&self, position: usize) -> &TokenInfo {
        &self.infos[position]
    }
}

/// Most context-aggregation features per token: frequent names have many contexts,
/// and a bounded sample of them carries the evidence.
const MAX_AGGREGATES: usize = 12;

/// The previous and next words of every capitalised token, keyed by its word, sorted
/// and deduplicated, as ready-made feature keys.
fn aggregate_contexts(
    infos: &[TokenInfo],
    sentences: &[std::ops::Range<usize>],
) -> Vec<(u64, u64)> {
    let mut pairs = Vec::new();
    for sentence in sentences {
        for position in sentence.clone() {
            let info = &infos[position];
            if !info.casing.is_capitalised() || info.headline {
                continue;
            }
            let previous = position.checked_sub(1).filter(|p| sentence.contains(p));
            let next = Some(position + 1).filter(|p| sentence.contains(p));
            for (side, neighbour) in [(0u64, previous), (1, next)] {
                let word = neighbour.map_or(0xb0d, |p| infos[p].word);
                let feature = KeyHasher::new(template::CONTEXT_AGGREGATE)
                    .add(side)
                    .add(word)
                    .finish();
                pairs.push((info.word, feature));
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

/// Slots in per-word type counts: `O` and the four types.
const LABEL_TYPES: usize = 5;

fn type_slot(label: Label) -> usize {
    label.kind().map_or(0, |kind| kind.index() + 1)
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

/// Flags every token of a sentence written in capitals (at least one word of two or
/// more letters, no lower-case word): headlines and datelines like "BRUSSELS 1996-08-22".
fn mark_headline(sentence: &mut [TokenInfo]) {
    let mut capitals = 0;
    for info in sentence.iter() {
        match info.casing {
            Casing::Upper => capitals += 1,
            Casing::Lower | Casing::Title | Casing::Mixed => return,
            _ => {}
        }
    }
    if capitals > 0 {
        for info in sentence.iter_mut() {
            info.headline = true;
        }
    }
}

/// Records, per word, whether the document writes it in lower case somewhere and
/// whether it capitalises it in running text somewhere — evidence for proper nouns that
/// a sentence-initial or ALL-CAPS occurrence alone cannot give.
fn mark_document_case(infos: &mut [TokenInfo]) {
    let mut seen: KeyMap<u8> = KeyMap::default();
    for info in infos.iter() {
        let flag = match info.casing {
            Casing::Lower => 1,
            Casing::Title | Casing::Mixed if !info.sentence_start && !info.headline => 2,
            _ => 0,
        };
        if flag != 0 {
            *seen.entry(info.word).or_default() |= flag;
        }
    }
    for info in infos.iter_mut() {
        info.document_case = seen.get(&info.word).copied().unwrap_or(0);
    }
}

/// Sets the gazetteer bits of every token of a sentence covered by a gazetteer entry.
fn mark_gazetteer_matches(gazetteer: &Gazetteer, sentence: &mut [TokenInfo]) {
    for start in 0..sentence.len() {
        if !sentence[start].may_start_name() {
            continue;
        }
        let mut key = Gazetteer::start_key();
        for end in start..sentence.len().min(start + gazetteer.max_len()) {
            key = Gazetteer::extend_key(key, sentence[end].word);
            let Some(entry) = gazetteer.lookup(key) else {
                break;
            };
            for (kind, present) in entry.types().into_iter().enumerate() {
                if !present {
                    continue;
                }
                for (index, info) in sentence[start..=end].iter_mut().enumerate() {
                    let position = match (index == 0, start + index == end) {
                        (true, true) => 3,
                        (true, false) => 0,
                        (false, true) => 2,
                        (false, false) => 1,
                    };
                    info.gazetteer |= 1 << (4 * kind + position);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::EntityType;

    fn analyse(token: &str) -> TokenInfo {
        TokenInfo::analyse(token, &WordClusters::default(), &mut Scratch::default())
    }

    fn document(sentences: &[&[&str]], gazetteer: &Gazetteer) -> DocumentFeatures {
        let sentences: Vec<Vec<&str>> = sentences.iter().map(|s| s.to_vec()).collect();
        let clusters = WordClusters::default();
        DocumentFeatures::new(
            &sentences,
            Resources {
                clusters: &clusters,
                gazetteer,
            },
            &FeatureSettings::default(),
            &mut Scratch::default(),
        )
    }

    #[test]
    fn typographic_forms_match_ascii() {
        assert_eq!(analyse("\u{2019}s").word, analyse("'s").word);
        assert_eq!(analyse("\u{201c}").exact, analyse("\"").exact);
        assert_eq!(analyse("``").shape, analyse("\"").shape);
        assert_eq!(analyse("\u{2014}").word, analyse("-").word);
        assert_eq!(analyse("\u{2026}").word, analyse("...").word);
    }

    #[test]
    fn word_is_lowercased_and_digit_normalised() {
        assert_eq!(analyse("BRUSSELS").word, analyse("Brussels").word);
        assert_ne!(analyse("BRUSSELS").exact, analyse("Brussels").exact);
        assert_eq!(analyse("1996-08-22").word, analyse("2025-03-01").word);
        let mut scratch = Scratch::default();
        assert_eq!(word_key("Paris", &mut scratch), analyse("PARIS").word);
        assert_eq!(lower_text("Kyiv\u{2019}s", &mut scratch), "kyiv's");
    }

    #[test]
    fn shapes_and_affixes() {
        assert_eq!(
            analyse("Blackburn").short_shape,
            analyse("Paris").short_shape
        );
        assert_ne!(analyse("Blackburn").shape, analyse("Paris").shape);
        assert_eq!(analyse("U.S.").short_shape, analyse("E.U.").short_shape);
        assert_eq!(
            analyse("walking").suffixes[2],
            analyse("talking").suffixes[2]
        );
        assert_eq!(analyse("a").affixes, 0);
        assert_eq!(analyse("ab").affixes, 1);
        assert_eq!(analyse("").affixes, 0);
    }

    #[test]
    fn casing_classes() {
        let casing = |t: &str| analyse(t).casing;
        assert_eq!(casing("Paris"), Casing::Title);
        assert_eq!(casing("NATO"), Casing::Upper);
        assert_eq!(casing("U.S."), Casing::Upper);
        assert_eq!(casing("McDonald"), Casing::Mixed);
        assert_eq!(casing("iPhone"), Casing::Mixed);
        assert_eq!(casing("the"), Casing::Lower);
        assert_eq!(casing("G7"), Casing::AlphaNum);
        assert_eq!(casing("1,000"), Casing::Number);
        assert_eq!(casing("\u{201d}"), Casing::Punct);
        assert_eq!(casing("Ελλάδα"), Casing::Title);
    }

    #[test]
    fn headline_and_document_case() {
        let doc = document(
            &[
                &["BLACKBURN", "WINS", "1996-08-22"],
                &["Mr", "Blackburn", "won", "."],
                &["Won", "!"],
            ],
            &Gazetteer::default(),
        );
        assert!(doc.info(0).headline);
        assert!(!doc.info(3).headline);
        assert_eq!(doc.info(0).document_case, 2, "capitalised in running text");
        assert_eq!(doc.info(1).document_case, 0);
        assert!(doc.info(3).sentence_start && !doc.info(4).sentence_start);
        assert_eq!(doc.info(7).document_case, 1, "'won' seen lower case");
    }

    #[test]
    fn gazetteer_matches_mark_positions() {
        let gazetteer = Gazetteer::from_entries([
            (vec!["New", "York"], EntityType::Loc),
            (vec!["New", "York", "Times"], EntityType::Org),
        ]);
        let doc = document(&[&["the", "NEW", "YORK", "Times", "said"]], &gazetteer);
        let loc = EntityType::Loc.index();
        let org = EntityType::Org.index();
        assert_eq!(doc.info(0).gazetteer, 0);
        assert_eq!(doc.info(1).gazetteer, 1 << (4 * loc) | 1 << (4 * org));
        assert_eq!(
            doc.info(2).gazetteer,
            1 << (4 * loc + 2) | 1 << (4 * org + 1)
        );
        assert_eq!(doc.info(3).gazetteer, 1 << (4 * org + 2));
        let lower = document(&[&["new", "york"]], &gazetteer);
        assert_eq!(lower.info(0).gazetteer, 0, "matches must start capitalised");
    }

    #[test]
    fn features_are_deterministic_and_windowed() {
        let doc = document(&[&["Peter", "Blackburn", "said"]], &Gazetteer::default());
        let settings = FeatureSettings::default();
        let range = doc.sentences()[0].clone();
        let mut first = Vec::new();
        doc.local_features(&range, 1, &settings, &mut first);
        let mut again = Vec::new();
        doc.local_features(&range, 1, &settings, &mut again);
        assert_eq!(first, again);
        let mut other = Vec::new();
        doc.local_features(&range, 0, &settings, &mut other);
        assert_eq!(first[0], other[0], "bias is shared");
        assert_ne!(first[1..], other[1..]);
        let narrow = FeatureSettings {
            window: 0,
            affix_len: 0,
            ..FeatureSettings::default()
        };
        let mut fewer = Vec::new();
        doc.local_features(&range, 1, &narrow, &mut fewer);
        assert!(fewer.len() + 4 + 8 <= first.len());
    }

    #[test]
    fn context_aggregation_shares_neighbours_across_occurrences() {
        let doc = document(
            &[
                &["Pirelli", "SpA", "rose"],
                &["Shares", "in", "Pirelli", "fell"],
            ],
            &Gazetteer::default(),
        );
        let (first, second) = (doc.sentences()[0].clone(), doc.sentences()[1].clone());
        let settings = FeatureSettings::default();
        let mut here = Vec::new();
        doc.local_features(&first, 0, &settings, &mut here);
        let mut there = Vec::new();
        doc.local_features(&second, 5, &settings, &mut there);
        assert_eq!(here[here.len() - 4..], there[there.len() - 4..]);
        let without = FeatureSettings {
            context_aggregation: false,
            ..FeatureSettings::default()
        };
        let mut fewer = Vec::new();
        doc.local_features(&first, 0, &without, &mut fewer);
        assert_eq!(fewer.len() + 4, here.len(), "two occurrences, two sides");
        let mut lower = Vec::new();
        doc.local_features(&first, 2, &settings, &mut lower);
        let mut lower_without = Vec::new();
        doc.local_features(&first, 2, &without, &mut lower_without);
        assert_eq!(lower, lower_without, "only capitalised words aggregate");
    }

    #[test]
    fn second_pass_sees_other_occurrences() {
        let doc = document(
            &[&["Blackburn", "said"], &["BLACKBURN"]],
            &Gazetteer::default(),
        );
        let person = Label::entity(EntityType::Person, crate::ner::labels::Position::Unit);
        let labels = [person, Label::OUTSIDE, Label::OUTSIDE];
        let counts = doc.label_counts(&labels);
        let mut with_evidence = Vec::new();
        doc.second_pass_features(
            &doc.sentences()[1].clone(),
            2,
            &labels,
            &counts,
            &mut with_evidence,
        );
        let mut alone = Vec::new();
        doc.second_pass_features(&doc.sentences()[0].clone(), 1, &labels, &counts, &mut alone);
        assert_eq!(alone.len(), 3, "only labels: 'said' occurs once");
        assert_eq!(
            with_evidence.len(),
            3 + 4,
            "labels, share, type, type with casing, label"
        );
    }
}
