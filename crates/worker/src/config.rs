//! Configuration: one TOML document, built in three layers.
//!
//! 1. `config/default.toml` is compiled into the binary. It holds every key with its default and
//!    its documentation, so there is exactly one place where defaults live.
//! 2. The file given with `--config` is merged over it, table by table: a user file names only
//!    the keys it changes.
//! 3. Environment variables `NEWSWORKER__<SECTION>__<KEY>` override single keys, which is how
//!    containers are configured. Inside the librdkafka `*properties` tables an underscore in the
//!    variable stands for a dot (`..._SASL_PASSWORD` sets `sasl.password`), and a variable whose
//!    name ends in `_FILE` reads its value from that file (secrets mounted by an orchestrator).
//!
//! Unknown keys are errors: a typo in a config file should stop the worker at start-up, not be
//! silently ignored.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use newsworker_extract::config::{ExtractConfig, Limits, PipelineConfig};
use serde::Deserialize;
use toml::{Table, Value};

/// The built-in defaults, documented key by key.
pub const DEFAULT_TOML: &str = include_str!("../../../config/default.toml");

/// Prefix of the environment variables that override configuration keys.
pub const ENV_PREFIX: &str = "NEWSWORKER__";

/// Everything the worker can be told.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Brokers, topics and librdkafka properties.
    pub kafka: KafkaConfig,
    /// Size limits on inputs.
    pub limits: Limits,
    /// Concurrency, backpressure and shutdown.
    pub worker: WorkerConfig,
    /// The metrics and health server.
    pub metrics: MetricsConfig,
    /// The HTTP extraction API of `newsworker serve`.
    pub serve: ServeConfig,
    /// Settings of the extraction stages.
    pub pipeline: PipelineConfig,
    /// The delivery guarantee, and the transactions of exactly-once mode.
    pub processing: ProcessingConfig,
    /// How records are written on the output topic.
    pub output: OutputConfig,
    /// The Schema Registry that holds the records' schema, for `avro` and `json_schema` output.
    pub schema_registry: SchemaRegistryConfig,
}

/// How records are written on the output topic.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputConfig {
    /// The records' format.
    pub format: OutputFormat,
}

/// The format of records on the output topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum OutputFormat {
    /// Bare JSON.
    Json,
    /// JSON in the Schema Registry wire format (magic byte, schema id, JSON).
    #[value(name = "json_schema")]
    JsonSchema,
    /// Avro binary in the Schema Registry wire format (magic byte, schema id, datum).
    Avro,
}

impl OutputFormat {
    /// The name in the configuration.
    pub fn name(self) -> &'static str {
        match self {
            OutputFormat::Json => "json",
            OutputFormat::JsonSchema => "json_schema",
            OutputFormat::Avro => "avro",
        }
    }
}

/// A Confluent-compatible Schema Registry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemaRegistryConfig {
    /// Base URLs, comma-separated, tried in order.
    pub url: String,
    /// How the subject is named.
    pub subject_name_strategy: SubjectNameStrategy,
    /// Register the worker's schema at start-up (else it must be registered already).
    pub auto_register: bool,
    /// Write with the subject's latest version, which must be the worker's schema.
    pub use_latest_version: bool,
    /// Basic-auth user; empty for none.
    pub basic_auth_user: String,
    /// The basic-auth password (from the environment, or a file with the `_FILE` variable).
    pub basic_auth_password: Secret,
    /// PEM file of the CA certificates to trust for https (besides the system's).
    pub ca_location: PathBuf,
    /// PEM client certificate for mutual TLS.
    pub certificate_location: PathBuf,
    /// PEM (PKCS #8) private key of the client certificate.
    pub key_location: PathBuf,
    /// Time limit of each request to the registry, in milliseconds.
    pub timeout_ms: u64,
}

/// A secret setting: its `Debug` form never shows it.
#[derive(Clone, Default, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// The secret itself, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_empty() { "\"\"" } else { "\"***\"" })
    }
}

/// How the subject of the records' schema is named (Confluent's subject name strategies).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectNameStrategy {
    /// `<topic>-value`.
    Topic,
    /// The record's full name, `newsworker.Record`.
    Record,
    /// `<topic>-newsworker.Record`.
    TopicRecord,
}

/// Brokers, topics and librdkafka properties.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KafkaConfig {
    /// Comma-separated bootstrap servers.
    pub brokers: String,
    /// Consumer group of the live worker.
    pub group_id: String,
    /// Topic of raw articles.
    pub input_topic: String,
    /// Topic of structured records.
    pub output_topic: String,
    /// Dead-letter topic.
    pub dlq_topic: String,
    /// librdkafka `statistics.interval.ms`.
    pub statistics_interval_ms: u64,
    /// How the group's partitions are assigned: `cooperative-sticky` or `eager`.
    pub assignment: Assignment,
    /// The consumer group protocol: `classic` or `consumer` (KIP-848).
    pub group_protocol: GroupProtocol,
    /// The consumer's `group.instance.id` (static membership): empty for none, `auto` for the
    /// host name. After [`Config::load`], `auto` is already replaced by the host name.
    pub group_instance_id: String,
    /// librdkafka properties for both clients.
    pub properties: BTreeMap<String, Value>,
    /// librdkafka properties for the consumer only.
    pub consumer_properties: BTreeMap<String, Value>,
    /// librdkafka properties for the producer only.
    pub producer_properties: BTreeMap<String, Value>,
}

/// How the consumer group assigns partitions to its members (librdkafka's
/// `partition.assignment.strategy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Assignment {
    /// KIP-429 incremental rebalancing with the sticky assignor: a rebalance moves only the
    /// partitions that change owner, and every other partition keeps flowing through it.
    CooperativeSticky,
    /// librdkafka's default `range,roundrobin`: every rebalance revokes every partition of every
    /// member and assigns them all again (stop-the-world).
    Eager,
}

impl Assignment {
    /// The value of librdkafka's `partition.assignment.strategy` for this assignment.
    pub fn strategy(self) -> &'static str {
        match self {
            Assignment::CooperativeSticky => "cooperative-sticky",
            Assignment::Eager => "range,roundrobin",
        }
    }
}

/// The consumer group protocol (librdkafka's `group.protocol`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GroupProtocol {
    /// The classic protocol: the members run the rebalance (join, sync), with the assignment
    /// strategy of `kafka.assignment` and the session of the consumer's `session.timeout.ms`.
    Classic,
    /// KIP-848 (Kafka 4.0 and later): the broker assigns partitions and keeps the session
    /// (`group.consumer.*` broker settings); rebalances are incremental, and a member's
    /// heartbeat never stops the others.
    Consumer,
}

impl GroupProtocol {
    /// The value of librdkafka's `group.protocol`.
    pub fn name(self) -> &'static str {
        match self {
            GroupProtocol::Classic => "classic",
            GroupProtocol::Consumer => "consumer",
        }
    }
}

/// Consumer properties of the classic protocol that librdkafka refuses under `consumer`, and
/// where the setting lives instead.
const CLASSIC_ONLY: [(&str, &str); 3] = [
    (
        "session.timeout.ms",
        "the broker's group.consumer.session.timeout.ms",
    ),
    (
        "heartbeat.interval.ms",
        "the broker's group.consumer.heartbeat.interval.ms",
    ),
    ("group.protocol.type", "nowhere: it does not apply"),
];

/// Concurrency, backpressure and shutdown.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkerConfig {
    /// Articles read but not yet acknowledged, at most.
    pub max_in_flight: usize,
    /// Threads for the CPU-bound pipeline; 0 means one per core.
    pub cpu_threads: usize,
    /// Grace period for in-flight articles on shutdown.
    pub drain_timeout_secs: u64,
    /// First backoff between produce retries.
    pub retry_backoff_ms: u64,
    /// Largest backoff between produce retries.
    pub retry_backoff_max_ms: u64,
}

/// The metrics and health server.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsConfig {
    /// Address to listen on.
    pub listen: SocketAddr,
}

/// The HTTP extraction API of `newsworker serve`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServeConfig {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// Largest body of a `POST /v1/extract/batch`, in bytes (one article's body is bounded by
    /// `limits.max_article_bytes`).
    pub max_batch_bytes: usize,
    /// Extraction requests being answered at once, at most; more are refused with 429.
    pub max_concurrent_requests: usize,
    /// Longest an extraction request may take, reading its body included, in milliseconds.
    pub request_timeout_ms: u64,
}

/// The delivery guarantee, and the transactions of exactly-once mode.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProcessingConfig {
    /// Which worker loop runs: `at_least_once` or `exactly_once`.
    pub guarantee: Guarantee,
    /// The producer's `transactional.id`; empty means `<kafka.group_id>-<hostname>`.
    pub transactional_id: String,
    /// Most inputs in one transaction.
    pub transaction_max_messages: usize,
    /// Longest a transaction keeps reading, from its first input, in milliseconds.
    pub transaction_max_ms: u64,
}

/// What the worker promises about each input's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Guarantee {
    /// Every input's outcome is written at least once; a crash can write some twice.
    AtLeastOnce,
    /// Outcomes and input offsets are committed in one Kafka transaction: a `read_committed`
    /// consumer sees every input's outcome exactly once.
    ExactlyOnce,
}

/// A configuration that could not be built; the message says which key or file is at fault.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The config file could not be read.
    #[error("cannot read config file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A document is not valid TOML.
    #[error("{origin} is not valid TOML: {message}")]
    Syntax {
        /// Where the document came from.
        origin: String,
        /// The parser's message, with line and column.
        message: String,
    },
    /// An environment variable could not be applied.
    #[error("environment variable {var}: {message}")]
    Env {
        /// The variable.
        var: String,
        /// Why it could not be applied.
        message: String,
    },
    /// The merged document does not fit the schema (unknown key, wrong type).
    #[error("invalid configuration: {0}")]
    Invalid(String),
}

impl Config {
    /// The settings of the extraction library: `[limits]` and `[pipeline]`.
    pub fn extract(&self) -> ExtractConfig {
        ExtractConfig {
            limits: self.limits.clone(),
            pipeline: self.pipeline.clone(),
        }
    }

    /// Builds the configuration from the defaults, an optional file and the process environment.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        Self::load_with_env(file, std::env::vars())
    }

    /// Builds the configuration from the defaults, an optional file and the given variables.
    pub fn load_with_env(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, ConfigError> {
        let mut table = parse_table(DEFAULT_TOML, "the built-in defaults")?;
        if let Some(path) = file {
            let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                path: path.to_owned(),
                source,
            })?;
            merge(&mut table, parse_table(&text, &path.display().to_string())?);
        }
        let mut vars: Vec<(String, String)> = env
            .into_iter()
            .filter(|(k, _)| k.starts_with(ENV_PREFIX) || k == "HOSTNAME")
            .collect();
        vars.sort();
        let mut host_from_env = None;
        for (var, value) in vars {
            if var == "HOSTNAME" {
                host_from_env = Some(value);
            } else if var.starts_with(ENV_PREFIX) {
                apply_env(&mut table, &var, value)?;
            }
        }
        let mut config = Config::deserialize(Value::Table(table))
            .map_err(|e| ConfigError::Invalid(e.to_string()))?;
        config.check_properties()?;
        config.resolve_group_instance_id(host_from_env)?;
        Ok(config)
    }

    /// Refuses librdkafka properties that a `[kafka]` key owns, so that there is one place to
    /// set each and the worker's handling of rebalances always matches the strategy in use.
    fn check_properties(&self) -> Result<(), ConfigError> {
        let owned = [
            ("partition.assignment.strategy", "kafka.assignment"),
            ("group.instance.id", "kafka.group_instance_id"),
            ("group.id", "kafka.group_id"),
            ("group.protocol", "kafka.group_protocol"),
        ];
        let tables = [
            ("kafka.properties", &self.kafka.properties),
            ("kafka.consumer_properties", &self.kafka.consumer_properties),
        ];
        for (table, properties) in tables {
            for (property, key) in owned {
                if properties.contains_key(property) {
                    return Err(ConfigError::Invalid(format!(
                        "`{property}` in [{table}] is not allowed: set `{key}` instead"
                    )));
                }
            }
            if self.kafka.group_protocol == GroupProtocol::Consumer {
                for (property, instead) in CLASSIC_ONLY {
                    if properties.contains_key(property) {
                        return Err(ConfigError::Invalid(format!(
                            "`{property}` in [{table}] does not apply with kafka.group_protocol = \
                             \"consumer\" (librdkafka refuses it): the setting lives in {instead}"
                        )));
                    }
                }
            }
        }
        if self.kafka.group_protocol == GroupProtocol::Consumer
            && self.processing.guarantee == Guarantee::ExactlyOnce
        {
            return Err(ConfigError::Invalid(
                "processing.guarantee = \"exactly_once\" needs kafka.group_protocol = \"classic\": \
                 its rebalance handling relies on eager rebalances, which the consumer protocol \
                 does not have"
                    .into(),
            ));
        }
        Ok(())
    }

    /// Replaces `kafka.group_instance_id = "auto"` by the host name: `host_from_env` (the
    /// `HOSTNAME` variable, a Kubernetes pod's name), else the kernel's host name.
    fn resolve_group_instance_id(
        &mut self,
        host_from_env: Option<String>,
    ) -> Result<(), ConfigError> {
        let configured = self.kafka.group_instance_id.trim().to_owned();
        self.kafka.group_instance_id = if configured == "auto" {
            hostname(host_from_env).ok_or_else(|| {
                ConfigError::Invalid(
                    "kafka.group_instance_id is \"auto\" but the host name is unknown (no HOSTNAME \
                     variable, no /proc/sys/kernel/hostname): set kafka.group_instance_id to a \
                     name unique to this instance, or leave it empty"
                        .into(),
                )
            })?
        } else {
            configured
        };
        Ok(())
    }

    /// The consumer's static `group.instance.id`, if one is configured.
    pub fn group_instance_id(&self) -> Option<&str> {
        Some(self.kafka.group_instance_id.as_str()).filter(|id| !id.is_empty())
    }

    /// The librdkafka properties of one client: the shared ones, then the client's own.
    pub fn client_properties(&self, client: ClientKind) -> Vec<(String, String)> {
        let own = match client {
            ClientKind::Consumer => &self.kafka.consumer_properties,
            ClientKind::Producer => &self.kafka.producer_properties,
        };
        self.kafka
            .properties
            .iter()
            .chain(own.iter())
            .map(|(k, v)| (k.clone(), scalar_to_string(v)))
            .collect()
    }

    /// A librdkafka configuration for one client: brokers, statistics, the shared properties,
    /// then the client's own. Callers add the settings their correctness depends on after this,
    /// so a property in the file cannot switch them off.
    pub fn client_config(&self, client: ClientKind) -> rdkafka::ClientConfig {
        let mut c = rdkafka::ClientConfig::new();
        c.set("bootstrap.servers", &self.kafka.brokers).set(
            "statistics.interval.ms",
            self.kafka.statistics_interval_ms.to_string(),
        );
        for (key, value) in self.client_properties(client) {
            c.set(key, value);
        }
        c
    }

    /// The `transactional.id` of exactly-once mode: `processing.transactional_id`, or
    /// `<kafka.group_id>-<hostname>` when that is empty. It must stay the same across restarts
    /// of one instance (so the new process fences the old one and aborts its open transaction)
    /// and differ between instances running at the same time (else they fence each other).
    pub fn transactional_id(&self) -> Result<String, ConfigError> {
        let configured = self.processing.transactional_id.trim();
        if !configured.is_empty() {
            return Ok(configured.to_owned());
        }
        let host = hostname(std::env::var("HOSTNAME").ok()).ok_or_else(|| {
            ConfigError::Invalid(
                "processing.transactional_id is empty and the hostname is unknown: \
                     set processing.transactional_id"
                    .into(),
            )
        })?;
        Ok(format!("{}-{host}", self.kafka.group_id))
    }

    /// Number of pipeline threads: the configured count, or one per core.
    pub fn cpu_threads(&self) -> usize {
        if self.worker.cpu_threads > 0 {
            self.worker.cpu_threads
        } else {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        }
    }
}

/// Which librdkafka client a property set is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientKind {
    /// The consumer of the input topic.
    Consumer,
    /// The producer of records and DLQ entries.
    Producer,
}

/// Whether a librdkafka property holds a secret that must never be logged.
pub fn is_secret_property(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["password", "secret", "key.pem", "sasl.jaas", "token"]
        .iter()
        .any(|s| name.contains(s))
}

/// The host name: `from_env` (the `HOSTNAME` variable, which Kubernetes sets to the pod's name)
/// when it is set, else the kernel's; `None` when neither is known.
fn hostname(from_env: Option<String>) -> Option<String> {
    from_env
        .filter(|h| !h.trim().is_empty())
        .or_else(|| std::fs::read_to_string("/proc/sys/kernel/hostname").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
}

fn scalar_to_string(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn parse_table(text: &str, origin: &str) -> Result<Table, ConfigError> {
    text.parse::<Table>().map_err(|e| ConfigError::Syntax {
        origin: origin.to_owned(),
        message: e.to_string(),
    })
}

/// Merges `overlay` into `base`: tables recursively, everything else replaced.
fn merge(base: &mut Table, overlay: Table) {
    for (key, value) in overlay {
        match (base.get_mut(&key), value) {
            (Some(Value::Table(b)), Value::Table(o)) => merge(b, o),
            (_, v) => {
                base.insert(key, v);
            }
        }
    }
}

/// Applies one `NEWSWORKER__A__B=value` variable to the table.
fn apply_env(table: &mut Table, var: &str, value: String) -> Result<(), ConfigError> {
    let env_error = |message: String| ConfigError::Env {
        var: var.to_owned(),
        message,
    };
    let path: Vec<String> = var[ENV_PREFIX.len()..]
        .split("__")
        .map(str::to_ascii_lowercase)
        .collect();
    if path.iter().any(String::is_empty) {
        return Err(env_error(
            "empty key segment (use __ only between levels)".into(),
        ));
    }
    let (mut key, parents) = match path.split_last() {
        Some((last, parents)) => (last.clone(), parents),
        None => return Err(env_error("no key after the prefix".into())),
    };
    let mut value = value;
    if let Some(stripped) = key.strip_suffix("_file") {
        value = std::fs::read_to_string(&value)
            .map_err(|e| env_error(format!("cannot read {value}: {e}")))?
            .trim_end_matches(['\n', '\r'])
            .to_owned();
        key = stripped.to_owned();
    }
    let in_properties = parents.last().is_some_and(|p| p.ends_with("properties"));
    let mut node = table;
    for part in parents {
        let entry = node
            .entry(part.clone())
            .or_insert_with(|| Value::Table(Table::new()));
        node = match entry {
            Value::Table(t) => t,
            _ => return Err(env_error(format!("`{part}` is a value, not a section"))),
        };
    }
    if in_properties {
        node.insert(key.replace('_', "."), Value::String(value));
    } else {
        node.insert(key, parse_scalar(&value));
    }
    Ok(())
}

/// Reads an environment value as a TOML scalar (number, boolean) when it is one, else a string.
fn parse_scalar(raw: &str) -> Value {
    format!("v = {raw}")
        .parse::<Table>()
        .ok()
        .and_then(|mut t| t.remove("v"))
        .filter(|v| !matches!(v, Value::Table(_)))
        .unwrap_or_else(|| Value::String(raw.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_alone_are_a_complete_config() {
        let c = Config::load_with_env(None, env(&[])).unwrap();
        assert_eq!(c.kafka.input_topic, "articles.raw");
        assert_eq!(c.limits.max_article_bytes, 2 * 1024 * 1024);
        assert!(c.cpu_threads() >= 1);
        assert_eq!(c.processing.guarantee, Guarantee::AtLeastOnce);
    }

    #[test]
    fn exactly_once_settings_and_the_derived_transactional_id() {
        let c = Config::load_with_env(
            None,
            env(&[
                ("NEWSWORKER__PROCESSING__GUARANTEE", "exactly_once"),
                ("NEWSWORKER__PROCESSING__TRANSACTION_MAX_MESSAGES", "50"),
            ]),
        )
        .unwrap();
        assert_eq!(c.processing.guarantee, Guarantee::ExactlyOnce);
        assert_eq!(c.processing.transaction_max_messages, 50);
        let derived = c.transactional_id().unwrap();
        assert!(derived.starts_with("newsworker-"), "{derived}");
        assert!(derived.len() > "newsworker-".len(), "{derived}");
        let c = Config::load_with_env(
            None,
            env(&[("NEWSWORKER__PROCESSING__TRANSACTIONAL_ID", "worker-0")]),
        )
        .unwrap();
        assert_eq!(c.transactional_id().unwrap(), "worker-0");
        let err = Config::load_with_env(
            None,
            env(&[("NEWSWORKER__PROCESSING__GUARANTEE", "exactly_twice")]),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("exactly_twice"), "{err}");
    }

    #[test]
    fn file_overrides_only_the_keys_it_names() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(
            &path,
            "[kafka]\nbrokers = \"b:1\"\n[kafka.properties]\n\"client.id\" = \"x\"\n",
        )
        .unwrap();
        let c = Config::load_with_env(Some(&path), env(&[])).unwrap();
        assert_eq!(c.kafka.brokers, "b:1");
        assert_eq!(c.kafka.group_id, "newsworker");
        let props = c.client_properties(ClientKind::Consumer);
        assert!(props.contains(&("client.id".into(), "x".into())));
        assert!(props.contains(&("auto.offset.reset".into(), "earliest".into())));
    }

    #[test]
    fn environment_overrides_keys_and_properties() {
        let dir = tempfile::tempdir().unwrap();
        let secret = dir.path().join("pw");
        std::fs::write(&secret, "s3cret\n").unwrap();
        let c = Config::load_with_env(
            None,
            env(&[
                ("NEWSWORKER__KAFKA__BROKERS", "kafka:9092"),
                ("NEWSWORKER__WORKER__MAX_IN_FLIGHT", "7"),
                ("NEWSWORKER__METRICS__LISTEN", "0.0.0.0:9464"),
                (
                    "NEWSWORKER__KAFKA__PROPERTIES__SASL_MECHANISM",
                    "SCRAM-SHA-256",
                ),
                (
                    "NEWSWORKER__KAFKA__PROPERTIES__SASL_PASSWORD_FILE",
                    secret.to_str().unwrap(),
                ),
                ("UNRELATED", "1"),
            ]),
        )
        .unwrap();
        assert_eq!(c.kafka.brokers, "kafka:9092");
        assert_eq!(c.worker.max_in_flight, 7);
        assert_eq!(c.metrics.listen.port(), 9464);
        let props = c.client_properties(ClientKind::Producer);
        assert!(props.contains(&("sasl.mechanism".into(), "SCRAM-SHA-256".into())));
        assert!(props.contains(&("sasl.password".into(), "s3cret".into())));
    }

    #[test]
    fn the_registry_password_comes_from_a_file_and_never_shows() {
        let dir = tempfile::tempdir().unwrap();
        let secret = dir.path().join("registry-password");
        std::fs::write(&secret, "hunter2\n").unwrap();
        let c = Config::load_with_env(
            None,
            env(&[
                ("NEWSWORKER__OUTPUT__FORMAT", "avro"),
                ("NEWSWORKER__SCHEMA_REGISTRY__BASIC_AUTH_USER", "sr"),
                (
                    "NEWSWORKER__SCHEMA_REGISTRY__BASIC_AUTH_PASSWORD_FILE",
                    secret.to_str().unwrap(),
                ),
            ]),
        )
        .unwrap();
        assert_eq!(c.output.format, OutputFormat::Avro);
        assert_eq!(c.schema_registry.basic_auth_password.expose(), "hunter2");
        assert!(!format!("{c:?}").contains("hunter2"));
    }

    #[test]
    fn unknown_keys_and_bad_values_are_reported() {
        let err = Config::load_with_env(None, env(&[("NEWSWORKER__KAFKA__BROKRS", "x")]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("brokrs"), "{err}");
        let err =
            Config::load_with_env(None, env(&[("NEWSWORKER__WORKER__MAX_IN_FLIGHT", "many")]))
                .unwrap_err()
                .to_string();
        assert!(err.contains("max_in_flight"), "{err}");
        let err = Config::load_with_env(None, env(&[("NEWSWORKER__KAFKA__BROKERS__X", "1")]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("not a section"), "{err}");
    }

    #[test]
    fn assignment_defaults_to_cooperative_sticky_and_switches_to_eager() {
        let c = Config::load_with_env(None, env(&[])).unwrap();
        assert_eq!(c.kafka.assignment, Assignment::CooperativeSticky);
        assert_eq!(c.kafka.assignment.strategy(), "cooperative-sticky");
        let c = Config::load_with_env(None, env(&[("NEWSWORKER__KAFKA__ASSIGNMENT", "eager")]))
            .unwrap();
        assert_eq!(c.kafka.assignment, Assignment::Eager);
        assert_eq!(c.kafka.assignment.strategy(), "range,roundrobin");
        let err = Config::load_with_env(None, env(&[("NEWSWORKER__KAFKA__ASSIGNMENT", "sticky")]))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("sticky") && err.contains("cooperative-sticky"),
            "{err}"
        );
        assert!(err.contains("eager"), "{err}");
    }

    #[test]
    fn properties_owned_by_kafka_keys_are_refused() {
        for (var, key) in [
            (
                "NEWSWORKER__KAFKA__CONSUMER_PROPERTIES__PARTITION_ASSIGNMENT_STRATEGY",
                "kafka.assignment",
            ),
            (
                "NEWSWORKER__KAFKA__PROPERTIES__GROUP_INSTANCE_ID",
                "kafka.group_instance_id",
            ),
            ("NEWSWORKER__KAFKA__PROPERTIES__GROUP_ID", "kafka.group_id"),
        ] {
            let err = Config::load_with_env(None, env(&[(var, "x")]))
                .unwrap_err()
                .to_string();
            assert!(err.contains(key), "{var}: {err}");
        }
    }

    #[test]
    fn the_consumer_protocol_refuses_classic_session_settings_and_exactly_once() {
        let consumer = ("NEWSWORKER__KAFKA__GROUP_PROTOCOL", "consumer");
        let c = Config::load_with_env(None, env(&[consumer])).unwrap();
        assert_eq!(c.kafka.group_protocol, GroupProtocol::Consumer);
        let err = Config::load_with_env(
            None,
            env(&[
                consumer,
                (
                    "NEWSWORKER__KAFKA__CONSUMER_PROPERTIES__SESSION_TIMEOUT_MS",
                    "6000",
                ),
            ]),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("session.timeout.ms") && err.contains("group.consumer.session"),
            "{err}"
        );
        let err = Config::load_with_env(
            None,
            env(&[
                consumer,
                ("NEWSWORKER__PROCESSING__GUARANTEE", "exactly_once"),
            ]),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("needs kafka.group_protocol"), "{err}");
        let classic = Config::load_with_env(None, env(&[])).unwrap();
        assert_eq!(classic.kafka.group_protocol, GroupProtocol::Classic);
    }

    #[test]
    fn group_instance_id_is_unset_literal_or_the_host_name() {
        let c = Config::load_with_env(None, env(&[("HOSTNAME", "pod-1")])).unwrap();
        assert_eq!(c.group_instance_id(), None);
        let c = Config::load_with_env(
            None,
            env(&[("NEWSWORKER__KAFKA__GROUP_INSTANCE_ID", " worker-a ")]),
        )
        .unwrap();
        assert_eq!(c.group_instance_id(), Some("worker-a"));
        let c = Config::load_with_env(
            None,
            env(&[
                ("NEWSWORKER__KAFKA__GROUP_INSTANCE_ID", "auto"),
                ("HOSTNAME", "newsworker-2"),
            ]),
        )
        .unwrap();
        assert_eq!(c.group_instance_id(), Some("newsworker-2"));
        // Without HOSTNAME the kernel's host name is used (every Linux machine has one).
        let c = Config::load_with_env(
            None,
            env(&[("NEWSWORKER__KAFKA__GROUP_INSTANCE_ID", "auto")]),
        )
        .unwrap();
        let kernel = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap();
        assert_eq!(c.group_instance_id(), Some(kernel.trim()));
    }

    #[test]
    fn secret_properties_are_recognised() {
        assert!(is_secret_property("sasl.password"));
        assert!(is_secret_property("ssl.key.password"));
        assert!(is_secret_property("sasl.oauthbearer.client.secret"));
        assert!(!is_secret_property("bootstrap.servers"));
    }
}
