//! newsworker turns a Kafka stream of raw news articles into structured records.
//!
//! The modules follow the data:
//!
//! - [`sources`]: where articles come from (a Kafka consumer group, or a file);
//! - [`envelope`]: the input contract, raw bytes → [`envelope::Article`];
//! - [`pipeline`]: an ordered list of named [`stages`] annotating one shared
//!   [`pipeline::Doc`], on top of the text foundation in [`text`];
//! - [`record`]: the output contract, document → JSON record;
//! - [`sinks`]: where outcomes go (the output topic and the dead-letter topic, or stdout);
//! - [`handler`]: one input through envelope, pipeline and record — shared by every mode;
//! - [`worker`]: the service loop with its delivery guarantee ([`offsets`]), observed through
//!   [`metrics`] and [`http`], stopped by [`shutdown`];
//! - [`transactional`]: the exactly-once service loop (Kafka transactions), chosen by
//!   `processing.guarantee`;
//! - [`demo`]: the whole path against an embedded broker; [`bench`]: throughput figures;
//!   [`eval`]: scores against annotated data.

pub mod bench;
pub mod config;
pub mod demo;
pub mod envelope;
pub mod eval;
pub mod failure;
pub mod handler;
pub mod http;
pub mod metrics;
pub mod ner;
pub mod offsets;
pub mod pipeline;
pub mod record;
pub mod replay;
pub mod shutdown;
pub mod sinks;
pub mod sources;
pub mod stages;
pub mod text;
pub mod topics;
pub mod transactional;
pub mod worker;
