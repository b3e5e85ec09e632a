//! Sections: the article's headings and the stretch of text each one opens.
//!
//! An HTML page marks its headings (`h1`–`h6`); the HTML stage hands their texts over in
//! `Doc::page_headings` and this stage finds them among the paragraphs of the normalised text.
//! A plain-text body has no markup, so its headings are recognised by shape. News explainers and
//! live pages write them as short paragraphs of their own:
//!
//! ```text
//! …the others should help defend it.
//!
//! Why isn’t Ukraine a NATO member?
//!
//! It’s feared that Ukraine joining NATO could upset Russia, …
//! ```
//!
//! A paragraph is a heading when it
//!
//! * is short: at most [`MAX_HEADING_WORDS`] words and [`MAX_HEADING_CHARS`] characters;
//! * starts with a capital letter or a digit (not with a quotation mark: that is a quote);
//! * does not end like a sentence or a clause — no final `.` `,` `;` `:` `!` `…` or dash, and no
//!   closing quote or bracket after one — except that a question may end with `?`;
//! * does not end with a word that needs a continuation ("… qualification for"), and is not a
//!   list of names (more than two commas);
//! * is not a dateline ("LONDON (Reuters)", "WASHINGTON, March 3"), a timestamp ("Updated 12
//!   March"), a byline ("By Jane Doe") or page furniture ("Advertisement", "Image caption");
//! * stands between two body paragraphs: it is not the first paragraph (the lede, or a headline
//!   repeated at the top); neither neighbour has the shape above (a run of short lines is a
//!   list, a headline with its standfirst, or a table); the paragraph before is not a short
//!   label ending with a colon ("Playing colours:", whose value the line is); and the paragraph
//!   after starts like a paragraph — with a capital, a digit or a quotation mark, not in lower
//!   case or with a dash, which shows a sentence cut in two.
//!
//! A section runs from its heading to the end of the last paragraph before the next heading, or
//! to the end of the text. Text before the first heading belongs to no section.
//!
//! When `Doc::sections` is already filled (by an earlier stage that knew the structure), the
//! stage leaves it alone.

use crate::pipeline::doc::{Section, Span};
use crate::pipeline::{Doc, Stage, StageError};
use crate::text::calendar;
use crate::text::normal_form::normalise;
use crate::text::words::lowercase_ascii;

/// The most words a heading found by shape may have.
pub const MAX_HEADING_WORDS: usize = 12;

/// The most characters a heading found by shape may have.
pub const MAX_HEADING_CHARS: usize = 100;

/// Finds headings and builds sections from them.
pub struct SectionsStage;

impl Stage for SectionsStage {
    fn name(&self) -> &'static str {
        "sections"
    }

    fn run(&self, doc: &mut Doc) -> Result<(), StageError> {
        if !doc.sections.is_empty() {
            return Ok(());
        }
        let mut headings = locate_page_headings(&doc.text, &doc.paragraphs, &doc.page_headings);
        if headings.is_empty() {
            headings = find_headings(&doc.text, &doc.paragraphs);
        }
        doc.sections = sections(&doc.paragraphs, &headings);
        Ok(())
    }
}

/// Indices of the paragraphs of `text` that are headings by their shape and place.
pub fn find_headings(text: &str, paragraphs: &[Span]) -> Vec<usize> {
    let texts: Vec<&str> = paragraphs.iter().map(|p| p.text(text)).collect();
    let shaped: Vec<bool> = texts.iter().map(|p| is_heading_shaped(p)).collect();
    (1..paragraphs.len().saturating_sub(1))
        .filter(|&i| shaped[i] && !shaped[i - 1] && !shaped[i + 1])
        .filter(|&i| !is_label(texts[i - 1]) && starts_like_a_paragraph(texts[i + 1]))
        .filter(|&i| is_heading_text(texts[i]))
        .collect()
}

/// Indices of the paragraphs that carry the page's headings, matched in order; headings that
/// cannot be found (the text was cut, or a heading was not a paragraph) are left out.
fn locate_page_headings(text: &str, paragraphs: &[Span], headings: &[String]) -> Vec<usize> {
    let mut found = Vec::new();
    let mut next = 0;
    for heading in headings {
        let (wanted, _) = normalise(heading);
        if wanted.is_empty() {
            continue;
        }
        if let Some(offset) = paragraphs
            .get(next..)
            .unwrap_or_default()
            .iter()
            .position(|p| p.text(text) == wanted)
        {
            found.push(next + offset);
            next += offset + 1;
        }
    }
    found
}

/// Sections opened by the heading paragraphs `headings` (increasing indices into `paragraphs`).
fn sections(paragraphs: &[Span], headings: &[usize]) -> Vec<Section> {
    headings
        .iter()
        .enumerate()
        .filter_map(|(k, &first)| {
            let heading = *paragraphs.get(first)?;
            let last = headings
                .get(k + 1)
                .map_or(paragraphs.len(), |&next| next)
                .checked_sub(1)?;
            let end = paragraphs.get(last).map_or(heading.end, |p| p.end);
            Some(Section {
                heading,
                span: Span::new(heading.start, end.max(heading.end)),
            })
        })
        .collect()
}

/// Whether a paragraph is shaped like a heading: short, capitalised, not ending like a sentence
/// (a question mark excepted). Datelines and list items have this shape too; a paragraph of
/// this shape is never the body a heading needs around it.
fn is_heading_shaped(paragraph: &str) -> bool {
    let words = paragraph.split_whitespace().count();
    if words == 0 || words > MAX_HEADING_WORDS || paragraph.chars().count() > MAX_HEADING_CHARS {
        return false;
    }
    paragraph
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_numeric())
        && paragraph.chars().any(char::is_alphabetic)
        && !ends_like_a_clause(paragraph)
}

/// Whether a heading-shaped paragraph reads as a heading: not a dateline, byline or page
/// furniture, not a sentence cut off before its end ("… went to form in Sheffield as"), not a
/// list of names ("Barcelona, Bayern Munich, Porto, Real Madrid").
fn is_heading_text(paragraph: &str) -> bool {
    let last_word = paragraph
        .split_whitespace()
        .next_back()
        .unwrap_or("")
        .to_lowercase();
    !is_dateline(paragraph)
        && !is_furniture(paragraph)
        && !CONTINUING_WORDS.contains(&last_word.as_str())
        && paragraph.matches(',').count() <= MAX_HEADING_COMMAS
}

/// The most commas a heading may have; more make a list.
const MAX_HEADING_COMMAS: usize = 2;

/// Words a heading cannot end with because they need a continuation: articles, prepositions,
/// conjunctions.
#[rustfmt::skip]
const CONTINUING_WORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "but", "nor", "of", "to", "in", "on", "at", "for", "with", "by",
    "from", "as", "that", "than", "into", "onto", "about", "over", "after", "before", "between",
    "against", "during", "under", "via", "its", "their", "his", "her", "our", "my", "your",
];

/// Whether a paragraph is a short label ending with a colon ("Playing colours:"), whose value
/// is the next line rather than a section.
fn is_label(paragraph: &str) -> bool {
    paragraph.ends_with(':') && paragraph.split_whitespace().count() <= MAX_LABEL_WORDS
}

/// The most words of a label line.
const MAX_LABEL_WORDS: usize = 4;

/// Whether a paragraph starts the way a body paragraph does: with a capital letter, a digit or
/// an opening quotation mark — not in lower case or with punctuation, which shows the line
/// before it was a sentence cut in two (names stripped from a caption, a list after a colon).
fn starts_like_a_paragraph(paragraph: &str) -> bool {
    paragraph.chars().next().is_some_and(|c| {
        c.is_uppercase() || c.is_numeric() || matches!(c, '"' | '\'' | '“' | '‘' | '«' | '„' | '(')
    })
}

/// Whether the paragraph ends with punctuation that closes a sentence or a clause, possibly
/// followed by closing quotes or brackets. A bare question mark does not count: questions are
/// a common form of heading.
fn ends_like_a_clause(paragraph: &str) -> bool {
    let mut tail = paragraph.chars().rev().peekable();
    let mut closed = false;
    while tail.next_if(|&c| is_closer(c)).is_some() {
        closed = true;
    }
    match tail.next() {
        Some('?') => closed,
        Some(c) => is_clause_end(c),
        None => true,
    }
}

/// Punctuation that ends a sentence or a clause.
fn is_clause_end(c: char) -> bool {
    matches!(
        c,
        '.' | ',' | ';' | ':' | '!' | '…' | '-' | '–' | '—' | '‐' | '‒' | '―'
    )
}

/// Closing quotation marks and brackets.
fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | '»' | '›' | ')' | ']' | '}')
}

/// Whether `word` is a month name or abbreviation ("March", "Sept") or a weekday name
/// ("Friday"), in any case: those open datelines and timestamps.
fn is_calendar_name(word: &str) -> bool {
    let mut buffer = [0u8; 12];
    lowercase_ascii(word, &mut buffer)
        .is_some_and(|lower| calendar::month(lower).is_some() || calendar::weekday(lower).is_some())
}

/// First words of timestamp lines.
const TIMESTAMP_WORDS: &[&str] = &["updated", "published", "posted", "last", "first"];

/// Whether the paragraph is a dateline, a timestamp or a byline rather than a heading:
/// "LONDON (Reuters)", "WASHINGTON, March 3", "Updated 12 March 2025", "March 3, 2025",
/// "By Jane Doe and John Roe".
fn is_dateline(paragraph: &str) -> bool {
    let mut words = paragraph.split_whitespace();
    let Some(first) = words.next() else {
        return false;
    };
    let bare = first.trim_end_matches([',', ':', '.']);
    let second = words.next().unwrap_or("");
    let has_digit = paragraph.chars().any(|c| c.is_ascii_digit());
    let upper_place = bare.chars().count() >= 2 && bare.chars().all(|c| c.is_uppercase());
    let is_one_of = |list: &[&str]| list.iter().any(|w| w.eq_ignore_ascii_case(bare));
    (upper_place && (first.ends_with(',') || second.starts_with('(')))
        || (has_digit && (is_calendar_name(bare) || is_one_of(TIMESTAMP_WORDS)))
        || (bare == "By" && second.starts_with(char::is_uppercase))
}

/// Lines of page furniture that survive in plain-text bodies, compared case-insensitively:
/// the whole line for single words, its start for the phrases.
#[rustfmt::skip]
const FURNITURE: &[&str] = &[
    "advertisement", "advert", "sponsored", "related", "share", "comments", "read more", "see also",
    "more on this story", "related topics", "related content", "image caption", "image source",
    "media caption", "getty images", "sign up", "follow us", "share this", "click here",
    "listen to", "watch:",
];

/// Whether a heading-shaped line is page furniture rather than a heading.
fn is_furniture(paragraph: &str) -> bool {
    let lower = paragraph.to_lowercase();
    FURNITURE.iter().any(|f| {
        if f.contains(' ') || f.ends_with(':') {
            lower.starts_with(f)
        } else {
            lower == *f
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::testing::prepared;

    fn headings(text: &str) -> Vec<String> {
        let mut doc = prepared("t", text);
        SectionsStage.run(&mut doc).expect("sections stage");
        doc.sections
            .iter()
            .map(|s| s.heading.text(&doc.text).to_string())
            .collect()
    }

    const BODY_A: &str = "The harbour authority approved a plan on Tuesday to dredge the eastern channel, ending a long dispute.";
    const BODY_B: &str = "Officials said the work would begin in the spring and take about eighteen months to finish.";
    const BODY_C: &str = "Conservation groups warned that dredging could disturb seagrass beds and asked for monitoring.";

    fn article(lines: &[&str]) -> String {
        lines.join("\n")
    }

    #[test]
    fn question_and_plain_headings_between_body_paragraphs() {
        let text = article(&[
            BODY_A,
            BODY_B,
            "Why does the channel matter?",
            BODY_C,
            BODY_B,
            "Who pays for it",
            BODY_A,
            "What the ‘deal’ could mean?",
            BODY_C,
        ]);
        assert_eq!(
            headings(&text),
            [
                "Why does the channel matter?",
                "Who pays for it",
                "What the ‘deal’ could mean?"
            ]
        );
    }

    #[test]
    fn section_spans_run_to_the_paragraph_before_the_next_heading() {
        let text = article(&[BODY_A, "First part", BODY_B, BODY_C, "Second part", BODY_A]);
        let mut doc = prepared("t", &text);
        SectionsStage.run(&mut doc).expect("sections stage");
        let spans: Vec<&str> = doc
            .sections
            .iter()
            .map(|s| s.span.text(&doc.text))
            .collect();
        assert_eq!(
            spans,
            [
                format!("First part\n\n{BODY_B}\n\n{BODY_C}"),
                format!("Second part\n\n{BODY_A}"),
            ]
        );
        assert_eq!(doc.sections[1].span.end, doc.text.len());
    }

    #[test]
    fn lines_ending_like_clauses_are_not_headings() {
        for line in [
            "Here is all you need to know:",
            "Prices rose sharply.",
            "And then,",
            "Stop this now!",
            "He called it a mistake.”",
            "Was it “fair?”",
            "Nobody expected it…",
            "LONDON —",
        ] {
            assert_eq!(
                headings(&article(&[BODY_A, line, BODY_B])),
                Vec::<String>::new(),
                "{line}"
            );
        }
    }

    #[test]
    fn long_lines_quotes_and_lower_case_lines_are_not_headings() {
        for line in [
            "Here is all you need to know about the harbour and what it means for the town and its people",
            "“We will never give up”",
            "‘Not now’",
            "and the rest of the story",
            "2024",
            "",
        ] {
            assert_eq!(headings(&article(&[BODY_A, line, BODY_B])), Vec::<String>::new(), "{line}");
        }
    }

    #[test]
    fn datelines_bylines_and_furniture_are_not_headings() {
        for line in [
            "LONDON (Reuters)",
            "WASHINGTON, March 3",
            "Updated 12 March 2025",
            "March 3, 2025",
            "By Jane Doe and John Roe",
            "Advertisement",
            "Read more about the harbour",
            "Image caption",
        ] {
            assert_eq!(
                headings(&article(&[BODY_A, line, BODY_B])),
                Vec::<String>::new(),
                "{line}"
            );
        }
    }

    #[test]
    fn first_and_last_paragraphs_and_runs_of_short_lines_are_not_headings() {
        assert_eq!(
            headings(&article(&["A headline", BODY_A, BODY_B])),
            Vec::<String>::new()
        );
        assert_eq!(
            headings(&article(&[BODY_A, BODY_B, "The end"])),
            Vec::<String>::new()
        );
        let list = article(&[BODY_A, "Apples", "Pears", "Plums", BODY_B]);
        assert_eq!(headings(&list), Vec::<String>::new());
        let standfirst = article(&["Harbour deal agreed", "A standfirst without a stop", BODY_A]);
        assert_eq!(headings(&standfirst), Vec::<String>::new());
    }

    #[test]
    fn cut_sentences_lists_and_label_values_are_not_headings() {
        for lines in [
            [
                BODY_A,
                "The men's race went to form in Sheffield as",
                BODY_B,
            ],
            [BODY_A, "Qualification was secured for", BODY_B],
            [
                BODY_A,
                "Barcelona, Bayern Munich, Porto, Real Madrid",
                BODY_B,
            ],
            [
                BODY_A,
                "Olympic champion",
                "stretched her unbeaten record to 25 races.",
            ],
            [
                BODY_A,
                "The government had claimed tobacco firms",
                " - lied about the dangers.",
            ],
            ["Playing colours:", "All black", BODY_B],
        ] {
            let text = article(&[BODY_C, lines[0], lines[1], lines[2]]);
            assert_eq!(headings(&text), Vec::<String>::new(), "{lines:?}");
        }
    }

    #[test]
    fn a_long_introduction_ending_with_a_colon_may_precede_a_heading() {
        let intro = "Here is everything you need to know about the harbour, the plan and what happens next:";
        let text = article(&[BODY_A, intro, "What is the plan?", BODY_B]);
        assert_eq!(headings(&text), ["What is the plan?"]);
    }

    #[test]
    fn numbered_headings_count() {
        let text = article(&[BODY_A, "1. The money", BODY_B, "2 Who decides", BODY_C]);
        // "1. The money" ends without a stop, so both numbered lines are headings.
        assert_eq!(headings(&text), ["1. The money", "2 Who decides"]);
    }

    #[test]
    fn page_headings_are_located_and_win_over_shapes() {
        let text = article(&[BODY_A, "Why it  matters", BODY_B, "Not a heading", BODY_C]);
        let mut doc = prepared("t", &text);
        doc.page_headings = vec!["Why it matters".into(), "Missing heading".into()];
        SectionsStage.run(&mut doc).expect("sections stage");
        let found: Vec<&str> = doc
            .sections
            .iter()
            .map(|s| s.heading.text(&doc.text))
            .collect();
        assert_eq!(found, ["Why it matters"]);
        assert_eq!(doc.sections[0].span.end, doc.text.len());
    }

    #[test]
    fn existing_sections_are_kept() {
        let text = article(&[BODY_A, "Who pays for it", BODY_B]);
        let mut doc = prepared("t", &text);
        let given = Section {
            heading: Span::new(0, 3),
            span: Span::new(0, 10),
        };
        doc.sections = vec![given.clone()];
        SectionsStage.run(&mut doc).expect("sections stage");
        assert_eq!(doc.sections, [given]);
    }

    #[test]
    fn never_panics_on_odd_input() {
        for text in [
            "?",
            "A\n\nB\n\nC",
            "“\n\n”\n\n‘",
            "é\n\nÉ?\n\nü",
            "\u{0}\n\nX\n\n\u{0}",
        ] {
            let mut doc = prepared("t", text);
            SectionsStage.run(&mut doc).expect("sections stage");
        }
        let mut doc = prepared("t", "Body one.\n\nHead\n\nBody two.");
        doc.page_headings = vec![String::new(), "\n".into()];
        SectionsStage.run(&mut doc).expect("sections stage");
        assert_eq!(doc.sections.len(), 1);
    }
}
