//! Exactly-once mode (`processing.guarantee = "exactly_once"`) on librdkafka's mock cluster,
//! because the test broker (tansu) does not implement transactions.
//!
//! Each test produces N inputs (every tenth one broken, so it becomes a dead letter), runs the
//! exactly-once worker, disturbs it, and reads the output and DLQ topics with a
//! `read_committed` consumer. It then asserts exact counts:
//!
//! - every input has exactly one committed outcome: the worker's committed-outcome counters
//!   (records + dead letters, counted only after their transaction commits) add up to N, and
//!   the outputs name each input at least once;
//! - the outputs on the topics are exactly N plus the outputs of aborted transactions.
//!
//! That second term is the mock cluster's: it implements the transaction *protocol* (producer
//! ids and epochs, fencing, coordinators, error injection) but writes no commit/abort markers,
//! so a `read_committed` reader also sees what aborted transactions wrote, and it does not store
//! transactional offset commits. On a real broker the term is invisible and the topics hold
//! exactly N outputs. The tests count it exactly: the worker reports it
//! (`newsworker_transaction_aborted_outputs_total`), or the test knows it (a killed worker's
//! one open transaction).

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::mock::{broken, cluster, inputs, outputs, written};
use common::{input_position, metric_sum, outcomes_counted, produce_at, tally, Topics, Worker};
use newsworker::config::Config;
use newsworker::ops::http::Health;
use newsworker::ops::metrics::Metrics;
use newsworker::ops::shutdown::Shutdown;
use newsworker::service::exactly_once;
use newsworker::service::setup::Operations;
use newsworker_extract::Extractor;
use rdkafka::mocking::MockCoordinator;
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

/// Asserts that every input in `positions` has an outcome, and that the topics hold exactly
/// `positions.len() + invisible` outputs, where `invisible` is what aborted or unfinished
/// transactions wrote (hidden from `read_committed` readers by a real broker, not by the mock).
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
    let (cluster, topics) = cluster(1, "eos-clean");
    let bootstrap = cluster.bootstrap_servers();
    let positions = produce_at(&bootstrap, &topics.raw, &inputs(N));

    let worker = InProcess::start(&bootstrap, &topics, "eos-clean", 25);
    worker.wait_committed(N as u64, Duration::from_secs(30));
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
fn brokers_going_down_and_up_lose_and_duplicate_nothing() {
    const N: usize = 150;
    const ID: &str = "eos-down";
    let (cluster, topics) = cluster(3, ID);
    // The transaction coordinator on broker 2, all partition leaders on broker 1, the group
    // coordinator on broker 3, which stays up: with the group coordinator going down during
    // `send_offsets_to_transaction`, librdkafka 2.12.1 on the mock never returned from that
    // call (the worker then stops after a minute with an error, see transactional.rs).
    cluster
        .coordinator(MockCoordinator::Transaction(ID.into()), 2)
        .expect("txn coordinator");
    cluster
        .coordinator(MockCoordinator::Group(ID.into()), 3)
        .expect("group coordinator");
    let bootstrap = cluster.bootstrap_servers();
    let positions = produce_at(&bootstrap, &topics.raw, &inputs(N));

    let worker = InProcess::start(&bootstrap, &topics, ID, 10);
    worker.wait_committed(30, Duration::from_secs(20));
    cluster.broker_down(1).expect("leader down");
    std::thread::sleep(Duration::from_secs(2));
    cluster.broker_up(1).expect("leader up");
    worker.wait_committed(80, Duration::from_secs(20));
    cluster.broker_down(2).expect("coordinator down");
    std::thread::sleep(Duration::from_secs(3));
    cluster.broker_up(2).expect("coordinator up");
    worker.wait_committed(N as u64, Duration::from_secs(30));
    let (result, metrics) = worker.stop();
    result.expect("clean stop");

    assert_eq!(
        metrics.records_produced.get() + metrics.total(&metrics.dlq_records),
        N as u64
    );
    assert_exactly_once(
        &bootstrap,
        &topics,
        &positions,
        metrics.aborted_outputs.get() as usize,
    );
}

#[test]
fn a_worker_killed_mid_commit_is_fenced_by_its_successor() {
    const N: usize = 100;
    const BATCH: usize = 20;
    const ID: &str = "eos-kill";
    let (cluster, topics) = cluster(1, ID);
    let bootstrap = cluster.bootstrap_servers();
    let positions = produce_at(&bootstrap, &topics.raw, &inputs(N));
    let env: Vec<(String, String)> = worker_env(&bootstrap, &topics, ID, BATCH)
        .into_iter()
        // A batch must fill by count, so the first transaction holds exactly BATCH inputs.
        .map(|(k, v)| match k.as_str() {
            "NEWSWORKER__PROCESSING__TRANSACTION_MAX_MS" => (k, "5000".to_owned()),
            _ => (k, v),
        })
        .collect();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();

    // The first worker's commit never gets through: the coordinator keeps answering "busy".
    cluster.request_errors(
        RDKafkaApiKey::EndTxn,
        &[RDKafkaRespErr::RD_KAFKA_RESP_ERR_CONCURRENT_TRANSACTIONS; 500],
    );
    let first = Worker::start_at(&bootstrap, &topics, ID, &env);
    let deadline = Instant::now() + Duration::from_secs(30);
    while written(&bootstrap, &topics) < BATCH as i64 {
        assert!(
            Instant::now() < deadline,
            "the first transaction was not written:\n{}",
            first.log()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // Its outputs are on the broker, its commit is pending: kill -9 now.
    first.kill9();
    cluster.clear_request_errors(RDKafkaApiKey::EndTxn);

    let second = Worker::start_at(&bootstrap, &topics, ID, &env);
    let deadline = Instant::now() + Duration::from_secs(40);
    while outcomes_counted(&second) < N as f64 {
        assert!(
            Instant::now() < deadline,
            "the second worker committed {} of {N}:\n{}",
            outcomes_counted(&second),
            second.log()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let discarded = second.get("/metrics").map_or(0.0, |(_, m)| {
        metric_sum(&m, "newsworker_transaction_aborted_outputs_total")
    });
    second.stop_cleanly("second");
    // The killed worker's open transaction (BATCH outputs) never committed: its inputs were
    // processed again, once, by the second worker.
    assert_exactly_once(&bootstrap, &topics, &positions, BATCH + discarded as usize);
}
