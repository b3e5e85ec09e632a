//! The Kafka source: a consumer-group member reading the raw-article topic.
//!
//! Offsets are stored by hand: `enable.auto.offset.store` is off, so librdkafka's periodic
//! auto-commit only ever commits what the worker stored, and the worker stores only the
//! contiguous acknowledged prefix of each partition (see `offsets.rs`). On a revocation the
//! stored offsets are committed synchronously before the partitions go, the tracker forgets
//! them — a message still in flight is then withdrawn, never published, and processed again by
//! the next owner — and the producer is flushed, so that what was already handed to it is
//! written before the next owner starts writing the same keys ([`Revocation`]).
//!
//! Partitions are assigned by `kafka.assignment`. With `cooperative-sticky` (the default,
//! KIP-429) a rebalance is incremental: librdkafka's default handler, which rust-rdkafka calls
//! around [`ConsumerContext::pre_rebalance`] and [`ConsumerContext::post_rebalance`], applies
//! `incremental_assign` / `incremental_unassign`, and the lists this context sees name only the
//! partitions that are added or taken away. Everything here works per partition, so nothing else
//! changes: a revocation commits the consumer's stored offsets (those of the partitions kept too,
//! which is harmless: they are acknowledged prefixes), forgets only the revoked partitions in the
//! tracker, and the kept partitions' messages go on being processed, published and stored. With
//! `eager` every rebalance revokes and assigns everything, through the same code.
//!
//! With `kafka.group_protocol = "consumer"` (KIP-848) the broker computes the assignment and
//! librdkafka applies it incrementally, through the same callbacks as cooperative-sticky; the
//! strategy of `kafka.assignment` then does not apply (librdkafka refuses it).
//!
//! The exactly-once worker (`exactly_once.rs`) uses [`subscribe_read_committed`] instead: its
//! offsets are committed only inside transactions, so nothing is committed or stored here, and
//! the context merely counts revocations for the worker to notice ([`SourceContext::revocations`]).
//! On a revocation it drops the whole batch being read and relies on every partition being read
//! again from the committed offsets, which holds only for eager rebalances; so that consumer is
//! always eager.
//!
//! The [`SourceContext`] also turns librdkafka's statistics into the consumer-lag gauge and
//! keeps the readiness state's assignment count.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use rdkafka::client::ClientContext;
use rdkafka::consumer::{
    BaseConsumer, CommitMode, Consumer, ConsumerContext, Rebalance, RebalanceProtocol,
    StreamConsumer,
};
use rdkafka::error::KafkaResult;
use rdkafka::statistics::Statistics;
use rdkafka::{Offset, TopicPartitionList};

use crate::config::{Assignment, ClientKind, Config, GroupProtocol};
use crate::ops::http::Health;
use crate::ops::metrics::Metrics;
use crate::service::in_flight::InFlight;

/// What the at-least-once worker does about its articles in flight when partitions are revoked.
pub struct Revocation {
    in_flight: Arc<InFlight>,
    flush_outputs: Box<dyn Fn() + Send + Sync>,
}

impl Revocation {
    /// Revocations forget the revoked partitions in `in_flight`, then call `flush_outputs`,
    /// which waits (bounded) until the producer delivered what it was given.
    pub fn new(in_flight: Arc<InFlight>, flush_outputs: impl Fn() + Send + Sync + 'static) -> Self {
        Revocation {
            in_flight,
            flush_outputs: Box::new(flush_outputs),
        }
    }
}

/// Callbacks of the consumer.
pub struct SourceContext {
    metrics: Arc<Metrics>,
    health: Arc<Health>,
    /// The at-least-once worker's bookkeeping; `None` in exactly-once mode, where offsets are
    /// committed only inside transactions and a revocation never meets an open transaction.
    revocation: Option<Revocation>,
    revocations: AtomicU64,
}

impl SourceContext {
    fn new(metrics: Arc<Metrics>, health: Arc<Health>, revocation: Option<Revocation>) -> Self {
        SourceContext {
            metrics,
            health,
            revocation,
            revocations: AtomicU64::new(0),
        }
    }

    /// How many times partitions were revoked from this consumer. Rebalance callbacks run only
    /// inside a poll, so a caller that compares this before and after reading knows whether the
    /// messages it read may belong to partitions it no longer owns.
    pub fn revocations(&self) -> u64 {
        self.revocations.load(Ordering::SeqCst)
    }
}

/// How long dropping the consumer may take. librdkafka's close revokes the assignment through
/// the rebalance callback, commits and leaves the group; when that does not finish (it has been
/// seen to wait forever on cooperative rebalances: librdkafka #4527, rust-rdkafka #509) the
/// worker exits anyway rather than ignore SIGTERM. What was acknowledged is committed before
/// the close starts, so nothing is lost; the group only waits for `session.timeout.ms` to
/// hand the partitions on.
const CLOSE_WITHIN: Duration = Duration::from_secs(10);

/// The consumer the worker uses: librdkafka's stream consumer, closed within [`CLOSE_WITHIN`]
/// when dropped.
pub struct ArticleConsumer(Option<StreamConsumer<SourceContext>>);

impl std::ops::Deref for ArticleConsumer {
    type Target = StreamConsumer<SourceContext>;

    fn deref(&self) -> &Self::Target {
        self.0
            .as_ref()
            .expect("the consumer is there until it is dropped")
    }
}

impl Drop for ArticleConsumer {
    fn drop(&mut self) {
        let Some(consumer) = self.0.take() else {
            return;
        };
        let (closed, wait) = std::sync::mpsc::channel();
        let closing = std::thread::Builder::new()
            .name("consumer-close".into())
            .spawn(move || {
                drop(consumer);
                let _ = closed.send(());
            });
        // Without a thread the closure, and the consumer in it, were dropped right here.
        if closing.is_ok() && wait.recv_timeout(CLOSE_WITHIN).is_err() {
            tracing::warn!(
                within_s = CLOSE_WITHIN.as_secs(),
                "the consumer did not close in time; exiting without leaving the group \
                 (the broker reassigns its partitions after session.timeout.ms)"
            );
        }
    }
}

impl ClientContext for SourceContext {
    fn stats(&self, statistics: Statistics) {
        for (topic, t) in &statistics.topics {
            for (partition, p) in &t.partitions {
                if *partition >= 0 && p.consumer_lag >= 0 {
                    self.metrics
                        .consumer_lag
                        .with_label_values(&[topic.as_str(), &partition.to_string()])
                        .set(p.consumer_lag as f64);
                }
            }
        }
    }
}

impl ConsumerContext for SourceContext {
    fn pre_rebalance(&self, consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        match rebalance {
            Rebalance::Revoke(partitions) => {
                self.metrics.rebalances.with_label_values(&["revoke"]).inc();
                self.revocations.fetch_add(1, Ordering::SeqCst);
                if let Some(revocation) = &self.revocation {
                    // Commit what is acknowledged while the partitions are still ours.
                    if let Err(e) = consumer.commit_consumer_state(CommitMode::Sync) {
                        tracing::debug!(error = %e, "commit on revocation");
                    }
                    // From here on nothing of these partitions is handed to the producer ...
                    revocation.in_flight.update(|tracker| {
                        for e in partitions.elements() {
                            tracker.revoke(e.topic(), e.partition());
                        }
                    });
                    // ... and what was is written before the next owner writes the same keys.
                    (revocation.flush_outputs)();
                }
                for e in partitions.elements() {
                    self.metrics
                        .consumer_lag
                        .remove_label_values(&[e.topic(), &e.partition().to_string()])
                        .ok();
                }
            }
            Rebalance::Assign(_) => {
                self.metrics.rebalances.with_label_values(&["assign"]).inc();
            }
            Rebalance::Error(e) => tracing::warn!(error = %e, "rebalance error"),
        }
    }

    fn post_rebalance(&self, consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        let (change, changed) = match rebalance {
            Rebalance::Assign(partitions) => ("assigned", partition_numbers(partitions)),
            Rebalance::Revoke(partitions) => ("revoked", partition_numbers(partitions)),
            Rebalance::Error(_) => ("error", String::new()),
        };
        let count = consumer.assignment().map_or(0, |a| a.count());
        self.health.set_assigned_partitions(count);
        tracing::info!(
            partitions = count,
            change,
            %changed,
            protocol = protocol_name(consumer.rebalance_protocol()),
            "partition assignment changed"
        );
    }

    fn commit_callback(&self, result: KafkaResult<()>, _offsets: &TopicPartitionList) {
        let label = match &result {
            Ok(()) => "ok",
            // Nothing stored since the last commit: not a failure.
            Err(rdkafka::error::KafkaError::ConsumerCommit(
                rdkafka::types::RDKafkaErrorCode::NoOffset,
            )) => return,
            Err(e) => {
                tracing::warn!(error = %e, "offset commit failed; it is retried with the next one");
                "error"
            }
        };
        self.metrics
            .offset_commits
            .with_label_values(&[label])
            .inc();
    }
}

/// The partition numbers of a list, comma-separated, for the log.
fn partition_numbers(partitions: &TopicPartitionList) -> String {
    let numbers: Vec<String> = partitions
        .elements()
        .iter()
        .map(|e| e.partition().to_string())
        .collect();
    numbers.join(",")
}

/// The name of a rebalance protocol, for the log.
fn protocol_name(protocol: RebalanceProtocol) -> &'static str {
    match protocol {
        RebalanceProtocol::Cooperative => "cooperative",
        RebalanceProtocol::Eager => "eager",
        RebalanceProtocol::None => "none",
    }
}

/// A consumer in `group` whose auto-commit commits only the offsets the worker stores, with the
/// partition assignment strategy of `kafka.assignment`. `settings` come last, so neither a
/// config file nor the defaults here can undo them.
fn create(
    config: &Config,
    group: &str,
    context: SourceContext,
    report_partition_end: bool,
    settings: &[(&str, &str)],
) -> KafkaResult<ArticleConsumer> {
    consumer_config(config, group, report_partition_end, settings)
        .create_with_context(context)
        .map(|consumer| ArticleConsumer(Some(consumer)))
}

/// The librdkafka configuration [`create`] makes its consumer with.
fn consumer_config(
    config: &Config,
    group: &str,
    report_partition_end: bool,
    settings: &[(&str, &str)],
) -> rdkafka::ClientConfig {
    let mut client = config.client_config(ClientKind::Consumer);
    client
        .set("group.id", group)
        .set("enable.auto.commit", "true")
        .set("enable.auto.offset.store", "false")
        .set("enable.partition.eof", report_partition_end.to_string())
        .set("group.protocol", config.kafka.group_protocol.name());
    // Under the consumer protocol the broker assigns, and librdkafka refuses the strategy.
    if config.kafka.group_protocol == GroupProtocol::Classic {
        client.set(
            "partition.assignment.strategy",
            config.kafka.assignment.strategy(),
        );
    }
    for (key, value) in settings {
        client.set(*key, *value);
    }
    client
}

/// The settings of a member of the live group: its static `group.instance.id`, if any.
fn membership(config: &Config) -> Vec<(&str, &str)> {
    config
        .group_instance_id()
        .map(|id| ("group.instance.id", id))
        .into_iter()
        .collect()
}

/// Creates the consumer of the live worker's group, subscribed to the input topic.
pub fn subscribe(
    config: &Config,
    metrics: Arc<Metrics>,
    health: Arc<Health>,
    revocation: Revocation,
) -> KafkaResult<ArticleConsumer> {
    let context = SourceContext::new(metrics, health, Some(revocation));
    let consumer = create(
        config,
        &config.kafka.group_id,
        context,
        false,
        &membership(config),
    )?;
    consumer.subscribe(&[&config.kafka.input_topic])?;
    Ok(consumer)
}

/// Creates the consumer of the exactly-once worker: same group and topic, but it never commits
/// by itself (offsets go into transactions) and reads only committed messages, so an aborted
/// upstream transaction's input is never processed. Its rebalances are always eager (see the
/// module docs), whatever `kafka.assignment` says.
pub fn subscribe_read_committed(
    config: &Config,
    metrics: Arc<Metrics>,
    health: Arc<Health>,
) -> KafkaResult<ArticleConsumer> {
    if config.kafka.assignment != Assignment::Eager {
        tracing::info!(
            assignment = ?config.kafka.assignment,
            "exactly-once mode uses eager rebalancing; kafka.assignment does not apply to it"
        );
    }
    let context = SourceContext::new(metrics, health, None);
    let settings = read_committed_settings(config);
    let consumer = create(config, &config.kafka.group_id, context, false, &settings)?;
    consumer.subscribe(&[&config.kafka.input_topic])?;
    Ok(consumer)
}

/// The exactly-once consumer's own settings: no commits of its own, committed messages only,
/// eager rebalancing, and the group membership of the live worker.
fn read_committed_settings(config: &Config) -> Vec<(&str, &str)> {
    let mut settings = vec![
        ("enable.auto.commit", "false"),
        ("isolation.level", "read_committed"),
        (
            "partition.assignment.strategy",
            Assignment::Eager.strategy(),
        ),
    ];
    settings.extend(membership(config));
    settings
}

/// Creates a consumer in `group` assigned explicitly to the plan's slices (a replay): no
/// subscription, so no rebalance touches the live group. Reaching the end of a partition is
/// reported, so a replay knows when a partition has nothing more to give.
pub fn assign(
    config: &Config,
    plan: &crate::service::replay::Plan,
    metrics: Arc<Metrics>,
    health: Arc<Health>,
    revocation: Revocation,
) -> KafkaResult<ArticleConsumer> {
    let context = SourceContext::new(metrics, health.clone(), Some(revocation));
    let consumer = create(config, &plan.group, context, true, &[])?;
    let mut assignment = TopicPartitionList::new();
    for slice in plan.slices.iter().filter(|s| !s.is_empty()) {
        assignment.add_partition_offset(
            &plan.topic,
            slice.partition,
            Offset::Offset(slice.start),
        )?;
    }
    consumer.assign(&assignment)?;
    health.set_assigned_partitions(assignment.count());
    Ok(consumer)
}

/// The consumer's fatal error, if it has one, as a message that says what to do: a consumer in
/// that state reads nothing more, so the worker must stop. With static membership the usual
/// cause is a second live member with the same `group.instance.id`.
pub fn fatal_error(consumer: &ArticleConsumer) -> Option<String> {
    let (code, reason) = consumer.client().fatal_error()?;
    let hint = if code == rdkafka::types::RDKafkaErrorCode::FencedInstanceId {
        ": another running member of the group uses the same kafka.group_instance_id; \
         give every instance its own (with \"auto\", its own host name)"
    } else {
        ""
    };
    Some(format!(
        "the consumer failed for good ({code}: {reason}){hint}"
    ))
}

/// Stops fetching one partition (a replay that reached the partition's end).
pub fn pause(consumer: &ArticleConsumer, topic: &str, partition: i32) {
    let mut tpl = TopicPartitionList::new();
    tpl.add_partition(topic, partition);
    if let Err(e) = consumer.pause(&tpl) {
        tracing::debug!(topic, partition, error = %e, "pause");
    }
}

/// Stores `position` (the next offset to read) of one partition for the next commit.
pub fn store_position(consumer: &ArticleConsumer, topic: &str, partition: i32, position: i64) {
    let mut tpl = TopicPartitionList::new();
    if tpl
        .add_partition_offset(topic, partition, Offset::Offset(position))
        .is_ok()
    {
        // Fails only when the partition was revoked meanwhile; its next owner re-reads it.
        if let Err(e) = consumer.store_offsets(&tpl) {
            tracing::debug!(topic, partition, position, error = %e, "offset not stored");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(vars: &[(&str, &str)]) -> Config {
        let vars = vars.iter().map(|(k, v)| (k.to_string(), v.to_string()));
        Config::load_with_env(None, vars).unwrap()
    }

    #[test]
    fn the_live_consumer_uses_the_configured_strategy_and_instance_id() {
        let c = config(&[]);
        let live = consumer_config(&c, "g", false, &membership(&c));
        assert_eq!(
            live.get("partition.assignment.strategy"),
            Some("cooperative-sticky")
        );
        assert_eq!(live.get("group.instance.id"), None);
        let c = config(&[
            ("NEWSWORKER__KAFKA__ASSIGNMENT", "eager"),
            ("NEWSWORKER__KAFKA__GROUP_INSTANCE_ID", "auto"),
            ("HOSTNAME", "newsworker-1"),
        ]);
        let live = consumer_config(&c, "g", false, &membership(&c));
        assert_eq!(
            live.get("partition.assignment.strategy"),
            Some("range,roundrobin")
        );
        assert_eq!(live.get("group.instance.id"), Some("newsworker-1"));
    }

    #[test]
    fn the_consumer_protocol_leaves_the_assignment_to_the_broker() {
        let c = config(&[("NEWSWORKER__KAFKA__GROUP_PROTOCOL", "consumer")]);
        let live = consumer_config(&c, "g", false, &membership(&c));
        assert_eq!(live.get("group.protocol"), Some("consumer"));
        assert_eq!(live.get("partition.assignment.strategy"), None);
        let classic = consumer_config(&config(&[]), "g", false, &[]);
        assert_eq!(classic.get("group.protocol"), Some("classic"));
    }

    #[test]
    fn the_exactly_once_consumer_is_always_eager() {
        let c = config(&[("NEWSWORKER__KAFKA__GROUP_INSTANCE_ID", "w-0")]);
        let settings = read_committed_settings(&c);
        let consumer = consumer_config(&c, "g", false, &settings);
        assert_eq!(
            consumer.get("partition.assignment.strategy"),
            Some("range,roundrobin")
        );
        assert_eq!(consumer.get("group.instance.id"), Some("w-0"));
        assert_eq!(consumer.get("isolation.level"), Some("read_committed"));
    }
}
