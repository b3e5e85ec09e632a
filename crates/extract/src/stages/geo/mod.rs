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
//! 3. **Resolution** (`resolve`): one candidate per entity, by feature and population priors,
//!    the outlet's country, and the article's other places (same country, same subdivision,
//!    nearby towns).
//!
//! The result is one [`Geo`] per entity (`None` for entities that are no known place) in
//! `Doc::geo`, and `Doc::countries`: each country's mentions, counting every mention of an
//! entity resolved to the country or to a place in it ("Ukrainian" counts for Ukraine), most
//! mentioned first. One entity has one place: the article's later mentions of "Springfield"
//! follow its first resolution. Metonymy is still the place: "Washington said" is Washington,
//! D.C., whatever the government it stands for.

mod candidates;
pub mod gazetteer;
mod resolve;

use std::collections::HashMap;

use crate::pipeline::doc::{CountryMentions, Geo};
use crate::pipeline::{Doc, Stage, StageError};
use gazetteer::{Feature, Gazetteer, Place};
use resolve::Choice;

/// Resolves `doc.entities` to places: fills `doc.geo` and `doc.countries`.
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
        let targets = candidates::targets(doc, self.gazetteer);
        let outlet = outlet_country(doc.article.url.as_deref(), doc.article.outlet.as_deref());
        let choices = resolve::resolve(&targets, self.gazetteer, outlet.as_deref());
        doc.geo = vec![None; doc.entities.len()];
        for (target, choice) in targets.iter().zip(choices) {
            if let Some(choice) = choice {
                doc.geo[target.entity] = Some(self.geo(choice));
            }
        }
        doc.countries = countries(doc);
        Ok(())
    }
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

/// Mentions per country over the resolved entities, most mentioned first (then by code).
fn countries(doc: &Doc) -> Vec<CountryMentions> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for (entity, geo) in doc.entities.iter().zip(&doc.geo) {
        if let Some(country) = geo.as_ref().and_then(|g| g.country.as_deref()) {
            *counts.entry(country).or_default() += entity.mentions.len();
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
