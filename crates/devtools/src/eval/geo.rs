//! TR-News evaluation of the geo stage ([`newsworker_extract::stages::geo`]).
//!
//! TR-News (Kamalloo & Rafiei, WWW 2018) is 118 news articles with every toponym marked: an
//! `<article>` holds `<url>`, `<domain>`, the body in `<text>` (CDATA) and `<toponyms>`, each
//! `<toponym>` with its `<phrase>`, `<start>`/`<end>` character offsets into the body and, in
//! `<gaztag geonameid="…">`, its GeoNames entry's `<name>`, `<lat>`, `<lon>` and `<country>`.
//! Demonyms ("Turkish") are toponyms of their country. Toponyms without a GeoNames entry
//! (streets, buildings) cannot be scored and are counted apart.
//!
//! Each article goes through the whole pipeline as an envelope `{"id", "url", "outlet": domain,
//! "text"}`. The record's mentions are mapped back to raw character offsets (see
//! [`super::align`]). A few of the corpus's offsets are off by some characters, so a toponym
//! whose phrase is not at its offsets is placed at the phrase's nearest occurrence.
//!
//! Scores, over the toponyms with a GeoNames entry:
//!
//! * **found**: the share of toponyms overlapped by a mention of an entity with a `geo`, or by
//!   one of the record's `places[]` (the places the geo stage found outside the entities);
//! * **accuracy within 161 km** (100 miles, the literature's threshold) on the found toponyms,
//!   by the great-circle distance between the `geo`'s point and the GeoNames entry's, whatever
//!   the ids; the report also counts the found toponyms resolved to their own GeoNames entry
//!   (a subdivision outside the US has no GeoNames id in the gazetteer, so this count is lower
//!   than the accuracy);
//! * **end to end**: toponyms found and within 161 km over all toponyms;
//! * the **median error** in km on the found toponyms, and the **worst confusions**: the most
//!   frequent (gold → resolved) pairs more than 161 km off.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use regex::Regex;
use serde::Deserialize;

use super::{align, ratio, EvalError};
use newsworker_extract::stages::geo::gazetteer::distance_km;
use newsworker_extract::{Extractor, Outcome};

/// The literature's threshold: 100 miles.
pub const THRESHOLD_KM: f64 = 161.0;

/// How many confusions the report lists.
const CONFUSIONS_SHOWN: usize = 12;

/// The scores of the geo stage on TR-News.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GeoReport {
    /// Articles scored.
    pub documents: usize,
    /// Articles that ended as failures (their toponyms count as not found).
    pub failed_documents: usize,
    /// Toponyms with a GeoNames entry.
    pub gold: usize,
    /// Toponyms without one (not scored).
    pub unannotated: usize,
    /// Toponyms overlapped by a mention of an entity with a `geo`.
    pub found: usize,
    /// Found toponyms within [`THRESHOLD_KM`] of their GeoNames entry's point.
    pub within: usize,
    /// Found toponyms resolved to their own GeoNames entry.
    pub same_entry: usize,
    /// The error of every found toponym, km.
    pub errors_km: Vec<f64>,
    /// (gold name and country, resolved name and country) → count, over errors beyond the
    /// threshold.
    pub confusions: BTreeMap<(String, String), usize>,
}

impl GeoReport {
    /// Share of gold toponyms found.
    pub fn found_share(&self) -> f64 {
        ratio(self.found, self.gold)
    }

    /// Accuracy within 161 km on the found toponyms.
    pub fn accuracy_on_found(&self) -> f64 {
        ratio(self.within, self.found)
    }

    /// Accuracy within 161 km over all gold toponyms (not found = wrong).
    pub fn end_to_end(&self) -> f64 {
        ratio(self.within, self.gold)
    }

    /// Median error on the found toponyms, km.
    pub fn median_error_km(&self) -> f64 {
        let mut errors = self.errors_km.clone();
        errors.sort_by(f64::total_cmp);
        errors.get(errors.len() / 2).copied().unwrap_or(0.0)
    }
}

impl fmt::Display for GeoReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "TR-News geocoding: {} articles ({} failed), {} toponyms with a GeoNames entry \
             ({} without one, not scored)",
            self.documents, self.failed_documents, self.gold, self.unannotated
        )?;
        writeln!(
            f,
            "found (a mention with a geo): {:.3} ({}/{})",
            self.found_share(),
            self.found,
            self.gold
        )?;
        writeln!(
            f,
            "accuracy within 161 km on found: {:.3} ({}/{}); the same GeoNames entry: {:.3}",
            self.accuracy_on_found(),
            self.within,
            self.found,
            ratio(self.same_entry, self.found)
        )?;
        writeln!(
            f,
            "end to end within 161 km: {:.3}; median error on found: {:.0} km",
            self.end_to_end(),
            self.median_error_km()
        )?;
        let mut worst: Vec<_> = self.confusions.iter().collect();
        worst.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
        write!(f, "worst confusions (gold -> resolved, count):")?;
        for ((gold, resolved), count) in worst.into_iter().take(CONFUSIONS_SHOWN) {
            write!(f, "\n  {gold} -> {resolved}: {count}")?;
        }
        Ok(())
    }
}

/// One annotated toponym.
#[derive(Debug, Clone, PartialEq)]
struct Toponym {
    /// Character offsets into the article's text.
    start: usize,
    end: usize,
    phrase: String,
    /// Its GeoNames entry, when it has one.
    entry: Option<Entry>,
}

/// A GeoNames entry as TR-News gives it.
#[derive(Debug, Clone, PartialEq)]
struct Entry {
    geonameid: u32,
    name: String,
    country: String,
    lat: f64,
    lon: f64,
}

/// One TR-News article.
#[derive(Debug, Clone, PartialEq)]
struct Article {
    id: String,
    url: String,
    domain: String,
    text: String,
    toponyms: Vec<Toponym>,
}

/// Scores the pipeline of `extractor` on the TR-News file `path`.
pub fn evaluate(path: &Path, extractor: &Extractor) -> Result<GeoReport, EvalError> {
    let xml = std::fs::read_to_string(path).map_err(|source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let articles = parse(&xml).map_err(|message| EvalError::Format {
        path: path.to_path_buf(),
        message,
    })?;
    let mut report = GeoReport::default();
    for article in &articles {
        let envelope = serde_json::json!({
            "id": article.id, "url": article.url, "outlet": article.domain, "text": article.text,
        });
        let places = match extractor.extract(None, envelope.to_string().as_bytes(), None) {
            Outcome::Record(processed) => {
                places(&processed.bytes, &article.text).map_err(|message| EvalError::Format {
                    path: path.to_path_buf(),
                    message: format!("record of {}: {message}", article.id),
                })?
            }
            Outcome::Failed(_) => {
                report.failed_documents += 1;
                Vec::new()
            }
        };
        report.add(article, &places);
    }
    Ok(report)
}

/// The articles of a TR-News file.
fn parse(xml: &str) -> Result<Vec<Article>, String> {
    let article_re = Regex::new(r#"(?s)<article docid="([^"]*)">(.*?)</article>"#).expect("re");
    let toponym_re = Regex::new(r"(?s)<toponym>(.*?)</toponym>").expect("re");
    let text_re = Regex::new(r"(?s)<text>\s*<!\[CDATA\[(.*?)\]\]>\s*</text>").expect("re");
    let mut articles = Vec::new();
    for article in article_re.captures_iter(xml) {
        let body = &article[2];
        let text = text_re
            .captures(body)
            .ok_or_else(|| format!("article {}: no <text> CDATA", &article[1]))?[1]
            .to_string();
        let toponyms = toponym_re
            .captures_iter(body)
            .map(|t| toponym(&t[1]))
            .collect::<Result<_, _>>()
            .map_err(|e| format!("article {}: {e}", &article[1]))?;
        articles.push(Article {
            id: article[1].to_string(),
            url: element(body, "url").unwrap_or_default(),
            domain: element(body, "domain").unwrap_or_default(),
            text,
            toponyms,
        });
    }
    if articles.is_empty() {
        return Err("no <article> elements".into());
    }
    Ok(articles)
}

/// The trimmed text of the first `<name>` element in `xml` (its attributes ignored).
fn element(xml: &str, name: &str) -> Option<String> {
    let open = xml.find(&format!("<{name}"))?;
    let content = open + xml[open..].find('>')? + 1;
    let close = content + xml[content..].find(&format!("</{name}>"))?;
    Some(xml[content..close].trim().to_string())
}

/// One `<toponym>` element's content.
fn toponym(xml: &str) -> Result<Toponym, String> {
    let number = |name: &str| -> Result<usize, String> {
        let value = element(xml, name).ok_or(format!("toponym without <{name}>"))?;
        value
            .parse()
            .map_err(|_| format!("<{name}>{value}</{name}>"))
    };
    let entry = match xml.find("<gaztag geonameid=\"") {
        None => None,
        Some(at) => {
            let id = xml[at + 19..].split('"').next().unwrap_or("");
            let degrees = |name: &str| element(xml, name).and_then(|v| v.parse::<f64>().ok());
            Some(Entry {
                geonameid: id.parse().map_err(|_| format!("geonameid {id:?}"))?,
                name: element(xml, "name").unwrap_or_default(),
                country: element(xml, "country").unwrap_or_default(),
                lat: degrees("lat").ok_or("gaztag without <lat>")?,
                lon: degrees("lon").ok_or("gaztag without <lon>")?,
            })
        }
    };
    Ok(Toponym {
        start: number("start")?,
        end: number("end")?,
        phrase: element(xml, "phrase").unwrap_or_default(),
        entry,
    })
}

/// A mention of a resolved entity in raw character offsets, with its place.
#[derive(Debug, Clone, PartialEq)]
struct Placed {
    start: usize,
    end: usize,
    geo: GeoView,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct GeoView {
    id: String,
    name: String,
    country: Option<String>,
    lat: f64,
    lon: f64,
}

#[derive(Deserialize)]
struct RecordView {
    text: String,
    entities: Vec<EntityView>,
    #[serde(default)]
    places: Vec<PlaceView>,
}

#[derive(Deserialize)]
struct PlaceView {
    start: usize,
    end: usize,
    geo: GeoView,
}

#[derive(Deserialize)]
struct EntityView {
    mentions: Vec<SpanView>,
    geo: Option<GeoView>,
}

#[derive(Deserialize)]
struct SpanView {
    start: usize,
    end: usize,
}

/// The mentions of the record's resolved entities and its `places[]` (the geo stage's own
/// finds, the dateline among them), in raw character offsets of `raw`.
fn places(json: &[u8], raw: &str) -> Result<Vec<Placed>, String> {
    let record: RecordView = serde_json::from_slice(json).map_err(|e| e.to_string())?;
    let raw: Vec<char> = raw.chars().collect();
    let normalised: Vec<char> = record.text.chars().collect();
    let to_raw = align(&normalised, &raw);
    let at = |i: usize| to_raw.get(i).copied().unwrap_or(raw.len());
    let placed = |m: &SpanView, geo: &GeoView| Placed {
        start: at(m.start),
        end: m
            .end
            .checked_sub(1)
            .map_or(at(m.start), |last| at(last) + 1),
        geo: geo.clone(),
    };
    let mut out = Vec::new();
    for entity in &record.entities {
        let Some(geo) = &entity.geo else { continue };
        out.extend(entity.mentions.iter().map(|m| placed(m, geo)));
    }
    for place in &record.places {
        let span = SpanView {
            start: place.start,
            end: place.end,
        };
        out.push(placed(&span, &place.geo));
    }
    Ok(out)
}

/// The character range of a toponym: its offsets, or where they are off, the nearest
/// occurrence of its phrase.
fn locate(text: &[char], toponym: &Toponym) -> (usize, usize) {
    let phrase: Vec<char> = toponym.phrase.chars().collect();
    let at_offsets = text.get(toponym.start..toponym.end);
    if phrase.is_empty() || at_offsets == Some(&phrase[..]) {
        return (toponym.start, toponym.end);
    }
    let nearest = text
        .windows(phrase.len())
        .enumerate()
        .filter(|(_, w)| *w == &phrase[..])
        .map(|(i, _)| i)
        .min_by_key(|&i| i.abs_diff(toponym.start));
    nearest.map_or((toponym.start, toponym.end), |i| (i, i + phrase.len()))
}

impl GeoReport {
    /// Adds one article's scores.
    fn add(&mut self, article: &Article, places: &[Placed]) {
        self.documents += 1;
        let text: Vec<char> = article.text.chars().collect();
        for toponym in &article.toponyms {
            let Some(entry) = &toponym.entry else {
                self.unannotated += 1;
                continue;
            };
            self.gold += 1;
            let (start, end) = locate(&text, toponym);
            let Some(placed) = places.iter().find(|p| p.start < end && start < p.end) else {
                continue;
            };
            self.found += 1;
            let km = distance_km((placed.geo.lat, placed.geo.lon), (entry.lat, entry.lon));
            let same = placed.geo.id == format!("geonames:{}", entry.geonameid);
            self.same_entry += usize::from(same);
            self.errors_km.push(km);
            if km <= THRESHOLD_KM {
                self.within += 1;
            } else {
                let resolved = format!(
                    "{} ({})",
                    placed.geo.name,
                    placed.geo.country.as_deref().unwrap_or("-")
                );
                let gold = format!("{} ({})", entry.name, entry.country);
                *self.confusions.entry((gold, resolved)).or_default() += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<articles>
    <article docid="1">
        <title>T</title>
        <url> http://example.ca/a </url>
        <domain>example.ca</domain>
        <text><![CDATA[Snow in London, Ontario and on Main Street.]]></text>
        <toponyms>
            <toponym>
                <phrase>London</phrase>
                <start>8</start>
                <end>14</end>
                <gaztag geonameid="6058560">
                    <name>London</name>
                    <fclass>P</fclass>
                    <fcode>PPL</fcode>
                    <lat>42.98339</lat>
                    <lon>-81.23304</lon>
                    <country geonameid="6251999">Canada</country>
                </gaztag>
            </toponym>
            <toponym>
                <phrase>Main Street</phrase>
                <start>33</start>
                <end>44</end>
            </toponym>
        </toponyms>
    </article>
</articles>"#;

    #[test]
    fn parses_articles_and_toponyms() {
        let articles = parse(SAMPLE).unwrap();
        assert_eq!(articles.len(), 1);
        let a = &articles[0];
        assert_eq!(
            (a.url.as_str(), a.domain.as_str()),
            ("http://example.ca/a", "example.ca")
        );
        assert_eq!(a.toponyms.len(), 2);
        let entry = a.toponyms[0].entry.as_ref().unwrap();
        assert_eq!(
            (entry.geonameid, entry.country.as_str()),
            (6058560, "Canada")
        );
        assert!(a.toponyms[1].entry.is_none());
        assert!(parse("<articles/>").is_err());
    }

    #[test]
    fn misplaced_offsets_find_the_nearest_phrase() {
        let text: Vec<char> = "London and London".chars().collect();
        let off = Toponym {
            start: 10,
            end: 16,
            phrase: "London".into(),
            entry: None,
        };
        assert_eq!(locate(&text, &off), (11, 17));
    }

    #[test]
    fn scores_found_distance_and_same_entry() {
        let article = &parse(SAMPLE).unwrap()[0];
        let geo = |id: &str, lat: f64, lon: f64| GeoView {
            id: id.into(),
            name: "London".into(),
            country: Some("GB".into()),
            lat,
            lon,
        };
        let mut wrong = GeoReport::default();
        wrong.add(
            article,
            &[Placed {
                start: 8,
                end: 14,
                geo: geo("geonames:2643743", 51.5, -0.12),
            }],
        );
        assert_eq!(
            (wrong.gold, wrong.unannotated, wrong.found, wrong.within),
            (1, 1, 1, 0)
        );
        assert_eq!(wrong.confusions.values().sum::<usize>(), 1);
        let mut same = GeoReport::default();
        same.add(
            article,
            &[Placed {
                start: 8,
                end: 14,
                geo: geo("geonames:6058560", 60.0, -95.0),
            }],
        );
        assert_eq!((same.within, same.same_entry), (0, 1), "coordinates decide");
        assert!(same.median_error_km() > 1000.0);
        let mut missed = GeoReport::default();
        missed.add(article, &[]);
        assert_eq!((missed.found, missed.end_to_end()), (0, 0.0));
    }
}
