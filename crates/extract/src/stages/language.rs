//! Language identification.
//!
//! A language the producer declared in the envelope wins (confidence 1). Otherwise:
//!
//! * **English at a glance.** At least 8 % of the body's first 300 words are English function
//!   words that are common words of no other language the detector knows ("the", "which",
//!   "would"; not "of", Dutch for "or", nor "was", German for "what"). English news runs at 12–25 %,
//!   the other 41 languages of the labelled sample (`tests/fixtures/languages.tsv`) at most 5 %,
//!   so the check decides an English article in a few microseconds, where the trigram detector
//!   takes about 200 (it compares the text with every profile of its script whatever the
//!   text's length, which made this stage 13 % of the pipeline's time).
//! * **Otherwise `whatlang`** (trigram profiles of 69 languages) reads the title and the first
//!   1,500 characters of the body: a paragraph is plenty, and more text adds time, not
//!   accuracy.
//!
//! The stage runs after tokenisation, so the glance reads the document's own tokens.
//! Codes are ISO 639-1 where the language has one ("en", "de"), the record's convention.
//! A text the detector cannot place gets `und` (undetermined), which counts as not English, so
//! the English-only stages are skipped and listed as such.

use crate::pipeline::doc::Language;
use crate::pipeline::{Doc, Stage, StageError};
use crate::text::tokens::TokenKind;

/// Characters of body text the detector reads.
const SAMPLE_CHARS: usize = 1500;

/// English function words that are common words of no other language `whatlang` knows,
/// sorted for binary search.
const ENGLISH_MARKERS: &[&str] = &[
    "and", "are", "been", "from", "has", "have", "his", "not", "said", "she", "that", "the",
    "their", "they", "this", "were", "which", "with", "would",
];

/// The words the English glance reads, from the start of the body.
const GLANCE_WORDS: usize = 300;

/// The fewest words the glance decides on; a shorter text goes to the trigram detector.
const GLANCE_MIN_WORDS: usize = 30;

/// The share of English markers from which a text is English.
const ENGLISH_SHARE: f64 = 0.08;

/// Detects the article's language.
pub struct LanguageStage;

impl Stage for LanguageStage {
    fn name(&self) -> &'static str {
        "language"
    }

    fn run(&self, doc: &mut Doc) -> Result<(), StageError> {
        let declared = doc
            .article
            .language
            .as_deref()
            .and_then(|l| l.split(['-', '_']).next())
            .map(str::trim)
            .filter(|l| !l.is_empty());
        doc.language = Some(match declared {
            Some(code) => Language {
                code: code.to_ascii_lowercase(),
                confidence: 1.0,
            },
            None => match english_at_a_glance(doc) {
                Some(english) => english,
                None => {
                    let end = doc
                        .text
                        .char_indices()
                        .nth(SAMPLE_CHARS)
                        .map_or(doc.text.len(), |(i, _)| i);
                    let title = doc.article.title.as_deref().unwrap_or("");
                    detect(&format!("{title}\n{}", &doc.text[..end]))
                }
            },
        });
        Ok(())
    }
}

/// English, when the body's first words hold enough English markers (see the module docs);
/// the confidence grows with the share, reaching 1 at twice the threshold.
fn english_at_a_glance(doc: &Doc) -> Option<Language> {
    let mut words = 0usize;
    let mut markers = 0usize;
    let mut buf = [0u8; 8];
    for token in doc.tokens.iter().filter(|t| t.kind == TokenKind::Word) {
        let word = token.text(&doc.text);
        words += 1;
        if word.len() <= buf.len() {
            let lower = &mut buf[..word.len()];
            lower.copy_from_slice(word.as_bytes());
            lower.make_ascii_lowercase();
            let found = ENGLISH_MARKERS.binary_search_by(|m| m.as_bytes().cmp(lower));
            markers += usize::from(found.is_ok());
        }
        if words == GLANCE_WORDS {
            break;
        }
    }
    let share = markers as f64 / words.max(1) as f64;
    (words >= GLANCE_MIN_WORDS && share >= ENGLISH_SHARE).then(|| Language {
        code: "en".into(),
        confidence: ((share / (2.0 * ENGLISH_SHARE)).min(1.0) * 1000.0).round() / 1000.0,
    })
}

/// The language of `text`, or `und` with confidence 0.
pub fn detect(text: &str) -> Language {
    match whatlang::detect(text) {
        Some(info) => Language {
            code: iso639_1(info.lang().code()).to_owned(),
            confidence: (info.confidence() * 1000.0).round() / 1000.0,
        },
        None => Language {
            code: "und".into(),
            confidence: 0.0,
        },
    }
}

/// ISO 639-1 for whatlang's ISO 639-3 codes; codes without a two-letter form stay as they are.
fn iso639_1(code: &'static str) -> &'static str {
    #[rustfmt::skip]
    const PAIRS: &[(&str, &str)] = &[
        ("afr", "af"), ("aka", "ak"), ("amh", "am"), ("ara", "ar"), ("aze", "az"), ("bel", "be"),
        ("ben", "bn"), ("bul", "bg"), ("cat", "ca"), ("ces", "cs"), ("cmn", "zh"), ("cym", "cy"),
        ("dan", "da"), ("deu", "de"), ("ell", "el"), ("eng", "en"), ("epo", "eo"), ("est", "et"),
        ("fin", "fi"), ("fra", "fr"), ("guj", "gu"), ("heb", "he"), ("hin", "hi"), ("hrv", "hr"),
        ("hun", "hu"), ("hye", "hy"), ("ind", "id"), ("ita", "it"), ("jav", "jv"), ("jpn", "ja"),
        ("kan", "kn"), ("kat", "ka"), ("khm", "km"), ("kor", "ko"), ("lat", "la"), ("lav", "lv"),
        ("lit", "lt"), ("mal", "ml"), ("mar", "mr"), ("mkd", "mk"), ("mya", "my"), ("nep", "ne"),
        ("nld", "nl"), ("nob", "nb"), ("ori", "or"), ("pan", "pa"), ("pes", "fa"), ("pol", "pl"),
        ("por", "pt"), ("ron", "ro"), ("rus", "ru"), ("sin", "si"), ("slk", "sk"), ("slv", "sl"),
        ("sna", "sn"), ("spa", "es"), ("srp", "sr"), ("swe", "sv"), ("tam", "ta"), ("tel", "te"),
        ("tgl", "tl"), ("tha", "th"), ("tuk", "tk"), ("tur", "tr"), ("ukr", "uk"), ("urd", "ur"),
        ("uzb", "uz"), ("vie", "vi"), ("yid", "yi"), ("zul", "zu"),
    ];
    PAIRS
        .iter()
        .find(|(three, _)| *three == code)
        .map_or(code, |(_, two)| two)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_languages_are_detected_with_two_letter_codes() {
        let en = detect(
            "The government said on Friday that the new budget would cut taxes for most families.",
        );
        assert_eq!(en.code, "en");
        assert!(en.confidence > 0.0 && en.confidence <= 1.0);
        let de = detect("Die Regierung hat am Freitag angekündigt, dass der neue Haushalt die Steuern senken wird.");
        assert_eq!(de.code, "de");
        let fr = detect("Le gouvernement a annoncé vendredi que le nouveau budget réduirait les impôts des familles.");
        assert_eq!(fr.code, "fr");
    }

    /// The labelled sample: (code, text) per document.
    fn sample() -> Vec<(&'static str, &'static str)> {
        include_str!("../../tests/fixtures/languages.tsv")
            .lines()
            .map(|line| line.split_once('\t').expect("code<TAB>text"))
            .collect()
    }

    /// A document of body `text`, tokenised, as the stage finds it.
    fn tokenised(text: &str) -> Doc {
        let mut doc = crate::stages::testing::prepared("t", text);
        doc.tokens = crate::text::tokens::tokenize(&doc.text);
        doc
    }

    /// The stage's answer for `text` as a whole article body.
    fn stage_language(text: &str) -> Language {
        let mut doc = tokenised(text);
        LanguageStage.run(&mut doc).unwrap();
        doc.language.unwrap()
    }

    #[test]
    fn the_glance_loses_no_accuracy_on_the_multilingual_sample() {
        let sample = sample();
        let languages: std::collections::BTreeSet<_> = sample.iter().map(|s| s.0).collect();
        assert!(languages.len() >= 40, "{languages:?}");
        let trigrams = sample.iter().filter(|(c, t)| detect(t).code == *c).count();
        let stage = sample
            .iter()
            .filter(|(c, t)| stage_language(t).code == *c)
            .count();
        assert!(
            stage >= trigrams,
            "stage {stage}, whatlang alone {trigrams}"
        );
        assert!(stage * 100 >= sample.len() * 97, "{stage}/{}", sample.len());
        // No other language's document looks English at a glance, and the English ones do.
        for (code, text) in &sample {
            let glance = english_at_a_glance(&tokenised(text)).is_some();
            assert_eq!(glance, *code == "en", "{code}: {text}");
        }
    }

    #[test]
    fn a_short_or_mixed_text_goes_to_the_trigram_detector() {
        let short = tokenised("The cat sat on the mat.");
        assert!(english_at_a_glance(&short).is_none(), "too few words");
        let dutch_with_a_quote = "De minister zei dinsdag dat het kabinet de plannen van de \
            gemeente steunt, maar dat er nog veel vragen zijn over de kosten en de planning. \
            Volgens de oppositie is het plan te duur en komt het te laat voor de bewoners van \
            de wijk, die al jaren wachten. \"This is the end of the road,\" zei een bewoner.";
        assert_eq!(stage_language(dutch_with_a_quote).code, "nl");
    }

    #[test]
    fn undetectable_text_is_und() {
        assert_eq!(detect("1234 5678").code, "und");
    }

    #[test]
    fn every_code_maps() {
        assert_eq!(iso639_1("eng"), "en");
        assert_eq!(iso639_1("xyz"), "xyz");
    }
}
