//! The input contract: from raw message bytes to an [`Article`].
//!
//! A raw message is either a JSON envelope
//! `{"id"?, "url"?, "outlet"?, "published_at"? (RFC 3339), "title"?, "language"?, "text"?, "html"?}`
//! with at least one of `text`/`html`, or any other UTF-8 payload, which is the plain-text body.
//! A payload whose first non-blank character is `{` is taken to be meant as JSON, so a broken
//! envelope is reported as such instead of being processed as an article about curly braces.
//!
//! The article id is the envelope's `id`, else the message key, else a stable hash of the `url`,
//! else a stable hash of the body: the id keys the output record, so re-processing an article
//! overwrites its record in a compacted topic instead of adding a second one.
//!
//! Everything that cannot be an article becomes a [`Failure`] with a reason, on its way to the
//! dead-letter topic: nothing is dropped silently.

use chrono::{DateTime, FixedOffset};
use serde::Deserialize;

use crate::config::Limits;
use crate::contract::failure::{Failure, Reason};

/// The name under which envelope failures are reported.
pub const STAGE: &str = "envelope";

/// One article as delivered, before any processing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// The article id (see the module docs for how it is chosen).
    pub id: String,
    /// The article's URL.
    pub url: Option<String>,
    /// The publisher.
    pub outlet: Option<String>,
    /// When the article was published.
    pub published_at: Option<DateTime<FixedOffset>>,
    /// The headline.
    pub title: Option<String>,
    /// The language the producer declared, if any.
    pub language: Option<String>,
    /// The plain-text body.
    pub text: Option<String>,
    /// The HTML page, used when there is no plain-text body.
    pub html: Option<String>,
}

#[derive(Deserialize)]
struct Envelope {
    id: Option<IdField>,
    url: Option<String>,
    outlet: Option<String>,
    published_at: Option<String>,
    title: Option<String>,
    language: Option<String>,
    text: Option<String>,
    html: Option<String>,
}

/// Producers write ids as strings or as numbers; both are accepted.
#[derive(Deserialize)]
#[serde(untagged)]
enum IdField {
    Text(String),
    Number(serde_json::Number),
}

/// Parses a raw message into an article, or says why it cannot be one.
pub fn parse(key: Option<&[u8]>, value: &[u8], limits: &Limits) -> Result<Article, Failure> {
    if value.len() > limits.max_article_bytes {
        return Err(fail(
            Reason::TooLarge,
            format!(
                "message is {} bytes, over limits.max_article_bytes = {}",
                value.len(),
                limits.max_article_bytes
            ),
        ));
    }
    let payload = std::str::from_utf8(value)
        .map_err(|e| fail(Reason::InvalidUtf8, format!("message is not UTF-8: {e}")))?;
    let key_id = key.filter(|k| !k.is_empty()).map(key_to_id);
    if payload.trim_start().starts_with('{') {
        parse_envelope(payload, key_id)
    } else {
        check_body(payload, "message")?;
        Ok(Article {
            id: key_id.unwrap_or_else(|| stable_id("text", payload)),
            url: None,
            outlet: None,
            published_at: None,
            title: None,
            language: None,
            text: Some(payload.to_owned()),
            html: None,
        })
    }
}

fn parse_envelope(payload: &str, key_id: Option<String>) -> Result<Article, Failure> {
    let envelope: Envelope = serde_json::from_str(payload).map_err(|e| {
        let reason = if e.is_data() {
            Reason::InvalidEnvelope
        } else {
            Reason::InvalidJson
        };
        fail(reason, format!("envelope: {e}"))
    })?;
    let published_at = envelope
        .published_at
        .as_deref()
        .map(|s| {
            DateTime::parse_from_rfc3339(s).map_err(|e| {
                fail(
                    Reason::InvalidEnvelope,
                    format!("published_at {s:?} is not an RFC 3339 time: {e}"),
                )
            })
        })
        .transpose()?;
    let text = envelope.text.filter(|t| !t.trim().is_empty());
    let html = envelope.html.filter(|h| !h.trim().is_empty());
    let body = match (&text, &html) {
        (Some(t), _) => ("text", t),
        (None, Some(h)) => ("html", h),
        (None, None) => {
            return Err(fail(
                Reason::EmptyBody,
                "envelope has no non-blank `text` or `html` field",
            ))
        }
    };
    // A page is parsed as a browser parses it: HTML5 drops or replaces NUL and keeps other
    // control characters as text, so one does not make a page binary (the html stage refuses
    // input that is mostly control characters). A plain-text body has no such parse.
    if text.is_some() {
        check_body(body.1, body.0)?;
    }
    let id = envelope
        .id
        .map(|id| match id {
            IdField::Text(s) => s,
            IdField::Number(n) => n.to_string(),
        })
        .filter(|s| !s.trim().is_empty())
        .or(key_id)
        .or_else(|| envelope.url.as_deref().map(|u| stable_id("url", u)))
        .unwrap_or_else(|| stable_id("text", body.1));
    Ok(Article {
        id,
        url: envelope.url,
        outlet: envelope.outlet,
        published_at,
        title: envelope.title.filter(|t| !t.trim().is_empty()),
        language: envelope.language,
        text,
        html,
    })
}

/// Whether `c` in a body marks binary data: an ASCII control character other than the
/// whitespace ones (tab, line feed, carriage return, vertical tab, form feed).
pub fn is_binary_control(c: char) -> bool {
    c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{0b}' | '\u{0c}')
}

/// Rejects bodies that are blank or carry control characters (binary data pasted as text).
fn check_body(body: &str, what: &str) -> Result<(), Failure> {
    if body.trim().is_empty() {
        return Err(fail(Reason::EmptyBody, format!("{what} is empty or blank")));
    }
    let bad = body.char_indices().find(|&(_, c)| is_binary_control(c));
    match bad {
        Some((at, c)) => Err(fail(
            Reason::BinaryContent,
            format!(
                "{what} holds control character U+{:04X} at byte {at}: binary data, not text",
                c as u32
            ),
        )),
        None => Ok(()),
    }
}

/// A message key as an id: UTF-8 keys as they are, others in hex.
fn key_to_id(key: &[u8]) -> String {
    match std::str::from_utf8(key) {
        Ok(s) => s.to_owned(),
        Err(_) => key.iter().map(|b| format!("{b:02x}")).collect(),
    }
}

/// A stable id from content: XXH3-128 is specified byte for byte, so ids survive upgrades.
fn stable_id(kind: &str, content: &str) -> String {
    format!(
        "{kind}-{:032x}",
        xxhash_rust::xxh3::xxh3_128(content.as_bytes())
    )
}

fn fail(reason: Reason, message: impl Into<String>) -> Failure {
    Failure::new(STAGE, reason, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> Limits {
        Limits {
            max_article_bytes: 1000,
            max_text_chars: 1000,
        }
    }

    fn reason(key: Option<&[u8]>, value: &[u8]) -> Reason {
        parse(key, value, &limits()).unwrap_err().reason
    }

    #[test]
    fn envelope_fields_are_read() {
        let a = parse(
            None,
            br#"{"id":"a1","url":"https://x/1","outlet":"x","published_at":"2025-03-02T10:00:00Z","title":"T","language":"en","text":"Body."}"#,
            &limits(),
        )
        .unwrap();
        assert_eq!(a.id, "a1");
        assert_eq!(a.url.as_deref(), Some("https://x/1"));
        assert_eq!(
            a.published_at.unwrap().to_rfc3339(),
            "2025-03-02T10:00:00+00:00"
        );
        assert_eq!(a.text.as_deref(), Some("Body."));
        assert_eq!(a.language.as_deref(), Some("en"));
    }

    #[test]
    fn id_falls_back_to_key_then_url_then_body() {
        let with_key = parse(Some(b"k9"), br#"{"url":"u","text":"b"}"#, &limits()).unwrap();
        assert_eq!(with_key.id, "k9");
        let with_url = parse(None, br#"{"url":"u","text":"b"}"#, &limits()).unwrap();
        assert!(with_url.id.starts_with("url-"));
        let again = parse(None, br#"{"url":"u","text":"other"}"#, &limits()).unwrap();
        assert_eq!(with_url.id, again.id, "same url, same id");
        let body_only = parse(None, b"plain text body", &limits()).unwrap();
        assert!(body_only.id.starts_with("text-"));
        assert_eq!(body_only.text.as_deref(), Some("plain text body"));
        let numeric = parse(Some(b"k"), br#"{"id":42,"text":"b"}"#, &limits()).unwrap();
        assert_eq!(numeric.id, "42");
        let binary_key = parse(Some(&[0xff, 0x01]), b"text", &limits()).unwrap();
        assert_eq!(binary_key.id, "ff01");
    }

    #[test]
    fn html_only_envelopes_are_accepted() {
        let a = parse(None, br#"{"html":"<p>Hi</p>","text":"  "}"#, &limits()).unwrap();
        assert_eq!(a.text, None);
        assert_eq!(a.html.as_deref(), Some("<p>Hi</p>"));
    }

    #[test]
    fn control_characters_refuse_text_but_not_html() {
        let page = parse(None, br#"{"html":"<p>a\u0000b \u0001c</p>"}"#, &limits()).unwrap();
        assert_eq!(page.html.as_deref(), Some("<p>a\0b \u{1}c</p>"));
        assert_eq!(
            reason(None, br#"{"text":"a\u0000b","html":"<p>x</p>"}"#),
            Reason::BinaryContent
        );
    }

    #[test]
    fn bad_inputs_get_a_reason() {
        assert_eq!(reason(None, &[b'a'; 1001]), Reason::TooLarge);
        assert_eq!(reason(None, &[0xff, 0xfe, b'a']), Reason::InvalidUtf8);
        assert_eq!(
            reason(None, b"{\"text\": \"unterminated"),
            Reason::InvalidJson
        );
        assert_eq!(reason(None, br#"{"text": 5}"#), Reason::InvalidEnvelope);
        assert_eq!(
            reason(None, br#"{"text":"b","published_at":17}"#),
            Reason::InvalidEnvelope
        );
        assert_eq!(
            reason(None, br#"{"text":"b","published_at":"yesterday"}"#),
            Reason::InvalidEnvelope
        );
        assert_eq!(reason(None, br#"{"title":"no body"}"#), Reason::EmptyBody);
        assert_eq!(reason(None, b"   \n\t "), Reason::EmptyBody);
        assert_eq!(reason(None, b""), Reason::EmptyBody);
        assert_eq!(reason(None, b"nul\0inside"), Reason::BinaryContent);
        assert_eq!(
            reason(None, br#"{"text":"esc \u0001 char"}"#),
            Reason::BinaryContent
        );
    }

    #[test]
    fn failure_messages_name_the_problem() {
        let f = parse(None, br#"{"text":"b","published_at":17}"#, &limits()).unwrap_err();
        assert_eq!(f.stage, STAGE);
        assert!(
            f.message.contains("published_at") || f.message.contains("string"),
            "{f}"
        );
    }
}
