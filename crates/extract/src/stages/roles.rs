//! Roles: the titles and descriptions the article attaches to each person, stored on the
//! person's entity (`Entity::roles`), deduplicated, in order of appearance.
//!
//! Two patterns are read around every mention of a PERSON entity, within its sentence:
//!
//! * **pre-nominal titles**, directly before the name: "NATO chief Mark Rutte", "US Defence
//!   Secretary Pete Hegseth", "retired Adm. James G. Stavridis", "a former US government
//!   official Michèle A. Flournoy". The word right before the name must be a title head from
//!   the text layer's lexicon ([`crate::text::titles`], which the `ner` stage also reads to
//!   keep titles out of names: president, minister, secretary, chief, official, Adm., …;
//!   either part of a hyphenated word such as "Secretary-General"). The title then extends
//!   leftwards over capitalised words (nationalities, organisations, countries, portfolios:
//!   "Ukrainian", "NATO", "US", "Defence") and lower-case title modifiers ("former",
//!   "retired", "deputy", "government", …), and stops at a determiner, a verb or any other
//!   lower-case word (lower-case heads too: in "to host President X", "host" is a verb),
//!   punctuation, a possessive or another person's name. Honorifics ("Mr", "Mrs", "Dr") are
//!   not roles.
//! * **appositives**, right after the name: "Elon Musk, the billionaire who heads …, agrees"
//!   and "James G. Stavridis, the former supreme allied commander of NATO, had". The
//!   appositive opens with a comma and a determiner ("a", "an", "the"; dropped from the role)
//!   or a title word, runs at most 24 tokens with balanced brackets, contains a lower-case
//!   content word and no reporting verb, quotation mark or other person's name ("Walsh,
//!   finance chief Brian Dunne and …" is a list), and is closed by a comma — or by the end of
//!   the sentence when the name is not the sentence's subject. "Musk, Trump and Putin" and
//!   "Putin, the Kremlin said," are not appositives.
//!
//! Roles attach to the entity of the mention they were found at, so titles written at
//! different mentions of one person ("President Zelenskyy", "Ukrainian President Zelensky")
//! all land on the one entity.

use std::collections::HashMap;
use std::ops::Range;

use crate::ner::EntityType;
use crate::pipeline::{Doc, Stage, StageError};
use crate::text::titles::{is_honorific, is_portfolio, is_title_head};
use crate::text::tokens::{Token, TokenKind};

/// Fills `roles` on the PERSON entities.
pub struct RolesStage;

impl Stage for RolesStage {
    fn name(&self) -> &'static str {
        "roles"
    }

    fn english_only(&self) -> bool {
        true
    }

    fn run(&self, doc: &mut Doc) -> Result<(), StageError> {
        let entity_at: HashMap<usize, usize> = doc
            .entities
            .iter()
            .enumerate()
            .filter(|(_, e)| e.kind == EntityType::Person)
            .flat_map(|(i, e)| e.mentions.iter().map(move |s| (s.start, i)))
            .collect();
        let person_mentions: Vec<(Range<usize>, usize)> = doc
            .mentions
            .iter()
            .filter_map(|m| Some((m.tokens.clone(), *entity_at.get(&m.span.start)?)))
            .collect();
        let mut in_person = vec![false; doc.tokens.len()];
        for (range, _) in &person_mentions {
            for flag in in_person.get_mut(range.clone()).unwrap_or(&mut []) {
                *flag = true;
            }
        }
        let text = doc.text.as_str();
        let tokens = doc.tokens.as_slice();
        for (range, entity) in person_mentions {
            let sentence = doc
                .sentences
                .get(
                    doc.sentences
                        .partition_point(|s| s.tokens.end <= range.start),
                )
                .map_or(0..tokens.len(), |s| s.tokens.clone());
            let found = [
                title_before(text, tokens, sentence.start, range.start, &in_person),
                appositive_after(text, tokens, sentence.clone(), range.clone(), &in_person),
            ];
            for role in found.into_iter().flatten() {
                let role = role_text(text, tokens, role);
                let roles = &mut doc.entities[entity].roles;
                if !roles.iter().any(|r| r.eq_ignore_ascii_case(&role)) {
                    roles.push(role);
                }
            }
        }
        Ok(())
    }
}

/// The text of a token range, whitespace runs made single spaces.
fn role_text(text: &str, tokens: &[Token], range: Range<usize>) -> String {
    let span = text
        .get(tokens[range.start].start..tokens[range.end - 1].end)
        .unwrap_or("");
    span.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The token range of a pre-nominal title ending right before the name at `name_start`
/// (see the module doc); `in_person` marks tokens of person mentions.
pub fn title_before(
    text: &str,
    tokens: &[Token],
    sentence_start: usize,
    name_start: usize,
    in_person: &[bool],
) -> Option<Range<usize>> {
    let head = name_start.checked_sub(1).filter(|&h| h >= sentence_start)?;
    let blocked = |i: usize| in_person.get(i).copied().unwrap_or(false);
    let token = tokens.get(head)?;
    if token.kind != TokenKind::Word || blocked(head) || !is_title_head(token.text(text)) {
        return None;
    }
    let mut start = head;
    while start > sentence_start {
        let token = &tokens[start - 1];
        let word = token.text(text);
        let lower = word.to_lowercase();
        let fits = token.kind == TokenKind::Word
            && !blocked(start - 1)
            && !is_stop_word(&lower)
            && !is_honorific(word)
            && (word.starts_with(char::is_uppercase) || is_title_modifier(&lower));
        if !fits {
            break;
        }
        start -= 1;
    }
    Some(start..name_start)
}

/// The token range of an appositive description after the name ending at `name_end`,
/// without its determiner (see the module doc).
pub fn appositive_after(
    text: &str,
    tokens: &[Token],
    sentence: Range<usize>,
    name: Range<usize>,
    in_person: &[bool],
) -> Option<Range<usize>> {
    const MAX_TOKENS: usize = 24;
    let sentence_end = sentence.end.min(tokens.len());
    let name_end = name.end;
    // A sentence's subject needs its verb after the appositive: "Putin, the US and Britain
    // met." is a list, while "They met John Smith, a teacher." may end at the full stop.
    let opens_sentence = name.start <= sentence.start;
    if tokens.get(name_end)?.text(text) != "," {
        return None;
    }
    let first = tokens.get(name_end + 1)?.text(text);
    let start = if matches!(first.to_lowercase().as_str(), "a" | "an" | "the") {
        name_end + 2
    } else if first.starts_with(char::is_lowercase)
        && (is_title_head(first) || is_title_modifier(first))
    {
        name_end + 1
    } else {
        return None;
    };
    let mut depth = 0usize;
    let mut has_content_word = false;
    let mut end = start;
    loop {
        if end >= sentence_end {
            if opens_sentence {
                return None;
            }
            break;
        }
        let token = &tokens[end];
        let word = token.text(text);
        if in_person.get(end).copied().unwrap_or(false) {
            return None;
        }
        match (token.kind, word) {
            (_, "(" | "[") => depth += 1,
            (_, ")" | "]") => depth = depth.checked_sub(1)?,
            (TokenKind::Punct, ",") if depth == 0 => break,
            (TokenKind::Punct, "." | "!" | "?") if end + 1 == sentence_end => {
                if opens_sentence {
                    return None;
                }
                break;
            }
            (TokenKind::Quote, _) | (TokenKind::Punct, ";" | ":" | "—" | "–" | "--") => {
                return None
            }
            (TokenKind::Word, _) => {
                let lower = word.to_lowercase();
                if is_reporting_verb(&lower) {
                    return None;
                }
                has_content_word |= word.starts_with(char::is_lowercase) && !is_stop_word(&lower);
            }
            _ => {}
        }
        end += 1;
        if end - start > MAX_TOKENS {
            return None;
        }
    }
    (end > start && depth == 0 && has_content_word).then_some(start..end)
}

/// Lower-case words that may stand inside a title before its head ("former", "deputy",
/// "government", a portfolio).
fn is_title_modifier(word: &str) -> bool {
    MODIFIERS.binary_search(&word).is_ok() || is_portfolio(word)
}

/// Whether `word` (lower case) ends a title when scanning left from its head, and does not
/// count as the content of an appositive (see [`STOP_WORDS`]).
fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// Verbs that attribute speech: an appositive never contains one ("Putin, the Kremlin said,").
fn is_reporting_verb(word: &str) -> bool {
    matches!(
        word,
        "said"
            | "says"
            | "say"
            | "told"
            | "tells"
            | "added"
            | "adds"
            | "according"
            | "asked"
            | "stated"
            | "reported"
            | "announced"
            | "warned"
            | "claimed"
            | "insisted"
    )
}

/// Lower-case modifiers that may stand before a title head, sorted.
const MODIFIERS: &[&str] = &[
    "acting",
    "administration",
    "allied",
    "army",
    "assistant",
    "associate",
    "bank",
    "cabinet",
    "campaign",
    "central",
    "chief",
    "city",
    "club",
    "co",
    "communications",
    "company",
    "county",
    "deputy",
    "district",
    "ex",
    "executive",
    "federal",
    "financial",
    "first",
    "former",
    "founding",
    "general",
    "government",
    "incoming",
    "interim",
    "joint",
    "junior",
    "late",
    "local",
    "managing",
    "marketing",
    "media",
    "military",
    "national",
    "navy",
    "new",
    "non-executive",
    "olympic",
    "operating",
    "operations",
    "opposition",
    "outgoing",
    "parliamentary",
    "party",
    "permanent",
    "police",
    "presidential",
    "press",
    "prime",
    "principal",
    "regional",
    "retired",
    "senior",
    "shadow",
    "special",
    "state",
    "supreme",
    "team",
    "technical",
    "top",
    "union",
    "vice",
    "world",
];

/// Words that end a title and are no appositive content, lower case, sorted: determiners,
/// pronouns, prepositions, conjunctions, auxiliaries, sentence adverbs, weekdays and months
/// (compared in lower case, so a sentence-initial "Yesterday" or "Wednesday" stops too).
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "according",
    "after",
    "against",
    "all",
    "also",
    "an",
    "and",
    "april",
    "are",
    "as",
    "at",
    "august",
    "be",
    "because",
    "been",
    "before",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "december",
    "did",
    "do",
    "does",
    "during",
    "earlier",
    "february",
    "for",
    "friday",
    "from",
    "had",
    "has",
    "have",
    "he",
    "her",
    "here",
    "his",
    "however",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "january",
    "july",
    "june",
    "last",
    "later",
    "like",
    "march",
    "may",
    "meanwhile",
    "might",
    "monday",
    "my",
    "nor",
    "not",
    "november",
    "now",
    "october",
    "of",
    "on",
    "or",
    "our",
    "over",
    "said",
    "saturday",
    "says",
    "september",
    "she",
    "should",
    "since",
    "so",
    "sunday",
    "than",
    "that",
    "the",
    "their",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "thursday",
    "to",
    "today",
    "told",
    "tomorrow",
    "tuesday",
    "under",
    "until",
    "was",
    "we",
    "wednesday",
    "were",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "will",
    "with",
    "without",
    "would",
    "yesterday",
    "yet",
    "you",
    "your",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::EntityType::{Loc, Misc, Org, Person};
    use crate::stages::testing::doc_with_entities;

    /// The roles of each person entity of `text` given its names.
    fn roles(text: &str, names: &[(&str, EntityType)]) -> Vec<(String, Vec<String>)> {
        let mut doc = doc_with_entities(text, names);
        RolesStage.run(&mut doc).expect("roles stage");
        doc.entities
            .into_iter()
            .filter(|e| e.kind == EntityType::Person)
            .map(|e| (e.name, e.roles))
            .collect()
    }

    /// The roles of the one person in `text`.
    fn roles_of(text: &str, person: &str, others: &[(&str, EntityType)]) -> Vec<String> {
        let mut names = vec![(person, Person)];
        names.extend_from_slice(others);
        roles(text, &names)
            .into_iter()
            .next()
            .map(|(_, r)| r)
            .unwrap_or_default()
    }

    /// A text, its person, the other names in it and the role expected.
    type Case<'a> = (&'a str, &'a str, &'a [(&'a str, EntityType)], &'a str);

    #[test]
    fn pre_nominal_titles() {
        let cases: &[Case] = &[
            (
                "NATO chief Mark Rutte told them.",
                "Mark Rutte",
                &[("NATO", Org)],
                "NATO chief",
            ),
            (
                "US Defence Secretary Pete Hegseth said.",
                "Pete Hegseth",
                &[("US", Loc)],
                "US Defence Secretary",
            ),
            (
                "Meanwhile, retired Adm. James G. Stavridis spoke.",
                "James G. Stavridis",
                &[],
                "retired Adm.",
            ),
            (
                "Ukrainian President Volodymyr Zelensky warned.",
                "Volodymyr Zelensky",
                &[("Ukrainian", Misc)],
                "Ukrainian President",
            ),
            (
                "President Donald Trump has threatened.",
                "Donald Trump",
                &[],
                "President",
            ),
            (
                "Conservative leader Kemi Badenoch told BBC.",
                "Kemi Badenoch",
                &[],
                "Conservative leader",
            ),
            (
                "Meanwhile, NATO Secretary-General Mark Rutte said.",
                "Mark Rutte",
                &[("NATO", Org)],
                "NATO Secretary-General",
            ),
            (
                "in favour of Russian President Vladimir Putin over",
                "Vladimir Putin",
                &[("Russian", Misc)],
                "Russian President",
            ),
            (
                "said a former US government official Michèle A. Flournoy was quoted.",
                "Michèle A. Flournoy",
                &[("US", Loc)],
                "former US government official",
            ),
            ("Yesterday President Bush left.", "Bush", &[], "President"),
            (
                "the company's chief executive John Smith quit.",
                "John Smith",
                &[],
                "chief executive",
            ),
        ];
        for (text, person, others, role) in cases {
            assert_eq!(roles_of(text, person, others), [role.to_string()], "{text}");
        }
    }

    #[test]
    fn non_titles_before_names_are_not_roles() {
        let cases = [
            (
                "He prepares to host President Zelenskyy at home.",
                vec!["President"],
            ),
            ("Mr Blair said so.", vec![]),
            ("Russia’s Vladimir Putin opposes it.", vec![]),
            (
                "Trump called Ukrainian President Zelensky a dictator.",
                vec!["Ukrainian President"],
            ),
        ];
        for (text, want) in cases {
            let person = ["Zelenskyy", "Blair", "Vladimir Putin", "Zelensky"]
                .into_iter()
                .find(|p| text.contains(p))
                .unwrap_or_default();
            let others = [("Ukrainian", Misc), ("Russia", Loc), ("Trump", Person)];
            let got: Vec<String> = roles(text, &[&[(person, Person)], &others[..]].concat())
                .into_iter()
                .find(|(name, _)| name == person)
                .map(|(_, r)| r)
                .unwrap_or_default();
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn appositives() {
        assert_eq!(
            roles_of(
                "Elon Musk, the billionaire who heads the US Department of Government \
                 Efficiency (DOGE), agrees.",
                "Elon Musk",
                &[("DOGE", Org)]
            ),
            ["billionaire who heads the US Department of Government Efficiency (DOGE)"]
        );
        assert_eq!(
            roles_of(
                "James G. Stavridis, the former supreme allied commander of NATO, had said.",
                "James G. Stavridis",
                &[("NATO", Org)]
            ),
            ["former supreme allied commander of NATO"]
        );
        assert_eq!(
            roles_of("They met John Smith, a retired teacher.", "John Smith", &[]),
            ["retired teacher"]
        );
        assert_eq!(
            roles_of(
                "John Smith, former mayor of Leeds, said.",
                "John Smith",
                &[]
            ),
            ["former mayor of Leeds"]
        );
    }

    #[test]
    fn lists_clauses_and_attributions_are_not_appositives() {
        let cases = [
            "Putin, Trump and Xi met.",
            "Putin, the Kremlin said, will go.",
            "Putin, who rules Russia, spoke.",
            "Putin, the US and Britain met.",
            "Putin, the “strongman”, spoke.",
            "Putin, the man who (never stops, spoke.",
        ];
        for text in cases {
            assert!(roles_of(text, "Putin", &[]).is_empty(), "{text}");
        }
    }

    #[test]
    fn roles_from_different_mentions_land_on_one_entity_once() {
        let got = roles(
            "He hosted President Zelenskyy. Ukrainian President Zelensky spoke. \
             President Zelensky left. Volodymyr Zelensky stayed.",
            &[
                ("Volodymyr Zelensky", Person),
                ("Zelenskyy", Person),
                ("Zelensky", Person),
                ("Ukrainian", Misc),
            ],
        );
        assert_eq!(
            got,
            [(
                "Volodymyr Zelensky".to_string(),
                vec!["President".to_string(), "Ukrainian President".to_string()]
            )]
        );
    }

    #[test]
    fn lexicons_are_sorted_lower_case_and_short() {
        for lexicon in [MODIFIERS, STOP_WORDS] {
            assert!(lexicon.windows(2).all(|w| w[0] < w[1]));
            assert!(lexicon
                .iter()
                .all(|w| w.len() <= 24 && *w == w.to_ascii_lowercase()));
        }
    }
}
