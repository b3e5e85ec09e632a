//! Reported speech cued by a noun with its owner: "Trump’s claim that …", "his suggestion that
//! …", "Stumpf’s repeated emphasis that …".
//!
//! News often reports a statement by naming the act of saying it instead of using a verb. The
//! noun must be one of speech or stated belief ([`is_speech_noun`]), it must be followed by
//! "that" and a clause with its own subject (so that the relative in "the claim that he made"
//! is no content — a content of two words is too short anyway, and "the report that was
//! released" opens with a verb), and its owner is the speaker: a possessive phrase before it
//! ("the minister’s warning") or a possessive pronoun resolved as its subject pronoun would be
//! ("his claim" as "he"). A noun with no owner ("amid claims that …") reports nobody and is
//! left out: it would score below any useful threshold.

use std::ops::Range;

use super::context::Context;
use super::reported::Reported;
use super::word_classes::{is_function_word, lower};
use crate::pipeline::doc::{Span, Speaker};

/// The most modifiers between an owner and its noun: "his repeated public emphasis".
const MAX_MODIFIERS: usize = 2;

/// Nouns that name a statement or a stated belief.
fn is_speech_noun(word: &str) -> bool {
    matches!(
        word,
        "claim"
            | "claims"
            | "assertion"
            | "assertions"
            | "suggestion"
            | "contention"
            | "insistence"
            | "emphasis"
            | "argument"
            | "arguments"
            | "warning"
            | "warnings"
            | "promise"
            | "pledge"
            | "assurance"
            | "assurances"
            | "acknowledgment"
            | "acknowledgement"
            | "admission"
            | "allegation"
            | "allegations"
            | "accusation"
            | "accusations"
            | "charge"
            | "charges"
            | "statement"
            | "announcement"
            | "prediction"
            | "conclusion"
            | "belief"
            | "view"
            | "complaint"
            | "complaints"
            | "declaration"
            | "remark"
            | "remarks"
            | "comment"
            | "comments"
            | "report"
            | "finding"
            | "findings"
    )
}

/// The subject pronoun a possessive pronoun is resolved as.
fn subject_of_possessive(word: &str) -> Option<&'static str> {
    match word {
        "his" => Some("he"),
        "her" => Some("she"),
        "their" => Some("they"),
        "its" => Some("it"),
        _ => None,
    }
}

impl Context<'_> {
    /// Reports the speech cued by the noun at token `k` (`word`, lower case) in sentence `s`;
    /// whether the word is a speech noun with an owner (and so no verb).
    pub(super) fn noun_cue(
        &self,
        k: usize,
        word: &str,
        s: &Range<usize>,
        out: &mut Vec<Reported>,
    ) -> bool {
        if !is_speech_noun(word) {
            return false;
        }
        let Some(speaker) = self.owner(k, s.start) else {
            return false;
        };
        // Owned, the word is a noun whatever follows: `Trump’s claims were …` is no verb.
        if self.word(k + 1).eq_ignore_ascii_case("that") && self.opens_with_subject(k + 2, s.end) {
            let content = self.content_from(k + 1, s.end);
            self.report(out, content, word, k, Some(speaker));
        }
        true
    }

    /// The owner of the noun at token `k`, past up to [`MAX_MODIFIERS`] modifiers: the phrase
    /// before a possessive clitic, or a possessive pronoun.
    fn owner(&self, k: usize, start: usize) -> Option<Speaker> {
        let mut buf = [0u8; 24];
        let mut b = k;
        for _ in 0..=MAX_MODIFIERS {
            let before = b.checked_sub(1).filter(|&p| p >= start)?;
            if matches!(self.word(before), "’s" | "'s" | "’" | "'") {
                let np = self.phrase_backward(before, start)?;
                return self.speaker(np);
            }
            let raw = self.word(before);
            let word = lower(raw, &mut buf);
            if let Some(pronoun) = subject_of_possessive(word) {
                let t = self.tokens.get(before)?;
                return Some(self.pronoun(pronoun, Span::new(t.start, t.end)));
            }
            // A modifier is a lower-case content word: `repeated`, `public`.
            let modifier = raw.starts_with(|c: char| c.is_ascii_lowercase())
                && !is_function_word(word)
                && !self.in_quote(before);
            if !modifier {
                return None;
            }
            b = before;
        }
        None
    }
}
