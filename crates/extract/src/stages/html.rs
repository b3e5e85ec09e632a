//! Article extraction from crawled HTML pages: clean body text, headings and metadata.
//!
//! Crawlers hand the service whole web pages. Before any language analysis can run, the
//! article has to be separated from everything around it (navigation, ads, cookie banners,
//! share widgets, related-story lists, newsletter sign-ups, comments) and its metadata
//! (title, byline, publication date, canonical URL, language) read from the markup that
//! declares it.
//!
//! How a page is processed, in order:
//! 1. **Guards.** The byte size is checked, then a cheap lexical scan of the tags estimates
//!    how deeply elements nest and how long extraction will take. html5ever, the HTML5
//!    parser underneath, spends time quadratic in the nesting depth (30,000 nested `<div>`s
//!    take seconds), the extractor's per-ancestor sums cost elements × depth, and recursive
//!    tree walks risk the stack, so pages that are too deep or too costly are refused with
//!    [`HtmlError::TooComplex`] before they are parsed. The depth is confirmed on the parsed
//!    tree, because the parser can nest deeper than the tags say.
//! 2. **One parse.** The page is parsed once into a `dom_query` document.
//! 3. **Metadata**, read from that document before anything is removed from it: JSON-LD
//!    (`<script type="application/ld+json">`), OpenGraph (`og:`/`article:` properties),
//!    other `<meta>` tags and `<link rel=canonical>`, `<time datetime>`, `<title>` and
//!    `<html lang>`. Each value records where it came from ([`MetaSource`]); when several
//!    sources declare a field, the most specific wins (JSON-LD, then OpenGraph, then meta
//!    tags, then elements of the page).
//! 4. **Body.** The same document is handed to `dom_smoothie`, a port of Mozilla's
//!    Readability (the reader mode of Firefox), which scores blocks by text and link density
//!    and keeps the article container. It was chosen over `rs-trafilatura` by measurement on
//!    the ScrapingHub article-extraction benchmark pages (better accuracy once filtered as
//!    below, about four times the speed, one parse instead of two; see
//!    `docs/html-extraction.md`). Figures, captions, widgets named by their class or id
//!    (share, newsletter, related, byline, …) and link lists that survive inside the
//!    container are then dropped.
//! 5. **Text.** The kept container is walked iteratively (no recursion, so depth cannot
//!    overflow the stack) into paragraphs separated by `"\n\n"`, whitespace collapsed and no
//!    newline inside a paragraph. Headings (`h1`–`h6`) become paragraphs of their own and are
//!    recorded with their byte span, so sections can be built on them.
//!
//! The time limit is enforced twice: before parsing, against the cost estimated from the
//! tags, and between the phases, against the clock. A phase that has started runs to its
//! end; the estimate is what keeps each phase short.

use std::time::{Duration, Instant};

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};
use dom_query::{Document, NodeRef};
use dom_smoothie::{Config, Readability, TextMode};

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
    if html.len() > limits.max_bytes {
        return Err(HtmlError::TooComplex(format!(
            "{} bytes exceed the limit of {} bytes",
            html.len(),
            limits.max_bytes
        )));
    }
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

fn check_deadline(started: Instant, budget: Duration, phase: &str) -> Result<(), HtmlError> {
    let elapsed = started.elapsed();
    if elapsed > budget {
        return Err(HtmlError::TooComplex(format!(
            "time limit of {} ms exceeded after {phase} ({} ms)",
            budget.as_millis(),
            elapsed.as_millis()
        )));
    }
    Ok(())
}

/// Refuses input that cannot be a web page: no tag at all, or binary data (over 10% C0
/// control characters, NUL included, at the start). Text decoded with the wrong encoding is
/// still a page and goes through: its mojibake is upstream's to fix.
fn check_is_markup(html: &str) -> Result<(), HtmlError> {
    let has_tag = html
        .as_bytes()
        .windows(2)
        .any(|pair| pair[0] == b'<' && (pair[1].is_ascii_alphabetic() || pair[1] == b'!'));
    if !has_tag {
        return Err(HtmlError::Unparseable("no HTML tags found".into()));
    }
    let sample = &html.as_bytes()[..html.len().min(4096)];
    let controls = sample
        .iter()
        .filter(|b| b.is_ascii_control() && !b.is_ascii_whitespace())
        .count();
    if controls * 10 > sample.len() {
        return Err(HtmlError::Unparseable(
            "input looks binary (over 10% control characters)".into(),
        ));
    }
    Ok(())
}

/// Elements that never have content, so they never add a nesting level.
const VOID_ELEMENTS: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input",
    "keygen", "link", "meta", "param", "source", "track", "wbr",
];

/// Elements whose content is raw text up to their end tag; tags inside them are not tags.
const RAW_TEXT_ELEMENTS: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
];

/// Elements that a second one of the same name closes implicitly (`<p>a<p>b`, `<li>…<li>`).
const SELF_CLOSING_SIBLINGS: &[&str] = &["p", "li", "dt", "dd", "option", "tr", "td", "th"];

/// What a lexical scan of the tags says about the element tree the parser will build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct TagShape {
    /// Elements opened.
    elements: usize,
    /// Deepest nesting reached.
    max_depth: usize,
    /// Sum over elements of their depth: the number of (ancestor, descendant) pairs, which
    /// is what the extractor's per-ancestor text and link-density sums cost.
    ancestor_pairs: usize,
}

/// Scans the tags without building a tree, following the tokenizer closely enough for real
/// pages (comments, raw-text elements, quoted attributes, void elements, `/>` inside
/// SVG/MathML, end tags that close their open descendants, implicitly closed paragraphs and
/// list items). It errs towards deeper than the parser would build, the safe side for a
/// guard, and stops as soon as the depth exceeds `max_depth`.
fn scan_tags(html: &str, max_depth: usize) -> TagShape {
    let bytes = html.as_bytes();
    let mut shape = TagShape::default();
    // Open elements: name and whether they are inside SVG or MathML.
    let mut open: Vec<(&[u8], bool)> = Vec::new();
    let mut i = 0;
    while let Some(offset) = bytes[i..].iter().position(|&b| b == b'<') {
        i += offset + 1;
        let rest = &bytes[i..];
        if rest.starts_with(b"!--") {
            i = find_from(bytes, i + 3, b"-->").map_or(bytes.len(), |end| end + 3);
            continue;
        }
        if rest.first().is_some_and(|&b| b == b'!' || b == b'?') {
            i = find_byte(bytes, i, b'>').map_or(bytes.len(), |end| end + 1);
            continue;
        }
        let closing = rest.first() == Some(&b'/');
        let name_start = if closing { i + 1 } else { i };
        let name_end = bytes[name_start..]
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || *b == b'-' || *b == b':'))
            .map_or(bytes.len(), |n| name_start + n);
        let name = &bytes[name_start..name_end];
        if name.is_empty() || !name[0].is_ascii_alphabetic() {
            continue;
        }
        let (tag_end, self_closed) = find_tag_end(bytes, name_end);
        i = tag_end;
        if closing {
            if let Some(pos) = open.iter().rposition(|(n, _)| n.eq_ignore_ascii_case(name)) {
                open.truncate(pos);
            }
            continue;
        }
        let is = |list: &[&str]| list.iter().any(|n| n.as_bytes().eq_ignore_ascii_case(name));
        shape.elements += 1;
        shape.ancestor_pairs += open.len();
        if is(RAW_TEXT_ELEMENTS) {
            i = find_end_tag(bytes, i, name).unwrap_or(bytes.len());
            continue;
        }
        if name.eq_ignore_ascii_case(b"plaintext") {
            break;
        }
        let in_foreign = open.last().is_some_and(|(_, foreign)| *foreign);
        if is(VOID_ELEMENTS) || (self_closed && in_foreign) {
            continue;
        }
        if is(SELF_CLOSING_SIBLINGS)
            && open
                .last()
                .is_some_and(|(n, _)| n.eq_ignore_ascii_case(name))
        {
            open.pop();
        }
        let foreign =
            in_foreign || name.eq_ignore_ascii_case(b"svg") || name.eq_ignore_ascii_case(b"math");
        open.push((name, foreign));
        shape.max_depth = shape.max_depth.max(open.len());
        if open.len() > max_depth {
            break;
        }
    }
    shape
}

/// The extractor's speed in its two costliest dimensions, conservatively, from
/// measurements on one core of a 2-core development VM: (ancestor, descendant) element
/// pairs handled per millisecond (about 2,000 on adversarial pages with hundreds of nested
/// lists around hundreds of thousands of links, about 20,000 on real pages), and bytes times
/// nesting depth per millisecond (every ancestor of a text re-reads it: about 1,200,000 for
/// megabytes of text 500 levels deep).
const ANCESTOR_PAIRS_PER_MILLI: usize = 2_000;
const BYTE_LEVELS_PER_MILLI: usize = 500_000;

/// Refuses pages whose tag structure alone shows they would exceed the limits: nesting
/// deeper than `max_depth`, or an estimated extraction time over `max_millis`. Real pages
/// are far below both (the benchmark pages nest at most 51 levels and are estimated at
/// under 100 ms).
fn check_tag_shape(html: &str, limits: &HtmlLimits) -> Result<(), HtmlError> {
    let shape = scan_tags(html, limits.max_depth);
    if shape.max_depth > limits.max_depth {
        return Err(HtmlError::TooComplex(format!(
            "elements nest deeper than the limit of {} levels",
            limits.max_depth
        )));
    }
    let estimated_millis = (shape.ancestor_pairs / ANCESTOR_PAIRS_PER_MILLI)
        .max(html.len().saturating_mul(shape.max_depth) / BYTE_LEVELS_PER_MILLI);
    if u64::try_from(estimated_millis).unwrap_or(u64::MAX) > limits.max_millis {
        return Err(HtmlError::TooComplex(format!(
            "{} elements up to {} levels deep in {} bytes: estimated {estimated_millis} ms, \
             over the limit of {} ms",
            shape.elements,
            shape.max_depth,
            html.len(),
            limits.max_millis
        )));
    }
    Ok(())
}

/// Confirms on the parsed tree what the lexical scan estimated: the parser can nest deeper
/// than the tags say (it re-opens formatting elements such as `<b>` inside new blocks), and
/// the extractor's own tree walks may recurse. This walk uses an explicit stack.
fn check_tree_depth(document: &Document, max_depth: usize) -> Result<(), HtmlError> {
    let mut stack = vec![(document.root(), 0usize)];
    while let Some((node, depth)) = stack.pop() {
        if depth > max_depth {
            return Err(HtmlError::TooComplex(format!(
                "the parsed page nests deeper than the limit of {max_depth} levels"
            )));
        }
        stack.extend(
            node.children_it(false)
                .filter(NodeRef::is_element)
                .map(|child| (child, depth + 1)),
        );
    }
    Ok(())
}

fn find_byte(bytes: &[u8], from: usize, needle: u8) -> Option<usize> {
    bytes
        .get(from..)?
        .iter()
        .position(|&b| b == needle)
        .map(|n| from + n)
}

fn find_from(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|n| from + n)
}

/// Finds the `>` that ends a tag whose attributes start at `from`, skipping quoted attribute
/// values; returns the position after it and whether the tag ended with `/>`.
fn find_tag_end(bytes: &[u8], from: usize) -> (usize, bool) {
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'>' => return (i + 1, i > from && bytes[i - 1] == b'/'),
            b'=' => {
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                if let Some(&quote @ (b'"' | b'\'')) = bytes.get(i) {
                    i = find_byte(bytes, i + 1, quote).map_or(bytes.len(), |end| end + 1);
                }
            }
            _ => i += 1,
        }
    }
    (bytes.len(), false)
}

/// Finds the start of the end tag `</name` (any case) at or after `from`.
fn find_end_tag(bytes: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut i = from;
    while let Some(start) = find_from(bytes, i, b"</") {
        let candidate = bytes.get(start + 2..start + 2 + name.len())?;
        if candidate.eq_ignore_ascii_case(name) {
            return Some(start);
        }
        i = start + 2;
    }
    None
}

/// What the reader-view pass found: the body text with its headings.
struct Body {
    text: String,
    headings: Vec<Heading>,
}

/// Runs the Readability port on the parsed page and turns the kept container into text.
fn extract_body(document: Document) -> Result<Body, HtmlError> {
    let config = Config {
        text_mode: TextMode::Raw,
        keep_classes: true,
        ..Config::default()
    };
    let mut readability = Readability::with_document(document, None, Some(config))
        .map_err(|err| HtmlError::NoBody(err.to_string()))?;
    readability
        .parse()
        .map_err(|err| HtmlError::NoBody(err.to_string()))?;
    let root = readability.doc.select("#readability-page-1");
    let Some(container) = root.nodes().first() else {
        return Err(HtmlError::NoBody(
            "the reader view kept no container".into(),
        ));
    };
    strip_inner_boilerplate(container);
    if link_text_share(container) > 0.9 {
        return Err(HtmlError::NoBody(
            "the best candidate for the article is only links (navigation)".into(),
        ));
    }
    let (text, headings) = render_text(container);
    if text.is_empty() {
        return Err(HtmlError::NoBody(
            "the article container holds no text".into(),
        ));
    }
    Ok(Body { text, headings })
}

/// Class or id fragments that mark blocks which are not article prose even when they sit
/// inside the article container: captions and photo credits, galleries, share and follow
/// widgets, newsletter and subscription prompts, related-story and recommendation lists.
const BOILERPLATE_MARKERS: &[&str] = &[
    "caption",
    "credit",
    "gallery",
    "share",
    "social",
    "newsletter",
    "subscribe",
    "related",
    "recommend",
    "promo",
    "advert",
    "sponsor",
    "cookie",
    "comment",
    "byline",
    "author",
    "timestamp",
    "dateline",
    "toolbar",
    "breadcrumb",
    "tags",
];

/// Removes, inside the kept article container, the blocks readers skip: figures and their
/// captions, blocks whose class or id names a widget ([`BOILERPLATE_MARKERS`]), and lists
/// whose text is mostly links (related stories, "more on this"). A block holding more than
/// half of the container's text is kept whatever its name says: it is the article itself
/// (say `class="article-body has-comments"`).
fn strip_inner_boilerplate(container: &NodeRef) {
    let total = visible_chars(&container.text());
    let mut doomed = Vec::new();
    for node in container.descendants_it() {
        if !node.is_element() {
            continue;
        }
        let name = node.node_name().unwrap_or_default();
        let is_block_of_links = matches!(&*name, "ul" | "ol") && link_text_share(&node) > 0.5;
        let looks_like_boilerplate =
            matches!(&*name, "figcaption" | "figure") || is_block_of_links || has_marker(&node);
        if looks_like_boilerplate && visible_chars(&node.text()) * 2 <= total {
            doomed.push(node);
        }
    }
    for node in doomed {
        node.remove_from_parent();
    }
}

/// Counts the characters of `s` that are not whitespace.
fn visible_chars(s: &str) -> usize {
    s.chars().filter(|c| !c.is_whitespace()).count()
}

/// Whether the element's class or id contains one of the [`BOILERPLATE_MARKERS`].
fn has_marker(node: &NodeRef) -> bool {
    let mut names = String::new();
    for attr in ["class", "id"] {
        if let Some(value) = node.attr(attr) {
            names.push_str(&value.to_ascii_lowercase());
            names.push(' ');
        }
    }
    !names.is_empty() && BOILERPLATE_MARKERS.iter().any(|m| names.contains(m))
}

/// The share of an element's non-space characters that sit inside links.
fn link_text_share(node: &NodeRef) -> f64 {
    let total = visible_chars(&node.text());
    if total == 0 {
        return 0.0;
    }
    let linked: usize = node
        .descendants_it()
        .filter(|n| n.is_element() && n.node_name().as_deref() == Some("a"))
        .map(|a| visible_chars(&a.text()))
        .sum();
    linked as f64 / total as f64
}

/// Elements that start and end a paragraph.
const BLOCK_ELEMENTS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "header",
    "hgroup",
    "hr",
    "li",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "tfoot",
    "thead",
    "tr",
    "ul",
];

/// Elements whose content is never article text.
const SKIPPED_ELEMENTS: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "math", "button", "select", "option",
    "input", "textarea", "iframe", "object", "embed", "canvas", "audio", "video", "head",
];

/// One step of the iterative tree walk: visit a node, or close an element after its children.
enum Step<'a> {
    Enter(NodeRef<'a>),
    Leave(Close),
}

/// What closing an element ends.
#[derive(Clone, Copy)]
struct Close {
    paragraph: bool,
    heading: bool,
    pre: bool,
}

/// Accumulates paragraphs, each marked with its heading level if it is a heading, while the
/// container is walked.
#[derive(Default)]
struct TextBuilder {
    paragraphs: Vec<(String, Option<u8>)>,
    paragraph: String,
    pending_space: bool,
    heading_level: Option<u8>,
    pre_depth: usize,
}

impl TextBuilder {
    /// Appends text, collapsing whitespace; inside `pre` a line break ends the paragraph.
    fn push_str(&mut self, s: &str) {
        for c in s.chars() {
            if c == '\n' && self.pre_depth > 0 {
                self.end_paragraph();
            } else if c.is_whitespace() {
                self.pending_space = !self.paragraph.is_empty();
            } else if !c.is_control() && !matches!(c, '\u{200b}' | '\u{feff}' | '\u{ad}') {
                if self.pending_space {
                    self.paragraph.push(' ');
                    self.pending_space = false;
                }
                self.paragraph.push(c);
            }
        }
    }

    /// Separates the next text from what came before by a space (table cells).
    fn push_space(&mut self) {
        self.pending_space = !self.paragraph.is_empty();
    }

    fn end_paragraph(&mut self) {
        self.pending_space = false;
        if !self.paragraph.is_empty() {
            let paragraph = std::mem::take(&mut self.paragraph);
            self.paragraphs.push((paragraph, self.heading_level));
        }
    }

    fn close(&mut self, close: Close) {
        if close.paragraph {
            self.end_paragraph();
        }
        if close.heading {
            self.heading_level = None;
        }
        if close.pre {
            self.pre_depth = self.pre_depth.saturating_sub(1);
        }
    }

    /// Joins the paragraphs with blank lines and records the heading spans. A heading that
    /// heads nothing (followed by a heading of the same or a higher rank, or by the end of
    /// the article) is dropped: what it announced was removed as boilerplate ("Related
    /// stories" over a link list) or was never part of the article.
    fn finish(mut self) -> (String, Vec<Heading>) {
        self.end_paragraph();
        let mut text = String::new();
        let mut headings = Vec::new();
        for (i, (paragraph, level)) in self.paragraphs.iter().enumerate() {
            if let Some(level) = level {
                let heads_something = self
                    .paragraphs
                    .get(i + 1)
                    .is_some_and(|(_, next)| next.is_none_or(|next| next > *level));
                if !heads_something {
                    continue;
                }
            }
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            let start = text.len();
            text.push_str(paragraph);
            if let Some(level) = *level {
                headings.push(Heading {
                    level,
                    start,
                    end: text.len(),
                });
            }
        }
        (text, headings)
    }
}

/// The level of a heading element name (`h1` → 1), if it is one.
fn heading_level(name: &str) -> Option<u8> {
    match name {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

/// Walks `root` without recursion and renders it as paragraphs, recording heading spans.
fn render_text(root: &NodeRef) -> (String, Vec<Heading>) {
    let mut out = TextBuilder::default();
    let mut stack = vec![Step::Enter(*root)];
    while let Some(step) = stack.pop() {
        let node = match step {
            Step::Enter(node) => node,
            Step::Leave(close) => {
                out.close(close);
                continue;
            }
        };
        if node.is_text() {
            out.push_str(&node.text());
            continue;
        }
        if !node.is_element() {
            continue;
        }
        let name = node.node_name().unwrap_or_default();
        let name = &*name;
        if SKIPPED_ELEMENTS.contains(&name) {
            continue;
        }
        if name == "br" {
            out.end_paragraph();
            continue;
        }
        if matches!(name, "td" | "th") {
            out.push_space();
        }
        // A heading nested in a heading stays part of the outer one.
        let level = heading_level(name).filter(|_| out.heading_level.is_none());
        let close = Close {
            paragraph: level.is_some() || BLOCK_ELEMENTS.contains(&name),
            heading: level.is_some(),
            pre: name == "pre",
        };
        if close.paragraph {
            out.end_paragraph();
        }
        if level.is_some() {
            out.heading_level = level;
        }
        if close.pre {
            out.pre_depth += 1;
        }
        stack.push(Step::Leave(close));
        stack.extend(node.children_it(true).map(Step::Enter));
    }
    out.finish()
}

/// The metadata fields read from the page's markup, before the body is extracted.
#[derive(Debug, Default)]
struct PageMetadata {
    title: Option<Meta<String>>,
    authors: Option<Meta<Vec<String>>>,
    published_at: Option<Meta<DateTime<FixedOffset>>>,
    canonical_url: Option<Meta<String>>,
    language: Option<Meta<String>>,
}

/// Names (`name`, `property`, `itemprop` or `http-equiv`, lowercased) of `<meta>` tags that
/// declare each field, most specific first. OpenGraph names are kept apart so their values
/// are attributed to [`MetaSource::OpenGraph`].
const OPENGRAPH_TITLE: &[&str] = &["og:title"];
const META_TITLE: &[&str] = &[
    "twitter:title",
    "dc.title",
    "dcterms.title",
    "parsely-title",
    "sailthru.title",
    "headline",
    "title",
];
const OPENGRAPH_AUTHOR: &[&str] = &["article:author", "og:article:author"];
const META_AUTHOR: &[&str] = &[
    "author",
    "byl",
    "dc.creator",
    "dcterms.creator",
    "parsely-author",
    "sailthru.author",
    "citation_author",
    "article.author",
];
const OPENGRAPH_PUBLISHED: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
];
const META_PUBLISHED: &[&str] = &[
    "datepublished",
    "article.published",
    "article_date_original",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "publication_date",
    "date.published",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "citation_publication_date",
    "originalpublicationdate",
    "dc.date",
    "dcterms.date",
    "date",
];
const OPENGRAPH_URL: &[&str] = &["og:url"];
const OPENGRAPH_LOCALE: &[&str] = &["og:locale"];
const META_LANGUAGE: &[&str] = &[
    "content-language",
    "language",
    "dc.language",
    "dcterms.language",
];

/// Reads every metadata field from the parsed page, each from its most specific source.
fn read_metadata(document: &Document) -> PageMetadata {
    let json_ld = JsonLdArticle::read(document);
    let metas = MetaTags::read(document);
    let meta = |value: Option<String>, source| value.map(|value| Meta { value, source });
    let canonical_url = document
        .select("link[rel]")
        .iter()
        .find(|link| {
            link.attr("rel").is_some_and(|rel| {
                rel.split_ascii_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("canonical"))
            })
        })
        .and_then(|link| non_empty(&clean_text(&link.attr("href").unwrap_or_default())))
        .map(|value| Meta {
            value,
            source: MetaSource::MetaTag,
        })
        .or_else(|| meta(metas.first(OPENGRAPH_URL), MetaSource::OpenGraph))
        .or_else(|| meta(json_ld.url.clone(), MetaSource::JsonLd));

    let sites = site_names(&metas, canonical_url.as_ref().map(|m| m.value.as_str()));
    let title = meta(json_ld.title.clone(), MetaSource::JsonLd)
        .or_else(|| meta(metas.first(OPENGRAPH_TITLE), MetaSource::OpenGraph))
        .or_else(|| meta(metas.first(META_TITLE), MetaSource::MetaTag))
        .map(|m| Meta {
            value: strip_site_name(&m.value, &sites),
            source: m.source,
        })
        .or_else(|| {
            let title = clean_text(&document.select("title").text());
            let title = strip_title_suffix(&strip_site_name(&title, &sites));
            meta(non_empty(&title), MetaSource::TitleElement)
        });

    let authors = [
        (json_ld.authors.clone(), MetaSource::JsonLd),
        (metas.first_authors(OPENGRAPH_AUTHOR), MetaSource::OpenGraph),
        (metas.first_authors(META_AUTHOR), MetaSource::MetaTag),
        (byline_from_markup(document), MetaSource::Html),
    ]
    .into_iter()
    .find(|(names, _)| !names.is_empty())
    .map(|(value, source)| Meta { value, source });

    let published_at = json_ld
        .published
        .as_deref()
        .and_then(parse_date)
        .map(|value| Meta {
            value,
            source: MetaSource::JsonLd,
        })
        .or_else(|| metas.first_date(OPENGRAPH_PUBLISHED, MetaSource::OpenGraph))
        .or_else(|| metas.first_date(META_PUBLISHED, MetaSource::MetaTag))
        .or_else(|| microdata_date(document))
        .or_else(|| time_element_date(document));

    let html_lang = document
        .select("html")
        .attr("lang")
        .or_else(|| document.select("html").attr("xml:lang"))
        .map(|lang| lang.to_string());
    let language = [
        (html_lang, MetaSource::Html),
        (metas.first(META_LANGUAGE), MetaSource::MetaTag),
        (metas.first(OPENGRAPH_LOCALE), MetaSource::OpenGraph),
        (json_ld.language.clone(), MetaSource::JsonLd),
    ]
    .into_iter()
    .find_map(|(tag, source)| {
        let value = primary_language_subtag(tag.as_deref()?)?;
        Some(Meta { value, source })
    });

    PageMetadata {
        title,
        authors,
        published_at,
        canonical_url,
        language,
    }
}

/// The `<meta>` tags of a page, as (lowercased key, content) pairs in document order.
struct MetaTags(Vec<(String, String)>);

impl MetaTags {
    fn read(document: &Document) -> Self {
        let mut pairs = Vec::new();
        for tag in document.select("meta[content]").iter() {
            let content = clean_text(&tag.attr("content").unwrap_or_default());
            if content.is_empty() {
                continue;
            }
            for key_attr in ["property", "name", "itemprop", "http-equiv"] {
                if let Some(key) = tag.attr(key_attr) {
                    pairs.push((key.trim().to_ascii_lowercase(), content.clone()));
                }
            }
        }
        Self(pairs)
    }

    /// The first value declared under any of `keys`, trying the keys in priority order.
    fn first(&self, keys: &[&str]) -> Option<String> {
        keys.iter().find_map(|key| {
            self.0
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, value)| value.clone())
        })
    }

    /// Every author named under the first of `keys` that names one (tags may repeat).
    fn first_authors(&self, keys: &[&str]) -> Vec<String> {
        for key in keys {
            let mut names = Vec::new();
            for (_, value) in self.0.iter().filter(|(k, _)| k == key) {
                for name in clean_authors(value) {
                    if !names.contains(&name) {
                        names.push(name);
                    }
                }
            }
            if !names.is_empty() {
                return names;
            }
        }
        Vec::new()
    }

    /// The first parseable date declared under any of `keys`, in priority order.
    fn first_date(&self, keys: &[&str], source: MetaSource) -> Option<Meta<DateTime<FixedOffset>>> {
        keys.iter().find_map(|key| {
            self.0
                .iter()
                .filter(|(k, _)| k == key)
                .find_map(|(_, value)| parse_date(value))
                .map(|value| Meta { value, source })
        })
    }
}

/// Author names marked up in the page body: `itemprop="author"` elements (their nested
/// `itemprop="name"` when present) and links with `rel="author"`.
fn byline_from_markup(document: &Document) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for el in document.select("[itemprop~=author], a[rel~=author]").iter() {
        if el.is("meta, link") {
            continue;
        }
        let nested = el.select("[itemprop~=name]");
        let text = if nested.exists() {
            nested.text()
        } else {
            el.text()
        };
        for name in clean_authors(&text) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names
}

/// `itemprop="datePublished"` on an element other than `<meta>` (read with the meta tags):
/// its `datetime` or `content` attribute, else its text.
fn microdata_date(document: &Document) -> Option<Meta<DateTime<FixedOffset>>> {
    document.select("[itemprop]").iter().find_map(|el| {
        let prop = el.attr("itemprop")?;
        if !prop
            .split_ascii_whitespace()
            .any(|p| p.eq_ignore_ascii_case("datePublished"))
        {
            return None;
        }
        let raw = el
            .attr("datetime")
            .or_else(|| el.attr("content"))
            .map_or_else(|| el.text().to_string(), |v| v.to_string());
        let source = if el.is("time") {
            MetaSource::TimeElement
        } else {
            MetaSource::MetaTag
        };
        parse_date(&raw).map(|value| Meta { value, source })
    })
}

/// The publication date from `<time datetime>`: one marked `pubdate` first, else the first
/// one inside an `<article>`, else the first one on the page.
fn time_element_date(document: &Document) -> Option<Meta<DateTime<FixedOffset>>> {
    [
        "time[pubdate][datetime]",
        "article time[datetime]",
        "time[datetime]",
    ]
    .iter()
    .find_map(|selector| {
        document
            .select(selector)
            .iter()
            .find_map(|el| parse_date(&el.attr("datetime")?))
    })
    .map(|value| Meta {
        value,
        source: MetaSource::TimeElement,
    })
}

/// The fields of the page's schema.org article object in JSON-LD.
#[derive(Debug, Default)]
struct JsonLdArticle {
    title: Option<String>,
    authors: Vec<String>,
    published: Option<String>,
    url: Option<String>,
    language: Option<String>,
}

/// How many JSON values are inspected per page at most, so a huge JSON-LD block costs
/// bounded time.
const MAX_JSON_LD_VALUES: usize = 20_000;

impl JsonLdArticle {
    /// Reads the page's JSON-LD blocks. Every field comes from the first article-like object
    /// (`NewsArticle`, `BlogPosting`, `Report`, …) that has it; failing that, the headline,
    /// publication date and language may come from any object (sites often put them on the
    /// `WebPage` object of a `@graph`), and the URL from a `WebPage`. Blocks that are not
    /// valid JSON are read leniently (trailing commas, raw line breaks in strings) or skipped.
    fn read(document: &Document) -> Self {
        let mut articles = Vec::new();
        let mut others = Vec::new();
        let mut budget = MAX_JSON_LD_VALUES;
        let blocks: Vec<serde_json::Value> = document
            .select("script[type]")
            .iter()
            .filter(|script| {
                let kind = script.attr("type").unwrap_or_default().to_ascii_lowercase();
                kind.contains("ld+json")
            })
            .filter_map(|script| parse_lenient_json(script.text().trim()))
            .collect();
        for block in &blocks {
            let mut stack = vec![block];
            while let Some(value) = stack.pop() {
                if budget == 0 {
                    break;
                }
                budget -= 1;
                match value {
                    serde_json::Value::Array(items) => stack.extend(items.iter().rev()),
                    serde_json::Value::Object(object) => {
                        if is_article_type(object.get("@type")) {
                            articles.push(object);
                        } else {
                            others.push(object);
                        }
                        stack.extend(object.values().rev());
                    }
                    _ => {}
                }
            }
        }
        let first = |objects: &[&serde_json::Map<String, serde_json::Value>], key: &str| {
            objects.iter().find_map(|o| o.get(key).and_then(json_text))
        };
        let web_pages: Vec<_> = others
            .iter()
            .copied()
            .filter(|o| json_type_is(o.get("@type"), "WebPage"))
            .collect();
        let authors = articles
            .iter()
            .map(|o| json_authors(o.get("author")))
            .find(|names| !names.is_empty())
            .unwrap_or_default();
        let main_entity = articles
            .iter()
            .find_map(|o| match o.get("mainEntityOfPage")? {
                serde_json::Value::Object(entity) => entity.get("@id").and_then(json_text),
                other => json_text(other),
            });
        Self {
            title: first(&articles, "headline")
                .or_else(|| first(&articles, "name"))
                .or_else(|| first(&others, "headline")),
            authors,
            published: first(&articles, "datePublished")
                .or_else(|| first(&articles, "dateCreated"))
                .or_else(|| first(&others, "datePublished")),
            url: main_entity
                .or_else(|| first(&articles, "url"))
                .or_else(|| first(&web_pages, "url")),
            language: first(&articles, "inLanguage").or_else(|| first(&others, "inLanguage")),
        }
    }
}

/// Parses JSON, retrying once with the two mistakes sites make most often repaired:
/// commas before a closing bracket, and raw control characters inside strings.
fn parse_lenient_json(text: &str) -> Option<serde_json::Value> {
    if let Ok(value) = serde_json::from_str(text) {
        return Some(value);
    }
    let mut repaired = String::with_capacity(text.len());
    let mut in_string = false;
    let mut escaped = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ if c.is_control() => {
                    repaired.push(' ');
                    continue;
                }
                _ => {}
            }
            repaired.push(c);
            continue;
        }
        if c == '"' {
            in_string = true;
        }
        if c == ',' {
            let rest = chars.clone().find(|n| !n.is_whitespace());
            if matches!(rest, Some(']' | '}')) {
                continue;
            }
        }
        repaired.push(c);
    }
    serde_json::from_str(&repaired).ok()
}

/// The author names of a JSON-LD `author` value: a name, a `Person`/`Organization` object,
/// or a list of either.
fn json_authors(author: Option<&serde_json::Value>) -> Vec<String> {
    let entries: Vec<&serde_json::Value> = match author {
        Some(serde_json::Value::Array(items)) => items.iter().collect(),
        Some(single) => vec![single],
        None => Vec::new(),
    };
    let mut names: Vec<String> = Vec::new();
    for entry in entries {
        let raw = match entry {
            serde_json::Value::Object(o) => o.get("name").and_then(json_text),
            other => json_text(other),
        };
        for name in clean_authors(&raw.unwrap_or_default()) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names
}

/// Whether a JSON-LD `@type` (a string or a list) is exactly `wanted`.
fn json_type_is(kind: Option<&serde_json::Value>, wanted: &str) -> bool {
    match kind {
        Some(serde_json::Value::String(s)) => s == wanted,
        Some(serde_json::Value::Array(items)) => items.iter().any(|i| i.as_str() == Some(wanted)),
        _ => false,
    }
}

/// Whether a JSON-LD `@type` (a string or a list) names a kind of article.
fn is_article_type(kind: Option<&serde_json::Value>) -> bool {
    let is_article = |s: &str| {
        s.ends_with("Article")
            || s.ends_with("BlogPosting")
            || s == "Report"
            || s == "ReportageNews"
    };
    match kind {
        Some(serde_json::Value::String(s)) => is_article(s),
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .any(|item| item.as_str().is_some_and(is_article)),
        _ => false,
    }
}

/// A JSON string (or the first of a list of them) as clean text: character references that
/// sites leave in JSON-LD decoded, whitespace collapsed; `None` when empty.
fn json_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => non_empty(&decode_entities(s)),
        serde_json::Value::Array(items) => items.iter().find_map(json_text),
        _ => None,
    }
}

/// Decodes HTML character references (`&amp;`, `&#8217;`) and collapses whitespace.
fn decode_entities(s: &str) -> String {
    if s.contains('&') {
        clean_text(&html_escape::decode_html_entities(s))
    } else {
        clean_text(s)
    }
}

/// Collapses whitespace runs to single spaces and trims.
fn clean_text(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn non_empty(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

/// Academic and professional credentials that follow names in bylines ("Jane Doe, MS, RD").
const CREDENTIALS: &[&str] = &[
    "ba", "bsc", "cde", "cpt", "dds", "do", "jd", "jr", "ld", "ma", "mba", "md", "mph", "ms",
    "msc", "np", "phd", "rd", "rdn", "rn", "sr",
];

/// Job titles that end a byline segment which names a role rather than a person
/// ("AP National Security Writer").
const ROLE_WORDS: &[&str] = &[
    "writer",
    "editor",
    "correspondent",
    "reporter",
    "columnist",
    "contributor",
    "producer",
];

/// Splits a byline into names: drops "By"/"Posted by"/"Written by", splits on commas,
/// semicolons, "and", "&" and "|", and drops entries that are links, handles, dates,
/// credentials, job titles, or too long to be names.
fn clean_authors(byline: &str) -> Vec<String> {
    let byline = clean_text(byline);
    let mut names: Vec<String> = Vec::new();
    for part in byline.split([',', ';', '|', '&']) {
        for piece in part.split(" and ") {
            let mut name = piece.trim();
            for prefix in ["posted by ", "written by ", "words by ", "by "] {
                let starts_with_prefix = name
                    .get(..prefix.len())
                    .is_some_and(|start| start.eq_ignore_ascii_case(prefix));
                if starts_with_prefix {
                    name = name[prefix.len()..].trim();
                }
            }
            let lower = name.trim_end_matches('.').to_lowercase();
            let last_word = lower.split_whitespace().last().unwrap_or_default();
            let looks_like_name = !name.is_empty()
                && name.chars().count() <= 60
                && name.split_whitespace().count() <= 6
                && !name.contains("://")
                && !name.starts_with('@')
                && !name.starts_with("www.")
                && name.chars().any(char::is_alphabetic)
                && !name.chars().any(|c| c.is_ascii_digit())
                && !CREDENTIALS.contains(&lower.as_str())
                && !ROLE_WORDS.contains(&last_word);
            if looks_like_name && !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                names.push(name.to_string());
            }
        }
    }
    names
}

/// Separators between a headline and the site name in titles ("Headline | Site").
const TITLE_SEPARATORS: &[&str] = &[" | ", " - ", " – ", " — ", " :: ", " · ", " » "];

/// The names a site goes by, reduced to lowercase letters and digits for comparison: the
/// declared site name (`og:site_name`, `application-name`) and the canonical URL's host,
/// whole and as its first label (`www.sportsnet.ca` → "sportsnetca", "sportsnet").
fn site_names(metas: &MetaTags, canonical_url: Option<&str>) -> Vec<String> {
    let mut names: Vec<String> = ["og:site_name", "application-name"]
        .iter()
        .filter_map(|key| metas.first(&[key]))
        .map(|name| comparable(&name))
        .collect();
    if let Some(url) = canonical_url {
        let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
        let host = after_scheme
            .split(['/', '?', '#', ':'])
            .next()
            .unwrap_or_default();
        let host = host.strip_prefix("www.").unwrap_or(host);
        names.push(comparable(host));
        names.push(comparable(host.split('.').next().unwrap_or_default()));
    }
    names.retain(|name| !name.is_empty());
    names
}

/// Lowercase letters and digits of `s`, for comparing names that differ in case, spacing
/// or punctuation ("The Hill", "TheHill", "thehill.com" → "thehill", "thehillcom").
fn comparable(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Removes a site name that a title carries after (or before) a separator.
fn strip_site_name(title: &str, sites: &[String]) -> String {
    for sep in TITLE_SEPARATORS {
        if let Some((head, tail)) = title.rsplit_once(sep) {
            if sites.contains(&comparable(tail)) && !head.trim().is_empty() {
                return head.trim().to_string();
            }
        }
        if let Some((head, tail)) = title.split_once(sep) {
            if sites.contains(&comparable(head)) && !tail.trim().is_empty() {
                return tail.trim().to_string();
            }
        }
    }
    title.to_string()
}

/// Removes what is probably a site or section name from a `<title>` whose site name is not
/// declared: a last segment of at most four words after a separator, when at least three
/// words remain.
fn strip_title_suffix(title: &str) -> String {
    let cut = TITLE_SEPARATORS
        .iter()
        .filter_map(|sep| title.rfind(sep).map(|at| (at, at + sep.len())))
        .max_by_key(|(at, _)| *at);
    if let Some((at, after)) = cut {
        let (head, tail) = (&title[..at], &title[after..]);
        if tail.split_whitespace().count() <= 4 && head.split_whitespace().count() >= 3 {
            return head.trim().to_string();
        }
    }
    title.to_string()
}

/// Normalises a language tag to its lowercase primary subtag ("en-GB", "en_US" → "en");
/// `None` unless that subtag is two or three ASCII letters.
fn primary_language_subtag(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    let valid =
        (2..=3).contains(&primary.len()) && primary.bytes().all(|b| b.is_ascii_alphabetic());
    valid.then_some(primary)
}

/// Parses a declared publication date and rejects placeholders: dates before 1900 or after
/// 2100 (CMSs emit `0001-01-01T00:00:00Z` for "unset") and the Unix epoch itself.
fn parse_date(raw: &str) -> Option<DateTime<FixedOffset>> {
    let date = parse_date_notation(raw.trim())?;
    let plausible = (1900..=2100).contains(&date.year()) && date.timestamp() != 0;
    plausible.then_some(date)
}

/// Parses the date notations pages declare: RFC 3339 / ISO 8601 (with or without seconds,
/// fraction, offset or `T`), RFC 2822, numeric dates, and English dates written out
/// ("Fri 6:45 PM, Feb 16, 2018", "20 November 2019"). Values without an offset are read as
/// UTC; written-out dates keep only the day, at midnight UTC, because the time zone names
/// next to them ("EST", "IST") are ambiguous.
fn parse_date_notation(raw: &str) -> Option<DateTime<FixedOffset>> {
    if raw.is_empty() || raw.len() > 64 {
        return None;
    }
    if let Ok(date) = DateTime::parse_from_rfc3339(raw) {
        return Some(date);
    }
    if let Ok(date) = DateTime::parse_from_rfc2822(raw) {
        return Some(date);
    }
    const WITH_OFFSET: &[&str] = &[
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%d %H:%M%z",
    ];
    for format in WITH_OFFSET {
        if let Ok(date) = DateTime::parse_from_str(raw, format) {
            return Some(date);
        }
    }
    let utc = FixedOffset::east_opt(0)?;
    let without_zone = raw.strip_suffix('Z').unwrap_or(raw);
    const NAIVE: &[&str] = &[
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d %H:%M:%S",
    ];
    for format in NAIVE {
        if let Ok(naive) = NaiveDateTime::parse_from_str(without_zone, format) {
            return Some(DateTime::from_naive_utc_and_offset(naive, utc));
        }
    }
    const DATE_ONLY: &[&str] = &["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d"];
    // Numeric dates may trail a zone name or other words ("2019-11-20 EST"); only the
    // leading date is read then.
    let first_word = without_zone.split_whitespace().next().unwrap_or_default();
    let day = DATE_ONLY
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(first_word, format).ok())
        .or_else(|| parse_written_date(raw))?;
    Some(DateTime::from_naive_utc_and_offset(
        day.and_time(NaiveTime::MIN),
        utc,
    ))
}

/// English month names and their numbers; three-letter abbreviations are matched too.
const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("sept", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
];

/// Finds a written-out English date in free text: a month name or abbreviation with a day
/// number next to it ("Feb 16", "16th February") and a four-digit year.
fn parse_written_date(raw: &str) -> Option<NaiveDate> {
    let words: Vec<String> = raw
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let month_of = |word: &str| {
        MONTHS.iter().find_map(|(name, number)| {
            let abbreviation = word.len() >= 3 && name.starts_with(word);
            (word == *name || abbreviation).then_some(*number)
        })
    };
    let day_of = |word: &str| {
        let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        let suffix_ok = matches!(&word[digits.len()..], "" | "st" | "nd" | "rd" | "th");
        digits
            .parse::<u32>()
            .ok()
            .filter(|d| suffix_ok && (1..=31).contains(d) && digits.len() <= 2)
    };
    let year = words
        .iter()
        .filter(|w| w.len() == 4)
        .find_map(|w| w.parse::<i32>().ok())?;
    words.iter().enumerate().find_map(|(i, word)| {
        let month = month_of(word)?;
        let after = words.get(i + 1).and_then(|w| day_of(w));
        let before = i.checked_sub(1).and_then(|j| day_of(&words[j]));
        NaiveDate::from_ymd_opt(year, month, after.or(before)?)
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

impl crate::pipeline::Stage for HtmlStage {
    fn name(&self) -> &'static str {
        "html"
    }

    fn run(&self, doc: &mut crate::pipeline::Doc) -> Result<(), crate::pipeline::StageError> {
        let Some(html) = doc.article.html.as_deref() else {
            return Ok(());
        };
        let page = match extract(html, &self.limits) {
            Ok(page) => page,
            // With a plain-text body the page only adds metadata; its failure costs nothing.
            Err(_) if doc.article.text.is_some() => return Ok(()),
            Err(e) => {
                return Err(crate::pipeline::StageError {
                    reason: crate::contract::failure::Reason::HtmlError,
                    message: e.to_string(),
                })
            }
        };
        let sources = &mut doc.metadata_sources;
        if doc.article.title.is_none() {
            if let Some(title) = page.title {
                sources.push(("title", title.source.as_str()));
                doc.article.title = Some(title.value);
            }
        }
        if doc.article.published_at.is_none() {
            if let Some(published) = page.published_at {
                sources.push(("published_at", published.source.as_str()));
                doc.article.published_at = Some(published.value);
            }
        }
        if doc.article.url.is_none() {
            if let Some(url) = page.canonical_url {
                sources.push(("url", url.source.as_str()));
                doc.article.url = Some(url.value);
            }
        }
        if doc.article.language.is_none() {
            if let Some(language) = page.language {
                sources.push(("language", language.source.as_str()));
                doc.article.language = Some(language.value);
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Paragraphs of a made-up article, with the headings among them.
    const ARTICLE: &[(&str, bool)] = &[
        ("The harbour authority approved a plan on Tuesday to dredge the eastern channel, ending a dispute that had delayed shipping for two years.", false),
        ("Officials said the work would begin in the spring and take about eighteen months, with traffic limited to daylight hours.", false),
        ("Why does the channel matter?", true),
        ("Most container ships entering the port use the eastern channel, which has silted up since the last major works in the 1990s.", false),
        ("Pilots have reported grounding risks at low tide, and insurers raised premiums for larger vessels last year.", false),
        ("Who pays for it", true),
        ("The cost, estimated at 40 million euros, will be split between the port, the regional government and a group of shipping lines.", false),
        ("A spokesperson for the shipping lines said the agreement was \"fair to everyone who depends on the harbour\".", false),
        ("Environmental concerns", true),
        ("Conservation groups warned that dredging could disturb seagrass beds, and asked for independent monitoring of the works.", false),
        ("The authority said it would publish water-quality data every month while the dredgers are at work.", false),
        ("What happens next?", true),
        ("Tenders for the dredging contract open next week, and the authority expects to name a contractor before the summer.", false),
        ("Local fishing cooperatives will be consulted on the timing of the works near their moorings.", false),
        ("Timeline", true),
        ("The first phase covers the outer bar, the second the inner basin, and the final phase the approach to the container terminal.", false),
    ];

    fn article_html(related_inside_article: bool) -> String {
        let body: String = ARTICLE
            .iter()
            .map(|(text, heading)| {
                if *heading {
                    format!("<h2>{text}</h2>\n")
                } else {
                    format!("<p>{text}</p>\n")
                }
            })
            .collect();
        let related = "<h2>Related stories</h2><ul>\
            <li><a href=\"/a\">Ferry operator adds a night crossing for the summer</a></li>\
            <li><a href=\"/b\">Port workers agree a new pay deal after long talks</a></li>\
            <li><a href=\"/c\">Ten photos of the tall ships festival</a></li></ul>";
        let (inside, outside) = if related_inside_article {
            (related, "")
        } else {
            ("", related)
        };
        format!(
            "<!doctype html><html lang=\"en-GB\"><head><title>Harbour plan approved | Coast News</title></head>\
             <body><nav><ul><li><a href=\"/\">Home</a></li><li><a href=\"/local\">Local</a></li>\
             <li><a href=\"/sport\">Sport</a></li></ul></nav>\
             <main><article><h1>Harbour plan approved</h1>{body}{inside}</article>{outside}</main>\
             <footer><p>Copyright Coast News. All rights reserved.</p><a href=\"/privacy\">Privacy</a></footer>\
             </body></html>"
        )
    }

    fn extract_ok(html: &str) -> ExtractedPage {
        match extract(html, &HtmlLimits::default()) {
            Ok(page) => page,
            Err(err) => panic!("extraction failed: {err}"),
        }
    }

    #[test]
    fn simple_page_yields_exactly_the_article_paragraphs_and_headings() {
        for related_inside_article in [false, true] {
            let page = extract_ok(&article_html(related_inside_article));
            let expected: Vec<&str> = ARTICLE.iter().map(|(text, _)| *text).collect();
            let paragraphs: Vec<&str> = page.text.split("\n\n").collect();
            assert_eq!(paragraphs, expected);
            let headings: Vec<&str> = page
                .headings
                .iter()
                .map(|h| &page.text[h.start..h.end])
                .collect();
            let expected_headings: Vec<&str> = ARTICLE
                .iter()
                .filter(|(_, h)| *h)
                .map(|(text, _)| *text)
                .collect();
            assert_eq!(headings, expected_headings);
            assert!(page.headings.iter().all(|h| h.level == 2));
        }
    }

    #[test]
    fn heading_spans_are_whole_paragraphs_on_char_boundaries() {
        let html = "<html><body><article>\
            <p>Première partie du texte, assez longue pour être retenue comme article à part entière, avec des accents.</p>\
            <h3>Étape <em>suivante</em> — café</h3>\
            <p>Deuxième partie du texte, elle aussi assez longue pour être retenue, avec encore des accents là.</p>\
            <p>Troisième partie du texte, toujours assez longue pour que le lecteur la garde dans l'article.</p>\
            </article></body></html>";
        let page = extract_ok(html);
        assert_eq!(page.headings.len(), 1);
        let heading = page.headings[0];
        assert_eq!(heading.level, 3);
        assert!(
            page.text.is_char_boundary(heading.start) && page.text.is_char_boundary(heading.end)
        );
        assert_eq!(
            &page.text[heading.start..heading.end],
            "Étape suivante — café"
        );
        assert_eq!(&page.text[heading.start - 2..heading.start], "\n\n");
        assert_eq!(&page.text[heading.end..heading.end + 2], "\n\n");
        assert!(!page.text.split("\n\n").any(|p| p.contains('\n')));
    }

    #[test]
    fn render_keeps_paragraph_structure() {
        let doc = Document::from(
            "<div id=root><p>One  <b>bold</b>\n word</p>line<br>break<table><tr><td>a</td><td>b</td></tr></table>\
             <pre>first line\nsecond line</pre><script>var hidden = 1;</script><p>\u{a0}\u{200b}</p>\
             <h4>Lonely heading</h4></div>",
        );
        let root = doc.select("#root");
        let (text, headings) = render_text(&root.nodes()[0]);
        assert_eq!(
            text,
            "One bold word\n\nline\n\nbreak\n\na b\n\nfirst line\n\nsecond line"
        );
        assert!(
            headings.is_empty(),
            "a heading that heads nothing is dropped"
        );
    }

    #[test]
    fn strips_captions_widgets_and_link_lists_inside_the_article() {
        let doc = Document::from(
            "<div id=root><p>Kept paragraph with enough words to be the article itself, clearly.</p>\
             <figure><img src=x><figcaption>A caption. Photo: Agency</figcaption></figure>\
             <div class=\"share-tools\">Share on social</div>\
             <ul><li><a href=a>Linked story one</a></li><li><a href=b>Linked story two</a></li></ul>\
             <ul><li>A list item that is prose</li></ul></div>",
        );
        let root = doc.select("#root");
        let container = &root.nodes()[0];
        strip_inner_boilerplate(container);
        let (text, _) = render_text(container);
        assert_eq!(
            text,
            "Kept paragraph with enough words to be the article itself, clearly.\n\nA list item that is prose"
        );
    }

    #[test]
    fn a_marked_block_holding_most_of_the_text_is_kept() {
        let doc = Document::from(
            "<div id=root><div class=\"article-body has-comments\"><p>The whole story is here, long enough.</p></div>\
             <p>Short.</p></div>",
        );
        let root = doc.select("#root");
        strip_inner_boilerplate(&root.nodes()[0]);
        assert!(root.text().contains("The whole story"));
    }

    #[test]
    fn metadata_prefers_json_ld_then_opengraph_then_meta() {
        let html = r#"<html lang="pt-BR"><head>
            <title>Title element | Example</title>
            <meta property="og:title" content="OpenGraph title">
            <meta name="twitter:title" content="Twitter title">
            <meta property="article:published_time" content="2019-11-20T10:00:00+01:00">
            <meta name="author" content="By Ana Souza and Rui Lima">
            <link rel="canonical" href="https://example.com/story">
            <meta property="og:url" content="https://example.com/og">
            <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
                {"@type":"WebPage","url":"https://example.com/page","datePublished":"2001-01-01"},
                {"@type":"NewsArticle","headline":"JSON-LD &amp; headline","datePublished":"2019-11-19T08:30:00-05:00",
                 "author":[{"@type":"Person","name":"Maria Silva, PhD"},{"@type":"Person","name":"João Costa"}],}
            ]}</script>
            </head><body></body></html>"#;
        let meta = read_metadata(&Document::from(html));
        let title = meta.title.unwrap_or_else(|| panic!("no title"));
        assert_eq!(
            (title.value.as_str(), title.source),
            ("JSON-LD & headline", MetaSource::JsonLd)
        );
        let authors = meta.authors.unwrap_or_else(|| panic!("no authors"));
        assert_eq!(authors.value, ["Maria Silva", "João Costa"]);
        assert_eq!(authors.source, MetaSource::JsonLd);
        let published = meta.published_at.unwrap_or_else(|| panic!("no date"));
        assert_eq!(published.value.to_rfc3339(), "2019-11-19T08:30:00-05:00");
        assert_eq!(published.source, MetaSource::JsonLd);
        let canonical = meta.canonical_url.unwrap_or_else(|| panic!("no url"));
        assert_eq!(
            (canonical.value.as_str(), canonical.source),
            ("https://example.com/story", MetaSource::MetaTag)
        );
        let language = meta.language.unwrap_or_else(|| panic!("no language"));
        assert_eq!(
            (language.value.as_str(), language.source),
            ("pt", MetaSource::Html)
        );
    }

    #[test]
    fn metadata_falls_back_to_weaker_sources() {
        let html = r#"<html><head>
            <title>Storm closes schools across the county - Daily Echo</title>
            <meta property="og:site_name" content="Daily Echo">
            <meta property="og:locale" content="en_US">
            <meta name="byl" content="By JANE DOE">
            </head><body><article><time datetime="2020-02-03">3 February</time></article></body></html>"#;
        let meta = read_metadata(&Document::from(html));
        let title = meta.title.unwrap_or_else(|| panic!("no title"));
        assert_eq!(
            (title.value.as_str(), title.source),
            (
                "Storm closes schools across the county",
                MetaSource::TitleElement
            )
        );
        let authors = meta.authors.unwrap_or_else(|| panic!("no authors"));
        assert_eq!(
            (authors.value, authors.source),
            (vec!["JANE DOE".to_string()], MetaSource::MetaTag)
        );
        let published = meta.published_at.unwrap_or_else(|| panic!("no date"));
        assert_eq!(published.value.to_rfc3339(), "2020-02-03T00:00:00+00:00");
        assert_eq!(published.source, MetaSource::TimeElement);
        let language = meta.language.unwrap_or_else(|| panic!("no language"));
        assert_eq!(
            (language.value.as_str(), language.source),
            ("en", MetaSource::OpenGraph)
        );
        assert!(meta.canonical_url.is_none());
    }

    #[test]
    fn byline_markup_and_microdata_dates_are_read() {
        let html = r#"<html><head></head><body>
            <span itemprop="author" itemscope><span itemprop="name">Kim Lee</span></span>
            <a rel="author" href="/staff/sam">Sam Park</a>
            <span itemprop="datePublished">Fri 6:45 PM, Feb 16, 2018</span>
            </body></html>"#;
        let meta = read_metadata(&Document::from(html));
        let authors = meta.authors.unwrap_or_else(|| panic!("no authors"));
        assert_eq!(
            (authors.value, authors.source),
            (
                vec!["Kim Lee".to_string(), "Sam Park".to_string()],
                MetaSource::Html
            )
        );
        let published = meta.published_at.unwrap_or_else(|| panic!("no date"));
        assert_eq!(
            (published.value.to_rfc3339().as_str(), published.source),
            ("2018-02-16T00:00:00+00:00", MetaSource::MetaTag)
        );
    }

    #[test]
    fn site_names_are_stripped_from_declared_titles() {
        let metas = MetaTags(vec![("og:site_name".into(), "The Hill".into())]);
        let sites = site_names(&metas, Some("https://www.sportsnet.ca/tennis/story"));
        assert_eq!(
            strip_site_name("Budget passes | TheHill", &sites),
            "Budget passes"
        );
        assert_eq!(
            strip_site_name("Nadal wins again - Sportsnet.ca", &sites),
            "Nadal wins again"
        );
        assert_eq!(
            strip_site_name("Sportsnet: A - B", &sites),
            "Sportsnet: A - B"
        );
        assert_eq!(
            strip_title_suffix("A headline about ports | Section"),
            "A headline about ports"
        );
        assert_eq!(
            strip_title_suffix("Short - Suffix words here, five"),
            "Short - Suffix words here, five"
        );
    }

    #[test]
    fn dates_in_common_notations_parse_and_placeholders_do_not() {
        let cases = [
            ("2019-11-20T06:35:39Z", "2019-11-20T06:35:39+00:00"),
            (
                "2019-11-20T06:35:39.556+0000",
                "2019-11-20T06:35:39.556+00:00",
            ),
            ("2019-11-20T06:35:39", "2019-11-20T06:35:39+00:00"),
            ("2019-11-20 06:35", "2019-11-20T06:35:00+00:00"),
            (
                "Wed, 20 Nov 2019 06:35:39 -0500",
                "2019-11-20T06:35:39-05:00",
            ),
            ("20191120", "2019-11-20T00:00:00+00:00"),
            ("2019-11-20 EST", "2019-11-20T00:00:00+00:00"),
            ("01:38:07 pm IST Nov 20, 2019", "2019-11-20T00:00:00+00:00"),
            ("20th November 2019", "2019-11-20T00:00:00+00:00"),
        ];
        for (raw, expected) in cases {
            let parsed = parse_date(raw).map(|d| d.to_rfc3339());
            assert_eq!(parsed.as_deref(), Some(expected), "{raw}");
        }
        for raw in [
            "0001-01-01T00:00:00Z",
            "1970-01-01T00:00:00Z",
            "",
            "yesterday",
            "Feb 30, 2019",
            "2019-13-45",
            "November 2019",
        ] {
            assert_eq!(parse_date(raw), None, "{raw}");
        }
    }

    #[test]
    fn bylines_split_into_names() {
        assert_eq!(
            clean_authors("By Tom Krisher, AP Auto Writer"),
            ["Tom Krisher"]
        );
        assert_eq!(clean_authors("Rachael Link, MS, RD"), ["Rachael Link"]);
        assert_eq!(clean_authors("Posted by Vortex"), ["Vortex"]);
        assert_eq!(
            clean_authors("Jill Disis & Rui Lima; Ana"),
            ["Jill Disis", "Rui Lima", "Ana"]
        );
        assert!(clean_authors("https://www.facebook.com/someone").is_empty());
        assert!(clean_authors("@handle").is_empty());
        assert!(clean_authors("November 19, 2019 9:02 AM").is_empty());
    }

    #[test]
    fn language_tags_normalise_to_primary_subtag() {
        assert_eq!(primary_language_subtag("en-GB").as_deref(), Some("en"));
        assert_eq!(primary_language_subtag(" PT_br ").as_deref(), Some("pt"));
        assert_eq!(primary_language_subtag("fil").as_deref(), Some("fil"));
        assert_eq!(primary_language_subtag("x-default"), None);
        assert_eq!(primary_language_subtag("english"), None);
        assert_eq!(primary_language_subtag(""), None);
    }

    #[test]
    fn lenient_json_repairs_trailing_commas_and_raw_newlines() {
        let value = parse_lenient_json("{\"a\": [1, 2, ], \"b\": \"line\nbreak\",}");
        let value = value.unwrap_or_else(|| panic!("not repaired"));
        assert_eq!(value["a"], serde_json::json!([1, 2]));
        assert_eq!(value["b"], "line break");
        assert!(parse_lenient_json("{\"a\": \"unterminated").is_none());
    }

    #[test]
    fn tag_scan_follows_the_tokenizer() {
        let shape = scan_tags(
            "<!-- <div><div> --><div a='>' b=\"<p>\"><p>x<p>y<img><br/>\
             <script>if (a<b) { '<div>' }</script><svg><g/><g/></svg></div>",
            100,
        );
        // div > p > svg: the second `<p>` closes the first, `<g/>` closes itself in SVG.
        assert_eq!(shape.max_depth, 3);
        let unclosed_items = "<ul>".to_string() + &"<li>item".repeat(1000) + "</ul>";
        assert_eq!(scan_tags(&unclosed_items, 100).max_depth, 2);
        let self_closed_divs = "<div/>".repeat(1000);
        assert!(scan_tags(&self_closed_divs, 100).max_depth > 100);
    }

    /// Runs `extract` on a thread with the 2 MiB stack threads get by default.
    fn extract_on_small_stack(html: String) -> Result<ExtractedPage, HtmlError> {
        let worker = std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            // A generous time budget: these tests check behaviour on a normal stack, and a
            // loaded CI machine running a debug build must not turn them into timeouts.
            .spawn(move || {
                let limits = HtmlLimits {
                    max_millis: 120_000,
                    ..HtmlLimits::default()
                };
                extract(&html, &limits)
            });
        match worker.map(std::thread::JoinHandle::join) {
            Ok(Ok(result)) => result,
            _ => panic!("extraction thread failed"),
        }
    }

    fn prose() -> String {
        "<p>Ordinary article prose follows here, long enough to be kept as the body, with commas, too.</p>".repeat(6)
    }

    #[test]
    fn hundred_thousand_nested_elements_are_refused_quickly() {
        for (open, close) in [
            ("<div>", "</div>"),
            ("<div>", ""),
            ("<b>", ""),
            ("<div/>", ""),
            ("<ul><li>", ""),
        ] {
            let html = format!(
                "<html><body>{}{}{}</body></html>",
                open.repeat(100_000),
                prose(),
                close.repeat(100_000)
            );
            let started = Instant::now();
            let result = extract_on_small_stack(html);
            assert!(
                matches!(result, Err(HtmlError::TooComplex(_))),
                "{open}: {result:?}"
            );
            assert!(started.elapsed() < Duration::from_secs(2));
        }
    }

    #[test]
    fn nesting_just_under_the_limit_extracts_on_a_small_stack() {
        let depth = HtmlLimits::default().max_depth - 10;
        let html = format!(
            "<html><body>{}{}{}</body></html>",
            "<div>".repeat(depth),
            prose(),
            "</div>".repeat(depth)
        );
        let page = extract_on_small_stack(html).unwrap_or_else(|err| panic!("{err}"));
        assert!(page.text.starts_with("Ordinary article prose"));
    }

    #[test]
    fn megabytes_of_inline_script_are_skipped() {
        let script = "var s = '<div><p>not text</p>'; if (a < b) { run(); }\n".repeat(40_000);
        let html = format!("<html><head><script>{script}</script></head><body>{}<script>{script}</script></body></html>", prose());
        let page = extract_on_small_stack(html).unwrap_or_else(|err| panic!("{err}"));
        assert!(!page.text.contains("not text"));
        assert!(page.text.starts_with("Ordinary article prose"));
    }

    #[test]
    fn wrongly_decoded_pages_still_extract() {
        let mojibake = "<p>CafÃ© dÃ©jÃ  vu \u{fffd}\u{fffd} ã\u{81}\u{93}ã\u{82}\u{93} with enough words to be the article body here.</p>".repeat(5);
        let html = format!(
            "<html><head><meta charset=\"x-no-such-charset\"></head><body>{mojibake}</body></html>"
        );
        let page = extract_on_small_stack(html).unwrap_or_else(|err| panic!("{err}"));
        assert!(page.text.contains("CafÃ©"));
    }

    #[test]
    fn limits_are_enforced() {
        let tiny = HtmlLimits {
            max_bytes: 100,
            ..HtmlLimits::default()
        };
        assert!(matches!(
            extract(&prose(), &tiny),
            Err(HtmlError::TooComplex(_))
        ));
        let no_time = HtmlLimits {
            max_millis: 0,
            ..HtmlLimits::default()
        };
        let many_links = format!(
            "<html><body>{}</body></html>",
            "<ul><li><a href=x>link</a>".repeat(300)
        );
        assert!(matches!(
            extract(&many_links, &no_time),
            Err(HtmlError::TooComplex(_))
        ));
    }

    #[test]
    fn non_html_and_empty_pages_are_errors() {
        let unparseable = [
            "",
            "plain words, no markup",
            "\u{1}\u{2}\u{3}\u{4}<html>\u{5}\u{6}\u{7}\u{8}",
        ];
        for input in unparseable {
            assert!(
                matches!(
                    extract(input, &HtmlLimits::default()),
                    Err(HtmlError::Unparseable(_))
                ),
                "{input:?}"
            );
        }
        let no_body = [
            "<html><head><title>Only a title</title></head><body></body></html>",
            "<html><body><nav><a href=/>Home</a> <a href=/news>News</a></nav></body></html>",
            "<html><body><script>document.write('x')</script></body></html>",
        ];
        for input in no_body {
            assert!(
                matches!(
                    extract(input, &HtmlLimits::default()),
                    Err(HtmlError::NoBody(_))
                ),
                "{input:?}"
            );
        }
    }

    #[test]
    fn truncated_and_mangled_pages_never_panic() {
        let html = article_html(true);
        let mut cut = 0;
        while cut < html.len() {
            if html.is_char_boundary(cut) {
                let _ = extract(&html[..cut], &HtmlLimits::default());
                let _ = extract(&html[cut..], &HtmlLimits::default());
            }
            cut += 97;
        }
        let _ = extract(&html.replace('>', ""), &HtmlLimits::default());
        let _ = extract(&html.replace('<', "<<"), &HtmlLimits::default());
        let _ = extract(&html.replace('"', ""), &HtmlLimits::default());
    }

    #[test]
    fn errors_and_sources_display_clearly() {
        let err = HtmlError::TooComplex("elements nest deeper than the limit of 512 levels".into());
        assert_eq!(err.to_string(), "page too complex to extract within limits: elements nest deeper than the limit of 512 levels");
        let names: Vec<&str> = [
            MetaSource::JsonLd,
            MetaSource::OpenGraph,
            MetaSource::MetaTag,
            MetaSource::TimeElement,
            MetaSource::TitleElement,
            MetaSource::Html,
        ]
        .iter()
        .map(|s| s.as_str())
        .collect();
        assert_eq!(
            names,
            ["json-ld", "opengraph", "meta", "time", "title", "html"]
        );
    }
}
