//! Recurrences: TIMEX3 `SET`s.
//!
//! * Words of recurrence, in lower case: "daily" (`P1D`), "weekly" (`P1W`), "monthly",
//!   "quarterly", "annually"/"yearly" (`P1Y`), "hourly" (`PT1H`). Capitalised they are names
//!   ("the Daily Mail"), and before a noun they describe it ("quarterly dividend", "daily
//!   volume") rather than recur;
//! * "every"/"each" with a unit, a count and a unit, a weekday, a month, a season or a part of
//!   the day: "every week" (`P1W`), "every two years" (`P2Y`), "every other week" (`P2W`),
//!   "each Monday" (`XXXX-WXX-1`), "each Tuesday night" (`XXXX-WXX-2TNI`), "every July"
//!   (`XXXX-07`), "every summer" (`XXXX-SU`), "every morning" (`XXXX-XX-XXTMO`);
//! * a frequency per period: "twice a year" (`P1Y`, frequency 2), "once a week", "three times
//!   per month". The frequency goes to [`crate::pipeline::doc::DateMention::frequency`].
//!
//! Sets never need the anchor.

use super::{Found, Match, Scanner};
use crate::pipeline::doc::TimexType;
use crate::stages::dates::lexicon::{Kw, Lex};
use crate::stages::dates::values::{period_value, Unit};

impl Scanner<'_> {
    /// A word of recurrence at `j`: "daily", "weekly", "annually"; not before the noun it
    /// describes ("quarterly dividend", "daily volume").
    pub(super) fn periodic(&self, j: usize, unit: Unit) -> Found {
        if self.plain_word(j + 1) {
            return None;
        }
        let value = period_value(Some(1), unit)?;
        Some(Match::absolute(j + 1, value).typed(TimexType::Set))
    }

    /// "every"/"each" at `j` and what recurs.
    pub(super) fn every(&self, j: usize) -> Found {
        let k = j + 1;
        let (end, value) = match self.lex(k) {
            Lex::Unit { unit, .. } => (k + 1, period_value(Some(1), unit)?),
            Lex::Other if self.toks.word_is(k, "other") => match self.lex(k + 1) {
                Lex::Unit {
                    unit,
                    plural: false,
                } => (k + 2, period_value(Some(2), unit)?),
                _ => return None,
            },
            Lex::Weekday(weekday) => {
                let day = format!("XXXX-WXX-{}", weekday.number_from_monday());
                match self.lex(k + 1) {
                    Lex::DayPart(part) => (k + 2, format!("{day}T{}", part.code())),
                    _ => (k + 1, day),
                }
            }
            Lex::Month { month, .. } => (k + 1, format!("XXXX-{month:02}")),
            Lex::Season(season) => (k + 1, format!("XXXX-{}", season.code())),
            Lex::DayPart(part) => (k + 1, format!("XXXX-XX-XXT{}", part.code())),
            _ => {
                let (count, after) = self.count_at(k)?;
                let Lex::Unit { unit, plural: true } = self.lex(after) else {
                    return None;
                };
                (after + 1, period_value(Some(count?), unit)?)
            }
        };
        Some(Match::absolute(end, value).typed(TimexType::Set))
    }

    /// "N times" at `j` (digits or number words) followed by a period: "three times a year".
    pub(super) fn counted_set(&self, j: usize) -> Found {
        let (count, k) = self.count_at(j)?;
        if !self.is(k, Kw::Times) || self.lex(j) == Lex::Kw(Kw::A) {
            return None;
        }
        self.frequency_set(k + 1, count?)
    }

    /// A period after a frequency ("twice", "three times") at `k`: "a year", "per week", "each
    /// month".
    pub(super) fn frequency_set(&self, k: usize, frequency: u32) -> Found {
        if !matches!(self.lex(k), Lex::Kw(Kw::A | Kw::Per | Kw::Every)) {
            return None;
        }
        let Lex::Unit {
            unit,
            plural: false,
        } = self.lex(k + 1)
        else {
            return None;
        };
        let found = Match::absolute(k + 2, period_value(Some(1), unit)?).typed(TimexType::Set);
        Some(Match {
            frequency: Some(frequency),
            ..found
        })
    }
}
