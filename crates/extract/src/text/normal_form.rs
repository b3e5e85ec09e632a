//! The normal form of article text, which the `text` stage writes and every offset points into.
//!
//! Articles arrive with Windows line endings, non-breaking spaces, zero-width characters,
//! decomposed accents and lines hard-wrapped by some CMS. [`normalise`] rewrites a body into:
//!
//! - Unicode NFC, so "Michèle" is one sequence of code points however it was typed;
//! - one paragraph per block, paragraphs separated by a blank line (`"\n\n"`), no newline inside
//!   a paragraph. A newline in the input separates paragraphs, except where it only wraps a
//!   sentence: the line does not end a sentence and the next starts in lower case;
//! - runs of spaces, tabs and other space characters collapsed to one space; zero-width and
//!   soft-hyphen characters removed; no leading or trailing space on a paragraph.
//!
//! Other stages use it to compare a piece of markup (a heading) with the body in the same form.

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use super::Span;

/// Rewrites `input` into the normal form and returns it with its paragraph spans.
pub fn normalise(input: &str) -> (String, Vec<Span>) {
    let nfc;
    let input = if is_nfc_quick(input.chars()) == IsNormalized::Yes {
        input
    } else {
        nfc = input.nfc().collect::<String>();
        nfc.as_str()
    };
    let lines: Vec<String> = input.split(['\n', '\r']).map(clean_line).collect();
    let mut out = String::with_capacity(input.len());
    let mut paragraphs = Vec::new();
    let mut open: Option<usize> = None;
    for (i, line) in lines.iter().enumerate() {
        if line.is_empty() {
            continue;
        }
        match open {
            Some(_) => out.push(' '),
            None => {
                if !out.is_empty() {
                    out.push_str("\n\n");
                }
                open = Some(out.len());
            }
        }
        out.push_str(line);
        let next = lines.get(i + 1).map(String::as_str).unwrap_or("");
        if !wraps_into(line, next) {
            if let Some(start) = open.take() {
                paragraphs.push(Span::new(start, out.len()));
            }
        }
    }
    if let Some(start) = open {
        paragraphs.push(Span::new(start, out.len()));
    }
    (out, paragraphs)
}

/// Whether `line` is only wrapped onto `next`, i.e. both belong to one paragraph.
fn wraps_into(line: &str, next: &str) -> bool {
    let ends_sentence = line
        .chars()
        .next_back()
        .is_some_and(|c| ".!?:;\"”’')]…".contains(c));
    let next_lower = next.chars().next().is_some_and(char::is_lowercase);
    !ends_sentence && next_lower
}

/// Collapses space runs, drops invisible characters, trims.
fn clean_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut pending_space = false;
    for c in line.chars() {
        if matches!(
            c,
            '\u{200b}' | '\u{200c}' | '\u{2060}' | '\u{feff}' | '\u{ad}'
        ) {
            continue;
        }
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if pending_space && !out.is_empty() {
            out.push(' ');
        }
        pending_space = false;
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paras(input: &str) -> Vec<String> {
        let (text, spans) = normalise(input);
        spans.iter().map(|s| s.text(&text).to_owned()).collect()
    }

    #[test]
    fn single_and_blank_line_separators_both_make_paragraphs() {
        assert_eq!(paras("One.\nTwo.\n\n\nThree."), ["One.", "Two.", "Three."]);
        let (text, _) = normalise("One.\r\nTwo.");
        assert_eq!(text, "One.\n\nTwo.");
    }

    #[test]
    fn wrapped_lines_are_joined_but_headings_are_not() {
        assert_eq!(
            paras("The minister said that the\nplan would work.\nWhat is NATO?\nNATO has members."),
            [
                "The minister said that the plan would work.",
                "What is NATO?",
                "NATO has members."
            ]
        );
        assert_eq!(
            paras("Heading\nBody starts here."),
            ["Heading", "Body starts here."]
        );
    }

    #[test]
    fn spaces_and_invisible_characters_are_cleaned() {
        assert_eq!(
            paras("  a\u{a0}\u{a0}b\t c\u{200b}d soft\u{ad}hyphen  "),
            ["a b cd softhyphen"]
        );
    }

    #[test]
    fn text_is_nfc() {
        let (text, _) = normalise("Miche\u{300}le");
        assert_eq!(text, "Mich\u{e8}le");
    }
}
