//! Headlines: the title a page declares, without the site name it is branded with.
//!
//! Pages declare their headline in several places, and most of them append the site's name
//! for search results and browser tabs: "Budget passes | The Hill", "Nadal wins again -
//! Sportsnet.ca". [`strip_site_name`] removes such a segment when it matches one of the
//! names the site goes by ([`site_names`]: its declared name and its host), comparing them
//! reduced to letters and digits. A `<title>` on a site that declares no name gets a blunter
//! rule, [`strip_title_suffix`]: a short last segment after a separator goes.

use super::meta_tags::MetaTags;
use super::{clean_text, declared, non_empty, Declarations};
use crate::stages::html::{Meta, MetaSource};

/// Names of `<meta>` tags that declare the headline, most specific first (see `meta_tags`).
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

/// The headline: JSON-LD's, else OpenGraph's, else another `<meta>` tag's, with the site
/// name stripped; failing all three, the `<title>` element's, with any short suffix
/// stripped too. `canonical_url` tells the site's host.
pub(super) fn read_title(page: &Declarations, canonical_url: Option<&str>) -> Option<Meta<String>> {
    let sites = site_names(&page.meta_tags, canonical_url);
    declared(page.json_ld.title.clone(), MetaSource::JsonLd)
        .or_else(|| declared(page.meta_tags.first(OPENGRAPH_TITLE), MetaSource::OpenGraph))
        .or_else(|| declared(page.meta_tags.first(META_TITLE), MetaSource::MetaTag))
        .map(|m| Meta {
            value: strip_site_name(&m.value, &sites),
            source: m.source,
        })
        .or_else(|| {
            let title = clean_text(&page.document.select("title").text());
            let title = strip_title_suffix(&strip_site_name(&title, &sites));
            declared(non_empty(&title), MetaSource::TitleElement)
        })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_names_are_stripped_from_declared_titles() {
        let page = r#"<html><head><meta property="og:site_name" content="The Hill"></head></html>"#;
        let metas = MetaTags::read(&dom_query::Document::from(page));
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
}
