//! The streaming worker, read top-down: consume → process → publish → store offset.
//!
//! [`run`] subscribes to the input topic and loops: take an in-flight permit (at most
//! `worker.max_in_flight` articles are between "read" and "acknowledged", so a slow sink stops
//! the reading instead of growing memory), receive a message, note it in the offset tracker,
//! and hand it to a task. The task runs the CPU-bound pipeline on a blocking thread — at most
//! `worker.cpu_threads` at once, so the async reactor stays responsive — publishes the record
//! or the dead letter, waits for the broker's acknowledgement, and only then lets the tracker
//! move the partition's committable position.
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

use rdkafka::consumer::{CommitMode, Consumer};
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::{BorrowedMessage, Message, OwnedMessage};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::config::Config;
use crate::failure::{Failure, Reason};
use crate::handler::{Handler, Outcome};
use crate::http::Health;
use crate::metrics::Metrics;
use crate::offsets::{OffsetTracker, Ticket};
use crate::pipeline::doc::Provenance;
use crate::replay::Progress;
use crate::shutdown::Shutdown;
use crate::sinks::kafka::{KafkaSink, SinkError};
use crate::sources::kafka::{self, ArticleConsumer};

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
    },
}

/// Everything a message task needs, shared by all of them.
struct Shared {
    handler: Arc<Handler>,
    sink: KafkaSink,
    consumer: Arc<ArticleConsumer>,
    tracker: Arc<Mutex<OffsetTracker>>,
    metrics: Arc<Metrics>,
    cpu: Semaphore,
    shutdown: Shutdown,
    fatal: Mutex<Option<SinkError>>,
    progress: Option<Arc<Progress>>,
}

impl Shared {
    /// Stops the run when a replay has reached the end of every partition.
    fn stop_if_replay_done(&self) {
        if let Some(progress) = &self.progress {
            let tracker = self.tracker.lock().unwrap_or_else(|p| p.into_inner());
            let topic = &progress.plan().topic;
            if progress.check_done(|p| tracker.in_flight_of(topic, p)) {
                self.shutdown.trigger();
            }
        }
    }
}

/// Runs the live worker as a task of the current runtime, for callers that hold the worker in
/// process (the demo, the end-to-end benchmark) and watch `metrics` and `health` meanwhile.
pub fn spawn_live(
    config: &Config,
    handler: Arc<Handler>,
    metrics: Arc<Metrics>,
    health: Arc<Health>,
    shutdown: Shutdown,
) -> tokio::task::JoinHandle<anyhow::Result<()>> {
    let config = config.clone();
    tokio::spawn(
        async move { run(&config, handler, metrics, health, shutdown, Intake::Live).await },
    )
}

/// Runs the worker until `shutdown` is triggered. Returns an error when it stopped because of
/// a fatal Kafka error.
pub async fn run(
    config: &Config,
    handler: Arc<Handler>,
    metrics: Arc<Metrics>,
    health: Arc<Health>,
    shutdown: Shutdown,
    intake: Intake,
) -> anyhow::Result<()> {
    let tracker = Arc::new(Mutex::new(OffsetTracker::new()));
    let (progress, output_topic) = match intake {
        Intake::Live => (None, config.kafka.output_topic.clone()),
        Intake::Replay {
            progress,
            output_topic,
        } => (Some(progress), output_topic),
    };
    let sink = KafkaSink::new(config, &output_topic, health.clone(), metrics.clone())?;
    if !sink
        .connect(&config.kafka.brokers, &health, &shutdown)
        .await?
    {
        return Ok(());
    }
    let consumer = Arc::new(match &progress {
        None => kafka::subscribe(config, metrics.clone(), health, tracker.clone())?,
        Some(p) => kafka::assign(config, p.plan(), metrics.clone(), health, tracker.clone())?,
    });
    metrics.declare_stages(&handler.pipeline().stage_names());
    let shared = Arc::new(Shared {
        handler,
        sink,
        consumer: consumer.clone(),
        tracker,
        metrics: metrics.clone(),
        cpu: Semaphore::new(config.cpu_threads()),
        shutdown: shutdown.clone(),
        fatal: Mutex::new(None),
        progress,
    });
    tracing::info!(
        topic = %config.kafka.input_topic,
        output = %output_topic,
        dlq = %config.kafka.dlq_topic,
        replay = shared.progress.is_some(),
        "worker started"
    );
    shared.stop_if_replay_done();

    let in_flight = Arc::new(Semaphore::new(config.worker.max_in_flight.max(1)));
    let mut tasks = JoinSet::new();
    loop {
        let permit = tokio::select! {
            permit = in_flight.clone().acquire_owned() => permit?,
            _ = shutdown.wait() => break,
        };
        let message = tokio::select! {
            message = consumer.recv() => message,
            _ = shutdown.wait() => break,
        };
        match message {
            Ok(message) if !wanted(&shared, &message) => {
                kafka::pause(&consumer, message.topic(), message.partition());
                if let Some(progress) = &shared.progress {
                    progress.exhaust(message.partition());
                }
                shared.stop_if_replay_done();
            }
            Err(KafkaError::PartitionEOF(partition)) => {
                if let Some(progress) = &shared.progress {
                    progress.exhaust(partition);
                }
                shared.stop_if_replay_done();
            }
            Ok(message) => {
                let ticket = begin(&shared, &message);
                let message = message.detach();
                let shared = shared.clone();
                tasks.spawn(async move {
                    process(&shared, message, ticket).await;
                    drop(permit);
                });
            }
            Err(e) => {
                tracing::warn!(error = %e, "consume error");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
        while tasks.try_join_next().is_some() {}
    }

    let drain = Duration::from_secs(config.worker.drain_timeout_secs);
    while tasks.try_join_next().is_some() {}
    let left = tasks.len();
    tracing::info!(
        in_flight = left,
        deadline_s = drain.as_secs(),
        "stopped reading; draining"
    );
    if tokio::time::timeout(drain, async { while tasks.join_next().await.is_some() {} })
        .await
        .is_err()
    {
        tracing::warn!(
            abandoned = tasks.len(),
            "drain deadline passed; unacknowledged articles will be read again on restart"
        );
        tasks.abort_all();
    }
    match consumer.commit_consumer_state(CommitMode::Sync) {
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
    shared.sink.flush(Duration::from_secs(5));
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
    shared
        .metrics
        .articles_consumed
        .with_label_values(&[message.topic()])
        .inc();
    shared.metrics.in_flight.inc();
    shared
        .tracker
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .begin(message.topic(), message.partition(), message.offset())
}

/// Processes one message to the end: pipeline, publish, acknowledge.
async fn process(shared: &Shared, message: OwnedMessage, ticket: Ticket) {
    let provenance = provenance(&message);
    let message = Arc::new(message);
    let outcome = handle_on_cpu(&shared.handler, &shared.cpu, &message, &provenance).await;
    let delivered = deliver(shared, &message, &provenance, outcome).await;
    shared.metrics.in_flight.dec();
    match delivered {
        Ok(()) => {
            observe_end_to_end(&shared.metrics, &provenance);
            let position = shared
                .tracker
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .complete(&ticket);
            if let Some(position) = position {
                kafka::store_position(&shared.consumer, &ticket.topic, ticket.partition, position);
                if let Some(progress) = &shared.progress {
                    progress.advance(ticket.partition, position);
                }
            }
            shared.stop_if_replay_done();
        }
        Err(e) => {
            tracing::error!(error = %e, "stopping the worker");
            shared
                .fatal
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .get_or_insert(e);
            shared.shutdown.trigger();
        }
    }
}

/// Observes the time from the input's timestamp until now, when its outcome became durable.
pub(crate) fn observe_end_to_end(metrics: &Metrics, provenance: &Provenance) {
    if let Some(ts) = provenance.timestamp_ms {
        let age_ms = chrono::Utc::now().timestamp_millis() - ts;
        metrics
            .end_to_end_latency
            .observe(age_ms.max(0) as f64 / 1e3);
    }
}

/// Where a message came from, as records and dead letters report it.
pub(crate) fn provenance(message: &OwnedMessage) -> Provenance {
    Provenance {
        topic: message.topic().to_owned(),
        partition: message.partition(),
        offset: message.offset(),
        timestamp_ms: message.timestamp().to_millis(),
    }
}

/// Runs the pipeline on `message` on a blocking thread, once one of the `cpu` permits is free,
/// so CPU-bound work never stalls the async reactor and never exceeds `worker.cpu_threads`.
pub(crate) async fn handle_on_cpu(
    handler: &Arc<Handler>,
    cpu: &Semaphore,
    message: &Arc<OwnedMessage>,
    provenance: &Provenance,
) -> Outcome {
    let _cpu = cpu.acquire().await;
    let handler = handler.clone();
    let input = message.clone();
    let provenance = provenance.clone();
    tokio::task::spawn_blocking(move || {
        handler.handle(
            input.key(),
            input.payload().unwrap_or_default(),
            Some(provenance),
        )
    })
    .await
    .unwrap_or_else(|e| {
        Outcome::Failed(Failure::new(
            "worker",
            Reason::StageError,
            format!("processing task failed: {e}"),
        ))
    })
}

/// Publishes the outcome (the record, or the dead letter, also when the record is too large)
/// and counts it once the broker has acknowledged it.
async fn deliver(
    shared: &Shared,
    message: &OwnedMessage,
    provenance: &Provenance,
    outcome: Outcome,
) -> Result<(), SinkError> {
    if let Outcome::Record(processed) = &outcome {
        shared.metrics.observe_timings(&processed.timings);
    }
    shared
        .sink
        .publish_outcome(outcome, message, provenance)
        .await?
        .count(&shared.metrics);
    Ok(())
}
