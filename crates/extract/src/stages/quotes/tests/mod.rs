//! The quotes stage on small documents whose entities are given.

use super::QuotesStage;
use crate::pipeline::doc::{Entity, EntityType, Span};
use crate::pipeline::{Doc, Stage};
use crate::stages::testing::prepared;

/// A document of `text` with the given entities, each mentioned wherever one of its
/// surface forms occurs as a whole word.
pub(super) fn doc_with(text: &str, entities: &[(&str, EntityType, &[&str])]) -> Doc {
    let mut doc = prepared("t", text);
    let body = doc.text.clone();
    for (name, kind, forms) in entities {
        let mut mentions = Vec::new();
        for form in forms.iter() {
            for (at, _) in body.match_indices(form) {
                let end = at + form.len();
                let boundary_before = body[..at]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric());
                let boundary_after = body[end..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric());
                let inside_other = mentions
                    .iter()
                    .any(|s: &Span| s.start <= at && end <= s.end);
                if boundary_before && boundary_after && !inside_other {
                    mentions.push(Span::new(at, end));
                }
            }
        }
        mentions.sort();
        doc.entities.push(Entity {
            name: name.to_string(),
            kind: *kind,
            mentions,
            roles: Vec::new(),
            salience: 0.0,
        });
    }
    doc
}

/// (quote text, verb, speaker name) for every quote of `doc`.
fn run(doc: &mut Doc) -> Vec<(String, Option<String>, Option<String>)> {
    QuotesStage::default().run(doc).unwrap();
    doc.quotes
        .iter()
        .map(|q| {
            (
                q.span.text(&doc.text).to_string(),
                q.verb.clone(),
                q.speaker.as_ref().map(|s| s.name.clone()),
            )
        })
        .collect()
}

fn speakers(text: &str, entities: &[(&str, EntityType, &[&str])]) -> Vec<(String, Option<String>)> {
    let mut doc = doc_with(text, entities);
    run(&mut doc).into_iter().map(|(q, _, s)| (q, s)).collect()
}

fn q(text: &str, speaker: Option<&str>) -> (String, Option<String>) {
    (text.to_string(), speaker.map(str::to_string))
}

pub(super) const PERSON: EntityType = EntityType::Person;
pub(super) const ORG: EntityType = EntityType::Org;

#[test]
fn post_quote_attributions() {
    let ents: &[(&str, EntityType, &[&str])] = &[("Jane Smith", PERSON, &["Jane Smith", "Smith"])];
    let mut doc = doc_with(
        "“We will win,” Smith said. “We always do,” said Jane Smith.",
        ents,
    );
    let got = run(&mut doc);
    assert_eq!(
        got,
        vec![
            (
                "We will win,".into(),
                Some("said".into()),
                Some("Jane Smith".into())
            ),
            (
                "We always do,".into(),
                Some("said".into()),
                Some("Jane Smith".into())
            ),
        ]
    );
    let got = speakers("\"It is over,\" Jane Smith told the BBC on Monday.", ents);
    assert_eq!(got, vec![q("It is over,", Some("Jane Smith"))]);
    let got = speakers("“It is over.” Smith said in an interview.", ents);
    assert_eq!(got, vec![q("It is over.", Some("Jane Smith"))]);
}

#[test]
fn a_quote_ending_its_sentence_does_not_take_the_next_sentences_verb() {
    let ents: &[(&str, EntityType, &[&str])] = &[("Jane Smith", PERSON, &["Smith"])];
    let got = speakers("“We will win.” Smith said the polls were wrong.", ents);
    assert_eq!(
        got,
        vec![
            q("We will win.", None),
            q("the polls were wrong", Some("Jane Smith"))
        ]
    );
}

#[test]
fn pre_quote_attributions_and_colons() {
    let ents: &[(&str, EntityType, &[&str])] = &[
        ("Mark Rutte", PERSON, &["Mark Rutte", "Rutte"]),
        ("BBC", ORG, &["BBC"]),
    ];
    let got = speakers(
        "When asked about it, NATO chief Mark Rutte replied: “Let’s move on.”",
        ents,
    );
    assert_eq!(got, vec![q("Let’s move on.", Some("Mark Rutte"))]);
    let got = speakers("Rutte told BBC, “We stay together.”", ents);
    assert_eq!(got, vec![q("We stay together.", Some("Mark Rutte"))]);
    let got = speakers("RUTTE: “Thank you.”", &[("Mark Rutte", PERSON, &["RUTTE"])]);
    assert_eq!(got, vec![q("Thank you.", Some("Mark Rutte"))]);
}

#[test]
fn subject_across_adverbs_appositives_and_conjunctions() {
    let ents: &[(&str, EntityType, &[&str])] = &[
        ("Jane Smith", PERSON, &["Jane Smith", "Smith"]),
        ("Bob Jones", PERSON, &["Bob Jones", "Jones"]),
        ("Acme", ORG, &["Acme"]),
    ];
    let got = speakers(
        "Jane Smith, the billionaire who heads Acme, agrees that “it’s time to go.”",
        ents,
    );
    assert_eq!(got, vec![q("it’s time to go.", Some("Jane Smith"))]);
    let got = speakers(
        "Meanwhile, retired Adm. Jane Smith, the former commander of Acme, had then conteded that leaving would be “a mistake of epic proportion.”",
        ents,
    );
    assert_eq!(
        got,
        vec![q("a mistake of epic proportion.", Some("Jane Smith"))]
    );
    let got = speakers(
        "Smith called Jones a “dictator” and said Jones “should never have started” the war and that he “could have made a deal.”",
        ents,
    );
    assert_eq!(
        got,
        vec![
            q("Jones a “dictator”", Some("Jane Smith")),
            q(
                "Jones “should never have started” the war and that he “could have made a deal.”",
                Some("Jane Smith")
            ),
        ]
    );
    let got = speakers(
        "President Jane Smith had also backed the plan, saying Acme could “forget about” it.",
        ents,
    );
    assert_eq!(
        got,
        vec![q("Acme could “forget about” it", Some("Jane Smith"))]
    );
    let got = speakers(
        "Bob Jones later said he was prepared to “give up” his post.",
        ents,
    );
    assert_eq!(
        got,
        vec![q(
            "he was prepared to “give up” his post",
            Some("Bob Jones")
        )]
    );
    let got = speakers(
        "Bob Jones warned in an interview with Acme that if the plan fails, “The risk is 100 percent.”",
        ents,
    );
    let mixed = "if the plan fails, “The risk is 100 percent.”";
    assert_eq!(got, vec![q(mixed, Some("Bob Jones"))]);
}

#[test]
fn passive_and_inverted_attribution() {
    let ents: &[(&str, EntityType, &[&str])] = &[
        ("Ann Lee", PERSON, &["Ann Lee", "Lee"]),
        ("The New York Times", ORG, &["New York Times"]),
    ];
    let got = speakers(
        "Leaving, “would be damaging,” said a former official Ann Lee was quoted by the New York Times as saying.",
        ents,
    );
    assert_eq!(got, vec![q("would be damaging,", Some("Ann Lee"))]);
    let got = speakers(
        "“It would be damaging,” Ann Lee was quoted by the New York Times as saying.",
        ents,
    );
    let mut doc = doc_with(
        "“It would be damaging,” Ann Lee was quoted by the New York Times as saying.",
        ents,
    );
    assert_eq!(got, vec![q("It would be damaging,", Some("Ann Lee"))]);
    assert_eq!(run(&mut doc)[0].1.as_deref(), Some("quoted"));
}

#[test]
fn according_to() {
    let ents: &[(&str, EntityType, &[&str])] = &[("Acme", ORG, &["Acme"])];
    let got = speakers("“Sales fell,” according to Acme.", ents);
    assert_eq!(got, vec![q("Sales fell,", Some("Acme"))]);
    let mut doc = doc_with("According to Acme, “sales fell.”", ents);
    let got = run(&mut doc);
    assert_eq!(got[0].1.as_deref(), Some("according to"));
    assert_eq!(got[0].2.as_deref(), Some("Acme"));
}

#[test]
fn pronouns_resolve_to_the_latest_compatible_entity_outside_quotes() {
    let ents: &[(&str, EntityType, &[&str])] = &[
        ("Kemi Badenoch", PERSON, &["Kemi Badenoch"]),
        ("Vladimir Putin", PERSON, &["Vladimir Putin"]),
        ("United States", EntityType::Loc, &["America"]),
        ("Acme", ORG, &["Acme"]),
    ];
    let text = "Kemi Badenoch told reporters, “We must act.”\n\n“America will help, and Vladimir Putin knows it,” she added.\n\nAcme was founded in 1990.\n\n“We sell rockets,” it says.";
    let mut doc = doc_with(text, ents);
    let got = run(&mut doc);
    assert_eq!(got[1].2.as_deref(), Some("Kemi Badenoch"));
    assert_eq!(got[1].1.as_deref(), Some("added"));
    let speaker = doc.quotes[1].speaker.as_ref().unwrap();
    assert_eq!(speaker.span.text(&doc.text), "she");
    assert_eq!(speaker.entity, Some(0));
    assert_eq!(got[2].2.as_deref(), Some("Acme"));
    // Unresolvable pronouns stay themselves.
    let got = speakers("“No,” they said.", &[]);
    assert_eq!(got, vec![q("No,", Some("they"))]);
}

#[test]
fn the_website_speaks_for_the_salient_organisation() {
    let ents: &[(&str, EntityType, &[&str])] = &[("NATO", ORG, &["NATO"]), ("BBC", ORG, &["BBC"])];
    let text = "According to BBC, NATO was founded in 1949.\n\nAs per the organization’s website, the purpose of NATO is security.\n\nIt “promotes democratic values,” according to the website.\n\nNATO is further committed to “the peaceful resolution of disputes.” The website explains that NATO can act.\n\n“These are carried out under a mandate,” it says.";
    let mut doc = doc_with(text, ents);
    let got = run(&mut doc);
    let names: Vec<_> = got.iter().map(|g| g.2.as_deref()).collect();
    // "According to BBC, …" is the BBC's reported speech; the website's words are NATO's.
    let expected = [
        Some("BBC"),
        Some("NATO"),
        Some("NATO"),
        Some("NATO"),
        Some("NATO"),
    ];
    assert_eq!(names, expected);
    let speaker = doc.quotes[1].speaker.as_ref().unwrap();
    assert_eq!(speaker.span.text(&doc.text), "the website");
}

#[test]
fn non_entity_sources_are_noun_phrases() {
    let got = speakers("“This is a mistake,” a senior official said.", &[]);
    assert_eq!(
        got,
        vec![q("This is a mistake,", Some("a senior official"))]
    );
    let got = speakers(
        "Senior administration officials told reporters that it was “a disaster.”",
        &[("United States", EntityType::Loc, &["US"])],
    );
    assert_eq!(
        got,
        vec![q(
            "it was “a disaster.”",
            Some("Senior administration officials")
        )]
    );
    let got = speakers(
        "“It is over,” said US officials.",
        &[("United States", EntityType::Loc, &["US"])],
    );
    assert_eq!(got, vec![q("It is over,", Some("US officials"))]);
}

#[test]
fn scare_quotes_have_no_speaker() {
    let ents: &[(&str, EntityType, &[&str])] = &[("Bob Jones", PERSON, &["Bob Jones"])];
    let got = speakers(
        "The president rebuked Bob Jones during a “shouting match” at the office.",
        ents,
    );
    assert_eq!(got, vec![q("shouting match", None)]);
    let got = speakers("What US ‘leaving’ NATO could mean?", &[]);
    assert_eq!(got, vec![q("leaving", None)]);
}

#[test]
fn unbalanced_marks_do_not_cascade() {
    let ents: &[(&str, EntityType, &[&str])] = &[("Volodymyr Zelensky", PERSON, &["Zelensky"])];
    let text = "Zelensky later said he was prepared to “give up” his presidency. “If you need me to go, I’m ready…”I can trade it for membership, if there are such conditions,” he said.\n\nThe talks went on. “Next,” he said.";
    let got = speakers(text, ents);
    assert_eq!(
        got,
        vec![
            q(
                "he was prepared to “give up” his presidency",
                Some("Volodymyr Zelensky")
            ),
            q(
                "If you need me to go, I’m ready…",
                Some("Volodymyr Zelensky")
            ),
            q(
                "I can trade it for membership, if there are such conditions,",
                Some("Volodymyr Zelensky")
            ),
            q("Next,", Some("Volodymyr Zelensky")),
        ]
    );
    // A stray opener is dropped at its paragraph's end, never swallowing the next one.
    let text = "He said “ok and left the room.\n\nThe end came. “Go,” she said.";
    let got = speakers(text, &[]);
    let stray = q("“ok and left the room", Some("He"));
    assert_eq!(got, vec![stray, q("Go,", Some("she"))]);
    // A stray closer is ignored.
    let got = speakers("It was late” and dark. “Run,” she said.", &[]);
    assert_eq!(got, vec![q("Run,", Some("she"))]);
}

#[test]
fn quotes_over_several_paragraphs_share_their_speaker() {
    let ents: &[(&str, EntityType, &[&str])] = &[("Jane Smith", PERSON, &["Jane Smith"])];
    let text = "Jane Smith said: “We will win this fight.\n\n“And we will win the next one.”\n\nThe rally ended.";
    let got = speakers(text, ents);
    assert_eq!(
        got,
        vec![
            q("We will win this fight.", Some("Jane Smith")),
            q("And we will win the next one.", Some("Jane Smith")),
        ]
    );
    let text = "“We will win this fight.\n\n“And the next one,” Jane Smith said.";
    let got = speakers(text, ents);
    assert_eq!(got[0], q("We will win this fight.", Some("Jane Smith")));
}

#[test]
fn a_new_quote_paragraph_continues_the_previous_speaker() {
    let ents: &[(&str, EntityType, &[&str])] = &[("Jane Smith", PERSON, &["Jane Smith"])];
    let text = "“We will win,” Jane Smith said.\n\n“We always win.”";
    let got = speakers(text, ents);
    assert_eq!(got[1], q("We always win.", Some("Jane Smith")));
    let text = "“We will win,” Jane Smith said. “We always win.”";
    let got = speakers(text, ents);
    assert_eq!(got[1], q("We always win.", Some("Jane Smith")));
}

#[test]
fn nested_single_quotes_stay_inside() {
    let got = speakers("“He told me ‘never again’ and left,” she said.", &[]);
    assert_eq!(
        got,
        vec![q("He told me ‘never again’ and left,", Some("she"))]
    );
}

#[test]
fn apostrophes_are_not_quotes() {
    let got = speakers(
        "It’s the countries’ choice, and the ’90s are over. Rock 'n' roll isn’t.",
        &[],
    );
    assert!(got.is_empty(), "{got:?}");
    let got = speakers("The 'America First' policy and the allies’ worries.", &[]);
    assert_eq!(got, vec![q("America First", None)]);
}

#[test]
fn straight_marks_pair_by_context() {
    let got = speakers("He said:\"We go,\"she said. \"Stop\" means stop.", &[]);
    assert_eq!(got[0].0, "We go,");
    assert!(got.iter().any(|g| g.0 == "Stop"), "{got:?}");
}

#[test]
fn long_appositives_asides_and_trailing_phrases_after_the_quote() {
    let ents: &[(&str, EntityType, &[&str])] = &[
        ("Scott Pruitt", PERSON, &["Scott Pruitt"]),
        ("Gwen Moore", PERSON, &["Gwen Moore"]),
        ("Doug Holtz", PERSON, &["Holtz"]),
    ];
    let got = speakers(
        "“It’s an invasion,” Scott Pruitt, the attorney general of Oklahoma, one of the states suing the agency, said at an event.",
        ents,
    );
    assert_eq!(got, vec![q("It’s an invasion,", Some("Scott Pruitt"))]);
    let got = speakers(
        "“It’s a dog whistle,” Rep. Gwen Moore (D-Wis.) said Friday.",
        ents,
    );
    assert_eq!(got, vec![q("It’s a dog whistle,", Some("Gwen Moore"))]);
    let got = speakers(
        "“I admire the mechanics” of the proposals, Mr. Holtz said. “They’re detailed.”",
        ents,
    );
    assert_eq!(
        got,
        vec![
            q("I admire the mechanics", Some("Doug Holtz")),
            q("They’re detailed.", Some("Doug Holtz")),
        ]
    );
}

#[test]
fn sign_offs_and_sentence_initial_inversion() {
    let ents: &[(&str, EntityType, &[&str])] = &[("Ana Ruiz", PERSON, &["Ana Ruiz", "Ruiz"])];
    let got = speakers("“We deserve better.” ― Ana Ruiz", ents);
    assert_eq!(got, vec![q("We deserve better.", Some("Ana Ruiz"))]);
    let got = speakers("Said Ruiz: “We deserve better.”", ents);
    assert_eq!(got, vec![q("We deserve better.", Some("Ana Ruiz"))]);
}

#[test]
fn a_quote_after_reported_speech_belongs_to_its_speaker() {
    let ents: &[(&str, EntityType, &[&str])] = &[("Adam Schiff", PERSON, &["Schiff"])];
    let got = speakers(
        "The administration may be reluctant to act, Schiff said. “The other factor is timing.”",
        ents,
    );
    assert_eq!(
        got,
        vec![q("The other factor is timing.", Some("Adam Schiff"))]
    );
    let got = speakers(
        "During a speech, Schiff attacked the plan, saying, “It is reckless.”",
        ents,
    );
    // "attacked the plan" reports a stance too.
    assert_eq!(
        got,
        vec![
            q("the plan", Some("Adam Schiff")),
            q("It is reckless.", Some("Adam Schiff"))
        ]
    );
}

#[test]
fn speech_verbs_used_as_nouns_are_not_verbs() {
    let got = speakers(
        "“No comment,” Ann Lee, who leads one of the states and the reports office, said.",
        &[("Ann Lee", PERSON, &["Ann Lee"])],
    );
    assert_eq!(got, vec![q("No comment,", Some("Ann Lee"))]);
}

#[test]
fn pathological_inputs_stay_linear() {
    let many_singles = "'a ".repeat(20_000);
    let many_doubles = "he said “a ".repeat(5_000);
    let many_quotes = "“a” ".repeat(5_000) + "he said.";
    for text in [many_singles, many_doubles, many_quotes] {
        let mut doc = doc_with(&text, &[]);
        QuotesStage::default().run(&mut doc).unwrap();
    }
}

#[test]
fn odd_inputs_do_not_panic() {
    for text in [
        "“",
        "”",
        "\"",
        "'",
        "“”",
        "“ ”",
        "a “b",
        "”a“",
        "said “",
        "“x” said",
        "‘",
        "“a\n\n“b\n\n“c",
        "he said “‘”’",
        "according to",
        "according to “x”",
    ] {
        let mut doc = doc_with(text, &[]);
        QuotesStage::default().run(&mut doc).unwrap();
    }
}

mod cues;
mod other_outlets;
mod reported;
mod speakers;
