//! Forms: the distinct names an article uses, and the union-find that joins them.
//!
//! Grouping compares names, not mentions: an article mentions "Trump" forty times but writes
//! only a few distinct names. A *form* is every mention whose text has the same [`name_key`]
//! — lower case, periods dropped, a leading "the" dropped — so "Nato" and "NATO", "U.S." and
//! "US" are one form from the start. Each form keeps its words, its mentions, the types the
//! model gave them and, unless the model mostly called it a person ("Jordan" the footballer),
//! the entry of the alias table it names.
//!
//! The joining rules then merge forms in a [`Groups`] union-find, which keeps the earliest form
//! of each group as its root.

use std::collections::HashMap;

use super::acronyms::is_acronym;
use super::aliases::{name_key, AliasTable, KnownName};
use super::Context;
use crate::ner::EntityType;
use crate::pipeline::doc::Mention;
use crate::text::tokens::TokenKind;

/// One distinct name: every mention whose text has the same [`name_key`].
pub(super) struct Form {
    /// The name's words, folded (lower case, no periods), without punctuation tokens.
    pub(super) words: Vec<String>,
    /// Indices of its mentions, in text order.
    pub(super) mentions: Vec<usize>,
    /// How many of its mentions the model gave each type, indexed like [`EntityType::ALL`].
    pub(super) kinds: [usize; 4],
    /// The table entry it is an alias of.
    pub(super) known: Option<KnownName>,
    /// Whether one of its mentions is written as an acronym.
    pub(super) acronym: bool,
}

impl Form {
    /// The type most of its mentions got (ties: the first in [`EntityType::ALL`]).
    pub(super) fn kind(&self) -> EntityType {
        plurality(&self.kinds).unwrap_or(EntityType::Misc)
    }

    /// Whether the model tagged it a person at least once.
    pub(super) fn ever_person(&self) -> bool {
        self.kinds[EntityType::Person.index()] > 0
    }
}

/// The type with the most votes; `None` only when there are no votes; ties go to the first
/// type in [`EntityType::ALL`].
pub(super) fn plurality(kinds: &[usize; 4]) -> Option<EntityType> {
    let best = kinds.iter().copied().max().filter(|&n| n > 0)?;
    EntityType::ALL
        .into_iter()
        .find(|k| kinds[k.index()] == best)
}

/// A union-find over form indices.
pub(super) struct Groups {
    parent: Vec<usize>,
}

impl Groups {
    /// `n` forms, each its own group.
    pub(super) fn new(n: usize) -> Self {
        Groups {
            parent: (0..n).collect(),
        }
    }

    /// The root of `x`'s group (halving the path on the way).
    pub(super) fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    /// Joins two groups; the lower index (the earlier form) stays the root.
    pub(super) fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            self.parent[a.max(b)] = a.min(b);
        }
    }
}

/// The distinct forms of the mentions, in order of first mention.
pub(super) fn collect_forms(
    context: &Context,
    mentions: &[Mention],
    table: &AliasTable,
) -> Vec<Form> {
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
