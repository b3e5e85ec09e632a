//! The headers the worker writes: where an output came from, and the trace it belongs to.
//!
//! Every record and dead letter names its input — `newsworker.source.topic`, `.partition`,
//! `.offset` and, when the input had one, `.timestamp` — so a consumer can go back to the raw
//! message without reading the record's body.
//!
//! **Trace context.** An input's W3C Trace Context headers (`traceparent`, `tracestate`) are
//! copied to its record and its dead letter, so an article can be followed from the system
//! that produced it, through the worker, to whatever reads the output. The worker is no
//! tracer itself: it passes the context on unchanged, and puts the trace id on the article's
//! tracing span so that its log lines join the trace.

use newsworker_extract::pipeline::doc::Provenance;
use rdkafka::message::{Header, Headers, OwnedHeaders};

/// The W3C Trace Context headers, carried from input to output.
pub const TRACE_HEADERS: [&str; 2] = ["traceparent", "tracestate"];

/// The headers naming the input at `provenance`, in a fixed order.
pub fn source_headers(provenance: &Provenance) -> Vec<(&'static str, String)> {
    let mut headers = vec![
        ("newsworker.source.topic", provenance.topic.clone()),
        (
            "newsworker.source.partition",
            provenance.partition.to_string(),
        ),
        ("newsworker.source.offset", provenance.offset.to_string()),
    ];
    if let Some(ts) = provenance.timestamp_ms {
        headers.push(("newsworker.source.timestamp", ts.to_string()));
    }
    headers
}

/// `headers` with each `(name, value)` of `pairs` appended, in order.
pub fn append<'a, V: AsRef<[u8]> + 'a>(
    headers: OwnedHeaders,
    pairs: impl IntoIterator<Item = &'a (&'static str, V)>,
) -> OwnedHeaders {
    pairs.into_iter().fold(headers, |h, (key, value)| {
        h.insert(Header {
            key,
            value: Some(value.as_ref()),
        })
    })
}

/// The input's trace context headers (`traceparent`, `tracestate`), as they were.
pub fn trace_context(input: Option<&OwnedHeaders>) -> Vec<(&'static str, Vec<u8>)> {
    let Some(input) = input else {
        return Vec::new();
    };
    TRACE_HEADERS
        .iter()
        .filter_map(|&name| {
            input
                .iter()
                .find(|h| h.key.eq_ignore_ascii_case(name))
                .and_then(|h| h.value)
                .map(|value| (name, value.to_vec()))
        })
        .collect()
}

/// The trace id of a valid `traceparent` header (`00-<32 hex>-<16 hex>-<2 hex>`), for the
/// article's tracing span; `None` when there is none or it is malformed (the header is still
/// passed on as it was).
pub fn trace_id(input: Option<&OwnedHeaders>) -> Option<String> {
    let (_, value) = trace_context(input)
        .into_iter()
        .find(|(name, _)| *name == "traceparent")?;
    let value = std::str::from_utf8(&value).ok()?.trim();
    let mut fields = value.split('-');
    let (version, trace, parent, flags) = (
        fields.next()?,
        fields.next()?,
        fields.next()?,
        fields.next()?,
    );
    let hex = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit());
    let valid = hex(version, 2)
        && version != "ff"
        && hex(trace, 32)
        && trace.bytes().any(|b| b != b'0')
        && hex(parent, 16)
        && hex(flags, 2)
        && (version != "00" || fields.next().is_none());
    valid.then(|| trace.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> OwnedHeaders {
        pairs.iter().fold(OwnedHeaders::new(), |h, (key, value)| {
            h.insert(Header {
                key,
                value: Some(*value),
            })
        })
    }

    const PARENT: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    #[test]
    fn the_trace_context_is_copied_as_it_was() {
        let input = headers(&[
            ("test-index", "3"),
            ("traceparent", PARENT),
            ("tracestate", "congo=t61rcWkgMzE"),
        ]);
        let copied = trace_context(Some(&input));
        assert_eq!(
            copied,
            [
                ("traceparent", PARENT.as_bytes().to_vec()),
                ("tracestate", b"congo=t61rcWkgMzE".to_vec())
            ]
        );
        assert!(trace_context(None).is_empty());
        assert!(trace_context(Some(&headers(&[("other", "x")]))).is_empty());
    }

    #[test]
    fn a_valid_traceparent_gives_its_trace_id() {
        let id = |value: &str| trace_id(Some(&headers(&[("traceparent", value)])));
        assert_eq!(
            id(PARENT).as_deref(),
            Some("4bf92f3577b34da6a3ce929d0e0e4736")
        );
        assert_eq!(
            id("00-00000000000000000000000000000000-00f067aa0ba902b7-01"),
            None
        );
        assert_eq!(
            id("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7"),
            None
        );
        assert_eq!(
            id("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
            None
        );
        assert_eq!(id("not a header"), None);
        assert!(trace_id(None).is_none());
    }

    #[test]
    fn source_headers_name_the_input() {
        let provenance = Provenance {
            topic: "raw".into(),
            partition: 2,
            offset: 41,
            timestamp_ms: None,
        };
        let names: Vec<_> = source_headers(&provenance)
            .into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        assert_eq!(
            names,
            [
                "newsworker.source.topic=raw",
                "newsworker.source.partition=2",
                "newsworker.source.offset=41"
            ]
        );
    }
}
