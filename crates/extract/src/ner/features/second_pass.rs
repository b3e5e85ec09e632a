//! The second pass's features: what the first pass said about the token, its neighbours and
//! the word's other occurrences in the document.
//!
//! The tagger runs twice over a document. The second pass sees everything the first did
//! (its keys are added to the first pass's) plus the first pass's labels: of the token's
//! window, and of every other occurrence of the same word in the document, summarised as
//! the share of them labelled an entity, the most frequent type and the most frequent
//! label. "Blackburn" labelled PERSON twice in running text makes the ALL-CAPS
//! "BLACKBURN" of the headline a person too. Training feeds this pass jackknifed
//! first-pass labels, so it learns how far to trust them.

use std::cmp::Reverse;
use std::ops::Range;

use super::document::{neighbour_position, DocumentFeatures};
use super::keys::{template, KeyHasher, KeyMap};
use super::token::TokenInfo;
use crate::ner::labels::{Label, LABEL_COUNT};

/// Slots in per-word type counts: `O` and the four types.
const LABEL_TYPES: usize = 5;

impl DocumentFeatures {
    /// Appends the second-pass feature keys of the token at flat `position`, given the
    /// first pass's labels for the whole document (`first_pass[i]` for token `i`) and
    /// the per-word label counts from [`DocumentFeatures::label_counts`].
    pub(crate) fn second_pass_features(
        &self,
        sentence: &Range<usize>,
        position: usize,
        first_pass: &[Label],
        counts: &KeyMap<[u16; LABEL_COUNT]>,
        out: &mut Vec<u64>,
    ) {
        window_labels(sentence, position, first_pass, out);
        let current = &self.infos[position];
        if !current.casing.has_letters() {
            return;
        }
        let Some(all) = counts.get(&current.word) else {
            return;
        };
        let mut others = *all;
        let own = first_pass.get(position).map_or(0, |l| l.index());
        others[own] = others[own].saturating_sub(1);
        other_occurrence_features(current, &others, out);
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
}

/// The first-pass labels of the token and its neighbours (98 past the sentence's ends, 99
/// where the first pass has no label).
#[inline]
fn window_labels(
    sentence: &Range<usize>,
    position: usize,
    first_pass: &[Label],
    out: &mut Vec<u64>,
) {
    for offset in -1isize..=1 {
        let label = match neighbour_position(sentence, position, offset) {
            Some(p) => first_pass.get(p).map_or(99, |l| l.index()),
            None => 98,
        };
        out.push(
            KeyHasher::new(template::FIRST_PASS_LABEL)
                .add(offset as u64)
                .add(label as u64)
                .finish(),
        );
    }
}

/// What the first pass labelled the word's other occurrences (`labels`, counts per
/// label): the share of them that are entities, and, if any is, the most frequent type
/// (alone and with the token's casing) and the most frequent label.
#[inline]
fn other_occurrence_features(current: &TokenInfo, labels: &[u16; LABEL_COUNT], out: &mut Vec<u64>) {
    let mut types = [0u16; LABEL_TYPES];
    for (index, count) in labels.iter().enumerate() {
        let slot = &mut types[type_slot(Label::from_index(index))];
        *slot = slot.saturating_add(*count);
    }
    let total: u32 = types.iter().map(|c| u32::from(*c)).sum();
    if total == 0 {
        return;
    }
    let entities = total - u32::from(types[0]);
    let share = match entities {
        0 => 0,
        e if e == total => 3,
        e if 2 * e >= total => 2,
        _ => 1,
    };
    out.push(
        KeyHasher::new(template::DOCUMENT_SHARE)
            .add(share)
            .add(current.casing as u64)
            .finish(),
    );
    let best = (1..LABEL_TYPES).max_by_key(|slot| (types[*slot], Reverse(*slot)));
    if let Some(slot) = best.filter(|slot| types[*slot] > 0) {
        out.push(
            KeyHasher::new(template::DOCUMENT_TYPE)
                .add(slot as u64)
                .finish(),
        );
        out.push(
            KeyHasher::new(template::DOCUMENT_TYPE_CASING)
                .add(slot as u64)
                .add(current.casing as u64)
                .add(u64::from(current.is_initial_or_headline()))
                .finish(),
        );
        let label = (1..LABEL_COUNT).max_by_key(|l| (labels[*l], Reverse(*l)));
        if let Some(label) = label {
            out.push(
                KeyHasher::new(template::DOCUMENT_LABEL)
                    .add(label as u64)
                    .finish(),
            );
        }
    }
}

/// The slot of a label in per-word type counts: 0 for `O`, then one per entity type.
fn type_slot(label: Label) -> usize {
    label.kind().map_or(0, |kind| kind.index() + 1)
}
