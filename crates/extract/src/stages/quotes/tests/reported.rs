//! Reported speech that is speech: a predicate of speech or belief used as one, a content
//! clause and a noun-phrase speaker — and the sentences that look like reports but are none.

use super::{doc_with, ORG, PERSON};
use crate::pipeline::doc::{EntityType, Quote, QuoteKind};
use crate::pipeline::Stage;
use crate::stages::quotes::QuotesStage;

/// The quotes of `text` with the given entities, reported speech under `threshold` dropped.
fn quotes_at(text: &str, entities: &[(&str, EntityType, &[&str])], threshold: f64) -> Vec<Quote> {
    let mut doc = doc_with(text, entities);
    QuotesStage::new(threshold).run(&mut doc).unwrap();
    doc.quotes
}

/// (content, speaker name) of the reported speech the default stage keeps.
fn reported(text: &str, entities: &[(&str, EntityType, &[&str])]) -> Vec<(String, Option<String>)> {
    let mut doc = doc_with(text, entities);
    QuotesStage::default().run(&mut doc).unwrap();
    doc.quotes
        .iter()
        .filter(|q| q.kind != QuoteKind::Direct)
        .map(|q| {
            (
                q.span.text(&doc.text).to_string(),
                q.speaker.as_ref().map(|s| s.name.clone()),
            )
        })
        .collect()
}

const MUSK: (&str, EntityType, &[&str]) = ("Elon Musk", PERSON, &["Elon Musk", "Musk"]);
const NATO: (&str, EntityType, &[&str]) = ("NATO", ORG, &["NATO"]);
const RUSSIA: (&str, EntityType, &[&str]) = ("Russia", ORG, &["Russia"]);

#[test]
fn a_reporting_word_after_a_conjunction_is_a_noun_and_a_clause_is_no_speaker() {
    let seen = reported(
        "Musk’s comment came as fears grow over whether the US will continue to support NATO.",
        &[MUSK, NATO],
    );
    assert!(seen.is_empty(), "{seen:?}");
    let seen = reported("Amid claims that the vote was rigged, NATO met.", &[NATO]);
    assert!(seen.is_empty(), "{seen:?}");
}

#[test]
fn a_speech_verb_with_no_content_clause_reports_nothing() {
    let seen = reported(
        "Elon Musk’s comment on X about US “leaving the NATO” has added fuel to the fire.",
        &[MUSK, NATO],
    );
    assert!(seen.is_empty(), "{seen:?}");
    let seen = reported("Musk added a new line to the plan.", &[MUSK]);
    assert!(seen.is_empty(), "{seen:?}");
    let seen = reported("Musk added that the plan would change.", &[MUSK]);
    assert_eq!(
        seen,
        [("the plan would change".into(), Some("Elon Musk".into()))]
    );
}

#[test]
fn passive_and_impersonal_reports_have_no_speaker() {
    let text = "It’s feared that Ukraine joining NATO could upset the region.";
    let all = quotes_at(text, &[NATO], 0.0);
    assert_eq!(all.len(), 1, "{all:?}");
    assert!(all[0].speaker.is_none(), "{all:?}");
    assert!(all[0].confidence < 0.5, "{all:?}");
    assert!(
        reported(text, &[NATO]).is_empty(),
        "dropped by the default threshold"
    );
    let all = quotes_at("Musk was told that the plant would close.", &[MUSK], 0.0);
    assert!(all.iter().all(|q| q.speaker.is_none()), "{all:?}");
}

#[test]
fn a_relative_pronoun_speaks_for_its_antecedent() {
    let seen = reported(
        "NATO could upset Russia, which believes that the move would bring forces too close.",
        &[NATO, RUSSIA],
    );
    assert_eq!(
        seen,
        [(
            "the move would bring forces too close".into(),
            Some("Russia".into())
        )]
    );
}

#[test]
fn a_threat_or_promise_to_act_is_no_speech() {
    let trump: (&str, EntityType, &[&str]) = ("Donald Trump", PERSON, &["Donald Trump"]);
    let seen = reported(
        "President Donald Trump has frequently threatened to leave the alliance.",
        &[trump],
    );
    assert!(seen.is_empty(), "{seen:?}");
    let seen = reported("Donald Trump urged them to leave the alliance.", &[trump]);
    assert_eq!(
        seen.len(),
        1,
        "a directive to an addressee is speech: {seen:?}"
    );
}

#[test]
fn plain_reports_keep_a_high_confidence() {
    let tw: (&str, EntityType, &[&str]) = ("TimeWarner", ORG, &["TimeWarner"]);
    let all = quotes_at(
        "TimeWarner said fourth quarter sales rose 2% to $11.1bn.",
        &[tw],
        0.0,
    );
    assert_eq!(all.len(), 1, "{all:?}");
    assert!(all[0].confidence >= 0.8, "{all:?}");
    let lovas: (&str, EntityType, &[&str]) = ("Phil Lovas", PERSON, &["Lovas"]);
    let seen = reported("Lovas blamed Congress for the delay.", &[lovas]);
    assert_eq!(seen.len(), 1, "a stance's object is its content: {seen:?}");
}

#[test]
fn a_content_runs_over_a_nested_attribution_to_the_clause_end() {
    let rutte: (&str, EntityType, &[&str]) = ("Mark Rutte", PERSON, &["Mark Rutte", "Rutte"]);
    let zelensky: (&str, EntityType, &[&str]) = ("Volodymyr Zelensky", PERSON, &["Zelensky"]);
    let seen = reported(
        "Mark Rutte said he told Zelensky that he had to “find a way back” after the meeting.",
        &[rutte, zelensky],
    );
    let said = seen
        .iter()
        .find(|(_, s)| s.as_deref() == Some("Mark Rutte"));
    assert_eq!(
        said.map(|(c, _)| c.as_str()),
        Some("he told Zelensky that he had to “find a way back” after the meeting"),
        "{seen:?}"
    );
}
