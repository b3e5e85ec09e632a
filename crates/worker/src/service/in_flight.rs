//! The messages in flight: which input offsets may be committed, and when an outcome may be
//! published.
//!
//! Articles of one partition are processed concurrently and finish in any order. Two rules
//! follow from that, and this module keeps both, per partition, over the same in-flight entries.
//!
//! **Commits.** Committing offset N tells the group "everything before N is done", so the worker
//! may only commit up to the first message that is still in flight: if 5 is acknowledged while
//! 4 is not, a crash must replay 4, so the committable position stays at 4. The tracker reports
//! the new committable position whenever an acknowledgement moves it forward.
//!
//! **Per-key order.** A compacted topic keeps the *last* message of each key, so an update of an
//! article (same id, later offset) must reach the output topic after its older version, even
//! when the older one takes longer to process. Every outcome is therefore published only once
//! no earlier message of its partition could still publish something under the same key on the
//! same topic ([`OffsetTracker::turn`]):
//!
//! - a record is keyed by the article id, which is known once the envelope is parsed
//!   ([`OffsetTracker::identify`]); it waits for earlier messages with the same id, and for
//!   earlier messages not parsed yet (their id is still unknown);
//! - a dead letter is keyed by the input's key; it waits for earlier messages with the same
//!   input key (any message can still fail). Dead letters of inputs without a key have no key
//!   to keep in order and wait for nothing.
//!
//! "Earlier" means a message still in flight: an entry leaves the tracker when its outcome is
//! acknowledged ([`OffsetTracker::complete`]), so the next one of the same key is *sent* only
//! after the previous one is *stored*, and no produce retry or backoff can swap them. An
//! outcome that cannot be published ([`OffsetTracker::fail`]) holds the later ones of its key
//! back for good: they are withdrawn, never committed, and processed again, in order, after a
//! restart.
//!
//! Partitions come and go with rebalances. Each assignment of a partition is an *epoch*; a
//! message from an earlier epoch (in flight when its partition was revoked) is never published
//! after the revocation ([`InFlight::admit`] checks the epoch atomically with the send) and its
//! acknowledgement is ignored, because the partition's new owner processes it again.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard};

use tokio::sync::Notify;
use xxhash_rust::xxh3::xxh3_64;

/// A message in flight: what the tracker needs to find it again.
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

/// An outcome about to be published, by the key it is published under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output<'a> {
    /// A record on the output topic, keyed by the article id.
    Record(&'a str),
    /// A dead letter on the DLQ topic, keyed by the input's key (if it had one).
    DeadLetter(Option<&'a [u8]>),
}

/// Whether an outcome may be published now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Turn {
    /// Nothing earlier of the same key is in flight: publish.
    Go,
    /// An earlier message of the same key (or of a key not known yet) is still in flight.
    Wait,
    /// Never publish: the partition was revoked, or an earlier outcome of the same key could not
    /// be published. The message stays uncommitted and is processed again.
    Withdraw,
}

/// The record key of a message in flight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RecordKey {
    /// The envelope is not parsed yet: it may become a record under any key.
    Unknown,
    /// It becomes a record under the article id with this hash, or a dead letter.
    Known(u64),
    /// The envelope could not be parsed: it can only become a dead letter.
    Never,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    /// Hash of the input's key, the key of its dead letter.
    input_key: Option<u64>,
    record_key: RecordKey,
    /// Its outcome could not be published.
    failed: bool,
}

/// An [`Output`] by the hash of its key, computed once for a scan over the earlier entries.
#[derive(Debug, Clone, Copy)]
enum OutputKey {
    Record(u64),
    DeadLetter(Option<u64>),
}

impl From<&Output<'_>> for OutputKey {
    fn from(output: &Output<'_>) -> Self {
        match output {
            Output::Record(id) => Self::Record(key_hash(id.as_bytes())),
            Output::DeadLetter(key) => Self::DeadLetter(key.map(key_hash)),
        }
    }
}

impl Entry {
    /// Whether this (earlier) message may still publish something under `output`'s key.
    fn may_publish_as(&self, output: OutputKey) -> bool {
        match output {
            OutputKey::Record(hash) => match self.record_key {
                RecordKey::Unknown => true,
                RecordKey::Known(known) => known == hash,
                RecordKey::Never => false,
            },
            OutputKey::DeadLetter(Some(hash)) => self.input_key == Some(hash),
            OutputKey::DeadLetter(None) => false,
        }
    }
}

/// Keys are compared by hash: a collision only makes one outcome wait for another.
fn key_hash(key: &[u8]) -> u64 {
    xxh3_64(key)
}

#[derive(Debug, Default)]
struct PartitionState {
    epoch: u64,
    in_flight: BTreeMap<i64, Entry>,
    /// One past the highest offset seen in this epoch.
    next: Option<i64>,
    /// The last position reported as committable.
    committed: Option<i64>,
}

/// Per-partition messages in flight: commit positions and publication order.
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

    /// Records that `offset` of `topic`/`partition`, with the message key `key`, is now in
    /// flight. Messages of a partition must begin in offset order.
    pub fn begin(
        &mut self,
        topic: &str,
        partition: i32,
        offset: i64,
        key: Option<&[u8]>,
    ) -> Ticket {
        let state_key = (topic.to_owned(), partition);
        if !self.partitions.contains_key(&state_key) {
            self.epochs += 1;
            // Reading starts at the first offset seen, so that is the position until it moves.
            let state = PartitionState {
                epoch: self.epochs,
                committed: Some(offset),
                ..Default::default()
            };
            self.partitions.insert(state_key.clone(), state);
        }
        let state = self.partitions.entry(state_key).or_default();
        let entry = Entry {
            input_key: key.map(key_hash),
            record_key: RecordKey::Unknown,
            failed: false,
        };
        state.in_flight.insert(offset, entry);
        state.next = Some(state.next.map_or(offset + 1, |n| n.max(offset + 1)));
        Ticket {
            topic: topic.to_owned(),
            partition,
            offset,
            epoch: state.epoch,
        }
    }

    /// Records the article id of `ticket`'s message once its envelope is parsed, or `None` when
    /// it could not be (it can then only become a dead letter).
    pub fn identify(&mut self, ticket: &Ticket, article_id: Option<&str>) {
        if let Some(entry) = self.entry_mut(ticket) {
            entry.record_key = match article_id {
                Some(id) => RecordKey::Known(key_hash(id.as_bytes())),
                None => RecordKey::Never,
            };
        }
    }

    /// Whether `ticket`'s message may publish `output` now (see the module docs).
    pub fn turn(&self, ticket: &Ticket, output: &Output<'_>) -> Turn {
        let Some(state) = self.current(ticket) else {
            return Turn::Withdraw;
        };
        let key = OutputKey::from(output);
        let mut turn = Turn::Go;
        for earlier in state.in_flight.range(..ticket.offset).map(|(_, e)| e) {
            if earlier.may_publish_as(key) {
                if earlier.failed {
                    return Turn::Withdraw;
                }
                turn = Turn::Wait;
            }
        }
        turn
    }

    /// Records that `ticket`'s outcome could not be published: it stays in flight (never
    /// committed) and later outcomes of its key are withdrawn.
    pub fn fail(&mut self, ticket: &Ticket) {
        if let Some(entry) = self.entry_mut(ticket) {
            entry.failed = true;
        }
    }

    /// Records that the outcome of `ticket` is acknowledged. Returns the new committable
    /// position (the offset to resume from) when it moved forward.
    pub fn complete(&mut self, ticket: &Ticket) -> Option<i64> {
        let state = self
            .partitions
            .get_mut(&(ticket.topic.clone(), ticket.partition))
            .filter(|s| s.epoch == ticket.epoch)?;
        state.in_flight.remove(&ticket.offset)?;
        let position = match state.in_flight.keys().next() {
            Some(&oldest) => oldest,
            None => state.next?,
        };
        if state.committed.is_some_and(|c| c >= position) {
            return None;
        }
        state.committed = Some(position);
        Some(position)
    }

    /// Whether `ticket` belongs to the current assignment of its partition.
    pub fn is_current(&self, ticket: &Ticket) -> bool {
        self.current(ticket).is_some()
    }

    /// Forgets a partition that was revoked: its messages still in flight are withdrawn and
    /// their late acknowledgements ignored.
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

    fn current(&self, ticket: &Ticket) -> Option<&PartitionState> {
        self.partitions
            .get(&(ticket.topic.clone(), ticket.partition))
            .filter(|s| s.epoch == ticket.epoch)
    }

    fn entry_mut(&mut self, ticket: &Ticket) -> Option<&mut Entry> {
        self.partitions
            .get_mut(&(ticket.topic.clone(), ticket.partition))
            .filter(|s| s.epoch == ticket.epoch)?
            .in_flight
            .get_mut(&ticket.offset)
    }
}

/// The [`OffsetTracker`] shared by a worker's tasks, with a signal for outcomes waiting for
/// their turn: every change that can end a wait wakes them to look again.
#[derive(Debug, Default)]
pub struct InFlight {
    tracker: Mutex<OffsetTracker>,
    changed: Notify,
}

impl InFlight {
    /// Nothing in flight.
    pub fn new() -> Self {
        Self::default()
    }

    /// The tracker, locked.
    pub fn lock(&self) -> MutexGuard<'_, OffsetTracker> {
        self.tracker.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `change` on the tracker, then wakes the waiting outcomes.
    pub fn update<R>(&self, change: impl FnOnce(&mut OffsetTracker) -> R) -> R {
        let result = change(&mut self.lock());
        self.changed.notify_waiters();
        result
    }

    /// Records that `ticket`'s outcome is acknowledged and, when its partition's committable
    /// position moved, hands the new position to `store` while the tracker is still locked.
    /// Two acknowledgements of one partition must reach the consumer's offset store in the
    /// order their positions were computed: stored the other way round, the older position
    /// would overwrite the newer one, and the commits would stay behind for good.
    pub fn complete(&self, ticket: &Ticket, store: impl FnOnce(i64)) {
        self.update(|t| {
            if let Some(position) = t.complete(ticket) {
                store(position);
            }
        });
    }

    /// Waits until `ticket`'s message may publish `output`: `true` to publish, `false` when it
    /// must be withdrawn.
    pub async fn wait_turn(&self, ticket: &Ticket, output: Output<'_>) -> bool {
        loop {
            let changed = self.changed.notified();
            tokio::pin!(changed);
            // Registered before looking, so a change between the look and the wait is not lost.
            changed.as_mut().enable();
            let turn = self.lock().turn(ticket, &output);
            match turn {
                Turn::Go => return true,
                Turn::Withdraw => return false,
                Turn::Wait => changed.await,
            }
        }
    }

    /// Runs `send` only while `ticket`'s partition is still assigned to this worker, under the
    /// lock that a revocation takes: nothing of a revoked partition is sent after it.
    pub fn admit<R>(&self, ticket: &Ticket, send: impl FnOnce() -> R) -> Option<R> {
        let tracker = self.lock();
        tracker.is_current(ticket).then(send)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_contiguous_prefix_is_committable() {
        let mut t = OffsetTracker::new();
        let a = t.begin("t", 0, 10, None);
        let b = t.begin("t", 0, 11, None);
        let c = t.begin("t", 0, 12, None);
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
        let a = t.begin("t", 0, 1, None);
        let b = t.begin("t", 0, 2, None);
        let _c = t.begin("t", 0, 3, None);
        assert_eq!(t.complete(&a), Some(2));
        assert_eq!(t.complete(&b), Some(3));
    }

    #[test]
    fn gaps_in_offsets_are_fine() {
        let mut t = OffsetTracker::new();
        let a = t.begin("t", 0, 5, None);
        let b = t.begin("t", 0, 9, None);
        assert_eq!(t.complete(&b), None);
        assert_eq!(t.complete(&a), Some(10));
    }

    #[test]
    fn partitions_are_independent() {
        let mut t = OffsetTracker::new();
        let a = t.begin("t", 0, 1, None);
        let b = t.begin("t", 1, 1, None);
        assert_eq!(t.complete(&b), Some(2));
        assert_eq!(t.complete(&a), Some(2));
    }

    #[test]
    fn acknowledgements_from_before_a_revocation_are_ignored() {
        let mut t = OffsetTracker::new();
        let old = t.begin("t", 0, 7, None);
        t.revoke("t", 0);
        let new = t.begin("t", 0, 7, None);
        assert_eq!(t.complete(&old), None, "stale epoch");
        assert_eq!(t.complete(&new), Some(8));
        assert_eq!(t.complete(&new), None, "twice is once");
    }

    /// Four messages of one partition: a, c and d carry article "x", b carries "y".
    fn keyed() -> (OffsetTracker, [Ticket; 4]) {
        let mut t = OffsetTracker::new();
        let tickets = [
            t.begin("t", 0, 0, Some(b"x")),
            t.begin("t", 0, 1, Some(b"y")),
            t.begin("t", 0, 2, Some(b"x")),
            t.begin("t", 0, 3, Some(b"x")),
        ];
        for (ticket, id) in tickets.iter().zip(["x", "y", "x", "x"]) {
            t.identify(ticket, Some(id));
        }
        (t, tickets)
    }

    #[test]
    fn completions_in_any_order_are_released_in_offset_order_per_key() {
        // Every order in which the four outcomes can become ready: whatever the order, an
        // outcome is released only after every earlier one of its key was acknowledged, and
        // another key is never held up.
        let orders = permutations(&[0, 1, 2, 3]);
        assert_eq!(orders.len(), 24);
        for order in orders {
            let (mut t, tickets) = keyed();
            let ids = ["x", "y", "x", "x"];
            let mut ready: Vec<usize> = Vec::new();
            let mut published: Vec<usize> = Vec::new();
            for &finished in &order {
                ready.push(finished);
                // Publish (and acknowledge) whatever may go now, until nothing moves.
                while let Some(pos) = ready
                    .iter()
                    .position(|&i| t.turn(&tickets[i], &Output::Record(ids[i])) == Turn::Go)
                {
                    let i = ready.remove(pos);
                    t.complete(&tickets[i]);
                    published.push(i);
                }
                if finished == 1 {
                    assert!(
                        published.contains(&1),
                        "{order:?}: key y is not held back by x"
                    );
                }
            }
            assert!(ready.is_empty(), "{order:?}: all released at the end");
            let x: Vec<usize> = published
                .iter()
                .copied()
                .filter(|&i| ids[i] == "x")
                .collect();
            assert_eq!(x, vec![0, 2, 3], "{order:?}: key x in offset order");
        }
    }

    #[test]
    fn another_key_goes_at_once() {
        let (t, tickets) = keyed();
        assert_eq!(t.turn(&tickets[1], &Output::Record("y")), Turn::Go);
        assert_eq!(t.turn(&tickets[2], &Output::Record("x")), Turn::Wait);
        assert_eq!(t.turn(&tickets[0], &Output::Record("x")), Turn::Go);
    }

    #[test]
    fn a_record_waits_for_earlier_messages_whose_id_is_not_known_yet() {
        let mut t = OffsetTracker::new();
        let a = t.begin("t", 0, 0, None);
        let b = t.begin("t", 0, 1, None);
        t.identify(&b, Some("b"));
        assert_eq!(
            t.turn(&b, &Output::Record("b")),
            Turn::Wait,
            "a may be `b` too"
        );
        t.identify(&a, Some("a"));
        assert_eq!(t.turn(&b, &Output::Record("b")), Turn::Go);
        let mut t = OffsetTracker::new();
        let a = t.begin("t", 0, 0, None);
        let b = t.begin("t", 0, 1, None);
        t.identify(&a, None);
        t.identify(&b, Some("b"));
        assert_eq!(
            t.turn(&b, &Output::Record("b")),
            Turn::Go,
            "an unparsable message has no record key"
        );
    }

    #[test]
    fn dead_letters_keep_the_order_of_their_input_keys() {
        let mut t = OffsetTracker::new();
        let a = t.begin("t", 0, 0, Some(b"k"));
        let b = t.begin("t", 0, 1, Some(b"k"));
        let c = t.begin("t", 0, 2, None);
        let d = t.begin("t", 0, 3, None);
        for ticket in [&a, &b, &c, &d] {
            t.identify(ticket, None);
        }
        assert_eq!(t.turn(&b, &Output::DeadLetter(Some(b"k"))), Turn::Wait);
        assert_eq!(t.turn(&a, &Output::DeadLetter(Some(b"k"))), Turn::Go);
        assert_eq!(
            t.turn(&d, &Output::DeadLetter(None)),
            Turn::Go,
            "keyless dead letters have no order to keep"
        );
        t.complete(&a);
        assert_eq!(t.turn(&b, &Output::DeadLetter(Some(b"k"))), Turn::Go);
    }

    #[test]
    fn a_failure_holds_the_later_ones_of_its_key_back() {
        let (mut t, tickets) = keyed();
        assert_eq!(t.turn(&tickets[0], &Output::Record("x")), Turn::Go);
        t.fail(&tickets[0]);
        assert_eq!(t.turn(&tickets[2], &Output::Record("x")), Turn::Withdraw);
        assert_eq!(t.turn(&tickets[3], &Output::Record("x")), Turn::Withdraw);
        assert_eq!(t.turn(&tickets[1], &Output::Record("y")), Turn::Go);
        t.complete(&tickets[1]);
        assert_eq!(
            t.complete(&tickets[2]),
            None,
            "nothing past the failure is committable"
        );
    }

    #[test]
    fn a_retried_outcome_holds_the_later_ones_back_until_acknowledged() {
        let (mut t, tickets) = keyed();
        // Outcome 0 is being sent (and retried): it is in flight until acknowledged.
        assert_eq!(t.turn(&tickets[0], &Output::Record("x")), Turn::Go);
        for _ in 0..3 {
            assert_eq!(t.turn(&tickets[2], &Output::Record("x")), Turn::Wait);
        }
        assert_eq!(t.complete(&tickets[0]), Some(1));
        assert_eq!(t.turn(&tickets[2], &Output::Record("x")), Turn::Go);
    }

    #[test]
    fn revoking_one_partition_leaves_the_others_flowing() {
        // A cooperative rebalance revokes some partitions and keeps the rest.
        let mut t = OffsetTracker::new();
        let kept = t.begin("t", 0, 5, None);
        let kept_later = t.begin("t", 0, 6, None);
        let gone = t.begin("t", 1, 9, None);
        t.revoke("t", 1);
        assert!(t.is_current(&kept) && !t.is_current(&gone));
        assert_eq!(t.turn(&kept, &Output::Record("a")), Turn::Go);
        assert_eq!(t.turn(&gone, &Output::Record("a")), Turn::Withdraw);
        assert_eq!(t.complete(&gone), None, "late acknowledgement ignored");
        assert_eq!(t.complete(&kept), Some(6));
        assert_eq!(t.complete(&kept_later), Some(7));
        assert_eq!(t.in_flight(), 0);
        // Assigned back later, the partition starts a new epoch at the offset read first.
        let again = t.begin("t", 1, 9, None);
        assert_eq!(t.complete(&again), Some(10));
    }

    #[test]
    fn revoked_messages_are_withdrawn() {
        let (mut t, tickets) = keyed();
        t.revoke("t", 0);
        assert!(!t.is_current(&tickets[1]));
        assert_eq!(t.turn(&tickets[1], &Output::Record("y")), Turn::Withdraw);
        let again = t.begin("t", 0, 1, Some(b"y"));
        assert!(t.is_current(&again));
        assert!(!t.is_current(&tickets[1]), "an old epoch stays withdrawn");
    }

    #[tokio::test]
    async fn waiting_outcomes_wake_when_the_earlier_one_is_acknowledged() {
        let in_flight = std::sync::Arc::new(InFlight::new());
        let (a, b) = in_flight.update(|t| {
            let a = t.begin("t", 0, 0, Some(b"x"));
            let b = t.begin("t", 0, 1, Some(b"x"));
            t.identify(&a, Some("x"));
            t.identify(&b, Some("x"));
            (a, b)
        });
        let waiter = {
            let in_flight = in_flight.clone();
            tokio::spawn(async move { in_flight.wait_turn(&b, Output::Record("x")).await })
        };
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        assert!(!waiter.is_finished(), "b waits for a");
        assert!(in_flight.admit(&a, || ()).is_some());
        in_flight.update(|t| t.complete(&a));
        assert!(waiter.await.unwrap(), "b goes once a is acknowledged");
        in_flight.update(|t| t.revoke("t", 0));
        assert!(
            in_flight.admit(&a, || ()).is_none(),
            "nothing sent after a revocation"
        );
    }

    #[test]
    fn positions_reach_the_store_in_the_order_they_were_computed() {
        const MESSAGES: i64 = 20_000;
        let in_flight = std::sync::Arc::new(InFlight::new());
        let tickets: Vec<Ticket> =
            in_flight.update(|t| (0..MESSAGES).map(|o| t.begin("t", 0, o, None)).collect());
        let stored = std::sync::Arc::new(Mutex::new(Vec::new()));
        // Four threads acknowledge interleaved offsets, as the tasks of one partition do.
        std::thread::scope(|scope| {
            for lane in 0..4 {
                let (in_flight, stored) = (in_flight.clone(), stored.clone());
                let tickets = &tickets;
                scope.spawn(move || {
                    for ticket in tickets.iter().skip(lane).step_by(4) {
                        in_flight.complete(ticket, |position| {
                            // As if preempted between computing and storing the position.
                            std::thread::yield_now();
                            stored.lock().unwrap().push(position);
                        });
                    }
                });
            }
        });
        let stored = stored.lock().unwrap();
        assert!(
            stored.windows(2).all(|w| w[0] < w[1]),
            "a stored position went back"
        );
        assert_eq!(stored.last(), Some(&MESSAGES));
    }

    fn permutations(items: &[usize]) -> Vec<Vec<usize>> {
        if items.len() <= 1 {
            return vec![items.to_vec()];
        }
        let mut out = Vec::new();
        for (i, &first) in items.iter().enumerate() {
            let mut rest = items.to_vec();
            rest.remove(i);
            for mut tail in permutations(&rest) {
                tail.insert(0, first);
                out.push(tail);
            }
        }
        out
    }
}
