//! The English names of months, weekdays and holidays, written once for every stage that reads
//! them.
//!
//! News text names the calendar in full ("March", "Friday") and in the short forms of news
//! style ("Sept.", "Oct."), and several stages need to recognise them: the date finder reads
//! "Sept. 11" as a date, the sections stage knows "March 3, 2025" for a dateline, and page
//! metadata spells dates as "Feb 16, 2019". This module holds the one table and answers the
//! questions those readers ask. Every lookup takes the word in ASCII lower case (see
//! [`super::words::lowercase_ascii`]): whether case matters ("may" is a verb, "May" a month)
//! is the caller's decision, not the table's.
//!
//! The stages do not all accept the same short forms, so the API says which it accepts:
//!
//! * [`month`] knows the full names and the conventional abbreviations of news style, and says
//!   which of the two it saw: "jan" … "dec" with both "sep" and "sept", and none for "may",
//!   which is its own full name. An abbreviation is more often something else ("Jan" is a name,
//!   "Mar" a Spanish word) unless a period follows, which only the caller can see.
//! * [`month_by_prefix`] is lenient, for machine-written metadata: any prefix of at least three
//!   letters of a full name ("jan", "janu", "septem").
//! * [`weekday`] knows the full weekday names only.
//! * [`holiday`] knows the holidays whose day a rule gives ("Christmas", "Thanksgiving"): the
//!   date finder dates them. [`is_holiday_name`] knows every holiday and festival news names,
//!   dated or not ("Easter", "Ramadan", "Boxing Day"): the entities stage reads such a name as
//!   an event, never as a person or a place, which the NER model cannot know because its
//!   training news has none.

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// The months' full names in lower case, January first: `MONTH_NAMES[m - 1]` names month `m`.
pub const MONTH_NAMES: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The weekdays' full names in lower case, Monday first (ISO 8601 order, as
/// [`Weekday::num_days_from_monday`] counts).
pub const WEEKDAY_NAMES: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// The conventional abbreviations of month names in news copy, with their months. "May" has
/// none; September has two ("Sep.", and "Sept." as AP style writes it).
const MONTH_ABBREVIATIONS: [(&str, u32); 12] = [
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
];

/// How a month was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MonthForm {
    /// Its full name: "march".
    Full,
    /// A conventional abbreviation: "mar", "sept".
    Abbreviated,
}

/// The month (1–12) that a lower-case full name or conventional abbreviation names, and which
/// of the two it is: `month("march")` is `(3, Full)`, `month("sept")` is `(9, Abbreviated)`.
/// Other prefixes ("janu", "septem") are not months here; see [`month_by_prefix`].
pub fn month(lower: &str) -> Option<(u32, MonthForm)> {
    if let Some(index) = MONTH_NAMES.iter().position(|&name| name == lower) {
        return Some((index as u32 + 1, MonthForm::Full));
    }
    MONTH_ABBREVIATIONS
        .iter()
        .find(|&&(abbreviation, _)| abbreviation == lower)
        .map(|&(_, month)| (month, MonthForm::Abbreviated))
}

/// The month (1–12) whose lower-case full name starts with `lower`, when `lower` has at least
/// three letters or is the whole name: "jan", "janu" and "january" are all January, "ja" and
/// "mayday" are no month.
pub fn month_by_prefix(lower: &str) -> Option<u32> {
    let index = MONTH_NAMES
        .iter()
        .position(|name| lower == *name || (lower.len() >= 3 && name.starts_with(lower)))?;
    Some(index as u32 + 1)
}

/// The weekday that a lower-case full name names: `weekday("friday")` is [`Weekday::Fri`].
pub fn weekday(lower: &str) -> Option<Weekday> {
    const WEEKDAYS: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];
    let index = WEEKDAY_NAMES.iter().position(|&name| name == lower)?;
    Some(WEEKDAYS[index])
}

/// Holidays whose date a rule gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holiday {
    /// 25 December (its eve the 24th).
    Christmas,
    /// The fourth Thursday of November (the United States').
    Thanksgiving,
    /// 31 October.
    Halloween,
}

impl Holiday {
    /// The holiday's month.
    pub fn month(self) -> u32 {
        match self {
            Holiday::Christmas => 12,
            Holiday::Thanksgiving => 11,
            Holiday::Halloween => 10,
        }
    }

    /// The holiday's day in `year`, or its eve's; `None` outside chrono's range.
    pub fn date(self, year: i32, eve: bool) -> Option<NaiveDate> {
        let day = match self {
            Holiday::Christmas => NaiveDate::from_ymd_opt(year, 12, 25)?,
            Holiday::Halloween => NaiveDate::from_ymd_opt(year, 10, 31)?,
            Holiday::Thanksgiving => {
                let first = NaiveDate::from_ymd_opt(year, 11, 1)?;
                let to_thursday = (7 + 3 - first.weekday().num_days_from_monday()) % 7;
                first.checked_add_days(Days::new(u64::from(to_thursday) + 21))?
            }
        };
        if eve {
            day.pred_opt()
        } else {
            Some(day)
        }
    }
}

/// The holidays that [`Holiday`] dates, by their lower-case names.
const DATED_HOLIDAYS: [(&str, Holiday); 3] = [
    ("christmas", Holiday::Christmas),
    ("thanksgiving", Holiday::Thanksgiving),
    ("halloween", Holiday::Halloween),
];

/// The holiday with a dating rule that a lower-case word names: `holiday("christmas")`.
pub fn holiday(lower: &str) -> Option<Holiday> {
    DATED_HOLIDAYS
        .iter()
        .find(|(name, _)| *name == lower)
        .map(|&(_, holiday)| holiday)
}

/// Holidays and festivals that news names but [`Holiday`] cannot date: their day moves with a
/// lunar or church calendar, or the name is more than one word. Lower case, ASCII apostrophes.
const OTHER_HOLIDAYS: [&str; 38] = [
    "easter",
    "easter sunday",
    "easter monday",
    "good friday",
    "lent",
    "pentecost",
    "whitsun",
    "ramadan",
    "eid",
    "eid al-fitr",
    "eid al-adha",
    "hanukkah",
    "chanukah",
    "passover",
    "purim",
    "yom kippur",
    "rosh hashanah",
    "diwali",
    "kwanzaa",
    "hogmanay",
    "new year",
    "new year's",
    "chinese new year",
    "lunar new year",
    "boxing day",
    "valentine's day",
    "st patrick's day",
    "st. patrick's day",
    "bonfire night",
    "guy fawkes night",
    "mother's day",
    "father's day",
    "labor day",
    "labour day",
    "memorial day",
    "remembrance day",
    "remembrance sunday",
    "armistice day",
];

/// Whether `name` (any case, its words separated by any whitespace) names a holiday or
/// festival, with or without a trailing "Day" or "Eve": "Christmas", "Christmas Eve", "Easter",
/// "New Year's Day", "Boxing Day". "Father Christmas" and "Christmas trees" are not.
///
/// It runs on every entity mention, so it compares word by word without allocating, ignoring
/// ASCII case.
pub fn is_holiday_name(name: &str) -> bool {
    if name.contains('\u{2019}') {
        return is_holiday_name(&name.replace('\u{2019}', "'"));
    }
    let words = name.split_whitespace().count();
    let dated = name
        .split_whitespace()
        .last()
        .is_some_and(|last| last.eq_ignore_ascii_case("day") || last.eq_ignore_ascii_case("eve"));
    // The holiday's own words, then nothing more, or only the "Day" or "Eve" checked above.
    let names = |holiday: &str| {
        let length = holiday.split(' ').count();
        (length == words || (dated && length + 1 == words))
            && holiday
                .split(' ')
                .zip(name.split_whitespace())
                .all(|(expected, word)| expected.eq_ignore_ascii_case(word))
    };
    DATED_HOLIDAYS
        .iter()
        .map(|&(holiday, _)| holiday)
        .chain(OTHER_HOLIDAYS)
        .any(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_names_and_news_abbreviations_are_months() {
        assert_eq!(month("january"), Some((1, MonthForm::Full)));
        assert_eq!(month("may"), Some((5, MonthForm::Full)));
        assert_eq!(month("december"), Some((12, MonthForm::Full)));
        assert_eq!(month("jan"), Some((1, MonthForm::Abbreviated)));
        assert_eq!(month("sep"), Some((9, MonthForm::Abbreviated)));
        assert_eq!(month("sept"), Some((9, MonthForm::Abbreviated)));
        assert_eq!(month("dec"), Some((12, MonthForm::Abbreviated)));
        for other in ["janu", "septem", "ma", "", "March", "mayday"] {
            assert_eq!(month(other), None, "{other}");
        }
    }

    #[test]
    fn every_full_name_and_abbreviation_round_trips() {
        for (index, name) in MONTH_NAMES.iter().enumerate() {
            assert_eq!(month(name), Some((index as u32 + 1, MonthForm::Full)));
            assert_eq!(month_by_prefix(name), Some(index as u32 + 1));
        }
        for (abbreviation, number) in MONTH_ABBREVIATIONS {
            assert_eq!(
                MONTH_NAMES[number as usize - 1].get(..3),
                abbreviation.get(..3)
            );
        }
    }

    #[test]
    fn prefixes_of_three_letters_or_more_are_months() {
        assert_eq!(month_by_prefix("jan"), Some(1));
        assert_eq!(month_by_prefix("janu"), Some(1));
        assert_eq!(month_by_prefix("sept"), Some(9));
        assert_eq!(month_by_prefix("septem"), Some(9));
        assert_eq!(month_by_prefix("may"), Some(5));
        assert_eq!(month_by_prefix("ma"), None);
        assert_eq!(month_by_prefix("mayday"), None);
        assert_eq!(month_by_prefix(""), None);
    }

    #[test]
    fn weekdays_by_full_name() {
        assert_eq!(weekday("monday"), Some(Weekday::Mon));
        assert_eq!(weekday("friday"), Some(Weekday::Fri));
        assert_eq!(weekday("sunday"), Some(Weekday::Sun));
        for (index, name) in WEEKDAY_NAMES.iter().enumerate() {
            let day = weekday(name).map(|d| d.num_days_from_monday() as usize);
            assert_eq!(day, Some(index));
        }
        assert_eq!(weekday("fri"), None);
        assert_eq!(weekday("Friday"), None);
    }

    #[test]
    fn holidays_are_dated_by_their_rules() {
        let day = |holiday: Holiday, year, eve| holiday.date(year, eve).unwrap().to_string();
        assert_eq!(day(Holiday::Christmas, 2024, false), "2024-12-25");
        assert_eq!(day(Holiday::Christmas, 2024, true), "2024-12-24");
        assert_eq!(day(Holiday::Halloween, 2023, false), "2023-10-31");
        // The fourth Thursday of November: 1 November 2024 was a Friday, 2018 a Thursday.
        assert_eq!(day(Holiday::Thanksgiving, 2024, false), "2024-11-28");
        assert_eq!(day(Holiday::Thanksgiving, 2018, false), "2018-11-22");
        assert_eq!(day(Holiday::Thanksgiving, 2018, true), "2018-11-21");
        assert_eq!(Holiday::Christmas.date(i32::MAX, false), None);
        assert_eq!(holiday("christmas"), Some(Holiday::Christmas));
        assert_eq!(holiday("easter"), None);
    }

    #[test]
    fn holiday_names_dated_or_not() {
        for name in [
            "Christmas",
            "Christmas Day",
            "Christmas Eve",
            "CHRISTMAS",
            "Easter",
            "Ramadan",
            "Boxing Day",
            "New Year's Day",
            "New Year\u{2019}s Eve",
            "Thanksgiving Day",
            "Labor Day",
            "new year's eve",
            "Easter DAY",
            "Boxing\n Day",
        ] {
            assert!(is_holiday_name(name), "{name}");
        }
        for name in [
            "Father Christmas",
            "Christmas trees",
            "Day",
            "Friday",
            "Easter Island",
        ] {
            assert!(!is_holiday_name(name), "{name}");
        }
    }
}
