//! The words of titles and forms of address: "President", "Defence Secretary", "Mr", "Adm.".
//!
//! News glues a person's office to the name ("US Defence Secretary Pete Hegseth", "Mr Walsh"),
//! and two stages must tell those words apart from the name itself:
//!
//! * the `ner` stage drops them from the mentions the model found, so that "President
//!   Zelensky" and "Zelensky" are one name, and "US Defence" before "Secretary Pete Hegseth"
//!   shrinks to the organisation "US";
//! * the `roles` stage reads them back as the person's role ("US Defence Secretary").
//!
//! Three word classes serve both:
//!
//! * **title heads** ([`is_title_head`]) — offices, ranks and occupations news writes right
//!   before a name ("president", "minister", "chief", "striker"), and rank abbreviations
//!   ("Adm.", "Gen.", "Sen.");
//! * **portfolios** ([`is_portfolio`]) — the government departments a title may name before its
//!   head ("Defence" in "Defence Secretary", "Foreign" in "Foreign Minister");
//! * **honorifics** ([`is_honorific`]) — how a name is addressed ("Mr", "Mrs.", "Dr", "Sir"):
//!   neither part of the name nor a role. The few that address only people
//!   ([`addresses_a_person`]: "Mr", "Mrs", "Ms" …, not "Dr" or "Lord") make the name after them
//!   a person's.
//!
//! The lists are sorted for binary search and written in lower case (honorifics as written),
//! because they are consulted for nearly every word next to a name.

use super::words::lowercase_ascii;
use super::{abbreviation, Abbreviation};

/// Whether `word` can head a title before a name: a word of the title lexicon (either part
/// of a hyphenated word counts: "Secretary-General", "President-elect") or a rank
/// abbreviation ("Adm.", "Gen.", "Sen.") that is not a mere honorific.
pub fn is_title_head(word: &str) -> bool {
    let bare = word.trim_end_matches('.');
    if abbreviation(bare) == Some(Abbreviation::Title) && !is_honorific(word) {
        return true;
    }
    word.split('-').any(|part| {
        let mut buffer = [0u8; 24];
        lowercase_ascii(part, &mut buffer)
            .is_some_and(|lower| TITLE_HEADS.binary_search(&lower).is_ok())
    })
}

/// Whether `word` (lower case) names a government portfolio ("defence", "foreign"), which
/// belongs to the title in "Defence Secretary", not to an organisation before it.
pub fn is_portfolio(word: &str) -> bool {
    PORTFOLIOS.binary_search(&word).is_ok()
}

/// Whether `word` is an honorific ("Mr", "Mrs.", "Dr", "Sir"): part of how a name is
/// addressed, neither a role nor part of the name.
pub fn is_honorific(word: &str) -> bool {
    HONORIFICS
        .binary_search(&word.trim_end_matches('.'))
        .is_ok()
}

/// Whether `word` is an honorific that addresses only people ("Mr", "Mrs.", "Ms", "Miss",
/// "Messrs"): "Mr Howard" is a person whatever else the words could be, while "Lord of the
/// Rings" and "Dr Pepper" are not people.
pub fn addresses_a_person(word: &str) -> bool {
    matches!(
        word.trim_end_matches('.'),
        "Mr" | "Mrs" | "Ms" | "Miss" | "Mx" | "Mme" | "Mlle" | "Messrs"
    )
}

/// Title head words, lower case and sorted (binary search): offices, ranks, occupations
/// news puts before a name.
const TITLE_HEADS: &[&str] = &[
    "activist",
    "actor",
    "actress",
    "admiral",
    "adviser",
    "advisor",
    "aide",
    "ambassador",
    "analyst",
    "archbishop",
    "artist",
    "attorney",
    "author",
    "banker",
    "batsman",
    "billionaire",
    "bishop",
    "boss",
    "bowler",
    "brigadier",
    "businessman",
    "businesswoman",
    "campaigner",
    "candidate",
    "captain",
    "cardinal",
    "ceo",
    "cfo",
    "chairman",
    "chairperson",
    "chairwoman",
    "champion",
    "chancellor",
    "chief",
    "cleric",
    "coach",
    "colonel",
    "comedian",
    "commander",
    "commissioner",
    "congressman",
    "congresswoman",
    "constable",
    "coo",
    "corporal",
    "correspondent",
    "councillor",
    "councilor",
    "defender",
    "deputy",
    "designer",
    "detective",
    "dictator",
    "diplomat",
    "director",
    "driver",
    "economist",
    "editor",
    "emir",
    "emperor",
    "entrepreneur",
    "envoy",
    "executive",
    "founder",
    "general",
    "goalkeeper",
    "governor",
    "head",
    "imam",
    "inspector",
    "investor",
    "jockey",
    "journalist",
    "judge",
    "justice",
    "keeper",
    "king",
    "lawmaker",
    "lawyer",
    "leader",
    "legislator",
    "lieutenant",
    "magnate",
    "major",
    "manager",
    "marshal",
    "mayor",
    "mediator",
    "mep",
    "midfielder",
    "minister",
    "monarch",
    "mp",
    "msp",
    "musician",
    "negotiator",
    "nominee",
    "novelist",
    "officer",
    "official",
    "owner",
    "player",
    "pm",
    "pope",
    "premier",
    "presenter",
    "president",
    "prince",
    "princess",
    "producer",
    "professor",
    "prosecutor",
    "queen",
    "rabbi",
    "rapper",
    "regulator",
    "reporter",
    "representative",
    "researcher",
    "ruler",
    "scientist",
    "secretary",
    "senator",
    "sergeant",
    "sheikh",
    "singer",
    "speaker",
    "spokesman",
    "spokesperson",
    "spokeswoman",
    "star",
    "strategist",
    "striker",
    "sultan",
    "superintendent",
    "supremo",
    "surgeon",
    "trainer",
    "treasurer",
    "tycoon",
    "winger",
    "writer",
];

/// Government portfolios, lower case, sorted.
const PORTFOLIOS: &[&str] = &[
    "agriculture",
    "business",
    "commerce",
    "culture",
    "defence",
    "defense",
    "development",
    "digital",
    "economy",
    "education",
    "employment",
    "energy",
    "environment",
    "finance",
    "foreign",
    "health",
    "home",
    "housing",
    "immigration",
    "industry",
    "intelligence",
    "interior",
    "justice",
    "labor",
    "pensions",
    "science",
    "security",
    "sport",
    "sports",
    "technology",
    "trade",
    "transport",
    "treasury",
    "welfare",
    "work",
];

/// Honorifics, sorted.
const HONORIFICS: &[&str] = &[
    "Dame", "Dr", "Hon", "Lady", "Lord", "Messrs", "Miss", "Mlle", "Mme", "Mmes", "Mr", "Mrs",
    "Ms", "Mx", "Rt", "Sir",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexicons_are_sorted_lower_case_and_short() {
        for lexicon in [TITLE_HEADS, PORTFOLIOS] {
            assert!(lexicon.windows(2).all(|w| w[0] < w[1]));
            assert!(lexicon
                .iter()
                .all(|w| w.len() <= 24 && *w == w.to_ascii_lowercase()));
        }
        assert!(HONORIFICS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn title_heads_and_honorifics() {
        assert!(is_title_head("Secretary-General"));
        assert!(is_title_head("Adm."));
        assert!(is_title_head("president-elect"));
        assert!(!is_title_head("Mr"));
        assert!(!is_title_head("Dr."));
        assert!(!is_title_head("host"));
    }

    #[test]
    fn only_some_honorifics_address_a_person() {
        assert!(addresses_a_person("Mr") && addresses_a_person("Mrs."));
        assert!(is_honorific("Dr") && !addresses_a_person("Dr"));
        assert!(is_honorific("Lord") && !addresses_a_person("Lord"));
    }
}
