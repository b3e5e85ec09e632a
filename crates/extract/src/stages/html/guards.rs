//! The guards that refuse a page before it can cost too much: size, markup, depth and time.
//!
//! html5ever, the HTML5 parser underneath, spends time quadratic in the nesting depth
//! (30,000 nested `<div>`s take seconds), the extractor's per-ancestor sums cost elements ×
//! depth, and recursive tree walks risk the stack. A page that is too deep or too costly is
//! therefore refused with [`HtmlError::TooComplex`] *before* it is parsed, from what a cheap
//! lexical scan of its tags says (`super::tag_scan`), and the depth is confirmed on the
//! parsed tree, because the parser can nest deeper than the tags say. Input that cannot be a
//! web page at all is refused with [`HtmlError::Unparseable`].
//!
//! The time limit is enforced twice: before parsing, against the cost estimated from the
//! tags ([`check_tag_shape`]), and between the extraction phases, against the clock
//! ([`check_deadline`]). A phase that has started runs to its end; the estimate is what keeps
//! each phase short.

use std::time::{Duration, Instant};

use dom_query::{Document, NodeRef};

use super::tag_scan::scan_tags;
use super::{HtmlError, HtmlLimits};

/// Refuses input larger than the size limit, before anything reads it.
pub(super) fn check_size(html: &str, limits: &HtmlLimits) -> Result<(), HtmlError> {
    if html.len() > limits.max_bytes {
        return Err(HtmlError::TooComplex(format!(
            "{} bytes exceed the limit of {} bytes",
            html.len(),
            limits.max_bytes
        )));
    }
    Ok(())
}

/// Refuses to go on once `budget` has passed since `started`; `phase` names what just ended.
pub(super) fn check_deadline(
    started: Instant,
    budget: Duration,
    phase: &str,
) -> Result<(), HtmlError> {
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
pub(super) fn check_is_markup(html: &str) -> Result<(), HtmlError> {
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
pub(super) fn check_tag_shape(html: &str, limits: &HtmlLimits) -> Result<(), HtmlError> {
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
pub(super) fn check_tree_depth(document: &Document, max_depth: usize) -> Result<(), HtmlError> {
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
