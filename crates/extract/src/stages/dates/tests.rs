//! Unit tests of the date finder, over [`find_dates`]: each pattern family, its false
//! positives, and odd input; then each TIMEX3 type with its `mod` and frequency, and the
//! ambiguous words.

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
    one("It costs $2000 a month.", "a month", "P1M");
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
    one("It happened on 27 Jan. at dawn", "27 Jan.", "2025-01-27");
    one(
        "It happened on the 2nd of March 2025.",
        "2nd of March 2025",
        "2025-03-02",
    );
    one(
        "It happened on 2025-03-02 at dawn.",
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
    // Past tense: the most recent September 11, not the coming one.
    one("the attacks of Sept. 11 shocked", "Sept. 11", "2024-09-11");
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
    one(
        "Sales fell over the past two years.",
        "the past two years",
        "P2Y",
    );
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

/// `(text, type, value, mod)` of every mention.
fn typed(text: &str) -> Vec<(String, &'static str, String, Option<&'static str>)> {
    find_dates(text, anchor())
        .into_iter()
        .map(|m| {
            let span = text[m.start..m.end].to_string();
            (
                span,
                m.kind.as_str(),
                m.value,
                m.modifier.map(TimexMod::as_str),
            )
        })
        .collect()
}

/// Asserts the one mention of `text`, with its type and `mod`.
fn one_typed(text: &str, span: &str, kind: &str, value: &str, modifier: Option<&str>) {
    let found = typed(text);
    let expected = (span.to_string(), kind, value.to_string(), modifier);
    assert_eq!(found.len(), 1, "in {text:?}: {found:?}");
    let (s, k, v, m) = &found[0];
    assert_eq!((s.clone(), *k, v.clone(), *m), expected, "in {text:?}");
}

#[test]
fn durations() {
    let d = "DURATION";
    one_typed("He served for three years.", "three years", d, "P3Y", None);
    one_typed(
        "After 70-plus years of peace.",
        "70-plus years",
        d,
        "P70Y",
        None,
    );
    one_typed(
        "Prices rose over the past decade.",
        "the past decade",
        d,
        "P10Y",
        None,
    );
    one_typed(
        "In the last 48 hours, ten fell.",
        "the last 48 hours",
        d,
        "PT48H",
        None,
    );
    one_typed("It took a fortnight.", "a fortnight", d, "P2W", None);
    one_typed("Talks lasted two days.", "two days", d, "P2D", None);
    one_typed("A two-year deal was signed.", "two-year", d, "P2Y", None);
    one_typed(
        "Sales in the first nine months.",
        "the first nine months",
        d,
        "P9M",
        None,
    );
    one_typed(
        "It rose in the past two weeks.",
        "the past two weeks",
        d,
        "P2W",
        None,
    );
    one_typed("He waited for years.", "years", d, "PXY", None);
    one_typed(
        "In the past few weeks.",
        "the past few weeks",
        "DATE",
        "PAST_REF",
        None,
    );
    none("She is six years old.");
    none("A 44-year-old man was held.");
    none("Iraq imports three-quarters of its food.");
    none("It holds more than a quarter of the market.");
    one_typed("In the next few days.", "the next few days", d, "PXD", None);
    one_typed(
        "It lasted nearly two years.",
        "nearly two years",
        d,
        "P2Y",
        Some("APPROX"),
    );
    one_typed(
        "for more than four hours",
        "more than four hours",
        d,
        "PT4H",
        Some("MORE_THAN"),
    );
    one_typed(
        "at least 30 days",
        "at least 30 days",
        d,
        "P30D",
        Some("EQUAL_OR_MORE"),
    );
    // Counted back from the anchor, a length is a date.
    one_typed(
        "He left two years ago.",
        "two years ago",
        "DATE",
        "2023",
        None,
    );
}

#[test]
fn times() {
    let t = "TIME";
    one_typed(
        "They met at 3 p.m. local time.",
        "3 p.m. local time",
        t,
        "2025-03-02T15:00",
        None,
    );
    one_typed(
        "Polls close at 15:00 GMT.",
        "15:00 GMT",
        t,
        "2025-03-02T15:00",
        None,
    );
    one_typed(
        "At 10:35 a.m. it fell.",
        "10:35 a.m.",
        t,
        "2025-03-02T10:35",
        None,
    );
    one_typed(
        "Vote at 10 p.m. Wednesday.",
        "10 p.m. Wednesday",
        t,
        "2025-02-26T22:00",
        None,
    );
    one_typed(
        "It ended at 5pm, Feb. 28.",
        "5pm, Feb. 28",
        t,
        "2025-02-28T17:00",
        None,
    );
    one_typed(
        "They met on Tuesday evening.",
        "Tuesday evening",
        t,
        "2025-02-25TEV",
        None,
    );
    one_typed(
        "He spoke this morning.",
        "this morning",
        t,
        "2025-03-02TMO",
        None,
    );
    one_typed(
        "Shots rang out last night.",
        "last night",
        t,
        "2025-03-01TNI",
        None,
    );
    one_typed(
        "He spoke yesterday afternoon.",
        "yesterday afternoon",
        t,
        "2025-03-01TAF",
        None,
    );
    one_typed(
        "Fighting continued overnight.",
        "overnight",
        t,
        "2025-03-02TNI",
        None,
    );
    one_typed("They met at noon.", "noon", t, "2025-03-02T12:00", None);
    one_typed(
        "By mid-afternoon it rained.",
        "mid-afternoon",
        t,
        "2025-03-02TAF",
        Some("MID"),
    );
    none("The overnight rate rose.");
    none("It was high noon for the party.");
    none("The score was 2:1 and 15:00 followed.");
    none("In the morning it rained.");
    let without_anchor = find_dates("at 3 p.m.", None);
    assert_eq!(without_anchor[0].value, "XXXX-XX-XXT15:00");
}

#[test]
fn sets() {
    let s = "SET";
    one_typed("They meet every week.", "every week", s, "P1W", None);
    one_typed("It is reviewed annually.", "annually", s, "P1Y", None);
    one_typed(
        "He visits each Monday.",
        "each Monday",
        s,
        "XXXX-WXX-1",
        None,
    );
    one_typed(
        "It sells every two years.",
        "every two years",
        s,
        "P2Y",
        None,
    );
    one_typed("Markets open each July.", "each July", s, "XXXX-07", None);
    let twice = find_dates("They meet twice a year.", anchor());
    assert_eq!(twice.len(), 1);
    assert_eq!(
        (twice[0].value.as_str(), twice[0].frequency),
        ("P1Y", Some(2))
    );
    let thrice = find_dates("three times per week", anchor());
    assert_eq!(
        (thrice[0].value.as_str(), thrice[0].frequency),
        ("P1W", Some(3))
    );
    none("He writes for the Daily Mail.");
    none("It raised its quarterly dividend.");
    one_typed("It runs four flights a week.", "a week", s, "P1W", None);
}

#[test]
fn modifiers_become_mod() {
    one_typed(
        "It opens in early 2024.",
        "early 2024",
        "DATE",
        "2024",
        Some("START"),
    );
    one_typed(
        "It opens in mid-March.",
        "mid-March",
        "DATE",
        "2025-03",
        Some("MID"),
    );
    one_typed(
        "It opens in late 2024.",
        "late 2024",
        "DATE",
        "2024",
        Some("END"),
    );
    one_typed(
        "It opens at the end of the year.",
        "the end of the year",
        "DATE",
        "2025",
        Some("END"),
    );
    one_typed("Prices fell in 1999.", "1999", "DATE", "1999", None);
}

#[test]
fn ambiguous_words() {
    // "May" the month, the name and the verb; "March" the verb.
    one("Talks resume in May.", "May", "2025-05");
    none("May said the talks would resume.");
    none("Talks may resume.");
    none("They march on the capital.");
    one("They marched on 3 March.", "3 March", "2025-03-03");
    // "spring" the noun and the season.
    none("He has a spring in his step.");
    none("The water comes from a spring.");
    one("Talks resume in the spring.", "spring", "2025-SP");
    // "the Fall" at a sentence start is a name, not the season.
    none("The Fall played on.");
    one("Prices rose in the fall.", "fall", "2025-FA");
    // "2000" counts people, or names a year.
    none("Some 2000 people marched.");
    none("2000 protesters gathered.");
    one("The law passed in 2000.", "2000", "2000");
}

#[test]
fn mentions_name_their_anchor_when_used() {
    let text = "In 1949, on March 2, on Friday, for three years, every week.";
    let found: Vec<(&str, bool)> = find_dates(text, anchor())
        .iter()
        .map(|m| (&text[m.start..m.end], m.anchored))
        .collect();
    assert_eq!(
        found,
        [
            ("1949", false),
            ("March 2", true),
            ("Friday", true),
            ("three years", false),
            ("every week", false)
        ]
    );
}

#[test]
fn amounts_keep_the_numbers_of_durations_and_sets() {
    let text = "In 1949, for 48 hours, at 3 p.m., two years ago, twice a year.";
    let names: Vec<&str> = find_dates(text, anchor())
        .iter()
        .filter(|m| m.names_a_date())
        .map(|m| &text[m.start..m.end])
        .collect();
    assert_eq!(names, ["1949", "3 p.m."]);
}

#[test]
fn months_follow_the_tense() {
    // Read on 2 March 2025: a past-tense "August" is last August, a future one next August.
    one("He was hired in August.", "August", "2024-08");
    one("He will be hired in August.", "August", "2025-08");
    one("He left in January.", "January", "2025-01");
    one("It opened on Aug. 6.", "Aug. 6", "2024-08-06");
    one(
        "It happened in June last year.",
        "June last year",
        "2024-06",
    );
    one(
        "Born in January nineteen ninety-seven.",
        "January nineteen ninety-seven",
        "1997-01",
    );
    one("He left a week or so ago.", "a week or so ago", "2025-W08");
}

#[test]
fn holidays_ranges_and_halves() {
    one(
        "Elian was found Thanksgiving Day.",
        "Thanksgiving Day",
        "2024-11-28",
    );
    one("They met on Christmas Eve.", "Christmas Eve", "2024-12-24");
    one("Christmas 2023 was quiet.", "Christmas 2023", "2023-12-25");
    none("Christmas trees were sold.");
    let range: Vec<_> = dates("It ran from 2019 to 2021, between March and May.")
        .into_iter()
        .map(|(_, v)| v)
        .collect();
    assert_eq!(range, ["2019", "2021", "2025-03", "2025-05"]);
    one(
        "Sales fell in the first half of the year.",
        "the first half of the year",
        "2025-H1",
    );
    one("Sales fell in Q3 2024.", "Q3 2024", "2024-Q3");
}

#[test]
fn times_take_the_day_they_belong_to() {
    let found = dates("Police came on Tuesday and at 3 p.m. they left.");
    assert_eq!(
        found,
        vec![
            ("Tuesday".to_string(), "2025-02-25".to_string()),
            ("3 p.m.".to_string(), "2025-02-25T15:00".to_string()),
        ]
    );
    one("At 3 p.m. they left.", "3 p.m.", "2025-03-02T15:00");
    one(
        "The blast came at 10:35 a.m. (0735 GMT) Friday.",
        "10:35 a.m. (0735 GMT) Friday",
        "2025-02-28T10:35",
    );
    one(
        "He leaves at 4 in the morning.",
        "4 in the morning",
        "2025-03-02T04:00",
    );
    one(
        "It ends at 8 in the evening.",
        "8 in the evening",
        "2025-03-02T20:00",
    );
}

#[test]
fn tense_before_a_date_moves_it() {
    one("The offer will expire Friday.", "Friday", "2025-03-07");
    one(
        "The offer had been scheduled to expire Friday.",
        "Friday",
        "2025-02-28",
    );
    one("Prices have risen since April.", "April", "2024-04");
    assert_eq!(
        dates("Profit rose in the year ended March 31."),
        vec![
            ("the year".to_string(), "P1Y".to_string()),
            ("March 31".to_string(), "2024-03-31".to_string()),
        ]
    );
    one(
        "Sales in the fiscal year ending soon",
        "the fiscal year",
        "P1Y",
    );
}

#[test]
fn compound_and_fuzzy_durations() {
    one("It took a year and a half.", "a year and a half", "P1Y6M");
    one("They waited 2 1/2 years.", "2 1/2 years", "P2Y6M");
    one(
        "a flight of five and a half hours",
        "five and a half hours",
        "PT5H30M",
    );
    one("for two and a half weeks", "two and a half weeks", "P2.5W");
    one(
        "over the past two and a half decades",
        "the past two and a half decades",
        "P25Y",
    );
    one(
        "as it has for almost a hundred years",
        "almost a hundred years",
        "P100Y",
    );
    one(
        "over the next couple of years",
        "the next couple of years",
        "P2Y",
    );
    one(
        "Eight trading days after the crash",
        "Eight trading days",
        "P8D",
    );
    one(
        "after several quarters of losses",
        "several quarters",
        "PXQ",
    );
    one("over the years, prices rose", "the years", "PXY");
    one("in the weeks ahead", "the weeks ahead", "PXW");
    none("a quarter of the market");
}

#[test]
fn recurring_weekdays_and_words_of_recurrence() {
    let s = "SET";
    one_typed(
        "Flights leave on Mondays.",
        "Mondays",
        s,
        "XXXX-WXX-1",
        None,
    );
    assert_eq!(
        typed("Flights leave on Monday and Tuesday nights.")
            .into_iter()
            .map(|(span, kind, value, _)| (span, kind, value))
            .collect::<Vec<_>>(),
        vec![
            ("Monday".to_string(), s, "XXXX-WXX-1TNI".to_string()),
            ("Tuesday nights".to_string(), s, "XXXX-WXX-2TNI".to_string()),
        ]
    );
    one_typed("It was a daily rally.", "daily", s, "P1D", None);
    one_typed("in his weekly radio address", "weekly", s, "P1W", None);
    one_typed(
        "He marched in each of the last three years.",
        "each of the last three years",
        s,
        "P1Y",
        None,
    );
    none("It raised its quarterly dividend.");
}

#[test]
fn sentences_and_phrases_end_where_they_end() {
    // The full stops of "a.m." end no sentence: the future cue reaches Thursday.
    one(
        "He will leave at 4 a.m. EDT Thursday.",
        "4 a.m. EDT Thursday",
        "2025-03-06T04:00",
    );
    // A full stop before a closing quote does: "going" looks ahead in its own sentence only.
    let found = dates("He said it is going to be fine.'' On Friday they met.");
    assert_eq!(
        found,
        vec![("Friday".to_string(), "2025-02-28".to_string())]
    );
    // A colon after a day ends the phrase; a colon with minutes makes a clock.
    one(
        "in an editorial on Monday, Oct. 27: the court",
        "Monday, Oct. 27",
        "2024-10-27",
    );
    one_typed("the day-long strike", "day-long", "DURATION", "P1D", None);
    one_typed(
        "a decades-long feud",
        "decades-long",
        "DURATION",
        "PXE",
        None,
    );
}

#[test]
fn lengths_of_an_unknown_count() {
    let d = "DURATION";
    one_typed(
        "Troops arrive within weeks.",
        "weeks",
        d,
        "PXW",
        Some("EQUAL_OR_LESS"),
    );
    one_typed(
        "in the first hours of the war",
        "the first hours",
        d,
        "PTXH",
        None,
    );
}
