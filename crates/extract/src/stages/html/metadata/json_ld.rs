//! JSON-LD: the schema.org objects a page declares in `<script type="application/ld+json">`.
//!
//! News sites describe the article for search engines as a schema.org object
//! (`NewsArticle`, `BlogPosting`, `Report`, …) with its `headline`, `author`,
//! `datePublished`, `url` and `inLanguage`. It is the most specific metadata a page has, and
//! the least tidy: the object may sit alone, in a list, or in a `@graph` next to `WebPage`,
//! `Organization` and `BreadcrumbList` objects; authors may be strings, `Person` objects or
//! lists of either; strings may carry HTML character references; and blocks are often not
//! quite JSON (trailing commas, raw line breaks inside strings). [`JsonLdArticle::read`]
//! walks every block without recursion and within a fixed budget of values, repairs the two
//! common mistakes, and picks each field from the best object that declares it.

use dom_query::Document;
use serde_json::{Map, Value};

use super::byline::add_names;
use super::{clean_text, non_empty};

/// The fields of the page's schema.org article object in JSON-LD.
#[derive(Debug, Default)]
pub(super) struct JsonLdArticle {
    /// `headline` (or the article's `name`).
    pub(super) title: Option<String>,
    /// The names of `author`, in declared order.
    pub(super) authors: Vec<String>,
    /// `datePublished` (or the article's `dateCreated`), as declared.
    pub(super) published: Option<String>,
    /// `mainEntityOfPage`, else `url`.
    pub(super) url: Option<String>,
    /// `inLanguage`.
    pub(super) language: Option<String>,
}

/// How many JSON values are inspected per page at most, so a huge JSON-LD block costs
/// bounded time.
const MAX_JSON_LD_VALUES: usize = 20_000;

/// A JSON-LD object: its properties by name.
type Object = Map<String, Value>;

impl JsonLdArticle {
    /// Reads the page's JSON-LD blocks. Every field comes from the first article-like object
    /// (`NewsArticle`, `BlogPosting`, `Report`, …) that has it; failing that, the headline,
    /// publication date and language may come from any object (sites often put them on the
    /// `WebPage` object of a `@graph`), and the URL from a `WebPage`. Blocks that are not
    /// valid JSON are read leniently (trailing commas, raw line breaks in strings) or skipped.
    pub(super) fn read(document: &Document) -> Self {
        let blocks: Vec<Value> = document
            .select("script[type]")
            .iter()
            .filter(|script| {
                let kind = script.attr("type").unwrap_or_default().to_ascii_lowercase();
                kind.contains("ld+json")
            })
            .filter_map(|script| parse_lenient_json(script.text().trim()))
            .collect();
        let (articles, others) = schema_objects(&blocks);
        Self::from_objects(&articles, &others)
    }

    /// Picks every field from the article objects first, then from the others.
    fn from_objects(articles: &[&Object], others: &[&Object]) -> Self {
        let first = |objects: &[&Object], key: &str| {
            objects.iter().find_map(|o| o.get(key).and_then(json_text))
        };
        let web_pages: Vec<_> = others
            .iter()
            .copied()
            .filter(|o| json_type_matches(o.get("@type"), |kind| kind == "WebPage"))
            .collect();
        let authors = articles
            .iter()
            .map(|o| json_authors(o.get("author")))
            .find(|names| !names.is_empty())
            .unwrap_or_default();
        let main_entity = articles
            .iter()
            .find_map(|o| match o.get("mainEntityOfPage")? {
                Value::Object(entity) => entity.get("@id").and_then(json_text),
                other => json_text(other),
            });
        Self {
            title: first(articles, "headline")
                .or_else(|| first(articles, "name"))
                .or_else(|| first(others, "headline")),
            authors,
            published: first(articles, "datePublished")
                .or_else(|| first(articles, "dateCreated"))
                .or_else(|| first(others, "datePublished")),
            url: main_entity
                .or_else(|| first(articles, "url"))
                .or_else(|| first(&web_pages, "url")),
            language: first(articles, "inLanguage").or_else(|| first(others, "inLanguage")),
        }
    }
}

/// Every object of the blocks, nested ones included, in document order, split into
/// article-like objects and the others. At most [`MAX_JSON_LD_VALUES`] values are visited,
/// over all blocks together.
fn schema_objects(blocks: &[Value]) -> (Vec<&Object>, Vec<&Object>) {
    let mut articles = Vec::new();
    let mut others = Vec::new();
    let mut budget = MAX_JSON_LD_VALUES;
    for block in blocks {
        let mut stack = vec![block];
        while let Some(value) = stack.pop() {
            if budget == 0 {
                break;
            }
            budget -= 1;
            match value {
                Value::Array(items) => stack.extend(items.iter().rev()),
                Value::Object(object) => {
                    if json_type_matches(object.get("@type"), is_article_type) {
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
    (articles, others)
}

/// Parses JSON, retrying once with the two mistakes sites make most often repaired:
/// commas before a closing bracket, and raw control characters inside strings.
fn parse_lenient_json(text: &str) -> Option<Value> {
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
fn json_authors(author: Option<&Value>) -> Vec<String> {
    let entries: Vec<&Value> = match author {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(single) => vec![single],
        None => Vec::new(),
    };
    let mut names: Vec<String> = Vec::new();
    for entry in entries {
        let raw = match entry {
            Value::Object(o) => o.get("name").and_then(json_text),
            other => json_text(other),
        };
        add_names(&mut names, &raw.unwrap_or_default());
    }
    names
}

/// Whether a JSON-LD `@type` (a string or a list of them) has a type name that `is` accepts.
fn json_type_matches(kind: Option<&Value>, is: impl Fn(&str) -> bool) -> bool {
    match kind {
        Some(Value::String(s)) => is(s),
        Some(Value::Array(items)) => items.iter().any(|item| item.as_str().is_some_and(&is)),
        _ => false,
    }
}

/// Whether a schema.org type name is a kind of article.
fn is_article_type(kind: &str) -> bool {
    kind.ends_with("Article")
        || kind.ends_with("BlogPosting")
        || kind == "Report"
        || kind == "ReportageNews"
}

/// A JSON string (or the first of a list of them) as clean text: character references that
/// sites leave in JSON-LD decoded, whitespace collapsed; `None` when empty.
fn json_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => non_empty(&decode_entities(s)),
        Value::Array(items) => items.iter().find_map(json_text),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_json_repairs_trailing_commas_and_raw_newlines() {
        let value = parse_lenient_json("{\"a\": [1, 2, ], \"b\": \"line\nbreak\",}");
        let value = value.unwrap_or_else(|| panic!("not repaired"));
        assert_eq!(value["a"], serde_json::json!([1, 2]));
        assert_eq!(value["b"], "line break");
        assert!(parse_lenient_json("{\"a\": \"unterminated").is_none());
    }
}
