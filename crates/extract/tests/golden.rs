//! Golden test on the reference article: its record, scored by the shared scorer
//! (`../shared/tools/score_record.py`) against the hand-checked gold, must not score lower than
//! the figures below — raise them when a stage improves, never lower them to make a change
//! pass. The same article wrapped in simple HTML (navigation, footer, related stories around
//! it) must score exactly the same as the plain-text envelope.

use std::io::Write;
use std::process::{Command, Stdio};

use newsworker_extract::{ExtractConfig, Extractor, Outcome};

/// Figures of the scorer's report that must not fall below these (the issues' bars): the text
/// before a number in the report, and the least that number may be.
const AT_LEAST: &[(&str, u32)] = &[
    ("entities: found", 24),
    ("right type", 24),
    ("aliases merged", 23),
    ("canonical name", 22),
    ("quotes: found", 21),
    ("right speaker", 21),
    ("roles:", 9),
    ("dates:", 8),
    ("amounts:", 4),
    ("sections:", 5),
    ("score:", 165),
];

/// Figures that must not rise above these.
const AT_MOST: &[(&str, u32)] = &[("spurious", 2), ("scare quotes given a speaker", 0)];

fn record_of(input: &[u8]) -> Vec<u8> {
    let extractor = Extractor::new(&ExtractConfig::default()).expect("extractor");
    match extractor.extract(None, input, None) {
        Outcome::Record(p) => p.bytes,
        Outcome::Failed(f) => panic!("the reference article failed: {f}"),
    }
}

/// Runs the shared scorer; returns its report.
fn score(record: &[u8]) -> String {
    let mut child = Command::new("python3")
        .arg(newsworker_testkit::shared_root().join("tools/score_record.py"))
        .arg(newsworker_testkit::shared_root().join("gold/nato-explainer.gold.json"))
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs the scorer");
    child.stdin.take().unwrap().write_all(record).unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The number right after `label` in the report.
fn figure(report: &str, label: &str) -> u32 {
    let at = report
        .find(label)
        .unwrap_or_else(|| panic!("no `{label}` in the report:\n{report}"));
    report[at + label.len()..]
        .trim_start()
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no number after `{label}`:\n{report}"))
}

#[test]
fn the_reference_article_scores_at_least_the_recorded_figures() {
    let Some(path) = newsworker_testkit::shared("golden", "corpus/nato-explainer.json") else {
        return;
    };
    let input = std::fs::read(path).expect("reference article");
    let report = score(&record_of(&input));
    println!("{report}");
    for (label, least) in AT_LEAST {
        let got = figure(&report, label);
        assert!(got >= *least, "{label} {got} < {least}\n{report}");
    }
    for (label, most) in AT_MOST {
        let got = figure(&report, label);
        assert!(got <= *most, "{label} {got} > {most}\n{report}");
    }
    assert!(report.contains("language: ok; tone: ok"), "{report}");
}

#[test]
fn the_reference_article_in_html_scores_the_same_as_plain_text() {
    let Some(path) = newsworker_testkit::shared("golden in HTML", "corpus/nato-explainer.json")
    else {
        return;
    };
    let input = std::fs::read(path).expect("reference article");
    let envelope: serde_json::Value = serde_json::from_slice(&input).unwrap();
    let gold: serde_json::Value = serde_json::from_slice(
        &std::fs::read(newsworker_testkit::shared_root().join("gold/nato-explainer.gold.json"))
            .unwrap(),
    )
    .unwrap();
    let headings: Vec<&str> = gold["sections"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h.as_str())
        .collect();
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let body: String = envelope["text"]
        .as_str()
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            if headings.contains(&l.trim()) {
                format!("<h2>{}</h2>\n", escape(l))
            } else {
                format!("<p>{}</p>\n", escape(l))
            }
        })
        .collect();
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><title>Explainer</title></head><body>\
         <nav><a href=\"/\">Home</a> <a href=\"/world\">World</a> <a href=\"/sport\">Sport</a></nav>\
         <article>{body}</article>\
         <aside><h3>Related stories</h3><ul><li><a href=\"/a\">Markets rally on rate hopes</a></li>\
         <li><a href=\"/b\">Storm closes ports along the coast</a></li></ul></aside>\
         <footer>© News Example. All rights reserved. Contact us. Privacy policy.</footer></body></html>"
    );
    let mut wrapped = envelope.clone();
    wrapped.as_object_mut().unwrap().remove("text");
    wrapped["html"] = serde_json::Value::String(html);
    let plain = score(&record_of(&input));
    let from_html = score(&record_of(wrapped.to_string().as_bytes()));
    assert_eq!(
        figure(&plain, "score:"),
        figure(&from_html, "score:"),
        "plain text:\n{plain}\nHTML:\n{from_html}"
    );
}
