//! Amounts: numbers in news text together with what they count.
//!
//! An amount is a number expression and its unit: "32 member countries" (32, "member
//! countries"), "70-plus years" (70, "years"), "100 percent" (100, "percent"), "$1.13bn"
//! (1 130 000 000, "USD"), "between 3 and 5 million people" (3 000 000 to 5 000 000, "people").
//! The span covers the number expression only (with its currency sign, multiplier, "percent" or
//! currency word); the counted unit is returned separately.
//!
//! Like the date finder, this is a hand-written scanner ([`scanner`]) over the pieces of the
//! shared tokens ([`crate::text::pieces`]: "$1.13bn" is "$" "1.13" "bn", "70-plus" is "70" "-"
//! "plus"):
//!
//! * **numbers** are digit runs ("2,000", "1.13"), number words ("twelve", "twenty-five",
//!   "three hundred", "a dozen"), each optionally scaled by a multiplier, glued ("bn", "m", "k")
//!   or written out ("million", "billion", "crore"); decimals are scaled exactly, so "1.13bn"
//!   is 1130000000.0, not 1129999999.9999998;
//! * **ranges** are "5-10", "5 to 10", "between 3 and 5"; a multiplier after the high end also
//!   scales the low end ("3-5 million");
//! * **units** are, in order: a currency (sign "$"/"£"/"€", code "USD", "Rs", or word "dollars")
//!   as an ISO 4217 code; a percentage ("%", "percent", "per cent") as "percent"; else the
//!   counted noun phrase after the number: up to three words, stopping at function words, at
//!   punctuation, at a verb-like word ("-ed"/"-ing" after the first word) and after the first
//!   plural noun. A number with no unit is not an amount (scores, ages, page numbers).
//!
//! Numbers that are not quantities are skipped: years and days that are part of dates, labels
//! ("Article 5", "No. 10"), ordinals ("21st"), times ("10:30", "3 pm"), list numbering at the
//! start of a line, and numbers glued to letters ("G7", "F-16", "4G"), apart from known unit
//! suffixes ("5km"). The dates are those the dates stage, which runs first, left in `Doc::dates`;
//! only dates that name themselves count ("in 1949", "on March 2"), not relative ones, whose
//! numbers are amounts all the same: "two years ago" counts two years.
//!
//! The words the scanner knows (multipliers, currencies, unit suffixes, the function words that
//! end a noun phrase) are in [`lexicon`]; reading numbers and ranges is in [`numbers`], reading
//! what they count in [`units`].

mod lexicon;
mod numbers;
mod scanner;
mod units;

pub use crate::pipeline::doc::Amount;
use crate::pipeline::doc::DateMention;
use crate::pipeline::{Doc, Stage, StageError};
use crate::text::tokens::Token;

/// Finds the amounts of `text`, in text order, never overlapping.
///
/// `tokens` are the tokens of `text` (from [`tokenize`](crate::text::tokens::tokenize)) and
/// `dates` the date mentions found in it (by the dates stage): numbers inside the dates that
/// are not [`relative`](DateMention::relative) are not amounts.
pub fn find_amounts(text: &str, tokens: &[Token], dates: &[DateMention]) -> Vec<Amount> {
    scanner::scan(text, tokens, dates)
}

/// Finds the article's amounts.
pub struct AmountsStage;

impl Stage for AmountsStage {
    fn name(&self) -> &'static str {
        "amounts"
    }

    fn english_only(&self) -> bool {
        true
    }

    fn run(&self, doc: &mut Doc) -> Result<(), StageError> {
        doc.amounts = find_amounts(&doc.text, &doc.tokens, &doc.dates);
        Ok(())
    }
}

#[cfg(test)]
mod tests;
