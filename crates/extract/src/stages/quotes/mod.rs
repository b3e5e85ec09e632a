//! Direct quotes and who said them.
//!
//! News reports speech in a handful of fixed shapes, so this stage finds quotes with two linear
//! passes over the tokens and no parser:
//!
//! 1. **Pairing the marks** (`spans`): the quotation marks of each paragraph are paired into
//!    the spans of the quotes, judging every mark by its glyph and by what touches it, so that
//!    neither a stray mark nor an apostrophe ("it’s", "the ’90s") swallows the article.
//! 2. **Attribution** (`attribution`): for each quote, a speech verb and its subject in the
//!    quote's own sentence — `“…,” X said`, `X replied: “…”`, `according to X`, `X: “…”`. The
//!    subject is a noun phrase (`phrases`), and the speaker is what it stands for (`speakers`):
//!    an entity, a pronoun resolved to one, or a source known only by its words ("a senior
//!    official").
//!
//! A quote with no attribution of its own may then inherit one by news conventions
//! (`inheritance`): the parts of a quote over several paragraphs share their speaker, and a
//! quote right after someone's words goes on with them. Anything else — a short phrase in
//! marks with no speech act, "a “shouting match”" — is a scare quote and has no speaker.
//!
//! Every quote carries a confidence (`confidence`): reported speech needs a predicate of speech
//! or belief used as one, a content clause and a speaker that is a noun phrase, and what falls
//! short of that scores low; the stage drops indirect quotes below its threshold.
//!
//! The words both passes recognise are closed lists: the speech verbs (`verbs`, a misspelling
//! one edit away included) and the grammatical words around a subject (`word_classes`).
//! `context` holds what the scans share: the document and its lookups by token.
//!
//! Everything is bounded scans around the marks over the tokens of the sentence stage: the cost
//! is a few tens of nanoseconds per word.

mod attribution;
mod confidence;
mod context;
mod coreference;
mod gender;
mod inheritance;
mod introductions;
mod merge;
mod noun_cues;
mod phrases;
mod reported;
mod spans;
mod speakers;
mod verbs;
mod word_classes;

use crate::config::PipelineConfig;
use crate::pipeline::doc::{Quote, QuoteKind};
use crate::pipeline::{Doc, Stage, StageError};
use attribution::Attribution;
use context::Context;
use inheritance::inherit;
use merge::merge;
use spans::pair_marks;

/// Finds quotes, direct and reported, and attributes them to speakers.
pub struct QuotesStage {
    /// Indirect quotes below this confidence are dropped (`[pipeline]
    /// min_indirect_confidence`).
    min_indirect_confidence: f64,
}

impl QuotesStage {
    /// The stage, dropping reported speech below `min_indirect_confidence`.
    pub fn new(min_indirect_confidence: f64) -> Self {
        QuotesStage {
            min_indirect_confidence,
        }
    }
}

impl Default for QuotesStage {
    /// The stage with the default threshold of [`PipelineConfig`].
    fn default() -> Self {
        QuotesStage::new(PipelineConfig::default().min_indirect_confidence)
    }
}

impl Stage for QuotesStage {
    fn name(&self) -> &'static str {
        "quotes"
    }

    fn english_only(&self) -> bool {
        true
    }

    fn run(&self, doc: &mut Doc) -> Result<(), StageError> {
        doc.quotes = find_quotes(doc, self.min_indirect_confidence);
        Ok(())
    }
}

/// The quotes of `doc`, in text order, with their speakers and confidences, indirect quotes
/// below `min_indirect_confidence` left out. Reads the text, paragraphs, tokens, sentences,
/// entities and roles; never panics on any input.
pub fn find_quotes(doc: &Doc, min_indirect_confidence: f64) -> Vec<Quote> {
    let marked = pair_marks(&doc.text, &doc.tokens, &doc.paragraphs);
    let ctx = Context::new(doc, &marked);
    let mut found: Vec<Attribution> = marked.iter().map(|q| ctx.attribute(q)).collect();
    inherit(&ctx, &marked, &mut found);
    let reported = ctx.reported_speech();
    let mut quotes = merge(&ctx, &marked, found, reported);
    // Only reported speech with no quote in marks is dropped: a mixed quote holds someone's
    // words in marks, which stay whatever the frame around them.
    quotes.retain(|q| q.kind != QuoteKind::Indirect || q.confidence >= min_indirect_confidence);
    quotes
}

#[cfg(test)]
mod tests;
