//! Who said it, family by family: coreference with gender evidence, continuation,
//! noun-phrase speakers, reported speech, transcript labels — and the false friends of each.

use super::{doc_with, ORG, PERSON};
use crate::pipeline::doc::{EntityType, QuoteKind, SpeakerVia};
use crate::pipeline::Stage;
use crate::stages::quotes::QuotesStage;

/// One quote as these tests read it: its text, kind, speaker name and how the speaker was
/// found.
type Seen = (String, QuoteKind, Option<String>, Option<SpeakerVia>);

/// Every quote of `text` with the given entities.
fn quotes(text: &str, entities: &[(&str, EntityType, &[&str])]) -> Vec<Seen> {
    let mut doc = doc_with(text, entities);
    QuotesStage::default().run(&mut doc).unwrap();
    doc.quotes
        .iter()
        .map(|q| {
            (
                q.span.text(&doc.text).to_string(),
                q.kind,
                q.speaker.as_ref().map(|s| s.name.clone()),
                q.speaker.as_ref().map(|s| s.via),
            )
        })
        .collect()
}

/// The speaker and via of the quote whose text is `quote`.
fn speaker_of(seen: &[Seen], quote: &str) -> (Option<String>, Option<SpeakerVia>) {
    let q = seen.iter().find(|s| s.0 == quote);
    let q = q.unwrap_or_else(|| panic!("no quote {quote:?} in {seen:?}"));
    (q.2.clone(), q.3)
}

fn named(name: &str, via: SpeakerVia) -> (Option<String>, Option<SpeakerVia>) {
    (Some(name.to_string()), Some(via))
}

#[test]
fn a_pronoun_after_a_company_name_is_the_person() {
    let ents: &[(&str, EntityType, &[&str])] = &[
        ("Jane Smith", PERSON, &["Jane Smith"]),
        ("Acme", ORG, &["Acme"]),
        ("City Museum", PERSON, &["City Museum"]),
    ];
    let text = "Jane Smith met Acme on Monday. Acme announced cuts at the City Museum. \
                “It was tense,” she said.";
    let seen = quotes(text, ents);
    assert_eq!(
        speaker_of(&seen, "It was tense,"),
        named("Jane Smith", SpeakerVia::Pronoun)
    );
}

#[test]
fn gender_evidence_picks_between_two_people_in_one_paragraph() {
    let ents: &[(&str, EntityType, &[&str])] = &[
        ("David Brown", PERSON, &["Brown"]),
        ("Jane Smith", PERSON, &["Jane Smith"]),
    ];
    let text =
        "Mr Brown and Jane Smith met on Monday. “We agreed,” she said. “We did not,” he said.";
    let seen = quotes(text, ents);
    assert_eq!(
        speaker_of(&seen, "We agreed,").0.as_deref(),
        Some("Jane Smith")
    );
    assert_eq!(
        speaker_of(&seen, "We did not,").0.as_deref(),
        Some("David Brown")
    );
}

#[test]
fn an_unattributed_paragraph_continues_or_follows_an_introduction() {
    let ents: &[(&str, EntityType, &[&str])] = &[
        ("Ana Ruiz", PERSON, &["Ana Ruiz", "Ruiz"]),
        ("Tom Valastro", PERSON, &["Tom Valastro", "Valastro"]),
    ];
    let text = "“We tried,” Ruiz said.\n\n“It was not enough.”\n\nRuiz told the committee:\n\n\
                “We failed them.”\n\nValastro praised the governor on Monday.\n\n\
                “We need someone who cuts through.”";
    let seen = quotes(text, ents);
    let continued = named("Ana Ruiz", SpeakerVia::Continuation);
    assert_eq!(speaker_of(&seen, "It was not enough."), continued);
    assert_eq!(
        speaker_of(&seen, "We failed them.").0.as_deref(),
        Some("Ana Ruiz")
    );
    assert_eq!(
        speaker_of(&seen, "We need someone who cuts through."),
        named("Tom Valastro", SpeakerVia::Continuation)
    );
}

#[test]
fn noun_phrase_speakers_prefer_a_name_and_keep_an_affiliation() {
    let ents: &[(&str, EntityType, &[&str])] = &[
        ("Acme", ORG, &["Acme"]),
        ("Cloudflare", ORG, &["Cloudflare"]),
        ("Tim Morgan", PERSON, &["Mr. Morgan"]),
        ("Sierra Club", ORG, &["Sierra Club"]),
    ];
    let mut doc = doc_with("“No comment,” said a spokesperson for Acme.", ents);
    QuotesStage::default().run(&mut doc).unwrap();
    let speaker = doc.quotes[0].speaker.as_ref().unwrap();
    assert_eq!(speaker.via, SpeakerVia::NounPhrase);
    assert_eq!(speaker.affiliation, Some(0));
    let seen = quotes("“We are safe,” said the security firm, Cloudflare.", ents);
    assert_eq!(
        speaker_of(&seen, "We are safe,").0.as_deref(),
        Some("Cloudflare")
    );
    let seen = quotes(
        "“It was the least bad outcome,” Mr. Morgan of the Sierra Club said.",
        ents,
    );
    assert_eq!(
        speaker_of(&seen, "It was the least bad outcome,"),
        named("Tim Morgan", SpeakerVia::Name)
    );
    let seen = quotes("“You work hard,” a narrator in the Acme ad asks.", ents);
    assert_eq!(
        speaker_of(&seen, "You work hard,").0.as_deref(),
        Some("a narrator in the Acme ad")
    );
}

#[test]
fn phrases_that_are_no_speaker_are_not_taken() {
    let ents: &[(&str, EntityType, &[&str])] = &[
        ("Hillary Clinton", PERSON, &["Hillary Clinton"]),
        ("Laurence Tribe", PERSON, &["Laurence Tribe"]),
    ];
    let seen = quotes(
        "The ad uses footage of Hillary Clinton asking, “Why not?”",
        ents,
    );
    assert_eq!(
        speaker_of(&seen, "Why not?").0.as_deref(),
        Some("Hillary Clinton")
    );
    // A dash before a lower-case phrase is no sign-off.
    let seen = quotes(
        "Laurence Tribe likened the rules to “burning the Constitution” - a charge that stung.",
        ents,
    );
    assert_ne!(
        speaker_of(&seen, "burning the Constitution").0.as_deref(),
        Some("a charge")
    );
    // The object of a preposition is not the subject of the verb after it.
    let seen = quotes(
        "Protesters marching through the streets chanted “What curfew?”",
        &[],
    );
    let (speaker, _) = speaker_of(&seen, "What curfew?");
    assert!(speaker.is_some_and(|s| s.starts_with("Protesters")));
}

#[test]
fn transcript_labels_name_people_of_the_article() {
    let ents: &[(&str, EntityType, &[&str])] = &[
        ("Mike Pence", PERSON, &["Mike Pence"]),
        ("Chris Wallace", PERSON, &["Chris Wallace"]),
    ];
    let text = "Mike Pence spoke to Chris Wallace.\n\n\"WALLACE: Will she be there?\n\n\
                \"PENCE: She will not be attending.\n\n\"BREAKING: Markets fell.";
    let seen = quotes(text, ents);
    assert_eq!(
        speaker_of(&seen, "WALLACE: Will she be there?"),
        named("Chris Wallace", SpeakerVia::Name)
    );
    assert_eq!(
        speaker_of(&seen, "PENCE: She will not be attending."),
        named("Mike Pence", SpeakerVia::Name)
    );
    let breaking = speaker_of(&seen, "BREAKING: Markets fell.").0;
    assert_ne!(breaking.as_deref(), Some("BREAKING"));
}

#[test]
fn a_transcript_label_names_a_speaker_the_article_names_nowhere_else() {
    let ents: &[(&str, EntityType, &[&str])] = &[("Mike Pence", PERSON, &["Mike Pence"])];
    let text = "Mike Pence gave an interview.\n\n\"HOST: Will she be there?\n\n\
                \"PENCE: She will not.\n\n\"HOST: Why not?\n\n\"NOTE: Edited for length.";
    let seen = quotes(text, ents);
    for quote in ["HOST: Will she be there?", "HOST: Why not?"] {
        assert_eq!(speaker_of(&seen, quote), named("Host", SpeakerVia::Name));
    }
    let note = speaker_of(&seen, "NOTE: Edited for length.").0;
    assert!(!note.is_some_and(|n| n.eq_ignore_ascii_case("note")));
    // One label alone is no transcript, however often it recurs.
    let seen = quotes("\"NOTE: One.\n\n\"NOTE: Two.", &[]);
    assert!(seen.iter().all(|s| s.2.is_none()), "{seen:?}");
}

#[test]
fn a_quote_as_the_object_of_a_persons_verb_is_theirs() {
    let ents: &[(&str, EntityType, &[&str])] = &[
        ("Donald Trump", PERSON, &["Donald Trump", "Trump"]),
        ("Laurence Tribe", PERSON, &["Laurence H. Tribe"]),
    ];
    let text = "In a speech, Trump attacked “the hateful ideology of radical Islam.”\n\n\
                Another critic, Laurence H. Tribe, likened the rules to \"burning the \
                Constitution\" - a charge that stung.\n\n\
                Trump visited the “Little Havana” district.\n\n\
                Trump rebuked Tribe during a “shouting match” in the office.\n\n\
                The report listed “wasteful spending” by the city.";
    let seen = quotes(text, ents);
    let speaker = |quote: &str| speaker_of(&seen, quote).0;
    assert_eq!(
        speaker("the hateful ideology of radical Islam.").as_deref(),
        Some("Donald Trump")
    );
    assert_eq!(
        speaker("burning the Constitution").as_deref(),
        Some("Laurence Tribe")
    );
    assert_eq!(speaker("Little Havana"), None, "a name is nobody's words");
    assert_eq!(
        speaker("shouting match"),
        None,
        "a description after a preposition"
    );
    assert_eq!(speaker("wasteful spending"), None, "a report is no person");
}

#[test]
fn reported_speech_is_indirect_or_mixed() {
    let ents: &[(&str, EntityType, &[&str])] = &[("Phil Lovas", PERSON, &["Phil Lovas", "Lovas"])];
    let seen = quotes("Lovas told reporters the deal was dead.", ents);
    assert_eq!(seen[0].0, "the deal was dead");
    assert_eq!(seen[0].1, QuoteKind::Indirect);
    let seen = quotes("According to Lovas, the deal is dead.", ents);
    assert_eq!(seen[0].0, "the deal is dead");
    let seen = quotes(
        "The chairman, Phil Lovas, said he cannot comment on the letter.",
        ents,
    );
    assert_eq!(seen[0].0, "he cannot comment on the letter");
    assert_eq!(seen[0].2.as_deref(), Some("Phil Lovas"));
    let seen = quotes("The plan will fail, said Lovas, the chairman.", ents);
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].0, "The plan will fail");
    assert_eq!(seen[0].2.as_deref(), Some("Phil Lovas"));
    let seen = quotes("Lovas said that, if elected, he would cut taxes.", ents);
    assert_eq!(seen[0].0, "if elected, he would cut taxes");
    let seen = quotes(
        "Lovas said the deal was “dead on arrival” in Congress.",
        ents,
    );
    assert_eq!(seen[0].0, "the deal was “dead on arrival” in Congress");
    assert_eq!(seen[0].1, QuoteKind::Mixed);
    assert_eq!(seen.len(), 1, "the partial quote is absorbed: {seen:?}");
}

#[test]
fn descriptions_resolve_through_roles() {
    let ents: &[(&str, EntityType, &[&str])] = &[("Ana Ruiz", PERSON, &["Ana Ruiz"])];
    let mut doc = doc_with(
        "Ana Ruiz, the finance minister, visited Leeds.\n\n“Taxes will fall,” the minister said.",
        ents,
    );
    doc.entities[0].roles.push("finance minister".to_string());
    QuotesStage::default().run(&mut doc).unwrap();
    let speaker = doc.quotes[0].speaker.as_ref().unwrap();
    assert_eq!(
        (speaker.name.as_str(), speaker.via),
        ("Ana Ruiz", SpeakerVia::Description)
    );
}
