//! Times of day: TIMEX3 `TIME`s.
//!
//! * Clock times: "3 p.m.", "10:35 a.m.", "3pm", "noon", "midnight", and 24-hour "15:00" when a
//!   time zone follows or a preposition ("at", "by", "until", ...) comes before (else "15:00"
//!   is as often a score or a ratio). A stated time zone ("GMT", "EST", "local time") stays in
//!   the span; the value, as in TempEval-3, is the local clock time. The day is the one written
//!   next to the clock ("10 p.m. Wednesday", "5 p.m. EST, Nov. 9", "noon tomorrow"), else the
//!   day named last in the same sentence ("on Tuesday ... at 3 p.m."), else the anchor's:
//!   `2025-03-04T15:00`, `XXXX-XX-XXT15:00` without an anchor. A short aside in parentheses
//!   may stand between the clock and its day ("10:35 a.m. (0735 GMT) Friday"); an hour may be
//!   told by its part of the day ("4 in the morning", `T04:00`). A clock time names itself, so
//!   its numbers are not amounts.
//! * Parts of the day with their day: "Tuesday evening" (`2025-03-04TEV`), "this morning",
//!   "yesterday afternoon", "tomorrow night", "last night" (the night before the anchor's day),
//!   "tonight", "overnight", and a part of the day after a modifier ("mid-afternoon", `MID`).
//!   "The morning" alone is too vague and is skipped.

use chrono::NaiveDate;

use super::{Found, Match, Scanner};
use crate::pipeline::doc::TimexType;
use crate::stages::dates::lexicon::{Kw, Lex};
use crate::stages::dates::values::{day_value, DayPart};

/// Time-zone abbreviations kept in a time's span when they follow the clock.
const ZONES: [&str; 16] = [
    "GMT", "UTC", "BST", "CET", "CEST", "EET", "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST",
    "PDT", "ET", "PT",
];

impl Scanner<'_> {
    /// A clock time at `j`, with its time zone and day when written.
    pub(super) fn clock_time(&mut self, j: usize) -> Found {
        let hour = self.digits(j, 1, 2)?;
        let mut k = j + 1;
        let minutes = if self.toks.punct(k, ":") && self.toks.touches_next(j) {
            k += 2;
            Some(self.digits(k - 1, 2, 2).filter(|&m| m < 60)?)
        } else {
            None
        };
        if minutes.is_none() {
            if let Some(found) = self.hour_of_day_part(j, hour) {
                return Some(found);
            }
        }
        let (meridiem, after) = self.meridiem(k);
        let zone_end = self.zone(after);
        let hour = match meridiem {
            Some(pm) if (1..=12).contains(&hour) => hour % 12 + if pm { 12 } else { 0 },
            Some(_) => return None,
            None => {
                let prepared = j > 0 && self.clock_preposition(j - 1);
                if minutes.is_none() || hour > 23 || (zone_end == after && !prepared) {
                    return None;
                }
                hour
            }
        };
        let clock = format!("T{hour:02}:{:02}", minutes.unwrap_or(0));
        Some(self.on_day(zone_end, &clock, false))
    }

    /// An hour told by its part of the day at `j`: "4 in the morning" (`T04:00`), "8 in the
    /// evening" (`T20:00`).
    fn hour_of_day_part(&mut self, j: usize, hour: u32) -> Found {
        if !(1..=12).contains(&hour) || !self.toks.word_is(j + 1, "in") || !self.is(j + 2, Kw::The)
        {
            return None;
        }
        let Lex::DayPart(part) = self.lex(j + 3) else {
            return None;
        };
        let hour = match part {
            DayPart::Morning => hour % 12,
            DayPart::Night if hour < 5 || hour == 12 => hour % 12,
            _ => hour % 12 + 12,
        };
        Some(self.on_day(j + 4, &format!("T{hour:02}:00"), false))
    }

    /// "a.m."/"p.m."/"am"/"pm" at `k`: whether it is p.m., and the index after it.
    fn meridiem(&self, k: usize) -> (Option<bool>, usize) {
        let letter = |w: &str| match w.to_ascii_lowercase().as_str() {
            "a" | "am" => Some(false),
            "p" | "pm" => Some(true),
            _ => None,
        };
        let word = self.toks.text_of(k);
        if self.toks.kind(k) != Some(crate::text::pieces::PieceKind::Word) {
            return (None, k);
        }
        if word.len() == 2 {
            return (letter(word), k + 1);
        }
        if word.len() == 1 && self.toks.punct(k + 1, ".") && self.toks.word_is(k + 2, "m") {
            let end = if self.toks.punct(k + 3, ".") && self.toks.touches_next(k + 2) {
                k + 4
            } else {
                k + 3
            };
            return (letter(word), end);
        }
        (None, k)
    }

    /// The index after a time zone at `k` ("GMT", "local time"), or `k` when none.
    fn zone(&self, k: usize) -> usize {
        if ZONES.contains(&self.toks.text_of(k)) {
            k + 1
        } else if self.toks.word_is(k, "local") && self.toks.word_is(k + 1, "time") {
            k + 2
        } else {
            k
        }
    }

    /// Whether the word at `i` introduces a clock time: "at 15:00", "by 18:30".
    fn clock_preposition(&self, i: usize) -> bool {
        [
            "at", "by", "until", "till", "from", "around", "before", "after", "since",
        ]
        .iter()
        .any(|w| self.toks.word_is(i, w))
    }

    /// A time ending at `k` with `suffix` (`T15:00`, `TEV`) on the day written at `k` ("10
    /// p.m. Wednesday", ", Nov. 9", "tomorrow"), else on the anchor's day; `relative` when the
    /// time exists only thanks to the anchor (a part of the day).
    fn on_day(&mut self, k: usize, suffix: &str, relative: bool) -> Match {
        let k = self.past_aside(k);
        let at = if self.toks.punct(k, ",") || self.toks.word_is(k, "on") {
            k + 1
        } else {
            k
        };
        let written = match self.lex(at) {
            Lex::Weekday(_)
            | Lex::Month { .. }
            | Lex::Kw(Kw::Today | Kw::Yesterday | Kw::Tomorrow) => self.core(at, at),
            _ => None,
        }
        .filter(|day| day.kind == TimexType::Date && day.value.len() == 10);
        let (end, day, day_relative, anchored) = match written {
            Some(day) => (day.end, day.value, day.relative, day.anchored),
            None => match (self.day_for_time(k), self.anchor) {
                (Some(day), _) => (k, day.to_string(), true, self.anchor.is_some()),
                (None, Some(anchor)) => (k, day_value(anchor), true, true),
                (None, None) => (k, "XXXX-XX-XX".to_string(), true, false),
            },
        };
        Match {
            relative: relative && day_relative,
            anchored,
            ..Match::absolute(end, format!("{day}{suffix}")).typed(TimexType::Time)
        }
    }

    /// The index after a short aside in parentheses at `k` that a day follows ("10:35 a.m.
    /// (0735 GMT) Friday"), else `k`: the day belongs to the time before the aside.
    fn past_aside(&self, k: usize) -> usize {
        if !self.toks.punct(k, "(") {
            return k;
        }
        let close = (k + 1..k + 6).find(|&i| self.toks.punct(i, ")"));
        match close {
            Some(close)
                if matches!(
                    self.lex(close + 1),
                    Lex::Weekday(_) | Lex::Kw(Kw::Today | Kw::Yesterday | Kw::Tomorrow)
                ) =>
            {
                close + 1
            }
            _ => k,
        }
    }

    /// "noon", "midday", "midnight" at `j`, on their day; "high noon" is a showdown.
    pub(super) fn named_hour(&mut self, j: usize, midnight: bool) -> Found {
        if j > 0 && self.toks.word_is(j - 1, "high") {
            return None;
        }
        let clock = if midnight { "T24:00" } else { "T12:00" };
        Some(self.on_day(j + 1, clock, false))
    }

    /// A part of the day on the day `date`, ending at `end`: "Tuesday evening", "this
    /// morning".
    pub(super) fn part_of(end: usize, date: NaiveDate, part: DayPart) -> Match {
        let value = format!("{}T{}", day_value(date), part.code());
        Match::relative(end, value).typed(TimexType::Time)
    }

    /// A part of the day at `j` not led by its day: "afternoon yesterday", or after a
    /// modifier ("mid-afternoon", `start < j`) the anchor's.
    pub(super) fn bare_day_part(&mut self, j: usize, start: usize, part: DayPart) -> Found {
        self.anchor?;
        let suffix = format!("T{}", part.code());
        let found = self.on_day(j + 1, &suffix, true);
        (found.end > j + 1 || start < j).then_some(found)
    }

    /// "tonight", and "overnight" unless it describes a noun ("overnight rates").
    pub(super) fn tonight(&self, j: usize, overnight: bool) -> Found {
        let anchor = self.anchor?;
        if overnight && self.plain_word(j + 1) {
            return None;
        }
        Some(Self::part_of(j + 1, anchor, DayPart::Night))
    }
}
