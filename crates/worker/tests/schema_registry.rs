//! Records through a real Schema Registry (Apicurio, started by the harness beside the Kafka
//! broker), read back by confluent-kafka-python's `AvroDeserializer` and `JSONDeserializer`:
//! every record the worker writes in `avro` or `json_schema` decodes (and validates) with the
//! schema the registry gives for the id in its header — through the live worker, exactly-once
//! mode, a replay and the demo. The schema's evolution is checked against the registry's
//! compatibility rules, and start-up stops, naming the registry or the subject, when the
//! registry is down, the schema is incompatible or missing, or TLS is not trusted.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::registry::{self, Registry};
use common::*;

/// The sample articles: inputs with records and a few broken ones for the DLQ.
fn samples() -> Vec<(Option<Vec<u8>>, Vec<u8>)> {
    std::fs::read_to_string(repo_root().join("samples/articles.jsonl"))
        .expect("samples")
        .lines()
        .map(|line| (None, line.as_bytes().to_vec()))
        .collect()
}

/// The environment that turns on `format` with `registry_url`.
fn format_env(format: &'static str, registry_url: &str) -> Vec<(&'static str, String)> {
    vec![
        ("NEWSWORKER__OUTPUT__FORMAT", format.to_owned()),
        ("NEWSWORKER__SCHEMA_REGISTRY__URL", registry_url.to_owned()),
    ]
}

fn as_refs<'a>(env: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    env.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// Runs the worker over the samples on fresh topics in `format` (and `guarantee`), stops it,
/// and checks the records on the output topic: each decodes with the Confluent deserializer,
/// carries the key of its id and one schema id; dead letters keep the input's bytes.
fn records_decode(name: &str, format: &'static str, guarantee: &str) -> Topics {
    let broker = Broker::shared();
    let registry = Registry::shared();
    let topics = Topics::create(broker, name, 2);
    let inputs = samples();
    produce(broker, &topics.raw, &inputs);
    let mut env = format_env(format, &registry.url());
    env.push(("NEWSWORKER__PROCESSING__GUARANTEE", guarantee.to_owned()));
    let mut worker = Worker::start(broker, &topics, name, &as_refs(&env));
    worker.wait_ready(Duration::from_secs(60));
    wait_outcomes(&worker, inputs.len() as f64, Duration::from_secs(90));
    worker.stop_cleanly(name);

    let letters = read_topic(broker, &topics.dlq, 1, 1, Duration::from_secs(20));
    let written = read_topic(broker, &topics.records, 1, 1, Duration::from_secs(20));
    assert_eq!(
        written.len() + letters.len(),
        inputs.len(),
        "one outcome per input"
    );
    assert!(written.len() >= 6, "only {} records", written.len());
    for letter in &letters {
        assert!(
            inputs.iter().any(|(_, value)| value == &letter.value),
            "a dead letter keeps its input's bytes unchanged"
        );
    }
    let consumed = registry::consume(
        &broker.bootstrap(),
        &topics.records,
        &registry.url(),
        format,
        written.len(),
    );
    assert_eq!(
        consumed.failures,
        Vec::<String>::new(),
        "every record decodes"
    );
    assert_eq!(
        consumed.records.len(),
        written.len(),
        "the Confluent consumer decodes {} of {} records",
        consumed.records.len(),
        written.len()
    );
    for (decoded, message) in consumed.records.iter().zip(&written) {
        assert_eq!(decoded["id"].as_str(), message.key.as_deref());
        assert!(decoded["text"].as_str().is_some_and(|t| !t.is_empty()));
        assert_eq!(decoded["schema_version"], 2);
    }
    let first = consumed.schema_ids[0];
    assert!(consumed.schema_ids.iter().all(|id| *id == first));
    topics
}

#[test]
fn avro_records_decode_with_the_confluent_deserializer_live_and_in_a_replay() {
    let topics = records_decode("sr-avro", "avro", "at_least_once");
    // A replay of the same input to a topic of its own writes Avro records too.
    let broker = Broker::shared();
    let registry = Registry::shared();
    let replayed = format!("{}.replayed", topics.raw);
    broker.create_topic_with(&replayed, 1, &[]);
    let out = newsworker(broker, &topics)
        .args(["replay", "--name", "sr-avro-replay", "--output", &replayed])
        .envs(format_env("avro", &registry.url()))
        .output()
        .expect("run replay");
    assert!(
        out.status.success(),
        "replay: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let expected = read_topic(broker, &topics.records, 1, 1, Duration::from_secs(20)).len();
    let consumed = registry::consume(
        &broker.bootstrap(),
        &replayed,
        &registry.url(),
        "avro",
        expected,
    );
    assert_eq!(consumed.failures, Vec::<String>::new());
    assert_eq!(
        consumed.records.len(),
        expected,
        "every replayed record decodes"
    );
    assert!(consumed
        .records
        .iter()
        .all(|r| r["replay"]["name"] == "sr-avro-replay"));
}

#[test]
fn json_schema_records_decode_and_validate_with_the_confluent_deserializer() {
    records_decode("sr-json", "json_schema", "at_least_once");
}

#[test]
fn exactly_once_avro_records_decode_for_a_read_committed_consumer() {
    records_decode("sr-eos", "avro", "exactly_once");
}

#[test]
fn the_schema_evolves_additively_and_refuses_a_removal() {
    let registry = Registry::shared();
    // Avro: readers skip a removed field, so BACKWARD alone lets a removal through; FULL (the
    // level the README asks of Avro subjects) refuses it and takes the additive change.
    let avro = registry::evolve(&registry.url(), "avro", "evolution-avro");
    let level = |report: &serde_json::Value, level: &str| report["levels"][level].clone();
    assert_eq!(level(&avro, "BACKWARD")["additive"], true, "{avro}");
    assert!(level(&avro, "BACKWARD")["additive_registered_id"].is_u64());
    assert_eq!(level(&avro, "FULL")["additive"], true, "{avro}");
    assert_eq!(level(&avro, "FULL")["removal"], false, "{avro}");
    assert!(level(&avro, "FULL")["removal_refused"]
        .as_str()
        .is_some_and(|m| m.starts_with("409") && m.contains("keywords")));
    // JSON Schema: the record's schema is closed (additionalProperties: false), so under
    // BACKWARD a new optional property registers and a removed one is refused.
    let json = registry::evolve(&registry.url(), "json_schema", "evolution-json");
    assert_eq!(level(&json, "BACKWARD")["additive"], true, "{json}");
    assert!(level(&json, "BACKWARD")["additive_registered_id"].is_u64());
    assert_eq!(level(&json, "BACKWARD")["removal"], false, "{json}");
    assert!(level(&json, "BACKWARD")["removal_refused"]
        .as_str()
        .is_some_and(|m| m.starts_with("409")));
}

/// Starts the worker on fresh topics with `env` and waits for it to exit by itself: its exit
/// status, log and how long it ran.
fn start_up(name: &str, env: &[(&'static str, String)]) -> (bool, String, Duration) {
    let broker = Broker::shared();
    let topics = Topics::create(broker, name, 1);
    let started = Instant::now();
    let worker = Worker::start(broker, &topics, name, &as_refs(env));
    let (status, log) = worker.wait_exit(Duration::from_secs(30));
    (status.success(), plain(&log), started.elapsed())
}

#[test]
fn a_registry_that_is_down_stops_start_up_within_5_s_naming_it() {
    let url = format!("http://127.0.0.1:{}/apis/ccompat/v7", free_port());
    let (ok, log, took) = start_up("sr-down", &format_env("avro", &url));
    assert!(!ok, "the worker must not run without its registry");
    assert!(took < Duration::from_secs(5), "it took {took:?}");
    assert!(
        log.contains("cannot reach the Schema Registry") && log.contains(&url),
        "{log}"
    );
}

#[test]
fn an_incompatible_or_missing_schema_stops_start_up_naming_the_subject() {
    let registry = Registry::shared();
    // A subject whose registered schema the record's cannot replace under BACKWARD: the
    // record's required fields have no defaults, so a reader of its schema cannot read data
    // written with this one.
    let old = r#"{"type":"record","name":"Record","namespace":"newsworker","fields":[{"name":"id","type":"string"}]}"#;
    registry::register(
        &registry.url(),
        "sr-incompatible.records-value",
        "AVRO",
        old,
        "BACKWARD",
    );
    let (ok, log, took) = start_up("sr-incompatible", &format_env("avro", &registry.url()));
    assert!(!ok);
    assert!(took < Duration::from_secs(5), "it took {took:?}");
    assert!(
        log.contains("refuses the records' schema under subject sr-incompatible.records-value"),
        "{log}"
    );

    // Without auto_register the schema must already be there.
    let mut env = format_env("json_schema", &registry.url());
    env.push(("NEWSWORKER__SCHEMA_REGISTRY__AUTO_REGISTER", "false".into()));
    let (ok, log, _) = start_up("sr-missing", &env);
    assert!(!ok);
    assert!(
        log.contains("not registered under subject sr-missing.records-value"),
        "{log}"
    );

    // use_latest_version takes the latest version only when it is the worker's schema.
    let mut env = format_env("avro", &registry.url());
    env.push((
        "NEWSWORKER__SCHEMA_REGISTRY__USE_LATEST_VERSION",
        "true".into(),
    ));
    registry::register(
        &registry.url(),
        "sr-latest.records-value",
        "AVRO",
        old,
        "NONE",
    );
    let (ok, log, _) = start_up("sr-latest", &env);
    assert!(!ok);
    assert!(
        log.contains("subject sr-latest.records-value")
            && log.contains("is not this worker's schema"),
        "{log}"
    );
}

/// `newsworker demo` in `format` against `url`, with extra environment.
fn demo(format: &'static str, url: &str, extra: &[(&str, String)]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_newsworker"))
        .arg("demo")
        .envs(format_env(format, url))
        .envs(extra.iter().map(|(k, v)| (*k, v.as_str())))
        .env("RUST_LOG", "warn")
        .output()
        .expect("run the demo")
}

#[test]
fn the_demo_writes_and_decodes_avro_over_tls_and_json_schema() {
    let registry = Registry::shared();
    let ca = registry.ca.display().to_string();
    let out = demo(
        "avro",
        &registry.https_url(),
        &[("NEWSWORKER__SCHEMA_REGISTRY__CA_LOCATION", ca)],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("Avro in the Schema Registry wire format"),
        "{stdout}"
    );
    assert!(
        stdout.contains("== 8 records on the output topic =="),
        "{stdout}"
    );

    // The same registry over HTTPS without trusting its certificate: start-up stops.
    let out = demo("avro", &registry.https_url(), &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("cannot reach the Schema Registry"),
        "{stderr}"
    );

    // A subject of its own: the Avro runs above registered under the demo's default topic.
    let topic = (
        "NEWSWORKER__KAFKA__OUTPUT_TOPIC",
        "demo-json.records".to_owned(),
    );
    let out = demo("json_schema", &registry.url(), &[topic]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Json in the Schema Registry wire format")
    );
}
