//! The harness shared by the fuzz targets: one [`Extractor`] with the default settings and the
//! built-in model, the way an input is split into a message key and value, and the invariants
//! every outcome must satisfy.
//!
//! A [`Failure`](newsworker_extract::contract::failure::Failure) is a legitimate outcome (bad
//! input goes to the dead-letter topic), except one the pipeline made from a caught stage panic.
//! libFuzzer's panic hook already aborts on the panic itself, before `catch_unwind` sees it;
//! [`check_outcome`] keeps it a crash wherever that hook is not installed (a plain test harness, a
//! replay). A record must be JSON whose character offsets all lie within its `text`, and whose
//! span texts are exactly the characters those offsets name.

use std::sync::OnceLock;

pub use newsworker_extract::contract::envelope::is_binary_control;
use newsworker_extract::{ExtractConfig, Extractor, Outcome};
use serde_json::Value;

/// How the pipeline words the failure it makes from a caught stage panic.
const CAUGHT_PANIC: &str = "stage panicked:";

/// The default extractor, built once: loading the NER model per input would leave no time for
/// fuzzing.
pub fn handler() -> &'static Extractor {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR.get_or_init(|| {
        Extractor::new(&ExtractConfig::default())
            .unwrap_or_else(|e| panic!("the standard pipeline does not build: {e}"))
    })
}

/// Splits a fuzz input into a Kafka message key and value.
///
/// An odd first byte `n` means a key of the next `n >> 1` bytes (fewer if the input is
/// shorter); an even one means no key. The empty input is an empty value without a key.
pub fn split_key(data: &[u8]) -> (Option<&[u8]>, &[u8]) {
    match data.split_first() {
        Some((&n, rest)) if n & 1 == 1 => {
            let (key, value) = rest.split_at(usize::from(n >> 1).min(rest.len()));
            (Some(key), value)
        }
        Some((_, rest)) => (None, rest),
        None => (None, data),
    }
}

/// Panics, which libFuzzer reports as a crash, when `outcome` breaks an invariant.
pub fn check_outcome(outcome: &Outcome) {
    match outcome {
        Outcome::Failed(failure) => assert!(
            !failure.message.starts_with(CAUGHT_PANIC),
            "stage `{}` panicked; the pipeline caught it: {}",
            failure.stage,
            failure.message
        ),
        Outcome::Record(processed) => check_record(&processed.bytes),
    }
}

/// Checks that a record is JSON and that its offsets agree with its `text`.
fn check_record(json: &[u8]) {
    let record: Value = serde_json::from_slice(json)
        .unwrap_or_else(|e| panic!("the record is not valid JSON: {e}"));
    let text: Vec<char> = match record.get("text") {
        Some(Value::String(text)) => text.chars().collect(),
        other => panic!("the record's `text` is not a string: {other:?}"),
    };
    assert_eq!(
        record["stats"]["chars"].as_u64(),
        Some(text.len() as u64),
        "stats.chars must count the characters of `text`"
    );
    check_spans(&record, &text);
}

/// Checks every object with `start` and `end` offsets, wherever it sits in the record: the
/// offsets count characters of `text`, and a `text` beside them is those characters.
fn check_spans(value: &Value, text: &[char]) {
    match value {
        Value::Array(items) => items.iter().for_each(|item| check_spans(item, text)),
        Value::Object(fields) => {
            let offset = |name: &str| fields.get(name).and_then(Value::as_u64);
            if let (Some(start), Some(end)) = (offset("start"), offset("end")) {
                assert!(
                    start <= end && end <= text.len() as u64,
                    "span {start}..{end} is not within a text of {} characters: {value}",
                    text.len()
                );
                if let Some(Value::String(span_text)) = fields.get("text") {
                    let named: String = text[start as usize..end as usize].iter().collect();
                    assert_eq!(
                        span_text, &named,
                        "a span's text differs from the characters at {start}..{end}"
                    );
                }
            }
            fields.values().for_each(|field| check_spans(field, text));
        }
        _ => {}
    }
}
