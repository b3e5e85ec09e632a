//! Replays on a real broker: a time range emits exactly its records and stops by itself, an
//! interrupted replay resumes without gaps, and the live group's offsets are never touched.

mod common;

use std::collections::BTreeSet;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::*;

/// 2025-01-01T00:00:00Z; bands of articles are one day apart.
const DAY0_MS: i64 = 1_735_689_600_000;
const DAY_MS: i64 = 86_400_000;
const PER_DAY: usize = 30;

fn article(day: usize, i: usize) -> Vec<u8> {
    serde_json::json!({
        "id": format!("d{day}-{i}"),
        "text": format!("Report {i} of day {day}. Officials said the talks went well.\nA second paragraph follows."),
    })
    .to_string()
    .into_bytes()
}

/// Three days of articles, interleaved over the partitions; returns where each one went, in
/// order (day 0, day 1, day 2).
fn three_days(broker: &Broker, topics: &Topics) -> Vec<(i32, i64)> {
    let inputs: Vec<_> = (0..3)
        .flat_map(|day| {
            (0..PER_DAY).map(move |i| {
                (
                    Some(format!("d{day}-{i}").into_bytes()),
                    article(day, i),
                    Some(DAY0_MS + day as i64 * DAY_MS + i as i64 * 1000),
                )
            })
        })
        .collect();
    produce_timed(broker, &topics.raw, &inputs)
}

fn ids(records: &[ReadBack]) -> BTreeSet<String> {
    records.iter().filter_map(|r| r.key.clone()).collect()
}

fn day_ids(day: usize) -> BTreeSet<String> {
    (0..PER_DAY).map(|i| format!("d{day}-{i}")).collect()
}

fn iso(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap()
        .to_rfc3339()
}

/// The plan `newsworker ARGS --dry-run` prints, and its total.
fn planned(broker: &Broker, topics: &Topics, args: &[&str]) -> (usize, String) {
    let dry = newsworker(broker, topics)
        .args(args)
        .arg("--dry-run")
        .env("RUST_LOG", "newsworker::service::replay=debug,warn")
        .output()
        .unwrap();
    let plan = String::from_utf8_lossy(&dry.stdout);
    assert!(
        dry.status.success(),
        "{}",
        String::from_utf8_lossy(&dry.stderr)
    );
    let total = plan
        .lines()
        .last()
        .and_then(|l| l.split_whitespace().last())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no total in the plan:\n{plan}"));
    (
        total,
        format!("{plan}{}", String::from_utf8_lossy(&dry.stderr)),
    )
}

#[test]
fn a_time_range_replays_exactly_its_articles_and_leaves_the_live_group_alone() {
    let broker = Broker::shared();
    let topics = Topics::create(broker, "replay", 2);
    broker.create_topic("replay.backfill", 1);
    let positions = three_days(broker, &topics);

    // The live worker processes everything and commits.
    let mut live = Worker::start(broker, &topics, "live", &[]);
    live.wait_ready(Duration::from_secs(60));
    let live_records = read_topic(
        broker,
        &topics.records,
        1,
        3 * PER_DAY,
        Duration::from_secs(120),
    );
    assert_eq!(live_records.len(), 3 * PER_DAY);
    live.stop_cleanly("live");
    let live_offsets = committed(broker, "live", &topics.raw, topics.partitions);

    // The plan of day 1 only.
    let from = iso(DAY0_MS + DAY_MS);
    let to = iso(DAY0_MS + 2 * DAY_MS);
    let day1 = [
        "replay",
        "--name",
        "day1",
        "--from",
        &from,
        "--to",
        &to,
        "--output",
        "replay.backfill",
    ];
    let (total, plan) = planned(broker, &topics, &day1);
    assert_eq!(
        total,
        PER_DAY,
        "the plan of day 1:\n{plan}\nday 1 went to {:?}",
        &positions[PER_DAY..2 * PER_DAY]
    );

    // A range that ends past every partition's last message, and one wholly after it: Kafka
    // answers a time look-up past the end with no offset, and the plan ends at the partition's
    // end.
    let day2 = iso(DAY0_MS + 2 * DAY_MS);
    let later = iso(DAY0_MS + 30 * DAY_MS);
    let much_later = iso(DAY0_MS + 60 * DAY_MS);
    for (from, to, expected) in [(&day2, &later, PER_DAY), (&later, &much_later, 0)] {
        let args = ["replay", "--name", "tail", "--from", from, "--to", to];
        let (total, plan) = planned(broker, &topics, &args);
        assert_eq!(total, expected, "the plan of {from}..{to}:\n{plan}");
    }

    // The replay runs and stops by itself.
    let started = Instant::now();
    let out = newsworker(broker, &topics)
        .args(day1)
        .stdout(Stdio::null())
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{log}");
    assert!(log.contains("complete"), "{log}");
    assert!(started.elapsed() < Duration::from_secs(90));

    let backfill = read_topic(
        broker,
        "replay.backfill",
        1,
        PER_DAY,
        Duration::from_secs(30),
    );
    assert_eq!(ids(&backfill), day_ids(1), "exactly day 1's articles");
    assert_eq!(backfill.len(), PER_DAY, "each once");
    for r in &backfill {
        let record = r.json();
        assert_eq!(record["replay"]["name"], "day1");
        assert!(record["pipeline"]["version"]
            .as_str()
            .unwrap()
            .starts_with("newsworker/"));
    }
    assert_eq!(
        committed(broker, "live", &topics.raw, topics.partitions),
        live_offsets,
        "the replay must not move the live group's offsets"
    );
    assert_eq!(
        read_topic(
            broker,
            &topics.records,
            1,
            3 * PER_DAY,
            Duration::from_secs(5)
        )
        .len(),
        3 * PER_DAY
    );
}

#[test]
fn an_interrupted_replay_resumes_without_gaps() {
    let broker = Broker::shared();
    let topics = Topics::create(broker, "resume", 2);
    broker.create_topic("resume.backfill", 1);
    three_days(broker, &topics);

    let metrics_port = free_port().to_string();
    let metrics_addr = format!("127.0.0.1:{metrics_port}");
    let first_log = tempfile::NamedTempFile::new().expect("log file");
    let mut first = newsworker(broker, &topics)
        .args([
            "replay",
            "--name",
            "all",
            "--output",
            "resume.backfill",
            "--metrics-listen",
            &metrics_addr,
        ])
        .env("NEWSWORKER__WORKER__MAX_IN_FLIGHT", "2")
        .env("NEWSWORKER__WORKER__CPU_THREADS", "1")
        .stdout(Stdio::null())
        .stderr(first_log.reopen().expect("log file"))
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let done = http_get(metrics_addr.parse().unwrap(), "/metrics")
            .map(|(_, m)| metric_sum(&m, "newsworker_records_produced_total"))
            .unwrap_or(0.0);
        if done >= 20.0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "replay made no progress:\n{}",
            std::fs::read_to_string(first_log.path()).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    first.kill().unwrap();
    first.wait().unwrap();
    let partial = ids(&read_topic(
        broker,
        "resume.backfill",
        1,
        20,
        Duration::from_secs(10),
    ));
    assert!(
        partial.len() < 3 * PER_DAY,
        "the first run was interrupted mid-way"
    );

    let out = newsworker(broker, &topics)
        .args(["replay", "--name", "all", "--output", "resume.backfill"])
        .stdout(Stdio::null())
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && log.contains("complete"), "{log}");
    let all: BTreeSet<String> = (0..3).flat_map(day_ids).collect();
    let got = ids(&read_topic(
        broker,
        "resume.backfill",
        1,
        3 * PER_DAY,
        Duration::from_secs(30),
    ));
    let missing: Vec<_> = all.difference(&got).collect();
    assert!(missing.is_empty(), "gaps after resuming: {missing:?}");
}
