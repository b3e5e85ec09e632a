//! End to end on a real broker: inputs in, records and dead letters out, each input exactly
//! once, every record valid against the JSON Schema, metrics and health served, and a
//! graceful shutdown that commits everything.

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use common::*;

const LIMIT: usize = 64 * 1024;

fn valid_article(i: usize) -> Vec<u8> {
    serde_json::json!({
        "id": format!("valid-{i}"),
        "url": format!("https://news.example/{i}"),
        "outlet": "news.example",
        "published_at": "2026-11-20T10:00:00Z",
        "title": format!("Council votes on plan number {i}"),
        "text": format!("The council approved plan {i} on Tuesday.\nThe mayor said the vote was close. Work starts next year."),
    })
    .to_string()
    .into_bytes()
}

/// An input message: its key and value.
type Input = (Option<Vec<u8>>, Vec<u8>);

/// The valid inputs (a full sample article, 40 keyed envelopes, a plain-text body) and the
/// invalid ones with the DLQ reason each must get.
fn inputs() -> (Vec<Input>, Vec<(&'static str, Vec<u8>)>) {
    // A full article of the shipped samples, with entities, quotes, dates and amounts.
    let samples = std::fs::read_to_string(repo_root().join("samples/articles.jsonl"))
        .expect("samples/articles.jsonl");
    let sample = samples.lines().next().expect("a sample article");
    let mut valid: Vec<Input> = vec![(None, sample.as_bytes().to_vec())];
    valid.extend((0..40).map(|i| (Some(format!("key-{i}").into_bytes()), valid_article(i))));
    valid.push((
        None,
        b"A plain-text article with no envelope at all. It has two sentences.".to_vec(),
    ));
    let invalid: Vec<(&str, Vec<u8>)> = vec![
        ("invalid_json", b"{\"text\": \"never closed".to_vec()),
        ("invalid_utf8", vec![0xff, 0xfe, b'a', b'b']),
        ("empty_body", Vec::new()),
        ("empty_body", b"   \n\t  ".to_vec()),
        (
            "empty_body",
            br#"{"id":"no-body","title":"only a title"}"#.to_vec(),
        ),
        (
            "invalid_envelope",
            br#"{"text":"body","published_at":20250302}"#.to_vec(),
        ),
        ("binary_content", b"text with a NUL \0 byte".to_vec()),
        ("too_large", vec![b'a'; LIMIT + 1]),
    ];
    (valid, invalid)
}

#[test]
fn every_input_ends_exactly_once_in_records_or_dead_letters() {
    let broker = Broker::shared();
    let topics = Topics::create(broker, "e2e", 3);
    let (mut inputs, invalid) = inputs();
    let valid_count = inputs.len();
    inputs.extend(invalid.iter().map(|(_, v)| (None, v.clone())));
    let positions = produce(broker, &topics.raw, &inputs);

    let limit = LIMIT.to_string();
    let mut worker = Worker::start(
        broker,
        &topics,
        "e2e",
        &[("NEWSWORKER__LIMITS__MAX_ARTICLE_BYTES", limit.as_str())],
    );
    worker.wait_ready(Duration::from_secs(60));
    let records = read_topic(
        broker,
        &topics.records,
        1,
        valid_count,
        Duration::from_secs(120),
    );
    let letters = read_topic(
        broker,
        &topics.dlq,
        1,
        invalid.len(),
        Duration::from_secs(60),
    );
    assert_exactly_once(&records, &letters, &positions, &worker.log());

    // Valid inputs became records keyed by their id, invalid ones dead letters with the reason.
    assert_eq!(records.len(), valid_count);
    assert!(records.iter().any(|r| r.key.as_deref() == Some("valid-7")));
    for (i, (reason, value)) in invalid.iter().enumerate() {
        let at = positions[valid_count + i];
        let letter = letters
            .iter()
            .find(|m| input_position(m, true) == at)
            .unwrap_or_else(|| panic!("no dead letter for {reason}"));
        assert_eq!(
            letter.headers.get("newsworker.reason").map(String::as_str),
            Some(*reason)
        );
        assert_eq!(&letter.value, value, "the original value is kept");
        assert!(letter.headers.contains_key("newsworker.error"));
        assert_eq!(
            letter.headers.get("newsworker.source.topic"),
            Some(&topics.raw)
        );
    }
    assert_headers_name_the_input_and_its_trace(&records, &letters, &positions);
    assert_valid_against_the_schema(&records);
    assert_metrics_and_health(&worker, valid_count, invalid.len());

    // SIGTERM: drain, commit, exit 0; the group's committed offsets reach the end of each partition.
    worker.stop_cleanly("worker");
    assert_eq!(
        committed(broker, "e2e", &topics.raw, topics.partitions),
        partition_ends(&positions, topics.partitions)
    );
}

/// Records and dead letters carry their input's `traceparent`, and records name their input
/// in `newsworker.source.*` headers as dead letters do.
fn assert_headers_name_the_input_and_its_trace(
    records: &[ReadBack],
    letters: &[ReadBack],
    positions: &[(i32, i64)],
) {
    for (outputs, is_dlq) in [(records, false), (letters, true)] {
        for output in outputs {
            let at = input_position(output, is_dlq);
            let index = positions.iter().position(|&p| p == at).expect("an input");
            assert_eq!(
                output.headers.get("traceparent"),
                Some(&traceparent_of(index)),
                "the trace context of input {index} at {at:?}"
            );
            let header = |k: &str| output.headers.get(k).and_then(|v| v.parse::<i64>().ok());
            assert_eq!(
                (
                    header("newsworker.source.partition"),
                    header("newsworker.source.offset")
                ),
                (Some(i64::from(at.0)), Some(at.1)),
                "the source headers of {at:?}"
            );
        }
    }
}

/// Every input offset appears exactly once across records ∪ dead letters.
fn assert_exactly_once(
    records: &[ReadBack],
    letters: &[ReadBack],
    positions: &[(i32, i64)],
    log: &str,
) {
    let mut seen: BTreeMap<(i32, i64), usize> = BTreeMap::new();
    for m in records {
        *seen.entry(input_position(m, false)).or_default() += 1;
    }
    for m in letters {
        *seen.entry(input_position(m, true)).or_default() += 1;
    }
    let duplicates: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        duplicates.is_empty(),
        "inputs delivered more than once: {duplicates:?}"
    );
    let mut expected: Vec<_> = positions.to_vec();
    expected.sort();
    let got: Vec<_> = seen.keys().copied().collect();
    assert_eq!(
        got, expected,
        "outputs must cover exactly the inputs\n{log}"
    );
}

/// Every record is valid against the shipped JSON Schema; the full sample's errors are listed.
fn assert_valid_against_the_schema(records: &[ReadBack]) {
    let sample = records
        .iter()
        .find(|r| r.key.as_deref() == Some("demo-001"))
        .expect("the sample article's record")
        .json();
    let schema: serde_json::Value = serde_json::from_slice(
        &std::fs::read(repo_root().join("schema/record.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&sample)
        .map(|e| e.to_string())
        .collect();
    assert!(
        errors.is_empty(),
        "the sample record violates the schema: {errors:?}"
    );
    for r in records {
        assert!(
            validator.is_valid(&r.json()),
            "record {:?} violates the schema",
            r.key
        );
    }
}

/// Metrics count every outcome; health, readiness and nothing else answer.
fn assert_metrics_and_health(worker: &Worker, records: usize, letters: usize) {
    let (status, metrics) = worker.get("/metrics").expect("/metrics answers");
    assert!(status.contains(" 200"), "{status}");
    assert_eq!(
        metric_sum(&metrics, "newsworker_records_produced_total"),
        records as f64
    );
    assert_eq!(
        metric_sum(&metrics, "newsworker_dlq_records_total"),
        letters as f64
    );
    assert_eq!(
        metric_sum(&metrics, "newsworker_articles_consumed_total"),
        (records + letters) as f64
    );
    assert!(metrics.contains("newsworker_stage_duration_seconds_bucket{stage=\"sentences\""));
    assert!(worker.get("/healthz").unwrap().0.contains(" 200"));
    assert!(worker.get("/readyz").unwrap().0.contains(" 200"));
    assert!(worker.get("/admin").unwrap().0.contains(" 404"));
}
