//! Where outcomes go: records to the output topic or standard output, dead letters to the DLQ
//! topic (with the failure in headers) or standard error; both name their input and carry its
//! trace context in headers. Records are JSON, or with a Schema Registry Avro or JSON in its
//! wire format ([`schema_registry`] settles the schema id at start-up).

pub mod dlq;
pub mod headers;
pub mod kafka;
pub mod schema_registry;
pub mod stdout;
