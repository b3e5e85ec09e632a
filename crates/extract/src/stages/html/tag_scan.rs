//! A lexical scan of a page's tags: how many elements, how deep, how costly, before parsing.
//!
//! The guards must know the shape of the element tree before html5ever builds it, because
//! building it is the cost they guard against (the parser spends time quadratic in the
//! nesting depth). [`scan_tags`] reads the tags the way the HTML tokenizer does, closely
//! enough for real pages, without allocating a tree: it skips comments, doctypes and
//! processing instructions, quoted attribute values (a `>` inside one does not end the tag)
//! and the content of raw-text elements (`<script>`, `<style>`, …, where `<div>` is text);
//! it knows the void elements that never nest, the `/>` that closes elements inside SVG and
//! MathML (and nowhere else), end tags that close their open descendants, and the paragraphs
//! and list items that a sibling of the same name closes implicitly.
//!
//! It errs towards a deeper tree than the parser would build, the safe side for a guard.
//! The parser can still nest deeper than the tags say (it re-opens formatting elements such
//! as `<b>` inside new blocks), which is why the guards confirm the depth on the parsed tree.

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
pub(super) struct TagShape {
    /// Elements opened.
    pub(super) elements: usize,
    /// Deepest nesting reached.
    pub(super) max_depth: usize,
    /// Sum over elements of their depth: the number of (ancestor, descendant) pairs, which
    /// is what the extractor's per-ancestor text and link-density sums cost.
    pub(super) ancestor_pairs: usize,
}

/// Scans the tags without building a tree, following the tokenizer closely enough for real
/// pages (comments, raw-text elements, quoted attributes, void elements, `/>` inside
/// SVG/MathML, end tags that close their open descendants, implicitly closed paragraphs and
/// list items). It errs towards deeper than the parser would build, the safe side for a
/// guard, and stops as soon as the depth exceeds `max_depth`.
pub(super) fn scan_tags(html: &str, max_depth: usize) -> TagShape {
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

/// The position of the first `needle` at or after `from`.
fn find_byte(bytes: &[u8], from: usize, needle: u8) -> Option<usize> {
    bytes
        .get(from..)?
        .iter()
        .position(|&b| b == needle)
        .map(|n| from + n)
}

/// The position of the first occurrence of `needle` at or after `from`.
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
