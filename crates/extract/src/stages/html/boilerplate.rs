//! Cleaning the article container: the blocks readers skip even inside the article.
//!
//! The container Readability keeps still holds figures and their captions, share and
//! newsletter widgets, bylines and datelines (already read as metadata), and lists of links
//! to related stories. They are recognised by element (`figure`, `figcaption`), by the words
//! their class or id carries ([`BOILERPLATE_MARKERS`]), and by their link density (a list
//! whose text is mostly links), and removed before the text is rendered. The one safeguard:
//! a block that holds more than half of the container's text is the article itself, whatever
//! its class says.

use dom_query::NodeRef;

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
pub(super) fn strip_inner_boilerplate(container: &NodeRef) {
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
pub(super) fn link_text_share(node: &NodeRef) -> f64 {
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

#[cfg(test)]
mod tests {
    use dom_query::Document;

    use super::*;
    use crate::stages::html::render::render_text;

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
}
