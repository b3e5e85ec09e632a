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
    /// How long producing the corpus took, before the worker started.
    pub produce: Duration,
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

/// Runs `inputs` through the broker at `config.kafka.brokers` and the worker.
///
/// Topic names get a unique suffix so runs never see each other's messages; the topics are
/// left on the broker afterwards (a benchmark broker is a scratch one).
pub async fn run(
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
    let producing = Instant::now();
    newsworker::demo::produce_all(
        &config.kafka.brokers,
        &config.kafka.input_topic,
        inputs.iter().map(|value| (None, value.as_slice())),
    )
    .await
    .context("producing the corpus to the broker")?;
    let produce = producing.elapsed();

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
        produce,
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
