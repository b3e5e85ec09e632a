//! Entities: groups the NER mentions into one entity per real-world thing, names each entity,
//! settles its type and scores how central it is to the article.
//!
//! The stage works in four steps, a module each:
//!
//! 1. **Refining the mentions** (`refine`): the whole article shows some things better than the
//!    model did, sentence by sentence. An acronym defined as "Long Form (ACR)" makes its long
//!    form one mention even where the model cut it up, and a hyphenated pair of countries
//!    ("Russia-Ukraine war") is a MISC modifier, not a place.
//! 2. **Collecting forms** (`forms`): mentions are grouped into *forms* — the distinct names,
//!    compared by [`name_key`](aliases::name_key) so that case variants ("Nato"/"NATO") and dotted abbreviations
//!    ("U.S."/"US") are one form.
//! 3. **Joining forms** (`joins`): forms that name the same thing are joined, with a
//!    union-find, by four rules in order: known aliases from the built-in [`aliases`] table
//!    ("US", "America" → United States), acronyms and their expansions (`acronyms`: "North
//!    Atlantic Treaty Organization" → NATO), spelling variants ("Zelensky"/"Zelenskyy") and
//!    partial person names ("Trump" → Donald Trump).
//! 4. **Describing each entity** (`naming`, `cues`, `salience`): its name ("United States",
//!    "NATO", the most complete form), its type (ORG when news calls it a "firm" or a
//!    "network" right before a mention, else the majority of its mentions) and its salience
//!    (how often, how early, and whether in the headline or the first paragraph).
//!
//! Everything is linear in the number of mentions except the variant and acronym checks,
//! which compare distinct forms bucketed by first letter; an article has a few dozen forms.

mod acronyms;
pub mod aliases;
mod cues;
mod forms;
mod joins;
mod naming;
mod refine;
mod salience;

pub use refine::refine_mentions;

use crate::ner::EntityType;
use crate::pipeline::doc::{Entity, Mention};
use crate::pipeline::{Doc, Stage, StageError};
use crate::text::calendar::is_holiday_name;
use crate::text::tokens::Token;
use aliases::AliasTable;
use forms::{collect_forms, Groups};
use joins::{
    join_acronyms, join_clippings, join_known_names, join_partial_names, join_variants, pick_person,
};
use naming::build_entities;

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

/// Groups mentions (in text order) into entities, in order of first mention.
pub fn group_mentions(context: &Context, mentions: &[Mention], table: &AliasTable) -> Vec<Entity> {
    let forms = collect_forms(context, mentions, table);
    let mut groups = Groups::new(forms.len());
    join_known_names(&forms, &mut groups);
    join_acronyms(&forms, &mut groups);
    join_clippings(&forms, &mut groups);
    // A holiday has one spelling: "Christians" is no variant of "Christmas".
    join_variants(&forms, &mut groups, |f| {
        (f.words.len() > 1 || f.kind() != EntityType::Person)
            && !is_holiday_name(&f.words.join(" "))
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

#[cfg(test)]
mod tests;
