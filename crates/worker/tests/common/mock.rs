//! Test harness for librdkafka's mock cluster (`rdkafka::mocking`), shared by the tests that
//! need what the test broker (tansu) cannot do: transactions (`exactly_once.rs`) and fault
//! injection — errors on chosen requests, brokers going down and up (`faults.rs`).
//!
//! The mock cluster lives inside the test process and speaks the Kafka protocol on loopback, so
//! the real worker binary ([`super::Worker::start_at`]) or an in-process worker connects to its
//! [`MockCluster::bootstrap_servers`] like to any broker. It has no CreateTopics API: topics are
//! made on the cluster object ([`cluster`]). Every consumer-group join costs about 3 s on it.
//!
//! The inputs are N small articles, every tenth one broken JSON, so each test also checks that
//! dead letters are outcomes like records: [`super::tally`] maps every input position to how many
//! outcomes (records plus dead letters) name it.

use std::time::Duration;

use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::mocking::MockCluster;
use rdkafka::producer::DefaultProducerContext;
use rdkafka::util::Timeout;
use rdkafka::ClientConfig;

use super::{read_topic_at, ReadBack, Topics};

/// Partitions of the input topic (the output and DLQ topics have one each).
pub const PARTITIONS: i32 = 3;

/// The mock cluster as the tests hold it.
pub type Cluster = MockCluster<'static, DefaultProducerContext>;

/// A mock cluster of `brokers` brokers with the three topics of a test named `name`; every
/// partition's leader on broker 1.
pub fn cluster(brokers: i32, name: &str) -> (Cluster, Topics) {
    let cluster = MockCluster::new(brokers).expect("mock cluster");
    let topics = Topics {
        raw: format!("{name}.raw"),
        records: format!("{name}.records"),
        dlq: format!("{name}.dlq"),
        partitions: PARTITIONS,
    };
    cluster
        .create_topic(&topics.raw, PARTITIONS, brokers.min(3))
        .expect("raw topic");
    for topic in [&topics.records, &topics.dlq] {
        cluster
            .create_topic(topic, 1, brokers.min(3))
            .expect("output topic");
    }
    for p in 0..PARTITIONS {
        cluster
            .partition_leader(&topics.raw, p, Some(1))
            .expect("leader");
    }
    for topic in [&topics.records, &topics.dlq] {
        cluster.partition_leader(topic, 0, Some(1)).expect("leader");
    }
    (cluster, topics)
}

/// N inputs; every tenth is broken JSON (input `i` is broken when `i % 10 == 3`).
pub fn inputs(n: usize) -> Vec<(Option<Vec<u8>>, Vec<u8>)> {
    (0..n)
        .map(|i| {
            let value = if i % 10 == 3 {
                b"{broken json".to_vec()
            } else {
                serde_json::json!({
                    "id": format!("a-{i}"),
                    "text": format!("Story {i}. The minister said on Monday that talks would resume.\nMore detail follows in story {i}."),
                })
                .to_string()
                .into_bytes()
            };
            (None, value)
        })
        .collect()
}

/// How many of the first `n` [`inputs`] are broken, i.e. end as dead letters.
pub fn broken(n: usize) -> usize {
    (n + 6) / 10
}

/// Everything on the output and DLQ topics, read as `read_committed`: (records, dead letters).
/// Waits until at least `at_least` messages arrived in all (or the read deadlines passed).
pub fn outputs(
    bootstrap: &str,
    topics: &Topics,
    at_least: usize,
) -> (Vec<ReadBack>, Vec<ReadBack>) {
    let letters = read_topic_at(bootstrap, &topics.dlq, 1, 1, Duration::from_secs(15));
    let records = read_topic_at(
        bootstrap,
        &topics.records,
        1,
        at_least.saturating_sub(letters.len()),
        Duration::from_secs(20),
    );
    (records, letters)
}

/// Messages on the output and DLQ topics, committed or not: the sum of their high watermarks.
pub fn written(bootstrap: &str, topics: &Topics) -> i64 {
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", bootstrap)
        .create()
        .expect("consumer");
    [&topics.records, &topics.dlq]
        .iter()
        .map(|t| {
            consumer
                .fetch_watermarks(t, 0, Timeout::After(Duration::from_secs(5)))
                .map_or(0, |(_, high)| high)
        })
        .sum()
}
