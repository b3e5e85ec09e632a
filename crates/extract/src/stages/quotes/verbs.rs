//! The verb lexicons: the verbs that report what someone said or thinks.
//!
//! Attribution hinges on finding the verb that reports speech ("said", "told", "warned",
//! "according to" aside): its subject is the speaker. The lists are closed and written as the
//! words appear (past, present and participle: "…, saying “…”"), so there is no stemming. The
//! stage asks of nearly every token whether it is such a verb, so the lists are gathered once
//! into one hash map ([`LEXICON`]) and a look-up is one probe.
//!
//! * **Speech verbs** ([`is_speech_verb`]) attribute a quote in marks: anything said aloud or in
//!   writing, however it is said ("laughed", "chanted", "tweeted").
//! * **Reporting verbs** ([`is_reporting_verb`]) introduce reported speech, a content without
//!   marks: the speech verbs that take a content ("said that", "called him a liar", not
//!   "laughed at"), the verbs of a stance taken in words ("endorsed the deal", "blamed
//!   Congress", "declined to comment"), and the verbs of stated belief, intent and finding news
//!   reports the same way ("believes", "hopes", "fears"; "found" and "shows" only before
//!   "that").
//!
//! A misspelt verb ("conteded") is in neither: guessing at typos turns real words one letter
//! away ("earned", "started", "changed", "stayed", "voting") into speech. A quote after an
//! unknown verb is still attributed when its sentence makes the speaker plain (see
//! `attribution`).

use std::collections::HashMap;
use std::sync::LazyLock;

use xxhash_rust::xxh3::Xxh3Builder;

/// Speech verbs as written, sorted for binary search. Participles are included: `…, saying`.
const SPEECH_VERBS: &[&str] = &[
    "acknowledged",
    "acknowledges",
    "acknowledging",
    "added",
    "adding",
    "adds",
    "admits",
    "admitted",
    "admitting",
    "agree",
    "agreed",
    "agrees",
    "alleged",
    "alleges",
    "announced",
    "announces",
    "announcing",
    "answered",
    "answering",
    "argue",
    "argued",
    "argues",
    "arguing",
    "asked",
    "asking",
    "asks",
    "asserted",
    "asserting",
    "asserts",
    "beamed",
    "blasted",
    "boasted",
    "boasting",
    "bragged",
    "branded",
    "call",
    "called",
    "calling",
    "calls",
    "cautioned",
    "cautions",
    "chanted",
    "chanting",
    "charged",
    "claim",
    "claimed",
    "claiming",
    "claims",
    "commented",
    "complained",
    "complaining",
    "conceded",
    "concedes",
    "conceding",
    "concluded",
    "concludes",
    "confessed",
    "confirmed",
    "contend",
    "contended",
    "contends",
    "continued",
    "continues",
    "countered",
    "cried",
    "declared",
    "declares",
    "declaring",
    "demanded",
    "demands",
    "denied",
    "described",
    "describes",
    "dubbed",
    "emailed",
    "emphasised",
    "emphasized",
    "exclaimed",
    "explain",
    "explained",
    "explaining",
    "explains",
    "insisted",
    "insisting",
    "insists",
    "joked",
    "joking",
    "labeled",
    "labelled",
    "lamented",
    "laughed",
    "maintained",
    "maintains",
    "mocked",
    "mused",
    "noted",
    "notes",
    "noting",
    "objected",
    "observed",
    "observes",
    "observing",
    "pleaded",
    "pledged",
    "pointed",
    "pointing",
    "posted",
    "predicted",
    "predicting",
    "predicts",
    "promised",
    "protested",
    "quipped",
    "quipping",
    "quoted",
    "read",
    "reads",
    "recalled",
    "recalling",
    "recalls",
    "reiterated",
    "remarked",
    "replied",
    "replies",
    "replying",
    "reported",
    "reports",
    "responded",
    "responding",
    "retorted",
    "said",
    "sang",
    "say",
    "saying",
    "says",
    "scolded",
    "screamed",
    "shouted",
    "shouting",
    "sings",
    "slammed",
    "snapped",
    "speaks",
    "spoke",
    "stated",
    "stating",
    "stressed",
    "suggested",
    "suggesting",
    "suggests",
    "tell",
    "telling",
    "tells",
    "testified",
    "texted",
    "told",
    "touted",
    "tweeted",
    "tweeting",
    "tweets",
    "urged",
    "vowed",
    "warn",
    "warned",
    "warning",
    "warns",
    "whispered",
    "wondered",
    "writes",
    "writing",
    "wrote",
    "yelled",
    "yells",
];

/// Whether `word` (lower case) is a speech verb.
pub(super) fn is_speech_verb(word: &str) -> bool {
    LEXICON.get(word).is_some_and(|entry| entry.speech)
}

/// Speech verbs after which what follows is not what was said ("laughed at", "read the
/// sign", "continued to"), sorted.
const NOT_REPORTING: &[&str] = &[
    "chanted",
    "chanting",
    "continued",
    "continues",
    "laughed",
    "posted",
    "quoted",
    "read",
    "reads",
    "sang",
    "screamed",
    "shouted",
    "shouting",
    "sings",
    "speaks",
    "spoke",
    "yelled",
    "yells",
];

/// Verbs that report a stance taken in words, their object being what was said ("endorsed the
/// compromise", "blamed Congress"), sorted.
const STANCE_VERBS: &[&str] = &[
    "accused",
    "accuses",
    "accusing",
    "attacked",
    "blamed",
    "blames",
    "cited",
    "cites",
    "citing",
    "condemned",
    "condemns",
    "criticised",
    "criticized",
    "criticizes",
    "criticizing",
    "declined",
    "defended",
    "defends",
    "denounced",
    "discussed",
    "discusses",
    "discussing",
    "dismissed",
    "disputed",
    "disputes",
    "echoed",
    "echoes",
    "endorsed",
    "endorses",
    "expressed",
    "hailed",
    "mentioned",
    "mentioning",
    "mentions",
    "opposed",
    "opposes",
    "ordered",
    "praised",
    "praises",
    "promising",
    "questioned",
    "refused",
    "rejected",
    "suggest",
    "threatened",
    "vowing",
];

/// Verbs of stated belief, intent and finding, sorted: reported like speech, but only before
/// "that" for those marked so ("the poll found that …", not "found the keys").
const BELIEF_VERBS: &[(&str, bool)] = &[
    ("believe", false),
    ("believed", false),
    ("believes", false),
    ("believing", false),
    ("concluded", false),
    ("estimated", false),
    ("estimates", false),
    ("expect", false),
    ("expected", true),
    ("expects", false),
    ("fear", false),
    ("feared", false),
    ("fears", false),
    ("feel", true),
    ("feels", true),
    ("felt", true),
    ("finds", true),
    ("found", true),
    ("hope", false),
    ("hoped", false),
    ("hopes", false),
    ("hoping", false),
    ("indicated", false),
    ("indicates", false),
    ("insist", false),
    ("knew", true),
    ("know", true),
    ("knows", true),
    ("learned", true),
    ("predict", false),
    ("promises", false),
    ("realized", true),
    ("recognized", true),
    ("revealed", false),
    ("show", true),
    ("showed", true),
    ("shows", true),
    ("think", false),
    ("thinks", false),
    ("thought", true),
    ("worried", false),
    ("worries", false),
];

/// What kind of predicate a reporting verb is (see `confidence`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Predicate {
    /// A verb of speech, or "according to": "said", "told", "argued".
    Speech,
    /// A verb of stated belief, intent or finding: "believes", "fears", "found that".
    Belief,
    /// A verb of a stance taken in words: "blamed", "endorsed", "threatened".
    Stance,
}

/// The kind of predicate reporting word `word` (lower case) is; anything not on the belief or
/// stance lists ("according to" included) is speech.
pub(super) fn predicate(word: &str) -> Predicate {
    if BELIEF_VERBS.binary_search_by(|(w, _)| w.cmp(&word)).is_ok() {
        Predicate::Belief
    } else if STANCE_VERBS.binary_search(&word).is_ok() {
        Predicate::Stance
    } else {
        Predicate::Speech
    }
}

/// Whether `word` (lower case) is a participle a form of "be" makes passive: "it is feared",
/// "he was told", "it was said".
pub(super) fn is_participle(word: &str) -> bool {
    (word.len() > 3 && word.ends_with("ed"))
        || matches!(
            word,
            "said" | "told" | "thought" | "known" | "shown" | "found" | "heard" | "written"
        )
}

/// Whether `word` (lower case) reports what was said as a topic after a preposition
/// (`spoke about`, `warned of`, `railed against`): see [`is_topic_preposition`].
pub(super) fn speaks_of_a_topic(word: &str) -> bool {
    matches!(
        word,
        "spoke"
            | "speaks"
            | "speaking"
            | "talked"
            | "talks"
            | "talking"
            | "railed"
            | "rails"
            | "railing"
            | "bragged"
            | "brags"
            | "boasted"
            | "complained"
            | "complains"
            | "complaining"
            | "joked"
            | "warned"
            | "warns"
            | "warning"
            | "cautioned"
            | "testified"
            | "wrote"
            | "writes"
            | "tweeted"
            | "asked"
            | "lamented"
            | "commented"
            | "commenting"
            | "remarked"
    )
}

/// Whether `preposition` (lower case) opens the topic of the speech verb `verb`: "about",
/// "of", "against" and "over" after any of them, "on" only after a verb of comment — "spoke
/// on condition of anonymity", "wrote on Twitter" are no topics.
pub(super) fn is_topic_preposition(verb: &str, preposition: &str) -> bool {
    match preposition {
        "about" | "of" | "against" | "over" => true,
        "on" => matches!(verb, "commented" | "commenting" | "remarked"),
        _ => false,
    }
}

/// Whether the noun phrase after speech verb `word` (lower case) is what was said: "denied
/// wrongdoing", "announced a deal", "promised a veto" — unlike "added fuel to the fire".
pub(super) fn states_its_object(word: &str) -> bool {
    matches!(
        word,
        "acknowledged"
            | "acknowledges"
            | "announced"
            | "announces"
            | "confirmed"
            | "demanded"
            | "demands"
            | "denied"
            | "noted"
            | "notes"
            | "predicted"
            | "predicts"
            | "promised"
            | "pledged"
            | "touted"
            | "reiterated"
            | "emphasized"
            | "emphasised"
            | "stressed"
            | "conceded"
            | "admitted"
            | "admits"
            | "mocked"
            | "slammed"
            | "blasted"
            | "alleged"
    )
}

/// How a reporting verb introduces its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reporting {
    /// Any clause or object after it is the content.
    Content,
    /// Only a that-clause is.
    ThatOnly,
}

/// What the lists say of one word.
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// It is a speech verb.
    speech: bool,
    /// How it introduces reported speech, if it does.
    reporting: Option<Reporting>,
}

/// Every word of the lists and what they say of it, gathered from the lists once.
static LEXICON: LazyLock<HashMap<&'static str, Entry, Xxh3Builder>> = LazyLock::new(|| {
    let words = SPEECH_VERBS
        .iter()
        .chain(NOT_REPORTING)
        .chain(STANCE_VERBS)
        .chain(BELIEF_VERBS.iter().map(|(word, _)| word));
    words
        .map(|&word| {
            let entry = Entry {
                speech: SPEECH_VERBS.binary_search(&word).is_ok(),
                reporting: reporting_by_lists(word),
            };
            (word, entry)
        })
        .collect()
});

/// How `word` (lower case) introduces reported speech, if it does (see the module docs).
pub(super) fn reporting(word: &str) -> Option<Reporting> {
    LEXICON.get(word).and_then(|entry| entry.reporting)
}

/// [`reporting`] read from the sorted lists, for building [`LEXICON`].
fn reporting_by_lists(word: &str) -> Option<Reporting> {
    if let Ok(i) = BELIEF_VERBS.binary_search_by(|(w, _)| w.cmp(&word)) {
        return Some(if BELIEF_VERBS[i].1 {
            Reporting::ThatOnly
        } else {
            Reporting::Content
        });
    }
    let speech =
        SPEECH_VERBS.binary_search(&word).is_ok() && NOT_REPORTING.binary_search(&word).is_err();
    (speech || STANCE_VERBS.binary_search(&word).is_ok()).then_some(Reporting::Content)
}

/// Whether `word` (lower case) introduces reported speech.
pub(super) fn is_reporting_verb(word: &str) -> bool {
    reporting(word).is_some()
}

/// Whether the content of reporting verb `word` may be an infinitive or a "for"/"on" phrase:
/// "declined to comment", "vowed to fight", "called for a ban", "urged them to leave".
pub(super) fn takes_an_infinitive(word: &str) -> bool {
    matches!(
        word,
        "declined"
            | "refused"
            | "vowed"
            | "vowing"
            | "promised"
            | "promising"
            | "pledged"
            | "urged"
            | "agreed"
            | "threatened"
            | "hoped"
            | "hopes"
            | "hoping"
            | "asked"
            | "told"
            | "warned"
            | "called"
            | "calling"
            | "calls"
            | "ordered"
    )
}

/// Whether the infinitive or "for" phrase after reporting verb `word` (lower case) reports
/// words, not an act: a promise ("vowed to fight") or a demand ("called for a ban", "urged
/// them to leave") is made in words; a threat, a refusal or a hope to act ("threatened to
/// leave", "refused to testify", "hopes to win") is not.
pub(super) fn speaks_an_infinitive(word: &str) -> bool {
    matches!(
        word,
        "vowed"
            | "vowing"
            | "promised"
            | "promising"
            | "pledged"
            | "urged"
            | "called"
            | "calling"
            | "calls"
            | "asked"
            | "ordered"
            | "told"
            | "warned"
    )
}

/// Whether `word` (lower case) is a reporting verb whose object comes before its content:
/// "told reporters that", "warned Congress that", "asked him whether".
pub(super) fn takes_an_object(word: &str) -> bool {
    matches!(
        word,
        "told"
            | "tell"
            | "tells"
            | "telling"
            | "asked"
            | "asks"
            | "asking"
            | "warned"
            | "warns"
            | "warning"
            | "assured"
            | "reminded"
            | "informed"
            | "urged"
            | "promised"
            | "ordered"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verb_lists_are_sorted() {
        for list in [SPEECH_VERBS, NOT_REPORTING, STANCE_VERBS] {
            assert!(list.windows(2).all(|w| w[0] < w[1]));
        }
        assert!(BELIEF_VERBS.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn no_word_is_a_verb_by_being_one_letter_from_one() {
        for word in [
            "earned", "started", "changed", "stayed", "voting", "conteded", "retired",
        ] {
            assert!(!is_speech_verb(word) && !is_reporting_verb(word), "{word}");
        }
        assert!(is_reporting_verb("said") && is_reporting_verb("believes"));
        assert!(is_speech_verb("laughed") && !is_reporting_verb("laughed"));
        assert_eq!(reporting("found"), Some(Reporting::ThatOnly));
        assert_eq!(reporting("endorsed"), Some(Reporting::Content));
        assert_eq!(predicate("said"), Predicate::Speech);
        assert_eq!(predicate("believes"), Predicate::Belief);
        assert_eq!(predicate("threatened"), Predicate::Stance);
        assert_eq!(predicate("according to"), Predicate::Speech);
        assert!(is_participle("feared") && is_participle("told") && !is_participle("says"));
    }
}
