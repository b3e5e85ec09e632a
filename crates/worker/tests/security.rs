//! Security: TLS to the broker, credentials that never leak, and an operations endpoint that
//! serves nothing else.
//!
//! - TLS: tansu 0.6 cannot serve TLS itself (its `--cert` and `--key` flags exclude each other),
//!   so the test puts a TLS terminator in front of it (socat, from Debian), with a certificate
//!   made for the test, and has the broker advertise the terminator's port. The worker then
//!   speaks TLS for every connection, verifies the certificate against the CA it is given, and
//!   refuses a broker whose certificate it does not trust.
//! - SASL: the broker requires authentication (`--authentication`, users made by `tansu user
//!   create`). The worker is given a password, once in the environment and once in a file (as an
//!   orchestrator mounts secrets); neither copy may appear in its log — with librdkafka's
//!   security and configuration debugging on — in `/metrics` or in `/readyz`, and a failed
//!   authentication must be reported plainly. (A successful SCRAM exchange is out of reach here:
//!   tansu 0.6 answers librdkafka's correct SCRAM proof with `invalid-proof`, while kafka-python
//!   authenticates as the same user; see the README's Reliability section.)
//! - The operations endpoint binds where configured and answers only GET/HEAD on `/metrics`,
//!   `/healthz` and `/readyz`.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// A TLS terminator (socat) in front of a broker, with its own certificate authority.
struct TlsFront {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl TlsFront {
    /// Makes a self-signed certificate for 127.0.0.1 and starts socat forwarding TLS on a free
    /// port to the broker's plain port.
    fn start(broker: &Broker) -> TlsFront {
        let dir = tempfile::tempdir().expect("temp dir");
        self_signed(dir.path(), "server");
        let port = free_port();
        let child = Command::new("socat")
            .arg(format!(
                "OPENSSL-LISTEN:{port},reuseaddr,fork,cert={},key={},verify=0",
                dir.path().join("server.pem").display(),
                dir.path().join("server.key").display()
            ))
            .arg(format!("TCP:127.0.0.1:{}", broker.port()))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start socat (bash scripts/install-test-tools.sh installs it)");
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "socat did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        TlsFront { child, port, dir }
    }

    fn bootstrap(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// The certificate clients must trust.
    fn ca(&self) -> PathBuf {
        self.dir.path().join("server.pem")
    }
}

impl Drop for TlsFront {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Writes `NAME.pem` and `NAME.key` into `dir`: a self-signed certificate for 127.0.0.1.
fn self_signed(dir: &Path, name: &str) {
    let status = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        ])
        .args(["-subj", "/CN=127.0.0.1"])
        .args(["-addext", "subjectAltName=IP:127.0.0.1"])
        .arg("-keyout")
        .arg(dir.join(format!("{name}.key")))
        .arg("-out")
        .arg(dir.join(format!("{name}.pem")))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run openssl");
    assert!(status.success(), "openssl could not make a certificate");
}

/// librdkafka properties for TLS trusting `ca`, as (name, value) pairs.
fn tls_properties(ca: &Path) -> Vec<(&'static str, String)> {
    vec![
        ("security.protocol", "SSL".to_owned()),
        ("ssl.ca.location", ca.display().to_string()),
    ]
}

/// The same properties as the worker's environment variables.
fn as_env(properties: &[(&'static str, String)]) -> Vec<(String, String)> {
    properties
        .iter()
        .map(|(k, v)| {
            let key = k.replace('.', "_").to_ascii_uppercase();
            (format!("NEWSWORKER__KAFKA__PROPERTIES__{key}"), v.clone())
        })
        .collect()
}

fn start_worker(bootstrap: &str, topics: &Topics, group: &str, env: &[(String, String)]) -> Worker {
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    Worker::start_at(bootstrap, topics, group, &env)
}

#[test]
fn the_worker_speaks_tls_to_the_broker_and_verifies_its_certificate() {
    let mut broker = Broker::start();
    let topics = Topics::create(&broker, "tls", 2);
    let tls = TlsFront::start(&broker);
    broker.restart_with(tls.port, &[]);

    let properties = tls_properties(&tls.ca());
    let pairs: Vec<(&str, &str)> = properties.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let client = client(&tls.bootstrap(), &pairs);
    let inputs: Vec<TimedInput> = (0..20)
        .map(|i| {
            let text = format!("Story {i}. The minister said on Monday that talks would resume.");
            (
                None,
                serde_json::json!({ "text": text }).to_string().into_bytes(),
                None,
            )
        })
        .collect();
    produce_with(&client, &topics.raw, &inputs);

    let mut worker = start_worker(&tls.bootstrap(), &topics, "tls", &as_env(&properties));
    worker.wait_ready(Duration::from_secs(60));
    let records = read_topic_with(
        &client,
        &topics.records,
        1,
        inputs.len(),
        Duration::from_secs(60),
    );
    assert_eq!(records.len(), inputs.len(), "{}", worker.log());
    worker.stop_cleanly("worker");

    // A CA that did not sign the broker's certificate: no connection, and the log says why.
    let stranger = tempfile::tempdir().expect("temp dir");
    self_signed(stranger.path(), "stranger");
    let distrust = tls_properties(&stranger.path().join("stranger.pem"));
    let worker = start_worker(&tls.bootstrap(), &topics, "tls", &as_env(&distrust));
    let log = wait_for_log(&worker, "certificate verify failed");
    assert!(
        worker
            .get("/readyz")
            .is_some_and(|(s, _)| s.contains(" 503")),
        "{log}"
    );
}

#[test]
fn credentials_never_reach_logs_or_metrics_and_failed_logins_are_reported() {
    let mut broker = Broker::start();
    let topics = Topics::create(&broker, "sasl", 1);
    broker.create_user("newsworker", "the-right-password");
    let port = broker.port();
    broker.restart_with(port, &["--authentication"]);

    let secret = "wrong-password-that-must-not-leak";
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("sasl-password");
    std::fs::write(&file, format!("{secret}-from-file\n")).expect("write secret");
    let common = [
        (
            "NEWSWORKER__KAFKA__PROPERTIES__SECURITY_PROTOCOL",
            "SASL_PLAINTEXT",
        ),
        (
            "NEWSWORKER__KAFKA__PROPERTIES__SASL_MECHANISM",
            "SCRAM-SHA-256",
        ),
        ("NEWSWORKER__KAFKA__PROPERTIES__SASL_USERNAME", "newsworker"),
        (
            "NEWSWORKER__KAFKA__PROPERTIES__DEBUG",
            "security,conf,generic",
        ),
        ("RUST_LOG", "debug"),
    ];
    let file_var = file.display().to_string();
    let sources: [(&str, &str, String); 2] = [
        (
            "NEWSWORKER__KAFKA__PROPERTIES__SASL_PASSWORD",
            secret,
            secret.to_owned(),
        ),
        (
            "NEWSWORKER__KAFKA__PROPERTIES__SASL_PASSWORD_FILE",
            &file_var,
            format!("{secret}-from-file"),
        ),
    ];
    for (variable, value, password) in &sources {
        let mut env: Vec<(&str, &str)> = common.to_vec();
        env.push((variable, value));
        let worker = Worker::start(&broker, &topics, "sasl", &env);
        let log = wait_for_log(&worker, "SASL authentication error");
        let (_, metrics) = worker.get("/metrics").expect("metrics served");
        let (ready, why) = worker.get("/readyz").expect("readyz served");
        assert!(ready.contains(" 503"), "{ready} {why}");
        for (place, text) in [("log", &log), ("/metrics", &metrics), ("/readyz", &why)] {
            assert!(
                !text.contains(password.as_str()),
                "the password from {variable} appears in the {place}"
            );
        }
        worker.stop_cleanly("worker");
    }
}

#[test]
fn the_operations_endpoint_binds_where_configured_and_serves_nothing_else() {
    let broker = Broker::start();
    let topics = Topics::create(&broker, "ops", 1);
    let mut worker = Worker::start(&broker, &topics, "ops", &[]);
    worker.wait_ready(Duration::from_secs(60));
    let port = worker.metrics.port();
    // Bound to 127.0.0.1 only: another loopback address has nothing listening on the port.
    assert!(TcpStream::connect(("127.0.0.2", port)).is_err());
    for path in ["/metrics", "/healthz", "/readyz"] {
        assert!(
            worker.get(path).is_some_and(|(s, _)| s.contains(" 200")),
            "{path}"
        );
    }
    for path in ["/", "/admin", "/metrics/../config", "/debug/pprof", "/env"] {
        assert!(
            worker.get(path).is_some_and(|(s, _)| s.contains(" 404")),
            "{path}"
        );
    }
    for method in ["POST", "PUT", "DELETE"] {
        let status = raw_request(worker.metrics, method, "/metrics");
        assert!(status.contains(" 405"), "{method}: {status}");
    }
    worker.stop_cleanly("worker");
}

/// Sends `METHOD path` with an empty body and returns the status line.
fn raw_request(addr: std::net::SocketAddr, method: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response.lines().next().unwrap_or_default().to_owned()
}

/// Waits until the worker's log contains `needle`; returns the log.
fn wait_for_log(worker: &Worker, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let log = worker.log();
        if log.contains(needle) {
            return log;
        }
        assert!(
            Instant::now() < deadline,
            "the log never said {needle:?}:\n{log}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}
