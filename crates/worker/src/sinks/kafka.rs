//! The Kafka sink: records to the output topic, dead letters to the DLQ topic.
//!
//! Each send waits for the broker's acknowledgement, because the worker commits an input's
//! offset only once its outcome is safely stored. librdkafka already retries transient errors
//! within `message.timeout.ms`; when even that runs out (a broker down for minutes), the sink
//! retries again with exponential backoff, indefinitely: the article stays in flight, the
//! in-flight bound stops the consumer, lag grows and the alerts fire — nothing is lost. Errors
//! librdkafka declares fatal (fenced idempotent producer, authorisation failures) stop the
//! worker with the error instead: no retry can fix them.
//!
//! A message the broker refuses as too large is not retried: a record that is too large
//! becomes a dead letter (`record_too_large`), and a dead letter that is too large (huge
//! original headers) is sent again without the original headers (but with their trace
//! context), then without the value, saying so in its own headers.
//!
//! Records and dead letters name their input and carry its trace context in headers (see
//! [`headers`](super::headers)).
//!
//! **Per-key order.** Every send goes through the input's [`Slot`] in the worker's in-flight
//! bookkeeping (`offsets.rs`): it first waits until no earlier input of its partition can still
//! publish under the same key, and the message is handed to librdkafka only while the input's
//! partition is still assigned, atomically with that check. An outcome whose turn never comes
//! (its partition was revoked, or an earlier outcome of its key failed for good) is
//! [`Delivered::Withdrawn`]: not written, not committed, processed again by the partition's
//! next owner.
//!
//! A *transactional* sink (exactly-once mode, see `transactional.rs`) differs in two ways. It
//! never retries a failed send: inside a transaction a message librdkafka gave up on leaves the
//! transaction unable to commit, so the error ([`SinkError::Abort`]) goes to the caller, which
//! aborts and redoes the whole transaction. And since a size refusal by the broker dooms the
//! transaction too, the sink remembers, per input, how many of its attempts were refused as
//! too large, so the redo starts at the first attempt not yet refused instead of failing the
//! same way forever; the caller forgets these refusals once a transaction commits.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rdkafka::client::ClientContext;
use rdkafka::error::KafkaError;
use rdkafka::message::{Header, Headers, Message, OwnedHeaders, OwnedMessage};
use rdkafka::producer::{DeliveryFuture, FutureProducer, FutureRecord, Producer};
use rdkafka::statistics::Statistics;
use rdkafka::types::RDKafkaErrorCode;
use rdkafka::util::Timeout;
use std::sync::Arc;

use crate::config::{ClientKind, Config};
use crate::ops::http::Health;
use crate::ops::metrics::Metrics;
use crate::ops::shutdown::Shutdown;
use crate::service::in_flight::{InFlight, Output, Ticket};
use crate::service::topics::{self, TopicUse};
use crate::sinks::dlq::failure_headers;
use crate::sinks::headers::{append, source_headers, trace_context};
use newsworker_extract::contract::failure::{Failure, Reason};
use newsworker_extract::pipeline::doc::Provenance;
use newsworker_extract::Outcome;

/// How long start-up waits for a broker to answer before giving up with an error.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

/// How long a revocation waits for the outputs already handed to the producer to be written.
/// Longer only delays the rebalance; what is still undelivered after it may land after the
/// next owner's outputs of the same key (a broker that stays unreachable that long).
pub const REVOCATION_FLUSH: Duration = Duration::from_secs(10);

/// Callbacks of the producer.
pub struct SinkContext {
    health: Arc<Health>,
    /// The last error librdkafka reported for the client as a whole (a refused certificate, a
    /// failed login), so a failed start-up can say what actually went wrong.
    last_error: Arc<Mutex<Option<ClientError>>>,
}

/// An error librdkafka reported for the client as a whole.
#[derive(Clone, Debug)]
struct ClientError {
    reason: String,
    /// The broker refused the login: no retry with the same credentials can succeed, so the
    /// start-up stops at once instead of waiting out [`CONNECT_TIMEOUT`].
    refused_login: bool,
}

impl ClientContext for SinkContext {
    fn stats(&self, statistics: Statistics) {
        let up = statistics.brokers.values().any(|b| b.state == "UP");
        self.health.set_producer_connected(up);
    }

    fn error(&self, error: KafkaError, reason: &str) {
        tracing::error!(%error, "librdkafka: {reason}");
        // "All brokers are down" follows every specific failure; keep the specific one.
        if matches!(error, KafkaError::Global(RDKafkaErrorCode::AllBrokersDown)) {
            return;
        }
        if let Ok(mut last) = self.last_error.lock() {
            *last = Some(ClientError {
                reason: reason.to_owned(),
                refused_login: matches!(
                    error,
                    KafkaError::Global(RDKafkaErrorCode::Authentication)
                ),
            });
        }
    }
}

/// A send that cannot succeed by retrying.
#[derive(Debug, thiserror::Error)]
pub enum SinkError {
    /// librdkafka reported a fatal error, or the broker refused us for good.
    #[error("fatal producer error: {0}")]
    Fatal(KafkaError),
    /// A transactional send failed: the open transaction must be aborted and redone.
    #[error("send failed inside a transaction, which must be aborted: {0}")]
    Abort(KafkaError),
}

/// What an input became on the broker.
#[derive(Debug)]
pub enum Delivered {
    /// Its record.
    Record,
    /// A dead letter, for this failure.
    DeadLetter(Failure),
    /// Nothing: its turn never came (see [`Slot`]); the input stays uncommitted.
    Withdrawn,
}

impl Delivered {
    /// Counts the outcome in the produced-records or dead-letter series.
    pub fn count(&self, metrics: &Metrics) {
        match self {
            Delivered::Record => metrics.records_produced.inc(),
            Delivered::DeadLetter(failure) => {
                metrics
                    .dlq_records
                    .with_label_values(&[failure.reason.as_str()])
                    .inc();
                metrics
                    .stage_failures
                    .with_label_values(&[failure.stage])
                    .inc();
            }
            Delivered::Withdrawn => {}
        }
    }
}

/// An input's place in its topic: the key of the transactional sink's size refusals.
type InputPosition = (String, i32, i64);

/// What happened to a record.
#[derive(Debug, PartialEq, Eq)]
pub enum Published {
    /// The broker acknowledged it.
    Acknowledged,
    /// The broker refused it as too large; it must go to the DLQ instead.
    TooLarge,
    /// Not sent: its turn never came.
    Withdrawn,
}

/// An input's place in the worker's in-flight bookkeeping, through which each of its outputs
/// is sent: in per-key order, and never after its partition was revoked.
#[derive(Clone, Copy)]
pub struct Slot<'a> {
    /// The bookkeeping of the worker (or of one transaction).
    pub in_flight: &'a InFlight,
    /// The input.
    pub ticket: &'a Ticket,
}

/// A record to publish, with what its headers say of its input.
pub struct RecordOut<'a> {
    /// The article id, the record's key.
    pub id: &'a str,
    /// The record.
    pub json: &'a [u8],
    /// The input's headers, for their trace context.
    pub input_headers: Option<&'a OwnedHeaders>,
    /// Where the input came from.
    pub provenance: &'a Provenance,
}

/// An input that failed, as the DLQ needs it.
struct DeadLetter<'a> {
    /// The input's key.
    pub key: Option<&'a [u8]>,
    /// The input's value.
    pub value: Option<&'a [u8]>,
    /// The input's headers.
    pub headers: Option<&'a OwnedHeaders>,
    /// Where the input came from.
    pub provenance: &'a Provenance,
    /// What went wrong.
    pub failure: &'a Failure,
}

/// The producer of records and dead letters.
pub struct KafkaSink {
    producer: FutureProducer<SinkContext>,
    output_topic: String,
    dlq_topic: String,
    backoff: Duration,
    backoff_max: Duration,
    metrics: Arc<Metrics>,
    /// Transactional sinks only: how many attempts of each input the broker refused as too large.
    refusals: Option<Mutex<HashMap<InputPosition, usize>>>,
    /// Shared with the producer's [`SinkContext`], which records it.
    last_error: Arc<Mutex<Option<ClientError>>>,
}

impl KafkaSink {
    /// Creates the producer. Idempotence is on unless the configuration turns it off, so
    /// librdkafka's own retries never duplicate or reorder a record.
    pub fn new(
        config: &Config,
        output_topic: &str,
        health: Arc<Health>,
        metrics: Arc<Metrics>,
    ) -> Result<Self, KafkaError> {
        Self::create(config, output_topic, None, health, metrics)
    }

    /// Creates a transactional producer with `transactional_id` (idempotence is then always
    /// on). The caller owns the transactions: [`Self::producer`] gives it the producer for
    /// `init_transactions`, `begin_transaction`, `send_offsets_to_transaction` and the commit.
    pub fn transactional(
        config: &Config,
        output_topic: &str,
        transactional_id: &str,
        health: Arc<Health>,
        metrics: Arc<Metrics>,
    ) -> Result<Self, KafkaError> {
        Self::create(
            config,
            output_topic,
            Some(transactional_id),
            health,
            metrics,
        )
    }

    fn create(
        config: &Config,
        output_topic: &str,
        transactional_id: Option<&str>,
        health: Arc<Health>,
        metrics: Arc<Metrics>,
    ) -> Result<Self, KafkaError> {
        let mut client = config.client_config(ClientKind::Producer);
        // Defaults the configuration may override. (Not by copying `config_map()` into a new
        // configuration: rust-rdkafka gives secrets there as a placeholder, which was then sent
        // to the broker as the SASL password.)
        for (key, value) in [("enable.idempotence", "true"), ("acks", "all")] {
            if client.get(key).is_none() {
                client.set(key, value);
            }
        }
        if let Some(id) = transactional_id {
            client
                .set("transactional.id", id)
                .set("enable.idempotence", "true");
        }
        let last_error = Arc::new(Mutex::new(None));
        let producer = client.create_with_context(SinkContext {
            health,
            last_error: last_error.clone(),
        })?;
        Ok(KafkaSink {
            producer,
            output_topic: output_topic.to_owned(),
            dlq_topic: config.kafka.dlq_topic.clone(),
            backoff: Duration::from_millis(config.worker.retry_backoff_ms.max(1)),
            backoff_max: Duration::from_millis(config.worker.retry_backoff_max_ms.max(1)),
            metrics,
            refusals: transactional_id.map(|_| Mutex::new(HashMap::new())),
            last_error,
        })
    }

    /// The last error librdkafka reported for the client as a whole, if any.
    fn last_error(&self) -> Option<ClientError> {
        self.last_error.lock().ok().and_then(|last| last.clone())
    }

    /// Whether the broker refused the producer's login.
    fn login_refused(&self) -> bool {
        self.last_error().is_some_and(|last| last.refused_login)
    }

    /// The producer, for the transaction calls of a transactional sink.
    pub fn producer(&self) -> &FutureProducer<SinkContext> {
        &self.producer
    }

    /// Forgets the size refusals remembered for redone transactions; call after a commit.
    pub fn forget_refusals(&self) {
        if let Some(refusals) = &self.refusals {
            refusals.lock().unwrap_or_else(|p| p.into_inner()).clear();
        }
    }

    /// Publishes an input's outcome: its record, or a dead letter when it failed or its record
    /// is too large, each in its turn of `slot`. Returns what was written, for the caller to
    /// count once it is durable.
    pub async fn publish_outcome(
        &self,
        outcome: Outcome,
        input: &OwnedMessage,
        provenance: &Provenance,
        slot: Slot<'_>,
    ) -> Result<Delivered, SinkError> {
        let position = (
            provenance.topic.clone(),
            provenance.partition,
            provenance.offset,
        );
        let refused = self.refused(&position);
        let (failure, letter_attempts_refused) = match outcome {
            Outcome::Record(processed) => {
                let refused_before = refused > 0;
                if !refused_before {
                    let record = RecordOut {
                        id: &processed.id,
                        json: &processed.bytes,
                        input_headers: input.headers(),
                        provenance,
                    };
                    match self.publish_record(&record, slot).await? {
                        Published::Acknowledged => return Ok(Delivered::Record),
                        Published::Withdrawn => return Ok(Delivered::Withdrawn),
                        Published::TooLarge => self.note_refusal(&position),
                    }
                }
                let failure = Failure::new(
                    "record",
                    Reason::RecordTooLarge,
                    format!(
                        "the record of {} bytes is larger than the broker accepts",
                        processed.bytes.len()
                    ),
                );
                (failure, refused.saturating_sub(1))
            }
            Outcome::Failed(failure) => (failure, refused),
        };
        tracing::debug!(offset = provenance.offset, %failure, "dead letter");
        let letter = DeadLetter {
            key: input.key(),
            value: input.payload(),
            headers: input.headers(),
            provenance,
            failure: &failure,
        };
        match self
            .send_dead_letter(&letter, letter_attempts_refused, &position, slot)
            .await?
        {
            Published::Acknowledged => Ok(Delivered::DeadLetter(failure)),
            Published::Withdrawn => Ok(Delivered::Withdrawn),
            Published::TooLarge => unreachable!("send_dead_letter never answers TooLarge"),
        }
    }

    fn refused(&self, position: &InputPosition) -> usize {
        self.refusals.as_ref().map_or(0, |r| {
            r.lock()
                .unwrap_or_else(|p| p.into_inner())
                .get(position)
                .copied()
                .unwrap_or(0)
        })
    }

    fn note_refusal(&self, position: &InputPosition) {
        if let Some(refusals) = &self.refusals {
            *refusals
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .entry(position.clone())
                .or_default() += 1;
        }
    }

    /// Waits until a broker of `brokers` answers, then checks that every topic of `topics`
    /// exists: `Ok(true)`, or `Ok(false)` when `shutdown` comes first. A wrong address, an
    /// untrusted certificate or a refused login fails here, at start-up, with an error that says
    /// which (librdkafka's last word on the matter); so does a missing topic, named with the
    /// command that creates it.
    pub async fn connect(
        &self,
        brokers: &str,
        topics: &[TopicUse<'_>],
        health: &Health,
        shutdown: &Shutdown,
    ) -> anyhow::Result<bool> {
        let deadline = Instant::now() + CONNECT_TIMEOUT;
        // Short attempts, so a shutdown never waits on a blocked metadata request. All topics
        // are asked for: a request naming one could create it on a broker that auto-creates.
        let listed = loop {
            let producer = self.producer.clone();
            let attempt = tokio::task::spawn_blocking(move || {
                producer
                    .client()
                    .fetch_metadata(None, Timeout::After(Duration::from_secs(1)))
                    .map(|metadata| {
                        metadata
                            .topics()
                            .iter()
                            .filter(|t| t.error().is_none() && !t.partitions().is_empty())
                            .map(|t| t.name().to_owned())
                            .collect::<Vec<String>>()
                    })
            })
            .await
            .unwrap_or(Err(KafkaError::Canceled));
            if shutdown.is_triggered() {
                return Ok(false);
            }
            if attempt.is_ok() || Instant::now() >= deadline || self.login_refused() {
                break attempt;
            }
        };
        health.set_producer_connected(listed.is_ok());
        match listed {
            Ok(existing) => {
                topics::check(topics, existing.iter().map(String::as_str), brokers)?;
                Ok(true)
            }
            Err(e) => {
                let last = self.last_error();
                if let Some(ClientError {
                    reason,
                    refused_login: true,
                }) = &last
                {
                    anyhow::bail!(
                        "the Kafka cluster at {brokers} refused the login: {reason} (check \
                         sasl.mechanism, sasl.username and sasl.password in kafka.properties)"
                    )
                }
                let last = last.map_or(String::new(), |last| {
                    format!("; the client last reported: {}", last.reason)
                });
                anyhow::bail!(
                    "no usable Kafka broker at {brokers} within {}s: {e}{last} \
                     (check kafka.brokers, and the TLS and SASL settings in kafka.properties)",
                    CONNECT_TIMEOUT.as_secs()
                )
            }
        }
    }

    /// Publishes a record keyed by the article id, in its turn of `slot`, with headers naming
    /// its input and carrying the input's trace context.
    pub async fn publish_record(
        &self,
        record: &RecordOut<'_>,
        slot: Slot<'_>,
    ) -> Result<Published, SinkError> {
        if !slot
            .in_flight
            .wait_turn(slot.ticket, Output::Record(record.id))
            .await
        {
            return Ok(Published::Withdrawn);
        }
        let trace = trace_context(record.input_headers);
        let source = source_headers(record.provenance);
        let headers = || append(append(OwnedHeaders::new(), &trace), &source);
        let sent = self
            .send(
                || {
                    FutureRecord::to(&self.output_topic)
                        .key(record.id)
                        .payload(record.json)
                        .headers(headers())
                },
                slot,
            )
            .await;
        match sent {
            Ok(()) => Ok(Published::Acknowledged),
            Err(SendError::TooLarge) => Ok(Published::TooLarge),
            Err(SendError::Withdrawn) => Ok(Published::Withdrawn),
            Err(SendError::Fatal(e)) => Err(SinkError::Fatal(e)),
            Err(SendError::Abort(e)) => Err(SinkError::Abort(e)),
        }
    }

    /// Sends the dead letter in its turn of `slot`, skipping the first `refused` attempts
    /// (refused as too large in an aborted transaction) and noting each new refusal.
    async fn send_dead_letter(
        &self,
        letter: &DeadLetter<'_>,
        refused: usize,
        position: &InputPosition,
        slot: Slot<'_>,
    ) -> Result<Published, SinkError> {
        if !slot
            .in_flight
            .wait_turn(slot.ticket, Output::DeadLetter(letter.key))
            .await
        {
            return Ok(Published::Withdrawn);
        }
        let ours = failure_headers(letter.failure, letter.provenance);
        let trace = trace_context(letter.headers);
        let headers = |keep_original: bool, note: Option<&'static str>| {
            let mut h = OwnedHeaders::new();
            match letter.headers.filter(|_| keep_original) {
                Some(original) => {
                    for header in original.iter() {
                        h = h.insert(Header {
                            key: header.key,
                            value: header.value,
                        });
                    }
                }
                // Dropped for size, the original headers still leave their trace context.
                None => h = append(h, &trace),
            }
            h = append(h, &ours);
            if let Some(note) = note {
                h = h.insert(Header {
                    key: "newsworker.truncated",
                    value: Some(note),
                });
            }
            h
        };
        let attempts: [(bool, bool, Option<&'static str>); 3] = [
            (true, true, None),
            (false, true, Some("original headers dropped: too large")),
            (
                false,
                false,
                Some("original headers and value dropped: too large"),
            ),
        ];
        for (keep_headers, keep_value, note) in attempts.into_iter().skip(refused) {
            let sent = self
                .send(
                    || {
                        let mut record: FutureRecord<'_, [u8], [u8]> =
                            FutureRecord::to(&self.dlq_topic).headers(headers(keep_headers, note));
                        if let Some(key) = letter.key {
                            record = record.key(key);
                        }
                        match letter.value.filter(|_| keep_value) {
                            Some(value) => record.payload(value),
                            None => record,
                        }
                    },
                    slot,
                )
                .await;
            match sent {
                Ok(()) => return Ok(Published::Acknowledged),
                Err(SendError::TooLarge) => self.note_refusal(position),
                Err(SendError::Withdrawn) => return Ok(Published::Withdrawn),
                Err(SendError::Fatal(e)) => return Err(SinkError::Fatal(e)),
                Err(SendError::Abort(e)) => return Err(SinkError::Abort(e)),
            }
        }
        Err(SinkError::Fatal(KafkaError::MessageProduction(
            RDKafkaErrorCode::MessageSizeTooLarge,
        )))
    }

    /// Waits for queued messages to be delivered, up to `timeout`.
    pub fn flush(&self, timeout: Duration) {
        flush(&self.producer, timeout);
    }

    /// A function that waits (up to [`REVOCATION_FLUSH`]) until every message handed to the
    /// producer is delivered, for the consumer's revocation callback.
    pub fn flusher(&self) -> impl Fn() + Send + Sync + 'static {
        let producer = self.producer.clone();
        move || flush(&producer, REVOCATION_FLUSH)
    }

    /// Sends the record `build` makes until it is acknowledged, retrying transient errors. Each
    /// attempt is handed to librdkafka through `slot`, so none is made once the input's
    /// partition was revoked.
    async fn send<'a, K, P>(
        &'a self,
        build: impl Fn() -> FutureRecord<'a, K, P>,
        slot: Slot<'_>,
    ) -> Result<(), SendError>
    where
        K: rdkafka::message::ToBytes + ?Sized + 'a,
        P: rdkafka::message::ToBytes + ?Sized + 'a,
    {
        let mut backoff = self.backoff;
        loop {
            let error = match self.enqueue(&build, slot).await? {
                Ok(delivery) => match delivery.await {
                    Ok(Ok(_)) => return Ok(()),
                    Ok(Err((e, _))) => e,
                    // The producer outlives every send, so this does not happen; retry if it does.
                    Err(_) => KafkaError::Canceled,
                },
                Err(e) => e,
            };
            if error.rdkafka_error_code() == Some(RDKafkaErrorCode::MessageSizeTooLarge) {
                return Err(SendError::TooLarge);
            }
            if let Some((code, reason)) = self.producer.client().fatal_error() {
                tracing::error!(?code, %reason, "producer is in a fatal state");
                return Err(SendError::Fatal(error));
            }
            if is_permanent(&error) {
                return Err(SendError::Fatal(error));
            }
            if self.refusals.is_some() {
                return Err(SendError::Abort(error));
            }
            self.metrics.produce_retries.inc();
            tracing::warn!(error = %error, retry_in_ms = backoff.as_millis() as u64, "produce failed; retrying");
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(self.backoff_max);
        }
    }

    /// Hands the record `build` makes to librdkafka, waiting while its queue is full: the
    /// future of its delivery report, or the error librdkafka refused it with at once.
    async fn enqueue<'a, K, P>(
        &'a self,
        build: &impl Fn() -> FutureRecord<'a, K, P>,
        slot: Slot<'_>,
    ) -> Result<Result<DeliveryFuture, KafkaError>, SendError>
    where
        K: rdkafka::message::ToBytes + ?Sized + 'a,
        P: rdkafka::message::ToBytes + ?Sized + 'a,
    {
        loop {
            // The refused record is dropped at once: `build` makes it again for the next try.
            let queued = slot
                .in_flight
                .admit(slot.ticket, || {
                    self.producer.send_result(build()).map_err(|(e, _)| e)
                })
                .ok_or(SendError::Withdrawn)?;
            match queued {
                Ok(delivery) => return Ok(Ok(delivery)),
                Err(KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull)) => {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
                Err(e) => return Ok(Err(e)),
            }
        }
    }
}

/// Waits for `producer`'s queued messages to be delivered, up to `timeout`.
fn flush(producer: &FutureProducer<SinkContext>, timeout: Duration) {
    if let Err(e) = producer.flush(Timeout::After(timeout)) {
        tracing::warn!(error = %e, "producer flush did not complete");
    }
}

enum SendError {
    TooLarge,
    Withdrawn,
    Fatal(KafkaError),
    Abort(KafkaError),
}

/// Errors no retry can fix: the broker refuses us, not merely fails to answer.
fn is_permanent(error: &KafkaError) -> bool {
    matches!(
        error.rdkafka_error_code(),
        Some(
            RDKafkaErrorCode::TopicAuthorizationFailed
                | RDKafkaErrorCode::ClusterAuthorizationFailed
                | RDKafkaErrorCode::SaslAuthenticationFailed
                | RDKafkaErrorCode::Authentication
                | RDKafkaErrorCode::InvalidRecord
                | RDKafkaErrorCode::Fatal
        )
    )
}
