//! Refining the model's mentions before they are grouped: what one sentence at a time cannot
//! show the model, the whole article can.
//!
//! * **Defined acronyms.** News defines an acronym once, in brackets after its long form:
//!   "the US Department of Government Efficiency (DOGE)". The model often cuts such a long
//!   form up ("US Department" + "Government Efficiency") or glues a neighbour to it. The long
//!   form is found again from the acronym's letters — the shortest run of words before the
//!   bracket whose initials spell it, in the window of Schwartz & Hearst (2003) — and becomes
//!   one mention; what the model had around it keeps only what is left of a name ("US").
//! * **Country pairs.** "Russia-Ukraine" in "the Russia-Ukraine war" names no place: a
//!   hyphenated pair of known countries is a MISC modifier.
//! * **Holidays.** The model's training news has no "Christmas" or "Easter" in it, so it
//!   reads them as the capitalised names it knows best, mostly people. A mention that is a
//!   holiday's name ([`is_holiday_name`]: "Christmas", "Boxing Day", "Ramadan") is an event,
//!   MISC, as CoNLL types "Labor Day".
//! * **Coordinated names.** The model sometimes reads "The Aviator and Million Dollar Baby"
//!   as one title, or "Tories and Lib Dems" as one party. A mention with one "and" inside is
//!   split there when the article names each side on its own elsewhere, the first side has no
//!   lower-case word and the second starts with a capital. A name that holds an "and" is left
//!   whole: "Securities and Exchange Commission" and "Bosnia and Herzegovina", because their
//!   halves are not names the article uses alone; "Economic Commission for Latin America and
//!   the Caribbean", because "and" there joins what "for" governs.

use std::ops::Range;

use super::acronyms::{acronym_letters, initials_spell};
use super::aliases::{name_key, AliasTable};
use crate::ner::EntityType;
use crate::pipeline::doc::Mention;
use crate::pipeline::Span;
use crate::text::calendar::is_holiday_name;
use crate::text::names::trim_name;
use crate::text::tokens::{Token, TokenKind};

/// Drops mentions that point at no tokens or no text, then fixes what grouping can see better
/// than the model: the long form of an acronym defined
/// as "Long Form (ACR)" becomes one mention even where the model cut it up or glued a
/// neighbour to it, and a hyphenated pair of countries ("Russia-Ukraine") or a holiday
/// ("Christmas") becomes MISC.
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
        let name = mention.span.text(text);
        if is_country_pair(name, table) || is_holiday_name(name) {
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
    mentions = split_coordinated(text, tokens, mentions);
    mentions.sort_by_key(|m| m.span.start);
    mentions
}

/// Splits each mention of the form "A and B" into "A" and "B" where the article names both on
/// their own elsewhere (compared by [`name_key`]), "A" has no lower-case word and "B" starts
/// with a capital. Both parts keep the mention's type: grouping settles it by majority.
fn split_coordinated(text: &str, tokens: &[Token], mentions: Vec<Mention>) -> Vec<Mention> {
    let alone: Vec<String> = mentions
        .iter()
        .filter(|m| !m.tokens.clone().any(|t| is_and(text, &tokens[t])))
        .map(|m| name_key(m.span.text(text)))
        .collect();
    let capitalised = |t: usize| {
        let token = &tokens[t];
        token.kind != TokenKind::Word || token.text(text).starts_with(char::is_uppercase)
    };
    let named_alone = |range: Range<usize>, kind: EntityType| -> Option<Mention> {
        let range = trim_name(text, tokens, range)?;
        let span = Span::new(tokens[range.start].start, tokens[range.end - 1].end);
        alone
            .contains(&name_key(span.text(text)))
            .then_some(Mention {
                span,
                kind,
                tokens: range,
            })
    };
    let mut refined = Vec::with_capacity(mentions.len());
    for mention in mentions {
        let range = mention.tokens.clone();
        let ands: Vec<usize> = range
            .clone()
            .filter(|&t| is_and(text, &tokens[t]))
            .collect();
        let parts = match ands[..] {
            [at] if (range.start..at).all(capitalised)
                && (at + 1 < range.end && capitalised(at + 1)) =>
            {
                named_alone(range.start..at, mention.kind)
                    .zip(named_alone(at + 1..range.end, mention.kind))
            }
            _ => None,
        };
        match parts {
            Some((first, second)) => refined.extend([first, second]),
            None => refined.push(mention),
        }
    }
    refined
}

/// Whether `token` is the word "and".
fn is_and(text: &str, token: &Token) -> bool {
    token.kind == TokenKind::Word && token.text(text) == "and"
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
