//! Golden test on the reference article: its record, scored by the shared scorer
//! (`../shared/tools/score_record.py`) against the hand-checked gold, must not score lower than
//! the figures below — raise them when a stage improves, never lower them to make a change
//! pass. The same article wrapped in simple HTML (navigation, footer, related stories around
//! it) must score exactly the same as the plain-text envelope.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};

use newsworker::config::Config;
use newsworker::handler::{Handler, Outcome};
use newsworker::pipeline::Pipeline;

/// The least each area must reach (the first figure of the scorer's line for the area).
const MINIMUMS: &[(&str, u32)] = &[
    ("quotes", 21),
    ("dates", 8),
    ("amounts", 4),
    ("sections", 5),
    ("language", 1),
];

/// The least total score.
const MIN_TOTAL: u32 = 51;

fn shared(path: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(path)
}

fn record_of(input: &[u8]) -> Vec<u8> {
    let config = Config::load_with_env(None, Vec::new()).expect("config");
    let handler = Handler::new(
        Pipeline::standard(&config).expect("pipeline"),
        config.limits.clone(),
    );
    match handler.handle(None, input, None) {
        Outcome::Record(p) => p.json,
        Outcome::Failed(f) => panic!("the reference article failed: {f}"),
    }
}

/// Runs the shared scorer; returns its output and the per-line numbers.
fn score(record: &[u8]) -> (String, BTreeMap<String, u32>) {
    let mut child = Command::new("python3")
        .arg(shared("tools/score_record.py"))
        .arg(shared("gold/nato-explainer.gold.json"))
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs the scorer");
    child.stdin.take().unwrap().write_all(record).unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut numbers = BTreeMap::new();
    for line in text.lines() {
        let Some((area, rest)) = line.split_once(':') else {
            continue;
        };
        if line.starts_with(' ') {
            continue;
        }
        let first = rest
            .split(|c: char| !c.is_ascii_digit())
            .find(|n| !n.is_empty())
            .and_then(|n| n.parse().ok());
        let value = match area {
            "language" => u32::from(rest.trim_start().starts_with("ok")),
            _ => first.unwrap_or(0),
        };
        numbers.insert(area.to_owned(), value);
    }
    (text, numbers)
}

#[test]
fn the_reference_article_scores_at_least_the_recorded_figures() {
    let input = std::fs::read(shared("corpus/nato-explainer.json")).expect("reference article");
    let (report, numbers) = score(&record_of(&input));
    println!("{report}");
    for (area, min) in MINIMUMS {
        let got = numbers.get(*area).copied().unwrap_or(0);
        assert!(got >= *min, "{area}: {got} < {min}\n{report}");
    }
    let total = numbers.get("score").copied().unwrap_or(0);
    assert!(total >= MIN_TOTAL, "score {total} < {MIN_TOTAL}\n{report}");
}

#[test]
fn the_reference_article_in_html_scores_the_same_as_plain_text() {
    let input = std::fs::read(shared("corpus/nato-explainer.json")).expect("reference article");
    let envelope: serde_json::Value = serde_json::from_slice(&input).unwrap();
    let gold: serde_json::Value =
        serde_json::from_slice(&std::fs::read(shared("gold/nato-explainer.gold.json")).unwrap())
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
    let (plain_report, plain) = score(&record_of(&input));
    let (html_report, from_html) = score(&record_of(wrapped.to_string().as_bytes()));
    assert_eq!(
        plain.get("score"),
        from_html.get("score"),
        "plain text:\n{plain_report}\nHTML:\n{html_report}"
    );
}
