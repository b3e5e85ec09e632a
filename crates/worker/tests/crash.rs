//! Crash consistency: kill -9 the worker at random points of a long stream, several times,
//! restarting it after each kill; then check that no input is missing from records ∪ dead
//! letters. Duplicates are allowed (at-least-once) and reported.
//!
//! CI runs 2,000 articles and 3 kills. `NEWSWORKER_LONG_TESTS=1` runs the full size, 10,000
//! articles and 8 kills. The kill points are drawn from a seed the test prints;
//! `NEWSWORKER_TEST_SEED=N` repeats a run.

mod common;

use std::time::{Duration, Instant};

use common::*;

/// The size of one run: articles and kills.
struct Size {
    articles: usize,
    kills: usize,
}

/// The CI size, or the full one behind the long-test flag. Each next worker starts at once
/// after a kill: the broker gives it every partition once the dead member's session (the
/// harness's 6 s) has expired.
fn size() -> Size {
    if std::env::var_os("NEWSWORKER_LONG_TESTS").is_some_and(|v| v == "1") {
        Size {
            articles: 10_000,
            kills: 8,
        }
    } else {
        Size {
            articles: 2_000,
            kills: 3,
        }
    }
}

/// The inputs: the shipped sample articles over and over, each JSON envelope with a unique id;
/// the samples' broken lines stay broken, so dead letters are part of the stream.
fn inputs(count: usize) -> Vec<(Option<Vec<u8>>, Vec<u8>)> {
    let samples = std::fs::read_to_string(repo_root().join("samples/articles.jsonl"))
        .expect("samples/articles.jsonl");
    let lines: Vec<&str> = samples.lines().filter(|l| !l.trim().is_empty()).collect();
    (0..count)
        .map(|i| {
            let line = lines[i % lines.len()];
            let value = match serde_json::from_str::<serde_json::Value>(line) {
                Ok(serde_json::Value::Object(mut envelope)) => {
                    envelope.insert("id".into(), format!("crash-{i}").into());
                    serde_json::Value::Object(envelope).to_string()
                }
                _ => line.to_owned(),
            };
            (None, value.into_bytes())
        })
        .collect()
}

/// A small deterministic generator (xorshift64*) for the kill points.
struct Draws(u64);

impl Draws {
    fn below(&mut self, bound: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % bound.max(1)
    }
}

/// The seed (`NEWSWORKER_TEST_SEED`, else the clock) and, drawn from it, after how many
/// delivered outcomes each of the `kills` kills happens, in order.
fn kill_points(articles: usize, kills: usize) -> (u64, Vec<usize>) {
    let seed = std::env::var("NEWSWORKER_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
                | 1
        });
    let mut draws = Draws(seed);
    let mut points: Vec<usize> = (0..kills).map(|_| draws.below(articles)).collect();
    points.sort_unstable();
    (seed, points)
}

#[test]
fn repeated_kill_9_mid_stream_loses_nothing() {
    let Size { articles, kills } = size();
    let (seed, kill_points) = kill_points(articles, kills);
    println!("crash test: seed {seed}, {articles} articles, kills after ~{kill_points:?} outcomes");

    let broker = Broker::shared();
    let topics = Topics::create(broker, "crash", 4);
    let positions = produce(broker, &topics.raw, &inputs(articles));

    // Outcomes delivered by the workers killed so far (duplicates included): the clock the kill
    // points are read on.
    let mut before = 0.0;
    for (round, &point) in kill_points.iter().enumerate() {
        let mut worker = Worker::start(broker, &topics, "crash", &[]);
        worker.wait_ready(Duration::from_secs(60));
        let deadline = Instant::now() + Duration::from_secs(300);
        let mut seen = 0.0;
        while before + seen < point as f64 {
            assert!(
                Instant::now() < deadline,
                "round {round}: the worker made no progress:\n{}",
                worker.log()
            );
            seen = outcomes_counted(&worker).max(seen);
            std::thread::sleep(Duration::from_millis(5));
        }
        worker.kill9();
        before += seen;
        println!("round {round}: kill -9 after {seen} outcomes ({before} in all)");
    }

    let last = Worker::start(broker, &topics, "crash", &[]);
    wait_committed_to(
        &broker.bootstrap(),
        "crash",
        &topics.raw,
        &partition_ends(&positions, topics.partitions),
        Duration::from_secs(600),
        || last.log(),
    );
    let log = last.stop_cleanly("last");

    // An offset is committed only after its outcome was acknowledged, so everything is on the
    // topics now: read them to their ends.
    let read_all = |topic: &str| {
        let count = message_count(broker, topic, 1);
        read_topic(broker, topic, 1, count, Duration::from_secs(300))
    };
    let records = read_all(&topics.records);
    let letters = read_all(&topics.dlq);
    let seen = tally(&records, &letters);
    let missing: Vec<_> = positions.iter().filter(|p| !seen.contains_key(p)).collect();
    let duplicates: usize = seen.values().map(|n| n - 1).sum();
    println!(
        "crash test: {articles} inputs, {kills} kills, {} records + {} dead letters, \
         {} missing, {duplicates} duplicates ({:.2}%)",
        records.len(),
        letters.len(),
        missing.len(),
        100.0 * duplicates as f64 / articles as f64
    );
    assert!(
        missing.is_empty(),
        "{} inputs lost after kill -9 (seed {seed}), first {:?}\n{log}",
        missing.len(),
        &missing[..missing.len().min(10)]
    );
    assert_eq!(seen.len(), articles);
}
