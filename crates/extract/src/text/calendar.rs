//! The English names of months and weekdays, written once for every stage that reads them.
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

use chrono::Weekday;

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
}
