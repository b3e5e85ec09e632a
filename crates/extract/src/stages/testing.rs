//! Test support for the stages' unit tests: documents prepared the way the standard pipeline
//! leaves them for a stage, so a stage's tests need not run (or import) the stages before it.

use crate::contract::envelope::Article;
use crate::ner::EntityType;
use crate::pipeline::doc::Mention;
use crate::pipeline::{Doc, Span, Stage};
use crate::stages::entities::EntitiesStage;
use crate::stages::normalise::TextStage;
use crate::stages::roles::RolesStage;
use crate::stages::sentences::SentencesStage;

/// A plain-text article with only an id, a body and optionally a title.
pub(crate) fn article(id: &str, title: Option<&str>, text: &str) -> Article {
    Article {
        id: id.into(),
        url: None,
        outlet: None,
        published_at: None,
        title: title.map(String::from),
        language: None,
        text: Some(text.into()),
        html: None,
    }
}

/// A document of `text` after the `text` and `sentences` stages: normalised, tokenized, split.
pub(crate) fn prepared(id: &str, text: &str) -> Doc {
    prepared_article(article(id, None, text))
}

/// [`prepared`] for any article.
pub(crate) fn prepared_article(article: Article) -> Doc {
    let mut doc = Doc::new(article, None);
    TextStage::new(100_000).run(&mut doc).expect("text stage");
    SentencesStage.run(&mut doc).expect("sentences stage");
    doc
}

/// A prepared document whose mentions are every whole-token occurrence of the given names with
/// the given types (as if the NER model had found them); an occurrence inside one of an earlier
/// name is skipped, so list full names first.
pub(crate) fn doc_with_mentions(
    text: &str,
    title: Option<&str>,
    names: &[(&str, EntityType)],
) -> Doc {
    let mut doc = prepared_article(article("test", title, text));
    let mut mentions: Vec<Mention> = Vec::new();
    for &(name, kind) in names {
        for (at, _) in doc.text.match_indices(name) {
            let first = doc.tokens.iter().position(|t| t.start == at);
            let last = doc.tokens.iter().position(|t| t.end == at + name.len());
            let taken = mentions
                .iter()
                .any(|m| m.span.start < at + name.len() && at < m.span.end);
            if let (Some(first), Some(last), false) = (first, last, taken) {
                mentions.push(Mention {
                    span: Span::new(at, at + name.len()),
                    kind,
                    tokens: first..last + 1,
                });
            }
        }
    }
    mentions.sort_by_key(|m| m.span.start);
    doc.mentions = mentions;
    doc
}

/// [`doc_with_mentions`] with the mentions grouped into entities by the entities stage.
pub(crate) fn doc_with_entities(text: &str, names: &[(&str, EntityType)]) -> Doc {
    let mut doc = doc_with_mentions(text, None, names);
    EntitiesStage::new().run(&mut doc).expect("entities stage");
    doc
}

/// Runs on `doc` the stages the standard pipeline runs after NER reads the names: entities,
/// then roles (for tests that need the two together, such as robustness tests).
pub(crate) fn group_entities_and_roles(doc: &mut Doc) {
    EntitiesStage::new().run(doc).expect("entities stage");
    RolesStage.run(doc).expect("roles stage");
}
