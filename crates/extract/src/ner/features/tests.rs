//! Unit tests of the feature extractor: token analysis, document evidence, and the keys of
//! both passes.

use super::document::DocumentFeatures;
use super::forms::{lower_text, word_key, Scratch};
use super::keys::{template, KeyHasher};
use super::settings::FeatureSettings;
use super::spans::MentionAt;
use super::token::{Casing, TokenInfo};
use super::Resources;
use crate::ner::labels::Label;
use crate::ner::lexicon::{Gazetteer, WordClusters};
use crate::ner::{EntitySpan, EntityType};

fn analyse(token: &str) -> TokenInfo {
    TokenInfo::analyse(token, &WordClusters::default(), &mut Scratch::default())
}

fn document(sentences: &[&[&str]], gazetteer: &Gazetteer) -> DocumentFeatures {
    let sentences: Vec<Vec<&str>> = sentences.iter().map(|s| s.to_vec()).collect();
    let clusters = WordClusters::default();
    DocumentFeatures::new(
        &sentences,
        Resources {
            clusters: &clusters,
            gazetteer,
        },
        &FeatureSettings::default(),
        &mut Scratch::default(),
    )
}

#[test]
fn typographic_forms_match_ascii() {
    assert_eq!(analyse("\u{2019}s").word, analyse("'s").word);
    assert_eq!(analyse("\u{201c}").exact, analyse("\"").exact);
    assert_eq!(analyse("``").shape, analyse("\"").shape);
    assert_eq!(analyse("\u{2014}").word, analyse("-").word);
    assert_eq!(analyse("\u{2026}").word, analyse("...").word);
}

#[test]
fn word_is_lowercased_and_digit_normalised() {
    assert_eq!(analyse("BRUSSELS").word, analyse("Brussels").word);
    assert_ne!(analyse("BRUSSELS").exact, analyse("Brussels").exact);
    assert_eq!(analyse("1996-08-22").word, analyse("2025-03-01").word);
    let mut scratch = Scratch::default();
    assert_eq!(word_key("Paris", &mut scratch), analyse("PARIS").word);
    assert_eq!(lower_text("Kyiv\u{2019}s", &mut scratch), "kyiv's");
}

#[test]
fn shapes_and_affixes() {
    assert_eq!(
        analyse("Blackburn").short_shape,
        analyse("Paris").short_shape
    );
    assert_ne!(analyse("Blackburn").shape, analyse("Paris").shape);
    assert_eq!(analyse("U.S.").short_shape, analyse("E.U.").short_shape);
    assert_eq!(
        analyse("walking").suffixes[2],
        analyse("talking").suffixes[2]
    );
    assert_eq!(analyse("a").affixes, 0);
    assert_eq!(analyse("ab").affixes, 1);
    assert_eq!(analyse("").affixes, 0);
}

#[test]
fn casing_classes() {
    let casing = |t: &str| analyse(t).casing;
    assert_eq!(casing("Paris"), Casing::Title);
    assert_eq!(casing("NATO"), Casing::Upper);
    assert_eq!(casing("U.S."), Casing::Upper);
    assert_eq!(casing("McDonald"), Casing::Mixed);
    assert_eq!(casing("iPhone"), Casing::Mixed);
    assert_eq!(casing("the"), Casing::Lower);
    assert_eq!(casing("G7"), Casing::AlphaNum);
    assert_eq!(casing("1,000"), Casing::Number);
    assert_eq!(casing("\u{201d}"), Casing::Punct);
    assert_eq!(casing("Ελλάδα"), Casing::Title);
}

#[test]
fn headline_and_document_case() {
    let doc = document(
        &[
            &["BLACKBURN", "WINS", "1996-08-22"],
            &["Mr", "Blackburn", "won", "."],
            &["Won", "!"],
        ],
        &Gazetteer::default(),
    );
    assert!(doc.infos[0].headline);
    assert!(!doc.infos[3].headline);
    assert_eq!(doc.infos[0].document_case, 2, "capitalised in running text");
    assert_eq!(doc.infos[1].document_case, 0);
    assert!(doc.infos[3].sentence_start && !doc.infos[4].sentence_start);
    assert_eq!(doc.infos[7].document_case, 1, "'won' seen lower case");
}

#[test]
fn gazetteer_matches_mark_positions() {
    let gazetteer = Gazetteer::from_entries([
        (vec!["New", "York"], EntityType::Loc),
        (vec!["New", "York", "Times"], EntityType::Org),
    ]);
    let doc = document(&[&["the", "NEW", "YORK", "Times", "said"]], &gazetteer);
    let loc = EntityType::Loc.index();
    let org = EntityType::Org.index();
    assert_eq!(doc.infos[0].gazetteer, 0);
    assert_eq!(doc.infos[1].gazetteer, 1 << (4 * loc) | 1 << (4 * org));
    assert_eq!(
        doc.infos[2].gazetteer,
        1 << (4 * loc + 2) | 1 << (4 * org + 1)
    );
    assert_eq!(doc.infos[3].gazetteer, 1 << (4 * org + 2));
    let lower = document(&[&["new", "york"]], &gazetteer);
    assert_eq!(
        lower.infos[0].gazetteer, 0,
        "matches must start capitalised"
    );
}

#[test]
fn features_are_deterministic_and_windowed() {
    let doc = document(&[&["Peter", "Blackburn", "said"]], &Gazetteer::default());
    let settings = FeatureSettings::default();
    let range = doc.sentences()[0].clone();
    let mut first = Vec::new();
    doc.local_features(&range, 1, &settings, &mut first);
    let mut again = Vec::new();
    doc.local_features(&range, 1, &settings, &mut again);
    assert_eq!(first, again);
    let mut other = Vec::new();
    doc.local_features(&range, 0, &settings, &mut other);
    assert_eq!(first[0], other[0], "bias is shared");
    assert_ne!(first[1..], other[1..]);
    let narrow = FeatureSettings {
        window: 0,
        affix_len: 0,
        ..FeatureSettings::default()
    };
    let mut fewer = Vec::new();
    doc.local_features(&range, 1, &narrow, &mut fewer);
    assert!(fewer.len() + 4 + 8 <= first.len());
}

#[test]
fn context_aggregation_shares_neighbours_across_occurrences() {
    let doc = document(
        &[
            &["Pirelli", "SpA", "rose"],
            &["Shares", "in", "Pirelli", "fell"],
        ],
        &Gazetteer::default(),
    );
    let (first, second) = (doc.sentences()[0].clone(), doc.sentences()[1].clone());
    let settings = FeatureSettings::default();
    let mut here = Vec::new();
    doc.local_features(&first, 0, &settings, &mut here);
    let mut there = Vec::new();
    doc.local_features(&second, 5, &settings, &mut there);
    assert_eq!(here[here.len() - 4..], there[there.len() - 4..]);
    let without = FeatureSettings {
        context_aggregation: false,
        ..FeatureSettings::default()
    };
    let mut fewer = Vec::new();
    doc.local_features(&first, 0, &without, &mut fewer);
    assert_eq!(fewer.len() + 4, here.len(), "two occurrences, two sides");
    let mut lower = Vec::new();
    doc.local_features(&first, 2, &settings, &mut lower);
    let mut lower_without = Vec::new();
    doc.local_features(&first, 2, &without, &mut lower_without);
    assert_eq!(lower, lower_without, "only capitalised words aggregate");
}

#[test]
fn second_pass_sees_other_occurrences() {
    let doc = document(
        &[&["Blackburn", "said"], &["BLACKBURN"]],
        &Gazetteer::default(),
    );
    let person = Label::entity(EntityType::Person, crate::ner::labels::Position::Unit);
    let labels = [person, Label::OUTSIDE, Label::OUTSIDE];
    let counts = doc.label_counts(&labels);
    let mut with_evidence = Vec::new();
    doc.second_pass_features(
        &doc.sentences()[1].clone(),
        2,
        &labels,
        &counts,
        &mut with_evidence,
    );
    let mut alone = Vec::new();
    doc.second_pass_features(&doc.sentences()[0].clone(), 1, &labels, &counts, &mut alone);
    assert_eq!(alone.len(), 3, "only labels: 'said' occurs once");
    assert_eq!(
        with_evidence.len(),
        3 + 4,
        "labels, share, type, type with casing, label"
    );
}

/// The span typer's keys of mention `index` of sentence `sentence`.
fn span_keys(
    doc: &DocumentFeatures,
    gazetteer: &Gazetteer,
    mentions: &[Vec<EntitySpan>],
    (sentence, index): (usize, usize),
) -> Vec<u64> {
    let mentions_index = doc.mention_index(mentions);
    let at = MentionAt {
        sentence,
        mentions: &mentions[sentence],
        index,
    };
    let mut keys = Vec::new();
    doc.span_features(gazetteer, &mentions_index, at, &mut keys);
    keys
}

fn span(start: usize, end: usize, kind: EntityType) -> EntitySpan {
    EntitySpan { start, end, kind }
}

fn key(template: u64, values: &[u64]) -> u64 {
    values
        .iter()
        .fold(KeyHasher::new(template), |h, v| h.add(*v))
        .finish()
}

#[test]
fn span_features_see_the_mentions_around_and_the_document() {
    let sentences: &[&[&str]] = &[
        &["Ruch", "Chorzow", "2", "Magna", "1"],
        &["Magna", "won", "."],
    ];
    let doc = document(sentences, &Gazetteer::default());
    let (person, org) = (
        EntityType::Person.index() as u64,
        EntityType::Org.index() as u64,
    );
    let mentions = vec![
        vec![span(0, 2, EntityType::Org), span(3, 4, EntityType::Person)],
        vec![span(0, 1, EntityType::Org)],
    ];
    let keys = span_keys(&doc, &Gazetteer::default(), &mentions, (0, 1));
    assert!(keys.contains(&key(template::SPAN_BIAS, &[person])));
    assert!(keys.contains(&key(template::SPAN_NEXT_TO_NUMBER, &[0, person])));
    assert!(keys.contains(&key(template::SPAN_NEXT_TO_NUMBER, &[1, person])));
    assert!(keys.contains(&key(template::SPAN_NEIGHBOUR_TYPE, &[0, org, person])));
    assert!(keys.contains(&key(template::SPAN_SENTENCE_TYPE, &[org])));
    // The other "Magna" is an organisation; this mention itself does not count.
    assert!(keys.contains(&key(template::SPAN_DOCUMENT_NAME, &[org])));
    assert!(!keys.contains(&key(template::SPAN_DOCUMENT_NAME, &[person])));
    assert!(keys.contains(&key(template::SPAN_GAZETTEER_TYPE, &[4, person])));
    assert_eq!(
        keys,
        span_keys(&doc, &Gazetteer::default(), &mentions, (0, 1))
    );

    let alone = vec![mentions[0].clone(), Vec::new()];
    let keys = span_keys(&doc, &Gazetteer::default(), &alone, (0, 1));
    assert!(!keys.contains(&key(template::SPAN_DOCUMENT_NAME, &[org])));
}

#[test]
fn span_features_read_shared_last_words_and_the_gazetteer() {
    let sentences: &[&[&str]] = &[&["John", "Smith", "left", "."], &["Smith", "said", "."]];
    let gazetteer = Gazetteer::from_entries([(vec!["Smith".to_string()], EntityType::Person)]);
    let doc = document(sentences, &gazetteer);
    let person = EntityType::Person.index() as u64;
    let mentions = vec![
        vec![span(0, 2, EntityType::Person)],
        vec![span(0, 1, EntityType::Person)],
    ];
    let keys = span_keys(&doc, &gazetteer, &mentions, (1, 0));
    assert!(keys.contains(&key(template::SPAN_DOCUMENT_WORD, &[person])));
    assert!(!keys.contains(&key(template::SPAN_DOCUMENT_NAME, &[person])));
    assert!(keys.contains(&key(template::SPAN_GAZETTEER, &[person])));
    assert!(keys.contains(&key(template::SPAN_GAZETTEER_TYPE, &[person, person])));
    let full = span_keys(&doc, &gazetteer, &mentions, (0, 0));
    assert!(full.contains(&key(template::SPAN_LENGTH, &[2, person])));
    assert!(full.contains(&key(template::SPAN_DOCUMENT_WORD, &[person])));
    let alone = vec![mentions[0].clone(), Vec::new()];
    let keys = span_keys(&doc, &gazetteer, &alone, (0, 0));
    assert!(
        !keys.contains(&key(template::SPAN_DOCUMENT_WORD, &[person])),
        "a mention does not share a word with itself"
    );
}
