//! Cues beyond a reporting verb with a clause: a speech noun with its owner ("Trump’s claim
//! that …"), the topic of a speech verb after a preposition ("spoke about …", "warned of …"),
//! and the object of a verb that states it ("denied wrongdoing", "mentioned the remarks").

use super::{doc_with, PERSON};
use crate::pipeline::doc::{EntityType, QuoteKind};
use crate::pipeline::Stage;
use crate::stages::quotes::QuotesStage;

/// The (content, speaker name, verb) of the reported speech the default stage keeps.
fn reported(text: &str, entities: &[(&str, EntityType, &[&str])]) -> Vec<(String, String, String)> {
    let mut doc = doc_with(text, entities);
    QuotesStage::default().run(&mut doc).unwrap();
    doc.quotes
        .iter()
        .filter(|q| q.kind != QuoteKind::Direct)
        .map(|q| {
            (
                q.span.text(&doc.text).to_string(),
                q.speaker.as_ref().map_or(String::new(), |s| s.name.clone()),
                q.verb.clone().unwrap_or_default(),
            )
        })
        .collect()
}

fn seen(content: &str, speaker: &str, verb: &str) -> (String, String, String) {
    (content.into(), speaker.into(), verb.into())
}

const TRUMP: (&str, EntityType, &[&str]) = ("Donald Trump", PERSON, &["Donald Trump", "Trump"]);
const CLINTON: (&str, EntityType, &[&str]) =
    ("Hillary Clinton", PERSON, &["Hillary Clinton", "Clinton"]);

#[test]
fn a_speech_noun_with_an_owner_reports_its_that_clause() {
    let found = reported(
        "Politifact checked Donald Trump’s claim that there have been thousands of shootings.",
        &[TRUMP],
    );
    assert_eq!(
        found,
        [seen(
            "there have been thousands of shootings",
            "Donald Trump",
            "claim"
        )]
    );
    // A possessive pronoun speaks as its subject pronoun, past a modifier.
    let found = reported(
        "Clinton spoke on Monday. Her repeated warning that the deal would fail went unheeded.",
        &[CLINTON],
    );
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].1, "Hillary Clinton");
    assert!(found[0].0.starts_with("the deal would fail"));
}

#[test]
fn a_speech_noun_without_an_owner_or_with_a_relative_reports_nothing() {
    assert!(reported("Amid claims that the vote was rigged, officials met.", &[]).is_empty());
    assert!(reported(
        "Trump’s claim that was repeated on Monday drew criticism.",
        &[TRUMP]
    )
    .is_empty());
}

#[test]
fn the_topic_of_a_speech_verb_after_a_preposition_is_what_was_said() {
    let found = reported(
        "Hillary Clinton spoke out Tuesday about the death of Terence Crutcher in Tulsa.",
        &[CLINTON],
    );
    assert_eq!(
        found,
        [seen(
            "the death of Terence Crutcher in Tulsa",
            "Hillary Clinton",
            "spoke"
        )]
    );
    let found = reported(
        "Trump warned of higher taxes under a Democratic president.",
        &[TRUMP],
    );
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, "higher taxes under a Democratic president");
}

#[test]
fn a_preposition_that_opens_no_topic_reports_nothing() {
    // "on" is a topic only after a verb of comment; a speech verb alone reports no content.
    assert!(reported(
        "Trump spoke on condition of anonymity to the crowd.",
        &[TRUMP]
    )
    .is_empty());
    assert!(reported("Clinton spoke in Ohio for an hour.", &[CLINTON]).is_empty());
}

#[test]
fn the_object_of_a_verb_that_states_it_is_reported() {
    let found = reported("Trump denied any wrongdoing in the deal.", &[TRUMP]);
    assert_eq!(
        found,
        [seen("any wrongdoing in the deal", "Donald Trump", "denied")]
    );
    let found = reported(
        "Clinton mentioned the remarks as examples of his disrespect.",
        &[CLINTON],
    );
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].1, "Hillary Clinton");
    // "added" states no object: `added fuel to the fire` is no speech.
    assert!(reported("Trump added fuel to the fire.", &[TRUMP]).is_empty());
}

#[test]
fn a_long_content_after_said_is_a_clause_and_may_open_with_a_gerund() {
    // "shut" is a past the word forms do not tell; after "said" five words are a clause.
    let found = reported(
        "Trump said the polling location never shut its doors.",
        &[TRUMP],
    );
    assert_eq!(
        found,
        [seen(
            "the polling location never shut its doors",
            "Donald Trump",
            "said"
        )]
    );
    let found = reported(
        "Clinton said legalizing it could put thousands of people to work.",
        &[CLINTON],
    );
    assert_eq!(found.len(), 1);
    assert!(found[0].0.starts_with("legalizing it could"));
    // After a comma the participle opens an adjunct, not a content.
    let found = reported(
        "“We will win,” Trump said, doing his best impression.",
        &[TRUMP],
    );
    assert!(found.is_empty());
}

#[test]
fn pointed_out_reports_its_that_clause() {
    let found = reported(
        "Trump pointed out that the plan would cost billions.",
        &[TRUMP],
    );
    assert_eq!(
        found,
        [seen(
            "the plan would cost billions",
            "Donald Trump",
            "pointed"
        )]
    );
}

#[test]
fn a_relative_gap_after_say_is_no_content_but_a_split_clause_is() {
    let found = reported(
        "It would be run by the Revenue, which they say would save at least 300m.",
        &[],
    );
    assert!(found.is_empty(), "{found:?}");
    let found = reported(
        "The latest test, Trump said, was its biggest yet.",
        &[TRUMP],
    );
    assert!(
        found.iter().any(|(c, _, _)| c == "was its biggest yet"),
        "{found:?}"
    );
}
