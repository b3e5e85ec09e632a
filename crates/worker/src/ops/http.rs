//! The operations endpoint: `/metrics`, `/healthz`, `/readyz`, and nothing else.
//!
//! - `/metrics`: the Prometheus text format.
//! - `/healthz`: 200 while the process serves requests (liveness).
//! - `/readyz`: 200 only when the consumer holds a partition assignment and the producer is
//!   connected to a broker, else 503 with the missing condition (readiness).
//!
//! Any other path is a 404 and any other method a 405: the port exposes no data and no
//! controls. [`Health`] is the small shared state the Kafka callbacks update.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

use crate::ops::metrics::Metrics;
use crate::ops::shutdown::Shutdown;

/// What readiness depends on, updated by the Kafka client callbacks.
#[derive(Debug, Default)]
pub struct Health {
    assigned_partitions: AtomicUsize,
    producer_connected: AtomicBool,
}

impl Health {
    /// Records the consumer's current number of assigned partitions.
    pub fn set_assigned_partitions(&self, count: usize) {
        self.assigned_partitions.store(count, Ordering::Relaxed);
    }

    /// Records whether the producer has a connection to at least one broker.
    pub fn set_producer_connected(&self, up: bool) {
        self.producer_connected.store(up, Ordering::Relaxed);
    }

    /// Why the worker is not ready, or `None` when it is.
    pub fn not_ready_because(&self) -> Option<&'static str> {
        if self.assigned_partitions.load(Ordering::Relaxed) == 0 {
            Some("the consumer has no partition assignment")
        } else if !self.producer_connected.load(Ordering::Relaxed) {
            Some("the producer is not connected to a broker")
        } else {
            None
        }
    }
}

/// Binds the endpoint; fails with a clear message when the address is taken.
pub async fn bind(addr: SocketAddr) -> anyhow::Result<TcpListener> {
    TcpListener::bind(addr).await.map_err(|e| {
        anyhow::anyhow!("cannot listen on {addr} for /metrics: {e} (set metrics.listen or NEWSWORKER__METRICS__LISTEN)")
    })
}

/// Serves requests until `shutdown` is triggered.
pub async fn serve(
    listener: TcpListener,
    metrics: Arc<Metrics>,
    health: Arc<Health>,
    shutdown: Shutdown,
) {
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    tracing::warn!(error = %e, "metrics endpoint: accept failed");
                    continue;
                }
            },
            _ = shutdown.wait() => return,
        };
        let metrics = metrics.clone();
        let health = health.clone();
        tokio::spawn(async move {
            let service = service_fn(move |req| {
                let response = respond(&req, &metrics, &health);
                async move { Ok::<_, Infallible>(response) }
            });
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

fn respond(req: &Request<Incoming>, metrics: &Metrics, health: &Health) -> Response<Full<Bytes>> {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return text(StatusCode::METHOD_NOT_ALLOWED, "only GET\n".into());
    }
    operations(req.uri().path(), metrics, health.not_ready_because()).unwrap_or_else(|| {
        text(
            StatusCode::NOT_FOUND,
            "not found: try /metrics, /healthz or /readyz\n".into(),
        )
    })
}

/// The answer to a GET of `/metrics`, `/healthz` or `/readyz` (`None` for any other path), for
/// a process that is ready unless `not_ready` says why not. `newsworker serve` answers them
/// the same way on its own port.
pub fn operations(
    path: &str,
    metrics: &Metrics,
    not_ready: Option<&str>,
) -> Option<Response<Full<Bytes>>> {
    Some(match path {
        "/metrics" => {
            metrics
                .ready
                .set(if not_ready.is_none() { 1.0 } else { 0.0 });
            let mut response = text(StatusCode::OK, metrics.render());
            response.headers_mut().insert(
                hyper::header::CONTENT_TYPE,
                hyper::header::HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
            );
            response
        }
        "/healthz" => text(StatusCode::OK, "ok\n".into()),
        "/readyz" => match not_ready {
            None => text(StatusCode::OK, "ready\n".into()),
            Some(why) => text(
                StatusCode::SERVICE_UNAVAILABLE,
                format!("not ready: {why}\n"),
            ),
        },
        _ => return None,
    })
}

fn text(status: StatusCode, body: String) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// Asks `/healthz` at `addr`; used by `newsworker healthcheck` in container health checks.
pub async fn probe(addr: SocketAddr, path: &str) -> anyhow::Result<()> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    stream
        .write_all(
            format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes(),
        )
        .await?;
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).await?;
    if head.starts_with(b"HTTP/1.1 200") {
        Ok(())
    } else {
        anyhow::bail!("{path} answered {}", String::from_utf8_lossy(&head))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readiness_needs_an_assignment_and_a_producer() {
        let h = Health::default();
        assert!(h.not_ready_because().unwrap().contains("assignment"));
        h.set_assigned_partitions(2);
        assert!(h.not_ready_because().unwrap().contains("producer"));
        h.set_producer_connected(true);
        assert_eq!(h.not_ready_because(), None);
    }

    #[tokio::test]
    async fn endpoints_answer_and_nothing_else_is_served() {
        let listener = bind("127.0.0.1:0".parse().unwrap()).await.unwrap();
        let addr = listener.local_addr().unwrap();
        let health = Arc::new(Health::default());
        let shutdown = Shutdown::new();
        tokio::spawn(serve(
            listener,
            Arc::new(Metrics::new("test")),
            health.clone(),
            shutdown.clone(),
        ));
        probe(addr, "/healthz").await.unwrap();
        probe(addr, "/metrics").await.unwrap();
        assert!(probe(addr, "/readyz").await.is_err());
        health.set_assigned_partitions(1);
        health.set_producer_connected(true);
        probe(addr, "/readyz").await.unwrap();
        assert!(probe(addr, "/config").await.is_err());
        shutdown.trigger();
    }
}
