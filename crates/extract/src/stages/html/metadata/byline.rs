//! Bylines: turning "By Jane Doe, AP Auto Writer and John Roe, PhD" into names.
//!
//! Every source of authors (JSON-LD, `<meta name=author>`, `article:author`, byline markup in
//! the page) hands over free text written for readers, not a list of names: prefixes ("By",
//! "Posted by"), several names joined by commas, "and" or "&", credentials after a name
//! ("MS, RD"), job titles ("AP Auto Writer"), profile links, handles and dates. [`add_names`]
//! reduces such text to the names alone, in the order written, each name once however often
//! the page's tags repeat it.

use dom_query::Document;

use super::meta_tags::MetaTags;
use super::{clean_text, Declarations};
use crate::stages::html::{Meta, MetaSource};

/// Names of `<meta>` tags that declare the authors, most specific first (see `meta_tags`).
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

/// The authors from the most specific declaration that names any: JSON-LD, OpenGraph,
/// another `<meta>` tag, or byline markup in the page.
pub(super) fn read_authors(page: &Declarations) -> Option<Meta<Vec<String>>> {
    [
        (page.json_ld.authors.clone(), MetaSource::JsonLd),
        (
            first_authors(&page.meta_tags, OPENGRAPH_AUTHOR),
            MetaSource::OpenGraph,
        ),
        (
            first_authors(&page.meta_tags, META_AUTHOR),
            MetaSource::MetaTag,
        ),
        (byline_from_markup(page.document), MetaSource::Html),
    ]
    .into_iter()
    .find(|(names, _)| !names.is_empty())
    .map(|(value, source)| Meta { value, source })
}

/// Every author named under the first of `keys` that names one (tags may repeat).
fn first_authors(metas: &MetaTags, keys: &[&str]) -> Vec<String> {
    for key in keys {
        let mut names = Vec::new();
        for value in metas.values(key) {
            add_names(&mut names, value);
        }
        if !names.is_empty() {
            return names;
        }
    }
    Vec::new()
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

/// Adds the names of `byline` to `names`, in order, skipping the names already there.
pub(super) fn add_names(names: &mut Vec<String>, byline: &str) {
    for name in clean_authors(byline) {
        if !names.contains(&name) {
            names.push(name);
        }
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
        add_names(&mut names, &text);
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
