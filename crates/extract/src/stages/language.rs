//! Language identification.
//!
//! A language the producer declared in the envelope wins (confidence 1). Otherwise `whatlang`
//! (trigram profiles of 69 languages, about a microsecond per hundred characters) reads the
//! title and the first 1,500 characters of the body: a paragraph is plenty, and more text adds
//! time, not accuracy.
//! Codes are ISO 639-1 where the language has one ("en", "de"), the record's convention.
//! A text the detector cannot place gets `und` (undetermined), which counts as not English, so
//! the English-only stages are skipped and listed as such.

use crate::pipeline::doc::Language;
use crate::pipeline::{Doc, Stage, StageError};

/// Characters of body text the detector reads.
const SAMPLE_CHARS: usize = 1500;

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
            None => {
                let end = doc
                    .text
                    .char_indices()
                    .nth(SAMPLE_CHARS)
                    .map_or(doc.text.len(), |(i, _)| i);
                let title = doc.article.title.as_deref().unwrap_or("");
                detect(&format!("{title}\n{}", &doc.text[..end]))
            }
        });
        Ok(())
    }
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
