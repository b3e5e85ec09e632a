//! The inputs most delivery tests produce, and how their outcomes are read back.
//!
//! The inputs are N small articles, every tenth one broken JSON, so each test also checks that
//! dead letters are outcomes like records: [`super::tally`] maps every input position to how many
//! outcomes (records plus dead letters) name it.

use std::time::Duration;

use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::util::Timeout;
use rdkafka::ClientConfig;

use super::{client, read_topic_at, read_topic_with, ReadBack, Topics};

/// N inputs; every tenth is broken JSON (input `i` is broken when `i % 10 == 3`).
pub fn inputs(n: usize) -> Vec<(Option<Vec<u8>>, Vec<u8>)> {
    long_inputs(n, 1)
}

/// [`inputs`] whose article bodies are `paragraphs` paragraphs long, for tests that need the
/// pipeline to take its time.
pub fn long_inputs(n: usize, paragraphs: usize) -> Vec<(Option<Vec<u8>>, Vec<u8>)> {
    (0..n)
        .map(|i| {
            let value = if i % 10 == 3 {
                b"{broken json".to_vec()
            } else {
                let more = format!("\nMore detail follows in story {i}, the minister said.");
                serde_json::json!({
                    "id": format!("a-{i}"),
                    "text": format!(
                        "Story {i}. The minister said on Monday that talks would resume.{}",
                        more.repeat(paragraphs)
                    ),
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
        // The high watermarks, not the last stable offsets a read_committed client is told.
        .set("isolation.level", "read_uncommitted")
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

/// How many messages the output and DLQ topics hold as a `read_uncommitted` reader sees them:
/// those of aborted transactions too, but no transaction markers. Waits until at least
/// `at_least` arrived (or the read deadlines passed).
pub fn uncommitted_outputs(bootstrap: &str, topics: &Topics, at_least: usize) -> usize {
    let config = client(bootstrap, &[("isolation.level", "read_uncommitted")]);
    let letters = read_topic_with(&config, &topics.dlq, 1, 1, Duration::from_secs(15)).len();
    letters
        + read_topic_with(
            &config,
            &topics.records,
            1,
            at_least.saturating_sub(letters),
            Duration::from_secs(20),
        )
        .len()
}
