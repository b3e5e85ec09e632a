//! The span typer's features: a mention the tagger found, seen whole.
//!
//! The tagger decides a type token by token, through a window of five. Some evidence about a
//! name's type only shows when the mention is seen as one piece: all its words at once ("Ruch
//! Chorzow"), its length, the words just outside it however long it is, the types of the
//! other mentions around it (a football results line names clubs, a list of capitals names
//! places), whether a number follows it, and what the document calls the same name or a
//! name sharing its last word elsewhere. [`DocumentFeatures::span_features`] turns one
//! mention into such keys; the span typer (`crate::ner::typer`) weighs them against the
//! tagger's own type, which is part of many keys, so it learns when to keep it.
//!
//! The keys read only what the tagger already computed: the document's [`TokenInfo`]s and
//! the tagger's mentions, collected once per document in a [`MentionIndex`].

use std::ops::Range;

use super::document::{neighbour_position, DocumentFeatures};
use super::keys::{template, KeyHasher, KeyMap};
use super::token::{Casing, TokenInfo};
use crate::ner::lexicon::Gazetteer;
use crate::ner::{EntitySpan, EntityType};

/// Type counts: one slot per type of [`EntityType::ALL`].
type TypeCounts = [u16; 4];

/// The tagger's mentions of one document, counted by name and by word.
#[derive(Debug, Default)]
pub(super) struct MentionIndex {
    /// Per name key (the gazetteer's key of the mention's words), mentions of each type.
    names: KeyMap<TypeCounts>,
    /// Per word, mentions of each type that hold it (once per mention).
    words: KeyMap<TypeCounts>,
}

impl MentionIndex {
    fn count(map: &mut KeyMap<TypeCounts>, key: u64, kind: EntityType) {
        let slot = &mut map.entry(key).or_default()[kind.index()];
        *slot = slot.saturating_add(1);
    }
}

/// One mention handed to [`DocumentFeatures::span_features`]: the sentence it is in
/// (its index in the document), every mention of that sentence, and which one it is.
#[derive(Debug, Clone, Copy)]
pub(super) struct MentionAt<'a> {
    /// The sentence's index in the document.
    pub(super) sentence: usize,
    /// All the sentence's mentions, in order (token ranges within the sentence).
    pub(super) mentions: &'a [EntitySpan],
    /// The position of the mention in `mentions`.
    pub(super) index: usize,
}

impl DocumentFeatures {
    /// The key of a run of tokens (flat positions): the gazetteer's key of their words.
    fn name_key(&self, tokens: Range<usize>) -> u64 {
        tokens.fold(Gazetteer::start_key(), |key, position| {
            Gazetteer::extend_key(key, self.infos[position].word)
        })
    }

    /// The flat token range of a mention of sentence `sentence`.
    fn flat(&self, sentence: usize, span: &EntitySpan) -> Range<usize> {
        let start = self.sentences[sentence].start;
        start + span.start..start + span.end
    }

    /// Calls `visit` with every mention of the document (`mentions[s]`: those of sentence
    /// `s`), in order, and the span typer's keys for it.
    pub(crate) fn mention_keys(
        &self,
        gazetteer: &Gazetteer,
        mentions: &[Vec<EntitySpan>],
        mut visit: impl FnMut(usize, &EntitySpan, &[u64]),
    ) {
        let index = self.mention_index(mentions);
        let mut keys = Vec::new();
        for (sentence, spans) in mentions.iter().enumerate().take(self.sentences.len()) {
            for (position, span) in spans.iter().enumerate() {
                keys.clear();
                let at = MentionAt {
                    sentence,
                    mentions: spans,
                    index: position,
                };
                self.span_features(gazetteer, &index, at, &mut keys);
                visit(sentence, span, &keys);
            }
        }
    }

    /// Counts the document's mentions (`mentions[s]`: those of sentence `s`) by name
    /// and by word.
    pub(super) fn mention_index(&self, mentions: &[Vec<EntitySpan>]) -> MentionIndex {
        let mut index = MentionIndex::default();
        for (sentence, spans) in mentions.iter().enumerate().take(self.sentences.len()) {
            for span in spans {
                let tokens = self.flat(sentence, span);
                MentionIndex::count(&mut index.names, self.name_key(tokens.clone()), span.kind);
                for position in tokens.clone() {
                    let word = self.infos[position].word;
                    let repeated = (tokens.start..position).any(|p| self.infos[p].word == word);
                    if !repeated {
                        MentionIndex::count(&mut index.words, word, span.kind);
                    }
                }
            }
        }
        index
    }

    /// Appends the span typer's keys for one mention to `out`.
    pub(super) fn span_features(
        &self,
        gazetteer: &Gazetteer,
        index: &MentionIndex,
        at: MentionAt<'_>,
        out: &mut Vec<u64>,
    ) {
        let span = &at.mentions[at.index];
        let tagged = span.kind.index() as u64;
        let tokens = self.flat(at.sentence, span);
        let infos = &self.infos[tokens.clone()];
        let (Some(first), Some(last)) = (infos.first(), infos.last()) else {
            return;
        };
        let key = |template: u64| KeyHasher::new(template);
        out.push(key(template::SPAN_BIAS).add(tagged).finish());
        let length = infos.len().min(4) as u64;
        out.push(key(template::SPAN_LENGTH).add(length).add(tagged).finish());
        let name = self.name_key(tokens.clone());
        out.push(key(template::SPAN_NAME).add(name).finish());
        word_features(infos, tagged, out);
        out.push(key(template::SPAN_FIRST).add(first.word).finish());
        out.push(key(template::SPAN_LAST).add(last.word).finish());
        for length in [2, 3] {
            if usize::from(last.affixes) >= length {
                let suffix = last.suffixes[length - 1];
                out.push(key(template::SPAN_SUFFIX).add(suffix).finish());
            }
        }
        let shapes = infos
            .iter()
            .fold(key(template::SPAN_SHAPE), |h, info| h.add(info.short_shape));
        out.push(shapes.finish());
        self.context_features(at.sentence, &tokens, tagged, out);
        neighbour_types(at, tagged, out);
        document_features(index, name, last.word, span.kind, out);
        gazetteer_features(gazetteer.lookup(name).map(|e| e.types()), tagged, out);
    }

    /// The words just outside the mention, their clusters, numbers next to it, and how
    /// much of its sentence is numbers.
    fn context_features(
        &self,
        sentence: usize,
        tokens: &Range<usize>,
        tagged: u64,
        out: &mut Vec<u64>,
    ) {
        let range = &self.sentences[sentence];
        let outside = |side: u64, distance: isize| {
            let (from, offset) = if side == 0 {
                (tokens.start, -distance)
            } else {
                (tokens.end - 1, distance)
            };
            match neighbour_position(range, from, offset) {
                Some(p) => self.infos[p],
                None => TokenInfo::boundary(side == 1),
            }
        };
        for side in [0u64, 1] {
            for distance in [1isize, 2] {
                let info = outside(side, distance);
                let code = side * 2 + distance as u64;
                out.push(
                    KeyHasher::new(template::SPAN_CONTEXT)
                        .add(code)
                        .add(info.word)
                        .finish(),
                );
                if distance > 1 {
                    continue;
                }
                out.push(
                    KeyHasher::new(template::SPAN_CONTEXT_TYPE)
                        .add(side)
                        .add(info.word)
                        .add(tagged)
                        .finish(),
                );
                if let Some(ids) = info.clusters {
                    out.push(
                        KeyHasher::new(template::SPAN_CONTEXT_CLUSTER)
                            .add(side)
                            .add(u64::from(ids[1]))
                            .finish(),
                    );
                }
                if info.casing == Casing::Number {
                    out.push(
                        KeyHasher::new(template::SPAN_NEXT_TO_NUMBER)
                            .add(side)
                            .add(tagged)
                            .finish(),
                    );
                }
            }
        }
        let numbers = self.infos[range.clone()]
            .iter()
            .filter(|info| info.casing == Casing::Number)
            .count();
        let share = (4 * numbers / range.len().max(1)) as u64;
        out.push(
            KeyHasher::new(template::SPAN_NUMBER_SHARE)
                .add(share)
                .add(tagged)
                .finish(),
        );
    }
}

/// Each word of the mention, alone and with the tagged type, and its word clusters.
fn word_features(infos: &[TokenInfo], tagged: u64, out: &mut Vec<u64>) {
    for info in infos {
        out.push(KeyHasher::new(template::SPAN_WORD).add(info.word).finish());
        out.push(
            KeyHasher::new(template::SPAN_WORD_TYPE)
                .add(info.word)
                .add(tagged)
                .finish(),
        );
        for (level, id) in info.clusters.iter().flatten().enumerate() {
            out.push(
                KeyHasher::new(template::SPAN_CLUSTER)
                    .add(level as u64)
                    .add(u64::from(*id))
                    .finish(),
            );
        }
    }
}

/// The types of the sentence's other mentions, and of the nearest one on each side with
/// the tagged type.
fn neighbour_types(at: MentionAt<'_>, tagged: u64, out: &mut Vec<u64>) {
    for (position, other) in at.mentions.iter().enumerate() {
        if position != at.index {
            out.push(
                KeyHasher::new(template::SPAN_SENTENCE_TYPE)
                    .add(other.kind.index() as u64)
                    .finish(),
            );
        }
    }
    let before = at.index.checked_sub(1).map(|p| &at.mentions[p]);
    let after = at.mentions.get(at.index + 1);
    for (side, other) in [(0u64, before), (1, after)] {
        if let Some(other) = other {
            out.push(
                KeyHasher::new(template::SPAN_NEIGHBOUR_TYPE)
                    .add(side)
                    .add(other.kind.index() as u64)
                    .add(tagged)
                    .finish(),
            );
        }
    }
}

/// The types the document's other mentions of the same name have, and those of other
/// names holding the mention's last word ("Smith" after "John Smith").
fn document_features(
    index: &MentionIndex,
    name: u64,
    last_word: u64,
    kind: EntityType,
    out: &mut Vec<u64>,
) {
    let mut same = index.names.get(&name).copied().unwrap_or_default();
    let holding = index.words.get(&last_word).copied().unwrap_or_default();
    // Every mention of the same name holds its last word once; this mention is one of them.
    let mut sharing = [0u16; 4];
    for ((share, holds), named) in sharing.iter_mut().zip(holding).zip(same) {
        *share = holds.saturating_sub(named);
    }
    let own = &mut same[kind.index()];
    *own = own.saturating_sub(1);
    for (template, counts) in [
        (template::SPAN_DOCUMENT_NAME, same),
        (template::SPAN_DOCUMENT_WORD, sharing),
    ] {
        for (slot, count) in counts.iter().enumerate() {
            if *count > 0 {
                out.push(KeyHasher::new(template).add(slot as u64).finish());
            }
        }
    }
}

/// The types the training data's names give the mention's exact words, alone and with
/// the tagged type (a slot past the types when it names nothing there).
fn gazetteer_features(types: Option<[bool; 4]>, tagged: u64, out: &mut Vec<u64>) {
    let types = types.unwrap_or_default();
    for (slot, present) in types.iter().enumerate() {
        if *present {
            out.push(
                KeyHasher::new(template::SPAN_GAZETTEER)
                    .add(slot as u64)
                    .finish(),
            );
            out.push(
                KeyHasher::new(template::SPAN_GAZETTEER_TYPE)
                    .add(slot as u64)
                    .add(tagged)
                    .finish(),
            );
        }
    }
    if !types.contains(&true) {
        out.push(
            KeyHasher::new(template::SPAN_GAZETTEER_TYPE)
                .add(4)
                .add(tagged)
                .finish(),
        );
    }
}
