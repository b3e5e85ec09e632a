//! TIMEX3 values and the calendar arithmetic that computes them.
//!
//! A date's value is written the way TIMEX3 (the TimeML annotation standard) writes it, at the
//! granularity the text names: a day `2025-03-02`, a month `2025-03`, a year `2025`, a decade
//! `202` (three digits), a century `20` (two digits, "the 21st century"), an ISO week `2025-W09`
//! and its weekend `2025-W09-WE`, a quarter `2025-Q1`, a half `2025-H2` and a season `2024-SU`
//! (`SP`, `SU`, `FA`, `WI`; winter starts in December, so January belongs to the winter of the
//! year before).
//!
//! Times add the hour to the day, `2025-03-04T15:00`, or a part of the day, `2025-03-04TEV`
//! (`MO`, `AF`, `EV`, `NI`). Durations and the periods of sets are ISO 8601 periods: `P3Y`,
//! `P2W`, `P3M` (months), `PT48H`, `PT30M` (minutes); an unknown count is `X` (`PXY`, "years"),
//! a decade `P10Y` and a century `P100Y` ("decades" is `PXE`, "centuries" `PXC`).
//!
//! Holidays are their day: "Christmas Day" `2024-12-25`, "Thanksgiving" the fourth Thursday of
//! November.
//!
//! Relative expressions are resolved against the anchor (the publication date), in units of
//! [`Unit`]: "last week" is the anchor's week moved by one. Expressions that name a month, a
//! quarter or a day without a year take the year nearest the anchor, which is how a reader
//! understands "in March" or "Dec. 28" in a dated article. Every function here is total: a
//! value that would leave chrono's range (or go before year 0) is `None`, never a panic.

use chrono::{Datelike, NaiveDate, TimeDelta, Weekday};

/// Time units that relative expressions count in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Unit {
    Day,
    Week,
    Weekend,
    Month,
    Quarter,
    Year,
    Decade,
    Century,
    /// Two weeks.
    Fortnight,
    Hour,
    Minute,
    Second,
}

impl Unit {
    /// Whether the unit is shorter than a day, written after a `T` in a period (`PT48H`).
    fn within_day(self) -> bool {
        matches!(self, Unit::Hour | Unit::Minute | Unit::Second)
    }
}

/// The ISO 8601 period of `count` units ("three years" is `P3Y`, "48 hours" `PT48H`); with no
/// count, an unknown number of them ("years" is `PXY`). A weekend is no length.
pub(super) fn period_value(count: Option<u32>, unit: Unit) -> Option<String> {
    let (scale, code) = period_unit(unit, count.is_some())?;
    let t = if unit.within_day() { "T" } else { "" };
    Some(match count {
        Some(n) => format!("P{t}{}{code}", n.checked_mul(scale)?),
        None => format!("P{t}X{code}"),
    })
}

/// The period of `count` and a half units, the half in the next smaller unit where it is whole
/// there, as TimeBank writes it: "a year and a half" is `P1Y6M`, "5 1/2 hours" `PT5H30M`, "two
/// and a half decades" `P25Y`; else as a decimal fraction, which ISO 8601 allows in the last
/// component ("two and a half weeks" is `P2.5W`).
pub(super) fn half_period_value(count: u32, unit: Unit) -> Option<String> {
    let smaller = match unit {
        Unit::Year => Some("6M"),
        Unit::Day => Some("T12H"),
        Unit::Hour => Some("30M"),
        Unit::Minute => Some("30S"),
        _ => None,
    };
    let (scale, code) = period_unit(unit, true)?;
    let t = if unit.within_day() { "T" } else { "" };
    if let Some(half) = smaller {
        return Some(format!("P{t}{count}{code}{half}"));
    }
    let halves = count.checked_mul(2)?.checked_add(1)?.checked_mul(scale)?;
    let whole = halves / 2;
    Some(if halves % 2 == 0 {
        format!("P{t}{whole}{code}")
    } else {
        format!("P{t}{whole}.5{code}")
    })
}

/// How many of a period's letter one `unit` is, and the letter: a decade is 10 `Y`, but an
/// unknown number of decades stays `E` (`PXE`).
fn period_unit(unit: Unit, counted: bool) -> Option<(u32, &'static str)> {
    Some(match unit {
        Unit::Day => (1, "D"),
        Unit::Week => (1, "W"),
        Unit::Fortnight => (2, "W"),
        Unit::Month => (1, "M"),
        Unit::Quarter => (1, "Q"),
        Unit::Year => (1, "Y"),
        Unit::Decade if !counted => (1, "E"),
        Unit::Decade => (10, "Y"),
        Unit::Century if !counted => (1, "C"),
        Unit::Century => (100, "Y"),
        Unit::Hour => (1, "H"),
        Unit::Minute => (1, "M"),
        Unit::Second => (1, "S"),
        Unit::Weekend => return None,
    })
}

/// Parts of the day, as TIMEX3 writes them after a date: `MO`, `AF`, `EV`, `NI`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DayPart {
    Morning,
    Afternoon,
    Evening,
    Night,
}

impl DayPart {
    /// The TIMEX3 code.
    pub(super) fn code(self) -> &'static str {
        match self {
            DayPart::Morning => "MO",
            DayPart::Afternoon => "AF",
            DayPart::Evening => "EV",
            DayPart::Night => "NI",
        }
    }
}

/// Seasons in TIMEX3 order of the year: spring, summer, fall, winter (which starts in December).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Season {
    Spring,
    Summer,
    Fall,
    Winter,
}

impl Season {
    /// The season's place in the year, spring first.
    fn index(self) -> i64 {
        match self {
            Season::Spring => 0,
            Season::Summer => 1,
            Season::Fall => 2,
            Season::Winter => 3,
        }
    }

    /// The TIMEX3 code: `SP`, `SU`, `FA`, `WI`.
    pub(super) fn code(self) -> &'static str {
        match self {
            Season::Spring => "SP",
            Season::Summer => "SU",
            Season::Fall => "FA",
            Season::Winter => "WI",
        }
    }

    /// The season a date falls in, as `year * 4 + index` (January and February belong to the
    /// winter that began the December before).
    fn ordinal_of(date: NaiveDate) -> i64 {
        let year = i64::from(date.year());
        match date.month() {
            3..=5 => year * 4,
            6..=8 => year * 4 + 1,
            9..=11 => year * 4 + 2,
            12 => year * 4 + 3,
            _ => (year - 1) * 4 + 3,
        }
    }
}

/// A day's value: `2025-03-02`.
pub(super) fn day_value(date: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

/// The value of the ISO week a day falls in: `2025-W09`.
pub(super) fn week_value(date: NaiveDate) -> String {
    let week = date.iso_week();
    format!("{:04}-W{:02}", week.year(), week.week())
}

/// `date` moved by `days`, if that stays in chrono's range.
pub(super) fn add_days(date: NaiveDate, days: i64) -> Option<NaiveDate> {
    date.checked_add_signed(TimeDelta::try_days(days)?)
}

/// Shifts a `(year, period)` pair by `delta` periods of `per_year` (12 for months, 4 for
/// quarters); periods count from 1.
pub(super) fn shift_period(
    year: i32,
    period: u32,
    per_year: i64,
    delta: i64,
) -> Option<(i32, u32)> {
    let index = i64::from(year) * per_year + i64::from(period) - 1 + delta;
    let year = i32::try_from(index.div_euclid(per_year)).ok()?;
    let period = u32::try_from(index.rem_euclid(per_year) + 1).ok()?;
    (year >= 0).then_some((year, period))
}

/// The quarter (1–4) a day falls in.
pub(super) fn quarter_of(date: NaiveDate) -> u32 {
    (date.month() - 1) / 3 + 1
}

/// The TIMEX3 value of the `unit` that lies `delta` units from `anchor` ("last week" is the week
/// one week before the anchor's).
pub(super) fn unit_value(anchor: NaiveDate, unit: Unit, delta: i64) -> Option<String> {
    let year = i64::from(anchor.year());
    let non_negative = |value: i64| (value >= 0).then_some(value);
    Some(match unit {
        Unit::Day => day_value(add_days(anchor, delta)?),
        Unit::Week => week_value(add_days(anchor, delta.checked_mul(7)?)?),
        Unit::Weekend => weekend_value(anchor, delta)?,
        Unit::Month => {
            let (y, m) = shift_period(anchor.year(), anchor.month(), 12, delta)?;
            format!("{y:04}-{m:02}")
        }
        Unit::Quarter => {
            let (y, q) = shift_period(anchor.year(), quarter_of(anchor), 4, delta)?;
            format!("{y:04}-Q{q}")
        }
        Unit::Year => format!("{:04}", non_negative(year.checked_add(delta)?)?),
        Unit::Decade => format!("{:03}", non_negative((year / 10).checked_add(delta)?)?),
        Unit::Century => format!("{:02}", non_negative((year / 100).checked_add(delta)?)?),
        Unit::Fortnight => week_value(add_days(anchor, delta.checked_mul(14)?)?),
        Unit::Hour | Unit::Minute | Unit::Second => return None,
    })
}

/// The weekend of the anchor's ISO week moved by `delta` weeks, as `YYYY-Www-WE`.
pub(super) fn weekend_value(anchor: NaiveDate, delta: i64) -> Option<String> {
    let to_saturday = 5 - i64::from(anchor.weekday().num_days_from_monday());
    let saturday = add_days(anchor, to_saturday.checked_add(delta.checked_mul(7)?)?)?;
    Some(format!("{}-WE", week_value(saturday)))
}

/// Which occurrence of a weekday, month or season a relative expression means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Occurrence {
    /// The latest one on or before the anchor (a bare weekday in a past-tense sentence).
    OnOrBefore,
    /// The first one on or after the anchor (a bare weekday after a future cue).
    OnOrAfter,
    /// The latest one strictly before the anchor's ("last Friday", "last May").
    Previous,
    /// The one of the anchor's own week, month or year ("this Friday", "this May").
    Current,
    /// The first one strictly after the anchor's ("next Friday").
    Following,
}

/// The `occurrence` of `weekday` relative to the anchor.
pub(super) fn weekday_date(
    anchor: NaiveDate,
    weekday: Weekday,
    occurrence: Occurrence,
) -> Option<NaiveDate> {
    let anchor_day = i64::from(anchor.weekday().num_days_from_monday());
    let target = i64::from(weekday.num_days_from_monday());
    let back = (anchor_day - target).rem_euclid(7);
    let forward = (target - anchor_day).rem_euclid(7);
    let offset = match occurrence {
        Occurrence::OnOrBefore => -back,
        Occurrence::OnOrAfter => forward,
        Occurrence::Previous => -(if back == 0 { 7 } else { back }),
        Occurrence::Following => {
            if forward == 0 {
                7
            } else {
                forward
            }
        }
        Occurrence::Current => target - anchor_day,
    };
    add_days(anchor, offset)
}

/// The month `month` relative to the anchor's month.
pub(super) fn month_occurrence(anchor: NaiveDate, month: u32, occurrence: Occurrence) -> String {
    let year = anchor.year();
    let year = match occurrence {
        Occurrence::Previous if month >= anchor.month() => year - 1,
        Occurrence::Following if month <= anchor.month() => year + 1,
        _ => year,
    };
    format!("{year:04}-{month:02}")
}

/// The season relative to the anchor's season ("last summer" is the latest summer that ended
/// before the anchor's season began).
pub(super) fn season_occurrence(
    anchor: NaiveDate,
    season: Season,
    occurrence: Occurrence,
) -> String {
    let now = Season::ordinal_of(anchor);
    let this_year = i64::from(anchor.year()) * 4 + season.index();
    let ordinal = match occurrence {
        Occurrence::Previous if this_year >= now => this_year - 4,
        Occurrence::Following if this_year <= now => this_year + 4,
        _ => this_year,
    };
    format!("{:04}-{}", ordinal.div_euclid(4), season.code())
}

/// The year to give a month, or a month and day, named without one: the one that puts it
/// nearest the anchor when that is clear (within three months, or eight and more months away
/// in the anchor's year: "January" read in November is next January); in between, the tense
/// decides. News mostly reports what happened, so "in November" read in May is last November,
/// unless the sentence looks ahead (`future`: "will", "plans", ...).
pub(super) fn year_for_month(anchor: NaiveDate, month: u32, future: bool) -> i32 {
    let diff = i64::from(month) - i64::from(anchor.month());
    match diff {
        d if d >= 8 => anchor.year() - 1,
        d if d <= -8 => anchor.year() + 1,
        4..=7 if !future => anchor.year() - 1,
        -7..=-4 if future => anchor.year() + 1,
        _ => anchor.year(),
    }
}

/// [`year_for_month`] for a day of a month, when that day exists in the year (29 February).
pub(super) fn year_for_month_day(
    anchor: NaiveDate,
    month: u32,
    day: u32,
    future: bool,
) -> Option<i32> {
    let year = year_for_month(anchor, month, future);
    NaiveDate::from_ymd_opt(year, month, day).map(|_| year)
}

/// The year of a quarter named without a year: the one whose middle is nearest the anchor, so
/// "the fourth quarter" in February is last year's.
pub(super) fn year_for_quarter(anchor: NaiveDate, quarter: u32) -> i32 {
    let anchor_month = i64::from(anchor.year()) * 12 + i64::from(anchor.month0());
    (anchor.year() - 1..=anchor.year() + 1)
        .min_by_key(|&y| {
            let middle = i64::from(y) * 12 + i64::from(quarter - 1) * 3 + 1;
            (middle - anchor_month).abs()
        })
        .unwrap_or(anchor.year())
}

/// The quarter a financial report published on `anchor` most likely covers: the one that was
/// running two and a half months earlier (reports come out in the weeks after a quarter ends).
pub(super) fn reported_quarter(anchor: NaiveDate) -> Option<(i32, u32)> {
    let date = add_days(anchor, -75)?;
    Some((date.year(), quarter_of(date)))
}

/// A quarter's value: `2025-Q1`.
pub(super) fn quarter_value((year, quarter): (i32, u32)) -> String {
    format!("{year:04}-Q{quarter}")
}
