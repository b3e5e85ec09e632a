//! The month names that page metadata writes dates with ("Feb 16, 2018", "20th November 2019").
//!
//! Kept apart, behind the one function [`month_by_prefix`], so that it can give way to a
//! calendar table shared with the rest of the crate by changing one `use` line in
//! `super::dates`.

/// English month names and their numbers; three-letter abbreviations are matched too.
const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("sept", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
];

/// The month (1–12) that a lower-case word names: a whole month name, or a prefix of one of
/// at least three letters ("feb", "sept", "janu").
pub(super) fn month_by_prefix(word: &str) -> Option<u32> {
    MONTHS.iter().find_map(|(name, number)| {
        let abbreviation = word.len() >= 3 && name.starts_with(word);
        (word == *name || abbreviation).then_some(*number)
    })
}
