//! Dates written with digits, and years spelled out in words.
//!
//! * ISO dates "2025-03-02" and slashed dates "25/12/2024", "12/25/2024", "2024/12/25" (only when
//!   day and month cannot be swapped: "02/03/2025" is skipped);
//! * a day before a month: "2 March 2025", "2nd of March", "12 Oct." (see [`super::named`]);
//! * decades "1990s", "1990's", "the 1990s" (`199`) and "'80s" (`198`), centuries "the 20th
//!   century" (`19`);
//! * years: four digits in 1900–2099, or 1000–1899 after an introducing word ("in 1066"), but
//!   never after a label word ("Article 2012", "Room 2012") or a currency sign ("$2000"), never
//!   glued to a word ("1900D") or followed by a percent sign, and not when a counted plural noun
//!   follows ("1500 troops");
//! * years in words as broadcast transcripts write them: "nineteen ninety-six" (`1996`).

use chrono::NaiveDate;

use super::{Found, Match, Scanner};
use crate::stages::dates::lexicon::Lex;
use crate::stages::dates::values::{day_value, Unit};
use crate::text::numbers::{currency_sign_code, is_label_word, number_words_at};
use crate::text::pieces::PieceKind;

impl Scanner<'_> {
    /// Dates that start with a number: ISO, slashed, day-first ("2 March 2025"), decades,
    /// centuries, durations ("48 hours", see [`super::durations`]) and years.
    pub(super) fn numeric(&mut self, j: usize, start: usize) -> Found {
        if let Some(found) = self.ago(j) {
            return Some(found);
        }
        if let Some(found) = self.iso_date(j) {
            return Some(found);
        }
        if let Some(found) = self.slashed_date(j) {
            return Some(found);
        }
        if let Some(found) = self.day_first_date(j) {
            return Some(found);
        }
        if let Some(found) = self.decade(j) {
            return Some(found);
        }
        if let Some(found) = self.century(j) {
            return Some(found);
        }
        if let Some(found) = self.duration(j) {
            return Some(found);
        }
        self.standalone_year(j, start)
    }

    /// `YYYY-MM-DD`, a valid day.
    fn iso_date(&self, j: usize) -> Found {
        let year = self.year_digits(j)?;
        let joined = (j..j + 4).all(|k| self.toks.touches_next(k));
        if !joined || !self.toks.punct(j + 1, "-") || !self.toks.punct(j + 3, "-") {
            return None;
        }
        let month = self.digits(j + 2, 2, 2)?;
        let day = self.digits(j + 4, 2, 2)?;
        let date = NaiveDate::from_ymd_opt(year, month, day)?;
        Some(Match::absolute(j + 5, day_value(date)))
    }

    /// `D/M/YYYY`, `M/D/YYYY` or `YYYY/M/D`, only when the day and month cannot be swapped.
    fn slashed_date(&self, j: usize) -> Found {
        let joined = (j..j + 4).all(|k| self.toks.touches_next(k));
        if !joined || !self.toks.punct(j + 1, "/") || !self.toks.punct(j + 3, "/") {
            return None;
        }
        let (year, a, b) = if let Some(year) = self.year_digits(j) {
            (year, self.digits(j + 2, 1, 2)?, self.digits(j + 4, 1, 2)?)
        } else {
            let year = self.year_digits(j + 4)?;
            (year, self.digits(j, 1, 2)?, self.digits(j + 2, 1, 2)?)
        };
        let year_first = self.year_digits(j).is_some();
        let (month, day) = if year_first || a == b {
            (a, b)
        } else if a > 12 {
            (b, a)
        } else if b > 12 {
            (a, b)
        } else {
            return None;
        };
        let date = NaiveDate::from_ymd_opt(year, month, day)?;
        Some(Match::absolute(j + 5, day_value(date)))
    }

    /// "1990s" / "1990's" → `199`.
    pub(super) fn decade(&self, j: usize) -> Found {
        let year = self.digits(j, 4, 4)?;
        if year % 10 != 0 || !(1000..=2090).contains(&year) || !self.toks.touches_next(j) {
            return None;
        }
        let end = if self.toks.word_is(j + 1, "s") {
            j + 2
        } else if matches!(self.toks.text_of(j + 1), "'" | "’")
            && self.toks.touches_next(j + 1)
            && self.toks.word_is(j + 2, "s")
        {
            j + 3
        } else {
            return None;
        };
        Some(Match::absolute(end, format!("{:03}", year / 10)))
    }

    /// "'90s" → `199` (two-digit decades are taken as the 1900s).
    pub(super) fn apostrophe_decade(&self, j: usize) -> Found {
        if !matches!(self.toks.text_of(j), "'" | "’") || !self.toks.touches_next(j) {
            return None;
        }
        let decade = self.digits(j + 1, 2, 2)?;
        if decade % 10 != 0 || !self.toks.touches_next(j + 1) || !self.toks.word_is(j + 2, "s") {
            return None;
        }
        Some(Match::absolute(j + 3, format!("19{}", decade / 10)))
    }

    /// "20th century" → `19`.
    pub(super) fn century(&self, j: usize) -> Found {
        let n = self.digits(j, 1, 2)?;
        let suffixed = self.ordinal_suffix_after(j);
        let is_century = matches!(
            self.lex(j + 2),
            Lex::Unit {
                unit: Unit::Century,
                plural: false
            }
        );
        if !suffixed || !is_century || n == 0 {
            return None;
        }
        Some(Match::absolute(j + 3, format!("{:02}", n - 1)))
    }

    /// A four-digit year on its own at `j` (`start` is where the span starts, before any
    /// modifiers), unless the number is a label, money, glued to a word, a percentage or a count.
    fn standalone_year(&self, j: usize, start: usize) -> Found {
        let year = self.year_digits(j)?;
        let introduced = start < j || self.introduced(start);
        if year < 1900 && !introduced {
            return None;
        }
        if let Some(before) = j.checked_sub(1) {
            let label = self
                .toks
                .lower(before)
                .is_some_and(|w| is_label_word(w.as_str()));
            let glued = start == j
                && self.toks.touches_next(before)
                && !matches!(
                    self.toks.text_of(before),
                    "(" | "[" | "\"" | "“" | "'" | "‘"
                );
            if label || currency_sign_code(self.toks.text_of(before)).is_some() || glued {
                return None;
            }
        }
        let next = j + 1;
        let glued_after = self.toks.touches_next(j)
            && (self.toks.kind(next) == Some(PieceKind::Word)
                || (self.toks.punct(next, "-")
                    && self.toks.kind(next + 1) == Some(PieceKind::Word)));
        let percent = self.toks.punct(next, "%") || self.toks.word_is(next, "percent");
        if glued_after || percent || (!introduced && self.counted_noun(next)) {
            return None;
        }
        Some(Match::absolute(j + 1, format!("{year:04}")))
    }

    /// A year in words, as broadcast transcripts write them: "nineteen ninety-six" → `1996`.
    pub(super) fn spelled_year(&self, j: usize, n: u32) -> Found {
        if !(11..=20).contains(&n) {
            return None;
        }
        let (rest, end) = number_words_at(&self.toks, j + 1)?;
        if !(10..=99).contains(&rest) {
            return None;
        }
        Some(Match::absolute(end, format!("{:04}", n * 100 + rest)))
    }
}
