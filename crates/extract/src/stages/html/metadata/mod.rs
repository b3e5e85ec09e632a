//! Page metadata: the title, byline, publication date, canonical URL and language a page
//! declares about itself.
//!
//! A news page says what it is in several vocabularies at once, for search engines, social
//! networks and browsers, and they do not always agree. Metadata is read from the parsed
//! page before the body is extracted (the reader-view pass removes most of the markup that
//! declares it). The kinds of declaration, most specific first:
//!
//! 1. **JSON-LD**: the schema.org article object (`json_ld`).
//! 2. **OpenGraph**: `og:*` and `article:*` properties (`meta_tags`).
//! 3. **Other `<meta>` tags**: Twitter cards, Dublin Core, CMS conventions, microdata,
//!    `http-equiv` (`meta_tags`), and `<link rel=canonical>`.
//! 4. **Elements of the page**: `<time datetime>`, `itemprop` microdata and `rel="author"`
//!    links in the body, `<title>`, `<html lang>`.
//!
//! Each field takes its value from the most specific declaration that has one and records
//! which it was ([`MetaSource`]). The two exceptions say where the general rule fails: the
//! canonical URL trusts `<link rel=canonical>` over JSON-LD and OpenGraph (it is what the
//! site itself treats as the address), and the language trusts `<html lang>` first (it is
//! what browsers and screen readers use, so sites keep it right).
//!
//! Each field has a module that knows where it is declared and how its values are cleaned:
//! `title` (site names stripped), `byline` (names out of free text), `dates` (the notations
//! pages write dates in). Values are cleaned the same way throughout: whitespace collapsed,
//! empty values treated as absent.

mod byline;
mod dates;
mod json_ld;
mod meta_tags;
mod title;

use chrono::{DateTime, FixedOffset};
use dom_query::Document;

use super::{Meta, MetaSource};
use byline::read_authors;
use dates::read_published_at;
use json_ld::JsonLdArticle;
use meta_tags::MetaTags;
use title::read_title;

/// The metadata fields read from the page's markup, before the body is extracted.
#[derive(Debug, Default)]
pub(super) struct PageMetadata {
    /// The headline, without the site name.
    pub(super) title: Option<Meta<String>>,
    /// The author names, in declared order.
    pub(super) authors: Option<Meta<Vec<String>>>,
    /// When the article was first published.
    pub(super) published_at: Option<Meta<DateTime<FixedOffset>>>,
    /// The page's canonical URL, as declared.
    pub(super) canonical_url: Option<Meta<String>>,
    /// The language, as a lowercase primary subtag.
    pub(super) language: Option<Meta<String>>,
}

/// What a page declares about itself, each kind of declaration parsed once.
struct Declarations<'a> {
    /// The parsed page, for the declarations made by its elements.
    document: &'a Document,
    /// The `<meta>` tags.
    meta_tags: MetaTags,
    /// The schema.org article object.
    json_ld: JsonLdArticle,
}

/// Names of `<meta>` tags that declare the canonical URL and the language, most specific
/// first (see `meta_tags`).
const OPENGRAPH_URL: &[&str] = &["og:url"];
const OPENGRAPH_LOCALE: &[&str] = &["og:locale"];
const META_LANGUAGE: &[&str] = &[
    "content-language",
    "language",
    "dc.language",
    "dcterms.language",
];

/// Reads every metadata field from the parsed page, each from its most specific source.
pub(super) fn read_metadata(document: &Document) -> PageMetadata {
    let page = Declarations {
        document,
        meta_tags: MetaTags::read(document),
        json_ld: JsonLdArticle::read(document),
    };
    let canonical_url = read_canonical_url(&page);
    PageMetadata {
        title: read_title(&page, canonical_url.as_ref().map(|m| m.value.as_str())),
        authors: read_authors(&page),
        published_at: read_published_at(&page),
        canonical_url,
        language: read_language(&page),
    }
}

/// The canonical URL: `<link rel=canonical>`, else `og:url`, else the JSON-LD article's.
fn read_canonical_url(page: &Declarations) -> Option<Meta<String>> {
    let link = page.document.select("link[rel]").iter().find(|link| {
        link.attr("rel").is_some_and(|rel| {
            rel.split_ascii_whitespace()
                .any(|r| r.eq_ignore_ascii_case("canonical"))
        })
    });
    let href = link.and_then(|link| non_empty(&clean_text(&link.attr("href").unwrap_or_default())));
    declared(href, MetaSource::MetaTag)
        .or_else(|| declared(page.meta_tags.first(OPENGRAPH_URL), MetaSource::OpenGraph))
        .or_else(|| declared(page.json_ld.url.clone(), MetaSource::JsonLd))
}

/// The language: `<html lang>` (or `xml:lang`), else a language `<meta>` tag, else
/// `og:locale`, else JSON-LD's `inLanguage`; the first that holds a valid primary subtag.
fn read_language(page: &Declarations) -> Option<Meta<String>> {
    let html = page.document.select("html");
    let html_lang = html
        .attr("lang")
        .or_else(|| html.attr("xml:lang"))
        .map(|lang| lang.to_string());
    [
        (html_lang, MetaSource::Html),
        (page.meta_tags.first(META_LANGUAGE), MetaSource::MetaTag),
        (
            page.meta_tags.first(OPENGRAPH_LOCALE),
            MetaSource::OpenGraph,
        ),
        (page.json_ld.language.clone(), MetaSource::JsonLd),
    ]
    .into_iter()
    .find_map(|(tag, source)| {
        let value = primary_language_subtag(tag.as_deref()?)?;
        Some(Meta { value, source })
    })
}

/// Normalises a language tag to its lowercase primary subtag ("en-GB", "en_US" → "en");
/// `None` unless that subtag is two or three ASCII letters.
fn primary_language_subtag(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    let valid =
        (2..=3).contains(&primary.len()) && primary.bytes().all(|b| b.is_ascii_alphabetic());
    valid.then_some(primary)
}

/// A value with the declaration it came from, if there is a value.
fn declared<T>(value: Option<T>, source: MetaSource) -> Option<Meta<T>> {
    value.map(|value| Meta { value, source })
}

/// Collapses whitespace runs to single spaces and trims.
fn clean_text(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `s` trimmed, or `None` when nothing is left.
fn non_empty(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn language_tags_normalise_to_primary_subtag() {
        assert_eq!(primary_language_subtag("en-GB").as_deref(), Some("en"));
        assert_eq!(primary_language_subtag(" PT_br ").as_deref(), Some("pt"));
        assert_eq!(primary_language_subtag("fil").as_deref(), Some("fil"));
        assert_eq!(primary_language_subtag("x-default"), None);
        assert_eq!(primary_language_subtag("english"), None);
        assert_eq!(primary_language_subtag(""), None);
    }
}
