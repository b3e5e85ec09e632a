//! Article extraction from crawled HTML pages: clean body text, headings and metadata.
//!
//! Crawlers hand the service whole web pages. Before any language analysis can run, the
//! article has to be separated from everything around it (navigation, ads, cookie banners,
//! share widgets, related-story lists, newsletter sign-ups, comments) and its metadata
//! (title, byline, publication date, canonical URL, language) read from the markup that
//! declares it.
//!
//! How a page is processed, in order (the module doing each step in parentheses):
//! 1. **Guards** (`guards`, `tag_scan`). The byte size is checked, then a cheap lexical scan
//!    of the tags estimates how deeply elements nest and how long extraction will take.
//!    Pages that are too deep or too costly are refused with [`HtmlError::TooComplex`]
//!    before they are parsed, since parsing them is the cost to avoid (html5ever's time
//!    grows quadratically with the nesting depth); the depth is confirmed on the parsed tree.
//! 2. **One parse.** The page is parsed once into a `dom_query` document.
//! 3. **Metadata** (`metadata`), read from that document before anything is removed from
//!    it: JSON-LD (`<script type="application/ld+json">`), OpenGraph (`og:`/`article:`
//!    properties), other `<meta>` tags and `<link rel=canonical>`, `<time datetime>`,
//!    `<title>` and `<html lang>`. Each value records where it came from ([`MetaSource`]);
//!    when several sources declare a field, the most specific wins (JSON-LD, then OpenGraph,
//!    then meta tags, then elements of the page).
//! 4. **Body** (`body`, `boilerplate`). The same document is handed to `dom_smoothie`, a
//!    port of Mozilla's Readability (the reader mode of Firefox), which scores blocks by text
//!    and link density and keeps the article container. Figures, captions, widgets named by
//!    their class or id (share, newsletter, related, byline, …) and link lists that survive
//!    inside the container are then dropped.
//! 5. **Text** (`render`). The kept container is walked iteratively (no recursion, so depth
//!    cannot overflow the stack) into paragraphs separated by `"\n\n"`, whitespace collapsed
//!    and no newline inside a paragraph. Headings (`h1`–`h6`) become paragraphs of their own
//!    and are recorded with their byte span, so sections can be built on them.
//!
//! The time limit is enforced twice: before parsing, against the cost estimated from the
//! tags, and between the phases, against the clock. A phase that has started runs to its
//! end; the estimate is what keeps each phase short.
//!
//! [`extract`] is the whole of it as a function, for tools that have a page and want the
//! article; [`HtmlStage`] is the pipeline's first stage, which runs it on an envelope's
//! `html` and fills in what the envelope lacks.

mod body;
mod boilerplate;
mod guards;
mod metadata;
mod render;
mod tag_scan;
#[cfg(test)]
mod tests;

use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};
use dom_query::Document;

use crate::pipeline::{Doc, Stage, StageError};
use body::extract_body;
use guards::{check_deadline, check_is_markup, check_size, check_tag_shape, check_tree_depth};
use metadata::read_metadata;

/// The article found in a page: its body text with headings, and its declared metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct ExtractedPage {
    /// The article body: paragraphs separated by `"\n\n"`, no newline inside a paragraph.
    pub text: String,
    /// Headings (`h1`–`h6`) found inside the body, in document order.
    pub headings: Vec<Heading>,
    /// The article's headline.
    pub title: Option<Meta<String>>,
    /// The byline: author names, in declared order, without "By" prefixes.
    pub authors: Vec<String>,
    /// Where [`ExtractedPage::authors`] came from; `None` when no author was found.
    pub authors_source: Option<MetaSource>,
    /// When the article was first published. Declarations without a UTC offset are read as UTC.
    pub published_at: Option<Meta<DateTime<FixedOffset>>>,
    /// The page's canonical URL, as declared (not resolved against anything).
    pub canonical_url: Option<Meta<String>>,
    /// The page language as a lowercase primary subtag (`"en-GB"` → `"en"`).
    pub language: Option<Meta<String>>,
}

/// A heading of the article body; it always forms a paragraph of its own in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Heading {
    /// 1 for `h1` … 6 for `h6`. The extractor demotes `h1` inside the body to 2, as reader
    /// views do, because the page's `h1` is normally the headline, kept in metadata.
    pub level: u8,
    /// Byte offset of the heading's first character in [`ExtractedPage::text`].
    pub start: usize,
    /// Byte offset just past the heading's last character (half-open span).
    pub end: usize,
}

/// A metadata value together with the markup it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta<T> {
    /// The value, cleaned (whitespace collapsed, entities decoded).
    pub value: T,
    /// The markup that declared it.
    pub source: MetaSource,
}

/// The kind of markup a metadata value was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MetaSource {
    /// A schema.org object in `<script type="application/ld+json">`.
    JsonLd,
    /// An OpenGraph property (`og:*`, `article:*`).
    OpenGraph,
    /// Another `<meta>` tag, microdata (`itemprop`) or `<link rel=canonical>`.
    MetaTag,
    /// A `<time datetime>` element.
    TimeElement,
    /// The `<title>` element.
    TitleElement,
    /// An attribute or element of the page itself: `<html lang>`, or a byline element.
    Html,
}

impl MetaSource {
    /// A short stable name for records and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            MetaSource::JsonLd => "json-ld",
            MetaSource::OpenGraph => "opengraph",
            MetaSource::MetaTag => "meta",
            MetaSource::TimeElement => "time",
            MetaSource::TitleElement => "title",
            MetaSource::Html => "html",
        }
    }
}

/// Why a page yielded no article.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HtmlError {
    /// The page parsed, but no article text could be found in it.
    #[error("no article body found: {0}")]
    NoBody(String),
    /// The input is not HTML (no markup, or binary data).
    #[error("input is not parseable as HTML: {0}")]
    Unparseable(String),
    /// The page exceeds the size, nesting or time limits.
    #[error("page too complex to extract within limits: {0}")]
    TooComplex(String),
}

/// Bounds on the work spent on one page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HtmlLimits {
    /// Largest accepted input, in bytes.
    pub max_bytes: usize,
    /// Deepest accepted element nesting, estimated from the tags and confirmed on the parsed
    /// tree.
    pub max_depth: usize,
    /// Time budget in milliseconds: compared with the cost estimated from the tags before
    /// parsing, then with the clock between the extraction phases.
    pub max_millis: u64,
}

impl Default for HtmlLimits {
    /// 8 MiB, 512 levels, 5 seconds: real article pages stay far below all three (the
    /// benchmark pages nest at most a few dozen levels and take milliseconds).
    fn default() -> Self {
        Self {
            max_bytes: 8 * 1024 * 1024,
            max_depth: 512,
            max_millis: 5_000,
        }
    }
}

/// Extracts the article body, headings and metadata from one HTML page.
///
/// # Errors
/// [`HtmlError::TooComplex`] when the page exceeds `limits`, [`HtmlError::Unparseable`] when
/// the input is not HTML, [`HtmlError::NoBody`] when no article text was found.
pub fn extract(html: &str, limits: &HtmlLimits) -> Result<ExtractedPage, HtmlError> {
    let started = Instant::now();
    let budget = Duration::from_millis(limits.max_millis);
    check_size(html, limits)?;
    check_is_markup(html)?;
    check_tag_shape(html, limits)?;

    let document = Document::from(html);
    check_deadline(started, budget, "parsing")?;
    check_tree_depth(&document, limits.max_depth)?;
    let metadata = read_metadata(&document);
    check_deadline(started, budget, "reading metadata")?;
    let body = extract_body(document)?;
    check_deadline(started, budget, "extracting the body")?;

    let (authors_source, authors) = match metadata.authors {
        Some(meta) => (Some(meta.source), meta.value),
        None => (None, Vec::new()),
    };
    Ok(ExtractedPage {
        text: body.text,
        headings: body.headings,
        title: metadata.title,
        authors,
        authors_source,
        published_at: metadata.published_at,
        canonical_url: metadata.canonical_url,
        language: metadata.language,
    })
}

/// Turns an HTML envelope into text and fills the metadata the envelope lacks.
///
/// Runs first. When the envelope has only `html`, the extracted body becomes the text the
/// later stages read, and the page's headings are handed to the sections stage. Envelope fields
/// win over page metadata; the record says where each value came from.
pub struct HtmlStage {
    limits: HtmlLimits,
}

impl HtmlStage {
    /// An HTML stage refusing pages over `max_bytes`.
    pub fn new(max_bytes: usize) -> Self {
        HtmlStage {
            limits: HtmlLimits {
                max_bytes,
                ..HtmlLimits::default()
            },
        }
    }
}

impl Stage for HtmlStage {
    fn name(&self) -> &'static str {
        "html"
    }

    fn run(&self, doc: &mut Doc) -> Result<(), StageError> {
        let Some(html) = doc.article.html.as_deref() else {
            return Ok(());
        };
        let page = match extract(html, &self.limits) {
            Ok(page) => page,
            // With a plain-text body the page only adds metadata; its failure costs nothing.
            Err(_) if doc.article.text.is_some() => return Ok(()),
            Err(e) => {
                return Err(StageError {
                    reason: crate::contract::failure::Reason::HtmlError,
                    message: e.to_string(),
                })
            }
        };
        let sources = &mut doc.metadata_sources;
        let article = &mut doc.article;
        fill_missing(&mut article.title, page.title, "title", sources);
        fill_missing(
            &mut article.published_at,
            page.published_at,
            "published_at",
            sources,
        );
        fill_missing(&mut article.url, page.canonical_url, "url", sources);
        fill_missing(&mut article.language, page.language, "language", sources);
        if let Some(source) = page.authors_source {
            sources.push(("authors", source.as_str()));
            doc.authors = page.authors;
        }
        if doc.article.text.is_none() {
            doc.page_headings = page
                .headings
                .iter()
                .map(|h| page.text.get(h.start..h.end).unwrap_or("").to_owned())
                .collect();
            doc.text = page.text;
        }
        Ok(())
    }
}

/// Fills an envelope field the envelope left empty with the value the page declares, and
/// records under `name` where that value came from.
fn fill_missing<T>(
    field: &mut Option<T>,
    declared: Option<Meta<T>>,
    name: &'static str,
    sources: &mut Vec<(&'static str, &'static str)>,
) {
    if field.is_none() {
        if let Some(meta) = declared {
            sources.push((name, meta.source.as_str()));
            *field = Some(meta.value);
        }
    }
}
