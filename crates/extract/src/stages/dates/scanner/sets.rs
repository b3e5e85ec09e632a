//! Recurrences: TIMEX3 `SET`s.
//!
//! * Words of recurrence, in lower case: "daily" (`P1D`), "weekly" (`P1W`), "monthly",
//!   "quarterly", "annually"/"yearly" (`P1Y`), "hourly" (`PT1H`), also before the noun whose
//!   recurrence they tell ("a daily rally", "his weekly radio address"). Capitalised they are
//!   names ("the Daily Mail"), and "quarterly" before a noun names a report or a payment
//!   ("quarterly dividend") rather than a recurrence;
//! * weekdays that recur: "on Mondays" (`XXXX-WXX-1`), "Tuesday nights" (`XXXX-WXX-2TNI`),
//!   and a weekday joined to such a one ("Monday and Tuesday nights": both recur);
//! * "every"/"each" with a unit, a count and a unit, a weekday, a month, a season or a part of
//!   the day: "every week" (`P1W`), "every two years" (`P2Y`), "every other week" (`P2W`),
//!   "each Monday" (`XXXX-WXX-1`), "each Tuesday night" (`XXXX-WXX-2TNI`), "every July"
//!   (`XXXX-07`), "every summer" (`XXXX-SU`), "every morning" (`XXXX-XX-XXTMO`), and a length
//!   after "each of the" ("each of the last three years", `P1Y`);
//! * a frequency per period: "twice a year" (`P1Y`, frequency 2), "once a week", "three times
//!   per month". The frequency goes to [`crate::pipeline::doc::DateMention::frequency`].
//!
//! Sets never need the anchor.

use super::{Found, Match, Scanner};
use crate::pipeline::doc::TimexType;
use crate::stages::dates::lexicon::{Kw, Lex};
use crate::stages::dates::values::{period_value, DayPart, Unit};
use chrono::Weekday;

impl Scanner<'_> {
    /// A word of recurrence at `j`: "daily", "weekly", "annually", also before the noun whose
    /// recurrence it tells ("daily flights", "weekly radio address", "hourly earnings"); but
    /// "quarterly" before a noun names a kind of report or payment ("quarterly dividend",
    /// "quarterly earnings"), not a recurrence.
    pub(super) fn periodic(&self, j: usize, unit: Unit) -> Found {
        if unit == Unit::Quarter && self.plain_word(j + 1) {
            return None;
        }
        let value = period_value(Some(1), unit)?;
        Some(Match::absolute(j + 1, value).typed(TimexType::Set))
    }

    /// A weekday that recurs, at `j`: a plural ("on Mondays", `XXXX-WXX-1`), a weekday with
    /// a plural part of the day ("Tuesday nights", `XXXX-WXX-2TNI`), or a weekday joined to
    /// such a one, which shares its plural ("Monday and Tuesday nights": Monday nights too).
    pub(super) fn recurring_weekday(&self, j: usize, weekday: Weekday) -> Found {
        let day = format!("XXXX-WXX-{}", weekday.number_from_monday());
        let plural = self.lex(j) == Lex::Weekdays(weekday);
        if let Some(part) = self.plural_day_part(j + 1) {
            return Some(
                Match::absolute(j + 2, format!("{day}T{}", part.code())).typed(TimexType::Set),
            );
        }
        if plural {
            return Some(Match::absolute(j + 1, day).typed(TimexType::Set));
        }
        if !(self.toks.word_is(j + 1, "and") || self.toks.word_is(j + 1, "or")) {
            return None;
        }
        let suffix = match self.lex(j + 2) {
            Lex::Weekdays(_) => String::new(),
            Lex::Weekday(_) => format!("T{}", self.plural_day_part(j + 3)?.code()),
            _ => return None,
        };
        Some(Match::absolute(j + 1, format!("{day}{suffix}")).typed(TimexType::Set))
    }

    /// A part of the day in the plural at `i`: "nights", "mornings".
    fn plural_day_part(&self, i: usize) -> Option<DayPart> {
        let singular = self.toks.text_of(i).strip_suffix('s')?;
        [
            ("morning", DayPart::Morning),
            ("afternoon", DayPart::Afternoon),
            ("evening", DayPart::Evening),
            ("night", DayPart::Night),
        ]
        .into_iter()
        .find_map(|(word, part)| singular.eq_ignore_ascii_case(word).then_some(part))
    }

    /// "every"/"each" at `j` and what recurs.
    pub(super) fn every(&self, j: usize) -> Found {
        let k = j + 1;
        let (end, value) = match self.lex(k) {
            Lex::Unit { unit, .. } => (k + 1, period_value(Some(1), unit)?),
            Lex::Kw(Kw::Of) if self.is(k + 1, Kw::The) => self.each_of(k + 2)?,
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

    /// The length after "each of the" at `k` (the word after "the"), whose every unit recurs:
    /// "each of the last three years" is once a year (`P1Y`); where it ends and the value.
    fn each_of(&self, k: usize) -> Option<(usize, String)> {
        let length = self.span_duration(k)?;
        if length.kind != TimexType::Duration {
            return None;
        }
        let Lex::Unit { unit, .. } = self.lex(length.end - 1) else {
            return None;
        };
        Some((length.end, period_value(Some(1), unit)?))
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
