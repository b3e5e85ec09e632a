//! Evaluation the way the CoNLL shared task scored it (conlleval): an entity counts as
//! correct only when both its exact token span and its type match the gold entity.
//! Precision, recall and F1 are reported per type and overall, with token accuracy.
//!
//! Two slices predict unseen news better than the total, since dev shares its period and most
//! of its names with train:
//!
//! * **unseen names** (given the training file): the mentions whose words never occur as an
//!   entity in train — recall over gold mentions of that kind, precision over predicted ones;
//! * **all-caps sentences** (headlines, datelines): every letter upper case.
//!
//! Universal NER files (`.iob2`, types PER/ORG/LOC only) are scored on those three types: a
//! predicted MISC span is dropped before matching, so it counts neither as a false positive
//! nor as a match. A gold PER/ORG/LOC name the model calls MISC is therefore a miss (a recall
//! loss), and a MISC name UNER leaves unlabelled costs nothing. The report says how many MISC
//! predictions were set aside.

use std::collections::HashSet;
use std::fmt;
use std::path::Path;

use super::conll::{iob_from_spans, is_uner, read_conll, ConllDocument};
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

    /// The counts of `gold` against `predicted`: a prediction is correct when a gold entity
    /// has its exact span and type.
    fn matching<'a>(
        gold: impl Iterator<Item = &'a EntitySpan>,
        predicted: impl Iterator<Item = &'a EntitySpan>,
    ) -> SpanCounts {
        let predicted: Vec<&EntitySpan> = predicted.collect();
        let mut counts = SpanCounts {
            predicted: predicted.len(),
            ..SpanCounts::default()
        };
        for g in gold {
            counts.gold += 1;
            counts.correct += usize::from(predicted.contains(&g));
        }
        counts
    }

    /// One line of the report: `name: precision …; recall …; FB1 …  predicted (gold n)`.
    fn write_line(&self, f: &mut fmt::Formatter<'_>, name: &str) -> fmt::Result {
        writeln!(
            f,
            "{name:>17}: precision: {:6.2}%; recall: {:6.2}%; FB1: {:6.2}  {} (gold {})",
            100.0 * self.precision(),
            100.0 * self.recall(),
            100.0 * self.f1(),
            self.predicted,
            self.gold
        )
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
    /// Counts over mentions whose words are no entity of the training data; `None` when the
    /// evaluation was not given it.
    pub unseen: Option<SpanCounts>,
    /// Counts over the sentences written in capitals.
    pub all_caps: SpanCounts,
    /// How many predicted MISC spans were dropped before matching, when the gold data has no
    /// MISC type (Universal NER); `None` when MISC is scored.
    pub misc_set_aside: Option<usize>,
}

/// Whether the gold data annotates MISC, so MISC predictions are scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MiscScoring {
    /// CoNLL-2003: MISC is a gold type like the others.
    Scored,
    /// Universal NER: no MISC in the gold data, so predicted MISC spans are dropped before
    /// matching.
    SetAside,
}

/// The surface forms of every entity of some CoNLL documents (a training file's names).
pub fn entity_names(documents: &[ConllDocument]) -> HashSet<String> {
    documents
        .iter()
        .flat_map(|d| &d.sentences)
        .flat_map(|s| {
            s.spans()
                .into_iter()
                .map(|span| s.tokens[span.start..span.end].join(" "))
        })
        .collect()
}

/// Whether every letter of the sentence is upper case (and it has some, in words of two
/// letters or more).
fn all_caps(tokens: &[&str]) -> bool {
    let mut words = tokens
        .iter()
        .filter(|t| t.chars().filter(|c| c.is_alphabetic()).count() >= 2)
        .peekable();
    words.peek().is_some() && words.all(|t| !t.chars().any(char::is_lowercase))
}

impl EvalReport {
    /// Adds one sentence of `len` tokens with its gold and predicted entities.
    pub fn add_sentence(&mut self, gold: &[EntitySpan], predicted: &[EntitySpan], len: usize) {
        for kind in EntityType::ALL {
            let of_kind = |s: &&EntitySpan| s.kind == kind;
            self.per_type[kind.index()].add(SpanCounts::matching(
                gold.iter().filter(of_kind),
                predicted.iter().filter(of_kind),
            ));
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

    /// Adds one sentence to the slices: all-caps, and unseen names when `known` (the training
    /// data's names) is given.
    fn add_slices(
        &mut self,
        tokens: &[&str],
        gold: &[EntitySpan],
        predicted: &[EntitySpan],
        known: Option<&HashSet<String>>,
    ) {
        if all_caps(tokens) {
            self.all_caps
                .add(SpanCounts::matching(gold.iter(), predicted.iter()));
        }
        let Some(known) = known else { return };
        let unseen = |s: &&EntitySpan| !known.contains(&tokens[s.start..s.end].join(" "));
        self.unseen
            .get_or_insert_with(SpanCounts::default)
            .add(SpanCounts::matching(
                gold.iter().filter(unseen),
                predicted.iter().filter(unseen),
            ));
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
            self.of(kind).write_line(f, kind.as_str())?;
        }
        if let Some(unseen) = self.unseen {
            unseen.write_line(f, "unseen names")?;
        }
        self.all_caps.write_line(f, "all-caps")?;
        if let Some(dropped) = self.misc_set_aside {
            writeln!(
                f,
                "no MISC in the gold data: {dropped} predicted MISC spans dropped before matching"
            )?;
        }
        Ok(())
    }
}

/// Tags every document of a CoNLL (or Universal NER `.iob2`) file with `model` and scores
/// it against the file's gold tags; with the training file, also on the names train never
/// saw. Universal NER files are scored without MISC (see the module doc).
pub fn evaluate(
    model: &NerModel,
    conll_file: &Path,
    train_file: Option<&Path>,
) -> Result<EvalReport, NerError> {
    let known = train_file
        .map(|train| read_conll(train).map(|docs| entity_names(&docs)))
        .transpose()?;
    let misc = if is_uner(conll_file) {
        MiscScoring::SetAside
    } else {
        MiscScoring::Scored
    };
    Ok(score_documents(
        model,
        &read_conll(conll_file)?,
        known.as_ref(),
        misc,
    ))
}

/// Tags already-read CoNLL documents and scores them on all four types; `known` holds the
/// training data's names.
pub fn evaluate_documents(
    model: &NerModel,
    documents: &[ConllDocument],
    known: Option<&HashSet<String>>,
) -> EvalReport {
    score_documents(model, documents, known, MiscScoring::Scored)
}

/// Tags already-read documents and scores them, MISC predictions scored or set aside.
fn score_documents(
    model: &NerModel,
    documents: &[ConllDocument],
    known: Option<&HashSet<String>>,
    misc: MiscScoring,
) -> EvalReport {
    let mut report = EvalReport {
        misc_set_aside: (misc == MiscScoring::SetAside).then_some(0),
        ..EvalReport::default()
    };
    for document in documents {
        let tokens = document.token_strs();
        let mut predicted = model.tag_document(&tokens);
        if let Some(dropped) = report.misc_set_aside.as_mut() {
            for spans in &mut predicted {
                let before = spans.len();
                spans.retain(|s| s.kind != EntityType::Misc);
                *dropped += before - spans.len();
            }
        }
        for ((sentence, spans), words) in document.sentences.iter().zip(&predicted).zip(&tokens) {
            let gold = sentence.spans();
            report.add_sentence(&gold, spans, sentence.tokens.len());
            report.add_slices(words, &gold, spans, known);
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
    fn slices_count_unseen_names_and_all_caps_sentences() {
        let mut report = EvalReport::default();
        let known: HashSet<String> = ["Paris".to_string()].into();
        let words = ["Smith", "visited", "Paris", "."];
        let gold = [span(0, 1, EntityType::Person), span(2, 3, EntityType::Loc)];
        let predicted = [span(0, 1, EntityType::Org), span(2, 3, EntityType::Loc)];
        report.add_slices(&words, &gold, &predicted, Some(&known));
        let unseen = report.unseen.unwrap();
        assert_eq!((unseen.gold, unseen.predicted, unseen.correct), (1, 1, 0));
        assert_eq!(report.all_caps, SpanCounts::default());
        let shouting = ["SOCCER", "-", "JAPAN", "WIN", "2-1"];
        assert!(all_caps(&shouting));
        assert!(!all_caps(&["Japan", "WIN"]));
        assert!(!all_caps(&["-", "2-1"]));
    }

    #[test]
    fn empty_report_is_zero() {
        let report = EvalReport::default();
        assert_eq!(report.overall().f1(), 0.0);
        assert_eq!(report.accuracy(), 0.0);
    }
}
