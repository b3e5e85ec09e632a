//! Quotes introduced without a known speech verb, where the sentence still makes the speaker
//! plain to a reader.
//!
//! The speech-verb list can never hold every verb writers use ("retaliated", "interjected",
//! "barked"), and some quotes have no verb at all. These shapes still name the speaker:
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
//!   upper-case words and a colon, taken when they name a person of the article by surname,
//!   or, in a transcript of several labels, when the label recurs (a host the article names
//!   only there), so a lone `“BREAKING: …”` or `“NOTE: …”` names nobody;
//! * **a quote as the object of a person's verb**: `Trump attacked “the hateful ideology …”`;
//! * **a sign-off paragraph** after the quote's, short and opening with a dash and a
//!   person's name: `“…”` ¶ `- Hillary Clinton.`
//!
//! Each asks for a person (resolved, or a pronoun), never a bare noun phrase, so a scare quote
//! after "the report" or "a museum" stays unattributed.

use super::attribution::Attribution;
use super::context::Context;
use super::spans::Marked;
use super::word_classes::{
    is_auxiliary_or_adverb, is_function_word, is_preposition, is_subject_pronoun, lower,
};
use crate::pipeline::doc::{EntityType, Speaker, SpeakerVia};
use crate::text::titles::is_honorific;
use crate::text::tokens::TokenKind;

/// The most words a transcript label has: `PENCE:`, `MIKE PENCE:`.
const LABEL_WORDS: usize = 3;

/// `MIKE PENCE` as a name is written: `Mike Pence`.
fn title_case(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    let mut word_start = true;
    for c in label.chars() {
        if word_start {
            out.push(c);
        } else {
            out.extend(c.to_lowercase());
        }
        word_start = !c.is_alphabetic();
    }
    out
}

/// The most words between a verb and the quote that is its object: `likened the rules to “…”`.
const OBJECT_REACH: usize = 4;

/// The most tokens a sign-off paragraph has: `- Michelle Marks, Philadelphia`.
const SIGN_OFF_TOKENS: usize = 12;

/// The most tokens that may follow the verb of `“…,” X verbed` before the sentence ends.
const SHORT_TAIL: usize = 6;

impl<'a> Context<'a> {
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
        // `She became so upset that I had to change my answer: “…”`: the clause the mark
        // ends opens after a "that" before a pronoun, and its subject speaks.
        let mut buf = [0u8; 24];
        let clause_start = (sentence.tokens.start..before)
            .rev()
            .find(|&k| {
                self.word(k).eq_ignore_ascii_case("that")
                    && is_subject_pronoun(lower(self.word(k + 1), &mut buf))
            })
            .map_or(sentence.tokens.start, |k| k + 1);
        let speaker = self.clause_subject(clause_start, mark)?;
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

    /// The colon ending a transcript label that opens quote `q`: one to three upper-case words
    /// right after the mark, then a colon.
    fn label_colon(&self, q: &Marked) -> Option<usize> {
        let first = q.open + 1;
        let colon = (first..first + LABEL_WORDS + 1).find(|&k| self.word(k) == ":")?;
        let shouting = |k: usize| {
            let word = self.word(k);
            word.len() >= 2
                && word.chars().all(|c| c.is_alphabetic() || c == '.')
                && !word.chars().any(char::is_lowercase)
        };
        (colon > first && (first..colon).all(shouting)).then_some(colon)
    }

    /// The label opening quote `q`, its last word: `PENCE` of `“MIKE PENCE: …”`.
    pub(super) fn label(&self, q: &Marked) -> Option<&'a str> {
        self.label_colon(q).map(|colon| self.word(colon - 1))
    }

    /// Whether `label` names a speaker of a transcript that the article names nowhere else
    /// (the host of a show): it opens at least two quotes, and some other label opens
    /// another. A label used once (`“BREAKING: …”`), or in an article of one label, is not.
    fn transcript_speaker(&self, label: &str) -> bool {
        let times = self.labels.iter().filter(|&&l| l == label).count();
        times >= 2 && self.labels.iter().any(|&l| l != label)
    }

    /// `“PENCE: Well, look, …”`: a transcript's speaker label at the start of the quote, naming
    /// a person of the article by the last word of their name — or, in a transcript, a
    /// speaker the article names only in labels.
    pub(super) fn transcript_label(&self, q: &Marked) -> Option<Attribution> {
        let first = q.open + 1;
        let colon = self.label_colon(q)?;
        let surname = self.word(colon - 1);
        let person = self.doc.entities.iter().enumerate().find(|(_, e)| {
            e.kind == EntityType::Person
                && e.name
                    .rsplit(' ')
                    .next()
                    .is_some_and(|last| last.eq_ignore_ascii_case(surname))
        });
        let span =
            crate::pipeline::doc::Span::new(self.tokens[first].start, self.tokens[colon - 1].end);
        let speaker = match person {
            Some((e, _)) => self.named(e, span, SpeakerVia::Name),
            None if self.transcript_speaker(surname) => Speaker {
                name: title_case(span.text(self.text)),
                entity: None,
                span,
                via: SpeakerVia::Name,
                affiliation: None,
            },
            None => return None,
        };
        Some(Attribution {
            verb: None,
            speaker: Some(speaker),
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

    /// `Trump attacked “the hateful ideology …”`, `Tribe likened the rules to "burning the
    /// Constitution"`: a quote that is (or ends) the object of a person's verb, a few words
    /// after the sentence's first past-tense verb, whose subject is a person. A quote of
    /// capitalised words only is a name or a title (`visited the “Little Havana” district`),
    /// not anyone's words.
    pub(super) fn object_of_verb(&self, q: &Marked) -> Option<Attribution> {
        let sentence = self.sentence_of(q.open)?;
        let start = sentence.tokens.start;
        let mut buf = [0u8; 24];
        let verb = (start..q.open).find(|&k| {
            let word = self.word(k);
            !self.in_quote(k)
                && word.len() > 3
                && word.ends_with("ed")
                && word.bytes().all(|b| b.is_ascii_lowercase())
                && !is_function_word(word)
        })?;
        let object = verb + 1..q.open;
        // `rebuked Zelensky during a “shouting match”`: a quote after a preposition of time or
        // place is the writer's description, not an object; `likened … to “…”` and
        // `described it as “…”` complete the verb.
        let adjunct = |k: usize| {
            let mut buf = [0u8; 24];
            let word = lower(self.word(k), &mut buf);
            is_preposition(word) && !matches!(word, "to" | "as")
        };
        if object.len() > OBJECT_REACH
            || object
                .clone()
                .any(|k| self.tokens[k].kind != TokenKind::Word || adjunct(k))
            || self.is_title(q)
        {
            return None;
        }
        let mut head = verb;
        while head > start && is_auxiliary_or_adverb(lower(self.word(head - 1), &mut buf)) {
            head -= 1;
        }
        let speaker = self.clause_subject(start, head)?;
        if !self.speaks(&speaker, false) {
            return None;
        }
        Some(Attribution {
            verb: Some(self.word(verb).to_string()),
            speaker: Some(speaker),
            cue: Some(verb),
        })
    }

    /// Whether every word inside quote `q` is capitalised: a name or a title.
    fn is_title(&self, q: &Marked) -> bool {
        let end = q.close.unwrap_or(q.open + 1);
        (q.open + 1..end)
            .filter(|&k| self.tokens[k].kind == TokenKind::Word)
            .all(|k| self.word(k).starts_with(char::is_uppercase))
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
