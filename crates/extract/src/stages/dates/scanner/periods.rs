//! Periods of a year: quarters, halves, fiscal years and seasons.
//!
//! * Quarters: "the third quarter", "third-quarter", "fiscal second quarter", "the first
//!   quarter of 2024", "the fourth quarter of last year", "Q3", "Q3 2023". Without a year, the
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
use crate::stages::dates::lexicon::{Kw, Lex};
use crate::stages::dates::values::{quarter_value, year_for_quarter, Season, Unit};

impl Scanner<'_> {
    /// "first quarter [of 2024]", "third-quarter", "fiscal second quarter", "second half of
    /// 2024".
    pub(super) fn ordinal_period(&mut self, j: usize, n: u32) -> Found {
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
                let year = match (year, self.anchor) {
                    (Some(year), _) => year,
                    (None, Some(anchor)) => year_for_quarter(anchor, n),
                    (None, None) => return Some(Match::absolute(end, format!("XXXX-Q{n}"))),
                };
                self.reference_quarter = Some((year, n));
                Some(Match::absolute(end, quarter_value((year, n))))
            }
            Lex::Kw(Kw::Half) if n <= 2 => self.half(j, n),
            _ => None,
        }
    }

    /// "of 2024" / "2024" / "of this year" after a period: the index after it and the year.
    fn period_year(&self, k: usize) -> (usize, Option<i32>) {
        let at = if self.is(k, Kw::Of) { k + 1 } else { k };
        if let Some(year) = self.year_digits(at) {
            return (at + 1, Some(year));
        }
        if self.is(k, Kw::Of) {
            let delta = match self.lex(at) {
                Lex::Kw(Kw::Last) => Some(-1),
                Lex::Kw(Kw::This) => Some(0),
                Lex::Kw(Kw::Next) => Some(1),
                _ => None,
            };
            let year_unit = self.lex(at + 1)
                == Lex::Unit {
                    unit: Unit::Year,
                    plural: false,
                };
            if let (Some(delta), true, Some(anchor)) = (delta, year_unit, self.anchor) {
                return (at + 2, Some(anchor.year() + delta));
            }
        }
        (k, None)
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
        let year = year.or(self.anchor.map(|a| year_for_quarter(a, n)));
        match year {
            Some(year) => {
                self.reference_quarter = Some((year, n));
                Some(Match::absolute(end, quarter_value((year, n))))
            }
            None => Some(Match::absolute(end, format!("XXXX-Q{n}"))),
        }
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
