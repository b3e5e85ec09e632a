//! The output contract: one JSON record per article.
//!
//! The field names are a contract that tools outside the repository read; they are documented
//! in `docs/record.md` and in `schema/record.schema.json`, and `schema_version` changes whenever one
//! of them changes meaning. Fields that a stage fills are present even when it found nothing
//! (empty arrays, nulls), so consumers never have to test for absence.
//!
//! Offsets in the record count Unicode scalar values in the record's `text` (what Python's
//! `str` indexes and JavaScript's `Array.from(text)` counts), while the document works in bytes;
//! [`CharOffsets`] converts once, here at the edge.

use std::collections::BTreeMap;

use chrono::{DateTime, SecondsFormat, TimeZone, Utc};
use serde::Serialize;

use crate::pipeline::doc::{Doc, Span, TimexMod};
use crate::pipeline::VERSION;

/// Version of the record schema.
pub const SCHEMA_VERSION: u32 = 2;

/// The record's JSON Schema, `schema/record.schema.json`: the one source of the contract, from
/// which the Avro schema is derived ([`super::avro`]) and which a registry is given for
/// `json_schema` output.
pub const JSON_SCHEMA: &str = include_str!("../../../../schema/record.schema.json");

/// How records are written: the payload format, and bytes that go before each payload (the
/// Schema Registry's wire-format header, when a registry holds the schema).
#[derive(Debug, Clone, Default)]
pub struct RecordEncoding {
    /// The payload's format.
    pub format: PayloadFormat,
    /// Written before every payload.
    pub prefix: Vec<u8>,
}

/// A record payload's format.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PayloadFormat {
    /// JSON (UTF-8).
    #[default]
    Json,
    /// An Avro binary datum of [`super::avro::AvroSchema::record`].
    Avro,
}

/// The `replay` marker written into every record of a replay (a backfill), so consumers can
/// tell re-processed records from live ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReplayMarker {
    /// The replay's name.
    pub name: String,
    /// When this run of it started (RFC 3339).
    pub started_at: String,
}

/// The record of one article.
#[derive(Debug, Serialize)]
pub struct Record<'a> {
    /// Version of this schema.
    pub schema_version: u32,
    /// Article id; also the Kafka key.
    pub id: &'a str,
    /// Article URL.
    pub url: Option<&'a str>,
    /// Publisher.
    pub outlet: Option<&'a str>,
    /// Publication time, RFC 3339.
    pub published_at: Option<String>,
    /// Headline.
    pub title: Option<&'a str>,
    /// Authors (from an HTML page's byline).
    pub authors: &'a [String],
    /// Where each metadata field came from: `envelope`, or the page's `json-ld`, `opengraph`,
    /// `meta`, `time`, `title` or `html` (lang attribute).
    pub metadata_sources: BTreeMap<&'static str, &'static str>,
    /// Language.
    pub language: Option<LanguageOut<'a>>,
    /// The normalised body.
    pub text: &'a str,
    /// Counts.
    pub stats: Stats,
    /// Headings and their spans.
    pub sections: Vec<SectionOut<'a>>,
    /// Entities with their mentions.
    pub entities: Vec<EntityOut<'a>>,
    /// Places named outside the entities' mentions: in running text, inside names, in the
    /// dateline.
    pub places: Vec<PlaceOut<'a>>,
    /// Where the story was filed, when it opens with a dateline.
    pub dateline: Option<DatelineOut<'a>>,
    /// The countries of the article's places, most mentioned first.
    pub countries: Vec<CountryOut<'a>>,
    /// Quotes, direct and reported.
    pub quotes: Vec<QuoteOut<'a>>,
    /// Dates.
    pub dates: Vec<DateOut<'a>>,
    /// Amounts.
    pub amounts: Vec<AmountOut<'a>>,
    /// Key phrases.
    pub keywords: Vec<KeywordOut<'a>>,
    /// Tone.
    pub tone: Option<ToneOut>,
    /// Content identity.
    pub fingerprint: Option<FingerprintOut<'a>>,
    /// Kafka origin.
    pub provenance: Option<ProvenanceOut<'a>>,
    /// How the record was made.
    pub pipeline: PipelineOut,
    /// Set on records written by `newsworker replay`: the replay's name and start time.
    pub replay: Option<&'a ReplayMarker>,
}

/// `language`.
#[derive(Debug, Serialize)]
pub struct LanguageOut<'a> {
    /// ISO 639-1 code.
    pub code: &'a str,
    /// 0–1.
    pub confidence: f64,
}

/// `stats`.
#[derive(Debug, Serialize)]
pub struct Stats {
    /// Unicode scalar values in `text`.
    pub chars: usize,
    /// Words (tokens with a letter or digit).
    pub words: usize,
    /// Sentences.
    pub sentences: usize,
    /// Paragraphs.
    pub paragraphs: usize,
}

/// A span of text with its offsets.
#[derive(Debug, Serialize)]
pub struct TextSpan<'a> {
    /// The text.
    pub text: &'a str,
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
}

/// `sections[]`.
#[derive(Debug, Serialize)]
pub struct SectionOut<'a> {
    /// Heading text.
    pub heading: &'a str,
    /// Start of the section (its heading).
    pub start: usize,
    /// End of the section.
    pub end: usize,
}

/// `entities[]`.
#[derive(Debug, Serialize)]
pub struct EntityOut<'a> {
    /// `e1`, `e2`, … in order of first mention.
    pub id: String,
    /// Canonical name.
    pub name: &'a str,
    /// PERSON, ORG, LOC or MISC.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Mentions.
    pub mentions: Vec<TextSpan<'a>>,
    /// Roles.
    pub roles: &'a [String],
    /// 0–1.
    pub salience: f64,
    /// The place, for an entity resolved to one; null otherwise.
    pub geo: Option<GeoOut<'a>>,
}

/// `entities[].geo`.
#[derive(Debug, Serialize)]
pub struct GeoOut<'a> {
    /// `geonames:<id>`, `fips:<code>` for a US county, or `iso3166-2:<code>` for a
    /// subdivision GeoNames' extract lacks.
    pub id: &'a str,
    /// Wikidata item, or null.
    pub wikidata: Option<&'a str>,
    /// The gazetteer's name.
    pub name: &'a str,
    /// continent, country, admin1, admin2, city or place.
    pub feature: &'static str,
    /// ISO 3166-1 alpha-2; null for a continent.
    pub country: Option<&'a str>,
    /// ISO 3166-2 of the first-level subdivision, or null.
    pub admin1: Option<&'a str>,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Inhabitants, or null.
    pub population: Option<u64>,
    /// 0–1.
    pub confidence: f64,
}

/// `places[]`.
#[derive(Debug, Serialize)]
pub struct PlaceOut<'a> {
    /// The name as written.
    pub text: &'a str,
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// `text`, `name` (inside an entity's name) or `dateline`.
    pub source: &'static str,
    /// The place.
    pub geo: GeoOut<'a>,
}

/// `dateline`.
#[derive(Debug, Serialize)]
pub struct DatelineOut<'a> {
    /// The dateline's place as written, with its qualifier ("EDMONTON, Ky.").
    pub text: &'a str,
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// The place, or null when the gazetteer does not know it.
    pub geo: Option<GeoOut<'a>>,
}

/// `countries[]`.
#[derive(Debug, Serialize)]
pub struct CountryOut<'a> {
    /// ISO 3166-1 alpha-2.
    pub code: &'a str,
    /// Mentions of places in it.
    pub mentions: usize,
}

/// `quotes[].speaker`.
#[derive(Debug, Serialize)]
pub struct SpeakerOut<'a> {
    /// Canonical name or noun phrase.
    pub name: &'a str,
    /// Entity id, when the speaker is an entity.
    pub entity: Option<String>,
    /// Start of the mention the attribution rests on.
    pub start: usize,
    /// End of that mention.
    pub end: usize,
    /// How the speaker was found: `name`, `pronoun`, `description`, `continuation`,
    /// `noun_phrase`.
    pub via: &'static str,
    /// Entity id of the organisation a noun-phrase speaker speaks for ("a spokesperson for
    /// X"), or null.
    pub affiliation: Option<String>,
}

/// `quotes[]`.
#[derive(Debug, Serialize)]
pub struct QuoteOut<'a> {
    /// Quoted text.
    pub text: &'a str,
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// `direct`, `indirect` or `mixed`.
    pub kind: &'static str,
    /// Speech verb.
    pub verb: Option<&'a str>,
    /// Speaker, or null.
    pub speaker: Option<SpeakerOut<'a>>,
    /// How much to trust the quote and its speaker, in [0, 1].
    pub confidence: f64,
}

/// `dates[]`.
#[derive(Debug, Serialize)]
pub struct DateOut<'a> {
    /// The expression.
    pub text: &'a str,
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// The TIMEX3 type: `DATE`, `TIME`, `DURATION` or `SET`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// TIMEX3-style value.
    pub value: &'a str,
    /// The TimeML `mod` ("early 2024": `START`), when a word narrows or bounds the expression.
    #[serde(rename = "mod", skip_serializing_if = "Option::is_none")]
    pub modifier: Option<&'static str>,
    /// How often a `SET` recurs per period ("twice a year": `2X`), when stated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub freq: Option<String>,
    /// The date the value was resolved against (`pipeline.date_anchor.date`), when it was used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anchor: Option<String>,
}

/// `amounts[]`.
#[derive(Debug, Serialize)]
pub struct AmountOut<'a> {
    /// The number expression.
    pub text: &'a str,
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// The value (the low end of a range).
    pub value: f64,
    /// The high end of a range, else null.
    pub max: Option<f64>,
    /// What is counted, or the currency/percent.
    pub unit: &'a str,
}

/// `keywords[]`.
#[derive(Debug, Serialize)]
pub struct KeywordOut<'a> {
    /// The phrase.
    pub text: &'a str,
    /// Its weight.
    pub score: f64,
}

/// `tone`.
#[derive(Debug, Serialize)]
pub struct ToneOut {
    /// positive − negative.
    pub score: f64,
    /// % positive words.
    pub positive: f64,
    /// % negative words.
    pub negative: f64,
    /// % words with sentiment.
    pub polarity: f64,
    /// Words counted.
    pub words: usize,
}

/// `fingerprint`.
#[derive(Debug, Serialize)]
pub struct FingerprintOut<'a> {
    /// Content hash.
    pub content_hash: &'a str,
    /// SimHash.
    pub simhash: &'a str,
    /// Near-duplicate article id.
    pub near_duplicate_of: Option<&'a str>,
}

/// `provenance`.
#[derive(Debug, Serialize)]
pub struct ProvenanceOut<'a> {
    /// Input topic.
    pub topic: &'a str,
    /// Partition.
    pub partition: i32,
    /// Offset.
    pub offset: i64,
    /// Message timestamp, RFC 3339.
    pub timestamp: Option<String>,
}

/// `pipeline`.
#[derive(Debug, Serialize)]
pub struct PipelineOut {
    /// Pipeline version.
    pub version: &'static str,
    /// Stages run, with their time.
    pub stages: Vec<StageOut>,
    /// Stages skipped, with the reason.
    pub skipped: Vec<SkippedOut>,
    /// Whether the body was cut to the configured maximum length.
    pub truncated: bool,
    /// The date relative expressions ("on Friday") were resolved against, and where it came
    /// from: `published_at`, or `received_at` (the worker's clock) when the article has none.
    pub date_anchor: DateAnchorOut,
}

/// `pipeline.date_anchor`.
#[derive(Debug, Serialize)]
pub struct DateAnchorOut {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `published_at` or `received_at`.
    pub source: &'static str,
}

/// `pipeline.stages[]`.
#[derive(Debug, Serialize)]
pub struct StageOut {
    /// Stage name.
    pub name: &'static str,
    /// Microseconds.
    pub elapsed_us: u64,
}

/// `pipeline.skipped[]`.
#[derive(Debug, Serialize)]
pub struct SkippedOut {
    /// Stage name.
    pub stage: &'static str,
    /// Why.
    pub reason: String,
}

/// Converts byte offsets of one text to Unicode scalar offsets.
pub struct CharOffsets {
    /// Scalar index of every byte position (empty for ASCII text, where they are equal).
    index: Vec<u32>,
}

impl CharOffsets {
    /// Prepares the conversion for `text`.
    pub fn new(text: &str) -> Self {
        if text.is_ascii() {
            return CharOffsets { index: Vec::new() };
        }
        let mut index = Vec::with_capacity(text.len() + 1);
        for (chars, c) in (0u32..).zip(text.chars()) {
            index.extend(std::iter::repeat_n(chars, c.len_utf8()));
        }
        index.push(u32::try_from(text.chars().count()).unwrap_or(u32::MAX));
        CharOffsets { index }
    }

    /// The scalar offset of byte offset `byte`.
    pub fn at(&self, byte: usize) -> usize {
        if self.index.is_empty() {
            byte
        } else {
            self.index
                .get(byte)
                .or(self.index.last())
                .map_or(0, |&c| c as usize)
        }
    }

    fn span<'t>(&self, text: &'t str, span: Span) -> TextSpan<'t> {
        TextSpan {
            text: span.text(text),
            start: self.at(span.start),
            end: self.at(span.end),
        }
    }
}

fn rfc3339<Tz: TimeZone>(t: &DateTime<Tz>) -> String
where
    Tz::Offset: std::fmt::Display,
{
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// The source of every metadata field that has a value.
fn metadata_sources(doc: &Doc) -> BTreeMap<&'static str, &'static str> {
    let a = &doc.article;
    let present = [
        ("title", a.title.is_some()),
        ("published_at", a.published_at.is_some()),
        ("url", a.url.is_some()),
        ("language", a.language.is_some()),
        ("authors", !doc.authors.is_empty()),
    ];
    present
        .into_iter()
        .filter(|(_, has)| *has)
        .map(|(field, _)| {
            let from_page = doc.metadata_sources.iter().find(|(f, _)| *f == field);
            (field, from_page.map_or("envelope", |(_, source)| *source))
        })
        .collect()
}

/// `dates[]`: each expression with its type, value, `mod`, frequency and anchor.
fn dates<'a>(doc: &'a Doc, at: &CharOffsets) -> Vec<DateOut<'a>> {
    let anchor = doc.reference_time().date_naive().to_string();
    doc.dates
        .iter()
        .map(|d| DateOut {
            text: &doc.text[d.start..d.end],
            start: at.at(d.start),
            end: at.at(d.end),
            kind: d.kind.as_str(),
            value: &d.value,
            modifier: d.modifier.map(TimexMod::as_str),
            freq: d.frequency.map(|n| format!("{n}X")),
            anchor: d.anchored.then(|| anchor.clone()),
        })
        .collect()
}

impl<'a> Record<'a> {
    /// The record of a processed document.
    pub fn from_doc(doc: &'a Doc) -> Record<'a> {
        let text = doc.text.as_str();
        let at = CharOffsets::new(text);
        Record {
            schema_version: SCHEMA_VERSION,
            id: &doc.article.id,
            url: doc.article.url.as_deref(),
            outlet: doc.article.outlet.as_deref(),
            published_at: doc.article.published_at.as_ref().map(rfc3339),
            title: doc.article.title.as_deref(),
            authors: &doc.authors,
            metadata_sources: metadata_sources(doc),
            language: doc.language.as_ref().map(|l| LanguageOut {
                code: &l.code,
                confidence: l.confidence,
            }),
            text,
            stats: Stats::of(doc, &at),
            sections: doc
                .sections
                .iter()
                .map(|s| SectionOut {
                    heading: s.heading.text(text),
                    start: at.at(s.span.start),
                    end: at.at(s.span.end),
                })
                .collect(),
            entities: entities(doc, &at),
            places: doc
                .places
                .iter()
                .map(|p| PlaceOut {
                    text: p.span.text(text),
                    start: at.at(p.span.start),
                    end: at.at(p.span.end),
                    source: p.source.as_str(),
                    geo: GeoOut::of(&p.geo),
                })
                .collect(),
            dateline: doc.dateline.as_ref().map(|d| DatelineOut {
                text: d.span.text(text),
                start: at.at(d.span.start),
                end: at.at(d.span.end),
                geo: d.geo.as_ref().map(GeoOut::of),
            }),
            countries: doc
                .countries
                .iter()
                .map(|c| CountryOut {
                    code: &c.code,
                    mentions: c.mentions,
                })
                .collect(),
            quotes: quotes(doc, &at),
            dates: dates(doc, &at),
            amounts: amounts(doc, &at),
            keywords: doc
                .keywords
                .iter()
                .map(|k| KeywordOut {
                    text: &k.text,
                    score: k.score,
                })
                .collect(),
            tone: doc.tone.as_ref().map(|t| ToneOut {
                score: t.score,
                positive: t.positive,
                negative: t.negative,
                polarity: t.polarity,
                words: t.words,
            }),
            fingerprint: doc.fingerprint.as_ref().map(|f| FingerprintOut {
                content_hash: &f.content_hash,
                simhash: &f.simhash,
                near_duplicate_of: f.near_duplicate_of.as_deref(),
            }),
            provenance: doc.provenance.as_ref().map(ProvenanceOut::of),
            pipeline: PipelineOut::of(doc),
            replay: None,
        }
    }

    /// The record as JSON bytes.
    pub fn to_json(&self) -> Result<Vec<u8>, serde_json::Error> {
        serde_json::to_vec(self)
    }

    /// The record written as `encoding` says: its prefix, then the payload.
    pub fn encode(&self, encoding: &RecordEncoding) -> Result<Vec<u8>, String> {
        let mut out = Vec::with_capacity(encoding.prefix.len() + 4 * self.text.len() + 1024);
        out.extend_from_slice(&encoding.prefix);
        match encoding.format {
            PayloadFormat::Json => serde_json::to_writer(&mut out, self).map_err(|e| e.to_string()),
            PayloadFormat::Avro => super::avro::AvroSchema::record()
                .encode(self, &mut out)
                .map_err(|e| e.to_string()),
        }?;
        Ok(out)
    }
}

/// The id of the entity at `index` of `Doc::entities`: `e1`, `e2`, …
fn entity_id(index: usize) -> String {
    format!("e{}", index + 1)
}

/// `entities[]`, in the document's order, with ids `e1`, `e2`, …
fn entities<'a>(doc: &'a Doc, at: &CharOffsets) -> Vec<EntityOut<'a>> {
    doc.entities
        .iter()
        .enumerate()
        .map(|(i, e)| EntityOut {
            id: entity_id(i),
            name: &e.name,
            kind: e.kind.as_str(),
            mentions: e.mentions.iter().map(|m| at.span(&doc.text, *m)).collect(),
            roles: &e.roles,
            salience: e.salience,
            geo: doc.geo.get(i).and_then(Option::as_ref).map(GeoOut::of),
        })
        .collect()
}

/// `quotes[]`, speakers pointing at entity ids.
fn quotes<'a>(doc: &'a Doc, at: &CharOffsets) -> Vec<QuoteOut<'a>> {
    doc.quotes
        .iter()
        .map(|q| QuoteOut {
            text: q.span.text(&doc.text),
            start: at.at(q.span.start),
            end: at.at(q.span.end),
            kind: q.kind.as_str(),
            verb: q.verb.as_deref(),
            speaker: q.speaker.as_ref().map(|s| SpeakerOut {
                name: &s.name,
                entity: s.entity.map(entity_id),
                start: at.at(s.span.start),
                end: at.at(s.span.end),
                via: s.via.as_str(),
                affiliation: s.affiliation.map(entity_id),
            }),
            confidence: q.confidence,
        })
        .collect()
}

/// `amounts[]`.
fn amounts<'a>(doc: &'a Doc, at: &CharOffsets) -> Vec<AmountOut<'a>> {
    doc.amounts
        .iter()
        .map(|a| AmountOut {
            text: &doc.text[a.start..a.end],
            start: at.at(a.start),
            end: at.at(a.end),
            value: a.value,
            max: a.max,
            unit: &a.unit,
        })
        .collect()
}

impl Stats {
    /// The counts of a processed document.
    fn of(doc: &Doc, at: &CharOffsets) -> Stats {
        let text = doc.text.as_str();
        Stats {
            chars: at.at(text.len()),
            words: doc
                .tokens
                .iter()
                .filter(|t| text[t.start..t.end].chars().any(char::is_alphanumeric))
                .count(),
            sentences: doc.sentences.len(),
            paragraphs: doc.paragraphs.len(),
        }
    }
}

impl<'a> GeoOut<'a> {
    /// The record's view of an entity's place.
    fn of(g: &'a crate::pipeline::doc::Geo) -> GeoOut<'a> {
        GeoOut {
            id: &g.id,
            wikidata: g.wikidata.as_deref(),
            name: &g.name,
            feature: g.feature,
            country: g.country.as_deref(),
            admin1: g.admin1.as_deref(),
            lat: g.lat,
            lon: g.lon,
            population: g.population,
            confidence: g.confidence,
        }
    }
}

impl<'a> ProvenanceOut<'a> {
    /// Where the input came from, its timestamp in RFC 3339.
    fn of(p: &'a crate::pipeline::doc::Provenance) -> ProvenanceOut<'a> {
        ProvenanceOut {
            topic: &p.topic,
            partition: p.partition,
            offset: p.offset,
            timestamp: p
                .timestamp_ms
                .and_then(|ms| Utc.timestamp_millis_opt(ms).single())
                .map(|t| rfc3339(&t)),
        }
    }
}

impl PipelineOut {
    /// How the document was made: version, stage timings, skips, truncation, date anchor.
    fn of(doc: &Doc) -> PipelineOut {
        PipelineOut {
            version: VERSION,
            stages: doc
                .timings
                .iter()
                .map(|t| StageOut {
                    name: t.stage,
                    elapsed_us: t.elapsed_us,
                })
                .collect(),
            skipped: doc
                .skipped
                .iter()
                .map(|s| SkippedOut {
                    stage: s.stage,
                    reason: s.reason.clone(),
                })
                .collect(),
            truncated: doc.truncated,
            date_anchor: DateAnchorOut {
                date: doc.reference_time().date_naive().to_string(),
                source: if doc.article.published_at.is_some() {
                    "published_at"
                } else {
                    "received_at"
                },
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_offsets_count_scalars() {
        let text = "a€b😀c";
        let at = CharOffsets::new(text);
        assert_eq!(at.at(0), 0);
        assert_eq!(at.at(1), 1);
        assert_eq!(at.at(4), 2);
        assert_eq!(at.at(5), 3);
        assert_eq!(at.at(9), 4);
        assert_eq!(at.at(text.len()), 5);
        let ascii = CharOffsets::new("plain");
        assert_eq!(ascii.at(3), 3);
    }
}
