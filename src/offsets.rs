//! Which input offsets may be committed: the contiguous acknowledged prefix of each partition.
//!
//! Articles of one partition are processed concurrently and their records are acknowledged in
//! any order. Committing offset N tells the group "everything before N is done", so the worker
//! may only commit up to the first message that is still in flight: if 5 is acknowledged while
//! 4 is not, a crash must replay 4, so the committable position stays at 4. The tracker keeps
//! the in-flight offsets of each partition and reports the new committable position whenever
//! an acknowledgement moves it forward.
//!
//! Partitions come and go with rebalances. Each assignment of a partition is an *epoch*; an
//! acknowledgement from an earlier epoch (a message that was in flight when its partition was
//! revoked) is ignored, because the partition's new owner will process it again.

use std::collections::{BTreeSet, HashMap};

/// A message in flight: what the tracker needs to acknowledge it later.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    /// Topic.
    pub topic: String,
    /// Partition.
    pub partition: i32,
    /// Offset of the message.
    pub offset: i64,
    epoch: u64,
}

#[derive(Debug, Default)]
struct PartitionState {
    epoch: u64,
    in_flight: BTreeSet<i64>,
    /// One past the highest offset seen in this epoch.
    next: Option<i64>,
    /// The last position reported as committable.
    committed: Option<i64>,
}

/// Per-partition in-flight offsets.
#[derive(Debug, Default)]
pub struct OffsetTracker {
    partitions: HashMap<(String, i32), PartitionState>,
    epochs: u64,
}

impl OffsetTracker {
    /// An empty tracker.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records that `offset` of `topic`/`partition` is now in flight.
    pub fn begin(&mut self, topic: &str, partition: i32, offset: i64) -> Ticket {
        let key = (topic.to_owned(), partition);
        if !self.partitions.contains_key(&key) {
            self.epochs += 1;
            // Reading starts at the first offset seen, so that is the position until it moves.
            let state = PartitionState {
                epoch: self.epochs,
                committed: Some(offset),
                ..Default::default()
            };
            self.partitions.insert(key.clone(), state);
        }
        let state = self.partitions.entry(key).or_default();
        state.in_flight.insert(offset);
        state.next = Some(state.next.map_or(offset + 1, |n| n.max(offset + 1)));
        Ticket {
            topic: topic.to_owned(),
            partition,
            offset,
            epoch: state.epoch,
        }
    }

    /// Records that the message of `ticket` is acknowledged. Returns the new committable
    /// position (the offset to resume from) when it moved forward.
    pub fn complete(&mut self, ticket: &Ticket) -> Option<i64> {
        let state = self
            .partitions
            .get_mut(&(ticket.topic.clone(), ticket.partition))?;
        if state.epoch != ticket.epoch || !state.in_flight.remove(&ticket.offset) {
            return None;
        }
        let position = match state.in_flight.first() {
            Some(&oldest) => oldest,
            None => state.next?,
        };
        if state.committed.is_some_and(|c| c >= position) {
            return None;
        }
        state.committed = Some(position);
        Some(position)
    }

    /// Forgets a partition that was revoked; its late acknowledgements are ignored.
    pub fn revoke(&mut self, topic: &str, partition: i32) {
        self.partitions.remove(&(topic.to_owned(), partition));
    }

    /// Messages of one partition in flight.
    pub fn in_flight_of(&self, topic: &str, partition: i32) -> usize {
        self.partitions
            .get(&(topic.to_owned(), partition))
            .map_or(0, |p| p.in_flight.len())
    }

    /// Messages in flight across all partitions.
    pub fn in_flight(&self) -> usize {
        self.partitions.values().map(|p| p.in_flight.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_contiguous_prefix_is_committable() {
        let mut t = OffsetTracker::new();
        let a = t.begin("t", 0, 10);
        let b = t.begin("t", 0, 11);
        let c = t.begin("t", 0, 12);
        assert_eq!(t.complete(&b), None, "10 is still in flight");
        assert_eq!(t.in_flight_of("t", 0), 2);
        assert_eq!(t.in_flight_of("t", 9), 0);
        assert_eq!(t.complete(&c), None);
        assert_eq!(t.complete(&a), Some(13), "all done: resume after 12");
        assert_eq!(t.in_flight(), 0);
    }

    #[test]
    fn position_advances_to_the_oldest_in_flight_message() {
        let mut t = OffsetTracker::new();
        let a = t.begin("t", 0, 1);
        let b = t.begin("t", 0, 2);
        let _c = t.begin("t", 0, 3);
        assert_eq!(t.complete(&a), Some(2));
        assert_eq!(t.complete(&b), Some(3));
    }

    #[test]
    fn gaps_in_offsets_are_fine() {
        let mut t = OffsetTracker::new();
        let a = t.begin("t", 0, 5);
        let b = t.begin("t", 0, 9);
        assert_eq!(t.complete(&b), None);
        assert_eq!(t.complete(&a), Some(10));
    }

    #[test]
    fn partitions_are_independent() {
        let mut t = OffsetTracker::new();
        let a = t.begin("t", 0, 1);
        let b = t.begin("t", 1, 1);
        assert_eq!(t.complete(&b), Some(2));
        assert_eq!(t.complete(&a), Some(2));
    }

    #[test]
    fn acknowledgements_from_before_a_revocation_are_ignored() {
        let mut t = OffsetTracker::new();
        let old = t.begin("t", 0, 7);
        t.revoke("t", 0);
        let new = t.begin("t", 0, 7);
        assert_eq!(t.complete(&old), None, "stale epoch");
        assert_eq!(t.complete(&new), Some(8));
        assert_eq!(t.complete(&new), None, "twice is once");
    }
}
