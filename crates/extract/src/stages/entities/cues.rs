//! The words around a name, as evidence of what the name is: "oil firm Yukos", "mobile phone
//! network Orange", "Mr Howard", "Eindhoven-based Veltron", "Veltron, the chipmaker based in
//! Eindhoven".
//!
//! The NER model types a name it never saw by its shape and its neighbours, and an unseen
//! company's name looks like a surname or a town: on the 2,225 BBC articles it read Yukos,
//! Unilever, Verizon and Qantas as people and Citigroup and Skype as places. News introduces
//! such a company with the noun that says what it is, right before the name. One such noun
//! before any mention of an entity outweighs the model's votes, unless the entity is also
//! addressed as a person ("Mr Dell") or given a person's title ("chairman Michael Dell",
//! "comedian and broadcaster Cyril Fletcher"): a group that holds both is left to the votes.
//!
//! Two more places say the same, whatever the name: a word ending in "-based" right before it
//! (people are "London-born", firms and groups "London-based"), and an apposition right after
//! it that is headed by such a noun — "Veltron, the chipmaker based in Eindhoven", "Yukos, the
//! Russian oil firm, said". The noun must end the description (punctuation or a word that
//! starts a relative or participle clause follows it), so "Smith, the firm's chairman" and
//! "Jones, the group leader" are no evidence.

use crate::pipeline::doc::Mention;
use crate::text::titles::{addresses_a_person, is_title_head};
use crate::text::tokens::{Token, TokenKind};

/// Nouns that news writes right before an organisation's name, lower case and sorted (binary
/// search). Nouns that also head a person's title ("publisher", "producer", "developer") are
/// not here: "publisher Jason O'Grady" is a man; nor is "lender", as in "money lender Shylock".
const ORGANISATION_HEADS: &[&str] = &[
    "agency",
    "airline",
    "association",
    "bank",
    "brewer",
    "broadcaster",
    "carmaker",
    "carrier",
    "chain",
    "charity",
    "chipmaker",
    "company",
    "conglomerate",
    "corporation",
    "distributor",
    "federation",
    "firm",
    "giant",
    "group",
    "insurer",
    "label",
    "maker",
    "manufacturer",
    "network",
    "newspaper",
    "operator",
    "provider",
    "retailer",
    "studio",
    "subsidiary",
    "supplier",
    "watchdog",
];

/// What the word right before a mention says of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cue {
    /// A lower-case noun that names a kind of organisation: "firm", "network", "bank".
    Organisation,
    /// A person's honorific ("Mr") or title ("chairman", "Sen.").
    Person,
}

/// The cue of the token right before `mention`, if that token is a word and says something.
pub(super) fn cue_before(text: &str, tokens: &[Token], mention: &Mention) -> Option<Cue> {
    let at = mention.tokens.start.checked_sub(1)?;
    let previous = tokens.get(at)?;
    // Only a space may stand between the cue and the name: "the firm. Yukos" is two sentences.
    if previous.kind != TokenKind::Word || text.get(previous.end..mention.span.start)? != " " {
        return None;
    }
    let word = previous.text(text);
    if addresses_a_person(word) || is_title_head(word) {
        Some(Cue::Person)
    } else if word.ends_with("-based") && word.len() > "-based".len() {
        Some(Cue::Organisation)
    } else if ORGANISATION_HEADS.binary_search(&word).is_ok() {
        // A noun joined to a person's title names an occupation too: "comedian and broadcaster".
        Some(if joined_to_a_title(text, tokens, at) {
            Cue::Person
        } else {
            Cue::Organisation
        })
    } else {
        None
    }
}

/// Words that may follow the head noun of an apposition and end its description: the start
/// of a relative or participle clause ("the chipmaker based in Eindhoven", "the firm that").
const CLAUSE_STARTS: &[&str] = &[
    "based",
    "behind",
    "founded",
    "headquartered",
    "known",
    "owned",
    "that",
    "which",
    "whose",
    "with",
];

/// The words an apposition may hold between its article and its head: "the world's biggest
/// chipmaker" has four, "the Dutch chipmaker" two.
const APPOSITION_WORDS: usize = 5;

/// The cue of an apposition right after `mention` — ", the chipmaker based in …", ", a Dutch
/// firm," — when its head noun is an organisation's (see the module doc).
pub(super) fn cue_after(text: &str, tokens: &[Token], mention: &Mention) -> Option<Cue> {
    let comma = tokens.get(mention.tokens.end)?;
    let article = tokens.get(mention.tokens.end + 1)?;
    if comma.text(text) != "," || !matches!(article.text(text), "the" | "a" | "an") {
        return None;
    }
    let first = mention.tokens.end + 2;
    let words = tokens.get(first..(first + APPOSITION_WORDS).min(tokens.len()))?;
    for (offset, token) in words.iter().enumerate() {
        if !matches!(token.kind, TokenKind::Word | TokenKind::Quote) {
            return None;
        }
        let word = token.text(text);
        if is_title_head(word) {
            return None;
        }
        if ORGANISATION_HEADS.binary_search(&word).is_ok() {
            let next = tokens.get(first + offset + 1);
            let ends = next.is_none_or(|n| {
                n.kind == TokenKind::Punct || CLAUSE_STARTS.binary_search(&n.text(text)).is_ok()
            });
            return ends.then_some(Cue::Organisation);
        }
    }
    None
}

/// Whether the word at `at` follows a person's title and "and" or "or".
fn joined_to_a_title(text: &str, tokens: &[Token], at: usize) -> bool {
    let (Some(title), Some(conjunction)) = (
        at.checked_sub(2).and_then(|i| tokens.get(i)),
        at.checked_sub(1).and_then(|i| tokens.get(i)),
    ) else {
        return false;
    };
    matches!(conjunction.text(text), "and" | "or") && is_title_head(title.text(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::EntityType;
    use crate::pipeline::Span;
    use crate::text::tokens::tokenize;

    fn mention(text: &str, tokens: &[Token], name: &str) -> Mention {
        let start = text.find(name).unwrap();
        let first = tokens.iter().position(|t| t.start == start).unwrap();
        let last = tokens
            .iter()
            .position(|t| t.end == start + name.len())
            .unwrap();
        Mention {
            span: Span::new(start, start + name.len()),
            kind: EntityType::Person,
            tokens: first..last + 1,
        }
    }

    fn cue_of_apposition(text: &str, name: &str) -> Option<Cue> {
        let tokens = tokenize(text);
        cue_after(text, &tokens, &mention(text, &tokens, name))
    }

    #[test]
    fn an_apposition_headed_by_an_organisation_noun() {
        let cue = cue_of_apposition;
        let org = Some(Cue::Organisation);
        assert_eq!(
            cue("Veltron, the chipmaker based in Eindhoven, said", "Veltron"),
            org
        );
        assert_eq!(cue("Yukos, the Russian oil firm, said", "Yukos"), org);
        assert_eq!(cue("Ryanair, the world's biggest carrier.", "Ryanair"), org);
        assert_eq!(cue("Acme, a firm that makes glue", "Acme"), org);
        // The noun does not end the description, or a person's title heads it.
        assert_eq!(cue("Smith, the firm's chairman, said", "Smith"), None);
        assert_eq!(cue("Jones, the group leader, said", "Jones"), None);
        assert_eq!(
            cue("Ruiz, the chief executive of the firm, said", "Ruiz"),
            None
        );
        assert_eq!(cue("Ruiz, who runs the firm, said", "Ruiz"), None);
        assert_eq!(cue("Veltron said", "Veltron"), None);
    }

    #[test]
    fn sorted_clause_starts() {
        assert!(CLAUSE_STARTS.windows(2).all(|w| w[0] < w[1]));
    }

    fn cue(text: &str, name: &str) -> Option<Cue> {
        let tokens = tokenize(text);
        cue_before(text, &tokens, &mention(text, &tokens, name))
    }

    #[test]
    fn heads_are_sorted_lower_case_and_never_a_persons_title() {
        assert!(ORGANISATION_HEADS.windows(2).all(|w| w[0] < w[1]));
        for head in ORGANISATION_HEADS {
            assert_eq!(head.to_lowercase(), *head);
            assert!(!is_title_head(head), "{head} also heads a person's title");
        }
    }

    #[test]
    fn the_noun_or_title_right_before_the_name() {
        assert_eq!(
            cue("Russian oil firm Yukos said", "Yukos"),
            Some(Cue::Organisation)
        );
        assert_eq!(
            cue("mobile phone network Orange", "Orange"),
            Some(Cue::Organisation)
        );
        assert_eq!(cue("said Mr Dell.", "Dell"), Some(Cue::Person));
        assert_eq!(
            cue("its chairman Michael Dell", "Michael Dell"),
            Some(Cue::Person)
        );
        assert_eq!(cue("Shares in Yukos fell", "Yukos"), None);
        assert_eq!(cue("Yukos fell", "Yukos"), None);
        assert_eq!(
            cue("the Eindhoven-based Veltron said", "Veltron"),
            Some(Cue::Organisation)
        );
        assert_eq!(cue("the London-born Smith said", "Smith"), None);
        // Capitalised, punctuated or not a cue word: no evidence.
        assert_eq!(cue("The Group Yukos", "Yukos"), None);
        assert_eq!(cue("the firm. Yukos fell", "Yukos"), None);
        assert_eq!(cue("the firm, Yukos, fell", "Yukos"), None);
    }
}
