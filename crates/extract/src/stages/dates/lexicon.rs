//! The closed lexicon of the date patterns: what each word of a text can mean to them.
//!
//! The scanner classifies every word piece once, before it tries any pattern, into a [`Lex`]:
//! a month or weekday name, a time unit ("week", "years", "hours"), a number word ("two"), an
//! ordinal ("third"), a season, a part of the day ("evening"), a word of recurrence ("weekly",
//! "twice"), a temporal keyword ("yesterday", "ago", "last") or one of the few function words
//! the patterns look at ("the", "of", "in", "will"). Everything else is [`Lex::Other`]. The
//! patterns then compare small enum values instead of strings.
//!
//! Month and weekday names come from the calendar table of the text layer
//! ([`crate::text::calendar`]) and only count when capitalised: "may" and "march" are verbs,
//! "May" and "March" months. Lexicon words are short and ASCII; a word that is not (see
//! [`Lower`]) is `Other` without a lookup.

use chrono::Weekday;

use super::values::{DayPart, Season, Unit};
use crate::text::calendar::{self, Holiday, MonthForm};
use crate::text::numbers::number_word;
use crate::text::pieces::Lower;

/// Temporal keywords and the few function words the patterns look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kw {
    Today,
    Yesterday,
    Tomorrow,
    Now,
    Currently,
    Current,
    Recently,
    Recent,
    Future,
    Past,
    Last,
    This,
    Next,
    Coming,
    Ago,
    Earlier,
    Later,
    Early,
    Late,
    Mid,
    End,
    Beginning,
    Middle,
    The,
    Of,
    A,
    Fiscal,
    Half,
    Latest,
    Period,
    /// "few", "several": a vague count.
    Vague,
    /// "about", "almost", "nearly": approximations kept in the span of "... ago".
    Approx,
    /// Prepositions and words that introduce a date: "in", "since", "until", "by", ...
    Introducer,
    /// "and", "or", "to": join a date to the one before ("January and March").
    Connector,
    /// Words announcing the future: "will", "plans", "scheduled", ...
    FutureCue,
    /// "tonight": the anchor's night.
    Tonight,
    /// "overnight": the night before the anchor's day ends.
    Overnight,
    /// "noon", "midday".
    Noon,
    /// "midnight".
    Midnight,
    /// "every", "each": a recurrence follows.
    Every,
    /// "per": "twice per year".
    Per,
    /// "times": "three times a year".
    Times,
    /// "more", "additional", "plus": "two more weeks", "70-plus years" (same length).
    More,
}

/// The class of a word piece.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Lex {
    /// A capitalised month name, 1–12, full ("March") or abbreviated ("Sept").
    Month { month: u32, abbrev: bool },
    /// A capitalised weekday name.
    Weekday(Weekday),
    /// A capitalised weekday name in the plural: "Mondays" recur.
    Weekdays(Weekday),
    /// A time unit, singular ("year") or plural ("years").
    Unit { unit: Unit, plural: bool },
    /// A number word: "two", "twenty".
    Cardinal(u32),
    /// "first" to "fourth", which number quarters and halves.
    Ordinal(u32),
    /// A season name.
    Season(Season),
    /// A capitalised holiday name: "Christmas", "Thanksgiving", "Halloween".
    Holiday(Holiday),
    /// A part of the day: "morning", "afternoon", "evening", "night".
    DayPart(DayPart),
    /// A lower-case word of recurrence with its period: "daily", "weekly", "annually".
    Periodic(Unit),
    /// A count of occurrences: "once" (1), "twice" (2), "thrice" (3).
    Frequency(u32),
    /// A keyword.
    Kw(Kw),
    /// Any other word, and every number and punctuation piece.
    Other,
}

/// The class of a word piece.
pub(super) fn classify(word: &str) -> Lex {
    let Some(lower) = Lower::new(word) else {
        return Lex::Other;
    };
    let capital = word.as_bytes().first().is_some_and(u8::is_ascii_uppercase);
    let lower = lower.as_str();
    if capital {
        if let Some(lex) = calendar_name(lower) {
            return lex;
        }
    }
    if let Some(n) = number_word(lower) {
        return Lex::Cardinal(n);
    }
    let unit = |unit, plural| Lex::Unit { unit, plural };
    match lower {
        "day" => unit(Unit::Day, false),
        "days" => unit(Unit::Day, true),
        "week" => unit(Unit::Week, false),
        "weeks" => unit(Unit::Week, true),
        "weekend" => unit(Unit::Weekend, false),
        "weekends" => unit(Unit::Weekend, true),
        "month" => unit(Unit::Month, false),
        "months" => unit(Unit::Month, true),
        "quarter" => unit(Unit::Quarter, false),
        "quarters" => unit(Unit::Quarter, true),
        "year" => unit(Unit::Year, false),
        "years" => unit(Unit::Year, true),
        "decade" => unit(Unit::Decade, false),
        "decades" => unit(Unit::Decade, true),
        "century" => unit(Unit::Century, false),
        "centuries" => unit(Unit::Century, true),
        "fortnight" => unit(Unit::Fortnight, false),
        "fortnights" => unit(Unit::Fortnight, true),
        "hour" => unit(Unit::Hour, false),
        "hours" => unit(Unit::Hour, true),
        "minute" => unit(Unit::Minute, false),
        "minutes" => unit(Unit::Minute, true),
        "seconds" => unit(Unit::Second, true),
        "morning" => Lex::DayPart(DayPart::Morning),
        "afternoon" => Lex::DayPart(DayPart::Afternoon),
        "evening" => Lex::DayPart(DayPart::Evening),
        "night" => Lex::DayPart(DayPart::Night),
        "once" => Lex::Frequency(1),
        "twice" => Lex::Frequency(2),
        "thrice" => Lex::Frequency(3),
        "first" => Lex::Ordinal(1),
        "second" => Lex::Ordinal(2),
        "third" => Lex::Ordinal(3),
        "fourth" => Lex::Ordinal(4),
        "spring" => Lex::Season(Season::Spring),
        "summer" => Lex::Season(Season::Summer),
        "fall" | "autumn" => Lex::Season(Season::Fall),
        "winter" => Lex::Season(Season::Winter),
        _ if !capital => periodic(lower)
            .map(Lex::Periodic)
            .or_else(|| keyword(lower).map(Lex::Kw))
            .unwrap_or(Lex::Other),
        _ => keyword(lower).map_or(Lex::Other, Lex::Kw),
    }
}

/// The period of a word of recurrence, which only counts in lower case ("the Daily Mail").
fn periodic(lower: &str) -> Option<Unit> {
    Some(match lower {
        "hourly" => Unit::Hour,
        "daily" => Unit::Day,
        "weekly" => Unit::Week,
        "monthly" => Unit::Month,
        "quarterly" => Unit::Quarter,
        "annually" | "yearly" => Unit::Year,
        _ => return None,
    })
}

/// Month, weekday and holiday names (from [`crate::text::calendar`]), which only count when
/// capitalised ("may" and "march" are verbs).
fn calendar_name(lower: &str) -> Option<Lex> {
    if let Some(holiday) = calendar::holiday(lower) {
        return Some(Lex::Holiday(holiday));
    }
    if let Some((month, form)) = calendar::month(lower) {
        let abbrev = form == MonthForm::Abbreviated;
        return Some(Lex::Month { month, abbrev });
    }
    if let Some(weekday) = calendar::weekday(lower) {
        return Some(Lex::Weekday(weekday));
    }
    let singular = lower.strip_suffix('s')?;
    calendar::weekday(singular).map(Lex::Weekdays)
}

/// The keyword a lower-case word is, if any.
fn keyword(lower: &str) -> Option<Kw> {
    Some(match lower {
        "today" => Kw::Today,
        "yesterday" => Kw::Yesterday,
        "tomorrow" => Kw::Tomorrow,
        "now" => Kw::Now,
        "currently" | "nowadays" => Kw::Currently,
        "current" => Kw::Current,
        "recently" | "lately" => Kw::Recently,
        "recent" => Kw::Recent,
        "future" => Kw::Future,
        "past" => Kw::Past,
        "last" | "previous" => Kw::Last,
        "this" => Kw::This,
        "next" => Kw::Next,
        "coming" => Kw::Coming,
        "ago" => Kw::Ago,
        "earlier" => Kw::Earlier,
        "later" => Kw::Later,
        "early" => Kw::Early,
        "late" => Kw::Late,
        "mid" => Kw::Mid,
        "end" => Kw::End,
        "beginning" | "start" => Kw::Beginning,
        "middle" => Kw::Middle,
        "the" => Kw::The,
        "of" => Kw::Of,
        "a" | "an" => Kw::A,
        "fiscal" => Kw::Fiscal,
        "half" => Kw::Half,
        "latest" => Kw::Latest,
        "period" => Kw::Period,
        "few" | "several" => Kw::Vague,
        "about" | "almost" | "nearly" | "some" | "roughly" | "around" => Kw::Approx,
        "in" | "since" | "until" | "till" | "by" | "from" | "through" | "during" | "before"
        | "after" | "between" | "for" | "throughout" => Kw::Introducer,
        "and" | "or" | "to" => Kw::Connector,
        "will" | "shall" | "ll" | "plans" | "plan" | "planned" | "planning" | "scheduled"
        | "expected" | "expects" | "due" | "upcoming" | "intends" | "aims" | "hopes" | "going"
        | "set" | "soon" => Kw::FutureCue,
        "tonight" => Kw::Tonight,
        "overnight" => Kw::Overnight,
        "noon" | "midday" => Kw::Noon,
        "midnight" => Kw::Midnight,
        "every" | "each" => Kw::Every,
        "per" => Kw::Per,
        "times" => Kw::Times,
        "more" | "additional" | "plus" => Kw::More,
        _ => return None,
    })
}
