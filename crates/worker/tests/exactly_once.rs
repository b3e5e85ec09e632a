//! Exactly-once mode (`processing.guarantee = "exactly_once"`) on Apache Kafka's transactions.
//!
//! Each test produces N inputs (every tenth one broken, so it becomes a dead letter), runs the
//! exactly-once worker, disturbs it, and reads the output and DLQ topics with a
//! `read_committed` consumer. It then asserts exact counts: every input has exactly one committed
//! outcome — the worker's committed-outcome counters (records + dead letters, counted only after
//! their transaction commits) add up to N, the outputs name each input, and a `read_committed`
//! reader sees exactly N outputs. What aborted transactions wrote is on the topics too (a
//! `read_uncommitted` reader counts it where a test makes some), hidden by the broker's abort
//! markers.
//!
//! The disturbances: a clean run; the broker SIGKILLed and restarted mid-stream; a worker killed
//! with SIGKILL while its transaction is open, whose successor (same `transactional.id`) aborts
//! that transaction and redoes its inputs; and a zombie — a worker frozen mid-transaction
//! (SIGSTOP) while its successor takes over — that is fenced when it wakes and stops without
//! writing anything a reader sees.
//!
//! One test stays on librdkafka's mock cluster, for what no real broker does on demand: the
//! transaction coordinator answering commits with chosen errors. The mock writes no
//! transaction markers, so there a `read_committed` reader also sees what aborted transactions
//! wrote; that test counts it exactly, from the worker's
//! `newsworker_transaction_aborted_outputs_total`.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::mock::cluster;
use common::outputs::{broken, inputs, long_inputs, outputs, uncommitted_outputs, written};
use common::{
    committed_offsets, input_position, outcomes_counted, plain, produce_at, tally, Broker, Topics,
    Worker,
};
use newsworker::config::Config;
use newsworker::ops::http::Health;
use newsworker::ops::metrics::Metrics;
use newsworker::ops::shutdown::Shutdown;
use newsworker::service::exactly_once;
use newsworker::service::setup::Operations;
use newsworker_extract::Extractor;
use rdkafka::types::{RDKafkaApiKey, RDKafkaRespErr};

/// The environment that configures an exactly-once worker for `topics` on `bootstrap`.
fn worker_env(
    bootstrap: &str,
    topics: &Topics,
    id: &str,
    max_messages: usize,
) -> Vec<(String, String)> {
    [
        ("NEWSWORKER__KAFKA__BROKERS", bootstrap),
        ("NEWSWORKER__KAFKA__GROUP_ID", id),
        ("NEWSWORKER__KAFKA__INPUT_TOPIC", topics.raw.as_str()),
        ("NEWSWORKER__KAFKA__OUTPUT_TOPIC", topics.records.as_str()),
        ("NEWSWORKER__KAFKA__DLQ_TOPIC", topics.dlq.as_str()),
        ("NEWSWORKER__KAFKA__STATISTICS_INTERVAL_MS", "500"),
        (
            "NEWSWORKER__KAFKA__CONSUMER_PROPERTIES__SESSION_TIMEOUT_MS",
            "6000",
        ),
        (
            "NEWSWORKER__KAFKA__CONSUMER_PROPERTIES__HEARTBEAT_INTERVAL_MS",
            "500",
        ),
        ("NEWSWORKER__PROCESSING__GUARANTEE", "exactly_once"),
        ("NEWSWORKER__PROCESSING__TRANSACTIONAL_ID", id),
        (
            "NEWSWORKER__PROCESSING__TRANSACTION_MAX_MESSAGES",
            &max_messages.to_string(),
        ),
        ("NEWSWORKER__PROCESSING__TRANSACTION_MAX_MS", "300"),
        ("NEWSWORKER__WORKER__RETRY_BACKOFF_MS", "50"),
        ("NEWSWORKER__WORKER__RETRY_BACKOFF_MAX_MS", "500"),
        ("NEWSWORKER__WORKER__DRAIN_TIMEOUT_SECS", "10"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

/// An exactly-once worker running in-process.
struct InProcess {
    runtime: tokio::runtime::Runtime,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
    shutdown: Shutdown,
    metrics: Arc<Metrics>,
}

impl InProcess {
    fn start(bootstrap: &str, topics: &Topics, id: &str, max_messages: usize) -> InProcess {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(
                std::env::var("RUST_LOG").unwrap_or_else(|_| "warn".into()),
            ))
            .with_test_writer()
            .try_init();
        let env = worker_env(bootstrap, topics, id, max_messages)
            .into_iter()
            .chain(std::env::vars().filter(|(k, _)| k.starts_with("NEWSWORKER__")));
        let config = Config::load_with_env(None, env).expect("config");
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let metrics = Arc::new(Metrics::new("test"));
        let shutdown = Shutdown::new();
        let extractor = Arc::new(Extractor::new(&config.extract()).expect("extractor"));
        let operations = Operations {
            metrics: metrics.clone(),
            health: Arc::new(Health::default()),
            shutdown: shutdown.clone(),
        };
        let task = runtime
            .spawn(async move { exactly_once::run(&config, &operations, || Ok(extractor)).await });
        InProcess {
            runtime,
            task,
            shutdown,
            metrics,
        }
    }

    /// Inputs whose outcome is committed.
    fn committed(&self) -> u64 {
        self.metrics.records_produced.get() + self.metrics.total(&self.metrics.dlq_records)
    }

    /// Waits until `n` outcomes are committed.
    fn wait_committed(&self, n: u64, within: Duration) {
        let deadline = Instant::now() + within;
        while self.committed() < n {
            assert!(
                !self.task.is_finished(),
                "the worker stopped after {} of {n}",
                self.committed()
            );
            assert!(
                Instant::now() < deadline,
                "only {} of {n} outcomes committed in {within:?}",
                self.committed()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Triggers the shutdown and returns the worker's result.
    fn stop(self) -> (anyhow::Result<()>, Arc<Metrics>) {
        self.shutdown.trigger();
        let result = self
            .runtime
            .block_on(self.task)
            .unwrap_or_else(|e| Err(anyhow::anyhow!("worker task: {e}")));
        (result, self.metrics)
    }
}

/// Asserts that every input in `positions` has an outcome, and that a `read_committed` reader
/// sees exactly `positions.len() + invisible` outputs, where `invisible` is what aborted
/// transactions wrote on the mock cluster (0 on Kafka, whose markers hide them).
fn assert_exactly_once(
    bootstrap: &str,
    topics: &Topics,
    positions: &[(i32, i64)],
    invisible: usize,
) {
    let expected = positions.len() + invisible;
    let (records, letters) = outputs(bootstrap, topics, expected);
    let seen = tally(&records, &letters);
    let missing: Vec<_> = positions.iter().filter(|p| !seen.contains_key(p)).collect();
    assert!(missing.is_empty(), "inputs without an outcome: {missing:?}");
    assert_eq!(seen.len(), positions.len(), "outcomes for unknown inputs");
    let broken = broken(positions.len());
    let letter_inputs: std::collections::BTreeSet<_> =
        letters.iter().map(|m| input_position(m, true)).collect();
    assert_eq!(
        letter_inputs.len(),
        broken,
        "dead letters for the broken inputs"
    );
    assert_eq!(
        records.len() + letters.len(),
        expected,
        "{} inputs, {invisible} outputs of aborted transactions: {} records + {} dead letters",
        positions.len(),
        records.len(),
        letters.len()
    );
}

#[test]
fn clean_run_writes_each_outcome_once() {
    const N: usize = 120;
    let broker = Broker::shared();
    let topics = Topics::create(broker, "eos-clean", 3);
    let bootstrap = broker.bootstrap();
    let positions = produce_at(&bootstrap, &topics.raw, &inputs(N));

    let worker = InProcess::start(&bootstrap, &topics, "eos-clean", 25);
    worker.wait_committed(N as u64, Duration::from_secs(60));
    let (result, metrics) = worker.stop();
    result.expect("clean stop");

    assert_eq!(metrics.records_produced.get() as usize, N - broken(N));
    assert_eq!(metrics.total(&metrics.dlq_records) as usize, broken(N));
    assert_eq!(metrics.aborted_outputs.get(), 0);
    assert!(metrics.transactions.with_label_values(&["committed"]).get() >= (N / 25) as u64);
    assert_eq!(
        metrics.transactions.with_label_values(&["aborted"]).get(),
        0
    );
    assert_exactly_once(&bootstrap, &topics, &positions, 0);
}

/// On the mock cluster: the transaction coordinator answers chosen requests with errors.
#[test]
fn commit_errors_are_retried_or_aborted_and_redone() {
    const N: usize = 150;
    let (cluster, topics) = cluster(1, "eos-errors");
    let bootstrap = cluster.bootstrap_servers();
    let positions = produce_at(&bootstrap, &topics.raw, &inputs(N));

    let worker = InProcess::start(&bootstrap, &topics, "eos-errors", 20);
    worker.wait_committed(20, Duration::from_secs(20));
    use RDKafkaRespErr::*;
    // Retriable: librdkafka retries these itself or reports them as retriable to the worker.
    cluster.request_errors(
        RDKafkaApiKey::EndTxn,
        &[
            RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE,
            RD_KAFKA_RESP_ERR_CONCURRENT_TRANSACTIONS,
            RD_KAFKA_RESP_ERR_NOT_COORDINATOR,
            // Abortable: the producer id is unknown (bumped by KIP-360), the commit fails.
            RD_KAFKA_RESP_ERR_UNKNOWN_PRODUCER_ID,
        ],
    );
    cluster.request_errors(
        RDKafkaApiKey::AddOffsetsToTxn,
        &[
            RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS,
            // Abortable.
            RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED,
        ],
    );
    cluster.request_errors(
        RDKafkaApiKey::TxnOffsetCommit,
        &[
            RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT,
            // Abortable: what a rebalance behind the worker's back looks like.
            RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION,
        ],
    );
    worker.wait_committed(N as u64, Duration::from_secs(30));
    let (result, metrics) = worker.stop();
    result.expect("clean stop");

    let aborted = metrics.transactions.with_label_values(&["aborted"]).get();
    assert!(aborted >= 1, "the abortable errors aborted transactions");
    assert_eq!(
        metrics.records_produced.get() + metrics.total(&metrics.dlq_records),
        N as u64,
        "every input committed exactly once"
    );
    println!(
        "errors test: {aborted} aborted transactions, {} outputs discarded",
        metrics.aborted_outputs.get()
    );
    assert_exactly_once(
        &bootstrap,
        &topics,
        &positions,
        metrics.aborted_outputs.get() as usize,
    );
}

#[test]
fn a_broker_killed_and_restarted_mid_stream_loses_and_duplicates_nothing() {
    const N: usize = 150;
    const ID: &str = "eos-restart";
    let mut broker = Broker::start();
    let topics = Topics::create(&broker, ID, 3);
    let bootstrap = broker.bootstrap();
    let positions = produce_at(&bootstrap, &topics.raw, &inputs(N));

    let worker = InProcess::start(&bootstrap, &topics, ID, 10);
    worker.wait_committed(30, Duration::from_secs(60));
    // SIGKILL: the partition leaders, the group and the transaction coordinator all go at once.
    broker.restart();
    worker.wait_committed(N as u64, Duration::from_secs(120));
    let (result, metrics) = worker.stop();
    result.expect("clean stop");

    assert_eq!(
        metrics.records_produced.get() + metrics.total(&metrics.dlq_records),
        N as u64
    );
    assert_exactly_once(&bootstrap, &topics, &positions, 0);
}

/// Inputs of the kill and zombie tests, and how many of them one transaction holds: a
/// transaction stays open while its batch is processed and published, long enough for the test
/// to act between the first outputs on the broker and the commit.
const MANY: usize = 400;
const BATCH: usize = 200;

/// The environment of a worker whose transactions hold [`BATCH`] inputs each, processed on one
/// thread.
fn long_transaction_env(bootstrap: &str, topics: &Topics, id: &str) -> Vec<(String, String)> {
    let mut env: Vec<(String, String)> = worker_env(bootstrap, topics, id, BATCH)
        .into_iter()
        .map(|(k, v)| match k.as_str() {
            "NEWSWORKER__PROCESSING__TRANSACTION_MAX_MS" => (k, "60000".to_owned()),
            _ => (k, v),
        })
        .collect();
    env.push(("NEWSWORKER__WORKER__CPU_THREADS".into(), "1".into()));
    env
}

/// Asserts that group `id` has committed no offset: its first transaction never committed.
fn assert_nothing_committed(bootstrap: &str, topics: &Topics, id: &str) {
    assert_eq!(
        committed_offsets(bootstrap, id, &topics.raw, topics.partitions),
        vec![-1; topics.partitions as usize],
        "the first transaction had already committed: the test acted too late"
    );
}

/// Starts the worker binary with `env`.
fn start_binary(bootstrap: &str, topics: &Topics, id: &str, env: &[(String, String)]) -> Worker {
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    Worker::start_at(bootstrap, topics, id, &env)
}

/// Waits until the topics hold `n` outputs, committed or not (no transaction has ended yet).
fn wait_written(bootstrap: &str, topics: &Topics, n: usize, worker: &Worker) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while written(bootstrap, topics) < n as i64 {
        assert!(
            Instant::now() < deadline,
            "the open transaction was not written:\n{}",
            worker.log()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Waits until `worker` has committed the outcomes of all `n` inputs.
fn wait_counted(worker: &Worker, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(90);
    while outcomes_counted(worker) < n as f64 {
        assert!(
            Instant::now() < deadline,
            "the successor committed {} of {n}:\n{}",
            outcomes_counted(worker),
            worker.log()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Topics of test `id` with [`MANY`] long inputs, and a worker of [`long_transaction_env`] whose
/// first transaction has written its first outputs and is still open: (topics, bootstrap,
/// input positions, the worker).
fn mid_first_transaction(id: &str) -> (Topics, String, Vec<(i32, i64)>, Worker) {
    let broker = Broker::shared();
    let topics = Topics::create(broker, id, 3);
    let bootstrap = broker.bootstrap();
    let positions = produce_at(&bootstrap, &topics.raw, &long_inputs(MANY, 100));
    let env = long_transaction_env(&bootstrap, &topics, id);
    let worker = start_binary(&bootstrap, &topics, id, &env);
    wait_written(&bootstrap, &topics, 10, &worker);
    (topics, bootstrap, positions, worker)
}

#[test]
fn a_worker_killed_mid_transaction_is_fenced_by_its_successor_and_its_outputs_never_read() {
    const ID: &str = "eos-kill";
    let (topics, bootstrap, positions, first) = mid_first_transaction(ID);
    // The first outputs of the first transaction are on the broker: kill -9 now.
    first.kill9();
    assert_nothing_committed(&bootstrap, &topics, ID);
    // Produce requests already on the wire when it died are still taken: let them land.
    std::thread::sleep(Duration::from_secs(1));
    let aborted = written(&bootstrap, &topics) as usize;

    let second = start_binary(
        &bootstrap,
        &topics,
        ID,
        &worker_env(&bootstrap, &topics, ID, 50),
    );
    wait_counted(&second, MANY);
    second.stop_cleanly("second");
    // The killed worker's transaction was aborted when its successor registered the same
    // transactional.id: its outputs are on the topics, and no read_committed reader sees them.
    assert_exactly_once(&bootstrap, &topics, &positions, 0);
    let all = uncommitted_outputs(&bootstrap, &topics, MANY + aborted);
    assert_eq!(
        all,
        MANY + aborted,
        "{aborted} outputs of the killed transaction"
    );
}

#[test]
fn a_zombie_waking_after_its_successor_took_over_is_fenced_and_writes_nothing_seen() {
    const ID: &str = "eos-zombie";
    let (topics, bootstrap, positions, zombie) = mid_first_transaction(ID);
    // Frozen mid-transaction, as a process stalled by a long pause or a partition would be.
    zombie.signal("STOP");
    assert_nothing_committed(&bootstrap, &topics, ID);
    let successor = start_binary(
        &bootstrap,
        &topics,
        ID,
        &worker_env(&bootstrap, &topics, ID, 50),
    );
    wait_counted(&successor, MANY);

    zombie.signal("CONT");
    let (status, log) = zombie.wait_exit(Duration::from_secs(90));
    assert!(!status.success(), "the zombie exits with an error:\n{log}");
    assert!(
        plain(&log).contains("fenced"),
        "the zombie says it was fenced:\n{log}"
    );
    successor.stop_cleanly("successor");
    assert_exactly_once(&bootstrap, &topics, &positions, 0);
}
