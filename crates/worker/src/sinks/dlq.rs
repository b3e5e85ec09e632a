//! Dead letters: an input that could not become a record, kept whole, with the reason.
//!
//! A dead letter carries the input's original key, value and headers unchanged (its trace
//! context among them, see [`headers`](super::headers)), so it can be fixed and re-sent as it
//! was, plus headers that say what went wrong and where the input came from:
//!
//! | header | value |
//! |---|---|
//! | `newsworker.stage` | the stage that failed (`envelope`, `text`, …) |
//! | `newsworker.reason` | a code from a closed set (`invalid_json`, `too_large`, …) |
//! | `newsworker.error` | the message for a person |
//! | `newsworker.source.topic` / `.partition` / `.offset` / `.timestamp` | the input's origin |
//! | `newsworker.version` | the worker's version |

use super::headers::source_headers;
use newsworker_extract::contract::failure::Failure;
use newsworker_extract::pipeline::doc::Provenance;
use newsworker_extract::pipeline::VERSION;

/// Prefix of the headers the worker adds.
pub const HEADER_PREFIX: &str = "newsworker.";

/// The headers describing `failure` of the input at `provenance`, in a fixed order.
pub fn failure_headers(failure: &Failure, provenance: &Provenance) -> Vec<(&'static str, String)> {
    let mut headers = vec![
        ("newsworker.stage", failure.stage.to_owned()),
        ("newsworker.reason", failure.reason.as_str().to_owned()),
        ("newsworker.error", failure.message.clone()),
    ];
    headers.extend(source_headers(provenance));
    headers.push(("newsworker.version", VERSION.to_owned()));
    headers
}

#[cfg(test)]
mod tests {
    use super::*;
    use newsworker_extract::contract::failure::Reason;

    #[test]
    fn headers_name_stage_reason_error_and_origin() {
        let f = Failure::new("envelope", Reason::InvalidJson, "bad");
        let p = Provenance {
            topic: "raw".into(),
            partition: 3,
            offset: 42,
            timestamp_ms: Some(1_700_000_000_000),
        };
        let h = failure_headers(&f, &p);
        let get = |k: &str| h.iter().find(|(n, _)| *n == k).map(|(_, v)| v.as_str());
        assert_eq!(get("newsworker.stage"), Some("envelope"));
        assert_eq!(get("newsworker.reason"), Some("invalid_json"));
        assert_eq!(get("newsworker.error"), Some("bad"));
        assert_eq!(get("newsworker.source.partition"), Some("3"));
        assert_eq!(get("newsworker.source.offset"), Some("42"));
        assert_eq!(get("newsworker.source.timestamp"), Some("1700000000000"));
        assert!(h.iter().all(|(n, _)| n.starts_with(HEADER_PREFIX)));
    }
}
