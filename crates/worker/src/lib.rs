//! The newsworker service: Kafka in, records and dead letters out, around the extraction
//! library ([`newsworker_extract`]).
//!
//! The modules follow the data:
//!
//! - [`sources`]: where articles come from (a Kafka consumer group, or a file);
//! - the extraction itself is [`newsworker_extract::Extractor`]: envelope → pipeline → record;
//! - [`sinks`]: where outcomes go (the output topic and the dead-letter topic, or stdout);
//! - [`service`]: the loops that tie them together with a delivery guarantee — at-least-once
//!   ([`service::at_least_once`]) or exactly-once ([`service::exactly_once`]), replays
//!   ([`service::replay`]), the bookkeeping of messages in flight ([`service::in_flight`]) and
//!   the set-up they share ([`service::setup`]);
//! - [`serve`]: the same extraction behind HTTP (`newsworker serve`): one article or a batch in,
//!   records out, and the inspector page;
//! - [`ops`]: what operators see and do: metrics, health and readiness over HTTP, shutdown;
//! - [`config`]: the layered configuration; [`demo`]: the whole path on an embedded broker.

pub mod config;
pub mod demo;
pub mod ops;
pub mod serve;
pub mod service;
pub mod sinks;
pub mod sources;
