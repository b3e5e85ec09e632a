//! The shapes other outlets report speech in, read from the PolNeAR dev errors: subjects with a
//! coordinated or prepositional tail, progressive and headline verbs, findings without "that",
//! asides between the speaker and the verb, and contents that end where their clause ends.

use super::{doc_with, ORG, PERSON};
use crate::pipeline::doc::{EntityType, QuoteKind};
use crate::pipeline::Stage;
use crate::stages::quotes::QuotesStage;

/// (kind, content, speaker name) of every quote the default stage keeps.
fn quotes(
    text: &str,
    entities: &[(&str, EntityType, &[&str])],
) -> Vec<(QuoteKind, String, Option<String>)> {
    let mut doc = doc_with(text, entities);
    QuotesStage::default().run(&mut doc).unwrap();
    doc.quotes
        .iter()
        .map(|q| {
            (
                q.kind,
                q.span.text(&doc.text).to_string(),
                q.speaker.as_ref().map(|s| s.name.clone()),
            )
        })
        .collect()
}

/// The (content, speaker) of the reported speech of `text`.
fn reported(text: &str, entities: &[(&str, EntityType, &[&str])]) -> Vec<(String, Option<String>)> {
    quotes(text, entities)
        .into_iter()
        .filter(|(kind, _, _)| *kind != QuoteKind::Direct)
        .map(|(_, content, speaker)| (content, speaker))
        .collect()
}

fn pair(content: &str, speaker: &str) -> (String, Option<String>) {
    (content.into(), Some(speaker.into()))
}

const CONGRESS: (&str, EntityType, &[&str]) = ("Congress", ORG, &["Congress"]);
const TRUMP: (&str, EntityType, &[&str]) = ("Donald Trump", PERSON, &["Trump"]);

#[test]
fn a_subject_reaches_its_verb_over_a_prepositional_or_coordinated_tail() {
    let seen = reported(
        "Developers and supporters in Congress say the program has brought billions of dollars.",
        &[CONGRESS],
    );
    assert_eq!(
        seen,
        [pair(
            "the program has brought billions of dollars",
            "Developers"
        )]
    );
    let sanders: (&str, EntityType, &[&str]) = ("Bernie Sanders", PERSON, &["Sanders"]);
    let seen = reported(
        "Sanders on Tuesday said he wants to attack four provisions.",
        &[sanders],
    );
    assert_eq!(
        seen,
        [pair("he wants to attack four provisions", "Bernie Sanders")]
    );
    // A clause in between is no tail: "kept" is a verb.
    let seen = reported(
        "Mexico kept its cool for a while, though a panel found the deal was breached.",
        &[],
    );
    assert!(
        seen.iter().all(|(_, s)| s.as_deref() != Some("Mexico")),
        "{seen:?}"
    );
}

#[test]
fn a_progressive_reports_and_that_may_open_with_a_gerund_or_an_adverbial() {
    let house: (&str, EntityType, &[&str]) = ("White House", ORG, &["The White House"]);
    let seen = reported(
        "The White House is saying that the revelations show the need for reform.",
        &[house],
    );
    assert_eq!(
        seen,
        [pair(
            "the revelations show the need for reform",
            "White House"
        )]
    );
    let seen = reported("He claimed that paying no income taxes was smart.", &[]);
    assert_eq!(seen, [pair("paying no income taxes was smart", "He")]);
    let seen = reported(
        "Trump said that in 1998, the plan had failed for good.",
        &[TRUMP],
    );
    assert_eq!(
        seen,
        [pair(
            "in 1998, the plan had failed for good",
            "Donald Trump"
        )]
    );
}

#[test]
fn a_finding_needs_no_that_before_a_clause_with_its_own_subject() {
    let seen = reported("Leaked documents show he took a massive loss.", &[]);
    assert_eq!(seen, [pair("he took a massive loss", "Leaked documents")]);
    let seen = reported("The police found the keys in the car.", &[]);
    assert!(seen.is_empty(), "{seen:?}");
}

#[test]
fn the_subject_stands_before_an_aside_or_a_named_speaker_before_a_comma() {
    let clinton: (&str, EntityType, &[&str]) = ("Hillary Clinton", PERSON, &["Clinton"]);
    let seen = reported(
        "Trump has been angry since Clinton, at Monday’s debate, cited comments he had made.",
        &[TRUMP, clinton],
    );
    assert!(
        seen.iter()
            .any(|(_, s)| s.as_deref() == Some("Hillary Clinton")),
        "{seen:?}"
    );
    let seen = reported(
        "Trump, speaking to a veterans group, said he would order a review.",
        &[TRUMP],
    );
    assert_eq!(seen, [pair("he would order a review", "Donald Trump")]);
}

#[test]
fn a_content_ends_before_another_attribution_or_an_aside() {
    let seen = reported(
        "Only 52 percent of voters agreed that Clinton is healthy enough, while 73 percent said the same of Trump.",
        &[TRUMP],
    );
    assert!(
        seen.iter().any(|(c, _)| c == "Clinton is healthy enough"),
        "{seen:?}"
    );
    let seen = reported(
        "Yet, as he observed, in the early days -- when he wouldn't be worried about re-election -- products matter.",
        &[],
    );
    assert!(
        seen.iter().all(|(c, _)| !c.contains("products")),
        "{seen:?}"
    );
    let seen = reported(
        "It also does not answer whether Scott had a gun, as police have said.",
        &[],
    );
    assert_eq!(
        seen,
        [pair(
            "It also does not answer whether Scott had a gun",
            "police"
        )]
    );
}

#[test]
fn a_headline_verb_run_into_a_name_attributes_the_headline() {
    let graham: (&str, EntityType, &[&str]) = ("Lindsey Graham", PERSON, &["Lindsey Graham Says"]);
    let seen = quotes(
        "Trump Could Address Clean Energy, Lindsey Graham Says.\n\nGraham spoke on Tuesday.",
        &[graham],
    );
    assert!(
        seen.iter()
            .any(|(_, c, s)| c == "Trump Could Address Clean Energy"
                && s.as_deref() == Some("Lindsey Graham")),
        "{seen:?}"
    );
}

#[test]
fn a_colon_introduction_speaks_with_the_subject_of_its_own_clause() {
    let seen = quotes(
        "She became so upset that I had to change my answer: “Of course I believe it.”",
        &[],
    );
    assert_eq!(
        seen,
        [(
            QuoteKind::Direct,
            "Of course I believe it.".into(),
            Some("I".into())
        )]
    );
}

#[test]
fn a_place_set_off_by_commas_is_stepped_over_before_that() {
    let clinton: (&str, EntityType, &[&str]) = ("Hillary Clinton", PERSON, &["Clinton"]);
    let seen = reported(
        "Clinton says at a campaign stop in Toledo, Ohio, that it means Trump never paid.",
        &[clinton],
    );
    assert_eq!(seen, [pair("it means Trump never paid", "Hillary Clinton")]);
}

#[test]
fn a_progressive_of_a_listed_past_reports() {
    let seen = reported(
        "The attorney general is confirming that the foundation is not registered.",
        &[],
    );
    assert_eq!(
        seen,
        [pair(
            "the foundation is not registered",
            "The attorney general"
        )]
    );
}
