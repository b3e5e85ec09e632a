//! Describing an entity once its mentions are grouped: its name and its type.
//!
//! The entity's **type** is the table's type for a known name; else ORG where a noun such as
//! "firm" or "network" stands right before one of its mentions or heads an apposition right
//! after one ("Veltron, the chipmaker based in …"), and no person's title or honorific stands
//! before any (see [`super::cues`]); else the type of most of its mentions (ties: the
//! type of its longest form). Its **name** is the table's name for a known
//! name; else its acronym when the acronym is more than half of its mentions ("NATO"); else
//! its most complete form — the one with most words, ties: the first — as most often written.
//! Nationality adjectives ("Ukrainian") stay MISC entities of their own.

use std::collections::HashMap;

use super::acronyms::is_acronym;
use super::cues::{cue_after, cue_before, Cue};
use super::forms::Form;
use super::salience::{contains_words, salience, title_words};
use super::Context;
use crate::ner::EntityType;
use crate::pipeline::doc::{Entity, Mention};

/// Builds the entities from the mention → group assignment.
pub(super) fn build_entities(
    context: &Context,
    mentions: &[Mention],
    forms: &[Form],
    form_of: &[usize],
    group_of: &[usize],
) -> Vec<Entity> {
    let mut order: Vec<usize> = Vec::new();
    let mut members: HashMap<usize, Vec<usize>> = HashMap::new();
    for (m, &g) in group_of.iter().enumerate() {
        members
            .entry(g)
            .or_insert_with(|| {
                order.push(g);
                Vec::new()
            })
            .push(m);
    }
    let title = title_words(context.title);
    let max_count = members.values().map(Vec::len).max().unwrap_or(1);
    let mut entities: Vec<Entity> = Vec::with_capacity(order.len());
    for g in order {
        let group = &members[&g];
        let mut group_forms: Vec<usize> = group.iter().map(|&m| form_of[m]).collect();
        group_forms.sort_unstable();
        group_forms.dedup();
        let known = group_forms.iter().find_map(|&f| forms[f].known);
        let name = known.map_or_else(
            || canonical_name(context.text, mentions, forms, group, &group_forms),
            |k| k.name.to_string(),
        );
        let kind = known.map_or_else(
            || entity_kind(context, mentions, forms, group, &group_forms),
            |k| k.kind,
        );
        let first = mentions[group[0]].span.start;
        let in_title = group_forms
            .iter()
            .any(|&f| contains_words(&title, &forms[f].words));
        let salience = salience(
            group.len(),
            max_count,
            first,
            context.text.len(),
            in_title,
            first < context.lede_end,
        );
        entities.push(Entity {
            name,
            kind,
            mentions: group.iter().map(|&m| mentions[m].span).collect(),
            roles: Vec::new(),
            salience,
        });
    }
    entities
}

/// The name of a group without a table entry (see the module doc).
fn canonical_name(
    text: &str,
    mentions: &[Mention],
    forms: &[Form],
    group: &[usize],
    group_forms: &[usize],
) -> String {
    let surface = |m: usize| mentions[m].span.text(text);
    let acronyms = group.iter().filter(|&&m| is_acronym(surface(m))).count();
    let chosen = if acronyms * 2 > group.len() {
        most_frequent(group.iter().map(|&m| surface(m)).filter(|s| is_acronym(s)))
    } else {
        let longest = group_forms
            .iter()
            .copied()
            .max_by_key(|&f| {
                (
                    forms[f].words.len(),
                    std::cmp::Reverse(forms[f].mentions[0]),
                )
            })
            .unwrap_or(group_forms[0]);
        most_frequent(forms[longest].mentions.iter().map(|&m| surface(m)))
    };
    collapse_spaces(chosen)
}

/// The most frequent string (ties: the first seen).
fn most_frequent<'a>(items: impl Iterator<Item = &'a str>) -> &'a str {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for item in items {
        match counts.iter_mut().find(|(s, _)| *s == item) {
            Some((_, n)) => *n += 1,
            None => counts.push((item, 1)),
        }
    }
    let best = counts.iter().map(|(_, n)| *n).max().unwrap_or(0);
    counts
        .into_iter()
        .find(|(_, n)| *n == best)
        .map_or("", |(s, _)| s)
}

/// `s` with every run of whitespace made one space.
fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// ORG where the words before its mentions say so (see the module doc); else the type most
/// mentions got, ties: the type of the longest form (most words, then first).
fn entity_kind(
    context: &Context,
    mentions: &[Mention],
    forms: &[Form],
    group: &[usize],
    group_forms: &[usize],
) -> EntityType {
    let cues: Vec<Cue> = group
        .iter()
        .flat_map(|&m| {
            let mention = &mentions[m];
            [
                cue_before(context.text, context.tokens, mention),
                cue_after(context.text, context.tokens, mention),
            ]
        })
        .flatten()
        .collect();
    if cues.contains(&Cue::Organisation) && !cues.contains(&Cue::Person) {
        return EntityType::Org;
    }
    let mut counts = [0usize; 4];
    for &m in group {
        counts[mentions[m].kind.index()] += 1;
    }
    let best = counts.iter().copied().max().unwrap_or(0);
    let tied: Vec<EntityType> = EntityType::ALL
        .into_iter()
        .filter(|k| counts[k.index()] == best)
        .collect();
    if let [only] = tied.as_slice() {
        return *only;
    }
    let longest = group_forms
        .iter()
        .copied()
        .filter(|&f| tied.contains(&forms[f].kind()))
        .max_by_key(|&f| {
            (
                forms[f].words.len(),
                std::cmp::Reverse(forms[f].mentions[0]),
            )
        });
    longest.map_or(tied[0], |f| forms[f].kind())
}
