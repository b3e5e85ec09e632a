//! Which entities are places, and which gazetteer entries each could be.
//!
//! An entity's names — its canonical name, then the distinct texts of its mentions, until one
//! matches — are looked up in the gazetteer. What a match may count as depends on the type the
//! NER model gave:
//!
//! * a **LOC** entity may be any place, by its name or an alternate name, and a subdivision by
//!   an abbreviation written with periods ("B.C.", "Ky."; "M.D." is no Maryland);
//! * a **MISC** entity may be a country or continent by a demonym or adjective ("Ukrainian",
//!   "European"), or a place by name (news adjectives: "Texas barbecue");
//! * an **ORG** entity named exactly like a place may be the place speaking through its
//!   government ("Ottawa said", "Texas sued"), or a town the model mistook for an
//!   organisation; only countries count by their other names ("Britain"). A MISC or ORG entity
//!   that could be a town is often something else named after it ("Christmas", "English", a
//!   club), so the resolver asks the article to support such a town before choosing it;
//! * a **PERSON** entity is a place only in the position that shows it: after "Town," as in
//!   "Edmonton, Ky." (the model reads "Ky." as an initial).
//!
//! An acronym ("UN", "BA") may only be a country or continent: short capitals are rarely a
//! town's name in news, and often an organisation's. A name that ends in a building's or an
//! institution's word ("White House", "Heathrow Airport", "Xavier University") is no town, even
//! where a town bears it (White House, Tennessee; Casablanca's English name); a bare direction
//! ("Western", "South") is no place. A MISC compound of one place and lowercase words
//! ("U.S.-led", "Seattle-based", "mid-Ohio") is that place, as a demonym is its country.
//!
//! **Qualifiers** narrow the candidates down the way a reader does: "Springfield, Illinois",
//! "Paris, Texas" and "Edmonton, Ky." name a place inside the subdivision or country after the
//! comma, so only the candidates it contains are kept — whether the model found the qualifier
//! as its own mention or the whole "Town, State" as one. One qualified mention decides for the
//! whole entity: an article's later mentions of "Springfield" mean the same Springfield. A
//! country before the comma makes a list, not a qualifier ("Russia, U.S. and Iran").
//! A look-up that finds nothing tries the usual spelled-out forms ("St." → "Saint", "Mt." →
//! "Mount", "Co." → "County").

use super::gazetteer::{
    abbreviation_key, fold, spelled_out, Feature, Gazetteer, NameKind, PlaceId,
};
use crate::ner::EntityType;
use crate::pipeline::doc::Entity;
use crate::pipeline::{Doc, Span};
use crate::text::tokens::{Token, TokenKind};
use crate::text::words::is_one_of;

/// A possible place of an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    /// The gazetteer entry.
    pub place: PlaceId,
    /// How the entity's best-matching name names it.
    pub kind: NameKind,
}

/// An entity that may be a place, with its candidates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Index into `Doc::entities`; `None` for the places the geo stage found in the text itself.
    pub entity: Option<usize>,
    /// The entity's type, or LOC when the place is part of a MISC compound ("Seattle-based").
    pub kind: EntityType,
    /// How many mentions it has (its weight in the article's context).
    pub mentions: usize,
    /// The entries it could be (never empty).
    pub candidates: Vec<Candidate>,
    /// Whether a "Town, State" qualifier narrowed the candidates down.
    pub qualified: bool,
}

/// The most words a qualifier after a comma may have ("New South Wales").
const QUALIFIER_WORDS: usize = 3;

/// The entities of `doc` that match gazetteer entries, with their candidates.
pub fn targets(doc: &Doc, gazetteer: &Gazetteer) -> Vec<Target> {
    let qualifiers: Vec<(Span, Vec<PlaceId>)> = doc
        .entities
        .iter()
        .flat_map(|e| e.mentions.iter())
        .filter_map(|&m| qualifier_after(&doc.text, &doc.tokens, m, gazetteer))
        .collect();
    doc.entities
        .iter()
        .enumerate()
        .filter_map(|(i, entity)| target(doc, gazetteer, i, entity, &qualifiers))
        .collect()
}

/// The candidates of one entity, narrowed down by any qualifier that follows one of its
/// mentions.
fn target(
    doc: &Doc,
    gazetteer: &Gazetteer,
    index: usize,
    entity: &Entity,
    qualifiers: &[(Span, Vec<PlaceId>)],
) -> Option<Target> {
    let as_qualifier = qualifiers
        .iter()
        .find(|(span, _)| entity.mentions.iter().any(|m| m == span));
    let mut candidates = Vec::new();
    let mut within: Option<Vec<PlaceId>> = None;
    let mut kind = entity.kind;
    if let Some((_, places)) = as_qualifier {
        for &place in places {
            add(&mut candidates, place, NameKind::Name);
        }
    } else if entity.kind != EntityType::Person {
        let names = std::iter::once(entity.name.as_str())
            .chain(entity.mentions.iter().map(|m| m.text(&doc.text)));
        let mut tried: Vec<&str> = Vec::new();
        for name in names {
            if tried.contains(&name) {
                continue;
            }
            tried.push(name);
            within = within.or_else(|| comma_qualifier(name, gazetteer));
            if candidates.is_empty() && !names_a_building(name) {
                look_up(gazetteer, entity.kind, name, &mut candidates);
            }
        }
        if candidates.is_empty() && entity.kind == EntityType::Misc {
            if let Some(place) = compound_place(&entity.name) {
                look_up(gazetteer, EntityType::Loc, place, &mut candidates);
                kind = EntityType::Loc;
            }
        }
        for mention in &entity.mentions {
            within = within.or_else(|| {
                let after = qualifiers
                    .iter()
                    .find(|(span, _)| follows(&doc.text, *mention, *span));
                after.map(|(_, places)| places.clone())
            });
        }
    }
    let qualified = within.is_some_and(|w| within_qualifier(gazetteer, &mut candidates, &w));
    (!candidates.is_empty()).then_some(Target {
        entity: Some(index),
        kind,
        mentions: entity.mentions.len(),
        candidates,
        qualified,
    })
}

/// Narrows `candidates` down to those inside `within` (the places a qualifier names), unless a
/// candidate is a country or continent (a list, "Russia, U.S. and Iran") or none lies inside;
/// whether it narrowed them.
pub(super) fn within_qualifier(
    gazetteer: &Gazetteer,
    candidates: &mut Vec<Candidate>,
    within: &[PlaceId],
) -> bool {
    let names_an_area = candidates
        .iter()
        .any(|c| gazetteer.feature(c.place) <= Feature::Country);
    if names_an_area {
        return false;
    }
    let inside: Vec<Candidate> = candidates
        .iter()
        .copied()
        .filter(|c| contained(gazetteer, c.place, within))
        .collect();
    if inside.is_empty() {
        return false;
    }
    *candidates = inside;
    true
}

/// Words that end the name of a building or an institution, not of a town: "White House",
/// "St. Mark's Cathedral", "Heathrow Airport" (even where a town bears the same name).
const BUILDINGS: [&str; 17] = [
    "airport",
    "building",
    "castle",
    "cathedral",
    "church",
    "college",
    "embassy",
    "hall",
    "hospital",
    "house",
    "mosque",
    "museum",
    "office",
    "palace",
    "stadium",
    "tower",
    "university",
];

/// Words that name a direction, not a place, when a name has nothing else ("Western",
/// "South", "North East").
const COMPASS: [&str; 9] = [
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
];

/// Whether `name` names a building or an institution by its last word.
fn names_a_building(name: &str) -> bool {
    name.split_whitespace()
        .last()
        .is_some_and(|word| is_one_of(word, &BUILDINGS))
}

/// The place inside a MISC compound of one capitalised part and lowercase words: "U.S.-led",
/// "Seattle-based", "Canada-wide", "mid-Ohio", "made-in-China" speak of the place as a demonym
/// does. "Russia-Ukraine" names two places, so none.
fn compound_place(name: &str) -> Option<&str> {
    if !name.contains('-') {
        return None;
    }
    let mut place = None;
    for part in name.split('-') {
        if part.starts_with(char::is_uppercase) {
            if place.replace(part).is_some() {
                return None;
            }
        } else if part.is_empty() || !part.chars().all(char::is_lowercase) {
            return None;
        }
    }
    place
}

/// Adds the entries `name` may stand for, for an entity of type `kind`.
pub(super) fn look_up(
    gazetteer: &Gazetteer,
    kind: EntityType,
    name: &str,
    out: &mut Vec<Candidate>,
) {
    if name
        .split_whitespace()
        .all(|word| is_one_of(word, &COMPASS))
    {
        return;
    }
    let head = name.rsplit_once(',').map_or(name, |(head, _)| head);
    let texts = if head == name {
        &[name][..]
    } else {
        &[name, head][..]
    };
    for text in texts {
        if text.contains('.') && matches!(kind, EntityType::Loc | EntityType::Misc) {
            for (place, name_kind) in gazetteer.lookup(&abbreviation_key(text)) {
                if name_kind == NameKind::Abbreviation {
                    add(out, place, name_kind);
                }
            }
            if !out.is_empty() {
                return;
            }
        }
        let key = fold(text);
        if !gazetteer.reach(&key).key {
            // Neither the key nor a spelled-out form of it is in the index.
            continue;
        }
        for variant in std::iter::once(key.clone()).chain(spelled_out(&key)) {
            for (place, name_kind) in gazetteer.lookup(&variant) {
                if allowed(kind, name_kind, gazetteer.feature(place), is_acronym(text)) {
                    add(out, place, name_kind);
                }
            }
            if !out.is_empty() {
                return;
            }
        }
    }
}

/// Whether an entity of type `kind` may be a place of `feature` through a name of `name_kind`
/// (see the module documentation; how much a MISC or ORG entity's town needs the article's
/// support is the resolver's business).
fn allowed(kind: EntityType, name_kind: NameKind, feature: Feature, acronym: bool) -> bool {
    if acronym && feature > Feature::Country {
        return false;
    }
    match name_kind {
        NameKind::Demonym => matches!(kind, EntityType::Misc | EntityType::Loc),
        NameKind::Abbreviation | NameKind::Code => false,
        NameKind::Name => kind != EntityType::Person,
        NameKind::Alternate => match kind {
            EntityType::Loc | EntityType::Misc => true,
            EntityType::Org => feature <= Feature::Country,
            EntityType::Person => false,
        },
    }
}

/// Whether `name` is written as an acronym: two to four capitals, with or without periods.
fn is_acronym(name: &str) -> bool {
    let letters = name.chars().filter(|c| *c != '.');
    let count = letters.clone().count();
    (2..=4).contains(&count) && letters.clone().all(|c| c.is_uppercase())
}

/// Adds `place` unless it is there; a stronger kind of name replaces a weaker one.
fn add(out: &mut Vec<Candidate>, place: PlaceId, kind: NameKind) {
    match out.iter_mut().find(|c| c.place == place) {
        Some(c) if strength(kind) > strength(c.kind) => c.kind = kind,
        Some(_) => {}
        None => out.push(Candidate { place, kind }),
    }
}

fn strength(kind: NameKind) -> u8 {
    match kind {
        NameKind::Name => 3,
        NameKind::Alternate => 2,
        NameKind::Demonym | NameKind::Abbreviation | NameKind::Code => 1,
    }
}

/// For a name written "Town, Qualifier", the subdivisions or countries the qualifier names.
fn comma_qualifier(name: &str, gazetteer: &Gazetteer) -> Option<Vec<PlaceId>> {
    let (_, qualifier) = name.rsplit_once(',')?;
    let places = containers(gazetteer, qualifier.trim());
    (!places.is_empty()).then_some(places)
}

/// The countries and first-level subdivisions called `name`: by abbreviation when it is
/// written with periods ("Ky.", or "Ont" whose period ended the sentence), else by name or
/// code ("Kentucky", "KY").
fn containers(gazetteer: &Gazetteer, name: &str) -> Vec<PlaceId> {
    let dotted = if name.contains('.') {
        abbreviation_key(name)
    } else {
        abbreviation_key(&format!("{name}."))
    };
    let abbreviated = gazetteer
        .lookup(&dotted)
        .filter(|&(_, kind)| kind == NameKind::Abbreviation);
    let named = gazetteer.lookup(&fold(name)).filter(|&(_, kind)| {
        !name.contains('.') && matches!(kind, NameKind::Name | NameKind::Alternate | NameKind::Code)
    });
    abbreviated
        .chain(named)
        .map(|(place, _)| place)
        .filter(|&place| matches!(gazetteer.feature(place), Feature::Country | Feature::Admin1))
        .collect()
}

/// The qualifier right after the mention `span`: ", " and up to three capitalised words that
/// name a country or first-level subdivision ("Ky.", "New South Wales"), longest first.
pub(super) fn qualifier_after(
    text: &str,
    tokens: &[Token],
    span: Span,
    gazetteer: &Gazetteer,
) -> Option<(Span, Vec<PlaceId>)> {
    let comma = tokens.partition_point(|t| t.start < span.end);
    if tokens.get(comma)?.text(text) != "," {
        return None;
    }
    let first = comma + 1;
    let words = tokens[first.min(tokens.len())..]
        .iter()
        .take(QUALIFIER_WORDS)
        .take_while(|t| t.kind == TokenKind::Word)
        .count();
    if !tokens
        .get(first)?
        .text(text)
        .starts_with(char::is_uppercase)
    {
        return None;
    }
    (1..=words).rev().find_map(|n| {
        let qualifier = Span::new(tokens[first].start, tokens[first + n - 1].end);
        let places = containers(gazetteer, qualifier.text(text));
        (!places.is_empty()).then_some((qualifier, places))
    })
}

/// Whether `qualifier` comes right after `mention`, past a comma.
fn follows(text: &str, mention: Span, qualifier: Span) -> bool {
    qualifier.start > mention.end
        && text
            .get(mention.end..qualifier.start)
            .is_some_and(|between| between.trim() == ",")
}

/// Whether `place` lies in one of `within` (a country or a first-level subdivision).
fn contained(gazetteer: &Gazetteer, place: PlaceId, within: &[PlaceId]) -> bool {
    let inner = gazetteer.place(place);
    within.iter().any(|&outer| {
        let outer = gazetteer.place(outer);
        outer.id != inner.id
            && match outer.feature {
                Feature::Country => inner.country == outer.country,
                Feature::Admin1 => inner.admin1 == Some(outer.id),
                _ => false,
            }
    })
}
