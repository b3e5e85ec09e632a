//! The streaming worker, read top-down: consume → process → publish → store offset.
//!
//! [`run`] subscribes to the input topic and loops: take an in-flight permit (at most
//! `worker.max_in_flight` articles are between "read" and "acknowledged", so a slow sink stops
//! the reading instead of growing memory), receive a message, note it in the in-flight tracker,
//! and hand it to a task. The task runs the CPU-bound pipeline on one of the
//! `worker.cpu_threads` threads of a [`CpuPool`](super::cpu_pool::CpuPool), so the async
//! reactor stays responsive, publishes the record or the dead letter once no earlier message of
//! the same key is in flight (per-key order, see [`in_flight`](super::in_flight)), waits for
//! the broker's acknowledgement, and only then lets the tracker move the partition's
//! committable position.
//!
//! On shutdown (signal, fatal error, or the caller's own trigger) the loop stops reading, waits
//! up to `worker.drain_timeout_secs` for in-flight articles, commits synchronously and returns.
//! Anything still in flight then was never committed and is read again by the next run: the
//! guarantee is at-least-once.
//!
//! The same loop runs replays ([`Intake::Replay`]): an explicit assignment instead of a
//! subscription, messages past a partition's planned end are not processed (the partition is
//! paused), and the run stops by itself once every partition's committed position reached its
//! end.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use newsworker_extract::Extractor;
use rdkafka::consumer::{CommitMode, Consumer};
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::{BorrowedMessage, Message, OwnedMessage};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::config::Config;
use crate::ops::shutdown::Shutdown;
use crate::service::in_flight::{InFlight, Ticket};
use crate::service::processing::{observe_end_to_end, provenance, Processing};
use crate::service::replay::Progress;
use crate::service::setup::Operations;
use crate::service::topics::TopicUse;
use crate::sinks::kafka::{Delivered, KafkaSink, SinkError};
use crate::sources::kafka::{self, ArticleConsumer, Revocation};

/// What the worker reads.
pub enum Intake {
    /// The live consumer group: subscribe to the input topic and run until shut down.
    Live,
    /// A bounded replay, writing to `output_topic`.
    Replay {
        /// The plan and where the run stands.
        progress: Arc<Progress>,
        /// Where its records go.
        output_topic: String,
        /// The setting that named `output_topic` (`--output` or `kafka.output_topic`).
        output_setting: &'static str,
    },
}

/// Everything a message task needs, shared by all of them.
struct Shared {
    processing: Processing,
    consumer: Arc<ArticleConsumer>,
    in_flight: Arc<InFlight>,
    shutdown: Shutdown,
    fatal: Mutex<Option<SinkError>>,
    progress: Option<Arc<Progress>>,
}

impl Shared {
    /// Stops the run when a replay has reached the end of every partition.
    fn stop_if_replay_done(&self) {
        if let Some(progress) = &self.progress {
            let tracker = self.in_flight.lock();
            let topic = &progress.plan().topic;
            if progress.check_done(|p| tracker.in_flight_of(topic, p)) {
                self.shutdown.trigger();
            }
        }
    }

    /// Notes that a replayed partition has nothing more to give.
    fn exhausted(&self, partition: i32) {
        if let Some(progress) = &self.progress {
            progress.exhaust(partition);
        }
        self.stop_if_replay_done();
    }
}

/// Runs the live worker as a task of the current runtime, for callers that hold the worker in
/// process (the demo, the end-to-end benchmark) and watch its `operations` meanwhile.
pub fn spawn_live(
    config: &Config,
    extractor: Arc<Extractor>,
    operations: &Operations,
) -> tokio::task::JoinHandle<anyhow::Result<()>> {
    let (config, operations) = (config.clone(), operations.clone());
    tokio::spawn(async move { run(&config, &operations, || Ok(extractor), Intake::Live).await })
}

/// Runs the worker until the shutdown flag of `operations` is set. `make_extractor` is called
/// once the broker answered and the topics were found, so a wrong address or a missing topic
/// is reported before the models load. Returns an error when it stopped because of a fatal
/// Kafka error.
pub async fn run(
    config: &Config,
    operations: &Operations,
    make_extractor: impl FnOnce() -> anyhow::Result<Arc<Extractor>>,
    intake: Intake,
) -> anyhow::Result<()> {
    let Some(shared) = start(config, operations, make_extractor, intake).await? else {
        return Ok(());
    };
    let tasks = read(&shared, config.worker.max_in_flight).await?;
    drain(tasks, Duration::from_secs(config.worker.drain_timeout_secs)).await;
    finish(&shared)
}

/// Connects, checks the topics, builds the extractor and joins the group (or takes the
/// replay's assignment); `None` when shutdown came first.
async fn start(
    config: &Config,
    operations: &Operations,
    make_extractor: impl FnOnce() -> anyhow::Result<Arc<Extractor>>,
    intake: Intake,
) -> anyhow::Result<Option<Arc<Shared>>> {
    let Operations {
        metrics,
        health,
        shutdown,
    } = operations;
    let (progress, output_topic, output_setting) = match intake {
        Intake::Live => (
            None,
            config.kafka.output_topic.clone(),
            "kafka.output_topic",
        ),
        Intake::Replay {
            progress,
            output_topic,
            output_setting,
        } => (Some(progress), output_topic, output_setting),
    };
    let input = match &progress {
        None => TopicUse::input(&config.kafka.input_topic, "kafka.input_topic"),
        Some(p) => TopicUse::input(&p.plan().topic, "the replayed topic"),
    };
    let topics = [
        input,
        TopicUse::records(&output_topic, output_setting),
        TopicUse::dead_letters(&config.kafka.dlq_topic, "kafka.dlq_topic"),
    ];
    let sink = KafkaSink::new(config, &output_topic, health.clone(), metrics.clone())?;
    if !sink
        .connect(&config.kafka.brokers, &topics, health, shutdown)
        .await?
    {
        return Ok(None);
    }
    let in_flight = Arc::new(InFlight::new());
    let revocation = Revocation::new(in_flight.clone(), sink.flusher());
    let consumer = Arc::new(match &progress {
        None => kafka::subscribe(config, metrics.clone(), health.clone(), revocation)?,
        Some(p) => kafka::assign(
            config,
            p.plan(),
            metrics.clone(),
            health.clone(),
            revocation,
        )?,
    });
    let processing = Processing::new(
        make_extractor()?,
        sink,
        metrics.clone(),
        config.cpu_threads(),
    )?;
    tracing::info!(
        topic = %input.name,
        output = %output_topic,
        dlq = %config.kafka.dlq_topic,
        replay = progress.is_some(),
        "worker started"
    );
    let shared = Arc::new(Shared {
        processing,
        consumer,
        in_flight,
        shutdown: shutdown.clone(),
        fatal: Mutex::new(None),
        progress,
    });
    shared.stop_if_replay_done();
    Ok(Some(shared))
}

/// The loop: take an in-flight permit, read a message, hand it to a task; until shutdown.
/// Returns the tasks still running.
async fn read(shared: &Arc<Shared>, max_in_flight: usize) -> anyhow::Result<JoinSet<()>> {
    let permits = Arc::new(Semaphore::new(max_in_flight.max(1)));
    let mut tasks = JoinSet::new();
    loop {
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => permit?,
            _ = shared.shutdown.wait() => break,
        };
        let message = tokio::select! {
            message = shared.consumer.recv() => message,
            _ = shared.shutdown.wait() => break,
        };
        match message {
            Ok(message) if !wanted(shared, &message) => {
                kafka::pause(&shared.consumer, message.topic(), message.partition());
                shared.exhausted(message.partition());
            }
            Err(KafkaError::PartitionEOF(partition)) => shared.exhausted(partition),
            Ok(message) => {
                let ticket = begin(shared, &message);
                let message = message.detach();
                let shared = shared.clone();
                tasks.spawn(async move {
                    process(&shared, message, ticket).await;
                    drop(permit);
                });
            }
            Err(e) => {
                if let Some(fatal) = kafka::fatal_error(&shared.consumer) {
                    // Nothing can be committed any more; what is in flight is read again later.
                    return Err(anyhow::anyhow!("worker stopped: {fatal}"));
                }
                tracing::warn!(error = %e, "consume error");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
        while tasks.try_join_next().is_some() {}
    }
    Ok(tasks)
}

/// Waits up to `deadline` for the articles in flight; what is left then is never committed
/// and is read again by the next run.
async fn drain(mut tasks: JoinSet<()>, deadline: Duration) {
    while tasks.try_join_next().is_some() {}
    tracing::info!(
        in_flight = tasks.len(),
        deadline_s = deadline.as_secs(),
        "stopped reading; draining"
    );
    if tokio::time::timeout(deadline, async {
        while tasks.join_next().await.is_some() {}
    })
    .await
    .is_err()
    {
        tracing::warn!(
            abandoned = tasks.len(),
            "drain deadline passed; unacknowledged articles will be read again on restart"
        );
        tasks.abort_all();
    }
}

/// Commits what is acknowledged, flushes the producer and says how the run ended.
fn finish(shared: &Shared) -> anyhow::Result<()> {
    let metrics = &shared.processing.metrics;
    match shared.consumer.commit_consumer_state(CommitMode::Sync) {
        Ok(()) => metrics.offset_commits.with_label_values(&["ok"]).inc(),
        // Nothing stored since the last commit: nothing to do.
        Err(KafkaError::ConsumerCommit(RDKafkaErrorCode::NoOffset)) => {}
        Err(e) => {
            metrics.offset_commits.with_label_values(&["error"]).inc();
            tracing::warn!(
                error = %e,
                "final offset commit failed; the uncommitted articles will be read again on restart"
            );
        }
    }
    shared.processing.sink.flush(Duration::from_secs(5));
    let fatal = shared
        .fatal
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .take();
    match fatal {
        Some(e) => Err(anyhow::anyhow!("worker stopped: {e}")),
        None => {
            tracing::info!("worker stopped cleanly");
            Ok(())
        }
    }
}

/// Whether a message is to be processed: always live, inside the plan in a replay.
fn wanted(shared: &Shared, message: &BorrowedMessage<'_>) -> bool {
    shared
        .progress
        .as_ref()
        .is_none_or(|p| p.wants(message.partition(), message.offset()))
}

/// Notes a freshly read message as in flight.
fn begin(shared: &Shared, message: &BorrowedMessage<'_>) -> Ticket {
    let metrics = &shared.processing.metrics;
    metrics
        .articles_consumed
        .with_label_values(&[message.topic()])
        .inc();
    metrics.in_flight.inc();
    shared.in_flight.lock().begin(
        message.topic(),
        message.partition(),
        message.offset(),
        message.key(),
    )
}

/// Processes one message to the end: extract, publish in its turn, acknowledge.
async fn process(shared: &Shared, message: OwnedMessage, ticket: Ticket) {
    let provenance = provenance(&message);
    let message = Arc::new(message);
    let delivered = shared
        .processing
        .process(&message, &provenance, &shared.in_flight, &ticket)
        .await;
    let metrics = &shared.processing.metrics;
    metrics.in_flight.dec();
    match delivered {
        Ok(Delivered::Withdrawn) => {
            tracing::debug!(
                offset = ticket.offset,
                "withdrawn: processed again by the partition's owner"
            );
        }
        Ok(delivered) => {
            delivered.count(metrics);
            observe_end_to_end(metrics, &provenance);
            shared.in_flight.complete(&ticket, |position| {
                kafka::store_position(&shared.consumer, &ticket.topic, ticket.partition, position);
                if let Some(progress) = &shared.progress {
                    progress.advance(ticket.partition, position);
                }
            });
            shared.stop_if_replay_done();
        }
        Err(e) => {
            tracing::error!(error = %e, "stopping the worker");
            shared.in_flight.update(|t| t.fail(&ticket));
            shared
                .fatal
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .get_or_insert(e);
            shared.shutdown.trigger();
        }
    }
}
