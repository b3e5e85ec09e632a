//! Bounded replays: re-process a slice of the input topic's history.
//!
//! A replay is planned before it reads anything. For each partition it fixes a start (the
//! broker's timestamp look-up for `--from TIME`, the log start for `earliest`, or explicit
//! `partition:offset` pairs) and an end (the look-up for `--to TIME`, else the high watermark at
//! planning time), so the run is bounded and never chases live traffic. It then runs the
//! ordinary worker loop on an explicit assignment, in its own consumer group (`--group`, default
//! `newsworker-replay-<name>`): the live group's offsets and lag are untouched, and a replay that
//! is interrupted resumes from its own committed offsets when re-run with the same name.
//!
//! Records of a replay carry `replay: {name, started_at}` beside `pipeline.version`, so consumers
//! can tell backfilled records; their keys are the article ids, so a compacted output topic ends
//! with one record per article.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::util::Timeout;
use rdkafka::{Offset, TopicPartitionList};
use serde::Serialize;

use crate::config::{ClientKind, Config};

/// How long broker look-ups may take while planning.
const LOOKUP_TIMEOUT: Duration = Duration::from_secs(30);
/// How many times a partition's time look-up is tried before the plan fails.
const LOOKUP_ATTEMPTS: u32 = 5;

/// Where a replay starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Start {
    /// The first message with a timestamp at or after this time, per partition.
    Time(DateTime<Utc>),
    /// The log start of every partition.
    Earliest,
    /// Explicit offsets; partitions not listed are not replayed.
    Offsets(BTreeMap<i32, i64>),
}

impl std::str::FromStr for Start {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s == "earliest" {
            return Ok(Start::Earliest);
        }
        if let Ok(t) = DateTime::parse_from_rfc3339(s) {
            return Ok(Start::Time(t.with_timezone(&Utc)));
        }
        let mut offsets = BTreeMap::new();
        for pair in s.split(',') {
            let parsed = pair.split_once(':').and_then(|(p, o)| {
                Some((p.trim().parse::<i32>().ok()?, o.trim().parse::<i64>().ok()?))
            });
            match parsed {
                Some((p, o)) if p >= 0 && o >= 0 => {
                    offsets.insert(p, o);
                }
                _ => {
                    return Err(format!(
                        "`{s}` is not `earliest`, an RFC 3339 time (2025-03-01T00:00:00Z) or partition:offset pairs (0:120,1:98)"
                    ))
                }
            }
        }
        Ok(Start::Offsets(offsets))
    }
}

/// One partition's slice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Slice {
    /// Partition.
    pub partition: i32,
    /// First offset to process.
    pub start: i64,
    /// One past the last offset to process.
    pub end: i64,
}

impl Slice {
    /// Messages in the slice (an upper bound where the log has gaps).
    pub fn len(&self) -> i64 {
        (self.end - self.start).max(0)
    }

    /// Whether there is nothing to replay.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// What a replay will do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The input topic.
    pub topic: String,
    /// The replay's consumer group.
    pub group: String,
    /// Per-partition slices, in partition order.
    pub slices: Vec<Slice>,
}

impl Plan {
    /// Messages to process in all.
    pub fn total(&self) -> i64 {
        self.slices.iter().map(Slice::len).sum()
    }

    /// The end offset of `partition`, when it is part of the plan.
    pub fn end_of(&self, partition: i32) -> Option<i64> {
        self.slices
            .iter()
            .find(|s| s.partition == partition)
            .map(|s| s.end)
    }
}

impl std::fmt::Display for Plan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "replay of `{}` in consumer group `{}`",
            self.topic, self.group
        )?;
        writeln!(
            f,
            "{:>9} {:>12} {:>12} {:>10}",
            "partition", "start", "end", "messages"
        )?;
        for s in &self.slices {
            writeln!(
                f,
                "{:>9} {:>12} {:>12} {:>10}",
                s.partition,
                s.start,
                s.end,
                s.len()
            )?;
        }
        write!(
            f,
            "{:>9} {:>12} {:>12} {:>10}",
            "total",
            "",
            "",
            self.total()
        )
    }
}

/// The consumer group a replay named `name` uses unless told otherwise.
pub fn default_group(name: &str) -> String {
    format!("newsworker-replay-{name}")
}

/// Plans a replay of `topic` from `start` to `to` (or the current end), resuming from `group`'s
/// committed offsets where it has any inside the slice.
pub fn plan(
    config: &Config,
    topic: &str,
    group: &str,
    start: &Start,
    to: Option<DateTime<Utc>>,
) -> anyhow::Result<Plan> {
    let mut client = config.client_config(ClientKind::Consumer);
    client
        .set("group.id", group)
        .set("enable.auto.commit", "false");
    let consumer: BaseConsumer = client.create()?;
    let metadata = consumer.fetch_metadata(Some(topic), LOOKUP_TIMEOUT)?;
    let partitions: Vec<i32> = metadata
        .topics()
        .iter()
        .filter(|t| t.name() == topic)
        .flat_map(|t| t.partitions().iter().map(|p| p.id()))
        .collect();
    anyhow::ensure!(
        !partitions.is_empty(),
        "topic `{topic}` does not exist or has no partitions"
    );

    let mut watermarks = BTreeMap::new();
    for &p in &partitions {
        watermarks.insert(p, consumer.fetch_watermarks(topic, p, LOOKUP_TIMEOUT)?);
    }
    let at_time = |t: DateTime<Utc>| offsets_at_time(&consumer, topic, &watermarks, t);
    let starts: BTreeMap<i32, i64> = match start {
        Start::Earliest => watermarks.iter().map(|(&p, &(low, _))| (p, low)).collect(),
        Start::Time(t) => at_time(*t)?,
        Start::Offsets(explicit) => {
            for p in explicit.keys() {
                anyhow::ensure!(
                    partitions.contains(p),
                    "topic `{topic}` has no partition {p}"
                );
            }
            explicit.clone()
        }
    };
    let ends: BTreeMap<i32, i64> = match to {
        Some(t) => at_time(t)?,
        None => watermarks
            .iter()
            .map(|(&p, &(_, high))| (p, high))
            .collect(),
    };
    let committed = committed_offsets(&consumer, topic, &partitions)?;
    tracing::debug!(?watermarks, ?starts, ?ends, ?committed, "plan look-ups");
    let slices = starts
        .iter()
        .map(|(&p, &start)| {
            let (low, high) = watermarks[&p];
            let end = ends[&p].min(high);
            let start = start.clamp(low, end.max(low));
            let start = match committed.get(&p) {
                Some(&c) if c > start && c <= end => c,
                _ => start,
            };
            Slice {
                partition: p,
                start,
                end: end.max(start),
            }
        })
        .collect();
    Ok(Plan {
        topic: topic.to_owned(),
        group: group.to_owned(),
        slices,
    })
}

/// Per partition, the first offset whose timestamp is at or after `t`, or the log end where no
/// message is that late. A partition the broker could not look up (its answer carries an error,
/// say a leader that is busy or moving) is asked again, up to [`LOOKUP_ATTEMPTS`] times: taking
/// the error for "no message that late" would leave the partition out of the plan without a
/// word.
fn offsets_at_time(
    consumer: &BaseConsumer,
    topic: &str,
    watermarks: &BTreeMap<i32, (i64, i64)>,
    t: DateTime<Utc>,
) -> anyhow::Result<BTreeMap<i32, i64>> {
    let mut attempt = 1;
    loop {
        let mut tpl = TopicPartitionList::new();
        for &p in watermarks.keys() {
            tpl.add_partition_offset(topic, p, Offset::Offset(t.timestamp_millis()))?;
        }
        let found = consumer.offsets_for_times(tpl, LOOKUP_TIMEOUT)?;
        let mut out = BTreeMap::new();
        let mut failed = None;
        for (&p, &(_, high)) in watermarks {
            let Some(element) = found.find_partition(topic, p) else {
                failed = Some((p, "no answer for it".to_owned()));
                continue;
            };
            if let Err(e) = element.error() {
                failed = Some((p, e.to_string()));
                continue;
            }
            let offset = match element.offset() {
                Offset::Offset(o) if o >= 0 => o,
                // No message at or after the time: the slice starts (or ends) at the log end.
                _ => high,
            };
            out.insert(p, offset);
        }
        match failed {
            None => return Ok(out),
            Some((p, why)) if attempt >= LOOKUP_ATTEMPTS => anyhow::bail!(
                "the broker could not find the offset of {t} in partition {p} of `{topic}` \
                 ({why}, {attempt} attempts); it may be busy or moving the partition's leader: \
                 run the replay again"
            ),
            Some((p, why)) => {
                tracing::debug!(partition = p, error = %why, attempt, "time look-up retried");
                attempt += 1;
                std::thread::sleep(Duration::from_millis(500));
            }
        }
    }
}

/// The replay group's committed offsets. A group coordinator that is not ready yet — on a
/// cluster whose offsets topic is still being created or loaded, the first look-up answers
/// `NOT_COORDINATOR` or `COORDINATOR_LOAD_IN_PROGRESS` — is asked again until
/// [`LOOKUP_TIMEOUT`] has passed.
fn committed_offsets(
    consumer: &BaseConsumer,
    topic: &str,
    partitions: &[i32],
) -> anyhow::Result<BTreeMap<i32, i64>> {
    let deadline = Instant::now() + LOOKUP_TIMEOUT;
    let got = loop {
        let mut tpl = TopicPartitionList::new();
        for &p in partitions {
            tpl.add_partition(topic, p);
        }
        match consumer.committed_offsets(tpl, Timeout::After(LOOKUP_TIMEOUT)) {
            Err(e) if coordinator_not_ready(&e) && Instant::now() < deadline => {
                tracing::debug!(error = %e, "committed offsets look-up retried");
                std::thread::sleep(Duration::from_millis(500));
            }
            result => break result?,
        }
    };
    let out = partitions
        .iter()
        .filter_map(|&p| match got.find_partition(topic, p)?.offset() {
            Offset::Offset(o) => Some((p, o)),
            _ => None,
        })
        .collect();
    Ok(out)
}

/// Whether `error` says the group coordinator is moving or still loading: worth asking again.
fn coordinator_not_ready(error: &rdkafka::error::KafkaError) -> bool {
    use rdkafka::types::RDKafkaErrorCode::*;
    matches!(
        error.rdkafka_error_code(),
        Some(NotCoordinator | CoordinatorLoadInProgress | CoordinatorNotAvailable)
    )
}

/// Where a running replay stands, and when it is done.
pub struct Progress {
    plan: Plan,
    position: Mutex<BTreeMap<i32, i64>>,
    exhausted: Mutex<BTreeMap<i32, bool>>,
    started: Instant,
    reporter: Reporter,
    complete: std::sync::atomic::AtomicBool,
}

enum Reporter {
    Bars(
        indicatif::MultiProgress,
        BTreeMap<i32, indicatif::ProgressBar>,
        indicatif::ProgressBar,
    ),
    Lines(Mutex<Instant>),
}

impl Progress {
    /// Progress of `plan`, drawn as bars on a terminal, else as a line every few seconds.
    pub fn new(plan: Plan) -> Self {
        let reporter = if std::io::stderr().is_terminal() {
            let multi = indicatif::MultiProgress::new();
            let style = indicatif::ProgressStyle::with_template(
                "{prefix:>14} [{bar:40}] {pos}/{len} {per_sec} eta {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
            let total = multi.add(indicatif::ProgressBar::new(plan.total().max(0) as u64));
            total.set_style(style.clone());
            total.set_prefix("all partitions");
            let bars = plan
                .slices
                .iter()
                .map(|s| {
                    let bar = multi.add(indicatif::ProgressBar::new(s.len() as u64));
                    bar.set_style(style.clone());
                    bar.set_prefix(format!("partition {}", s.partition));
                    (s.partition, bar)
                })
                .collect();
            Reporter::Bars(multi, bars, total)
        } else {
            Reporter::Lines(Mutex::new(Instant::now()))
        };
        Progress {
            position: Mutex::new(plan.slices.iter().map(|s| (s.partition, s.start)).collect()),
            exhausted: Mutex::new(BTreeMap::new()),
            plan,
            started: Instant::now(),
            reporter,
            complete: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// The plan being run.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// Whether a message at `offset` of `partition` belongs to the replay.
    pub fn wants(&self, partition: i32, offset: i64) -> bool {
        self.plan.end_of(partition).is_some_and(|end| offset < end)
    }

    /// Records that `partition` has nothing more to give (end reached or the log ended).
    pub fn exhaust(&self, partition: i32) {
        self.exhausted
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(partition, true);
    }

    /// Records a new committable position of `partition`.
    pub fn advance(&self, partition: i32, position: i64) {
        self.position
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(partition, position);
        self.report(false);
    }

    /// Checks whether every partition reached its end (`in_flight(p)` says what is still
    /// unacknowledged) and remembers it: see [`Progress::is_complete`].
    pub fn check_done(&self, in_flight: impl Fn(i32) -> usize) -> bool {
        let done = self.is_done(in_flight);
        if done {
            self.complete
                .store(true, std::sync::atomic::Ordering::Relaxed);
        }
        done
    }

    /// Whether the run was seen to reach the end of every partition.
    pub fn is_complete(&self) -> bool {
        self.complete.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn is_done(&self, in_flight: impl Fn(i32) -> usize) -> bool {
        let position = self.position.lock().unwrap_or_else(|p| p.into_inner());
        let exhausted = self.exhausted.lock().unwrap_or_else(|p| p.into_inner());
        self.plan.slices.iter().all(|s| {
            position.get(&s.partition).is_some_and(|&at| at >= s.end)
                || (exhausted.get(&s.partition).copied().unwrap_or(false)
                    && in_flight(s.partition) == 0)
        })
    }

    /// Messages processed so far (by committable position).
    pub fn processed(&self) -> i64 {
        let position = self.position.lock().unwrap_or_else(|p| p.into_inner());
        self.plan
            .slices
            .iter()
            .map(|s| {
                (position
                    .get(&s.partition)
                    .copied()
                    .unwrap_or(s.start)
                    .min(s.end)
                    - s.start)
                    .max(0)
            })
            .sum()
    }

    /// Draws the bars, or prints a line when the last one is a few seconds old (or `force`).
    pub fn report(&self, force: bool) {
        let position = self
            .position
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        match &self.reporter {
            Reporter::Bars(_, bars, total) => {
                for s in &self.plan.slices {
                    if let Some(bar) = bars.get(&s.partition) {
                        let at = position.get(&s.partition).copied().unwrap_or(s.start);
                        bar.set_position((at.min(s.end) - s.start).max(0) as u64);
                    }
                }
                total.set_position(self.processed().max(0) as u64);
            }
            Reporter::Lines(last) => {
                let mut last = last.lock().unwrap_or_else(|p| p.into_inner());
                if !force && last.elapsed() < Duration::from_secs(5) {
                    return;
                }
                *last = Instant::now();
                let done = self.processed();
                let total = self.plan.total();
                let secs = self.started.elapsed().as_secs_f64().max(1e-3);
                let rate = done as f64 / secs;
                let eta = eta(total - done, rate);
                let parts: Vec<String> = self
                    .plan
                    .slices
                    .iter()
                    .map(|s| {
                        format!(
                            "p{} {}/{}",
                            s.partition,
                            position.get(&s.partition).copied().unwrap_or(s.start),
                            s.end
                        )
                    })
                    .collect();
                eprintln!(
                    "replay: {done}/{total} articles ({:.1}%), {rate:.0}/s, eta {eta}; {}",
                    if total > 0 {
                        100.0 * done as f64 / total as f64
                    } else {
                        100.0
                    },
                    parts.join(", ")
                );
            }
        }
    }

    /// The closing line of a run of the replay `name` into `output_topic`.
    pub fn summary(&self, name: &str, output_topic: &str) -> String {
        if self.is_complete() {
            format!(
                "replay `{name}` complete: {} articles re-processed into `{output_topic}`",
                self.processed()
            )
        } else {
            format!(
                "replay `{name}` interrupted after {} of {} articles; run it again with --name \
                 {name} to resume",
                self.processed(),
                self.plan().total()
            )
        }
    }

    /// Final state of the display.
    pub fn finish(&self) {
        self.report(true);
        if let Reporter::Bars(multi, bars, total) = &self.reporter {
            for bar in bars.values() {
                bar.finish();
            }
            total.finish();
            let _ = multi.clear();
        }
    }
}

/// The time left for `left` articles at `rate` per second: `unknown` while nothing was done.
fn eta(left: i64, rate: f64) -> String {
    if rate > 0.0 && rate.is_finite() {
        format!("{:.0}s", left.max(0) as f64 / rate)
    } else {
        "unknown".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_coordinator_not_ready_is_asked_again_and_other_errors_are_not() {
        use rdkafka::error::KafkaError::MetadataFetch;
        use rdkafka::types::RDKafkaErrorCode::*;
        assert!(coordinator_not_ready(&MetadataFetch(NotCoordinator)));
        assert!(coordinator_not_ready(&MetadataFetch(
            CoordinatorLoadInProgress
        )));
        assert!(!coordinator_not_ready(&MetadataFetch(
            GroupAuthorizationFailed
        )));
    }

    #[test]
    fn eta_is_unknown_until_something_was_done() {
        assert_eq!(eta(41, 0.0), "unknown");
        assert_eq!(eta(40, 4.0), "10s");
        assert_eq!(eta(0, 4.0), "0s");
    }

    #[test]
    fn start_points_parse() {
        assert_eq!("earliest".parse::<Start>().unwrap(), Start::Earliest);
        assert!(matches!(
            "2025-03-01T00:00:00Z".parse::<Start>().unwrap(),
            Start::Time(_)
        ));
        assert_eq!(
            "0:10, 2:7".parse::<Start>().unwrap(),
            Start::Offsets(BTreeMap::from([(0, 10), (2, 7)]))
        );
        assert!("yesterday".parse::<Start>().is_err());
        assert!("0:-1".parse::<Start>().is_err());
    }

    fn plan() -> Plan {
        Plan {
            topic: "t".into(),
            group: "g".into(),
            slices: vec![
                Slice {
                    partition: 0,
                    start: 10,
                    end: 20,
                },
                Slice {
                    partition: 1,
                    start: 5,
                    end: 5,
                },
            ],
        }
    }

    #[test]
    fn progress_is_done_when_every_slice_reached_its_end() {
        let p = Progress::new(plan());
        assert!(p.wants(0, 19));
        assert!(!p.wants(0, 20));
        assert!(!p.wants(2, 0));
        assert!(!p.is_done(|_| 0));
        p.advance(0, 15);
        assert_eq!(p.processed(), 5);
        assert!(!p.is_done(|_| 0));
        p.advance(0, 20);
        assert!(!p.is_complete());
        assert!(p.check_done(|_| 0));
        assert!(p.is_complete());
    }

    #[test]
    fn an_exhausted_partition_is_done_once_nothing_is_in_flight() {
        let p = Progress::new(plan());
        p.advance(0, 18);
        p.exhaust(0);
        assert!(!p.is_done(|_| 1));
        assert!(p.is_done(|_| 0));
    }

    #[test]
    fn the_plan_prints_as_a_table() {
        let text = plan().to_string();
        assert!(text.contains("consumer group `g`"));
        assert!(text.contains("total"));
        assert_eq!(plan().total(), 10);
    }
}
