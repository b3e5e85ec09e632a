//! Keywords: the phrases the article is about, ranked.
//!
//! The method is RAKE (Rapid Automatic Keyword Extraction, Rose et al. 2010), tuned for news:
//!
//! 1. **Candidates.** Within each sentence, a candidate phrase is a maximal run of content
//!    words: word tokens that are not stop words (a word in capitals is an acronym, never a
//!    stop word: "US", "IT", "WHO"). Stop words, numbers, punctuation, quotes,
//!    symbols, links and clitics ("’s") all end a run, so a phrase never spans punctuation.
//!    Runs longer than [`MAX_PHRASE_WORDS`] words are kept for the word statistics but are
//!    not candidates themselves (they are usually lists of names or titles, not key phrases).
//! 2. **Word scores.** For each word (compared in lower case), its frequency `freq` over all
//!    runs and its degree `deg`, the summed length of the runs it occurs in. RAKE scores a word
//!    `deg / freq`: words that keep company in longer phrases score higher.
//! 3. **Phrase scores.** A phrase scores the sum of its words' scores (RAKE), times the mean of
//!    `ln(1 + freq)` over its words, times the number of times the phrase occurs. Plain RAKE
//!    favours long phrases the article uses once; the two factors make phrases the article
//!    repeats, and phrases of words it keeps coming back to, rank first. Phrases are counted
//!    case-insensitively ("Trade deal" at a sentence start and "trade
//!    deal" inside one are the same phrase).
//!
//! The top [`MAX_KEYWORDS`] phrases are kept, ties going to the earlier phrase; each is written
//! as it first appears in the text.

use std::collections::{HashMap, HashSet};

use crate::pipeline::doc::{Keyword, Span};
use crate::pipeline::{Doc, Stage, StageError};
use crate::text::sentences::Sentence;
use crate::text::tokens::{is_clitic, Token, TokenKind};
use crate::text::words::lowercase_ascii;

/// How many keywords an article gets.
pub const MAX_KEYWORDS: usize = 10;

/// The longest candidate phrase, in words.
pub const MAX_PHRASE_WORDS: usize = 4;

/// The longest word looked up in the stop-word list through the stack buffer, in bytes.
const MAX_STOP_WORD_BYTES: usize = 16;

/// English function words, plus the reporting verbs and fillers of news prose ("said",
/// "according", "also") that would otherwise glue themselves into every phrase.
#[rustfmt::skip]
const STOP_WORDS: &[&str] = &[
    "a", "about", "above", "across", "after", "afterwards", "again", "against", "ago", "all",
    "almost", "alone", "along", "already", "also", "although", "always", "am", "among", "amongst",
    "an", "and", "another", "any", "anyone", "anything", "anyway", "anywhere", "are", "around",
    "as", "at", "away", "back", "be", "became", "because", "become", "becomes", "been", "before",
    "beforehand", "behind", "being", "below", "beside", "besides", "between", "beyond", "both",
    "but", "by", "came", "can", "cannot", "come", "comes", "could", "did", "do", "does", "doing",
    "done", "down", "due", "during", "each", "either", "else", "elsewhere", "enough", "even",
    "ever", "every", "everyone", "everything", "everywhere", "except", "far", "few", "for",
    "former", "formerly", "from", "further", "get", "gets", "getting", "give", "given", "gives",
    "go", "goes", "going", "gone", "got", "had", "has", "have", "having", "he", "hence", "her",
    "here", "hers", "herself", "him", "himself", "his", "how", "however", "i", "if", "in", "indeed",
    "instead", "into", "is", "it", "its", "itself", "just", "last", "later", "least", "less", "let",
    "like", "made", "make", "makes", "many", "may", "me", "meanwhile", "might", "mine", "more",
    "moreover", "most", "mostly", "much", "must", "my", "myself", "near", "nearly", "neither",
    "never", "nevertheless", "next", "no", "nobody", "none", "nor", "not", "nothing", "now",
    "nowhere", "of", "off", "often", "on", "once", "one", "only", "onto", "or", "other", "others",
    "otherwise", "our", "ours", "ourselves", "out", "over", "own", "per", "perhaps", "put", "quite",
    "rather", "really", "same", "see", "seem", "seemed", "seems", "several", "she", "should",
    "since", "so", "some", "someone", "something", "sometimes", "somewhere", "soon", "still",
    "such", "take", "taken", "than", "that", "the", "their", "theirs", "them", "themselves", "then",
    "there", "thereby", "therefore", "these", "they", "this", "those", "though", "through",
    "throughout", "thus", "to", "together", "too", "took", "toward", "towards", "under", "unless",
    "until", "up", "upon", "us", "use", "used", "very", "via", "was", "we", "well", "were", "what",
    "whatever", "when", "whenever", "where", "whereas", "whether", "which", "while", "who",
    "whoever", "whole", "whom", "whose", "why", "will", "with", "within", "without", "would", "yet",
    "you", "your", "yours", "yourself", "yourselves", "said", "says", "say", "saying", "told",
    "tell", "tells", "added", "adds", "according", "asked", "stated", "noted", "explained",
    "reported", "claimed", "believes", "believed", "think", "thinks", "thought", "want", "wants",
    "wanted", "need", "needs", "new", "mr", "mrs", "ms", "dr", "yes", "oh", "ok", "okay", "etc",
    "eg", "ie", "de", "la", "le", "first", "second", "two", "three", "four", "five", "six", "seven",
    "eight", "nine", "ten", "year", "years", "week", "weeks", "month", "months", "day", "days",
    "time", "times", "today", "yesterday", "tomorrow", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "including", "included", "includes", "recently", "way",
    "things", "thing", "lot", "lots", "part", "able", "unlike", "likely", "unlikely",
];

/// Extracts the article's key phrases.
pub struct KeywordsStage {
    stop_words: HashSet<&'static str>,
}

impl KeywordsStage {
    /// A keywords stage with its stop-word list loaded.
    pub fn new() -> Self {
        KeywordsStage {
            stop_words: STOP_WORDS.iter().copied().collect(),
        }
    }

    /// The key phrases of `text`, given its tokens and sentences.
    pub fn keywords(&self, text: &str, tokens: &[Token], sentences: &[Sentence]) -> Vec<Keyword> {
        let mut stats = Stats::default();
        for sentence in sentences {
            let sentence = tokens.get(sentence.tokens.clone()).unwrap_or_default();
            self.collect_runs(text, sentence, &mut stats);
        }
        stats.ranked(text)
    }

    /// Adds the content-word runs of one sentence to `stats`.
    fn collect_runs(&self, text: &str, tokens: &[Token], stats: &mut Stats) {
        let mut run: Vec<(u32, Span)> = Vec::new();
        for token in tokens {
            match self.content_word(text, token, stats) {
                Some(id) => run.push((id, Span::new(token.start, token.end))),
                None => stats.add_run(&mut run),
            }
        }
        stats.add_run(&mut run);
    }

    /// The word id of a content word; None for stop words, clitics and non-words.
    fn content_word(&self, text: &str, token: &Token, stats: &mut Stats) -> Option<u32> {
        if token.kind != TokenKind::Word {
            return None;
        }
        let word = token.text(text);
        if is_clitic(word) || word.chars().filter(|c| c.is_alphabetic()).count() < 2 {
            return None;
        }
        let mut buffer = [0u8; MAX_STOP_WORD_BYTES];
        let lower = lowercase_ascii(word, &mut buffer);
        let acronym = word.chars().all(|c| c.is_ascii_uppercase());
        if !acronym && lower.is_some_and(|w| self.stop_words.contains(w)) {
            return None;
        }
        Some(match lower {
            Some(lower) => stats.word_id(lower),
            None => stats.word_id(&word.to_lowercase()),
        })
    }
}

impl Default for KeywordsStage {
    fn default() -> Self {
        Self::new()
    }
}

impl Stage for KeywordsStage {
    fn name(&self) -> &'static str {
        "keywords"
    }

    fn english_only(&self) -> bool {
        true
    }

    fn run(&self, doc: &mut Doc) -> Result<(), StageError> {
        doc.keywords = self.keywords(&doc.text, &doc.tokens, &doc.sentences);
        Ok(())
    }
}

/// A candidate phrase: its word ids (unused slots zero) and length.
type PhraseKey = ([u32; MAX_PHRASE_WORDS], usize);

/// What is known of one candidate phrase.
#[derive(Debug, Clone, Copy)]
struct Phrase {
    /// How often it occurs.
    count: usize,
    /// Its first occurrence.
    first: Span,
}

/// Word and phrase statistics of one document.
#[derive(Debug, Default)]
struct Stats {
    /// Lower-case word → id.
    ids: HashMap<String, u32>,
    /// Per word id: (frequency, degree).
    words: Vec<(u32, u32)>,
    /// Candidate phrases.
    phrases: HashMap<PhraseKey, Phrase>,
}

impl Stats {
    /// The id of a lower-case word, assigning the next one on first sight.
    fn word_id(&mut self, lower: &str) -> u32 {
        if let Some(&id) = self.ids.get(lower) {
            return id;
        }
        let id = u32::try_from(self.words.len()).unwrap_or(u32::MAX);
        self.ids.insert(lower.to_owned(), id);
        self.words.push((0, 0));
        id
    }

    /// Records one run of content words and empties it.
    fn add_run(&mut self, run: &mut Vec<(u32, Span)>) {
        let degree = u32::try_from(run.len()).unwrap_or(u32::MAX);
        for &(id, _) in run.iter() {
            if let Some(w) = self.words.get_mut(id as usize) {
                w.0 += 1;
                w.1 = w.1.saturating_add(degree);
            }
        }
        if let (Some(&(_, first)), Some(&(_, last))) = (run.first(), run.last()) {
            if run.len() <= MAX_PHRASE_WORDS {
                let mut key = ([0; MAX_PHRASE_WORDS], run.len());
                for (slot, &(id, _)) in key.0.iter_mut().zip(run.iter()) {
                    *slot = id;
                }
                let span = Span::new(first.start, last.end);
                self.phrases
                    .entry(key)
                    .and_modify(|p| p.count += 1)
                    .or_insert(Phrase {
                        count: 1,
                        first: span,
                    });
            }
        }
        run.clear();
    }

    /// The top phrases with their scores, best first.
    fn ranked(&self, text: &str) -> Vec<Keyword> {
        let word_score = |id: u32| {
            self.words
                .get(id as usize)
                .map_or(0.0, |&(freq, deg)| f64::from(deg) / f64::from(freq.max(1)))
        };
        let frequency_weight = |id: u32| {
            self.words
                .get(id as usize)
                .map_or(0.0, |&(freq, _)| f64::from(freq).ln_1p())
        };
        let mut scored: Vec<(f64, Span)> = self
            .phrases
            .iter()
            .map(|((ids, len), phrase)| {
                let ids = ids.get(..*len).unwrap_or_default();
                let rake: f64 = ids.iter().map(|&id| word_score(id)).sum();
                let salience = ids.iter().map(|&id| frequency_weight(id)).sum::<f64>()
                    / ids.len().max(1) as f64;
                (rake * salience * phrase.count as f64, phrase.first)
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.start.cmp(&b.1.start)));
        scored
            .into_iter()
            .take(MAX_KEYWORDS)
            .map(|(score, span)| Keyword {
                text: span.text(text).to_string(),
                score,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::testing::prepared;

    fn keywords(text: &str) -> Vec<(String, f64)> {
        let mut doc = prepared("t", text);
        KeywordsStage::new().run(&mut doc).expect("keywords stage");
        doc.keywords
            .into_iter()
            .map(|k| (k.text, k.score))
            .collect()
    }

    fn texts(text: &str) -> Vec<String> {
        keywords(text).into_iter().map(|(t, _)| t).collect()
    }

    #[test]
    fn recurring_phrases_rank_first() {
        let text = "The trade deal was signed in Geneva. Critics of the trade deal said farmers \
                    would lose out. The trade deal takes effect in May, and farmers are worried.";
        let found = texts(text);
        assert_eq!(
            found.first().map(String::as_str),
            Some("trade deal"),
            "{found:?}"
        );
        assert!(found.contains(&"farmers".to_string()), "{found:?}");
    }

    #[test]
    fn phrases_never_contain_stop_words_or_punctuation() {
        let text = "Heavy rain flooded the old town, and the river burst its banks; \
                    emergency crews rescued residents (mostly elderly) from flooded homes.";
        for phrase in texts(text) {
            assert!(!phrase.contains([',', ';', '(', ')', '.']), "{phrase}");
            for word in phrase.split(' ') {
                let lower = word.to_lowercase();
                assert!(!STOP_WORDS.contains(&lower.as_str()), "{phrase}");
            }
        }
        assert!(texts(text).contains(&"emergency crews rescued residents".to_string()));
    }

    #[test]
    fn case_variants_are_one_keyword_written_as_first_seen() {
        let text = "Climate Policy is changing. The new climate policy was announced. \
                    Critics attacked climate policy.";
        let found = texts(text);
        let matching: Vec<_> = found
            .iter()
            .filter(|t| t.eq_ignore_ascii_case("climate policy"))
            .collect();
        assert_eq!(matching, ["Climate Policy"], "{found:?}");
    }

    #[test]
    fn at_most_ten_sorted_by_score() {
        let text = "Apples grow. Pears fall. Plums rot. Cherries bloom. Lemons shine. Limes sour. \
                    Grapes climb. Melons swell. Figs dry. Dates sweeten. Olives press. Kiwis fuzz.";
        let found = keywords(text);
        assert_eq!(found.len(), MAX_KEYWORDS);
        assert!(found.windows(2).all(|w| w[0].1 >= w[1].1));
    }

    #[test]
    fn long_runs_are_not_candidates_and_possessives_split_phrases() {
        let text = "Presidents Alpha Beta Gamma Delta Epsilon met. Russia’s army advanced.";
        let found = texts(text);
        assert!(
            found
                .iter()
                .all(|t| t.split(' ').count() <= MAX_PHRASE_WORDS),
            "{found:?}"
        );
        assert!(found.contains(&"Russia".to_string()), "{found:?}");
        assert!(found.contains(&"army advanced".to_string()), "{found:?}");
    }

    #[test]
    fn acronyms_are_not_stop_words() {
        let found = texts("The US said the US would act. They told us nothing.");
        assert_eq!(found.first().map(String::as_str), Some("US"), "{found:?}");
        assert!(!found.iter().any(|t| t == "us"), "{found:?}");
    }

    #[test]
    fn text_without_content_words_has_no_keywords() {
        assert!(texts("It is what it is, and so it was.").is_empty());
        assert!(texts("123 … 456").is_empty());
    }

    #[test]
    fn non_ascii_words_are_grouped_by_their_lower_case() {
        let found = texts("Économie française. The économie française, today. ÉCONOMIE FRANÇAISE.");
        let n = found
            .iter()
            .filter(|t| t.to_lowercase().contains("économie française"))
            .count();
        assert_eq!(n, 1, "{found:?}");
    }
}
