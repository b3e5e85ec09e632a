//! A document analysed for tagging: every token's [`TokenInfo`], and the evidence that only
//! the whole document gives.
//!
//! A sentence alone often cannot tell a name from a word. News copy writes headlines and
//! datelines in capitals ("BLACKBURN WINS"), starts sentences with capitals, and names the
//! same people and companies again and again. So, once every token is analysed, four facts
//! are added that need more than the token's own window:
//!
//! * **Sentence start and headline**: whether only punctuation precedes the token in its
//!   sentence, and whether the whole sentence is written in capitals. Either makes a
//!   token's capitals uninformative.
//! * **Gazetteer matches**: which runs of tokens spell an entity name seen in training, with
//!   the token's position in the run (BILOU) per type.
//! * **Document casing**: whether the document writes the same word in lower case
//!   somewhere, or capitalised in running text somewhere (an ALL-CAPS headline word that
//!   appears capitalised mid-sentence is a name).
//! * **Context aggregation** (Ratinov & Roth 2009): a capitalised word also sees the words
//!   next to its other occurrences ("Pirelli" next to "SpA" elsewhere in the story),
//!   precomputed here as ready-made feature keys, looked up per token by
//!   [`DocumentFeatures::aggregated_contexts`].

use std::ops::Range;

use super::forms::Scratch;
use super::keys::{template, KeyHasher, KeyMap};
use super::settings::FeatureSettings;
use super::token::{Casing, TokenInfo};
use crate::ner::lexicon::{Gazetteer, WordClusters};

/// The lexical resources features draw on.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Resources<'a> {
    /// Word-vector clusters of lower-cased word forms.
    pub(crate) clusters: &'a WordClusters,
    /// The entity names of the training data.
    pub(crate) gazetteer: &'a Gazetteer,
}

/// A document analysed for feature extraction: token infos for all its tokens, flat,
/// and the range of each sentence.
#[derive(Debug)]
pub(crate) struct DocumentFeatures {
    /// Every token's analysis, in document order.
    pub(super) infos: Vec<TokenInfo>,
    /// The flat token range of each sentence.
    pub(super) sentences: Vec<Range<usize>>,
    /// Sorted, distinct `(word, neighbour feature)` pairs over the capitalised tokens
    /// of the document (context aggregation).
    aggregates: Vec<(u64, u64)>,
}

/// Most context-aggregation features per token: frequent names have many contexts,
/// and a bounded sample of them carries the evidence.
const MAX_AGGREGATES: usize = 12;

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
    pub(crate) fn sentences(&self) -> &[Range<usize>] {
        &self.sentences
    }

    /// The token `offset` places from flat `position`, or the padding value past either
    /// end of `sentence`.
    pub(super) fn neighbour(
        &self,
        sentence: &Range<usize>,
        position: usize,
        offset: isize,
    ) -> TokenInfo {
        match neighbour_position(sentence, position, offset) {
            Some(p) => self.infos[p],
            None => TokenInfo::boundary(offset > 0),
        }
    }

    /// The context-aggregation feature keys of `word`: the words next to its capitalised
    /// occurrences in the document, at most [`MAX_AGGREGATES`] of them.
    pub(super) fn aggregated_contexts(&self, word: u64) -> impl Iterator<Item = u64> + '_ {
        let first = self.aggregates.partition_point(|(w, _)| *w < word);
        self.aggregates[first..]
            .iter()
            .take_while(move |(w, _)| *w == word)
            .take(MAX_AGGREGATES)
            .map(|(_, feature)| *feature)
    }
}

/// The flat position `offset` places from `position`, if it is still inside `sentence`.
pub(super) fn neighbour_position(
    sentence: &Range<usize>,
    position: usize,
    offset: isize,
) -> Option<usize> {
    position
        .checked_add_signed(offset)
        .filter(|p| sentence.contains(p))
}

/// The previous and next words of every capitalised token, keyed by its word, sorted
/// and deduplicated, as ready-made feature keys.
fn aggregate_contexts(infos: &[TokenInfo], sentences: &[Range<usize>]) -> Vec<(u64, u64)> {
    let mut pairs = Vec::new();
    for sentence in sentences {
        for position in sentence.clone() {
            let info = &infos[position];
            if !info.casing.is_capitalised() || info.headline {
                continue;
            }
            let previous = neighbour_position(sentence, position, -1);
            let next = neighbour_position(sentence, position, 1);
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
            Casing::Title | Casing::Mixed if !info.is_initial_or_headline() => 2,
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
