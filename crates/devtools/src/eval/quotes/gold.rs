//! The gold of one article: PolNeAR's brat standoff read into attributions, and the direct quotes
//! among them.
//!
//! An `.ann` file has `T` lines (`Tn<TAB>Type start end[;start end…]<TAB>text`, character
//! offsets) and `E` lines joining one attribution's `Source:`, `Cue:` and `Content:` spans. Every
//! attribution with a content is one [`GoldAttribution`]. Its content fragments that are
//! enclosed in quotation marks are direct quotes (see [`enclosed`]), split at line breaks into
//! [`GoldQuote`]s, one per paragraph part, since the stage reports each paragraph's part of a
//! quote as its own quote; the other fragments are indirect content. A span's text may hold line
//! breaks (it goes on in lines that are no annotation), so only lines that start with an id
//! are read.

use std::collections::BTreeMap;

use super::Chars;

/// One gold direct quote: a paragraph part of a content fragment in marks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct GoldQuote {
    /// The quoted words, without the marks.
    pub(super) content: Chars,
    /// The attribution's Source spans (empty when it has none).
    pub(super) sources: Vec<Chars>,
}

/// One gold attribution, direct, indirect or mixed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct GoldAttribution {
    /// Its content fragments (more than one when the cue interrupts it).
    pub(super) content: Vec<Chars>,
    /// Its Source spans (empty when it has none).
    pub(super) sources: Vec<Chars>,
}

/// The gold annotation of one article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Gold {
    /// The direct quotes.
    pub(super) quotes: Vec<GoldQuote>,
    /// Content fragments of the attributions that are not direct quotes.
    pub(super) indirect: Vec<Chars>,
    /// Every attribution with a content.
    pub(super) attributions: Vec<GoldAttribution>,
}

/// Marks that may open a quote.
fn opens(c: char) -> bool {
    matches!(c, '"' | '“' | '„' | '«' | '‘' | '\'')
}

/// Marks that may close a quote.
fn closes(c: char) -> bool {
    matches!(c, '"' | '”' | '»' | '’' | '\'')
}

/// The `T` spans and the (content, source) ids of the `E` lines of an `.ann` file.
type Parsed<'a> = (
    BTreeMap<&'a str, Vec<Chars>>,
    Vec<(Option<&'a str>, Option<&'a str>)>,
);

/// Whether `field` is an annotation id of the given kind: the letter, then digits. A span's
/// text may hold line breaks, and the lines it goes on in are no annotation ("The number…").
fn is_id(field: &str, kind: char) -> bool {
    field
        .strip_prefix(kind)
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Reads the `T` and `E` lines, checking every range against the text's length.
fn parse_lines(ann: &str, len: usize) -> Result<Parsed<'_>, String> {
    let mut spans: BTreeMap<&str, Vec<Chars>> = BTreeMap::new();
    let mut attributions = Vec::new();
    for (n, line) in ann.lines().enumerate() {
        let mut fields = line.split('\t');
        let id = fields.next().unwrap_or("");
        let body = fields.next().unwrap_or("");
        if is_id(id, 'T') {
            let ranges = body
                .split_once(' ')
                .map(|(_, r)| r)
                .ok_or_else(|| format!("line {}: no ranges", n + 1))?;
            let mut fragments = Vec::new();
            for range in ranges.split(';') {
                let mut ends = range.split(' ').map(str::parse::<usize>);
                match (ends.next(), ends.next()) {
                    (Some(Ok(s)), Some(Ok(e))) if s <= e && e <= len => fragments.push((s, e)),
                    _ => return Err(format!("line {}: bad range {range:?}", n + 1)),
                }
            }
            spans.insert(id, fragments);
        } else if is_id(id, 'E') {
            let role = |name: &str| {
                body.split(' ')
                    .find_map(|part| part.strip_prefix(name)?.strip_prefix(':'))
            };
            attributions.push((role("Content"), role("Source")));
        }
    }
    Ok((spans, attributions))
}

/// Reads the gold of one `.ann` file against the article's characters.
pub(super) fn parse_gold(ann: &str, text: &[char]) -> Result<Gold, String> {
    let (spans, attributions) = parse_lines(ann, text.len())?;
    let mut gold = Gold::default();
    for (content, source) in attributions {
        let Some(fragments) = content.and_then(|c| spans.get(c)) else {
            continue;
        };
        let sources = source
            .and_then(|s| spans.get(s))
            .cloned()
            .unwrap_or_default();
        for &fragment in fragments {
            if !enclosed(fragment, text) {
                gold.indirect.push(fragment);
                continue;
            }
            for part in paragraph_parts(fragment, text) {
                gold.quotes.push(GoldQuote {
                    content: part,
                    sources: sources.clone(),
                });
            }
        }
        gold.attributions.push(GoldAttribution {
            content: fragments.clone(),
            sources,
        });
    }
    Ok(gold)
}

/// Whether the fragment is enclosed in quotation marks: the first character before it (past
/// spaces) is a mark, and so is the first after it (past spaces and punctuation), or the
/// fragment itself starts and ends with marks.
pub(super) fn enclosed((start, end): Chars, text: &[char]) -> bool {
    let inner = &text[start..end];
    let first = inner.iter().position(|c| !c.is_whitespace());
    let last = inner.iter().rposition(|c| !c.is_whitespace());
    if let (Some(a), Some(b)) = (first, last) {
        if a < b && opens(inner[a]) && closes(inner[b]) {
            return true;
        }
    }
    let before = text[..start].iter().rev().find(|c| !c.is_whitespace());
    let after = text[end..]
        .iter()
        .find(|c| !c.is_whitespace() && !matches!(c, '.' | ',' | '?' | '!' | ';' | ':' | '…'));
    before.is_some_and(|&c| opens(c)) && after.is_some_and(|&c| closes(c))
}

/// The parts of a fragment between line breaks, trimmed of spaces and marks, that hold a
/// letter or digit.
pub(super) fn paragraph_parts((start, end): Chars, text: &[char]) -> Vec<Chars> {
    let mut parts = Vec::new();
    let mut from = start;
    for i in start..=end {
        if i == end || text[i] == '\n' {
            let mut a = from;
            let mut b = i;
            while a < b && (text[a].is_whitespace() || opens(text[a]) || closes(text[a])) {
                a += 1;
            }
            while b > a
                && (text[b - 1].is_whitespace() || opens(text[b - 1]) || closes(text[b - 1]))
            {
                b -= 1;
            }
            if text[a..b].iter().any(|c| c.is_alphanumeric()) {
                parts.push((a, b));
            }
            from = i + 1;
        }
    }
    parts
}
