//! PolNeAR evaluation of the direct quotes and their speakers ([`newsworker_extract::stages::quotes`]).
//!
//! PolNeAR (Newell, Margolin & Ruths, LREC 2018) annotates every attribution in political news:
//! a Source (who), a Cue (the verb, "according to", a colon) and a Content (what), as brat
//! standoff: `text/NAME.txt` holds the article and `attributions/NAME_ANNOTATOR.ann` the spans,
//! `T` lines `Tn<TAB>Type start end[;start end…]<TAB>text` with character offsets and `E` lines
//! joining one attribution's `Source:`, `Cue:` and `Content:` spans.
//!
//! Most attributions are indirect ("Clinton said that she would…"). The quote stage finds only
//! **direct** quotes, so the gold set is the content fragments enclosed in quotation marks: the
//! first character before the fragment (past spaces) is a mark, and so is the first character
//! after it (past spaces and punctuation), or the fragment itself starts and ends with marks.
//! PolNeAR joins the parts of a quote interrupted by its attribution (`“…,” said X. “…”`) into
//! one discontinuous content, and a quote over several paragraphs into one content; the stage
//! reports each part between marks, within one paragraph, as its own quote. So each fragment
//! is split at line breaks and every part is one gold quote, with the attribution's Source.
//!
//! Every article goes through the whole pipeline ([`Extractor::handle`]) as plain text. The
//! record's offsets are Unicode scalar offsets into its *normalised* text (collapsed spaces and
//! paragraph breaks, NFC), so the normalised text is aligned back to the raw text character by
//! character (equal characters pair up; whitespace and invisible characters on either side are
//! skipped), and predictions are scored in raw character offsets.
//!
//! Scores:
//!
//! * a prediction **matches** a gold quote when it covers at least 80 % of the gold quote's
//!   characters. Recall is the share of gold quotes matched; precision the share of counted
//!   predictions that match one. A prediction that matches nothing but overlaps the content of
//!   an *indirect* attribution is **ignored**: it is a partial quote inside reported speech
//!   ("Trump called the plan “a disaster”"), which PolNeAR annotates as one indirect
//!   attribution with the marks inside its content. Everything else — scare quotes, titles in
//!   marks — counts against precision, with or without a speaker;
//! * **speaker accuracy**, over the matched gold quotes that have a Source: the matching
//!   prediction's speaker is right when its mention overlaps the Source span, or when its entity
//!   has a mention overlapping the Source span (the pronoun or "the website" resolved to the
//!   entity the annotator marked by name).
//!
//! A few articles were annotated by several annotators. Their annotations are not merged (a
//! union would count a quote twice, an intersection punishes the disagreements of others): each
//! article is scored against one annotation, the file of the annotator whose id sorts first.

use super::{align, f1, ratio, EvalError};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use newsworker_extract::{Extractor, Outcome};

/// The scores of the quote stage on a PolNeAR directory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuotesReport {
    /// Articles scored.
    pub documents: usize,
    /// Articles the pipeline turned into failures instead of records (their gold quotes still
    /// count as missed).
    pub failed_documents: usize,
    /// Gold direct quotes (paragraph parts of content fragments in marks).
    pub gold: usize,
    /// Predictions counted for precision.
    pub predicted: usize,
    /// Predictions inside indirect attributions, neither right nor wrong.
    pub ignored: usize,
    /// Counted predictions that match a gold quote.
    pub matched_predictions: usize,
    /// Gold quotes matched by a prediction.
    pub found_gold: usize,
    /// Matched gold quotes whose attribution has a Source.
    pub speaker_gold: usize,
    /// Of those, the ones given the right speaker.
    pub speaker_correct: usize,
    /// Counted predictions with a speaker.
    pub attributed_predicted: usize,
    /// Of those, the ones that match a gold quote.
    pub attributed_matched: usize,
}

impl QuotesReport {
    /// Share of counted predictions that match a gold quote.
    pub fn precision(&self) -> f64 {
        ratio(self.matched_predictions, self.predicted)
    }

    /// Share of gold quotes matched.
    pub fn recall(&self) -> f64 {
        ratio(self.found_gold, self.gold)
    }

    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        f1(self.precision(), self.recall())
    }

    /// Share of matched gold quotes (with a Source) given the right speaker.
    pub fn speaker_accuracy(&self) -> f64 {
        ratio(self.speaker_correct, self.speaker_gold)
    }

    /// Precision over the predictions that carry a speaker only.
    pub fn attributed_precision(&self) -> f64 {
        ratio(self.attributed_matched, self.attributed_predicted)
    }
}

impl fmt::Display for QuotesReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "PolNeAR direct quotes: {} articles ({} failed), {} gold quotes, {} predictions \
             counted, {} ignored (inside indirect attributions)",
            self.documents, self.failed_documents, self.gold, self.predicted, self.ignored
        )?;
        writeln!(
            f,
            "quote spans (>= 80% of gold covered): precision {:.3} ({}/{}), recall {:.3} ({}/{}), F1 {:.3}",
            self.precision(),
            self.matched_predictions,
            self.predicted,
            self.recall(),
            self.found_gold,
            self.gold,
            self.f1()
        )?;
        writeln!(
            f,
            "precision of attributed predictions: {:.3} ({}/{})",
            self.attributed_precision(),
            self.attributed_matched,
            self.attributed_predicted
        )?;
        write!(
            f,
            "speaker accuracy: {:.3} ({}/{} matched quotes with a source)",
            self.speaker_accuracy(),
            self.speaker_correct,
            self.speaker_gold
        )
    }
}

/// A half-open range of character offsets.
type Chars = (usize, usize);

/// One gold direct quote.
#[derive(Debug, Clone, PartialEq, Eq)]
struct GoldQuote {
    content: Chars,
    sources: Vec<Chars>,
}

/// The gold annotation of one article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Gold {
    quotes: Vec<GoldQuote>,
    /// Content fragments of the attributions that are not direct quotes.
    indirect: Vec<Chars>,
}

/// A predicted quote in raw character offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Predicted {
    span: Chars,
    /// The speaker's mention, when there is a speaker.
    speaker: Option<Chars>,
    /// The speaker entity's mentions.
    entity_mentions: Vec<Chars>,
}

/// Scores the pipeline of `handler` on the PolNeAR directory `dir` (holding `text/` and
/// `attributions/`). Fails only when the data cannot be read.
pub fn evaluate(dir: &Path, handler: &Extractor) -> Result<QuotesReport, EvalError> {
    let annotations = first_annotations(&dir.join("attributions"))?;
    let mut report = QuotesReport::default();
    for (name, ann_path) in &annotations {
        let text_path = dir.join("text").join(format!("{name}.txt"));
        let raw = std::fs::read_to_string(&text_path).map_err(|source| EvalError::Io {
            path: text_path.clone(),
            source,
        })?;
        let ann = std::fs::read_to_string(ann_path).map_err(|source| EvalError::Io {
            path: ann_path.clone(),
            source,
        })?;
        let raw_chars: Vec<char> = raw.chars().collect();
        let gold = parse_gold(&ann, &raw_chars).map_err(|message| EvalError::Format {
            path: ann_path.clone(),
            message,
        })?;
        let predicted = match handler.extract(None, raw.as_bytes(), None) {
            Outcome::Record(processed) => {
                predictions(&processed.json, &raw_chars).map_err(|message| EvalError::Format {
                    path: text_path.clone(),
                    message: format!("record: {message}"),
                })?
            }
            Outcome::Failed(_) => {
                report.failed_documents += 1;
                Vec::new()
            }
        };
        report.add(&gold, &predicted);
    }
    Ok(report)
}

/// For every article with an annotation, the annotation file of the first annotator (by id).
fn first_annotations(dir: &Path) -> Result<BTreeMap<String, PathBuf>, EvalError> {
    let io = |source| EvalError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut out: BTreeMap<String, PathBuf> = BTreeMap::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        let Some(stem) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".ann"))
        else {
            continue;
        };
        let Some((name, _annotator)) = stem.rsplit_once('_') else {
            continue;
        };
        let keep = out.get(name).is_none_or(|kept| path < *kept);
        if keep {
            out.insert(name.to_string(), path);
        }
    }
    Ok(out)
}

/// Marks that may open a quote.
fn opens(c: char) -> bool {
    matches!(c, '"' | '“' | '„' | '«' | '‘' | '\'')
}

/// Marks that may close a quote.
fn closes(c: char) -> bool {
    matches!(c, '"' | '”' | '»' | '’' | '\'')
}

/// Reads the gold of one `.ann` file against the article's characters.
fn parse_gold(ann: &str, text: &[char]) -> Result<Gold, String> {
    let mut spans: BTreeMap<&str, Vec<Chars>> = BTreeMap::new();
    let mut attributions: Vec<(Option<&str>, Option<&str>)> = Vec::new();
    for (n, line) in ann.lines().enumerate() {
        let mut fields = line.split('\t');
        let id = fields.next().unwrap_or("");
        let body = fields.next().unwrap_or("");
        if id.starts_with('T') {
            let ranges = body
                .split_once(' ')
                .map(|(_, r)| r)
                .ok_or_else(|| format!("line {}: no ranges", n + 1))?;
            let mut fragments = Vec::new();
            for range in ranges.split(';') {
                let mut ends = range.split(' ').map(str::parse::<usize>);
                match (ends.next(), ends.next()) {
                    (Some(Ok(s)), Some(Ok(e))) if s <= e && e <= text.len() => {
                        fragments.push((s, e))
                    }
                    _ => return Err(format!("line {}: bad range {range:?}", n + 1)),
                }
            }
            spans.insert(id, fragments);
        } else if id.starts_with('E') {
            let role = |name: &str| {
                body.split(' ')
                    .find_map(|part| part.strip_prefix(name)?.strip_prefix(':'))
            };
            attributions.push((role("Content"), role("Source")));
        }
    }
    let mut gold = Gold::default();
    for (content, source) in attributions {
        let Some(fragments) = content.and_then(|c| spans.get(c)) else {
            continue;
        };
        let sources = source
            .and_then(|s| spans.get(s))
            .cloned()
            .unwrap_or_default();
        for &fragment in fragments {
            if !enclosed(fragment, text) {
                gold.indirect.push(fragment);
                continue;
            }
            for part in paragraph_parts(fragment, text) {
                gold.quotes.push(GoldQuote {
                    content: part,
                    sources: sources.clone(),
                });
            }
        }
    }
    Ok(gold)
}

/// Whether the fragment is enclosed in quotation marks (see the module docs).
fn enclosed((start, end): Chars, text: &[char]) -> bool {
    let inner = &text[start..end];
    let first = inner.iter().position(|c| !c.is_whitespace());
    let last = inner.iter().rposition(|c| !c.is_whitespace());
    if let (Some(a), Some(b)) = (first, last) {
        if a < b && opens(inner[a]) && closes(inner[b]) {
            return true;
        }
    }
    let before = text[..start].iter().rev().find(|c| !c.is_whitespace());
    let after = text[end..]
        .iter()
        .find(|c| !c.is_whitespace() && !matches!(c, '.' | ',' | '?' | '!' | ';' | ':' | '…'));
    before.is_some_and(|&c| opens(c)) && after.is_some_and(|&c| closes(c))
}

/// The parts of a fragment between line breaks, trimmed of spaces and marks, that hold a
/// letter or digit.
fn paragraph_parts((start, end): Chars, text: &[char]) -> Vec<Chars> {
    let mut parts = Vec::new();
    let mut from = start;
    for i in start..=end {
        if i == end || text[i] == '\n' {
            let mut a = from;
            let mut b = i;
            while a < b && (text[a].is_whitespace() || opens(text[a]) || closes(text[a])) {
                a += 1;
            }
            while b > a
                && (text[b - 1].is_whitespace() || opens(text[b - 1]) || closes(text[b - 1]))
            {
                b -= 1;
            }
            if text[a..b].iter().any(|c| c.is_alphanumeric()) {
                parts.push((a, b));
            }
            from = i + 1;
        }
    }
    parts
}

/// The parts of a record the evaluation reads.
#[derive(Deserialize)]
struct RecordView {
    text: String,
    #[serde(default)]
    entities: Vec<EntityView>,
    #[serde(default)]
    quotes: Vec<QuoteView>,
}

#[derive(Deserialize)]
struct EntityView {
    id: String,
    #[serde(default)]
    mentions: Vec<SpanView>,
}

#[derive(Deserialize)]
struct SpanView {
    start: usize,
    end: usize,
}

#[derive(Deserialize)]
struct QuoteView {
    start: usize,
    end: usize,
    speaker: Option<SpeakerView>,
}

#[derive(Deserialize)]
struct SpeakerView {
    entity: Option<String>,
    start: usize,
    end: usize,
}

/// The record's quotes in raw character offsets.
fn predictions(json: &[u8], raw: &[char]) -> Result<Vec<Predicted>, String> {
    let record: RecordView = serde_json::from_slice(json).map_err(|e| e.to_string())?;
    let normalised: Vec<char> = record.text.chars().collect();
    let to_raw = align(&normalised, raw);
    let map = |s: usize, e: usize| -> Chars {
        let start = to_raw.get(s).copied().unwrap_or(raw.len());
        let end = e
            .checked_sub(1)
            .and_then(|last| to_raw.get(last))
            .map_or(start, |&r| r + 1);
        (start, end.max(start))
    };
    let mentions_of = |id: &str| -> Vec<Chars> {
        record
            .entities
            .iter()
            .find(|e| e.id == id)
            .map(|e| e.mentions.iter().map(|m| map(m.start, m.end)).collect())
            .unwrap_or_default()
    };
    Ok(record
        .quotes
        .iter()
        .map(|q| Predicted {
            span: map(q.start, q.end),
            speaker: q.speaker.as_ref().map(|s| map(s.start, s.end)),
            entity_mentions: q
                .speaker
                .as_ref()
                .and_then(|s| s.entity.as_deref())
                .map(mentions_of)
                .unwrap_or_default(),
        })
        .collect())
}

/// Length of the overlap of two ranges.
fn overlap(a: Chars, b: Chars) -> usize {
    a.1.min(b.1).saturating_sub(a.0.max(b.0))
}

/// Whether `p` covers at least 80 % of `g`.
fn matches(p: Chars, g: Chars) -> bool {
    let need = (g.1 - g.0) * 4;
    need > 0 && overlap(p, g) * 5 >= need
}

impl QuotesReport {
    /// Adds one article's scores.
    fn add(&mut self, gold: &Gold, predicted: &[Predicted]) {
        self.documents += 1;
        self.gold += gold.quotes.len();
        for p in predicted {
            let matched = gold.quotes.iter().any(|g| matches(p.span, g.content));
            if !matched && gold.indirect.iter().any(|&i| overlap(p.span, i) > 0) {
                self.ignored += 1;
                continue;
            }
            self.predicted += 1;
            self.matched_predictions += usize::from(matched);
            if p.speaker.is_some() {
                self.attributed_predicted += 1;
                self.attributed_matched += usize::from(matched);
            }
        }
        for g in &gold.quotes {
            let best = predicted
                .iter()
                .filter(|p| matches(p.span, g.content))
                .max_by_key(|p| overlap(p.span, g.content));
            let Some(best) = best else { continue };
            self.found_gold += 1;
            if g.sources.is_empty() {
                continue;
            }
            self.speaker_gold += 1;
            let hits = |m: &Chars| g.sources.iter().any(|&s| overlap(*m, s) > 0);
            let right = best.speaker.as_ref().is_some_and(hits)
                || (best.speaker.is_some() && best.entity_mentions.iter().any(hits));
            self.speaker_correct += usize::from(right);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    fn find(text: &str, what: &str) -> Chars {
        let byte = text.find(what).unwrap();
        let start = text[..byte].chars().count();
        (start, start + what.chars().count())
    }

    #[test]
    fn direct_contents_are_the_ones_in_marks() {
        let text =
            "“We won,” Smith said. Jones said that they lost. He called it “a disaster” today.";
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
    fn scoring_counts_matches_ignores_partial_quotes_and_checks_speakers() {
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
        };
        let predicted = vec![
            Predicted {
                span: (0, 11),
                speaker: Some((21, 23)),
                entity_mentions: vec![],
            },
            Predicted {
                span: (31, 40),
                speaker: Some((90, 95)),
                entity_mentions: vec![(90, 95), (50, 55)],
            },
            Predicted {
                span: (65, 70),
                speaker: None,
                entity_mentions: vec![],
            },
            Predicted {
                span: (100, 110),
                speaker: None,
                entity_mentions: vec![],
            },
        ];
        let mut report = QuotesReport::default();
        report.add(&gold, &predicted);
        assert_eq!((report.predicted, report.ignored), (3, 1));
        assert_eq!((report.matched_predictions, report.found_gold), (2, 2));
        assert_eq!((report.speaker_correct, report.speaker_gold), (2, 2));
        assert!((report.f1() - 0.8).abs() < 1e-9);
        assert!(report.to_string().contains("speaker accuracy: 1.000"));
    }
}
