//! Graceful shutdown, in the style of mini-redis's `shutdown.rs`.
//!
//! A [`Shutdown`] is a cloneable handle on one "stop now" flag. Whoever decides the worker must
//! stop — a SIGTERM/SIGINT, a fatal Kafka error, the demo once every article is through —
//! calls [`Shutdown::trigger`]; the loops that must stop wait on [`Shutdown::wait`] beside their
//! real work in a `select!`. Triggering twice is harmless, and a handle created after the trigger
//! sees it at once.

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
}
