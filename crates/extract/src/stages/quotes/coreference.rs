//! Coreference for speakers: the entity a pronoun ("he said") or a definite description ("the
//! minister said") stands for, found as a careful reader finds it.
//!
//! **Pronouns.** The candidates are the entity mentions before the pronoun, outside quotes
//! (words inside a quote are someone's speech, not the narrative), within the last few
//! paragraphs, newest first.
//!
//! * "he" and "she" stand only for people, never an organisation or a place, and never for a
//!   person the article itself genders otherwise ("Ms Smith", "spokeswoman"; see `gender`).
//!   Each candidate costs its distance in sentences, plus a little when it is not the first
//!   name of its sentence (a reader follows the subject; a possessor, "Mr Brown’s aides", is
//!   none), plus a penalty for weak evidence:
//!   none for a person whose gender matches, a little for one whose gender is unknown but who
//!   is plainly a person (a first name, an honorific, a role), more for one whose first name
//!   says the other gender (the list says what most people of a name are, not what this one
//!   is), most for a name with no sign of being a person at all (a charity the NER model typed
//!   as one). The cheapest wins, the newest on ties — so "she" after "Hillary Clinton met
//!   Donald Trump" is Clinton, and a museum typed PERSON loses to the person named just before
//!   it.
//! * "it" stands for an organisation; "they" for an organisation mentioned in the last two
//!   sentences (a plural "they" is more often "officials" than a company). "we" is left as it
//!   is.
//!
//! **Definite descriptions** ("the …", "this …", "its …"):
//!
//! * an organisation's voice — "the company", "the campaign", "the website", "its
//!   statement" — is the organisation the phrase names ("NATO's website") or else the one
//!   mentioned most in the last few paragraphs;
//! * a title — "the minister", "the senator", "the former secretary" — is the latest person
//!   whose roles (from the `roles` stage) hold that word;
//! * an age — "the 42-year-old" — is the latest person.
//!
//! Anything unresolved stays a noun phrase: a wrong entity is worse than none.

use std::ops::Range;

use super::context::{Context, MentionRef};
use super::gender::Gender;
use super::word_classes::{is_organisation_voice, lower};
use crate::pipeline::doc::EntityType;
use crate::text::titles::is_title_head;

/// How many paragraphs back a pronoun or description may look for its entity.
const RESOLUTION_PARAGRAPHS: usize = 3;

/// How many mentions back a pronoun or description may look at.
const MAX_CANDIDATES: usize = 200;

/// How many sentences back "they" may find an organisation.
const THEY_SENTENCES: usize = 2;

/// What a sentence of distance costs a pronoun's candidate; the other costs are in the same
/// unit, half a sentence.
const SENTENCE_COST: usize = 2;

/// The extra cost of a candidate that is not its sentence's first name (not its subject).
const NOT_SUBJECT_COST: usize = 2;

/// The extra cost of a person of unknown gender.
const UNKNOWN_GENDER_COST: usize = 1;

/// The extra cost of a person whose first name says the other gender.
const OTHER_FIRST_NAME_COST: usize = 3;

/// The extra cost of a name with no sign of being a person's.
const NOT_PLAINLY_A_PERSON_COST: usize = 5;

impl Context<'_> {
    /// The entity pronoun `word` (lower case) at byte `pos` stands for, if any.
    pub(super) fn antecedent(&self, word: &str, pos: usize) -> Option<usize> {
        let here = self.sentence_index_at(pos);
        match word {
            "he" | "she" => {
                let wanted = Gender::of_pronoun(word)?;
                let mut best: Option<(usize, usize)> = None;
                for m in self.recent_mentions(pos) {
                    let sentence = self.sentence_index_at(m.span.start);
                    let distance = SENTENCE_COST * here.saturating_sub(sentence);
                    if best.is_some_and(|(cost, _)| distance > cost) {
                        break;
                    }
                    let Some(cost) = self.person_cost(m, wanted) else {
                        continue;
                    };
                    let cost = distance + cost + NOT_SUBJECT_COST * usize::from(!self.leads(m));
                    if best.is_none_or(|(c, _)| cost < c) {
                        best = Some((cost, m.entity));
                    }
                }
                best.map(|(_, e)| e)
            }
            "it" => self
                .recent_mentions(pos)
                .find(|m| m.kind == EntityType::Org)
                .map(|m| m.entity),
            "they" => self
                .recent_mentions(pos)
                .take_while(|m| here - self.sentence_index_at(m.span.start) <= THEY_SENTENCES)
                .find(|m| m.kind == EntityType::Org)
                .map(|m| m.entity),
            _ => None,
        }
    }

    /// What taking mention `m` for a pronoun of gender `wanted` costs beyond its distance;
    /// `None` when it cannot be: not a person, or a person of the other gender.
    fn person_cost(&self, m: &MentionRef, wanted: Gender) -> Option<usize> {
        if m.kind != EntityType::Person {
            return None;
        }
        let person = self.people.get(m.entity)?;
        if !person.gender.admits(wanted) && person.stated {
            return None;
        }
        Some(if person.gender == wanted {
            0
        } else if person.gender != Gender::Unknown {
            OTHER_FIRST_NAME_COST
        } else if person.plainly_a_person {
            UNKNOWN_GENDER_COST
        } else {
            NOT_PLAINLY_A_PERSON_COST
        })
    }

    /// The entity the definite description `np` (head token `head`, starting at byte `pos`)
    /// stands for, if any.
    pub(super) fn described(&self, np: &Range<usize>, head: usize, pos: usize) -> Option<usize> {
        let mut buf = [0u8; 24];
        let determiner = lower(self.word(np.start), &mut buf).to_string();
        if !matches!(determiner.as_str(), "the" | "this" | "its" | "that") {
            return None;
        }
        let head_word = lower(self.word(head), &mut buf).to_string();
        if is_organisation_voice(&head_word) {
            return (np.start..head)
                .filter_map(|k| self.mention_at(k))
                .find(|m| m.kind == EntityType::Org)
                .map(|m| m.entity)
                .or_else(|| self.salient_org(pos));
        }
        if determiner == "its" {
            return None;
        }
        let people = || {
            self.recent_mentions(pos)
                .filter(|m| m.kind == EntityType::Person)
        };
        if head_word.ends_with("-year-old") {
            return people().next().map(|m| m.entity);
        }
        if is_title_head(&head_word) {
            return people()
                .find(|m| {
                    self.doc.entities.get(m.entity).is_some_and(|e| {
                        e.roles.iter().any(|r| {
                            r.split(|c: char| !c.is_alphanumeric() && c != '-')
                                .any(|w| w.eq_ignore_ascii_case(&head_word))
                        })
                    })
                })
                .map(|m| m.entity);
        }
        None
    }

    /// Whether mention `m` is the first mention of its sentence outside quotes and no
    /// possessor, where the subject usually is.
    fn leads(&self, m: &MentionRef) -> bool {
        let token = self.tokens.partition_point(|t| t.end <= m.span.start);
        let Some(sentence) = self.sentence_of(token) else {
            return false;
        };
        let start = self
            .tokens
            .get(sentence.tokens.start)
            .map_or(0, |t| t.start);
        let first = self.mentions.partition_point(|x| x.span.start < start);
        self.mentions[first..]
            .iter()
            .find(|x| !self.pos_in_quote(x.span.start) && !self.possessor(x))
            .is_some_and(|x| x.span == m.span)
    }

    /// Whether mention `m` is a possessor (`Mr Brown’s closest aides`): no subject.
    fn possessor(&self, m: &MentionRef) -> bool {
        let next = self.tokens.partition_point(|t| t.start < m.span.end);
        matches!(self.word(next), "’s" | "'s" | "’" | "'")
    }

    /// The index of the sentence holding byte `pos` (the one before, between sentences).
    fn sentence_index_at(&self, pos: usize) -> usize {
        let token = self.tokens.partition_point(|t| t.end <= pos);
        self.sentences.partition_point(|s| s.tokens.end <= token)
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
