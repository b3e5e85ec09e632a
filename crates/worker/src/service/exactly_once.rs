//! The exactly-once worker, read top-down: read a batch → open a transaction → process and
//! publish → add the input offsets → commit.
//!
//! [`run`] is chosen by `processing.guarantee = "exactly_once"`. It owns a transactional
//! producer (`transactional.id` from [`Config::transactional_id`]) and a consumer that never
//! commits by itself and reads with `isolation.level=read_committed`. Each turn of its loop:
//!
//! 1. **Read** up to `processing.transaction_max_messages` inputs, or whatever arrived within
//!    `processing.transaction_max_ms` of the first one. No transaction is open yet.
//! 2. **Begin** a transaction, run the pipeline on every input (on the
//!    `worker.cpu_threads` threads of a [`CpuPool`](super::cpu_pool::CpuPool), as in the
//!    at-least-once worker) and publish each record or dead letter through the transactional
//!    [`KafkaSink`], in per-key input order (see [`in_flight`](super::in_flight)), waiting for
//!    every acknowledgement.
//! 3. **Add the offsets**: `send_offsets_to_transaction` with the next offset of every partition
//!    read and the consumer's group metadata, so the group's committed offsets move only if the
//!    transaction commits.
//! 4. **Commit.** Records, dead letters and input offsets become visible together, or not at all.
//!    Only now are the outcomes counted in the metrics (`newsworker_records_produced_total`,
//!    `newsworker_dlq_records_total`, …).
//!
//! Consumers of the output and DLQ topics must read with `isolation.level=read_committed`
//! (librdkafka's default; the Java client's default is `read_uncommitted`): a
//! `read_uncommitted` reader also sees the records of aborted transactions, i.e. duplicates.
//!
//! # Failures
//!
//! Every transactional call's error is sorted by what librdkafka says of it:
//!
//! - *retriable* (a coordinator moved, a request timed out): the same call is made again, with
//!   backoff, until it succeeds;
//! - *abortable* (a send failed for good, the group's generation changed, …): the transaction is
//!   aborted, the consumer is rewound to the group's committed offsets (`committed()` then
//!   `seek`), and the batch is read and processed again;
//! - *fatal* (this producer was **fenced** because another process initialised the same
//!   `transactional.id`, or the broker refuses us): [`run`] returns an error and the process
//!   exits non-zero. Nothing is lost: the open transaction is aborted by the broker, and its
//!   inputs belong to the group's committed offsets.
//!
//! # Rebalances
//!
//! A transaction is opened only after its batch has been read, and librdkafka delivers rebalance
//! events only inside a consumer poll, i.e. while reading. So a revocation never meets an open
//! transaction: when one happens during the read, the inputs read so far are dropped (they may
//! belong to another member now, and are read again from the committed offsets by whoever owns
//! them) and the read starts over. The alternative, committing a transaction from inside the
//! revocation callback, would block the consumer's poll for a whole commit and gains nothing.
//!
//! # Shutdown
//!
//! On the [`Shutdown`] signal the read stops; inputs already read are processed and committed
//! as one last transaction, and [`run`] returns `Ok`. If that transaction cannot commit because
//! of a retriable error (a broker is down), it is aborted instead: its inputs are read again by
//! the next run. Either way nothing is committed twice and nothing is skipped.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use rdkafka::consumer::Consumer;
use rdkafka::error::KafkaError;
use rdkafka::message::{Message, OwnedMessage};
use rdkafka::producer::Producer;
use rdkafka::types::RDKafkaErrorCode;
use rdkafka::{Offset, TopicPartitionList};
use tokio::task::JoinSet;
use tokio::time::Instant;

use newsworker_extract::pipeline::doc::Provenance;
use newsworker_extract::Extractor;

use crate::config::Config;
use crate::ops::shutdown::Shutdown;
use crate::service::in_flight::{InFlight, Ticket};
use crate::service::processing::{observe_end_to_end, provenance, Processing};
use crate::service::setup::Operations;
use crate::service::topics::TopicUse;
use crate::sinks::kafka::{Delivered, KafkaSink, SinkError};
use crate::sources::kafka::{self, ArticleConsumer};

/// How long one blocking transactional call may take before it returns a retriable timeout, so
/// the loop can look at the shutdown flag between tries.
const CALL_TIMEOUT: Duration = Duration::from_secs(10);

/// When a blocking transactional call that has not returned is given up on.
const STUCK_AFTER: Duration = Duration::from_secs(60);

/// Everything the transaction's tasks need, shared by all of them.
struct Shared {
    processing: Processing,
    consumer: Arc<ArticleConsumer>,
    shutdown: Shutdown,
    transactional_id: String,
    max_messages: usize,
    max_wait: Duration,
    backoff: Duration,
    backoff_max: Duration,
}

/// What to do about a failed transactional call.
#[derive(Debug, PartialEq, Eq)]
enum Recovery {
    /// Make the same call again.
    Retry,
    /// Abort the transaction, rewind, redo.
    Abort,
    /// Stop the worker.
    Fatal,
}

/// How a transaction ended.
enum Ended {
    Committed,
    Aborted,
}

/// Runs the exactly-once worker until the shutdown flag of `operations` is set;
/// `make_extractor` is called once the broker answered and the topics were found. Returns an
/// error when the producer hit a fatal error (fencing, authorisation), with what to check in
/// the message.
pub async fn run(
    config: &Config,
    operations: &Operations,
    make_extractor: impl FnOnce() -> anyhow::Result<Arc<Extractor>>,
) -> anyhow::Result<()> {
    let Some(shared) = start(config, operations, make_extractor).await? else {
        return Ok(());
    };
    init_transactions(&shared).await?;
    tracing::info!(
        topic = %config.kafka.input_topic,
        group = %config.kafka.group_id,
        output = %config.kafka.output_topic,
        dlq = %config.kafka.dlq_topic,
        transactional_id = %shared.transactional_id,
        "exactly-once worker started"
    );
    transact_until_shutdown(&shared).await
}

/// Connects with a transactional producer, checks the topics, builds the extractor and joins
/// the group; `None` when shutdown came first.
async fn start(
    config: &Config,
    operations: &Operations,
    make_extractor: impl FnOnce() -> anyhow::Result<Arc<Extractor>>,
) -> anyhow::Result<Option<Arc<Shared>>> {
    let Operations {
        metrics,
        health,
        shutdown,
    } = operations;
    let transactional_id = config.transactional_id()?;
    let sink = KafkaSink::transactional(
        config,
        &config.kafka.output_topic,
        &transactional_id,
        health.clone(),
        metrics.clone(),
    )?;
    let topics = [
        TopicUse::input(&config.kafka.input_topic, "kafka.input_topic"),
        TopicUse::records(&config.kafka.output_topic, "kafka.output_topic"),
        TopicUse::dead_letters(&config.kafka.dlq_topic, "kafka.dlq_topic"),
    ];
    if !sink
        .connect(&config.kafka.brokers, &topics, health, shutdown)
        .await?
    {
        return Ok(None);
    }
    let consumer = Arc::new(kafka::subscribe_read_committed(
        config,
        metrics.clone(),
        health.clone(),
    )?);
    let processing = Processing::new(
        make_extractor()?,
        sink,
        metrics.clone(),
        config.cpu_threads(),
    )?;
    Ok(Some(Arc::new(Shared {
        processing,
        consumer,
        shutdown: shutdown.clone(),
        transactional_id,
        max_messages: config.processing.transaction_max_messages.max(1),
        max_wait: Duration::from_millis(config.processing.transaction_max_ms),
        backoff: Duration::from_millis(config.worker.retry_backoff_ms.max(1)),
        backoff_max: Duration::from_millis(config.worker.retry_backoff_max_ms.max(1)),
    })))
}

/// The loop: read a batch, process and commit it in a transaction, back off after an abort.
async fn transact_until_shutdown(shared: &Arc<Shared>) -> anyhow::Result<()> {
    let mut backoff = shared.backoff;
    while !shared.shutdown.is_triggered() {
        let batch = read_batch(shared).await?;
        if batch.is_empty() {
            continue;
        }
        match transact(shared, batch).await? {
            Ended::Committed => backoff = shared.backoff,
            Ended::Aborted => {
                tokio::select! {
                    _ = tokio::time::sleep(backoff) => {}
                    _ = shared.shutdown.wait() => {}
                }
                backoff = (backoff * 2).min(shared.backoff_max);
            }
        }
    }
    tracing::info!("exactly-once worker stopped cleanly");
    Ok(())
}

/// Registers the `transactional.id` with its coordinator. This fences any earlier producer with
/// the same id and aborts the transaction it left open.
async fn init_transactions(shared: &Shared) -> anyhow::Result<()> {
    let mut backoff = shared.backoff;
    loop {
        let producer = shared.processing.sink.producer().clone();
        let result = blocking(move || producer.init_transactions(CALL_TIMEOUT)).await;
        let error = match result {
            Ok(()) => return Ok(()),
            Err(e) => e,
        };
        if recovery(&error) != Recovery::Retry || shared.shutdown.is_triggered() {
            return Err(fatal(shared, "initialising transactions", &error));
        }
        tracing::warn!(error = %error, "init_transactions failed; retrying");
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(shared.backoff_max);
    }
}

/// Reads one batch: up to `max_messages`, or what arrives within `max_wait` of the first
/// message, or what was read when shutdown is triggered. A revocation during the read drops
/// what was read so far. Fails when the consumer is in a fatal state (no transaction is open
/// then, and what was read is read again by the next run).
async fn read_batch(shared: &Shared) -> anyhow::Result<Vec<OwnedMessage>> {
    let consumer = &shared.consumer;
    let mut batch: Vec<OwnedMessage> = Vec::new();
    let mut revocations = consumer.context().revocations();
    let mut deadline: Option<Instant> = None;
    while batch.len() < shared.max_messages {
        let received = tokio::select! {
            received = consumer.recv() => received,
            _ = sleep_until(deadline) => break,
            _ = shared.shutdown.wait() => break,
        };
        let now = consumer.context().revocations();
        if now != revocations {
            revocations = now;
            if !batch.is_empty() {
                tracing::info!(
                    dropped = batch.len(),
                    "partitions revoked while reading; the inputs read are left to their new owner"
                );
                shared.processing.metrics.in_flight.sub(batch.len() as i64);
                batch.clear();
                deadline = None;
            }
        }
        match received {
            Ok(message) => {
                shared
                    .processing
                    .metrics
                    .articles_consumed
                    .with_label_values(&[message.topic()])
                    .inc();
                shared.processing.metrics.in_flight.inc();
                deadline.get_or_insert_with(|| Instant::now() + shared.max_wait);
                batch.push(message.detach());
            }
            Err(e) => {
                if let Some(fatal) = kafka::fatal_error(consumer) {
                    anyhow::bail!("exactly-once worker stopped: {fatal}");
                }
                tracing::warn!(error = %e, "consume error");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
    Ok(batch)
}

/// Resolves at `deadline`, or never when there is none.
async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline).await,
        None => std::future::pending().await,
    }
}

/// Processes and publishes one batch in one transaction, and commits it together with the
/// batch's input offsets. Returns how it ended; an error only when the worker must stop.
async fn transact(shared: &Arc<Shared>, batch: Vec<OwnedMessage>) -> anyhow::Result<Ended> {
    let count = batch.len();
    let ended = match publish_and_commit(shared, &batch).await {
        Ok(outcomes) => {
            for (provenance, delivered) in &outcomes {
                delivered.count(&shared.processing.metrics);
                observe_end_to_end(&shared.processing.metrics, provenance);
            }
            shared.processing.sink.forget_refusals();
            shared
                .processing
                .metrics
                .transactions
                .with_label_values(&["committed"])
                .inc();
            shared
                .processing
                .metrics
                .offset_commits
                .with_label_values(&["ok"])
                .inc();
            tracing::debug!(inputs = count, "transaction committed");
            Ok(Ended::Committed)
        }
        Err(Stop::Abort { produced, error }) => {
            tracing::warn!(inputs = count, error = %error, "aborting the transaction; its inputs are processed again");
            shared
                .processing
                .metrics
                .offset_commits
                .with_label_values(&["error"])
                .inc();
            abort_and_rewind(shared, &batch).await.map(|()| {
                shared
                    .processing
                    .metrics
                    .transactions
                    .with_label_values(&["aborted"])
                    .inc();
                shared.processing.metrics.aborted_outputs.inc_by(produced);
                Ended::Aborted
            })
        }
        Err(Stop::Fatal(e)) => Err(e),
    };
    shared.processing.metrics.in_flight.sub(count as i64);
    ended
}

/// Why a transaction did not commit.
enum Stop {
    /// It must be aborted; `produced` outputs were written in it.
    Abort { produced: u64, error: String },
    /// The worker must stop.
    Fatal(anyhow::Error),
}

/// Steps 2 to 4: begin, publish every outcome, add the offsets, commit.
async fn publish_and_commit(
    shared: &Arc<Shared>,
    batch: &[OwnedMessage],
) -> Result<Vec<(Provenance, Delivered)>, Stop> {
    let producer = shared.processing.sink.producer().clone();
    producer
        .begin_transaction()
        .map_err(|e| stop(shared, "beginning a transaction", &e, 0))?;
    let outcomes = publish_batch(shared, batch).await?;
    let produced = outcomes.len() as u64;
    let offsets = next_offsets(batch).map_err(|e| stop(shared, "listing offsets", &e, produced))?;
    let Some(group) = shared.consumer.group_metadata() else {
        return Err(Stop::Abort {
            produced,
            error: "the consumer has no group metadata (not a group member)".into(),
        });
    };
    let offsets = Arc::new(offsets);
    let group = Arc::new(group);
    retrying(
        shared,
        "sending offsets to the transaction",
        produced,
        || {
            let (producer, offsets, group) = (producer.clone(), offsets.clone(), group.clone());
            move || producer.send_offsets_to_transaction(&offsets, &group, CALL_TIMEOUT)
        },
    )
    .await?;
    retrying(shared, "committing the transaction", produced, || {
        let producer = producer.clone();
        move || producer.commit_transaction(CALL_TIMEOUT)
    })
    .await?;
    Ok(outcomes)
}

/// Extracts and publishes every input of `batch` inside the open transaction — outcomes of one
/// key in input order, as in the at-least-once loop — and waits for every acknowledgement.
async fn publish_batch(
    shared: &Arc<Shared>,
    batch: &[OwnedMessage],
) -> Result<Vec<(Provenance, Delivered)>, Stop> {
    let in_flight = Arc::new(InFlight::new());
    let tickets: Vec<Ticket> = {
        let mut tracker = in_flight.lock();
        batch
            .iter()
            .map(|m| tracker.begin(m.topic(), m.partition(), m.offset(), m.key()))
            .collect()
    };
    let mut tasks = JoinSet::new();
    for (message, ticket) in batch.iter().zip(tickets) {
        let (shared, in_flight) = (shared.clone(), in_flight.clone());
        let message = Arc::new(message.clone());
        tasks.spawn(async move {
            let provenance = provenance(&message);
            let delivered = shared
                .processing
                .process(&message, &provenance, &in_flight, &ticket)
                .await;
            in_flight.update(|t| match &delivered {
                Ok(_) => {
                    t.complete(&ticket);
                }
                Err(_) => t.fail(&ticket),
            });
            (provenance, delivered)
        });
    }
    let mut outcomes = Vec::with_capacity(batch.len());
    let mut failure: Option<SinkError> = None;
    while let Some(joined) = tasks.join_next().await {
        match joined {
            // Only after an earlier outcome of its key failed: the transaction aborts anyway,
            // and must not commit this input's offset without its outcome.
            Ok((_, Ok(Delivered::Withdrawn))) => {
                failure.get_or_insert(SinkError::Abort(KafkaError::Canceled));
            }
            Ok((provenance, Ok(delivered))) => outcomes.push((provenance, delivered)),
            Ok((_, Err(e))) => {
                // A fatal error outranks an abortable one.
                if !matches!(failure, Some(SinkError::Fatal(_))) {
                    failure = Some(e);
                }
            }
            Err(e) => {
                failure.get_or_insert(SinkError::Abort(KafkaError::Canceled));
                tracing::error!(error = %e, "a processing task failed");
            }
        }
    }
    let produced = outcomes.len() as u64;
    match failure {
        Some(SinkError::Fatal(e)) => Err(Stop::Fatal(fatal(shared, "publishing", &e))),
        Some(SinkError::Abort(e)) => Err(Stop::Abort {
            produced,
            error: e.to_string(),
        }),
        None => Ok(outcomes),
    }
}

/// Makes the blocking call `make()` builds until it succeeds, retrying retriable errors with
/// backoff. During shutdown a retriable error is not retried: the transaction is aborted and
/// its inputs left to the next run.
async fn retrying<F, C>(shared: &Shared, what: &str, produced: u64, make: F) -> Result<(), Stop>
where
    F: Fn() -> C,
    C: FnOnce() -> Result<(), KafkaError> + Send + 'static,
{
    let mut backoff = shared.backoff;
    loop {
        let error = match blocking(make()).await {
            Ok(()) => return Ok(()),
            Err(e) => e,
        };
        if recovery(&error) != Recovery::Retry || shared.shutdown.is_triggered() {
            return Err(stop(shared, what, &error, produced));
        }
        tracing::warn!(error = %error, "{what} failed; retrying");
        shared.processing.metrics.produce_retries.inc();
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(shared.backoff_max);
    }
}

/// The next offset to read of every partition in the batch: one past its last message.
fn next_offsets(batch: &[OwnedMessage]) -> Result<TopicPartitionList, KafkaError> {
    let mut next: BTreeMap<(&str, i32), i64> = BTreeMap::new();
    for m in batch {
        let entry = next.entry((m.topic(), m.partition())).or_insert(0);
        *entry = (*entry).max(m.offset() + 1);
    }
    let mut tpl = TopicPartitionList::new();
    for ((topic, partition), offset) in next {
        tpl.add_partition_offset(topic, partition, Offset::Offset(offset))?;
    }
    Ok(tpl)
}

/// Aborts the open transaction, then moves the consumer back to the group's committed offsets
/// of the batch's partitions, so the batch is read again. Where the group has no committed
/// offset yet (a partition's first transaction), the batch's first offset of that partition is
/// used: the same position, since the consumer read it from there.
async fn abort_and_rewind(shared: &Shared, batch: &[OwnedMessage]) -> anyhow::Result<()> {
    let mut backoff = shared.backoff;
    loop {
        let producer = shared.processing.sink.producer().clone();
        let error = match blocking(move || producer.abort_transaction(CALL_TIMEOUT)).await {
            Ok(()) => break,
            Err(e) => e,
        };
        if recovery(&error) != Recovery::Retry {
            return Err(fatal(shared, "aborting the transaction", &error));
        }
        if shared.shutdown.is_triggered() {
            // The broker aborts it after transaction.timeout.ms, or the next run's
            // init_transactions does at once; its inputs were never committed.
            tracing::warn!(error = %error, "could not abort the transaction before stopping");
            return Ok(());
        }
        tracing::warn!(error = %error, "abort_transaction failed; retrying");
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(shared.backoff_max);
    }

    let mut first: BTreeMap<(String, i32), i64> = BTreeMap::new();
    for m in batch {
        let entry = first
            .entry((m.topic().to_owned(), m.partition()))
            .or_insert(m.offset());
        *entry = (*entry).min(m.offset());
    }
    let consumer = shared.consumer.clone();
    let rewound = blocking(move || {
        let mut partitions = TopicPartitionList::new();
        for (topic, partition) in first.keys() {
            partitions.add_partition(topic, *partition);
        }
        let committed = consumer.committed_offsets(partitions, CALL_TIMEOUT)?;
        let mut positions = TopicPartitionList::new();
        for ((topic, partition), first_read) in &first {
            let position = match committed
                .find_partition(topic, *partition)
                .map(|e| e.offset())
            {
                Some(Offset::Offset(committed)) => committed,
                _ => *first_read,
            };
            positions.add_partition_offset(topic, *partition, Offset::Offset(position))?;
        }
        drop(committed);
        let sought = consumer.seek_partitions(positions, CALL_TIMEOUT)?;
        let failed: Vec<String> = sought
            .elements()
            .iter()
            .filter_map(|e| {
                e.error()
                    .err()
                    .map(|err| format!("{}/{}: {err}", e.topic(), e.partition()))
            })
            .collect();
        drop(sought);
        if failed.is_empty() {
            Ok(())
        } else {
            Err(KafkaError::Seek(failed.join(", ")))
        }
    })
    .await;
    if let Err(e) = rewound {
        // Without the rewind the consumer would go on after the aborted batch and skip it.
        return Err(anyhow::anyhow!(
            "could not rewind the consumer after an aborted transaction: {e}"
        ));
    }
    Ok(())
}

/// Runs a blocking librdkafka call off the async reactor. A call that has not returned long
/// after its own timeout (librdkafka does not bound every internal wait) counts as
/// [`KafkaError::Canceled`], which stops the worker: librdkafka allows one transactional call
/// at a time, so nothing else can be done with this producer.
async fn blocking<F>(call: F) -> Result<(), KafkaError>
where
    F: FnOnce() -> Result<(), KafkaError> + Send + 'static,
{
    match tokio::time::timeout(STUCK_AFTER, tokio::task::spawn_blocking(call)).await {
        Ok(joined) => joined.unwrap_or(Err(KafkaError::Canceled)),
        Err(_) => Err(KafkaError::Canceled),
    }
}

/// What librdkafka says to do about `error`. Errors it does not classify abort the transaction
/// (the abort's own result then decides whether the worker can go on).
fn recovery(error: &KafkaError) -> Recovery {
    match error {
        KafkaError::Canceled => Recovery::Fatal,
        KafkaError::Transaction(e) if e.is_fatal() => Recovery::Fatal,
        KafkaError::Transaction(e) if e.txn_requires_abort() => Recovery::Abort,
        KafkaError::Transaction(e) if e.is_retriable() => Recovery::Retry,
        // rust-rdkafka flushes before committing; a flush that timed out can be tried again.
        KafkaError::Flush(_) => Recovery::Retry,
        _ => Recovery::Abort,
    }
}

/// The [`Stop`] for a failed call of a transaction with `produced` outputs.
fn stop(shared: &Shared, what: &str, error: &KafkaError, produced: u64) -> Stop {
    if recovery(error) == Recovery::Fatal
        || shared
            .processing
            .sink
            .producer()
            .client()
            .fatal_error()
            .is_some()
    {
        Stop::Fatal(fatal(shared, what, error))
    } else {
        Stop::Abort {
            produced,
            error: format!("{what}: {error}"),
        }
    }
}

/// The error [`run`] returns for a fatal `error` while doing `what`, saying what to check.
fn fatal(shared: &Shared, what: &str, error: &KafkaError) -> anyhow::Error {
    let id = &shared.transactional_id;
    let (code, reason) = shared
        .processing
        .sink
        .producer()
        .client()
        .fatal_error()
        .unwrap_or((
            error.rdkafka_error_code().unwrap_or(RDKafkaErrorCode::Fail),
            error.to_string(),
        ));
    let fenced = matches!(
        code,
        RDKafkaErrorCode::Fenced
            | RDKafkaErrorCode::ProducerFenced
            | RDKafkaErrorCode::InvalidProducerEpoch
    );
    if *error == KafkaError::Canceled {
        anyhow::anyhow!(
            "a call of the transactional producer `{id}` did not return within {}s while \
             {what}; stopping (a restart fences the unfinished transaction)",
            STUCK_AFTER.as_secs()
        )
    } else if fenced {
        anyhow::anyhow!(
            "the transactional producer `{id}` was fenced while {what}: another process \
             initialised the same transactional.id ({reason}). Every running instance needs its \
             own processing.transactional_id; this instance stops so the newer one can go on"
        )
    } else {
        anyhow::anyhow!(
            "fatal error of the transactional producer `{id}` while {what}: {reason} \
             (check the broker's ACLs for transactional id `{id}` and its transaction support)"
        )
    }
}
