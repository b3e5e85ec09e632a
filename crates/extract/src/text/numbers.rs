//! The words and signs around numbers, which both the date and the amount finder read.
//!
//! A number in news text is a year ("in 1949"), a day ("March 2"), an amount ("2,000 troops",
//! "$5bn") or a label ("Article 5", "Flight 370"), and the words next to it tell which. Both
//! finders ask the same questions about those words, so the answers live here, in the text
//! layer, once:
//!
//! * [`number_word`]: the value of "zero" … "ninety"; [`number_words_at`] reads a compound
//!   such as "twenty-five", which the pieces keep as two words and a hyphen;
//! * [`is_label_word`]: a word after which a number is a label, neither a date nor a quantity;
//! * [`is_plural_noun`]: a plural noun after a number counts things ("1500 troops"), so the
//!   number is no year;
//! * [`currency_sign_code`]: a currency sign before a number makes it money ("$2000"), so it is
//!   no year either.
//!
//! Words are looked up in ASCII lower case (see [`super::words::lowercase_ascii`]).

use super::pieces::PieceText;

/// The value of a number word from "zero" to "ninety" (tens and units only; compounds such as
/// "twenty-five" are two words joined by a hyphen).
pub fn number_word(lower: &str) -> Option<u32> {
    Some(match lower {
        "zero" => 0,
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        _ => return None,
    })
}

/// The number spelled by the word piece `i` of `text`, and the index of the piece after it: a
/// number word ("twelve" → 12), or a tens word joined by a hyphen to a unit word ("twenty-five"
/// → 25).
pub fn number_words_at(text: &PieceText, i: usize) -> Option<(u32, usize)> {
    let n = number_word(text.lower(i)?.as_str())?;
    if n >= 20 && n % 10 == 0 && text.touches_next(i) && text.punct(i + 1, "-") {
        if let Some(unit @ 1..=9) = text.lower(i + 2).and_then(|w| number_word(w.as_str())) {
            return Some((n + unit, i + 3));
        }
    }
    Some((n, i + 1))
}

/// Words after which a number is a label, not a date or a quantity ("Article 5", "No. 10",
/// "Flight 370").
pub fn is_label_word(lower: &str) -> bool {
    LABEL_WORDS.contains(&lower)
}

/// The entries of [`is_label_word`].
const LABEL_WORDS: &[&str] = &[
    "article",
    "articles",
    "section",
    "chapter",
    "clause",
    "paragraph",
    "rule",
    "resolution",
    "room",
    "page",
    "pages",
    "no",
    "nos",
    "number",
    "flight",
    "route",
    "highway",
    "interstate",
    "model",
    "version",
    "level",
    "grade",
    "platform",
    "gate",
    "bus",
    "phase",
    "channel",
    "vol",
    "volume",
    "issue",
    "part",
    "amendment",
    "item",
    "exhibit",
    "annex",
    "schedule",
    "box",
    "apartment",
    "suite",
    "unit",
    "district",
    "precinct",
    "ward",
    "group",
    "stage",
    "round",
    "game",
    "week",
    "day",
    "year",
    "series",
    "figure",
    "table",
    "code",
    "pin",
];

/// Whether a lower-case word looks like a plural noun: an irregular plural ("people"), or a
/// word ending in "-s" but not "-ss", "-us" or "-is", nor one of the common words that only
/// look plural ("this", "always", "says").
pub fn is_plural_noun(lower: &str) -> bool {
    if IRREGULAR_PLURALS.contains(&lower) {
        return true;
    }
    lower.len() >= 3
        && lower.ends_with('s')
        && !lower.ends_with("ss")
        && !lower.ends_with("us")
        && !lower.ends_with("is")
        && !LOOKS_PLURAL.contains(&lower)
}

/// Plural nouns that do not end in "-s", and collective nouns counted as plurals.
const IRREGULAR_PLURALS: &[&str] = &[
    "people",
    "men",
    "women",
    "children",
    "police",
    "staff",
    "personnel",
    "cattle",
    "feet",
    "teeth",
    "mice",
    "geese",
    "data",
    "media",
    "sheep",
    "fish",
    "deer",
    "aircraft",
];

/// Common words that end in "-s" but are not plural nouns.
const LOOKS_PLURAL: &[&str] = &[
    "its",
    "has",
    "was",
    "his",
    "does",
    "yes",
    "goes",
    "says",
    "sees",
    "hers",
    "ours",
    "yours",
    "theirs",
    "thus",
    "perhaps",
    "always",
    "towards",
    "whereas",
    "besides",
    "unless",
    "afterwards",
    "nevertheless",
    "sometimes",
    "news",
];

/// The ISO 4217 code of a currency sign ("$" → "USD"), which makes the number after it money.
pub fn currency_sign_code(token_text: &str) -> Option<&'static str> {
    Some(match token_text {
        "$" => "USD",
        "£" => "GBP",
        "€" => "EUR",
        "¥" => "JPY",
        "₹" => "INR",
        "₽" => "RUB",
        "₩" => "KRW",
        "₦" => "NGN",
        "₪" => "ILS",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_words_are_tens_and_units() {
        assert_eq!(number_word("zero"), Some(0));
        assert_eq!(number_word("twelve"), Some(12));
        assert_eq!(number_word("ninety"), Some(90));
        assert_eq!(number_word("hundred"), None);
        assert_eq!(number_word("Twelve"), None, "lower case only");
    }

    #[test]
    fn compound_number_words_join_at_a_hyphen() {
        let read = |text: &str, i: usize| {
            let tokens = crate::text::tokens::tokenize(text);
            let pieces = crate::text::pieces::pieces(text, &tokens);
            number_words_at(
                &PieceText {
                    text,
                    pieces: &pieces,
                },
                i,
            )
        };
        assert_eq!(read("twenty-five years", 0), Some((25, 3)));
        assert_eq!(read("Twenty five", 0), Some((20, 1)));
        assert_eq!(
            read("twelve-five", 0),
            Some((12, 1)),
            "only tens take a unit"
        );
        assert_eq!(read("twenty-ten", 0), Some((20, 1)));
        assert_eq!(read("in twenty", 1), Some((20, 2)));
        assert_eq!(read("in twenty", 0), None);
        assert_eq!(read("5", 0), None);
    }

    #[test]
    fn label_words_make_a_number_a_label() {
        for word in ["article", "no", "flight", "room", "page"] {
            assert!(is_label_word(word), "{word}");
        }
        assert!(!is_label_word("troops") && !is_label_word("Article"));
    }

    #[test]
    fn plural_nouns_by_shape_and_by_list() {
        for word in ["troops", "countries", "people", "children", "aircraft"] {
            assert!(is_plural_noun(word), "{word}");
        }
        for word in [
            "its", "news", "always", "glass", "bonus", "crisis", "us", "man",
        ] {
            assert!(!is_plural_noun(word), "{word}");
        }
    }

    #[test]
    fn currency_signs_have_iso_codes() {
        assert_eq!(currency_sign_code("$"), Some("USD"));
        assert_eq!(currency_sign_code("£"), Some("GBP"));
        assert_eq!(currency_sign_code("€"), Some("EUR"));
        assert_eq!(currency_sign_code("US$"), None);
        assert_eq!(currency_sign_code("%"), None);
    }
}
