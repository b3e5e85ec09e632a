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
//! original headers) is sent again without the original headers, then without the value,
//! saying so in its own headers.

use std::time::Duration;

use rdkafka::client::ClientContext;
use rdkafka::error::KafkaError;
use rdkafka::message::{Header, Headers, OwnedHeaders};
use rdkafka::producer::{FutureProducer, FutureRecord, Producer};
use rdkafka::statistics::Statistics;
use rdkafka::types::RDKafkaErrorCode;
use rdkafka::util::Timeout;
use std::sync::Arc;

use crate::config::{ClientKind, Config};
use crate::failure::Failure;
use crate::http::Health;
use crate::metrics::Metrics;
use crate::pipeline::doc::Provenance;
use crate::sinks::dlq::failure_headers;

/// Callbacks of the producer.
pub struct SinkContext {
    health: Arc<Health>,
}

impl ClientContext for SinkContext {
    fn stats(&self, statistics: Statistics) {
        let up = statistics.brokers.values().any(|b| b.state == "UP");
        self.health.set_producer_connected(up);
    }
}

/// A send that cannot succeed by retrying.
#[derive(Debug, thiserror::Error)]
pub enum SinkError {
    /// librdkafka reported a fatal error, or the broker refused us for good.
    #[error("fatal producer error: {0}")]
    Fatal(KafkaError),
}

/// What happened to a record.
#[derive(Debug, PartialEq, Eq)]
pub enum Published {
    /// The broker acknowledged it.
    Acknowledged,
    /// The broker refused it as too large; it must go to the DLQ instead.
    TooLarge,
}

/// An input that failed, as the DLQ needs it.
pub struct DeadLetter<'a> {
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
        let mut client = rdkafka::ClientConfig::new();
        client.set("enable.idempotence", "true").set("acks", "all");
        for (key, value) in config.client_config(ClientKind::Producer).config_map() {
            client.set(key, value);
        }
        let producer = client.create_with_context(SinkContext { health })?;
        Ok(KafkaSink {
            producer,
            output_topic: output_topic.to_owned(),
            dlq_topic: config.kafka.dlq_topic.clone(),
            backoff: Duration::from_millis(config.worker.retry_backoff_ms.max(1)),
            backoff_max: Duration::from_millis(config.worker.retry_backoff_max_ms.max(1)),
            metrics,
        })
    }

    /// Checks that a broker answers, so a wrong address fails at start-up with a clear error.
    pub async fn connect(&self, health: &Health, timeout: Duration) -> Result<(), KafkaError> {
        let producer = self.producer.clone();
        let topic = self.output_topic.clone();
        let checked = tokio::task::spawn_blocking(move || {
            producer
                .client()
                .fetch_metadata(Some(&topic), Timeout::After(timeout))
                .map(|_| ())
        })
        .await
        .unwrap_or(Err(KafkaError::Canceled));
        health.set_producer_connected(checked.is_ok());
        checked
    }

    /// Publishes a record keyed by the article id.
    pub async fn publish_record(&self, id: &str, json: &[u8]) -> Result<Published, SinkError> {
        let sent = self
            .send(|| FutureRecord::to(&self.output_topic).key(id).payload(json))
            .await;
        match sent {
            Ok(()) => Ok(Published::Acknowledged),
            Err(SendError::TooLarge) => Ok(Published::TooLarge),
            Err(SendError::Fatal(e)) => Err(SinkError::Fatal(e)),
        }
    }

    /// Publishes a dead letter: the original input plus headers naming the failure.
    pub async fn publish_dead_letter(&self, letter: &DeadLetter<'_>) -> Result<(), SinkError> {
        let ours = failure_headers(letter.failure, letter.provenance);
        let headers = |keep_original: bool, note: Option<&'static str>| {
            let mut h = OwnedHeaders::new();
            if let Some(original) = letter.headers.filter(|_| keep_original) {
                for header in original.iter() {
                    h = h.insert(Header {
                        key: header.key,
                        value: header.value,
                    });
                }
            }
            for (key, value) in &ours {
                h = h.insert(Header {
                    key,
                    value: Some(value.as_str()),
                });
            }
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
        for (keep_headers, keep_value, note) in attempts {
            let sent = self
                .send(|| {
                    let mut record: FutureRecord<'_, [u8], [u8]> =
                        FutureRecord::to(&self.dlq_topic).headers(headers(keep_headers, note));
                    if let Some(key) = letter.key {
                        record = record.key(key);
                    }
                    match letter.value.filter(|_| keep_value) {
                        Some(value) => record.payload(value),
                        None => record,
                    }
                })
                .await;
            match sent {
                Ok(()) => return Ok(()),
                Err(SendError::TooLarge) => continue,
                Err(SendError::Fatal(e)) => return Err(SinkError::Fatal(e)),
            }
        }
        Err(SinkError::Fatal(KafkaError::MessageProduction(
            RDKafkaErrorCode::MessageSizeTooLarge,
        )))
    }

    /// Waits for queued messages to be delivered, up to `timeout`.
    pub fn flush(&self, timeout: Duration) {
        if let Err(e) = self.producer.flush(Timeout::After(timeout)) {
            tracing::warn!(error = %e, "producer flush did not complete");
        }
    }

    /// Sends the record `build` makes until it is acknowledged, retrying transient errors.
    async fn send<'a, K, P>(
        &'a self,
        build: impl Fn() -> FutureRecord<'a, K, P>,
    ) -> Result<(), SendError>
    where
        K: rdkafka::message::ToBytes + ?Sized + 'a,
        P: rdkafka::message::ToBytes + ?Sized + 'a,
    {
        let mut backoff = self.backoff;
        loop {
            let error = match self.producer.send(build(), Timeout::Never).await {
                Ok(_) => return Ok(()),
                Err((e, _)) => e,
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
            self.metrics.produce_retries.inc();
            tracing::warn!(error = %error, retry_in_ms = backoff.as_millis() as u64, "produce failed; retrying");
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(self.backoff_max);
        }
    }
}

enum SendError {
    TooLarge,
    Fatal(KafkaError),
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
