//! Crash consistency: kill -9 the worker mid-stream, restart it, and check that no input is
//! missing from records ∪ dead letters. Duplicates are allowed (at-least-once) and counted.

mod common;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use common::*;

const ARTICLES: usize = 400;

#[test]
fn kill_9_mid_stream_loses_nothing() {
    let broker = Broker::start();
    let topics = Topics::create(&broker, "crash", 4);
    let inputs: Vec<(Option<Vec<u8>>, Vec<u8>)> = (0..ARTICLES)
        .map(|i| {
            let value = if i % 50 == 7 {
                b"{broken json".to_vec()
            } else {
                serde_json::json!({
                    "id": format!("a-{i}"),
                    "text": format!("Story {i}. The minister said on Monday that talks would resume.\nMore detail follows in paragraph two of story {i}."),
                })
                .to_string()
                .into_bytes()
            };
            (None, value)
        })
        .collect();
    let positions = produce(&broker, &topics.raw, &inputs);

    let slow = [
        ("NEWSWORKER__WORKER__MAX_IN_FLIGHT", "8"),
        ("NEWSWORKER__WORKER__CPU_THREADS", "1"),
    ];
    let mut first = Worker::start(&broker, &topics, "crash", &slow);
    first.wait_ready(Duration::from_secs(60));
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let done = first
            .get("/metrics")
            .map(|(_, m)| metric_sum(&m, "newsworker_records_produced_total"))
            .unwrap_or(0.0);
        if done >= 50.0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "worker made no progress:\n{}",
            first.log()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    first.kill9();

    let mut second = Worker::start(&broker, &topics, "crash", &[]);
    second.wait_ready(Duration::from_secs(60));
    let records = read_topic(
        &broker,
        &topics.records,
        1,
        ARTICLES - 8,
        Duration::from_secs(180),
    );
    let letters = read_topic(&broker, &topics.dlq, 1, 8, Duration::from_secs(60));
    let mut seen: BTreeMap<(i32, i64), usize> = BTreeMap::new();
    for m in &records {
        *seen.entry(input_position(m, false)).or_default() += 1;
    }
    for m in &letters {
        *seen.entry(input_position(m, true)).or_default() += 1;
    }
    let missing: Vec<_> = positions.iter().filter(|p| !seen.contains_key(p)).collect();
    let duplicates: usize = seen.values().map(|n| n - 1).sum();
    println!(
        "crash test: {ARTICLES} inputs, {} outputs, {duplicates} duplicates after kill -9",
        records.len() + letters.len()
    );
    assert!(
        missing.is_empty(),
        "inputs lost after kill -9: {missing:?}\n{}",
        second.log()
    );
    assert_eq!(seen.len(), ARTICLES);
    let (status, log) = second.terminate();
    assert!(status.success(), "{log}");
}
