//! Fuzzes the whole path of one message — envelope, every standard stage, record — on
//! arbitrary bytes, exactly as the worker receives them from Kafka.
//!
//! The input is split into an optional key and a value (see `newsworker_fuzz::split_key`).
//! Any outcome is acceptable except a panic (including one the pipeline caught and turned into
//! a dead letter) or a record whose JSON or offsets are inconsistent; `check_outcome` lists
//! the invariants.

#![no_main]

use libfuzzer_sys::fuzz_target;
use newsworker_fuzz::{check_outcome, handler, split_key};

fuzz_target!(|data: &[u8]| {
    let (key, value) = split_key(data);
    check_outcome(&handler().extract(key, value, None));
});
