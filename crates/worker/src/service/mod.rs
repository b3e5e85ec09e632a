//! The service loops: read from the source, extract, publish to the sinks, commit — with a
//! delivery guarantee.
//!
//! - [`at_least_once`]: the default loop (also used by replays and the demo): many articles
//!   in flight, outcomes published in per-key order, offsets committed as a contiguous prefix;
//! - [`exactly_once`]: batches in Kafka transactions, offsets committed inside them;
//! - [`in_flight`]: the bookkeeping of the messages in flight that both loops use;
//! - [`processing`]: the work on one message both loops share (extract, publish in turn);
//! - [`cpu_pool`]: the fixed set of threads the extraction runs on;
//! - [`replay`]: planning and tracking bounded backfills;
//! - [`topics`]: the start-up check that every topic a run needs exists;
//! - [`setup`]: what every run does before its loop (metrics, health, signals, HTTP).

pub mod at_least_once;
pub mod cpu_pool;
pub mod exactly_once;
pub mod in_flight;
pub mod processing;
pub mod replay;
pub mod setup;
pub mod topics;
