//! Static group membership (KIP-345, `kafka.group_instance_id`) on Apache Kafka, with the
//! classic protocol's cooperative-sticky assignment and with the consumer group protocol
//! (KIP-848).
//!
//! Two workers with their own instance ids share four partitions. One is stopped with SIGTERM
//! and started again at once under the same id: a static member does not leave the group when
//! it stops, so the broker hands the returning one its old partitions and the other worker sees
//! no rebalance at all. Without static membership the stop and the start would be two
//! rebalances, each moving partitions between the workers. Everything produced before, during
//! and after the restart gets an outcome and the group commits to the end of every partition.
//!
//! The session outlasts the restart: 30 s, the classic members' `session.timeout.ms`, and this
//! binary's broker's `group.consumer.session.timeout.ms` for the consumer protocol, whose
//! sessions the broker keeps.

mod common;

use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use common::kafka::Options;
use common::*;

const PARTITIONS: i32 = 4;

/// Both variants run two worker processes: on two cores they run one at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// The broker of this binary: consumer-protocol sessions of 30 s, as the classic members have.
fn broker() -> &'static Broker {
    static BROKER: OnceLock<&'static Broker> = OnceLock::new();
    BROKER.get_or_init(|| {
        let options = Options {
            properties: vec![(
                "group.consumer.session.timeout.ms".to_owned(),
                "30000".to_owned(),
            )],
            ..Options::default()
        };
        Broker::start_with(options).until_exit()
    })
}

/// Starts a worker of `group` with instance id `id` under `protocol` and waits until it holds
/// partitions.
fn start(topics: &Topics, group: &str, protocol: &str, id: &str) -> Worker {
    let mut env = vec![
        ("NEWSWORKER__KAFKA__GROUP_INSTANCE_ID", id),
        ("NEWSWORKER__KAFKA__GROUP_PROTOCOL", protocol),
        ("NEWSWORKER__KAFKA__ASSIGNMENT", "cooperative-sticky"),
    ];
    if protocol == "classic" {
        env.push((
            "NEWSWORKER__KAFKA__CONSUMER_PROPERTIES__SESSION_TIMEOUT_MS",
            "30000",
        ));
    }
    let mut worker = Worker::start(broker(), topics, group, &env);
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
fn a_restarted_static_member_gets_its_partitions_back_without_a_rebalance_classic() {
    restart_a_static_member("classic");
}

#[test]
fn a_restarted_static_member_gets_its_partitions_back_without_a_rebalance_consumer() {
    restart_a_static_member("consumer");
}

/// The scenario of the module docs under group protocol `protocol`.
fn restart_a_static_member(protocol: &str) {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let broker = broker();
    let group = format!("static-{protocol}");
    let topics = Topics::create(broker, &group, PARTITIONS);
    let mut positions = produce(broker, &topics.raw, &articles(0, 100));
    let a = start(&topics, &group, protocol, "worker-a");
    let b = start(&topics, &group, protocol, "worker-b");
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
    positions.extend(produce(broker, &topics.raw, &articles(100, 200)));
    let a_again = start(&topics, &group, protocol, "worker-a");
    positions.extend(produce(broker, &topics.raw, &articles(200, 300)));
    wait_committed_to(
        &broker.bootstrap(),
        &group,
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
    let (records, letters) = outputs::outputs(&broker.bootstrap(), &topics, positions.len());
    let seen = tally(&records, &letters);
    let missing: Vec<_> = positions.iter().filter(|p| !seen.contains_key(p)).collect();
    assert!(missing.is_empty(), "inputs without an outcome: {missing:?}");
    for (name, worker) in [("A", a_again), ("B", b)] {
        worker.stop_cleanly(name);
    }
}
