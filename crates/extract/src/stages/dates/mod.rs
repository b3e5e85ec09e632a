//! Date expressions: finds them in news text and normalises them to TIMEX3 values.
//!
//! News text names dates in three ways, and this module handles all three with one hand-written
//! scanner (no regular expressions, one pass, a few hundred nanoseconds per word):
//!
//! * **absolute** dates carry their own value: "1949", "the 1990s" (`199`), "April 2023"
//!   (`2023-04`), "March 2, 2025" / "2 March 2025" / "2025-03-02" (`2025-03-02`), "the third
//!   quarter of 2024" (`2024-Q3`), "the 20th century" (`19`);
//! * **underspecified** dates lack the year: "Sept. 11", "in March", "the third quarter". The year
//!   is taken from the anchor (the publication date) unless that puts the date more than eight
//!   months away, in which case the neighbouring year is nearer and wins. Without an anchor the
//!   year is written `XXXX`, as TIMEX3 does;
//! * **relative** dates only mean something against the anchor: "yesterday", "on Friday", "last
//!   week" (`2025-W08`), "two years ago", "earlier this month", "last summer" (`2024-SU`), and the
//!   TimeML reference values "now" (`PRESENT_REF`), "recently" (`PAST_REF`), "the future"
//!   (`FUTURE_REF`). Without an anchor they are skipped; with one, their mentions say so
//!   ([`DateMention::relative`]).
//!
//! The scanner reads the text's pieces ([`crate::text::pieces`]: the shared tokens cut into
//! letter runs, digit runs and single marks, so "mid-2019" is "mid" "-" "2019"), classifies each
//! word once against a small closed lexicon ([`lexicon`]: month and weekday names, time units,
//! number words, temporal keywords), and then tries the date patterns ([`scanner`]) at every
//! piece, taking the first that matches and moving past it. Words that narrow a date without
//! changing its TIMEX3 value ("early", "late", "mid-", "earlier", "the end of") are kept in the
//! span. The values and the calendar arithmetic behind them are in [`values`].
//!
//! Conventions follow the TempEval-3 annotation of TimeBank and AQUAINT:
//! * a bare weekday is the anchor's own day when the names agree, else the most recent such day
//!   before the anchor, or the next one when a future cue ("will", "plans", "scheduled", ...)
//!   stands earlier in the sentence;
//! * "a year earlier/ago" and "the year-ago quarter" in financial prose refer to the quarter the
//!   text was just discussing, so the scanner remembers the last quarter it saw;
//! * false positives are avoided by construction: month names must be capitalised, a month alone
//!   needs a day, a year or an introducing word ("in", "since", "last", ...); four-digit numbers
//!   are years only in 1900–2099 (or after such a word), never after "Article"/"No."/a currency
//!   sign, never inside "2,000", and not when a counted plural noun follows ("1500 troops").
//!
//! The amounts stage, which runs next, reads the mentions from `Doc::dates` to skip numbers that
//! are parts of dates.

mod lexicon;
mod scanner;
mod values;

use chrono::NaiveDate;

pub use crate::pipeline::doc::{DateMention, TimexMod, TimexType};
use crate::pipeline::{Doc, Stage, StageError};
use crate::text::pieces::pieces;
use crate::text::tokens::{tokenize, Token};

/// Finds the date expressions of `text`, resolving relative ones against `anchor`.
///
/// `anchor` is the publication date. Without it, expressions that only make sense relative to
/// a date ("yesterday", "on Friday", "last year", "now") are skipped, and dates lacking a year
/// get the year `XXXX`. Mentions come in text order and never overlap.
pub fn find_dates(text: &str, anchor: Option<NaiveDate>) -> Vec<DateMention> {
    find_dates_in_tokens(text, &tokenize(text), anchor)
}

/// [`find_dates`] over the tokens of `text`, already produced by
/// [`tokenize`](crate::text::tokens::tokenize).
pub fn find_dates_in_tokens(
    text: &str,
    tokens: &[Token],
    anchor: Option<NaiveDate>,
) -> Vec<DateMention> {
    scanner::scan(text, &pieces(text, tokens), anchor)
}

/// Finds and normalises the article's dates.
pub struct DatesStage;

impl Stage for DatesStage {
    fn name(&self) -> &'static str {
        "dates"
    }

    fn english_only(&self) -> bool {
        true
    }

    fn run(&self, doc: &mut Doc) -> Result<(), StageError> {
        let anchor = doc.reference_time().date_naive();
        doc.dates = find_dates_in_tokens(&doc.text, &doc.tokens, Some(anchor));
        Ok(())
    }
}

#[cfg(test)]
mod tests;
