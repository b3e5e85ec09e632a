//! Choosing one place per entity among its candidates, the way a careful reader does.
//!
//! Each candidate gets a score, in points, from what is known of the place alone and from the
//! rest of the article:
//!
//! * **priors** — continents and countries first, then first-level subdivisions, then
//!   populated places by the logarithm of their population, national capitals with a bonus
//!   (Paris is the capital before it is a town in Texas); a place's own name counts a little
//!   more than an alternate name;
//! * **the outlet** — the country of the envelope's URL (its country-code top-level domain), a
//!   weak prior: a Canadian site's "London" leans to Ontario, but not far;
//! * **the article's other places** — the share of the article's place mentions that lie in the
//!   candidate's country; the subdivision the others lie in (an article about Louisiana puts
//!   "Alexandria" in Louisiana, and "Atlanta" makes "Georgia" the state); and nearness: a
//!   town within 50 km (or 200 km) of another place of the article, as local news is local.
//!
//! A MISC or ORG entity's town starts with a penalty: it is often something named after the
//! town (and so does a subdivision found in the text on weak evidence). The first pass scores priors and the outlet only; two more passes score each entity
//! again against the others' current choices (never against its own, which would only confirm
//! itself). Only choices that score [`MIN_SCORE`] support others, so two doubtful villages
//! cannot vouch for each other (Heathrow and Christmas, Florida, in a London story). An
//! entity's confidence is its chosen candidate's share of the candidates' softmax weights. A
//! choice below [`MIN_SCORE`] — a village no other place supports — is left unresolved, unless
//! a "Town, State" qualifier chose it.

use std::collections::HashMap;

use super::candidates::Target;
use super::gazetteer::{distance_km, Feature, Gazetteer, NameKind, Place, PlaceId};
use crate::ner::EntityType;

/// The resolution of one target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Choice {
    /// The chosen entry.
    pub place: PlaceId,
    /// Its share of the candidates' softmax weights, 0–1.
    pub confidence: f64,
}

/// Points of each kind of place before any context.
const CONTINENT_PRIOR: f64 = 9.5;
const COUNTRY_PRIOR: f64 = 9.0;
const ADMIN1_PRIOR: f64 = 6.5;
const ADMIN2_PRIOR: f64 = 4.0;
/// Bonus of a national capital over its population's points.
const CAPITAL_BONUS: f64 = 2.0;
/// Bonus of a place's own name over an alternate name.
const OWN_NAME_BONUS: f64 = 0.5;
/// Points a MISC or ORG entity's town loses (see [`doubt`]).
const NAMED_AFTER_PENALTY: f64 = 3.0;
/// Bonus of a place in the outlet's country.
const OUTLET_BONUS: f64 = 1.5;
/// Points for the share (0–1) of the article's other place mentions in the same country.
const COUNTRY_SHARE_WEIGHT: f64 = 3.0;
/// Points for lying in (or being) a subdivision the article's other places lie in.
const SAME_ADMIN1_BONUS: f64 = 2.5;
/// Points for lying near another place of the article.
const NEAR_BONUS: f64 = 2.0;
const NEAR_KM: f64 = 50.0;
const AROUND_BONUS: f64 = 1.0;
const AROUND_KM: f64 = 200.0;
/// The lowest score a choice needs, and a place needs to support others: a country, a
/// subdivision, a town of 30,000 inhabitants, or a smaller one the article supports.
pub const MIN_SCORE: f64 = 5.0;
/// The most points the article can give a candidate.
const MAX_SUPPORT: f64 = COUNTRY_SHARE_WEIGHT + SAME_ADMIN1_BONUS + NEAR_BONUS;
/// Passes that score against the other entities' choices.
const CONTEXT_PASSES: usize = 2;

/// One choice per target (in order), or `None` where no candidate scores [`MIN_SCORE`].
pub fn resolve(
    targets: &[Target],
    gazetteer: &Gazetteer,
    outlet_country: Option<&str>,
) -> Vec<Option<Choice>> {
    let (places, priors): (Vec<Vec<Place>>, Vec<Vec<f64>>) = targets
        .iter()
        .map(|t| contenders(t, gazetteer, outlet_country).into_iter().unzip())
        .unzip();
    let mut chosen: Vec<usize> = priors.iter().map(|scores| best(scores)).collect();
    let mut scores = priors.clone();
    for _ in 0..CONTEXT_PASSES {
        let supporting: Vec<bool> = targets
            .iter()
            .enumerate()
            .map(|(t, target)| target.qualified || scores[t][chosen[t]] >= MIN_SCORE)
            .collect();
        let context = Context::of(targets, &places, &chosen, &supporting);
        for (t, target) in targets.iter().enumerate() {
            let own = supporting[t].then_some(&places[t][chosen[t]]);
            for (c, place) in places[t].iter().enumerate() {
                scores[t][c] = priors[t][c] + context.support(place, t, own, target.mentions);
            }
        }
        chosen = scores.iter().map(|s| best(s)).collect();
    }
    scores
        .iter()
        .zip(&chosen)
        .zip(targets.iter().zip(&places))
        .map(|((s, &c), (target, places))| {
            (s[c] >= MIN_SCORE || target.qualified).then(|| Choice {
                place: places[c].id,
                confidence: softmax_share(s, c),
            })
        })
        .collect()
}

/// The candidates of a target that can still win, decoded once, with their priors: those
/// within [`MAX_SUPPORT`] points of the best prior (the article cannot lift the others past
/// it).
fn contenders<'g>(
    target: &Target,
    gazetteer: &'g Gazetteer,
    outlet_country: Option<&str>,
) -> Vec<(Place<'g>, f64)> {
    let mut places: Vec<(Place, f64)> = target
        .candidates
        .iter()
        .map(|c| {
            let place = gazetteer.place(c.place);
            let points = prior(&place, c.kind, outlet_country) - doubt(target, &place);
            (place, points)
        })
        .collect();
    let top = places
        .iter()
        .map(|(_, p)| *p)
        .fold(f64::NEG_INFINITY, f64::max);
    places.retain(|(_, p)| *p >= top - MAX_SUPPORT);
    places
}

/// The points a MISC or ORG entity's town loses: such a name is often something named after
/// the town (a club, a holiday, a language), so only the article's support makes it the town.
/// A place found in the text on weak evidence (a MISC spot) loses them for a subdivision too:
/// many subdivisions are named with common words ("Centre", "Lakes").
fn doubt(target: &Target, place: &Place) -> f64 {
    let doubtful = matches!(target.kind, EntityType::Misc | EntityType::Org);
    let weak_spot = target.entity.is_none() && target.kind == EntityType::Misc;
    let exposed = if weak_spot {
        place.feature > Feature::Country
    } else {
        !place.feature.is_area()
    };
    if doubtful && exposed && !target.qualified {
        NAMED_AFTER_PENALTY
    } else {
        0.0
    }
}

/// The points a place has on its own.
fn prior(place: &Place, kind: NameKind, outlet_country: Option<&str>) -> f64 {
    let feature = match place.feature {
        Feature::Continent => CONTINENT_PRIOR,
        Feature::Country => COUNTRY_PRIOR,
        Feature::Admin1 => ADMIN1_PRIOR,
        Feature::Admin2 => ADMIN2_PRIOR,
        Feature::City | Feature::Place => {
            let people = place.population.unwrap_or(1).max(1) as f64;
            people.log10() + if place.capital { CAPITAL_BONUS } else { 0.0 }
        }
    };
    let name = if kind == NameKind::Name {
        OWN_NAME_BONUS
    } else {
        0.0
    };
    let outlet = if outlet_country.is_some_and(|c| c == place.country) {
        OUTLET_BONUS
    } else {
        0.0
    };
    feature + name + outlet
}

/// The index of the highest score (the first on ties).
fn best(scores: &[f64]) -> usize {
    let mut best = 0;
    for (i, &s) in scores.iter().enumerate() {
        if s > scores[best] {
            best = i;
        }
    }
    best
}

/// The softmax weight of `scores[chosen]` among all, 0–1.
fn softmax_share(scores: &[f64], chosen: usize) -> f64 {
    let top = scores[chosen];
    let total: f64 = scores.iter().map(|s| (s - top).exp()).sum();
    1.0 / total
}

/// What the article's current choices say: mentions per country, per first-level subdivision,
/// and the points of its towns.
struct Context {
    /// Mentions of places per country code.
    countries: HashMap<String, f64>,
    /// All place mentions with a country.
    total: f64,
    /// Mentions of places per first-level subdivision (the subdivision itself or a place in it).
    admin1: HashMap<PlaceId, f64>,
    /// The chosen towns: (target, latitude, longitude).
    towns: Vec<(usize, f64, f64)>,
}

impl Context {
    fn of(
        targets: &[Target],
        places: &[Vec<Place>],
        chosen: &[usize],
        supporting: &[bool],
    ) -> Context {
        let mut context = Context {
            countries: HashMap::new(),
            total: 0.0,
            admin1: HashMap::new(),
            towns: Vec::new(),
        };
        for (t, target) in targets.iter().enumerate() {
            if !supporting[t] {
                continue;
            }
            let place = &places[t][chosen[t]];
            let weight = target.mentions as f64;
            if !place.country.is_empty() {
                *context
                    .countries
                    .entry(place.country.to_string())
                    .or_default() += weight;
                context.total += weight;
            }
            if let Some(admin1) = admin1_of(place) {
                *context.admin1.entry(admin1).or_default() += weight;
            }
            if !place.feature.is_area() {
                context.towns.push((t, place.lat, place.lon));
            }
        }
        context
    }

    /// The points the article's other places give `place`, a candidate of target `t` (with
    /// `mentions` mentions) whose current choice `own` is in the counts when it supports: the
    /// target's own mentions are taken out of them.
    fn support(&self, place: &Place, t: usize, own: Option<&Place>, mentions: usize) -> f64 {
        let weight = mentions as f64;
        let counted = |same: bool| if same { weight } else { 0.0 };
        let mut points = 0.0;
        if !place.country.is_empty() {
            let others = self.total - counted(own.is_some_and(|o| !o.country.is_empty()));
            let here = self.countries.get(place.country).copied().unwrap_or(0.0)
                - counted(own.is_some_and(|o| o.country == place.country));
            if others > 0.0 {
                points += COUNTRY_SHARE_WEIGHT * here / others;
            }
        }
        if let Some(admin1) = admin1_of(place) {
            let there = self.admin1.get(&admin1).copied().unwrap_or(0.0)
                - counted(own.is_some_and(|o| admin1_of(o) == Some(admin1)));
            if there > 0.0 {
                points += SAME_ADMIN1_BONUS;
            }
        }
        if !place.feature.is_area() {
            points += self.nearness(place, t);
        }
        points
    }

    /// The bonus for lying near another target's town.
    fn nearness(&self, place: &Place, t: usize) -> f64 {
        let nearest = self
            .towns
            .iter()
            .filter(|(other, _, _)| *other != t)
            .map(|&(_, lat, lon)| distance_km((place.lat, place.lon), (lat, lon)))
            .fold(f64::INFINITY, f64::min);
        if nearest <= NEAR_KM {
            NEAR_BONUS
        } else if nearest <= AROUND_KM {
            AROUND_BONUS
        } else {
            0.0
        }
    }
}

/// The first-level subdivision a place is or lies in.
fn admin1_of(place: &Place) -> Option<PlaceId> {
    if place.feature == Feature::Admin1 {
        Some(place.id)
    } else {
        place.admin1
    }
}
