//! The two extraction endpoints: `POST /v1/extract` (one article) and `POST /v1/extract/batch`
//! (JSON Lines in, JSON Lines out).
//!
//! A request body becomes the bytes a Kafka message would carry, and from there the extractor
//! treats it exactly as the worker treats a message: an envelope (`application/json`) goes in
//! as it is; an HTML page (`text/html`) or plain text (`text/plain`) goes in bare, or wrapped in
//! an envelope when the query carries metadata (`?url=…&published_at=…`). So the record is the
//! one `process` writes for the same input, and a failure carries the reason and message its
//! dead letter would: [`failure_status`] maps them to 4xx statuses.
//!
//! A batch answers `200` at once and streams one line per input line, in input order, while
//! later lines are still being extracted: up to twice `worker.cpu_threads` lines run at a time,
//! so one batch keeps every CPU thread busy without holding a whole large batch's records.

use std::collections::VecDeque;

use http_body_util::{BodyExt, Channel, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderMap, HeaderValue, CONTENT_TYPE};
use hyper::{Request, Response, StatusCode};
use serde_json::{Map, Value};

use newsworker_extract::contract::failure::{Failure, Reason};
use newsworker_extract::Outcome;

use super::routes::{error, json_response, Body, HttpError};
use super::State;
use crate::sources::file;

/// The article metadata a query may carry for an HTML page or plain text.
const METADATA: [&str; 5] = ["id", "url", "outlet", "title", "published_at"];

/// `POST /v1/extract`.
pub async fn one(request: Request<Incoming>, state: &State) -> Response<Body> {
    let kind = match BodyKind::of(request.headers(), &[Kind::Json, Kind::Html, Kind::Text]) {
        Ok(kind) => kind,
        Err(e) => return error(e),
    };
    let metadata = match metadata(request.uri().query(), kind) {
        Ok(metadata) => metadata,
        Err(e) => return error(e),
    };
    let body = match read_body(request.into_body(), state.limits.max_article_bytes).await {
        Ok(body) => body,
        Err(e) => return error(e),
    };
    let input = match message(kind, body, metadata) {
        Ok(input) => input,
        Err(failure) => return error(HttpError::from(&failure)),
    };
    match state.extract(input).await {
        Outcome::Record(processed) => json_response(StatusCode::OK, processed.bytes.into()),
        Outcome::Failed(failure) => error(HttpError::from(&failure)),
    }
}

/// `POST /v1/extract/batch`.
pub async fn batch(
    request: Request<Incoming>,
    state: std::sync::Arc<State>,
    permit: tokio::sync::OwnedSemaphorePermit,
) -> Response<Body> {
    if let Err(e) = BodyKind::of(request.headers(), &[Kind::JsonLines]) {
        return error(e);
    }
    if let Err(e) = metadata(request.uri().query(), Kind::JsonLines) {
        return error(e);
    }
    let body = match read_body(request.into_body(), state.limits.max_batch_bytes).await {
        Ok(body) => body,
        Err(e) => return error(e),
    };
    let lines: Vec<(usize, Bytes)> = file::lines(&body)
        .into_iter()
        .map(|input| (input.line, body.slice_ref(input.value)))
        .collect();
    if lines.is_empty() {
        return error(HttpError::input(
            Reason::EmptyBody,
            "the batch holds no line: send one envelope (or one line of plain text) per line",
        ));
    }
    let (sender, stream) = Channel::<Bytes, std::convert::Infallible>::new(16);
    tokio::spawn(async move {
        let _permit = permit;
        stream_outcomes(lines, state, sender).await;
    });
    let mut response = Response::new(stream.boxed());
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/x-ndjson"),
    );
    response
}

/// Extracts `lines`, a window of them at a time, and sends each outcome line in input order;
/// stops (dropping the lines not yet started) when the client goes away.
async fn stream_outcomes(
    lines: Vec<(usize, Bytes)>,
    state: std::sync::Arc<State>,
    mut sender: http_body_util::channel::Sender<Bytes>,
) {
    let window = state.limits.cpu_threads.max(1) * 2;
    let mut running = VecDeque::with_capacity(window);
    let mut lines = lines.into_iter();
    loop {
        while running.len() < window {
            let Some((line, input)) = lines.next() else {
                break;
            };
            let state = state.clone();
            running.push_back(tokio::spawn(async move {
                let timeout = state.limits.timeout;
                let outcome = tokio::time::timeout(timeout, state.extract(input)).await;
                outcome_line(line, outcome.ok())
            }));
        }
        let Some(next) = running.pop_front() else {
            return;
        };
        let line = next.await.unwrap_or_else(|e| {
            let failure = Failure::new("http", Reason::StageError, format!("line task: {e}"));
            outcome_line(0, Some(Outcome::Failed(failure)))
        });
        if sender.send_data(line).await.is_err() {
            running.iter().for_each(|task| task.abort());
            return;
        }
    }
}

/// One line of a batch's answer: `{"line", "id", "record"}` or `{"line", "error"}`, and `\n`;
/// `None` is a line that ran past the deadline.
fn outcome_line(line: usize, outcome: Option<Outcome>) -> Bytes {
    let mut out = Vec::with_capacity(256);
    let error = match outcome {
        Some(Outcome::Record(processed)) => {
            let id = serde_json::to_string(&processed.id).unwrap_or_default();
            out.extend_from_slice(format!("{{\"line\":{line},\"id\":{id},\"record\":").as_bytes());
            out.extend_from_slice(&processed.bytes);
            out.push(b'}');
            None
        }
        Some(Outcome::Failed(failure)) => Some(HttpError::from(&failure)),
        None => Some(HttpError::deadline()),
    };
    if let Some(error) = error {
        let body = error.body();
        out.extend_from_slice(format!("{{\"line\":{line},\"error\":{body}}}").as_bytes());
    }
    out.push(b'\n');
    out.into()
}

/// What a request body holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// An article envelope.
    Json,
    /// An HTML page.
    Html,
    /// Plain text.
    Text,
    /// JSON Lines: one envelope or line of text per line.
    JsonLines,
    /// No Content-Type: JSON when the body starts with `{`, else plain text, as `process` reads.
    Sniffed,
}

/// The body's kind, from its Content-Type.
struct BodyKind;

impl BodyKind {
    /// The kind `headers` declare, if it is one of `accepted` (a missing Content-Type is
    /// [`Kind::Sniffed`] for one article, JSON Lines for a batch).
    fn of(headers: &HeaderMap, accepted: &[Kind]) -> Result<Kind, HttpError> {
        let Some(value) = headers.get(CONTENT_TYPE) else {
            return Ok(if accepted.contains(&Kind::JsonLines) {
                Kind::JsonLines
            } else {
                Kind::Sniffed
            });
        };
        let value = value.to_str().unwrap_or_default().to_ascii_lowercase();
        let mut parts = value.split(';').map(str::trim);
        let media_type = parts.next().unwrap_or_default();
        let charset = parts.find_map(|p| p.strip_prefix("charset="));
        if let Some(charset) = charset.map(|c| c.trim_matches('"')) {
            if charset != "utf-8" && charset != "us-ascii" {
                return Err(HttpError::media_type(format!(
                    "charset {charset} is not supported: send the body as UTF-8"
                )));
            }
        }
        let kind = match media_type {
            "application/json" => Kind::Json,
            "text/html" | "application/xhtml+xml" => Kind::Html,
            "text/plain" => Kind::Text,
            "application/x-ndjson" | "application/jsonl" | "application/json-lines" => {
                Kind::JsonLines
            }
            _ => Kind::Sniffed,
        };
        let batch_json = kind == Kind::Json && accepted.contains(&Kind::JsonLines);
        if accepted.contains(&kind) && kind != Kind::Sniffed {
            Ok(kind)
        } else if batch_json {
            Ok(Kind::JsonLines)
        } else {
            let expected = if accepted.contains(&Kind::JsonLines) {
                "application/x-ndjson (JSON Lines)"
            } else {
                "application/json (an envelope), text/html or text/plain"
            };
            Err(HttpError::media_type(format!(
                "Content-Type {media_type} is not supported: send {expected}"
            )))
        }
    }
}

/// The article metadata in `query` (a batch takes none).
fn metadata(query: Option<&str>, kind: Kind) -> Result<Map<String, Value>, HttpError> {
    let mut metadata = Map::new();
    for (name, value) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        if !METADATA.contains(&name.as_ref()) {
            return Err(HttpError::query(format!(
                "unknown query parameter `{name}`: the query may carry {}",
                METADATA.join(", ")
            )));
        }
        if kind == Kind::JsonLines {
            return Err(HttpError::query(format!(
                "`{name}` in the query: a batch's metadata belongs in its envelopes"
            )));
        }
        if name == "published_at" {
            if let Err(e) = chrono::DateTime::parse_from_rfc3339(&value) {
                return Err(HttpError::query(format!(
                    "published_at {value:?} is not an RFC 3339 time: {e}"
                )));
            }
        }
        metadata.insert(name.into_owned(), Value::String(value.into_owned()));
    }
    Ok(metadata)
}

/// Reads a body of at most `limit` bytes.
async fn read_body(body: Incoming, limit: usize) -> Result<Bytes, HttpError> {
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => Err(HttpError::from(
            &Failure::new(
                "envelope",
                Reason::TooLarge,
                format!("the body is over {limit} bytes (limits.max_article_bytes, serve.max_batch_bytes)"),
            ),
        )),
        Err(e) => Err(HttpError::query(format!("cannot read the body: {e}"))),
    }
}

/// The message the extractor is given for a body of `kind` and the query's `metadata`: an
/// envelope as it is (the metadata filling the fields it leaves out), plain text bare, HTML and
/// text with metadata wrapped in an envelope.
fn message(kind: Kind, body: Bytes, metadata: Map<String, Value>) -> Result<Bytes, Failure> {
    let looks_json = body.trim_ascii_start().starts_with(b"{");
    let kind = match kind {
        Kind::Sniffed if looks_json => Kind::Json,
        Kind::Sniffed => Kind::Text,
        kind => kind,
    };
    let field = match kind {
        Kind::Json if !looks_json => {
            return Err(Failure::new(
                "envelope",
                Reason::InvalidEnvelope,
                "an application/json body must be an envelope, a JSON object: send plain text \
                 as text/plain",
            ))
        }
        Kind::Json => return Ok(with_metadata(body, metadata)),
        Kind::Html => "html",
        Kind::Text if !metadata.is_empty() => "text",
        _ => return Ok(body),
    };
    let content = String::from_utf8(body.into()).map_err(|e| {
        Failure::new(
            "envelope",
            Reason::InvalidUtf8,
            format!("the body is not UTF-8: {}", e.utf8_error()),
        )
    })?;
    let mut envelope = metadata;
    envelope.insert(field.into(), Value::String(content));
    Ok(serde_json::to_vec(&envelope)
        .expect("a JSON object always serialises")
        .into())
}

/// `envelope` with `metadata` in the fields it leaves out or sets to null; as it is when it
/// does not parse (the extractor then says why).
fn with_metadata(envelope: Bytes, metadata: Map<String, Value>) -> Bytes {
    if metadata.is_empty() {
        return envelope;
    }
    let Ok(mut fields) = serde_json::from_slice::<Map<String, Value>>(&envelope) else {
        return envelope;
    };
    for (name, value) in metadata {
        let field = fields.entry(name).or_insert(Value::Null);
        if field.is_null() {
            *field = value;
        }
    }
    serde_json::to_vec(&fields)
        .expect("a JSON object always serialises")
        .into()
}

/// The status a dead letter's reason answers with: the request could not be parsed (400), was
/// too large (413), or was understood but cannot become a record (422).
pub fn failure_status(reason: Reason) -> StatusCode {
    match reason {
        Reason::InvalidJson => StatusCode::BAD_REQUEST,
        Reason::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        Reason::InvalidUtf8
        | Reason::BinaryContent
        | Reason::InvalidEnvelope
        | Reason::EmptyBody
        | Reason::HtmlError
        | Reason::StageError
        | Reason::RecordTooLarge => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(content_type: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_str(content_type).unwrap());
        headers
    }

    const ONE: &[Kind] = &[Kind::Json, Kind::Html, Kind::Text];

    #[test]
    fn content_types_choose_the_kind_and_others_are_refused() {
        let kind = |ct: &str| BodyKind::of(&headers(ct), ONE).map_err(|e| e.status);
        assert_eq!(kind("application/json"), Ok(Kind::Json));
        assert_eq!(kind("text/html; charset=UTF-8"), Ok(Kind::Html));
        assert_eq!(kind("text/plain"), Ok(Kind::Text));
        assert_eq!(
            kind("text/plain; charset=latin1"),
            Err(StatusCode::UNSUPPORTED_MEDIA_TYPE)
        );
        assert_eq!(
            kind("application/x-www-form-urlencoded"),
            Err(StatusCode::UNSUPPORTED_MEDIA_TYPE)
        );
        assert_eq!(
            BodyKind::of(&HeaderMap::new(), ONE).ok(),
            Some(Kind::Sniffed)
        );
        let batch = |ct: &str| BodyKind::of(&headers(ct), &[Kind::JsonLines]).ok();
        assert_eq!(batch("application/x-ndjson"), Some(Kind::JsonLines));
        assert_eq!(batch("application/json"), Some(Kind::JsonLines));
        assert_eq!(batch("text/html"), None);
    }

    #[test]
    fn metadata_wraps_html_and_text_in_an_envelope() {
        let meta = metadata(
            Some("url=https%3A%2F%2Fa.example%2Fx&published_at=2025-03-04T10%3A00%3A00Z"),
            Kind::Html,
        )
        .unwrap();
        let wrapped = message(Kind::Html, Bytes::from("<p>Hi</p>"), meta).unwrap();
        let envelope: Value = serde_json::from_slice(&wrapped).unwrap();
        assert_eq!(envelope["html"], "<p>Hi</p>");
        assert_eq!(envelope["url"], "https://a.example/x");
        assert_eq!(envelope["published_at"], "2025-03-04T10:00:00Z");
        let bare = message(Kind::Text, Bytes::from("Hi."), Map::new()).unwrap();
        assert_eq!(&bare[..], b"Hi.");
    }

    #[test]
    fn a_query_is_refused_when_unknown_or_for_a_batch() {
        assert!(metadata(Some("colour=red"), Kind::Text).is_err());
        assert!(metadata(Some("published_at=yesterday"), Kind::Html).is_err());
        assert!(metadata(Some("url=x"), Kind::JsonLines).is_err());
        assert!(metadata(None, Kind::JsonLines).unwrap().is_empty());
    }

    #[test]
    fn an_envelope_keeps_its_fields_and_takes_the_missing_ones_from_the_query() {
        let meta = metadata(Some("url=q&title=Q"), Kind::Json).unwrap();
        let body = Bytes::from(r#"{"text": "Hi.", "url": "e", "title": null}"#);
        let merged: Value =
            serde_json::from_slice(&message(Kind::Json, body, meta).unwrap()).unwrap();
        assert_eq!(
            (merged["url"].as_str(), merged["title"].as_str()),
            (Some("e"), Some("Q"))
        );
        let array = message(Kind::Json, Bytes::from("[1]"), Map::new()).unwrap_err();
        assert_eq!(array.reason, Reason::InvalidEnvelope);
        let sniffed = message(Kind::Sniffed, Bytes::from("Plain."), Map::new()).unwrap();
        assert_eq!(&sniffed[..], b"Plain.");
    }

    #[test]
    fn html_that_is_not_utf8_is_invalid_utf8() {
        let failure = message(Kind::Html, Bytes::from_static(b"\xff<p>"), Map::new()).unwrap_err();
        assert_eq!(failure.reason, Reason::InvalidUtf8);
    }

    #[test]
    fn batch_lines_are_numbered_and_carry_records_or_errors() {
        let failure = Failure::new("envelope", Reason::EmptyBody, "empty");
        let line = outcome_line(3, Some(Outcome::Failed(failure)));
        let value: Value = serde_json::from_slice(&line).unwrap();
        assert_eq!(value["line"], 3);
        assert_eq!(value["error"]["reason"], "empty_body");
        let late: Value = serde_json::from_slice(&outcome_line(4, None)).unwrap();
        assert_eq!(late["error"]["reason"], "deadline_exceeded");
    }
}
