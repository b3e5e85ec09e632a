//! The text foundation: tokenisation and sentence splitting for news text.
//!
//! Every later stage (NER, quote attribution, dates) works on tokens and sentences, so
//! this module decides once, and fast, where words and sentences begin and end. It
//! is written for real news copy: abbreviations and initials ("U.S.", "Adm.",
//! "James G. Stavridis"), curly and straight quotes, contractions, currency amounts,
//! ellipses, dashes, URLs and headlines without final punctuation.
//!
//! * [`tokens::tokenize`] cuts text into [`tokens::Token`]s following the CoNLL-2003
//!   (Penn Treebank) conventions the NER model was trained on.
//! * [`sentences::split_sentences`] groups those tokens into [`sentences::Sentence`]s.
//!
//! All offsets are byte offsets into the `&str` given, half-open, on char boundaries.
//! Neither function allocates per token (only the output `Vec`), uses regular
//! expressions, or panics on any input.
//!
//! The abbreviation list lives here because both halves need it: the tokenizer to
//! keep "Corp." as one token, the splitter to know whether "Corp." may end a sentence.

pub mod calendar;
pub mod names;
pub mod normal_form;
pub mod numbers;
pub mod pieces;
pub mod sentences;
pub mod titles;
pub mod tokens;
pub mod words;

/// A half-open byte range of a text (of `Doc::text`, in the pipeline).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// The span `start..end`.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The spanned text.
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }
}

/// How an abbreviation written with a final period behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Abbreviation {
    /// A title or rank written before a name ("Mr.", "Adm.", "Gov."): never ends a sentence.
    Title,
    /// An abbreviation only before a number ("No. 10", "Vol. 3"); elsewhere ("said no.")
    /// the period is a full stop.
    NumberPrefix,
    /// Any other abbreviation ("Corp.", "Sept.", "etc.", "Calif."): it may end a
    /// sentence, which the splitter decides from the word that follows.
    General,
}

/// Looks up `word` (written without its final period, case-sensitive) in the list of
/// common English abbreviations used in news copy.
///
/// Dotted acronyms ("U.S", "e.g", "a.m") and single-letter initials are not listed:
/// the tokenizer recognises them by shape.
pub fn abbreviation(word: &str) -> Option<Abbreviation> {
    use Abbreviation::{General, NumberPrefix, Title};
    let kind = match word {
        // Titles, ranks and honorifics.
        "Mr" | "Mrs" | "Ms" | "Mx" | "Messrs" | "Mmes" | "Mme" | "Mlle" | "Dr" | "Prof" | "Gen"
        | "Adm" | "Sen" | "Sens" | "Rep" | "Reps" | "Gov" | "Lt" | "Col" | "Capt" | "Cpt"
        | "Cmdr" | "Cdr" | "Sgt" | "Maj" | "Cpl" | "Pvt" | "Brig" | "Lieut" | "Rev" | "Hon"
        | "Fr" | "Pres" | "Supt" | "Insp" | "Det" | "Amb" | "Atty" | "Gens" | "Rt" => Title,
        // Only abbreviations in front of a number.
        "No" | "Nos" | "Vol" | "Vols" | "Fig" | "Figs" | "Art" | "Ch" | "p" | "pp" | "para" => {
            NumberPrefix
        }
        // Months and weekdays.
        "Jan" | "Feb" | "Mar" | "Apr" | "Jun" | "Jul" | "Aug" | "Sep" | "Sept" | "Oct" | "Nov"
        | "Dec" | "Mon" | "Tue" | "Tues" | "Wed" | "Thu" | "Thur" | "Thurs" | "Fri" | "Sat"
        | "Sun"
        // Companies and organisations.
        | "Corp" | "Inc" | "Ltd" | "Co" | "Cos" | "Bros" | "Dept" | "Univ" | "Assn" | "Assoc"
        | "Inst" | "Govt" | "Intl" | "Mfg"
        // Name suffixes, which can close a sentence ("... John Smith Jr. He said").
        | "Jr" | "Sr" | "Esq"
        // Places and addresses.
        | "St" | "Ave" | "Blvd" | "Rd" | "Mt" | "Ft" | "Hwy" | "Sq"
        // US states in AP style.
        | "Ala" | "Ariz" | "Ark" | "Calif" | "Colo" | "Conn" | "Del" | "Fla" | "Ga" | "Ill"
        | "Ind" | "Kan" | "Kans" | "Ky" | "La" | "Md" | "Mass" | "Mich" | "Minn" | "Miss"
        | "Mo" | "Mont" | "Neb" | "Nev" | "Okla" | "Ore" | "Pa" | "Penn" | "Tenn" | "Tex" | "Va"
        | "Vt" | "Wash" | "Wis" | "Wisc" | "Wyo"
        // Latin and general short forms.
        | "vs" | "v" | "etc" | "cf" | "al" | "approx" | "est" | "ca" | "viz" | "Ph" | "ft"
        | "lb" | "lbs" | "oz" | "hr" | "hrs" | "min" | "mins" | "sec" | "yr" | "yrs" | "mo" => {
            General
        }
        _ => return None,
    };
    Some(kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_general_abbreviations_are_told_apart() {
        assert_eq!(abbreviation("Adm"), Some(Abbreviation::Title));
        assert_eq!(abbreviation("Mr"), Some(Abbreviation::Title));
        assert_eq!(abbreviation("Corp"), Some(Abbreviation::General));
        assert_eq!(abbreviation("Sept"), Some(Abbreviation::General));
        assert_eq!(abbreviation("No"), Some(Abbreviation::NumberPrefix));
        assert_eq!(abbreviation("no"), None, "lower-case 'no.' is a word");
        assert_eq!(abbreviation("NATO"), None);
    }
}
