//! Apicurio Registry for the tests: a real Schema Registry, and the real Confluent client that
//! reads what the worker wrote through it.
//!
//! `scripts/install-test-tools.sh` unpacks Apicurio Registry 2.6 (its `-all` distribution from
//! Maven Central; the 3.x line needs Java 21, the machines have 17) and makes a Python
//! environment with confluent-kafka and its Avro and JSON Schema extras from PyPI. A [`Registry`]
//! is one Apicurio JVM with schemas in memory, serving the Confluent-compatible API under
//! `/apis/ccompat/v7` on plain HTTP and on HTTPS with a self-signed certificate; it starts in
//! about 6–10 s, so a test binary shares one ([`Registry::shared`]) and each test keeps to its
//! own subjects (its own topics). Like the brokers, the JVM dies with the test process.
//!
//! [`consume`] runs `tests/registry/consume.py`: confluent-kafka's consumer with the
//! `AvroDeserializer` or `JSONDeserializer` and their registry client, which fetch each record's
//! schema by the id in its header, decode it and (JSON) validate it.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use super::kafka::{java, spawn_tied};
use super::{free_port, self_signed, tools_dir};

/// The Apicurio release the tests run (what `install-test-tools.sh` installs).
pub const APICURIO_VERSION: &str = "2.6.13.Final";

/// The Confluent-compatible API's path.
const CCOMPAT: &str = "/apis/ccompat/v7";

/// A running Apicurio Registry.
pub struct Registry {
    child: Child,
    port: u16,
    tls_port: u16,
    /// The certificate of its HTTPS port (self-signed: its own CA).
    pub ca: PathBuf,
    log: PathBuf,
}

impl Registry {
    /// The registry this test binary's tests share.
    pub fn shared() -> &'static Registry {
        static SHARED: OnceLock<Registry> = OnceLock::new();
        SHARED.get_or_init(Registry::start)
    }

    /// Starts a registry and waits until its API answers.
    pub fn start() -> Registry {
        let runner = tools_dir()
            .join(format!("apicurio-registry-{APICURIO_VERSION}"))
            .join(format!(
                "apicurio-registry-app-{APICURIO_VERSION}-runner.jar"
            ));
        assert!(
            runner.is_file(),
            "Apicurio Registry {APICURIO_VERSION} is not installed ({} is missing): run \
             `bash scripts/install-test-tools.sh`",
            runner.display()
        );
        let dir = tempfile::tempdir().expect("temp dir").keep();
        self_signed(&dir, "registry");
        let (port, tls_port) = (free_port(), free_port());
        let log = dir.join("registry.log");
        let mut command = Command::new(java());
        command
            .args(["-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"])
            .arg(format!("-Dquarkus.http.port={port}"))
            .arg(format!("-Dquarkus.http.ssl-port={tls_port}"))
            .arg("-Dquarkus.http.host=127.0.0.1")
            .arg(format!(
                "-Dquarkus.http.ssl.certificate.files={}",
                dir.join("registry.pem").display()
            ))
            .arg(format!(
                "-Dquarkus.http.ssl.certificate.key-files={}",
                dir.join("registry.key").display()
            ))
            .arg("-jar")
            .arg(&runner)
            .stdin(Stdio::null())
            .stdout(Stdio::from(std::fs::File::create(&log).expect("log")))
            .stderr(Stdio::null());
        let registry = Registry {
            child: spawn_tied(command),
            port,
            tls_port,
            ca: dir.join("registry.pem"),
            log,
        };
        registry.wait_ready(Duration::from_secs(90));
        registry
    }

    fn wait_ready(&self, within: Duration) {
        let started = Instant::now();
        while started.elapsed() < within {
            let answer = super::http_get(
                format!("127.0.0.1:{}", self.port).parse().expect("addr"),
                &format!("{CCOMPAT}/subjects"),
            );
            if answer.is_some_and(|(status, _)| status.contains("200")) {
                eprintln!(
                    "Apicurio Registry ready in {:.1} s",
                    started.elapsed().as_secs_f64()
                );
                return;
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        panic!(
            "Apicurio Registry did not answer within {within:?}; its log:\n{}",
            std::fs::read_to_string(&self.log).unwrap_or_default()
        );
    }

    /// The Confluent-compatible API over HTTP.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}{CCOMPAT}", self.port)
    }

    /// The same over HTTPS.
    pub fn https_url(&self) -> String {
        format!("https://127.0.0.1:{}{CCOMPAT}", self.tls_port)
    }

    /// The process id, for tests that check it still runs.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

/// The Python of the environment `install-test-tools.sh` makes for the registry client.
fn python() -> PathBuf {
    let python = tools_dir().join("registry-venv/bin/python");
    assert!(
        python.is_file(),
        "the registry client's Python environment is missing ({}): run \
         `bash scripts/install-test-tools.sh`",
        python.display()
    );
    python
}

/// The test's scripts.
fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/registry")
        .join(name)
}

/// Runs a Python `command` of the registry client; its standard output, or the test fails with
/// its standard error, saying it was `what`.
fn run_python(command: &mut Command, what: &str) -> Vec<u8> {
    let out = command.output().expect("run python");
    assert!(
        out.status.success(),
        "{what} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// What the Confluent consumer made of a topic.
#[derive(Debug)]
pub struct Consumed {
    /// Each record decoded (and for JSON Schema validated), as JSON, in topic order.
    pub records: Vec<serde_json::Value>,
    /// The schema ids in the records' headers.
    pub schema_ids: Vec<u32>,
    /// Why a record failed to decode, for each that did.
    pub failures: Vec<String>,
}

/// Reads `expected` records of `topic` (one partition) with confluent-kafka's deserializer of
/// `format` (`avro` or `json_schema`) against the registry at `registry_url`, as a
/// `read_committed` consumer.
pub fn consume(
    bootstrap: &str,
    topic: &str,
    registry_url: &str,
    format: &str,
    expected: usize,
) -> Consumed {
    let stdout = run_python(
        Command::new(python())
            .arg(script("consume.py"))
            .args(["--bootstrap", bootstrap, "--topic", topic])
            .args(["--registry", registry_url, "--format", format])
            .args(["--expected", &expected.to_string()]),
        "consume.py",
    );
    let mut consumed = Consumed {
        records: Vec::new(),
        schema_ids: Vec::new(),
        failures: Vec::new(),
    };
    for line in String::from_utf8_lossy(&stdout).lines() {
        let line: serde_json::Value = serde_json::from_str(line).expect("consume.py writes JSON");
        match line.get("error") {
            Some(error) => consumed.failures.push(error.to_string()),
            None => {
                consumed
                    .schema_ids
                    .push(line["schema_id"].as_u64().expect("schema id") as u32);
                consumed.records.push(line["record"].clone());
            }
        }
    }
    consumed
}

/// Runs `tests/registry/evolve.py` against the registry: what it reports, as JSON.
pub fn evolve(registry_url: &str, format: &str, subject: &str) -> serde_json::Value {
    let stdout = run_python(
        Command::new(python())
            .arg(script("evolve.py"))
            .args(["--registry", registry_url, "--format", format])
            .args(["--subject", subject])
            .arg("--schema-dir")
            .arg(super::repo_root().join("schema")),
        "evolve.py",
    );
    serde_json::from_slice(&stdout).expect("evolve.py writes JSON")
}

/// Registers `schema` (of `kind`, `AVRO` or `JSON`) under `subject` with the Confluent client
/// and sets the subject's compatibility `level`; returns the id.
pub fn register(registry_url: &str, subject: &str, kind: &str, schema: &str, level: &str) -> u32 {
    let program = "import sys\n\
        from confluent_kafka.schema_registry import Schema, SchemaRegistryClient\n\
        url, subject, kind, text, level = sys.argv[1:]\n\
        client = SchemaRegistryClient({'url': url})\n\
        print(client.register_schema(subject, Schema(text, kind)))\n\
        client.set_compatibility(subject, level)\n";
    let stdout = run_python(
        Command::new(python()).args(["-c", program, registry_url, subject, kind, schema, level]),
        &format!("registering under {subject}"),
    );
    String::from_utf8_lossy(&stdout)
        .trim()
        .parse()
        .expect("an id")
}
