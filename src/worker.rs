//! The streaming worker, read top-down: consume → process → publish → store offset.
//!
//! [`run`] subscribes to the input topic and loops: take an in-flight permit (at most
//! `worker.max_in_flight` articles are between "read" and "acknowledged", so a slow sink stops
//! the reading instead of growing memory), receive a message, note it in the in-flight tracker,
//! and hand it to a task. The task runs the CPU-bound pipeline on a blocking thread — at most
//! `worker.cpu_threads` at once, so the async reactor stays responsive — publishes the record
//! or the dead letter once no earlier message of the same key is in flight (per-key order, see
//! `offsets.rs`), waits for the broker's acknowledgement, and only then lets the tracker move
//! the partition's committable position.
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
use crate::offsets::{InFlight, Ticket};
use crate::pipeline::doc::Provenance;
use crate::replay::Progress;
use crate::shutdown::Shutdown;
use crate::sinks::kafka::{Delivered, KafkaSink, SinkError, Slot};
use crate::sources::kafka::{self, ArticleConsumer, Revocation};
use crate::topics::TopicUse;

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
    handler: Arc<Handler>,
    sink: KafkaSink,
    consumer: Arc<ArticleConsumer>,
    in_flight: Arc<InFlight>,
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
            let tracker = self.in_flight.lock();
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
    tokio::spawn(async move {
        run(
            &config,
            || Ok(handler),
            metrics,
            health,
            shutdown,
            Intake::Live,
        )
        .await
    })
}

/// Runs the worker until `shutdown` is triggered. `make_handler` is called once the broker
/// answered and the topics were found, so a wrong address or a missing topic is reported
/// before the models load. Returns an error when it stopped because of a fatal Kafka error.
pub async fn run(
    config: &Config,
    make_handler: impl FnOnce() -> anyhow::Result<Arc<Handler>>,
    metrics: Arc<Metrics>,
    health: Arc<Health>,
    shutdown: Shutdown,
    intake: Intake,
) -> anyhow::Result<()> {
    let in_flight = Arc::new(InFlight::new());
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
        .connect(&config.kafka.brokers, &topics, &health, &shutdown)
        .await?
    {
        return Ok(());
    }
    let revocation = Revocation::new(in_flight.clone(), sink.flusher());
    let consumer = Arc::new(match &progress {
        None => kafka::subscribe(config, metrics.clone(), health, revocation)?,
        Some(p) => kafka::assign(config, p.plan(), metrics.clone(), health, revocation)?,
    });
    let handler = make_handler()?;
    metrics.declare_stages(&handler.pipeline().stage_names());
    let shared = Arc::new(Shared {
        handler,
        sink,
        consumer: consumer.clone(),
        in_flight,
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
    shared.in_flight.lock().begin(
        message.topic(),
        message.partition(),
        message.offset(),
        message.key(),
    )
}

/// Processes one message to the end: pipeline, publish in its turn, acknowledge.
async fn process(shared: &Shared, message: OwnedMessage, ticket: Ticket) {
    let provenance = provenance(&message);
    let message = Arc::new(message);
    let identified = {
        let (in_flight, ticket) = (shared.in_flight.clone(), ticket.clone());
        move |id: Option<&str>| in_flight.update(|t| t.identify(&ticket, id))
    };
    let outcome = handle_on_cpu(
        &shared.handler,
        &shared.cpu,
        &message,
        &provenance,
        identified,
    )
    .await;
    let slot = Slot {
        in_flight: &shared.in_flight,
        ticket: &ticket,
    };
    let delivered = deliver(shared, &message, &provenance, outcome, slot).await;
    shared.metrics.in_flight.dec();
    match delivered {
        Ok(Delivered::Withdrawn) => {
            tracing::debug!(
                offset = ticket.offset,
                "withdrawn: processed again by the partition's owner"
            );
        }
        Ok(delivered) => {
            delivered.count(&shared.metrics);
            observe_end_to_end(&shared.metrics, &provenance);
            let position = shared.in_flight.update(|t| t.complete(&ticket));
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
/// `identified` learns the article id as soon as the envelope is parsed.
pub(crate) async fn handle_on_cpu(
    handler: &Arc<Handler>,
    cpu: &Semaphore,
    message: &Arc<OwnedMessage>,
    provenance: &Provenance,
    identified: impl FnOnce(Option<&str>) + Send + 'static,
) -> Outcome {
    let _cpu = cpu.acquire().await;
    let handler = handler.clone();
    let input = message.clone();
    let provenance = provenance.clone();
    tokio::task::spawn_blocking(move || {
        handler.handle_identified(
            input.key(),
            input.payload().unwrap_or_default(),
            Some(provenance),
            identified,
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
/// in its turn of `slot`; says what was written once the broker has acknowledged it.
async fn deliver(
    shared: &Shared,
    message: &OwnedMessage,
    provenance: &Provenance,
    outcome: Outcome,
    slot: Slot<'_>,
) -> Result<Delivered, SinkError> {
    if let Outcome::Record(processed) = &outcome {
        shared.metrics.observe_timings(&processed.timings);
    }
    shared
        .sink
        .publish_outcome(outcome, message, provenance, slot)
        .await
}
