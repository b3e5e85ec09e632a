//! Direct quotes and who said them.
//!
//! News reports speech in a handful of fixed shapes, so this stage finds quotes with two linear
//! passes over the tokens and no parser:
//!
//! 1. **Pairing the marks.** Quotation marks are paired within a paragraph only, so one stray
//!    mark can never swallow the rest of the article. Each mark is classified by its glyph
//!    (“ opens, ” closes, " either) *and* by what touches it: a mark with a space before and a
//!    word after opens, one with a word before and a space after closes, whatever its glyph
//!    (writers and CMSs mix them up). A mark glued between sentence-final punctuation and a
//!    capital (`I’m ready…”I can trade it…”`) closes the open quote and opens the next one. A
//!    quote still open at the end of its paragraph continues into the next paragraph when that
//!    paragraph re-opens with a mark (the convention for quotes over several paragraphs); each
//!    paragraph's part is its own [`Quote`] and they share one speaker. Single marks (‘ ’ ')
//!    quote only where a matching closer follows in the paragraph before any double mark, so
//!    apostrophes ("it’s", "the countries’ leaders", "’90s") never open anything; single marks
//!    inside a double quote are nested quotes and stay part of it.
//! 2. **Attribution.** For each quote the stage looks, in this order, for
//!    * an attribution right after it: `“…,” X said`, `“…,” said X`, `“…,” X told the BBC`,
//!      `“…,” according to X`, `“…” X was quoted … as saying` (after a quote that ends its
//!      sentence only a short `X said.` counts, so the next sentence's verb is not taken);
//!    * the nearest speech verb before it in its sentence — `X replied: “…”`, `X warned … that
//!      “…”`, `X said he was prepared to “give up” …`, `according to X, “…”` — whose subject is
//!      the noun phrase before the verb (skipping auxiliaries and adverbs), or the sentence's
//!      first noun phrase when the verb follows an appositive, a conjunction or a comma
//!      (`X, the former …, had contended that “…”`, `X called … and said Y “…”`, `…, saying
//!      “…”`). A misspelt verb one edit away from a known one still counts (`conteded`);
//!    * a named entity introducing it with a colon (`SMITH: “…”`).
//!
//!    A quote with no attribution of its own inherits one when news conventions say so: the
//!    parts of a multi-paragraph quote share their speaker; a quote glued to the next,
//!    attributed quote takes its speaker; a quote that opens a sentence continues the speaker
//!    of the quote just before it (same or previous paragraph); and a quote ending a sentence
//!    whose subject is the entity that spoke last is that entity's. Anything else — a short
//!    phrase in marks with no speech act, "a “shouting match”" — is a scare quote and has no
//!    speaker.
//!
//! The speaker is the noun phrase the attribution rests on. When its head is an entity mention
//! the speaker is that entity (its canonical name, the mention's span). Pronouns resolve to the
//! most recent compatible entity outside quotes (he/she → person, it → organisation, they →
//! organisation); "the website", "its statement", "the organisation" resolve to the most
//! salient organisation mentioned in the last few paragraphs. Other sources ("a senior
//! official", "critics") are speakers by their noun phrase, with no entity.
//!
//! Everything is bounded scans around the marks over the tokens of the sentence stage: the cost
//! is a few tens of nanoseconds per word.

use std::cmp::Ordering;

use crate::pipeline::doc::{EntityType, Quote, Span, Speaker};
use crate::pipeline::{Doc, Stage, StageError};
use crate::text::sentences::Sentence;
use crate::text::tokens::{Token, TokenKind};

/// Finds direct quotes and attributes them to speakers.
pub struct QuotesStage;

impl Stage for QuotesStage {
    fn name(&self) -> &'static str {
        "quotes"
    }

    fn english_only(&self) -> bool {
        true
    }

    fn run(&self, doc: &mut Doc) -> Result<(), StageError> {
        doc.quotes = find_quotes(doc);
        Ok(())
    }
}

/// The quotes of `doc`, in text order, with their speakers. Reads the text, paragraphs, tokens,
/// sentences and entities; never panics on any input.
pub fn find_quotes(doc: &Doc) -> Vec<Quote> {
    let marked = pair_marks(&doc.text, &doc.tokens, &doc.paragraphs);
    if marked.is_empty() {
        return Vec::new();
    }
    let ctx = Context::new(doc, &marked);
    let mut found: Vec<Attribution> = marked.iter().map(|q| ctx.attribute(q)).collect();
    inherit(&ctx, &marked, &mut found);
    marked
        .iter()
        .zip(found)
        .map(|(q, a)| Quote {
            span: q.span,
            verb: a.verb,
            speaker: a.speaker,
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Pass 1: pairing the marks.
// ---------------------------------------------------------------------------------------------

/// A quotation found by pairing marks, before attribution.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Marked {
    /// The text between the marks, trimmed.
    span: Span,
    /// Token index of the opening mark.
    open: usize,
    /// Token index of the closing mark; `None` when the quote runs to its paragraph's end.
    close: Option<usize>,
    /// Index of the paragraph.
    paragraph: usize,
    /// Whether this part continues a quote from the previous paragraph.
    continues_previous: bool,
    /// Whether the quote goes on in the next paragraph.
    continues_next: bool,
}

/// Which pair a mark belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Double,
    Single,
}

/// Which way a glyph points by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lean {
    Open,
    Close,
    Either,
}

/// A quotation mark in context.
#[derive(Debug, Clone, Copy)]
struct Mark {
    family: Family,
    lean: Lean,
    /// Nothing but space (or an opening bracket, dash or mark) before it.
    space_before: bool,
    /// Nothing but space (or punctuation, a closing bracket, dash or mark) after it.
    space_after: bool,
    /// The character before, when there is one.
    before: Option<char>,
    /// The character after, when there is one.
    after: Option<char>,
}

impl Mark {
    /// The mark at `token`, when the token is a quotation mark.
    fn of(token: &Token, text: &str) -> Option<Mark> {
        if token.kind != TokenKind::Quote {
            return None;
        }
        let (family, lean) = match token.text(text) {
            "“" | "„" | "«" | "``" => (Family::Double, Lean::Open),
            "”" | "»" | "''" => (Family::Double, Lean::Close),
            "\"" => (Family::Double, Lean::Either),
            "‘" => (Family::Single, Lean::Open),
            "’" => (Family::Single, Lean::Close),
            "'" => (Family::Single, Lean::Either),
            _ => return None,
        };
        let before = text.get(..token.start).and_then(|s| s.chars().next_back());
        let after = text.get(token.end..).and_then(|s| s.chars().next());
        Some(Mark {
            family,
            lean,
            space_before: before.is_none_or(|c| {
                c.is_whitespace() || matches!(c, '(' | '[' | '{' | '—' | '–') || is_mark_char(c)
            }),
            space_after: after.is_none_or(|c| {
                c.is_whitespace()
                    || matches!(
                        c,
                        '.' | ',' | ';' | ':' | '!' | '?' | '…' | ')' | ']' | '}' | '—' | '–'
                    )
                    || is_mark_char(c)
            }),
            before,
            after,
        })
    }

    /// Space on the left, a word on the right.
    fn opens(&self) -> bool {
        self.space_before && !self.space_after
    }

    /// A word on the left, space on the right.
    fn closes(&self) -> bool {
        !self.space_before && self.space_after
    }
}

/// Characters that are quotation marks.
fn is_mark_char(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '“' | '”' | '‘' | '’' | '„' | '«' | '»' | '`'
    )
}

/// What a double mark does to the quote being built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Open,
    Close,
    /// Closes the open quote and opens the next (`ready…”I can`).
    CloseAndOpen,
    Ignore,
}

/// Decides what a double mark does, given whether a quote is open.
fn double_action(mark: &Mark, open: bool) -> Action {
    if mark.opens() {
        return Action::Open;
    }
    if mark.closes() {
        return Action::Close;
    }
    if !mark.space_before && !mark.space_after {
        // Glued on both sides: `said,"We`, `ready…”I`, `word"word`.
        let after_terminal = mark
            .before
            .is_some_and(|c| matches!(c, '.' | '!' | '?' | '…'));
        let capital_next = mark
            .after
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
        return if open && after_terminal && capital_next {
            Action::CloseAndOpen
        } else if open {
            Action::Close
        } else if mark.before.is_some_and(|c| !c.is_alphanumeric()) {
            Action::Open
        } else {
            Action::Ignore
        };
    }
    // Space on both sides: only the glyph can tell.
    match (mark.lean, open) {
        (Lean::Open, _) => Action::Open,
        (Lean::Close, _) | (Lean::Either, true) => Action::Close,
        (Lean::Either, false) => Action::Open,
    }
}

/// Whether a single mark that looks like an opener is really an elision: `’90s`, `’em`.
fn is_elision(token_after: Option<&Token>, text: &str) -> bool {
    token_after.is_some_and(|t| {
        let word = t.text(text);
        t.kind == TokenKind::Number
            || word.starts_with(|c: char| c.is_ascii_digit())
            || matches!(
                word,
                "em" | "til" | "tis" | "twas" | "n" | "cause" | "bout" | "round"
            )
    })
}

/// Pairs the quotation marks of every paragraph (see the module docs).
fn pair_marks(text: &str, tokens: &[Token], paragraphs: &[Span]) -> Vec<Marked> {
    let mut out = Vec::new();
    let mut first = 0;
    let mut continued = false;
    for (p, para) in paragraphs.iter().enumerate() {
        first += tokens[first..].partition_point(|t| t.start < para.start);
        let last = first + tokens[first..].partition_point(|t| t.end <= para.end);
        let next_para_opens = paragraphs.get(p + 1).is_some_and(|next| {
            let i = last + tokens[last..].partition_point(|t| t.start < next.start);
            tokens.get(i).is_some_and(|t| {
                Mark::of(t, text).is_some_and(|m| {
                    m.family == Family::Double && double_action(&m, false) == Action::Open
                })
            })
        });
        let builder = ParagraphPairing {
            text,
            tokens,
            paragraph: p,
            first,
            last,
            end: para.end,
            continues_previous: continued,
            continues_next: next_para_opens,
        };
        continued = builder.run(&mut out);
        first = last;
    }
    out
}

/// The pairing of one paragraph's marks.
struct ParagraphPairing<'a> {
    text: &'a str,
    tokens: &'a [Token],
    paragraph: usize,
    /// The paragraph's tokens are `first..last`.
    first: usize,
    last: usize,
    /// The paragraph's end byte.
    end: usize,
    /// Whether a quote from the previous paragraph goes on here.
    continues_previous: bool,
    /// Whether the next paragraph starts by re-opening a quote.
    continues_next: bool,
}

impl ParagraphPairing<'_> {
    /// Appends the paragraph's quotes to `out`; returns whether the last one goes on in the
    /// next paragraph.
    fn run(&self, out: &mut Vec<Marked>) -> bool {
        let mut open: Option<usize> = None;
        let mut i = self.first;
        while i < self.last {
            let Some(mark) = Mark::of(&self.tokens[i], self.text) else {
                i += 1;
                continue;
            };
            if mark.family == Family::Single {
                if open.is_none() {
                    if let Some(close) = self.single_closer(i, &mark) {
                        self.emit(out, i, Some(close), self.tokens[close].start);
                        i = close;
                    }
                }
                i += 1;
                continue;
            }
            match double_action(&mark, open.is_some()) {
                Action::Open => open = Some(i),
                Action::Close => {
                    if let Some(o) = open.take() {
                        self.emit(out, o, Some(i), self.tokens[i].start);
                    }
                }
                Action::CloseAndOpen => {
                    if let Some(o) = open.take() {
                        self.emit(out, o, Some(i), self.tokens[i].start);
                    }
                    open = Some(i);
                }
                Action::Ignore => {}
            }
            i += 1;
        }
        let Some(o) = open else { return false };
        let introduced = o == self.first
            || o.checked_sub(1)
                .and_then(|b| self.tokens.get(b))
                .is_some_and(|t| matches!(t.text(self.text), ":" | ","));
        if self.continues_next || introduced {
            self.emit(out, o, None, self.end);
            return self.continues_next;
        }
        false
    }

    /// The closer of the single quote opened at `open`, when the mark opens one and a closer
    /// follows before any double mark.
    fn single_closer(&self, open: usize, mark: &Mark) -> Option<usize> {
        let opens = mark.space_before
            && mark.lean != Lean::Close
            && mark.after.is_some_and(char::is_alphanumeric)
            && !is_elision(self.tokens.get(open + 1), self.text);
        if !opens {
            return None;
        }
        for j in open + 1..self.last.min(open + MAX_SINGLE_QUOTE) {
            let Some(m) = Mark::of(&self.tokens[j], self.text) else {
                continue;
            };
            if m.family == Family::Double {
                return None;
            }
            if m.closes() && m.lean != Lean::Open {
                return Some(j);
            }
        }
        None
    }

    /// Records the quote between the mark at `open` and byte `end`.
    fn emit(&self, out: &mut Vec<Marked>, open: usize, close: Option<usize>, end: usize) {
        let start = self.tokens[open].end;
        let Some(inner) = self.text.get(start..end) else {
            return;
        };
        if !inner.chars().any(char::is_alphabetic) {
            return;
        }
        let lead = inner.len() - inner.trim_start().len();
        let span = Span::new(start + lead, start + inner.trim_end().len());
        out.push(Marked {
            span,
            open,
            close,
            paragraph: self.paragraph,
            continues_previous: self.continues_previous && open == self.first,
            continues_next: close.is_none() && self.continues_next,
        });
    }
}

// ---------------------------------------------------------------------------------------------
// Word classes.
// ---------------------------------------------------------------------------------------------

/// Speech verbs as written, sorted for binary search. Participles are included: `…, saying`.
const SPEECH_VERBS: &[&str] = &[
    "acknowledged",
    "acknowledges",
    "added",
    "adding",
    "adds",
    "admits",
    "admitted",
    "agree",
    "agreed",
    "agrees",
    "alleged",
    "alleges",
    "announced",
    "announces",
    "answered",
    "argue",
    "argued",
    "argues",
    "arguing",
    "asked",
    "asking",
    "asks",
    "asserted",
    "asserting",
    "asserts",
    "blasted",
    "boasted",
    "bragged",
    "branded",
    "call",
    "called",
    "calling",
    "calls",
    "cautioned",
    "chanted",
    "chanting",
    "charged",
    "claim",
    "claimed",
    "claiming",
    "claims",
    "commented",
    "complained",
    "conceded",
    "concedes",
    "concluded",
    "confessed",
    "confirmed",
    "contend",
    "contended",
    "contends",
    "continued",
    "continues",
    "countered",
    "cried",
    "declared",
    "declares",
    "demanded",
    "demands",
    "denied",
    "described",
    "describes",
    "dubbed",
    "emailed",
    "emphasised",
    "emphasized",
    "exclaimed",
    "explain",
    "explained",
    "explaining",
    "explains",
    "insisted",
    "insisting",
    "insists",
    "joked",
    "labeled",
    "labelled",
    "lamented",
    "laughed",
    "maintained",
    "maintains",
    "mocked",
    "mused",
    "noted",
    "notes",
    "noting",
    "objected",
    "observed",
    "pleaded",
    "pledged",
    "posted",
    "predicted",
    "predicts",
    "promised",
    "protested",
    "quipped",
    "quoted",
    "read",
    "reads",
    "recalled",
    "recalls",
    "reiterated",
    "remarked",
    "replied",
    "replies",
    "replying",
    "reported",
    "reports",
    "responded",
    "retorted",
    "said",
    "sang",
    "say",
    "saying",
    "says",
    "scolded",
    "screamed",
    "shouted",
    "shouting",
    "sings",
    "slammed",
    "snapped",
    "stated",
    "stressed",
    "suggested",
    "suggests",
    "tell",
    "telling",
    "tells",
    "testified",
    "texted",
    "told",
    "touted",
    "tweeted",
    "tweets",
    "urged",
    "vowed",
    "warn",
    "warned",
    "warning",
    "warns",
    "whispered",
    "wondered",
    "writes",
    "writing",
    "wrote",
    "yelled",
    "yells",
];

/// Whether `word` (lower case) is a speech verb.
fn is_speech_verb(word: &str) -> bool {
    SPEECH_VERBS.binary_search(&word).is_ok()
}

/// Whether `word` (lower case) is one typo away from a long speech verb (`conteded`).
fn is_misspelt_speech_verb(word: &str) -> bool {
    word.len() >= 6
        && word.bytes().all(|b| b.is_ascii_lowercase())
        && SPEECH_VERBS
            .iter()
            .any(|v| v.len() >= 6 && within_one_edit(word.as_bytes(), v.as_bytes()))
}

/// Whether `a` becomes `b` by at most one insertion, deletion, substitution or swap of
/// neighbours.
fn within_one_edit(a: &[u8], b: &[u8]) -> bool {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    match a.len().cmp(&b.len()) {
        Ordering::Equal => {
            a.len() <= 1
                || a[1..] == b[1..]
                || (a.len() >= 2 && a[0] == b[1] && a[1] == b[0] && a[2..] == b[2..])
        }
        Ordering::Less => a.len() + 1 == b.len() && a == &b[1..],
        Ordering::Greater => b.len() + 1 == a.len() && &a[1..] == b,
    }
}

/// Auxiliaries and adverbs that may stand between a subject and its speech verb.
fn is_auxiliary_or_adverb(word: &str) -> bool {
    matches!(
        word,
        "had"
            | "has"
            | "have"
            | "was"
            | "were"
            | "is"
            | "are"
            | "be"
            | "been"
            | "would"
            | "will"
            | "could"
            | "can"
            | "may"
            | "might"
            | "should"
            | "shall"
            | "did"
            | "does"
            | "do"
            | "also"
            | "later"
            | "then"
            | "once"
            | "again"
            | "recently"
            | "previously"
            | "further"
            | "earlier"
            | "still"
            | "even"
            | "not"
            | "never"
            | "only"
            | "just"
            | "already"
            | "often"
            | "first"
            | "now"
            | "since"
    ) || (word.len() > 4
        && word.ends_with("ly")
        && !matches!(
            word,
            "family" | "ally" | "rally" | "assembly" | "supply" | "reply" | "daily" | "weekly"
        ))
}

/// Words that end a noun phrase: prepositions, conjunctions, relative and personal pronouns.
fn is_function_word(word: &str) -> bool {
    matches!(
        word,
        "of" | "in"
            | "on"
            | "at"
            | "for"
            | "from"
            | "with"
            | "by"
            | "to"
            | "about"
            | "into"
            | "over"
            | "under"
            | "after"
            | "before"
            | "during"
            | "against"
            | "between"
            | "through"
            | "without"
            | "within"
            | "among"
            | "as"
            | "like"
            | "than"
            | "via"
            | "per"
            | "and"
            | "or"
            | "but"
            | "nor"
            | "so"
            | "yet"
            | "because"
            | "if"
            | "while"
            | "when"
            | "where"
            | "whether"
            | "although"
            | "though"
            | "unless"
            | "that"
            | "which"
            | "who"
            | "whom"
            | "whose"
            | "what"
            | "there"
            | "here"
            | "i"
            | "you"
            | "me"
            | "us"
            | "him"
            | "them"
            | "according"
    ) || is_auxiliary_or_adverb(word)
        || is_subject_pronoun(word)
}

/// Words that open a noun phrase.
fn is_determiner(word: &str) -> bool {
    matches!(
        word,
        "the"
            | "a"
            | "an"
            | "this"
            | "these"
            | "those"
            | "his"
            | "her"
            | "its"
            | "their"
            | "our"
            | "my"
            | "your"
            | "some"
            | "many"
            | "several"
            | "another"
            | "other"
            | "both"
            | "all"
    )
}

/// Pronouns that can be the subject of a speech verb.
fn is_subject_pronoun(word: &str) -> bool {
    matches!(word, "he" | "she" | "it" | "they" | "we")
}

/// Nouns through which an organisation speaks: "the website says", "its statement said".
fn is_organisation_voice(word: &str) -> bool {
    matches!(
        word,
        "website"
            | "site"
            | "statement"
            | "organisation"
            | "organization"
            | "alliance"
            | "agency"
            | "company"
            | "ministry"
    )
}

/// Prepositions after which a short attribution may go on: `Smith said in an interview`.
fn is_preposition(word: &str) -> bool {
    matches!(
        word,
        "in" | "on"
            | "at"
            | "during"
            | "to"
            | "after"
            | "before"
            | "of"
            | "about"
            | "via"
            | "from"
            | "with"
            | "while"
            | "when"
            | "last"
            | "this"
    )
}

/// `word` in ASCII lower case in `buf`, or "" for words too long to be in any list.
fn lower<'b>(word: &str, buf: &'b mut [u8; 24]) -> &'b str {
    let bytes = word.as_bytes();
    if bytes.len() > buf.len() {
        return "";
    }
    let out = &mut buf[..bytes.len()];
    out.copy_from_slice(bytes);
    out.make_ascii_lowercase();
    std::str::from_utf8(out).unwrap_or("")
}

// ---------------------------------------------------------------------------------------------
// Pass 2: attribution.
// ---------------------------------------------------------------------------------------------

/// An entity mention, for lookups by position.
#[derive(Debug, Clone, Copy)]
struct MentionRef {
    span: Span,
    entity: usize,
    kind: EntityType,
}

/// What attribution found for one quote.
#[derive(Debug, Clone, Default, PartialEq)]
struct Attribution {
    verb: Option<String>,
    speaker: Option<Speaker>,
}

/// Everything attribution reads, with lookups by token.
struct Context<'a> {
    text: &'a str,
    tokens: &'a [Token],
    sentences: &'a [Sentence],
    paragraphs: &'a [Span],
    doc: &'a Doc,
    /// Every entity mention, by start.
    mentions: Vec<MentionRef>,
    /// Spans covered by quotes, marks included, in order.
    quoted: Vec<Span>,
}

/// How many paragraphs back a pronoun or "the website" may look for its entity.
const RESOLUTION_PARAGRAPHS: usize = 3;

/// How many tokens before a quote the search for its speech verb and subject may look.
const MAX_REACH: usize = 80;

/// How many mentions back a pronoun or "the website" may look at.
const MAX_CANDIDATES: usize = 200;

/// The most tokens a single-quoted phrase may have (they are short: headlines, nested quotes);
/// the bound also keeps the search for a closer linear.
const MAX_SINGLE_QUOTE: usize = 40;

/// The most tokens a speaker noun phrase may have.
const MAX_PHRASE: usize = 10;

/// The most tokens an appositive between a speaker and the verb may have: `X, director of …
/// and a professor at …, said`.
const MAX_APPOSITIVE: usize = 30;

impl<'a> Context<'a> {
    fn new(doc: &'a Doc, marked: &[Marked]) -> Self {
        let mut mentions: Vec<MentionRef> = doc
            .entities
            .iter()
            .enumerate()
            .flat_map(|(i, e)| {
                e.mentions.iter().map(move |&span| MentionRef {
                    span,
                    entity: i,
                    kind: e.kind,
                })
            })
            .collect();
        mentions.sort_by_key(|m| (m.span.start, m.span.end));
        let quoted = marked
            .iter()
            .map(|q| {
                let start = doc.tokens.get(q.open).map_or(q.span.start, |t| t.start);
                let end = q
                    .close
                    .and_then(|c| doc.tokens.get(c))
                    .map_or(q.span.end, |t| t.end);
                Span::new(start, end)
            })
            .collect();
        Context {
            text: &doc.text,
            tokens: &doc.tokens,
            sentences: &doc.sentences,
            paragraphs: &doc.paragraphs,
            doc,
            mentions,
            quoted,
        }
    }

    /// Whether token `k` is a speech verb used as a verb: "reports" and "claims" after a
    /// determiner or preposition are nouns.
    fn speech_verb_at(&self, k: usize) -> bool {
        let mut buf = [0u8; 24];
        if !is_speech_verb(lower(self.word(k), &mut buf)) {
            return false;
        }
        let before = k.checked_sub(1).map_or("", |b| self.word(b));
        let before = lower(before, &mut buf);
        !(is_determiner(before) || matches!(before, "of" | "in" | "for" | "with" | "on" | "by"))
    }

    /// The token's text.
    fn word(&self, i: usize) -> &'a str {
        self.tokens.get(i).map_or("", |t| t.text(self.text))
    }

    /// Whether token `i` lies inside a quote or is a mark.
    fn in_quote(&self, i: usize) -> bool {
        let Some(t) = self.tokens.get(i) else {
            return false;
        };
        if t.kind == TokenKind::Quote {
            return true;
        }
        let k = self.quoted.partition_point(|q| q.end <= t.start);
        self.quoted
            .get(k)
            .is_some_and(|q| q.start <= t.start && t.end <= q.end)
    }

    /// Whether byte `pos` lies inside a quote.
    fn pos_in_quote(&self, pos: usize) -> bool {
        let k = self.quoted.partition_point(|q| q.end <= pos);
        self.quoted.get(k).is_some_and(|q| q.start <= pos)
    }

    /// The sentence holding token `i`.
    fn sentence_of(&self, i: usize) -> Option<&'a Sentence> {
        let k = self.sentences.partition_point(|s| s.tokens.end <= i);
        self.sentences.get(k).filter(|s| s.tokens.contains(&i))
    }

    /// The paragraph holding byte `pos`.
    fn paragraph_of(&self, pos: usize) -> usize {
        self.paragraphs
            .partition_point(|p| p.end < pos)
            .min(self.paragraphs.len().saturating_sub(1))
    }

    /// The mention covering token `i`.
    fn mention_at(&self, i: usize) -> Option<&MentionRef> {
        let t = self.tokens.get(i)?;
        let k = self.mentions.partition_point(|m| m.span.start <= t.start);
        self.mentions[..k]
            .iter()
            .rev()
            .take(4)
            .find(|m| m.span.end >= t.end)
    }

    /// The attribution of one quote, from its own sentence(s) only.
    fn attribute(&self, q: &Marked) -> Attribution {
        self.after(q)
            .or_else(|| self.before(q.open))
            .or_else(|| self.colon(q.open))
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
        let (verb, speaker, after_verb) = if first == "according" && self.word(i + 1) == "to" {
            let np = self.phrase_forward(i + 2)?;
            (
                "according to".to_string(),
                self.speaker(np.clone())?,
                np.end,
            )
        } else if is_speech_verb(first) && !first.ends_with("ing") {
            let np = self.phrase_forward(i + 1)?;
            (first.to_string(), self.speaker(np.clone())?, np.end)
        } else if matches!(first, "―" | "—" | "–" | "-" | "--") {
            // A sign-off: `“…” ― Jane Smith`.
            let np = self.phrase_forward(i + 1)?;
            let speaker = self.speaker(np)?;
            return Some(Attribution {
                verb: None,
                speaker: Some(speaker),
            });
        } else {
            let (verb, speaker) = self.subject_and_verb_after(i)?;
            let word = lower(self.word(verb), &mut buf).to_string();
            (word, speaker, verb + 1)
        };
        if ended && !self.short_tail(after_verb, para_end) {
            return None;
        }
        Some(Attribution {
            verb: Some(verb),
            speaker: Some(speaker),
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
                    });
                }
            }
        }
        candidates().find_map(|k| {
            let word = lower(self.word(k), &mut buf);
            if !is_misspelt_speech_verb(word) {
                return None;
            }
            let speaker = self.subject_of(k, start)?;
            Some(Attribution {
                verb: Some(word.to_string()),
                speaker: Some(speaker),
            })
        })
    }

    /// The speaker of the last speech verb of the sentence before the one opening at token
    /// `open` — in the same paragraph, or in the previous one when the quote opens its
    /// paragraph: `Smith said the talks failed. “We tried.”`.
    fn previous_sentence_speaker(&self, open: usize, opens_paragraph: bool) -> Option<Speaker> {
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
        })
    }

    /// The subject of the speech verb at token `verb`, looking no further back than `start`.
    fn subject_of(&self, verb: usize, start: usize) -> Option<Speaker> {
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
            if word == "who" {
                // `Smith, who said “…”`: the relative's antecedent.
                let end = if self.word(j.checked_sub(1)?) == "," {
                    j - 1
                } else {
                    j
                };
                return self.speaker(self.phrase_backward(end, start)?);
            }
            let joined = matches!(word, "," | ")" | "and" | "but" | "or" | ";" | "—" | "–");
            if joined || participle {
                return self.clause_subject(start, verb);
            }
            return match self.phrase_backward(j + 1, start) {
                Some(np) => self.speaker(np),
                None => self.clause_subject(start, verb),
            };
        }
        None
    }

    /// The first noun phrase of the clause starting at token `start`, when it comes before
    /// `verb`; leading adverbials (`Meanwhile,`, `But`) are skipped.
    fn clause_subject(&self, start: usize, verb: usize) -> Option<Speaker> {
        let mut buf = [0u8; 24];
        let mut i = start.max(verb.saturating_sub(MAX_REACH));
        let clause_start = i;
        while i < verb {
            if self.in_quote(i) || self.word(i) == "," {
                i += 1;
                continue;
            }
            let word = lower(self.word(i), &mut buf);
            if i == clause_start && is_function_word(word) && !is_subject_pronoun(word) {
                // A leading adverbial: `During the speech, Smith said`.
                let comma = (i + 1..verb.min(i + MAX_APPOSITIVE)).find(|&k| self.word(k) == ",");
                if let Some(comma) = comma {
                    i = comma + 1;
                    continue;
                }
            }
            if matches!(word, "but" | "and" | "so" | "yet" | "still" | "however")
                || self.word(i + 1) == ","
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
                (!is_function_word(w) && !is_speech_verb(w)) || self.mention_at(i).is_some()
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

    /// The noun phrase starting at token `i` (a determiner, then content words), as a token
    /// range; `None` when no content word follows.
    fn phrase_forward(&self, i: usize) -> Option<std::ops::Range<usize>> {
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

    /// The noun phrase ending just before token `end`, not reaching before `start`.
    fn phrase_backward(&self, end: usize, start: usize) -> Option<std::ops::Range<usize>> {
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
                break;
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

    /// The speaker a noun phrase (token range) stands for.
    fn speaker(&self, np: std::ops::Range<usize>) -> Option<Speaker> {
        let first = self.tokens.get(np.start)?;
        let last = self.tokens.get(np.end.checked_sub(1)?)?;
        let span = Span::new(first.start, last.end);
        let mut buf = [0u8; 24];
        if np.len() == 1 {
            let word = lower(self.word(np.start), &mut buf);
            if is_subject_pronoun(word) {
                return Some(self.pronoun(word, span));
            }
        }
        // The head is the last word before any "of": "the leader of the group".
        let head = (np.start..np.end)
            .find(|&k| self.word(k) == "of")
            .map_or(np.end - 1, |k| k.saturating_sub(1).max(np.start));
        if let Some(m) = self.mention_at(head) {
            return Some(self.entity_speaker(m));
        }
        let head_word = lower(self.word(head), &mut buf);
        if is_organisation_voice(head_word) {
            let owner = (np.start..head)
                .filter_map(|k| self.mention_at(k))
                .find(|m| m.kind == EntityType::Org)
                .map(|m| m.entity)
                .or_else(|| {
                    let det = lower(self.word(np.start), &mut buf);
                    matches!(det, "the" | "its" | "this").then_some(())?;
                    self.salient_org(span.start)
                });
            if let Some(e) = owner {
                return Some(self.named(e, span));
            }
        }
        Some(Speaker {
            name: span.text(self.text).to_string(),
            entity: None,
            span,
        })
    }

    /// The speaker for entity mention `m`.
    fn entity_speaker(&self, m: &MentionRef) -> Speaker {
        self.named(m.entity, m.span)
    }

    /// Entity `e` as the speaker, resting on `span`.
    fn named(&self, e: usize, span: Span) -> Speaker {
        Speaker {
            name: self
                .doc
                .entities
                .get(e)
                .map_or_else(|| span.text(self.text).to_string(), |x| x.name.clone()),
            entity: Some(e),
            span,
        }
    }

    /// A pronoun resolved to the most recent compatible entity outside quotes; unresolved, the
    /// pronoun itself.
    fn pronoun(&self, word: &str, span: Span) -> Speaker {
        let wanted = |kind: EntityType| match word {
            "he" | "she" => kind == EntityType::Person,
            "it" | "they" => kind == EntityType::Org,
            _ => false,
        };
        let found = self
            .recent_mentions(span.start)
            .find(|m| wanted(m.kind))
            .map(|m| m.entity);
        match found {
            Some(e) => self.named(e, span),
            None => Speaker {
                name: span.text(self.text).to_string(),
                entity: None,
                span,
            },
        }
    }

    /// Mentions before byte `pos` and outside quotes, newest first, within the resolution
    /// window.
    fn recent_mentions(&self, pos: usize) -> impl Iterator<Item = &MentionRef> + '_ {
        let p = self.paragraph_of(pos);
        let floor = self
            .paragraphs
            .get(p.saturating_sub(RESOLUTION_PARAGRAPHS))
            .map_or(0, |s| s.start);
        let k = self.mentions.partition_point(|m| m.span.start < pos);
        self.mentions[..k]
            .iter()
            .rev()
            .take_while(move |m| m.span.start >= floor)
            .take(MAX_CANDIDATES)
            .filter(move |m| m.span.end <= pos && !self.pos_in_quote(m.span.start))
    }

    /// The organisation mentioned most in the resolution window before `pos` (ties: the more
    /// salient, then the more recent).
    fn salient_org(&self, pos: usize) -> Option<usize> {
        let mut counts: Vec<(usize, usize)> = Vec::new();
        for m in self
            .recent_mentions(pos)
            .filter(|m| m.kind == EntityType::Org)
        {
            match counts.iter_mut().find(|(e, _)| *e == m.entity) {
                Some((_, n)) => *n += 1,
                None => counts.push((m.entity, 1)),
            }
        }
        let salience = |e: usize| self.doc.entities.get(e).map_or(0.0, |x| x.salience);
        let mut best: Option<(usize, usize)> = None;
        for &(e, n) in &counts {
            let better =
                best.is_none_or(|(b, bn)| n > bn || (n == bn && salience(e) > salience(b)));
            if better {
                best = Some((e, n));
            }
        }
        best.map(|(e, _)| e)
    }
}

// ---------------------------------------------------------------------------------------------
// Inheritance between quotes.
// ---------------------------------------------------------------------------------------------

/// Gives unattributed quotes the speaker news conventions imply (see the module docs).
fn inherit(ctx: &Context, marked: &[Marked], found: &mut [Attribution]) {
    // Parts of one multi-paragraph quote share a speaker, both ways.
    for i in 1..marked.len() {
        if marked[i].continues_previous && found[i].speaker.is_none() {
            found[i] = found[i - 1].clone();
        }
    }
    for i in (1..marked.len()).rev() {
        if marked[i].continues_previous && found[i - 1].speaker.is_none() {
            found[i - 1] = found[i].clone();
        }
    }
    // A quote glued to the next one takes its attribution: `“…”“…,” he said`.
    for i in (0..marked.len().saturating_sub(1)).rev() {
        if found[i].speaker.is_none() && glued(ctx, &marked[i], &marked[i + 1]) {
            found[i] = found[i + 1].clone();
        }
    }
    let mut last_speaker: Option<(usize, Speaker)> = None;
    for i in 0..marked.len() {
        if found[i].speaker.is_none() {
            found[i].speaker = continued_speaker(ctx, &marked[i], i, marked, &last_speaker);
        }
        if let Some(s) = &found[i].speaker {
            last_speaker = Some((i, s.clone()));
        }
    }
}

/// Whether only marks and punctuation separate quote `a` from the next quote `b` in the same
/// paragraph.
fn glued(ctx: &Context, a: &Marked, b: &Marked) -> bool {
    let Some(close) = a.close else { return false };
    a.paragraph == b.paragraph
        && (close..=b.open).all(|k| {
            ctx.tokens
                .get(k)
                .is_some_and(|t| matches!(t.kind, TokenKind::Quote | TokenKind::Punct))
        })
}

/// The speaker an unattributed quote continues, if any: the previous quote's when this one
/// opens its sentence (same paragraph, or the first thing of the next paragraph), or the
/// previous speaker when this quote ends a sentence whose subject is that speaker.
fn continued_speaker(
    ctx: &Context,
    q: &Marked,
    index: usize,
    marked: &[Marked],
    last: &Option<(usize, Speaker)>,
) -> Option<Speaker> {
    let sentence = ctx.sentence_of(q.open)?;
    let paragraph_start = ctx
        .paragraphs
        .get(q.paragraph)
        .is_some_and(|p| ctx.tokens.get(q.open).is_some_and(|t| t.start == p.start));
    let last = last
        .as_ref()
        .filter(|(i, _)| q.paragraph <= marked[*i].paragraph + 2);
    let adjacent = last.is_some_and(|(i, _)| {
        let prev = &marked[*i];
        *i + 1 == index
            && (q.paragraph == prev.paragraph
                || (q.paragraph == prev.paragraph + 1 && paragraph_start))
    });
    if sentence.tokens.start == q.open && nothing_follows(ctx, q, sentence) {
        let sentence_index =
            |token: usize| ctx.sentences.partition_point(|s| s.tokens.end <= token);
        let here = sentence_index(q.open);
        if let Some((i, prev)) = last {
            let prev_end = marked[*i].close.unwrap_or(marked[*i].open);
            if adjacent && sentence_index(prev_end) + 1 >= here {
                return Some(prev.clone());
            }
        }
        if let Some(speaker) = ctx.previous_sentence_speaker(q.open, paragraph_start) {
            return Some(speaker);
        }
        if adjacent {
            return last.map(|(_, prev)| prev.clone());
        }
    }
    let entity = last?.1.entity?;
    if !ends_sentence(ctx, q, sentence) {
        return None;
    }
    let subject = ctx.clause_subject(sentence.tokens.start, q.open)?;
    (subject.entity == Some(entity)).then_some(subject)
}

/// Whether only punctuation follows the quote in its sentence, so that it has no attribution
/// the stage failed to read.
fn nothing_follows(ctx: &Context, q: &Marked, sentence: &Sentence) -> bool {
    q.close.is_none_or(|close| {
        (close + 1..sentence.tokens.end).all(|k| {
            ctx.tokens
                .get(k)
                .is_some_and(|t| matches!(t.kind, TokenKind::Punct | TokenKind::Quote))
        })
    })
}

/// Whether the quote ends its sentence: `committed to “the peaceful resolution.”`.
fn ends_sentence(ctx: &Context, q: &Marked, sentence: &Sentence) -> bool {
    let Some(close) = q.close else { return true };
    let inner_final = q.span.text(ctx.text).ends_with(['.', '!', '?', '…']);
    inner_final
        || close + 1 >= sentence.tokens.end
        || (close + 2 >= sentence.tokens.end && ctx.tokens[close + 1].kind == TokenKind::Punct)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::doc::Entity;
    use crate::stages::testing::prepared;

    /// A document of `text` with the given entities, each mentioned wherever one of its
    /// surface forms occurs as a whole word.
    fn doc_with(text: &str, entities: &[(&str, EntityType, &[&str])]) -> Doc {
        let mut doc = prepared("t", text);
        let body = doc.text.clone();
        for (name, kind, forms) in entities {
            let mut mentions = Vec::new();
            for form in forms.iter() {
                for (at, _) in body.match_indices(form) {
                    let end = at + form.len();
                    let boundary_before = body[..at]
                        .chars()
                        .next_back()
                        .is_none_or(|c| !c.is_alphanumeric());
                    let boundary_after = body[end..]
                        .chars()
                        .next()
                        .is_none_or(|c| !c.is_alphanumeric());
                    let inside_other = mentions
                        .iter()
                        .any(|s: &Span| s.start <= at && end <= s.end);
                    if boundary_before && boundary_after && !inside_other {
                        mentions.push(Span::new(at, end));
                    }
                }
            }
            mentions.sort();
            doc.entities.push(Entity {
                name: name.to_string(),
                kind: *kind,
                mentions,
                roles: Vec::new(),
                salience: 0.0,
            });
        }
        doc
    }

    /// (quote text, verb, speaker name) for every quote of `doc`.
    fn run(doc: &mut Doc) -> Vec<(String, Option<String>, Option<String>)> {
        QuotesStage.run(doc).unwrap();
        doc.quotes
            .iter()
            .map(|q| {
                (
                    q.span.text(&doc.text).to_string(),
                    q.verb.clone(),
                    q.speaker.as_ref().map(|s| s.name.clone()),
                )
            })
            .collect()
    }

    fn speakers(
        text: &str,
        entities: &[(&str, EntityType, &[&str])],
    ) -> Vec<(String, Option<String>)> {
        let mut doc = doc_with(text, entities);
        run(&mut doc).into_iter().map(|(q, _, s)| (q, s)).collect()
    }

    fn q(text: &str, speaker: Option<&str>) -> (String, Option<String>) {
        (text.to_string(), speaker.map(str::to_string))
    }

    const PERSON: EntityType = EntityType::Person;
    const ORG: EntityType = EntityType::Org;

    #[test]
    fn post_quote_attributions() {
        let ents: &[(&str, EntityType, &[&str])] =
            &[("Jane Smith", PERSON, &["Jane Smith", "Smith"])];
        let mut doc = doc_with(
            "“We will win,” Smith said. “We always do,” said Jane Smith.",
            ents,
        );
        let got = run(&mut doc);
        assert_eq!(
            got,
            vec![
                (
                    "We will win,".into(),
                    Some("said".into()),
                    Some("Jane Smith".into())
                ),
                (
                    "We always do,".into(),
                    Some("said".into()),
                    Some("Jane Smith".into())
                ),
            ]
        );
        let got = speakers("\"It is over,\" Jane Smith told the BBC on Monday.", ents);
        assert_eq!(got, vec![q("It is over,", Some("Jane Smith"))]);
        let got = speakers("“It is over.” Smith said in an interview.", ents);
        assert_eq!(got, vec![q("It is over.", Some("Jane Smith"))]);
    }

    #[test]
    fn a_quote_ending_its_sentence_does_not_take_the_next_sentences_verb() {
        let ents: &[(&str, EntityType, &[&str])] = &[("Jane Smith", PERSON, &["Smith"])];
        let got = speakers("“We will win.” Smith said the polls were wrong.", ents);
        assert_eq!(got, vec![q("We will win.", None)]);
    }

    #[test]
    fn pre_quote_attributions_and_colons() {
        let ents: &[(&str, EntityType, &[&str])] = &[
            ("Mark Rutte", PERSON, &["Mark Rutte", "Rutte"]),
            ("BBC", ORG, &["BBC"]),
        ];
        let got = speakers(
            "When asked about it, NATO chief Mark Rutte replied: “Let’s move on.”",
            ents,
        );
        assert_eq!(got, vec![q("Let’s move on.", Some("Mark Rutte"))]);
        let got = speakers("Rutte told BBC, “We stay together.”", ents);
        assert_eq!(got, vec![q("We stay together.", Some("Mark Rutte"))]);
        let got = speakers("RUTTE: “Thank you.”", &[("Mark Rutte", PERSON, &["RUTTE"])]);
        assert_eq!(got, vec![q("Thank you.", Some("Mark Rutte"))]);
    }

    #[test]
    fn subject_across_adverbs_appositives_and_conjunctions() {
        let ents: &[(&str, EntityType, &[&str])] = &[
            ("Jane Smith", PERSON, &["Jane Smith", "Smith"]),
            ("Bob Jones", PERSON, &["Bob Jones", "Jones"]),
            ("Acme", ORG, &["Acme"]),
        ];
        let got = speakers(
            "Jane Smith, the billionaire who heads Acme, agrees that “it’s time to go.”",
            ents,
        );
        assert_eq!(got, vec![q("it’s time to go.", Some("Jane Smith"))]);
        let got = speakers(
            "Meanwhile, retired Adm. Jane Smith, the former commander of Acme, had then conteded that leaving would be “a mistake of epic proportion.”",
            ents,
        );
        assert_eq!(
            got,
            vec![q("a mistake of epic proportion.", Some("Jane Smith"))]
        );
        let got = speakers(
            "Smith called Jones a “dictator” and said Jones “should never have started” the war and that he “could have made a deal.”",
            ents,
        );
        assert_eq!(
            got,
            vec![
                q("dictator", Some("Jane Smith")),
                q("should never have started", Some("Jane Smith")),
                q("could have made a deal.", Some("Jane Smith")),
            ]
        );
        let got = speakers(
            "President Jane Smith had also backed the plan, saying Acme could “forget about” it.",
            ents,
        );
        assert_eq!(got, vec![q("forget about", Some("Jane Smith"))]);
        let got = speakers(
            "Bob Jones later said he was prepared to “give up” his post.",
            ents,
        );
        assert_eq!(got, vec![q("give up", Some("Bob Jones"))]);
        let got = speakers(
            "Bob Jones warned in an interview with Acme that if the plan fails, “The risk is 100 percent.”",
            ents,
        );
        assert_eq!(got, vec![q("The risk is 100 percent.", Some("Bob Jones"))]);
    }

    #[test]
    fn passive_and_inverted_attribution() {
        let ents: &[(&str, EntityType, &[&str])] = &[
            ("Ann Lee", PERSON, &["Ann Lee", "Lee"]),
            ("The New York Times", ORG, &["New York Times"]),
        ];
        let got = speakers(
            "Leaving, “would be damaging,” said a former official Ann Lee was quoted by the New York Times as saying.",
            ents,
        );
        assert_eq!(got, vec![q("would be damaging,", Some("Ann Lee"))]);
        let got = speakers(
            "“It would be damaging,” Ann Lee was quoted by the New York Times as saying.",
            ents,
        );
        let mut doc = doc_with(
            "“It would be damaging,” Ann Lee was quoted by the New York Times as saying.",
            ents,
        );
        assert_eq!(got, vec![q("It would be damaging,", Some("Ann Lee"))]);
        assert_eq!(run(&mut doc)[0].1.as_deref(), Some("quoted"));
    }

    #[test]
    fn according_to() {
        let ents: &[(&str, EntityType, &[&str])] = &[("Acme", ORG, &["Acme"])];
        let got = speakers("“Sales fell,” according to Acme.", ents);
        assert_eq!(got, vec![q("Sales fell,", Some("Acme"))]);
        let mut doc = doc_with("According to Acme, “sales fell.”", ents);
        let got = run(&mut doc);
        assert_eq!(got[0].1.as_deref(), Some("according to"));
        assert_eq!(got[0].2.as_deref(), Some("Acme"));
    }

    #[test]
    fn pronouns_resolve_to_the_latest_compatible_entity_outside_quotes() {
        let ents: &[(&str, EntityType, &[&str])] = &[
            ("Kemi Badenoch", PERSON, &["Kemi Badenoch"]),
            ("Vladimir Putin", PERSON, &["Vladimir Putin"]),
            ("United States", EntityType::Loc, &["America"]),
            ("Acme", ORG, &["Acme"]),
        ];
        let text = "Kemi Badenoch told reporters, “We must act.”\n\n“America will help, and Vladimir Putin knows it,” she added.\n\nAcme was founded in 1990.\n\n“We sell rockets,” it says.";
        let mut doc = doc_with(text, ents);
        let got = run(&mut doc);
        assert_eq!(got[1].2.as_deref(), Some("Kemi Badenoch"));
        assert_eq!(got[1].1.as_deref(), Some("added"));
        let speaker = doc.quotes[1].speaker.as_ref().unwrap();
        assert_eq!(speaker.span.text(&doc.text), "she");
        assert_eq!(speaker.entity, Some(0));
        assert_eq!(got[2].2.as_deref(), Some("Acme"));
        // Unresolvable pronouns stay themselves.
        let got = speakers("“No,” they said.", &[]);
        assert_eq!(got, vec![q("No,", Some("they"))]);
    }

    #[test]
    fn the_website_speaks_for_the_salient_organisation() {
        let ents: &[(&str, EntityType, &[&str])] =
            &[("NATO", ORG, &["NATO"]), ("BBC", ORG, &["BBC"])];
        let text = "According to BBC, NATO was founded in 1949.\n\nAs per the organization’s website, the purpose of NATO is security.\n\nIt “promotes democratic values,” according to the website.\n\nNATO is further committed to “the peaceful resolution of disputes.” The website explains that NATO can act.\n\n“These are carried out under a mandate,” it says.";
        let mut doc = doc_with(text, ents);
        let got = run(&mut doc);
        let names: Vec<_> = got.iter().map(|g| g.2.as_deref()).collect();
        assert_eq!(names, vec![Some("NATO"), Some("NATO"), Some("NATO")]);
        let speaker = doc.quotes[0].speaker.as_ref().unwrap();
        assert_eq!(speaker.span.text(&doc.text), "the website");
    }

    #[test]
    fn non_entity_sources_are_noun_phrases() {
        let got = speakers("“This is a mistake,” a senior official said.", &[]);
        assert_eq!(
            got,
            vec![q("This is a mistake,", Some("a senior official"))]
        );
        let got = speakers(
            "Senior administration officials told reporters that it was “a disaster.”",
            &[("United States", EntityType::Loc, &["US"])],
        );
        assert_eq!(
            got,
            vec![q("a disaster.", Some("Senior administration officials"))]
        );
        let got = speakers(
            "“It is over,” said US officials.",
            &[("United States", EntityType::Loc, &["US"])],
        );
        assert_eq!(got, vec![q("It is over,", Some("US officials"))]);
    }

    #[test]
    fn scare_quotes_have_no_speaker() {
        let ents: &[(&str, EntityType, &[&str])] = &[("Bob Jones", PERSON, &["Bob Jones"])];
        let got = speakers(
            "The president rebuked Bob Jones during a “shouting match” at the office.",
            ents,
        );
        assert_eq!(got, vec![q("shouting match", None)]);
        let got = speakers("What US ‘leaving’ NATO could mean?", &[]);
        assert_eq!(got, vec![q("leaving", None)]);
    }

    #[test]
    fn unbalanced_marks_do_not_cascade() {
        let ents: &[(&str, EntityType, &[&str])] = &[("Volodymyr Zelensky", PERSON, &["Zelensky"])];
        let text = "Zelensky later said he was prepared to “give up” his presidency. “If you need me to go, I’m ready…”I can trade it for membership, if there are such conditions,” he said.\n\nThe talks went on. “Next,” he said.";
        let got = speakers(text, ents);
        assert_eq!(
            got,
            vec![
                q("give up", Some("Volodymyr Zelensky")),
                q(
                    "If you need me to go, I’m ready…",
                    Some("Volodymyr Zelensky")
                ),
                q(
                    "I can trade it for membership, if there are such conditions,",
                    Some("Volodymyr Zelensky")
                ),
                q("Next,", Some("Volodymyr Zelensky")),
            ]
        );
        // A stray opener is dropped at its paragraph's end, never swallowing the next one.
        let text = "He said “ok and left the room.\n\nThe end came. “Go,” she said.";
        let got = speakers(text, &[]);
        assert_eq!(got, vec![q("Go,", Some("she"))]);
        // A stray closer is ignored.
        let got = speakers("It was late” and dark. “Run,” she said.", &[]);
        assert_eq!(got, vec![q("Run,", Some("she"))]);
    }

    #[test]
    fn quotes_over_several_paragraphs_share_their_speaker() {
        let ents: &[(&str, EntityType, &[&str])] = &[("Jane Smith", PERSON, &["Jane Smith"])];
        let text = "Jane Smith said: “We will win this fight.\n\n“And we will win the next one.”\n\nThe rally ended.";
        let got = speakers(text, ents);
        assert_eq!(
            got,
            vec![
                q("We will win this fight.", Some("Jane Smith")),
                q("And we will win the next one.", Some("Jane Smith")),
            ]
        );
        let text = "“We will win this fight.\n\n“And the next one,” Jane Smith said.";
        let got = speakers(text, ents);
        assert_eq!(got[0], q("We will win this fight.", Some("Jane Smith")));
    }

    #[test]
    fn a_new_quote_paragraph_continues_the_previous_speaker() {
        let ents: &[(&str, EntityType, &[&str])] = &[("Jane Smith", PERSON, &["Jane Smith"])];
        let text = "“We will win,” Jane Smith said.\n\n“We always win.”";
        let got = speakers(text, ents);
        assert_eq!(got[1], q("We always win.", Some("Jane Smith")));
        let text = "“We will win,” Jane Smith said. “We always win.”";
        let got = speakers(text, ents);
        assert_eq!(got[1], q("We always win.", Some("Jane Smith")));
    }

    #[test]
    fn nested_single_quotes_stay_inside() {
        let got = speakers("“He told me ‘never again’ and left,” she said.", &[]);
        assert_eq!(
            got,
            vec![q("He told me ‘never again’ and left,", Some("she"))]
        );
    }

    #[test]
    fn apostrophes_are_not_quotes() {
        let got = speakers(
            "It’s the countries’ choice, and the ’90s are over. Rock 'n' roll isn’t.",
            &[],
        );
        assert!(got.is_empty(), "{got:?}");
        let got = speakers("The 'America First' policy and the allies’ worries.", &[]);
        assert_eq!(got, vec![q("America First", None)]);
    }

    #[test]
    fn straight_marks_pair_by_context() {
        let got = speakers("He said:\"We go,\"she said. \"Stop\" means stop.", &[]);
        assert_eq!(got[0].0, "We go,");
        assert!(got.iter().any(|g| g.0 == "Stop"), "{got:?}");
    }

    #[test]
    fn edit_distance() {
        assert!(within_one_edit(b"conteded", b"contended"));
        assert!(within_one_edit(b"siad", b"said"));
        assert!(within_one_edit(b"saud", b"said"));
        assert!(!within_one_edit(b"retired", b"retorted"));
        assert!(is_misspelt_speech_verb("conteded"));
        assert!(!is_misspelt_speech_verb("retired"));
    }

    #[test]
    fn verb_list_is_sorted() {
        assert!(SPEECH_VERBS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn long_appositives_asides_and_trailing_phrases_after_the_quote() {
        let ents: &[(&str, EntityType, &[&str])] = &[
            ("Scott Pruitt", PERSON, &["Scott Pruitt"]),
            ("Gwen Moore", PERSON, &["Gwen Moore"]),
            ("Doug Holtz", PERSON, &["Holtz"]),
        ];
        let got = speakers(
            "“It’s an invasion,” Scott Pruitt, the attorney general of Oklahoma, one of the states suing the agency, said at an event.",
            ents,
        );
        assert_eq!(got, vec![q("It’s an invasion,", Some("Scott Pruitt"))]);
        let got = speakers(
            "“It’s a dog whistle,” Rep. Gwen Moore (D-Wis.) said Friday.",
            ents,
        );
        assert_eq!(got, vec![q("It’s a dog whistle,", Some("Gwen Moore"))]);
        let got = speakers(
            "“I admire the mechanics” of the proposals, Mr. Holtz said. “They’re detailed.”",
            ents,
        );
        assert_eq!(
            got,
            vec![
                q("I admire the mechanics", Some("Doug Holtz")),
                q("They’re detailed.", Some("Doug Holtz")),
            ]
        );
    }

    #[test]
    fn sign_offs_and_sentence_initial_inversion() {
        let ents: &[(&str, EntityType, &[&str])] = &[("Ana Ruiz", PERSON, &["Ana Ruiz", "Ruiz"])];
        let got = speakers("“We deserve better.” ― Ana Ruiz", ents);
        assert_eq!(got, vec![q("We deserve better.", Some("Ana Ruiz"))]);
        let got = speakers("Said Ruiz: “We deserve better.”", ents);
        assert_eq!(got, vec![q("We deserve better.", Some("Ana Ruiz"))]);
    }

    #[test]
    fn a_quote_after_reported_speech_belongs_to_its_speaker() {
        let ents: &[(&str, EntityType, &[&str])] = &[("Adam Schiff", PERSON, &["Schiff"])];
        let got = speakers(
            "The administration may be reluctant to act, Schiff said. “The other factor is timing.”",
            ents,
        );
        assert_eq!(
            got,
            vec![q("The other factor is timing.", Some("Adam Schiff"))]
        );
        let got = speakers(
            "During a speech, Schiff attacked the plan, saying, “It is reckless.”",
            ents,
        );
        assert_eq!(got, vec![q("It is reckless.", Some("Adam Schiff"))]);
    }

    #[test]
    fn speech_verbs_used_as_nouns_are_not_verbs() {
        let got = speakers(
            "“No comment,” Ann Lee, who leads one of the states and the reports office, said.",
            &[("Ann Lee", PERSON, &["Ann Lee"])],
        );
        assert_eq!(got, vec![q("No comment,", Some("Ann Lee"))]);
    }

    #[test]
    fn pathological_inputs_stay_linear() {
        let many_singles = "'a ".repeat(20_000);
        let many_doubles = "he said “a ".repeat(5_000);
        let many_quotes = "“a” ".repeat(5_000) + "he said.";
        for text in [many_singles, many_doubles, many_quotes] {
            let mut doc = doc_with(&text, &[]);
            QuotesStage.run(&mut doc).unwrap();
        }
    }

    #[test]
    fn odd_inputs_do_not_panic() {
        for text in [
            "“",
            "”",
            "\"",
            "'",
            "“”",
            "“ ”",
            "a “b",
            "”a“",
            "said “",
            "“x” said",
            "‘",
            "“a\n\n“b\n\n“c",
            "he said “‘”’",
            "according to",
            "according to “x”",
        ] {
            let mut doc = doc_with(text, &[]);
            QuotesStage.run(&mut doc).unwrap();
        }
    }
}
