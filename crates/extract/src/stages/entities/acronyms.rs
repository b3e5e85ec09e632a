//! Acronyms and the initials that spell them: "NATO" and "North Atlantic Treaty
//! Organization", "DOGE" and "Department of Government Efficiency", "TfL" and "Transport for
//! London".
//!
//! An acronym is a short all-capitals word, periods allowed ("U.N."), or a mixed-case one with
//! no more small letters than capitals ("TfL"). A run of words spells it when their initials
//! give its letters in order; the small words of names ("of", "the", "and", "for" …) may give a
//! letter or not, since usage varies ("Department of Government Efficiency" is DOGE, while
//! "Federal Bureau of Investigation" is FBI). The `refine` step uses this to find an
//! acronym's long form in the text, the `joins` step to join the two forms.

/// The letters of an acronym (see [`is_acronym`]), in capitals; `None` for anything else.
pub(super) fn acronym_letters(word: &str) -> Option<Vec<char>> {
    is_acronym(word).then(|| {
        word.chars()
            .filter(|&c| c != '.')
            .flat_map(char::to_uppercase)
            .collect()
    })
}

/// Whether `word` is an acronym: 2–8 letters, periods allowed, starting with a capital and
/// with at least two capitals and no more small letters than capitals ("NATO", "U.N.",
/// "TfL"; not "McDonald").
pub(super) fn is_acronym(word: &str) -> bool {
    let (mut upper, mut lower) = (0, 0);
    for c in word.chars() {
        if c == '.' {
            continue;
        }
        if c.is_uppercase() {
            upper += 1;
        } else if c.is_lowercase() {
            lower += 1;
        } else {
            return false;
        }
    }
    word.starts_with(char::is_uppercase) && upper >= 2 && lower <= upper && upper + lower <= 8
}

/// Whether the initials of `words` spell `letters`: every word must be capitalised and give
/// its initial, except the small words of names ("of", "the", "and", "for", …), which may give
/// theirs or not; the first word must be capitalised.
pub(super) fn initials_spell(letters: &[char], words: &[&str]) -> bool {
    fn spell(letters: &[char], words: &[&str]) -> bool {
        let Some((word, rest)) = words.split_first() else {
            return letters.is_empty();
        };
        let initial = word.chars().next().unwrap_or(' ');
        let gives = |letters: &[char]| {
            letters
                .first()
                .is_some_and(|l| initial.to_uppercase().eq(std::iter::once(*l)))
        };
        if is_name_particle(word) {
            return spell(letters, rest) || (gives(letters) && spell(&letters[1..], rest));
        }
        if !initial.is_uppercase() {
            return false;
        }
        // "UK Independence Party" is UKIP: a short word that is itself an initialism may give
        // all its letters.
        let whole: Vec<char> = word.chars().flat_map(char::to_uppercase).collect();
        let spells_whole = (2..=3).contains(&whole.len())
            && letters.starts_with(&whole)
            && spell(&letters[whole.len()..], rest);
        spells_whole || (gives(letters) && spell(&letters[1..], rest))
    }
    words
        .first()
        .is_some_and(|w| w.starts_with(char::is_uppercase) && !is_name_particle(w))
        && spell(letters, words)
}

/// Small words inside names that acronyms may skip.
fn is_name_particle(word: &str) -> bool {
    matches!(
        word,
        "of" | "the"
            | "and"
            | "for"
            | "on"
            | "in"
            | "at"
            | "to"
            | "de"
            | "du"
            | "des"
            | "la"
            | "le"
            | "&"
    )
}

/// A folded word as it would be written in a name: small words stay lower case, others get a
/// capital initial (so that [`initials_spell`] can read folded forms).
pub(super) fn capitalise(word: &str) -> String {
    if is_name_particle(word) {
        return word.to_string();
    }
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixed_case_acronyms() {
        assert!(is_acronym("TfL") && is_acronym("U.N.") && is_acronym("NATO"));
        assert!(
            !is_acronym("McDonald") && !is_acronym("Nato") && !is_acronym("A") && !is_acronym("G7")
        );
    }

    #[test]
    fn initials_may_skip_small_words() {
        let words = ["Department", "of", "Government", "Efficiency"];
        assert!(initials_spell(&['D', 'O', 'G', 'E'], &words));
        assert!(initials_spell(&['D', 'G', 'E'], &words));
        assert!(!initials_spell(&['D', 'G'], &words));
        assert!(!initials_spell(&['O', 'G', 'E'], &words[1..]));
    }

    #[test]
    fn a_short_initialism_inside_a_name_gives_all_its_letters() {
        let ukip = ['U', 'K', 'I', 'P'];
        assert!(initials_spell(&ukip, &["Uk", "Independence", "Party"]));
        assert!(initials_spell(
            &['U', 'I', 'P'],
            &["Uk", "Independence", "Party"]
        ));
        assert!(!initials_spell(&ukip, &["United", "Independence", "Party"]));
    }
}
