//! TempEval-3 evaluation of the date finder ([`newsworker_extract::stages::dates::find_dates`]).
//!
//! The TempEval-3 training data (TimeBank and AQUAINT, "TBAQ-cleaned") is news in TimeML XML:
//! each `.tml` file has a document creation time (the `TIMEX3` with
//! `functionInDocument="CREATION_TIME"`, inside `DCT`) and a `TEXT` element whose temporal
//! expressions are marked up as `<TIMEX3 type=".." value="..">..</TIMEX3>`, among `EVENT` and
//! `SIGNAL` tags. This module reads those files with a small hand-written tag stripper (the
//! files are regular, machine-written TimeML: no CDATA, no comments inside `TEXT`, only the five
//! predefined entities), producing the plain text of `TEXT` with the byte offsets of every gold
//! `TIMEX3`. It then runs `find_dates` on that text with the creation date as anchor and scores:
//!
//! * **span precision/recall/F1**, where a prediction matches a gold `DATE` it overlaps (the
//!   TempEval-3 "relaxed" match), and the same with **exact** spans (the "strict" match);
//! * **value accuracy**: of the gold `DATE`s found, the share whose value equals the value of
//!   the prediction overlapping it most, after normalising notational variants the corpus
//!   mixes (`199X` = `199`, `19XX` = `19`, `1968-XX` = `1968`, `2000-W7` = `2000-W07`).
//!
//! These DATE-only scores, kept so that numbers stay comparable across releases, read the
//! `type="DATE"` gold and the predictions that are `DATE`s or overlap a gold `DATE`. Such a
//! prediction that overlaps no gold `DATE` but does overlap a gold `TIME`, `DURATION` or `SET` is
//! *ignored*, neither right nor wrong. Beside them, [`super::timex`] scores all four types the TempEval-3 way.

use super::{f1, ratio, EvalError};
use std::fmt;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use newsworker_extract::stages::dates::{find_dates, DateMention, TimexType};

use super::timex::TimexReport;

/// Both evaluations of one run: the DATE-only scores and the TempEval-3 scores of all types.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DatesEvaluation {
    /// `DATE` predictions against `DATE` gold, as the stage was first scored.
    pub date: DatesReport,
    /// All predictions against all gold, per type and overall.
    pub all: TimexReport,
}

impl fmt::Display for DatesEvaluation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.date)?;
        write!(f, "{}", self.all)
    }
}

/// A gold temporal expression of a TimeML document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldTimex {
    /// Byte offset into [`TimeMlDocument::text`] where the expression starts.
    pub start: usize,
    /// Byte offset just past the expression.
    pub end: usize,
    /// The TIMEX3 `type`: `DATE`, `TIME`, `DURATION` or `SET`.
    pub kind: String,
    /// The TIMEX3 `value`.
    pub value: String,
}

/// One TimeML file: the plain text of its `TEXT` element and what is annotated in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeMlDocument {
    /// The file the document came from.
    pub path: PathBuf,
    /// The text of the `TEXT` element, tags removed and entities decoded.
    pub text: String,
    /// The document creation date.
    pub creation_date: NaiveDate,
    /// The `TIMEX3` expressions inside `TEXT`, in text order.
    pub timexes: Vec<GoldTimex>,
}

/// Scores of [`find_dates`] against the gold `DATE` expressions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DatesReport {
    /// Number of documents read.
    pub documents: usize,
    /// Gold `DATE` expressions.
    pub gold: usize,
    /// Predictions that count: all but the ignored ones.
    pub predicted: usize,
    /// Predictions overlapping only gold `TIME`/`DURATION`/`SET` expressions.
    pub ignored: usize,
    /// Predictions overlapping a gold `DATE`.
    pub overlapping_predictions: usize,
    /// Gold `DATE`s overlapped by a prediction.
    pub found_gold: usize,
    /// Predictions with exactly the span of a gold `DATE`.
    pub exact_predictions: usize,
    /// Gold `DATE`s with a prediction of exactly their span.
    pub exact_gold: usize,
    /// Found gold `DATE`s whose value equals that of the prediction overlapping them most.
    pub value_correct: usize,
}

impl DatesReport {
    /// Share of counted predictions that overlap a gold `DATE`.
    pub fn span_precision(&self) -> f64 {
        ratio(self.overlapping_predictions, self.predicted)
    }

    /// Share of gold `DATE`s overlapped by a prediction.
    pub fn span_recall(&self) -> f64 {
        ratio(self.found_gold, self.gold)
    }

    /// Harmonic mean of [`Self::span_precision`] and [`Self::span_recall`].
    pub fn span_f1(&self) -> f64 {
        f1(self.span_precision(), self.span_recall())
    }

    /// Share of counted predictions whose span is exactly a gold `DATE`'s.
    pub fn exact_precision(&self) -> f64 {
        ratio(self.exact_predictions, self.predicted)
    }

    /// Share of gold `DATE`s predicted with exactly their span.
    pub fn exact_recall(&self) -> f64 {
        ratio(self.exact_gold, self.gold)
    }

    /// Harmonic mean of [`Self::exact_precision`] and [`Self::exact_recall`].
    pub fn exact_f1(&self) -> f64 {
        f1(self.exact_precision(), self.exact_recall())
    }

    /// Share of found gold `DATE`s given the right (normalised) value.
    pub fn value_accuracy(&self) -> f64 {
        ratio(self.value_correct, self.found_gold)
    }

    /// Adds the scores of one document's predictions: those typed `DATE`, and those of other
    /// types that overlap a gold `DATE` (the corpus types "Friday night" a `DATE`, the finder a
    /// `TIME`), so that these scores keep measuring what they measured before the finder had
    /// types; a `DURATION`, `TIME` or `SET` elsewhere is left to [`super::timex`].
    fn add(&mut self, document: &TimeMlDocument, predictions: &[DateMention]) {
        let overlaps = |a: (usize, usize), b: (usize, usize)| a.0 < b.1 && b.0 < a.1;
        let dates: Vec<&GoldTimex> = document
            .timexes
            .iter()
            .filter(|t| t.kind == "DATE")
            .collect();
        let predictions: Vec<&DateMention> = predictions
            .iter()
            .filter(|p| {
                p.kind == TimexType::Date
                    || dates
                        .iter()
                        .any(|g| overlaps((p.start, p.end), (g.start, g.end)))
            })
            .collect();
        self.documents += 1;
        self.gold += dates.len();
        for p in &predictions {
            let span = (p.start, p.end);
            if dates.iter().any(|g| overlaps(span, (g.start, g.end))) {
                self.predicted += 1;
                self.overlapping_predictions += 1;
                self.exact_predictions +=
                    usize::from(dates.iter().any(|g| (g.start, g.end) == span));
            } else if document
                .timexes
                .iter()
                .any(|g| overlaps(span, (g.start, g.end)))
            {
                self.ignored += 1;
            } else {
                self.predicted += 1;
            }
        }
        for g in dates {
            let best = predictions
                .iter()
                .filter(|p| overlaps((p.start, p.end), (g.start, g.end)))
                .max_by_key(|p| p.end.min(g.end) - p.start.max(g.start));
            let Some(best) = best else { continue };
            self.found_gold += 1;
            self.exact_gold += usize::from(
                predictions
                    .iter()
                    .any(|p| (p.start, p.end) == (g.start, g.end)),
            );
            self.value_correct += usize::from(same_value(&best.value, &g.value));
        }
    }
}

impl fmt::Display for DatesReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "TempEval-3 DATE expressions: {} documents, {} gold, {} predictions counted, {} ignored (overlap only TIME/DURATION/SET)",
            self.documents, self.gold, self.predicted, self.ignored
        )?;
        writeln!(
            f,
            "  overlap span: P {:.3}  R {:.3}  F1 {:.3}  ({} of {} predictions, {} of {} gold)",
            self.span_precision(),
            self.span_recall(),
            self.span_f1(),
            self.overlapping_predictions,
            self.predicted,
            self.found_gold,
            self.gold
        )?;
        writeln!(
            f,
            "  exact span:   P {:.3}  R {:.3}  F1 {:.3}",
            self.exact_precision(),
            self.exact_recall(),
            self.exact_f1()
        )?;
        write!(
            f,
            "  value accuracy on found gold: {:.3}  ({} of {})",
            self.value_accuracy(),
            self.value_correct,
            self.found_gold
        )
    }
}

/// Whether two TIMEX3 values are the same, ignoring notations the corpus mixes: trailing `X`s
/// after a digit prefix (`199X` is the decade `199`), unknown trailing parts (`1968-XX` is the
/// year `1968`), week numbers without a leading zero, an hour without its minutes
/// (`1989-11-06T17` is `T17:00`), and periods in decades or quarters (`P1E` is `P10Y`, `P3Q` is
/// `P9M`).
pub(super) fn same_value(predicted: &str, gold: &str) -> bool {
    normalise_value(predicted) == normalise_value(gold)
}

fn normalise_value(value: &str) -> String {
    let mut value = value.trim().to_ascii_uppercase();
    while let Some(shorter) = value.strip_suffix("-XX") {
        value = shorter.to_string();
    }
    let digits_then_x = value.trim_end_matches('X');
    if !digits_then_x.is_empty() && digits_then_x.bytes().all(|b| b.is_ascii_digit()) {
        return digits_then_x.to_string();
    }
    if let Some((day, hour)) = value.split_once('T') {
        if hour.len() == 2 && hour.bytes().all(|b| b.is_ascii_digit()) {
            return format!("{day}T{hour}:00");
        }
    }
    if let Some(count) = value.strip_prefix('P') {
        let scaled = |n: &str, by: u32, unit: char| {
            n.parse::<u32>().ok().map(|n| format!("P{}{unit}", n * by))
        };
        let rewritten = match count.split_at(count.len().saturating_sub(1)) {
            (n, "E") => scaled(n, 10, 'Y'),
            (n, "Q") => scaled(n, 3, 'M'),
            _ => None,
        };
        if let Some(rewritten) = rewritten {
            return rewritten;
        }
    }
    if let Some((year, week)) = value.split_once("-W") {
        if week.len() == 1 && week.bytes().all(|b| b.is_ascii_digit()) {
            return format!("{year}-W0{week}");
        }
    }
    value
}

/// Evaluates [`find_dates`] on every `.tml` file under `dir` (the TBAQ-cleaned directory, whose
/// `TimeBank/` and `AQUAINT/` subdirectories hold the files), each document's creation date as
/// its anchor (its `published_at`).
pub fn evaluate(dir: &Path) -> Result<DatesEvaluation, EvalError> {
    let mut evaluation = DatesEvaluation::default();
    for document in load_corpus(dir)? {
        let predictions = find_dates(&document.text, Some(document.creation_date));
        evaluation.date.add(&document, &predictions);
        evaluation.all.add(&document, &predictions);
    }
    Ok(evaluation)
}

/// Writes every value error of [`find_dates`] on the `.tml` files under `dir` to `out`, one
/// tab-separated line each ([`super::timex::value_errors`] says the fields), for error
/// analysis.
pub fn write_errors(dir: &Path, out: &Path) -> Result<(), EvalError> {
    let mut lines = String::new();
    for document in load_corpus(dir)? {
        let predictions = find_dates(&document.text, Some(document.creation_date));
        for line in super::timex::value_errors(&document, &predictions) {
            lines.push_str(&line);
            lines.push('\n');
        }
    }
    std::fs::write(out, lines).map_err(|source| EvalError::Io {
        path: out.to_path_buf(),
        source,
    })
}

/// Reads every `.tml` file in `dir` and its immediate subdirectories, in path order.
pub fn load_corpus(dir: &Path) -> Result<Vec<TimeMlDocument>, EvalError> {
    let mut paths = Vec::new();
    for entry in read_dir(dir)? {
        if entry.is_dir() {
            paths.extend(read_dir(&entry)?.into_iter().filter(|p| is_tml(p)));
        } else if is_tml(&entry) {
            paths.push(entry);
        }
    }
    if paths.is_empty() {
        return Err(EvalError::Format {
            path: dir.to_path_buf(),
            message: "no .tml files here or in its subdirectories".to_string(),
        });
    }
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let xml = std::fs::read_to_string(path).map_err(|source| EvalError::Io {
                path: path.clone(),
                source,
            })?;
            parse_timeml(&xml)
                .map_err(|message| EvalError::Format {
                    path: path.clone(),
                    message,
                })
                .map(|(text, creation_date, timexes)| TimeMlDocument {
                    path: path.clone(),
                    text,
                    creation_date,
                    timexes,
                })
        })
        .collect()
}

fn is_tml(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "tml")
}

fn read_dir(dir: &Path) -> Result<Vec<PathBuf>, EvalError> {
    let io = |source| EvalError::Io {
        path: dir.to_path_buf(),
        source,
    };
    std::fs::read_dir(dir)
        .map_err(io)?
        .map(|entry| entry.map(|e| e.path()).map_err(io))
        .collect()
}

/// The text of `TEXT`, the creation date and the `TIMEX3`s of a TimeML document.
fn parse_timeml(xml: &str) -> Result<(String, NaiveDate, Vec<GoldTimex>), String> {
    let creation_date = creation_date(xml)?;
    let body_start = xml.find("<TEXT>").ok_or("no <TEXT> element")? + "<TEXT>".len();
    let body_len = xml[body_start..]
        .find("</TEXT>")
        .ok_or("no </TEXT> closing tag")?;
    let (text, timexes) = strip_tags(&xml[body_start..body_start + body_len])?;
    Ok((text, creation_date, timexes))
}

fn creation_date(xml: &str) -> Result<NaiveDate, String> {
    let mut rest = xml;
    while let Some(at) = rest.find("<TIMEX3") {
        let tag_end = rest[at..].find('>').ok_or("unclosed <TIMEX3 tag")? + at;
        let tag = &rest[at..tag_end];
        if attribute(tag, "functionInDocument") == Some("CREATION_TIME") {
            let value = attribute(tag, "value").ok_or("creation time without value")?;
            let day = value.get(..10).unwrap_or(value);
            return NaiveDate::parse_from_str(day, "%Y-%m-%d")
                .map_err(|e| format!("creation time {value:?}: {e}"));
        }
        rest = &rest[tag_end..];
    }
    Err("no TIMEX3 with functionInDocument=\"CREATION_TIME\"".to_string())
}

/// The value of attribute `name` in an opening tag (`<TIMEX3 tid="t1" value="1998">`).
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = tag;
    loop {
        let at = rest.find(name)?;
        let before_ok = rest[..at].ends_with(char::is_whitespace);
        let after = &rest[at + name.len()..];
        if let (true, Some(quoted)) = (before_ok, after.strip_prefix("=\"")) {
            return quoted.find('"').map(|end| &quoted[..end]);
        }
        rest = after;
    }
}

/// Removes the tags of `TEXT` content, decoding entities, and records where each `TIMEX3` lies
/// in the resulting text.
fn strip_tags(body: &str) -> Result<(String, Vec<GoldTimex>), String> {
    let mut text = String::with_capacity(body.len());
    let mut timexes = Vec::new();
    let mut open: Option<(usize, String, String)> = None;
    let mut rest = body;
    while let Some(special) = rest.find(['<', '&']) {
        text.push_str(&rest[..special]);
        rest = &rest[special..];
        if rest.starts_with('&') {
            let end = rest.find(';').ok_or("unterminated entity")?;
            text.push(decode_entity(&rest[1..end])?);
            rest = &rest[end + 1..];
            continue;
        }
        let end = rest.find('>').ok_or("unclosed tag")?;
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.starts_with("<TIMEX3") {
            if open.is_some() {
                return Err("nested TIMEX3".to_string());
            }
            let kind = attribute(tag, "type").ok_or("TIMEX3 without type")?;
            let value = attribute(tag, "value").unwrap_or("");
            open = Some((text.len(), kind.to_string(), value.to_string()));
        } else if tag.starts_with("</TIMEX3") {
            let (start, kind, value) = open.take().ok_or("</TIMEX3> without <TIMEX3>")?;
            timexes.push(GoldTimex {
                start,
                end: text.len(),
                kind,
                value,
            });
        }
    }
    text.push_str(rest);
    if open.is_some() {
        return Err("unclosed TIMEX3".to_string());
    }
    Ok((text, timexes))
}

fn decode_entity(name: &str) -> Result<char, String> {
    let numeric = |digits: &str, radix| {
        u32::from_str_radix(digits, radix)
            .ok()
            .and_then(char::from_u32)
    };
    let decoded = match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => match name.strip_prefix("#x").or(name.strip_prefix("#X")) {
            Some(hex) => numeric(hex, 16),
            None => name.strip_prefix('#').and_then(|d| numeric(d, 10)),
        },
    };
    decoded.ok_or_else(|| format!("unknown entity &{name};"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"<?xml version="1.0" ?>
<TimeML>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-02-06T22:19:00" temporalFunction="false" functionInDocument="CREATION_TIME">02/06/1998</TIMEX3></DCT>
<TEXT>
Shares <EVENT eid="e1" class="OCCURRENCE">fell</EVENT> &amp; rose <TIMEX3 tid="t1" type="DATE" value="1998-02-05" anchorTimeID="t0">Thursday</TIMEX3> and <TIMEX3 tid="t2" type="DURATION" value="P2Y">the past two years</TIMEX3>.
</TEXT>
</TimeML>"#;

    #[test]
    fn strips_tags_and_keeps_offsets() {
        let (text, date, timexes) = parse_timeml(SAMPLE).expect("sample parses");
        assert_eq!(date, NaiveDate::from_ymd_opt(1998, 2, 6).expect("valid"));
        assert_eq!(
            text,
            "\nShares fell & rose Thursday and the past two years.\n"
        );
        let spans: Vec<_> = timexes
            .iter()
            .map(|t| (&text[t.start..t.end], t.kind.as_str(), t.value.as_str()))
            .collect();
        assert_eq!(
            spans,
            vec![
                ("Thursday", "DATE", "1998-02-05"),
                ("the past two years", "DURATION", "P2Y")
            ]
        );
    }

    #[test]
    fn scores_a_document() {
        let (text, creation_date, timexes) = parse_timeml(SAMPLE).expect("sample parses");
        let document = TimeMlDocument {
            path: PathBuf::from("sample.tml"),
            text,
            creation_date,
            timexes,
        };
        let predictions = find_dates(&document.text, Some(document.creation_date));
        let mut report = DatesReport::default();
        report.add(&document, &predictions);
        assert_eq!(report.gold, 1);
        assert_eq!(report.found_gold, 1);
        assert_eq!(report.exact_gold, 1);
        assert_eq!(report.value_correct, 1);
        assert_eq!(report.predicted, 1);
        assert!(report.to_string().contains("F1 1.000"));
        let mut all = TimexReport::default();
        all.add(&document, &predictions);
        let overall = all.overall();
        assert_eq!((overall.gold, overall.predicted), (2, 2));
        assert_eq!((overall.strict_found, overall.type_correct), (2, 2));
        assert_eq!(overall.value_correct, 2);
        assert_eq!(all.of(TimexType::Duration).gold, 1);
    }

    #[test]
    fn attributes_need_a_whole_name() {
        let tag = r#"<TIMEX3 anchorValue="x" value="1998" type="DATE""#;
        assert_eq!(attribute(tag, "value"), Some("1998"));
        assert_eq!(attribute(tag, "type"), Some("DATE"));
        assert_eq!(attribute(tag, "mod"), None);
    }

    #[test]
    fn values_are_normalised() {
        assert!(same_value("199", "199X"));
        assert!(same_value("19", "19XX"));
        assert!(same_value("1968", "1968-XX"));
        assert!(same_value("1994", "1994-XX-XX"));
        assert!(same_value("2000-W07", "2000-W7"));
        assert!(same_value("1989-11-06T17:00", "1989-11-06T17"));
        assert!(same_value("P10Y", "P1E"));
        assert!(same_value("P3Q", "P9M"));
        assert!(!same_value("PXY", "PXE"));
        assert!(!same_value("1998", "1998-Q3"));
        assert!(!same_value("XXXX-03", "2000-03"));
    }

    #[test]
    fn malformed_documents_are_errors() {
        assert!(parse_timeml("<TimeML></TimeML>").is_err());
        let unclosed = SAMPLE.replace("</TIMEX3> and", " and");
        assert!(parse_timeml(&unclosed).is_err());
        assert!(parse_timeml(&SAMPLE.replace("&amp;", "&bogus;")).is_err());
        assert!(evaluate(Path::new("/nonexistent/tempeval")).is_err());
    }
}
