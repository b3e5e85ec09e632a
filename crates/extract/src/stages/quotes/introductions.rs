//! Quotes introduced without a known speech verb, where the sentence still makes the speaker
//! plain to a reader.
//!
//! The speech-verb list can never hold every verb writers use ("retaliated", "interjected",
//! "barked"), and some quotes have no verb at all. Three shapes still name the speaker:
//!
//! * **a clause introducing the quote** with a colon or a comma: `Clinton has since apologized
//!   for what happened: “…”`, `Silverman interjected, “…”` — the clause's subject, when it is
//!   a person (or, before a colon, an organisation: `the board was conclusive in its
//!   findings: “…”`) and a lower-case word stands right before the mark; with no parser, a
//!   headline's "Sarah Silverman heckles Sanders supporters:" reads as one phrase, whose
//!   leading name is taken;
//! * **a person and any verb right after the quote**: `“…,” an angry Hollande retaliated.` —
//!   a phrase naming a person (or "he"/"she"), then one lower-case word, then the end of the
//!   sentence, a short tail or a new clause (`Trump barked and a guard escorted him out`);
//! * **a transcript label** opening the quote: `“PENCE: Well, look, …”` — one to three
//!   upper-case words and a colon, taken only when they name a person of the article by
//!   surname, so a `“BREAKING: …”` or `“NOTE: …”` names nobody;
//! * **a sign-off paragraph** after the quote's, short and opening with a dash and a
//!   person's name: `“…”` ¶ `- Hillary Clinton.`
//!
//! Each asks for a person (resolved, or a pronoun), never a bare noun phrase, so a scare quote
//! after "the report" or "a museum" stays unattributed.

use super::attribution::Attribution;
use super::context::Context;
use super::spans::Marked;
use super::word_classes::{is_function_word, lower};
use crate::pipeline::doc::{EntityType, Speaker, SpeakerVia};
use crate::text::titles::is_honorific;
use crate::text::tokens::TokenKind;

/// The most words a transcript label has: `PENCE:`, `MIKE PENCE:`.
const LABEL_WORDS: usize = 3;

/// The most tokens a sign-off paragraph has: `- Michelle Marks, Philadelphia`.
const SIGN_OFF_TOKENS: usize = 12;

/// The most tokens that may follow the verb of `“…,” X verbed` before the sentence ends.
const SHORT_TAIL: usize = 6;

impl Context<'_> {
    /// Whether `speaker` is a person (an entity, or an unresolved "he"/"she"/"I"), or, when
    /// `organisations` is set, an organisation.
    pub(super) fn speaks(&self, speaker: &Speaker, organisations: bool) -> bool {
        match speaker.entity.and_then(|e| self.doc.entities.get(e)) {
            Some(e) => e.kind == EntityType::Person || (organisations && e.kind == EntityType::Org),
            None => {
                speaker.via == SpeakerVia::Pronoun
                    && matches!(speaker.name.to_lowercase().as_str(), "he" | "she" | "i")
            }
        }
    }

    /// `Clinton has since apologized: “…”`, `Silverman interjected, “…”`.
    pub(super) fn introducing_clause(&self, open: usize) -> Option<Attribution> {
        let mark = open.checked_sub(1)?;
        let colon = match self.word(mark) {
            ":" => true,
            "," => false,
            _ => return None,
        };
        let before = mark.checked_sub(1)?;
        let word = self.word(before);
        if !word.starts_with(|c: char| c.is_ascii_lowercase()) || self.in_quote(before) {
            return None;
        }
        let sentence = self.sentence_of(mark)?;
        let speaker = self.clause_subject(sentence.tokens.start, mark)?;
        let speaker = self.leading_name(&speaker).unwrap_or(speaker);
        if !self.speaks(&speaker, colon) {
            return None;
        }
        Some(Attribution {
            verb: None,
            speaker: Some(speaker),
            cue: Some(before),
        })
    }

    /// The person a noun phrase speaker opens with, past an honorific, when it is no entity
    /// itself: `Sarah Silverman heckles Sanders supporters:` read as one phrase.
    fn leading_name(&self, speaker: &Speaker) -> Option<Speaker> {
        if speaker.entity.is_some() {
            return None;
        }
        let first = self
            .tokens
            .partition_point(|t| t.start < speaker.span.start);
        let skip = usize::from(is_honorific(self.word(first)));
        let m = self.mention_at(first + skip)?;
        (m.kind == EntityType::Person).then(|| self.entity_speaker(m))
    }

    /// `“PENCE: Well, look, …”`: a transcript's speaker label at the start of the quote, naming
    /// a person of the article by the last word of their name.
    pub(super) fn transcript_label(&self, q: &Marked) -> Option<Attribution> {
        let first = q.open + 1;
        let colon = (first..first + LABEL_WORDS + 1).find(|&k| self.word(k) == ":")?;
        let shouting = |k: usize| {
            let word = self.word(k);
            word.len() >= 2
                && word.chars().all(|c| c.is_alphabetic() || c == '.')
                && !word.chars().any(char::is_lowercase)
        };
        if colon == first || !(first..colon).all(shouting) {
            return None;
        }
        let surname = self.word(colon - 1);
        let person = self.doc.entities.iter().enumerate().find(|(_, e)| {
            e.kind == EntityType::Person
                && e.name
                    .rsplit(' ')
                    .next()
                    .is_some_and(|last| last.eq_ignore_ascii_case(surname))
        })?;
        let span =
            crate::pipeline::doc::Span::new(self.tokens[first].start, self.tokens[colon - 1].end);
        Some(Attribution {
            verb: None,
            speaker: Some(self.named(person.0, span, SpeakerVia::Name)),
            cue: Some(first),
        })
    }

    /// `“…,” an angry Hollande retaliated.`
    pub(super) fn person_then_verb(&self, q: &Marked) -> Option<Attribution> {
        let close = q.close?;
        let mut i = close + 1;
        if self.word(i) == "," {
            i += 1;
        }
        let np = self.phrase_forward(i)?;
        let verb = np.end;
        let mut buf = [0u8; 24];
        let word = self.word(verb);
        let verb_like = word.starts_with(|c: char| c.is_ascii_lowercase())
            && !is_function_word(lower(word, &mut buf))
            && (word.ends_with("ed") || word.ends_with('s'));
        if !verb_like || self.in_quote(verb) {
            return None;
        }
        let sentence = self.sentence_of(verb)?;
        let new_clause = matches!(
            lower(self.word(verb + 1), &mut buf),
            "and" | "as" | "before"
        );
        if sentence.tokens.end > verb + 1 + SHORT_TAIL && !new_clause {
            return None;
        }
        let speaker = self.speaker(np)?;
        if !self.speaks(&speaker, false) {
            return None;
        }
        Some(Attribution {
            verb: Some(lower(word, &mut buf).to_string()),
            speaker: Some(speaker),
            cue: Some(verb),
        })
    }

    /// `“…”` ¶ `- Hillary Clinton.`: a paragraph of a dash and a name right after the quote's.
    pub(super) fn sign_off_below(&self, q: &Marked) -> Option<Attribution> {
        let next = self.paragraphs.get(q.paragraph + 1)?;
        let first = self.tokens.partition_point(|t| t.start < next.start);
        let dash = self.tokens.get(first)?;
        let is_dash = dash.kind == TokenKind::Punct
            && matches!(self.word(first), "-" | "—" | "–" | "―" | "--");
        let glued_dash = dash.kind == TokenKind::Word && self.word(first).starts_with('-');
        if !is_dash && !glued_dash {
            return None;
        }
        let last = self.tokens.partition_point(|t| t.end <= next.end);
        let m = self.mention_at(first + usize::from(is_dash))?;
        if m.kind != EntityType::Person || last > first + SIGN_OFF_TOKENS {
            return None;
        }
        Some(Attribution {
            verb: None,
            speaker: Some(self.entity_speaker(m)),
            cue: None,
        })
    }
}
