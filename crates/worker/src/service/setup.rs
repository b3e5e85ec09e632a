//! What every run of the service sets up before its loop, in one place: the metrics registry
//! (labelled with the run's mode), the health state behind `/readyz`, the shutdown flag wired to
//! SIGTERM and SIGINT, and — when asked — the HTTP server that exposes them.
//!
//! `newsworker run`, `newsworker replay`, the demo and the end-to-end benchmark all start with
//! [`Operations::start`], so they report and stop the same way.

use std::net::SocketAddr;
use std::sync::Arc;

use crate::ops::http::{self, Health};
use crate::ops::metrics::Metrics;
use crate::ops::shutdown::Shutdown;

/// The operational state a run shares with its loop.
#[derive(Clone)]
pub struct Operations {
    /// The run's metrics.
    pub metrics: Arc<Metrics>,
    /// What `/readyz` reports.
    pub health: Arc<Health>,
    /// The run's stop flag.
    pub shutdown: Shutdown,
}

impl Operations {
    /// Metrics labelled `mode="<mode>"`, a fresh health state and a stop flag that SIGTERM and
    /// SIGINT set; with `listen`, `/metrics`, `/healthz` and `/readyz` served there until the
    /// flag is set.
    pub async fn start(mode: &str, listen: Option<SocketAddr>) -> anyhow::Result<Operations> {
        let operations = Operations {
            metrics: Arc::new(Metrics::new(mode)),
            health: Arc::new(Health::default()),
            shutdown: Shutdown::new(),
        };
        operations.shutdown.trigger_on_signals();
        if let Some(addr) = listen {
            let listener = http::bind(addr).await?;
            tracing::info!(%addr, "serving /metrics, /healthz, /readyz");
            tokio::spawn(http::serve(
                listener,
                operations.metrics.clone(),
                operations.health.clone(),
                operations.shutdown.clone(),
            ));
        }
        Ok(operations)
    }
}
