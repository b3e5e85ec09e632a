//! The extraction stages, one module each, and the standard order they run in.
//!
//! Each stage reads what the stages before it wrote on the [`Doc`](crate::pipeline::Doc):
//! text first (everything points into it), then tokens and sentences (for every language),
//! then language (which reads the tokens and decides whether the English-only stages run),
//! then the stages that read words.

pub mod amounts;
pub mod dates;
pub mod entities;
pub mod fingerprint;
pub mod geo;
pub mod html;
pub mod keywords;
pub mod language;
pub mod mentions;
pub mod normalise;
pub mod quotes;
pub mod roles;
pub mod sections;
pub mod sentences;
pub mod tone;

#[cfg(test)]
mod testing;

use crate::config::ExtractConfig;
use crate::pipeline::{Stage, StageError};

/// The standard stages, in order.
pub fn standard(config: &ExtractConfig) -> Result<Vec<Box<dyn Stage>>, StageError> {
    Ok(vec![
        Box::new(html::HtmlStage::new(config.limits.max_article_bytes)),
        Box::new(normalise::TextStage::new(config.limits.max_text_chars)),
        Box::new(sentences::SentencesStage),
        Box::new(language::LanguageStage),
        Box::new(mentions::NerStage::new(&config.pipeline.ner_model)?),
        Box::new(entities::EntitiesStage::new()),
        Box::new(geo::GeoStage::new()),
        Box::new(roles::RolesStage),
        Box::new(quotes::QuotesStage::new(
            config.pipeline.min_indirect_confidence,
        )),
        Box::new(dates::DatesStage),
        Box::new(amounts::AmountsStage),
        Box::new(sections::SectionsStage),
        Box::new(tone::ToneStage::new()),
        Box::new(keywords::KeywordsStage::new()),
        Box::new(fingerprint::FingerprintStage::new(
            config.pipeline.near_duplicate_window,
            config.pipeline.near_duplicate_max_distance,
        )),
    ])
}
