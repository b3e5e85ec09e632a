//! Sentence splitting over the tokens of [`super::tokens::tokenize`].
//!
//! News text breaks the textbook rule "a period ends a sentence" all the time, so the
//! splitter walks the tokens and ends a sentence only where these rules agree:
//!
//! * A line break always ends a sentence: headlines, captions and paragraphs carry no
//!   final punctuation, and paragraphs must never merge.
//! * A full stop, "!", "?", "…", "..." or ".." may end one. Closing quotes and brackets
//!   written right after it belong to the sentence that ends (“...,” / “...in 2019.”).
//!   It ends the sentence unless the next token starts with a lower-case letter (“Why?”
//!   he asked), is continuing punctuation (“Stop!”, she said) or follows without any
//!   space (“I’m ready…”I can…): the missing space marks a typo, not a boundary.
//! * An abbreviation that keeps its period ("U.S.", "Corp.", "etc.") ends a sentence
//!   only when a typical sentence opener follows ("…moved to the U.S. He said"). Titles
//!   ("Mr.", "Adm."), initials ("G.") and "No." before a number never end one.
//!
//! Every token belongs to exactly one sentence; sentence spans run from the first
//! token's start to the last token's end, so they never include outer whitespace.

use super::tokens::{Token, TokenKind};
use super::Abbreviation;
use std::ops::Range;

/// One sentence: its byte span in the text and the indices of its tokens.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Sentence {
    /// Byte offset where the sentence's first token starts.
    pub start: usize,
    /// Byte offset where the sentence's last token ends.
    pub end: usize,
    /// Indices into the token slice the sentence was split from.
    pub tokens: Range<usize>,
}

/// Groups `tokens` (as returned by [`super::tokens::tokenize`] for `text`) into
/// sentences, in order. Every token lies in exactly one sentence. Tokens whose spans do
/// not fit `text` are treated as plain words; nothing panics.
pub fn split_sentences(text: &str, tokens: &[Token]) -> Vec<Sentence> {
    let mut sentences = Vec::new();
    let mut first = 0;
    let mut i = 0;
    while let Some(token) = tokens.get(i) {
        let stop = Stop::of(token, text);
        let mut last = i;
        if stop != Stop::None {
            while let Some(next) = tokens.get(last + 1) {
                if next.start != tokens[last].end || !is_closer(next, text) {
                    break;
                }
                last += 1;
            }
        }
        let ends = match tokens.get(last + 1) {
            None => true,
            Some(next) => {
                let gap = text.get(tokens[last].end..next.start).unwrap_or("");
                has_line_break(gap) || (!gap.is_empty() && stop.ends_before(next, text))
            }
        };
        if ends {
            sentences.push(Sentence {
                start: tokens[first].start,
                end: tokens[last].end,
                tokens: first..last + 1,
            });
            first = last + 1;
        }
        i = last + 1;
    }
    sentences
}

/// What a token can do to end a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// Not sentence-final punctuation: only a line break ends the sentence after it.
    None,
    /// ". ! ? … ... ..": ends the sentence unless the sentence visibly goes on.
    Terminal,
    /// An abbreviation that may end a sentence ("U.S.", "Corp."): ends it before an opener.
    Abbreviation,
}

impl Stop {
    fn of(token: &Token, text: &str) -> Stop {
        let word = token.text(text);
        match token.kind {
            TokenKind::Punct if word.starts_with(['.', '!', '?', '…']) => Stop::Terminal,
            TokenKind::Word => match word.strip_suffix('.') {
                Some(abbreviation) if may_end_sentence(abbreviation) => Stop::Abbreviation,
                _ => Stop::None,
            },
            _ => Stop::None,
        }
    }

    /// Whether a sentence ending in this stop ends before `next`, which follows after
    /// whitespace on the same line.
    fn ends_before(self, next: &Token, text: &str) -> bool {
        let word = next.text(text);
        match self {
            Stop::None => false,
            Stop::Terminal => {
                let continues = match next.kind {
                    TokenKind::Punct => word.starts_with([
                        ',', ';', ':', '-', '–', '—', ')', ']', '}', '.', '!', '?', '…',
                    ]),
                    _ => word.chars().next().is_some_and(char::is_lowercase),
                };
                !continues
            }
            Stop::Abbreviation => next.kind == TokenKind::Word && is_sentence_opener(word),
        }
    }
}

/// Whether an abbreviation token (given without its final period) may end a sentence:
/// initials, titles and number prefixes never do.
fn may_end_sentence(abbreviation: &str) -> bool {
    let mut chars = abbreviation.chars();
    if let (Some(only), None) = (chars.next(), chars.next()) {
        return !only.is_uppercase();
    }
    matches!(
        super::abbreviation(abbreviation),
        None | Some(Abbreviation::General)
    )
}

/// Closing quotes and brackets, and further sentence-final punctuation, that belong to
/// the sentence ending just before them when written without a space.
fn is_closer(token: &Token, text: &str) -> bool {
    let word = token.text(text);
    match token.kind {
        TokenKind::Quote => matches!(word, "”" | "’" | "\"" | "'" | "»" | "›" | "''"),
        TokenKind::Punct => {
            matches!(word, ")" | "]" | "}") || word.starts_with(['.', '!', '?', '…'])
        }
        _ => false,
    }
}

/// Whether whitespace `gap` contains a line or paragraph break.
fn has_line_break(gap: &str) -> bool {
    match gap.as_bytes() {
        [] | [b' '] => false,
        bytes => {
            bytes.iter().any(|&b| b == b'\n' || b == b'\r')
                || gap.contains(['\u{85}', '\u{2028}', '\u{2029}'])
        }
    }
}

/// Words that typically open a sentence, so that an abbreviation before them ends one:
/// pronouns, determiners, conjunctions and common sentence adverbs. Titles are not
/// listed: "the U.S. Rep. Smith" goes on.
fn is_sentence_opener(word: &str) -> bool {
    matches!(
        word,
        "I" | "He"
            | "She"
            | "It"
            | "We"
            | "They"
            | "You"
            | "This"
            | "That"
            | "These"
            | "Those"
            | "There"
            | "Here"
            | "The"
            | "A"
            | "An"
            | "His"
            | "Her"
            | "Its"
            | "Their"
            | "Our"
            | "My"
            | "Your"
            | "But"
            | "And"
            | "Or"
            | "So"
            | "Yet"
            | "In"
            | "On"
            | "At"
            | "As"
            | "If"
            | "When"
            | "While"
            | "After"
            | "Before"
            | "Since"
            | "Although"
            | "Though"
            | "However"
            | "Meanwhile"
            | "Many"
            | "Most"
            | "Some"
            | "Such"
            | "What"
            | "Who"
            | "Why"
            | "How"
            | "Where"
            | "Now"
            | "Then"
            | "Also"
            | "Still"
            | "Both"
            | "All"
            | "Each"
            | "Every"
            | "For"
            | "With"
            | "By"
            | "From"
            | "During"
            | "According"
            | "Despite"
            | "Last"
            | "Earlier"
            | "Later"
            | "Today"
            | "Yesterday"
            | "Officials"
            | "Not"
            | "No"
            | "Nor"
            | "Besides"
    )
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        let tokens = tokenize(text);
        split_sentences(text, &tokens)
            .iter()
            .map(|s| &text[s.start..s.end])
            .collect()
    }

    #[test]
    fn two_sentences_with_an_abbreviated_place() {
        let text = "The US was among the original 12 founding members who signed the North Atlantic Treaty in Washington, D.C., in 1949. Many Eastern European countries joined NATO after the Soviet Union collapsed in 1991.";
        assert_eq!(
            split(text),
            [
                "The US was among the original 12 founding members who signed the North Atlantic Treaty in Washington, D.C., in 1949.",
                "Many Eastern European countries joined NATO after the Soviet Union collapsed in 1991."
            ]
        );
    }

    #[test]
    fn titles_and_initials_never_end_a_sentence() {
        let text = "Meanwhile, retired Adm. James G. Stavridis, the former supreme allied commander of NATO, had then conteded…";
        assert_eq!(split(text), [text]);
        assert_eq!(
            split("Mr. He Jiankui spoke. Dr. A. Smith agreed."),
            ["Mr. He Jiankui spoke.", "Dr. A. Smith agreed."]
        );
    }

    #[test]
    fn abbreviation_ends_a_sentence_before_an_opener() {
        assert_eq!(
            split("He moved to the U.S. He said so. Apple Inc. The firm grew."),
            [
                "He moved to the U.S.",
                "He said so.",
                "Apple Inc.",
                "The firm grew."
            ]
        );
        assert_eq!(
            split("the U.S. Senate and Gen. Motors"),
            ["the U.S. Senate and Gen. Motors"]
        );
        assert_eq!(
            split("toys, books, etc. But not food."),
            ["toys, books, etc.", "But not food."]
        );
        assert_eq!(
            split("On Sept. 11 the No. 2 man left."),
            ["On Sept. 11 the No. 2 man left."]
        );
    }

    #[test]
    fn missing_space_after_closing_quote_does_not_split() {
        let text = "I’m ready…”I can trade it for Nato membership, if there are such conditions,” he said.";
        assert_eq!(split(text), [text]);
    }

    #[test]
    fn double_period_ends_once() {
        let text = "Finland (April 2023) and Sweden (March 2024) are the latest to join..";
        assert_eq!(split(text), [text]);
        assert_eq!(
            split("to join.. According to BBC, yes."),
            ["to join..", "According to BBC, yes."]
        );
    }

    #[test]
    fn quote_with_brackets_is_one_sentence() {
        let text = "Elon Musk, the billionaire who heads the US Department of Government Efficiency (DOGE), agrees that “it’s time [for the US] to leave NATO [North Atlantic Treaty Organization] and the UN [United Nations].”";
        assert_eq!(split(text), [text]);
    }

    #[test]
    fn closing_quotes_belong_to_the_ending_sentence() {
        assert_eq!(
            split("“We won,” he said. “It was in 2019.” Next came more."),
            ["“We won,” he said.", "“It was in 2019.”", "Next came more."]
        );
        assert_eq!(split("\"Go.\" \"Stop.\""), ["\"Go.\"", "\"Stop.\""]);
        assert_eq!(split("(See above.) Then go."), ["(See above.)", "Then go."]);
    }

    #[test]
    fn question_then_lower_case_attribution_does_not_split() {
        assert_eq!(
            split("“Why now?” he asked. “Stop!”, she said!"),
            ["“Why now?” he asked.", "“Stop!”, she said!"]
        );
    }

    #[test]
    fn exclamations_questions_and_ellipses_end_sentences() {
        assert_eq!(
            split("Wow! Really?! Yes… Fine... ok"),
            ["Wow!", "Really?!", "Yes…", "Fine... ok"]
        );
    }

    #[test]
    fn line_breaks_always_end_sentences() {
        assert_eq!(
            split("NATO CHIEFS MEET\nWhat is NATO?\n\nNATO has 32 members\r\nit grew\u{2029}Mr.\nSmith"),
            ["NATO CHIEFS MEET", "What is NATO?", "NATO has 32 members", "it grew", "Mr.", "Smith"]
        );
    }

    #[test]
    fn spans_exclude_outer_whitespace_and_cover_every_token() {
        let text = "  \n Hello there.   Bye now. \n\n";
        let tokens = tokenize(text);
        let sentences = split_sentences(text, &tokens);
        assert_eq!(sentences.len(), 2);
        assert_eq!(&text[sentences[0].start..sentences[0].end], "Hello there.");
        assert_eq!(sentences[0].tokens, 0..3);
        assert_eq!(sentences[1].tokens, 3..6);
        assert!(split("").is_empty() && split(" \n\t ").is_empty());
    }

    #[test]
    fn full_stop_before_lower_case_does_not_split() {
        assert_eq!(
            split("It cost approx. ten dollars."),
            ["It cost approx. ten dollars."]
        );
        assert_eq!(split("He left. she stayed."), ["He left. she stayed."]);
    }

    #[test]
    fn mismatched_tokens_do_not_panic() {
        let tokens = tokenize("A much longer text. With two sentences.");
        let sentences = split_sentences("short", &tokens);
        assert_eq!(
            sentences.iter().map(|s| s.tokens.len()).sum::<usize>(),
            tokens.len()
        );
    }

    /// A tiny linear congruential generator: deterministic pseudo-random numbers
    /// without a dependency.
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self, bound: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((self.0 >> 33) % bound as u64) as usize
        }
    }

    /// Builds a string from characters that stress the rules, plus random code points.
    fn random_text(rng: &mut Lcg, len: usize) -> String {
        const PIECES: &[&str] = &[
            "a", "Z", "U", "S", "7", "0", ".", ".", ",", "'", "’", "‘", "“", "”", "\"", "-", "–",
            "—", "…", "!", "?", " ", " ", "\n", "\r\n", "\t", "(", ")", "[", "]", "$", "%", "@",
            "#", "&", "_", "Mr", "No", "U.S", "http://", "www.", "n't", "é", "e\u{301}", "東",
            "👍", "\u{200D}", "\u{A0}", "\u{2029}", "\u{FEFF}", "`", "''", "é.", "/",
        ];
        let mut out = String::new();
        for _ in 0..len {
            if rng.next(8) == 0 {
                let code = rng.next(0x11_0000) as u32;
                out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
            } else {
                out.push_str(PIECES[rng.next(PIECES.len())]);
            }
        }
        out
    }

    #[test]
    fn random_text_never_panics_and_offsets_stay_valid() {
        let mut rng = Lcg(0x5eed);
        for round in 0..3000 {
            let text = random_text(&mut rng, 1 + round % 60);
            let tokens = tokenize(&text);
            let mut covered = 0;
            for token in &tokens {
                assert!(token.start < token.end, "empty token in {text:?}");
                assert!(token.start >= covered, "overlap in {text:?}");
                assert!(text.is_char_boundary(token.start) && text.is_char_boundary(token.end));
                let gap = &text[covered..token.start];
                assert!(
                    gap.chars()
                        .all(|c| c.is_whitespace() || c == '\u{200B}' || c == '\u{FEFF}'),
                    "non-space {gap:?} dropped from {text:?}"
                );
                covered = token.end;
            }
            assert!(text[covered..]
                .chars()
                .all(|c| c.is_whitespace() || c == '\u{FEFF}' || c == '\u{200B}'));
            let sentences = split_sentences(&text, &tokens);
            let mut next_token = 0;
            for sentence in &sentences {
                assert_eq!(sentence.tokens.start, next_token, "gap in {text:?}");
                assert!(!sentence.tokens.is_empty());
                next_token = sentence.tokens.end;
                assert_eq!(sentence.start, tokens[sentence.tokens.start].start);
                assert_eq!(sentence.end, tokens[sentence.tokens.end - 1].end);
            }
            assert_eq!(next_token, tokens.len());
        }
    }
}
