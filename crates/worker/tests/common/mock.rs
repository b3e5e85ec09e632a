//! Test harness for librdkafka's mock cluster (`rdkafka::mocking`), for the faults no real
//! broker produces on demand: errors injected into chosen requests — bursts of retriable produce
//! errors, refused commits, a transaction coordinator answering "busy" (`faults.rs`,
//! `exactly_once.rs`). Everything a real broker can show runs on Apache Kafka ([`super::kafka`]).
//!
//! The mock cluster lives inside the test process and speaks the Kafka protocol on loopback, so
//! the real worker binary ([`super::Worker::start_at`]) or an in-process worker connects to its
//! [`MockCluster::bootstrap_servers`] like to any broker. It has no CreateTopics API: topics are
//! made on the cluster object ([`cluster`]). Every consumer-group join costs about 3 s on it.
//! It writes no transaction markers: a `read_committed` reader sees what aborted transactions
//! wrote, which tests on it count exactly instead.

use rdkafka::mocking::MockCluster;
use rdkafka::producer::DefaultProducerContext;

use super::Topics;

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
