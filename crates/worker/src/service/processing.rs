//! The work on one message that both loops share: extract on a CPU thread, then publish the
//! outcome in its turn.
//!
//! The extraction runs on one of the `worker.cpu_threads` threads of a [`CpuPool`], so
//! CPU-bound work never stalls the async reactor. As soon as the envelope is parsed the
//! article id is noted in the in-flight book, which orders the publication of records by it
//! (see [`in_flight`](super::in_flight)); then the record or dead letter goes through the sink
//! via the message's [`Slot`]. All of it runs in the article's tracing span (topic, partition,
//! offset and, from a `traceparent` header, the trace id), so its log lines join the trace.

use std::sync::Arc;

use anyhow::Context as _;

use newsworker_extract::contract::failure::{Failure, Reason};
use newsworker_extract::extractor::RECORD_STEP;
use newsworker_extract::pipeline::doc::Provenance;
use newsworker_extract::{Extractor, Outcome};
use rdkafka::message::{Message, OwnedMessage};
use tracing::Instrument;

use crate::ops::metrics::Metrics;
use crate::service::cpu_pool::{CpuPool, JobError};
use crate::service::in_flight::{InFlight, Ticket};
use crate::sinks::headers::trace_id;
use crate::sinks::kafka::{Delivered, KafkaSink, SinkError, Slot};

/// The extractor, the sink and the CPU threads of one run.
pub struct Processing {
    /// The extraction library's entry point.
    pub extractor: Arc<Extractor>,
    /// Where outcomes go.
    pub sink: KafkaSink,
    /// The run's metrics.
    pub metrics: Arc<Metrics>,
    cpu: CpuPool,
}

impl Processing {
    /// Runs `extractor` on `cpu_threads` threads of its own and publishes through `sink`.
    pub fn new(
        extractor: Arc<Extractor>,
        sink: KafkaSink,
        metrics: Arc<Metrics>,
        cpu_threads: usize,
    ) -> anyhow::Result<Self> {
        let mut stages = extractor.pipeline().stage_names();
        stages.push(RECORD_STEP);
        metrics.declare_stages(&stages);
        let cpu = CpuPool::new("newsworker-cpu", cpu_threads)
            .context("cannot start the pipeline's CPU threads")?;
        Ok(Processing {
            extractor,
            sink,
            metrics,
            cpu,
        })
    }

    /// Extracts `message` and publishes its outcome in its turn of `in_flight`; says what was
    /// written once the broker acknowledged it.
    pub async fn process(
        &self,
        message: &Arc<OwnedMessage>,
        provenance: &Provenance,
        in_flight: &Arc<InFlight>,
        ticket: &Ticket,
    ) -> Result<Delivered, SinkError> {
        let span = tracing::info_span!(
            "article",
            topic = %provenance.topic,
            partition = provenance.partition,
            offset = provenance.offset,
            trace_id = tracing::field::Empty,
        );
        if let Some(id) = trace_id(message.headers()) {
            span.record("trace_id", id.as_str());
        }
        let identified = {
            let (in_flight, ticket) = (in_flight.clone(), ticket.clone());
            move |id: Option<&str>| in_flight.update(|t| t.identify(&ticket, id))
        };
        async {
            let outcome = self.extract_on_cpu(message, provenance, identified).await;
            if let Outcome::Record(processed) = &outcome {
                self.metrics.observe_timings(&processed.timings);
            }
            let slot = Slot { in_flight, ticket };
            self.sink
                .publish_outcome(outcome, message, provenance, slot)
                .await
        }
        .instrument(span)
        .await
    }

    /// Runs the extractor on `message` on a CPU thread, once one is free. `identified` learns
    /// the article id as soon as the envelope is parsed.
    async fn extract_on_cpu(
        &self,
        message: &Arc<OwnedMessage>,
        provenance: &Provenance,
        identified: impl FnOnce(Option<&str>) + Send + 'static,
    ) -> Outcome {
        let extractor = self.extractor.clone();
        let input = message.clone();
        let provenance = provenance.clone();
        let span = tracing::Span::current();
        self.cpu
            .run(move || {
                let _article = span.enter();
                extractor.extract_identified(
                    input.key(),
                    input.payload().unwrap_or_default(),
                    Some(provenance),
                    identified,
                )
            })
            .await
            .unwrap_or_else(failed_job)
    }
}

/// The outcome of a pipeline job that gave no result: a `stage_error` of the worker.
pub fn failed_job(error: JobError) -> Outcome {
    Outcome::Failed(Failure::new(
        "worker",
        Reason::StageError,
        format!("processing task failed: {error}"),
    ))
}

/// Where a message came from, as records and dead letters report it.
pub fn provenance(message: &OwnedMessage) -> Provenance {
    Provenance {
        topic: message.topic().to_owned(),
        partition: message.partition(),
        offset: message.offset(),
        timestamp_ms: message.timestamp().to_millis(),
    }
}

/// Observes the time from the input's timestamp until now, when its outcome became durable.
pub fn observe_end_to_end(metrics: &Metrics, provenance: &Provenance) {
    if let Some(ts) = provenance.timestamp_ms {
        let age_ms = chrono::Utc::now().timestamp_millis() - ts;
        metrics
            .end_to_end_latency
            .observe(age_ms.max(0) as f64 / 1e3);
    }
}
