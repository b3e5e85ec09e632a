//! `newsworker serve` as a user runs it: the built binary on a free port, asked over HTTP by a
//! real client, and tested against its own OpenAPI document by schemathesis.
//!
//! Needs `scripts/install-test-tools.sh` (schemathesis in `$NEWSWORKER_TOOLS/schemathesis-venv`)
//! and the reference article, `../shared/corpus/nato-explainer.json`.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use common::serve::Server;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn reference_article() -> Vec<u8> {
    let path = repo().join("../shared/corpus/nato-explainer.json");
    std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// POSTs `body` to `path` and returns the status, the headers we look at and the body.
fn post(addr: SocketAddr, path: &str, content_type: &str, body: &[u8]) -> (u16, Value, String) {
    let request = ureq::post(&format!("http://{addr}{path}"))
        .set("Content-Type", content_type)
        .timeout(Duration::from_secs(120));
    let response = match request.send_bytes(body) {
        Ok(response) => response,
        Err(ureq::Error::Status(_, response)) => response,
        Err(e) => panic!("POST {path}: {e}"),
    };
    let status = response.status();
    let retry_after = response
        .header("retry-after")
        .unwrap_or_default()
        .to_owned();
    let text = response.into_string().expect("a UTF-8 answer");
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    (status, json, retry_after)
}

/// The record with its timings zeroed: the only part that differs between two runs.
fn without_timings(mut record: Value) -> Value {
    for stage in record["pipeline"]["stages"].as_array_mut().expect("stages") {
        stage["elapsed_us"] = Value::from(0);
    }
    record
}

#[test]
fn the_reference_article_gets_the_record_process_writes_and_its_page_the_same_text() {
    let server = Server::shared();
    let article = reference_article();
    let processed = Command::new(env!("CARGO_BIN_EXE_newsworker"))
        .arg("process")
        .arg(repo().join("../shared/corpus/nato-explainer.json"))
        .stderr(Stdio::inherit())
        .output()
        .expect("run newsworker process");
    assert!(processed.status.success());
    let expected: Value = serde_json::from_slice(&processed.stdout).expect("a JSON record");

    let (status, served, _) = post(server.addr, "/v1/extract", "application/json", &article);
    assert_eq!(status, 200, "{served}");
    assert_eq!(without_timings(served), without_timings(expected.clone()));

    // The same article as a page: its paragraphs in <p>, its metadata in the query.
    let envelope: Value = serde_json::from_slice(&article).unwrap();
    let paragraphs: String = envelope["text"]
        .as_str()
        .unwrap()
        .lines()
        .filter(|p| !p.trim().is_empty())
        .map(|p| format!("<p>{}</p>\n", html_escape(p.trim())))
        .collect();
    let page = format!(
        "<!doctype html><html><head><title>Explainer</title></head><body>\
         <nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav>\
         <article>{paragraphs}</article><footer>© news.example</footer></body></html>"
    );
    let query = format!(
        "/v1/extract?url={}&published_at={}",
        envelope["url"].as_str().unwrap(),
        envelope["published_at"].as_str().unwrap()
    );
    let (status, from_page, _) = post(server.addr, &query, "text/html", page.as_bytes());
    assert_eq!(status, 200, "{from_page}");
    assert_eq!(from_page["text"], expected["text"]);
    assert_eq!(from_page["url"], expected["url"]);
    assert_eq!(from_page["quotes"], expected["quotes"]);
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[test]
fn a_batch_streams_one_outcome_per_line_in_input_order() {
    let server = Server::shared();
    let samples = std::fs::read(repo().join("samples/articles.jsonl")).unwrap();
    let (status, _, _) = post(
        server.addr,
        "/v1/extract/batch",
        "application/x-ndjson",
        b"\n \n",
    );
    assert_eq!(status, 422);
    let response = ureq::post(&format!("http://{}/v1/extract/batch", server.addr))
        .set("Content-Type", "application/x-ndjson")
        .send_bytes(&samples)
        .expect("the batch is answered");
    assert_eq!(response.content_type(), "application/x-ndjson");
    let outcomes: Vec<Value> = BufReader::new(response.into_reader())
        .lines()
        .map(|line| serde_json::from_str(&line.unwrap()).expect("a JSON line"))
        .collect();
    let inputs: Vec<&[u8]> = samples
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(outcomes.len(), inputs.len());
    let record_schema: Value =
        serde_json::from_str(include_str!("../../../schema/record.schema.json")).unwrap();
    let validator = jsonschema::validator_for(&record_schema).unwrap();
    for (i, (outcome, input)) in outcomes.iter().zip(&inputs).enumerate() {
        assert_eq!(outcome["line"], i + 1, "in input order: {outcome}");
        // The outcome a line gets in a batch is the one it gets alone.
        let content_type = if input.starts_with(b"{") {
            "application/json"
        } else {
            "text/plain"
        };
        let (status, alone, _) = post(server.addr, "/v1/extract", content_type, input);
        if let Some(record) = outcome.get("record") {
            assert_eq!(status, 200);
            assert!(validator.is_valid(record), "line {} off the schema", i + 1);
            assert_eq!(outcome["id"], record["id"]);
            assert_eq!(without_timings(record.clone()), without_timings(alone));
        } else {
            assert!((400..500).contains(&status), "line {}: {status}", i + 1);
            assert_eq!(outcome["error"]["reason"], alone["reason"]);
        }
    }
    assert!(outcomes.iter().any(|o| o.get("error").is_some()));
}

#[test]
fn bad_input_answers_4xx_with_the_dead_letters_reason() {
    let server = Server::shared();
    let addr = server.addr;
    let too_large = vec![b'a'; 2 * 1024 * 1024 + 1];
    let cases: [(&str, &str, &[u8], u16, &str); 8] = [
        (
            "/v1/extract",
            "application/json",
            b"{\"text\": ",
            400,
            "invalid_json",
        ),
        (
            "/v1/extract",
            "application/json",
            b"[\"a list\"]",
            422,
            "invalid_envelope",
        ),
        (
            "/v1/extract",
            "application/json",
            b"{\"text\": 5}",
            422,
            "invalid_envelope",
        ),
        (
            "/v1/extract",
            "text/plain",
            b"\xff\xfe not UTF-8",
            422,
            "invalid_utf8",
        ),
        (
            "/v1/extract",
            "text/plain",
            b"nul\0inside",
            422,
            "binary_content",
        ),
        ("/v1/extract", "text/plain", &too_large, 413, "too_large"),
        (
            "/v1/extract",
            "application/x-www-form-urlencoded",
            b"a=b",
            415,
            "unsupported_media_type",
        ),
        (
            "/v1/extract?colour=red",
            "text/plain",
            b"Text.",
            400,
            "invalid_query",
        ),
    ];
    for (path, content_type, body, status, reason) in cases {
        let (got, error, _) = post(addr, path, content_type, body);
        assert_eq!(
            (got, error["reason"].as_str()),
            (status, Some(reason)),
            "{error}"
        );
        assert!(!error["message"].as_str().unwrap_or_default().is_empty());
    }
    // A page with a NUL byte is parsed as a browser would: a record, not binary content.
    let page = b"<html><body><article><p>The council met on Monday in Leeds.\0 It voted.</p></article></body></html>";
    let (status, record, _) = post(addr, "/v1/extract", "text/html", page);
    assert_eq!(status, 200, "{record}");
    let (status, error, _) = post(addr, "/nowhere", "text/plain", b"x");
    assert_eq!((status, error["reason"].as_str()), (404, Some("not_found")));
    let metrics = common::http_get(addr, "/metrics").expect("/metrics").1;
    assert!(metrics.contains("mode=\"serve\""));
    assert!(
        common::metric_sum_where(&metrics, "newsworker_http_requests_total", "status=\"422\"")
            >= 4.0
    );
}

#[test]
fn schemathesis_finds_no_server_error_and_no_answer_off_the_document() {
    let server = Server::shared();
    let venv = common::tools_dir().join("schemathesis-venv");
    let st = venv.join("bin/st");
    assert!(
        st.is_file(),
        "{} missing: run scripts/install-test-tools.sh",
        st.display()
    );
    let reports = repo().join("target/test-artifacts/schemathesis");
    let out = Command::new(st)
        .arg("run")
        .arg(format!("http://{}/openapi.json", server.addr))
        // Every check but one: schema-valid inputs that cannot become a record (an HTML page
        // with no article in it) answer 422, as their dead letter would say on the stream.
        .args(["--exclude-checks", "positive_data_acceptance"])
        .args([
            "--max-examples",
            "60",
            "--seed",
            "20261208",
            "--workers",
            "2",
        ])
        .args(["--report", "junit", "--report-dir"])
        .arg(&reports)
        .env("PYTHONPATH", repo().join("tests/http"))
        .env("SCHEMATHESIS_HOOKS", "schemathesis_hooks")
        .current_dir(std::env::temp_dir())
        .output()
        .expect("run schemathesis");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "schemathesis found problems:\n{text}");
    assert!(text.contains("passed"), "{text}");
}

#[test]
fn a_full_house_answers_429_and_a_late_answer_503_both_with_retry_after() {
    let server = Server::start(&[("NEWSWORKER__SERVE__MAX_CONCURRENT_REQUESTS", "1")]);
    // A batch the client does not read holds the only slot: its answer waits on the client.
    let article = reference_article();
    let line: Vec<u8> = serde_json::to_vec(&serde_json::from_slice::<Value>(&article).unwrap())
        .unwrap()
        .into_iter()
        .chain(*b"\n")
        .collect();
    let batch = line.repeat(200);
    let mut held = TcpStream::connect(server.addr).unwrap();
    write!(
        held,
        "POST /v1/extract/batch HTTP/1.1\r\nHost: t\r\nContent-Type: application/x-ndjson\r\nContent-Length: {}\r\n\r\n",
        batch.len()
    )
    .unwrap();
    held.write_all(&batch).unwrap();
    let mut head = [0u8; 12];
    held.read_exact(&mut head).unwrap();
    assert_eq!(&head, b"HTTP/1.1 200");
    let (status, error, retry_after) = post(server.addr, "/v1/extract", "text/plain", b"Text.");
    assert_eq!(
        (status, error["reason"].as_str()),
        (429, Some("overloaded"))
    );
    assert_eq!(retry_after, "1");
    drop(held);

    let hurried = Server::start(&[("NEWSWORKER__SERVE__REQUEST_TIMEOUT_MS", "1")]);
    let (status, error, retry_after) =
        post(hurried.addr, "/v1/extract", "application/json", &article);
    assert_eq!(
        (status, error["reason"].as_str()),
        (503, Some("deadline_exceeded"))
    );
    assert_eq!(retry_after, "1");
}

#[test]
fn sigterm_lets_the_batch_in_progress_finish_then_exits_0() {
    let server = Server::start(&[]);
    let samples = std::fs::read(repo().join("samples/articles.jsonl")).unwrap();
    let batch = samples.repeat(5);
    let mut stream = TcpStream::connect(server.addr).unwrap();
    write!(
        stream,
        "POST /v1/extract/batch HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Type: application/x-ndjson\r\nContent-Length: {}\r\n\r\n",
        batch.len()
    )
    .unwrap();
    stream.write_all(&batch).unwrap();
    let mut reader = BufReader::new(stream);
    let mut status_line = String::new();
    reader.read_line(&mut status_line).unwrap();
    assert!(status_line.starts_with("HTTP/1.1 200"), "{status_line}");
    // The batch is being answered: stop the server now.
    let exit = server.terminate();
    let mut rest = String::new();
    reader.read_to_string(&mut rest).unwrap();
    let outcomes = rest.matches("{\"line\":").count();
    assert_eq!(outcomes, 50, "every line answered before the stop:\n{rest}");
    assert!(exit.success(), "exit status {exit}");
}
