//! Words as the stages compare them.
//!
//! Lexicons (the tone lexicon, stop words, title words) are written in ASCII lower case, and
//! every stage looks a token up in one of them for almost every word of an article. Lower-casing
//! into a `String` each time would allocate per word; [`lowercase_ascii`] writes into a small
//! buffer on the stack instead, and gives up on words that cannot be in any such list (not
//! ASCII, or longer than the buffer).

/// `word` in ASCII lower case, written into `buffer`; None for words that are not ASCII or
/// longer than the buffer (no lexicon or stop-word list entry is).
pub fn lowercase_ascii<'b, const N: usize>(word: &str, buffer: &'b mut [u8; N]) -> Option<&'b str> {
    let bytes = word.as_bytes();
    if !word.is_ascii() {
        return None;
    }
    let out = buffer.get_mut(..bytes.len())?;
    for (o, b) in out.iter_mut().zip(bytes) {
        *o = b.to_ascii_lowercase();
    }
    std::str::from_utf8(out).ok()
}

/// Whether `word` is one of `list`'s words (ASCII lower case) in any case, without
/// lower-casing it into a new string.
pub fn is_one_of(word: &str, list: &[&str]) -> bool {
    list.iter().any(|w| w.eq_ignore_ascii_case(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercasing_is_ascii_only_and_bounded() {
        let mut buffer = [0u8; 8];
        assert_eq!(lowercase_ascii("GoOd", &mut buffer), Some("good"));
        assert_eq!(lowercase_ascii("Élan", &mut buffer), None);
        assert_eq!(lowercase_ascii("toolongword", &mut buffer), None);
        assert_eq!(lowercase_ascii("", &mut buffer), Some(""));
    }

    #[test]
    fn list_membership_ignores_case() {
        assert!(is_one_of("NEAR", &["in", "near"]));
        assert!(is_one_of("In", &["in", "near"]));
        assert!(!is_one_of("inn", &["in", "near"]));
    }
}
