//! Where outcomes go: records to the output topic or standard output, dead letters to the DLQ
//! topic (with the failure in headers) or standard error.

pub mod dlq;
pub mod kafka;
pub mod stdout;
