//! Evaluation the way the CoNLL shared task scored it (conlleval): an entity counts as
//! correct only when both its exact token span and its type match the gold entity.
//! Precision, recall and F1 are reported per type and overall, with token accuracy.

use std::fmt;
use std::path::Path;

use super::conll::{iob_from_spans, read_conll, ConllDocument};
use super::{EntitySpan, EntityType, NerError, NerModel};

/// `part / whole`, or 0 for an empty whole.
pub fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// The harmonic mean of precision and recall (0 when both are 0).
pub fn f1(precision: f64, recall: f64) -> f64 {
    if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    }
}

/// Entity counts for one type (or all): gold, predicted and exactly matching.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SpanCounts {
    /// Entities in the gold annotation.
    pub gold: usize,
    /// Entities the model predicted.
    pub predicted: usize,
    /// Predicted entities with exactly the gold span and type.
    pub correct: usize,
}

impl SpanCounts {
    /// correct / predicted (0 when nothing was predicted).
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.predicted)
    }

    /// correct / gold (0 when there is no gold entity).
    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.gold)
    }

    /// Harmonic mean of precision and recall (0 when both are 0).
    pub fn f1(&self) -> f64 {
        f1(self.precision(), self.recall())
    }

    fn add(&mut self, other: SpanCounts) {
        self.gold += other.gold;
        self.predicted += other.predicted;
        self.correct += other.correct;
    }
}

/// The result of an evaluation: per-type entity counts and token tag accuracy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EvalReport {
    /// Counts per type, in [`EntityType::ALL`] order.
    pub per_type: [SpanCounts; 4],
    /// Tokens evaluated.
    pub tokens: usize,
    /// Tokens whose IOB2 tag (from the spans) matches the gold tag.
    pub correct_tags: usize,
}

impl EvalReport {
    /// Adds one sentence of `len` tokens with its gold and predicted entities.
    pub fn add_sentence(&mut self, gold: &[EntitySpan], predicted: &[EntitySpan], len: usize) {
        for kind in EntityType::ALL {
            let gold_of_kind = gold.iter().filter(|s| s.kind == kind);
            let predicted_of_kind: Vec<_> = predicted.iter().filter(|s| s.kind == kind).collect();
            let correct = gold_of_kind
                .clone()
                .filter(|g| predicted_of_kind.contains(g))
                .count();
            self.per_type[kind.index()].add(SpanCounts {
                gold: gold_of_kind.count(),
                predicted: predicted_of_kind.len(),
                correct,
            });
        }
        let gold_tags = iob_from_spans(gold, len);
        let predicted_tags = iob_from_spans(predicted, len);
        self.tokens += len;
        self.correct_tags += gold_tags
            .iter()
            .zip(&predicted_tags)
            .filter(|(g, p)| g == p)
            .count();
    }

    /// Counts over all types.
    pub fn overall(&self) -> SpanCounts {
        let mut total = SpanCounts::default();
        for counts in self.per_type {
            total.add(counts);
        }
        total
    }

    /// The counts of one type.
    pub fn of(&self, kind: EntityType) -> SpanCounts {
        self.per_type[kind.index()]
    }

    /// Share of tokens with the right IOB2 tag.
    pub fn accuracy(&self) -> f64 {
        ratio(self.correct_tags, self.tokens)
    }
}

impl fmt::Display for EvalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let overall = self.overall();
        writeln!(
            f,
            "processed {} tokens with {} phrases; found: {} phrases; correct: {}.",
            self.tokens, overall.gold, overall.predicted, overall.correct
        )?;
        writeln!(
            f,
            "accuracy: {:6.2}%; precision: {:6.2}%; recall: {:6.2}%; FB1: {:6.2}",
            100.0 * self.accuracy(),
            100.0 * overall.precision(),
            100.0 * overall.recall(),
            100.0 * overall.f1()
        )?;
        for kind in EntityType::ALL {
            let counts = self.of(kind);
            writeln!(
                f,
                "{:>17}: precision: {:6.2}%; recall: {:6.2}%; FB1: {:6.2}  {} (gold {})",
                kind.as_str(),
                100.0 * counts.precision(),
                100.0 * counts.recall(),
                100.0 * counts.f1(),
                counts.predicted,
                counts.gold
            )?;
        }
        Ok(())
    }
}

/// Tags every document of a CoNLL file with `model` and scores it against the file's
/// gold tags.
pub fn evaluate(model: &NerModel, conll_file: &Path) -> Result<EvalReport, NerError> {
    Ok(evaluate_documents(model, &read_conll(conll_file)?))
}

/// Tags already-read documents and scores them.
pub fn evaluate_documents(model: &NerModel, documents: &[ConllDocument]) -> EvalReport {
    let mut report = EvalReport::default();
    for document in documents {
        let predicted = model.tag_document(&document.token_strs());
        for (sentence, spans) in document.sentences.iter().zip(&predicted) {
            report.add_sentence(&sentence.spans(), spans, sentence.tokens.len());
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start: usize, end: usize, kind: EntityType) -> EntitySpan {
        EntitySpan { start, end, kind }
    }

    #[test]
    fn counts_exact_matches_only() {
        let mut report = EvalReport::default();
        let gold = [span(0, 2, EntityType::Person), span(3, 4, EntityType::Loc)];
        let predicted = [
            span(0, 2, EntityType::Person),
            span(3, 4, EntityType::Org),
            span(5, 6, EntityType::Misc),
        ];
        report.add_sentence(&gold, &predicted, 6);
        report.add_sentence(
            &[span(0, 3, EntityType::Org)],
            &[span(0, 2, EntityType::Org)],
            3,
        );
        let overall = report.overall();
        assert_eq!(
            (overall.gold, overall.predicted, overall.correct),
            (3, 4, 1)
        );
        assert_eq!(report.of(EntityType::Person).f1(), 1.0);
        assert_eq!(report.of(EntityType::Loc).recall(), 0.0);
        assert_eq!(report.of(EntityType::Loc).precision(), 0.0);
        assert!((overall.f1() - 2.0 * 0.25 * (1.0 / 3.0) / (0.25 + 1.0 / 3.0)).abs() < 1e-12);
        assert_eq!(report.tokens, 9);
        // Wrong: token 3 (B-ORG vs B-LOC), 5 (B-MISC vs O), second sentence token 2.
        assert_eq!(report.correct_tags, 6);
        let text = report.to_string();
        assert!(
            text.contains("processed 9 tokens with 3 phrases; found: 4 phrases; correct: 1."),
            "{text}"
        );
        assert!(text.contains("PERSON: precision: 100.00%"), "{text}");
    }

    #[test]
    fn empty_report_is_zero() {
        let report = EvalReport::default();
        assert_eq!(report.overall().f1(), 0.0);
        assert_eq!(report.accuracy(), 0.0);
    }
}
