//! The Schema Registry: where `avro` and `json_schema` records get the id they carry.
//!
//! Consumers of the Confluent wire format (Kafka Connect, ksqlDB, Flink, the Confluent clients)
//! read a record as a 0 byte, a 4-byte big-endian schema id, then the payload, and fetch the
//! schema by its id from the registry. The worker therefore settles the id once, at start-up,
//! and writes every record with that prefix: the registry is never on a record's path.
//!
//! At start-up, for the subject the naming strategy gives:
//! - `auto_register` (the default): the worker registers its schema. The registry checks it
//!   against the subject's compatibility level and answers the id (the existing one when the
//!   schema is already there), or refuses it as incompatible, which stops the worker with the
//!   registry's reason;
//! - otherwise the schema must be there already: looked up as it is, or with
//!   `use_latest_version` taken from the subject's latest version, which must be this worker's
//!   schema (records written with another schema's id would be misread).
//!
//! A registry that cannot be reached, refuses the login, or answers nonsense stops the worker
//! too, each with a message naming the registry (its URL without credentials) and the subject.
//! Requests are blocking (ureq) and few; the callers run them off the async reactor.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context};
use base64::Engine as _;
use newsworker_extract::contract::avro::{AvroSchema, NAMESPACE};
use newsworker_extract::contract::record::{PayloadFormat, RecordEncoding, JSON_SCHEMA};
use serde_json::{json, Value};

use crate::config::{Config, OutputFormat, SchemaRegistryConfig, SubjectNameStrategy};

/// The content type of the registry's API.
const CONTENT_TYPE: &str = "application/vnd.schemaregistry.v1+json";

/// The magic byte that opens the wire format.
const MAGIC: u8 = 0;

/// The encoding of records written to `output_topic` as `config.output.format` says: for the
/// registry formats, settled with the registry (blocking; call it off the async reactor).
pub fn record_encoding(config: &Config, output_topic: &str) -> anyhow::Result<RecordEncoding> {
    let format = config.output.format;
    let payload = match format {
        OutputFormat::Json => return Ok(RecordEncoding::default()),
        OutputFormat::JsonSchema => PayloadFormat::Json,
        OutputFormat::Avro => PayloadFormat::Avro,
    };
    let registry = Registry::new(&config.schema_registry).with_context(|| {
        format!(
            "output.format = \"{}\" needs a Schema Registry: set schema_registry.url",
            format.name()
        )
    })?;
    let schema = RegisteredSchema::of(format);
    let subject = subject(config.schema_registry.subject_name_strategy, output_topic);
    let id = registry.settle(&schema, &subject, &config.schema_registry)?;
    tracing::info!(
        subject,
        id,
        format = format.name(),
        registry = %registry.shown(),
        "records carry the registry's schema id"
    );
    Ok(RecordEncoding {
        format: payload,
        prefix: wire_prefix(id),
    })
}

/// The wire format's header for schema `id`.
pub fn wire_prefix(id: u32) -> Vec<u8> {
    let mut prefix = vec![MAGIC];
    prefix.extend_from_slice(&id.to_be_bytes());
    prefix
}

/// The subject of the records' schema on `topic`.
pub fn subject(strategy: SubjectNameStrategy, topic: &str) -> String {
    let record = format!("{NAMESPACE}.Record");
    match strategy {
        SubjectNameStrategy::Topic => format!("{topic}-value"),
        SubjectNameStrategy::Record => record,
        SubjectNameStrategy::TopicRecord => format!("{topic}-{record}"),
    }
}

/// The schema as a registry stores it.
pub struct RegisteredSchema {
    /// `AVRO` or `JSON`.
    pub kind: &'static str,
    /// The schema's text.
    pub text: String,
}

impl RegisteredSchema {
    /// The records' schema in `format` (a registry format).
    pub fn of(format: OutputFormat) -> Self {
        match format {
            OutputFormat::Avro => RegisteredSchema {
                kind: "AVRO",
                text: AvroSchema::record().text().to_owned(),
            },
            OutputFormat::Json | OutputFormat::JsonSchema => RegisteredSchema {
                kind: "JSON",
                text: JSON_SCHEMA.to_owned(),
            },
        }
    }

    fn body(&self) -> Value {
        json!({"schemaType": self.kind, "schema": self.text})
    }

    /// Whether `text` (a schema the registry holds) is this schema: equal as JSON, since a
    /// registry may store it reformatted.
    fn is(&self, text: &str) -> bool {
        let parse = |t: &str| serde_json::from_str::<Value>(t).ok();
        parse(text).is_some_and(|theirs| Some(theirs) == parse(&self.text))
    }
}

/// A client of one registry (several URLs of it, tried in order).
pub struct Registry {
    urls: Vec<String>,
    agent: ureq::Agent,
    authorization: Option<String>,
}

/// What a request came back with.
enum Answer {
    /// 2xx, and its JSON body.
    Ok(Value),
    /// Another status, and the registry's message.
    Refused(u16, String),
}

impl Registry {
    /// A client as `config` says; refuses an empty URL and unreadable credential files.
    pub fn new(config: &SchemaRegistryConfig) -> anyhow::Result<Self> {
        let urls: Vec<String> = config
            .url
            .split(',')
            .map(|u| u.trim().trim_end_matches('/').to_owned())
            .filter(|u| !u.is_empty())
            .collect();
        if urls.is_empty() {
            bail!("schema_registry.url is empty");
        }
        let timeout = Duration::from_millis(config.timeout_ms.max(1));
        let agent = ureq::AgentBuilder::new()
            .timeout_connect(timeout)
            .timeout(timeout)
            .tls_connector(Arc::new(tls(config)?))
            .build();
        let authorization = match config.basic_auth_user.as_str() {
            "" => None,
            user => {
                let pair = format!("{user}:{}", config.basic_auth_password.expose());
                Some(format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(pair)
                ))
            }
        };
        Ok(Registry {
            urls,
            agent,
            authorization,
        })
    }

    /// The registry's URLs as messages show them: without any credentials in them.
    pub fn shown(&self) -> String {
        self.urls
            .iter()
            .map(|u| without_credentials(u))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The id records of `schema` carry under `subject`, as `config` says to settle it.
    pub fn settle(
        &self,
        schema: &RegisteredSchema,
        subject: &str,
        config: &SchemaRegistryConfig,
    ) -> anyhow::Result<u32> {
        let path = format!("subjects/{}", escape(subject));
        if config.use_latest_version {
            let latest = match self.call("GET", &format!("{path}/versions/latest"), None)? {
                Answer::Ok(latest) => latest,
                Answer::Refused(404, _) => bail!(
                    "subject {subject} has no version in the Schema Registry at {}, and \
                     schema_registry.use_latest_version says not to register one: register the \
                     worker's schema (`newsworker schema --format {}`) or set use_latest_version \
                     = false",
                    self.shown(),
                    format_name(schema)
                ),
                Answer::Refused(status, message) => {
                    bail!(self.refusal(subject, status, &message))
                }
            };
            let theirs = latest["schema"].as_str().unwrap_or_default();
            if !schema.is(theirs) {
                bail!(
                    "the latest version ({}) of subject {subject} in the Schema Registry at {} is \
                     not this worker's schema: register it (`newsworker schema --format {}`), or \
                     set use_latest_version = false to look up or register this one",
                    latest["version"],
                    self.shown(),
                    format_name(schema)
                );
            }
            return id_of(&latest, subject);
        }
        let (endpoint, verb) = if config.auto_register {
            (format!("{path}/versions"), "register")
        } else {
            (path, "look up")
        };
        match self.call("POST", &endpoint, Some(schema.body()))? {
            Answer::Ok(answer) => id_of(&answer, subject),
            Answer::Refused(404, _) => bail!(
                "the records' schema is not registered under subject {subject} in the Schema \
                 Registry at {}, and schema_registry.auto_register is false: register it \
                 (`newsworker schema --format {}`), or set auto_register = true",
                self.shown(),
                format_name(schema)
            ),
            Answer::Refused(409, message) => bail!(
                "the Schema Registry at {} refuses the records' schema under subject {subject}: \
                 it is incompatible with the registered versions under the subject's \
                 compatibility level ({message}). Write to a new subject or topic, or change the \
                 subject's compatibility level if its consumers can take the change",
                self.shown()
            ),
            Answer::Refused(status, message) => {
                Err(anyhow::anyhow!(self.refusal(subject, status, &message))
                    .context(format!("cannot {verb} the records' schema")))
            }
        }
    }

    /// The message for an answer the worker cannot go on with.
    fn refusal(&self, subject: &str, status: u16, message: &str) -> String {
        let hint = match status {
            401 | 403 => " (check schema_registry.basic_auth_user and basic_auth_password)",
            422 => " (the registry cannot parse the schema: is it a registry for this format?)",
            _ => "",
        };
        format!(
            "the Schema Registry at {} answered {status} for subject {subject}: {message}{hint}",
            self.shown()
        )
    }

    /// One request, to each URL in turn until one answers.
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> anyhow::Result<Answer> {
        let mut failures = Vec::new();
        for url in &self.urls {
            let mut request = self
                .agent
                .request(method, &format!("{url}/{path}"))
                .set("Accept", CONTENT_TYPE);
            if let Some(authorization) = &self.authorization {
                request = request.set("Authorization", authorization);
            }
            let response = match &body {
                Some(body) => request
                    .set("Content-Type", CONTENT_TYPE)
                    .send_string(&body.to_string()),
                None => request.call(),
            };
            match response {
                Ok(response) => {
                    let text = response
                        .into_string()
                        .context("reading the registry's answer")?;
                    let value = serde_json::from_str(&text).with_context(|| {
                        format!("the Schema Registry at {url} answered {path} with no JSON")
                    })?;
                    return Ok(Answer::Ok(value));
                }
                Err(ureq::Error::Status(status, response)) => {
                    let text = response.into_string().unwrap_or_default();
                    let message = serde_json::from_str::<Value>(&text)
                        .ok()
                        .and_then(|v| v["message"].as_str().map(str::to_owned))
                        .unwrap_or(text);
                    return Ok(Answer::Refused(status, message));
                }
                Err(ureq::Error::Transport(transport)) => {
                    failures.push(format!("{}: {transport}", without_credentials(url)))
                }
            }
        }
        bail!(
            "cannot reach the Schema Registry ({}): check schema_registry.url, that the \
             registry runs, and its TLS settings",
            failures.join("; ")
        )
    }
}

/// The `newsworker schema --format` value of a schema.
fn format_name(schema: &RegisteredSchema) -> &'static str {
    match schema.kind {
        "AVRO" => "avro",
        _ => "json_schema",
    }
}

/// The `id` of a registry's answer.
fn id_of(answer: &Value, subject: &str) -> anyhow::Result<u32> {
    answer["id"]
        .as_u64()
        .and_then(|id| u32::try_from(id).ok())
        .with_context(|| {
            format!("the Schema Registry gave subject {subject} no schema id: {answer}")
        })
}

/// The TLS connector: the system's roots, the configured CA, and a client identity.
fn tls(config: &SchemaRegistryConfig) -> anyhow::Result<native_tls::TlsConnector> {
    let mut builder = native_tls::TlsConnector::builder();
    if !config.ca_location.as_os_str().is_empty() {
        let pem = read(&config.ca_location, "ca_location")?;
        let ca = native_tls::Certificate::from_pem(pem.as_bytes())
            .context("schema_registry.ca_location holds no PEM certificate")?;
        builder.add_root_certificate(ca);
    }
    match (
        config.certificate_location.as_os_str().is_empty(),
        config.key_location.as_os_str().is_empty(),
    ) {
        (true, true) => {}
        (false, false) => {
            let cert = read(&config.certificate_location, "certificate_location")?;
            let key = read(&config.key_location, "key_location")?;
            let identity = native_tls::Identity::from_pkcs8(cert.as_bytes(), key.as_bytes())
                .context("schema_registry.certificate_location and key_location are not a PEM certificate and its PKCS #8 key")?;
            builder.identity(identity);
        }
        _ => bail!("schema_registry.certificate_location and key_location go together: set both or neither"),
    }
    builder
        .build()
        .context("cannot set up TLS for the Schema Registry")
}

/// Reads the file of setting `key`.
fn read(path: &Path, key: &str) -> anyhow::Result<String> {
    std::fs::read_to_string(path)
        .with_context(|| format!("cannot read schema_registry.{key} ({})", path.display()))
}

/// `url` without a `user:password@` part.
fn without_credentials(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}{}", &url[..scheme + 3], &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

/// A subject as a path segment (subjects may hold `.`, `-`, `_` and, rarely, others).
fn escape(subject: &str) -> String {
    subject
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_follow_confluents_strategies() {
        assert_eq!(
            subject(SubjectNameStrategy::Topic, "articles.records"),
            "articles.records-value"
        );
        assert_eq!(
            subject(SubjectNameStrategy::Record, "x"),
            "newsworker.Record"
        );
        assert_eq!(
            subject(SubjectNameStrategy::TopicRecord, "t"),
            "t-newsworker.Record"
        );
    }

    #[test]
    fn the_wire_prefix_is_magic_then_the_big_endian_id() {
        assert_eq!(wire_prefix(0x0102_0304), [0, 1, 2, 3, 4]);
    }

    #[test]
    fn credentials_never_show_in_messages() {
        assert_eq!(
            without_credentials("https://bob:secret@registry:8081/apis"),
            "https://registry:8081/apis"
        );
        assert_eq!(without_credentials("http://r:8081"), "http://r:8081");
    }

    #[test]
    fn subjects_are_escaped_as_path_segments() {
        assert_eq!(escape("a.b-value"), "a.b-value");
        assert_eq!(escape("a b/c"), "a%20b%2Fc");
    }

    #[test]
    fn a_schema_is_recognised_however_the_registry_formats_it() {
        let schema = RegisteredSchema::of(OutputFormat::Avro);
        let compact =
            serde_json::to_string(&serde_json::from_str::<Value>(&schema.text).unwrap()).unwrap();
        assert!(schema.is(&compact));
        assert!(!schema.is("{\"type\": \"string\"}"));
    }
}
