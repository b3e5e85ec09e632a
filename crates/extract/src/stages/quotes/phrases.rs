//! Noun phrases: the words a speaker is named by, read forwards or backwards from a token.
//!
//! A speaker is a noun phrase next to its speech verb: after it (`said a senior official`),
//! before it (`the former mayor of Leeds said`), or first in the clause. A phrase here is an
//! optional determiner and then content words — any word but a function word, a speech verb
//! or a clitic ("n't"), or a number; never a quotation mark or punctuation — bounded by
//! [`MAX_PHRASE`] tokens. Possessives join its words (`the company’s chief executive`); so does
//! "of" when the phrase is read backwards from its verb (`the leader of the group said`, `Mr.
//! Morgan of the Sierra Club said`), and, read forwards, a link to a named affiliation (`said a
//! spokesperson for Acme`). A lone subject
//! pronoun is a phrase of its own. Read forwards, a lower-case word in "-ed" after a
//! capitalised name is taken for the verb that ends the phrase (`Trump attacked …`). A word of
//! an entity mention belongs to a phrase whatever its class.

use std::ops::Range;

use super::context::Context;
use super::verbs::is_speech_verb;
use super::word_classes::{
    is_affiliation_link, is_determiner, is_function_word, is_subject_pronoun, lower,
};
use crate::text::tokens::{is_clitic, TokenKind};

/// The most tokens a speaker noun phrase may have.
pub(super) const MAX_PHRASE: usize = 10;

impl Context<'_> {
    /// Whether token `i` may be part of a noun phrase.
    fn np_token(&self, i: usize) -> bool {
        let Some(t) = self.tokens.get(i) else {
            return false;
        };
        let word = t.text(self.text);
        match t.kind {
            TokenKind::Word => {
                let mut buf = [0u8; 24];
                let w = lower(word, &mut buf);
                let content = !is_function_word(w) && !is_speech_verb(w) && !is_clitic(w);
                content || self.mention_at(i).is_some()
            }
            TokenKind::Number => true,
            TokenKind::Quote => false,
            _ => false,
        }
    }

    /// Whether token `i` is a possessive clitic or apostrophe inside a noun phrase.
    fn possessive(&self, i: usize) -> bool {
        matches!(self.word(i), "’s" | "'s" | "’" | "'")
    }

    /// The words of a noun phrase starting at token `i` (a determiner, then content words), as
    /// a token range; `None` when no content word follows.
    fn words_forward(&self, i: usize) -> Option<Range<usize>> {
        let mut buf = [0u8; 24];
        let first = lower(self.word(i), &mut buf);
        if is_subject_pronoun(first) {
            return Some(i..i + 1);
        }
        let mut j = i + usize::from(is_determiner(first));
        let content = j;
        let mut named = false;
        while j < i + MAX_PHRASE && !self.in_quote(j) && self.np_token(j) {
            let word = self.word(j);
            if named && word.ends_with("ed") && word.starts_with(|c: char| c.is_lowercase()) {
                // A past-tense verb after a name: `Trump attacked …`.
                break;
            }
            named |= word.starts_with(char::is_uppercase);
            j += 1;
            while self.possessive(j) && self.np_token(j + 1) {
                j += 2;
            }
        }
        (j > content).then_some(i..j)
    }

    /// The noun phrase starting at token `i`, as [`Self::words_forward`] reads it, with a named
    /// affiliation joined: `a spokesperson for Acme`, `the leader of Hamas`.
    pub(super) fn phrase_forward(&self, i: usize) -> Option<Range<usize>> {
        let phrase = self.words_forward(i)?;
        let mut buf = [0u8; 24];
        if is_affiliation_link(lower(self.word(phrase.end), &mut buf)) {
            if let Some(tail) = self.words_forward(phrase.end + 1) {
                if tail.clone().any(|k| self.mention_at(k).is_some()) {
                    return Some(i..tail.end);
                }
            }
        }
        Some(phrase)
    }

    /// The noun phrase ending just before token `end`, not reaching before `start`.
    pub(super) fn phrase_backward(&self, end: usize, start: usize) -> Option<Range<usize>> {
        let mut buf = [0u8; 24];
        let last = end.checked_sub(1)?;
        if last < start || self.in_quote(last) {
            return None;
        }
        let word = lower(self.word(last), &mut buf);
        if is_subject_pronoun(word) {
            return Some(last..end);
        }
        let mut j = end;
        while j > start && j + MAX_PHRASE > end {
            let k = j - 1;
            if self.in_quote(k) {
                break;
            }
            if is_determiner(lower(self.word(k), &mut buf)) {
                j = k;
                // `Mr. Morgan of the Sierra Club said`: the determiner opens a phrase
                // attached to the noun before it; read on to that noun.
                let attached = k > start + 1
                    && j + MAX_PHRASE > end
                    && is_affiliation_link(lower(self.word(k - 1), &mut buf))
                    && self.np_token(k - 2);
                if !attached {
                    break;
                }
                j = k - 1;
                continue;
            }
            let joins = (self.possessive(k) || self.word(k) == "of") && k > start && j < end;
            if !self.np_token(k) && !joins {
                break;
            }
            j = k;
        }
        while j < end && (self.possessive(j) || self.word(j) == "of") {
            j += 1;
        }
        (j < end && self.np_token(end - 1)).then_some(j..end)
    }
}
