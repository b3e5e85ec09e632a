//! Gender evidence for the people of an article: which of "he" and "she" can stand for each
//! person entity.
//!
//! A reader knows that "she said" after "Donald Trump met Hillary Clinton" is Clinton's, from
//! three kinds of evidence, weighed here in this order:
//!
//! 1. **the article's own words** — an honorific before a mention ("Mr Walsh", "Ms Ardern",
//!    "Sir Keir", "Dame Judi"), a gendered role ("spokeswoman", "congressman", "actress"), and
//!    pronouns the article binds to the name (a reflexive right after it: "Smith described
//!    himself as …");
//! 2. **the first name**, looked up in a list built from the US Social Security baby-name counts
//!    (`data/names/first-names.tsv`, see its README): a name given to girls 95 % of the time or
//!    more is female evidence, 5 % or less male; anything between says nothing.
//!
//! The article's words outvote the list, and evidence that conflicts leaves the gender unknown.
//! The article's words rule a person out for the other pronoun; the list, which only says what
//! most people of that name are, merely ranks them (`coreference`). An unknown gender is
//! compatible with both pronouns: evidence rules candidates out or ranks them, never invents a
//! person.

use std::sync::OnceLock;

use super::context::Context;
use super::word_classes::lower;
use crate::pipeline::doc::EntityType;
use crate::text::titles::is_honorific;

/// How many tokens after a mention a reflexive pronoun binds to it.
const REFLEXIVE_REACH: usize = 6;

/// The first-name list: `name<TAB>percent female`, sorted by name.
const FIRST_NAMES: &str = include_str!("../../../data/names/first-names.tsv");

/// The least share of girls (percent) that makes a first name female evidence; 100 minus it
/// is the most for male evidence.
const CLEAR_SHARE: u8 = 95;

/// What the evidence says about a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum Gender {
    /// No evidence, or evidence both ways.
    #[default]
    Unknown,
    /// Referred to as "he".
    Male,
    /// Referred to as "she".
    Female,
}

impl Gender {
    /// The gender a third-person singular pronoun (lower case) refers to, if it is one.
    pub(super) fn of_pronoun(word: &str) -> Option<Gender> {
        match word {
            "he" | "him" | "his" | "himself" => Some(Gender::Male),
            "she" | "her" | "hers" | "herself" => Some(Gender::Female),
            _ => None,
        }
    }

    /// Whether a pronoun of gender `wanted` may refer to a person of this gender.
    pub(super) fn admits(self, wanted: Gender) -> bool {
        self == Gender::Unknown || self == wanted
    }
}

/// Votes for each gender, from one kind of evidence.
#[derive(Debug, Clone, Copy, Default)]
struct Votes {
    male: u32,
    female: u32,
}

impl Votes {
    fn add(&mut self, g: Gender) {
        match g {
            Gender::Male => self.male += 1,
            Gender::Female => self.female += 1,
            Gender::Unknown => {}
        }
    }

    /// The gender the votes agree on, if they do.
    fn verdict(self) -> Gender {
        match (self.male > 0, self.female > 0) {
            (true, false) => Gender::Male,
            (false, true) => Gender::Female,
            _ => Gender::Unknown,
        }
    }
}

/// The share of girls (percent) among the babies given `name` (any case), if it is listed.
pub(super) fn female_share(name: &str) -> Option<u8> {
    static TABLE: OnceLock<Vec<(&'static str, u8)>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        FIRST_NAMES
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let (name, share) = l.split_once('\t')?;
                Some((name, share.parse().ok()?))
            })
            .collect()
    });
    let folded = fold_name(name)?;
    table
        .binary_search_by(|(n, _)| n.cmp(&folded.as_str()))
        .ok()
        .map(|i| table[i].1)
}

/// `name` in the list's form: lower case, Latin accents dropped ("Michèle" → "michele"); `None`
/// when a character is not a Latin letter.
fn fold_name(name: &str) -> Option<String> {
    name.chars()
        .map(|c| {
            let plain = match c {
                'à'..='å' | 'À'..='Å' => 'a',
                'ç' | 'Ç' => 'c',
                'è'..='ë' | 'È'..='Ë' => 'e',
                'ì'..='ï' | 'Ì'..='Ï' => 'i',
                'ñ' | 'Ñ' => 'n',
                'ò'..='ö' | 'Ò'..='Ö' | 'ø' | 'Ø' => 'o',
                'ù'..='ü' | 'Ù'..='Ü' => 'u',
                'ý' | 'ÿ' | 'Ý' => 'y',
                c if c.is_ascii_alphabetic() => c.to_ascii_lowercase(),
                _ => return None,
            };
            Some(plain)
        })
        .collect()
}

/// The gender a first name is clear evidence of.
fn first_name_gender(name: &str) -> Gender {
    match female_share(name) {
        Some(s) if s >= CLEAR_SHARE => Gender::Female,
        Some(s) if s <= 100 - CLEAR_SHARE => Gender::Male,
        _ => Gender::Unknown,
    }
}

/// The gender an honorific addresses ("Mr" male, "Ms" female; "Dr" neither).
fn honorific_gender(word: &str) -> Gender {
    match word.trim_end_matches('.') {
        "Mr" | "Sir" | "Lord" | "Messrs" => Gender::Male,
        "Mrs" | "Ms" | "Miss" | "Dame" | "Lady" | "Mme" | "Mlle" => Gender::Female,
        _ => Gender::Unknown,
    }
}

/// The gender a role's words give ("spokeswoman", "congressman"), if any.
fn role_gender(role: &str) -> Gender {
    let mut votes = Votes::default();
    for word in role.split(|c: char| !c.is_alphabetic()) {
        let mut buf = [0u8; 24];
        let w = lower(word, &mut buf);
        let g = if w.ends_with("woman") || w.ends_with("women") {
            Gender::Female
        } else if w.ends_with("man") && w.len() > 3 && !matches!(w, "human" | "german" | "roman") {
            Gender::Male
        } else {
            match w {
                "actress" | "queen" | "princess" | "duchess" | "wife" | "mother" | "daughter"
                | "sister" | "widow" | "girl" => Gender::Female,
                "king" | "prince" | "duke" | "husband" | "father" | "son" | "brother" | "boy" => {
                    Gender::Male
                }
                _ => Gender::Unknown,
            }
        };
        votes.add(g);
    }
    votes.verdict()
}

/// What the article says about one entity as a person.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct PersonEvidence {
    /// Its gender, by the evidence of the module docs.
    pub(super) gender: Gender,
    /// Whether the gender rests on the article's own words (an honorific, a role, a
    /// reflexive), not only on the first-name list.
    pub(super) stated: bool,
    /// Whether anything but the NER model's type shows it is a person: a listed first name
    /// before a surname, an honorific, a role or a pronoun bound to it.
    pub(super) plainly_a_person: bool,
}

impl Context<'_> {
    /// The evidence on every entity (nothing for anything but people).
    pub(super) fn person_evidence(&self) -> Vec<PersonEvidence> {
        let mut words = vec![Votes::default(); self.doc.entities.len()];
        let mut addressed = vec![false; self.doc.entities.len()];
        for m in &self.mentions {
            if m.kind != EntityType::Person {
                continue;
            }
            let first = self.tokens.partition_point(|t| t.start < m.span.start);
            if let Some(before) = first.checked_sub(1) {
                let word = self.word(before);
                if is_honorific(word) {
                    addressed[m.entity] = true;
                    words[m.entity].add(honorific_gender(word));
                }
            }
            words[m.entity].add(self.bound_pronoun(first, m.span.end));
        }
        self.doc
            .entities
            .iter()
            .zip(words)
            .zip(addressed)
            .map(|((e, mut votes), addressed)| {
                if e.kind != EntityType::Person {
                    return PersonEvidence::default();
                }
                for role in &e.roles {
                    votes.add(role_gender(role));
                }
                let mut parts = e.name.split_whitespace();
                let first_name = parts.next().filter(|_| parts.next().is_some());
                let listed = first_name.is_some_and(|n| female_share(n).is_some());
                let stated = votes.male + votes.female > 0;
                let gender = match votes.verdict() {
                    Gender::Unknown if !stated => {
                        first_name.map_or(Gender::Unknown, first_name_gender)
                    }
                    g => g,
                };
                PersonEvidence {
                    gender,
                    stated: stated && gender != Gender::Unknown,
                    plainly_a_person: listed
                        || addressed
                        || !e.roles.is_empty()
                        || votes.male + votes.female > 0,
                }
            })
            .collect()
    }

    /// The gender of a reflexive pronoun right after a person's mention (tokens from `first`,
    /// the mention ending at byte `end`), in its sentence, outside quotes and with no other
    /// name between: "Smith described himself as …". Only a reflexive binds reliably: "Trump
    /// said she …" and "Trump attacked her record" are about someone else.
    fn bound_pronoun(&self, first: usize, end: usize) -> Gender {
        let Some(sentence) = self.sentence_of(first) else {
            return Gender::Unknown;
        };
        let after = first + self.tokens[first..].partition_point(|t| t.start < end);
        for k in after..sentence.tokens.end.min(after + REFLEXIVE_REACH) {
            if self.in_quote(k) || self.mention_at(k).is_some() {
                return Gender::Unknown;
            }
            let mut buf = [0u8; 24];
            match lower(self.word(k), &mut buf) {
                "himself" => return Gender::Male,
                "herself" => return Gender::Female,
                _ => {}
            }
        }
        Gender::Unknown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_sorted_and_knows_common_names() {
        let lines: Vec<&str> = FIRST_NAMES
            .lines()
            .filter(|l| !l.starts_with('#'))
            .collect();
        assert!(lines.len() > 10_000);
        assert!(
            lines.windows(2).all(|w| w[0] < w[1]),
            "sorted for binary search"
        );
        assert_eq!(first_name_gender("Hillary"), Gender::Female);
        assert_eq!(first_name_gender("Donald"), Gender::Male);
        assert_eq!(first_name_gender("Michèle"), Gender::Female);
        assert_eq!(
            first_name_gender("Jordan"),
            Gender::Unknown,
            "given to both"
        );
        assert_eq!(first_name_gender("Acme"), Gender::Unknown, "not a name");
        assert_eq!(female_share("Zxqv"), None);
    }

    #[test]
    fn honorifics_and_roles() {
        assert_eq!(honorific_gender("Mr."), Gender::Male);
        assert_eq!(honorific_gender("Dame"), Gender::Female);
        assert_eq!(honorific_gender("Dr"), Gender::Unknown);
        assert_eq!(role_gender("Acme spokeswoman"), Gender::Female);
        assert_eq!(role_gender("Texas congressman"), Gender::Male);
        assert_eq!(role_gender("German chancellor"), Gender::Unknown);
        assert!(Gender::Unknown.admits(Gender::Female));
        assert!(!Gender::Male.admits(Gender::Female));
    }
}
