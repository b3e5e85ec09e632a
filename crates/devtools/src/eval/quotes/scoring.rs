//! Matching predictions to the gold and counting the scores, for direct quotes and for every
//! attribution.
//!
//! * **Direct quotes.** The predictions are the quotes that carry marks (`direct` and `mixed`:
//!   a mixed quote is reported speech holding a partial quote, so it covers quoted words too). A
//!   prediction **matches** a gold direct quote when it covers at least 80 % of the gold quote's
//!   characters. A prediction that matches nothing but overlaps the content of an indirect
//!   attribution is **ignored**: a partial quote inside reported speech ("Trump called the plan
//!   “a disaster”") is, for PolNeAR, one indirect attribution with the marks inside its content.
//!   Everything else — scare quotes, titles in marks — counts against precision.
//! * **Every attribution.** The predictions are all quotes, of any kind, and the gold every
//!   attribution with a content. Both are measured in words (runs of letters and digits): a gold
//!   attribution is **found** when the predictions cover at least half of its content's words,
//!   and a prediction is **right** when at least half of its words lie in some attribution's
//!   content.
//! * **Speakers**, over the found gold that has a Source, judged on the prediction that covers
//!   it most: right when the speaker's mention overlaps the Source span, or when the speaker's
//!   entity has a mention overlapping it (a pronoun or "the website" resolved to the entity the
//!   annotator marked by name). They are also counted by the speaker's `via`, and every wrong
//!   one is noted as a (gold Source, predicted speaker) pair for the confusion list.
//!
//! PolNeAR marks a pronoun as the Source of "he said", so a pronoun speaker is right by its own
//! mention whatever entity it was resolved to: these figures do not measure coreference.

use std::collections::BTreeMap;

use super::gold::Gold;
use super::predictions::Predicted;
use super::Chars;

/// The counts of one kind of evaluation (direct quotes, or every attribution).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scores {
    /// Gold quotes or attributions.
    pub gold: usize,
    /// Predictions counted for precision.
    pub predicted: usize,
    /// Predictions inside indirect attributions, neither right nor wrong (direct quotes only).
    pub ignored: usize,
    /// Counted predictions that are right.
    pub matched_predictions: usize,
    /// Gold found by the predictions.
    pub found_gold: usize,
    /// Found gold that has a Source.
    pub speaker_gold: usize,
    /// Of those, the ones given the right speaker.
    pub speaker_correct: usize,
    /// Counted predictions with a speaker.
    pub attributed_predicted: usize,
    /// Of those, the ones that are right.
    pub attributed_matched: usize,
    /// (right, judged) speakers by the speaker's `via` ("none" for no speaker).
    pub by_via: BTreeMap<String, (usize, usize)>,
    /// Wrong speakers: (gold Source as written, predicted speaker or "(none)") → count.
    pub confusions: BTreeMap<(String, String), usize>,
    /// One line per error, for reading them (`eval quotes --errors`): a missed gold content
    /// (`missed`), a wrong speaker (`speaker`), a prediction outside every gold content
    /// (`spurious`, every attribution only), each with its text (and, for a speaker, the gold
    /// Source spans and the predicted speaker span in characters).
    pub errors: Vec<String>,
}

/// The text of `span`, on one line.
fn one_line(text: &[char], (start, end): Chars) -> String {
    let s: String = text[start.min(text.len())..end.min(text.len())]
        .iter()
        .collect();
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Length of the overlap of two ranges.
pub(super) fn overlap(a: Chars, b: Chars) -> usize {
    a.1.min(b.1).saturating_sub(a.0.max(b.0))
}

/// Whether `p` covers at least 80 % of `g`.
pub(super) fn matches(p: Chars, g: Chars) -> bool {
    let need = (g.1 - g.0) * 4;
    need > 0 && overlap(p, g) * 5 >= need
}

/// The words of a text: maximal runs of letters and digits, as character ranges.
pub(super) fn words(text: &[char]) -> Vec<Chars> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.iter().enumerate() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

/// The indices of the words that start inside `span`.
fn words_in(words: &[Chars], span: Chars) -> std::ops::Range<usize> {
    let first = words.partition_point(|w| w.0 < span.0);
    let last = words.partition_point(|w| w.0 < span.1);
    first..last.max(first)
}

impl Scores {
    /// Judges the speaker of `best` against the gold `sources`.
    fn judge_speaker(&mut self, best: &Predicted, sources: &[Chars], text: &[char], what: &str) {
        self.speaker_gold += 1;
        let hits = |m: &Chars| sources.iter().any(|&s| overlap(*m, s) > 0);
        let right = best.speaker.as_ref().is_some_and(hits)
            || (best.speaker.is_some() && best.entity_mentions.iter().any(hits));
        self.speaker_correct += usize::from(right);
        let via = best.via.clone().unwrap_or_else(|| "none".into());
        let entry = self.by_via.entry(via).or_default();
        entry.0 += usize::from(right);
        entry.1 += 1;
        if !right {
            let source: String = sources
                .iter()
                .map(|&(a, b)| text[a..b].iter().collect::<String>())
                .collect::<Vec<_>>()
                .join(" … ");
            let source = source.split_whitespace().collect::<Vec<_>>().join(" ");
            let said = best.name.clone().unwrap_or_else(|| "(none)".into());
            let context = one_line(text, (best.span.0.saturating_sub(200), best.span.1 + 60));
            self.errors.push(format!(
                "speaker\t{what}\t{}\t{source}\t{said}\t{}\t{context}\t{sources:?} {:?}",
                best.via.as_deref().unwrap_or("none"),
                one_line(text, best.span),
                best.speaker
            ));
            *self.confusions.entry((source, said)).or_default() += 1;
        }
    }

    /// Adds one article's direct quotes.
    pub(super) fn add_direct(&mut self, gold: &Gold, predicted: &[Predicted], text: &[char]) {
        let marked: Vec<&Predicted> = predicted.iter().filter(|p| p.has_marks()).collect();
        self.gold += gold.quotes.len();
        for p in &marked {
            let matched = gold.quotes.iter().any(|g| matches(p.span, g.content));
            if !matched && gold.indirect.iter().any(|&i| overlap(p.span, i) > 0) {
                self.ignored += 1;
                continue;
            }
            self.count_prediction(p, matched);
        }
        for g in &gold.quotes {
            let best = marked
                .iter()
                .filter(|p| matches(p.span, g.content))
                .max_by_key(|p| overlap(p.span, g.content));
            let Some(best) = best else { continue };
            self.found_gold += 1;
            if !g.sources.is_empty() {
                self.judge_speaker(best, &g.sources, text, "direct");
            }
        }
    }

    /// Counts one prediction for precision.
    fn count_prediction(&mut self, p: &Predicted, right: bool) {
        self.predicted += 1;
        self.matched_predictions += usize::from(right);
        if p.speaker.is_some() {
            self.attributed_predicted += 1;
            self.attributed_matched += usize::from(right);
        }
    }

    /// Adds one article's attributions of every kind.
    pub(super) fn add_all(&mut self, gold: &Gold, predicted: &[Predicted], text: &[char]) {
        let words = words(text);
        let mut in_gold = vec![false; words.len()];
        for a in &gold.attributions {
            for &fragment in &a.content {
                in_gold[words_in(&words, fragment)].fill(true);
            }
        }
        let mut covered = vec![false; words.len()];
        for p in predicted {
            let mine = words_in(&words, p.span);
            let inside = in_gold[mine.clone()].iter().filter(|&&x| x).count();
            covered[mine.clone()].fill(true);
            if !mine.is_empty() {
                let right = 2 * inside >= mine.len();
                if !right {
                    let context = one_line(text, (p.span.0.saturating_sub(200), p.span.1 + 60));
                    self.errors.push(format!(
                        "spurious\t{}\t{}\t{}\t{context}",
                        p.kind,
                        p.name.as_deref().unwrap_or("(none)"),
                        one_line(text, p.span)
                    ));
                }
                self.count_prediction(p, right);
            }
        }
        for a in &gold.attributions {
            let mine: Vec<usize> = a
                .content
                .iter()
                .flat_map(|&f| words_in(&words, f))
                .collect();
            if mine.is_empty() {
                continue;
            }
            self.gold += 1;
            if 2 * mine.iter().filter(|&&w| covered[w]).count() < mine.len() {
                let first = a.content.iter().map(|c| c.0).min().unwrap_or(0);
                let last = a.content.iter().map(|c| c.1).max().unwrap_or(0);
                let sources: Vec<String> = a.sources.iter().map(|&s| one_line(text, s)).collect();
                self.errors.push(format!(
                    "missed\t{}\t{}\t{}",
                    sources.join(" … "),
                    one_line(text, (first, last)),
                    one_line(text, (first.saturating_sub(200), last + 60))
                ));
                continue;
            }
            self.found_gold += 1;
            let share = |p: &Predicted| {
                mine.iter()
                    .filter(|&&w| words[w].0 >= p.span.0 && words[w].0 < p.span.1)
                    .count()
            };
            let best = predicted.iter().max_by_key(|p| share(p));
            if let (Some(best), false) = (best, a.sources.is_empty()) {
                self.judge_speaker(best, &a.sources, text, "all");
            }
        }
    }
}
