//! Entities: groups the NER mentions into one entity per real-world thing, names each entity,
//! settles its type and scores how central it is to the article.
//!
//! Mentions are first collected into *forms* — the distinct names, compared by
//! [`name_key`] so that case variants ("Nato"/"NATO") and dotted abbreviations ("U.S."/"US")
//! are one form. Forms are then joined, with a union-find, by these rules in order:
//!
//! 1. **Known aliases** from the built-in [`AliasTable`] (countries and major international
//!    bodies): "US", "America" and "United States" all mean United States. A form the model
//!    mostly tagged PERSON is not looked up, so "Jordan" the footballer stays a person.
//! 2. **Acronyms** and their expansions found in the article: an all-capitals form joins a
//!    multi-word form whose capitalised words give its letters; "of", "the", "and", "for" … may
//!    give a letter or not ("Department of Government Efficiency" → DOGE, "North Atlantic
//!    Treaty Organization" → NATO). Before grouping, a definition "Long Form (ACR)" also fixes
//!    the mention boundaries when the model cut the long form up.
//! 3. **Spelling variants**: forms of the same type and word count whose words are equal or
//!    one or two edits apart relative to their length, with the same first letter
//!    ("Zelensky"/"Zelenskyy"; never "Iran"/"Iraq", never two different known countries).
//! 4. **Partial person names**: a surname, a first name, or any tail of the words of a full
//!    person's name ("Trump", "Donald", "A. Flournoy" → "Donald Trump", …) joins that person.
//!    A first name alone only joins a full name written before it. When a partial name fits
//!    two different people, each of its mentions goes to the one
//!    mentioned most recently before it, or — with none before — the one mentioned most often
//!    (ties: the one mentioned first). Two full names never join each other unless they are
//!    spelling variants, so "George Bush" and "George Clooney" stay apart.
//!
//! The entity's **type** is the type of most of its mentions (ties: the type of its longest
//! form), or the table's type for a known name. Its **name** is the table's name for a known
//! name; else its acronym when the acronym is more than half of its mentions ("NATO"); else
//! its most complete form — the one with most words, ties: the first. A hyphenated pair of
//! countries ("Russia-Ukraine war") is a MISC modifier, not a place. Nationality adjectives
//! ("Ukrainian") stay MISC entities of their own.
//!
//! **Salience** (0–1) is
//! `0.45·ln(1+n)/ln(1+n_max) + 0.25·(1 − first/len) + 0.15·in_title + 0.15·in_lede`,
//! where `n` is the entity's mention count, `n_max` that of the most mentioned entity, `first`
//! the byte offset of its first mention in a text of `len` bytes, `in_title` whether one of
//! its names appears in the headline and `in_lede` whether it is mentioned in the first
//! paragraph: frequency dominates, early and headline entities come next.
//!
//! Everything is linear in the number of mentions except the variant and acronym checks,
//! which compare distinct forms bucketed by first letter; an article has a few dozen forms.

use std::collections::HashMap;
use std::ops::Range;

use crate::ner::EntityType;
use crate::pipeline::doc::{Entity, Mention};
use crate::pipeline::{Doc, Span, Stage, StageError};
use crate::stages::aliases::{name_key, AliasTable, KnownName};
use crate::text::names::trim_name;
use crate::text::tokens::{tokenize, Token, TokenKind};

/// Groups `doc.mentions` into `doc.entities`.
#[derive(Debug, Clone, Default)]
pub struct EntitiesStage {
    table: AliasTable,
}

impl EntitiesStage {
    /// A stage with the built-in alias table.
    pub fn new() -> Self {
        EntitiesStage::default()
    }
}

impl Stage for EntitiesStage {
    fn name(&self) -> &'static str {
        "entities"
    }

    fn english_only(&self) -> bool {
        true
    }

    fn run(&self, doc: &mut Doc) -> Result<(), StageError> {
        let mentions = refine_mentions(
            &doc.text,
            &doc.tokens,
            std::mem::take(&mut doc.mentions),
            &self.table,
        );
        let context = Context {
            text: &doc.text,
            tokens: &doc.tokens,
            lede_end: doc.paragraphs.first().map_or(doc.text.len(), |p| p.end),
            title: doc.article.title.as_deref(),
        };
        doc.entities = group_mentions(&context, &mentions, &self.table);
        doc.mentions = mentions;
        Ok(())
    }
}

/// What grouping needs to know about the document.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The text every span points into.
    pub text: &'a str,
    /// Its tokens; mentions' token ranges index this.
    pub tokens: &'a [Token],
    /// Where the first paragraph ends (byte offset).
    pub lede_end: usize,
    /// The headline, if any.
    pub title: Option<&'a str>,
}

/// Drops mentions that point at no tokens or no text, then fixes what grouping can see better
/// than the model: the long form of an acronym defined
/// as "Long Form (ACR)" becomes one mention even where the model cut it up or glued a
/// neighbour to it, and a hyphenated pair of countries ("Russia-Ukraine") becomes MISC.
/// Returns the mentions in text order.
pub fn refine_mentions(
    text: &str,
    tokens: &[Token],
    mut mentions: Vec<Mention>,
    table: &AliasTable,
) -> Vec<Mention> {
    mentions.retain(|m| {
        !m.tokens.is_empty() && m.tokens.end <= tokens.len() && !m.span.text(text).is_empty()
    });
    for mention in &mut mentions {
        if is_country_pair(mention.span.text(text), table) {
            mention.kind = EntityType::Misc;
        }
    }
    let definitions: Vec<(Range<usize>, EntityType)> = mentions
        .iter()
        .filter_map(|m| Some((defined_long_form(text, tokens, m)?, m.kind)))
        .collect();
    for (long_form, kind) in definitions {
        if mentions.iter().any(|m| m.tokens == long_form) {
            continue;
        }
        mentions = mentions
            .into_iter()
            .filter_map(|m| cut_out(text, tokens, m, &long_form))
            .collect();
        let span = Span::new(tokens[long_form.start].start, tokens[long_form.end - 1].end);
        mentions.push(Mention {
            span,
            kind,
            tokens: long_form,
        });
    }
    mentions.sort_by_key(|m| m.span.start);
    mentions
}

/// Whether `name` is two or more known places joined by hyphens ("US-China").
fn is_country_pair(name: &str, table: &AliasTable) -> bool {
    name.contains('-')
        && !name.contains(' ')
        && table.lookup(name).is_none()
        && name.split('-').all(|part| {
            table
                .lookup(part)
                .is_some_and(|k| k.kind == EntityType::Loc)
        })
}

/// The mention with the tokens of `cut` removed: what is left before or after it (`None`
/// when nothing of a name is left). A mention that does not overlap `cut` is returned as is.
fn cut_out(text: &str, tokens: &[Token], m: Mention, cut: &Range<usize>) -> Option<Mention> {
    if m.tokens.end <= cut.start || m.tokens.start >= cut.end {
        return Some(m);
    }
    let rest = if m.tokens.start < cut.start {
        m.tokens.start..cut.start
    } else {
        cut.end..m.tokens.end
    };
    let rest = trim_name(text, tokens, rest)?;
    Some(Mention {
        span: Span::new(tokens[rest.start].start, tokens[rest.end - 1].end),
        kind: m.kind,
        tokens: rest,
    })
}

/// For an acronym mention in brackets right after its expansion ("Department of Government
/// Efficiency (DOGE)"), the expansion's token range: the shortest run of words before the
/// bracket whose initials spell the acronym (Schwartz & Hearst's window of at most
/// `min(n + 5, 2n)` words for `n` letters).
fn defined_long_form(text: &str, tokens: &[Token], m: &Mention) -> Option<Range<usize>> {
    let open = m.tokens.start.checked_sub(1)?;
    let close = tokens.get(m.tokens.end)?.text(text);
    if !matches!(tokens.get(open)?.text(text), "(" | "[") || !matches!(close, ")" | "]") {
        return None;
    }
    let letters = acronym_letters(m.span.text(text))?;
    let window = (letters.len() + 5).min(2 * letters.len());
    let mut words: Vec<&str> = Vec::with_capacity(window);
    let mut start = open;
    while start > 0 && words.len() < window {
        let token = &tokens[start - 1];
        if token.kind != TokenKind::Word {
            break;
        }
        start -= 1;
        words.insert(0, token.text(text));
        if initials_spell(&letters, &words) {
            return Some(start..open);
        }
    }
    None
}

/// The letters of an acronym (see [`is_acronym`]), in capitals; `None` for anything else.
fn acronym_letters(word: &str) -> Option<Vec<char>> {
    is_acronym(word).then(|| {
        word.chars()
            .filter(|&c| c != '.')
            .flat_map(char::to_uppercase)
            .collect()
    })
}

/// Whether `word` is an acronym: 2–8 letters, periods allowed, starting with a capital and
/// with at least two capitals and no more small letters than capitals ("NATO", "U.N.",
/// "TfL"; not "McDonald").
fn is_acronym(word: &str) -> bool {
    let (mut upper, mut lower) = (0, 0);
    for c in word.chars() {
        if c == '.' {
            continue;
        }
        if c.is_uppercase() {
            upper += 1;
        } else if c.is_lowercase() {
            lower += 1;
        } else {
            return false;
        }
    }
    word.starts_with(char::is_uppercase) && upper >= 2 && lower <= upper && upper + lower <= 8
}

/// Whether the initials of `words` spell `letters`: every word must be capitalised and give
/// its initial, except the small words of names ("of", "the", "and", "for", …), which may give
/// theirs or not; the first word must be capitalised.
fn initials_spell(letters: &[char], words: &[&str]) -> bool {
    fn spell(letters: &[char], words: &[&str]) -> bool {
        let Some((word, rest)) = words.split_first() else {
            return letters.is_empty();
        };
        let initial = word.chars().next().unwrap_or(' ');
        let gives = |letters: &[char]| {
            letters
                .first()
                .is_some_and(|l| initial.to_uppercase().eq(std::iter::once(*l)))
        };
        if is_name_particle(word) {
            spell(letters, rest) || (gives(letters) && spell(&letters[1..], rest))
        } else {
            initial.is_uppercase() && gives(letters) && spell(&letters[1..], rest)
        }
    }
    words
        .first()
        .is_some_and(|w| w.starts_with(char::is_uppercase) && !is_name_particle(w))
        && spell(letters, words)
}

/// Small words inside names that acronyms may skip.
fn is_name_particle(word: &str) -> bool {
    matches!(
        word,
        "of" | "the"
            | "and"
            | "for"
            | "on"
            | "in"
            | "at"
            | "to"
            | "de"
            | "du"
            | "des"
            | "la"
            | "le"
            | "&"
    )
}

/// One distinct name: every mention whose text has the same [`name_key`].
struct Form {
    /// The name's words, folded (lower case, no periods), without punctuation tokens.
    words: Vec<String>,
    /// Indices of its mentions, in text order.
    mentions: Vec<usize>,
    /// How many of its mentions the model gave each type, indexed like [`EntityType::ALL`].
    kinds: [usize; 4],
    /// The table entry it is an alias of.
    known: Option<KnownName>,
    /// Whether one of its mentions is written as an acronym.
    acronym: bool,
}

impl Form {
    /// The type most of its mentions got (ties: the first in [`EntityType::ALL`]).
    fn kind(&self) -> EntityType {
        plurality(&self.kinds).unwrap_or(EntityType::Misc)
    }

    /// Whether the model tagged it a person at least once.
    fn ever_person(&self) -> bool {
        self.kinds[EntityType::Person.index()] > 0
    }
}

/// The type with the most votes; `None` only when there are no votes; ties go to the first
/// type in [`EntityType::ALL`].
fn plurality(kinds: &[usize; 4]) -> Option<EntityType> {
    let best = kinds.iter().copied().max().filter(|&n| n > 0)?;
    EntityType::ALL
        .into_iter()
        .find(|k| kinds[k.index()] == best)
}

/// A union-find over form indices.
struct Groups {
    parent: Vec<usize>,
}

impl Groups {
    /// `n` forms, each its own group.
    fn new(n: usize) -> Self {
        Groups {
            parent: (0..n).collect(),
        }
    }

    /// The root of `x`'s group (halving the path on the way).
    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    /// Joins two groups; the lower index (the earlier form) stays the root.
    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            self.parent[a.max(b)] = a.min(b);
        }
    }
}

/// Groups mentions (in text order) into entities, in order of first mention.
pub fn group_mentions(context: &Context, mentions: &[Mention], table: &AliasTable) -> Vec<Entity> {
    let forms = collect_forms(context, mentions, table);
    let mut groups = Groups::new(forms.len());
    join_known_names(&forms, &mut groups);
    join_acronyms(&forms, &mut groups);
    join_variants(&forms, &mut groups, |f| {
        f.words.len() > 1 || f.kind() != EntityType::Person
    });
    let (ambiguous, placed) = join_partial_names(&forms, &mut groups);
    join_variants(&forms, &mut groups, |f| {
        f.words.len() == 1 && f.kind() == EntityType::Person && !placed[f.mentions[0]]
    });
    let mut form_of = vec![0; mentions.len()];
    for (i, form) in forms.iter().enumerate() {
        for &m in &form.mentions {
            form_of[m] = i;
        }
    }
    let mut group_of: Vec<usize> = form_of.iter().map(|&f| groups.find(f)).collect();
    for (form, candidates) in &ambiguous {
        let candidates: Vec<usize> = candidates.iter().map(|&c| groups.find(c)).collect();
        for &m in &forms[*form].mentions {
            group_of[m] = pick_person(&candidates, m, &group_of, mentions);
        }
    }
    build_entities(context, mentions, &forms, &form_of, &group_of)
}

/// The distinct forms of the mentions, in order of first mention.
fn collect_forms(context: &Context, mentions: &[Mention], table: &AliasTable) -> Vec<Form> {
    let mut index: HashMap<String, usize> = HashMap::with_capacity(mentions.len());
    let mut forms: Vec<Form> = Vec::new();
    for (i, m) in mentions.iter().enumerate() {
        let surface = m.span.text(context.text);
        let key = name_key(surface);
        let f = *index.entry(key).or_insert_with(|| {
            let words = context
                .tokens
                .get(m.tokens.clone())
                .unwrap_or(&[])
                .iter()
                .filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::Number))
                .map(|t| name_key(t.text(context.text)))
                .collect();
            forms.push(Form {
                words,
                mentions: Vec::new(),
                kinds: [0; 4],
                known: None,
                acronym: false,
            });
            forms.len() - 1
        });
        let form = &mut forms[f];
        form.mentions.push(i);
        form.kinds[m.kind.index()] += 1;
        form.acronym |= is_acronym(surface);
    }
    for (key, &f) in &index {
        let form = &mut forms[f];
        if form.kind() != EntityType::Person {
            form.known = table.lookup_key(key);
        }
    }
    forms
}

/// Rule 1: forms that are aliases of the same table entry.
fn join_known_names(forms: &[Form], groups: &mut Groups) {
    let mut first_of: HashMap<&str, usize> = HashMap::new();
    for (i, form) in forms.iter().enumerate() {
        if let Some(known) = form.known {
            let first = *first_of.entry(known.name).or_insert(i);
            groups.union(first, i);
        }
    }
}

/// Rule 2: acronyms and their expansions.
fn join_acronyms(forms: &[Form], groups: &mut Groups) {
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

/// A folded word as it would be written in a name: small words stay lower case, others get a
/// capital initial (so that [`initials_spell`] can read folded forms).
fn capitalise(word: &str) -> String {
    if is_name_particle(word) {
        return word.to_string();
    }
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// Rule 3: spelling variants among the forms `eligible` accepts.
fn join_variants(forms: &[Form], groups: &mut Groups, eligible: impl Fn(&Form) -> bool) {
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

/// Rule 4: partial person names join the full name they fit. Returns the partial forms that
/// fit several people, for per-mention assignment, and, by mention index, whether the
/// mention's form fitted anyone (such forms take no part in the last variant rule, so that
/// "Steve" of Steve Morgan and "Steven" of Steven Gerrard do not join the two men).
fn join_partial_names(forms: &[Form], groups: &mut Groups) -> (Ambiguous, Vec<bool>) {
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
fn pick_person(candidates: &[usize], m: usize, group_of: &[usize], mentions: &[Mention]) -> usize {
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

/// Builds the entities from the mention → group assignment.
fn build_entities(
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
            || entity_kind(mentions, forms, group, &group_forms),
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

/// The type most mentions got; ties: the type of the longest form (most words, then first).
fn entity_kind(
    mentions: &[Mention],
    forms: &[Form],
    group: &[usize],
    group_forms: &[usize],
) -> EntityType {
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

/// The headline's words, folded like form words.
fn title_words(title: Option<&str>) -> Vec<String> {
    let Some(title) = title else {
        return Vec::new();
    };
    tokenize(title)
        .iter()
        .filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::Number))
        .map(|t| name_key(t.text(title)))
        .collect()
}

/// Whether `words` occur as a contiguous run in `haystack`.
fn contains_words(haystack: &[String], words: &[String]) -> bool {
    !words.is_empty() && haystack.windows(words.len()).any(|w| w == words)
}

/// The salience formula of the module doc, rounded to three decimals.
fn salience(
    count: usize,
    max_count: usize,
    first: usize,
    len: usize,
    in_title: bool,
    in_lede: bool,
) -> f64 {
    let frequency = (1.0 + count as f64).ln() / (1.0 + max_count.max(1) as f64).ln();
    let position = 1.0 - first as f64 / len.max(1) as f64;
    let score = 0.45 * frequency
        + 0.25 * position.clamp(0.0, 1.0)
        + 0.15 * f64::from(u8::from(in_title))
        + 0.15 * f64::from(u8::from(in_lede));
    (score.clamp(0.0, 1.0) * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::testing::doc_with_mentions;
    use EntityType::{Loc, Misc, Org, Person};

    /// The entities of a document: (name, type, mention texts).
    fn entities(
        text: &str,
        names: &[(&str, EntityType)],
    ) -> Vec<(String, EntityType, Vec<String>)> {
        let mut doc = doc_with_mentions(text, None, names);
        EntitiesStage::new().run(&mut doc).expect("entities stage");
        doc.entities
            .iter()
            .map(|e| {
                let mentions = e
                    .mentions
                    .iter()
                    .map(|s| s.text(&doc.text).to_string())
                    .collect();
                (e.name.clone(), e.kind, mentions)
            })
            .collect()
    }

    /// Just the (name, type) pairs.
    fn names(text: &str, names: &[(&str, EntityType)]) -> Vec<(String, EntityType)> {
        entities(text, names)
            .into_iter()
            .map(|(name, kind, _)| (name, kind))
            .collect()
    }

    fn pair(name: &str, kind: EntityType) -> (String, EntityType) {
        (name.to_string(), kind)
    }

    #[test]
    fn surname_and_first_name_join_the_full_name_anywhere_in_the_article() {
        let got = entities(
            "Flournoy said it first. Later Michèle A. Flournoy added more. Michèle laughed.",
            &[
                ("Michèle A. Flournoy", Person),
                ("Flournoy", Person),
                ("Michèle", Person),
            ],
        );
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, "Michèle A. Flournoy");
        assert_eq!(got[0].2, ["Flournoy", "Michèle A. Flournoy", "Michèle"]);
    }

    #[test]
    fn spelling_variants_join() {
        assert_eq!(
            names(
                "Zelenskyy met Volodymyr Zelensky. Zelensky spoke.",
                &[
                    ("Volodymyr Zelensky", Person),
                    ("Zelenskyy", Person),
                    ("Zelensky", Person)
                ]
            ),
            [pair("Volodymyr Zelensky", Person)]
        );
        assert_eq!(
            names(
                "Zelensky and Zelenskyy.",
                &[("Zelensky", Person), ("Zelenskyy", Person)]
            ),
            [pair("Zelensky", Person)]
        );
    }

    #[test]
    fn similar_but_different_names_stay_apart() {
        let got = names(
            "Iran and Iraq, Austria and Australia, Gambia and Zambia.",
            &[
                ("Iran", Loc),
                ("Iraq", Loc),
                ("Austria", Loc),
                ("Australia", Loc),
                ("Gambia", Loc),
                ("Zambia", Loc),
            ],
        );
        assert_eq!(got.len(), 6);
    }

    #[test]
    fn case_variants_join() {
        assert_eq!(
            names("NATO met. Nato agreed.", &[("NATO", Org), ("Nato", Org)]),
            [pair("NATO", Org)]
        );
        assert_eq!(
            names(
                "ACME rose. Acme fell. ACME won.",
                &[("ACME", Org), ("Acme", Org)]
            ),
            [pair("ACME", Org)]
        );
    }

    #[test]
    fn acronym_defined_after_its_expansion_even_when_the_model_cut_it_up() {
        let got = entities(
            "Musk heads the US Department of Government Efficiency (DOGE) now.",
            &[
                ("US Department", Org),
                ("Government Efficiency", Org),
                ("DOGE", Org),
            ],
        );
        let got: Vec<(String, EntityType, Vec<String>)> = got;
        assert_eq!(
            got,
            [
                ("United States".to_string(), Loc, vec!["US".to_string()]),
                (
                    "Department of Government Efficiency".to_string(),
                    Org,
                    vec![
                        "Department of Government Efficiency".to_string(),
                        "DOGE".to_string()
                    ]
                ),
            ]
        );
    }

    #[test]
    fn acronym_before_its_expansion_and_with_or() {
        let got = names(
            "The ACLU [American Civil Liberties Union] sued. The FBI or Federal Bureau of \
             Investigation said so. The FBI said more. The FBI again.",
            &[
                ("ACLU", Org),
                ("American Civil Liberties Union", Org),
                ("FBI", Org),
                ("Federal Bureau of Investigation", Org),
            ],
        );
        assert_eq!(
            got,
            [
                pair("American Civil Liberties Union", Org),
                pair("FBI", Org)
            ],
            "the acronym names the entity when it is most of the mentions"
        );
    }

    #[test]
    fn table_aliases_join_under_the_table_name_and_type() {
        let got = entities(
            "The US and America. U.S. troops left the United States. Britain and the UK. \
             The UN and the USSR.",
            &[
                ("US", Org),
                ("America", Loc),
                ("U.S.", Loc),
                ("United States", Loc),
                ("Britain", Loc),
                ("UK", Loc),
                ("UN", Org),
                ("USSR", Org),
            ],
        );
        let got: Vec<(&str, EntityType, usize)> = got
            .iter()
            .map(|(n, k, m)| (n.as_str(), *k, m.len()))
            .collect();
        assert_eq!(
            got,
            [
                ("United States", Loc, 4),
                ("United Kingdom", Loc, 2),
                ("United Nations", Org, 1),
                ("Soviet Union", Loc, 1)
            ]
        );
    }

    #[test]
    fn nationality_adjectives_stay_misc() {
        assert_eq!(
            names(
                "American troops in America.",
                &[("American", Misc), ("America", Loc)]
            ),
            [pair("American", Misc), pair("United States", Loc)]
        );
    }

    #[test]
    fn a_person_named_like_a_country_stays_a_person() {
        assert_eq!(
            names(
                "Eddie Jordan said Jordan was fine.",
                &[("Eddie Jordan", Person), ("Jordan", Person)]
            ),
            [pair("Eddie Jordan", Person)]
        );
    }

    #[test]
    fn people_sharing_a_first_name_stay_apart_and_the_short_name_goes_to_the_latest() {
        let text = "George Bush met George Clooney. George smiled. Laura Bush came. Bush left.";
        let got = entities(
            text,
            &[
                ("George Bush", Person),
                ("George Clooney", Person),
                ("George", Person),
                ("Laura Bush", Person),
                ("Bush", Person),
            ],
        );
        let got: Vec<(&str, Vec<&str>)> = got
            .iter()
            .map(|(n, _, m)| (n.as_str(), m.iter().map(String::as_str).collect()))
            .collect();
        assert_eq!(
            got,
            [
                ("George Bush", vec!["George Bush"]),
                ("George Clooney", vec!["George Clooney", "George"]),
                ("Laura Bush", vec!["Laura Bush", "Bush"]),
            ]
        );
    }

    #[test]
    fn a_first_name_before_the_full_name_is_someone_else() {
        let got = names(
            "Prince Charles spoke. Charles smiled. Later Charles Kennedy left.",
            &[("Charles Kennedy", Person), ("Charles", Person)],
        );
        assert_eq!(
            got,
            [pair("Charles", Person), pair("Charles Kennedy", Person)]
        );
    }

    #[test]
    fn variants_of_first_names_do_not_join_two_people() {
        let got = names(
            "Steve Morgan and Steven Gerrard met. Steve laughed and Steven left.",
            &[
                ("Steve Morgan", Person),
                ("Steven Gerrard", Person),
                ("Steve", Person),
                ("Steven", Person),
            ],
        );
        assert_eq!(
            got,
            [pair("Steve Morgan", Person), pair("Steven Gerrard", Person)]
        );
    }

    #[test]
    fn ambiguous_short_name_before_any_full_name_goes_to_the_most_mentioned() {
        let text = "Smith won. Anna Smith and John Smith ran. John Smith fell.";
        let got = entities(
            text,
            &[
                ("Anna Smith", Person),
                ("John Smith", Person),
                ("Smith", Person),
            ],
        );
        assert_eq!(got[0].0, "John Smith");
        assert_eq!(got[0].2, ["Smith", "John Smith", "John Smith"]);
    }

    #[test]
    fn type_is_the_majority_and_ties_go_to_the_longest_form() {
        assert_eq!(
            names(
                "Acme Corp rose. ACME CORP fell. ACME CORP won.",
                &[("Acme Corp", Org), ("ACME CORP", Loc)]
            ),
            [pair("ACME CORP", Loc)],
            "the name is the form's most frequent spelling"
        );
        assert_eq!(
            names(
                "The FBI rose. The Federal Bureau of Investigation fell.",
                &[("Federal Bureau of Investigation", Org), ("FBI", Loc)]
            ),
            [pair("Federal Bureau of Investigation", Org)]
        );
        assert_eq!(
            names(
                "Rutte spoke. Mark Rutte left.",
                &[("Mark Rutte", Person), ("Rutte", Person)]
            ),
            [pair("Mark Rutte", Person)]
        );
    }

    #[test]
    fn hyphenated_country_pairs_are_misc() {
        assert_eq!(
            names("The Russia-Ukraine war.", &[("Russia-Ukraine", Loc)]),
            [pair("Russia-Ukraine", Misc)]
        );
        assert_eq!(
            names("In Guinea-Bissau.", &[("Guinea-Bissau", Loc)]),
            [pair("Guinea-Bissau", Loc)]
        );
    }

    #[test]
    fn salience_rewards_frequency_position_title_and_lede() {
        let mut doc = doc_with_mentions(
            "Acme rose. Acme fell. Acme won.\n\nLater Brill spoke. Zed too.",
            Some("Zed news"),
            &[("Acme", Org), ("Brill", Org), ("Zed", Org)],
        );
        EntitiesStage::new().run(&mut doc).expect("entities stage");
        let s: Vec<f64> = doc.entities.iter().map(|e| e.salience).collect();
        assert!(s.iter().all(|x| (0.0..=1.0).contains(x)), "{s:?}");
        assert!(s[0] > s[1] && s[2] > s[1], "{s:?}");
    }

    #[test]
    fn no_mentions_no_entities() {
        assert!(names("Nothing here.", &[]).is_empty());
    }

    #[test]
    fn arbitrary_mentions_never_panic() {
        let text = "É (A) [B.] C, D — “E’s” F-G of the H (HI) Mr J K, the L M, said. N ’ O\n\nP Q.";
        let kinds = [Person, Org, Loc, Misc];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |bound: usize| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as usize % bound.max(1)
        };
        for _ in 0..300 {
            let mut doc = doc_with_mentions(text, Some("H and É"), &[]);
            let n = doc.tokens.len();
            for _ in 0..next(12) {
                let start = next(n + 2);
                let end = start + next(5);
                let span = Span::new(
                    doc.tokens.get(start).map_or(text.len() + 3, |t| t.start),
                    doc.tokens
                        .get(end.saturating_sub(1))
                        .map_or(text.len() + 9, |t| t.end),
                );
                doc.mentions.push(Mention {
                    span,
                    kind: kinds[next(4)],
                    tokens: start..end,
                });
            }
            EntitiesStage::new().run(&mut doc).expect("entities stage");
            crate::stages::roles::RolesStage
                .run(&mut doc)
                .expect("roles stage");
            for e in &doc.entities {
                assert!((0.0..=1.0).contains(&e.salience));
                assert!(!e.mentions.is_empty());
            }
        }
    }

    #[test]
    fn mixed_case_acronyms() {
        assert!(is_acronym("TfL") && is_acronym("U.N.") && is_acronym("NATO"));
        assert!(
            !is_acronym("McDonald") && !is_acronym("Nato") && !is_acronym("A") && !is_acronym("G7")
        );
        assert_eq!(
            names(
                "Transport for London (TfL) said. TfL agreed.",
                &[("Transport for London", Org), ("TfL", Org)]
            ),
            [pair("TfL", Org)]
        );
    }

    #[test]
    fn initials_may_skip_small_words() {
        let words = ["Department", "of", "Government", "Efficiency"];
        assert!(initials_spell(&['D', 'O', 'G', 'E'], &words));
        assert!(initials_spell(&['D', 'G', 'E'], &words));
        assert!(!initials_spell(&['D', 'G'], &words));
        assert!(!initials_spell(&['O', 'G', 'E'], &words[1..]));
    }
}
