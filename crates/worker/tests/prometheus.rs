//! Monitoring as shipped: a real Prometheus (Debian's package) scrapes a worker processing
//! articles on the test broker with the rules in `deploy/prometheus/alerts.yml`. The worker's
//! series must exist, every recording and alerting rule must evaluate without error, and every
//! metric name the deploy files reference must be one the worker exports.

mod common;

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

struct Prometheus {
    child: Child,
    addr: SocketAddr,
    _dir: tempfile::TempDir,
}

impl Prometheus {
    fn start(target: SocketAddr) -> Prometheus {
        let dir = tempfile::tempdir().unwrap();
        let rules = repo_root().join("deploy/prometheus/alerts.yml");
        let config = format!(
            "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files:\n  - {}\nscrape_configs:\n  - job_name: newsworker\n    static_configs:\n      - targets: ['{target}']\n",
            rules.display()
        );
        std::fs::write(dir.path().join("prometheus.yml"), config).unwrap();
        let addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
        let binary = ["/usr/bin/prometheus", "/usr/local/bin/prometheus"]
            .into_iter()
            .find(|p| std::path::Path::new(p).exists())
            .expect("prometheus is not installed: run `bash scripts/install-test-tools.sh`");
        let child = Command::new(binary)
            .arg(format!(
                "--config.file={}",
                dir.path().join("prometheus.yml").display()
            ))
            .arg(format!(
                "--storage.tsdb.path={}",
                dir.path().join("data").display()
            ))
            .arg(format!("--web.listen-address={addr}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start prometheus");
        Prometheus {
            child,
            addr,
            _dir: dir,
        }
    }

    /// GET an API path; the parsed JSON `data` of a successful answer.
    fn api(&self, path: &str) -> Option<serde_json::Value> {
        let (status, body) = http_get(self.addr, path)?;
        if !status.contains(" 200") {
            return None;
        }
        let v: serde_json::Value = serde_json::from_str(&body).ok()?;
        (v["status"] == "success").then(|| v["data"].clone())
    }

    fn query(&self, expr: &str) -> Vec<serde_json::Value> {
        self.api(&format!("/api/v1/query?query={}", percent_encode(expr)))
            .and_then(|d| d["result"].as_array().cloned())
            .unwrap_or_default()
    }
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Metric names referenced by the files under deploy/ (recording rules' `newsworker:` names are
/// the rules' own outputs, not worker metrics).
fn names_referenced_by_deploy() -> BTreeSet<String> {
    let name = regex::Regex::new(r"\bnewsworker_[a-z0-9_]*[a-z0-9]").unwrap();
    let mut names = BTreeSet::new();
    let mut stack = vec![repo_root().join("deploy")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yml" | "yaml" | "json")
            ) {
                let text = std::fs::read_to_string(&path).unwrap();
                names.extend(name.find_iter(&text).map(|m| m.as_str().to_owned()));
            }
        }
    }
    names
}

#[test]
fn prometheus_scrapes_the_worker_and_every_rule_evaluates() {
    let broker = Broker::shared();
    let topics = Topics::create(broker, "prom", 2);
    let mut inputs: Vec<(Option<Vec<u8>>, Vec<u8>)> = (0..30)
        .map(|i| {
            (
                None,
                format!("Article {i}. The minister spoke on Monday.").into_bytes(),
            )
        })
        .collect();
    inputs.push((None, b"{not json".to_vec()));
    produce(broker, &topics.raw, &inputs);
    let mut worker = Worker::start(broker, &topics, "prom", &[]);
    worker.wait_ready(Duration::from_secs(60));
    read_topic(broker, &topics.records, 1, 30, Duration::from_secs(60));

    // Every metric name the deploy files use is exported by the worker.
    let (_, exported) = worker.get("/metrics").expect("/metrics");
    let exported_names: BTreeSet<&str> = exported
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split(['{', ' ']).next())
        .collect();
    let referenced = names_referenced_by_deploy();
    assert!(
        referenced.len() >= 10,
        "deploy files reference too few metrics: {referenced:?}"
    );
    let unknown: Vec<_> = referenced
        .iter()
        .filter(|n| !exported_names.contains(n.as_str()))
        .collect();
    assert!(
        unknown.is_empty(),
        "deploy files use metrics the worker does not export: {unknown:?}"
    );

    // A real Prometheus with the shipped rules scrapes it.
    let prometheus = Prometheus::start(worker.metrics);
    let deadline = Instant::now() + Duration::from_secs(90);
    let rules = loop {
        let up = prometheus.query("up{job=\"newsworker\"} == 1");
        let produced = prometheus.query("newsworker_records_produced_total{job=\"newsworker\"}");
        let rules = prometheus.api("/api/v1/rules").unwrap_or_default();
        let all: Vec<serde_json::Value> = rules["groups"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|g| g["rules"].as_array().cloned().unwrap_or_default())
            .collect();
        let evaluated = !all.is_empty() && all.iter().all(|r| r["health"] != "unknown");
        if !up.is_empty() && !produced.is_empty() && evaluated {
            break all;
        }
        assert!(
            Instant::now() < deadline,
            "prometheus did not scrape and evaluate in time"
        );
        std::thread::sleep(Duration::from_millis(500));
    };
    let produced = prometheus.query("newsworker_records_produced_total");
    assert_eq!(produced[0]["value"][1], "30", "{produced:?}");
    for series in [
        "newsworker_articles_consumed_total",
        "newsworker_dlq_records_total",
        "newsworker_stage_duration_seconds_bucket",
        "newsworker_end_to_end_latency_seconds_count",
        "newsworker_in_flight_articles",
        "newsworker_ready",
        "process_resident_memory_bytes",
    ] {
        assert!(
            !prometheus.query(series).is_empty(),
            "{series} not in Prometheus"
        );
    }
    let broken: Vec<String> = rules
        .iter()
        .filter(|r| r["health"] != "ok")
        .map(|r| format!("{}: {}", r["name"], r["lastError"]))
        .collect();
    assert!(broken.is_empty(), "rules that fail to evaluate: {broken:?}");
    assert!(
        rules.len() >= 10,
        "expected the shipped rules, got {}",
        rules.len()
    );
    worker.stop_cleanly("worker");
}
