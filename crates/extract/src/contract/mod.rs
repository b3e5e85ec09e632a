//! The contracts with the outside world: what comes in, what goes out, and why an input can
//! fail.
//!
//! - [`envelope`]: raw message bytes (a JSON envelope or plain text) → an [`envelope::Article`];
//! - [`record`]: the annotated document → the JSON record consumers read
//!   (`schema/record.schema.json`);
//! - [`avro`]: the record's Avro schema, derived from its JSON Schema, and its Avro encoding;
//! - [`failure`]: why an input became a dead letter instead, from a small closed set of reasons.

pub mod avro;
pub mod envelope;
pub mod failure;
pub mod record;
