//! Operations: what the people running the worker see and do.
//!
//! - [`metrics`]: the Prometheus registry and every series the worker exports;
//! - [`http`]: `/metrics`, `/healthz` and `/readyz`, and the probe behind `newsworker healthcheck`;
//! - [`shutdown`]: the signal every loop watches (SIGTERM, SIGINT, a fatal error, a finished
//!   replay).

pub mod http;
pub mod metrics;
pub mod shutdown;
