//! Lengths of time: TIMEX3 `DURATION`s.
//!
//! A duration is a count and a unit: "three years" (`P3Y`), "48 hours" (`PT48H`), "a
//! fortnight" (`P2W`), "two decades" (`P20Y`), "70-plus years" and "two more weeks" (the count
//! stays), the adjective "two-year" (`P2Y`); a vague count leaves the number unknown: "a few
//! days", "several years" (`PXD`, `PXY`), and so does a bare plural after "for" ("for years"),
//! "within" ("within weeks", `EQUAL_OR_LESS`) or "the first" ("the first hours", `PTXH`). A
//! unit glued to "-long" is a length too ("day-long", `P1D`; "decades-long", `PXE`).
//! A half adds to the count: "a year and a half" (`P1Y6M`), "2 1/2 years", "two and a half
//! decades" (`P25Y`); "a hundred years" counts a hundred, "the next couple of years" two, and
//! "eight trading days" (or business, working days) are days.
//! Led by "the past", "the last", "the next", "the coming", "the first" or just "the", the
//! count and unit are still a duration: "the past two weeks", "the first nine months", "the
//! next few days", "coming years"; "the past decade" counts one. Looking back without a count,
//! TimeML (and TimeBank) read the past instead: "the past few weeks", "past years" are
//! `PAST_REF` dates, and "the past year" is last year (see [`super::relative`]).
//!
//! Words that bound the length become its `mod`: "about", "nearly", "roughly" (`APPROX`), "more
//! than", "over" (`MORE_THAN`), "less than", "under" (`LESS_THAN`), "at least"
//! (`EQUAL_OR_MORE`), "up to", "within", "at most" (`EQUAL_OR_LESS`); the one-word
//! prepositions only right before the count ("over two years", but "over the past decade" is
//! just "the past decade").
//!
//! "A month" right after an amount ("$2000 a month", "5% a year", "four flights a week") is the
//! period of a rate, a `SET`. Ages are not durations ("six years old", "a 44-year-old"), nor
//! fractions ("three-quarters", "a quarter of the market") or a year before a unit ("the 1988 quarter"). A count followed
//! by "ago" or "earlier" is a date, read first by [`super::relative`]; a
//! duration never needs the anchor, and its numbers stay amounts for the amounts stage.

use super::{Found, Match, Scanner};
use crate::pipeline::doc::{TimexMod, TimexType};
use crate::stages::dates::lexicon::{Kw, Lex};
use crate::stages::dates::values::{half_period_value, period_value, Unit};
use crate::text::numbers::number_words_at;
use crate::text::pieces::PieceKind;

impl Scanner<'_> {
    /// A count at `i`: digits, number words, "a"/"an" (one), "a couple of" (two), or a vague
    /// "few"/"several" (`None`); the index after it.
    pub(super) fn count_at(&self, i: usize) -> Option<(Option<u32>, usize)> {
        match self.lex(i) {
            Lex::Kw(Kw::A) if self.is(i + 1, Kw::Vague) => Some((None, i + 2)),
            Lex::Kw(Kw::A) if self.toks.word_is(i + 1, "couple") && self.is(i + 2, Kw::Of) => {
                Some((Some(2), i + 3))
            }
            Lex::Kw(Kw::A) if self.toks.word_is(i + 1, "hundred") => Some((Some(100), i + 2)),
            Lex::Kw(Kw::A) if self.toks.word_is(i + 1, "thousand") => Some((Some(1000), i + 2)),
            Lex::Kw(Kw::A) => Some((Some(1), i + 1)),
            Lex::Other if self.toks.word_is(i, "couple") && self.is(i + 1, Kw::Of) => {
                Some((Some(2), i + 2))
            }
            Lex::Kw(Kw::Vague) => Some((None, i + 1)),
            Lex::Cardinal(_) => number_words_at(&self.toks, i).map(|(n, end)| (Some(n), end)),
            _ => {
                let glued_before = i > 0 && self.toks.touches_next(i - 1);
                let n = self.digits(i, 1, 4)?;
                (!glued_before || self.toks.punct(i - 1, "-")).then_some((Some(n), i + 1))
            }
        }
    }

    /// A count and a unit at `j`: "three years", "a fortnight", "two-year", "70-plus years".
    pub(super) fn duration(&self, j: usize) -> Found {
        let (count, mut k) = self.count_at(j)?;
        if self.toks.punct(k, "-") && self.toks.touches_next(k - 1) && self.toks.touches_next(k) {
            k += 1;
        }
        if self.is(k, Kw::More) {
            k += 1;
        }
        let hyphenated = k > j + 1 && self.toks.punct(k - 1, "-");
        // "two and a half years", "2 1/2 years"
        let mut half = false;
        if let Some(after) = self.half_at(k).filter(|_| count.is_some()) {
            half = true;
            k = after;
        }
        // "eight trading days"
        if ["trading", "business", "working"]
            .iter()
            .any(|w| self.toks.word_is(k, w))
            && matches!(
                self.lex(k + 1),
                Lex::Unit {
                    unit: Unit::Day,
                    ..
                }
            )
        {
            k += 1;
        }
        let Lex::Unit { unit, plural } = self.lex(k) else {
            return None;
        };
        let mut end = k + 1;
        // "a year and a half"
        if count.is_some() && !half && !plural && self.toks.word_is(end, "and") {
            if let Some(after) = self.half_at(end) {
                half = true;
                end = after;
            }
        }
        let one = count == Some(1) && self.lex(j) == Lex::Kw(Kw::A);
        let year_like = count.is_some_and(|n| (1000..=2099).contains(&n)) && !plural;
        let fraction = unit == Unit::Quarter && count.is_some() && self.is(k + 1, Kw::Of);
        if ((one || hyphenated) && plural && !half)
            || year_like
            || fraction
            || matches!(self.lex(end), Lex::Kw(Kw::Ago | Kw::Earlier))
            || self.age_after(end)
        {
            return None;
        }
        let value = match count {
            Some(n) if half => half_period_value(n, unit)?,
            _ => period_value(count, unit)?,
        };
        let kind = if one && !half && j > 0 && self.rate_before(j - 1) {
            TimexType::Set
        } else {
            TimexType::Duration
        };
        Some(Match::absolute(end, value).typed(kind))
    }

    /// The index after a half at `i`: "and a half", or "1/2" written after a whole number.
    fn half_at(&self, i: usize) -> Option<usize> {
        if self.toks.word_is(i, "and") && self.is(i + 1, Kw::A) && self.is(i + 2, Kw::Half) {
            return Some(i + 3);
        }
        let fraction = self.digits(i, 1, 1) == Some(1)
            && self.toks.punct(i + 1, "/")
            && self.digits(i + 2, 1, 1) == Some(2)
            && self.toks.touches_next(i)
            && self.toks.touches_next(i + 1);
        fraction.then_some(i + 3)
    }

    /// Whether an age follows at `i`: "six years old", "a 44-year-old".
    fn age_after(&self, i: usize) -> bool {
        let i = if self.toks.punct(i, "-") { i + 1 } else { i };
        self.toks.word_is(i, "old") || self.toks.word_is(i, "olds")
    }

    /// Whether piece `i` ends a quantity whose rate "a month" gives: a number ("$2000 a
    /// month"), a percent sign, "million", or a counted noun ("four flights a week").
    fn rate_before(&self, i: usize) -> bool {
        self.toks.kind(i) == Some(PieceKind::Number)
            || self.toks.punct(i, "%")
            || self.counted_noun(i)
            || ["million", "billion", "percent"]
                .iter()
                .any(|w| self.toks.word_is(i, w))
    }

    /// A duration after "the past", "the last", "the next", "the coming", "the latest" or
    /// "the first" at `k` (the word after "the"): "the past two weeks", "the first nine
    /// months"; "the past decade" counts one.
    pub(super) fn span_duration(&self, k: usize) -> Found {
        let looking_back = matches!(self.lex(k), Lex::Kw(Kw::Past | Kw::Last));
        if let Some(found) = self.duration(k + 1) {
            if looking_back && found.value.contains('X') {
                self.anchor?;
                return Some(Match::relative(found.end, "PAST_REF".to_string()));
            }
            return Some(found);
        }
        match (self.lex(k), self.lex(k + 1)) {
            (
                Lex::Kw(Kw::Past),
                Lex::Unit {
                    unit: unit @ (Unit::Decade | Unit::Century),
                    plural: false,
                },
            ) => {
                let value = period_value(Some(1), unit)?;
                Some(Match::absolute(k + 2, value).typed(TimexType::Duration))
            }
            (Lex::Kw(Kw::Past), Lex::Unit { plural: true, .. }) => {
                self.anchor?;
                Some(Match::relative(k + 2, "PAST_REF".to_string()))
            }
            (Lex::Kw(Kw::Next | Kw::Coming), Lex::Unit { unit, plural: true }) => {
                let value = period_value(None, unit)?;
                Some(Match::absolute(k + 2, value).typed(TimexType::Duration))
            }
            _ => None,
        }
    }

    /// A unit glued to "-long" at `j`, the adjective of a length: "a day-long strike" (`P1D`),
    /// "a decades-long feud" (`PXE`).
    pub(super) fn long_unit(&self, j: usize, unit: Unit, plural: bool) -> Found {
        let glued = self.toks.touches_next(j) && self.toks.touches_next(j + 1);
        if !glued || !self.toks.punct(j + 1, "-") || !self.toks.word_is(j + 2, "long") {
            return None;
        }
        let value = period_value((!plural).then_some(1), unit)?;
        Some(Match::absolute(j + 3, value).typed(TimexType::Duration))
    }

    /// "for years", "for decades", "within weeks": a bare plural unit after "for" or
    /// "within" at `j` ("within" bounds it: `EQUAL_OR_LESS`).
    pub(super) fn bare_plural_duration(&self, j: usize, unit: Unit) -> Found {
        let within = j > 0 && self.toks.word_is(j - 1, "within");
        let after_for = j > 0 && self.toks.word_is(j - 1, "for");
        if !(within || after_for) || unit == Unit::Weekend {
            return None;
        }
        let value = period_value(None, unit)?;
        let modifier = within.then_some(TimexMod::EqualOrLess);
        Some(
            Match::absolute(j + 1, value)
                .typed(TimexType::Duration)
                .modified(modifier),
        )
    }

    /// A duration after words that bound it, at `j`: "more than", "less than", "at least", "up
    /// to", "over", "under", "within", "about", "nearly".
    pub(super) fn bounded_duration(&self, j: usize) -> Found {
        let word = |k: usize, w: &str| self.toks.word_is(k, w);
        let (modifier, k) = if self.is(j, Kw::Approx) {
            (TimexMod::Approx, j + 1)
        } else if word(j + 1, "than") && (self.is(j, Kw::More) || word(j, "less")) {
            let more = self.is(j, Kw::More);
            let modifier = if more {
                TimexMod::MoreThan
            } else {
                TimexMod::LessThan
            };
            (modifier, j + 2)
        } else if word(j, "at") && word(j + 1, "least") {
            (TimexMod::EqualOrMore, j + 2)
        } else if (word(j, "at") && word(j + 1, "most")) || (word(j, "up") && word(j + 1, "to")) {
            (TimexMod::EqualOrLess, j + 2)
        } else if word(j, "over") {
            (TimexMod::MoreThan, j + 1)
        } else if word(j, "under") {
            (TimexMod::LessThan, j + 1)
        } else if word(j, "within") {
            (TimexMod::EqualOrLess, j + 1)
        } else {
            return None;
        };
        // "over the past decade": TimeML leaves a preposition before "the" out of the span.
        let preposition = k == j + 1 && !self.is(j, Kw::Approx);
        let found = match self.lex(k) {
            Lex::Kw(Kw::The) if !preposition => self.span_duration(k + 1),
            _ => self.duration(k),
        }?;
        Some(found.modified(Some(modifier)))
    }
}
