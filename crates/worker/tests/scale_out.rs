//! Scale-out on the real broker (tansu): workers join, crash and leave a consumer group while
//! articles keep arriving, once with cooperative-sticky assignment (the default) and once with
//! eager assignment.
//!
//! A producer thread writes a steady stream to six input partitions for the whole run: new
//! articles keyed by their id, now and then a second version of an earlier article (same key,
//! so same partition, later offset), and some broken JSON that can only become a dead letter.
//! Meanwhile:
//!
//! 1. worker A starts alone and takes all six partitions;
//! 2. workers B and C join mid-stream;
//! 3. B is killed with SIGKILL: it commits nothing more, and its partitions are re-read by
//!    whoever gets them next from the group's last committed offsets;
//! 4. C leaves with SIGTERM (drain, commit, leave);
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
//!   log says which rebalance protocol the client used; with cooperative-sticky, A never
//!   dropped to zero partitions while the others came and went, with eager it did;
//! - the group's **committed offsets reach the end** of every partition;
//! - **per-key order through rebalances**: for every article written twice, the last record of
//!   its key is the second version.
//!
//! About the broker (README, "Limits of the test broker"): tansu's group coordinator expires a
//! dead member lazily and does not always tell the survivors to rejoin, so after the kill the
//! test waits out the session timeout before the next member leaves; that leave, at the latest,
//! starts the rebalance that gives B's partitions to a survivor. And it can finish a rebalance
//! before every member has rejoined, handing a member's partitions to a newcomer while that
//! member still reads them; B and C are therefore started together and join in one rebalance.

mod common;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use common::*;

const PARTITIONS: i32 = 6;
/// The workers' consumer session timeout; after the kill the test waits it out.
const SESSION_TIMEOUT: Duration = Duration::from_secs(10);
/// `worker.max_in_flight` of every worker: the most one revocation can cost in duplicates.
const MAX_IN_FLIGHT: usize = 32;

/// Both variants start brokers and three worker processes: on two cores they run one at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// An article's id and version; `None` for broken JSON.
type Article = Option<(String, u32)>;

/// One input the stream produced.
struct Produced {
    position: (i32, i64),
    article: Article,
}

/// A producer thread writing small batches to the input topic until stopped.
struct Stream {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<Vec<Produced>>,
}

impl Stream {
    /// Starts writing batches to `topic`: six new articles, one second version of an article
    /// from a few batches back, and one broken input, every 200 ms.
    fn start(bootstrap: String, topic: String) -> Stream {
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut produced = Vec::new();
            let mut batch_number = 0usize;
            while !stopping.load(Ordering::SeqCst) {
                let batch = batch(batch_number);
                let inputs: Vec<_> = batch
                    .iter()
                    .map(|(article, value)| {
                        let key = article.as_ref().map(|(id, _)| id.clone().into_bytes());
                        (key, value.clone())
                    })
                    .collect();
                let positions = produce_at(&bootstrap, &topic, &inputs);
                for ((article, _), position) in batch.into_iter().zip(positions) {
                    produced.push(Produced { position, article });
                }
                batch_number += 1;
                std::thread::sleep(Duration::from_millis(200));
            }
            produced
        });
        Stream { stop, thread }
    }

    /// Stops the stream and returns everything it produced.
    fn stop(self) -> Vec<Produced> {
        self.stop.store(true, Ordering::SeqCst);
        self.thread.join().expect("the producer thread")
    }
}

/// Batch `n`: (article id and version, value) of each input; broken inputs have no article.
fn batch(n: usize) -> Vec<(Article, Vec<u8>)> {
    let mut inputs: Vec<_> = (0..6)
        .map(|i| {
            let id = format!("s-{n}-{i}");
            let value = article(&id, 1);
            (Some((id, 1)), value)
        })
        .collect();
    if n >= 3 {
        let id = format!("s-{}-{}", n - 3, n % 6);
        inputs.push((Some((id.clone(), 2)), article(&id, 2)));
    }
    inputs.push((None, b"{broken json".to_vec()));
    inputs
}

/// A short article; its title names its version.
fn article(id: &str, version: u32) -> Vec<u8> {
    serde_json::json!({
        "id": id,
        "title": format!("version {version}"),
        "text": format!("Story {id}, version {version}. The minister said on Monday that \
                         talks in Leeds would resume.\nMore detail follows."),
    })
    .to_string()
    .into_bytes()
}

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

/// Runs the scenario of the module docs with `kafka.assignment = assignment`.
fn scale_out(assignment: &str) {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let started = Instant::now();
    let broker = Broker::start();
    let group = format!("scale-{assignment}");
    let topics = Topics::create(&broker, &group, PARTITIONS);
    let session_ms = SESSION_TIMEOUT.as_millis().to_string();
    let in_flight = MAX_IN_FLIGHT.to_string();
    let env = [
        ("NEWSWORKER__KAFKA__ASSIGNMENT", assignment),
        (
            "NEWSWORKER__KAFKA__CONSUMER_PROPERTIES__SESSION_TIMEOUT_MS",
            session_ms.as_str(),
        ),
        ("NEWSWORKER__WORKER__MAX_IN_FLIGHT", in_flight.as_str()),
    ];
    let stream = Stream::start(broker.bootstrap(), topics.raw.clone());

    let a = join(&broker, &topics, &group, &env);
    wait_outcomes(&a, 30.0, Duration::from_secs(90));
    // Started together, so that both join in one rebalance (see the module docs).
    let mut b = Worker::start(&broker, &topics, &group, &env);
    let mut c = Worker::start(&broker, &topics, &group, &env);
    b.wait_ready(Duration::from_secs(60));
    c.wait_ready(Duration::from_secs(60));
    wait_outcomes(&b, 10.0, Duration::from_secs(90));
    wait_outcomes(&c, 10.0, Duration::from_secs(90));
    let mut revoked = revocations(&b);
    let b_log = b.log();
    b.kill9();
    let uncommitted_at_kill = uncommitted(&broker, &topics, &group);
    std::thread::sleep(SESSION_TIMEOUT + Duration::from_secs(1));

    let from = outcomes_counted(&a);
    revoked += revocations(&c) + 1.0; // + the revocation of its own leave, after this scrape
    let c_log = c.stop_cleanly("C");
    let d = join(&broker, &topics, &group, &env);
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

    let (records, letters) = mock::outputs(&broker.bootstrap(), &topics, produced.len());
    let seen = tally(&records, &letters);
    let missing: Vec<_> = produced
        .iter()
        .map(|p| p.position)
        .filter(|p| !seen.contains_key(p))
        .collect();
    let duplicates = records.len() + letters.len() - seen.len();
    let bound = uncommitted_at_kill as usize + revoked as usize * MAX_IN_FLIGHT;
    println!(
        "scale-out ({assignment}): {} inputs, {} records + {} dead letters, {} missing, \
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
    check_logs(assignment, &logs);
    check_last_versions(&produced, &records);
}

/// Every worker held partitions (its readiness said so; here its log does), through the
/// rebalance protocol asked for; A kept partitions through every cooperative rebalance.
fn check_logs(assignment: &str, logs: &[(&str, String)]) {
    let protocol = match assignment {
        "cooperative-sticky" => "protocol=\"cooperative\"",
        _ => "protocol=\"eager\"",
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
        dropped_to_zero,
        assignment == "eager",
        "A's assignment sizes {a:?}: a cooperative member keeps its other partitions through a \
         rebalance, an eager one gives them all up"
    );
}

/// For every article written twice, its last record is the second version.
fn check_last_versions(produced: &[Produced], records: &[ReadBack]) {
    let mut last: BTreeMap<String, String> = BTreeMap::new();
    let mut sorted: Vec<&ReadBack> = records.iter().collect();
    sorted.sort_by_key(|r| r.offset);
    for r in sorted {
        let title = r.json()["title"].as_str().unwrap_or_default().to_owned();
        last.insert(r.key.clone().unwrap_or_default(), title);
    }
    let updated: Vec<&str> = produced
        .iter()
        .filter_map(|p| match &p.article {
            Some((id, 2)) => Some(id.as_str()),
            _ => None,
        })
        .collect();
    assert!(!updated.is_empty(), "the stream wrote second versions");
    let wrong: Vec<_> = updated
        .iter()
        .filter(|id| last.get(**id).map(String::as_str) != Some("version 2"))
        .collect();
    assert!(
        wrong.is_empty(),
        "{} of {} updated articles do not end with their second version: {wrong:?}",
        wrong.len(),
        updated.len()
    );
}

#[test]
fn cooperative_sticky_scale_out_loses_nothing_and_keeps_key_order() {
    scale_out("cooperative-sticky");
}

#[test]
fn eager_scale_out_loses_nothing_and_keeps_key_order() {
    scale_out("eager");
}
