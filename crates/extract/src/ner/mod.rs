//! Named-entity recognition: a trained statistical sequence labeller that finds
//! PERSON, ORG, LOC and MISC mentions in tokenized news sentences.
//!
//! The model is a two-pass, first-order linear-chain tagger trained with the averaged
//! structured perceptron on CoNLL-2003 (Ratinov & Roth 2009 style):
//!
//! * Tokens are labelled with BILOU tags (`B-ORG`, `I-ORG`, `L-ORG`, `U-LOC`, `O`, …) and
//!   decoded exactly with constrained Viterbi, so every output is a well-formed span.
//! * Features (module `features`) are hashed into 64-bit keys without allocating per feature:
//!   word forms, affixes, word shapes, casing, a ±2 window, word clusters from word
//!   vectors (`lexicon::WordClusters`), a gazetteer of the training set's entity names
//!   (`lexicon::Gazetteer`), document-level casing evidence (how the same word is
//!   written elsewhere in the document — headlines are often ALL CAPS) and context
//!   aggregation (the neighbours of the word's other occurrences in the document).
//! * The second pass adds non-local features from the first pass's predictions: what the
//!   same word was labelled elsewhere in the document. Training uses jackknifed
//!   first-pass predictions so the second pass learns how far to trust them.
//! * A span typer (module `typer`) then re-decides each mention's type from the mention
//!   seen whole: all its words, the words just outside it, the mentions around it, and
//!   what the document calls the same name elsewhere.
//!
//! Only the token and NER columns of CoNLL are used: part-of-speech and chunk tags are
//! not available on raw articles. Tokens are expected to follow CoNLL/PTB conventions;
//! typographic quotes, apostrophes, dashes and ellipses are normalised to their ASCII
//! forms inside feature extraction, so “curly” text scores like CoNLL's ASCII.
//!
//! Entry points: [`NerModel::built_in`] / [`NerModel::tag_document`] at run time; with the
//! `training` feature, `train` and `evaluate` for `newsworker-dev train ner` / `eval ner`.

mod codec;
#[cfg(feature = "training")]
pub mod conll;
#[cfg(feature = "training")]
mod eval;
mod features;
mod labels;
mod lexicon;
mod model;
#[cfg(feature = "training")]
mod train;
mod typer;

#[cfg(feature = "training")]
pub use eval::{evaluate, evaluate_documents, f1, ratio, EvalReport, SpanCounts};
pub use features::FeatureSettings;
pub use model::NerModel;
#[cfg(feature = "training")]
pub use train::{train, TrainSettings};

use std::path::PathBuf;

/// The entity types the model recognises (CoNLL's PER is reported as PERSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityType {
    /// People, including fictional ones and surnames on their own.
    Person,
    /// Organisations: companies, institutions, teams, parties, agencies.
    Org,
    /// Locations: countries, cities, regions, geographic features.
    Loc,
    /// Miscellaneous names: nationalities, events, languages, titles of works.
    Misc,
}

impl EntityType {
    /// All types, in the order used for per-type tables and label numbering.
    pub const ALL: [EntityType; 4] = [
        EntityType::Person,
        EntityType::Org,
        EntityType::Loc,
        EntityType::Misc,
    ];

    /// The type's output name: `"PERSON"`, `"ORG"`, `"LOC"` or `"MISC"`.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Person => "PERSON",
            EntityType::Org => "ORG",
            EntityType::Loc => "LOC",
            EntityType::Misc => "MISC",
        }
    }

    /// Parses a CoNLL type name (`PER`, `ORG`, `LOC`, `MISC`; `PERSON` is accepted too).
    pub fn from_conll(name: &str) -> Option<EntityType> {
        match name {
            "PER" | "PERSON" => Some(EntityType::Person),
            "ORG" => Some(EntityType::Org),
            "LOC" => Some(EntityType::Loc),
            "MISC" => Some(EntityType::Misc),
            _ => None,
        }
    }

    /// The type's position in [`EntityType::ALL`].
    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

/// One entity mention: a half-open range of TOKEN indices within one sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EntitySpan {
    /// Index of the mention's first token.
    pub start: usize,
    /// Index just past the mention's last token.
    pub end: usize,
    /// The mention's type.
    pub kind: EntityType,
}

/// Why loading, saving, training or evaluating a model failed.
#[derive(Debug, thiserror::Error)]
pub enum NerError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file concerned.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A model file is not in the expected format (wrong magic, version or truncated).
    #[error("{path}: not a valid NER model file: {reason}")]
    BadModel {
        /// The model file.
        path: PathBuf,
        /// What was wrong.
        reason: String,
    },
    /// A CoNLL file has a malformed line.
    #[error("{path}:{line}: {reason}")]
    BadConll {
        /// The data file.
        path: PathBuf,
        /// The 1-based line number.
        line: usize,
        /// What was wrong.
        reason: String,
    },
    /// Training settings or resources are unusable.
    #[error("invalid training setup: {0}")]
    Settings(String),
}
