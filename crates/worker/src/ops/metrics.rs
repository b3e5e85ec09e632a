//! Prometheus metrics.
//!
//! One [`Metrics`] value owns a registry and a handle to every series, and is passed by `Arc`
//! to whatever records something: no global registry, so tests and the demo can run several
//! workers in one process without their numbers mixing. The standard `process_*` series
//! (memory, CPU, file descriptors) are exported too. Every series carries a constant `mode`
//! label (`live`, `replay`, `demo`, `process`) so live traffic and backfills can share a
//! dashboard. Names follow Prometheus conventions: the `newsworker_` prefix, base units
//! (seconds), `_total` for counters.

use std::collections::HashMap;

use prometheus::{
    Encoder, Gauge, GaugeVec, Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec,
    IntGauge, IntGaugeVec, Opts, Registry, TextEncoder,
};

use newsworker_extract::contract::failure::Reason;
use newsworker_extract::pipeline::doc::StageTiming;

/// Handles to every series the worker exports.
pub struct Metrics {
    registry: Registry,
    /// Articles read from the input topic.
    pub articles_consumed: IntCounterVec,
    /// Records acknowledged by the broker.
    pub records_produced: IntCounter,
    /// Dead letters acknowledged by the broker, by reason.
    pub dlq_records: IntCounterVec,
    /// Failures by stage.
    pub stage_failures: IntCounterVec,
    /// Time per stage.
    pub stage_duration: HistogramVec,
    /// From the input message's timestamp to the record's acknowledgement.
    pub end_to_end_latency: Histogram,
    /// Articles read and not yet acknowledged.
    pub in_flight: IntGauge,
    /// Consumer lag per partition, from librdkafka statistics.
    pub consumer_lag: GaugeVec,
    /// Rebalance events by kind.
    pub rebalances: IntCounterVec,
    /// Produce attempts retried after a transient error.
    pub produce_retries: IntCounter,
    /// Offset commits by result.
    pub offset_commits: IntCounterVec,
    /// 1 when the worker is ready (assignment and producer connection).
    pub ready: Gauge,
    /// Exactly-once mode: transactions by result (`committed`, `aborted`).
    pub transactions: IntCounterVec,
    /// Exactly-once mode: records and dead letters written in transactions that were then
    /// aborted (invisible to `read_committed` consumers; their inputs are processed again).
    pub aborted_outputs: IntCounter,
    /// `newsworker serve`: requests answered, by route and status code.
    pub http_requests: IntCounterVec,
    /// `newsworker serve`: time to answer a request, by route.
    pub http_request_duration: HistogramVec,
}

impl Metrics {
    /// A fresh registry labelled with `mode`.
    pub fn new(mode: &str) -> Self {
        let labels = HashMap::from([("mode".to_owned(), mode.to_owned())]);
        let registry = Registry::new_custom(None, Some(labels)).unwrap_or_else(|_| Registry::new());
        let r = &registry;
        let m = Metrics {
            articles_consumed: counter_vec(
                r,
                "newsworker_articles_consumed_total",
                "Articles read from the input topic.",
                &["topic"],
            ),
            records_produced: counter(
                r,
                "newsworker_records_produced_total",
                "Records acknowledged by the broker on the output topic.",
            ),
            dlq_records: counter_vec(
                r,
                "newsworker_dlq_records_total",
                "Inputs written to the dead-letter topic, by reason.",
                &["reason"],
            ),
            stage_failures: counter_vec(
                r,
                "newsworker_stage_failures_total",
                "Inputs that failed, by the stage that failed.",
                &["stage"],
            ),
            stage_duration: stage_duration(r),
            end_to_end_latency: end_to_end_latency(r),
            in_flight: register(
                r,
                IntGauge::new(
                    "newsworker_in_flight_articles",
                    "Articles read and not yet acknowledged.",
                ),
            ),
            consumer_lag: register(
                r,
                GaugeVec::new(
                    Opts::new(
                        "newsworker_consumer_lag_messages",
                        "Messages behind the partition's high watermark.",
                    ),
                    &["topic", "partition"],
                ),
            ),
            rebalances: counter_vec(
                r,
                "newsworker_rebalances_total",
                "Consumer-group rebalance events, by kind.",
                &["kind"],
            ),
            produce_retries: counter(
                r,
                "newsworker_produce_retries_total",
                "Produce attempts retried after a transient error.",
            ),
            offset_commits: counter_vec(
                r,
                "newsworker_offset_commits_total",
                "Consumer offset commits, by result.",
                &["result"],
            ),
            ready: register(
                r,
                Gauge::new(
                    "newsworker_ready",
                    "1 when the worker has an assignment and a connected producer.",
                ),
            ),
            transactions: counter_vec(
                r,
                "newsworker_transactions_total",
                "Exactly-once mode: transactions, by result.",
                &["result"],
            ),
            aborted_outputs: counter(
                r,
                "newsworker_transaction_aborted_outputs_total",
                "Exactly-once mode: records and dead letters discarded by aborted transactions.",
            ),
            http_requests: counter_vec(
                r,
                "newsworker_http_requests_total",
                "serve: HTTP requests answered, by route and status code.",
                &["route", "status"],
            ),
            http_request_duration: http_request_duration(r),
            registry,
        };
        m.register_info_and_labels();
        m
    }

    /// Registers the build and process series and declares the label values every dashboard
    /// expects, so they read 0 rather than "no data" before the first event.
    fn register_info_and_labels(&self) {
        let info: IntGaugeVec = register(
            &self.registry,
            IntGaugeVec::new(
                Opts::new(
                    "newsworker_build_info",
                    "Build information; the value is always 1.",
                ),
                &["version"],
            ),
        );
        info.with_label_values(&[env!("CARGO_PKG_VERSION")]).set(1);
        #[cfg(target_os = "linux")]
        {
            let _ = self.registry.register(Box::new(
                prometheus::process_collector::ProcessCollector::for_self(),
            ));
        }
        for reason in Reason::ALL {
            self.dlq_records.with_label_values(&[reason.as_str()]);
        }
        for kind in ["assign", "revoke"] {
            self.rebalances.with_label_values(&[kind]);
        }
        for result in ["ok", "error"] {
            self.offset_commits.with_label_values(&[result]);
        }
        for result in ["committed", "aborted"] {
            self.transactions.with_label_values(&[result]);
        }
    }

    /// Records the per-stage timings of one article.
    pub fn observe_timings(&self, timings: &[StageTiming]) {
        for t in timings {
            self.stage_duration
                .with_label_values(&[t.stage])
                .observe(t.elapsed_us as f64 / 1e6);
        }
    }

    /// Pre-creates the per-stage series so dashboards show every stage from the start.
    pub fn declare_stages(&self, stages: &[&str]) {
        for stage in stages {
            self.stage_duration.with_label_values(&[stage]);
            self.stage_failures.with_label_values(&[stage]);
        }
    }

    /// The registry's content in the Prometheus text format.
    pub fn render(&self) -> String {
        let mut out = Vec::new();
        let _ = TextEncoder::new().encode(&self.registry.gather(), &mut out);
        String::from_utf8(out).unwrap_or_default()
    }

    /// Sum of a counter family's samples, for summaries and tests.
    pub fn total(&self, counter: &IntCounterVec) -> u64 {
        use prometheus::core::Collector;
        counter
            .collect()
            .iter()
            .flat_map(|family| family.get_metric())
            .map(|m| m.get_counter().get_value() as u64)
            .sum()
    }

    /// Inputs whose outcome (a record or a dead letter) the broker has acknowledged.
    pub fn outcomes_delivered(&self) -> u64 {
        self.records_produced.get() + self.total(&self.dlq_records)
    }
}

/// Registers the series `metric` defines in `registry` and returns its handle.
///
/// Names are fixed and distinct, so a definition or registration can only fail on a programming
/// error, which the unit tests catch.
fn register<M>(registry: &Registry, metric: prometheus::Result<M>) -> M
where
    M: prometheus::core::Collector + Clone + 'static,
{
    let metric = metric.expect("metric definition");
    let _ = registry.register(Box::new(metric.clone()));
    metric
}

/// `newsworker_stage_duration_seconds`: 1 µs to about 4 s, by stage.
fn stage_duration(registry: &Registry) -> HistogramVec {
    let opts = histogram_opts(
        "newsworker_stage_duration_seconds",
        "Time spent in each pipeline stage.",
        (1e-6, 4.0, 12),
    );
    register(registry, HistogramVec::new(opts, &["stage"]))
}

/// `newsworker_http_request_duration_seconds`: 0.1 ms to about 15 minutes, by route.
fn http_request_duration(registry: &Registry) -> HistogramVec {
    let opts = histogram_opts(
        "newsworker_http_request_duration_seconds",
        "serve: time from a request's arrival to its answer, by route.",
        (1e-4, 2.5, 14),
    );
    register(registry, HistogramVec::new(opts, &["route"]))
}

/// `newsworker_end_to_end_latency_seconds`: 1 ms to about 2 hours.
fn end_to_end_latency(registry: &Registry) -> Histogram {
    let opts = histogram_opts(
        "newsworker_end_to_end_latency_seconds",
        "From the input message's timestamp to the acknowledgement of its record.",
        (0.001, 2.5, 14),
    );
    register(registry, Histogram::with_opts(opts))
}

/// Histogram options with exponential `(start, factor, count)` buckets.
fn histogram_opts(
    name: &str,
    help: &str,
    (start, factor, count): (f64, f64, usize),
) -> HistogramOpts {
    HistogramOpts::new(name, help)
        .buckets(prometheus::exponential_buckets(start, factor, count).unwrap_or_default())
}

/// A registered counter.
fn counter(registry: &Registry, name: &str, help: &str) -> IntCounter {
    register(registry, IntCounter::new(name, help))
}

/// A registered counter with `labels`.
fn counter_vec(registry: &Registry, name: &str, help: &str, labels: &[&str]) -> IntCounterVec {
    register(registry, IntCounterVec::new(Opts::new(name, help), labels))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_series_is_exported_with_the_mode_label() {
        let m = Metrics::new("test");
        m.articles_consumed.with_label_values(&["t"]).inc();
        m.declare_stages(&["text"]);
        m.http_request_duration
            .with_label_values(&["/v1/extract"])
            .observe(0.01);
        let text = m.render();
        for name in [
            "newsworker_articles_consumed_total",
            "newsworker_records_produced_total",
            "newsworker_dlq_records_total",
            "newsworker_stage_failures_total",
            "newsworker_stage_duration_seconds_bucket",
            "newsworker_end_to_end_latency_seconds_bucket",
            "newsworker_in_flight_articles",
            "newsworker_rebalances_total",
            "newsworker_produce_retries_total",
            "newsworker_offset_commits_total",
            "newsworker_ready",
            "newsworker_transactions_total",
            "newsworker_transaction_aborted_outputs_total",
            "newsworker_build_info",
            "newsworker_http_request_duration_seconds",
        ] {
            assert!(text.contains(name), "{name} missing from\n{text}");
        }
        assert!(text.contains("mode=\"test\""));
        #[cfg(target_os = "linux")]
        assert!(text.contains("process_resident_memory_bytes"));
        assert_eq!(m.total(&m.articles_consumed), 1);
    }
}
