//! Finding the article in the page: the reader-view pass that keeps the article container.
//!
//! The parsed page goes to `dom_smoothie`, a port of Mozilla's Readability (the reader mode
//! of Firefox), which scores blocks by their text and link density and keeps the container
//! that holds the article. It was chosen over `rs-trafilatura` by measurement on the
//! ScrapingHub article-extraction benchmark pages (better accuracy once filtered as below,
//! about four times the speed, one parse instead of two; see `docs/html-extraction.md`).
//!
//! Readability keeps too much rather than too little, so the container is then cleaned
//! (`super::boilerplate`), refused when what is left is a navigation menu, and rendered as
//! paragraphs (`super::render`).

use dom_query::Document;
use dom_smoothie::{Config, Readability, TextMode};

use super::boilerplate::{link_text_share, strip_inner_boilerplate};
use super::render::render_text;
use super::{Heading, HtmlError};

/// What the reader-view pass found: the body text with its headings.
pub(super) struct Body {
    /// Paragraphs separated by `"\n\n"`.
    pub(super) text: String,
    /// The headings among those paragraphs, with their byte spans.
    pub(super) headings: Vec<Heading>,
}

/// Runs the Readability port on the parsed page and turns the kept container into text.
pub(super) fn extract_body(document: Document) -> Result<Body, HtmlError> {
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
