//! The HTTP pass of `newsworker bench --serve`: the corpus through `newsworker serve` on
//! loopback, under wrk.
//!
//! The in-process passes say what the pipeline costs; this one says what a client of the HTTP
//! API gets. The server is the real one (`newsworker::serve`, the same routes, admission and
//! CPU threads as the binary), started in this process on a free loopback port with as many
//! pipeline threads as the in-process pass it is compared with. The load comes from wrk, a
//! separate process: `scripts/wrk/extract.lua` posts the corpus's envelopes to `/v1/extract`,
//! one per request, in turn, over twice as many keep-alive connections as there are threads, so
//! every thread always has a request waiting. wrk's requests/s are articles/s.
//!
//! As for the broker pass, the machine's speed drifts, so each HTTP pass sits between two
//! in-process passes on as many threads, and the report gives every round's ratio to their mean
//! and the median of the ratios.

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use anyhow::Context as _;

use newsworker::config::Config;
use newsworker::ops::shutdown::Shutdown;
use newsworker::serve::{self, RequestLimits, State};
use newsworker_extract::Extractor;

use super::{run_pass, Pass};

/// What one wrk run measured.
#[derive(Debug, Clone)]
pub struct HttpPass {
    /// Requests answered.
    pub requests: u64,
    /// Requests per second: articles per second.
    pub per_sec: f64,
    /// Answers other than 200 (dead letters' 4xx; a 429 would mean the server refused load).
    pub not_ok: u64,
}

/// The HTTP passes and the in-process passes around them: in-process pass `i` ran before HTTP
/// pass `i` and pass `i + 1` after it.
#[derive(Debug, Clone)]
pub struct HttpComparison {
    /// Pipeline threads, in process and in the server.
    pub threads: usize,
    /// wrk's connections.
    pub connections: usize,
    /// Seconds each wrk run lasted.
    pub seconds: u64,
    /// The in-process passes: one more than `http`.
    pub in_process: Vec<Pass>,
    /// The wrk runs.
    pub http: Vec<HttpPass>,
}

impl HttpComparison {
    /// The mean in-process throughput of the passes either side of round `i`.
    fn in_process_rate(&self, i: usize) -> f64 {
        let around = &self.in_process[i..=i + 1];
        around.iter().map(Pass::articles_per_sec).sum::<f64>() / 2.0
    }

    /// Round `i`'s throughput as a fraction of the in-process throughput either side of it.
    fn ratio(&self, i: usize) -> f64 {
        self.http[i].per_sec / self.in_process_rate(i).max(1e-9)
    }

    /// The median of the rounds' ratios (the lower middle one for an even count).
    pub fn median_ratio(&self) -> f64 {
        let mut ratios: Vec<f64> = (0..self.http.len()).map(|i| self.ratio(i)).collect();
        ratios.sort_by(f64::total_cmp);
        ratios
            .get((ratios.len().max(1) - 1) / 2)
            .copied()
            .unwrap_or(0.0)
    }

    /// The HTTP part of the benchmark report, as Markdown.
    pub fn report(&self) -> String {
        let threads = self.threads;
        let mut out = format!(
            "\nover HTTP (`newsworker serve` on loopback, {threads} pipeline thread(s); wrk posts \
             the corpus's envelopes to /v1/extract over {} keep-alive connections for {} s), in \
             {} round(s), each between two in-process passes on {threads} thread(s):\n\n\
             | round | requests | articles/s | not 200 | in process (mean either side) | ratio |\n\
             |---:|---:|---:|---:|---:|---:|\n",
            self.connections,
            self.seconds,
            self.http.len()
        );
        for (i, pass) in self.http.iter().enumerate() {
            let _ = writeln!(
                out,
                "| {} | {} | {:.0} | {} | {:.0} | {:.2} |",
                i + 1,
                pass.requests,
                pass.per_sec,
                pass.not_ok,
                self.in_process_rate(i),
                self.ratio(i)
            );
        }
        let _ = writeln!(
            out,
            "\nserve / in-process throughput, median of the rounds: {:.2}",
            self.median_ratio()
        );
        out
    }
}

/// Measures `rounds` wrk runs of `seconds` against a server on `threads` pipeline threads, each
/// between two in-process passes of `inputs` (read from `corpus`) on as many threads.
pub fn compare(
    config: &Config,
    extractor: Arc<Extractor>,
    corpus: &Path,
    inputs: &[Vec<u8>],
    threads: usize,
    rounds: usize,
    seconds: u64,
) -> anyhow::Result<HttpComparison> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let shutdown = Shutdown::new();
    let limits = RequestLimits {
        cpu_threads: threads,
        ..RequestLimits::from_config(config)
    };
    let state = Arc::new(State::new(extractor.clone(), limits, shutdown.clone())?);
    let listener = runtime.block_on(serve::bind("127.0.0.1:0".parse()?))?;
    let addr = listener.local_addr()?;
    runtime.spawn(serve::serve(listener, state, shutdown.clone()));
    let connections = threads * 2;
    let mut comparison = HttpComparison {
        threads,
        connections,
        seconds,
        in_process: vec![run_pass(&extractor, inputs, threads)],
        http: Vec::new(),
    };
    for _ in 0..rounds.max(1) {
        comparison
            .http
            .push(wrk(addr, corpus, connections, seconds)?);
        comparison
            .in_process
            .push(run_pass(&extractor, inputs, threads));
    }
    shutdown.trigger();
    Ok(comparison)
}

/// One wrk run against `addr`.
fn wrk(
    addr: SocketAddr,
    corpus: &Path,
    connections: usize,
    seconds: u64,
) -> anyhow::Result<HttpPass> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/wrk/extract.lua");
    let out = Command::new("wrk")
        .args(["-t1", &format!("-c{connections}"), &format!("-d{seconds}s")])
        .arg("-s")
        .arg(&script)
        .arg(format!("http://{addr}"))
        .env("NEWSWORKER_CORPUS", corpus)
        .output()
        .context("cannot run wrk: install it (scripts/install-test-tools.sh does)")?;
    let text = String::from_utf8_lossy(&out.stdout);
    anyhow::ensure!(
        out.status.success(),
        "wrk failed: {text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    parse_wrk(&text).with_context(|| format!("cannot read wrk's report:\n{text}"))
}

/// Reads requests, requests/s and non-2xx answers from wrk's report.
fn parse_wrk(text: &str) -> Option<HttpPass> {
    let requests = text
        .lines()
        .find(|l| l.contains("requests in"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    let per_sec = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Requests/sec:"))?
        .trim()
        .parse()
        .ok()?;
    let not_ok = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Non-2xx or 3xx responses:"))
        .map_or(Some(0), |n| n.trim().parse().ok())?;
    Some(HttpPass {
        requests,
        per_sec,
        not_ok,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrk_reports_are_read() {
        let report = "Running 10s test @ http://127.0.0.1:1\n  1 threads and 4 connections\n\
                      4410 requests in 10.01s, 90.00MB read\n  Non-2xx or 3xx responses: 3\n\
                      Requests/sec:    440.55\nTransfer/sec:      8.99MB\n";
        let pass = parse_wrk(report).unwrap();
        assert_eq!((pass.requests, pass.not_ok), (4410, 3));
        assert!((pass.per_sec - 440.55).abs() < 1e-9);
        assert!(parse_wrk("nothing").is_none());
    }
}
