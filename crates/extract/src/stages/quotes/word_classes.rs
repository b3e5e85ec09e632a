//! The grammatical words attribution steps over or stops at, in closed lists.
//!
//! Finding the subject of "said" needs no parser, only a few word classes: the auxiliaries and
//! adverbs that may stand between a subject and its verb ("had also said"), the function words
//! that end a noun phrase ("of", "and", "who"), the determiners that open one ("the", "its"),
//! the pronouns that may be a subject, and the nouns through which an organisation speaks
//! ("the website says").
//!
//! The lists are written in ASCII lower case, and [`lower`] gives a token in the same form
//! without allocating.

/// `word` in ASCII lower case in `buf`, or "" for words too long to be in any list.
pub(super) fn lower<'b>(word: &str, buf: &'b mut [u8; 24]) -> &'b str {
    let bytes = word.as_bytes();
    if bytes.len() > buf.len() {
        return "";
    }
    let out = &mut buf[..bytes.len()];
    out.copy_from_slice(bytes);
    out.make_ascii_lowercase();
    std::str::from_utf8(out).unwrap_or("")
}

/// Auxiliaries and adverbs that may stand between a subject and its speech verb. Adverbs are
/// known by their "-ly", except the nouns and adjectives that end so too ("family", "daily").
pub(super) fn is_auxiliary_or_adverb(word: &str) -> bool {
    matches!(
        word,
        "had"
            | "has"
            | "have"
            | "was"
            | "were"
            | "is"
            | "are"
            | "be"
            | "been"
            | "would"
            | "will"
            | "could"
            | "can"
            | "may"
            | "might"
            | "should"
            | "shall"
            | "did"
            | "does"
            | "do"
            | "also"
            | "later"
            | "then"
            | "once"
            | "again"
            | "recently"
            | "previously"
            | "further"
            | "earlier"
            | "still"
            | "even"
            | "not"
            | "never"
            | "only"
            | "just"
            | "already"
            | "often"
            | "first"
            | "now"
            | "since"
    ) || (word.len() > 4
        && word.ends_with("ly")
        && !matches!(
            word,
            "family" | "ally" | "rally" | "assembly" | "supply" | "reply" | "daily" | "weekly"
        ))
}

/// Words that end a noun phrase: prepositions, conjunctions, relative and personal pronouns.
pub(super) fn is_function_word(word: &str) -> bool {
    matches!(
        word,
        "of" | "in"
            | "on"
            | "at"
            | "for"
            | "from"
            | "with"
            | "by"
            | "to"
            | "about"
            | "into"
            | "over"
            | "under"
            | "after"
            | "before"
            | "during"
            | "against"
            | "between"
            | "through"
            | "without"
            | "within"
            | "among"
            | "as"
            | "like"
            | "than"
            | "via"
            | "per"
            | "and"
            | "or"
            | "but"
            | "nor"
            | "so"
            | "yet"
            | "because"
            | "if"
            | "while"
            | "when"
            | "where"
            | "whether"
            | "although"
            | "though"
            | "unless"
            | "that"
            | "which"
            | "who"
            | "whom"
            | "whose"
            | "what"
            | "there"
            | "here"
            | "i"
            | "you"
            | "me"
            | "us"
            | "him"
            | "them"
            | "according"
    ) || is_auxiliary_or_adverb(word)
        || is_subject_pronoun(word)
}

/// Words that open a noun phrase.
pub(super) fn is_determiner(word: &str) -> bool {
    matches!(
        word,
        "the"
            | "a"
            | "an"
            | "this"
            | "these"
            | "those"
            | "his"
            | "her"
            | "its"
            | "their"
            | "our"
            | "my"
            | "your"
            | "some"
            | "many"
            | "several"
            | "another"
            | "other"
            | "both"
            | "all"
    )
}

/// Pronouns that can be the subject of a speech verb.
pub(super) fn is_subject_pronoun(word: &str) -> bool {
    matches!(word, "he" | "she" | "it" | "they" | "we")
}

/// Nouns through which an organisation speaks: "the website says", "its statement said".
pub(super) fn is_organisation_voice(word: &str) -> bool {
    matches!(
        word,
        "website"
            | "site"
            | "statement"
            | "organisation"
            | "organization"
            | "alliance"
            | "agency"
            | "company"
            | "ministry"
    )
}

/// Prepositions after which a short attribution may go on: `Smith said in an interview`.
pub(super) fn is_preposition(word: &str) -> bool {
    matches!(
        word,
        "in" | "on"
            | "at"
            | "during"
            | "to"
            | "after"
            | "before"
            | "of"
            | "about"
            | "via"
            | "from"
            | "with"
            | "while"
            | "when"
            | "last"
            | "this"
    )
}
