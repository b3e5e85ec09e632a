//! `newsworker bench`: in-process pipeline throughput on a corpus of envelopes.
//!
//! Every article goes through the same [`Extractor`] the worker uses (envelope, every stage,
//! record serialisation), on one thread and then on all cores, after a warm-up pass. The report
//! gives articles/s and words/s, per-article latency percentiles, each stage's share of the
//! time (and the NER stage's tokens/s), the pipeline's start-up time (model loading) and the
//! process's peak resident memory. With `--broker`, [`broker`] adds the same corpus end to end
//! through a real Kafka broker and the worker loop, in rounds between in-process passes, as a
//! ratio to the in-process figure; with `--serve`, [`http`] does the same over HTTP, with
//! `newsworker serve` on loopback under wrk. Numbers come from a release build: `cargo run --release --
//! bench`.

pub mod broker;
pub mod http;

use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use newsworker_extract::{Extractor, Outcome};

/// What one measured pass over the corpus gave.
#[derive(Debug, Clone)]
pub struct Pass {
    /// Threads used.
    pub threads: usize,
    /// Articles processed.
    pub articles: usize,
    /// Words in them.
    pub words: usize,
    /// Tokens in them.
    pub tokens: usize,
    /// Wall time of the pass.
    pub wall: Duration,
    /// Per-article processing times, sorted.
    pub latencies: Vec<Duration>,
    /// Total time per stage, in pipeline order.
    pub stage_time: Vec<(&'static str, Duration)>,
    /// Inputs that became dead letters.
    pub failures: usize,
    /// CPU time (user + system) this process spent during the pass, if known.
    pub cpu: Option<Duration>,
}

impl Pass {
    fn percentile(&self, p: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let i = ((self.latencies.len() - 1) as f64 * p).round() as usize;
        self.latencies[i]
    }

    /// Articles per second.
    pub fn articles_per_sec(&self) -> f64 {
        self.articles as f64 / self.wall.as_secs_f64().max(1e-9)
    }

    /// Words per second.
    pub fn words_per_sec(&self) -> f64 {
        self.words as f64 / self.wall.as_secs_f64().max(1e-9)
    }
}

/// Runs the corpus through `handler` on `threads` threads.
pub fn run_pass(handler: &Extractor, inputs: &[Vec<u8>], threads: usize) -> Pass {
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::with_capacity(inputs.len()));
    let cpu_before = process_cpu();
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            scope.spawn(|| {
                let mut local = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(input) = inputs.get(i) else { break };
                    let t = Instant::now();
                    let outcome = handler.extract(None, input, None);
                    local.push((t.elapsed(), outcome));
                }
                results
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .extend(local);
            });
        }
    });
    let wall = started.elapsed();
    let cpu = cpu_since(cpu_before);
    let results = results.into_inner().unwrap_or_else(|p| p.into_inner());
    let mut pass = Pass {
        threads,
        articles: results.len(),
        words: 0,
        tokens: 0,
        wall,
        latencies: Vec::with_capacity(results.len()),
        stage_time: Vec::new(),
        failures: 0,
        cpu,
    };
    for (latency, outcome) in results {
        pass.latencies.push(latency);
        match outcome {
            Outcome::Record(p) => {
                pass.words += p.words;
                pass.tokens += p.tokens;
                for t in &p.timings {
                    let elapsed = Duration::from_micros(t.elapsed_us);
                    match pass.stage_time.iter_mut().find(|(s, _)| *s == t.stage) {
                        Some((_, total)) => *total += elapsed,
                        None => pass.stage_time.push((t.stage, elapsed)),
                    }
                }
            }
            Outcome::Failed(_) => pass.failures += 1,
        }
    }
    pass.latencies.sort();
    pass
}

/// CPU time this process has used so far, user plus system, over all its threads (Linux:
/// `/proc/self/stat`, in the kernel's fixed 1/100 s clock ticks), if known.
pub fn process_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2) may hold spaces; the fields after its ')' are space-separated,
    // utime and stime being the 14th and 15th of the line.
    let after_name = &stat[stat.rfind(')')? + 1..];
    let mut fields = after_name.split_whitespace().skip(11);
    let user: u64 = fields.next()?.parse().ok()?;
    let system: u64 = fields.next()?.parse().ok()?;
    Some(Duration::from_millis((user + system) * 10))
}

/// CPU time used since `before` (a [`process_cpu`] reading), if both readings are known.
pub fn cpu_since(before: Option<Duration>) -> Option<Duration> {
    Some(process_cpu()?.saturating_sub(before?))
}

/// CPU milliseconds per article, if the CPU time is known.
pub(crate) fn cpu_ms_per_article(cpu: Option<Duration>, articles: usize) -> Option<f64> {
    cpu.map(|cpu| cpu.as_secs_f64() * 1000.0 / articles.max(1) as f64)
}

/// A figure with two decimals, or "n/a" when it is unknown.
pub(crate) fn two_decimals(value: Option<f64>) -> String {
    value.map_or("n/a".into(), |v| format!("{v:.2}"))
}

/// Peak resident memory of this process in bytes (Linux), if known.
pub fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// The report of a benchmark run, as Markdown.
pub fn report(corpus: &str, startup: Duration, passes: &[Pass]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "corpus: {corpus}");
    let _ = writeln!(
        out,
        "pipeline start-up (model loading): {:.0} ms",
        startup.as_secs_f64() * 1e3
    );
    if let Some(rss) = peak_rss_bytes() {
        let _ = writeln!(
            out,
            "peak resident memory: {:.0} MiB",
            rss as f64 / (1024.0 * 1024.0)
        );
    }
    let _ = writeln!(
        out,
        "\n| threads | articles | articles/s | words/s | p50 ms | p99 ms | dead letters |"
    );
    let _ = writeln!(out, "|---:|---:|---:|---:|---:|---:|---:|");
    for p in passes {
        let _ = writeln!(
            out,
            "| {} | {} | {:.0} | {:.0} | {:.2} | {:.2} | {} |",
            p.threads,
            p.articles,
            p.articles_per_sec(),
            p.words_per_sec(),
            p.percentile(0.5).as_secs_f64() * 1e3,
            p.percentile(0.99).as_secs_f64() * 1e3,
            p.failures
        );
    }
    if let Some(single) = passes.first() {
        let total: Duration = single.stage_time.iter().map(|(_, t)| *t).sum();
        let _ = writeln!(
            out,
            "\nstage time share (1 thread):\n\n| stage | share | µs/article |"
        );
        let _ = writeln!(out, "|---|---:|---:|");
        for (stage, t) in &single.stage_time {
            let _ = writeln!(
                out,
                "| {stage} | {:.1}% | {:.1} |",
                100.0 * t.as_secs_f64() / total.as_secs_f64().max(1e-9),
                t.as_secs_f64() * 1e6 / single.articles.max(1) as f64
            );
        }
        if let Some((_, ner)) = single.stage_time.iter().find(|(s, _)| *s == "ner") {
            let _ = writeln!(
                out,
                "\nNER: {:.0} tokens/s on one core ({} tokens)",
                single.tokens as f64 / ner.as_secs_f64().max(1e-9),
                single.tokens
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use newsworker_extract::config::Limits;
    use newsworker_extract::pipeline::Pipeline;

    #[test]
    fn a_pass_counts_articles_words_and_failures() {
        let handler = Extractor::with_pipeline(
            Pipeline::new(vec![
                Box::new(newsworker_extract::stages::normalise::TextStage::new(1000)),
                Box::new(newsworker_extract::stages::sentences::SentencesStage),
            ]),
            Limits::default(),
        );
        let inputs = vec![
            b"One two three.".to_vec(),
            b"{broken".to_vec(),
            b"Four five.".to_vec(),
        ];
        let pass = run_pass(&handler, &inputs, 2);
        assert_eq!((pass.articles, pass.failures, pass.words), (3, 1, 5));
        assert_eq!(pass.latencies.len(), 3);
        let names: Vec<_> = pass.stage_time.iter().map(|(s, _)| *s).collect();
        assert_eq!(names, ["text", "sentences", "record"]);
        let text = report(
            "test",
            Duration::from_millis(3),
            std::slice::from_ref(&pass),
        );
        assert!(text.contains("| 2 | 3 |"), "{text}");
    }

    #[test]
    fn process_cpu_grows_with_work() {
        // Spin until the reading moves by 30 ms of CPU, up to 10 s of wall time: a reading that
        // never moves (or moves backwards) fails; a busy machine only makes it take longer.
        let before = process_cpu().expect("/proc/self/stat");
        let started = Instant::now();
        let mut x = 0u64;
        let mut used = Duration::ZERO;
        while used < Duration::from_millis(30) && started.elapsed() < Duration::from_secs(10) {
            for _ in 0..100_000 {
                x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(7));
            }
            used = cpu_since(Some(before)).expect("a second reading");
        }
        assert!(
            used >= Duration::from_millis(30),
            "{used:?} after 10 s of spinning"
        );
    }
}
