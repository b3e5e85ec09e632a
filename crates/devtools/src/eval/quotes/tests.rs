//! The PolNeAR evaluation on small made-up annotations.

use super::gold::{enclosed, paragraph_parts, parse_gold, Gold, GoldAttribution, GoldQuote};
use super::predictions::Predicted;
use super::*;
use crate::eval::align;

fn chars(s: &str) -> Vec<char> {
    s.chars().collect()
}

fn find(text: &str, what: &str) -> Chars {
    let byte = text.find(what).unwrap();
    let start = text[..byte].chars().count();
    (start, start + what.chars().count())
}

fn predicted(span: Chars, kind: &str, speaker: Option<Chars>, entity: &[Chars]) -> Predicted {
    Predicted {
        span,
        kind: kind.into(),
        speaker,
        name: speaker.map(|_| "X".into()),
        via: speaker.map(|_| "name".into()),
        entity_mentions: entity.to_vec(),
    }
}

#[test]
fn direct_contents_are_the_ones_in_marks() {
    let text = "“We won,” Smith said. Jones said that they lost. He called it “a disaster” today.";
    let t = chars(text);
    let direct = find(text, "We won");
    let indirect = find(text, "that they lost");
    let mixed = find(text, "it “a disaster”");
    let ann = format!(
        "T1\tContent {} {}\tWe won\nT2\tSource {} {}\tSmith\nE1\tAttribution:T9 Content:T1 Source:T2\n\
         T3\tContent {} {}\tx\nE2\tContent:T3\nT4\tContent {} {}\tx\nE3\tContent:T4\n",
        direct.0,
        direct.1,
        find(text, "Smith").0,
        find(text, "Smith").1,
        indirect.0,
        indirect.1,
        mixed.0,
        mixed.1
    );
    let gold = parse_gold(&ann, &t).unwrap();
    assert_eq!(
        gold.quotes,
        vec![GoldQuote {
            content: direct,
            sources: vec![find(text, "Smith")]
        }]
    );
    assert_eq!(gold.indirect, vec![indirect, mixed]);
    assert_eq!(gold.attributions.len(), 3);
}

#[test]
fn multi_paragraph_contents_split_into_parts() {
    let text = "“One.\n\n“Two,” she said.";
    let t = chars(text);
    let all = (1, find(text, "Two").1);
    assert!(enclosed(all, &t));
    assert_eq!(
        paragraph_parts(all, &t),
        vec![find(text, "One."), find(text, "Two")]
    );
}

#[test]
fn bad_ranges_are_errors() {
    let t = chars("short");
    assert!(parse_gold("T1\tContent 0 99\tx", &t).is_err());
    assert!(parse_gold("T1\tContent x y\tx", &t).is_err());
    // A span's text over two lines: the second is no annotation.
    let gold = parse_gold("T1\tContent 0 5\tsh\nThe rest\nE1\tContent:T1", &t).unwrap();
    assert_eq!(gold.attributions.len(), 1);
}

#[test]
fn alignment_skips_collapsed_whitespace_and_invisibles() {
    let raw = chars("A  b\u{200b}c\n\n\nd");
    let norm = chars("A bc\n\nd");
    let map = align(&norm, &raw);
    assert_eq!(map[0], 0);
    assert_eq!(map[2], 3);
    assert_eq!(map[3], 5);
    assert_eq!(map[6], 9);
}

#[test]
fn alignment_does_not_drift_after_a_composed_accent() {
    let raw = chars("protegA\u{303}\u{a9}s said");
    let norm = chars("proteg\u{c3}\u{a9}s said");
    let map = align(&norm, &raw);
    assert_eq!(map[6], 6);
    assert_eq!(map[7], 8);
    assert_eq!(map[10], 11);
}

#[test]
fn direct_scoring_counts_matches_ignores_partial_quotes_and_checks_speakers() {
    let gold = Gold {
        quotes: vec![
            GoldQuote {
                content: (0, 10),
                sources: vec![(20, 25)],
            },
            GoldQuote {
                content: (30, 40),
                sources: vec![(50, 55)],
            },
        ],
        indirect: vec![(60, 80)],
        attributions: Vec::new(),
    };
    let predicted = vec![
        predicted((0, 11), "direct", Some((21, 23)), &[]),
        predicted((31, 40), "direct", Some((90, 95)), &[(90, 95), (50, 55)]),
        predicted((65, 70), "mixed", None, &[]),
        predicted((100, 110), "direct", None, &[]),
        // An indirect quote is not a direct prediction at all.
        predicted((100, 110), "indirect", None, &[]),
    ];
    let text = chars(&"x".repeat(120));
    let mut report = QuotesReport::default();
    report.direct.add_direct(&gold, &predicted, &text);
    let d = &report.direct;
    assert_eq!((d.predicted, d.ignored), (3, 1));
    assert_eq!((d.matched_predictions, d.found_gold), (2, 2));
    assert_eq!((d.speaker_correct, d.speaker_gold), (2, 2));
    assert_eq!(d.by_via.get("name"), Some(&(2, 2)));
    assert!((d.f1() - 0.8).abs() < 1e-9);
    assert!(report.to_string().contains("speaker accuracy: 1.000"));
}

#[test]
fn every_attribution_is_found_by_half_its_words_and_speakers_are_confused() {
    let text = "Smith said the plan is dead and buried. Jones thinks it will pass. Sun shines.";
    let t = chars(text);
    let gold = Gold {
        quotes: Vec::new(),
        indirect: Vec::new(),
        attributions: vec![
            GoldAttribution {
                content: vec![find(text, "the plan is dead and buried")],
                sources: vec![find(text, "Smith")],
            },
            GoldAttribution {
                content: vec![find(text, "it will pass")],
                sources: vec![find(text, "Jones")],
            },
        ],
    };
    let preds = vec![
        // Three of six words: found, with the right speaker.
        predicted(
            find(text, "the plan is"),
            "indirect",
            Some(find(text, "Smith")),
            &[],
        ),
        // One of three words: not found, and wrong for precision too (1 of 3 in gold).
        predicted(find(text, "pass. Sun shines"), "indirect", None, &[]),
    ];
    let mut report = QuotesReport::default();
    report.all.add_all(&gold, &preds, &t);
    let a = &report.all;
    assert_eq!((a.gold, a.found_gold), (2, 1));
    assert_eq!((a.predicted, a.matched_predictions), (2, 1));
    assert_eq!((a.speaker_gold, a.speaker_correct), (1, 1));
    let mut wrong = report.clone();
    wrong.all = Scores::default();
    let moved = vec![predicted(
        find(text, "the plan is dead"),
        "indirect",
        Some(find(text, "Jones")),
        &[],
    )];
    wrong.all.add_all(&gold, &moved, &t);
    assert_eq!(
        wrong
            .all
            .confusions
            .get(&("Smith".to_string(), "X".to_string())),
        Some(&1)
    );
    assert!(wrong.to_string().contains("1 x \"Smith\" -> \"X\""));
}
