//! The trained model and its run-time tagging: feature keys → weight rows → Viterbi.
//!
//! Weights are `i16` rows of [`LABEL_COUNT`] label weights, one per feature and pass. A
//! loaded model keeps a feature's rows of both passes beside its key, found with one hash
//! look-up per feature key: that look-up's cache miss is most of the tagger's time, so one
//! miss serves both passes. Scores are summed in integers and scaled once per token, which
//! keeps rows small (34 bytes a pass) and the arithmetic exact. Each pass is a first-order
//! linear chain decoded by constrained Viterbi (see [`super::labels`]).

use std::path::{Path, PathBuf};

use super::codec;
use super::features::{DocumentFeatures, FeatureSettings, KeyMap, Resources, Scratch};
use super::labels::{self, allowed, can_end, Label, LABEL_COUNT};
use super::lexicon::{Gazetteer, WordClusters};
use super::typer::SpanTyper;
use super::{EntitySpan, NerError};

/// The committed model, embedded so the library and the worker run from any folder.
const BUILT_IN: &[u8] = include_bytes!("../../models/ner/model.bin");

/// Number of transition weights: `LABEL_COUNT` previous labels plus the sentence start,
/// times `LABEL_COUNT` next labels.
pub(crate) const TRANSITION_COUNT: usize = (LABEL_COUNT + 1) * LABEL_COUNT;

/// Label scores of one token.
pub(crate) type Scores = [f32; LABEL_COUNT];

/// One pass of the tagger as training makes and the model file stores it: quantised
/// per-feature label weights and the pass's transitions.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Layer {
    /// Per feature id, the label weights in units of `pass.scale`.
    pub(crate) rows: Vec<[i16; LABEL_COUNT]>,
    /// Everything else the pass needs.
    pub(crate) pass: Pass,
}

/// A pass without its rows: the scale of its weights and its transitions. A loaded model
/// keeps its rows per feature instead ([`FeatureRows`]).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Pass {
    /// The weight one unit in a row stands for.
    pub(crate) scale: f32,
    /// Learned transition weights, `previous * LABEL_COUNT + next`; `previous ==
    /// LABEL_COUNT` is the sentence start.
    pub(crate) transitions: Vec<f32>,
    /// `transitions` with forbidden transitions at minus infinity, for decoding.
    constrained: Vec<f32>,
}

impl Pass {
    /// Integer label sums as scores.
    #[inline]
    fn scale(&self, sums: [i32; LABEL_COUNT]) -> Scores {
        sums.map(|sum| sum as f32 * self.scale)
    }
}

impl Layer {
    #[cfg(feature = "training")]
    /// Quantises float weights (`feature * LABEL_COUNT + label`) into a layer.
    pub(crate) fn quantise(weights: &[f32], transitions: Vec<f32>) -> Layer {
        let largest = weights.iter().fold(0f32, |m, w| m.max(w.abs()));
        let scale = if largest > 0.0 {
            largest / f32::from(i16::MAX)
        } else {
            1.0
        };
        let rows = weights
            .chunks_exact(LABEL_COUNT)
            .map(|chunk| {
                let mut row = [0i16; LABEL_COUNT];
                for (q, w) in row.iter_mut().zip(chunk) {
                    // |w / scale| <= i16::MAX by construction of `scale`.
                    *q = (w / scale).round() as i16;
                }
                row
            })
            .collect();
        Layer::new(rows, scale, transitions)
    }

    /// Assembles a layer from its parts (`transitions` must hold [`TRANSITION_COUNT`]
    /// values; missing ones count as zero).
    pub(crate) fn new(
        rows: Vec<[i16; LABEL_COUNT]>,
        scale: f32,
        mut transitions: Vec<f32>,
    ) -> Layer {
        transitions.resize(TRANSITION_COUNT, 0.0);
        let constrained = constrain(&transitions);
        Layer {
            rows,
            pass: Pass {
                scale,
                transitions,
                constrained,
            },
        }
    }

    #[cfg(feature = "training")]
    /// The label scores of a token with the given feature ids.
    fn scores(&self, ids: &[u32], extra: &[u32]) -> Scores {
        let mut sums = [0i32; LABEL_COUNT];
        for id in ids.iter().chain(extra) {
            if let Some(row) = self.rows.get(*id as usize) {
                add_row(&mut sums, row);
            }
        }
        self.pass.scale(sums)
    }

    #[cfg(feature = "training")]
    /// Decodes one sentence given its tokens' feature ids (training's decoder; tagging
    /// sums both layers at once, in [`NerModel::label_document`]).
    pub(crate) fn decode(
        &self,
        tokens: &TokenIds,
        sentence: std::ops::Range<usize>,
        decoder: &mut Decoder,
        out: &mut Vec<Label>,
    ) {
        decoder.emissions.clear();
        for token in sentence {
            let scores = self.scores(tokens.first(token), tokens.second(token));
            decoder.emissions.push(scores);
        }
        decoder.viterbi(&self.pass.constrained, out);
    }
}

/// Adds one feature's label weights to integer label sums.
#[inline]
fn add_row(sums: &mut [i32; LABEL_COUNT], row: &[i16; LABEL_COUNT]) {
    for (sum, weight) in sums.iter_mut().zip(row) {
        *sum += i32::from(*weight);
    }
}

/// One feature's rows in both passes (the second all zero in a one-pass model), side by
/// side so that one look-up brings both into cache: finding them is the tagger's costliest
/// memory access.
#[derive(Debug, Clone, Copy)]
struct FeatureRows {
    first: [i16; LABEL_COUNT],
    second: [i16; LABEL_COUNT],
}

/// `transitions` with every forbidden transition set to minus infinity.
pub(crate) fn constrain(transitions: &[f32]) -> Vec<f32> {
    (0..TRANSITION_COUNT)
        .map(|index| {
            let (previous, next) = (index / LABEL_COUNT, index % LABEL_COUNT);
            let previous = (previous < LABEL_COUNT).then(|| Label::from_index(previous));
            if allowed(previous, Label::from_index(next)) {
                transitions.get(index).copied().unwrap_or(0.0)
            } else {
                f32::NEG_INFINITY
            }
        })
        .collect()
}

#[cfg(feature = "training")]
/// Feature ids of a document's tokens, flat: the local (first-pass) ids and, once the
/// first pass has run, the second pass's extra ids.
#[derive(Debug, Default, Clone)]
pub(crate) struct TokenIds {
    first: Vec<u32>,
    first_ends: Vec<usize>,
    second: Vec<u32>,
    second_ends: Vec<usize>,
}

#[cfg(feature = "training")]
impl TokenIds {
    /// Appends the first-pass ids of the next token.
    pub(crate) fn push_first(&mut self, ids: impl IntoIterator<Item = u32>) {
        self.first.extend(ids);
        self.first_ends.push(self.first.len());
    }

    /// Appends the second-pass ids of the next token.
    pub(crate) fn push_second(&mut self, ids: impl IntoIterator<Item = u32>) {
        self.second.extend(ids);
        self.second_ends.push(self.second.len());
    }

    fn slice<'a>(values: &'a [u32], ends: &[usize], token: usize) -> &'a [u32] {
        let start = match token.checked_sub(1) {
            Some(previous) => ends.get(previous).copied().unwrap_or(0),
            None => 0,
        };
        let end = ends.get(token).copied().unwrap_or(start);
        values.get(start..end).unwrap_or(&[])
    }

    /// First-pass ids of a token.
    pub(crate) fn first(&self, token: usize) -> &[u32] {
        Self::slice(&self.first, &self.first_ends, token)
    }

    /// Second-pass ids of a token (empty before the second pass).
    pub(crate) fn second(&self, token: usize) -> &[u32] {
        Self::slice(&self.second, &self.second_ends, token)
    }
}

/// Reusable Viterbi buffers.
#[derive(Debug, Default)]
pub(crate) struct Decoder {
    /// Label scores per token of the sentence being decoded.
    pub(crate) emissions: Vec<Scores>,
    best: Vec<Scores>,
}

impl Decoder {
    /// The best label sequence for `self.emissions` under `constrained` transitions
    /// (see [`constrain`]); appended to `out`.
    ///
    /// The forward pass keeps only each label's best score, a maximum over whole rows that
    /// vectorises; the backtrace then finds the one predecessor it needs per token. Ties go
    /// to the lowest label, in both, so the result is that of the textbook algorithm.
    pub(crate) fn viterbi(&mut self, constrained: &[f32], out: &mut Vec<Label>) {
        let count = self.emissions.len();
        if count == 0 || constrained.len() < TRANSITION_COUNT {
            return;
        }
        let (rows, start) = constrained.split_at(LABEL_COUNT * LABEL_COUNT);
        self.best.clear();
        let mut first = [0f32; LABEL_COUNT];
        for label in 0..LABEL_COUNT {
            first[label] = start[label] + self.emissions[0][label];
        }
        self.best.push(first);
        for position in 1..count {
            let previous = self.best[position - 1];
            let mut scores = [f32::NEG_INFINITY; LABEL_COUNT];
            for (from_score, row) in previous.iter().zip(rows.chunks_exact(LABEL_COUNT)) {
                if *from_score == f32::NEG_INFINITY {
                    continue;
                }
                for (score, transition) in scores.iter_mut().zip(row) {
                    let candidate = from_score + transition;
                    if candidate > *score {
                        *score = candidate;
                    }
                }
            }
            for (score, emission) in scores.iter_mut().zip(&self.emissions[position]) {
                *score += emission;
            }
            self.best.push(scores);
        }
        let last = &self.best[count - 1];
        let mut label = (0..LABEL_COUNT)
            .filter(|l| can_end(Label::from_index(*l)))
            .fold(0, |best, l| if last[l] > last[best] { l } else { best });
        let begin = out.len();
        out.resize(begin + count, Label::OUTSIDE);
        for position in (0..count).rev() {
            out[begin + position] = Label::from_index(label);
            if position > 0 {
                label = best_predecessor(&self.best[position - 1], rows, label);
            }
        }
    }
}

/// The first label, in label order, from which `to` is reached with the best score.
fn best_predecessor(previous: &Scores, rows: &[f32], to: usize) -> usize {
    let mut best = (f32::NEG_INFINITY, 0);
    for (from, from_score) in previous.iter().enumerate() {
        let score = from_score + rows[from * LABEL_COUNT + to];
        if score > best.0 {
            best = (score, from);
        }
    }
    best.1
}

/// A trained NER model: feature settings, every feature's weights in one or two passes,
/// and the lexicons (word clusters and gazetteer) its features need.
#[derive(Debug, Clone)]
pub struct NerModel {
    pub(crate) settings: FeatureSettings,
    /// Feature key → its rows in both passes.
    weights: KeyMap<FeatureRows>,
    /// The feature keys in the model file's row order.
    pub(crate) keys: Vec<u64>,
    pub(crate) first: Pass,
    pub(crate) second: Option<Pass>,
    pub(crate) clusters: WordClusters,
    pub(crate) gazetteer: Gazetteer,
    /// The span typer run after the last pass, if the model has one.
    pub(crate) typer: Option<SpanTyper>,
}

impl NerModel {
    /// Assembles a model; `keys[i]` is the feature key of row `i` of every layer.
    pub(crate) fn new(
        settings: FeatureSettings,
        keys: Vec<u64>,
        first: Layer,
        second: Option<Layer>,
        clusters: WordClusters,
        gazetteer: Gazetteer,
        typer: Option<SpanTyper>,
    ) -> NerModel {
        let row = |layer: &Layer, index: usize| {
            layer.rows.get(index).copied().unwrap_or([0; LABEL_COUNT])
        };
        let weights = keys
            .iter()
            .enumerate()
            .map(|(index, key)| {
                let rows = FeatureRows {
                    first: row(&first, index),
                    second: second.as_ref().map_or([0; LABEL_COUNT], |l| row(l, index)),
                };
                (*key, rows)
            })
            .collect();
        NerModel {
            settings,
            weights,
            keys,
            first: first.pass,
            second: second.map(|layer| layer.pass),
            clusters,
            gazetteer,
            typer,
        }
    }

    /// The model's passes as training made them, rows in `keys` order (what the file stores).
    pub(crate) fn layers(&self) -> Vec<Layer> {
        let passes =
            std::iter::once((&self.first, false)).chain(self.second.iter().map(|p| (p, true)));
        passes
            .map(|(pass, second)| Layer {
                rows: self
                    .keys
                    .iter()
                    .map(|key| {
                        let rows = self.weights.get(key);
                        rows.map_or(
                            [0; LABEL_COUNT],
                            |r| if second { r.second } else { r.first },
                        )
                    })
                    .collect(),
                pass: pass.clone(),
            })
            .collect()
    }

    /// The model built into the library: the committed `models/ner/model.bin`, which
    /// `newsworker-dev train ner` reproduces byte for byte.
    pub fn built_in() -> Result<NerModel, NerError> {
        codec::decode(BUILT_IN).map_err(|reason| NerError::BadModel {
            path: PathBuf::from("(built in)"),
            reason,
        })
    }

    /// Loads a model saved by [`NerModel::save`].
    pub fn load(path: &Path) -> Result<NerModel, NerError> {
        let bytes = std::fs::read(path).map_err(|source| NerError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        codec::decode(&bytes).map_err(|reason| NerError::BadModel {
            path: path.to_path_buf(),
            reason,
        })
    }

    /// Saves the model as one compressed file.
    pub fn save(&self, path: &Path) -> Result<(), NerError> {
        let io_error = |source| NerError::Io {
            path: path.to_path_buf(),
            source,
        };
        let bytes = codec::encode(self).map_err(io_error)?;
        std::fs::write(path, bytes).map_err(io_error)
    }

    /// The feature settings the model was trained with.
    pub fn feature_settings(&self) -> &FeatureSettings {
        &self.settings
    }

    /// Number of features with weights.
    pub fn feature_count(&self) -> usize {
        self.keys.len()
    }

    /// Tags a whole document given as sentences of tokens (token strings exactly as
    /// they appear in the text). Returns, per sentence, its entities as half-open token
    /// ranges. Never panics; empty sentences give no entities.
    pub fn tag_document<S: AsRef<str>>(&self, sentences: &[Vec<S>]) -> Vec<Vec<EntitySpan>> {
        let (document, labels) = self.label_document(sentences);
        let mut mentions = spans_of(&document, &labels);
        if let Some(typer) = &self.typer {
            typer.retype(&document, &self.gazetteer, &mut mentions);
        }
        mentions
    }

    /// The document's analysis and the BILOU labels of every token, flat.
    ///
    /// The second pass's features are the first pass's plus its own, so both layers' rows
    /// of a first-pass feature are summed when it is looked up: the second pass then only
    /// adds its own few features to the sums kept from the first.
    pub(crate) fn label_document<S: AsRef<str>>(
        &self,
        sentences: &[Vec<S>],
    ) -> (DocumentFeatures, Vec<Label>) {
        let mut scratch = Scratch::default();
        let resources = Resources {
            clusters: &self.clusters,
            gazetteer: &self.gazetteer,
        };
        let document = DocumentFeatures::new(sentences, resources, &self.settings, &mut scratch);
        let mut keys = Vec::new();
        let mut decoder = Decoder::default();
        let mut first_pass = Vec::with_capacity(document.len());
        let mut second_sums = Vec::with_capacity(if self.second.is_some() {
            document.len()
        } else {
            0
        });
        for sentence in document.sentences() {
            decoder.emissions.clear();
            for position in sentence.clone() {
                keys.clear();
                document.local_features(sentence, position, &self.settings, &mut keys);
                let mut first = [0i32; LABEL_COUNT];
                let mut second = [0i32; LABEL_COUNT];
                for rows in keys.iter().filter_map(|key| self.weights.get(key)) {
                    add_row(&mut first, &rows.first);
                    add_row(&mut second, &rows.second);
                }
                decoder.emissions.push(self.first.scale(first));
                if self.second.is_some() {
                    second_sums.push(second);
                }
            }
            decoder.viterbi(&self.first.constrained, &mut first_pass);
        }
        let Some(pass) = &self.second else {
            return (document, first_pass);
        };
        let counts = document.label_counts(&first_pass);
        let mut labels = Vec::with_capacity(document.len());
        for sentence in document.sentences() {
            decoder.emissions.clear();
            for position in sentence.clone() {
                keys.clear();
                document.second_pass_features(sentence, position, &first_pass, &counts, &mut keys);
                let mut sums = second_sums[position];
                for rows in keys.iter().filter_map(|key| self.weights.get(key)) {
                    add_row(&mut sums, &rows.second);
                }
                decoder.emissions.push(pass.scale(sums));
            }
            decoder.viterbi(&pass.constrained, &mut labels);
        }
        (document, labels)
    }
}

/// The mentions of every sentence of `document`, from its flat BILOU `labels`.
pub(crate) fn spans_of(document: &DocumentFeatures, labels: &[Label]) -> Vec<Vec<EntitySpan>> {
    document
        .sentences()
        .iter()
        .map(|range| labels::decode(labels.get(range.clone()).unwrap_or(&[])))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::labels::Position;
    use crate::ner::EntityType;

    #[test]
    fn viterbi_respects_constraints() {
        let mut decoder = Decoder::default();
        let begin = Label::entity(EntityType::Org, Position::Begin).index();
        let last = Label::entity(EntityType::Org, Position::Last).index();
        let unit = Label::entity(EntityType::Loc, Position::Unit).index();
        let mut a = [0f32; LABEL_COUNT];
        a[begin] = 5.0;
        let mut b = [0f32; LABEL_COUNT];
        b[unit] = 3.0;
        b[last] = 1.0;
        decoder.emissions = vec![a, b];
        let mut out = Vec::new();
        decoder.viterbi(&constrain(&vec![0.0; TRANSITION_COUNT]), &mut out);
        assert_eq!(out, [Label::from_index(begin), Label::from_index(last)]);
        decoder.emissions = vec![a];
        out.clear();
        decoder.viterbi(&constrain(&vec![0.0; TRANSITION_COUNT]), &mut out);
        assert_ne!(
            out,
            [Label::from_index(begin)],
            "cannot end inside an entity"
        );
    }

    /// The score of `labels` under `constrained`, summed in Viterbi's order.
    fn path_score(emissions: &[Scores], constrained: &[f32], labels: &[usize]) -> f32 {
        let mut previous = LABEL_COUNT;
        let mut score = 0.0;
        for (position, label) in labels.iter().enumerate() {
            let transition = constrained[previous * LABEL_COUNT + label];
            score = if position == 0 {
                transition + emissions[0][*label]
            } else {
                score + transition + emissions[position][*label]
            };
            previous = *label;
        }
        score
    }

    #[test]
    fn viterbi_finds_the_best_allowed_path() {
        let mut state = 7u64;
        let mut random = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            ((state >> 40) as f32 / (1u64 << 24) as f32) * 4.0 - 2.0
        };
        let mut decoder = Decoder::default();
        for length in 1..=3 {
            for _ in 0..20 {
                let transitions: Vec<f32> = (0..TRANSITION_COUNT).map(|_| random()).collect();
                let constrained = constrain(&transitions);
                decoder.emissions = (0..length)
                    .map(|_| std::array::from_fn(|_| random()))
                    .collect();
                let mut out = Vec::new();
                decoder.viterbi(&constrained, &mut out);
                let decoded: Vec<usize> = out.iter().map(|l| l.index()).collect();
                let mut best = f32::NEG_INFINITY;
                for code in 0..LABEL_COUNT.pow(length as u32) {
                    let labels: Vec<usize> = (0..length)
                        .map(|p| code / LABEL_COUNT.pow(p as u32) % LABEL_COUNT)
                        .collect();
                    if can_end(Label::from_index(labels[length - 1])) {
                        best = best.max(path_score(&decoder.emissions, &constrained, &labels));
                    }
                }
                assert_eq!(path_score(&decoder.emissions, &constrained, &decoded), best);
            }
        }
    }

    #[test]
    fn token_ids_slices() {
        let mut ids = TokenIds::default();
        ids.push_first([1, 2]);
        ids.push_first([]);
        ids.push_first([3]);
        assert_eq!(ids.first(0), [1, 2]);
        assert!(ids.first(1).is_empty());
        assert_eq!(ids.first(2), [3]);
        assert!(ids.second(2).is_empty());
        assert!(ids.first(7).is_empty());
    }

    #[test]
    fn quantise_keeps_relative_weights() {
        let mut weights = vec![0f32; 2 * LABEL_COUNT];
        weights[0] = 2.0;
        weights[LABEL_COUNT + 1] = -1.0;
        let layer = Layer::quantise(&weights, Vec::new());
        assert_eq!(layer.rows[0][0], i16::MAX);
        assert_eq!(layer.rows[1][1], -(i16::MAX / 2) - 1);
        let scores = layer.scores(&[0, 1, 99], &[]);
        assert!((scores[0] - 2.0).abs() < 1e-3 && (scores[1] + 1.0).abs() < 1e-3);
    }
}
