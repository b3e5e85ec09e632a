//! Reported speech: "X said (that) …", "X told reporters …", "according to X, …", "…, X
//! argued." — what was said without quotation marks, its verb and its speaker.
//!
//! Every sentence is read once for **cues** outside quotes: a reporting verb (`verbs`) used as
//! a verb, or "according to". Around each cue the content is one of three shapes:
//!
//! * **after the cue**: `X said (that) CONTENT`, `X told reporters on Monday CONTENT`, `…,
//!   saying CONTENT`, `according to X, CONTENT`. The object of a verb like "told" and short
//!   adverbials ("in a statement", "on Monday") are stepped over, then an optional "that"; the
//!   content runs to the end of the sentence, or to a semicolon or a comma that opens another
//!   attribution (`…, adding that`, `…, according to`). A content is a clause: one that starts
//!   with a verb form ("…,” he said, doing his best impression") or a preposition is none;
//! * **before the cue**: `CONTENT, X said.`, `CONTENT, said X.`, `CONTENT, according to X.` —
//!   the sentence up to the comma, when the attribution ends the sentence (but not before `X
//!   said, “…”`, where what stands before the comma is an adverbial: "Later, X said, “…”");
//! * **around the cue**: `CONTENT, X said, CONTENT.` — both parts, as two quotes.
//!
//! The speaker is the cue's subject, read as for direct quotes (`attribution`, `speakers`): a
//! cue with no subject ("it was said", "when asked") reports nothing. A content made only of a
//! quote in marks is a direct quote, which attribution handles; a content holding a quote and
//! words of the writer's is one quote of kind `mixed` that absorbs the quote.
//!
//! The scan is linear: each cue looks at most a bounded number of tokens around it.

use std::ops::Range;

use super::confidence;
use super::context::Context;
use super::verbs::{
    is_participle, is_reporting_verb, is_topic_preposition, reporting, speaks_an_infinitive,
    speaks_of_a_topic, takes_an_infinitive, takes_an_object, Reporting,
};
use super::word_classes::{
    is_affiliation_link, is_auxiliary_or_adverb, is_be_form, is_determiner, is_finite_marker,
    is_function_word, is_irregular_past, is_preposition, is_subject_pronoun, lower,
};
use crate::pipeline::doc::{Speaker, SpeakerVia};
use crate::text::tokens::TokenKind;

/// The most adverbials stepped over between a verb and its content.
const MAX_ADVERBIALS: usize = 3;

/// The most tokens between a subject's first phrase and its verb read as that phrase's tail.
const MAX_PHRASE_TAIL: usize = 8;

/// The fewest words a reported content has: "he said so" reports nothing.
const MIN_CONTENT_WORDS: usize = 2;

/// Reported speech found around one cue, before it is checked against the quotes in marks.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Reported {
    /// The content, as a token range.
    pub(super) content: Range<usize>,
    /// The cue: the verb in lower case, or "according to".
    pub(super) verb: String,
    /// Who said it; `None` for a passive or impersonal report ("it is feared that").
    pub(super) speaker: Option<Speaker>,
    /// How much to trust it (see `confidence`).
    pub(super) confidence: f64,
}

impl Context<'_> {
    /// The reported speech of every sentence, in text order.
    pub(super) fn reported_speech(&self) -> Vec<Reported> {
        let mut out = Vec::new();
        for sentence in self.sentences {
            let s = sentence.tokens.clone();
            for k in s.clone() {
                if !self.in_quote(k) {
                    self.cue_at(k, &s, &mut out);
                }
            }
        }
        out
    }

    /// The reported speech around the cue at token `k`, if it is one, in sentence `s`.
    fn cue_at(&self, k: usize, s: &Range<usize>, out: &mut Vec<Reported>) {
        // Every cue is a word of three letters or more: most tokens are turned away here,
        // before any look-up.
        let is_word = self
            .tokens
            .get(k)
            .is_some_and(|t| t.kind == TokenKind::Word);
        if !is_word || self.word(k).len() < 3 {
            return;
        }
        let mut buf = [0u8; 24];
        let word = lower(self.word(k), &mut buf);
        if self.noun_cue(k, word, s, out) {
            // `Trump’s claims that …`: a noun here, not the verb.
            return;
        }
        if word == "according" && self.word(k + 1) == "to" {
            self.according_to(k, s, out);
        } else if (is_reporting_verb(word) || self.topic_at(k).is_some()) && self.verb_use(k) {
            if word.ends_with("ing") && !self.progressive(k, s.start) {
                self.participle(k, word, s, out);
            } else {
                self.finite(k, word, s, out);
            }
        } else if word.ends_with("ing") && self.progressive(k, s.start) {
            // `The attorney general is confirming that …`: the lists hold "confirmed", and a
            // progressive reports as the finite verb does.
            let mut past = [0u8; 24];
            if let Some(past) = past_of_participle(word, &mut past).filter(|p| is_reporting_verb(p))
            {
                self.finite(k, past, s, out);
            }
        }
    }

    /// The preposition opening what the speech verb at `k` was about (`spoke about`, `warned
    /// of`, `spoke out Tuesday against`, `commented on`), if one follows it past a particle,
    /// an adverb in "-ly" or a word of time.
    fn topic_at(&self, k: usize) -> Option<usize> {
        let mut verb = [0u8; 24];
        let verb = lower(self.word(k), &mut verb);
        if !speaks_of_a_topic(verb) {
            return None;
        }
        let mut buf = [0u8; 24];
        let mut j = k + 1;
        let mut out = false;
        for _ in 0..2 {
            let word = lower(self.word(j), &mut buf);
            if !(word == "out" || word.ends_with("ly") || is_time_word(word)) {
                break;
            }
            out |= word == "out";
            j += 1;
        }
        let preposition = lower(self.word(j), &mut buf);
        // `spoke against the backdrop of …` is a place; `spoke out against`, `railed against`
        // a stance.
        let placed = preposition == "against" && !out && !verb.starts_with("rail");
        (is_topic_preposition(verb, preposition) && !placed).then_some(j)
    }

    /// Whether the participle at `k` is a progressive after a form of "be" (`The White House
    /// is saying that`, `Trump is also questioning whether`): a finite verb group.
    fn progressive(&self, k: usize, start: usize) -> bool {
        let mut buf = [0u8; 24];
        let mut b = k;
        while let Some(prev) = b.checked_sub(1).filter(|&p| p >= start) {
            let word = lower(self.word(prev), &mut buf);
            if is_be_form(word) {
                return !matches!(word, "be" | "being");
            }
            if !is_auxiliary_or_adverb(word) {
                return false;
            }
            b = prev;
        }
        false
    }

    /// Whether the reporting word at `k` is used as a verb: "reports" and "claims" after a
    /// determiner or preposition are nouns.
    fn verb_use(&self, k: usize) -> bool {
        let mut buf = [0u8; 24];
        let before = lower(k.checked_sub(1).map_or("", |b| self.word(b)), &mut buf);
        !(is_determiner(before)
            || matches!(before, "of" | "in" | "for" | "with" | "on" | "by" | "to"))
    }

    /// `according to X, CONTENT` / `CONTENT, according to X`.
    fn according_to(&self, k: usize, s: &Range<usize>, out: &mut Vec<Reported>) {
        let Some(np) = self.phrase_forward(k + 2) else {
            return;
        };
        let Some(speaker) = self.speaker(np.clone()) else {
            return;
        };
        let content = if k > s.start && self.word(k - 1) == "," {
            self.content_before(s.start, k - 1)
        } else if self.word(np.end) == "," {
            self.content_from(np.end + 1, s.end)
        } else {
            None
        };
        self.report(out, content, "according to", k, Some(speaker));
    }

    /// `…, saying (that) CONTENT`: the participle's subject is its clause's.
    fn participle(&self, k: usize, word: &str, s: &Range<usize>, out: &mut Vec<Reported>) {
        if k == s.start || !matches!(self.word(k - 1), "," | "and" | "—") {
            return;
        }
        let Some(speaker) = self.clause_subject(s.start, k) else {
            return;
        };
        self.report_after_verb(out, word, k, s.end, Some(speaker));
    }

    /// A finite reporting verb: its content after it, or before and around it when the
    /// attribution comes after the content (`CONTENT, X said.`, `CONTENT, said X.`).
    fn finite(&self, k: usize, word: &str, s: &Range<usize>, out: &mut Vec<Reported>) {
        let (p, passive) = self.verb_group(k, s.start);
        // `CONTENT, said X.`, `CONTENT, said X, the chairman.`, `… “…,” said X.`: no content
        // after the verb. Otherwise a comma before the verb closes an appositive (`X, the
        // chairman, said CONTENT`).
        if p == k && k > s.start && matches!(self.word(k - 1), "," | "”" | "\"" | "’") {
            let comma = k - 1;
            let np = self.phrase_forward(k + 1);
            let inverted =
                |np: &Range<usize>| self.ends_here(np.end, s.end) || self.word(np.end) == ",";
            if let Some(np) = np.filter(inverted) {
                if let Some(speaker) = self.speaker(np) {
                    let content = self.content_before(s.start, comma);
                    self.report(out, content, word, k, Some(speaker));
                }
                return;
            }
            if self.word(k - 1) != "," {
                return;
            }
        }
        let np = self.phrase_backward(p, s.start);
        // `CONTENT, X said` and `CONTENT, as X has said`: the comma that ends the content.
        let comma = np.as_ref().and_then(|np| {
            let before = np.start.checked_sub(1).filter(|&b| b > s.start)?;
            if self.word(before) == "," {
                return Some(before);
            }
            let as_comma = self.word(before).eq_ignore_ascii_case("as")
                && before > s.start + 1
                && self.word(before - 1) == ",";
            as_comma.then(|| before - 1)
        });
        if let (Some(np), Some(comma)) = (&np, comma) {
            // `CONTENT, X said.` or `CONTENT, X said, CONTENT.`
            let Some(speaker) = self.speaker(np.clone()) else {
                return;
            };
            let tail = self.skip_adverbials(k + 1, s.end);
            if self.ends_here(tail, s.end) || self.word(tail) == "," {
                // `In a statement, X said, “…”`: what stands before is no content.
                let quote_follows = self
                    .tokens
                    .get(tail + 1)
                    .is_some_and(|t| t.kind == TokenKind::Quote);
                if !quote_follows {
                    let before = self.content_before(s.start, comma);
                    self.report(out, before, word, k, Some(speaker.clone()));
                }
                let around = (self.word(tail) == ",")
                    .then(|| self.content_from(tail + 1, s.end))
                    .flatten();
                self.report(out, around, word, k, Some(speaker));
                return;
            }
        }
        if passive {
            // `It is feared that …`, `he was told that …`: the subject is no speaker.
            self.report_after_verb(out, word, k, s.end, None);
            return;
        }
        if !self.may_have_subject(p, s.start) {
            return;
        }
        let Some(speaker) = self.subject_of(k, s.start) else {
            return;
        };
        if !self.subject_reaches(&speaker, p) {
            return;
        }
        self.report_after_verb(out, word, k, s.end, Some(speaker));
    }

    /// Where the verb group of the finite verb at `k` starts, past auxiliaries and adverbs
    /// (`had also said`), and whether it is passive: a form of "be" before a participle (`it
    /// is feared`, `it’s feared`, `he was told`).
    fn verb_group(&self, k: usize, start: usize) -> (usize, bool) {
        let mut buf = [0u8; 24];
        let mut p = k;
        let mut be = false;
        while let Some(b) = p.checked_sub(1).filter(|&b| b >= start) {
            let word = lower(self.word(b), &mut buf);
            if is_be_form(word) {
                be = true;
            } else if !is_auxiliary_or_adverb(word) {
                break;
            }
            p = b;
        }
        let passive = be && is_participle(lower(self.word(k), &mut buf));
        (p, passive)
    }

    /// Whether the word before a verb group starting at `p` may end its subject: not a
    /// preposition, a conjunction or a verb (`as fears grow`, `amid claims`, `faced calls`:
    /// the cue is a noun), nor a
    /// quotation (`… about “leaving” has added`: the phrase is no subject) — except the
    /// conjunctions and relatives that join a clause to its subject (`and said`, `which
    /// believes`).
    fn may_have_subject(&self, p: usize, start: usize) -> bool {
        let Some(b) = p.checked_sub(1).filter(|&b| b >= start) else {
            return false;
        };
        if self.in_quote(b) {
            return false;
        }
        let mut buf = [0u8; 24];
        let word = lower(self.word(b), &mut buf);
        let joins = matches!(
            word,
            "and" | "but" | "or" | "who" | "which" | "that" | "nor" | "yet"
        );
        // `has also faced calls to …`: a verb before the cue makes it that verb's object.
        let after_a_verb = word.len() > 3
            && word.ends_with("ed")
            && self.word(b).starts_with(|c: char| c.is_ascii_lowercase());
        joins || is_subject_pronoun(word) || !(is_function_word(word) || after_a_verb)
    }

    /// Whether `speaker`'s phrase reaches the verb group at `p`: it ends right before it, or
    /// the verb group is joined to its clause (`X, the chairman, said`, `X criticised … and
    /// said`, `X, which believes`, `X was prompted to say`), or a participle follows the
    /// phrase (`Protesters marching … said`). A phrase read from the clause's start that
    /// stops short of a verb it is not joined to is a clause, no subject: in `Mexico kept its
    /// cool, though a panel in 2001 found`, "Mexico kept its cool" found nothing.
    fn subject_reaches(&self, speaker: &Speaker, p: usize) -> bool {
        let end = self.tokens.partition_point(|t| t.end <= speaker.span.end);
        if end >= p || speaker.via == SpeakerVia::Continuation {
            return true;
        }
        let mut buf = [0u8; 24];
        let joined = matches!(
            lower(self.word(p - 1), &mut buf),
            "," | ")" | "—" | "–" | "and" | "but" | "or" | "who" | "which" | "that" | ";" | "to"
        );
        let word = lower(self.word(end), &mut buf);
        joined || (word.len() > 4 && word.ends_with("ing")) || self.phrase_tail(end..p)
    }

    /// Whether the tokens of `gap`, between a subject's first phrase and its verb, go on with
    /// that phrase: a coordinated or prepositional tail with no verb in it (`Developers and
    /// supporters in Congress say`, `Those close to him say`, `Sanders on Tuesday said`).
    fn phrase_tail(&self, gap: Range<usize>) -> bool {
        let mut buf = [0u8; 24];
        gap.len() <= MAX_PHRASE_TAIL
            && gap.clone().all(|k| {
                let raw = self.word(k);
                let word = lower(raw, &mut buf);
                let linking = matches!(word, "and" | "or" | "him" | "her" | "them" | "close")
                    || is_affiliation_link(word)
                    || is_preposition(word)
                    || is_determiner(word);
                let verb_like = is_finite_marker(word)
                    || is_irregular_past(word)
                    || (raw.starts_with(|c: char| c.is_ascii_lowercase()) && word.ends_with("ed"));
                let wordish = self
                    .tokens
                    .get(k)
                    .is_some_and(|t| matches!(t.kind, TokenKind::Word | TokenKind::Number));
                !self.in_quote(k) && wordish && !verb_like && (linking || !is_function_word(word))
            })
    }

    /// Reports the content that follows the speech verb `word` at `k`, up to `end`.
    fn report_after_verb(
        &self,
        out: &mut Vec<Reported>,
        word: &str,
        k: usize,
        end: usize,
        speaker: Option<Speaker>,
    ) {
        self.report(out, self.content_after_verb(k, end), word, k, speaker);
    }

    /// Adds the reported speech of `content` found at cue `k`, with its confidence.
    pub(super) fn report(
        &self,
        out: &mut Vec<Reported>,
        content: Option<Range<usize>>,
        verb: &str,
        k: usize,
        speaker: Option<Speaker>,
    ) {
        let Some(content) = content else {
            return;
        };
        let mut buf = [0u8; 24];
        let cue = lower(self.word(k), &mut buf);
        let directed = verb != "according to"
            && (speaks_an_infinitive(cue)
                || (takes_an_object(cue)
                    && content.start > k + 1
                    && !self.word(k + 1).eq_ignore_ascii_case("that")));
        let confidence = confidence::reported(self, verb, &content, directed, speaker.as_ref());
        out.push(Reported {
            content,
            verb: verb.to_string(),
            speaker,
            confidence,
        });
    }

    /// Whether only punctuation (and quotation marks) is left from token `i` to `end`.
    fn ends_here(&self, i: usize, end: usize) -> bool {
        (i..end).all(|j| {
            self.tokens
                .get(j)
                .is_some_and(|t| matches!(t.kind, TokenKind::Punct | TokenKind::Quote))
                && self.word(j) != ","
        })
    }

    /// The content after the verb at `k`: past its object, short adverbials and "that".
    fn content_after_verb(&self, k: usize, end: usize) -> Option<Range<usize>> {
        if let Some(preposition) = self.topic_at(k) {
            // `spoke about the death of …`: the topic is what was said.
            return self.trimmed(preposition + 1..self.content_end(preposition + 1, end));
        }
        let mut buf = [0u8; 24];
        let mut j = k + 1;
        if takes_an_object(lower(self.word(k), &mut buf)) && self.word(j) != "that" {
            j = match lower(self.word(j), &mut buf) {
                "him" | "her" | "them" | "me" | "us" | "you" | "reporters" => j + 1,
                _ => self.phrase_forward(j).map_or(j, |np| np.end),
            };
        }
        j = self.skip_adverbials(j, end);
        if matches!(self.word(j), ":" | "out") {
            // `said:`, `pointed out that`.
            j += 1;
        }
        let verb = lower(self.word(k), &mut buf).to_string();
        if reporting(&verb) == Some(Reporting::ThatOnly)
            && !self.word(j).eq_ignore_ascii_case("that")
            && !self.opens_with_subject(j, end)
        {
            return None;
        }
        let mut buf = [0u8; 24];
        let first = lower(self.word(j), &mut buf);
        if takes_an_infinitive(&verb) && matches!(first, "to" | "for" | "on") {
            return self.trimmed(j..self.content_end(j, end));
        }
        self.content_from(j, end)
    }

    /// Whether a clause with its own subject starts at token `i`: a subject pronoun or a short
    /// noun phrase, then a finite verb (`documents show he took`, `polls show Clinton leads`),
    /// so that a verb of finding or knowing reports it without "that" — but not a noun phrase
    /// alone (`found the keys`).
    pub(super) fn opens_with_subject(&self, i: usize, end: usize) -> bool {
        let mut buf = [0u8; 24];
        let first = lower(self.word(i), &mut buf);
        let subject_end = if is_subject_pronoun(first) || first == "there" {
            i + 1
        } else {
            match self.phrase_forward(i) {
                Some(np) => np.end,
                None => return false,
            }
        };
        let verb = self.skip_adverbials(subject_end, end);
        if verb >= end || verb > subject_end + 1 {
            return false;
        }
        let raw = self.word(verb);
        let word = lower(raw, &mut buf);
        let lower_case = raw.starts_with(|c: char| c.is_ascii_lowercase());
        is_finite_marker(word)
            || is_irregular_past(word)
            || (lower_case && word.len() > 3 && (word.ends_with("ed") || word.ends_with('s')))
    }

    /// Token `i` past up to [`MAX_ADVERBIALS`] short adverbials: "in a statement", "on
    /// Monday", "last week", "Tuesday".
    fn skip_adverbials(&self, mut i: usize, end: usize) -> usize {
        let mut buf = [0u8; 24];
        for _ in 0..MAX_ADVERBIALS {
            let word = lower(self.word(i), &mut buf);
            if i >= end || word == "that" {
                break;
            }
            if let Some(that) = self.place_before_that(i) {
                // `says at a campaign stop in Toledo, Ohio, that …`.
                i = that;
            } else if is_preposition(word) && !matches!(word, "to" | "of" | "about") {
                i = self.phrase_forward(i + 1).map_or(i + 1, |np| np.end);
            } else if is_time_word(word)
                || (is_auxiliary_or_adverb(word) && !is_finite_marker(word))
            {
                // An auxiliary after the verb is no adverbial: `which they say would save`.
                i += 1;
            } else {
                break;
            }
        }
        i
    }

    /// The "that" after a place or date set off by commas at token `i` (`, Ohio, that`,
    /// `, June 5, that`), if there is one.
    fn place_before_that(&self, i: usize) -> Option<usize> {
        if self.word(i) != "," {
            return None;
        }
        let np = self.phrase_forward(i + 1)?;
        let capitalised = self.word(i + 1).starts_with(char::is_uppercase);
        let closed = self.word(np.end) == "," && self.word(np.end + 1) == "that";
        (capitalised && closed).then_some(np.end + 1)
    }

    /// The content starting at token `i` (past a "that"), running to `end` or to a semicolon
    /// or a comma opening another attribution; `None` when too short or not a clause.
    pub(super) fn content_from(&self, i: usize, end: usize) -> Option<Range<usize>> {
        let mut buf = [0u8; 24];
        let mut start = if lower(self.word(i), &mut buf) == "that" {
            i + 1
        } else {
            i
        };
        if start > i && self.word(start) == "," {
            // `said that, if elected, he would …`: the content opens with an adverbial.
            start += 1;
        }
        let first = lower(self.word(start), &mut buf);
        // After "that" a gerund or a subordinate clause opens the content (`claimed that
        // paying no taxes was smart`, `said that because …`); without it, they are no clause.
        let bare = start == i;
        // A participle right after the verb opens an adjunct (`he said, doing his best
        // impression`) unless it is the subject of a clause (`said legalizing it could …`).
        let adjunct = start.checked_sub(1).is_some_and(|b| {
            self.tokens
                .get(b)
                .is_some_and(|t| t.kind != TokenKind::Word)
        }) || !self.holds_finite_verb(&(start..end));
        let verb_form = bare
            && self
                .word(start)
                .starts_with(|c: char| c.is_ascii_lowercase())
            && (first.ends_with("ing") || first.ends_with("ed"))
            && adjunct;
        let subordinate = bare
            && matches!(
                first,
                "until"
                    | "before"
                    | "after"
                    | "because"
                    | "while"
                    | "since"
                    | "unless"
                    | "although"
            );
        // `which they say would save …`: a verb with no subject right after the cue is a
        // relative's gap (after a comma it goes on with a subject before: `The test, X said,
        // was its biggest`).
        let gapped = bare
            && is_finite_marker(first)
            && start.checked_sub(1).is_some_and(|b| self.word(b) != ",");
        let phrase_opener = bare
            && matches!(
                first,
                "to" | "by" | "for" | "of" | "as" | "and" | "or" | "but" | "in" | "on" | "at"
            );
        if verb_form
            || gapped
            || subordinate
            || phrase_opener
            || self
                .tokens
                .get(start)
                .is_none_or(|t| t.kind == TokenKind::Punct)
        {
            return None;
        }
        self.trimmed(start..self.content_end(start, end))
    }

    /// Where a content starting at token `start` ends: at `end`, or at a semicolon, a comma
    /// opening another attribution, or "and"/"but" before another reporting verb or an
    /// auxiliary of the subject's next predicate (`called Jones a “dictator” and said …`).
    fn content_end(&self, start: usize, end: usize) -> usize {
        let mut buf = [0u8; 24];
        // A content that starts inside an aside between dashes (`-- when he wouldn't be
        // worried about re-election --`) ends with the aside.
        let sentence_start = self.sentence_of(start).map_or(start, |s| s.tokens.start);
        let in_aside = (sentence_start..start).filter(|&k| self.is_dash(k)).count() % 2 == 1;
        let mut stop = start;
        while stop < end {
            let word = self.word(stop);
            if in_aside && self.is_dash(stop) {
                break;
            }
            let next = lower(self.word(stop + 1), &mut buf);
            // `wrote the song … but had thought …`: the subject's next predicate.
            let conjunction = matches!(word, "and" | "but")
                && (is_reporting_verb(next) || matches!(next, "had" | "has" | "have"));
            let attributed = word == ","
                && (self.opens_attribution(stop + 1)
                    || self.opens_attributed_clause(stop + 1, end));
            if word == ";" || conjunction || attributed {
                break;
            }
            stop += 1;
        }
        stop
    }

    /// The content from `start` to the comma at `comma`, past leading conjunctions.
    fn content_before(&self, start: usize, comma: usize) -> Option<Range<usize>> {
        let mut buf = [0u8; 24];
        let mut i = start;
        while i < comma && matches!(lower(self.word(i), &mut buf), "but" | "and" | "so") {
            i += 1;
        }
        self.trimmed(i..comma)
    }

    /// Whether the tokens from `i` open another attribution: `according to`, a participle cue.
    fn opens_attribution(&self, i: usize) -> bool {
        let mut buf = [0u8; 24];
        let word = lower(self.word(i), &mut buf);
        (word == "according" && self.word(i + 1) == "to")
            || (word.ends_with("ing") && is_reporting_verb(word))
    }

    /// Whether token `k` is a dash that opens or closes an aside.
    fn is_dash(&self, k: usize) -> bool {
        matches!(self.word(k), "--" | "—" | "–")
    }

    /// Whether a conjunction at `i` opens a clause with its own reporting verb (`…, but she
    /// denied that`, `…, while 73 percent said`): another attribution, where the content before
    /// it ends.
    fn opens_attributed_clause(&self, i: usize, end: usize) -> bool {
        let mut buf = [0u8; 24];
        let conjunction = matches!(
            lower(self.word(i), &mut buf),
            "but" | "while" | "whereas" | "although" | "though" | "yet" | "and"
        );
        conjunction
            && (i + 2..end.min(i + 2 + MAX_PHRASE_TAIL))
                .take_while(|&k| self.word(k) != ",")
                .any(|k| {
                    !self.in_quote(k)
                        && is_reporting_verb(lower(self.word(k), &mut buf))
                        && self.verb_use(k)
                })
    }

    /// `range` without punctuation at its edges; `None` unless it holds enough words.
    pub(super) fn trimmed(&self, mut range: Range<usize>) -> Option<Range<usize>> {
        let edge = |i: usize| {
            self.tokens
                .get(i)
                .is_some_and(|t| t.kind == TokenKind::Punct)
        };
        while range.start < range.end && edge(range.start) {
            range.start += 1;
        }
        while range.end > range.start && edge(range.end - 1) {
            range.end -= 1;
        }
        let words = range
            .clone()
            .filter(|&i| {
                self.tokens
                    .get(i)
                    .is_some_and(|t| matches!(t.kind, TokenKind::Word | TokenKind::Number))
            })
            .count();
        (words >= MIN_CONTENT_WORDS).then_some(range)
    }
}

/// The past tense of a participle in "-ing", by its stem: "confirming" → "confirmed",
/// "promoting" → "promoted", "admitting" → "admitted"; `None` for other words.
fn past_of_participle<'b>(word: &str, buffer: &'b mut [u8; 24]) -> Option<&'b str> {
    let stem = word.strip_suffix("ing").filter(|stem| stem.len() >= 3)?;
    let len = stem.len() + 2;
    if len > buffer.len() {
        return None;
    }
    buffer[..stem.len()].copy_from_slice(stem.as_bytes());
    buffer[stem.len()..len].copy_from_slice(b"ed");
    std::str::from_utf8(&buffer[..len]).ok()
}

/// Days and other words of time that stand alone as adverbials: "said Tuesday that".
fn is_time_word(word: &str) -> bool {
    matches!(
        word,
        "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "yesterday"
            | "today"
            | "morning"
            | "afternoon"
            | "evening"
            | "night"
            | "tonight"
            | "recently"
            | "publicly"
            | "privately"
    )
}
