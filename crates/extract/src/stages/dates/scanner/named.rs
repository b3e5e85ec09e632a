//! Dates led by a month or a weekday name.
//!
//! * A month with a day: "March 2, 2025", "March 2 2025", "Sept. 11" (year from the anchor),
//!   "2nd of March" — unless the number counts something ("March 3 people", "May 5%");
//! * a month with a year: "April 2023", "March of 2024", "Nov. 2019" (`2023-04`), "January
//!   nineteen ninety-seven", "June last year" (the anchor's year before);
//! * a month alone only after an introducing word ("in March", "since May", "January and
//!   March"): capitalised "March" at the start of a sentence is as often the verb. An
//!   abbreviation without a day needs its period: "Jan." is a month, "Jan" more often a name;
//! * a holiday with its year, "Day" or "Eve", or an introducing word: "Christmas 2024",
//!   "Thanksgiving Day", "on Christmas Eve", "since Halloween";
//! * a weekday with a date ("Monday, Oct. 12, 1998", "Monday, 12 October") is that date; a
//!   bare weekday ("on Friday") is the anchor's day when the names agree, else the latest such
//!   day before the anchor, or the next one after a future cue ("will", "plans") earlier in the
//!   sentence. Followed by a part of the day ("Tuesday evening") it is a time (see
//!   [`super::times`]);
//! * after "since" or "ended" ("since February", "the year ended March 31") a month or day
//!   without its year is the latest one not after the anchor.

use chrono::{Datelike, NaiveDate, Weekday};

use super::{Found, Match, Scanner};
use crate::stages::dates::lexicon::{Kw, Lex};
use crate::stages::dates::values::{
    day_value, weekday_date, year_for_month, year_for_month_day, Occurrence,
};
use crate::text::calendar::Holiday;

impl Scanner<'_> {
    /// After a month and day: an optional year (", 2025" or " 2025"), else the year from the
    /// anchor.
    fn with_optional_year(&self, k: usize, month: u32, day: u32) -> Found {
        let year_at = if self.toks.punct(k, ",") { k + 1 } else { k };
        if let Some(year) = self.year_digits(year_at) {
            if let Some(date) = NaiveDate::from_ymd_opt(year, month, day) {
                return Some(Match::absolute(year_at + 1, day_value(date)));
            }
        }
        if year_at > k && self.year_digits(year_at).is_some() {
            return None;
        }
        // Feb 29 exists in leap years: validate against 2000.
        NaiveDate::from_ymd_opt(2000, month, day)?;
        let future = self.future_context(k);
        let year = self
            .anchor
            .and_then(|a| year_for_month_day(a, month, day, future));
        let value = match year {
            Some(year) => format!("{year:04}-{month:02}-{day:02}"),
            None => format!("XXXX-{month:02}-{day:02}"),
        };
        Some(Match::underspecified(k, value, year.is_some()))
    }

    /// A date led by a month name at `j` (`start` is where the span starts, before any
    /// modifiers): with a day, with a year, or alone after an introducing word.
    pub(super) fn month_led(&mut self, j: usize, start: usize, month: u32, abbrev: bool) -> Found {
        let found = self.month_date(j, start, month, abbrev)?;
        Some(match self.anchor {
            Some(anchor) if found.anchored && self.past_introduced(start) => Match {
                value: not_after(&found.value, anchor),
                ..found
            },
            _ => found,
        })
    }

    /// [`Scanner::month_led`] before the tense of the words before it is applied.
    fn month_date(&mut self, j: usize, start: usize, month: u32, abbrev: bool) -> Found {
        let mut k = j + 1;
        let dotted = self.toks.punct(k, ".");
        if dotted {
            k += 1;
        }
        if let Some((day, after)) = self.day_at(k) {
            let counted = self.counted_noun(after) || self.toks.punct(after, "%");
            if !counted {
                return self.with_optional_year(after, month, day);
            }
        }
        if abbrev && !dotted {
            return None;
        }
        let year_at = if self.toks.punct(k, ",") { k + 1 } else { k };
        if let Some((end, year, anchored)) = self.year_after(year_at) {
            let value = format!("{year:04}-{month:02}");
            return Some(Match::underspecified(end, value, anchored));
        }
        if start == j && !self.introduced(start) {
            return None;
        }
        let value = match self.anchor {
            Some(anchor) => {
                let year = year_for_month(anchor, month, self.future_context(j));
                format!("{year:04}-{month:02}")
            }
            None => format!("XXXX-{month:02}"),
        };
        // The full stop after a full month name ends the sentence, not an abbreviation.
        let end = if abbrev { k } else { j + 1 };
        Some(Match::underspecified(end, value, self.anchor.is_some()))
    }

    /// A holiday at `j` ("Christmas", "Thanksgiving Day", "Christmas Eve 2024"): with its year,
    /// or after an introducing word or "Day"/"Eve" in the year the tense gives (as a month's).
    pub(super) fn holiday_led(&self, j: usize, start: usize, holiday: Holiday) -> Found {
        let eve = self.toks.word_is(j + 1, "Eve");
        let k = if eve || self.toks.word_is(j + 1, "Day") {
            j + 2
        } else {
            j + 1
        };
        if let Some((end, year, anchored)) = self.year_after(k) {
            let day = day_value(holiday.date(year, eve)?);
            return Some(Match::underspecified(end, day, anchored));
        }
        if k == j + 1 && start == j && !self.introduced(start) {
            return None;
        }
        let year = year_for_month(self.anchor?, holiday.month(), self.future_context(j));
        Some(Match::underspecified(
            k,
            day_value(holiday.date(year, eve)?),
            true,
        ))
    }

    /// A date led by a weekday name at `j`: the date written after it ("Monday, Oct. 12"), or
    /// the weekday's day nearest the anchor.
    pub(super) fn weekday_led(&self, j: usize, weekday: Weekday) -> Found {
        if self.toks.punct(j + 1, ",") {
            let full = match self.lex(j + 2) {
                Lex::Month { month, abbrev } => self.dated_weekday(j + 2, month, abbrev),
                _ => self.day_first_date(j + 2),
            };
            if full.is_some() {
                return full;
            }
        }
        let anchor = self.anchor?;
        let occurrence = if self.future_context(j) {
            Occurrence::OnOrAfter
        } else {
            Occurrence::OnOrBefore
        };
        let date = weekday_date(anchor, weekday, occurrence)?;
        if let Lex::DayPart(part) = self.lex(j + 1) {
            return Some(Self::part_of(j + 2, date, part));
        }
        Some(Match::relative(j + 1, day_value(date)))
    }

    /// "Oct. 12[, 1998]" after "Monday,": a month and a day, nothing less.
    fn dated_weekday(&self, k: usize, month: u32, abbrev: bool) -> Found {
        let (day, after) = self.day_at(self.after_month_name(k, abbrev)?)?;
        self.with_optional_year(after, month, day)
    }

    /// "12 October[ 1998]", "2nd of March", "12 Oct." (also after "Monday,").
    pub(super) fn day_first_date(&self, k: usize) -> Found {
        let (day, after) = self.day_at(k)?;
        let after = if self.is(after, Kw::Of) {
            after + 1
        } else {
            after
        };
        let Lex::Month { month, abbrev } = self.lex(after) else {
            return None;
        };
        self.with_optional_year(self.after_month_name(after, abbrev)?, month, day)
    }

    /// The index after a month name at `i`, past the full stop of an abbreviation ("Oct.");
    /// `None` for an abbreviation without one ("Jan" is more often a name).
    fn after_month_name(&self, i: usize, abbrev: bool) -> Option<usize> {
        match (abbrev, self.toks.punct(i + 1, ".")) {
            (true, true) => Some(i + 2),
            (true, false) => None,
            (false, _) => Some(i + 1),
        }
    }
}

/// A month (`2025-03`) or day (`2025-03-31`) whose year came from the anchor, moved a year back
/// when it falls after the anchor: "since February", "the year ended March 31" are past.
fn not_after(value: &str, anchor: NaiveDate) -> String {
    let Some(year) = value.get(..4).and_then(|y| y.parse::<i32>().ok()) else {
        return value.to_string();
    };
    let month = value
        .get(5..7)
        .and_then(|m| m.parse::<u32>().ok())
        .unwrap_or(1);
    let day = value
        .get(8..10)
        .and_then(|d| d.parse::<u32>().ok())
        .unwrap_or(1);
    let later = (year, month, day) > (anchor.year(), anchor.month(), anchor.day());
    match NaiveDate::from_ymd_opt(year - 1, month, day) {
        Some(_) if later => format!("{:04}{}", year - 1, &value[4..]),
        _ => value.to_string(),
    }
}
