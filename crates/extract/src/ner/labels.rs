//! The BILOU label set the tagger predicts: `O`, and for each entity type `B-` (begin),
//! `I-` (inside), `L-` (last) and `U-` (unit, a one-token entity) — 17 labels.
//!
//! BILOU beats plain IOB for perceptron taggers (Ratinov & Roth 2009) because the end of
//! a mention and single-token mentions get their own weights. Which label may follow
//! which is fixed ([`allowed`]), so Viterbi decoding only ever yields well-formed spans.

use super::{EntitySpan, EntityType};

/// Number of labels: `O` plus four positions for each of the four types.
pub(crate) const LABEL_COUNT: usize = 17;

/// Where a token sits inside its entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Position {
    Begin,
    Inside,
    Last,
    Unit,
}

const POSITIONS: [Position; 4] = [
    Position::Begin,
    Position::Inside,
    Position::Last,
    Position::Unit,
];

/// One BILOU label, stored as its index `0..LABEL_COUNT` (`0` is `O`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Label(u8);

impl Label {
    /// The outside label `O`.
    pub(crate) const OUTSIDE: Label = Label(0);

    #[cfg(feature = "training")]
    /// The label for `kind` at `position`.
    pub(crate) fn entity(kind: EntityType, position: Position) -> Label {
        let offset = POSITIONS.iter().position(|p| *p == position).unwrap_or(0);
        // At most 1 + 3 * 4 + 3 = 16, so the cast cannot truncate.
        Label((1 + kind.index() * 4 + offset) as u8)
    }

    /// The label with index `index`; indices past the end wrap onto `O`.
    pub(crate) fn from_index(index: usize) -> Label {
        if index < LABEL_COUNT {
            Label(index as u8)
        } else {
            Label::OUTSIDE
        }
    }

    /// The label's index, `0..LABEL_COUNT`.
    pub(crate) fn index(self) -> usize {
        usize::from(self.0)
    }

    /// The entity type, `None` for `O`.
    pub(crate) fn kind(self) -> Option<EntityType> {
        let index = self.index().checked_sub(1)?;
        EntityType::ALL.get(index / 4).copied()
    }

    /// The position inside the entity, `None` for `O`.
    pub(crate) fn position(self) -> Option<Position> {
        let index = self.index().checked_sub(1)?;
        POSITIONS.get(index % 4).copied()
    }
}

/// Whether `next` may follow `previous` (`None`: `next` starts the sentence).
pub(crate) fn allowed(previous: Option<Label>, next: Label) -> bool {
    let open_kind = match previous.and_then(|p| Some((p.kind()?, p.position()?))) {
        Some((kind, Position::Begin | Position::Inside)) => Some(kind),
        _ => None,
    };
    match (open_kind, next.position()) {
        (None, None | Some(Position::Begin | Position::Unit)) => true,
        (Some(kind), Some(Position::Inside | Position::Last)) => next.kind() == Some(kind),
        _ => false,
    }
}

/// Whether a sentence may end on `label` (no entity left open).
pub(crate) fn can_end(label: Label) -> bool {
    !matches!(label.position(), Some(Position::Begin | Position::Inside))
}

#[cfg(feature = "training")]
/// BILOU labels for a sentence of `len` tokens with the given (non-overlapping) spans.
pub(crate) fn encode(spans: &[EntitySpan], len: usize) -> Vec<Label> {
    let mut labels = vec![Label::OUTSIDE; len];
    for span in spans {
        let end = span.end.min(len);
        for (index, slot) in labels.iter_mut().enumerate().take(end).skip(span.start) {
            let position = match (index == span.start, index + 1 == end) {
                (true, true) => Position::Unit,
                (true, false) => Position::Begin,
                (false, true) => Position::Last,
                (false, false) => Position::Inside,
            };
            *slot = Label::entity(span.kind, position);
        }
    }
    labels
}

/// Entity spans from BILOU labels. Viterbi output is always well formed; for anything
/// else a `B`/`I`/`L` that does not continue the open entity starts a new one.
pub(crate) fn decode(labels: &[Label]) -> Vec<EntitySpan> {
    let mut spans = Vec::new();
    let mut open: Option<(usize, EntityType)> = None;
    for (index, label) in labels.iter().enumerate() {
        let (Some(kind), Some(position)) = (label.kind(), label.position()) else {
            close(&mut spans, &mut open, index);
            continue;
        };
        let continues = matches!(open, Some((_, current)) if current == kind)
            && matches!(position, Position::Inside | Position::Last);
        if !continues {
            close(&mut spans, &mut open, index);
            open = Some((index, kind));
        }
        if matches!(position, Position::Last | Position::Unit) {
            close(&mut spans, &mut open, index + 1);
        }
    }
    close(&mut spans, &mut open, labels.len());
    spans
}

fn close(spans: &mut Vec<EntitySpan>, open: &mut Option<(usize, EntityType)>, end: usize) {
    if let Some((start, kind)) = open.take() {
        spans.push(EntitySpan { start, end, kind });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start: usize, end: usize, kind: EntityType) -> EntitySpan {
        EntitySpan { start, end, kind }
    }

    #[test]
    fn encode_decode_round_trip() {
        let spans = vec![
            span(0, 1, EntityType::Loc),
            span(2, 5, EntityType::Person),
            span(5, 7, EntityType::Org),
        ];
        let labels = encode(&spans, 8);
        assert_eq!(labels[0], Label::entity(EntityType::Loc, Position::Unit));
        assert_eq!(
            labels[3],
            Label::entity(EntityType::Person, Position::Inside)
        );
        assert_eq!(labels[7], Label::OUTSIDE);
        assert_eq!(decode(&labels), spans);
    }

    #[test]
    fn label_indices_cover_all() {
        for index in 0..LABEL_COUNT {
            let label = Label::from_index(index);
            assert_eq!(label.index(), index);
            if let (Some(kind), Some(position)) = (label.kind(), label.position()) {
                assert_eq!(Label::entity(kind, position), label);
            }
        }
        assert_eq!(Label::from_index(99), Label::OUTSIDE);
    }

    #[test]
    fn malformed_sequences_decode_sensibly() {
        let inside = Label::entity(EntityType::Misc, Position::Inside);
        let last = Label::entity(EntityType::Org, Position::Last);
        let spans = decode(&[inside, inside, last, Label::OUTSIDE, inside]);
        assert_eq!(
            spans,
            [
                span(0, 2, EntityType::Misc),
                span(2, 3, EntityType::Org),
                span(4, 5, EntityType::Misc)
            ]
        );
    }

    #[test]
    fn transitions() {
        let begin = Label::entity(EntityType::Person, Position::Begin);
        let last = Label::entity(EntityType::Person, Position::Last);
        let org_last = Label::entity(EntityType::Org, Position::Last);
        assert!(allowed(None, begin));
        assert!(!allowed(None, last));
        assert!(allowed(Some(begin), last));
        assert!(!allowed(Some(begin), org_last));
        assert!(!allowed(Some(begin), Label::OUTSIDE));
        assert!(allowed(Some(last), Label::OUTSIDE));
        assert!(!can_end(begin));
        assert!(can_end(last));
    }
}
