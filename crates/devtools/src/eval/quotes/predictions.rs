//! The record's quotes as predictions in the raw text's character offsets.
//!
//! Every article goes through the whole pipeline as plain text. The record's offsets are Unicode
//! scalar offsets into its *normalised* text (collapsed spaces and paragraph breaks, NFC), so
//! the normalised text is aligned back to the raw text character by character (equal characters
//! pair up; whitespace and invisible characters on either side are skipped), and predictions
//! are scored in raw character offsets.

use serde::Deserialize;

use super::Chars;
use crate::eval::align;

/// A predicted quote in raw character offsets.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct Predicted {
    /// The quote's span.
    pub(super) span: Chars,
    /// Its kind: `direct`, `indirect` or `mixed`.
    pub(super) kind: String,
    /// The speaker's mention, when there is a speaker.
    pub(super) speaker: Option<Chars>,
    /// The speaker's name, when there is a speaker.
    pub(super) name: Option<String>,
    /// How the speaker was found (`name`, `pronoun`, …), when there is a speaker.
    pub(super) via: Option<String>,
    /// The speaker entity's mentions.
    pub(super) entity_mentions: Vec<Chars>,
}

impl Predicted {
    /// Whether the quote carries quotation marks (a direct or mixed quote).
    pub(super) fn has_marks(&self) -> bool {
        self.kind != "indirect"
    }
}

/// The parts of a record the evaluation reads.
#[derive(Deserialize)]
struct RecordView {
    text: String,
    #[serde(default)]
    entities: Vec<EntityView>,
    #[serde(default)]
    quotes: Vec<QuoteView>,
}

#[derive(Deserialize)]
struct EntityView {
    id: String,
    #[serde(default)]
    mentions: Vec<SpanView>,
}

#[derive(Deserialize)]
struct SpanView {
    start: usize,
    end: usize,
}

/// A quote; records of schema 1 have no `kind` and only direct quotes.
#[derive(Deserialize)]
struct QuoteView {
    start: usize,
    end: usize,
    #[serde(default = "direct")]
    kind: String,
    speaker: Option<SpeakerView>,
}

/// The kind of a quote of a record that gives none.
fn direct() -> String {
    "direct".into()
}

#[derive(Deserialize)]
struct SpeakerView {
    name: String,
    entity: Option<String>,
    #[serde(default)]
    via: Option<String>,
    start: usize,
    end: usize,
}

/// The record's quotes in raw character offsets.
pub(super) fn predictions(json: &[u8], raw: &[char]) -> Result<Vec<Predicted>, String> {
    let record: RecordView = serde_json::from_slice(json).map_err(|e| e.to_string())?;
    let normalised: Vec<char> = record.text.chars().collect();
    let to_raw = align(&normalised, raw);
    let map = |s: usize, e: usize| -> Chars {
        let start = to_raw.get(s).copied().unwrap_or(raw.len());
        let end = e
            .checked_sub(1)
            .and_then(|last| to_raw.get(last))
            .map_or(start, |&r| r + 1);
        (start, end.max(start))
    };
    let mentions_of = |id: &str| -> Vec<Chars> {
        record
            .entities
            .iter()
            .find(|e| e.id == id)
            .map(|e| e.mentions.iter().map(|m| map(m.start, m.end)).collect())
            .unwrap_or_default()
    };
    Ok(record
        .quotes
        .iter()
        .map(|q| Predicted {
            span: map(q.start, q.end),
            kind: q.kind.clone(),
            speaker: q.speaker.as_ref().map(|s| map(s.start, s.end)),
            name: q.speaker.as_ref().map(|s| s.name.clone()),
            via: q
                .speaker
                .as_ref()
                .map(|s| s.via.clone().unwrap_or_default()),
            entity_mentions: q
                .speaker
                .as_ref()
                .and_then(|s| s.entity.as_deref())
                .map(mentions_of)
                .unwrap_or_default(),
        })
        .collect())
}
