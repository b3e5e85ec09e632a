//! Scale-out on Apache Kafka: workers join, crash and leave a consumer group while articles keep
//! arriving, with the classic protocol's cooperative-sticky assignment (the default), its eager
//! assignment, and the consumer group protocol of KIP-848 (`kafka.group_protocol = "consumer"`).
//!
//! A producer thread writes a steady stream to six input partitions for the whole run: new
//! articles keyed by their id, now and then a second version of an earlier article (same key,
//! so same partition, later offset), and some broken JSON that can only become a dead letter.
//! Meanwhile:
//!
//! 1. worker A starts alone and takes all six partitions;
//! 2. worker B joins mid-stream, then worker C;
//! 3. B is killed with SIGKILL: it commits nothing more, and its partitions are re-read by
//!    whoever gets them next from the group's last committed offsets, once the broker has
//!    expired B's session;
//! 4. C leaves with SIGTERM (drain, commit, leave) right away;
//! 5. D joins; then the stream stops, and A and D finish it.
//!
//! Afterwards the test checks:
//!
//! - **no loss**: every input offset has a record or a dead letter;
//! - **bounded duplicates**: at most `U + R × max_in_flight`, where `U` is what the group had not
//!   committed right after the kill (everything B processed without committing is in it), `R`
//!   the revocations the workers counted, and `max_in_flight` the most a worker has between
//!   "read" and "committed" when a revocation hands its partitions over: a revocation commits
//!   what is acknowledged and withdraws the rest, but outcomes already handed to the producer
//!   are still written, and their inputs are processed again by the next owner;
//! - **every worker held partitions** while it ran (its `/readyz` says so only then), and the
//!   log says which rebalance protocol the client used; with incremental rebalances
//!   (cooperative-sticky, and the consumer protocol) A never dropped to zero partitions while
//!   the others came and went, with eager it did;
//! - the group's **committed offsets reach the end** of every partition;
//! - **per-key order through rebalances**: for every article written twice, the last record of
//!   its key is the second version.

mod common;

use std::sync::Mutex;
use std::time::{Duration, Instant};

use common::stream::{check_last_versions, Stream};
use common::*;

const PARTITIONS: i32 = 6;
/// `worker.max_in_flight` of every worker: the most one revocation can cost in duplicates.
const MAX_IN_FLIGHT: usize = 32;

/// Every variant runs up to three worker processes: on two cores they run one at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// A worker of the test's group, ready (holding at least one partition) within a minute.
fn join(broker: &Broker, topics: &Topics, group: &str, env: &[(&str, &str)]) -> Worker {
    let mut worker = Worker::start(broker, topics, group, env);
    worker.wait_ready(Duration::from_secs(60));
    worker
}

/// Revocations the worker counted (`newsworker_rebalances_total{kind="revoke"}`).
fn revocations(worker: &Worker) -> f64 {
    let (_, text) = worker.get("/metrics").expect("the worker's /metrics");
    metric_sum_where(&text, "newsworker_rebalances_total", "kind=\"revoke\"")
}

/// Inputs the group has not committed: the sum over partitions of end minus committed offset.
fn uncommitted(broker: &Broker, topics: &Topics, group: &str) -> i64 {
    let committed = committed(broker, group, &topics.raw, PARTITIONS);
    let consumer: rdkafka::consumer::BaseConsumer =
        client(&broker.bootstrap(), &[]).create().expect("consumer");
    (0..PARTITIONS)
        .map(|p| {
            let (_, high) = rdkafka::consumer::Consumer::fetch_watermarks(
                &consumer,
                &topics.raw,
                p,
                Duration::from_secs(10),
            )
            .expect("watermarks");
            high - committed[p as usize].max(0)
        })
        .sum()
}

/// Runs the scenario of the module docs with `kafka.group_protocol = protocol` and (classic
/// only) `kafka.assignment = assignment`.
fn scale_out(protocol: &str, assignment: &str) {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let started = Instant::now();
    let broker = Broker::shared();
    let group = format!("scale-{protocol}-{assignment}");
    let topics = Topics::create(broker, &group, PARTITIONS);
    let in_flight = MAX_IN_FLIGHT.to_string();
    let env = [
        ("NEWSWORKER__KAFKA__GROUP_PROTOCOL", protocol),
        ("NEWSWORKER__KAFKA__ASSIGNMENT", assignment),
        ("NEWSWORKER__WORKER__MAX_IN_FLIGHT", in_flight.as_str()),
    ];
    let stream = Stream::start(broker.bootstrap(), topics.raw.clone());

    let a = join(broker, &topics, &group, &env);
    wait_outcomes(&a, 30.0, Duration::from_secs(90));
    let b = join(broker, &topics, &group, &env);
    wait_outcomes(&b, 10.0, Duration::from_secs(90));
    let c = join(broker, &topics, &group, &env);
    wait_outcomes(&c, 10.0, Duration::from_secs(90));
    let mut revoked = revocations(&b);
    let b_log = b.log();
    b.kill9();
    let uncommitted_at_kill = uncommitted(broker, &topics, &group);

    let from = outcomes_counted(&a);
    revoked += revocations(&c) + 1.0; // + the revocation of its own leave, after this scrape
    let c_log = c.stop_cleanly("C");
    let d = join(broker, &topics, &group, &env);
    wait_outcomes(&d, 10.0, Duration::from_secs(90));
    wait_outcomes(&a, from + 10.0, Duration::from_secs(90));
    let produced = stream.stop();
    let positions: Vec<(i32, i64)> = produced.iter().map(|p| p.position).collect();
    wait_committed_to(
        &broker.bootstrap(),
        &group,
        &topics.raw,
        &partition_ends(&positions, PARTITIONS),
        Duration::from_secs(120),
        String::new,
    );
    revoked += revocations(&a) + revocations(&d) + 2.0;
    let logs = [
        ("A", a.stop_cleanly("A")),
        ("B", b_log),
        ("C", c_log),
        ("D", d.stop_cleanly("D")),
    ];

    let (records, letters) = outputs::outputs(&broker.bootstrap(), &topics, produced.len());
    let seen = tally(&records, &letters);
    let missing: Vec<_> = produced
        .iter()
        .map(|p| p.position)
        .filter(|p| !seen.contains_key(p))
        .collect();
    let duplicates = records.len() + letters.len() - seen.len();
    let bound = uncommitted_at_kill as usize + revoked as usize * MAX_IN_FLIGHT;
    println!(
        "scale-out ({protocol}, {assignment}): {} inputs, {} records + {} dead letters, {} missing, \
         {duplicates} duplicates (bound {bound}: {uncommitted_at_kill} uncommitted at the kill \
         + {revoked} revocations x {MAX_IN_FLIGHT}), {:.0} s",
        produced.len(),
        records.len(),
        letters.len(),
        missing.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(missing.is_empty(), "inputs without an outcome: {missing:?}");
    assert!(
        duplicates <= bound,
        "{duplicates} duplicates, bound {bound}"
    );
    let incremental = protocol == "consumer" || assignment == "cooperative-sticky";
    check_logs(incremental, &logs);
    check_last_versions(&produced, &records);
}

/// Every worker held partitions (its readiness said so; here its log does), through the
/// rebalance protocol asked for; A kept partitions through every incremental rebalance.
fn check_logs(incremental: bool, logs: &[(&str, String)]) {
    let protocol = if incremental {
        "protocol=\"cooperative\""
    } else {
        "protocol=\"eager\""
    };
    for (name, log) in logs {
        let sizes: Vec<usize> = rebalances(log).iter().map(|r| r.partitions).collect();
        assert!(
            sizes.iter().any(|&n| n > 0),
            "{name} never held a partition: {sizes:?}\n{log}"
        );
        assert!(
            plain(log).contains(protocol),
            "{name} not {protocol}:\n{log}"
        );
    }
    // A's sizes while it ran, without its own shutdown's revocation at the end.
    let a: Vec<usize> = rebalances(&logs[0].1)
        .iter()
        .map(|r| r.partitions)
        .collect();
    let running = &a[..a.len().saturating_sub(1)];
    let dropped_to_zero = running.iter().skip(1).any(|&n| n == 0);
    assert_eq!(
        dropped_to_zero, !incremental,
        "A's assignment sizes {a:?}: an incremental member keeps its other partitions through a \
         rebalance, an eager one gives them all up"
    );
}

#[test]
fn cooperative_sticky_scale_out_loses_nothing_and_keeps_key_order() {
    scale_out("classic", "cooperative-sticky");
}

#[test]
fn eager_scale_out_loses_nothing_and_keeps_key_order() {
    scale_out("classic", "eager");
}

#[test]
fn consumer_protocol_scale_out_loses_nothing_and_keeps_key_order() {
    scale_out("consumer", "cooperative-sticky");
}
