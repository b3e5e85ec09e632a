//! The contracts with the outside world: what comes in, what goes out, and why an input can
//! fail.
//!
//! - [`envelope`]: raw message bytes (a JSON envelope or plain text) → an [`envelope::Article`];
//! - [`record`]: the annotated document → the JSON record consumers read
//!   (`schema/record.schema.json`);
//! - [`failure`]: why an input became a dead letter instead, from a small closed set of reasons.

pub mod envelope;
pub mod failure;
pub mod record;
