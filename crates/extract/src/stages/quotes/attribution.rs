//! Pass 2: attribution — the speech verb of each quote and the subject of that verb, read in
//! the quote's own sentence(s).
//!
//! For each quote the stage looks, in this order, for
//!
//! * an attribution right after it: `“…,” X said`, `“…,” said X`, `“…,” X told the BBC`,
//!   `“…,” according to X`, `“…” X was quoted … as saying` (after a quote that ends its
//!   sentence only a short `X said.` counts, so the next sentence's verb is not taken);
//! * the nearest speech verb before it in its sentence — `X replied: “…”`, `X warned … that
//!   “…”`, `X said he was prepared to “give up” …`, `according to X, “…”` — whose subject is
//!   the noun phrase before the verb (skipping auxiliaries and adverbs), or the sentence's
//!   first noun phrase when the verb follows an appositive, a conjunction or a comma
//!   (`X, the former …, had contended that “…”`, `X called … and said Y “…”`, `…, saying
//!   “…”`);
//! * failing a known verb, a that-clause holding the quote whose subject is a person: `X had
//!   then conteded that the move would be “…”` — whatever the verb (here misspelt), a person
//!   who V-ed that something *would be* so is reported as saying it. The clause must be finite
//!   (an auxiliary between "that" and the quote) and the verb a lower-case word in "-ed" right
//!   before "that", so "earned that reputation with “grit”" is no attribution;
//! * a named entity introducing it with a colon (`SMITH: “…”`).
//!
//! The subject found is a noun phrase (see `phrases`); `speakers` turns it into the speaker.

use super::context::{Context, MentionRef};
use super::phrases::MAX_PHRASE;
use super::spans::Marked;
use super::verbs::is_speech_verb;
use super::word_classes::{
    is_auxiliary_or_adverb, is_function_word, is_preposition, is_subject_pronoun, lower,
};
use crate::pipeline::doc::{EntityType, Speaker};
use crate::text::tokens::TokenKind;

/// How many tokens before a quote the search for its speech verb and subject may look.
const MAX_REACH: usize = 80;

/// How far before "to say" the subject of the verb it hangs on may be: `X was prompted to say`.
const INFINITIVE_REACH: usize = 4;

/// Adverbs that open a sentence before its subject: `Ever since …, he said`.
fn is_leading_adverb(word: &str) -> bool {
    matches!(
        word,
        "ever"
            | "outside"
            | "inside"
            | "back"
            | "last"
            | "meanwhile"
            | "today"
            | "yesterday"
            | "tonight"
            | "amid"
            | "despite"
            | "following"
            | "asked"
    )
}

/// The most tokens an appositive between a speaker and the verb may have: `X, director of …
/// and a professor at …, said`.
const MAX_APPOSITIVE: usize = 30;

/// What attribution found for one quote.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Attribution {
    /// The speech verb in lower case, or "according to"; `None` for a colon or a sign-off.
    pub(super) verb: Option<String>,
    /// Who said it.
    pub(super) speaker: Option<Speaker>,
    /// The token the attribution rests on (the verb, "according", the name before a colon),
    /// when it has one of its own.
    pub(super) cue: Option<usize>,
}

impl Context<'_> {
    /// The attribution of one quote, from its own sentence(s) only.
    pub(super) fn attribute(&self, q: &Marked) -> Attribution {
        self.transcript_label(q)
            .or_else(|| self.after(q))
            .or_else(|| self.before(q.open))
            .or_else(|| self.colon(q.open))
            .or_else(|| self.introducing_clause(q.open))
            .or_else(|| self.person_then_verb(q))
            .or_else(|| self.object_of_verb(q))
            .or_else(|| self.sign_off_below(q))
            .unwrap_or_default()
    }

    /// `“…,” X said` / `“…,” said X` / `“…,” according to X`.
    fn after(&self, q: &Marked) -> Option<Attribution> {
        let close = q.close?;
        let para_end = self.paragraphs.get(q.paragraph)?.end;
        let usable = |i: usize| {
            self.tokens
                .get(i)
                .is_some_and(|t| t.end <= para_end && !self.in_quote(i))
        };
        let mut i = close + 1;
        if self.word(i) == "," {
            i += 1;
        }
        if !usable(i) {
            return None;
        }
        let ended = q.span.text(self.text).ends_with(['.', '!', '?', '…'])
            && self.word(i).starts_with(char::is_uppercase);
        let mut buf = [0u8; 24];
        let first = lower(self.word(i), &mut buf);
        let (verb, speaker, after_verb, cue) = if first == "according" && self.word(i + 1) == "to" {
            let np = self.phrase_forward(i + 2)?;
            (
                "according to".to_string(),
                self.speaker(np.clone())?,
                np.end,
                i,
            )
        } else if is_speech_verb(first) && !first.ends_with("ing") {
            let np = self.phrase_forward(i + 1)?;
            (first.to_string(), self.speaker(np.clone())?, np.end, i)
        } else if matches!(first, "―" | "—" | "–" | "-" | "--") {
            // A sign-off: `“…” ― Jane Smith`; a dash before a lower-case phrase goes on
            // with the sentence instead (`"…" - a charge that stung`).
            let np = self.phrase_forward(i + 1)?;
            if !self.word(np.start).starts_with(char::is_uppercase) {
                return None;
            }
            let speaker = self.speaker(np)?;
            return Some(Attribution {
                verb: None,
                speaker: Some(speaker),
                cue: Some(i),
            });
        } else {
            let (verb, speaker) = self.subject_and_verb_after(i)?;
            let word = lower(self.word(verb), &mut buf).to_string();
            (word, speaker, verb + 1, verb)
        };
        if ended && !self.short_tail(after_verb, para_end) {
            return None;
        }
        Some(Attribution {
            verb: Some(verb),
            speaker: Some(speaker),
            cue: Some(cue),
        })
    }

    /// Whether the tokens from `i` end the sentence soon without a clause of their own:
    /// `Smith said.`, `he told the BBC.`, `she said in an interview on Monday.`.
    fn short_tail(&self, i: usize, para_end: usize) -> bool {
        let mut buf = [0u8; 24];
        for (n, j) in (i..).enumerate() {
            let Some(t) = self.tokens.get(j).filter(|t| t.end <= para_end) else {
                return true;
            };
            let word = lower(t.text(self.text), &mut buf);
            if t.kind == TokenKind::Punct {
                return true;
            }
            if n == 0 && is_preposition(word) {
                return true;
            }
            if n >= 5 || word == "that" || is_auxiliary_or_adverb(word) || is_speech_verb(word) {
                return false;
            }
        }
        true
    }

    /// `X said`, `X, the former …, said`, `X (R-Ohio) said`, `… of the plan, X said`: the first
    /// speech verb of the sentence going on at token `i`, right after a quote, and its
    /// subject — the phrase before the verb when it opens a clause, or the phrase right after
    /// the quote when an appositive or aside stands before the verb.
    fn subject_and_verb_after(&self, i: usize) -> Option<(usize, Speaker)> {
        let end = self.sentence_of(i)?.tokens.end.min(i + MAX_APPOSITIVE);
        let verb = (i..end)
            .take_while(|&j| !self.in_quote(j))
            .find(|&j| self.speech_verb_at(j))?;
        let mut buf = [0u8; 24];
        if lower(self.word(verb), &mut buf).ends_with("ing") {
            return None;
        }
        let mut p = verb;
        while p > i && is_auxiliary_or_adverb(lower(self.word(p - 1), &mut buf)) {
            p -= 1;
        }
        if p == i {
            return None;
        }
        let np = if matches!(self.word(p - 1), "," | ")") {
            self.phrase_forward(i)?
        } else {
            let np = self.phrase_backward(p, i)?;
            if np.start != i && self.word(np.start - 1) != "," {
                return None;
            }
            np
        };
        Some((verb, self.speaker(np)?))
    }

    /// The nearest speech verb before the opening mark in its sentence, with its subject.
    fn before(&self, open: usize) -> Option<Attribution> {
        let sentence = self.sentence_of(open)?;
        let start = sentence.tokens.start.max(open.saturating_sub(MAX_REACH));
        let candidates = || (start..open).rev().filter(|&k| !self.in_quote(k));
        let mut buf = [0u8; 24];
        for k in candidates() {
            let word = lower(self.word(k), &mut buf);
            if word == "according" && self.word(k + 1) == "to" {
                let np = self.phrase_forward(k + 2)?;
                return Some(Attribution {
                    verb: Some("according to".into()),
                    speaker: self.speaker(np),
                    cue: Some(k),
                });
            }
            if self.speech_verb_at(k) {
                // `Said Smith: “…”` inverts at the start of a sentence.
                let inverted = || {
                    (k == start)
                        .then(|| self.phrase_forward(k + 1))
                        .flatten()
                        .and_then(|np| self.speaker(np))
                };
                if let Some(speaker) = self.subject_of(k, start).or_else(inverted) {
                    return Some(Attribution {
                        verb: Some(word.to_string()),
                        speaker: Some(speaker),
                        cue: Some(k),
                    });
                }
            }
        }
        self.that_clause(start, open)
    }

    /// `X had then V-ed that … would be “…”`: a person's that-clause holding the quote, whatever
    /// the verb (see the module docs).
    fn that_clause(&self, start: usize, open: usize) -> Option<Attribution> {
        let mut buf = [0u8; 24];
        let that = (start + 1..open)
            .rev()
            .find(|&k| !self.in_quote(k) && lower(self.word(k), &mut buf) == "that")?;
        let verb = self.word(that - 1);
        let verb_like =
            verb.len() > 3 && verb.ends_with("ed") && verb.bytes().all(|b| b.is_ascii_lowercase());
        let finite = (that + 1..open).any(|k| {
            matches!(
                lower(self.word(k), &mut buf),
                "would"
                    | "will"
                    | "is"
                    | "was"
                    | "are"
                    | "were"
                    | "could"
                    | "should"
                    | "had"
                    | "has"
                    | "can"
                    | "must"
                    | "might"
            )
        });
        if !verb_like || !finite {
            return None;
        }
        let speaker = self.subject_of(that - 1, start)?;
        let person = speaker.entity.and_then(|e| self.doc.entities.get(e));
        if person.is_none_or(|e| e.kind != EntityType::Person) {
            return None;
        }
        Some(Attribution {
            verb: Some(verb.to_string()),
            speaker: Some(speaker),
            cue: Some(that - 1),
        })
    }

    /// The speaker of the last speech verb of the sentence before the one opening at token
    /// `open` — in the same paragraph, or in the previous one when the quote opens its
    /// paragraph: `Smith said the talks failed. “We tried.”` — failing a verb, the person that
    /// sentence is about: `Smith praised the plan. “We tried.”`.
    pub(super) fn previous_sentence_speaker(
        &self,
        open: usize,
        opens_paragraph: bool,
    ) -> Option<Speaker> {
        let index = self.sentences.partition_point(|s| s.tokens.end <= open);
        let previous = self.sentences.get(index.checked_sub(1)?)?;
        let first = self.tokens.get(previous.tokens.start)?;
        let same_paragraph =
            self.paragraph_of(first.start) == self.paragraph_of(self.tokens.get(open)?.start);
        if !same_paragraph && !opens_paragraph {
            return None;
        }
        let start = previous
            .tokens
            .start
            .max(previous.tokens.end.saturating_sub(MAX_REACH));
        let mut buf = [0u8; 24];
        (start..previous.tokens.end)
            .rev()
            .filter(|&k| !self.in_quote(k))
            .find_map(|k| {
                let word = lower(self.word(k), &mut buf);
                if word == "according" && self.word(k + 1) == "to" {
                    return self.speaker(self.phrase_forward(k + 2)?);
                }
                if self.speech_verb_at(k) {
                    return self.subject_of(k, start);
                }
                None
            })
            .or_else(|| {
                // `Smith told the committee:` ¶ `“…”`, or any clause of a person's before a
                // colon.
                let last = previous.tokens.end.checked_sub(1)?;
                (self.word(last) == ":")
                    .then(|| self.clause_subject(previous.tokens.start, last))
                    .flatten()
                    .filter(|s| self.speaks(s, true))
            })
            .or_else(|| {
                // `Valastro praised Christie’s leadership.` ¶ `“We need someone …”`: a quote
                // standing alone after a sentence about a named person is that person's.
                let last = previous.tokens.end.checked_sub(1)?;
                self.clause_subject(previous.tokens.start, last)
                    .filter(|s| s.entity.is_some() && self.speaks(s, false))
            })
    }

    /// `SMITH: “…”`: a named entity introducing the quote with a colon.
    fn colon(&self, open: usize) -> Option<Attribution> {
        let colon = open.checked_sub(1)?;
        if self.word(colon) != ":" {
            return None;
        }
        let m = self.mention_at(colon.checked_sub(1)?)?;
        if !matches!(m.kind, EntityType::Person | EntityType::Org) {
            return None;
        }
        Some(Attribution {
            verb: None,
            speaker: Some(self.entity_speaker(m)),
            cue: Some(colon - 1),
        })
    }

    /// The subject of the speech verb at token `verb`, looking no further back than `start`.
    pub(super) fn subject_of(&self, verb: usize, start: usize) -> Option<Speaker> {
        let mut buf = [0u8; 24];
        let participle = lower(self.word(verb), &mut buf).ends_with("ing");
        let mut j = verb;
        while j > start {
            j -= 1;
            if self.in_quote(j) {
                continue;
            }
            let word = lower(self.word(j), &mut buf);
            if is_auxiliary_or_adverb(word) {
                continue;
            }
            if word == ")" {
                let open = self.skip_brackets_backward(j, start);
                if open < j {
                    j = open;
                    continue;
                }
            }
            if matches!(word, "who" | "which" | "that") {
                // `Smith, who said “…”`, `Russia, which believes that …`, `a report that
                // says …`: the relative's antecedent.
                let end = if self.word(j.checked_sub(1)?) == "," {
                    j - 1
                } else {
                    j
                };
                return self.speaker(self.phrase_backward(end, start)?);
            }
            if word == "," {
                // `…, Mitt Romney, called`: a name in apposition right before the verb.
                if let Some(m) = self.apposed_before(j) {
                    return Some(self.entity_speaker(m));
                }
                // `Clinton, at Monday’s debate, cited`: the subject stands before the aside.
                if let Some(np) = self.before_prepositional_aside(j, start) {
                    return self.speaker(np);
                }
            }
            if word == "to" {
                // `Trump was prompted to say`: the subject of the verb the infinitive hangs on.
                let k = (j.saturating_sub(INFINITIVE_REACH).max(start)..j)
                    .rev()
                    .find(|&k| {
                        self.mention_at(k).is_some()
                            || is_subject_pronoun(lower(self.word(k), &mut [0u8; 24]))
                    })?;
                return self.speaker(self.phrase_backward(k + 1, start)?);
            }
            if participle && j + 1 == verb {
                // `footage of Clinton asking, “…”`: a person right before the participle
                // is its subject.
                if let Some(m) = self.mention_at(j).filter(|m| m.kind == EntityType::Person) {
                    return Some(self.entity_speaker(m));
                }
            }
            let joined = matches!(word, "," | ")" | "and" | "but" | "or" | ";" | "—" | "–");
            if joined || participle {
                return self.clause_subject(start, verb);
            }
            return match self.phrase_backward(j + 1, start) {
                // `Protesters marching through the streets chanted`: a phrase after a
                // preposition is its object; the subject opens the clause.
                Some(np) if !self.after_preposition(&np, start) => self.speaker(np),
                _ => self.clause_subject(start, verb),
            };
        }
        None
    }

    /// Whether the phrase `np` is the object of a preposition and ends in no person: in `In
    /// an interview Trump declared` the person still speaks.
    fn after_preposition(&self, np: &std::ops::Range<usize>, start: usize) -> bool {
        let person = |m: &MentionRef| m.kind == EntityType::Person;
        if self.mention_at(np.end - 1).is_some_and(person) {
            return false;
        }
        let Some(before) = np.start.checked_sub(1).filter(|&b| b >= start) else {
            return false;
        };
        let mut buf = [0u8; 24];
        let word = lower(self.word(before), &mut buf);
        matches!(
            word,
            "through" | "across" | "into" | "over" | "under" | "around" | "in" | "on" | "from"
        )
    }

    /// The noun phrase before a prepositional aside that ends at the comma `comma` (`Clinton,
    /// at Monday’s debate, cited`, `the ministry, in a statement, said`), if the aside opens
    /// with a preposition after another comma within [`MAX_PHRASE`] tokens.
    fn before_prepositional_aside(
        &self,
        comma: usize,
        start: usize,
    ) -> Option<std::ops::Range<usize>> {
        let opening = (start.max(comma.saturating_sub(MAX_PHRASE))..comma)
            .rev()
            .find(|&k| self.word(k) == ",")?;
        let mut buf = [0u8; 24];
        let first = lower(self.word(opening + 1), &mut buf);
        let prepositional = matches!(
            first,
            "at" | "in" | "on" | "during" | "after" | "before" | "speaking" | "writing"
        );
        if !prepositional || opening + 2 >= comma {
            return None;
        }
        self.phrase_backward(opening, start)
    }

    /// The person or organisation whose mention ends right before the comma at `comma` and
    /// opens after another comma: `…, Mitt Romney, called`.
    fn apposed_before(&self, comma: usize) -> Option<&MentionRef> {
        let m = self.mention_at(comma.checked_sub(1)?)?;
        let first = self.tokens.partition_point(|t| t.start < m.span.start);
        let apposed = first.checked_sub(1).is_some_and(|b| self.word(b) == ",");
        (apposed && matches!(m.kind, EntityType::Person | EntityType::Org)).then_some(m)
    }

    /// The token of the opening bracket of an aside ending at token `i` (`)`), or `i` itself.
    fn skip_brackets_backward(&self, i: usize, start: usize) -> usize {
        if self.word(i) != ")" {
            return i;
        }
        (start.max(i.saturating_sub(MAX_PHRASE))..i)
            .rev()
            .find(|&j| self.word(j) == "(")
            .unwrap_or(i)
    }

    /// The first noun phrase of the clause starting at token `start`, when it comes before
    /// `verb`; leading adverbials (`Meanwhile,`, `But`) are skipped.
    pub(super) fn clause_subject(&self, start: usize, verb: usize) -> Option<Speaker> {
        let mut buf = [0u8; 24];
        let mut i = start.max(verb.saturating_sub(MAX_REACH));
        let clause_start = i;
        while i < verb {
            if self.in_quote(i) || self.word(i) == "," {
                i += 1;
                continue;
            }
            let word = lower(self.word(i), &mut buf);
            let adverbial = (is_function_word(word) && !is_subject_pronoun(word))
                || (word.len() > 4 && word.ends_with("ing"))
                || is_leading_adverb(word);
            if i == clause_start && adverbial && self.mention_at(i).is_none() {
                // A leading adverbial: `During the speech, Smith said`.
                let comma = (i + 1..verb.min(i + MAX_APPOSITIVE)).find(|&k| self.word(k) == ",");
                if let Some(comma) = comma {
                    i = comma + 1;
                    continue;
                }
            }
            // A word before a comma is a leading adverbial ("Meanwhile,"), unless it names a
            // speaker: in `Trump, speaking to veterans, said` Trump is the subject.
            let named = self
                .mention_at(i)
                .is_some_and(|m| matches!(m.kind, EntityType::Person | EntityType::Org));
            if matches!(word, "but" | "and" | "so" | "yet" | "still" | "however")
                || (self.word(i + 1) == "," && !named)
            {
                i += 1;
                continue;
            }
            break;
        }
        let np = self.phrase_forward(i)?;
        if np.end > verb {
            return None;
        }
        self.speaker(np)
    }
}
