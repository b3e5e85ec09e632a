//! The rules that join forms naming the same thing, applied in this order:
//!
//! 1. **Known aliases** from the built-in [`AliasTable`](super::aliases::AliasTable)
//!    (countries and major international bodies): "US", "America" and "United States" all
//!    mean United States. A form the model mostly tagged PERSON is not looked up, so "Jordan"
//!    the footballer stays a person.
//! 2. **Acronyms** and their expansions found in the article: an all-capitals form joins a
//!    multi-word form whose capitalised words give its letters; "of", "the", "and", "for" … may
//!    give a letter or not ("Department of Government Efficiency" → DOGE, "North Atlantic
//!    Treaty Organization" → NATO).
//! 3. **Clipped forms**: a name whose every word is the same word or a clipping of it, as
//!    party and company names are shortened ("Lib Dems" → "Liberal Democrats", "Con Ed" →
//!    "Consolidated Edison"): same word count, at least one word clipped to three letters or
//!    more by three letters or more (a plural -s kept; "South Africa" is no clipping of "South
//!    African"), never a person.
//! 4. **Spelling variants**: forms of the same type and word count whose words are equal or
//!    one or two edits apart relative to their length, with the same first letter
//!    ("Zelensky"/"Zelenskyy"; never "Iran"/"Iraq", never two different known countries).
//! 5. **Partial person names**: a surname, a first name, or any tail of the words of a full
//!    person's name ("Trump", "Donald", "A. Flournoy" → "Donald Trump", …) joins that person.
//!    A first name alone only joins a full name written before it. When a partial name fits
//!    two different people, each of its mentions goes to the one mentioned most recently
//!    before it, or — with none before — the one mentioned most often (ties: the one mentioned
//!    first). Two full names never join each other unless they are spelling variants, so
//!    "George Bush" and "George Clooney" stay apart.

use std::collections::HashMap;

use super::acronyms::{capitalise, initials_spell};
use super::forms::{plurality, Form, Groups};
use crate::ner::EntityType;
use crate::pipeline::doc::Mention;

/// Rule 1: forms that are aliases of the same table entry.
pub(super) fn join_known_names(forms: &[Form], groups: &mut Groups) {
    let mut first_of: HashMap<&str, usize> = HashMap::new();
    for (i, form) in forms.iter().enumerate() {
        if let Some(known) = form.known {
            let first = *first_of.entry(known.name).or_insert(i);
            groups.union(first, i);
        }
    }
}

/// Rule 2: acronyms and their expansions.
pub(super) fn join_acronyms(forms: &[Form], groups: &mut Groups) {
    let acronyms: Vec<(usize, Vec<char>)> = forms
        .iter()
        .enumerate()
        .filter(|(_, f)| f.acronym && f.words.len() == 1)
        .map(|(i, f)| (i, f.words[0].to_uppercase().chars().collect()))
        .collect();
    if acronyms.is_empty() {
        return;
    }
    for (i, long) in forms.iter().enumerate() {
        if long.words.len() < 2 || long.kind() == EntityType::Person {
            continue;
        }
        let capitalised: Vec<String> = long.words.iter().map(|w| capitalise(w)).collect();
        let words: Vec<&str> = capitalised.iter().map(String::as_str).collect();
        for (a, letters) in &acronyms {
            let short = &forms[*a];
            let compatible = match (short.known, long.known) {
                (Some(x), Some(y)) => x == y,
                (Some(_), None) => false,
                _ => true,
            };
            if compatible && initials_spell(letters, &words) {
                groups.union(*a, i);
            }
        }
    }
}

/// Rule 3: clipped forms of multi-word names.
pub(super) fn join_clippings(forms: &[Form], groups: &mut Groups) {
    let eligible = |f: &Form| f.words.len() > 1 && f.kind() != EntityType::Person;
    for (a, short) in forms.iter().enumerate().filter(|(_, f)| eligible(f)) {
        for (b, long) in forms.iter().enumerate().filter(|(_, f)| eligible(f)) {
            let same_length = a != b && short.words.len() == long.words.len();
            let known_apart = matches!((short.known, long.known), (Some(p), Some(q)) if p != q);
            if same_length && !known_apart && clips(&short.words, &long.words) {
                groups.union(a, b);
            }
        }
    }
}

/// Whether each word of `short` is the word of `long` or a clipping of it ("lib" of
/// "liberal", "dems" of "democrats"), with at least one clipping.
fn clips(short: &[String], long: &[String]) -> bool {
    let clipped = |s: &str, l: &str| {
        let stem = if l.ends_with('s') {
            s.strip_suffix('s').unwrap_or(s)
        } else {
            s
        };
        // A clipping drops a syllable or more: "Africa" is no clipping of "African", nor
        // "York" of "York-based".
        let rest = l.strip_prefix(stem).unwrap_or("");
        stem.chars().count() >= 3
            && l.starts_with(stem)
            && rest.chars().count() >= 3
            && rest.chars().all(char::is_alphabetic)
    };
    let mut any = false;
    for (s, l) in short.iter().zip(long) {
        if s != l {
            if !clipped(s, l) {
                return false;
            }
            any = true;
        }
    }
    any
}

/// Rule 4: spelling variants among the forms `eligible` accepts.
pub(super) fn join_variants(forms: &[Form], groups: &mut Groups, eligible: impl Fn(&Form) -> bool) {
    let mut buckets: HashMap<(usize, char, EntityType), Vec<usize>> = HashMap::new();
    for (i, form) in forms.iter().enumerate() {
        let first = form.words.first().and_then(|w| w.chars().next());
        if let (Some(first), true) = (first, eligible(form)) {
            buckets
                .entry((form.words.len(), first, form.kind()))
                .or_default()
                .push(i);
        }
    }
    for bucket in buckets.values() {
        for (n, &a) in bucket.iter().enumerate() {
            for &b in &bucket[n + 1..] {
                let (x, y) = (&forms[a], &forms[b]);
                let known_apart = matches!((x.known, y.known), (Some(p), Some(q)) if p != q);
                if !known_apart && x.words.iter().zip(&y.words).all(|(p, q)| similar(p, q)) {
                    groups.union(a, b);
                }
            }
        }
    }
}

/// Whether two folded words are the same name spelt differently: equal, or with the same
/// first letter and at most one edit (two from nine letters on); words under five letters
/// must be equal.
fn similar(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let shorter = a.len().min(b.len());
    if shorter < 5 || a.first() != b.first() {
        return false;
    }
    let allowed = if shorter < 9 { 1 } else { 2 };
    a.len().abs_diff(b.len()) <= allowed && edit_distance(&a, &b) <= allowed
}

/// Levenshtein distance.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

/// The partial names that fit several people, each with the forms of those people.
type Ambiguous = Vec<(usize, Vec<usize>)>;

/// Rule 5: partial person names join the full name they fit. Returns the partial forms that
/// fit several people, for per-mention assignment, and, by mention index, whether the
/// mention's form fitted anyone (such forms take no part in the last variant rule, so that
/// "Steve" of Steve Morgan and "Steven" of Steven Gerrard do not join the two men).
pub(super) fn join_partial_names(forms: &[Form], groups: &mut Groups) -> (Ambiguous, Vec<bool>) {
    let mut kinds: HashMap<usize, [usize; 4]> = HashMap::new();
    for (i, form) in forms.iter().enumerate() {
        let counts = kinds.entry(groups.find(i)).or_default();
        for (total, n) in counts.iter_mut().zip(form.kinds) {
            *total += n;
        }
    }
    let full: Vec<usize> = (0..forms.len())
        .filter(|&i| {
            let counts = kinds.get(&groups.find(i)).copied().unwrap_or_default();
            forms[i].words.len() > 1 && plurality(&counts) == Some(EntityType::Person)
        })
        .collect();
    let mut decisions = Vec::new();
    for (i, form) in forms.iter().enumerate() {
        if form.known.is_some() || !form.ever_person() {
            continue;
        }
        let mut people = fitting_people(forms, &full, form, |a, b| a == b);
        if people.is_empty() {
            people = fitting_people(forms, &full, form, similar);
        }
        let mut roots: Vec<usize> = people.iter().map(|&p| groups.find(p)).collect();
        roots.sort_unstable();
        roots.dedup();
        roots.retain(|&r| r != groups.find(i));
        decisions.push((i, roots, people));
    }
    let mention_count = forms.iter().map(|f| f.mentions.len()).sum();
    let mut placed = vec![false; mention_count];
    let mut ambiguous = Vec::new();
    for (i, roots, people) in decisions {
        if !people.is_empty() {
            for &m in &forms[i].mentions {
                placed[m] = true;
            }
        }
        match roots.as_slice() {
            [] => {}
            [root] => groups.union(i, *root),
            _ => ambiguous.push((i, people)),
        }
    }
    (ambiguous, placed)
}

/// The full person forms that `partial` is a tail of (surname, "A. Flournoy") or the first
/// word of, comparing words with `same`. A first name only fits a full name written before
/// it — news introduces people by their full name and uses the first name alone after that —
/// so "Prince Charles" before a later "Charles Kennedy" stays apart from him.
fn fitting_people(
    forms: &[Form],
    full: &[usize],
    partial: &Form,
    same: impl Fn(&str, &str) -> bool,
) -> Vec<usize> {
    let n = partial.words.len();
    full.iter()
        .copied()
        .filter(|&p| {
            let words = &forms[p].words;
            let tail = words.len() > n
                && words[words.len() - n..]
                    .iter()
                    .zip(&partial.words)
                    .all(|(a, b)| same(a, b));
            let first = n == 1
                && words.len() > 1
                && forms[p].mentions[0] < partial.mentions[0]
                && same(&words[0], &partial.words[0]);
            tail || first
        })
        .collect()
}

/// The person an ambiguous partial-name mention refers to: among the `candidates` (group
/// roots), the one mentioned most recently before it, else the most mentioned, else the first.
pub(super) fn pick_person(
    candidates: &[usize],
    m: usize,
    group_of: &[usize],
    mentions: &[Mention],
) -> usize {
    let start = mentions[m].span.start;
    let mut latest: Option<(usize, usize)> = None;
    let mut counts = vec![0usize; candidates.len()];
    for (other, &g) in group_of.iter().enumerate() {
        if let Some(c) = candidates.iter().position(|&root| root == g) {
            counts[c] += 1;
            let at = mentions[other].span.start;
            if at < start && latest.is_none_or(|(best, _)| at > best) {
                latest = Some((at, g));
            }
        }
    }
    if let Some((_, g)) = latest {
        return g;
    }
    let best = counts.iter().copied().max().unwrap_or(0);
    let mut by_first: Vec<(usize, usize)> = candidates
        .iter()
        .zip(&counts)
        .filter(|(_, &n)| n == best)
        .map(|(&g, _)| {
            let first = group_of.iter().position(|&x| x == g).unwrap_or(usize::MAX);
            (first, g)
        })
        .collect();
    by_first.sort_unstable();
    by_first.first().map_or(candidates[0], |&(_, g)| g)
}
