//! The entities stage on small documents whose mentions are given, as if the NER model had
//! found them.

use super::EntitiesStage;
use crate::ner::EntityType::{self, Loc, Misc, Org, Person};
use crate::pipeline::doc::Mention;
use crate::pipeline::{Span, Stage};
use crate::stages::testing::{doc_with_mentions, group_entities_and_roles};

/// The entities of a document: (name, type, mention texts).
fn entities(text: &str, names: &[(&str, EntityType)]) -> Vec<(String, EntityType, Vec<String>)> {
    let mut doc = doc_with_mentions(text, None, names);
    EntitiesStage::new().run(&mut doc).expect("entities stage");
    doc.entities
        .iter()
        .map(|e| {
            let mentions = e
                .mentions
                .iter()
                .map(|s| s.text(&doc.text).to_string())
                .collect();
            (e.name.clone(), e.kind, mentions)
        })
        .collect()
}

/// Just the (name, type) pairs.
fn names(text: &str, names: &[(&str, EntityType)]) -> Vec<(String, EntityType)> {
    entities(text, names)
        .into_iter()
        .map(|(name, kind, _)| (name, kind))
        .collect()
}

fn pair(name: &str, kind: EntityType) -> (String, EntityType) {
    (name.to_string(), kind)
}

#[test]
fn surname_and_first_name_join_the_full_name_anywhere_in_the_article() {
    let got = entities(
        "Flournoy said it first. Later Michèle A. Flournoy added more. Michèle laughed.",
        &[
            ("Michèle A. Flournoy", Person),
            ("Flournoy", Person),
            ("Michèle", Person),
        ],
    );
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].0, "Michèle A. Flournoy");
    assert_eq!(got[0].2, ["Flournoy", "Michèle A. Flournoy", "Michèle"]);
}

#[test]
fn spelling_variants_join() {
    assert_eq!(
        names(
            "Zelenskyy met Volodymyr Zelensky. Zelensky spoke.",
            &[
                ("Volodymyr Zelensky", Person),
                ("Zelenskyy", Person),
                ("Zelensky", Person)
            ]
        ),
        [pair("Volodymyr Zelensky", Person)]
    );
    assert_eq!(
        names(
            "Zelensky and Zelenskyy.",
            &[("Zelensky", Person), ("Zelenskyy", Person)]
        ),
        [pair("Zelensky", Person)]
    );
}

#[test]
fn similar_but_different_names_stay_apart() {
    let got = names(
        "Iran and Iraq, Austria and Australia, Gambia and Zambia.",
        &[
            ("Iran", Loc),
            ("Iraq", Loc),
            ("Austria", Loc),
            ("Australia", Loc),
            ("Gambia", Loc),
            ("Zambia", Loc),
        ],
    );
    assert_eq!(got.len(), 6);
}

#[test]
fn case_variants_join() {
    assert_eq!(
        names("NATO met. Nato agreed.", &[("NATO", Org), ("Nato", Org)]),
        [pair("NATO", Org)]
    );
    assert_eq!(
        names(
            "ACME rose. Acme fell. ACME won.",
            &[("ACME", Org), ("Acme", Org)]
        ),
        [pair("ACME", Org)]
    );
}

#[test]
fn acronym_defined_after_its_expansion_even_when_the_model_cut_it_up() {
    let got = entities(
        "Musk heads the US Department of Government Efficiency (DOGE) now.",
        &[
            ("US Department", Org),
            ("Government Efficiency", Org),
            ("DOGE", Org),
        ],
    );
    let got: Vec<(String, EntityType, Vec<String>)> = got;
    assert_eq!(
        got,
        [
            ("United States".to_string(), Loc, vec!["US".to_string()]),
            (
                "Department of Government Efficiency".to_string(),
                Org,
                vec![
                    "Department of Government Efficiency".to_string(),
                    "DOGE".to_string()
                ]
            ),
        ]
    );
}

#[test]
fn acronym_before_its_expansion_and_with_or() {
    let got = names(
        "The ACLU [American Civil Liberties Union] sued. The FBI or Federal Bureau of \
         Investigation said so. The FBI said more. The FBI again.",
        &[
            ("ACLU", Org),
            ("American Civil Liberties Union", Org),
            ("FBI", Org),
            ("Federal Bureau of Investigation", Org),
        ],
    );
    assert_eq!(
        got,
        [
            pair("American Civil Liberties Union", Org),
            pair("FBI", Org)
        ],
        "the acronym names the entity when it is most of the mentions"
    );
}

#[test]
fn party_names_short_and_long_join() {
    let got = names(
        "The UK Independence Party won a seat. UKIP leader spoke. The Liberal Democrats \
         lost; the Lib Dems blamed the polls. The Labour Party and Labour Friends met. \
         South African officials visited South Africa.",
        &[
            ("UK Independence Party", Org),
            ("UKIP", Org),
            ("Liberal Democrats", Org),
            ("Lib Dems", Org),
            ("Labour Party", Org),
            ("Labour Friends", Org),
            ("South African", Misc),
            ("South Africa", Loc),
        ],
    );
    assert_eq!(
        got,
        [
            pair("UK Independence Party", Org),
            pair("Liberal Democrats", Org),
            pair("Labour Party", Org),
            pair("Labour Friends", Org),
            pair("South African", Misc),
            pair("South Africa", Loc),
        ],
        "an initialism inside a name spells the acronym; a clipping joins its full form; \
         two different names sharing a word stay apart"
    );
}

#[test]
fn table_aliases_join_under_the_table_name_and_type() {
    let got = entities(
        "The US and America. U.S. troops left the United States. Britain and the UK. \
         The UN and the USSR.",
        &[
            ("US", Org),
            ("America", Loc),
            ("U.S.", Loc),
            ("United States", Loc),
            ("Britain", Loc),
            ("UK", Loc),
            ("UN", Org),
            ("USSR", Org),
        ],
    );
    let got: Vec<(&str, EntityType, usize)> = got
        .iter()
        .map(|(n, k, m)| (n.as_str(), *k, m.len()))
        .collect();
    assert_eq!(
        got,
        [
            ("United States", Loc, 4),
            ("United Kingdom", Loc, 2),
            ("United Nations", Org, 1),
            ("Soviet Union", Loc, 1)
        ]
    );
}

#[test]
fn nationality_adjectives_stay_misc() {
    assert_eq!(
        names(
            "American troops in America.",
            &[("American", Misc), ("America", Loc)]
        ),
        [pair("American", Misc), pair("United States", Loc)]
    );
}

#[test]
fn a_person_named_like_a_country_stays_a_person() {
    assert_eq!(
        names(
            "Eddie Jordan said Jordan was fine.",
            &[("Eddie Jordan", Person), ("Jordan", Person)]
        ),
        [pair("Eddie Jordan", Person)]
    );
}

#[test]
fn people_sharing_a_first_name_stay_apart_and_the_short_name_goes_to_the_latest() {
    let text = "George Bush met George Clooney. George smiled. Laura Bush came. Bush left.";
    let got = entities(
        text,
        &[
            ("George Bush", Person),
            ("George Clooney", Person),
            ("George", Person),
            ("Laura Bush", Person),
            ("Bush", Person),
        ],
    );
    let got: Vec<(&str, Vec<&str>)> = got
        .iter()
        .map(|(n, _, m)| (n.as_str(), m.iter().map(String::as_str).collect()))
        .collect();
    assert_eq!(
        got,
        [
            ("George Bush", vec!["George Bush"]),
            ("George Clooney", vec!["George Clooney", "George"]),
            ("Laura Bush", vec!["Laura Bush", "Bush"]),
        ]
    );
}

#[test]
fn a_first_name_before_the_full_name_is_someone_else() {
    let got = names(
        "Prince Charles spoke. Charles smiled. Later Charles Kennedy left.",
        &[("Charles Kennedy", Person), ("Charles", Person)],
    );
    assert_eq!(
        got,
        [pair("Charles", Person), pair("Charles Kennedy", Person)]
    );
}

#[test]
fn variants_of_first_names_do_not_join_two_people() {
    let got = names(
        "Steve Morgan and Steven Gerrard met. Steve laughed and Steven left.",
        &[
            ("Steve Morgan", Person),
            ("Steven Gerrard", Person),
            ("Steve", Person),
            ("Steven", Person),
        ],
    );
    assert_eq!(
        got,
        [pair("Steve Morgan", Person), pair("Steven Gerrard", Person)]
    );
}

#[test]
fn ambiguous_short_name_before_any_full_name_goes_to_the_most_mentioned() {
    let text = "Smith won. Anna Smith and John Smith ran. John Smith fell.";
    let got = entities(
        text,
        &[
            ("Anna Smith", Person),
            ("John Smith", Person),
            ("Smith", Person),
        ],
    );
    assert_eq!(got[0].0, "John Smith");
    assert_eq!(got[0].2, ["Smith", "John Smith", "John Smith"]);
}

#[test]
fn type_is_the_majority_and_ties_go_to_the_longest_form() {
    assert_eq!(
        names(
            "Acme Corp rose. ACME CORP fell. ACME CORP won.",
            &[("Acme Corp", Org), ("ACME CORP", Loc)]
        ),
        [pair("ACME CORP", Loc)],
        "the name is the form's most frequent spelling"
    );
    assert_eq!(
        names(
            "The FBI rose. The Federal Bureau of Investigation fell.",
            &[("Federal Bureau of Investigation", Org), ("FBI", Loc)]
        ),
        [pair("Federal Bureau of Investigation", Org)]
    );
    assert_eq!(
        names(
            "Rutte spoke. Mark Rutte left.",
            &[("Mark Rutte", Person), ("Rutte", Person)]
        ),
        [pair("Mark Rutte", Person)]
    );
}

#[test]
fn hyphenated_country_pairs_are_misc() {
    assert_eq!(
        names("The Russia-Ukraine war.", &[("Russia-Ukraine", Loc)]),
        [pair("Russia-Ukraine", Misc)]
    );
    assert_eq!(
        names("In Guinea-Bissau.", &[("Guinea-Bissau", Loc)]),
        [pair("Guinea-Bissau", Loc)]
    );
}

#[test]
fn holidays_are_events_whatever_type_the_model_gave() {
    let got = names(
        "Sales rose before Christmas and fell after Boxing Day. Father Christmas stayed home. \
         Christians prayed at Christmas.",
        &[
            ("Father Christmas", Person),
            ("Christmas", Person),
            ("Boxing Day", Loc),
            ("Christians", Misc),
        ],
    );
    // "Christians" is two edits from "Christmas", close enough to be a spelling variant of a
    // name, but a holiday has one spelling.
    assert_eq!(
        got,
        [
            pair("Christmas", Misc),
            pair("Boxing Day", Misc),
            pair("Father Christmas", Person),
            pair("Christians", Misc)
        ]
    );
}

#[test]
fn a_noun_before_a_name_makes_it_an_organisation_unless_it_is_also_a_person() {
    let got = names(
        "Yukos said. Russian oil firm Yukos fell. Later Yukos rose.",
        &[("Yukos", Person)],
    );
    assert_eq!(got, [pair("Yukos", Org)]);
    let got = names(
        "Michael Dell spoke. The computer maker Dell grew, Mr Dell said.",
        &[("Michael Dell", Person), ("Dell", Person)],
    );
    assert_eq!(got, [pair("Michael Dell", Person)]);
}

#[test]
fn coordinated_names_the_article_uses_alone_are_split() {
    assert_eq!(
        entities(
            "The Aviator and Million Dollar Baby led. The Aviator won five. Million Dollar Baby won four.",
            &[
                ("Aviator and Million Dollar Baby", Misc),
                ("Aviator", Misc),
                ("Million Dollar Baby", Misc)
            ]
        ),
        [
            (
                "Aviator".to_string(),
                Misc,
                vec!["Aviator".to_string(), "Aviator".to_string()]
            ),
            (
                "Million Dollar Baby".to_string(),
                Misc,
                vec![
                    "Million Dollar Baby".to_string(),
                    "Million Dollar Baby".to_string()
                ]
            ),
        ]
    );
}

#[test]
fn names_that_hold_an_and_stay_whole() {
    // Neither half is a name the article uses alone.
    assert_eq!(
        names(
            "The Securities and Exchange Commission sued. The Commission said.",
            &[("Securities and Exchange Commission", Org)]
        ),
        [pair("Securities and Exchange Commission", Org)]
    );
    // Only one half is: "Bosnia" alone does not make "Herzegovina" a name of its own.
    let found = entities(
        "Bosnia and Herzegovina voted. Bosnia is calm.",
        &[("Bosnia and Herzegovina", Loc), ("Bosnia", Loc)],
    );
    let mentions: Vec<&str> = found
        .iter()
        .flat_map(|(_, _, m)| m.iter().map(String::as_str))
        .collect();
    assert_eq!(mentions, ["Bosnia and Herzegovina", "Bosnia"]);
    // "and" joins what "for" governs; the second half starts in lower case.
    let found = entities(
        "The Economic Commission for Latin America and the Caribbean said. The Economic \
         Commission for Latin America met in the Caribbean.",
        &[
            (
                "Economic Commission for Latin America and the Caribbean",
                Org,
            ),
            ("Economic Commission for Latin America", Org),
            ("Caribbean", Loc),
        ],
    );
    assert_eq!(
        found[0].2,
        ["Economic Commission for Latin America and the Caribbean"]
    );
}

#[test]
fn salience_rewards_frequency_position_title_and_lede() {
    let mut doc = doc_with_mentions(
        "Acme rose. Acme fell. Acme won.\n\nLater Brill spoke. Zed too.",
        Some("Zed news"),
        &[("Acme", Org), ("Brill", Org), ("Zed", Org)],
    );
    EntitiesStage::new().run(&mut doc).expect("entities stage");
    let s: Vec<f64> = doc.entities.iter().map(|e| e.salience).collect();
    assert!(s.iter().all(|x| (0.0..=1.0).contains(x)), "{s:?}");
    assert!(s[0] > s[1] && s[2] > s[1], "{s:?}");
}

#[test]
fn no_mentions_no_entities() {
    assert!(names("Nothing here.", &[]).is_empty());
}

#[test]
fn arbitrary_mentions_never_panic() {
    let text = "É (A) [B.] C, D — “E’s” F-G of the H (HI) Mr J K, the L M, said. N ’ O\n\nP Q.";
    let kinds = [Person, Org, Loc, Misc];
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = |bound: usize| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as usize % bound.max(1)
    };
    for _ in 0..300 {
        let mut doc = doc_with_mentions(text, Some("H and É"), &[]);
        let n = doc.tokens.len();
        for _ in 0..next(12) {
            let start = next(n + 2);
            let end = start + next(5);
            let span = Span::new(
                doc.tokens.get(start).map_or(text.len() + 3, |t| t.start),
                doc.tokens
                    .get(end.saturating_sub(1))
                    .map_or(text.len() + 9, |t| t.end),
            );
            doc.mentions.push(Mention {
                span,
                kind: kinds[next(4)],
                tokens: start..end,
            });
        }
        group_entities_and_roles(&mut doc);
        for e in &doc.entities {
            assert!((0.0..=1.0).contains(&e.salience));
            assert!(!e.mentions.is_empty());
        }
    }
}

#[test]
fn a_mixed_case_acronym_names_its_entity() {
    assert_eq!(
        names(
            "Transport for London (TfL) said. TfL agreed.",
            &[("Transport for London", Org), ("TfL", Org)]
        ),
        [pair("TfL", Org)]
    );
}
