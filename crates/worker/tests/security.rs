//! Security on Apache Kafka's own listeners: TLS served by the broker, SASL logins that
//! succeed with every mechanism a user is likely to meet, credentials that never leak, a wrong
//! password refused at start-up, and an operations endpoint that serves nothing else.
//!
//! One broker serves the binary's tests, with four listeners: the plain one (the tests' own
//! clients produce and read there), `TLS` (SSL, the broker's certificate made for the test),
//! `SASL` (SASL_PLAINTEXT) and `SASLTLS` (SASL_SSL), the SASL ones with PLAIN, SCRAM-SHA-256,
//! SCRAM-SHA-512 (users made when the node is formatted) and OAUTHBEARER (the broker's unsecured
//! test tokens, which librdkafka makes with `enable.sasl.oauthbearer.unsecure.jwt`).
//!
//! - TLS: the worker speaks TLS for every connection, verifies the certificate against the CA
//!   it is given, and refuses a broker whose certificate it does not trust.
//! - SASL: a worker logs in with each mechanism and turns articles into records; with librdkafka's
//!   security and configuration debugging on, its password — given once in the environment and
//!   once in a file, as an orchestrator mounts secrets — appears neither in its log, nor in
//!   `/metrics`, nor in `/readyz`. A wrong password stops the worker at start-up with an error
//!   that says the login was refused, again without the password.
//! - The operations endpoint binds where configured and answers only GET/HEAD on `/metrics`,
//!   `/healthz` and `/readyz`.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::kafka::{Options, Protocol, Tls};
use common::*;

/// The SASL user every login uses, and its password.
const USER: &str = "newsworker";
const PASSWORD: &str = "the-right-password";

/// The broker of this binary's tests, with its TLS and SASL listeners, and the directory of its
/// certificate.
fn secure_broker() -> &'static (&'static Broker, PathBuf) {
    static BROKER: OnceLock<(&'static Broker, PathBuf)> = OnceLock::new();
    BROKER.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir").keep();
        self_signed(&dir, "server");
        let options = Options {
            tls: Some(Tls {
                key: dir.join("server.key"),
                certificate: dir.join("server.pem"),
                ca: dir.join("server.pem"),
            }),
            users: vec![(USER.to_owned(), PASSWORD.to_owned())],
            ..Options::default()
        }
        .listener("TLS", Protocol::Ssl)
        .listener("SASL", Protocol::SaslPlaintext)
        .listener("SASLTLS", Protocol::SaslSsl);
        (Broker::start_with(options).until_exit(), dir)
    })
}

/// The CA that signed the broker's certificate (the certificate itself: it is self-signed).
fn broker_ca() -> PathBuf {
    secure_broker().1.join("server.pem")
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

/// `n` small articles.
fn articles(n: usize) -> Vec<TimedInput> {
    (0..n)
        .map(|i| {
            let text = format!("Story {i}. The minister said on Monday that talks would resume.");
            (
                None,
                serde_json::json!({ "text": text }).to_string().into_bytes(),
                None,
            )
        })
        .collect()
}

#[test]
fn the_worker_speaks_tls_to_the_broker_and_verifies_its_certificate() {
    let broker = secure_broker().0;
    let topics = Topics::create(broker, "tls", 2);
    let tls = broker.listener("TLS");
    let properties = tls_properties(&broker_ca());
    let pairs: Vec<(&str, &str)> = properties.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let client = client(&tls, &pairs);
    let inputs = articles(20);
    produce_with(&client, &topics.raw, &inputs);

    let mut worker = start_worker(&tls, &topics, "tls", &as_env(&properties));
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
    let worker = start_worker(&tls, &topics, "tls", &as_env(&distrust));
    let log = wait_for_log(&worker, "certificate verify failed");
    assert!(
        worker
            .get("/readyz")
            .is_some_and(|(s, _)| s.contains(" 503")),
        "{log}"
    );
}

/// The worker's environment for a SASL login with `mechanism` over `protocol`, with
/// librdkafka's security debugging on; the password is left to the caller.
fn sasl_env(mechanism: &str, protocol: &str) -> Vec<(String, String)> {
    let mut env = vec![
        ("security.protocol", protocol.to_owned()),
        ("sasl.mechanism", mechanism.to_owned()),
        ("debug", "security,conf,generic".to_owned()),
    ];
    if mechanism == "OAUTHBEARER" {
        env.push(("enable.sasl.oauthbearer.unsecure.jwt", "true".to_owned()));
        env.push(("sasl.oauthbearer.config", format!("principal={USER}")));
    } else {
        env.push(("sasl.username", USER.to_owned()));
    }
    if protocol == "SASL_SSL" {
        env.push(("ssl.ca.location", broker_ca().display().to_string()));
    }
    let mut env = as_env(&env);
    env.push(("RUST_LOG".to_owned(), "debug".to_owned()));
    env
}

#[test]
fn every_sasl_mechanism_logs_in_and_the_password_never_leaks() {
    let broker = secure_broker().0;
    let dir = tempfile::tempdir().expect("temp dir");
    let password_file = dir.path().join("sasl-password");
    std::fs::write(&password_file, format!("{PASSWORD}\n")).expect("write secret");
    let logins = [
        ("PLAIN", "SASL_PLAINTEXT", "SASL"),
        ("SCRAM-SHA-256", "SASL_PLAINTEXT", "SASL"),
        ("SCRAM-SHA-512", "SASL_SSL", "SASLTLS"),
        ("OAUTHBEARER", "SASL_PLAINTEXT", "SASL"),
    ];
    // The four workers run at once, each on topics and a group of its own.
    let runs: Vec<_> = logins
        .iter()
        .enumerate()
        .map(|(i, (mechanism, protocol, listener))| {
            let name = format!("sasl-{}", mechanism.to_ascii_lowercase());
            let topics = Topics::create(broker, &name, 1);
            produce_timed(broker, &topics.raw, &articles(10));
            let mut env = sasl_env(mechanism, protocol);
            if *mechanism != "OAUTHBEARER" {
                // The password once from the environment, once from a file.
                env.push(if i % 2 == 0 {
                    (
                        "NEWSWORKER__KAFKA__PROPERTIES__SASL_PASSWORD".to_owned(),
                        PASSWORD.to_owned(),
                    )
                } else {
                    (
                        "NEWSWORKER__KAFKA__PROPERTIES__SASL_PASSWORD_FILE".to_owned(),
                        password_file.display().to_string(),
                    )
                });
            }
            let worker = start_worker(&broker.listener(listener), &topics, &name, &env);
            (*mechanism, topics, worker)
        })
        .collect();
    for (mechanism, topics, mut worker) in runs {
        worker.wait_ready(Duration::from_secs(60));
        let records = read_topic(broker, &topics.records, 1, 10, Duration::from_secs(60));
        assert_eq!(records.len(), 10, "{mechanism}:\n{}", worker.log());
        let (_, metrics) = worker.get("/metrics").expect("metrics served");
        let (_, ready) = worker.get("/readyz").expect("readyz served");
        let log = worker.stop_cleanly(mechanism);
        for (place, text) in [("log", &log), ("/metrics", &metrics), ("/readyz", &ready)] {
            assert!(
                !text.contains(PASSWORD),
                "{mechanism}: the password appears in the {place}"
            );
        }
    }
}

#[test]
fn a_wrong_password_stops_the_worker_at_start_up_saying_the_login_was_refused() {
    let broker = secure_broker().0;
    let topics = Topics::create(broker, "sasl-wrong", 1);
    let secret = "wrong-password-that-must-not-leak";
    for mechanism in ["PLAIN", "SCRAM-SHA-256"] {
        let mut env = sasl_env(mechanism, "SASL_PLAINTEXT");
        env.push((
            "NEWSWORKER__KAFKA__PROPERTIES__SASL_PASSWORD".to_owned(),
            secret.to_owned(),
        ));
        let started = Instant::now();
        let worker = start_worker(&broker.listener("SASL"), &topics, "sasl-wrong", &env);
        let (status, log) = worker.wait_exit(Duration::from_secs(30));
        assert!(!status.success(), "{mechanism}: exit {status}:\n{log}");
        assert!(
            plain(&log).contains("refused the login"),
            "{mechanism}: the start-up error says the login was refused:\n{log}"
        );
        assert!(
            !log.contains(secret),
            "{mechanism}: the password appears in the log"
        );
        eprintln!("{mechanism}: refused after {:?}", started.elapsed());
    }
}

#[test]
fn the_operations_endpoint_binds_where_configured_and_serves_nothing_else() {
    let broker = secure_broker().0;
    let topics = Topics::create(broker, "ops", 1);
    let mut worker = Worker::start(broker, &topics, "ops", &[]);
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
