//! What an [`Extractor`](crate::Extractor) can be told: size limits and stage settings.
//!
//! Both tables are part of the worker's TOML configuration (`[limits]` and `[pipeline]`, with
//! their defaults and documentation in `config/default.toml`); [`ExtractConfig::default`] holds
//! the same defaults for programs that use the library on its own.

use std::path::PathBuf;

use serde::Deserialize;

/// The settings of one extractor.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtractConfig {
    /// Size limits on inputs.
    pub limits: Limits,
    /// Settings of the extraction stages.
    pub pipeline: PipelineConfig,
}

/// Size limits on inputs.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Largest raw message accepted, in bytes.
    pub max_article_bytes: usize,
    /// Longest body text processed, in characters.
    pub max_text_chars: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_article_bytes: 2 * 1024 * 1024,
            max_text_chars: 200_000,
        }
    }
}

/// Settings of the extraction stages.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PipelineConfig {
    /// A retrained NER model to use instead of the one built into the library; empty for the
    /// built-in model.
    pub ner_model: PathBuf,
    /// Recent articles remembered for near-duplicate detection.
    pub near_duplicate_window: usize,
    /// Largest SimHash distance that counts as a near duplicate.
    pub near_duplicate_max_distance: u32,
    /// Indirect quotes (reported speech holding no quote in marks) below this confidence are
    /// left out of the record; 0 keeps all.
    pub min_indirect_confidence: f64,
}

impl Default for PipelineConfig {
    fn default() -> Self {
        PipelineConfig {
            ner_model: PathBuf::new(),
            near_duplicate_window: 10_000,
            near_duplicate_max_distance: 3,
            min_indirect_confidence: 0.5,
        }
    }
}
