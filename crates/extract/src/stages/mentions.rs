//! Named-entity mentions: runs the trained NER model over the article's sentences and stores
//! every name it finds on `doc.mentions`.
//!
//! The model ([`crate::ner::NerModel`]) is loaded once, when the stage is built, and tags the
//! whole document at once so that its document-level features (how a word is written and
//! labelled elsewhere in the article) see every sentence.
//!
//! Its spans are then tidied so that a mention is exactly the name:
//!
//! * a leading article is dropped ("the US" → "US", "The Kremlin" → "Kremlin"), because the
//!   article is grammar, not part of the name, and keeping it would split one entity into
//!   "the UN" and "UN";
//! * a trailing possessive clitic is dropped ("Musk ’s" → "Musk", "US ’" → "US") — these two
//!   are [`trim_name`], which the `entities` stage applies too;
//! * a span is cut at punctuation and quotation marks, which never stand inside a name
//!   ("Muse , Manic Street Preachers" → two names) — except the apostrophe of a plural
//!   possessive inside the span, which belongs to names like "Rail Workers' Union" and
//!   "National Farmers' Union";
//! * a name addressed with "Mr", "Mrs", "Ms" … is a person, whatever the model said;
//! * a person's leading title or honorific is dropped ("Mr Walsh" → "Walsh"), and so are an
//!   organisation's trailing portfolio or office words before a title or a name ("US Defence
//!   Secretary Pete Hegseth": "US Defence" → "US"), because they belong to the person's role
//!   (the word lists are [`crate::text::titles`], which the `roles` stage reads titles with);
//! * a place followed by a comma and an abbreviated region is joined into one place
//!   ("Washington , D.C." → "Washington, D.C."; "Springfield , Ill."), the way news writes
//!   US cities. Only abbreviations with a period are joined, so a list of places ("Finland,
//!   Sweden") stays a list.

use std::ops::Range;
use std::path::Path;

use crate::ner::{EntityType, NerModel};
use crate::pipeline::doc::Mention;
use crate::pipeline::{Doc, Span, Stage, StageError};
use crate::text::names::trim_name;
use crate::text::titles::{addresses_a_person, is_honorific, is_portfolio, is_title_head};
use crate::text::tokens::{Token, TokenKind};

/// Finds the names of people, organisations, places and other things with the NER model.
pub struct NerStage {
    model: NerModel,
}

impl NerStage {
    /// Loads the model once: the one built into the library, or the retrained one at
    /// `model_path` (the `pipeline.ner_model` setting) when that is not empty.
    ///
    /// Fails with a message naming the file, and what to do, when it is missing or unreadable.
    pub fn new(model_path: &Path) -> Result<Self, StageError> {
        if model_path.as_os_str().is_empty() {
            let model = NerModel::built_in()
                .map_err(|e| StageError::new(format!("the built-in NER model is broken: {e}")))?;
            return Ok(NerStage { model });
        }
        if !model_path.is_file() {
            return Err(StageError::new(format!(
                "NER model not found at {}: point pipeline.ner_model at a model.bin written by \
                 `newsworker-dev train ner`, or leave it empty for the built-in model",
                model_path.display()
            )));
        }
        let model = NerModel::load(model_path)
            .map_err(|e| StageError::new(format!("cannot load the NER model: {e}")))?;
        Ok(NerStage { model })
    }

    /// A stage around an already loaded model.
    pub fn with_model(model: NerModel) -> Self {
        NerStage { model }
    }
}

impl Stage for NerStage {
    fn name(&self) -> &'static str {
        "ner"
    }

    fn english_only(&self) -> bool {
        true
    }

    fn run(&self, doc: &mut Doc) -> Result<(), StageError> {
        let text = doc.text.as_str();
        let tokens = doc.tokens.as_slice();
        let sentences: Vec<Vec<&str>> = doc
            .sentences
            .iter()
            .map(|s| {
                tokens
                    .get(s.tokens.clone())
                    .unwrap_or(&[])
                    .iter()
                    .map(|t| t.text(text))
                    .collect()
            })
            .collect();
        let tagged = self.model.tag_document(&sentences);
        let mut found = Vec::new();
        for (sentence, spans) in doc.sentences.iter().zip(&tagged) {
            let base = sentence.tokens.start;
            let sentence_end = sentence.tokens.end.min(tokens.len());
            for span in spans {
                let range = base + span.start..(base + span.end).min(sentence_end);
                found.push((range, span.kind));
            }
        }
        doc.mentions = mentions_from_spans(text, tokens, found);
        Ok(())
    }
}

/// Turns the model's token ranges into tidy mentions, in text order (see the module doc).
/// Ranges are indices into `tokens`; ranges that are empty or out of bounds are dropped.
pub fn mentions_from_spans(
    text: &str,
    tokens: &[Token],
    spans: Vec<(Range<usize>, EntityType)>,
) -> Vec<Mention> {
    let mut cleaned: Vec<(Range<usize>, EntityType)> = spans
        .into_iter()
        .flat_map(|(range, kind)| {
            split_at_punctuation(text, tokens, range)
                .into_iter()
                .map(move |piece| (piece, kind))
        })
        .filter_map(|(range, kind)| {
            let range = trim_name(text, tokens, range)?;
            let kind = if is_addressed_person(text, tokens, &range) {
                EntityType::Person
            } else {
                kind
            };
            Some((drop_title_words(text, tokens, range, kind)?, kind))
        })
        .collect();
    cleaned.sort_by_key(|(range, _)| range.start);
    let mut mentions: Vec<Mention> = Vec::with_capacity(cleaned.len());
    let mut i = 0;
    while i < cleaned.len() {
        let (range, kind) = cleaned[i].clone();
        if let Some(joined) = cleaned
            .get(i + 1)
            .and_then(|next| join_city_region(text, tokens, &range, kind, next))
        {
            mentions.push(mention(tokens, joined, kind));
            i += 2;
        } else {
            mentions.push(mention(tokens, range, kind));
            i += 1;
        }
    }
    mentions
}

/// A mention over the tokens `range` (which must be in bounds and non-empty).
fn mention(tokens: &[Token], range: Range<usize>, kind: EntityType) -> Mention {
    Mention {
        span: Span::new(tokens[range.start].start, tokens[range.end - 1].end),
        kind,
        tokens: range,
    }
}

/// The parts of a span between its punctuation and quotation marks: a name never contains a
/// comma, semicolon, bracket or quote ("Muse, Manic Street Preachers" are two bands; "Mike
/// (Ruddock)" is two mentions of one man); "Washington, D.C." is rejoined afterwards.
/// Periods of abbreviations and hyphens are inside word tokens and stay, and so does the
/// apostrophe of a plural possessive between two words of the span ("Rail Workers' Union").
fn split_at_punctuation(text: &str, tokens: &[Token], range: Range<usize>) -> Vec<Range<usize>> {
    let range = range.start..range.end.min(tokens.len());
    let mut pieces = Vec::with_capacity(1);
    let mut start = range.start;
    for i in range.clone() {
        let inner_possessive =
            i > range.start && i + 1 < range.end && is_plural_possessive(text, tokens, i);
        let separates = matches!(tokens[i].kind, TokenKind::Punct | TokenKind::Quote)
            && tokens[i].text(text) != "."
            && !inner_possessive;
        if separates {
            pieces.push(start..i);
            start = i + 1;
        }
    }
    pieces.push(start..range.end);
    pieces
}

/// Whether token `i` is the bare apostrophe of a plural possessive inside a name: glued to a
/// word ending in "s" before it ("Workers'"), with a capitalised word after it ("Union").
fn is_plural_possessive(text: &str, tokens: &[Token], i: usize) -> bool {
    let (Some(before), Some(after)) = (i.checked_sub(1).map(|b| &tokens[b]), tokens.get(i + 1))
    else {
        return false;
    };
    matches!(tokens[i].text(text), "'" | "’")
        && before.end == tokens[i].start
        && before.kind == TokenKind::Word
        && before.text(text).ends_with(['s', 'S'])
        && after.kind == TokenKind::Word
        && after.text(text).starts_with(char::is_uppercase)
}

/// Whether the span is a name addressed as a person ("Mr Howard", "Mrs Parker Bowles"): such
/// a span is a person whatever type the model gave it. Only the honorifics that address people
/// count ("Lord of the Rings" and "Dr Pepper" are not people).
fn is_addressed_person(text: &str, tokens: &[Token], range: &Range<usize>) -> bool {
    range.len() > 1 && addresses_a_person(tokens[range.start].text(text))
}

/// The name without the words of a title the model glued to it: a person's leading title or
/// honorific ("President Zelensky", "Mr Walsh" → "Zelensky", "Walsh"; the roles stage reads
/// titles back), or an organisation's or place's trailing portfolio or office right before a
/// title or a name ("US Defence Secretary Pete Hegseth": "US Defence" → "US"; "NATO
/// Secretary-General Mark Rutte": "NATO Secretary-General" → "NATO"). Words after "of" stay ("Court of Justice"). `None` when
/// nothing of a name is left.
fn drop_title_words(
    text: &str,
    tokens: &[Token],
    range: Range<usize>,
    kind: EntityType,
) -> Option<Range<usize>> {
    let word = |i: usize| tokens[i].text(text);
    let mut range = range;
    if kind == EntityType::Person {
        while range.len() > 1
            && (is_title_head(word(range.start)) || is_honorific(word(range.start)))
        {
            range.start += 1;
        }
        return Some(range);
    }
    let before_title_or_name = tokens.get(range.end).is_some_and(|next| {
        let next = next.text(text);
        is_title_head(next) || next.starts_with(char::is_uppercase)
    });
    if !before_title_or_name {
        return Some(range);
    }
    while !range.is_empty() {
        let last = word(range.end - 1);
        let after_particle = range.end >= range.start + 2
            && matches!(word(range.end - 2), "of" | "the" | "and" | "for");
        let title_word = is_title_head(last) || is_portfolio(&last.to_lowercase());
        if !title_word || after_particle {
            break;
        }
        range.end -= 1;
    }
    (!range.is_empty()).then_some(range)
}

/// "Washington , D.C.": a place, a comma and an abbreviated region right after it, joined into
/// one place; `None` when `next` is not such a region.
fn join_city_region(
    text: &str,
    tokens: &[Token],
    range: &Range<usize>,
    kind: EntityType,
    next: &(Range<usize>, EntityType),
) -> Option<Range<usize>> {
    let (next_range, next_kind) = next;
    let comma = tokens.get(range.end)?;
    let region = tokens.get(next_range.start)?.text(text);
    let joins = kind == EntityType::Loc
        && *next_kind == EntityType::Loc
        && next_range.start == range.end + 1
        && next_range.len() == 1
        && comma.text(text) == ","
        && region.len() <= 6
        && region.ends_with('.')
        && region.starts_with(|c: char| c.is_ascii_uppercase());
    joins.then_some(range.start..next_range.end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokens::tokenize;

    /// The mentions of `text` given as (first word, word count, type) triples of word positions.
    fn tidy(text: &str, spans: &[(usize, usize, EntityType)]) -> Vec<(String, EntityType)> {
        let tokens = tokenize(text);
        let spans = spans
            .iter()
            .map(|&(start, len, kind)| (start..start + len, kind))
            .collect();
        mentions_from_spans(text, &tokens, spans)
            .into_iter()
            .map(|m| (m.span.text(text).to_string(), m.kind))
            .collect()
    }

    use EntityType::{Loc, Misc, Org, Person};

    #[test]
    fn leading_article_is_dropped() {
        let text = "He joined the UN and The Kremlin agreed.";
        assert_eq!(
            tidy(text, &[(2, 2, Org), (5, 2, Org)]),
            [("UN".to_string(), Org), ("Kremlin".to_string(), Org)]
        );
    }

    #[test]
    fn possessives_are_dropped() {
        let text = "Musk’s plan and Musk's idea and the US’ role and Jones' dog.";
        let names: Vec<String> = tidy(
            text,
            &[(0, 2, Person), (4, 2, Person), (8, 2, Loc), (13, 2, Person)],
        )
        .into_iter()
        .map(|(name, _)| name)
        .collect();
        assert_eq!(names, ["Musk", "Musk", "US", "Jones"]);
    }

    #[test]
    fn a_plural_possessive_inside_a_name_stays() {
        let text = "The Rail Workers' Union and the Farmers’ Union, Jones' dog.";
        assert_eq!(
            tidy(text, &[(1, 4, Org), (7, 3, Org), (11, 3, Person)]),
            [
                ("Rail Workers' Union".to_string(), Org),
                ("Farmers’ Union".to_string(), Org),
                ("Jones".to_string(), Person),
                ("dog".to_string(), Person)
            ]
        );
    }

    #[test]
    fn a_span_of_only_an_article_or_punctuation_is_dropped() {
        let text = "the , ’ “";
        assert!(tidy(text, &[(0, 1, Org), (1, 1, Org), (2, 2, Org)]).is_empty());
    }

    #[test]
    fn out_of_bounds_spans_are_clipped_or_dropped() {
        let text = "Paris";
        assert_eq!(tidy(text, &[(0, 5, Loc)]), [("Paris".to_string(), Loc)]);
        assert!(tidy(text, &[(3, 2, Loc)]).is_empty());
    }

    #[test]
    fn title_words_are_not_part_of_names() {
        let text = "US Defence Secretary Pete Hegseth met President Zelensky and NATO \
                    Secretary-General Mark Rutte at the Court of Justice Monday. Mr Walsh";
        let names: Vec<String> = tidy(
            text,
            &[
                (0, 2, Org),
                (3, 2, Person),
                (6, 2, Person),
                (9, 2, Org),
                (11, 2, Person),
                (15, 3, Org),
                (20, 2, Person),
            ],
        )
        .into_iter()
        .map(|(name, _)| name)
        .collect();
        assert_eq!(
            names,
            [
                "US",
                "Pete Hegseth",
                "Zelensky",
                "NATO",
                "Mark Rutte",
                "Court of Justice",
                "Walsh"
            ]
        );
        assert!(tidy("Defence Secretary Hegseth", &[(0, 1, Org)]).is_empty());
        assert_eq!(tidy("President", &[(0, 1, Person)]).len(), 1);
    }

    #[test]
    fn a_name_addressed_as_a_person_is_a_person() {
        assert_eq!(
            tidy("Mr Howard said.", &[(0, 2, Org)]),
            [("Howard".to_string(), Person)]
        );
        assert_eq!(
            tidy("Lord of the Rings won.", &[(0, 4, Misc)]),
            [("Lord of the Rings".to_string(), Misc)]
        );
    }

    #[test]
    fn a_name_never_spans_punctuation() {
        let text = "Muse, Manic Street Preachers and Clash.";
        assert_eq!(
            tidy(text, &[(0, 5, Org)]),
            [
                ("Muse".to_string(), Org),
                ("Manic Street Preachers".to_string(), Org)
            ]
        );
        let text = "Bishop; Mapletoft and Mike (Ruddock) said.";
        let names: Vec<String> = tidy(text, &[(0, 3, Person), (4, 4, Person)])
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        assert_eq!(names, ["Bishop", "Mapletoft", "Mike", "Ruddock"]);
    }

    #[test]
    fn city_and_abbreviated_region_are_one_place() {
        let text = "signed in Washington, D.C., in 1949 by Finland, Sweden.";
        assert_eq!(
            tidy(text, &[(2, 1, Loc), (4, 1, Loc), (9, 1, Loc), (11, 1, Loc)]),
            [
                ("Washington, D.C.".to_string(), Loc),
                ("Finland".to_string(), Loc),
                ("Sweden".to_string(), Loc)
            ]
        );
    }

    #[test]
    fn a_missing_model_is_named_with_what_to_do() {
        let err = NerStage::new(Path::new("/nonexistent/model.bin"))
            .err()
            .map(|e| e.message)
            .unwrap_or_default();
        assert!(err.contains("/nonexistent/model.bin"), "{err}");
        assert!(err.contains("train ner"), "{err}");
        assert!(err.contains("built-in model"), "{err}");
    }

    #[test]
    fn an_empty_path_means_the_built_in_model() {
        assert!(NerStage::new(Path::new("")).is_ok());
    }
}
