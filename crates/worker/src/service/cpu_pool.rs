//! The worker's CPU threads: a fixed set of named threads that run the pipeline, one job at a
//! time each, fed in arrival order.
//!
//! The extraction is CPU-bound and takes a millisecond or more, so it must not run on the async
//! reactor's threads. `tokio::task::spawn_blocking` was the first home for it, behind a permit
//! per core. Its pool starts a new thread whenever none is idle at the moment of the call, and a
//! thread that has just returned its result is not yet idle when the next permit holder calls:
//! with two permits the articles rotated over four threads, each cold in the core's caches when
//! its turn came, and the pool could grow without bound. With exactly `worker.cpu_threads`
//! threads that stay, `bench --broker` on two cores went from 450–566 to 589–752 articles/s,
//! and the worker's CPU per article from 1.26–1.27× to 1.07–1.15× the in-process cost (run
//! medians; docs/performance.md, "CPU per article").
//!
//! A panic inside a job (the pipeline already catches a stage's own) is caught here too: the
//! caller gets an error to turn into a dead letter and the thread lives on.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, PoisonError};

use newsworker_extract::pipeline::panic_message;
use tokio::sync::oneshot;

/// A unit of work for one of the threads.
type Job = Box<dyn FnOnce() + Send>;

/// A fixed pool of CPU threads. Dropping it lets each thread finish its current job and exit.
pub struct CpuPool {
    jobs: mpsc::Sender<Job>,
}

/// Why a job gave no result.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// The job panicked; the message is the panic's.
    #[error("the job panicked: {0}")]
    Panicked(String),
    /// The pool's threads are gone, so the job never ran.
    #[error("no CPU thread is left to run the job")]
    NoThreads,
}

impl CpuPool {
    /// Starts `threads` threads (at least one), named `{name}-{i}`.
    pub fn new(name: &str, threads: usize) -> std::io::Result<Self> {
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for i in 0..threads.max(1) {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("{name}-{i}"))
                .spawn(move || serve(&queue))?;
        }
        Ok(CpuPool { jobs })
    }

    /// Runs `work` on one of the threads and waits, without blocking the reactor, for its
    /// result.
    pub async fn run<T, F>(&self, work: F) -> Result<T, JobError>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let (done, result) = oneshot::channel();
        let job: Job = Box::new(move || {
            // A caller that stopped waiting while the job was queued (its task was aborted
            // when a shutdown's drain deadline passed) needs no result: skip the work.
            if done.is_closed() {
                return;
            }
            let outcome = catch_unwind(AssertUnwindSafe(work))
                .map_err(|panic| JobError::Panicked(panic_message(panic.as_ref())));
            // The caller may have stopped waiting meanwhile; the result then has no reader.
            let _ = done.send(outcome);
        });
        self.jobs.send(job).map_err(|_| JobError::NoThreads)?;
        result.await.map_err(|_| JobError::NoThreads)?
    }
}

/// One thread's loop: take the next job, run it, until the pool is dropped.
fn serve(queue: &Mutex<mpsc::Receiver<Job>>) {
    loop {
        // The lock is held only while waiting for a job, never while running one.
        let next = queue.lock().unwrap_or_else(PoisonError::into_inner).recv();
        match next {
            Ok(job) => job(),
            Err(mpsc::RecvError) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[tokio::test]
    async fn jobs_run_on_the_named_threads_and_return_their_results() {
        let pool = CpuPool::new("test-cpu", 2).unwrap();
        let mut names = HashSet::new();
        for i in 0..20 {
            let (square, name) = pool
                .run(move || (i * i, std::thread::current().name().map(str::to_owned)))
                .await
                .unwrap();
            assert_eq!(square, i * i);
            names.insert(name.unwrap());
        }
        assert!(names.iter().all(|n| n == "test-cpu-0" || n == "test-cpu-1"));
    }

    #[tokio::test]
    async fn a_panicking_job_is_an_error_and_the_thread_lives_on() {
        let pool = CpuPool::new("test-cpu", 1).unwrap();
        let err = pool
            .run(|| -> u32 { panic!("bad article") })
            .await
            .unwrap_err();
        assert!(err.to_string().contains("bad article"), "{err}");
        assert_eq!(pool.run(|| 7).await.unwrap(), 7);
    }

    #[tokio::test]
    async fn a_job_whose_caller_stopped_waiting_is_skipped() {
        use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
        let pool = Arc::new(CpuPool::new("test-cpu", 1).unwrap());
        let (release, blocked) = mpsc::channel::<()>();
        let (started, busy_now) = oneshot::channel();
        let busy = tokio::spawn({
            let pool = pool.clone();
            async move {
                pool.run(move || {
                    started.send(()).unwrap();
                    blocked.recv().unwrap()
                })
                .await
            }
        });
        busy_now.await.unwrap();
        let ran = Arc::new(AtomicBool::new(false));
        let flag = ran.clone();
        // Queued behind the busy job, then abandoned before it can start.
        let abandoned = pool.run(move || flag.store(true, SeqCst));
        let waited = tokio::time::timeout(std::time::Duration::from_millis(10), abandoned).await;
        assert!(waited.is_err(), "the only thread was busy");
        release.send(()).unwrap();
        busy.await.unwrap().unwrap();
        assert_eq!(pool.run(|| 1).await.unwrap(), 1);
        assert!(!ran.load(SeqCst));
    }

    #[tokio::test]
    async fn jobs_never_run_on_more_threads_than_the_pool_has() {
        let pool = Arc::new(CpuPool::new("test-cpu", 2).unwrap());
        let running = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let most = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..16 {
            let (pool, running, most) = (pool.clone(), running.clone(), most.clone());
            tasks.spawn(async move {
                pool.run(move || {
                    use std::sync::atomic::Ordering::SeqCst;
                    let now = running.fetch_add(1, SeqCst) + 1;
                    most.fetch_max(now, SeqCst);
                    std::thread::sleep(std::time::Duration::from_millis(5));
                    running.fetch_sub(1, SeqCst);
                })
                .await
                .unwrap()
            });
        }
        while let Some(done) = tasks.join_next().await {
            done.unwrap();
        }
        assert_eq!(most.load(std::sync::atomic::Ordering::SeqCst), 2);
    }
}
