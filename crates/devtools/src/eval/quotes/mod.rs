//! PolNeAR evaluation of the quotes and their speakers ([`newsworker_extract::stages::quotes`]):
//! direct quotes, and every attribution (direct, indirect and mixed) separately.
//!
//! PolNeAR (Newell, Margolin & Ruths, LREC 2018) annotates every attribution in political news:
//! a Source (who), a Cue (the verb, "according to", a colon) and a Content (what), as brat
//! standoff: `text/NAME.txt` holds the article and `attributions/NAME_ANNOTATOR.ann` the spans
//! (`gold` reads them).
//!
//! Most attributions are indirect ("Clinton said that she would…"). The **direct** gold set is
//! the content fragments enclosed in quotation marks: the first character before the fragment
//! (past spaces) is a mark, and so is the first character after it (past spaces and
//! punctuation), or the fragment itself starts and ends with marks. PolNeAR joins the parts of a
//! quote interrupted by its attribution (`“…,” said X. “…”`) into one discontinuous content, and
//! a quote over several paragraphs into one content; the stage reports each part between marks,
//! within one paragraph, as its own quote. So each fragment is split at line breaks and every
//! part is one gold quote, with the attribution's Source. The **all-attributions** gold set is
//! every attribution with a content, whatever its cue: PolNeAR also annotates beliefs, wishes
//! and findings ("he thinks that…", "polls show…"), which a speech extractor does not aim at,
//! so its recall there is bounded well below 1.
//!
//! Every article goes through the whole pipeline ([`Extractor::handle`]) as plain text, and the
//! record's quotes are mapped back to raw character offsets (`predictions`). How predictions
//! match the gold and how speakers are judged is in `scoring`.
//!
//! A few articles were annotated by several annotators. Their annotations are not merged (a
//! union would count a quote twice, an intersection punishes the disagreements of others): each
//! article is scored against one annotation, the file of the annotator whose id sorts first.
//!
//! PolNeAR's precision sees only whether a prediction overlaps gold content; `bbc` measures
//! what it cannot: the hand-judged precision of reported speech on a fixed sample of BBC news.

pub mod bbc;
mod gold;
mod predictions;
mod scoring;

use super::{f1, ratio, EvalError};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use newsworker_extract::{Extractor, Outcome};

pub use scoring::Scores;

/// A half-open range of character offsets.
type Chars = (usize, usize);

/// How many of the commonest speaker errors the report lists.
const CONFUSIONS_SHOWN: usize = 12;

/// The scores of the quote stage on a PolNeAR directory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuotesReport {
    /// Articles scored.
    pub documents: usize,
    /// Articles the pipeline turned into failures instead of records (their gold still counts
    /// as missed).
    pub failed_documents: usize,
    /// Direct quotes: the gold in marks against the quotes that carry marks.
    pub direct: Scores,
    /// Every attribution against every quote.
    pub all: Scores,
}

impl Scores {
    /// Share of counted predictions that are right.
    pub fn precision(&self) -> f64 {
        ratio(self.matched_predictions, self.predicted)
    }

    /// Share of the gold found.
    pub fn recall(&self) -> f64 {
        ratio(self.found_gold, self.gold)
    }

    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        f1(self.precision(), self.recall())
    }

    /// Share of the found gold (with a Source) given the right speaker.
    pub fn speaker_accuracy(&self) -> f64 {
        ratio(self.speaker_correct, self.speaker_gold)
    }

    /// Precision over the predictions that carry a speaker only.
    pub fn attributed_precision(&self) -> f64 {
        ratio(self.attributed_matched, self.attributed_predicted)
    }

    /// Writes the speaker figures: overall, by `via`, and the commonest errors.
    fn write_speakers(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "  speaker accuracy: {:.3} ({}/{} found with a source)",
            self.speaker_accuracy(),
            self.speaker_correct,
            self.speaker_gold
        )?;
        let vias: Vec<String> = self
            .by_via
            .iter()
            .map(|(via, &(right, all))| format!("{via} {:.3} ({right}/{all})", ratio(right, all)))
            .collect();
        writeln!(f, "  by via: {}", vias.join(", "))?;
        let mut confusions: Vec<(&(String, String), &usize)> = self.confusions.iter().collect();
        confusions.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
        write!(
            f,
            "  commonest speaker errors (gold source -> predicted speaker):"
        )?;
        for ((source, said), n) in confusions.into_iter().take(CONFUSIONS_SHOWN) {
            write!(f, "\n    {n:>3} x {source:?} -> {said:?}")?;
        }
        Ok(())
    }
}

impl fmt::Display for QuotesReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (d, a) = (&self.direct, &self.all);
        writeln!(
            f,
            "PolNeAR: {} articles ({} failed)",
            self.documents, self.failed_documents
        )?;
        writeln!(
            f,
            "direct quotes: {} gold, {} predictions counted, {} ignored (inside indirect attributions)",
            d.gold, d.predicted, d.ignored
        )?;
        writeln!(
            f,
            "  quote spans (>= 80% of gold covered): precision {:.3} ({}/{}), recall {:.3} ({}/{}), F1 {:.3}",
            d.precision(), d.matched_predictions, d.predicted, d.recall(), d.found_gold, d.gold, d.f1()
        )?;
        writeln!(
            f,
            "  precision of attributed predictions: {:.3} ({}/{})",
            d.attributed_precision(),
            d.attributed_matched,
            d.attributed_predicted
        )?;
        d.write_speakers(f)?;
        writeln!(
            f,
            "\nall attributions (direct, indirect, mixed): {} gold, {} predictions",
            a.gold, a.predicted
        )?;
        writeln!(
            f,
            "  found (>= half the words covered): precision {:.3} ({}/{}), recall {:.3} ({}/{}), F1 {:.3}",
            a.precision(), a.matched_predictions, a.predicted, a.recall(), a.found_gold, a.gold, a.f1()
        )?;
        writeln!(
            f,
            "  precision of attributed predictions: {:.3} ({}/{})",
            a.attributed_precision(),
            a.attributed_matched,
            a.attributed_predicted
        )?;
        a.write_speakers(f)
    }
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
        let gold = gold::parse_gold(&ann, &raw_chars).map_err(|message| EvalError::Format {
            path: ann_path.clone(),
            message,
        })?;
        let predicted = match handler.extract(None, raw.as_bytes(), None) {
            Outcome::Record(processed) => predictions::predictions(&processed.bytes, &raw_chars)
                .map_err(|message| EvalError::Format {
                    path: text_path.clone(),
                    message: format!("record: {message}"),
                })?,
            Outcome::Failed(_) => {
                report.failed_documents += 1;
                Vec::new()
            }
        };
        report.documents += 1;
        let logged = (report.direct.errors.len(), report.all.errors.len());
        report.direct.add_direct(&gold, &predicted, &raw_chars);
        report.all.add_all(&gold, &predicted, &raw_chars);
        for line in report.direct.errors[logged.0..]
            .iter_mut()
            .chain(&mut report.all.errors[logged.1..])
        {
            line.insert_str(0, &format!("{name}\t"));
        }
    }
    Ok(report)
}

/// Writes the error lines of `report` (direct quotes first) to `path`, one per line: the
/// article, then the tab-separated fields of [`Scores::errors`].
pub fn write_errors(report: &QuotesReport, path: &Path) -> Result<(), EvalError> {
    let lines: Vec<&str> = report
        .direct
        .errors
        .iter()
        .chain(&report.all.errors)
        .map(String::as_str)
        .collect();
    std::fs::write(path, lines.join("\n") + "\n").map_err(|source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    })
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

#[cfg(test)]
mod tests;
