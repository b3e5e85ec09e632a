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

use crate::text::words::lowercase_ascii;

/// `word` in the form the word classes are written in: ASCII lower case, by [`lowercase_ascii`]
/// into `buffer`. Unlike [`lowercase_ascii`], a word that is not ASCII is not refused but kept
/// as written: it is in no list, yet attribution still reads it — the dashes of a sign-off
/// (`“…” ― Jane Smith`) and of an aside are not ASCII, and "naïvely" is still an adverb by
/// its "-ly". A word longer than the buffer is "", which is in no class.
pub(super) fn lower<'w>(word: &'w str, buffer: &'w mut [u8; 24]) -> &'w str {
    let fits = word.len() <= buffer.len();
    match lowercase_ascii(word, buffer) {
        Some(lower) => lower,
        None if fits => word,
        None => "",
    }
}

/// Auxiliaries and adverbs that may stand between a subject and its speech verb. Adverbs are
/// known by their "-ly" (compared without case: a word that is not ASCII comes as written,
/// see [`lower`]), except the nouns and adjectives that end so too ("family", "daily").
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
        && word.as_bytes()[word.len() - 2..].eq_ignore_ascii_case(b"ly")
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
            | "amid"
            | "amidst"
            | "despite"
            | "upon"
            | "toward"
            | "towards"
            | "across"
            | "around"
            | "beyond"
            | "until"
            | "unlike"
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
    matches!(word, "he" | "she" | "it" | "they" | "we" | "i")
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

/// Words that attach what a speaker speaks for, or where they speak from, to the head of its
/// noun phrase: "the leader *of* the group", "a spokesperson *for* Acme", "a narrator *in* the
/// ad".
pub(super) fn is_affiliation_link(word: &str) -> bool {
    matches!(word, "of" | "for" | "at" | "with" | "in" | "from")
}

/// Forms of "be", after which a participle is passive: "it is feared", "he was told".
pub(super) fn is_be_form(word: &str) -> bool {
    matches!(
        word,
        "is" | "was" | "were" | "are" | "be" | "been" | "being" | "’s" | "'s"
    )
}

/// Words that mark a finite clause wherever they stand in it: auxiliaries, modals and their
/// clitics ("the deal is dead", "he would go", "it’ll pass").
pub(super) fn is_finite_marker(word: &str) -> bool {
    matches!(
        word,
        "is" | "was"
            | "were"
            | "are"
            | "am"
            | "had"
            | "has"
            | "have"
            | "will"
            | "would"
            | "can"
            | "could"
            | "should"
            | "shall"
            | "must"
            | "may"
            | "might"
            | "did"
            | "does"
            | "do"
            | "’s"
            | "'s"
            | "’re"
            | "'re"
            | "’ll"
            | "'ll"
            | "’d"
            | "'d"
            | "’ve"
            | "'ve"
            | "n't"
            | "n’t"
    )
}

/// Words that open a content clause with no "that": "asked whether", "explained how".
pub(super) fn is_clause_opener(word: &str) -> bool {
    matches!(
        word,
        "whether" | "if" | "why" | "how" | "what" | "when" | "where" | "who" | "which"
    )
}

/// Common irregular past tenses, which a clause may hold as its only finite verb ("sales
/// rose", "he felt"): without a tagger, the other past tenses are known by their "-ed".
pub(super) fn is_irregular_past(word: &str) -> bool {
    matches!(
        word,
        "rose"
            | "fell"
            | "grew"
            | "came"
            | "went"
            | "made"
            | "took"
            | "gave"
            | "saw"
            | "knew"
            | "thought"
            | "got"
            | "found"
            | "told"
            | "said"
            | "left"
            | "kept"
            | "held"
            | "won"
            | "lost"
            | "met"
            | "paid"
            | "ran"
            | "began"
            | "became"
            | "broke"
            | "brought"
            | "built"
            | "bought"
            | "chose"
            | "drove"
            | "felt"
            | "fought"
            | "forgot"
            | "heard"
            | "hid"
            | "led"
            | "meant"
            | "sold"
            | "sent"
            | "spoke"
            | "spent"
            | "stood"
            | "struck"
            | "taught"
            | "threw"
            | "understood"
            | "wrote"
    )
}
