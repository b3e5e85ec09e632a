//! The speech-verb lexicon: the verbs that report what someone said.
//!
//! Attribution hinges on finding the verb that reports speech ("said", "told", "warned",
//! "according to" aside): its subject is the speaker. The list is closed and written as the
//! words appear (past, present and participle: "…, saying “…”"), so a look-up is one binary
//! search, with no stemming.
//!
//! Copy is not always proof-read: a word one typo away from a speech verb ("conteded") still
//! counts, but only as a last resort, when no correctly spelt verb is found before a quote, and
//! only between words of six letters or more, since short words are too often one edit apart
//! ("sad", "said").

use std::cmp::Ordering;

/// Speech verbs as written, sorted for binary search. Participles are included: `…, saying`.
const SPEECH_VERBS: &[&str] = &[
    "acknowledged",
    "acknowledges",
    "added",
    "adding",
    "adds",
    "admits",
    "admitted",
    "agree",
    "agreed",
    "agrees",
    "alleged",
    "alleges",
    "announced",
    "announces",
    "answered",
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
    "blasted",
    "boasted",
    "bragged",
    "branded",
    "call",
    "called",
    "calling",
    "calls",
    "cautioned",
    "chanted",
    "chanting",
    "charged",
    "claim",
    "claimed",
    "claiming",
    "claims",
    "commented",
    "complained",
    "conceded",
    "concedes",
    "concluded",
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
    "pleaded",
    "pledged",
    "posted",
    "predicted",
    "predicts",
    "promised",
    "protested",
    "quipped",
    "quoted",
    "read",
    "reads",
    "recalled",
    "recalls",
    "reiterated",
    "remarked",
    "replied",
    "replies",
    "replying",
    "reported",
    "reports",
    "responded",
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
    "stated",
    "stressed",
    "suggested",
    "suggests",
    "tell",
    "telling",
    "tells",
    "testified",
    "texted",
    "told",
    "touted",
    "tweeted",
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
    SPEECH_VERBS.binary_search(&word).is_ok()
}

/// Whether `word` (lower case) is one typo away from a long speech verb (`conteded`).
pub(super) fn is_misspelt_speech_verb(word: &str) -> bool {
    word.len() >= 6
        && word.bytes().all(|b| b.is_ascii_lowercase())
        && SPEECH_VERBS
            .iter()
            .any(|v| v.len() >= 6 && within_one_edit(word.as_bytes(), v.as_bytes()))
}

/// Whether `a` becomes `b` by at most one insertion, deletion, substitution or swap of
/// neighbours.
fn within_one_edit(a: &[u8], b: &[u8]) -> bool {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    match a.len().cmp(&b.len()) {
        Ordering::Equal => {
            a.len() <= 1
                || a[1..] == b[1..]
                || (a.len() >= 2 && a[0] == b[1] && a[1] == b[0] && a[2..] == b[2..])
        }
        Ordering::Less => a.len() + 1 == b.len() && a == &b[1..],
        Ordering::Greater => b.len() + 1 == a.len() && &a[1..] == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance() {
        assert!(within_one_edit(b"conteded", b"contended"));
        assert!(within_one_edit(b"siad", b"said"));
        assert!(within_one_edit(b"saud", b"said"));
        assert!(!within_one_edit(b"retired", b"retorted"));
        assert!(is_misspelt_speech_verb("conteded"));
        assert!(!is_misspelt_speech_verb("retired"));
    }

    #[test]
    fn verb_list_is_sorted() {
        assert!(SPEECH_VERBS.windows(2).all(|w| w[0] < w[1]));
    }
}
