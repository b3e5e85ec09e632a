//! The document: the one piece of state the stages share.
//!
//! Like spaCy's `Doc`, a [`Doc`] starts as the article that arrived and is annotated in place by
//! each stage in turn: the text stage fills `text` and `paragraphs`, the sentence stage `tokens`
//! and `sentences`, and so on. Stages read what earlier stages wrote and never talk to each other
//! any other way.
//!
//! All spans here are **byte** offsets into `text`, which is what Rust string slicing wants. The
//! record converts them to Unicode scalar offsets once, at the edge (see `record.rs`).

use chrono::{DateTime, FixedOffset, Utc};

use crate::contract::envelope::Article;
pub use crate::ner::EntityType;
use crate::text::sentences::Sentence;
use crate::text::tokens::Token;
pub use crate::text::Span;

/// Where a Kafka input came from, copied into the record and into DLQ headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// The input topic.
    pub topic: String,
    /// Its partition.
    pub partition: i32,
    /// The message offset.
    pub offset: i64,
    /// The message timestamp in milliseconds since the epoch, when the broker gave one.
    pub timestamp_ms: Option<i64>,
}

/// The article's language.
#[derive(Debug, Clone, PartialEq)]
pub struct Language {
    /// ISO 639-1 code where one exists, else ISO 639-3.
    pub code: String,
    /// How sure the detector is, 0–1 (1 for a language declared by the producer).
    pub confidence: f64,
}

/// A name the NER model found, before mentions are grouped into entities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// The name's span (no leading "the", no possessive "'s").
    pub span: Span,
    /// The type the model gave it.
    pub kind: EntityType,
    /// The tokens it covers, as indices into `Doc::tokens`.
    pub tokens: std::ops::Range<usize>,
}

/// One real-world thing the article names, with every mention of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    /// The canonical name.
    pub name: String,
    /// The type.
    pub kind: EntityType,
    /// Every mention, in text order.
    pub mentions: Vec<Span>,
    /// Titles and descriptions attached to a person.
    pub roles: Vec<String>,
    /// How central the entity is to the article, 0–1.
    pub salience: f64,
}

/// Where a place entity is on the map: the gazetteer entry the geo stage resolved it to.
#[derive(Debug, Clone, PartialEq)]
pub struct Geo {
    /// `geonames:<id>` for entries from GeoNames (continents, countries, US states, populated
    /// places); `fips:<code>` for a US county (its five FIPS digits); `iso3166-2:<code>` for
    /// the other subdivisions, which come from the
    /// countries/states database.
    pub id: String,
    /// The Wikidata item (`Q1899`), when the gazetteer knows it.
    pub wikidata: Option<String>,
    /// The gazetteer's name of the place.
    pub name: String,
    /// `continent`, `country`, `admin1`, `admin2`, `city` (15,000 inhabitants or more, or a
    /// national capital) or `place` (a smaller populated place).
    pub feature: &'static str,
    /// ISO 3166-1 alpha-2 code of its country; `None` for a continent.
    pub country: Option<String>,
    /// ISO 3166-2 code of the first-level subdivision it is (or lies in), when known.
    pub admin1: Option<String>,
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
    /// Inhabitants, when the gazetteer has a figure.
    pub population: Option<u64>,
    /// How sure the stage is of this entry among the places of the same name, 0–1.
    pub confidence: f64,
}

/// Where a place mention that is no entity's mention was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceSource {
    /// A gazetteer name in running text that the NER model did not tag ("in Metcalfe County").
    Text,
    /// A place inside an organisation's or another entity's name ("the Kentucky State Police",
    /// "Springfield police"); the entity is unchanged.
    Name,
    /// The dateline at the start of the article ("CHICAGO —").
    Dateline,
}

impl PlaceSource {
    /// The record's name of the source.
    pub fn as_str(self) -> &'static str {
        match self {
            PlaceSource::Text => "text",
            PlaceSource::Name => "name",
            PlaceSource::Dateline => "dateline",
        }
    }
}

/// A place named where no entity's mention is: the geo stage's own finds, beside the
/// entities' places.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceMention {
    /// The place's name in the text.
    pub span: Span,
    /// Where it was found.
    pub source: PlaceSource,
    /// The place; its `confidence` is the resolver's times the evidence of the context.
    pub geo: Geo,
}

/// The dateline that opens an article ("LONDON (Reuters) -", "EDMONTON, Ky. (WBKO) --"): where
/// the story was filed.
#[derive(Debug, Clone, PartialEq)]
pub struct Dateline {
    /// The place as written, with its qualifier ("EDMONTON, Ky.").
    pub span: Span,
    /// The place, when the gazetteer knows it.
    pub geo: Option<Geo>,
}

/// How many mentions of places in one country an article makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryMentions {
    /// ISO 3166-1 alpha-2 code.
    pub code: String,
    /// Mentions of entities resolved to the country or to a place in it (demonyms included).
    pub mentions: usize,
}

/// How the speaker of a quote was found, so that a consumer can choose how much inference to
/// trust.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpeakerVia {
    /// The attribution names the speaker: "Smith said", "said Jane Smith", "SMITH:".
    Name,
    /// The attribution has a pronoun ("he said"), resolved to an entity when it could be.
    Pronoun,
    /// A definite description resolved to the entity it describes: "the minister said", "the
    /// company said", "the 42-year-old said".
    Description,
    /// No attribution of its own: the quote goes on with the previous speaker's words.
    Continuation,
    /// A source known only by its words, no named entity: "a senior official", "critics", "a
    /// spokesperson for Acme" (with the affiliation).
    NounPhrase,
}

impl SpeakerVia {
    /// The name used in records: `name`, `pronoun`, `description`, `continuation`,
    /// `noun_phrase`.
    pub fn as_str(self) -> &'static str {
        match self {
            SpeakerVia::Name => "name",
            SpeakerVia::Pronoun => "pronoun",
            SpeakerVia::Description => "description",
            SpeakerVia::Continuation => "continuation",
            SpeakerVia::NounPhrase => "noun_phrase",
        }
    }
}

/// Who a quote is attributed to.
#[derive(Debug, Clone, PartialEq)]
pub struct Speaker {
    /// The canonical name, or the noun phrase when the source is not a named entity.
    pub name: String,
    /// Index into `Doc::entities`, when the speaker is one.
    pub entity: Option<usize>,
    /// The mention the attribution rests on (for a continuation, the one of the quote it
    /// continues).
    pub span: Span,
    /// How the speaker was found.
    pub via: SpeakerVia,
    /// For a noun-phrase speaker speaking for an organisation ("a spokesperson for Acme"),
    /// the organisation's index into `Doc::entities`.
    pub affiliation: Option<usize>,
}

/// How a quote reports speech.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteKind {
    /// The speaker's words in quotation marks: `“We won,” she said`.
    Direct,
    /// Reported speech, no marks: `she said (that) they had won`, `according to her, …`.
    Indirect,
    /// Reported speech holding a partial quote: `she said they had “won fair and square”`.
    Mixed,
}

impl QuoteKind {
    /// The name used in records: `direct`, `indirect`, `mixed`.
    pub fn as_str(self) -> &'static str {
        match self {
            QuoteKind::Direct => "direct",
            QuoteKind::Indirect => "indirect",
            QuoteKind::Mixed => "mixed",
        }
    }
}

/// Something someone said, quoted or reported.
#[derive(Debug, Clone, PartialEq)]
pub struct Quote {
    /// What was said: the words between the marks of a direct quote, the reported content of
    /// an indirect or mixed one (its marks included).
    pub span: Span,
    /// Direct, indirect or mixed.
    pub kind: QuoteKind,
    /// The speech verb ("said", "told", "according to").
    pub verb: Option<String>,
    /// The speaker, when one can be found.
    pub speaker: Option<Speaker>,
    /// How much to trust it, in [0, 1]: that it is speech (or a stated belief) attributed to
    /// the right speaker.
    pub confidence: f64,
}

/// A heading and the part of the article it opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The heading text's span.
    pub heading: Span,
    /// From the heading's start to the end of the section's last paragraph.
    pub span: Span,
}

/// A key phrase of the article.
#[derive(Debug, Clone, PartialEq)]
pub struct Keyword {
    /// The phrase as it appears in the text (first occurrence).
    pub text: String,
    /// Its weight; higher is more central.
    pub score: f64,
}

/// GDELT-style tone.
#[derive(Debug, Clone, PartialEq)]
pub struct Tone {
    /// `positive - negative`.
    pub score: f64,
    /// Percentage of words that are positive.
    pub positive: f64,
    /// Percentage of words that are negative.
    pub negative: f64,
    /// Percentage of words that carry any sentiment.
    pub polarity: f64,
    /// Words counted.
    pub words: usize,
}

/// Identity of the text, for exact and near duplicate detection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    /// XXH3-128 of the normalised text, hex.
    pub content_hash: String,
    /// 64-bit SimHash of the text's word shingles, hex.
    pub simhash: String,
    /// The id of a recent article within the configured Hamming distance.
    pub near_duplicate_of: Option<String>,
}

/// A stage that did not run on this document, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The stage.
    pub stage: &'static str,
    /// Why it was skipped.
    pub reason: String,
}

/// How long a stage took.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StageTiming {
    /// The stage.
    pub stage: &'static str,
    /// Wall time in microseconds.
    pub elapsed_us: u64,
}

/// The shared document.
#[derive(Debug, Clone)]
pub struct Doc {
    /// The article as delivered.
    pub article: Article,
    /// Where it came from, for Kafka inputs.
    pub provenance: Option<Provenance>,
    /// When the worker took the article in; the anchor for relative dates when the article has
    /// no publication time.
    pub received_at: DateTime<Utc>,
    /// Authors from the page's byline (HTML input).
    pub authors: Vec<String>,
    /// Where metadata not given by the envelope came from: (field, source) pairs such as
    /// ("title", "json-ld"). Fields given by the envelope are not listed.
    pub metadata_sources: Vec<(&'static str, &'static str)>,
    /// Headings the HTML page marked (h1–h6), for the sections stage to locate in the text.
    pub page_headings: Vec<String>,
    /// The normalised body text; every span points into it.
    pub text: String,
    /// Whether the body was cut to `limits.max_text_chars`.
    pub truncated: bool,
    /// Paragraph spans.
    pub paragraphs: Vec<Span>,
    /// Tokens.
    pub tokens: Vec<Token>,
    /// Sentences, each with its token range.
    pub sentences: Vec<Sentence>,
    /// The language, once detected.
    pub language: Option<Language>,
    /// Headings and their sections.
    pub sections: Vec<Section>,
    /// Names found by the NER model, in text order.
    pub mentions: Vec<Mention>,
    /// Named entities: the mentions grouped, one entity per real-world thing.
    pub entities: Vec<Entity>,
    /// Where each entity is on the map, parallel to `entities` (`geo[i]` is entity `i`'s
    /// place, `None` for an entity that is no place or an unknown one); filled by the geo stage.
    pub geo: Vec<Option<Geo>>,
    /// Places named outside the entities' mentions (in running text, inside names, in the
    /// dateline), in text order; filled by the geo stage.
    pub places: Vec<PlaceMention>,
    /// The article's dateline, when it opens with one; filled by the geo stage.
    pub dateline: Option<Dateline>,
    /// The countries the article's places lie in, most mentioned first.
    pub countries: Vec<CountryMentions>,
    /// Quotes, direct and reported, in text order.
    pub quotes: Vec<Quote>,
    /// Dates, normalised.
    pub dates: Vec<DateMention>,
    /// Amounts.
    pub amounts: Vec<Amount>,
    /// Key phrases.
    pub keywords: Vec<Keyword>,
    /// Tone.
    pub tone: Option<Tone>,
    /// Content identity.
    pub fingerprint: Option<Fingerprint>,
    /// Stages that did not run.
    pub skipped: Vec<Skipped>,
    /// Time spent per stage, in pipeline order.
    pub timings: Vec<StageTiming>,
}

impl Doc {
    /// A fresh document for an article; `text` is filled by the text stage.
    pub fn new(article: Article, provenance: Option<Provenance>) -> Self {
        Doc {
            article,
            provenance,
            received_at: Utc::now(),
            authors: Vec::new(),
            metadata_sources: Vec::new(),
            page_headings: Vec::new(),
            text: String::new(),
            truncated: false,
            paragraphs: Vec::new(),
            tokens: Vec::new(),
            sentences: Vec::new(),
            language: None,
            sections: Vec::new(),
            mentions: Vec::new(),
            entities: Vec::new(),
            geo: Vec::new(),
            places: Vec::new(),
            dateline: None,
            countries: Vec::new(),
            quotes: Vec::new(),
            dates: Vec::new(),
            amounts: Vec::new(),
            keywords: Vec::new(),
            tone: None,
            fingerprint: None,
            skipped: Vec::new(),
            timings: Vec::new(),
        }
    }

    /// The moment relative dates are resolved against: the publication time, else arrival.
    pub fn reference_time(&self) -> DateTime<FixedOffset> {
        self.article
            .published_at
            .unwrap_or_else(|| self.received_at.fixed_offset())
    }

    /// Whether the article is in English (or its language is unknown).
    pub fn is_english(&self) -> bool {
        self.language.as_ref().is_none_or(|l| l.code == "en")
    }
}

/// The four kinds of temporal expression TIMEX3 (TimeML's annotation standard) tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimexType {
    /// A calendar date or period: "March 2", "last week", "the 1990s", "the third quarter".
    Date,
    /// A time of day, perhaps with its date: "3 p.m.", "Tuesday evening", "this morning".
    Time,
    /// A length of time: "three years", "the past decade", "the last 48 hours".
    Duration,
    /// A recurrence: "every week", "annually", "twice a year", "each Monday".
    Set,
}

impl TimexType {
    /// The TIMEX3 name: `DATE`, `TIME`, `DURATION` or `SET`.
    pub fn as_str(self) -> &'static str {
        match self {
            TimexType::Date => "DATE",
            TimexType::Time => "TIME",
            TimexType::Duration => "DURATION",
            TimexType::Set => "SET",
        }
    }
}

/// A TIMEX3 `mod`: a word that narrows or bounds an expression without changing its value
/// ("early 2024" is `2024` with `START`, "nearly two years" is `P2Y` with `APPROX`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimexMod {
    /// "early", "the beginning of", "earlier this year".
    Start,
    /// "mid-", "the middle of".
    Mid,
    /// "late", "the end of", "later this year".
    End,
    /// "about", "around", "nearly", "roughly", "or so".
    Approx,
    /// "more than", "over".
    MoreThan,
    /// "less than", "under".
    LessThan,
    /// "at least".
    EqualOrMore,
    /// "at most", "up to", "no more than".
    EqualOrLess,
}

impl TimexMod {
    /// The TimeML name: `START`, `MID`, `END`, `APPROX`, `MORE_THAN`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            TimexMod::Start => "START",
            TimexMod::Mid => "MID",
            TimexMod::End => "END",
            TimexMod::Approx => "APPROX",
            TimexMod::MoreThan => "MORE_THAN",
            TimexMod::LessThan => "LESS_THAN",
            TimexMod::EqualOrMore => "EQUAL_OR_MORE",
            TimexMod::EqualOrLess => "EQUAL_OR_LESS",
        }
    }
}

/// A temporal expression found in a text, with its type and normalised value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateMention {
    /// Byte offset of the first byte of the expression.
    pub start: usize,
    /// Byte offset just past the expression.
    pub end: usize,
    /// What kind of expression it is.
    pub kind: TimexType,
    /// The TIMEX3 value. Dates: `2025-03-02`, `2025-03`, `2025`, `199` (a decade), `19` (a
    /// century), `2025-W09` (an ISO week), `2025-W09-WE` (its weekend), `2025-Q1`, `2025-H2`,
    /// `2024-SU` (a season), `PRESENT_REF`/`PAST_REF`/`FUTURE_REF`, or `XXXX-03-02` when the
    /// year is unknown. Times: `2025-03-04T15:00`, `2025-03-04TEV` (a part of the day: `MO`,
    /// `AF`, `EV`, `NI`). Durations: `P3Y`, `P2W`, `PT48H`, `PXY` (an unknown number of years).
    /// Sets: the period that recurs, `P1W`, `P1Y`, or the recurring day `XXXX-WXX-1`.
    pub value: String,
    /// The TIMEX3 `mod`, if a word narrows or bounds the expression.
    pub modifier: Option<TimexMod>,
    /// For a set, how many times per period it recurs ("twice a year": 2), when stated.
    pub frequency: Option<u32>,
    /// Whether the expression is a date only against the anchor ("yesterday", "on Friday", "two
    /// years ago"): without an anchor it would not have been found. Dates that lack only their
    /// year ("March 2") are not relative: the anchor just supplies the year. Not part of the
    /// record; the amounts stage reads it to skip only the numbers of dates that name themselves.
    pub relative: bool,
    /// Whether the anchor went into the value: every relative expression, and the dates that
    /// take their year from it ("March 2"). The record then names the anchor.
    pub anchored: bool,
}

impl DateMention {
    /// Whether the expression is a date or time that names itself ("in 1949", "on March 2",
    /// "at 3 p.m."), whose numbers are parts of it and not quantities. Durations and sets count
    /// things ("48 hours", "twice a year") and relative dates ("two years ago") hold counts too.
    pub fn names_a_date(&self) -> bool {
        matches!(self.kind, TimexType::Date | TimexType::Time) && !self.relative
    }
}

/// A number expression found in a text, with what it counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Amount {
    /// Byte offset of the first byte of the number expression.
    pub start: usize,
    /// Byte offset just past the number expression.
    pub end: usize,
    /// The number, or the low end of a range, with multipliers applied.
    pub value: f64,
    /// The high end of a range.
    pub max: Option<f64>,
    /// What is counted: the noun phrase after the number ("member countries"), "percent", or
    /// an ISO 4217 currency code ("USD").
    pub unit: String,
}
