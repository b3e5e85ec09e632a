//! The end-to-end pass of `newsworker bench --broker`: the corpus through a real broker.
//!
//! The in-process passes say what the pipeline costs; this one says what a deployment gets once
//! Kafka is in the path. It creates three fresh topics on the broker and produces the whole
//! corpus to the input topic first, so that the load generator's own Kafka client is not part
//! of what is measured. Then it starts the real worker loop (the one `newsworker run` uses, in
//! this process, with its default threads) on that backlog and stops the clock when the broker
//! has acknowledged the last outcome (a record or a dead letter): consumption, the pipeline,
//! record production and offset commits, as a worker catching up on a topic does them. The
//! report divides the throughput by the in-process throughput on the same cores, and sets the
//! CPU time this process used per article over that window, which is the worker's alone, beside
//! the in-process pass's: the difference is what consuming, producing and committing cost.
//!
//! A shared machine's speed drifts, by as much as 2× between one minute and the next on the
//! two-core development VM, so one in-process pass measured minutes before the end-to-end one
//! is a poor yardstick for it. [`compare`] therefore runs rounds: each end-to-end pass sits
//! between two in-process passes on as many threads, is set against their mean, and the report
//! gives every round and the median of their ratios.

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::ClientConfig;

use newsworker::config::Config;
use newsworker::ops::http::Health;
use newsworker::ops::metrics::Metrics;
use newsworker::ops::shutdown::Shutdown;
use newsworker::service::setup::Operations;
use newsworker_extract::Extractor;

use super::{cpu_ms_per_article, run_pass, two_decimals, Pass};

/// How long the pass waits for the worker's partitions, and then for the last outcome.
const DEADLINE: Duration = Duration::from_secs(600);

/// What the end-to-end pass measured.
#[derive(Debug, Clone)]
pub struct EndToEnd {
    /// Articles produced (each one has a record or a dead letter at the end).
    pub articles: usize,
    /// Partitions of the input topic.
    pub partitions: i32,
    /// Threads the worker's pipeline ran on.
    pub threads: usize,
    /// From the worker holding its partitions to the broker's acknowledgement of the last
    /// outcome.
    pub wall: Duration,
    /// CPU time this process (the worker alone) used from the worker's start to the last
    /// outcome, if known.
    pub cpu: Option<Duration>,
}

impl EndToEnd {
    /// Articles per second, end to end.
    pub fn articles_per_sec(&self) -> f64 {
        self.articles as f64 / self.wall.as_secs_f64().max(1e-9)
    }
}

/// The end-to-end passes of a benchmark and the in-process passes around them: in-process pass
/// `i` ran before end-to-end pass `i` and pass `i + 1` after it.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// The in-process passes, on the worker's thread count: one more than `end_to_end`.
    pub in_process: Vec<Pass>,
    /// The passes through the broker.
    pub end_to_end: Vec<EndToEnd>,
}

impl Comparison {
    /// The in-process passes either side of end-to-end pass `i`.
    fn around(&self, i: usize) -> &[Pass] {
        &self.in_process[i..=i + 1]
    }

    /// In-process CPU milliseconds per article around end-to-end pass `i`: the mean of the
    /// passes before and after it.
    fn in_process_ms(&self, i: usize) -> Option<f64> {
        let costs: Option<Vec<f64>> = self
            .around(i)
            .iter()
            .map(|p| cpu_ms_per_article(p.cpu, p.articles).filter(|ms| *ms > 0.0))
            .collect();
        costs.map(|c| c.iter().sum::<f64>() / c.len() as f64)
    }

    /// End-to-end CPU cost of pass `i` as a multiple of the in-process cost around it.
    fn cpu_ratio(&self, i: usize) -> Option<f64> {
        let e2e = &self.end_to_end[i];
        Some(cpu_ms_per_article(e2e.cpu, e2e.articles)? / self.in_process_ms(i)?)
    }

    /// The median of the rounds' CPU ratios (the lower middle one for an even count).
    pub fn median_cpu_ratio(&self) -> Option<f64> {
        let mut ratios: Option<Vec<f64>> = (0..self.end_to_end.len())
            .map(|i| self.cpu_ratio(i))
            .collect();
        let ratios = ratios.as_mut().filter(|r| !r.is_empty())?;
        ratios.sort_by(f64::total_cmp);
        Some(ratios[(ratios.len() - 1) / 2])
    }

    /// The end-to-end part of the benchmark report, as Markdown.
    pub fn report(&self) -> String {
        let Some(first) = self.end_to_end.first() else {
            return String::new();
        };
        let threads = first.threads;
        let mut out = format!(
            "\nend to end through the broker ({} articles, {} input partitions, worker on {threads} \
             threads; the corpus is produced to fresh topics first, then the worker works off the \
             backlog), in {} round(s), each between two in-process passes on {threads} threads:\n\n\
             | round | articles/s | throughput vs in process | CPU ms/article | in process (mean \
             either side) | CPU ratio |\n|---:|---:|---:|---:|---:|---:|\n",
            first.articles,
            first.partitions,
            self.end_to_end.len()
        );
        for (i, e2e) in self.end_to_end.iter().enumerate() {
            let around = self.around(i);
            let in_process_rate =
                around.iter().map(Pass::articles_per_sec).sum::<f64>() / around.len() as f64;
            let _ = writeln!(
                out,
                "| {} | {:.0} | {:.2} | {} | {} | {} |",
                i + 1,
                e2e.articles_per_sec(),
                e2e.articles_per_sec() / in_process_rate.max(1e-9),
                two_decimals(cpu_ms_per_article(e2e.cpu, e2e.articles)),
                two_decimals(self.in_process_ms(i)),
                self.cpu_ratio(i)
                    .map_or("n/a".into(), |r| format!("{r:.2}×"))
            );
        }
        let _ = writeln!(
            out,
            "\nCPU per article end to end (the worker loop and its Kafka clients, from its start to \
             the last outcome), median of the rounds: {}",
            self.median_cpu_ratio()
                .map_or("no ratio".into(), |r| format!("{r:.2}× the in-process cost"))
        );
        out
    }
}

/// Measures `rounds` end-to-end passes of `inputs` through the broker at
/// `config.kafka.brokers`, each between two in-process passes on the worker's thread count.
/// `latest`, the in-process pass measured just before, serves as the first of those when it ran
/// on that thread count, instead of a second pass over the corpus.
pub fn compare(
    config: &Config,
    extractor: Arc<Extractor>,
    inputs: &[Vec<u8>],
    partitions: i32,
    rounds: usize,
    latest: Option<&Pass>,
) -> anyhow::Result<Comparison> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let threads = config.cpu_threads();
    let before = latest
        .filter(|pass| pass.threads == threads)
        .cloned()
        .unwrap_or_else(|| run_pass(&extractor, inputs, threads));
    let mut comparison = Comparison {
        in_process: vec![before],
        end_to_end: Vec::new(),
    };
    for _ in 0..rounds.max(1) {
        let e2e = runtime.block_on(run(config, extractor.clone(), inputs, partitions))?;
        comparison.end_to_end.push(e2e);
        comparison
            .in_process
            .push(run_pass(&extractor, inputs, threads));
    }
    Ok(comparison)
}

/// Runs `inputs` through the broker at `config.kafka.brokers` and the worker.
///
/// Topic names get a unique suffix so runs never see each other's messages; the topics are
/// left on the broker afterwards (a benchmark broker is a scratch one).
async fn run(
    config: &Config,
    extractor: Arc<Extractor>,
    inputs: &[Vec<u8>],
    partitions: i32,
) -> anyhow::Result<EndToEnd> {
    let mut config = config.clone();
    let run_id = format!(
        "newsworker-bench-{}",
        chrono::Utc::now().format("%Y%m%d%H%M%S%3f")
    );
    config.kafka.input_topic = format!("{run_id}-raw");
    config.kafka.output_topic = format!("{run_id}-records");
    config.kafka.dlq_topic = format!("{run_id}-dlq");
    config.kafka.group_id = run_id;
    create_topics(&config, partitions).await?;
    newsworker::demo::produce_all(
        &config.kafka.brokers,
        &config.kafka.input_topic,
        inputs.iter().map(|value| (None, value.as_slice())),
    )
    .await
    .context("producing the corpus to the broker")?;

    let cpu_before = crate::bench::process_cpu();
    let operations = Operations::start("bench", None).await?;
    let worker = newsworker::service::at_least_once::spawn_live(&config, extractor, &operations);
    let outcome = measure(
        &operations.metrics,
        &operations.health,
        &operations.shutdown,
        inputs.len() as u64,
    )
    .await;
    let cpu = crate::bench::cpu_since(cpu_before);
    operations.shutdown.trigger();
    worker.await.context("the worker task failed")??;
    Ok(EndToEnd {
        articles: inputs.len(),
        partitions,
        threads: config.cpu_threads(),
        wall: outcome?,
        cpu,
    })
}

/// Waits for the worker's assignment, then for every outcome; returns the time from the one to
/// the other.
async fn measure(
    metrics: &Metrics,
    health: &Health,
    shutdown: &Shutdown,
    expected: u64,
) -> anyhow::Result<Duration> {
    let waiting = Instant::now();
    while let Some(why) = health.not_ready_because() {
        if waiting.elapsed() > DEADLINE || shutdown.is_triggered() {
            anyhow::bail!("the worker never became ready against the broker: {why}");
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let started = Instant::now();
    while metrics.outcomes_delivered() < expected {
        if started.elapsed() > DEADLINE || shutdown.is_triggered() {
            anyhow::bail!(
                "only {} of {expected} outcomes were delivered within {} s",
                metrics.outcomes_delivered(),
                DEADLINE.as_secs()
            );
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    Ok(started.elapsed())
}

/// Creates the run's input and output topics with `partitions` partitions, and its DLQ topic.
async fn create_topics(config: &Config, partitions: i32) -> anyhow::Result<()> {
    let admin: AdminClient<DefaultClientContext> = ClientConfig::new()
        .set("bootstrap.servers", &config.kafka.brokers)
        .create()
        .context("creating an admin client for the benchmark topics")?;
    let topics = [
        NewTopic::new(
            &config.kafka.input_topic,
            partitions,
            TopicReplication::Fixed(1),
        ),
        NewTopic::new(
            &config.kafka.output_topic,
            partitions,
            TopicReplication::Fixed(1),
        ),
        NewTopic::new(&config.kafka.dlq_topic, 1, TopicReplication::Fixed(1)),
    ];
    let options = AdminOptions::new().operation_timeout(Some(Duration::from_secs(30)));
    for result in admin.create_topics(&topics, &options).await? {
        result.map_err(|(topic, code)| {
            anyhow::anyhow!("the broker would not create topic {topic}: {code}")
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn in_process(cpu_ms: u64, articles: usize, wall_ms: u64) -> Pass {
        Pass {
            threads: 2,
            articles,
            words: 0,
            tokens: 0,
            wall: Duration::from_millis(wall_ms),
            latencies: Vec::new(),
            stage_time: Vec::new(),
            failures: 0,
            cpu: Some(Duration::from_millis(cpu_ms)),
        }
    }

    fn end_to_end(cpu_ms: u64, wall_ms: u64) -> EndToEnd {
        EndToEnd {
            articles: 10,
            partitions: 4,
            threads: 2,
            wall: Duration::from_millis(wall_ms),
            cpu: Some(Duration::from_millis(cpu_ms)),
        }
    }

    #[test]
    fn each_round_is_set_against_the_passes_either_side_and_the_median_is_reported() {
        // In-process costs 2, 4 and 2 ms/article; end-to-end 3.6, 4.5 and 9 ms/article: the
        // rounds' ratios are 3.6/3 = 1.2, 4.5/3 = 1.5 and 9/2 = 4.5, so the median is 1.5.
        let comparison = Comparison {
            in_process: vec![
                in_process(20, 10, 100),
                in_process(40, 10, 100),
                in_process(20, 10, 300),
                in_process(20, 10, 100),
            ],
            end_to_end: vec![
                end_to_end(36, 200),
                end_to_end(45, 200),
                end_to_end(90, 400),
            ],
        };
        assert!((comparison.median_cpu_ratio().unwrap() - 1.5).abs() < 1e-9);
        let text = comparison.report();
        assert!(text.contains("in 3 round(s)"), "{text}");
        // Round 1: 50 articles/s end to end against a mean of 100 in process either side.
        assert!(
            text.contains("| 1 | 50 | 0.50 | 3.60 | 3.00 | 1.20× |"),
            "{text}"
        );
        assert!(
            text.contains("| 3 | 25 | 0.38 | 9.00 | 2.00 | 4.50× |"),
            "{text}"
        );
        assert!(
            text.contains("median of the rounds: 1.50× the in-process cost"),
            "{text}"
        );
    }

    #[test]
    fn an_unknown_cpu_time_gives_no_ratio() {
        let mut missing = end_to_end(0, 100);
        missing.cpu = None;
        let comparison = Comparison {
            in_process: vec![in_process(20, 10, 100), in_process(20, 10, 100)],
            end_to_end: vec![missing],
        };
        assert_eq!(comparison.median_cpu_ratio(), None);
        let text = comparison.report();
        assert!(text.contains("| n/a | 2.00 | n/a |"), "{text}");
        assert!(text.contains("median of the rounds: no ratio"), "{text}");
    }
}
