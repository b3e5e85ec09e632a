//! Trying to lose data: poison inputs of every kind (a 10 MB article among them), and the broker
//! restarting mid-stream, on Apache Kafka.
//! Every input must end as a record or a dead letter with a reason, the worker must keep
//! running, and its memory must stay bounded.

mod common;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use common::*;
use rdkafka::message::{Header, OwnedHeaders};
use rdkafka::producer::{FutureProducer, FutureRecord};
use rdkafka::ClientConfig;

fn outputs(
    broker: &Broker,
    topics: &Topics,
    records: usize,
    letters: usize,
) -> BTreeMap<(i32, i64), (bool, Option<String>)> {
    let mut seen = BTreeMap::new();
    for m in read_topic(
        broker,
        &topics.records,
        1,
        records,
        Duration::from_secs(120),
    ) {
        seen.insert(input_position(&m, false), (false, None));
    }
    for m in read_topic(broker, &topics.dlq, 1, letters, Duration::from_secs(60)) {
        let reason = m.headers.get("newsworker.reason").cloned();
        seen.insert(input_position(&m, true), (true, reason));
    }
    seen
}

#[test]
fn poison_inputs_all_land_in_the_dlq_with_a_reason_and_the_worker_keeps_going() {
    let broker = Broker::shared();
    // Kafka refuses messages over 1 MiB by default; this topic takes the 10 MB article.
    let topics = Topics::create_with(broker, "poison", 1, &[("max.message.bytes", "16777216")]);
    let nested = format!(
        "{{\"html\": \"{}x{}\"}}",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    let poison: Vec<(&str, Vec<u8>)> = vec![
        ("invalid_json", b"{\"text\": \"never closed".to_vec()),
        ("invalid_utf8", vec![0xc3, 0x28, 0xa0, 0xa1]),
        ("empty_body", Vec::new()),
        ("empty_body", b" \n\r\n\t ".to_vec()),
        // Five times the 2 MiB default limit: the broker serves it whole in one fetch (KIP-74),
        // and its dead letter, too large for the DLQ topic's producer, goes without the value.
        (
            "too_large",
            serde_json::json!({ "text": "x".repeat(10 * 1024 * 1024) })
                .to_string()
                .into_bytes(),
        ),
        (
            "invalid_utf8",
            (0..4096u32)
                .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8 | 0x80)
                .collect(),
        ),
        ("html_error", nested.into_bytes()),
        ("binary_content", b"before\0after".to_vec()),
        (
            "invalid_envelope",
            br#"{"text": "body", "published_at": {"year": 2025}}"#.to_vec(),
        ),
    ];
    let producer: FutureProducer = ClientConfig::new()
        .set("bootstrap.servers", broker.bootstrap())
        .set("message.max.bytes", "33554432")
        .create()
        .unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mut positions = Vec::new();
    runtime.block_on(async {
        for (_, value) in &poison {
            let sent = producer
                .send(
                    FutureRecord::<[u8], [u8]>::to(&topics.raw).payload(value),
                    Duration::from_secs(30),
                )
                .await
                .map_err(|(e, _)| e)
                .expect("the broker takes the poison input");
            positions.push((sent.partition, sent.offset));
        }
        // Huge headers on a valid article: the record is fine, the headers are not our problem.
        let huge = "h".repeat(200_000);
        let sent = producer
            .send(
                FutureRecord::<[u8], [u8]>::to(&topics.raw)
                    .payload(b"A valid article after the poison. It has two sentences.")
                    .headers(OwnedHeaders::new().insert(Header {
                        key: "huge",
                        value: Some(&huge),
                    })),
                Duration::from_secs(30),
            )
            .await
            .map_err(|(e, _)| e)
            .expect("produce");
        positions.push((sent.partition, sent.offset));
    });

    let mut worker = Worker::start(broker, &topics, "poison", &[]);
    worker.wait_ready(Duration::from_secs(60));
    let seen = outputs(broker, &topics, 1, poison.len());
    for (i, (reason, _)) in poison.iter().enumerate() {
        let got = seen
            .get(&positions[i])
            .unwrap_or_else(|| panic!("input {i} ({reason}) lost\n{}", worker.log()));
        assert_eq!(got, &(true, Some(reason.to_string())), "input {i}");
    }
    assert_eq!(
        seen.get(positions.last().unwrap()),
        Some(&(false, None)),
        "the valid article after the poison"
    );
    let (_, metrics) = worker.get("/metrics").expect("still serving");
    let rss = metric_sum(&metrics, "process_resident_memory_bytes");
    assert!(
        rss > 0.0 && rss < 512.0 * 1024.0 * 1024.0,
        "resident memory {rss} bytes"
    );
    worker.stop_cleanly("worker");
}

#[test]
fn a_broker_restart_mid_stream_loses_nothing() {
    let mut broker = Broker::start();
    let topics = Topics::create(&broker, "restart", 2);
    let inputs: Vec<(Option<Vec<u8>>, Vec<u8>)> = (0..300)
        .map(|i| {
            (
                None,
                format!("Story {i}. The minister spoke on Monday.\nA second paragraph.")
                    .into_bytes(),
            )
        })
        .collect();
    let positions = produce(&broker, &topics.raw, &inputs);
    let mut worker = Worker::start(
        &broker,
        &topics,
        "restart",
        &[
            ("NEWSWORKER__WORKER__MAX_IN_FLIGHT", "4"),
            ("NEWSWORKER__WORKER__CPU_THREADS", "1"),
        ],
    );
    worker.wait_ready(Duration::from_secs(60));
    let deadline = Instant::now() + Duration::from_secs(60);
    while worker
        .get("/metrics")
        .map(|(_, m)| metric_sum(&m, "newsworker_records_produced_total"))
        .unwrap_or(0.0)
        < 30.0
    {
        assert!(Instant::now() < deadline, "no progress:\n{}", worker.log());
        std::thread::sleep(Duration::from_millis(20));
    }
    broker.restart();
    let seen = outputs(&broker, &topics, inputs.len(), 0);
    let missing: Vec<_> = positions.iter().filter(|p| !seen.contains_key(p)).collect();
    assert!(
        missing.is_empty(),
        "lost across the broker restart: {missing:?}\n{}",
        worker.log()
    );
    worker.stop_cleanly("worker");
}

/// A 10 MB body fed to `newsworker process` on its standard input, as the stream test above
/// feeds one through Kafka: it must become a `too_large` failure and the next article a record.
#[test]
fn a_10_mb_body_is_refused_as_too_large_and_the_next_article_still_processed() {
    let huge = serde_json::json!({ "text": "x".repeat(10 * 1024 * 1024) });
    let valid = serde_json::json!({ "text": "A valid article after it. It has two sentences." });
    let input = format!("{huge}\n{valid}\n").into_bytes();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_newsworker"))
        .args(["process", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run newsworker process");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || {
        use std::io::Write as _;
        stdin.write_all(&input).expect("feed stdin");
    });
    let out = child.wait_with_output().expect("wait");
    writer.join().expect("writer");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("<stdin>:1: too_large"), "{stderr}");
    let records: Vec<&[u8]> = out
        .stdout
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(records.len(), 1, "{stderr}");
}
