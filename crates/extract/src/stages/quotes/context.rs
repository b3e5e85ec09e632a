//! What every scan of attribution reads: the document, its entity mentions by position, the
//! evidence on who is a person of which gender, and the spans already inside quotes, with
//! lookups by token.
//!
//! Attribution walks tokens back and forth from each quote and keeps asking the same
//! questions — which word is this, is it inside a quote, which sentence or paragraph holds it,
//! which entity mention covers it. [`Context`] answers each by a binary search over data
//! sorted once per document, so no scan costs more than its own length.

use super::gender::PersonEvidence;
use super::spans::Marked;
use super::verbs::is_speech_verb;
use super::word_classes::{is_determiner, lower};
use crate::pipeline::doc::{EntityType, Span};
use crate::pipeline::Doc;
use crate::text::sentences::Sentence;
use crate::text::tokens::{Token, TokenKind};

/// An entity mention, for lookups by position.
#[derive(Debug, Clone, Copy)]
pub(super) struct MentionRef {
    /// Where the mention is.
    pub(super) span: Span,
    /// The index of its entity in `Doc::entities`.
    pub(super) entity: usize,
    /// The entity's type.
    pub(super) kind: EntityType,
}

/// Everything attribution reads, with lookups by token.
pub(super) struct Context<'a> {
    /// The document's text, which every offset points into.
    pub(super) text: &'a str,
    /// Its tokens.
    pub(super) tokens: &'a [Token],
    /// Its sentences, in order.
    pub(super) sentences: &'a [Sentence],
    /// Its paragraphs, in order.
    pub(super) paragraphs: &'a [Span],
    /// The document, for its entities.
    pub(super) doc: &'a Doc,
    /// Every entity mention, by start.
    pub(super) mentions: Vec<MentionRef>,
    /// What the article says about each entity as a person (gender, plainly a person).
    pub(super) people: Vec<PersonEvidence>,
    /// Spans covered by quotes, marks included, in order.
    quoted: Vec<Span>,
    /// The speaker labels opening the article's quotes (`“WALLACE: …”`, `“PENCE: …”`), in
    /// order, one per quote.
    pub(super) labels: Vec<&'a str>,
}

impl<'a> Context<'a> {
    /// The context of `doc`, whose quotes are `marked`.
    pub(super) fn new(doc: &'a Doc, marked: &[Marked]) -> Self {
        let mut mentions: Vec<MentionRef> = doc
            .entities
            .iter()
            .enumerate()
            .flat_map(|(i, e)| {
                e.mentions.iter().map(move |&span| MentionRef {
                    span: without_headline_verb(&doc.text, span),
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
        let mut ctx = Context {
            text: &doc.text,
            tokens: &doc.tokens,
            sentences: &doc.sentences,
            paragraphs: &doc.paragraphs,
            doc,
            mentions,
            people: Vec::new(),
            quoted,
            labels: Vec::new(),
        };
        ctx.people = ctx.person_evidence();
        ctx.labels = marked.iter().filter_map(|q| ctx.label(q)).collect();
        ctx
    }

    /// Whether token `k` is a speech verb used as a verb: "reports" and "claims" after a
    /// determiner or preposition are nouns. "put" counts before "it" (`as Smith put it`).
    pub(super) fn speech_verb_at(&self, k: usize) -> bool {
        let mut buf = [0u8; 24];
        let word = lower(self.word(k), &mut buf);
        if word == "put" {
            // `As Smith put it, “…”`.
            return self.word(k + 1) == "it";
        }
        if !is_speech_verb(word) {
            return false;
        }
        let before = k.checked_sub(1).map_or("", |b| self.word(b));
        let before = lower(before, &mut buf);
        !(is_determiner(before) || matches!(before, "of" | "in" | "for" | "with" | "on" | "by"))
    }

    /// The token's text.
    pub(super) fn word(&self, i: usize) -> &'a str {
        self.tokens.get(i).map_or("", |t| t.text(self.text))
    }

    /// Whether token `i` lies inside a quote or is a mark.
    pub(super) fn in_quote(&self, i: usize) -> bool {
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
    pub(super) fn pos_in_quote(&self, pos: usize) -> bool {
        let k = self.quoted.partition_point(|q| q.end <= pos);
        self.quoted.get(k).is_some_and(|q| q.start <= pos)
    }

    /// The sentence holding token `i`.
    pub(super) fn sentence_of(&self, i: usize) -> Option<&'a Sentence> {
        let k = self.sentences.partition_point(|s| s.tokens.end <= i);
        self.sentences.get(k).filter(|s| s.tokens.contains(&i))
    }

    /// The paragraph holding byte `pos`.
    pub(super) fn paragraph_of(&self, pos: usize) -> usize {
        self.paragraphs
            .partition_point(|p| p.end < pos)
            .min(self.paragraphs.len().saturating_sub(1))
    }

    /// The mention covering token `i`.
    pub(super) fn mention_at(&self, i: usize) -> Option<&MentionRef> {
        let t = self.tokens.get(i)?;
        let k = self.mentions.partition_point(|m| m.span.start <= t.start);
        self.mentions[..k]
            .iter()
            .rev()
            .take(4)
            .find(|m| m.span.end >= t.end)
    }
}

/// `span` without a capitalised speech verb in "-s" ending it: a headline in title case runs
/// its verb into the name before it ("Lindsey Graham Says", "Hillary Clinton Speaks"), and the
/// verb is the attribution's, not part of the speaker's name.
fn without_headline_verb(text: &str, span: Span) -> Span {
    let Some(words) = text.get(span.start..span.end) else {
        return span;
    };
    let Some((name, last)) = words.trim_end().rsplit_once(' ') else {
        return span;
    };
    let mut buf = [0u8; 24];
    let verb = last.len() > 3
        && last.ends_with('s')
        && last.starts_with(char::is_uppercase)
        && is_speech_verb(lower(last, &mut buf));
    if verb && !name.trim_end().is_empty() {
        Span::new(span.start, span.start + name.trim_end().len())
    } else {
        span
    }
}
