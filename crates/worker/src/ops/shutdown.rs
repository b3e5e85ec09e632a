//! Graceful shutdown, in the style of mini-redis's `shutdown.rs`.
//!
//! A [`Shutdown`] is a cloneable handle on one "stop now" flag. Whoever decides the worker must
//! stop — a SIGTERM/SIGINT, a fatal Kafka error, the demo once every article is through —
//! calls [`Shutdown::trigger`]; the loops that must stop wait on [`Shutdown::wait`] beside their
//! real work in a `select!`. Triggering twice is harmless, and a handle created after the trigger
//! sees it at once.

use std::time::Duration;

use tokio::sync::watch;

/// A shared stop flag.
#[derive(Clone)]
pub struct Shutdown {
    sender: watch::Sender<bool>,
}

impl Default for Shutdown {
    fn default() -> Self {
        Self::new()
    }
}

impl Shutdown {
    /// A flag that is not yet set.
    pub fn new() -> Self {
        Shutdown {
            sender: watch::Sender::new(false),
        }
    }

    /// Sets the flag; every waiter wakes up.
    pub fn trigger(&self) {
        self.sender.send_replace(true);
    }

    /// Whether the flag is set.
    pub fn is_triggered(&self) -> bool {
        *self.sender.borrow()
    }

    /// Resolves once the flag is set.
    pub async fn wait(&self) {
        let mut receiver = self.sender.subscribe();
        // The sender lives in `self`, so the channel cannot close while we wait.
        let _ = receiver.wait_for(|stop| *stop).await;
    }

    /// Once the flag is set, gives the stop `limit` to finish and then calls `overrun` (the
    /// binary exits with an error there). Every step of a stop has its own deadline (draining,
    /// the final commit, the flush, the consumer's close), but they are librdkafka's and the
    /// broker's to keep; this one is ours, so a worker told to stop always stops. It runs on a
    /// thread of its own, so a blocked async runtime cannot hold it up.
    pub fn on_overrun(&self, limit: Duration, overrun: impl FnOnce() + Send + 'static) {
        let shutdown = self.clone();
        tokio::spawn(async move {
            shutdown.wait().await;
            let watchdog = std::thread::Builder::new()
                .name("shutdown-watchdog".into())
                .spawn(move || {
                    std::thread::sleep(limit);
                    tracing::error!(limit_s = limit.as_secs(), "the stop took too long; exiting");
                    overrun();
                });
            if let Err(e) = watchdog {
                tracing::warn!(error = %e, "no shutdown watchdog: the stop has no overall limit");
            }
        });
    }

    /// Sets the flag on SIGINT or SIGTERM.
    pub fn trigger_on_signals(&self) {
        let shutdown = self.clone();
        tokio::spawn(async move {
            wait_for_signal().await;
            tracing::info!("shutdown requested by signal; draining in-flight articles");
            shutdown.trigger();
        });
    }
}

#[cfg(unix)]
async fn wait_for_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
        }
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

#[cfg(not(unix))]
async fn wait_for_signal() {
    let _ = tokio::signal::ctrl_c().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn waiters_wake_on_trigger_and_late_waiters_return_at_once() {
        let s = Shutdown::new();
        let waiter = {
            let s = s.clone();
            tokio::spawn(async move { s.wait().await })
        };
        assert!(!s.is_triggered());
        s.trigger();
        waiter.await.unwrap();
        s.wait().await;
        assert!(s.is_triggered());
    }

    #[tokio::test]
    async fn a_stop_that_outlasts_its_limit_calls_the_overrun() {
        let s = Shutdown::new();
        let (overran, noticed) = std::sync::mpsc::channel();
        s.on_overrun(Duration::from_millis(50), move || {
            let _ = overran.send(());
        });
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(
            noticed.try_recv().is_err(),
            "nothing overran before the trigger"
        );
        s.trigger();
        let wait =
            tokio::task::spawn_blocking(move || noticed.recv_timeout(Duration::from_secs(5)));
        assert!(
            wait.await.unwrap().is_ok(),
            "the overrun was called after the limit"
        );
    }
}
