//! Static group membership (KIP-345, `kafka.group_instance_id`) on the real broker (tansu).
//!
//! Two workers with their own instance ids share four partitions. One is stopped with SIGTERM
//! and started again at once under the same id: a static member does not leave the group when
//! it stops, so the broker hands the returning one its old partitions and the other worker sees
//! no rebalance at all. Without static membership the stop and the start would be two
//! rebalances, each moving partitions between the workers. Everything produced before, during
//! and after the restart gets an outcome and the group commits to the end of every partition.
//!
//! The workers rebalance eagerly here. With cooperative-sticky, tansu 0.6 never asks a static
//! member to rejoin for the second, assigning round of an incremental rebalance: the second
//! worker's join made the first revoke half its partitions, and those then stayed unassigned
//! (README, "Limits of the test broker"). Kafka runs that round with every member.

mod common;

use std::time::{Duration, Instant};

use common::*;

const PARTITIONS: i32 = 4;

/// The settings of a worker with instance id `id`; the session outlasts a restart.
fn env(id: &str) -> [(&'static str, String); 3] {
    [
        ("NEWSWORKER__KAFKA__GROUP_INSTANCE_ID", id.to_owned()),
        ("NEWSWORKER__KAFKA__ASSIGNMENT", "eager".to_owned()),
        (
            "NEWSWORKER__KAFKA__CONSUMER_PROPERTIES__SESSION_TIMEOUT_MS",
            "30000".to_owned(),
        ),
    ]
}

/// Starts a worker with instance id `id` and waits until it holds partitions.
fn start(broker: &Broker, topics: &Topics, id: &str) -> Worker {
    let env = env(id);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut worker = Worker::start(broker, topics, "static", &env);
    worker.wait_ready(Duration::from_secs(60));
    worker
}

/// Small articles `from..to`, keyed by id.
fn articles(from: usize, to: usize) -> Vec<(Option<Vec<u8>>, Vec<u8>)> {
    (from..to)
        .map(|i| {
            let id = format!("static-{i}");
            let value = serde_json::json!({
                "id": id,
                "text": format!("Story {i}. The council met on Monday in Leeds."),
            });
            (Some(id.into_bytes()), value.to_string().into_bytes())
        })
        .collect()
}

#[test]
fn a_restarted_static_member_gets_its_partitions_back_without_a_rebalance() {
    let broker = Broker::start();
    let topics = Topics::create(&broker, "static", PARTITIONS);
    let mut positions = produce(&broker, &topics.raw, &articles(0, 100));
    let a = start(&broker, &topics, "worker-a");
    let b = start(&broker, &topics, "worker-b");
    // Both hold partitions once the second join's rebalance is over.
    let deadline = Instant::now() + Duration::from_secs(60);
    while held_partitions(&a.log()).len() + held_partitions(&b.log()).len() != PARTITIONS as usize
        || held_partitions(&a.log()).is_empty()
    {
        assert!(
            Instant::now() < deadline,
            "A and B never split the partitions:\nA:\n{}\nB:\n{}",
            a.log(),
            b.log()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    std::thread::sleep(Duration::from_secs(2));
    let a_held = held_partitions(&a.log());
    let b_rebalances = rebalances(&b.log()).len();

    a.stop_cleanly("A");
    positions.extend(produce(&broker, &topics.raw, &articles(100, 200)));
    let a_again = start(&broker, &topics, "worker-a");
    positions.extend(produce(&broker, &topics.raw, &articles(200, 300)));
    wait_committed_to(
        &broker.bootstrap(),
        "static",
        &topics.raw,
        &partition_ends(&positions, PARTITIONS),
        Duration::from_secs(120),
        String::new,
    );

    let b_log = b.log();
    assert_eq!(
        held_partitions(&a_again.log()),
        a_held,
        "the returning member gets its old partitions:\n{}",
        a_again.log()
    );
    assert_eq!(
        rebalances(&b_log).len(),
        b_rebalances,
        "B saw no rebalance while A restarted:\n{b_log}"
    );
    let (records, letters) = mock::outputs(&broker.bootstrap(), &topics, positions.len());
    let seen = tally(&records, &letters);
    let missing: Vec<_> = positions.iter().filter(|p| !seen.contains_key(p)).collect();
    assert!(missing.is_empty(), "inputs without an outcome: {missing:?}");
    for (name, worker) in [("A", a_again), ("B", b)] {
        worker.stop_cleanly(name);
    }
}
