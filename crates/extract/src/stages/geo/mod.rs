//! Geo: puts every place entity on the map — a GeoNames (or ISO 3166-2) entry with its
//! country, first-level subdivision, coordinates and population — and sums the article's
//! places up by country.
//!
//! A string typed LOC says little: two records that mention "Georgia" (the country and the US
//! state) or "Alexandria" (Egypt, Virginia, Louisiana) cannot be told apart or joined. This
//! stage makes places identities, in three steps, a module each:
//!
//! 1. **The gazetteer** (`gazetteer`): 243,000 places — continents, countries, first- and
//!    second-level subdivisions (US counties among them), every populated place of 500
//!    inhabitants or more — and 346,000
//!    names (alternate names, demonyms, state abbreviations), embedded as it is, its look-up
//!    table built once per process.
//! 2. **Candidates** (`candidates`): the entities that may be places, by their type and names,
//!    narrowed by "Town, State" qualifiers.
//! 3. **Spots** (`spotting`, `dateline`): the places the NER model missed, found by the
//!    gazetteer itself in the text — capitalised names in context ("in Metcalfe County"),
//!    places inside organisation names ("the Kentucky State Police"), a PERSON where only a
//!    place can stand ("in eastern Aleppo") — and the dateline ("LONDON (Reuters) -"), each
//!    with the evidence of its context. A spot of an entity's name joins that entity; the
//!    others are targets of their own.
//! 4. **Resolution** (`resolve`): one candidate per target, by feature and population priors,
//!    the outlet's country, and the article's other places (same country, same subdivision,
//!    nearby towns).
//!
//! The result is one [`Geo`] per entity (`None` for entities that are no known place) in
//! `Doc::geo`; the spots' places in `Doc::places` (their confidence scaled by their evidence)
//! and the dateline in `Doc::dateline`; and `Doc::countries`: each country's mentions,
//! counting every mention of an entity resolved to the country or to a place in it
//! ("Ukrainian" counts for Ukraine) and every spot's place, most mentioned first. One entity has one place: the article's later mentions of "Springfield"
//! follow its first resolution. Metonymy is still the place: "Washington said" is Washington,
//! D.C., whatever the government it stands for.

mod candidates;
mod dateline;
pub mod gazetteer;
mod resolve;
mod spotting;

use std::collections::HashMap;

use crate::ner::EntityType;
use crate::pipeline::doc::{CountryMentions, Dateline, Geo, PlaceMention};
use crate::pipeline::{Doc, Stage, StageError};
use candidates::Target;
use gazetteer::{fold, Feature, Gazetteer, Place};
use resolve::Choice;
use spotting::Spot;

/// Resolves `doc.entities` to places and finds the places they miss: fills `doc.geo`,
/// `doc.places`, `doc.dateline` and `doc.countries`.
#[derive(Debug, Clone, Copy)]
pub struct GeoStage {
    gazetteer: &'static Gazetteer,
}

impl GeoStage {
    /// The stage with the built-in gazetteer (its look-up table built now, once per process).
    pub fn new() -> Self {
        GeoStage {
            gazetteer: Gazetteer::built_in(),
        }
    }
}

impl Default for GeoStage {
    fn default() -> Self {
        GeoStage::new()
    }
}

impl Stage for GeoStage {
    fn name(&self) -> &'static str {
        "geo"
    }

    fn english_only(&self) -> bool {
        true
    }

    fn run(&self, doc: &mut Doc) -> Result<(), StageError> {
        let mut targets = candidates::targets(doc, self.gazetteer);
        let mut is_place = vec![false; doc.entities.len()];
        for entity in targets.iter().filter_map(|t| t.entity) {
            is_place[entity] = true;
        }
        let found = dateline::find(doc, self.gazetteer);
        let mut spots = spotting::spots(doc, self.gazetteer, &is_place);
        if let Some((spot, span)) = &found {
            spots.retain(|s| s.span.end <= span.start || s.span.start >= span.end);
            spots.insert(0, spot.clone());
        }
        let of_spot = join_spots(doc, &mut targets, &spots);
        let outlet = outlet_country(doc.article.url.as_deref(), doc.article.outlet.as_deref());
        let choices = resolve::resolve(&targets, self.gazetteer, outlet.as_deref());
        doc.geo = vec![None; doc.entities.len()];
        for (target, choice) in targets.iter().zip(&choices) {
            if let (Some(entity), Some(choice)) = (target.entity, choice) {
                doc.geo[entity] = Some(self.geo(*choice));
            }
        }
        doc.places = spots
            .iter()
            .zip(of_spot)
            .filter_map(|(spot, t)| {
                let mut geo = self.geo(choices[t]?);
                geo.confidence = (geo.confidence * spot.evidence() * 1000.0).round() / 1000.0;
                Some(PlaceMention {
                    span: spot.span,
                    source: spot.source,
                    geo,
                })
            })
            .collect();
        doc.places.sort_by_key(|p| p.span.start);
        doc.dateline = found.map(|(spot, span)| Dateline {
            span,
            geo: doc
                .places
                .iter()
                .find(|p| p.span == spot.span)
                .map(|p| p.geo.clone()),
        });
        doc.countries = countries(doc);
        Ok(())
    }
}

/// Joins each spot to the target of its place: the entity target one of whose names has the
/// spot's key ("Canada" in "Costco Canada" is the article's Canada), else one new target per
/// key for the spots alone; returns each spot's target index. A spot's mention counts in its
/// target's weight, and a strong or qualified spot makes its new target so.
fn join_spots(doc: &Doc, targets: &mut Vec<Target>, spots: &[Spot]) -> Vec<usize> {
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for (t, target) in targets.iter().enumerate() {
        let Some(entity) = target.entity.map(|e| &doc.entities[e]) else {
            continue;
        };
        let names = entity.mentions.iter().map(|m| m.text(&doc.text));
        for name in std::iter::once(entity.name.as_str()).chain(names) {
            by_key.entry(fold(name)).or_insert(t);
        }
    }
    let mut of_spot = Vec::with_capacity(spots.len());
    for spot in spots {
        let t = *by_key.entry(spot.key.clone()).or_insert_with(|| {
            targets.push(Target {
                entity: None,
                kind: EntityType::Misc,
                mentions: 0,
                candidates: spot.candidates.clone(),
                qualified: false,
            });
            targets.len() - 1
        });
        let target = &mut targets[t];
        target.mentions += 1;
        if target.entity.is_none() {
            if spot.kind() == EntityType::Loc {
                target.kind = EntityType::Loc;
            }
            if spot.qualified && !target.qualified {
                target.candidates = spot.candidates.clone();
                target.qualified = true;
            }
        }
        of_spot.push(t);
    }
    of_spot
}

impl GeoStage {
    /// The record's view of a chosen entry.
    fn geo(&self, choice: Choice) -> Geo {
        let place = self.gazetteer.place(choice.place);
        let admin1 = match place.feature {
            Feature::Admin1 => Some(place.code),
            _ => place.admin1.map(|a| self.gazetteer.place(a).code),
        };
        Geo {
            id: identifier(&place),
            wikidata: place.wikidata.map(|q| format!("Q{q}")),
            name: place.name.to_string(),
            feature: place.feature.as_str(),
            country: (!place.country.is_empty()).then(|| place.country.to_string()),
            admin1: admin1.filter(|c| !c.is_empty()).map(String::from),
            lat: place.lat,
            lon: place.lon,
            population: place.population,
            confidence: (choice.confidence * 1000.0).round() / 1000.0,
        }
    }
}

/// `geonames:<id>`, else `fips:<code>` (a US county, whose code is its five FIPS digits) or
/// `iso3166-2:<code>` (a subdivision from the countries/states database).
fn identifier(place: &Place) -> String {
    match place.geonames {
        Some(id) => format!("geonames:{id}"),
        None if place.code.bytes().all(|b| b.is_ascii_digit()) => format!("fips:{}", place.code),
        None => format!("iso3166-2:{}", place.code),
    }
}

/// Mentions per country over the resolved entities and the places found outside them, most
/// mentioned first (then by code).
fn countries(doc: &Doc) -> Vec<CountryMentions> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for (entity, geo) in doc.entities.iter().zip(&doc.geo) {
        if let Some(country) = geo.as_ref().and_then(|g| g.country.as_deref()) {
            *counts.entry(country).or_default() += entity.mentions.len();
        }
    }
    for place in &doc.places {
        if let Some(country) = place.geo.country.as_deref() {
            *counts.entry(country).or_default() += 1;
        }
    }
    let mut out: Vec<CountryMentions> = counts
        .into_iter()
        .map(|(code, mentions)| CountryMentions {
            code: code.to_string(),
            mentions,
        })
        .collect();
    out.sort_by(|a, b| {
        b.mentions
            .cmp(&a.mentions)
            .then_with(|| a.code.cmp(&b.code))
    });
    out
}

/// The country of the outlet: the country-code top-level domain of the URL's host (or of the
/// outlet, when it is a domain name), `uk` read as GB. Domains sold for other uses than their
/// country's (`.tv`, `.io`, `.co`, …) say nothing.
fn outlet_country(url: Option<&str>, outlet: Option<&str>) -> Option<String> {
    const GENERIC: [&str; 12] = [
        "ai", "cc", "co", "fm", "io", "ly", "me", "nu", "tk", "to", "tv", "ws",
    ];
    let host = |s: &str| {
        let rest = s.split_once("://").map_or(s, |(_, rest)| rest);
        rest.split(['/', ':', '?', '#'])
            .next()
            .unwrap_or("")
            .to_string()
    };
    let domain = url.map(host).filter(|h| h.contains('.')).or_else(|| {
        outlet
            .map(host)
            .filter(|h| h.contains('.') && !h.contains(' '))
    })?;
    let tld = domain
        .trim_end_matches('.')
        .rsplit('.')
        .next()?
        .to_ascii_lowercase();
    if tld.len() != 2 || !tld.bytes().all(|b| b.is_ascii_lowercase()) || GENERIC.contains(&&*tld) {
        return None;
    }
    Some(if tld == "uk" {
        "GB".into()
    } else {
        tld.to_ascii_uppercase()
    })
}

#[cfg(test)]
mod tests;
