//! Where articles come from: a Kafka topic (the service) or a file (the `process` command).

pub mod file;
pub mod kafka;
