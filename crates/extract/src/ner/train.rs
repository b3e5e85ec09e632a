//! Training: the averaged structured perceptron (Collins 2002) over BILOU labels, with
//! jackknifing so that training features look like run-time features.
//!
//! Two kinds of features would be too good on the training data if computed naively:
//!
//! * gazetteer matches — every training entity is in a gazetteer built from the
//!   training data, so the model would learn to trust it blindly. Documents are split
//!   into `folds`; a document's gazetteer features come from the other folds' names.
//! * the second pass's view of first-pass labels — a first pass tagging its own
//!   training data is nearly perfect. The first-pass labels the second pass trains on
//!   come from first-pass models trained on the other folds.
//!
//! The final first pass and the gazetteer shipped with the model use all the data.
//! Training is single-threaded and seeded (sentence order per epoch), so the same
//! settings and data reproduce the same model byte for byte.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tracing::info;

use super::conll::{read_conll, ConllDocument};
use super::eval::evaluate_documents;
use super::features::{DocumentFeatures, FeatureSettings, KeyMap, Resources, Scratch};
use super::labels::{self, Label, LABEL_COUNT};
use super::lexicon::{Gazetteer, WordClusters};
use super::model::{
    constrain, spans_of, Decoder, Layer, NerModel, Scores, TokenIds, TRANSITION_COUNT,
};
use super::typer;
use super::{EntitySpan, NerError};

/// Training settings, read from `models/ner/train.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrainSettings {
    /// Passes over the training data, for each perceptron trained.
    pub epochs: usize,
    /// Seed of the per-epoch sentence shuffle.
    pub seed: u64,
    /// Jackknife folds for gazetteer and first-pass features (below 2: no jackknifing).
    pub folds: usize,
    /// Features seen fewer times than this in the training data are dropped.
    pub min_feature_count: u32,
    /// Passes over the training mentions for the span typer.
    pub typer_epochs: usize,
    /// The span typer's L2 penalty.
    pub typer_l2: f64,
    /// The gzipped `word<TAB>c64<TAB>c256<TAB>c1024` word-cluster file (relative paths
    /// are relative to the working directory); required when cluster features are on.
    pub clusters: Option<PathBuf>,
    /// Feature families.
    pub features: FeatureSettings,
}

impl Default for TrainSettings {
    fn default() -> Self {
        TrainSettings {
            epochs: 15,
            seed: 42,
            folds: 5,
            min_feature_count: 2,
            typer_epochs: 5,
            typer_l2: 0.001,
            clusters: None,
            features: FeatureSettings::default(),
        }
    }
}

impl TrainSettings {
    /// Parses settings from TOML text.
    pub fn from_toml(text: &str) -> Result<TrainSettings, NerError> {
        toml::from_str(text).map_err(|e| NerError::Settings(e.to_string()))
    }

    /// Reads settings from a TOML file.
    pub fn read(path: &Path) -> Result<TrainSettings, NerError> {
        let text = std::fs::read_to_string(path).map_err(|source| NerError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        TrainSettings::from_toml(&text)
    }
}

/// Trains a model on a CoNLL training file and logs its scores on the dev file.
pub fn train(settings: &TrainSettings, train: &Path, dev: &Path) -> Result<NerModel, NerError> {
    if settings.epochs == 0 {
        return Err(NerError::Settings("epochs must be at least 1".to_string()));
    }
    let documents = read_conll(train)?;
    let dev_documents = read_conll(dev)?;
    let clusters = match (&settings.features.clusters, &settings.clusters) {
        (false, _) => WordClusters::default(),
        (true, Some(path)) => WordClusters::read_tsv_gz(path)?,
        (true, None) => {
            return Err(NerError::Settings(
                "cluster features are on but no `clusters` file is set".to_string(),
            ))
        }
    };
    info!(
        documents = documents.len(),
        words_with_clusters = clusters.ids().len(),
        "read training data"
    );
    let model = train_documents(settings, &documents, clusters)?;
    if model.typer.is_some() {
        let mut untyped = model.clone();
        untyped.typer = None;
        let report = evaluate_documents(&untyped, &dev_documents, None);
        info!(f1 = report.overall().f1(), "dev, without the span typer");
    }
    if model.second.is_some() {
        let mut first_only = model.clone();
        first_only.second = None;
        first_only.typer = None;
        let first_report = evaluate_documents(&first_only, &dev_documents, None);
        info!(f1 = first_report.overall().f1(), "dev, first pass only");
    }
    let report = evaluate_documents(&model, &dev_documents, None);
    info!(
        f1 = report.overall().f1(),
        precision = report.overall().precision(),
        recall = report.overall().recall(),
        "dev"
    );
    Ok(model)
}

/// Trains a model on already-read documents (the core of [`train`]).
pub(crate) fn train_documents(
    settings: &TrainSettings,
    documents: &[ConllDocument],
    clusters: WordClusters,
) -> Result<NerModel, NerError> {
    let features = &settings.features;
    let folds = settings.folds.max(1);
    let fold_of = |document: usize| document % folds;
    let gazetteer = gazetteer_of(documents, |_| true);
    let fold_gazetteers: Vec<Gazetteer> = if folds > 1 {
        (0..folds)
            .map(|fold| gazetteer_of(documents, |d| fold_of(d) != fold))
            .collect()
    } else {
        vec![gazetteer.clone()]
    };
    info!(names = gazetteer.entries().len(), "gazetteer");

    let (mut corpus, first_keys) =
        Corpus::analyse(documents, &clusters, &fold_gazetteers, features);
    let mut interner = Interner::default();
    interner.add_frequent(&first_keys, settings.min_feature_count);
    for token in 0..first_keys.len() {
        corpus
            .tokens
            .push_first(interner.ids(first_keys.token(token)));
    }
    drop(first_keys);
    info!(
        tokens = corpus.gold.len(),
        sentences = corpus.sentences.len(),
        features = interner.keys.len(),
        "first-pass features"
    );
    let all: Vec<usize> = (0..corpus.sentences.len()).collect();
    let mut first = train_layer(&corpus, &all, interner.keys.len(), settings, "first pass");
    let second = if features.second_pass {
        let first_pass = if folds > 1 {
            jackknife(&corpus, interner.keys.len(), folds, settings)
        } else {
            corpus.decode_all(&first)
        };
        let second_keys = corpus.second_pass_keys(&first_pass);
        interner.add_frequent(&second_keys, settings.min_feature_count);
        for token in 0..second_keys.len() {
            corpus
                .tokens
                .push_second(interner.ids(second_keys.token(token)));
        }
        info!(features = interner.keys.len(), "with second-pass features");
        Some(train_layer(
            &corpus,
            &all,
            interner.keys.len(),
            settings,
            "second pass",
        ))
    } else {
        None
    };
    let typer = features.span_typer.then(|| {
        let last = second.as_ref().unwrap_or(&first);
        let tagger = (last, interner.keys.len());
        train_typer(&corpus, documents, tagger, &fold_gazetteers, settings)
    });
    // Second-pass features have no first-pass weights.
    first.rows.resize(interner.keys.len(), [0; LABEL_COUNT]);
    let (keys, first, second) = prune(interner.keys, first, second);
    Ok(NerModel::new(
        features.clone(),
        keys,
        first,
        second,
        clusters,
        gazetteer,
        typer,
    ))
}

/// Trains the span typer on the mentions a jackknifed tagger finds in the training data.
/// `tagger` is the final tagger's last layer and the number of features the corpus holds;
/// the layer labels the data itself only when there is a single fold.
fn train_typer(
    corpus: &Corpus,
    documents: &[ConllDocument],
    (last, feature_count): (&Layer, usize),
    gazetteers: &[Gazetteer],
    settings: &TrainSettings,
) -> typer::SpanTyper {
    let tagged = if settings.folds > 1 {
        jackknife(corpus, feature_count, settings.folds, settings)
    } else {
        corpus.decode_all(last)
    };
    let examples = typer_examples(corpus, documents, &tagged, gazetteers);
    info!(mentions = examples.len(), "span typer");
    let mut rng = SplitMix(settings.seed);
    let training = (settings.typer_epochs, settings.typer_l2);
    typer::train(&examples, training, |order| rng.shuffle(order))
}

/// The span typer's training mentions: those the jackknifed tagger (`tagged`, flat labels)
/// found in each document with the gold boundaries, each with its gold type. A document's
/// gazetteer is its fold's, as for the tagger's own features.
fn typer_examples(
    corpus: &Corpus,
    documents: &[ConllDocument],
    tagged: &[Label],
    gazetteers: &[Gazetteer],
) -> Vec<typer::Example> {
    let mut examples = Vec::new();
    let documents = corpus.documents.iter().zip(documents).enumerate();
    for (index, ((analysed, offset), document)) in documents {
        let gazetteer = &gazetteers[index % gazetteers.len()];
        let mentions = spans_of(analysed, &tagged[*offset..offset + analysed.len()]);
        let gold: Vec<Vec<EntitySpan>> = document.sentences.iter().map(|s| s.spans()).collect();
        analysed.mention_keys(gazetteer, &mentions, |sentence, span, keys| {
            let bounds = (span.start, span.end);
            let truth = gold[sentence].iter().find(|g| (g.start, g.end) == bounds);
            if let Some(truth) = truth {
                examples.push((keys.to_vec(), truth.kind));
            }
        });
    }
    examples
}

/// The names of the documents selected by `include`, as a gazetteer.
fn gazetteer_of(documents: &[ConllDocument], include: impl Fn(usize) -> bool) -> Gazetteer {
    let names = documents
        .iter()
        .enumerate()
        .filter(|(index, _)| include(*index))
        .flat_map(|(_, document)| &document.sentences)
        .flat_map(|sentence| {
            sentence
                .spans()
                .into_iter()
                .map(|span| (sentence.tokens[span.start..span.end].to_vec(), span.kind))
        });
    Gazetteer::from_entries(names)
}

/// Labels for every training token, each from a layer trained (on the features the corpus
/// holds so far) without the token's fold.
fn jackknife(
    corpus: &Corpus,
    feature_count: usize,
    folds: usize,
    settings: &TrainSettings,
) -> Vec<Label> {
    let mut labels = vec![Label::OUTSIDE; corpus.gold.len()];
    let mut decoder = Decoder::default();
    let mut predicted = Vec::new();
    for fold in 0..folds {
        let (held_out, training): (Vec<usize>, Vec<usize>) =
            (0..corpus.sentences.len()).partition(|s| corpus.sentence_folds[*s] == fold);
        let name = format!("jackknife fold {}/{folds}", fold + 1);
        let layer = train_layer(corpus, &training, feature_count, settings, &name);
        for sentence in held_out {
            let range = corpus.sentences[sentence].clone();
            predicted.clear();
            layer.decode(&corpus.tokens, range.clone(), &mut decoder, &mut predicted);
            labels[range].copy_from_slice(&predicted);
        }
    }
    labels
}

/// Drops the features whose rows are zero in every layer: their keys and rows.
fn prune(keys: Vec<u64>, first: Layer, second: Option<Layer>) -> (Vec<u64>, Layer, Option<Layer>) {
    let is_zero = |layer: &Layer, row: usize| layer.rows[row].iter().all(|w| *w == 0);
    let keep: Vec<bool> = (0..keys.len())
        .map(|row| !(is_zero(&first, row) && second.as_ref().is_none_or(|l| is_zero(l, row))))
        .collect();
    let filter_layer = |layer: Layer| {
        let rows = layer
            .rows
            .iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(row, _)| *row)
            .collect();
        Layer { rows, ..layer }
    };
    let kept_keys: Vec<u64> = keys
        .iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(key, _)| *key)
        .collect();
    info!(
        before = keys.len(),
        after = kept_keys.len(),
        "pruned zero features"
    );
    (kept_keys, filter_layer(first), second.map(filter_layer))
}

/// Feature keys of many tokens, flat.
#[derive(Debug, Default)]
struct FlatKeys {
    keys: Vec<u64>,
    ends: Vec<usize>,
}

impl FlatKeys {
    fn push_token(&mut self, keys: &[u64]) {
        self.keys.extend_from_slice(keys);
        self.ends.push(self.keys.len());
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    fn token(&self, token: usize) -> &[u64] {
        let start = token.checked_sub(1).map_or(0, |p| self.ends[p]);
        &self.keys[start..self.ends[token]]
    }
}

/// Assigns dense ids to feature keys, in order of first occurrence.
#[derive(Debug, Default)]
struct Interner {
    ids: KeyMap<u32>,
    keys: Vec<u64>,
}

impl Interner {
    /// Gives an id to every key of `flat` seen at least `min_count` times.
    fn add_frequent(&mut self, flat: &FlatKeys, min_count: u32) {
        let mut counts: KeyMap<u32> = KeyMap::default();
        for key in &flat.keys {
            *counts.entry(*key).or_default() += 1;
        }
        for key in &flat.keys {
            if counts[key] >= min_count && !self.ids.contains_key(key) {
                self.ids.insert(*key, self.keys.len() as u32);
                self.keys.push(*key);
            }
        }
    }

    fn ids<'a>(&'a self, keys: &'a [u64]) -> impl Iterator<Item = u32> + 'a {
        keys.iter().filter_map(|key| self.ids.get(key).copied())
    }
}

/// The training data as feature ids and gold labels.
#[derive(Debug, Default)]
struct Corpus {
    tokens: TokenIds,
    gold: Vec<Label>,
    /// Flat token range of each sentence.
    sentences: Vec<std::ops::Range<usize>>,
    sentence_folds: Vec<usize>,
    /// Each document's analysis and the flat index of its first token.
    documents: Vec<(DocumentFeatures, usize)>,
}

impl Corpus {
    /// Analyses every training document, its gazetteer features from its fold's gazetteer
    /// (`gazetteers[d % gazetteers.len()]` for document `d`), and returns the corpus with the
    /// first-pass keys of every token.
    fn analyse(
        documents: &[ConllDocument],
        clusters: &WordClusters,
        gazetteers: &[Gazetteer],
        features: &FeatureSettings,
    ) -> (Corpus, FlatKeys) {
        let mut corpus = Corpus::default();
        let mut first_keys = FlatKeys::default();
        let mut scratch = Scratch::default();
        let mut keys = Vec::new();
        for (index, document) in documents.iter().enumerate() {
            let fold = index % gazetteers.len();
            let resources = Resources {
                clusters,
                gazetteer: &gazetteers[fold],
            };
            let tokens = document.token_strs();
            let analysed = DocumentFeatures::new(&tokens, resources, features, &mut scratch);
            let offset = corpus.gold.len();
            for (sentence, range) in document.sentences.iter().zip(analysed.sentences()) {
                for position in range.clone() {
                    keys.clear();
                    analysed.local_features(range, position, features, &mut keys);
                    first_keys.push_token(&keys);
                }
                corpus
                    .gold
                    .extend(labels::encode(&sentence.spans(), sentence.tokens.len()));
                corpus
                    .sentences
                    .push(offset + range.start..offset + range.end);
                corpus.sentence_folds.push(fold);
            }
            corpus.documents.push((analysed, offset));
        }
        (corpus, first_keys)
    }

    fn decode_all(&self, layer: &Layer) -> Vec<Label> {
        let mut decoder = Decoder::default();
        let mut labels = Vec::with_capacity(self.gold.len());
        for range in &self.sentences {
            layer.decode(&self.tokens, range.clone(), &mut decoder, &mut labels);
        }
        labels
    }

    /// Second-pass feature keys of every token given first-pass labels.
    fn second_pass_keys(&self, first_pass: &[Label]) -> FlatKeys {
        let mut flat = FlatKeys::default();
        let mut keys = Vec::new();
        for (document, offset) in &self.documents {
            let labels = &first_pass[*offset..offset + document.len()];
            let counts = document.label_counts(labels);
            for range in document.sentences() {
                for position in range.clone() {
                    keys.clear();
                    document.second_pass_features(range, position, labels, &counts, &mut keys);
                    flat.push_token(&keys);
                }
            }
        }
        flat
    }
}

/// SplitMix64: a tiny seeded generator for shuffling, fixed so training reproduces.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for index in (1..items.len()).rev() {
            let other = (self.next() % (index as u64 + 1)) as usize;
            items.swap(index, other);
        }
    }
}

/// Trains one layer on the given sentences of the corpus.
fn train_layer(
    corpus: &Corpus,
    sentences: &[usize],
    feature_count: usize,
    settings: &TrainSettings,
    name: &str,
) -> Layer {
    let mut perceptron = Perceptron::new(feature_count);
    let mut order = sentences.to_vec();
    let mut rng = SplitMix(settings.seed);
    let mut decoder = Decoder::default();
    let mut predicted = Vec::new();
    for epoch in 1..=settings.epochs {
        rng.shuffle(&mut order);
        let mut errors = 0;
        for sentence in &order {
            let range = corpus.sentences[*sentence].clone();
            errors += perceptron.learn(
                &corpus.tokens,
                range.clone(),
                &corpus.gold[range],
                &mut decoder,
                &mut predicted,
            );
        }
        info!(layer = name, epoch, token_errors = errors, "epoch");
    }
    perceptron.averaged()
}

/// Averaged perceptron weights with the lazy-averaging trick: `totals` accumulates
/// `step * update`, so the average is `weights - totals / step`.
struct Perceptron {
    weights: Vec<f64>,
    totals: Vec<f64>,
    transitions: Vec<f64>,
    transition_totals: Vec<f64>,
    /// Forbidden transitions as minus infinity, zero elsewhere.
    mask: Vec<f32>,
    step: f64,
}

impl Perceptron {
    fn new(feature_count: usize) -> Perceptron {
        Perceptron {
            weights: vec![0.0; feature_count * LABEL_COUNT],
            totals: vec![0.0; feature_count * LABEL_COUNT],
            transitions: vec![0.0; TRANSITION_COUNT],
            transition_totals: vec![0.0; TRANSITION_COUNT],
            mask: constrain(&[0.0; TRANSITION_COUNT]),
            step: 1.0,
        }
    }

    /// Decodes one sentence with the current weights and updates on its mistakes;
    /// returns the number of wrongly labelled tokens.
    fn learn(
        &mut self,
        tokens: &TokenIds,
        range: std::ops::Range<usize>,
        gold: &[Label],
        decoder: &mut Decoder,
        predicted: &mut Vec<Label>,
    ) -> usize {
        decoder.emissions.clear();
        for token in range.clone() {
            let mut scores: Scores = [0.0; LABEL_COUNT];
            let mut sums = [0f64; LABEL_COUNT];
            for id in tokens.first(token).iter().chain(tokens.second(token)) {
                let row = &self.weights[*id as usize * LABEL_COUNT..][..LABEL_COUNT];
                for (sum, weight) in sums.iter_mut().zip(row) {
                    *sum += weight;
                }
            }
            for (score, sum) in scores.iter_mut().zip(sums) {
                *score = sum as f32;
            }
            decoder.emissions.push(scores);
        }
        let constrained: Vec<f32> = self
            .mask
            .iter()
            .zip(&self.transitions)
            .map(|(mask, weight)| mask + *weight as f32)
            .collect();
        predicted.clear();
        decoder.viterbi(&constrained, predicted);
        let mut errors = 0;
        let start = LABEL_COUNT;
        for (offset, token) in range.enumerate() {
            let (truth, guess) = (gold[offset], predicted[offset]);
            let previous_truth = offset.checked_sub(1).map_or(start, |p| gold[p].index());
            let previous_guess = offset
                .checked_sub(1)
                .map_or(start, |p| predicted[p].index());
            if truth != guess {
                errors += 1;
                for id in tokens.first(token).iter().chain(tokens.second(token)) {
                    let base = *id as usize * LABEL_COUNT;
                    self.bump_weight(base + truth.index(), 1.0);
                    self.bump_weight(base + guess.index(), -1.0);
                }
            }
            if (previous_truth, truth) != (previous_guess, guess) {
                self.bump_transition(previous_truth * LABEL_COUNT + truth.index(), 1.0);
                self.bump_transition(previous_guess * LABEL_COUNT + guess.index(), -1.0);
            }
        }
        self.step += 1.0;
        errors
    }

    fn bump_weight(&mut self, index: usize, delta: f64) {
        self.weights[index] += delta;
        self.totals[index] += self.step * delta;
    }

    fn bump_transition(&mut self, index: usize, delta: f64) {
        self.transitions[index] += delta;
        self.transition_totals[index] += self.step * delta;
    }

    /// The averaged weights as a quantised layer.
    fn averaged(&self) -> Layer {
        let average = |weights: &[f64], totals: &[f64]| -> Vec<f32> {
            weights
                .iter()
                .zip(totals)
                .map(|(w, t)| (w - t / self.step) as f32)
                .collect()
        };
        Layer::quantise(
            &average(&self.weights, &self.totals),
            average(&self.transitions, &self.transition_totals),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::codec;
    use crate::ner::conll::parse_conll;

    const TOY: &str = "-DOCSTART- O\n\nPeter B-PER\nBlackburn I-PER\nvisited O\nParis B-LOC\n.\tO\n\n\
        -DOCSTART- O\n\nAnna B-PER\nSmith I-PER\nleft O\nBerlin B-LOC\n. O\n\nSmith B-PER\nsaid O\n. O\n\n\
        -DOCSTART- O\n\nJohn B-PER\nBrown I-PER\nvisited O\nRome B-LOC\n. O\n";

    fn toy_model(settings: &TrainSettings) -> NerModel {
        let documents = parse_conll(TOY, Path::new("toy")).expect("toy data");
        train_documents(settings, &documents, WordClusters::default()).expect("trains")
    }

    fn toy_settings() -> TrainSettings {
        TrainSettings {
            epochs: 5,
            folds: 2,
            min_feature_count: 1,
            features: FeatureSettings {
                clusters: false,
                ..FeatureSettings::default()
            },
            ..TrainSettings::default()
        }
    }

    #[test]
    fn learns_toy_data_and_round_trips() {
        let model = toy_model(&toy_settings());
        let spans = model.tag_document(&[vec!["Anna", "Smith", "visited", "Paris", "."]]);
        let found: Vec<_> = spans[0]
            .iter()
            .map(|s| (s.start, s.end, s.kind.as_str()))
            .collect();
        assert_eq!(found, [(0, 2, "PERSON"), (3, 4, "LOC")]);
        let directory = std::env::temp_dir().join(format!("ner-test-{}", std::process::id()));
        std::fs::create_dir_all(&directory).expect("temp dir");
        let path = directory.join("model.bin");
        model.save(&path).expect("saves");
        let loaded = NerModel::load(&path).expect("loads");
        assert_eq!(loaded.keys, model.keys);
        assert_eq!(loaded.layers(), model.layers());
        assert_eq!(loaded.feature_settings(), model.feature_settings());
        assert_eq!(loaded.gazetteer.entries(), model.gazetteer.entries());
        assert!(model.typer.is_some(), "the toy settings train a span typer");
        assert_eq!(loaded.typer, model.typer);
        assert_eq!(
            loaded.tag_document(&[vec!["John", "Brown", "left", "."]]),
            model.tag_document(&[vec!["John", "Brown", "left", "."]])
        );
        std::fs::write(&path, b"not a model").expect("writes");
        assert!(matches!(
            NerModel::load(&path),
            Err(NerError::BadModel { .. })
        ));
        let _ = std::fs::remove_dir_all(&directory);
    }

    #[test]
    fn training_is_deterministic() {
        let settings = toy_settings();
        let a = toy_model(&settings);
        let b = toy_model(&settings);
        assert_eq!(a.keys, b.keys);
        assert_eq!(a.layers(), b.layers());
        assert_eq!(a.typer, b.typer);
    }

    #[test]
    fn the_span_typer_can_be_switched_off() {
        let mut settings = toy_settings();
        settings.features.span_typer = false;
        let model = toy_model(&settings);
        assert!(model.typer.is_none());
        let bytes = codec::encode(&model).expect("encodes");
        let loaded = codec::decode(&bytes).expect("decodes");
        assert!(loaded.typer.is_none() && !loaded.feature_settings().span_typer);
    }

    #[test]
    fn tagging_never_panics_on_odd_input() {
        let model = toy_model(&toy_settings());
        let odd: Vec<Vec<&str>> = vec![
            vec![],
            vec!["", " ", "\u{2019}", "\u{1f600}", "İstanbul", "\u{0}"],
            vec!["\u{201c}", "ALL", "CAPS", "\u{201d}"],
        ];
        let spans = model.tag_document(&odd);
        assert_eq!(spans.len(), 3);
        assert!(spans[0].is_empty());
        assert!(model.tag_document::<&str>(&[]).is_empty());
    }

    #[test]
    fn settings_parse_from_toml() {
        let settings = TrainSettings::from_toml("epochs = 3\nseed = 7\n[features]\nwindow = 1\n")
            .expect("valid");
        assert_eq!(settings.epochs, 3);
        assert_eq!(settings.features.window, 1);
        assert!(settings.features.second_pass);
        assert!(TrainSettings::from_toml("epoch = 3").is_err());
    }
}
