//! Dates led by a keyword, which only mean something against the anchor.
//!
//! * days: "today", "yesterday", "tomorrow";
//! * TimeML reference values: "now", "currently" (`PRESENT_REF`), "recently", "recent years",
//!   "the past", "the past few weeks" (`PAST_REF`), "the future", "in future" (`FUTURE_REF`);
//! * last/this/next/past/coming with a unit, weekday, month or season: "last week"
//!   (`2025-W08`), "this coming Tuesday", "next May", "last summer" (`2024-SU`), "the past
//!   year", "current quarter";
//! * counts back: "two years ago", "10 days ago", "a week ago", "twenty-five years ago", "a few
//!   years ago" (`PAST_REF`); in financial prose "a year earlier" and "the year-ago quarter"
//!   mean the quarter last named, a year before;
//! * "the weekend", "the quarter", "the latest quarter", "the year-end", and after a modifier
//!   "the end of the year";
//! * not dates but lengths (`DURATION`), though led by "the": a reporting period closed by a
//!   date ("the year ended March 31", `P1Y`) and plural units spanning an unknown length
//!   ("over the years", "the weeks ahead", `PXY`, `PXW`).
//!
//! These patterns need the anchor: without one they do not match, and their [`Match`] is
//! [`Match::relative`]. A leading "the" or "fiscal" may also open an absolute date ("the
//! 1990s", "the third quarter of 2019", "fiscal 1989"), which [`super::numeric`] and
//! [`super::periods`] read.

use chrono::Weekday;

use super::{Found, Match, Scanner};
use crate::pipeline::doc::TimexType;
use crate::stages::dates::lexicon::{Kw, Lex};
use crate::stages::dates::values::{
    add_days, day_value, month_occurrence, period_value, quarter_value, reported_quarter,
    season_occurrence, unit_value, week_value, weekday_date, Occurrence, Unit,
};
use crate::text::numbers::number_words_at;
use crate::text::pieces::PieceKind;

impl Scanner<'_> {
    /// Expressions led by a keyword: today/yesterday/tomorrow, now, last/this/next ...,
    /// "the future", "the weekend", "a year ago", "fiscal 1989", "current quarter".
    pub(super) fn keyword_led(&mut self, j: usize, start: usize, kw: Kw) -> Found {
        match kw {
            Kw::Today | Kw::Yesterday | Kw::Tomorrow => {
                let delta = match kw {
                    Kw::Yesterday => -1,
                    Kw::Tomorrow => 1,
                    _ => 0,
                };
                let anchor = self.anchor?;
                if let Lex::DayPart(part) = self.lex(j + 1) {
                    return Some(Self::part_of(j + 2, add_days(anchor, delta)?, part));
                }
                Some(Match::relative(
                    j + 1,
                    unit_value(anchor, Unit::Day, delta)?,
                ))
            }
            Kw::Tonight | Kw::Overnight => self.tonight(j, kw == Kw::Overnight),
            Kw::Noon | Kw::Midnight => self.named_hour(j, kw == Kw::Midnight),
            Kw::Every => self.every(j),
            Kw::More => self.bounded_duration(j),
            Kw::Now => {
                self.anchor?;
                let compound = self.toks.touches_next(j) && self.toks.punct(j + 1, "-");
                (!compound).then(|| Match::relative(j + 1, "PRESENT_REF".to_string()))
            }
            Kw::Currently => {
                self.anchor?;
                Some(Match::relative(j + 1, "PRESENT_REF".to_string()))
            }
            Kw::Current => self.current(j),
            Kw::Recently => {
                self.anchor?;
                Some(Match::relative(j + 1, "PAST_REF".to_string()))
            }
            Kw::Recent => {
                self.anchor?;
                let end = match self.lex(j + 1) {
                    Lex::Unit { plural: true, .. } => j + 2,
                    _ => j + 1,
                };
                Some(Match::relative(end, "PAST_REF".to_string()))
            }
            Kw::Last | Kw::This | Kw::Next | Kw::Past | Kw::Coming => self.relative(j, kw),
            Kw::The if start < j => self.modified_period(j),
            Kw::The => self.after_the(j),
            Kw::A | Kw::Vague => self.ago(j).or_else(|| self.duration(j)),
            Kw::Approx => self.ago(j + 1).or_else(|| self.bounded_duration(j)),
            Kw::Fiscal => self.fiscal(j),
            Kw::Future if start > 0 && self.toks.word_is(start - 1, "in") => {
                self.anchor?;
                Some(Match::relative(j + 1, "FUTURE_REF".to_string()))
            }
            _ => None,
        }
    }

    /// "current" + unit is "this" + unit; "current" alone is the present.
    fn current(&self, j: usize) -> Found {
        let anchor = self.anchor?;
        let next = if self.is(j + 1, Kw::Fiscal) {
            j + 2
        } else {
            j + 1
        };
        if let Lex::Unit {
            unit,
            plural: false,
        } = self.lex(next)
        {
            return Some(Match::relative(next + 1, unit_value(anchor, unit, 0)?));
        }
        Some(Match::relative(j + 1, "PRESENT_REF".to_string()))
    }

    /// last/this/next/past/coming + unit, weekday, month, season or part of the day, or a
    /// duration ("last five years", "past decade", "coming weeks").
    fn relative(&self, j: usize, kw: Kw) -> Found {
        if kw != Kw::This {
            if let Some(found) = self.span_duration(j) {
                return Some(found);
            }
        }
        let anchor = self.anchor?;
        let (occurrence, k) = match (kw, self.lex(j + 1)) {
            (Kw::This, Lex::Kw(Kw::Past)) => (Occurrence::Previous, j + 2),
            (Kw::This, Lex::Kw(Kw::Coming)) => (Occurrence::Following, j + 2),
            (Kw::Last | Kw::Past, _) => (Occurrence::Previous, j + 1),
            (Kw::Next | Kw::Coming, _) => (Occurrence::Following, j + 1),
            _ => (Occurrence::Current, j + 1),
        };
        let value = match self.lex(k) {
            Lex::Unit {
                unit,
                plural: false,
            } => {
                let delta = match occurrence {
                    Occurrence::Previous => -1,
                    Occurrence::Following => 1,
                    _ => 0,
                };
                unit_value(anchor, unit, delta)?
            }
            Lex::Weekday(weekday) if kw != Kw::Past => {
                // "this Friday" is the coming one, whatever the anchor's week says.
                let occurrence = match occurrence {
                    Occurrence::Current => Occurrence::OnOrAfter,
                    other => other,
                };
                day_value(weekday_date(anchor, weekday, occurrence)?)
            }
            Lex::Month {
                month,
                abbrev: false,
            } if kw != Kw::Past => month_occurrence(anchor, month, occurrence),
            Lex::Season(season) => season_occurrence(anchor, season, occurrence),
            Lex::DayPart(part) if kw != Kw::Past => {
                let delta = match occurrence {
                    Occurrence::Previous => -1,
                    Occurrence::Following => 1,
                    _ => 0,
                };
                return Some(Self::part_of(k + 1, add_days(anchor, delta)?, part));
            }
            _ => return None,
        };
        Some(Match::relative(k + 1, value))
    }

    /// Patterns that include a leading "the": the future/past/weekend, the quarter, the
    /// latest quarter, the year-ago quarter, the third quarter, the 1990s, the past year.
    fn after_the(&mut self, j: usize) -> Found {
        let k = j + 1;
        if let Some(found) = self.reporting_period(k).or_else(|| self.unbounded_span(j)) {
            return Some(found);
        }
        match self.lex(k) {
            Lex::Kw(Kw::Future) => {
                self.anchor?;
                Some(Match::relative(k + 1, "FUTURE_REF".to_string()))
            }
            Lex::Other if self.toks.word_is(k, "near") && self.is(k + 1, Kw::Future) => {
                self.anchor?;
                Some(Match::relative(k + 2, "FUTURE_REF".to_string()))
            }
            Lex::Kw(Kw::Past) if self.span_duration(k).is_some() => self.span_duration(k),
            Lex::Kw(Kw::Next | Kw::Coming) => self.span_duration(k),
            Lex::Kw(Kw::Past) => {
                let anchor = self.anchor?;
                match self.lex(k + 1) {
                    Lex::Unit {
                        unit,
                        plural: false,
                    } => Some(Match::relative(k + 2, unit_value(anchor, unit, -1)?)),
                    Lex::Unit { .. } | Lex::Cardinal(_) | Lex::Kw(Kw::Vague) => None,
                    _ if self.toks.kind(k + 1) == Some(PieceKind::Number) => None,
                    _ => Some(Match::relative(k + 1, "PAST_REF".to_string())),
                }
            }
            Lex::Unit {
                unit: Unit::Weekend,
                plural: false,
            } => {
                let anchor = self.anchor?;
                let weekday = if self.future_context(j) {
                    Occurrence::OnOrAfter
                } else {
                    Occurrence::OnOrBefore
                };
                let saturday = weekday_date(anchor, Weekday::Sat, weekday)?;
                Some(Match::relative(
                    k + 1,
                    format!("{}-WE", week_value(saturday)),
                ))
            }
            Lex::Unit {
                unit: Unit::Quarter,
                plural: false,
            } => {
                let quarter = self.reference_quarter.or(reported_quarter(self.anchor?))?;
                Some(Match::relative(k + 1, quarter_value(quarter)))
            }
            Lex::Kw(Kw::Latest) if self.span_duration(k).is_some() => self.span_duration(k),
            Lex::Kw(Kw::Latest) => {
                let end = match self.lex(k + 1) {
                    Lex::Unit {
                        unit: Unit::Quarter,
                        plural: false,
                    } => k + 2,
                    Lex::Kw(Kw::Period) => k + 2,
                    _ => return None,
                };
                let quarter = self.reference_quarter.or(reported_quarter(self.anchor?))?;
                Some(Match::relative(end, quarter_value(quarter)))
            }
            Lex::Unit {
                unit: Unit::Year,
                plural: false,
            } => self.unit_led(k, Unit::Year, false),
            Lex::Ordinal(n) => self.ordinal_period(k, n),
            Lex::Kw(Kw::Fiscal) => self.fiscal(k),
            Lex::Kw(Kw::Last) => self.span_duration(k).or_else(|| self.half(k, 2)),
            Lex::Cardinal(_) => self.duration(k),
            _ if self.toks.kind(k) == Some(PieceKind::Number) => self
                .decade(k)
                .or_else(|| self.century(k))
                .or_else(|| self.year_quarter(k))
                .or_else(|| self.duration(k)),
            _ => None,
        }
    }

    /// A reporting period after "the" at `k`, closed by the date that follows: "the year ended
    /// March 31", "the fiscal year ending June 30", "the quarter ended Sept. 29" last a unit
    /// (`P1Y`), whichever year they fall in.
    fn reporting_period(&self, k: usize) -> Found {
        let k = if self.is(k, Kw::Fiscal) { k + 1 } else { k };
        let Lex::Unit {
            unit: unit @ (Unit::Year | Unit::Quarter | Unit::Month | Unit::Week),
            plural: false,
        } = self.lex(k)
        else {
            return None;
        };
        if !self.toks.word_is(k + 1, "ended") && !self.toks.word_is(k + 1, "ending") {
            return None;
        }
        let value = period_value(Some(1), unit)?;
        Some(Match::absolute(k + 1, value).typed(TimexType::Duration))
    }

    /// Plural units after "the" at `j` that span an unknown length: "over the years",
    /// "throughout the decades", "the weeks ahead" (`PXY`, `PXE`, `PXW`).
    fn unbounded_span(&self, j: usize) -> Found {
        let Lex::Unit { unit, plural: true } = self.lex(j + 1) else {
            return None;
        };
        let ahead = self.toks.word_is(j + 2, "ahead");
        let over =
            j > 0 && (self.toks.word_is(j - 1, "over") || self.toks.word_is(j - 1, "throughout"));
        if !ahead && !over {
            return None;
        }
        let end = if ahead { j + 3 } else { j + 2 };
        Some(Match::absolute(end, period_value(None, unit)?).typed(TimexType::Duration))
    }

    /// "the year", "the month", "the week" after a modifier ("the end of the year") are the
    /// anchor's; alone they are too vague to resolve, but otherwise as after any "the".
    fn modified_period(&mut self, j: usize) -> Found {
        match self.lex(j + 1) {
            Lex::Unit {
                unit: unit @ (Unit::Week | Unit::Month | Unit::Year),
                plural: false,
            } if !self.toks.touches_next(j + 1) || !self.toks.punct(j + 2, "-") => {
                Some(Match::relative(j + 2, unit_value(self.anchor?, unit, 0)?))
            }
            _ => self.after_the(j),
        }
    }

    /// "two years ago", "a year earlier", "a week or so ago", "a few weeks ago" (vague counts
    /// give `PAST_REF`).
    pub(super) fn ago(&self, j: usize) -> Found {
        let anchor = self.anchor?;
        let (count, k) = match self.lex(j) {
            Lex::Kw(Kw::A) if self.is(j + 1, Kw::Vague) => (None, j + 2),
            Lex::Kw(Kw::A) => (Some(1), j + 1),
            Lex::Kw(Kw::Vague) => (None, j + 1),
            Lex::Cardinal(_) => {
                let (n, end) = number_words_at(&self.toks, j)?;
                (Some(n), end)
            }
            _ => (Some(self.digits(j, 1, 4).filter(|&n| n <= 1000)?), j + 1),
        };
        let Lex::Unit { unit, .. } = self.lex(k) else {
            return None;
        };
        // "a week or so ago"
        let k = if self.is(k + 1, Kw::Connector) && self.toks.word_is(k + 2, "so") {
            k + 2
        } else {
            k
        };
        let earlier = match self.lex(k + 1) {
            Lex::Kw(Kw::Ago) => false,
            Lex::Kw(Kw::Earlier) => true,
            _ => return None,
        };
        let Some(count) = count else {
            if earlier {
                return None;
            }
            return Some(Match::relative(k + 2, "PAST_REF".to_string()));
        };
        let value = match (unit, count, self.reference_quarter) {
            (Unit::Year, 1, Some((year, quarter))) => quarter_value((year - 1, quarter)),
            _ => unit_value(anchor, unit, -i64::from(count))?,
        };
        Some(Match::relative(k + 2, value))
    }

    /// "year-end", "year-ago", "year-earlier" [quarter|period]; "for years" (see
    /// [`Scanner::bare_plural_duration`]).
    pub(super) fn unit_led(&mut self, j: usize, unit: Unit, plural: bool) -> Found {
        if let Some(found) = self.long_unit(j, unit, plural) {
            return Some(found);
        }
        if plural {
            return self.bare_plural_duration(j, unit);
        }
        if unit != Unit::Year
            || plural
            || !self.toks.touches_next(j)
            || !self.toks.punct(j + 1, "-")
        {
            return None;
        }
        let anchor = self.anchor?;
        match self.lex(j + 2) {
            Lex::Kw(Kw::End) => Some(Match::relative(j + 3, unit_value(anchor, Unit::Year, 0)?)),
            Lex::Kw(Kw::Ago | Kw::Earlier) => {
                let mut end = j + 3;
                if let Lex::Ordinal(1..=4) = self.lex(end) {
                    end += 1;
                }
                let quarterly = matches!(
                    self.lex(end),
                    Lex::Unit {
                        unit: Unit::Quarter,
                        ..
                    } | Lex::Kw(Kw::Period)
                );
                let reference = if quarterly {
                    end += 1;
                    self.reference_quarter.or(reported_quarter(anchor))
                } else {
                    self.reference_quarter
                };
                let value = match reference {
                    Some((year, quarter)) => quarter_value((year - 1, quarter)),
                    None => unit_value(anchor, Unit::Year, -1)?,
                };
                Some(Match::relative(end, value))
            }
            _ => None,
        }
    }
}
