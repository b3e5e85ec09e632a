//! `newsworker demo`: the whole path, with nothing installed.
//!
//! The demo starts librdkafka's mock cluster inside the process (a real Kafka protocol
//! implementation, reached over TCP on loopback), creates the three topics, produces the sample
//! articles shipped in `samples/articles.jsonl` (a few of them deliberately broken), runs the
//! real worker against the cluster until every article has a record or a dead letter, then
//! reads both topics back and prints what a consumer would see, followed by the worker's
//! metrics. With `output.format = "avro"` or `"json_schema"` the records go through the Schema
//! Registry of `[schema_registry]` (the demo embeds the broker, not a registry), and are printed
//! decoded.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::{Headers, Message};
use rdkafka::mocking::MockCluster;
use rdkafka::producer::future_producer::OwnedDeliveryResult;
use rdkafka::producer::{DefaultProducerContext, FutureProducer, FutureRecord};
use rdkafka::util::Timeout;
use rdkafka::{ClientConfig, Offset, TopicPartitionList};

use anyhow::Context as _;
use newsworker_extract::contract::avro::AvroSchema;
use newsworker_extract::contract::record::{PayloadFormat, RecordEncoding};
use newsworker_extract::Extractor;

use crate::config::Config;
use crate::ops::metrics::Metrics;
use crate::service::setup::Operations;
use crate::sinks::schema_registry;
use crate::sources::file;

/// The sample articles.
pub const SAMPLES: &str = include_str!("../../../samples/articles.jsonl");

/// Partitions of the demo's input topic.
const PARTITIONS: i32 = 3;

/// How long the demo waits for the worker before giving up.
const DEADLINE: Duration = Duration::from_secs(120);

/// Options of the demo.
pub struct DemoOptions {
    /// Print every record as a JSON line instead of a summary.
    pub json: bool,
}

/// Runs the demo; prints to standard output.
pub async fn run(config: Config, options: DemoOptions) -> anyhow::Result<()> {
    let (_cluster, config) = start_cluster(config)?;
    let inputs = file::inputs(SAMPLES.as_bytes());
    produce_all(
        &config.kafka.brokers,
        &config.kafka.input_topic,
        inputs
            .iter()
            .map(|input| (Some(format!("sample-line-{}", input.line)), input.value)),
    )
    .await?;
    println!(
        "Produced {} sample articles to `{}` ({} partitions)\n",
        inputs.len(),
        config.kafka.input_topic,
        PARTITIONS
    );
    let expected = inputs.len() as u64;
    let operations = Operations::start("demo", None).await?;
    let encoding = {
        let config = config.clone();
        tokio::task::spawn_blocking(move || {
            schema_registry::record_encoding(&config, &config.kafka.output_topic)
        })
        .await??
    };
    let extractor = Arc::new(Extractor::new(&config.extract())?.with_encoding(encoding.clone()));
    let worker = crate::service::at_least_once::spawn_live(&config, extractor, &operations);
    let finished = wait_for_outcomes(&operations, expected).await;
    operations.shutdown.trigger();
    worker.await??;
    finished?;

    let config = Arc::new(config);
    let records = {
        let config = config.clone();
        tokio::task::spawn_blocking(move || {
            read_topic(&config, &config.kafka.output_topic, metrics_count(expected))
        })
        .await??
    };
    let letters = {
        let config = config.clone();
        tokio::task::spawn_blocking(move || {
            read_topic(&config, &config.kafka.dlq_topic, metrics_count(expected))
        })
        .await??
    };
    print_records(&records, options.json, &encoding)?;
    print_dead_letters(&letters);
    print_metrics(&operations.metrics);
    Ok(())
}

/// A record's value as JSON, read as a consumer of `encoding` reads it.
fn decoded(value: &[u8], encoding: &RecordEncoding) -> anyhow::Result<serde_json::Value> {
    let payload = value
        .strip_prefix(encoding.prefix.as_slice())
        .context("a record without the expected wire-format header")?;
    Ok(match encoding.format {
        PayloadFormat::Json => serde_json::from_slice(payload)?,
        PayloadFormat::Avro => AvroSchema::record().decode(payload)?,
    })
}

/// Starts the embedded cluster with the demo's topics, and points `config` at it.
fn start_cluster(
    mut config: Config,
) -> anyhow::Result<(MockCluster<'static, DefaultProducerContext>, Config)> {
    let cluster = MockCluster::new(1)?;
    config.kafka.brokers = cluster.bootstrap_servers();
    config.kafka.group_id = "newsworker-demo".into();
    config.kafka.statistics_interval_ms = 1000;
    for (key, value) in [
        ("session.timeout.ms", "6000"),
        ("heartbeat.interval.ms", "500"),
    ] {
        config
            .kafka
            .consumer_properties
            .insert(key.into(), toml::Value::String(value.into()));
    }
    cluster.create_topic(&config.kafka.input_topic, PARTITIONS, 1)?;
    cluster.create_topic(&config.kafka.output_topic, 1, 1)?;
    cluster.create_topic(&config.kafka.dlq_topic, 1, 1)?;
    println!(
        "Started an embedded Kafka cluster (librdkafka mock) at {}",
        config.kafka.brokers
    );
    Ok((cluster, config))
}

/// Waits until the worker delivered `expected` outcomes (or was stopped), up to [`DEADLINE`].
async fn wait_for_outcomes(operations: &Operations, expected: u64) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    while operations.metrics.outcomes_delivered() < expected && !operations.shutdown.is_triggered()
    {
        if started.elapsed() > DEADLINE {
            anyhow::bail!(
                "the worker did not finish the samples within {}s",
                DEADLINE.as_secs()
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

fn metrics_count(expected: u64) -> usize {
    usize::try_from(expected).unwrap_or(usize::MAX)
}

/// Produces `messages` (key, value) to `topic`, keeping many sends in flight, and returns once
/// the broker has acknowledged every one. Shared by the demo and the end-to-end benchmark.
pub async fn produce_all<'a>(
    brokers: &str,
    topic: &str,
    messages: impl IntoIterator<Item = (Option<String>, &'a [u8])>,
) -> anyhow::Result<()> {
    let producer: FutureProducer = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("linger.ms", "5")
        .create()?;
    let mut pending = VecDeque::new();
    for (key, value) in messages {
        let mut record = FutureRecord::to(topic).payload(value);
        if let Some(key) = &key {
            record = record.key(key);
        }
        loop {
            match producer.send_result(record) {
                Ok(delivery) => {
                    pending.push_back(delivery);
                    break;
                }
                // The local queue is full: wait for the oldest send, then try again.
                Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), back)) => {
                    record = back;
                    match pending.pop_front() {
                        Some(oldest) => acknowledged(oldest.await)?,
                        None => tokio::time::sleep(Duration::from_millis(10)).await,
                    }
                }
                Err((e, _)) => return Err(e.into()),
            }
        }
    }
    for delivery in pending {
        acknowledged(delivery.await)?;
    }
    Ok(())
}

/// A delivery report as a result; the outer error means the producer went away first.
fn acknowledged<Canceled>(delivery: Result<OwnedDeliveryResult, Canceled>) -> anyhow::Result<()> {
    match delivery {
        Ok(Ok(_)) => Ok(()),
        Ok(Err((e, _))) => Err(e.into()),
        Err(_) => anyhow::bail!("the producer was dropped before a delivery report"),
    }
}

/// A message read back from a topic.
struct ReadBack {
    key: Option<String>,
    value: Vec<u8>,
    headers: Vec<(String, String)>,
}

/// Reads up to `max` messages of `topic` from the beginning (partition 0, as the demo creates it).
fn read_topic(config: &Config, topic: &str, max: usize) -> anyhow::Result<Vec<ReadBack>> {
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", &config.kafka.brokers)
        .set("group.id", "newsworker-demo-reader")
        .set("enable.auto.commit", "false")
        .create()?;
    let (_, high) = consumer.fetch_watermarks(topic, 0, Timeout::After(Duration::from_secs(10)))?;
    let wanted = usize::try_from(high).unwrap_or(0).min(max);
    let mut assignment = TopicPartitionList::new();
    assignment.add_partition_offset(topic, 0, Offset::Beginning)?;
    consumer.assign(&assignment)?;
    drop(assignment);
    let mut out = Vec::new();
    let started = std::time::Instant::now();
    while out.len() < wanted && started.elapsed() < Duration::from_secs(30) {
        if let Some(message) = consumer.poll(Duration::from_millis(200)) {
            let message = message?;
            out.push(ReadBack {
                key: message
                    .key()
                    .map(|k| String::from_utf8_lossy(k).into_owned()),
                value: message.payload().unwrap_or_default().to_vec(),
                headers: message
                    .headers()
                    .map(|h| {
                        h.iter()
                            .map(|h| {
                                let value =
                                    h.value.map(String::from_utf8_lossy).unwrap_or_default();
                                (h.key.to_owned(), value.into_owned())
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            });
        }
    }
    Ok(out)
}

fn print_records(
    records: &[ReadBack],
    json: bool,
    encoding: &RecordEncoding,
) -> anyhow::Result<()> {
    println!("== {} records on the output topic ==", records.len());
    if let Some(id) = encoding.prefix.get(1..5) {
        println!(
            "(each {:?} in the Schema Registry wire format, schema id {}; decoded below)",
            encoding.format,
            u32::from_be_bytes(id.try_into()?)
        );
    }
    for (i, record) in records.iter().enumerate() {
        let r = decoded(&record.value, encoding)?;
        if json {
            println!("{r}");
            continue;
        }
        let list = |field: &str, key: &str| -> String {
            r[field]
                .as_array()
                .map(|items| {
                    items
                        .iter()
                        .filter_map(|item| item[key].as_str())
                        .take(6)
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default()
        };
        println!(
            "- key {} | {} | lang {} | {} words, {} sentences, {} paragraphs",
            record.key.as_deref().unwrap_or("-"),
            r["title"].as_str().unwrap_or("(no title)"),
            r["language"]["code"].as_str().unwrap_or("?"),
            r["stats"]["words"],
            r["stats"]["sentences"],
            r["stats"]["paragraphs"],
        );
        for (label, field, key) in [
            ("entities", "entities", "name"),
            ("quotes", "quotes", "text"),
            ("dates", "dates", "value"),
            ("sections", "sections", "heading"),
        ] {
            let items = list(field, key);
            if !items.is_empty() {
                println!("    {label}: {items}");
            }
        }
        if i == 0 {
            let pretty = serde_json::to_string_pretty(&r)?;
            let head: Vec<&str> = pretty.lines().take(40).collect();
            println!(
                "  first record, as JSON (first 40 lines):\n{}\n  …",
                head.join("\n")
            );
        }
    }
    Ok(())
}

fn print_dead_letters(letters: &[ReadBack]) {
    println!("\n== {} dead letters on the DLQ topic ==", letters.len());
    for letter in letters {
        let header = |name: &str| {
            letter
                .headers
                .iter()
                .find(|(k, _)| k == name)
                .map_or("-", |(_, v)| v.as_str())
        };
        println!(
            "- key {} | reason {} | stage {} | {}",
            letter.key.as_deref().unwrap_or("-"),
            header("newsworker.reason"),
            header("newsworker.stage"),
            header("newsworker.error"),
        );
    }
}

fn print_metrics(metrics: &Metrics) {
    println!("\n== metrics (as served on /metrics by `newsworker run`) ==");
    for line in metrics.render().lines() {
        let wanted = [
            "newsworker_articles_consumed_total",
            "newsworker_records_produced_total",
            "newsworker_dlq_records_total",
            "newsworker_stage_duration_seconds_sum",
            "newsworker_stage_duration_seconds_count",
            "newsworker_end_to_end_latency_seconds_count",
            "newsworker_rebalances_total",
        ];
        let nonzero = !line.ends_with(" 0");
        if wanted.iter().any(|w| line.starts_with(w)) && nonzero {
            println!("{line}");
        }
    }
}
