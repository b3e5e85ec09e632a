//! The span typer: a second look at each mention's type, with the mention seen whole.
//!
//! The tagger finds a mention's boundaries well, and most of its remaining mistakes on
//! names it never saw are types: a club read as a person ("Pirelli 2 Magna 1"), a firm as a
//! place. It decides the type token by token through a window of five, so it cannot weigh
//! evidence that only the whole mention shows: all its words, the words just outside it, the
//! types of the mentions around it, what the document calls the same name elsewhere
//! (`features::spans` makes those keys).
//!
//! The typer is a logistic regression over four types (see `train` for why not a
//! perceptron), trained on the mentions a jackknifed tagger finds in the training data, with
//! the tagger's own type among its features, so it learns where that type is reliable. At
//! run time it re-decides each mention's type after the tagger's second pass; every decision
//! reads the tagger's types of the other mentions, so the order of mentions does not matter.
//! It keeps the tagger's type unless another type scores strictly higher.

use super::features::{DocumentFeatures, KeyMap};
use super::lexicon::Gazetteer;
use super::{EntitySpan, EntityType};

/// Scores for the four types, in [`EntityType::ALL`] order.
type TypeScores = [f32; 4];

/// The span typer's weights: one row of type scores per feature key.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct SpanTyper {
    rows: KeyMap<TypeScores>,
    /// The keys in the order the model file stores them.
    keys: Vec<u64>,
}

impl SpanTyper {
    /// A typer from `(key, row)` pairs, in file order.
    pub(crate) fn from_rows(rows: Vec<(u64, TypeScores)>) -> SpanTyper {
        SpanTyper {
            keys: rows.iter().map(|(key, _)| *key).collect(),
            rows: rows.into_iter().collect(),
        }
    }

    /// The `(key, row)` pairs in file order.
    pub(crate) fn rows(&self) -> impl Iterator<Item = (u64, TypeScores)> + '_ {
        self.keys
            .iter()
            .map(|key| (*key, self.rows.get(key).copied().unwrap_or_default()))
    }

    /// The type for a mention with feature keys `keys`: the tagger's `tagged` type unless
    /// another one scores strictly higher.
    fn decide(&self, keys: &[u64], tagged: EntityType) -> EntityType {
        let mut scores = TypeScores::default();
        for row in keys.iter().filter_map(|key| self.rows.get(key)) {
            for (score, weight) in scores.iter_mut().zip(row) {
                *score += weight;
            }
        }
        let best = best_type(&scores);
        if scores[best.index()] > scores[tagged.index()] {
            best
        } else {
            tagged
        }
    }

    /// Re-decides the type of every mention of a document (`mentions[s]`: sentence `s`'s,
    /// as the tagger typed them).
    pub(crate) fn retype(
        &self,
        document: &DocumentFeatures,
        gazetteer: &Gazetteer,
        mentions: &mut [Vec<EntitySpan>],
    ) {
        let mut decided = Vec::new();
        document.mention_keys(gazetteer, mentions, |_, span, keys| {
            decided.push(self.decide(keys, span.kind));
        });
        for (span, kind) in mentions.iter_mut().flatten().zip(decided) {
            span.kind = kind;
        }
    }
}

/// The type with the highest score; the first of equals.
fn best_type(scores: &TypeScores) -> EntityType {
    let mut best = 0;
    for (slot, score) in scores.iter().enumerate() {
        if *score > scores[best] {
            best = slot;
        }
    }
    EntityType::ALL[best]
}

/// One training mention: its feature keys and its gold type.
#[cfg(feature = "training")]
pub(crate) type Example = (Vec<u64>, EntityType);

/// Trains the typer as a logistic regression over the four types, by averaged stochastic
/// gradient descent: `epochs` passes over `examples`, shuffled by `shuffle` before each pass
/// (seeded by the caller, so training reproduces), with the weights averaged over every
/// step. Each step also shrinks the weights it touches by the L2 penalty `l2`, so that no
/// single context word ("at" before a name) decides a type alone.
///
/// Why not a perceptron, like the tagger: a perceptron learns only from its mistakes, and
/// the typer's training mentions are mostly ones the tagger typed right. Their evidence
/// ("President" before a name) then never reaches the weights, and a rare pattern among
/// the mistakes (a single unknown word read as a person is often a club) overrules it.
/// The logistic loss learns from every mention.
#[cfg(feature = "training")]
pub(crate) fn train(
    examples: &[Example],
    (epochs, l2): (usize, f64),
    mut shuffle: impl FnMut(&mut [usize]),
) -> SpanTyper {
    let mut ids: KeyMap<u32> = KeyMap::default();
    let mut keys = Vec::new();
    let encoded: Vec<(Vec<u32>, usize)> = examples
        .iter()
        .map(|(features, kind)| {
            let row_ids = features
                .iter()
                .map(|key| {
                    *ids.entry(*key).or_insert_with(|| {
                        keys.push(*key);
                        (keys.len() - 1) as u32
                    })
                })
                .collect();
            (row_ids, kind.index())
        })
        .collect();
    let mut weights = vec![[0f64; 4]; keys.len()];
    let mut totals = vec![[0f64; 4]; keys.len()];
    let mut step = 1.0;
    let mut order: Vec<usize> = (0..encoded.len()).collect();
    for _ in 0..epochs {
        shuffle(&mut order);
        for example in &order {
            let (row_ids, truth) = &encoded[*example];
            let mut scores = [0f64; 4];
            for id in row_ids {
                for (score, weight) in scores.iter_mut().zip(weights[*id as usize]) {
                    *score += weight;
                }
            }
            let top = scores.iter().fold(f64::NEG_INFINITY, |m, s| m.max(*s));
            let exponentials = scores.map(|s| (s - top).exp());
            let sum: f64 = exponentials.iter().sum();
            let gradient: [f64; 4] = std::array::from_fn(|slot| {
                exponentials[slot] / sum - if slot == *truth { 1.0 } else { 0.0 }
            });
            for id in row_ids {
                let id = *id as usize;
                for slot in 0..4 {
                    let decay = l2 * weights[id][slot];
                    let delta = -LEARNING_RATE * (gradient[slot] + decay);
                    weights[id][slot] += delta;
                    totals[id][slot] += step * delta;
                }
            }
            step += 1.0;
        }
    }
    let rows = keys
        .into_iter()
        .zip(weights.iter().zip(&totals))
        .map(|(key, (weight, total))| {
            let row: TypeScores =
                std::array::from_fn(|slot| (weight[slot] - total[slot] / step) as f32);
            (key, row)
        })
        .filter(|(_, row)| row.iter().any(|w| *w != 0.0))
        .collect();
    SpanTyper::from_rows(rows)
}

/// The step size of the typer's gradient descent (chosen on CoNLL dev).
#[cfg(feature = "training")]
const LEARNING_RATE: f64 = 0.1;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_tagged_type_unless_another_scores_higher() {
        let typer =
            SpanTyper::from_rows(vec![(1, [0.0, 2.0, 0.0, 0.0]), (2, [1.0, 0.0, 1.0, 0.0])]);
        assert_eq!(typer.decide(&[1], EntityType::Person), EntityType::Org);
        assert_eq!(
            typer.decide(&[2], EntityType::Loc),
            EntityType::Loc,
            "a tie keeps it"
        );
        assert_eq!(typer.decide(&[2], EntityType::Misc), EntityType::Person);
        assert_eq!(
            typer.decide(&[9], EntityType::Misc),
            EntityType::Misc,
            "unknown keys"
        );
        assert_eq!(typer.rows().count(), 2);
    }

    #[cfg(feature = "training")]
    #[test]
    fn training_learns_a_separable_rule() {
        let examples: Vec<Example> = (0..40u64)
            .map(|n| {
                let kind = if n % 2 == 0 {
                    EntityType::Org
                } else {
                    EntityType::Loc
                };
                (vec![100 + n % 2, 7], kind)
            })
            .collect();
        let typer = train(&examples, (3, 0.001), |order| order.reverse());
        assert_eq!(typer.decide(&[100, 7], EntityType::Person), EntityType::Org);
        assert_eq!(typer.decide(&[101, 7], EntityType::Person), EntityType::Loc);
    }
}
