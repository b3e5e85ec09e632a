//! The scanner: one walk over the pieces, trying the date patterns at each.
//!
//! At every piece the scanner first skips the words that narrow a date without changing its
//! value ("early", "mid-", "the end of"), then dispatches on what the next piece is: a number,
//! a month or weekday name, a keyword, a number word, an ordinal, a unit, a season. Each
//! pattern family lives in its own module and returns a [`Match`] (where the date ends, its
//! value, and whether the value rests on the anchor) or `None`; the first match wins, the
//! scanner records it and continues after it, so mentions never overlap.
//!
//! * [`numeric`]: dates that start with digits or spell a year in words: "1949", "2025-03-02",
//!   "25/12/2024", "2 March 2025", "the 1990s", "'80s", "the 20th century", "nineteen
//!   ninety-six";
//! * [`named`]: dates led by a month, weekday or holiday name: "March 2, 2025", "Sept. 11", "in
//!   March", "Monday, Oct. 12, 1998", "on Friday", "Thanksgiving Day";
//! * [`relative`]: dates led by a keyword, only meaningful against the anchor: "yesterday",
//!   "now", "last week", "this coming Tuesday", "two years ago", "the year-ago quarter", "the
//!   past year", "the future";
//! * [`periods`]: quarters, halves, fiscal years and seasons: "the third quarter of 2019",
//!   "Q3 2023", "the second half of 2023", "fiscal 1989", "summer 2024";
//! * [`durations`]: lengths of time (TIMEX3 `DURATION`): "three years", "a fortnight", "the
//!   past decade", "the last 48 hours", "70-plus years", "two-year", "for years";
//! * [`times`]: times of day (`TIME`): "3 p.m.", "10:35 a.m. Wednesday", "15:00 GMT", "noon",
//!   "Tuesday evening", "this morning", "last night", "overnight";
//! * [`sets`]: recurrences (`SET`): "every week", "each Monday", "annually", "twice a year".
//!
//! A match is a `DATE` unless its pattern says otherwise. The modifiers skipped before a match
//! become its TIMEX3 `mod` ("early 2024": `START`, "mid-March": `MID`, "late 2024": `END`).
//!
//! The scanner keeps two pieces of state between mentions: where the previous mention ended
//! (so "January and March" chains) and the quarter last named (so "a year earlier" in
//! financial prose means that quarter a year before).

mod durations;
mod named;
mod numeric;
mod periods;
mod relative;
mod sets;
mod times;

use chrono::NaiveDate;

use super::lexicon::{classify, Kw, Lex};
use crate::pipeline::doc::{DateMention, TimexMod, TimexType};
use crate::text::numbers::is_plural_noun;
use crate::text::pieces::{Piece, PieceKind, PieceText};

/// What a pattern matched.
struct Match {
    /// The piece index just past the match.
    end: usize,
    /// The TIMEX3 type.
    kind: TimexType,
    /// The TIMEX3 value.
    value: String,
    /// The TIMEX3 `mod`, if any.
    modifier: Option<TimexMod>,
    /// How often a set recurs per period, when stated.
    frequency: Option<u32>,
    /// Whether the match exists only thanks to the anchor (see [`DateMention::relative`]).
    relative: bool,
    /// Whether the anchor went into the value (see [`DateMention::anchored`]).
    anchored: bool,
}

impl Match {
    /// A date that names itself ("1949", "March 2, 2025", "the 1990s"): found with or without
    /// an anchor, and its value owes nothing to it.
    fn absolute(end: usize, value: String) -> Match {
        Match {
            end,
            kind: TimexType::Date,
            value,
            modifier: None,
            frequency: None,
            relative: false,
            anchored: false,
        }
    }

    /// A date that names itself but not its year ("March 2", "the third quarter"): found
    /// without an anchor too, but its year came from the anchor when there was one.
    fn underspecified(end: usize, value: String, anchored: bool) -> Match {
        Match {
            anchored,
            ..Match::absolute(end, value)
        }
    }

    /// A date that only the anchor gives a value ("yesterday", "two years ago", "on Friday"):
    /// without an anchor the pattern does not match.
    fn relative(end: usize, value: String) -> Match {
        Match {
            relative: true,
            anchored: true,
            ..Match::absolute(end, value)
        }
    }

    /// The same match as another TIMEX3 type.
    fn typed(self, kind: TimexType) -> Match {
        Match { kind, ..self }
    }

    /// The same match with a `mod`, unless the pattern already set one.
    fn modified(self, modifier: Option<TimexMod>) -> Match {
        Match {
            modifier: self.modifier.or(modifier),
            ..self
        }
    }
}

/// Whether `value` is a day: `2025-03-04`.
fn is_day_value(value: &str) -> bool {
    let b = value.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// How many pieces before a date a future cue may stand: a clause, with the pieces of a
/// clock time or an aside between ("will leave at 4 in the morning (4 a.m. EDT Thursday)"
/// is 16 pieces from "will" to "Thursday"); a sentence end stops the search sooner.
const FUTURE_REACH: usize = 24;

/// A pattern's result: a match, or nothing.
type Found = Option<Match>;

/// The date mentions among `pieces` (the pieces of `text`), resolved against `anchor`.
pub(super) fn scan(text: &str, pieces: &[Piece], anchor: Option<NaiveDate>) -> Vec<DateMention> {
    Scanner::new(text, pieces, anchor).run()
}

/// Walks the pieces once, trying the date patterns at each.
struct Scanner<'a> {
    /// The text and its pieces.
    toks: PieceText<'a>,
    /// The class of every piece, in step with the pieces.
    lex: Vec<Lex>,
    /// The publication date, if known.
    anchor: Option<NaiveDate>,
    /// The quarter last named: financial prose says "a year earlier" meaning that quarter's
    /// counterpart a year before.
    reference_quarter: Option<(i32, u32)>,
    /// Piece index just past the previous mention, so "January and March" can chain.
    previous_end: usize,
    /// The day the text last named (a `DATE` of a day's granularity) and the piece where its
    /// sentence ends: a clock time or part of the day without its own day belongs to it.
    reference_day: Option<(String, usize)>,
}

impl<'a> Scanner<'a> {
    /// A scanner at the start of `pieces`, every word classified.
    fn new(text: &'a str, pieces: &'a [Piece], anchor: Option<NaiveDate>) -> Scanner<'a> {
        let lex = pieces
            .iter()
            .map(|p| match p.kind {
                PieceKind::Word => classify(&text[p.start..p.end]),
                PieceKind::Number | PieceKind::Punct => Lex::Other,
            })
            .collect();
        Scanner {
            toks: PieceText { text, pieces },
            lex,
            anchor,
            reference_quarter: None,
            previous_end: usize::MAX,
            reference_day: None,
        }
    }

    /// Finds the mentions, in text order.
    fn run(mut self) -> Vec<DateMention> {
        let mut mentions = Vec::new();
        let mut i = 0;
        while i < self.toks.pieces.len() {
            let found = self.match_at(i).filter(|found| found.end > i);
            match found.and_then(|found| Some((self.toks.pieces.get(found.end - 1)?, found))) {
                Some((last, found)) => {
                    if found.kind == TimexType::Date && is_day_value(&found.value) {
                        self.reference_day = Some((found.value.clone(), found.end));
                    }
                    mentions.push(DateMention {
                        start: self.toks.pieces[i].start,
                        end: last.end,
                        kind: found.kind,
                        value: found.value,
                        modifier: found.modifier,
                        frequency: found.frequency,
                        relative: found.relative,
                        anchored: found.anchored,
                    });
                    self.previous_end = found.end;
                    i = found.end;
                }
                _ => i += 1,
            }
        }
        mentions
    }

    /// The day a time without its own day belongs to: the day named last in its sentence.
    fn day_for_time(&self, i: usize) -> Option<&str> {
        let (day, named_at) = self.reference_day.as_ref()?;
        // The full stop of "p.m." before a lower-case word ends no sentence.
        let same_sentence = (*named_at..i).all(|k| {
            !self.sentence_end(k)
                || self
                    .toks
                    .text_of(k + 1)
                    .starts_with(|c: char| c.is_ascii_lowercase())
        });
        same_sentence.then_some(day.as_str())
    }

    /// Whether piece `k` ends a sentence: a full stop, "!", "?" or ";" not glued to the next
    /// piece ("U.S." goes on) or glued only to a closing quote ("... campaign.'' In ..."); the
    /// last full stop of a letter-by-letter abbreviation ("4 a.m. EDT") ends none.
    fn sentence_end(&self, k: usize) -> bool {
        let mark = self.toks.text_of(k);
        if !matches!(mark, "." | "!" | "?" | ";") {
            return false;
        }
        let glued = self.toks.touches_next(k)
            && !matches!(
                self.toks.text_of(k + 1),
                "'" | "\"" | "\u{2019}" | "\u{201d}"
            );
        let abbreviation = mark == "."
            && k >= 2
            && self.toks.text_of(k - 1).len() == 1
            && self.toks.kind(k - 1) == Some(PieceKind::Word)
            && self.toks.punct(k - 2, ".")
            && self.toks.touches_next(k - 2)
            && self.toks.touches_next(k - 1);
        !glued && !abbreviation
    }

    // --- piece access -----------------------------------------------------------------------

    /// The class of piece `i` (`Other` past the end).
    fn lex(&self, i: usize) -> Lex {
        self.lex.get(i).copied().unwrap_or(Lex::Other)
    }

    /// Whether piece `i` is the keyword `kw`.
    fn is(&self, i: usize, kw: Kw) -> bool {
        self.lex(i) == Lex::Kw(kw)
    }

    /// The value of a plain digit run of `min..=max` digits at `i` (no separators).
    fn digits(&self, i: usize, min: usize, max: usize) -> Option<u32> {
        if self.toks.kind(i) != Some(PieceKind::Number) {
            return None;
        }
        let text = self.toks.text_of(i);
        if text.len() < min || text.len() > max || !text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        text.parse().ok()
    }

    /// A year written with four digits at `i`, in 1000..=2099.
    fn year_digits(&self, i: usize) -> Option<i32> {
        let year = self.digits(i, 4, 4)?;
        let year = i32::try_from(year).ok()?;
        (1000..=2099).contains(&year).then_some(year)
    }

    /// A day of the month at `i` ("2", "02", "2nd"): its value and the index after it. A
    /// colon with minutes after it makes the number an hour ("Oct. 10:30" is no 10th), a
    /// colon that ends the phrase does not ("an editorial on Monday, Oct. 26: ...").
    fn day_at(&self, i: usize) -> Option<(u32, usize)> {
        let day = self.digits(i, 1, 2)?;
        let clock = self.toks.punct(i + 1, ":")
            && self.toks.touches_next(i + 1)
            && self.toks.kind(i + 2) == Some(PieceKind::Number);
        if !(1..=31).contains(&day) || clock {
            return None;
        }
        let next = if self.ordinal_suffix_after(i) {
            i + 2
        } else {
            i + 1
        };
        Some((day, next))
    }

    /// Whether the number at `i` has an ordinal suffix glued to it ("2nd", "20th").
    fn ordinal_suffix_after(&self, i: usize) -> bool {
        self.toks.touches_next(i)
            && ["st", "nd", "rd", "th"]
                .iter()
                .any(|s| self.toks.word_is(i + 1, s))
    }

    /// Whether the pieces before `start` introduce a date: "in", "since", "last", ..., or a
    /// connector right after the previous mention ("January and March").
    fn introduced(&self, start: usize) -> bool {
        let Some(before) = start.checked_sub(1) else {
            return false;
        };
        match self.lex(before) {
            Lex::Kw(Kw::Introducer | Kw::Of) => true,
            Lex::Kw(Kw::Connector) => self.previous_end == before,
            _ => self.toks.punct(before, "-") && self.previous_end == before,
        }
    }

    /// Whether a future cue stands earlier in the sentence than piece `i` (at most
    /// [`FUTURE_REACH`] pieces back).
    fn future_context(&self, i: usize) -> bool {
        for k in (i.saturating_sub(FUTURE_REACH)..i).rev() {
            if self.sentence_end(k) {
                return false;
            }
            if self.is(k, Kw::FutureCue) {
                // "was scheduled to", "had been due to": a future seen from the past.
                return !(k > 0 && self.past_auxiliary(k - 1));
            }
        }
        false
    }

    /// Whether piece `i` is a past auxiliary ("was", "were", "had", "been"), which turns a
    /// future cue after it into a future seen from the past.
    fn past_auxiliary(&self, i: usize) -> bool {
        ["was", "were", "had", "been"]
            .iter()
            .any(|w| self.toks.word_is(i, w))
    }

    /// Whether the words before `start` put a date in the past: "since", "ended", "ended on".
    fn past_introduced(&self, start: usize) -> bool {
        let word = |k: Option<usize>, w: &str| k.is_some_and(|k| self.toks.word_is(k, w));
        let before = start.checked_sub(1);
        word(before, "since")
            || word(before, "ended")
            || ((word(before, "on") || word(before, "in")) && word(start.checked_sub(2), "ended"))
    }

    /// Whether piece `i` is a lower-case word outside the lexicon: the noun or verb an
    /// adjective like "quarterly" or "overnight" goes with.
    fn plain_word(&self, i: usize) -> bool {
        self.lex(i) == Lex::Other
            && self.toks.kind(i) == Some(PieceKind::Word)
            && self.toks.text_of(i).bytes().all(|b| b.is_ascii_lowercase())
    }

    /// Whether the word at `i` is a lower-case plural noun, so a number before it counts
    /// things ("1500 troops") rather than naming a year.
    fn counted_noun(&self, i: usize) -> bool {
        if self.toks.kind(i) != Some(PieceKind::Word) {
            return false;
        }
        let word = self.toks.text_of(i);
        word.bytes().all(|b| b.is_ascii_lowercase()) && is_plural_noun(word)
    }

    // --- dispatch ---------------------------------------------------------------------------

    /// The expression starting at piece `i`, modifiers included.
    fn match_at(&mut self, i: usize) -> Found {
        let (j, modifier) = self.skip_modifiers(i);
        self.core(j, i).map(|found| found.modified(modifier))
    }

    /// Skips words that narrow a date without changing its value, and says what `mod` they
    /// make: "early" (`START`), "late" (`END`), "mid-" (`MID`), "earlier" (`START`), "later"
    /// (`END`), "the end/beginning/middle of". The innermost word wins.
    fn skip_modifiers(&self, i: usize) -> (usize, Option<TimexMod>) {
        let mut j = i;
        let mut modifier = None;
        loop {
            match self.lex(j) {
                Lex::Kw(kw @ (Kw::Early | Kw::Late | Kw::Mid)) => {
                    modifier = Some(match kw {
                        Kw::Early => TimexMod::Start,
                        Kw::Late => TimexMod::End,
                        _ => TimexMod::Mid,
                    });
                    j += 1;
                    if self.toks.punct(j, "-") && self.toks.touches_next(j - 1) {
                        j += 1;
                    }
                }
                Lex::Kw(kw @ (Kw::Earlier | Kw::Later)) => {
                    modifier = Some(if kw == Kw::Earlier {
                        TimexMod::Start
                    } else {
                        TimexMod::End
                    });
                    j += 1;
                }
                Lex::Kw(Kw::The) if self.is(j + 2, Kw::Of) => {
                    modifier = Some(match self.lex(j + 1) {
                        Lex::Kw(Kw::End) => TimexMod::End,
                        Lex::Kw(Kw::Beginning) => TimexMod::Start,
                        Lex::Kw(Kw::Middle) => TimexMod::Mid,
                        _ => return (j, modifier),
                    });
                    j += 3;
                }
                _ => return (j, modifier),
            }
        }
    }

    /// Tries every pattern that can start at piece `j`; `start` is where the span starts
    /// (before any modifiers).
    fn core(&mut self, j: usize, start: usize) -> Found {
        match self.toks.kind(j)? {
            PieceKind::Number => self
                .clock_time(j)
                .or_else(|| self.counted_set(j))
                .or_else(|| self.numeric(j, start)),
            PieceKind::Punct => self.apostrophe_decade(j),
            PieceKind::Word => match self.lex(j) {
                Lex::Month { month, abbrev } => self.month_led(j, start, month, abbrev),
                Lex::Weekday(weekday) => self
                    .recurring_weekday(j, weekday)
                    .or_else(|| self.weekday_led(j, weekday)),
                Lex::Weekdays(weekday) => self.recurring_weekday(j, weekday),
                Lex::Holiday(holiday) => self.holiday_led(j, start, holiday),
                Lex::Kw(kw) => self.keyword_led(j, start, kw),
                Lex::Cardinal(n) => self
                    .ago(j)
                    .or_else(|| self.spelled_year(j, n))
                    .or_else(|| self.counted_set(j))
                    .or_else(|| self.duration(j)),
                Lex::Ordinal(n) => self.ordinal_period(j, n),
                Lex::Unit { unit, plural } => self.unit_led(j, unit, plural),
                Lex::Season(season) => self.bare_season(j, start, season),
                Lex::DayPart(part) => self.bare_day_part(j, start, part),
                Lex::Periodic(unit) => self.periodic(j, unit),
                Lex::Frequency(n) => self.frequency_set(j + 1, n),
                Lex::Other => self.q_notation(j).or_else(|| self.bounded_duration(j)),
            },
        }
    }
}
