//! Fuzzes the extraction stages deeply: arbitrary text wrapped in a valid JSON envelope, so
//! inputs reach the stages instead of dying in envelope parsing.
//!
//! The first byte chooses the envelope; the rest, read as UTF-8 (invalid sequences become
//! U+FFFD) with the control characters the envelope rejects turned into spaces, is the body.
//!
//! - bit 0: the body goes into `html` instead of `text` (the HTML extraction stage);
//! - bit 1: the envelope declares `"language": "en"`, so the English-only stages run on text
//!   the language detector would not call English;
//! - bit 2: the envelope carries a fixed `published_at`, so relative dates resolve the same way
//!   on every run (otherwise against the clock, as for real articles without one).
//!
//! The invariants are those of the raw pipeline target (`check_outcome`).

#![no_main]

use libfuzzer_sys::fuzz_target;
use newsworker_fuzz::{check_outcome, handler, is_binary_control};
use serde_json::{json, Map, Value};

/// The publication time of envelopes that carry one.
const PUBLISHED_AT: &str = "2026-03-06T09:30:00Z";

fuzz_target!(|data: &[u8]| {
    let Some((&mode, body)) = data.split_first() else {
        return;
    };
    let body: String = String::from_utf8_lossy(body)
        .chars()
        .map(|c| if is_binary_control(c) { ' ' } else { c })
        .collect();
    let mut envelope = Map::new();
    envelope.insert("id".into(), json!("fuzz"));
    let field = if mode & 1 == 1 { "html" } else { "text" };
    envelope.insert(field.into(), Value::String(body));
    if mode & 2 == 2 {
        envelope.insert("language".into(), json!("en"));
    }
    if mode & 4 == 4 {
        envelope.insert("published_at".into(), json!(PUBLISHED_AT));
    }
    let value = Value::Object(envelope).to_string();
    check_outcome(&handler().extract(None, value.as_bytes(), None));
});
