//! Which request goes where, and the answers every route shares: JSON errors with a reason, the
//! static assets, and the per-route metrics.
//!
//! Errors have one shape everywhere, `{"reason", "stage", "message"}` — for an input that
//! cannot become a record they are its dead letter's reason, stage and message; for the request
//! itself (`stage: "http"`) the reason says what to change: `unsupported_media_type`,
//! `invalid_query`, `not_found`, `method_not_allowed`, `overloaded` and `deadline_exceeded`
//! or `shutting_down` (both with `Retry-After`).

use std::convert::Infallible;
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderValue, ALLOW, CONTENT_TYPE, RETRY_AFTER};
use hyper::{Method, Request, Response, StatusCode};
use serde_json::{json, Value};

use newsworker_extract::contract::failure::{Failure, Reason};

use super::{extract, openapi, State};
use crate::demo::SAMPLES;
use crate::ops::http::operations;
use crate::sources::file;

/// The body of every answer.
pub type Body = BoxBody<Bytes, Infallible>;

/// The routes, for dispatch and as the `route` label of the request metrics (a fixed set, so
/// the label's cardinality stays small whatever paths clients ask for).
const ROUTES: [(&str, Method); 11] = [
    ("/v1/extract", Method::POST),
    ("/v1/extract/batch", Method::POST),
    ("/v1/samples", Method::GET),
    ("/", Method::GET),
    ("/inspector.js", Method::GET),
    ("/inspector.css", Method::GET),
    ("/openapi.json", Method::GET),
    ("/metrics", Method::GET),
    ("/healthz", Method::GET),
    ("/readyz", Method::GET),
    ("/favicon.ico", Method::GET),
];

/// The inspector page and its assets, built into the binary: the page makes no request
/// outside this server.
const ASSETS: [(&str, &str, &str); 3] = [
    (
        "/",
        "text/html; charset=utf-8",
        include_str!("inspector/index.html"),
    ),
    (
        "/inspector.js",
        "text/javascript; charset=utf-8",
        include_str!("inspector/inspector.js"),
    ),
    (
        "/inspector.css",
        "text/css; charset=utf-8",
        include_str!("inspector/inspector.css"),
    ),
];

/// Answers one request and counts it under its route and status.
pub async fn handle(request: Request<Incoming>, state: Arc<State>) -> Response<Body> {
    let started = Instant::now();
    let path = request.uri().path().to_owned();
    let known = ROUTES.iter().find(|(p, _)| *p == path);
    let route = known.map_or("other", |(p, _)| p);
    let response = dispatch(request, &path, known, &state).await;
    let status = response.status();
    let metrics = &state.metrics;
    metrics
        .http_requests
        .with_label_values(&[route, status.as_str()])
        .inc();
    metrics
        .http_request_duration
        .with_label_values(&[route])
        .observe(started.elapsed().as_secs_f64());
    response
}

/// Answers a request for `path`, which is `known` to [`ROUTES`] (with its method) or not.
async fn dispatch(
    request: Request<Incoming>,
    path: &str,
    known: Option<&(&str, Method)>,
    state: &Arc<State>,
) -> Response<Body> {
    let method = request.method().clone();
    let Some((_, allowed)) = known else {
        return error(HttpError::http(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no route {path}: the API is POST /v1/extract and POST /v1/extract/batch, described at /openapi.json"),
        ));
    };
    let head_of_get = method == Method::HEAD && *allowed == Method::GET;
    if method != allowed && !head_of_get {
        let mut response = error(HttpError::http(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            format!("{path} answers {allowed} only"),
        ));
        let allow = HeaderValue::from_str(allowed.as_str()).expect("a method is a header value");
        response.headers_mut().insert(ALLOW, allow);
        return response;
    }
    if *allowed == Method::POST {
        return admitted(request, path, state).await;
    }
    let not_ready = state
        .shutdown
        .is_triggered()
        .then_some("the server is stopping");
    if let Some(response) = operations(path, &state.metrics, not_ready) {
        return response.map(|body| body.boxed());
    }
    match path {
        "/openapi.json" => json_response(
            StatusCode::OK,
            Bytes::from_static(openapi_text().as_bytes()),
        ),
        "/v1/samples" => json_response(StatusCode::OK, Bytes::from_static(samples().as_bytes())),
        "/favicon.ico" => empty(StatusCode::NO_CONTENT),
        _ => asset(path),
    }
}

/// An extraction request, once it has a slot and within its deadline.
async fn admitted(request: Request<Incoming>, path: &str, state: &Arc<State>) -> Response<Body> {
    if state.shutdown.is_triggered() {
        return error(HttpError::retry_later(
            StatusCode::SERVICE_UNAVAILABLE,
            "shutting_down",
            "the server is stopping: send the request to another instance".into(),
        ));
    }
    let Some(permit) = state.admit() else {
        return error(HttpError::retry_later(
            StatusCode::TOO_MANY_REQUESTS,
            "overloaded",
            format!(
                "{} extraction requests are in progress (serve.max_concurrent_requests): retry later",
                state.limits.max_concurrent_requests
            ),
        ));
    };
    let answer = async {
        if path == "/v1/extract" {
            let response = extract::one(request, state).await;
            drop(permit);
            response
        } else {
            extract::batch(request, state.clone(), permit).await
        }
    };
    tokio::time::timeout(state.limits.timeout, answer)
        .await
        .unwrap_or_else(|_| error(HttpError::deadline()))
}

/// The OpenAPI document, built once.
fn openapi_text() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(openapi::text)
}

/// The demo's sample articles as `[{name, content_type, body}]`, broken ones included: the
/// inspector shows what their errors look like.
fn samples() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let samples: Vec<Value> = file::lines(SAMPLES.as_bytes())
            .into_iter()
            .map(|input| {
                let body = String::from_utf8_lossy(input.value).into_owned();
                let parsed: Option<Value> = serde_json::from_str(&body).ok();
                let (name, content_type) = match &parsed {
                    Some(envelope) => {
                        let title = envelope["title"].as_str().or(envelope["id"].as_str());
                        let name = title.unwrap_or("an envelope").to_owned();
                        (name, "application/json")
                    }
                    None if body.starts_with('{') => (
                        format!("a broken envelope (line {})", input.line),
                        "application/json",
                    ),
                    None => (format!("plain text (line {})", input.line), "text/plain"),
                };
                json!({"name": name, "content_type": content_type, "body": body})
            })
            .collect();
        Value::Array(samples).to_string()
    })
}

/// One of the built-in assets, with a policy that lets the page load only from this server.
fn asset(path: &str) -> Response<Body> {
    let Some((_, content_type, text)) = ASSETS.iter().find(|(p, _, _)| *p == path) else {
        return empty(StatusCode::NOT_FOUND);
    };
    let mut response = Response::new(Full::new(Bytes::from_static(text.as_bytes())).boxed());
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        "content-security-policy",
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
             connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        ),
    );
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    response
}

fn empty(status: StatusCode) -> Response<Body> {
    let mut response = Response::new(Full::new(Bytes::new()).boxed());
    *response.status_mut() = status;
    response
}

/// A JSON answer.
pub fn json_response(status: StatusCode, body: Bytes) -> Response<Body> {
    let mut response = Response::new(Full::new(body).boxed());
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// An error answer: a status and the `{"reason", "stage", "message"}` body.
#[derive(Debug)]
pub struct HttpError {
    /// The status.
    pub status: StatusCode,
    reason: &'static str,
    stage: &'static str,
    message: String,
    retry_after: bool,
}

impl HttpError {
    /// An error of the request itself.
    fn http(status: StatusCode, reason: &'static str, message: String) -> Self {
        HttpError {
            status,
            reason,
            stage: "http",
            message,
            retry_after: false,
        }
    }

    /// An error the client can retry after a moment.
    fn retry_later(status: StatusCode, reason: &'static str, message: String) -> Self {
        HttpError {
            retry_after: true,
            ..Self::http(status, reason, message)
        }
    }

    /// The request ran past `serve.request_timeout_ms`.
    pub fn deadline() -> Self {
        Self::retry_later(
            StatusCode::SERVICE_UNAVAILABLE,
            "deadline_exceeded",
            "the request ran past serve.request_timeout_ms".into(),
        )
    }

    /// A Content-Type the endpoint does not take.
    pub fn media_type(message: String) -> Self {
        Self::http(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            message,
        )
    }

    /// A query the endpoint does not take.
    pub fn query(message: String) -> Self {
        Self::http(StatusCode::BAD_REQUEST, "invalid_query", message)
    }

    /// An input refused before it reached the extractor, for `reason`.
    pub fn input(reason: Reason, message: &str) -> Self {
        Self::from(&Failure::new("envelope", reason, message))
    }

    /// The JSON body.
    pub fn body(&self) -> String {
        json!({"reason": self.reason, "stage": self.stage, "message": self.message}).to_string()
    }
}

impl From<&Failure> for HttpError {
    fn from(failure: &Failure) -> Self {
        HttpError {
            status: extract::failure_status(failure.reason),
            reason: failure.reason.as_str(),
            stage: failure.stage,
            message: failure.message.clone(),
            retry_after: false,
        }
    }
}

/// The answer for `e`.
pub fn error(e: HttpError) -> Response<Body> {
    let mut response = json_response(e.status, e.body().into());
    if e.retry_after {
        response
            .headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from_static("1"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_name_every_demo_line_and_keep_its_body() {
        let samples: Vec<Value> = serde_json::from_str(samples()).unwrap();
        assert_eq!(samples.len(), file::lines(SAMPLES.as_bytes()).len());
        assert!(samples.iter().any(|s| s["content_type"] == "text/plain"));
        assert!(samples
            .iter()
            .any(|s| s["name"].as_str().unwrap().starts_with("a broken envelope")));
        for sample in &samples {
            assert!(SAMPLES.contains(sample["body"].as_str().unwrap()));
        }
    }

    #[test]
    fn errors_carry_reason_stage_message_and_retry_after_when_retryable() {
        let response = error(HttpError::deadline());
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers()[RETRY_AFTER], "1");
        let failure = Failure::new("envelope", Reason::InvalidJson, "no");
        let e = HttpError::from(&failure);
        assert_eq!(e.status, StatusCode::BAD_REQUEST);
        let body: Value = serde_json::from_str(&e.body()).unwrap();
        assert_eq!(
            body,
            json!({"reason": "invalid_json", "stage": "envelope", "message": "no"})
        );
    }
}
