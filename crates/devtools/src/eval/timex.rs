//! TempEval-3 scores over all four TIMEX3 types, per type and overall.
//!
//! TempEval-3 (UzZaman et al., 2013) scores temporal expressions in three steps, and so does
//! this module, over the documents [`super::dates`] reads:
//!
//! * **span**: a prediction is right when it overlaps a gold expression (*relaxed*) or has
//!   exactly its span (*strict*); precision over predictions, recall over gold, F1;
//! * **type**: of the gold expressions found, the share whose best-overlapping prediction has
//!   the gold's type (`DATE`, `TIME`, `DURATION`, `SET`);
//! * **value**: a gold expression's value counts only when it is found and the value of its
//!   best-overlapping prediction equals the gold's (after [`super::dates::same_value`]'s
//!   normalisation); value precision divides those by the predictions, recall by the gold, and
//!   value F1 is the headline measure (HeidelTime 77.61, SUTime 67.38 on TempEval-3).
//!
//! The overall row is exactly that measure. The rows per type split it: a gold expression
//! counts in the row of its gold type (recall, type and value correct), a prediction in the row
//! of its predicted type (precision), so a `DURATION` predicted where the gold says `DATE` lowers
//! `DURATION` precision and `DATE` type accuracy.

use std::fmt;

use newsworker_extract::stages::dates::{DateMention, TimexType};

use super::dates::{same_value, TimeMlDocument};
use super::{f1, ratio};

/// The four types, in report order.
const TYPES: [TimexType; 4] = [
    TimexType::Date,
    TimexType::Time,
    TimexType::Duration,
    TimexType::Set,
];

/// The counts behind one row of the report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TimexCounts {
    /// Gold expressions.
    pub gold: usize,
    /// Predictions.
    pub predicted: usize,
    /// Predictions overlapping a gold expression.
    pub relaxed_predictions: usize,
    /// Gold expressions overlapped by a prediction.
    pub found: usize,
    /// Predictions with exactly a gold expression's span.
    pub strict_predictions: usize,
    /// Gold expressions predicted with exactly their span.
    pub strict_found: usize,
    /// Found gold expressions whose best prediction has their type.
    pub type_correct: usize,
    /// Found gold expressions whose best prediction has their value.
    pub value_correct: usize,
}

impl TimexCounts {
    /// Relaxed (overlap) span F1.
    pub fn relaxed_f1(&self) -> f64 {
        f1(
            ratio(self.relaxed_predictions, self.predicted),
            ratio(self.found, self.gold),
        )
    }

    /// Strict (exact) span F1.
    pub fn strict_f1(&self) -> f64 {
        f1(
            ratio(self.strict_predictions, self.predicted),
            ratio(self.strict_found, self.gold),
        )
    }

    /// Share of found gold expressions given their type.
    pub fn type_accuracy(&self) -> f64 {
        ratio(self.type_correct, self.found)
    }

    /// Value F1: right values over predictions and over gold.
    pub fn value_f1(&self) -> f64 {
        f1(
            ratio(self.value_correct, self.predicted),
            ratio(self.value_correct, self.gold),
        )
    }

    fn add(&mut self, other: &TimexCounts) {
        self.gold += other.gold;
        self.predicted += other.predicted;
        self.relaxed_predictions += other.relaxed_predictions;
        self.found += other.found;
        self.strict_predictions += other.strict_predictions;
        self.strict_found += other.strict_found;
        self.type_correct += other.type_correct;
        self.value_correct += other.value_correct;
    }
}

/// TempEval-3 scores per TIMEX3 type ([`TYPES`] order) and overall.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimexReport {
    /// One row per type: `DATE`, `TIME`, `DURATION`, `SET`.
    pub per_type: [TimexCounts; 4],
}

impl TimexReport {
    /// The row of `kind`.
    pub fn of(&self, kind: TimexType) -> &TimexCounts {
        &self.per_type[row(kind)]
    }

    /// All types together: the TempEval-3 measure.
    pub fn overall(&self) -> TimexCounts {
        let mut all = TimexCounts::default();
        for counts in &self.per_type {
            all.add(counts);
        }
        all
    }

    /// Adds the scores of one document's predictions.
    pub fn add(&mut self, document: &TimeMlDocument, predictions: &[DateMention]) {
        let overlaps = |a: (usize, usize), b: (usize, usize)| a.0 < b.1 && b.0 < a.1;
        let gold = &document.timexes;
        for p in predictions {
            let counts = &mut self.per_type[row(p.kind)];
            counts.predicted += 1;
            let span = (p.start, p.end);
            counts.relaxed_predictions +=
                usize::from(gold.iter().any(|g| overlaps(span, (g.start, g.end))));
            counts.strict_predictions += usize::from(gold.iter().any(|g| (g.start, g.end) == span));
        }
        for g in gold {
            let Some(kind) = TYPES.into_iter().find(|t| t.as_str() == g.kind) else {
                continue;
            };
            let counts = &mut self.per_type[row(kind)];
            counts.gold += 1;
            let best = predictions
                .iter()
                .filter(|p| overlaps((p.start, p.end), (g.start, g.end)))
                .max_by_key(|p| p.end.min(g.end) - p.start.max(g.start));
            let Some(best) = best else { continue };
            counts.found += 1;
            counts.strict_found += usize::from(
                predictions
                    .iter()
                    .any(|p| (p.start, p.end) == (g.start, g.end)),
            );
            counts.type_correct += usize::from(best.kind == kind);
            counts.value_correct += usize::from(same_value(&best.value, &g.value));
        }
    }
}

/// The value errors of one document's predictions, one tab-separated line each: the file,
/// what went wrong (`missed`: no prediction overlaps the gold; `value`: the best-overlapping
/// prediction has another value; `spurious`: a prediction overlaps no gold), the gold type and
/// value, the predicted type and value, the gold text and the predicted text (`-` where there
/// is none). A right value with another type is no error here: the type accuracy counts it.
pub fn value_errors(document: &TimeMlDocument, predictions: &[DateMention]) -> Vec<String> {
    let overlaps = |a: (usize, usize), b: (usize, usize)| a.0 < b.1 && b.0 < a.1;
    let file = document.path.file_name().map_or_else(
        || document.path.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    );
    let text = |start: usize, end: usize| {
        document
            .text
            .get(start..end)
            .unwrap_or("?")
            .replace(['\t', '\n'], " ")
    };
    let mut lines = Vec::new();
    for g in &document.timexes {
        let best = predictions
            .iter()
            .filter(|p| overlaps((p.start, p.end), (g.start, g.end)))
            .max_by_key(|p| p.end.min(g.end) - p.start.max(g.start));
        let gold = format!("{}\t{}", g.kind, g.value);
        match best {
            None => lines.push(format!(
                "{file}\tmissed\t{gold}\t-\t-\t{}\t-",
                text(g.start, g.end)
            )),
            Some(p) if !same_value(&p.value, &g.value) => lines.push(format!(
                "{file}\tvalue\t{gold}\t{}\t{}\t{}\t{}",
                p.kind.as_str(),
                p.value,
                text(g.start, g.end),
                text(p.start, p.end)
            )),
            Some(_) => {}
        }
    }
    for p in predictions {
        if !document
            .timexes
            .iter()
            .any(|g| overlaps((p.start, p.end), (g.start, g.end)))
        {
            lines.push(format!(
                "{file}\tspurious\t-\t-\t{}\t{}\t-\t{}",
                p.kind.as_str(),
                p.value,
                text(p.start, p.end)
            ));
        }
    }
    lines
}

/// The row of `kind` in [`TimexReport::per_type`].
fn row(kind: TimexType) -> usize {
    TYPES.iter().position(|&t| t == kind).unwrap_or(0)
}

impl fmt::Display for TimexReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "TempEval-3, all TIMEX3 types:  gold  pred  relaxed F1  strict F1  type acc  value F1"
        )?;
        let line = |f: &mut fmt::Formatter<'_>, name: &str, c: &TimexCounts| {
            writeln!(
                f,
                "  {name:<9} {:>20} {:>5}  {:>10.3}  {:>9.3}  {:>8.3}  {:>8.3}",
                c.gold,
                c.predicted,
                c.relaxed_f1(),
                c.strict_f1(),
                c.type_accuracy(),
                c.value_f1()
            )
        };
        for kind in TYPES {
            line(f, kind.as_str(), self.of(kind))?;
        }
        let all = self.overall();
        line(f, "overall", &all)
    }
}
