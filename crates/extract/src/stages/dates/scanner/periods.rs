//! Periods of a year: quarters, halves, fiscal years and seasons.
//!
//! * Quarters: "the third quarter", "third-quarter", "fiscal second quarter", "the first
//!   quarter of 2024", "the fourth quarter of last year", "the 1988 third quarter", "Q3",
//!   "Q3 2023". Without a year, the
//!   quarter whose middle is nearest the anchor ("the fourth quarter" in February is last
//!   year's); without an anchor the year is `XXXX`. The quarter named is remembered for "a year
//!   earlier" (see [`super::relative`]);
//! * halves need their year ("the second half of 2023", "H1 2024"): "the second half" alone is
//!   as often a football match;
//! * "fiscal 1989", "fiscal year 1989";
//! * seasons: "summer 2024", "the winter of 1994", and without a year "in the summer" (the
//!   anchor's year). "last summer" and "next winter" are relative (see [`super::relative`]).

use chrono::Datelike;

use super::{Found, Match, Scanner};
use crate::pipeline::doc::TimexType;
use crate::stages::dates::lexicon::{Kw, Lex};
use crate::stages::dates::values::{period_value, quarter_value, year_for_quarter, Season, Unit};

impl Scanner<'_> {
    /// "first quarter [of 2024]", "third-quarter", "fiscal second quarter", "second half of
    /// 2024"; "first nine months" and "the first hours" are durations (see
    /// [`super::durations`]).
    pub(super) fn ordinal_period(&mut self, j: usize, n: u32) -> Found {
        if n == 1 {
            if let Some(found) = self.duration(j + 1) {
                return Some(found);
            }
            // "the first hours of the war": a length of an unknown count (`PTXH`).
            if let Lex::Unit { unit, plural: true } = self.lex(j + 1) {
                let value = period_value(None, unit)?;
                return Some(Match::absolute(j + 2, value).typed(TimexType::Duration));
            }
        }
        let mut k = j + 1;
        if self.toks.punct(k, "-") && self.toks.touches_next(j) {
            k += 1;
        }
        if self.is(k, Kw::Fiscal) {
            k += 1;
        }
        match self.lex(k) {
            Lex::Unit {
                unit: Unit::Quarter,
                plural: false,
            } if (1..=4).contains(&n) => {
                let (end, year) = self.period_year(k + 1);
                self.quarter(end, n, year)
            }
            Lex::Kw(Kw::Half) if n <= 2 => self.half(j, n),
            _ => None,
        }
    }

    /// "of 2024" / "2024" / "of this year" after a period: the index after it and the year.
    fn period_year(&self, k: usize) -> (usize, Option<i32>) {
        match self.year_after(k) {
            Some((end, year, _)) => (end, Some(year)),
            None => (k, None),
        }
    }

    /// The year named at `k`, perhaps after "of": "2024", "nineteen ninety-four", "last year",
    /// "this year", "next year", "of the year". The index after it, the year, and whether it came from the
    /// anchor.
    pub(super) fn year_after(&self, k: usize) -> Option<(usize, i32, bool)> {
        let at = if self.is(k, Kw::Of) { k + 1 } else { k };
        if let Some(year) = self.year_digits(at) {
            return Some((at + 1, year, false));
        }
        if let Lex::Cardinal(n) = self.lex(at) {
            if let Some(found) = self.spelled_year(at, n) {
                return Some((found.end, found.value.parse().ok()?, false));
            }
        }
        let delta = match self.lex(at) {
            Lex::Kw(Kw::Last) => -1,
            Lex::Kw(Kw::This) => 0,
            // "the first half of the year": the anchor's.
            Lex::Kw(Kw::The) if at > k => 0,
            Lex::Kw(Kw::Next) => 1,
            _ => return None,
        };
        let year_unit = Lex::Unit {
            unit: Unit::Year,
            plural: false,
        };
        (self.lex(at + 1) == year_unit).then_some(())?;
        Some((at + 2, self.anchor?.year() + delta, true))
    }

    /// A year before its quarter, after "the": "the 1988 third quarter", "the 1988 quarter"
    /// (the quarter last named, that year).
    pub(super) fn year_quarter(&mut self, k: usize) -> Found {
        let year = self.year_digits(k)?;
        let mut at = k + 1;
        if self.is(at, Kw::Fiscal) {
            at += 1;
        }
        let quarter = Lex::Unit {
            unit: Unit::Quarter,
            plural: false,
        };
        match self.lex(at) {
            Lex::Ordinal(n @ 1..=4) if self.lex(at + 1) == quarter => {
                self.quarter(at + 2, n, Some(year))
            }
            lex if lex == quarter || lex == Lex::Kw(Kw::Period) => {
                let (_, n) = self.reference_quarter?;
                Some(Match::absolute(at + 1, quarter_value((year, n))))
            }
            _ => None,
        }
    }

    /// "the first/second/last half of 2024": halves need an explicit year, since "the second
    /// half" alone is as often a football match.
    pub(super) fn half(&self, j: usize, n: u32) -> Found {
        if !self.is(j + 1, Kw::Half) {
            return None;
        }
        let (end, year) = self.period_year(j + 2);
        let year = year.filter(|_| end > j + 2)?;
        Some(Match::absolute(end, format!("{year:04}-H{n}")))
    }

    /// "fiscal 1989", "fiscal year 1989", "fiscal third quarter".
    pub(super) fn fiscal(&mut self, j: usize) -> Found {
        let mut k = j + 1;
        if let Lex::Ordinal(n) = self.lex(k) {
            return self.ordinal_period(k, n);
        }
        if self.lex(k)
            == (Lex::Unit {
                unit: Unit::Year,
                plural: false,
            })
        {
            k += 1;
        }
        let year = self.year_digits(k)?;
        Some(Match::absolute(k + 1, format!("{year:04}")))
    }

    /// "Q3", "Q3 2024", "H1 2024".
    pub(super) fn q_notation(&mut self, j: usize) -> Found {
        let letter = self.toks.text_of(j);
        if !matches!(letter, "Q" | "H") || !self.toks.touches_next(j) {
            return None;
        }
        let n = self.digits(j + 1, 1, 1)?;
        let quarter = letter == "Q";
        if n == 0 || n > if quarter { 4 } else { 2 } {
            return None;
        }
        let year = self.year_digits(j + 2);
        let end = if year.is_some() { j + 3 } else { j + 2 };
        if !quarter {
            return Some(Match::absolute(end, format!("{:04}-H{n}", year?)));
        }
        self.quarter(end, n, year)
    }

    /// Quarter `n` ending at `end`, of `year` if the text named it, else of the year nearest
    /// the anchor (`XXXX` without one); remembered for "a year earlier".
    fn quarter(&mut self, end: usize, n: u32, year: Option<i32>) -> Found {
        let Some(year) = year else {
            let Some(anchor) = self.anchor else {
                return Some(Match::absolute(end, format!("XXXX-Q{n}")));
            };
            let year = year_for_quarter(anchor, n);
            self.reference_quarter = Some((year, n));
            return Some(Match::underspecified(end, quarter_value((year, n)), true));
        };
        self.reference_quarter = Some((year, n));
        Some(Match::absolute(end, quarter_value((year, n))))
    }

    /// A season named without last/this/next: "summer 2024", "in the summer", "the winter
    /// of 1994".
    pub(super) fn bare_season(&self, j: usize, start: usize, season: Season) -> Found {
        let (end, year) = self.period_year(j + 1);
        if let Some(year) = year {
            return Some(Match::absolute(end, format!("{year:04}-{}", season.code())));
        }
        let after_the = j > 0 && self.is(j - 1, Kw::The) && self.introduced(j - 1);
        if start == j && !self.introduced(start) && !after_the {
            return None;
        }
        let anchor = self.anchor?;
        Some(Match::relative(
            j + 1,
            format!("{:04}-{}", anchor.year(), season.code()),
        ))
    }
}
