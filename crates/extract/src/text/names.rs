//! Names as runs of tokens: where a name written in the text begins and ends.
//!
//! The NER model tags token ranges, and its ranges are generous: it takes in the article
//! before a name ("the US"), the possessive after it ("Musk ’s"), or a stray comma at an edge.
//! None of these belong to the name — keeping "the UN" apart from "UN" would split one entity
//! in two — so every stage that cuts a name out of the tokens trims it the same way with
//! [`trim_name`]: the `ner` stage on each span the model found, and the `entities` stage on
//! what is left of a mention after it cut an acronym's long form out of it.

use std::ops::Range;

use super::tokens::{Token, TokenKind};

/// The name inside `range` (indices into `tokens`): without a leading "the", a trailing
/// possessive clitic, or punctuation at either edge. `None` when nothing of a name is left.
pub fn trim_name(text: &str, tokens: &[Token], range: Range<usize>) -> Option<Range<usize>> {
    let mut range = range.start..range.end.min(tokens.len());
    while range.start < range.end {
        let first = &tokens[range.start];
        let word = first.text(text);
        if first.kind == TokenKind::Word && !word.eq_ignore_ascii_case("the") {
            break;
        }
        if first.kind != TokenKind::Word && is_name_token(first) {
            break;
        }
        range.start += 1;
    }
    while range.start < range.end {
        let last = &tokens[range.end - 1];
        if is_name_token(last) && !is_possessive(last.text(text)) {
            break;
        }
        range.end -= 1;
    }
    (range.start < range.end).then_some(range)
}

/// Whether a token can start or end a name: words and numbers ("Article 5", "G7"), not
/// punctuation, quotes or symbols.
fn is_name_token(token: &Token) -> bool {
    matches!(token.kind, TokenKind::Word | TokenKind::Number)
}

/// The possessive clitic the tokenizer splits off a name: "'s", "’s" or a bare apostrophe.
fn is_possessive(word: &str) -> bool {
    matches!(word, "'s" | "’s" | "'S" | "’S" | "'" | "’")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokens::tokenize;

    /// The trimmed name of the tokens `range` of `text`, as text.
    fn trimmed(text: &str, range: Range<usize>) -> Option<String> {
        let tokens = tokenize(text);
        let name = trim_name(text, &tokens, range)?;
        Some(text[tokens[name.start].start..tokens[name.end - 1].end].to_string())
    }

    #[test]
    fn articles_possessives_and_edge_punctuation_are_trimmed() {
        assert_eq!(trimmed("the UN", 0..2).as_deref(), Some("UN"));
        assert_eq!(trimmed("The Kremlin", 0..2).as_deref(), Some("Kremlin"));
        assert_eq!(trimmed("Musk’s plan", 0..2).as_deref(), Some("Musk"));
        assert_eq!(trimmed(", Article 5 ,", 0..4).as_deref(), Some("Article 5"));
    }

    #[test]
    fn nothing_of_a_name_is_none_and_ranges_are_clipped() {
        assert_eq!(trimmed("the , ’", 0..3), None);
        assert_eq!(trimmed("Paris", 0..5).as_deref(), Some("Paris"));
        assert_eq!(trimmed("Paris", 3..5), None);
    }
}
