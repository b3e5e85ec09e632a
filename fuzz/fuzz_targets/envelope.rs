//! Fuzzes the input contract, `newsworker_extract::contract::envelope::parse`, on message bytes.
//!
//! The input is split into an optional key and a value (see `newsworker_fuzz::split_key`) and
//! parsed under the default limits. Parsing must never panic, must be deterministic (the
//! id keys a compacted topic), and an accepted article must have a non-empty id and a body
//! that passes the envelope's own rule: present and not blank, and free of binary control
//! characters when it is plain text (an HTML body is parsed as a browser parses it).

#![no_main]

use libfuzzer_sys::fuzz_target;
use newsworker_extract::config::Limits;
use newsworker_extract::contract::envelope::parse;
use newsworker_fuzz::{is_binary_control, split_key};

fuzz_target!(|data: &[u8]| {
    let (key, value) = split_key(data);
    let limits = &Limits::default();
    let parsed = parse(key, value, limits);
    assert_eq!(
        parsed,
        parse(key, value, limits),
        "parsing is not deterministic"
    );
    let Ok(article) = parsed else {
        return;
    };
    assert!(
        !article.id.is_empty(),
        "an accepted article has an empty id"
    );
    let body = article.text.as_deref().or(article.html.as_deref());
    let Some(body) = body else {
        panic!("an accepted article has neither text nor html");
    };
    assert!(
        !body.trim().is_empty(),
        "an accepted article has a blank body"
    );
    // Only a plain-text body must be free of binary control characters: a page is parsed as a
    // browser parses it, so an HTML body may hold them (the html stage judges what is left).
    if let Some(text) = article.text.as_deref() {
        assert!(
            !text.chars().any(is_binary_control),
            "an accepted text body holds a binary control character: {text:?}"
        );
    }
});
