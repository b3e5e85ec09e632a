//! Per-key order on a real broker: an update of an article (same key, later offset) ends as the
//! last record of its key on the output topic, even when its older version takes far longer to
//! process; and a missing topic stops the worker at start-up, naming it.

mod common;

use std::collections::BTreeMap;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::*;

const KEYS: usize = 20;

/// How long the records may take: the long first versions take seconds each through the
/// unoptimised test build, and on a loaded two-core machine over a minute in all (seen).
const WITHIN: Duration = Duration::from_secs(300);

/// A long first version: a couple of hundred thousand characters, so its pipeline takes tens of
/// milliseconds, while the update's takes a fraction of one.
fn first_version(id: &str) -> Vec<u8> {
    let paragraph = format!(
        "Officials in the city of Leeds said on Tuesday that the council of {id} would vote \
         on the new budget next week. The mayor, Jane Smith, told reporters: \"We will fund \
         the schools and the buses.\" Critics said the plan cost £3.5 million too much."
    );
    let text = vec![paragraph.as_str(); 600].join("\n\n");
    envelope(id, "version 1", &text)
}

fn update(id: &str) -> Vec<u8> {
    envelope(id, "version 2", "The vote was postponed until March.")
}

fn envelope(id: &str, title: &str, text: &str) -> Vec<u8> {
    serde_json::json!({
        "id": id,
        "published_at": "2026-11-20T10:00:00Z",
        "title": title,
        "text": text,
    })
    .to_string()
    .into_bytes()
}

/// For each record key, the titles of its records in the order they were written.
fn titles_by_key(records: &[ReadBack]) -> BTreeMap<String, Vec<String>> {
    let mut sorted: Vec<&ReadBack> = records.iter().collect();
    sorted.sort_by_key(|r| (r.partition, r.offset));
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in sorted {
        let title = r.json()["title"].as_str().unwrap_or_default().to_owned();
        out.entry(r.key.clone().unwrap_or_default())
            .or_default()
            .push(title);
    }
    out
}

/// Runs the worker over `inputs` (key, value) on two input and two output partitions and returns
/// the titles of each key's records in the order the output topic holds them.
fn run_worker(name: &str, inputs: &[(Option<Vec<u8>>, Vec<u8>)]) -> BTreeMap<String, Vec<String>> {
    let broker = Broker::shared();
    let topics = Topics {
        raw: format!("{name}.raw"),
        records: format!("{name}.records"),
        dlq: format!("{name}.dlq"),
        partitions: 2,
    };
    broker.create_topic(&topics.raw, 2);
    broker.create_topic(&topics.records, 2);
    broker.create_topic(&topics.dlq, 1);
    produce(broker, &topics.raw, inputs);
    let mut worker = Worker::start(broker, &topics, name, &[]);
    worker.wait_ready(Duration::from_secs(60));
    let records = read_topic(broker, &topics.records, 2, inputs.len(), WITHIN);
    let log = worker.stop_cleanly("worker");
    assert_eq!(records.len(), inputs.len(), "one record per input:\n{log}");
    titles_by_key(&records)
}

fn assert_updates_last(titles: &BTreeMap<String, Vec<String>>) {
    assert_eq!(titles.len(), KEYS);
    let stale: Vec<_> = titles
        .iter()
        .filter(|(_, t)| t.last().map(String::as_str) != Some("version 2"))
        .collect();
    assert!(
        stale.is_empty(),
        "{} of {KEYS} keys end with their older version: {stale:?}",
        stale.len()
    );
    for (key, t) in titles {
        assert_eq!(
            t,
            &["version 1", "version 2"],
            "records of {key} in input order"
        );
    }
}

#[test]
fn an_update_is_never_overwritten_by_its_older_version() {
    let inputs: Vec<_> = (0..KEYS)
        .flat_map(|i| {
            let id = format!("article-{i}");
            [
                (Some(id.clone().into_bytes()), first_version(&id)),
                (Some(id.clone().into_bytes()), update(&id)),
            ]
        })
        .collect();
    assert_updates_last(&run_worker("order-keyed", &inputs));
}

#[test]
fn inputs_without_a_key_keep_the_order_of_their_article_ids() {
    // No message keys: the producer spreads them over the partitions, but within a partition
    // records of one article id still come out in input order. Sent to one partition here, so
    // both versions of every article share it.
    let inputs: Vec<_> = (0..KEYS)
        .flat_map(|i| {
            let id = format!("unkeyed-{i}");
            [(None, first_version(&id)), (None, update(&id))]
        })
        .collect();
    let broker = Broker::shared();
    let topics = Topics::create(broker, "order-unkeyed", 1);
    produce(broker, &topics.raw, &inputs);
    let mut worker = Worker::start(broker, &topics, "order-unkeyed", &[]);
    worker.wait_ready(Duration::from_secs(60));
    let records = read_topic(broker, &topics.records, 1, inputs.len(), WITHIN);
    let log = worker.stop_cleanly("worker");
    assert_eq!(records.len(), inputs.len(), "{log}");
    assert_updates_last(&titles_by_key(&records));
}

/// Runs `newsworker ARGS` against `broker` and `topics` for at most 30 seconds and returns
/// whether it exited successfully, its standard error and how long it ran.
fn run_briefly(broker: &Broker, topics: &Topics, args: &[&str]) -> (bool, String, Duration) {
    let stderr = tempfile::NamedTempFile::new().expect("temp file");
    let started = Instant::now();
    let mut child = newsworker(broker, topics)
        .args(args)
        .env(
            "NEWSWORKER__METRICS__LISTEN",
            format!("127.0.0.1:{}", free_port()),
        )
        .stdout(Stdio::null())
        .stderr(stderr.reopen().expect("stderr file"))
        .spawn()
        .expect("run newsworker");
    let success = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status.success();
        }
        if started.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            let _ = child.wait();
            break false;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let took = started.elapsed();
    let text = std::fs::read_to_string(stderr.path()).unwrap_or_default();
    (success, text, took)
}

#[test]
fn a_missing_topic_stops_run_and_replay_at_once_naming_it() {
    let broker = Broker::shared();
    let mut topics = Topics::create(broker, "missing", 1);
    produce(broker, &topics.raw, &[(None, update("a"))]);
    let dlq = topics.dlq.clone();

    topics.records = "missing.nowhere".into();
    let (ok, stderr, took) = run_briefly(broker, &topics, &["run"]);
    assert!(!ok, "{stderr}");
    assert!(took < Duration::from_secs(15), "took {took:?}: {stderr}");
    assert!(
        stderr.contains("topic `missing.nowhere` (kafka.output_topic) does not exist"),
        "{stderr}"
    );
    assert!(stderr.contains("cleanup.policy=compact"), "{stderr}");

    topics.records = "missing.records".into();
    topics.dlq = "missing.no-dlq".into();
    let (ok, stderr, took) = run_briefly(broker, &topics, &["run"]);
    assert!(!ok && took < Duration::from_secs(15), "{took:?}: {stderr}");
    assert!(
        stderr.contains("topic `missing.no-dlq` (kafka.dlq_topic) does not exist"),
        "{stderr}"
    );

    topics.dlq = dlq;
    let (ok, stderr, took) = run_briefly(
        broker,
        &topics,
        &["replay", "--name", "x", "--output", "missing.backfill"],
    );
    assert!(!ok && took < Duration::from_secs(15), "{took:?}: {stderr}");
    assert!(
        stderr.contains("topic `missing.backfill` (--output) does not exist"),
        "{stderr}"
    );
    assert!(!stderr.contains("interrupted"), "{stderr}");

    topics.raw = "missing.no-input".into();
    let (ok, stderr, took) = run_briefly(broker, &topics, &["run"]);
    assert!(!ok && took < Duration::from_secs(15), "{took:?}: {stderr}");
    assert!(
        stderr.contains("topic `missing.no-input` (kafka.input_topic) does not exist"),
        "{stderr}"
    );
}
