//! Speakers: what the noun phrase an attribution rests on stands for.
//!
//! The phrase's head is its last word before any "of" ("the leader of the group"). When the
//! head is part of an entity mention, the speaker is that entity (its canonical name, the
//! mention's span). Pronouns resolve to the most recent compatible entity outside quotes
//! (he/she → person, it → organisation, they → organisation). The nouns through which an
//! organisation speaks — "the website", "its statement", "the organisation" — resolve to the
//! organisation the phrase names ("NATO’s website") or else to the most salient organisation
//! mentioned in the last few paragraphs. Other sources ("a senior official", "critics") are
//! speakers by their noun phrase, with no entity.

use std::ops::Range;

use super::context::{Context, MentionRef};
use super::word_classes::{is_organisation_voice, is_subject_pronoun, lower};
use crate::pipeline::doc::{EntityType, Span, Speaker};

/// How many paragraphs back a pronoun or "the website" may look for its entity.
const RESOLUTION_PARAGRAPHS: usize = 3;

/// How many mentions back a pronoun or "the website" may look at.
const MAX_CANDIDATES: usize = 200;

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
    pub(super) fn entity_speaker(&self, m: &MentionRef) -> Speaker {
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
