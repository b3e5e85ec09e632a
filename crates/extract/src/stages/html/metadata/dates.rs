//! Publication dates: the notations pages declare them in, and the elements that carry them.
//!
//! Machine-written metadata mostly uses RFC 3339 / ISO 8601, but real pages also declare
//! RFC 2822 dates, ISO dates without a `T`, seconds or offset, compact numbers (`20191120`)
//! and dates written out for people ("Fri 6:45 PM, Feb 16, 2018", "20th November 2019").
//! [`parse_date`] reads all of them, most exact notation first, and rejects the placeholders
//! content systems emit for "unset" (`0001-01-01`, the Unix epoch).
//!
//! Where a page declares the date, most specific first ([`read_published_at`]): JSON-LD's
//! `datePublished`, OpenGraph's `article:published_time`, one of the many other `<meta>`
//! names for it, microdata on an element of the page (`itemprop="datePublished"`), and
//! `<time datetime>`. A declaration that does not parse is skipped for the next one.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};
use dom_query::Document;

use super::meta_tags::MetaTags;
use super::Declarations;
use crate::stages::html::{Meta, MetaSource};
use crate::text::calendar::month_by_prefix;

/// Names of `<meta>` tags that declare the publication date, most specific first (see
/// `meta_tags`).
const OPENGRAPH_PUBLISHED: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
];
const META_PUBLISHED: &[&str] = &[
    "datepublished",
    "article.published",
    "article_date_original",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "publication_date",
    "date.published",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "citation_publication_date",
    "originalpublicationdate",
    "dc.date",
    "dcterms.date",
    "date",
];

/// The publication date from the most specific declaration that parses.
pub(super) fn read_published_at(page: &Declarations) -> Option<Meta<DateTime<FixedOffset>>> {
    page.json_ld
        .published
        .as_deref()
        .and_then(parse_date)
        .map(|value| Meta {
            value,
            source: MetaSource::JsonLd,
        })
        .or_else(|| first_date(&page.meta_tags, OPENGRAPH_PUBLISHED, MetaSource::OpenGraph))
        .or_else(|| first_date(&page.meta_tags, META_PUBLISHED, MetaSource::MetaTag))
        .or_else(|| microdata_date(page.document))
        .or_else(|| time_element_date(page.document))
}

/// The first parseable date declared under any of `keys`, in priority order.
fn first_date(
    metas: &MetaTags,
    keys: &[&str],
    source: MetaSource,
) -> Option<Meta<DateTime<FixedOffset>>> {
    keys.iter().find_map(|key| {
        metas
            .values(key)
            .find_map(parse_date)
            .map(|value| Meta { value, source })
    })
}

/// `itemprop="datePublished"` on an element other than `<meta>` (read with the meta tags):
/// its `datetime` or `content` attribute, else its text.
fn microdata_date(document: &Document) -> Option<Meta<DateTime<FixedOffset>>> {
    document.select("[itemprop]").iter().find_map(|el| {
        let prop = el.attr("itemprop")?;
        if !prop
            .split_ascii_whitespace()
            .any(|p| p.eq_ignore_ascii_case("datePublished"))
        {
            return None;
        }
        let raw = el
            .attr("datetime")
            .or_else(|| el.attr("content"))
            .map_or_else(|| el.text().to_string(), |v| v.to_string());
        let source = if el.is("time") {
            MetaSource::TimeElement
        } else {
            MetaSource::MetaTag
        };
        parse_date(&raw).map(|value| Meta { value, source })
    })
}

/// The publication date from `<time datetime>`: one marked `pubdate` first, else the first
/// one inside an `<article>`, else the first one on the page.
fn time_element_date(document: &Document) -> Option<Meta<DateTime<FixedOffset>>> {
    [
        "time[pubdate][datetime]",
        "article time[datetime]",
        "time[datetime]",
    ]
    .iter()
    .find_map(|selector| {
        document
            .select(selector)
            .iter()
            .find_map(|el| parse_date(&el.attr("datetime")?))
    })
    .map(|value| Meta {
        value,
        source: MetaSource::TimeElement,
    })
}

/// Parses a declared publication date and rejects placeholders: dates before 1900 or after
/// 2100 (CMSs emit `0001-01-01T00:00:00Z` for "unset") and the Unix epoch itself.
fn parse_date(raw: &str) -> Option<DateTime<FixedOffset>> {
    let date = parse_date_notation(raw.trim())?;
    let plausible = (1900..=2100).contains(&date.year()) && date.timestamp() != 0;
    plausible.then_some(date)
}

/// Parses the date notations pages declare: RFC 3339 / ISO 8601 (with or without seconds,
/// fraction, offset or `T`), RFC 2822, numeric dates, and English dates written out
/// ("Fri 6:45 PM, Feb 16, 2018", "20 November 2019"). Values without an offset are read as
/// UTC; written-out dates keep only the day, at midnight UTC, because the time zone names
/// next to them ("EST", "IST") are ambiguous.
fn parse_date_notation(raw: &str) -> Option<DateTime<FixedOffset>> {
    if raw.is_empty() || raw.len() > 64 {
        return None;
    }
    if let Ok(date) = DateTime::parse_from_rfc3339(raw) {
        return Some(date);
    }
    if let Ok(date) = DateTime::parse_from_rfc2822(raw) {
        return Some(date);
    }
    const WITH_OFFSET: &[&str] = &[
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%d %H:%M%z",
    ];
    for format in WITH_OFFSET {
        if let Ok(date) = DateTime::parse_from_str(raw, format) {
            return Some(date);
        }
    }
    let utc = FixedOffset::east_opt(0)?;
    let without_zone = raw.strip_suffix('Z').unwrap_or(raw);
    const NAIVE: &[&str] = &[
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d %H:%M:%S",
    ];
    for format in NAIVE {
        if let Ok(naive) = NaiveDateTime::parse_from_str(without_zone, format) {
            return Some(DateTime::from_naive_utc_and_offset(naive, utc));
        }
    }
    const DATE_ONLY: &[&str] = &["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d"];
    // Numeric dates may trail a zone name or other words ("2019-11-20 EST"); only the
    // leading date is read then.
    let first_word = without_zone.split_whitespace().next().unwrap_or_default();
    let day = DATE_ONLY
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(first_word, format).ok())
        .or_else(|| parse_written_date(raw))?;
    Some(DateTime::from_naive_utc_and_offset(
        day.and_time(NaiveTime::MIN),
        utc,
    ))
}
/// Finds a written-out English date in free text: a month name or abbreviation with a day
/// number next to it ("Feb 16", "16th February") and a four-digit year.
fn parse_written_date(raw: &str) -> Option<NaiveDate> {
    let words: Vec<String> = raw
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let day_of = |word: &str| {
        let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        let suffix_ok = matches!(&word[digits.len()..], "" | "st" | "nd" | "rd" | "th");
        digits
            .parse::<u32>()
            .ok()
            .filter(|d| suffix_ok && (1..=31).contains(d) && digits.len() <= 2)
    };
    let year = words
        .iter()
        .filter(|w| w.len() == 4)
        .find_map(|w| w.parse::<i32>().ok())?;
    words.iter().enumerate().find_map(|(i, word)| {
        let month = month_by_prefix(word)?;
        let after = words.get(i + 1).and_then(|w| day_of(w));
        let before = i.checked_sub(1).and_then(|j| day_of(&words[j]));
        NaiveDate::from_ymd_opt(year, month, after.or(before)?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_common_notations_parse_and_placeholders_do_not() {
        let cases = [
            ("2019-11-20T06:35:39Z", "2019-11-20T06:35:39+00:00"),
            (
                "2019-11-20T06:35:39.556+0000",
                "2019-11-20T06:35:39.556+00:00",
            ),
            ("2019-11-20T06:35:39", "2019-11-20T06:35:39+00:00"),
            ("2019-11-20 06:35", "2019-11-20T06:35:00+00:00"),
            (
                "Wed, 20 Nov 2019 06:35:39 -0500",
                "2019-11-20T06:35:39-05:00",
            ),
            ("20191120", "2019-11-20T00:00:00+00:00"),
            ("2019-11-20 EST", "2019-11-20T00:00:00+00:00"),
            ("01:38:07 pm IST Nov 20, 2019", "2019-11-20T00:00:00+00:00"),
            ("20th November 2019", "2019-11-20T00:00:00+00:00"),
        ];
        for (raw, expected) in cases {
            let parsed = parse_date(raw).map(|d| d.to_rfc3339());
            assert_eq!(parsed.as_deref(), Some(expected), "{raw}");
        }
        for raw in [
            "0001-01-01T00:00:00Z",
            "1970-01-01T00:00:00Z",
            "",
            "yesterday",
            "Feb 30, 2019",
            "2019-13-45",
            "November 2019",
        ] {
            assert_eq!(parse_date(raw), None, "{raw}");
        }
    }
}
