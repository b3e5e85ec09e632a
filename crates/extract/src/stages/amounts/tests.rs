//! Unit tests of the amounts stage, run on documents prepared the way the pipeline hands them
//! over: normalised, tokenized, dates found.

use super::*;
use crate::stages::dates::DatesStage;
use crate::stages::testing::prepared;

/// A document of `text` as the pipeline hands it to the amounts stage (normalised, tokenized,
/// its dates found against today), after the stage has run.
fn found(text: &str) -> Doc {
    let mut doc = prepared("t", text);
    DatesStage.run(&mut doc).expect("dates stage");
    AmountsStage.run(&mut doc).expect("amounts stage");
    doc
}

/// `(text, value, max, unit)` of every amount.
fn amounts(text: &str) -> Vec<(String, f64, Option<f64>, String)> {
    let doc = found(text);
    doc.amounts
        .into_iter()
        .map(|a| (doc.text[a.start..a.end].to_string(), a.value, a.max, a.unit))
        .collect()
}

fn one(text: &str, span: &str, value: f64, unit: &str) {
    assert_eq!(
        amounts(text),
        vec![(span.to_string(), value, None, unit.to_string())],
        "in {text:?}"
    );
}

fn range(text: &str, span: &str, low: f64, high: f64, unit: &str) {
    assert_eq!(
        amounts(text),
        vec![(span.to_string(), low, Some(high), unit.to_string())],
        "in {text:?}"
    );
}

fn none(text: &str) {
    assert_eq!(amounts(text), vec![], "in {text:?}");
}

#[test]
fn reference_expectations() {
    one(
        "The union has 27 member states.",
        "27",
        27.0,
        "member states",
    );
    one(
        "It was among the first 6 founding nations who met.",
        "6",
        6.0,
        "founding nations",
    );
    one(
        "It would undo 40-plus years of work.",
        "40-plus",
        40.0,
        "years",
    );
    one(
        "The chance is 100 percent.",
        "100 percent",
        100.0,
        "percent",
    );
}

#[test]
fn counted_noun_phrases() {
    one(
        "They sent 2,000 troops to the border.",
        "2,000",
        2000.0,
        "troops",
    );
    one("Some 3 armed men fled.", "3", 3.0, "armed men");
    one("Police found 5 stolen cars.", "5", 5.0, "stolen cars");
    one("He has 12 grandchildren.", "12", 12.0, "grandchildren");
    one("The 45-year-old man was held.", "45", 45.0, "year-old man");
    one("It is 5km long.", "5km", 5.0, "km");
    one("About 70+ people came.", "70+", 70.0, "people");
    one("3 people were killed.", "3", 3.0, "people");
    none("Seven killed in blast.");
}

#[test]
fn number_words() {
    one("They chose twelve jurors.", "twelve", 12.0, "jurors");
    one("He ate two dozen eggs.", "two dozen", 24.0, "eggs");
    one(
        "It reached three million people.",
        "three million",
        3e6,
        "people",
    );
    one(
        "It has twenty-five members.",
        "twenty-five",
        25.0,
        "members",
    );
    one(
        "He wrote three hundred and twenty pages.",
        "three hundred and twenty",
        320.0,
        "pages",
    );
    one("A million people marched.", "A million", 1e6, "people");
    none("No one came.");
    none("One of them left.");
    none("He is the one who left.");
}

#[test]
fn percentages() {
    one("Turnout was 76% this time.", "76%", 76.0, "percent");
    one("Turnout rose 5 per cent.", "5 per cent", 5.0, "percent");
    one(
        "Rates rose by 0.25 percentage points.",
        "0.25 percentage points",
        0.25,
        "percentage points",
    );
    one("Turnout was five percent.", "five percent", 5.0, "percent");
}

#[test]
fn money() {
    one(
        "The deal is worth $1.13bn in total.",
        "$1.13bn",
        1_130_000_000.0,
        "USD",
    );
    one("It cost £600m last time.", "£600m", 600_000_000.0, "GBP");
    one("A fund of €5 billion was set up.", "€5 billion", 5e9, "EUR");
    one(
        "He paid 5 million dollars for it.",
        "5 million dollars",
        5e6,
        "USD",
    );
    one("It is worth 745bn Indian rupees.", "745bn", 745e9, "INR");
    one("It cost Rs 300 crore to build.", "Rs 300 crore", 3e9, "INR");
    one("It cost US$20 each.", "US$20", 20.0, "USD");
    one("It cost $30k a year.", "$30k", 30_000.0, "USD");
}

#[test]
fn ranges() {
    range(
        "Growth of 5-10 percent is expected.",
        "5-10 percent",
        5.0,
        10.0,
        "percent",
    );
    range(
        "Growth of 5 to 10 percent is expected.",
        "5 to 10 percent",
        5.0,
        10.0,
        "percent",
    );
    range(
        "It affects between 3 and 5 million people.",
        "between 3 and 5 million",
        3e6,
        5e6,
        "people",
    );
    range("It costs $1-2bn a year.", "$1-2bn", 1e9, 2e9, "USD");
    none("They won 3-1 at home.");
}

#[test]
fn numbers_that_are_not_amounts() {
    none("It was founded in 1949.");
    none("See Article 5 of the treaty.");
    none("They signed it on March 2.");
    none("They signed it on 2 March 2025.");
    none("He lives at No. 10 now.");
    none("The G7 summit and F-16 jets.");
    none("The meeting is at 10:30 today.");
    none("It is the 21st edition.");
    none("1. First point\n2. Second point");
    none("The score was 3.");
    none("Rutte, 58, said so.");
    none("Trading closed at 0710 GMT.");
    none("He retires at 65 instead.");
    none("The 1990s were calm.");
}

#[test]
fn numbers_of_relative_dates_are_still_amounts() {
    one("Sales fell two years ago.", "two", 2.0, "years");
    one("It closed 10 days ago.", "10", 10.0, "days");
    none("It closed on 10 March.");
}

#[test]
fn spans_are_char_boundaries_and_input_never_panics() {
    assert!(find_amounts("", &[], &[]).is_empty());
    for text in [
        "$",
        "$$5",
        "5-",
        "between",
        "between 5 and",
        "a",
        "a million",
        "1,2,3 people",
        "99999999999999999999999 people",
        "1.000000000001 people",
        "twenty- people",
        "€5 — £6m … ¥7bn élèves 12 élèves",
        "\u{0}5\u{0} x",
    ] {
        let doc = found(text);
        for a in doc.amounts {
            assert!(doc.text.is_char_boundary(a.start) && doc.text.is_char_boundary(a.end));
            assert!(a.start < a.end);
        }
    }
    assert_eq!(
        amounts("12 élèves"),
        vec![("12".into(), 12.0, None, "élèves".into())]
    );
}
