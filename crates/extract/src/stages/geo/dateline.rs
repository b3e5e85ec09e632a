//! The dateline: where a story was filed, written in capitals before its first sentence.
//!
//! Wire copy and local news open with it: "LONDON (Reuters) - …", "BEIRUT — …", "EDMONTON,
//! Ky. (WBKO) -- …", "PLYMOUTH CO. - …", and, where the dash was lost on the way, "WASHINGTON
//! Barack Obama pardoned …". A dateline here is, at the very start of the body: one to three
//! words in capitals that the gazetteer knows, then optionally a comma and a qualifier of up to
//! three words ("Ky.", "Texas", "N.J."), then optionally an agency in parentheses, then a dash.
//! Without the dash the capitals must be a name of five letters or more followed by a
//! capitalised word ("WASHINGTON Barack", not "US President-elect" or "AN Edmonton man"), as
//! a short word in capitals is often a headline's or a sentence's first word.
//!
//! The dateline is resolved with the article's other places, as a LOC (narrowed down by its
//! qualifier, like "Town, State" in running text).

use super::candidates::{look_up, qualifier_after, within_qualifier};
use super::gazetteer::{fold, Gazetteer};
use super::spotting::{Spot, STRONG};
use crate::ner::EntityType;
use crate::pipeline::doc::PlaceSource;
use crate::pipeline::{Doc, Span};
use crate::text::tokens::TokenKind;

/// The most words of a dateline's place.
const PLACE_WORDS: usize = 3;
/// The fewest letters of a dateline written without a dash.
const BARE_LETTERS: usize = 5;

/// The article's dateline: its place as a spot, and the whole dateline's span (the place with
/// its qualifier).
pub fn find(doc: &Doc, gazetteer: &Gazetteer) -> Option<(Spot, Span)> {
    let tokens = &doc.tokens;
    let word = |i: usize| tokens.get(i).map_or("", |t| t.text(&doc.text));
    let words = (0..tokens.len().min(PLACE_WORDS))
        .take_while(|&i| tokens[i].kind == TokenKind::Word && in_capitals(word(i)))
        .count();
    if words == 0 {
        return None;
    }
    let place = Span::new(tokens[0].start, tokens[words - 1].end);
    let qualifier = qualifier_after(&doc.text, tokens, place, gazetteer);
    let mut next = match &qualifier {
        Some((span, _)) => tokens.partition_point(|t| t.start < span.end),
        None => words,
    };
    let agency = word(next) == "(";
    if agency {
        next = (next..tokens.len()).find(|&i| word(i) == ")")? + 1;
    }
    let dashed = word(next).starts_with(['-', '—', '–']);
    let letters = place
        .text(&doc.text)
        .chars()
        .filter(|c| c.is_alphabetic())
        .count();
    let bare = letters >= BARE_LETTERS && word(next).starts_with(char::is_uppercase);
    if !dashed && !bare && !agency && qualifier.is_none() {
        return None;
    }
    let text = place.text(&doc.text);
    let mut candidates = Vec::new();
    look_up(gazetteer, EntityType::Loc, text, &mut candidates);
    if candidates.is_empty() {
        return None;
    }
    let qualified = qualifier
        .as_ref()
        .is_some_and(|(_, within)| within_qualifier(gazetteer, &mut candidates, within));
    let end = qualifier.as_ref().map_or(place.end, |(span, _)| span.end);
    let spot = Spot {
        span: place,
        key: fold(text),
        source: PlaceSource::Dateline,
        points: STRONG,
        candidates,
        qualified,
    };
    Some((spot, Span::new(place.start, end)))
}

/// Whether a word is written in capitals: two letters or more, none lower case ("CO." too).
fn in_capitals(word: &str) -> bool {
    word.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !word.chars().any(char::is_lowercase)
}
