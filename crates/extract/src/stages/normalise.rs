//! The `text` stage: the body every later offset points into.
//!
//! Every later stage is simpler when it can trust the text, so this stage rewrites the body once
//! into the normal form of [`text::normal_form`](crate::text::normal_form) (NFC, one paragraph
//! per block separated by a blank line, spaces collapsed, invisible characters removed) and
//! records the paragraphs.
//!
//! Bodies longer than `limits.max_text_chars` are cut at the last paragraph (else sentence,
//! else word) boundary before the limit, and the document says so.

use crate::pipeline::doc::Span;
use crate::pipeline::{Doc, Stage, StageError};
use crate::text::normal_form::normalise;

/// Normalises the body and finds its paragraphs.
pub struct TextStage {
    max_chars: usize,
}

impl TextStage {
    /// A text stage that cuts bodies at `max_chars` characters.
    pub fn new(max_chars: usize) -> Self {
        TextStage { max_chars }
    }
}

impl Stage for TextStage {
    fn name(&self) -> &'static str {
        "text"
    }

    fn run(&self, doc: &mut Doc) -> Result<(), StageError> {
        if doc.text.is_empty() {
            doc.text = doc.article.text.clone().unwrap_or_default();
        }
        let (text, paragraphs) = normalise(&doc.text);
        let (text, paragraphs, truncated) = truncate(text, paragraphs, self.max_chars);
        if paragraphs.is_empty() {
            return Err(StageError {
                reason: crate::contract::failure::Reason::EmptyBody,
                message: "no text left after normalisation".into(),
            });
        }
        doc.text = text;
        doc.paragraphs = paragraphs;
        doc.truncated |= truncated;
        Ok(())
    }
}

/// Cuts `text` to at most `max_chars` characters at the best boundary before the limit.
fn truncate(
    text: String,
    mut paragraphs: Vec<Span>,
    max_chars: usize,
) -> (String, Vec<Span>, bool) {
    let Some((limit, _)) = text.char_indices().nth(max_chars) else {
        return (text, paragraphs, false);
    };
    let cut = match paragraphs.iter().rev().find(|p| p.end <= limit) {
        Some(whole) => whole.end,
        None => {
            let head = &text[..limit];
            let sentence_end = head.rfind(". ").map(|i| i + 1);
            let word_end = head.rfind(char::is_whitespace);
            sentence_end.or(word_end).unwrap_or(limit)
        }
    };
    paragraphs.retain(|p| p.start < cut);
    if let Some(last) = paragraphs.last_mut() {
        last.end = last.end.min(cut);
        let trimmed = text[last.start..last.end].trim_end().len();
        last.end = last.start + trimmed;
    }
    let end = paragraphs.last().map_or(0, |p| p.end);
    let mut text = text;
    text.truncate(end);
    (text, paragraphs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_texts_are_cut_at_a_paragraph_boundary() {
        let (text, spans) = normalise("First paragraph.\nSecond paragraph is long.");
        let (cut, spans, truncated) = truncate(text, spans, 25);
        assert!(truncated);
        assert_eq!(cut, "First paragraph.");
        assert_eq!(spans, [Span::new(0, 16)]);
    }

    #[test]
    fn a_single_long_paragraph_is_cut_at_a_sentence_or_word() {
        let (text, spans) = normalise("One sentence here. Another one that is long.");
        let (cut, spans, _) = truncate(text, spans, 30);
        assert_eq!(cut, "One sentence here.");
        assert_eq!(spans.len(), 1);
        let (text, spans) = normalise("nospaces".repeat(10).as_str());
        let (cut, _, truncated) = truncate(text, spans, 5);
        assert!(truncated);
        assert_eq!(cut.chars().count(), 5);
    }

    #[test]
    fn short_texts_are_untouched() {
        let (text, spans) = normalise("Short.");
        let (same, _, truncated) = truncate(text.clone(), spans, 100);
        assert!(!truncated);
        assert_eq!(same, text);
    }
}
