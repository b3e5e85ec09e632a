//! Where outcomes go: records to the output topic or standard output, dead letters to the DLQ
//! topic (with the failure in headers) or standard error; both name their input and carry its
//! trace context in headers.

pub mod dlq;
pub mod headers;
pub mod kafka;
pub mod stdout;
