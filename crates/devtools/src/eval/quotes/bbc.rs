//! Hand-judged precision of reported speech on BBC news: does an `indirect` or `mixed` quote
//! report speech or a stated belief, attributed to the right speaker, with a sensible content?
//!
//! PolNeAR's precision counts a prediction right when it overlaps gold content, so a quote
//! given to a clause fragment ("Musk's comment came … fears") or read off a verb that reports
//! nothing ("added fuel to the fire") can look right there. This measure reads what a careful
//! editor would sign instead, on news of another outlet than the one the stage is tuned on.
//!
//! **The sample** is a fixed draw of paragraphs of the BBC corpus: a paragraph belongs to it
//! when a seeded hash of (article id, paragraph index) falls below [`SAMPLE_PER_MILLE`]. Every
//! indirect and mixed quote the pipeline reports starting in a sampled paragraph is in the
//! sample, whatever version of the stage produced it, so the draw never depends on the output.
//!
//! **The judgments** are a small committed file (`data/quotes-bbc-judged.tsv`): article id,
//! the quote's character offsets in the record text, the speaker's name as the record gives
//! it, and a verdict (`ok`, or what is wrong: `not_speech`, `wrong_speaker`, `bad_span`). A
//! prediction matches a judgment when all four keys agree: a changed span or speaker is a new
//! attribution and needs a judgment of its own. Sampled predictions no judgment matches are
//! **unjudged**: they are counted and can be listed for judging (`--unjudged`), so the sample
//! grows with the stage; judgments nothing matches any more are counted as **stale**.
//!
//! Precision is `ok / judged`; its lower bound counts every unjudged quote as wrong, so a
//! change cannot raise it by producing quotes nobody has read.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use serde::Deserialize;

use super::super::{ratio, EvalError};
use newsworker_extract::{Extractor, Outcome};

/// The seed of the draw: changing it draws another sample, which needs judging anew.
const SEED: u64 = 29;

/// Paragraphs drawn per thousand: set once so that the draw holds about a hundred quotes.
pub const SAMPLE_PER_MILLE: u64 = 10;

/// One hand judgment of the committed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judgment {
    /// What identifies the judged prediction.
    pub key: Key,
    /// `ok`, or what is wrong with it.
    pub verdict: String,
}

/// Article id, character offsets of the quote, and the speaker's name ("" for none).
pub type Key = (String, usize, usize, String);

/// A sampled prediction, with what a judge needs to read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sampled {
    /// Its key.
    pub key: Key,
    /// `indirect` or `mixed`.
    pub kind: String,
    /// The cue.
    pub verb: String,
    /// Its paragraph, for the judge only (never committed).
    pub paragraph: String,
    /// The quote's text.
    pub text: String,
}

/// The precision on the judged BBC sample.
#[derive(Debug, Clone, Default)]
pub struct BbcReport {
    /// Articles read.
    pub articles: usize,
    /// Sampled predictions.
    pub sampled: usize,
    /// Of those, judged.
    pub judged: usize,
    /// Judged `ok`.
    pub correct: usize,
    /// Judged wrong, by verdict.
    pub wrong: HashMap<String, usize>,
    /// Judgments no prediction matches any more.
    pub stale: usize,
    /// The sampled predictions no judgment matches.
    pub unjudged: Vec<Sampled>,
}

impl BbcReport {
    /// Share of the judged sampled quotes judged right.
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.judged)
    }

    /// Precision with every unjudged sampled quote counted as wrong.
    pub fn precision_lower_bound(&self) -> f64 {
        ratio(self.correct, self.sampled)
    }
}

impl fmt::Display for BbcReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "BBC sample (indirect and mixed): {} articles, {} sampled quotes, {} judged, {} unjudged, {} stale judgments",
            self.articles, self.sampled, self.judged, self.unjudged.len(), self.stale
        )?;
        let mut wrong: Vec<_> = self.wrong.iter().collect();
        wrong.sort();
        let wrong: Vec<String> = wrong.iter().map(|(v, n)| format!("{v} {n}")).collect();
        write!(
            f,
            "  precision {:.3} ({}/{}), lower bound (unjudged counted wrong) {:.3}; wrong: {}",
            self.precision(),
            self.correct,
            self.judged,
            self.precision_lower_bound(),
            if wrong.is_empty() {
                "none".to_string()
            } else {
                wrong.join(", ")
            }
        )
    }
}

/// Whether paragraph `paragraph` of article `id` is in the sample: FNV-1a over the seed, the
/// id and the index, so the draw is the same on every machine and for every version.
pub fn in_sample(id: &str, paragraph: usize) -> bool {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let key = format!("{SEED}:{id}:{paragraph}");
    for b in key.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash % 1000 < SAMPLE_PER_MILLE
}

/// Reads the judgments file: a header line, then `id start end speaker verdict` separated by
/// tabs; lines opening with `#` are comments.
pub fn read_judgments(path: &Path) -> Result<Vec<Judgment>, EvalError> {
    let text = std::fs::read_to_string(path).map_err(|source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let format = |line: usize, message: &str| EvalError::Format {
        path: path.to_path_buf(),
        message: format!("line {line}: {message}"),
    };
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let [id, start, end, speaker, verdict, ..] = cols[..] else {
            return Err(format(n + 1, "expected id, start, end, speaker, verdict"));
        };
        let number = |s: &str| s.parse::<usize>().map_err(|_| format(n + 1, "bad offset"));
        out.push(Judgment {
            key: (
                id.to_string(),
                number(start)?,
                number(end)?,
                speaker.to_string(),
            ),
            verdict: verdict.to_string(),
        });
    }
    Ok(out)
}

/// The parts of a record the sample reads.
#[derive(Deserialize)]
struct RecordView {
    id: String,
    text: String,
    #[serde(default)]
    quotes: Vec<QuoteView>,
}

#[derive(Deserialize)]
struct QuoteView {
    start: usize,
    end: usize,
    kind: String,
    verb: Option<String>,
    speaker: Option<SpeakerView>,
}

#[derive(Deserialize)]
struct SpeakerView {
    name: String,
}

/// The sampled predictions of one record.
fn sampled(json: &[u8]) -> Result<(String, Vec<Sampled>), String> {
    let record: RecordView = serde_json::from_slice(json).map_err(|e| e.to_string())?;
    let chars: Vec<char> = record.text.chars().collect();
    let breaks: Vec<usize> = chars
        .windows(2)
        .enumerate()
        .filter(|(_, pair)| pair == &['\n', '\n'])
        .map(|(i, _)| i + 1)
        .collect();
    let mut out = Vec::new();
    for q in &record.quotes {
        if q.kind == "direct" {
            continue;
        }
        let paragraph = breaks.partition_point(|&b| b < q.start);
        if !in_sample(&record.id, paragraph) {
            continue;
        }
        let from = paragraph.checked_sub(1).map_or(0, |p| breaks[p] + 1);
        let to = breaks.get(paragraph).map_or(chars.len(), |&b| b - 1);
        let speaker = q.speaker.as_ref().map_or("", |s| s.name.as_str());
        out.push(Sampled {
            key: (record.id.clone(), q.start, q.end, speaker.to_string()),
            kind: q.kind.clone(),
            verb: q.verb.clone().unwrap_or_default(),
            paragraph: chars[from..to.max(from)].iter().collect(),
            text: chars[q.start.min(q.end)..q.end.min(chars.len())]
                .iter()
                .collect(),
        });
    }
    Ok((record.id, out))
}

/// Runs the pipeline of `handler` over the JSON Lines corpus `corpus` and scores its sampled
/// reported speech against the judgments in `judged`.
pub fn evaluate(corpus: &Path, judged: &Path, handler: &Extractor) -> Result<BbcReport, EvalError> {
    let judgments = read_judgments(judged)?;
    let verdicts: HashMap<&Key, &str> = judgments
        .iter()
        .map(|j| (&j.key, j.verdict.as_str()))
        .collect();
    let bytes = std::fs::read(corpus).map_err(|source| EvalError::Io {
        path: corpus.to_path_buf(),
        source,
    })?;
    let mut report = BbcReport::default();
    let mut matched = 0;
    for line in bytes.split(|&b| b == b'\n') {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        report.articles += 1;
        let Outcome::Record(processed) = handler.extract(None, line, None) else {
            continue;
        };
        let (_, quotes) = sampled(&processed.bytes).map_err(|message| EvalError::Format {
            path: corpus.to_path_buf(),
            message: format!("record: {message}"),
        })?;
        for q in quotes {
            report.sampled += 1;
            match verdicts.get(&q.key) {
                Some(&verdict) => {
                    matched += 1;
                    report.judged += 1;
                    if verdict == "ok" {
                        report.correct += 1;
                    } else {
                        *report.wrong.entry(verdict.to_string()).or_default() += 1;
                    }
                }
                None => report.unjudged.push(q),
            }
        }
    }
    report.stale = judgments.len() - matched.min(judgments.len());
    Ok(report)
}

/// Writes the unjudged sampled quotes for a judge: the committed columns with an empty
/// verdict, then the kind, cue, quote and paragraph (which stay out of the committed file).
pub fn write_unjudged(report: &BbcReport, out: &Path) -> Result<(), EvalError> {
    let mut text = String::from("id\tstart\tend\tspeaker\tverdict\tkind\tverb\tquote\tparagraph\n");
    for q in &report.unjudged {
        let (id, start, end, speaker) = &q.key;
        let flat = |s: &str| s.replace(['\t', '\n'], " ");
        text.push_str(&format!(
            "{id}\t{start}\t{end}\t{speaker}\t\t{}\t{}\t{}\t{}\n",
            q.kind,
            q.verb,
            flat(&q.text),
            flat(&q.paragraph)
        ));
    }
    std::fs::write(out, text).map_err(|source| EvalError::Io {
        path: out.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_draw_is_fixed_and_near_its_rate() {
        let drawn = (0..20_000)
            .filter(|i| in_sample(&format!("a{}", i / 10), i % 10))
            .count();
        assert!((150..330).contains(&drawn), "{drawn}");
        assert_eq!(in_sample("x", 3), in_sample("x", 3));
    }

    #[test]
    fn sampled_quotes_carry_their_paragraph_and_key() {
        let text = "One.\n\nTwo said that it rained.";
        let mut id = 0;
        while !in_sample(&format!("d{id}"), 1) {
            id += 1;
        }
        let json = serde_json::json!({
            "id": format!("d{id}"),
            "text": text,
            "quotes": [
                {"start": 20, "end": 29, "kind": "indirect", "verb": "said",
                 "speaker": {"name": "Two"}},
                {"start": 0, "end": 3, "kind": "direct", "verb": null, "speaker": null}
            ]
        });
        let (_, got) = sampled(json.to_string().as_bytes()).unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].paragraph, "Two said that it rained.");
        assert_eq!(got[0].text, "it rained");
        assert_eq!(got[0].key.3, "Two");
    }
}
