//! Rendering the article container as text: paragraphs, collapsed whitespace, headings.
//!
//! The kept container is walked iteratively, with an explicit stack instead of recursion, so
//! no nesting depth can overflow the thread's stack. Block elements (`p`, `div`, `li`, …) and
//! `<br>` end a paragraph; paragraphs are joined by `"\n\n"` and never contain a newline;
//! runs of whitespace collapse to one space and invisible characters (zero-width space, BOM,
//! soft hyphen) are dropped; inside `<pre>` each line is a paragraph of its own. Scripts,
//! form controls, media and other elements that never hold prose are skipped with their
//! content.
//!
//! Headings (`h1`–`h6`) become paragraphs of their own and are recorded with their byte span
//! in the text, so the sections stage can build on them. A heading that heads nothing (the
//! list it announced was removed as boilerplate) is dropped with its text.

use dom_query::NodeRef;

use super::Heading;

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
pub(super) fn render_text(root: &NodeRef) -> (String, Vec<Heading>) {
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

#[cfg(test)]
mod tests {
    use dom_query::Document;

    use super::*;

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
}
