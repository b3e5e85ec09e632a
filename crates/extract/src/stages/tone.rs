//! Tone: how positive or negative the article's wording is, in GDELT's terms.
//!
//! GDELT's Global Knowledge Graph scores the tone of a news article by counting words from a
//! sentiment dictionary: the percentage of words that are positive, the percentage that are
//! negative, their difference (the tone, typically between -10 and +10) and their sum (the
//! polarity: how emotionally charged the text is at all). This stage computes the same four
//! figures plus the word count, so records can be compared with GDELT's.
//!
//! The dictionary is VADER's human-rated lexicon (Hutto & Gilbert 2014, MIT licence), shipped in
//! `data/lexicons/` and embedded in the binary; it is loaded once, when the stage is built, into
//! a hash map. Each word has the mean of ten ratings between -4 and +4. Only words rated at
//! least [`MIN_VALENCE`] either way count: VADER was built for social media, and its mildly
//! rated words are where the social sense and the news sense part ("join", "support",
//! "security", "block", "fire"), while strongly rated ones keep their sense ("war", "killed",
//! "crisis", "success", "great"). On the BBC corpus this turns VADER's positive average for
//! every topic into the expected pattern: politics and business slightly negative, sport and
//! entertainment positive.
//!
//! Counting is over `Doc::tokens`, sentence by sentence:
//!
//! * every word token counts towards `words`, except split-off clitics ("’s", "n’t");
//! * a sentiment word preceded, within its sentence and clause, by a negator ("not", "no",
//!   "never", "n’t", "without", "hardly", …) at most [`NEGATION_REACH`] words back counts with
//!   the opposite polarity ("not great" is negative, "no threat" positive); a comma, semicolon,
//!   colon, dash or bracket ends the negation's reach;
//! * a capitalised word inside a sentence is taken for part of a name and carries no sentiment
//!   ("Super Bowl", "Joy Division", "Grand Prix");
//! * a few strongly rated words whose rated sense is rare in news are ignored
//!   ([`NEUTRAL_IN_NEWS`]): "interest" is mostly financial there, "kind" and "pretty" adverbs,
//!   "hand" and "heart" parts of set phrases.

use std::collections::HashMap;

use crate::pipeline::doc::Tone;
use crate::pipeline::{Doc, Stage, StageError};
use crate::text::sentences::Sentence;
use crate::text::tokens::{is_clitic, is_negating_clitic, Token, TokenKind};
use crate::text::words::lowercase_ascii;

/// The lexicon file: `word<TAB>valence` lines, `#` comments.
const LEXICON: &str = include_str!("../../data/lexicons/vader-polarity.tsv");

/// The weakest mean rating (of ±4) that makes a word count as positive or negative.
pub const MIN_VALENCE: f64 = 2.0;

/// How many words after a negator have their polarity flipped.
pub const NEGATION_REACH: usize = 3;

/// Words that invert the polarity of the sentiment words after them. The clitic "n’t" is
/// recognised separately.
#[rustfmt::skip]
const NEGATORS: &[&str] = &[
    "not", "no", "never", "without", "hardly", "barely", "scarcely", "neither", "nor", "none",
    "nobody", "nothing", "nowhere", "cannot", "dont", "doesnt", "didnt", "isnt", "arent", "wasnt",
    "werent", "wont", "cant", "couldnt", "shouldnt", "wouldnt", "hasnt", "havent", "hadnt", "aint",
];

/// Strongly rated lexicon words whose rated sense is rare in news text, where they are parts
/// of set phrases ("kind of", "on the other hand", "at the heart of", "health care", "free
/// kick", "pretty much"), finance ("interest rates") or sport ("penalty", "Super Bowl").
#[rustfmt::skip]
pub const NEUTRAL_IN_NEWS: &[&str] = &[
    "interest", "kind", "pretty", "hand", "care", "cares", "heart", "grand", "super", "penalty",
    "free",
];

/// The longest lexicon word, in bytes; longer tokens are not looked up.
const MAX_WORD_BYTES: usize = 32;

/// Whether a word is positive or negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Polarity {
    Positive,
    Negative,
}

impl Polarity {
    fn flipped(self) -> Self {
        match self {
            Polarity::Positive => Polarity::Negative,
            Polarity::Negative => Polarity::Positive,
        }
    }
}

/// What a lexicon word does to the tone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WordClass {
    /// It carries sentiment.
    Sentiment(Polarity),
    /// It negates the sentiment words after it.
    Negator,
}

/// Counts positive and negative words and reports GDELT-style tone.
pub struct ToneStage {
    /// Lower-case word → what it does; negators override the lexicon's rating.
    lexicon: HashMap<&'static str, WordClass>,
}

impl ToneStage {
    /// A tone stage with the embedded lexicon loaded.
    pub fn new() -> Self {
        let lexicon = LEXICON
            .lines()
            .filter(|line| !line.starts_with('#'))
            .filter_map(|line| {
                let (word, valence) = line.split_once('\t')?;
                let valence: f64 = valence.trim().parse().ok()?;
                if valence.abs() < MIN_VALENCE {
                    return None;
                }
                let polarity = if valence > 0.0 {
                    Polarity::Positive
                } else {
                    Polarity::Negative
                };
                Some((word, WordClass::Sentiment(polarity)))
            })
            .filter(|(word, _)| !NEUTRAL_IN_NEWS.contains(word))
            .chain(NEGATORS.iter().map(|&word| (word, WordClass::Negator)))
            .collect();
        ToneStage { lexicon }
    }

    /// The tone of a document's text, from its tokens and sentences.
    fn tone(&self, text: &str, tokens: &[Token], sentences: &[Sentence]) -> Tone {
        let mut counts = Counts::default();
        for sentence in sentences {
            let tokens = tokens.get(sentence.tokens.clone()).unwrap_or_default();
            self.count_sentence(text, tokens, &mut counts);
        }
        counts.tone()
    }

    /// Adds the words of one sentence to `counts`.
    fn count_sentence(&self, text: &str, tokens: &[Token], counts: &mut Counts) {
        let mut buffer = [0u8; MAX_WORD_BYTES];
        // Words seen since the last negator of this clause; None when there is none.
        let mut since_negator: Option<usize> = None;
        let mut after_word = false;
        for token in tokens {
            let word = token.text(text);
            match token.kind {
                TokenKind::Word if is_negating_clitic(word) => since_negator = Some(0),
                TokenKind::Word if is_clitic(word) => {}
                TokenKind::Word => {
                    counts.words += 1;
                    let class =
                        lowercase_ascii(word, &mut buffer).and_then(|w| self.lexicon.get(w));
                    match class {
                        Some(WordClass::Negator) => since_negator = Some(0),
                        Some(&WordClass::Sentiment(polarity))
                            if !(after_word && is_name_like(word)) =>
                        {
                            let negated = since_negator.is_some_and(|n| n < NEGATION_REACH);
                            counts.add(if negated {
                                polarity.flipped()
                            } else {
                                polarity
                            });
                            since_negator = since_negator.map(|n| n + 1);
                        }
                        _ => since_negator = since_negator.map(|n| n + 1),
                    }
                }
                TokenKind::Number => since_negator = since_negator.map(|n| n + 1),
                TokenKind::Punct if ends_clause(word) => since_negator = None,
                _ => {}
            }
            after_word = matches!(token.kind, TokenKind::Word | TokenKind::Number);
        }
    }
}

impl Default for ToneStage {
    fn default() -> Self {
        Self::new()
    }
}

impl Stage for ToneStage {
    fn name(&self) -> &'static str {
        "tone"
    }

    fn english_only(&self) -> bool {
        true
    }

    fn run(&self, doc: &mut Doc) -> Result<(), StageError> {
        doc.tone = Some(self.tone(&doc.text, &doc.tokens, &doc.sentences));
        Ok(())
    }
}

/// Running word counts.
#[derive(Debug, Default)]
struct Counts {
    words: usize,
    positive: usize,
    negative: usize,
}

impl Counts {
    fn add(&mut self, polarity: Polarity) {
        match polarity {
            Polarity::Positive => self.positive += 1,
            Polarity::Negative => self.negative += 1,
        }
    }

    /// The percentages; all zero for a text without words.
    fn tone(&self) -> Tone {
        let percent = |n: usize| {
            if self.words == 0 {
                0.0
            } else {
                100.0 * n as f64 / self.words as f64
            }
        };
        let (positive, negative) = (percent(self.positive), percent(self.negative));
        Tone {
            score: positive - negative,
            positive,
            negative,
            polarity: positive + negative,
            words: self.words,
        }
    }
}

/// Whether a word is written like part of a name: a capital followed by a lower-case letter.
fn is_name_like(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.any(char::is_lowercase)
}

/// Whether a punctuation token ends the clause a negation reaches over.
fn ends_clause(punct: &str) -> bool {
    matches!(
        punct,
        "," | ";" | ":" | "--" | "—" | "–" | "(" | ")" | "[" | "]"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::testing::prepared;

    fn tone(text: &str) -> Tone {
        let mut doc = prepared("t", text);
        ToneStage::new().run(&mut doc).expect("tone stage");
        doc.tone.expect("tone filled")
    }

    fn counts(text: &str) -> (usize, usize, usize) {
        let t = tone(text);
        let count = |p: f64| (p * t.words as f64 / 100.0).round() as usize;
        (count(t.positive), count(t.negative), t.words)
    }

    #[test]
    fn every_strong_lexicon_word_loads_except_the_left_out_ones() {
        let entries: Vec<(&str, f64)> = LEXICON
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let (word, valence) = l.split_once('\t')?;
                Some((word, valence.parse().ok()?))
            })
            .collect();
        assert_eq!(
            entries.len(),
            LEXICON.lines().filter(|l| !l.starts_with('#')).count()
        );
        let strong = entries.iter().filter(|(_, v)| v.abs() >= MIN_VALENCE);
        let kept = strong
            .filter(|(w, _)| !NEUTRAL_IN_NEWS.contains(w) && !NEGATORS.contains(w))
            .count();
        assert!(kept > 2000, "{kept}");
        assert_eq!(ToneStage::new().lexicon.len(), kept + NEGATORS.len());
    }

    #[test]
    fn counts_positive_and_negative_words_as_percentages() {
        let t = tone("The brave rescue was a great success, despite the terrible storm.");
        assert_eq!(t.words, 11);
        let expected_positive = 100.0 * 4.0 / 11.0;
        let expected_negative = 100.0 * 1.0 / 11.0;
        assert!((t.positive - expected_positive).abs() < 1e-9, "{t:?}");
        assert!((t.negative - expected_negative).abs() < 1e-9, "{t:?}");
        assert!((t.score - (t.positive - t.negative)).abs() < 1e-9);
        assert!((t.polarity - (t.positive + t.negative)).abs() < 1e-9);
    }

    #[test]
    fn negators_flip_the_next_three_words() {
        assert_eq!(counts("This is not great."), (0, 1, 4));
        assert_eq!(counts("This is not at all very great."), (1, 0, 7));
        assert_eq!(counts("There was no threat to the town."), (1, 0, 7));
        assert_eq!(counts("It wasn’t a disaster."), (1, 0, 4));
        assert_eq!(counts("It didn't win."), (0, 1, 3));
        assert_eq!(counts("He left without fear."), (1, 0, 4));
        assert_eq!(counts("Never will they win."), (0, 1, 4));
        assert_eq!(counts("Never again will they win."), (1, 0, 5));
    }

    #[test]
    fn negation_stops_at_clauses_and_sentences() {
        assert_eq!(counts("No, this is great."), (1, 0, 4));
        assert_eq!(counts("It was not. Great news followed."), (1, 0, 6));
        assert_eq!(counts("Not one of the many, many great ideas."), (1, 0, 8));
    }

    #[test]
    fn negators_and_clitics_carry_no_sentiment_themselves() {
        assert_eq!(counts("No. Nothing. Never."), (0, 0, 3));
        assert_eq!(counts("The team’s win"), (1, 0, 3));
    }

    #[test]
    fn names_and_news_senses_are_neutral() {
        assert_eq!(counts("The United Nations met Joy Smith."), (0, 0, 6));
        assert_eq!(
            counts("Interest rates and health care were, on the other hand, pretty free."),
            (0, 0, 12)
        );
        assert_eq!(counts("Great news. “Wonderful,” she said."), (2, 0, 5));
    }

    #[test]
    fn capitals_do_not_hide_sentiment_at_sentence_starts_or_in_capitals() {
        assert_eq!(counts("Terrible. Great. He said: Awful."), (1, 2, 5));
        assert_eq!(counts("THE TERRIBLE WAR"), (0, 2, 3));
    }

    #[test]
    fn text_without_words_has_zero_tone() {
        let t = tone("123 456 ?! …");
        assert_eq!(t.words, 0);
        assert_eq!(
            (t.score, t.positive, t.negative, t.polarity),
            (0.0, 0.0, 0.0, 0.0)
        );
    }
}
