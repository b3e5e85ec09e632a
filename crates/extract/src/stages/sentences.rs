//! Tokens and sentences, for every later stage that reads words.
//!
//! The work is done by the news-aware tokenizer and splitter in `text/`; this stage runs them
//! over the normalised body and stores the result on the document.

use crate::pipeline::{Doc, Stage, StageError};
use crate::text::{sentences, tokens};

/// Tokenises the body and splits it into sentences.
pub struct SentencesStage;

impl Stage for SentencesStage {
    fn name(&self) -> &'static str {
        "sentences"
    }

    fn run(&self, doc: &mut Doc) -> Result<(), StageError> {
        doc.tokens = tokens::tokenize(&doc.text);
        doc.sentences = sentences::split_sentences(&doc.text, &doc.tokens);
        Ok(())
    }
}
