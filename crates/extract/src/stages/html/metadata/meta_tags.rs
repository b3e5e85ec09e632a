//! `<meta>` tags: the name–value pairs a page declares in its head, read once per page.
//!
//! The same field hides under many names, depending on the vocabulary a site uses:
//! OpenGraph (`property="og:title"`, `article:published_time`), Twitter cards, Dublin Core
//! (`dc.date.issued`), microdata (`itemprop="datePublished"`), or a CMS's own (`byl`,
//! `parsely-pub-date`), and sometimes as `http-equiv` (`content-language`). [`MetaTags`]
//! holds every tag under each name it declares, lower-cased, in document order, with its
//! value cleaned. Each field's module lists the names that declare the field, most specific
//! first, and keeps the OpenGraph names apart, so that their values are attributed to
//! [`MetaSource::OpenGraph`](crate::stages::html::MetaSource::OpenGraph).

use dom_query::Document;

use super::clean_text;

/// The `<meta>` tags of a page, as (lowercased key, content) pairs in document order.
pub(super) struct MetaTags(Vec<(String, String)>);

impl MetaTags {
    /// Reads every `<meta>` tag with a non-empty `content`, under each of its `property`,
    /// `name`, `itemprop` and `http-equiv` names.
    pub(super) fn read(document: &Document) -> Self {
        let mut pairs = Vec::new();
        for tag in document.select("meta[content]").iter() {
            let content = clean_text(&tag.attr("content").unwrap_or_default());
            if content.is_empty() {
                continue;
            }
            for key_attr in ["property", "name", "itemprop", "http-equiv"] {
                if let Some(key) = tag.attr(key_attr) {
                    pairs.push((key.trim().to_ascii_lowercase(), content.clone()));
                }
            }
        }
        Self(pairs)
    }

    /// The values declared under `key`, in document order.
    pub(super) fn values<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> {
        self.0
            .iter()
            .filter(move |(k, _)| k == key)
            .map(|(_, value)| value.as_str())
    }

    /// The first value declared under any of `keys`, trying the keys in priority order.
    pub(super) fn first(&self, keys: &[&str]) -> Option<String> {
        keys.iter()
            .find_map(|key| self.values(key).next().map(str::to_string))
    }
}
