//! Benchmark of the HTML stage on the ScrapingHub article-extraction pages.
//!
//! The data set (`article-extraction/` in the shared data) holds real article pages
//! (`html/NAME.html.gz`) and, in `ground-truth.json`, the hand-copied article body of each
//! (`{"NAME": {"url", "articleBody"}}`). Every page is run through
//! [`newsworker_extract::stages::html::extract`] and scored exactly as the benchmark's own `evaluate.py`
//! scores extractors:
//!
//! - both texts are split into `\w+` tokens (Python's Unicode `\w`: letters, digits,
//!   underscore) and counted as 4-token shingles (a text with fewer than 4 tokens is one
//!   shorter shingle);
//! - per page, true positives, false positives and false negatives come from the overlap of
//!   the two shingle multisets, and are normalised to sum to 1 so long pages weigh no more;
//! - precision is averaged over pages where something was predicted or expected, recall over
//!   pages where something was expected; F1 is the harmonic mean of the two averages.
//!
//! The report adds the extraction throughput (pages per second on the calling thread; build
//! in release) and, for the title and the publication date, on how many pages the raw HTML
//! declares one (found by plain text search, independently of the extractor) and on how many
//! of those the extractor returned one.
//!
//! Pages are stored as bytes in whatever encoding their site used; they are decoded as a
//! browser would (byte-order mark, else the `charset` declared in the first kilobytes, else
//! UTF-8 when valid, else windows-1252) before extraction, because the service receives
//! pages already decoded to UTF-8.

use super::EvalError;
use std::collections::HashMap;
use std::fmt;
use std::io::Read;
use std::path::Path;
use std::time::{Duration, Instant};

use regex::Regex;

use newsworker_extract::stages::html::{extract, HtmlLimits};

/// Scores and counts from one benchmark run.
#[derive(Debug, Clone, PartialEq)]
pub struct HtmlReport {
    /// Pages evaluated.
    pub pages: usize,
    /// Pages on which extraction returned an error (scored as empty output).
    pub failed_pages: Vec<(String, String)>,
    /// Mean shingle precision over pages.
    pub precision: f64,
    /// Mean shingle recall over pages.
    pub recall: f64,
    /// Harmonic mean of [`HtmlReport::precision`] and [`HtmlReport::recall`].
    pub f1: f64,
    /// Pages extracted per second on one thread (extraction only, decoding excluded).
    pub pages_per_second: f64,
    /// Pages whose HTML declares a title (`<title>`, `og:title` or a JSON-LD `headline`).
    pub title_declared: usize,
    /// Of [`HtmlReport::title_declared`], pages where the extractor returned a title.
    pub title_found: usize,
    /// Pages whose HTML declares a publication date (JSON-LD, meta tags or `<time datetime>`).
    pub date_declared: usize,
    /// Of [`HtmlReport::date_declared`], pages where the extractor returned a date.
    pub date_found: usize,
    /// The five lowest-scoring pages as (name, F1), for inspection.
    pub worst_pages: Vec<(String, f64)>,
}

/// Runs the benchmark over `dir` (holding `ground-truth.json` and `html/`).
///
/// # Errors
/// [`EvalError`] when a data file is missing or malformed; extraction errors are not
/// errors of the run, they count as empty output and are listed in the report.
pub fn evaluate(dir: &Path) -> Result<HtmlReport, EvalError> {
    let truth_path = dir.join("ground-truth.json");
    let truth_text = std::fs::read_to_string(&truth_path).map_err(|source| EvalError::Io {
        path: truth_path.clone(),
        source,
    })?;
    let truth = parse_ground_truth(&truth_text).map_err(|message| EvalError::Format {
        path: truth_path,
        message,
    })?;

    let tokens = Tokenizer::new();
    let limits = HtmlLimits::default();
    let mut extracting = Duration::ZERO;
    let mut overlaps = Vec::with_capacity(truth.len());
    let mut report = HtmlReport {
        pages: truth.len(),
        failed_pages: Vec::new(),
        precision: 0.0,
        recall: 0.0,
        f1: 0.0,
        pages_per_second: 0.0,
        title_declared: 0,
        title_found: 0,
        date_declared: 0,
        date_found: 0,
        worst_pages: Vec::new(),
    };
    let mut page_scores = Vec::with_capacity(truth.len());
    for (name, expected) in &truth {
        let html = read_page(&dir.join("html").join(format!("{name}.html.gz")))?;
        let started = Instant::now();
        let result = extract(&html, &limits);
        extracting += started.elapsed();
        let predicted = match &result {
            Ok(page) => page.text.as_str(),
            Err(err) => {
                report.failed_pages.push((name.clone(), err.to_string()));
                ""
            }
        };
        let overlap = Overlap::between(&tokens, expected, predicted);
        page_scores.push((name.clone(), overlap.f1()));
        overlaps.push(overlap);

        let declared = DeclaredMetadata::scan(&html);
        let page = result.ok();
        if declared.title {
            report.title_declared += 1;
            report.title_found += usize::from(page.as_ref().is_some_and(|p| p.title.is_some()));
        }
        if declared.date {
            report.date_declared += 1;
            report.date_found +=
                usize::from(page.as_ref().is_some_and(|p| p.published_at.is_some()));
        }
    }
    (report.precision, report.recall, report.f1) = averaged_scores(&overlaps);
    report.pages_per_second = report.pages as f64 / extracting.as_secs_f64().max(1e-9);
    page_scores.sort_by(|a, b| a.1.total_cmp(&b.1));
    page_scores.truncate(5);
    report.worst_pages = page_scores;
    Ok(report)
}

impl fmt::Display for HtmlReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let share = |found: usize, of: usize| 100.0 * found as f64 / of.max(1) as f64;
        writeln!(
            f,
            "article body  pages={}  precision={:.4}  recall={:.4}  F1={:.4}",
            self.pages, self.precision, self.recall, self.f1
        )?;
        writeln!(
            f,
            "throughput    {:.1} pages/s (one thread)",
            self.pages_per_second
        )?;
        writeln!(
            f,
            "title         found on {}/{} pages that declare one ({:.1}%)",
            self.title_found,
            self.title_declared,
            share(self.title_found, self.title_declared)
        )?;
        writeln!(
            f,
            "published at  found on {}/{} pages that declare one ({:.1}%)",
            self.date_found,
            self.date_declared,
            share(self.date_found, self.date_declared)
        )?;
        writeln!(f, "failed pages  {}", self.failed_pages.len())?;
        for (name, reason) in &self.failed_pages {
            writeln!(f, "  {name}: {reason}")?;
        }
        write!(f, "worst pages  ")?;
        for (name, f1) in &self.worst_pages {
            write!(f, " {}…={f1:.3}", name.get(..12).unwrap_or(name))?;
        }
        Ok(())
    }
}

/// Reads `ground-truth.json` into (page name, article body) pairs, sorted by name.
fn parse_ground_truth(text: &str) -> Result<Vec<(String, String)>, String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let pages = value.as_object().ok_or("the top level is not an object")?;
    let mut truth = Vec::with_capacity(pages.len());
    for (name, page) in pages {
        let body = page
            .get("articleBody")
            .and_then(serde_json::Value::as_str)
            .ok_or_else(|| format!("page {name} has no articleBody string"))?;
        truth.push((name.clone(), body.to_string()));
    }
    truth.sort();
    Ok(truth)
}

/// Reads a gzip-compressed page and decodes it to text.
pub fn read_page(path: &Path) -> Result<String, EvalError> {
    let io_error = |source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io_error)?;
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(file)
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    Ok(decode_html(&bytes))
}

/// How far into a page a `charset` declaration is looked for (browsers use 1,024 bytes;
/// some pages put theirs later, after long comments or scripts).
const CHARSET_SNIFF_BYTES: usize = 8192;

/// Decodes page bytes as a browser would: byte-order mark, else the declared `charset`,
/// else UTF-8 when the bytes are valid UTF-8, else windows-1252. Invalid sequences become
/// U+FFFD.
pub fn decode_html(bytes: &[u8]) -> String {
    let encoding = encoding_rs::Encoding::for_bom(bytes)
        .map(|(encoding, _)| encoding)
        .or_else(|| declared_charset(&bytes[..bytes.len().min(CHARSET_SNIFF_BYTES)]))
        .unwrap_or(if std::str::from_utf8(bytes).is_ok() {
            encoding_rs::UTF_8
        } else {
            encoding_rs::WINDOWS_1252
        });
    let (text, _, _) = encoding.decode(bytes);
    text.into_owned()
}

/// The encoding named by the first `charset=` in `head`, if it is a known label. A page
/// cannot declare itself UTF-16 in ASCII-compatible bytes, so such labels mean UTF-8, as
/// the HTML standard prescribes.
fn declared_charset(head: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let lower = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].windows(7).position(|w| w == b"charset") {
        let mut i = from + at + 7;
        from = i;
        while lower.get(i).is_some_and(|b| b.is_ascii_whitespace()) {
            i += 1;
        }
        if lower.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while lower
            .get(i)
            .is_some_and(|b| b.is_ascii_whitespace() || *b == b'"' || *b == b'\'')
        {
            i += 1;
        }
        let label_len = lower[i..]
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.')))
            .unwrap_or(lower.len() - i);
        let encoding = encoding_rs::Encoding::for_label(&lower[i..i + label_len])?;
        return Some(
            if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
                encoding_rs::UTF_8
            } else {
                encoding
            },
        );
    }
    None
}

/// Whether a page's HTML declares a title and a publication date, judged by plain text
/// search so the count does not depend on the extractor being measured.
struct DeclaredMetadata {
    title: bool,
    date: bool,
}

/// Markers of a declared publication date: JSON-LD/microdata property, OpenGraph property
/// and the common meta-tag names.
const DATE_MARKERS: &[&str] = &[
    "datepublished",
    "published_time",
    "\"pubdate\"",
    "\"publishdate\"",
    "\"publish-date\"",
    "\"parsely-pub-date\"",
    "\"sailthru.date\"",
    "\"dc.date",
    "\"dcterms.created\"",
    "\"dcterms.issued\"",
];

impl DeclaredMetadata {
    fn scan(html: &str) -> Self {
        let lower = html.to_lowercase();
        let title = lower.contains("og:title")
            || lower.contains("\"headline\"")
            || lower.split("<title").skip(1).any(|rest| {
                let content = rest.split_once('>').map_or("", |(_, c)| c);
                content
                    .split("</title")
                    .next()
                    .is_some_and(|c| !c.trim().is_empty())
            });
        let has_time_datetime = lower.split("<time").skip(1).any(|rest| {
            rest.split('>')
                .next()
                .is_some_and(|attrs| attrs.contains("datetime="))
        });
        let date = has_time_datetime || DATE_MARKERS.iter().any(|m| lower.contains(m));
        Self { title, date }
    }
}

/// Splits text into benchmark tokens: maximal runs of Unicode letters, digits and
/// underscores, which is what Python's `re` module matches with `\w+`.
struct Tokenizer(Regex);

impl Tokenizer {
    fn new() -> Self {
        Self(Regex::new(r"[\p{L}\p{N}_]+").expect("a constant, valid pattern"))
    }

    /// Counts the text's 4-token shingles; a text of fewer tokens is one shorter shingle.
    fn shingles<'t>(&self, text: &'t str) -> HashMap<Vec<&'t str>, usize> {
        const N: usize = 4;
        let tokens: Vec<&str> = self.0.find_iter(text).map(|m| m.as_str()).collect();
        let mut counts = HashMap::new();
        if tokens.is_empty() {
            return counts;
        }
        for window in tokens.windows(N.min(tokens.len())) {
            *counts.entry(window.to_vec()).or_insert(0) += 1;
        }
        counts
    }
}

/// One page's shingle overlap, normalised so tp + fp + fn = 1 (all zero for two empty texts).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Overlap {
    tp: f64,
    fp: f64,
    fn_: f64,
}

impl Overlap {
    fn between(tokens: &Tokenizer, expected: &str, predicted: &str) -> Self {
        let truth = tokens.shingles(expected);
        let pred = tokens.shingles(predicted);
        let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
        for (shingle, &t) in &truth {
            let p = pred.get(shingle).copied().unwrap_or(0);
            tp += t.min(p);
            fn_ += t.saturating_sub(p);
        }
        for (shingle, &p) in &pred {
            fp += p.saturating_sub(truth.get(shingle).copied().unwrap_or(0));
        }
        let sum = (tp + fp + fn_) as f64;
        if sum == 0.0 {
            return Self {
                tp: 0.0,
                fp: 0.0,
                fn_: 0.0,
            };
        }
        Self {
            tp: tp as f64 / sum,
            fp: fp as f64 / sum,
            fn_: fn_ as f64 / sum,
        }
    }

    /// Precision as the benchmark defines it: 1 for a perfect match, 0 for no overlap.
    fn precision(self) -> f64 {
        if self.fp == 0.0 && self.fn_ == 0.0 {
            1.0
        } else if self.tp == 0.0 && self.fp == 0.0 {
            0.0
        } else {
            self.tp / (self.tp + self.fp)
        }
    }

    /// Recall as the benchmark defines it: 1 for a perfect match, 0 for no overlap.
    fn recall(self) -> f64 {
        if self.fp == 0.0 && self.fn_ == 0.0 {
            1.0
        } else if self.tp == 0.0 && self.fn_ == 0.0 {
            0.0
        } else {
            self.tp / (self.tp + self.fn_)
        }
    }

    /// This page's own F1, used only to list the worst pages.
    fn f1(self) -> f64 {
        super::f1(self.precision(), self.recall())
    }
}

/// Precision averaged over pages with tp + fp > 0, recall over pages with tp + fn > 0, and
/// the F1 of those two averages, as in the benchmark's `metrics_from_tp_fp_fns`.
fn averaged_scores(overlaps: &[Overlap]) -> (f64, f64, f64) {
    let mean = |values: Vec<f64>| {
        if values.is_empty() {
            0.0
        } else {
            values.iter().sum::<f64>() / values.len() as f64
        }
    };
    let precision = mean(
        overlaps
            .iter()
            .filter(|o| o.tp + o.fp > 0.0)
            .map(|o| o.precision())
            .collect(),
    );
    let recall = mean(
        overlaps
            .iter()
            .filter(|o| o.tp + o.fn_ > 0.0)
            .map(|o| o.recall())
            .collect(),
    );
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    (precision, recall, f1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overlap(expected: &str, predicted: &str) -> Overlap {
        Overlap::between(&Tokenizer::new(), expected, predicted)
    }

    #[test]
    fn tokens_are_unicode_word_runs() {
        let tokens = Tokenizer::new();
        let words: Vec<&str> = tokens
            .0
            .find_iter("Café's déjà-vu, snake_case 42 — 東京")
            .map(|m| m.as_str())
            .collect();
        assert_eq!(
            words,
            ["Café", "s", "déjà", "vu", "snake_case", "42", "東京"]
        );
    }

    #[test]
    fn shingles_are_four_token_windows_or_one_short_one() {
        let tokens = Tokenizer::new();
        assert_eq!(tokens.shingles("a b c d e").len(), 2);
        let short = tokens.shingles("a b");
        assert_eq!(short.get(&vec!["a", "b"]), Some(&1));
        assert!(tokens.shingles(" , ").is_empty());
        assert_eq!(
            tokens
                .shingles("x y z w x y z w")
                .get(&vec!["x", "y", "z", "w"]),
            Some(&2)
        );
    }

    #[test]
    fn overlap_is_normalised_per_page() {
        let perfect = overlap("one two three four five", "one two three four five");
        assert_eq!((perfect.tp, perfect.fp, perfect.fn_), (1.0, 0.0, 0.0));
        // Truth shingles: abcd, bcde; predicted: abcd. tp 1, fp 0, fn 1.
        let missing_end = overlap("a b c d e", "a b c d");
        assert_eq!(
            (missing_end.tp, missing_end.fp, missing_end.fn_),
            (0.5, 0.0, 0.5)
        );
        // Predicted: abcd twice, bcda, cdab, dabc; the multiset overlap counts abcd once.
        let repeated = overlap("a b c d", "a b c d a b c d");
        assert!((repeated.tp - 0.2).abs() < 1e-12 && (repeated.fp - 0.8).abs() < 1e-12);
        assert_eq!(repeated.fn_, 0.0);
        let nothing = overlap("", "");
        assert_eq!((nothing.tp, nothing.fp, nothing.fn_), (0.0, 0.0, 0.0));
    }

    #[test]
    fn averages_follow_the_benchmark() {
        let perfect = overlap("a b c d", "a b c d");
        let empty_prediction = overlap("a b c d", "");
        let half = overlap("a b c d e", "a b c d");
        let (precision, recall, f1) = averaged_scores(&[perfect, empty_prediction, half]);
        // The empty prediction has tp + fp = 0, so it counts for recall only.
        assert!((precision - 1.0).abs() < 1e-12);
        assert!((recall - 0.5).abs() < 1e-12);
        assert!((f1 - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(averaged_scores(&[]), (0.0, 0.0, 0.0));
    }

    #[test]
    fn pages_decode_by_bom_declaration_or_content() {
        assert_eq!(
            decode_html(b"<meta charset=\"iso-8859-1\"><p>caf\xe9</p>"),
            "<meta charset=\"iso-8859-1\"><p>café</p>"
        );
        assert_eq!(
            decode_html(b"<meta http-equiv=Content-Type content='text/html; charset=windows-1251'>\xcf\xf0\xe8"),
            "<meta http-equiv=Content-Type content='text/html; charset=windows-1251'>При"
        );
        assert_eq!(decode_html("<p>café</p>".as_bytes()), "<p>café</p>");
        assert_eq!(decode_html(b"<p>caf\xe9</p>"), "<p>café</p>");
        assert_eq!(
            decode_html(b"\xef\xbb\xbf<meta charset=latin1><p>\xc3\xa9</p>"),
            "<meta charset=latin1><p>é</p>"
        );
        assert_eq!(
            decode_html(b"<meta charset=utf-16><p>\xc3\xa9</p>"),
            "<meta charset=utf-16><p>é</p>"
        );
        assert_eq!(
            decode_html(b"<meta charset=bogus><p>\xc3\xa9</p>"),
            "<meta charset=bogus><p>é</p>"
        );
    }

    #[test]
    fn declared_metadata_is_found_by_text_search() {
        let declared = DeclaredMetadata::scan(
            "<title> Headline </title><time class=x datetime=\"2020-01-01\">",
        );
        assert!(declared.title && declared.date);
        let declared = DeclaredMetadata::scan("<title></title><time>today</time>");
        assert!(!declared.title && !declared.date);
        assert!(DeclaredMetadata::scan(r#"{"datePublished": "2020"}"#).date);
    }

    #[test]
    fn ground_truth_must_have_bodies() {
        let truth = parse_ground_truth(
            r#"{"b": {"articleBody": "two"}, "a": {"url": "u", "articleBody": "one"}}"#,
        );
        assert_eq!(
            truth,
            Ok(vec![("a".into(), "one".into()), ("b".into(), "two".into())])
        );
        assert!(parse_ground_truth(r#"{"a": {"url": "u"}}"#).is_err());
        assert!(parse_ground_truth("[1]").is_err());
    }

    #[test]
    fn missing_data_is_an_error() {
        let missing = evaluate(Path::new("/nonexistent/article-extraction"));
        assert!(matches!(missing, Err(EvalError::Io { .. })));
    }
}
