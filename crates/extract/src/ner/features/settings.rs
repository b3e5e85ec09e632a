//! Feature settings: which families of features a model uses.
//!
//! Every family can be switched off, for ablation studies when the model is trained
//! (`models/ner/train.toml`). The settings a model was trained with are saved inside it, so
//! at run time the extractor produces exactly the keys training did: a model's features
//! are a property of the model, not of the code that loads it.

use serde::{Deserialize, Serialize};

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
    /// A span typer that re-decides each mention's type from the mention seen whole
    /// (module `ner::typer`).
    pub span_typer: bool,
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
            span_typer: true,
        }
    }
}

/// Longest affix the extractor supports.
pub(super) const MAX_AFFIX: usize = 4;
/// Widest window the extractor supports.
pub(super) const MAX_WINDOW: usize = 2;
