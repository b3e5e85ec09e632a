//! Unit tests of the date finder, over [`find_dates`]: each pattern family, its false
//! positives, and odd input.

use super::*;

/// The anchor of the tests: Sunday 2 March 2025.
fn anchor() -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(2025, 3, 2)
}

/// `(text, value)` of every mention.
fn dates(text: &str) -> Vec<(String, String)> {
    find_dates(text, anchor())
        .into_iter()
        .map(|m| (text[m.start..m.end].to_string(), m.value))
        .collect()
}

fn one(text: &str, expected_text: &str, expected_value: &str) {
    assert_eq!(
        dates(text),
        vec![(expected_text.to_string(), expected_value.to_string())],
        "in {text:?}"
    );
}

fn none(text: &str) {
    assert_eq!(dates(text), vec![], "in {text:?}");
}

#[test]
fn reference_expectations() {
    one("The club was founded in 1949 by farmers.", "1949", "1949");
    one("The empire collapsed in 1991.", "1991", "1991");
    one("Norway (April 2023) joined last.", "April 2023", "2023-04");
    one(
        "It signed in March 2024 after a vote.",
        "March 2024",
        "2024-03",
    );
    one("Over the course of 2018 he complained.", "2018", "2018");
    one("as he said in 2019.", "2019", "2019");
    one(
        "The leaders met at the palace on Friday.",
        "Friday",
        "2025-02-28",
    );
    one(
        "The minister said this week that it works.",
        "this week",
        "2025-W09",
    );
}

#[test]
fn years_and_decades() {
    one("Prices fell in the 1990s.", "the 1990s", "199");
    one("Prices fell in 1990's.", "1990's", "199");
    one("Music of the '80s returned.", "'80s", "198");
    one(
        "It was built in the 20th century.",
        "the 20th century",
        "19",
    );
    one("The battle of 1066 was decisive.", "1066", "1066");
    one("She moved in early 2020.", "early 2020", "2020");
    one("Growth slowed in mid-2019.", "mid-2019", "2019");
    one(
        "Growth slowed in late-November.",
        "late-November",
        "2024-11",
    );
    one(
        "Growth slows by the end of the year.",
        "the end of the year",
        "2025",
    );
    none("Growth was the best of the year.");
    one("It was nineteen ninety-six.", "nineteen ninety-six", "1996");
    one("It was nineteen seventy.", "nineteen seventy", "1970");
    none("It was nineteen people.");
    one("by the end of 2026, it said.", "the end of 2026", "2026");
    one("Profit for fiscal 1989 rose.", "fiscal 1989", "1989");
    one("The 2018-19 season ended.", "2018", "2018");
}

#[test]
fn numbers_that_are_not_years() {
    none("It has 32 member countries.");
    none("They sent 2,000 troops.");
    none("under Article 5 of the treaty");
    none("They sent 1500 troops.");
    none("It costs $2000 a month.");
    none("The plane was a Boeing 1900D model.");
    none("Room 2012 was empty.");
    none("A rise of 2020% is absurd.");
    none("There were 1850 people there.");
    none("The 1000 pages were read.");
}

#[test]
fn month_forms() {
    one(
        "It happened on March 2, 2025.",
        "March 2, 2025",
        "2025-03-02",
    );
    one("It happened on 2 March 2025.", "2 March 2025", "2025-03-02");
    one("It happened on 27 January.", "27 January", "2025-01-27");
    one("It happened on 27 Jan. at noon", "27 Jan.", "2025-01-27");
    one(
        "It happened on the 2nd of March 2025.",
        "2nd of March 2025",
        "2025-03-02",
    );
    one(
        "It happened on 2025-03-02 at noon.",
        "2025-03-02",
        "2025-03-02",
    );
    one("Filed on 25/12/2024 in court.", "25/12/2024", "2024-12-25");
    one("Filed on 12/25/2024 in court.", "12/25/2024", "2024-12-25");
    none("Filed on 02/03/2025 in court.");
    one(
        "the attacks of Sept. 11, 2001.",
        "Sept. 11, 2001",
        "2001-09-11",
    );
    one("the attacks of Sept. 11 shocked", "Sept. 11", "2025-09-11");
    one("The vote is on April 14.", "April 14", "2025-04-14");
    one("The vote was on Dec. 28.", "Dec. 28", "2024-12-28");
    one("It opened in March.", "March", "2025-03");
    one("It closes in late November.", "late November", "2024-11");
    one("It closes in mid-November.", "mid-November", "2024-11");
    one(
        "The rally on Monday, Oct. 12, 1998 was big.",
        "Monday, Oct. 12, 1998",
        "1998-10-12",
    );
    one("Talks start in May 2026.", "May 2026", "2026-05");
    one("Talks started last May.", "last May", "2024-05");
    one("Talks start next May.", "next May", "2025-05");
}

#[test]
fn month_false_positives() {
    none("They may leave soon.");
    none("The march was peaceful.");
    none("March organisers said the crowd was big.");
    none("April Ryan asked a question.");
    none("May I ask?");
    none("Jan said no.");
    assert!(dates("On Feb. 30, 2024 nothing happened.")
        .iter()
        .all(|(_, value)| !value.contains("-02-30")));
}

#[test]
fn relative_days_and_weekdays() {
    one("He spoke yesterday.", "yesterday", "2025-03-01");
    one("He speaks today.", "today", "2025-03-02");
    one("He speaks tomorrow.", "tomorrow", "2025-03-03");
    one("He spoke on Sunday.", "Sunday", "2025-03-02");
    one("He spoke on Monday.", "Monday", "2025-02-24");
    one("He will speak on Monday.", "Monday", "2025-03-03");
    one("He spoke last Friday.", "last Friday", "2025-02-28");
    one("He spoke last Sunday.", "last Sunday", "2025-02-23");
    one("He speaks next Friday.", "next Friday", "2025-03-07");
    one(
        "He speaks this coming Tuesday.",
        "this coming Tuesday",
        "2025-03-04",
    );
    one("Results came at the weekend.", "the weekend", "2025-W09-WE");
}

#[test]
fn relative_periods() {
    one("Sales fell last week.", "last week", "2025-W08");
    one("Sales fall next week.", "next week", "2025-W10");
    one("Sales fell last month.", "last month", "2025-02");
    one("Sales rose this month.", "this month", "2025-03");
    one("Sales rise next month.", "next month", "2025-04");
    one("Sales fell last year.", "last year", "2024");
    one("Sales rise this year.", "this year", "2025");
    one("Sales rise next year.", "next year", "2026");
    one("Sales fell two years ago.", "two years ago", "2023");
    one("Sales fell 10 days ago.", "10 days ago", "2025-02-20");
    one("Sales fell a week ago.", "a week ago", "2025-W08");
    one(
        "Sales fell twenty-five years ago.",
        "twenty-five years ago",
        "2000",
    );
    one("Sales fell a few years ago.", "a few years ago", "PAST_REF");
    one(
        "Sales fell earlier this month.",
        "earlier this month",
        "2025-03",
    );
    one("Sales fell late last year.", "late last year", "2024");
    one("Sales fell over the past year.", "the past year", "2024");
    none("Sales fell over the past two years.");
    one("Sales fell last summer.", "last summer", "2024-SU");
    one("Sales rise next winter.", "next winter", "2025-WI");
    one(
        "Sales fell in the summer of 2019.",
        "summer of 2019",
        "2019-SU",
    );
    one("Sales fell in the last decade.", "last decade", "201");
    one(
        "Bonds are in the current quarter.",
        "current quarter",
        "2025-Q1",
    );
}

#[test]
fn reference_values() {
    one("He is now in charge.", "now", "PRESENT_REF");
    none("The now-defunct firm closed.");
    one("He is currently in charge.", "currently", "PRESENT_REF");
    one("He recently left.", "recently", "PAST_REF");
    one("It will change in the future.", "the future", "FUTURE_REF");
    one(
        "It will change in the near future.",
        "the near future",
        "FUTURE_REF",
    );
    one("It was better in the past.", "the past", "PAST_REF");
    one("Prices rose in recent years.", "recent years", "PAST_REF");
}

#[test]
fn quarters_and_halves() {
    one(
        "Profit rose in the third quarter.",
        "the third quarter",
        "2025-Q3",
    );
    one(
        "Profit rose in the fourth quarter.",
        "the fourth quarter",
        "2024-Q4",
    );
    one(
        "Profit rose in the first quarter.",
        "the first quarter",
        "2025-Q1",
    );
    one("Third-quarter profit rose.", "Third-quarter", "2025-Q3");
    one(
        "Profit rose in the third quarter of 2019.",
        "the third quarter of 2019",
        "2019-Q3",
    );
    one("Profit rose in Q3 2023.", "Q3 2023", "2023-Q3");
    one(
        "Profit rose in the second half of 2023.",
        "the second half of 2023",
        "2023-H2",
    );
    none("They scored in the second half.");
    assert_eq!(
        dates("Profit rose in the fourth quarter, up from a year earlier."),
        vec![
            ("the fourth quarter".to_string(), "2024-Q4".to_string()),
            ("a year earlier".to_string(), "2023-Q4".to_string())
        ]
    );
    one(
        "Profit beat the year-ago quarter.",
        "the year-ago quarter",
        "2023-Q4",
    );
    one(
        "Profit beat the year-earlier figure.",
        "the year-earlier",
        "2024",
    );
}

#[test]
fn chained_months() {
    assert_eq!(
        dates("It ran between January and March."),
        vec![
            ("January".to_string(), "2025-01".to_string()),
            ("March".to_string(), "2025-03".to_string())
        ]
    );
    none("He gave it to June.");
}

#[test]
fn without_anchor() {
    let found = |text: &str| {
        find_dates(text, None)
            .into_iter()
            .map(|m| m.value)
            .collect::<Vec<_>>()
    };
    assert_eq!(found("It happened in 1949."), vec!["1949"]);
    assert_eq!(found("It happened on Sept. 11."), vec!["XXXX-09-11"]);
    assert_eq!(found("It happened in March."), vec!["XXXX-03"]);
    assert!(found("It happened yesterday, on Friday, last week, now.").is_empty());
}

#[test]
fn offsets_are_char_boundaries_in_unicode_text() {
    let text = "Le président — élu en 2019 — a parlé « hier » ; ‘’ 日本 2020年 …";
    for m in find_dates(text, anchor()) {
        assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
        assert!(m.start < m.end);
    }
    assert_eq!(
        dates("— élu en 2019 —"),
        vec![("2019".into(), "2019".into())]
    );
}

#[test]
fn never_panics_on_odd_input() {
    for text in [
        "",
        "2025-",
        "2025-13-45",
        "9999/99/99",
        "Feb. 30, 2024",
        "Q9",
        "the",
        "last",
        "a",
        "'",
        "'9",
        "1,000,000,000,000,000,000,000 years ago",
        "999 centuries ago",
        "1000 decades ago",
        "mid-",
        "the end of",
        "\u{0}\u{ffff}",
    ] {
        find_dates(text, anchor());
        find_dates(text, None);
        find_dates(text, NaiveDate::from_ymd_opt(1, 1, 1));
        find_dates(text, NaiveDate::from_ymd_opt(262_000, 12, 31));
    }
}

#[test]
fn mentions_say_whether_they_rest_on_the_anchor() {
    let text =
        "In 1949, two years ago, on March 2 and on Friday, in the summer of 2019, last summer \
                and in the third quarter.";
    let found: Vec<(&str, bool)> = find_dates(text, anchor())
        .iter()
        .map(|m| (&text[m.start..m.end], m.relative))
        .collect();
    assert_eq!(
        found,
        [
            ("1949", false),
            ("two years ago", true),
            ("March 2", false),
            ("Friday", true),
            ("summer of 2019", false),
            ("last summer", true),
            ("the third quarter", false)
        ]
    );
    assert!(find_dates(text, None).iter().all(|m| !m.relative));
}
