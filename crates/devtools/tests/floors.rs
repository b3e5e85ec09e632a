//! Evaluation floors: each stage's score on its shared development data may not fall below the
//! figure recorded here. Raise a floor when a stage improves; never lower one to make a change
//! pass. These run in the test command (`scripts/test.sh`), so a regression cannot land
//! silently; on a clone without `../shared` they are skipped and listed (with `CI=true`, the
//! data must be there).
//!
//! The floors are the committed figures rounded down at the third decimal, so noise-free code
//! changes pass and any real drop fails.

use newsworker_devtools::eval;
use newsworker_extract::ner::NerModel;
use newsworker_extract::stages::dates::TimexType;
use newsworker_extract::{ExtractConfig, Extractor};
use newsworker_testkit::shared;

/// The NER model's F1 on CoNLL dev mentions whose words are no entity of train.
const UNSEEN_FLOOR: f64 = 0.845;

/// Fails with the whole report when `got` is below `floor`.
fn at_least(what: &str, got: f64, floor: f64, report: &dyn std::fmt::Display) {
    assert!(
        got >= floor,
        "{what} fell to {got:.4}, below its floor {floor}:\n{report}"
    );
}

#[test]
fn ner_on_conll_2003_dev() {
    let Some(dev) = shared("NER floor", "data/conll2003/dev.txt") else {
        return;
    };
    let model = NerModel::built_in().expect("the built-in model");
    let train = dev.with_file_name("train.txt");
    let report = newsworker_extract::ner::evaluate(&model, &dev, Some(&train)).expect("CoNLL dev");
    at_least("NER dev F1", report.overall().f1(), 0.936, &report);
    let unseen = report.unseen.expect("the unseen-name slice");
    at_least(
        "NER dev F1 on unseen names",
        unseen.f1(),
        UNSEEN_FLOOR,
        &report,
    );
    at_least(
        "NER dev F1 on all-caps sentences",
        report.all_caps.f1(),
        0.952,
        &report,
    );
}

/// The NER model's F1 on Universal NER's English PUD (news of 2016–17 and Wikipedia, PER/ORG/LOC
/// only, MISC predictions dropped): the development proxy for recent news.
#[test]
fn ner_on_uner_english_pud() {
    let Some(pud) = shared("NER PUD floor", "data/ner-extra/uner-en-pud.iob2") else {
        return;
    };
    let model = NerModel::built_in().expect("the built-in model");
    let report = newsworker_extract::ner::evaluate(&model, &pud, None).expect("UNER PUD");
    at_least("NER F1 on UNER PUD", report.overall().f1(), 0.619, &report);
    assert!(report.misc_set_aside.is_some(), "{report}");
}

#[test]
fn dates_on_tempeval_3() {
    let Some(dir) = shared("dates floor", "data/tempeval3/TBAQ-cleaned") else {
        return;
    };
    let evaluation = eval::dates::evaluate(&dir).expect("TBAQ");
    let date = &evaluation.date;
    at_least("DATE span F1", date.span_f1(), 0.944, &evaluation);
    at_least(
        "DATE value accuracy",
        date.value_accuracy(),
        0.872,
        &evaluation,
    );
    let all = evaluation.all.overall();
    at_least(
        "all types relaxed span F1",
        all.relaxed_f1(),
        0.935,
        &evaluation,
    );
    at_least("all types value F1", all.value_f1(), 0.814, &evaluation);
    let time = evaluation.all.of(TimexType::Time);
    at_least("TIME value F1", time.value_f1(), 0.493, &evaluation);
    let duration = evaluation.all.of(TimexType::Duration);
    at_least("DURATION value F1", duration.value_f1(), 0.816, &evaluation);
    let set = evaluation.all.of(TimexType::Set);
    at_least("SET value F1", set.value_f1(), 0.624, &evaluation);
}

#[test]
fn quotes_on_polnear_dev() {
    let Some(dir) = shared("quotes floor", "data/polnear/dev") else {
        return;
    };
    let extractor = Extractor::new(&ExtractConfig::default()).expect("extractor");
    let report = eval::quotes::evaluate(&dir, &extractor).expect("PolNeAR dev");
    // Lowered from 0.939 (docs/quotes.md, 2026-12-08 second session): the new cues make mixed
    // quotes PolNeAR does not mark as indirect content, which count against direct precision.
    // The measured 0.9379 printed as 0.938 when this floor was set from it; the floor sits one
    // thousandth below the measurement so rounding cannot fail it.
    at_least("direct quote F1", report.direct.f1(), 0.937, &report);
    at_least(
        "direct speaker accuracy",
        report.direct.speaker_accuracy(),
        0.961,
        &report,
    );
    // Lowered from 0.706 (docs/quotes.md): reported speech now needs a speech or belief
    // predicate used as one, a content clause and a speaker, and indirect quotes below the
    // default confidence are dropped; PolNeAR counts threats, refusals and passives ("it is
    // feared that") as attributions, which the BBC sample's editor does not.
    at_least("all-attribution F1", report.all.f1(), 0.711, &report);
    at_least(
        "all-attribution speaker accuracy",
        report.all.speaker_accuracy(),
        0.908,
        &report,
    );
}

#[test]
fn reported_speech_on_the_judged_bbc_sample() {
    let Some(corpus) = shared("BBC quotes floor", "data/bbc/articles.jsonl") else {
        return;
    };
    let judged =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/quotes-bbc-judged.tsv");
    let extractor = Extractor::new(&ExtractConfig::default()).expect("extractor");
    let report = eval::quotes::bbc::evaluate(&corpus, &judged, &extractor).expect("BBC sample");
    // The lower bound counts a sampled quote nobody has judged as wrong: a change that makes
    // new reported speech in the sample must have it judged (`eval quotes --unjudged`).
    // Lowered from 0.917 (docs/quotes.md, 2026-12-08 second session): the new cues read
    // reported speech inside quotes whose closing mark is missing, judged bad_span.
    at_least(
        "BBC sample precision (unjudged counted wrong)",
        report.precision_lower_bound(),
        0.902,
        &report,
    );
}

#[test]
fn html_on_the_article_extraction_benchmark() {
    let Some(dir) = shared("HTML floor", "data/article-extraction") else {
        return;
    };
    let report = eval::html::evaluate(&dir).expect("article-extraction");
    at_least("article body F1", report.f1, 0.971, &report);
    assert_eq!(report.title_found, report.title_declared, "{report}");
    assert!(report.date_found + 2 >= report.date_declared, "{report}");
}

#[test]
fn geo_on_tr_news() {
    let Some(file) = shared("geo floor", "data/geo/tr-news.xml") else {
        return;
    };
    let extractor = Extractor::new(&ExtractConfig::default()).expect("extractor");
    let report = eval::geo::evaluate(&file, &extractor).expect("TR-News");
    at_least("toponyms found", report.found_share(), 0.913, &report);
    // Lowered from 0.924 on 2026-12-08 (issue 30): the gazetteer's own finds place 117 more
    // toponyms right (955 -> 1072 within 161 km) and 16 more wrong, harder ones (counties,
    // places inside names) than the tagger's; the bar is 0.91.
    at_least(
        "accuracy within 161 km on found",
        report.accuracy_on_found(),
        0.919,
        &report,
    );
    at_least("end-to-end accuracy", report.end_to_end(), 0.840, &report);
}
