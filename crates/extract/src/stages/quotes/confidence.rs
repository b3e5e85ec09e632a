//! How much to trust a quote: a confidence in [0, 1] that it is speech (or a stated belief)
//! attributed to the right speaker, so that a consumer — and the `[pipeline]
//! min_indirect_confidence` setting — can keep only what a careful reader would sign.
//!
//! The score multiplies a few factors, each set by hand from what goes wrong when it is low
//! (the BBC sample's judgments, see `docs/quotes.md`) and never fitted to one article:
//!
//! * **the predicate** — a speech verb or "according to" reports speech outright; a verb of
//!   belief ("believes", "fears") reports a stance a reader still takes as the source's; a
//!   verb of stance taken in words ("blamed", "endorsed") reports speech only loosely;
//! * **the content** — a that-clause or a finite clause is what was said; an infinitive
//!   ("threatened to leave", "refused to testify") is an act, not words, except after a
//!   promise or a demand made in words ("vowed to fight", "called for a ban", "urged them to
//!   leave"); a noun phrase after a speech verb
//!   ("added fuel to the fire") is no content at all; after a stance verb it is the object
//!   of the stance ("blamed Congress");
//! * **the speaker** — a name, or a pronoun or description resolved to an entity, is sure; a
//!   noun phrase or an unresolved pronoun a little less; an unresolved "I" or "we" is the
//!   writer's own voice; none (a passive or impersonal "it is feared that") leaves a report
//!   nobody signs; a speaker in a condition (`if they think …`) reports nothing either, and
//!   a speaker read off part of a phrase — a name after "for" or "of" in a longer name (`the
//!   Funding Council for England said`), a phrase holding a time adverbial (`Earlier this
//!   month figures showed`) — is likely the wrong one.
//!
//! Verbs that name ("called", "dubbed") report speech only as a demand ("called for").
//!
//! Direct quotes carry the confidence of their attribution only: the marks say they are
//! someone's words.

use std::ops::Range;

use super::context::Context;
use super::verbs::{
    is_topic_preposition, predicate, speaks_of_a_topic, states_its_object, Predicate,
};
use super::word_classes::{
    is_clause_opener, is_determiner, is_finite_marker, is_irregular_past, is_preposition,
    is_subject_pronoun, lower,
};
use crate::pipeline::doc::{Speaker, SpeakerVia};
use crate::text::tokens::TokenKind;

/// The fewest words of a content after a form of "say" read as a clause whatever its verb.
const MIN_SAID_CLAUSE_WORDS: usize = 5;

/// Whether `verb` is a form of "say", which reports a clause, not a thing.
fn says(verb: &str) -> bool {
    matches!(verb, "said" | "says" | "say" | "saying")
}

/// The shape of a reported content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Content {
    /// "that …", "whether …", or a clause with a finite verb.
    Clause,
    /// "to …", "for …": an infinitive or a demand; `directed` when it is made in words.
    Infinitive {
        /// The verb promises or demands in words ("vowed to", "called for"), or has an
        /// addressee before the infinitive ("urged them to leave").
        directed: bool,
    },
    /// What was said as a noun phrase: the topic after "spoke about", "warned of", or the
    /// object of a verb that states it ("denied wrongdoing").
    Topic,
    /// Anything else: a noun phrase.
    Phrase,
}

/// The factor of a predicate.
fn predicate_factor(p: Predicate) -> f64 {
    match p {
        Predicate::Speech => 0.9,
        Predicate::Belief => 0.8,
        Predicate::Stance => 0.65,
    }
}

/// The factor of a content of `shape` after a predicate `p`.
fn content_factor(p: Predicate, shape: Content) -> f64 {
    match (shape, p) {
        (Content::Clause, _) => 1.0,
        (Content::Infinitive { directed: true }, _) => 0.8,
        (Content::Infinitive { directed: false }, _) => 0.5,
        (Content::Topic, _) => 0.85,
        (Content::Phrase, Predicate::Stance) => 0.85,
        (Content::Phrase, _) => 0.4,
    }
}

/// Whether `verb` names rather than says when no demand follows ("called for", "called on
/// … to"): `a messaging application called Pictochat`, `called off its plan`.
fn names(verb: &str) -> bool {
    matches!(
        verb,
        "call" | "called" | "calls" | "calling" | "dubbed" | "labelled" | "labeled" | "branded"
    )
}

/// The factor of a speaker (or of none). An unresolved "I" or "we" outside quotes is the
/// writer's own voice (a reader's letter, an opinion piece), not a report.
fn speaker_factor(speaker: Option<&Speaker>) -> f64 {
    let writer =
        |s: &Speaker| s.entity.is_none() && matches!(s.name.to_lowercase().as_str(), "i" | "we");
    match speaker {
        None => 0.4,
        Some(s) if writer(s) => 0.5,
        Some(s) if s.entity.is_some() => 1.0,
        Some(s) if s.via == SpeakerVia::Pronoun => 0.85,
        Some(_) => 0.9,
    }
}

/// The confidence of a reported content `content` with cue `verb` and `speaker`.
pub(super) fn reported(
    ctx: &Context,
    verb: &str,
    content: &Range<usize>,
    directed: bool,
    speaker: Option<&Speaker>,
) -> f64 {
    let p = predicate(verb);
    let shape = ctx.content_shape(verb, content, directed);
    let misread = speaker.is_some_and(|s| ctx.in_condition(s) || ctx.misread_speaker(s));
    let condition_factor = if misread { 0.5 } else { 1.0 };
    predicate_factor(p) * content_factor(p, shape) * speaker_factor(speaker) * condition_factor
}

/// The confidence of a direct quote's attribution.
pub(super) fn direct(speaker: Option<&Speaker>) -> f64 {
    match speaker.map(|s| (s.via, s.entity.is_some())) {
        None => 0.5,
        Some((SpeakerVia::Name, _)) => 0.95,
        Some((SpeakerVia::Continuation, _)) => 0.8,
        Some((_, true)) => 0.9,
        Some((_, false)) => 0.8,
    }
}

impl Context<'_> {
    /// Whether `speaker`'s phrase opens a condition: `if the watchdog believes …`.
    fn in_condition(&self, speaker: &Speaker) -> bool {
        let first = self
            .tokens
            .partition_point(|t| t.start < speaker.span.start);
        let mut buf = [0u8; 24];
        first
            .checked_sub(1)
            .is_some_and(|b| matches!(lower(self.word(b), &mut buf), "if" | "unless" | "whether"))
    }

    /// Whether `speaker` looks read off part of a phrase: a name right after "for"/"of"
    /// after a capitalised word (`Council for England`), or a noun phrase holding a word of
    /// time (`this month figures`, `the EOC last year`).
    fn misread_speaker(&self, speaker: &Speaker) -> bool {
        let first = self
            .tokens
            .partition_point(|t| t.start < speaker.span.start);
        let last = self.tokens.partition_point(|t| t.start < speaker.span.end);
        let mut buf = [0u8; 24];
        let linked = first.checked_sub(2).is_some_and(|b| {
            matches!(lower(self.word(b + 1), &mut buf), "for" | "of")
                && self.word(b).starts_with(char::is_uppercase)
        });
        let timed = speaker.via == SpeakerVia::NounPhrase
            && (first..last).any(|k| {
                matches!(
                    lower(self.word(k), &mut buf),
                    "year" | "month" | "week" | "yesterday" | "today" | "earlier"
                )
            });
        linked || timed
    }

    /// What a reported content is (see [`Content`]).
    pub(super) fn content_shape(
        &self,
        verb: &str,
        content: &Range<usize>,
        directed: bool,
    ) -> Content {
        let mut buf = [0u8; 24];
        let before = content
            .start
            .checked_sub(1)
            .map_or("", |b| lower(self.word(b), &mut buf));
        let before_word = before.to_string();
        if before == "that" || verb == "according to" {
            return Content::Clause;
        }
        let first = lower(self.word(content.start), &mut buf).to_string();
        if matches!(first.as_str(), "to" | "for") {
            return Content::Infinitive { directed };
        }
        if names(verb) {
            // `an application called Pictochat`, `called off its plan`: a name or an act.
            return Content::Phrase;
        }
        if is_clause_opener(&first) || self.holds_finite_verb(content) {
            return Content::Clause;
        }
        if says(verb) && self.word_count(content) >= MIN_SAID_CLAUSE_WORDS {
            // `Galvin said the polling location never shut its doors`: "say" takes a clause;
            // its noun-phrase objects are short (`said goodbye`, `said a prayer`).
            return Content::Clause;
        }
        let topic = is_topic_preposition(verb, &before_word) && speaks_of_a_topic(verb);
        if topic || states_its_object(verb) {
            return Content::Topic;
        }
        Content::Phrase
    }

    /// The words and numbers of `range`.
    fn word_count(&self, range: &Range<usize>) -> usize {
        range
            .clone()
            .filter(|&k| {
                self.tokens
                    .get(k)
                    .is_some_and(|t| matches!(t.kind, TokenKind::Word | TokenKind::Number))
            })
            .count()
    }

    /// Whether `range` is in title case: at least three words of four letters or more, all
    /// capitalised.
    fn title_case(&self, range: &Range<usize>) -> bool {
        let long: Vec<&str> = range
            .clone()
            .filter(|&k| {
                self.tokens
                    .get(k)
                    .is_some_and(|t| t.kind == TokenKind::Word)
            })
            .map(|k| self.word(k))
            .filter(|w| w.chars().count() > 3)
            .collect();
        long.len() >= 3 && long.iter().all(|w| w.starts_with(char::is_uppercase))
    }

    /// Whether the tokens of `range` hold a finite verb, as far as word forms tell: an
    /// auxiliary or modal, a past tense (by "-ed" or the irregular list), or a present in "-s"
    /// after a subject ("the plan works"; not "for the victims").
    pub(super) fn holds_finite_verb(&self, range: &Range<usize>) -> bool {
        let mut buf = [0u8; 24];
        let mut previous = String::new();
        // A headline in title case ("Clinton Hid Past Health Problems, Doctor Says") capitalises
        // its verbs too: there every word's form is read as if in lower case.
        let titled = self.title_case(range);
        for k in range.clone() {
            if self.tokens.get(k).is_none_or(|t| t.kind != TokenKind::Word) {
                previous.clear();
                continue;
            }
            let raw = self.word(k);
            let word = lower(raw, &mut buf);
            let lower_case = titled || raw.starts_with(|c: char| c.is_ascii_lowercase());
            let past = lower_case && word.len() > 3 && word.ends_with("ed");
            let present = lower_case
                && k > range.start
                && word.len() > 3
                && word.ends_with('s')
                && !word.ends_with("ss")
                && !previous.is_empty()
                && !is_determiner(&previous)
                && !is_preposition(&previous);
            if is_finite_marker(word) || is_irregular_past(word) || past || present {
                return true;
            }
            if k == range.start && is_subject_pronoun(word) && k + 1 < range.end {
                return true;
            }
            previous = word.to_string();
        }
        false
    }
}
