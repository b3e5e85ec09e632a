//! Speakers: what the noun phrase an attribution rests on stands for, and how we know
//! ([`SpeakerVia`]).
//!
//! The phrase's head is its last word before any "of", "for", "at", "in" … ("the leader of
//! the group", "a spokesperson for Acme", "a narrator in the ad"). In order:
//!
//! 1. a lone pronoun is resolved by coreference (`coreference`): via `pronoun`;
//! 2. a head inside an entity mention makes that entity the speaker: via `name`;
//! 3. a description with a name in apposition beside it ("Cloudflare, the security firm,
//!    said", "said the security firm, Cloudflare") takes the name — the reader takes the
//!    name too: via `name`. An apposition before the phrase is closed by a comma after it:
//!    in "Clinton, a top aide said, …" the aide is someone else;
//! 4. a definite description is resolved to the entity it describes (`coreference`): "the
//!    minister" to the person whose role says so, "the company" or "its statement" to the
//!    organisation it names or the one the article is about, "the 42-year-old" to the last
//!    person: via `description`;
//! 5. anything else is a source known only by its words ("a senior official", "critics"): via
//!    `noun_phrase`, with the entity it speaks for as its affiliation when the phrase names
//!    one ("a spokesperson for Acme", "an Acme spokeswoman").

use std::ops::Range;

use super::context::{Context, MentionRef};
use super::word_classes::{is_affiliation_link, is_subject_pronoun, lower};
use crate::pipeline::doc::{EntityType, Span, Speaker, SpeakerVia};
use crate::text::titles::is_title_head;

impl Context<'_> {
    /// The speaker a noun phrase (token range) stands for.
    pub(super) fn speaker(&self, np: Range<usize>) -> Option<Speaker> {
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
        let head = self.head_of(&np);
        if let Some(m) = self.mention_at(head) {
            return Some(self.entity_speaker(m));
        }
        if let Some(m) = self.apposed_name(&np) {
            return Some(self.entity_speaker(m));
        }
        if let Some(e) = self.described(&np, head, span.start) {
            return Some(self.named(e, span, SpeakerVia::Description));
        }
        Some(Speaker {
            name: span.text(self.text).to_string(),
            entity: None,
            span,
            via: SpeakerVia::NounPhrase,
            affiliation: self.affiliation(&np, head),
        })
    }

    /// The head of a noun phrase: its last word before any "of", "for", "at", "with", "in" or
    /// "from".
    fn head_of(&self, np: &Range<usize>) -> usize {
        let mut buf = [0u8; 24];
        (np.start + 1..np.end)
            .find(|&k| is_affiliation_link(lower(self.word(k), &mut buf)))
            .map_or(np.end - 1, |k| k - 1)
    }

    /// A person or organisation named in apposition right beside the phrase: `X, the …` before
    /// it or `the …, X` after it.
    fn apposed_name(&self, np: &Range<usize>) -> Option<&MentionRef> {
        let speaks = |m: &&MentionRef| matches!(m.kind, EntityType::Person | EntityType::Org);
        let before = np
            .start
            .checked_sub(2)
            .filter(|&k| self.word(k + 1) == "," && self.word(np.end) == ",")
            .and_then(|k| self.mention_at(k))
            .filter(speaks);
        let after = || {
            (self.word(np.end) == ",")
                .then(|| self.mention_at(np.end + 1))
                .flatten()
                .filter(speaks)
                .filter(|m| {
                    let end = self.tokens.partition_point(|t| t.end <= m.span.end);
                    matches!(self.word(end), "," | "." | "said" | "says")
                })
        };
        before.or_else(after)
    }

    /// The entity an affiliated noun-phrase speaker speaks for: a mention inside the phrase
    /// before a person head ("an Acme spokeswoman") or after it ("a spokesperson for Acme").
    fn affiliation(&self, np: &Range<usize>, head: usize) -> Option<usize> {
        if !is_title_head(self.word(head)) {
            return None;
        }
        let kind_ok = |m: &&MentionRef| {
            matches!(
                m.kind,
                EntityType::Org | EntityType::Person | EntityType::Loc
            )
        };
        (np.start..head)
            .filter_map(|k| self.mention_at(k))
            .find(kind_ok)
            .or_else(|| {
                (head + 2..np.end)
                    .filter_map(|k| self.mention_at(k))
                    .find(kind_ok)
            })
            .map(|m| m.entity)
    }

    /// The speaker for entity mention `m`, named by the attribution.
    pub(super) fn entity_speaker(&self, m: &MentionRef) -> Speaker {
        self.named(m.entity, m.span, SpeakerVia::Name)
    }

    /// Entity `e` as the speaker, resting on `span`, found `via`.
    pub(super) fn named(&self, e: usize, span: Span, via: SpeakerVia) -> Speaker {
        Speaker {
            name: self
                .doc
                .entities
                .get(e)
                .map_or_else(|| span.text(self.text).to_string(), |x| x.name.clone()),
            entity: Some(e),
            span,
            via,
            affiliation: None,
        }
    }

    /// A pronoun resolved by coreference; unresolved, the pronoun itself.
    pub(super) fn pronoun(&self, word: &str, span: Span) -> Speaker {
        match self.antecedent(word, span.start) {
            Some(e) => self.named(e, span, SpeakerVia::Pronoun),
            None => Speaker {
                name: span.text(self.text).to_string(),
                entity: None,
                span,
                via: SpeakerVia::Pronoun,
                affiliation: None,
            },
        }
    }
}
