//! Test harness: a real Apache Kafka broker ([`kafka`]) and the real worker binary.
//!
//! A test takes the broker its binary shares ([`Broker::shared`]) or starts its own where it
//! restarts, kills or reconfigures one, creates its own topics, and runs `newsworker run` as a
//! child process configured through environment variables, exactly as a container would be.
//! `scripts/install-test-tools.sh` installs the broker's jars; without them the tests fail and
//! say how to fix that.

#![allow(dead_code)] // each test binary uses its own part of the harness

pub mod kafka;
pub mod mock;
pub mod outputs;
pub mod registry;
pub mod serve;
pub mod stream;

pub use kafka::Broker;

use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::{Header, Headers, Message, OwnedHeaders};
use rdkafka::producer::{BaseRecord, Producer, ThreadedProducer};
use rdkafka::util::Timeout;
use rdkafka::{ClientConfig, Offset, TopicPartitionList};

/// A free TCP port on loopback.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Topic names for one test, so tests never share state.
#[derive(Clone)]
pub struct Topics {
    pub raw: String,
    pub records: String,
    pub dlq: String,
    pub partitions: i32,
}

impl Topics {
    /// Creates `raw` (with `partitions`), `records` and `dlq` topics prefixed with `name`.
    pub fn create(broker: &Broker, name: &str, partitions: i32) -> Topics {
        Topics::create_with(broker, name, partitions, &[])
    }

    /// [`Topics::create`] with topic `configs` for all three (e.g. `max.message.bytes`).
    pub fn create_with(
        broker: &Broker,
        name: &str,
        partitions: i32,
        configs: &[(&str, &str)],
    ) -> Topics {
        let topics = Topics {
            raw: format!("{name}.raw"),
            records: format!("{name}.records"),
            dlq: format!("{name}.dlq"),
            partitions,
        };
        broker.create_topic_with(&topics.raw, partitions, configs);
        broker.create_topic_with(&topics.records, 1, configs);
        broker.create_topic_with(&topics.dlq, 1, configs);
        topics
    }
}

/// The newsworker binary, configured through the environment for `broker` and `topics`.
pub fn newsworker(broker: &Broker, topics: &Topics) -> Command {
    newsworker_at(&broker.bootstrap(), topics)
}

/// [`newsworker`] against any cluster reachable at `bootstrap` (e.g. librdkafka's mock).
pub fn newsworker_at(bootstrap: &str, topics: &Topics) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_newsworker"));
    command
        .env("NEWSWORKER__KAFKA__BROKERS", bootstrap)
        .env("NEWSWORKER__KAFKA__INPUT_TOPIC", &topics.raw)
        .env("NEWSWORKER__KAFKA__OUTPUT_TOPIC", &topics.records)
        .env("NEWSWORKER__KAFKA__DLQ_TOPIC", &topics.dlq)
        .env("NEWSWORKER__KAFKA__STATISTICS_INTERVAL_MS", "500")
        .env(
            "NEWSWORKER__KAFKA__CONSUMER_PROPERTIES__SESSION_TIMEOUT_MS",
            "6000",
        )
        .env(
            "NEWSWORKER__KAFKA__CONSUMER_PROPERTIES__AUTO_COMMIT_INTERVAL_MS",
            "200",
        )
        .env("NEWSWORKER__WORKER__DRAIN_TIMEOUT_SECS", "20")
        .env("RUST_LOG", "info,rdkafka=warn");
    command
}

/// The worker binary running `newsworker run`.
pub struct Worker {
    child: Child,
    pub metrics: SocketAddr,
    log: PathBuf,
}

impl Worker {
    /// Starts a worker on `topics` in consumer group `group`, with extra env overrides.
    pub fn start(broker: &Broker, topics: &Topics, group: &str, extra: &[(&str, &str)]) -> Worker {
        Worker::start_at(&broker.bootstrap(), topics, group, extra)
    }

    /// [`Worker::start`] against any cluster reachable at `bootstrap` (e.g. librdkafka's mock).
    pub fn start_at(
        bootstrap: &str,
        topics: &Topics,
        group: &str,
        extra: &[(&str, &str)],
    ) -> Worker {
        let metrics: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().expect("addr");
        let log = std::env::temp_dir().join(format!("newsworker-{group}-{}.log", metrics.port()));
        let log_file = std::fs::File::create(&log).expect("worker log");
        let mut command = newsworker_at(bootstrap, topics);
        command
            .arg("run")
            .env("NEWSWORKER__KAFKA__GROUP_ID", group)
            .env("NEWSWORKER__METRICS__LISTEN", metrics.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::from(log_file));
        for (k, v) in extra {
            command.env(k, v);
        }
        // Under the consumer group protocol the session is the broker's: librdkafka refuses
        // the client's session.timeout.ms that the harness sets for the classic protocol.
        if extra.contains(&("NEWSWORKER__KAFKA__GROUP_PROTOCOL", "consumer")) {
            command.env_remove("NEWSWORKER__KAFKA__CONSUMER_PROPERTIES__SESSION_TIMEOUT_MS");
        }
        let child = command.spawn().expect("start newsworker");
        Worker {
            child,
            metrics,
            log,
        }
    }

    /// The worker's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// GETs `path` on the metrics endpoint; returns status line and body.
    pub fn get(&self, path: &str) -> Option<(String, String)> {
        http_get(self.metrics, path)
    }

    /// Waits until `/readyz` answers 200.
    pub fn wait_ready(&mut self, within: Duration) {
        let deadline = Instant::now() + within;
        loop {
            if let Some((status, _)) = self.get("/readyz") {
                if status.contains(" 200") {
                    return;
                }
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "worker exited with {status} before it was ready:\n{}",
                    self.log()
                );
            }
            assert!(
                Instant::now() < deadline,
                "worker not ready in time:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// SIGTERM, then waits for the exit: at most [`STOP_WITHIN`], after which the test fails
    /// with the worker's log and the stacks of its threads (a shutdown that hangs is a bug, and
    /// a test that waits for it forever hides which one).
    pub fn terminate(mut self) -> (ExitStatus, String) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + STOP_WITHIN;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for worker") {
                return (status, self.log());
            }
            if Instant::now() >= deadline {
                let stacks = thread_stacks(self.child.id());
                panic!(
                    "the worker did not exit within {STOP_WITHIN:?} of SIGTERM\nthreads:\n{stacks}\n\
                     log:\n{}",
                    self.log()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// SIGTERM, and the graceful stop must exit 0 (`name` says which worker in the failure);
    /// returns the log.
    pub fn stop_cleanly(self, name: &str) -> String {
        let (status, log) = self.terminate();
        assert!(
            status.success(),
            "{name}: a graceful stop exits 0, not {status}:\n{log}"
        );
        log
    }

    /// Waits until the worker exits by itself, at most `within` (then the test fails with its
    /// log); returns its exit status and log.
    pub fn wait_exit(mut self, within: Duration) -> (ExitStatus, String) {
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for worker") {
                return (status, self.log());
            }
            assert!(
                Instant::now() < deadline,
                "the worker did not stop by itself within {within:?}:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Sends signal `name` (`STOP`, `CONT`, …) to the worker.
    pub fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -{name} failed");
    }

    /// SIGKILL: the process dies with no chance to commit or flush.
    pub fn kill9(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// How long a worker may take to exit after SIGTERM: longer than the worker's own limit on a
/// stop (the default drain deadline of 30 s plus 30 s), so that a stop that hangs shows as the
/// worker's own overrun, and this only catches a worker that ignores even that.
pub const STOP_WITHIN: Duration = Duration::from_secs(90);

/// Every thread's stack of process `pid` as gdb prints them (or why they could not be read).
fn thread_stacks(pid: u32) -> String {
    match Command::new("gdb")
        .args([
            "-batch",
            "-p",
            &pid.to_string(),
            "-ex",
            "thread apply all bt",
        ])
        .stdin(Stdio::null())
        .output()
    {
        Ok(out) => String::from_utf8_lossy(&out.stdout).into_owned(),
        Err(e) => format!("(gdb could not be run: {e})"),
    }
}

/// A minimal HTTP/1.1 GET on loopback.
pub fn http_get(addr: SocketAddr, path: &str) -> Option<(String, String)> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let (head, body) = response.split_once("\r\n\r\n")?;
    let chunked = head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_owned()
    };
    Some((head.lines().next()?.to_owned(), body))
}

/// Decodes an HTTP/1.1 chunked body.
fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if size == 0 || rest.len() < size {
            break;
        }
        out.push_str(&rest[..size]);
        body = rest[size..].trim_start_matches("\r\n");
    }
    out
}

/// The value of an unlabelled-or-labelled sample in Prometheus text, summed over label sets.
pub fn metric_sum(text: &str, name: &str) -> f64 {
    metric_sum_where(text, name, "")
}

/// The sum of the series of metric `name` whose line holds `label` (e.g. `kind="revoke"`).
pub fn metric_sum_where(text: &str, name: &str, label: &str) -> f64 {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter(|l| {
            l.starts_with(name) && matches!(l.as_bytes().get(name.len()), Some(b'{' | b' '))
        })
        .filter(|l| l.contains(label))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

/// Produces every value (with its optional key) to `topic`; returns (partition, offset) of each.
pub fn produce(
    broker: &Broker,
    topic: &str,
    inputs: &[(Option<Vec<u8>>, Vec<u8>)],
) -> Vec<(i32, i64)> {
    produce_at(&broker.bootstrap(), topic, inputs)
}

/// [`produce`] to any cluster reachable at `bootstrap`.
pub fn produce_at(
    bootstrap: &str,
    topic: &str,
    inputs: &[(Option<Vec<u8>>, Vec<u8>)],
) -> Vec<(i32, i64)> {
    let untimed: Vec<_> = inputs
        .iter()
        .map(|(k, v)| (k.clone(), v.clone(), None))
        .collect();
    produce_timed_at(bootstrap, topic, &untimed)
}

/// An input to produce: key, value and message timestamp (ms since the epoch).
pub type TimedInput = (Option<Vec<u8>>, Vec<u8>, Option<i64>);

/// Like [`produce`], with an optional message timestamp per input.
pub fn produce_timed(broker: &Broker, topic: &str, inputs: &[TimedInput]) -> Vec<(i32, i64)> {
    produce_timed_at(&broker.bootstrap(), topic, inputs)
}

/// [`produce_timed`] to any cluster reachable at `bootstrap`.
pub fn produce_timed_at(bootstrap: &str, topic: &str, inputs: &[TimedInput]) -> Vec<(i32, i64)> {
    produce_with(&client(bootstrap, &[]), topic, inputs)
}

/// A client configuration for `bootstrap` with extra librdkafka `properties` (TLS, SASL).
pub fn client(bootstrap: &str, properties: &[(&str, &str)]) -> ClientConfig {
    let mut config = ClientConfig::new();
    config.set("bootstrap.servers", bootstrap);
    for (key, value) in properties {
        config.set(*key, *value);
    }
    config
}

/// [`produce_timed`] with a client made from `config`.
pub fn produce_with(config: &ClientConfig, topic: &str, inputs: &[TimedInput]) -> Vec<(i32, i64)> {
    let (tx, rx) = std::sync::mpsc::channel();
    let producer: ThreadedProducer<Recorder> = config
        .clone()
        .set("linger.ms", "5")
        .create_with_context(Recorder(std::sync::Mutex::new(tx)))
        .expect("producer");
    for (i, (key, value, timestamp)) in inputs.iter().enumerate() {
        let mut record: BaseRecord<'_, [u8], [u8], usize> =
            BaseRecord::with_opaque_to(topic, i).payload(value.as_slice());
        if let Some(ts) = timestamp {
            record = record.timestamp(*ts);
        }
        if let Some(key) = key {
            record = record.key(key.as_slice());
        }
        let traceparent = traceparent_of(i);
        let mut record = record.headers(
            OwnedHeaders::new()
                .insert(Header {
                    key: "test-index",
                    value: Some(&i.to_string()),
                })
                .insert(Header {
                    key: "traceparent",
                    value: Some(&traceparent),
                }),
        );
        loop {
            match producer.send(record) {
                Ok(()) => break,
                Err((e, r)) => {
                    assert!(e.to_string().contains("Queue full"), "produce failed: {e}");
                    record = r;
                    std::thread::sleep(Duration::from_millis(10));
                }
            }
        }
    }
    producer
        .flush(Timeout::After(Duration::from_secs(60)))
        .expect("flush");
    let mut positions = vec![(-1, -1); inputs.len()];
    for _ in 0..inputs.len() {
        let (i, result) = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("delivery report");
        positions[i] = result.unwrap_or_else(|e| panic!("delivery of input {i} failed: {e}"));
    }
    positions
}

/// The W3C `traceparent` header [`produce_with`] gives its input number `index`: a trace and
/// parent id of its own, so that outputs can be matched back to their input's trace.
pub fn traceparent_of(index: usize) -> String {
    format!("00-{:032x}-{:016x}-01", index + 1, index + 1)
}

type DeliveryResult = (usize, Result<(i32, i64), String>);

struct Recorder(std::sync::Mutex<std::sync::mpsc::Sender<DeliveryResult>>);

impl rdkafka::ClientContext for Recorder {}

impl rdkafka::producer::ProducerContext for Recorder {
    type DeliveryOpaque = usize;
    fn delivery(&self, result: &rdkafka::message::DeliveryResult<'_>, index: usize) {
        let outcome = match result {
            Ok(m) => Ok((m.partition(), m.offset())),
            Err((e, _)) => Err(e.to_string()),
        };
        let _ = self.0.lock().map(|tx| tx.send((index, outcome)));
    }
}

/// A message read back from a topic.
#[derive(Debug, Clone)]
pub struct ReadBack {
    pub partition: i32,
    pub offset: i64,
    pub key: Option<String>,
    pub value: Vec<u8>,
    pub headers: HashMap<String, String>,
}

impl ReadBack {
    /// The value as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.value).expect("record is JSON")
    }
}

/// Reads `topic` (all `partitions`) from the beginning until `at_least` messages arrived or
/// `within` passed, then drains what is left.
pub fn read_topic(
    broker: &Broker,
    topic: &str,
    partitions: i32,
    at_least: usize,
    within: Duration,
) -> Vec<ReadBack> {
    read_topic_at(&broker.bootstrap(), topic, partitions, at_least, within)
}

/// [`read_topic`] from any cluster reachable at `bootstrap`. It reads as `read_committed`
/// (librdkafka's default, spelled out): messages of aborted transactions are skipped.
pub fn read_topic_at(
    bootstrap: &str,
    topic: &str,
    partitions: i32,
    at_least: usize,
    within: Duration,
) -> Vec<ReadBack> {
    read_topic_with(&client(bootstrap, &[]), topic, partitions, at_least, within)
}

/// [`read_topic`] with a client made from `config` (`read_committed` unless it sets
/// `isolation.level`).
pub fn read_topic_with(
    config: &ClientConfig,
    topic: &str,
    partitions: i32,
    at_least: usize,
    within: Duration,
) -> Vec<ReadBack> {
    let mut config = config.clone();
    if config.get("isolation.level").is_none() {
        config.set("isolation.level", "read_committed");
    }
    let consumer: BaseConsumer = config
        .set("group.id", format!("reader-{}", free_port()))
        .set("enable.auto.commit", "false")
        .create()
        .expect("reader");
    let mut tpl = TopicPartitionList::new();
    for p in 0..partitions {
        tpl.add_partition_offset(topic, p, Offset::Beginning)
            .expect("tpl");
    }
    consumer.assign(&tpl).expect("assign");
    drop(tpl);
    let mut out = Vec::new();
    let deadline = Instant::now() + within;
    let mut quiet_since = Instant::now();
    while Instant::now() < deadline {
        match consumer.poll(Duration::from_millis(200)) {
            Some(Ok(m)) => {
                quiet_since = Instant::now();
                out.push(ReadBack {
                    partition: m.partition(),
                    offset: m.offset(),
                    key: m.key().map(|k| String::from_utf8_lossy(k).into_owned()),
                    value: m.payload().unwrap_or_default().to_vec(),
                    headers: m
                        .headers()
                        .map(|h| {
                            h.iter()
                                .map(|h| {
                                    (
                                        h.key.to_owned(),
                                        h.value
                                            .map(|v| String::from_utf8_lossy(v).into_owned())
                                            .unwrap_or_default(),
                                    )
                                })
                                .collect()
                        })
                        .unwrap_or_default(),
                });
            }
            // A node the test killed shows up as transport errors while the client reconnects
            // to the others: those are the client's, not the data's, and it retries them.
            Some(Err(e)) if is_transient(&e) => eprintln!("reading {topic} (retried): {e}"),
            Some(Err(e)) => panic!("reading {topic}: {e}"),
            None => {
                if out.len() >= at_least && quiet_since.elapsed() > Duration::from_secs(1) {
                    break;
                }
            }
        }
    }
    out
}

/// Committed offsets of `group` on each partition of `topic` (-1 where none).
pub fn committed(broker: &Broker, group: &str, topic: &str, partitions: i32) -> Vec<i64> {
    committed_offsets(&broker.bootstrap(), group, topic, partitions)
}

/// The committed offsets of consumer group `group` on each partition of `topic` (-1 where
/// none), asked with an OffsetFetch that does not join the group.
pub fn committed_offsets(bootstrap: &str, group: &str, topic: &str, partitions: i32) -> Vec<i64> {
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", bootstrap)
        .set("group.id", group)
        .set("enable.auto.commit", "false")
        .create()
        .expect("consumer");
    let mut tpl = TopicPartitionList::new();
    for p in 0..partitions {
        tpl.add_partition(topic, p);
    }
    // A coordinator that is moving or down answers with an error: that reads as "none yet".
    let offsets = match consumer.committed_offsets(tpl, Timeout::After(Duration::from_secs(5))) {
        Ok(got) => {
            let offsets = (0..partitions)
                .map(|p| match got.find_partition(topic, p).map(|e| e.offset()) {
                    Some(Offset::Offset(o)) => o,
                    _ => -1,
                })
                .collect();
            // Dropped before the consumer: the other order can hang (see the field notes).
            drop(got);
            offsets
        }
        Err(_) => vec![-1; partitions as usize],
    };
    drop(consumer);
    offsets
}

/// One past the last offset that `positions` name in each of `partitions` partitions (0 where
/// none): where a group's committed offsets stand once it has committed every input.
pub fn partition_ends(positions: &[(i32, i64)], partitions: i32) -> Vec<i64> {
    let mut ends = vec![0; partitions.max(0) as usize];
    for &(p, o) in positions {
        ends[p as usize] = ends[p as usize].max(o + 1);
    }
    ends
}

/// Waits until `group`'s committed offsets on `topic` reach `ends` on every partition; after
/// `within` it fails with the offsets and `context()` (a worker's log, say). Each change of the
/// offsets is printed as it happens, so a failure's output shows where commits stalled.
pub fn wait_committed_to(
    bootstrap: &str,
    group: &str,
    topic: &str,
    ends: &[i64],
    within: Duration,
    context: impl Fn() -> String,
) {
    let deadline = std::time::Instant::now() + within;
    let mut last = Vec::new();
    loop {
        let committed = committed_offsets(bootstrap, group, topic, ends.len() as i32);
        // No commit (-1) is the end of a partition that holds no inputs.
        if committed.iter().zip(ends).all(|(&c, &end)| c.max(0) >= end) {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "committed offsets {committed:?} never reached the ends {ends:?}:\n{}",
            context()
        );
        if committed != last {
            eprintln!("{group}: committed {committed:?} of {ends:?}");
            last = committed;
        }
        std::thread::sleep(Duration::from_millis(300));
    }
}

/// Whether the worker's process still serves `/healthz`.
pub fn alive(worker: &Worker) -> bool {
    worker
        .get("/healthz")
        .is_some_and(|(status, _)| status.contains(" 200"))
}

/// Polls `done` every 100 ms until it holds; fails with `what` and the worker's log when
/// `within` passes first or the worker stops answering.
pub fn wait_for(worker: &Worker, within: Duration, what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + within;
    while !done() {
        assert!(
            alive(worker),
            "the worker stopped while waiting for {what}:\n{}",
            worker.log()
        );
        assert!(
            Instant::now() < deadline,
            "no {what} within {within:?}:\n{}",
            worker.log()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Waits until the worker has counted at least `n` outcomes (records plus dead letters).
pub fn wait_outcomes(worker: &Worker, n: f64, within: Duration) {
    wait_for(worker, within, &format!("{n} outcomes"), || {
        outcomes_counted(worker) >= n
    });
}

/// Messages written to `topic` (all `partitions`): the sum of the high watermarks.
pub fn message_count(broker: &Broker, topic: &str, partitions: i32) -> usize {
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", broker.bootstrap())
        .create()
        .expect("consumer");
    (0..partitions)
        .map(|p| {
            let (low, high) = consumer
                .fetch_watermarks(topic, p, Timeout::After(Duration::from_secs(10)))
                .expect("watermarks");
            usize::try_from(high - low).unwrap_or(0)
        })
        .sum()
}

/// (partition, offset) of the input each output message stands for: a record's provenance or
/// a dead letter's source headers.
pub fn input_position(message: &ReadBack, is_dlq: bool) -> (i32, i64) {
    if is_dlq {
        let h = |k: &str| {
            message
                .headers
                .get(k)
                .and_then(|v| v.parse::<i64>().ok())
                .expect(k)
        };
        (
            h("newsworker.source.partition") as i32,
            h("newsworker.source.offset"),
        )
    } else {
        let r = message.json();
        (
            r["provenance"]["partition"].as_i64().expect("partition") as i32,
            r["provenance"]["offset"].as_i64().expect("offset"),
        )
    }
}

/// How many outcomes (records and dead letters) name each input position.
pub fn tally(records: &[ReadBack], letters: &[ReadBack]) -> BTreeMap<(i32, i64), usize> {
    let mut seen: BTreeMap<(i32, i64), usize> = BTreeMap::new();
    let named = records
        .iter()
        .map(|m| input_position(m, false))
        .chain(letters.iter().map(|m| input_position(m, true)));
    for position in named {
        *seen.entry(position).or_default() += 1;
    }
    seen
}

/// Outcomes a worker binary has counted so far (`newsworker_records_produced_total` plus
/// `newsworker_dlq_records_total`): acknowledged ones at least once, committed ones exactly
/// once. 0 while its metrics endpoint does not answer.
pub fn outcomes_counted(worker: &Worker) -> f64 {
    worker.get("/metrics").map_or(0.0, |(_, m)| {
        metric_sum(&m, "newsworker_records_produced_total")
            + metric_sum(&m, "newsworker_dlq_records_total")
    })
}

/// One "partition assignment changed" line of a worker's log.
#[derive(Debug, Clone)]
pub struct RebalanceLine {
    /// `assigned`, `revoked` or `error`.
    pub change: String,
    /// The partitions assigned or revoked.
    pub changed: Vec<i32>,
    /// How many partitions the worker held afterwards.
    pub partitions: usize,
    /// The whole line, without colour codes.
    pub line: String,
}

/// The worker's rebalances, in order, as its log reports them (`sources/kafka.rs`).
pub fn rebalances(log: &str) -> Vec<RebalanceLine> {
    let field = |line: &str, name: &str| -> String {
        line.split(&format!(" {name}="))
            .nth(1)
            .and_then(|rest| rest.split(' ').next())
            .unwrap_or_default()
            .trim_matches('"')
            .to_owned()
    };
    plain(log)
        .lines()
        .filter(|l| l.contains("partition assignment changed"))
        .map(|line| RebalanceLine {
            change: field(line, "change"),
            changed: field(line, "changed")
                .split(',')
                .filter_map(|p| p.parse().ok())
                .collect(),
            partitions: field(line, "partitions").parse().unwrap_or(0),
            line: line.to_owned(),
        })
        .collect()
}

/// The partitions a worker holds after the rebalances its log reports.
pub fn held_partitions(log: &str) -> std::collections::BTreeSet<i32> {
    let mut held = std::collections::BTreeSet::new();
    for r in rebalances(log) {
        match r.change.as_str() {
            "assigned" => held.extend(r.changed),
            "revoked" => r.changed.iter().for_each(|p| {
                held.remove(p);
            }),
            _ => {}
        }
    }
    held
}

/// A log without its terminal colour codes.
pub fn plain(log: &str) -> String {
    let mut out = String::with_capacity(log.len());
    let mut chars = log.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            chars.by_ref().take_while(|&c| c != 'm').for_each(drop);
        } else {
            out.push(c);
        }
    }
    out
}

/// The repository's root, for reading shipped files.
pub fn repo_root() -> &'static Path {
    newsworker_testkit::workspace_root()
}

/// Writes `NAME.pem` and `NAME.key` (PKCS#8) into `dir`: a self-signed certificate for 127.0.0.1.
pub fn self_signed(dir: &Path, name: &str) {
    let status = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        ])
        .args(["-subj", "/CN=127.0.0.1"])
        .args(["-addext", "subjectAltName=IP:127.0.0.1"])
        .arg("-keyout")
        .arg(dir.join(format!("{name}.key")))
        .arg("-out")
        .arg(dir.join(format!("{name}.pem")))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run openssl");
    assert!(status.success(), "openssl could not make a certificate");
}

/// Where `scripts/install-test-tools.sh` installs the test tools: `NEWSWORKER_TOOLS`, else
/// `~/.cache/newsworker`.
pub fn tools_dir() -> PathBuf {
    std::env::var_os("NEWSWORKER_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/newsworker")
        })
}

/// Whether a consumer error is librdkafka reporting a lost connection, which it recovers from.
fn is_transient(error: &rdkafka::error::KafkaError) -> bool {
    use rdkafka::types::RDKafkaErrorCode::{AllBrokersDown, BrokerTransportFailure};
    matches!(
        error.rdkafka_error_code(),
        Some(BrokerTransportFailure | AllBrokersDown)
    )
}
