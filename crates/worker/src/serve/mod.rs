//! `newsworker serve`: the extraction pipeline behind HTTP, for teams that do not run Kafka
//! (yet) and for ad-hoc enrichment beside the stream.
//!
//! Read top-down: [`run`] loads the extractor once, starts the CPU threads (`worker.cpu_threads`,
//! the same fixed pool the streaming worker runs the pipeline on), binds `serve.listen` and
//! answers every connection with [`routes::handle`] until SIGTERM or SIGINT; then it stops
//! accepting and lets the requests in progress finish (up to `worker.drain_timeout_secs`).
//!
//! - `POST /v1/extract` and `POST /v1/extract/batch` ([`extract`]): an envelope, an HTML page or
//!   plain text in, the record out — the record `process` writes for the same input. An input
//!   that would be a dead letter on the stream answers 4xx with the dead letter's reason and
//!   message; nothing a client sends answers 5xx (a panicking stage is `stage_error`, 422).
//! - Admission ([`State::admit`]): at most `serve.max_concurrent_requests` extraction requests
//!   are answered at once, the rest get 429 with `Retry-After`, so a burst waits in the clients
//!   rather than in the server's memory; each request has `serve.request_timeout_ms`.
//! - `GET /` is the inspector page (its assets are built into the binary), `/openapi.json` the
//!   API's description ([`openapi`]), `/metrics`, `/healthz` and `/readyz` as the worker has
//!   them, with `mode="serve"`.

mod extract;
pub mod openapi;
mod routes;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use newsworker_extract::extractor::RECORD_STEP;
use newsworker_extract::{Extractor, Outcome};

use crate::config::Config;
use crate::ops::metrics::Metrics;
use crate::ops::shutdown::Shutdown;
use crate::service::cpu_pool::CpuPool;
use crate::service::processing::failed_job;

/// What every request handler shares.
pub struct State {
    extractor: Arc<Extractor>,
    cpu: CpuPool,
    metrics: Arc<Metrics>,
    permits: Arc<Semaphore>,
    limits: RequestLimits,
    shutdown: Shutdown,
}

/// The bounds on one request.
#[derive(Debug, Clone)]
pub struct RequestLimits {
    /// Largest body of `/v1/extract`: one article (`limits.max_article_bytes`).
    pub max_article_bytes: usize,
    /// Largest body of `/v1/extract/batch`.
    pub max_batch_bytes: usize,
    /// Extraction requests answered at once.
    pub max_concurrent_requests: usize,
    /// Longest a request (a batch: each of its lines) may take.
    pub timeout: Duration,
    /// Pipeline threads, which also bounds how many lines of one batch run at once.
    pub cpu_threads: usize,
    /// How long a stop waits for the requests in progress.
    pub drain: Duration,
}

impl RequestLimits {
    /// The limits `config` sets.
    pub fn from_config(config: &Config) -> Self {
        RequestLimits {
            max_article_bytes: config.limits.max_article_bytes,
            max_batch_bytes: config.serve.max_batch_bytes,
            max_concurrent_requests: config.serve.max_concurrent_requests.max(1),
            timeout: Duration::from_millis(config.serve.request_timeout_ms.max(1)),
            cpu_threads: config.cpu_threads(),
            drain: Duration::from_secs(config.worker.drain_timeout_secs),
        }
    }
}

impl State {
    /// The state of a server running `extractor` within `limits`; `shutdown` makes `/readyz`
    /// answer 503 and new extraction requests `shutting_down` once it is triggered.
    pub fn new(
        extractor: Arc<Extractor>,
        limits: RequestLimits,
        shutdown: Shutdown,
    ) -> anyhow::Result<Self> {
        let metrics = Arc::new(Metrics::new("serve"));
        let mut stages = extractor.pipeline().stage_names();
        stages.push(RECORD_STEP);
        metrics.declare_stages(&stages);
        let cpu = CpuPool::new("newsworker-cpu", limits.cpu_threads)
            .context("cannot start the pipeline's CPU threads")?;
        Ok(State {
            extractor,
            cpu,
            metrics,
            permits: Arc::new(Semaphore::new(limits.max_concurrent_requests)),
            limits,
            shutdown,
        })
    }

    /// A slot for one extraction request, or `None` when all are taken.
    fn admit(&self) -> Option<OwnedSemaphorePermit> {
        self.permits.clone().try_acquire_owned().ok()
    }

    /// Runs the extractor on `input` on a CPU thread, once one is free, and counts the outcome.
    async fn extract(&self, input: hyper::body::Bytes) -> Outcome {
        let extractor = self.extractor.clone();
        let outcome = self
            .cpu
            .run(move || extractor.extract(None, &input, None))
            .await
            .unwrap_or_else(failed_job);
        match &outcome {
            Outcome::Record(processed) => self.metrics.observe_timings(&processed.timings),
            Outcome::Failed(failure) => self
                .metrics
                .stage_failures
                .with_label_values(&[failure.stage])
                .inc(),
        }
        outcome
    }
}

/// Binds `addr`; fails with a clear message when the address is taken.
pub async fn bind(addr: SocketAddr) -> anyhow::Result<TcpListener> {
    TcpListener::bind(addr).await.map_err(|e| {
        anyhow::anyhow!(
            "cannot listen on {addr}: {e} (set serve.listen, NEWSWORKER__SERVE__LISTEN or --listen)"
        )
    })
}

/// `newsworker serve`: loads the extractor and answers on `listen` until SIGTERM or SIGINT.
pub async fn run(config: &Config, listen: SocketAddr) -> anyhow::Result<()> {
    let shutdown = Shutdown::new();
    shutdown.trigger_on_signals();
    let extractor = Arc::new(Extractor::new(&config.extract())?);
    let state = Arc::new(State::new(
        extractor,
        RequestLimits::from_config(config),
        shutdown.clone(),
    )?);
    let listener = bind(listen).await?;
    let addr = listener.local_addr()?;
    tracing::info!(%addr, "serving the extraction API");
    eprintln!("newsworker serve: listening on http://{addr} (the inspector at /, the API at /v1/extract, its description at /openapi.json)");
    serve(listener, state, shutdown).await;
    Ok(())
}

/// Answers connections on `listener` until `shutdown` is triggered, then waits up to
/// `worker.drain_timeout_secs` for the requests in progress.
pub async fn serve(listener: TcpListener, state: Arc<State>, shutdown: Shutdown) {
    let graceful = GracefulShutdown::new();
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    tracing::warn!(error = %e, "serve: accept failed");
                    continue;
                }
            },
            _ = shutdown.wait() => break,
        };
        let _ = stream.set_nodelay(true);
        let state = state.clone();
        let service = service_fn(move |request| {
            let state = state.clone();
            async move { Ok::<_, std::convert::Infallible>(routes::handle(request, state).await) }
        });
        let connection = http1::Builder::new().serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _ = connection.await;
        });
    }
    drop(listener);
    let drain = state.limits.drain;
    if tokio::time::timeout(drain, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("serve: requests still in progress after {drain:?}; stopping anyway");
    }
}
