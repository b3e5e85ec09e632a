//! Pieces: the letters, digits and punctuation marks of the tokens, for the pattern scanners.
//!
//! The tokenizer ([`super::tokens`]) cuts text the way the NER model was trained to read it:
//! "mid-March" and "70-plus" are one token, "1980s" is one token, "Friday's" is "Friday" "'s".
//! The date and amount finders need a finer grain. Their patterns are written over letter
//! runs, digit runs and single marks — "mid" "-" "March", "70" "-" "plus", "1980" "s",
//! "Friday" "'" "s" — and read whether two pieces touch from their offsets, so "70-plus" and
//! "70 - plus" stay different. [`pieces`] derives that view from the tokens rather than
//! tokenizing the text a second time:
//!
//! * a **word** piece is a run of letters (any script);
//! * a **number** piece is a run of ASCII digits, with a `,` or `.` between two digits kept
//!   inside it ("2,000", "1.13", "26.7.1996"), grouped or not: the amount finder judges the
//!   grouping itself ("12,3456" is no number);
//! * a **punct** piece is any other single character: "-", "'", "$", "%", "—", a combining
//!   mark, a non-ASCII digit.
//!
//! Pieces are cut from the text that touching tokens cover, and never across the white space
//! between two tokens. Inside such a run a cut the tokenizer makes is a piece boundary only
//! where the piece kinds change: the tokenizer splits "don't" as "do" "n't" and "2,3" (not a
//! thousands group) as "2" "," "3", but the pieces are "don" "'" "t" and "2,3", because a letter
//! run or a digit group reads the same wherever a token boundary falls inside it.
//!
//! [`PieceText`] pairs a text with its pieces and gives the scanners their accessors; reading
//! past the last piece yields nothing, so patterns can look ahead without bounds checks.

use super::tokens::Token;
use super::words::lowercase_ascii;

/// What kind of text a [`Piece`] covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PieceKind {
    /// A run of letters (any script).
    Word,
    /// A run of ASCII digits, including `,` or `.` between digits ("2,000", "1.13").
    Number,
    /// One character that is neither a letter, an ASCII digit nor white space.
    Punct,
}

/// A piece of text between byte offsets `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset just past the piece.
    pub end: usize,
    /// Word, number or punctuation.
    pub kind: PieceKind,
}

/// Cuts the text covered by `tokens` (the tokens of `text`, from
/// [`tokenize`](super::tokens::tokenize)) into pieces, in order.
pub fn pieces(text: &str, tokens: &[Token]) -> Vec<Piece> {
    let bytes = text.as_bytes();
    let mut pieces = Vec::with_capacity(tokens.len() + tokens.len() / 4);
    let mut next = 0;
    while let Some(first) = tokens.get(next) {
        // The run of touching tokens that starts with `first`.
        let mut end = first.end;
        next += 1;
        while let Some(token) = tokens.get(next).filter(|t| t.start == end) {
            end = token.end;
            next += 1;
        }
        let end = end.min(bytes.len());
        let mut i = first.start;
        while i < end {
            let start = i;
            let byte = bytes[i];
            let kind = if byte.is_ascii_digit() {
                i = number_end(bytes, i, end);
                PieceKind::Number
            } else if byte.is_ascii_alphabetic() {
                i = word_end(text, i, end);
                PieceKind::Word
            } else if byte.is_ascii() {
                i += 1;
                PieceKind::Punct
            } else {
                match text.get(i..).and_then(|rest| rest.chars().next()) {
                    Some(ch) if ch.is_alphabetic() => {
                        i = word_end(text, i, end);
                        PieceKind::Word
                    }
                    Some(ch) => {
                        i += ch.len_utf8();
                        PieceKind::Punct
                    }
                    None => break,
                }
            };
            pieces.push(Piece {
                start,
                end: i,
                kind,
            });
        }
    }
    pieces
}

/// The end (at most `end`) of the digit run at `i`, continuing over `,` or `.` between two
/// digits.
fn number_end(bytes: &[u8], mut i: usize, end: usize) -> usize {
    loop {
        while i < end && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let separator_then_digit =
            i + 1 < end && matches!(bytes[i], b',' | b'.') && bytes[i + 1].is_ascii_digit();
        if !separator_then_digit {
            return i;
        }
        i += 1;
    }
}

/// The end (at most `end`) of the letter run at `i`.
fn word_end(text: &str, mut i: usize, end: usize) -> usize {
    let bytes = text.as_bytes();
    while i < end {
        let byte = bytes[i];
        if byte.is_ascii_alphabetic() {
            i += 1;
        } else if byte.is_ascii() {
            break;
        } else {
            match text.get(i..).and_then(|rest| rest.chars().next()) {
                Some(ch) if ch.is_alphabetic() => i += ch.len_utf8(),
                _ => break,
            }
        }
    }
    i
}

/// A text and its pieces, with the accessors the date and amount scanners share. Indices past
/// the end read as nothing (no kind, empty text).
#[derive(Debug, Clone, Copy)]
pub struct PieceText<'a> {
    /// The text the pieces index into.
    pub text: &'a str,
    /// The pieces of `text`, from [`pieces`].
    pub pieces: &'a [Piece],
}

impl<'a> PieceText<'a> {
    /// The text of piece `i`.
    pub fn text_of(&self, i: usize) -> &'a str {
        self.pieces
            .get(i)
            .map_or("", |p| &self.text[p.start..p.end])
    }

    /// The kind of piece `i`.
    pub fn kind(&self, i: usize) -> Option<PieceKind> {
        self.pieces.get(i).map(|p| p.kind)
    }

    /// Whether piece `i` is the punctuation mark `mark`.
    pub fn punct(&self, i: usize, mark: &str) -> bool {
        self.kind(i) == Some(PieceKind::Punct) && self.text_of(i) == mark
    }

    /// Whether piece `i` ends exactly where piece `i + 1` starts.
    pub fn touches_next(&self, i: usize) -> bool {
        match (self.pieces.get(i), self.pieces.get(i + 1)) {
            (Some(a), Some(b)) => a.end == b.start,
            _ => false,
        }
    }

    /// Whether piece `i` is the word `word`, ignoring ASCII case.
    pub fn word_is(&self, i: usize, word: &str) -> bool {
        self.kind(i) == Some(PieceKind::Word) && self.text_of(i).eq_ignore_ascii_case(word)
    }

    /// Piece `i` in lower case, when it is a word that can be in a lexicon (see [`Lower`]).
    pub fn lower(&self, i: usize) -> Option<Lower<'a>> {
        if self.kind(i) == Some(PieceKind::Word) {
            Lower::new(self.text_of(i))
        } else {
            None
        }
    }
}

/// A short word in ASCII lower case, carried on the stack so an accessor can return it.
///
/// Every entry of the scanners' lexicons is ASCII and at most [`Lower::MAX_LEN`] bytes long, so
/// a longer or non-ASCII word needs no lower-casing: it is in none of them. Most words of running
/// text have no capital letter; those are borrowed as they are, and only the others are copied
/// and lower-cased by [`lowercase_ascii`].
#[derive(Debug, Clone, Copy)]
pub struct Lower<'a>(LowerForm<'a>);

/// How a [`Lower`] holds its word.
#[derive(Debug, Clone, Copy)]
enum LowerForm<'a> {
    /// The word itself, which was in lower case already.
    Borrowed(&'a str),
    /// A lower-cased copy.
    Copied {
        buffer: [u8; Lower::MAX_LEN],
        len: usize,
    },
}

impl<'a> Lower<'a> {
    /// The longest word lower-cased, in bytes.
    pub const MAX_LEN: usize = 12;

    /// `word` in lower case, or `None` when it is longer than [`Lower::MAX_LEN`] or not ASCII.
    pub fn new(word: &'a str) -> Option<Lower<'a>> {
        if word.len() <= Lower::MAX_LEN && !word.bytes().any(|b| b.is_ascii_uppercase()) {
            return word.is_ascii().then_some(Lower(LowerForm::Borrowed(word)));
        }
        let mut buffer = [0; Lower::MAX_LEN];
        let len = lowercase_ascii(word, &mut buffer)?.len();
        Some(Lower(LowerForm::Copied { buffer, len }))
    }

    /// The lower-cased word.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            LowerForm::Borrowed(word) => word,
            LowerForm::Copied { buffer, len } => std::str::from_utf8(&buffer[..*len]).unwrap_or(""),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokens::tokenize;

    fn cut(text: &str) -> Vec<(&str, PieceKind)> {
        pieces(text, &tokenize(text))
            .iter()
            .map(|p| (&text[p.start..p.end], p.kind))
            .collect()
    }

    #[test]
    fn tokens_are_cut_into_words_numbers_and_marks() {
        use PieceKind::*;
        assert_eq!(
            cut("On 2,000 Friday's 1.13bn—ok"),
            [
                ("On", Word),
                ("2,000", Number),
                ("Friday", Word),
                ("'", Punct),
                ("s", Word),
                ("1.13", Number),
                ("bn", Word),
                ("—", Punct),
                ("ok", Word)
            ]
        );
        assert_eq!(
            cut("mid-March 70-plus 1980s $5"),
            [
                ("mid", Word),
                ("-", Punct),
                ("March", Word),
                ("70", Number),
                ("-", Punct),
                ("plus", Word),
                ("1980", Number),
                ("s", Word),
                ("$", Punct),
                ("5", Number)
            ]
        );
    }

    #[test]
    fn runs_continue_across_token_cuts_but_not_across_white_space() {
        use PieceKind::*;
        assert_eq!(
            cut("don't 2,3 1, 2"),
            [
                ("don", Word),
                ("'", Punct),
                ("t", Word),
                ("2,3", Number),
                ("1", Number),
                (",", Punct),
                ("2", Number)
            ]
        );
        assert_eq!(
            cut("1...2 a--b"),
            [
                ("1", Number),
                (".", Punct),
                (".", Punct),
                (".", Punct),
                ("2", Number),
                ("a", Word),
                ("-", Punct),
                ("-", Punct),
                ("b", Word)
            ]
        );
    }

    #[test]
    fn non_ascii_letters_digits_and_marks() {
        use PieceKind::*;
        assert_eq!(
            cut("élèves ٣ cafe\u{301} 日本2020年"),
            [
                ("élèves", Word),
                ("٣", Punct),
                ("cafe", Word),
                ("\u{301}", Punct),
                ("日本", Word),
                ("2020", Number),
                ("年", Word)
            ]
        );
        assert_eq!(cut(""), []);
        assert_eq!(cut("  \n "), []);
    }

    #[test]
    fn accessors_read_nothing_past_the_end() {
        let text = "In 70-Plus";
        let pieces = pieces(text, &tokenize(text));
        let view = PieceText {
            text,
            pieces: &pieces,
        };
        assert_eq!(view.pieces.len(), 4);
        assert!(view.word_is(3, "plus") && view.punct(2, "-"));
        assert!(view.touches_next(1) && !view.touches_next(0));
        assert_eq!(
            view.lower(3).map(|w| w.as_str().to_string()),
            Some("plus".into())
        );
        assert!(view.lower(1).is_none(), "numbers are not words");
        assert_eq!((view.text_of(9), view.kind(9)), ("", None));
        assert!(!view.touches_next(3) && view.lower(9).is_none());
    }

    #[test]
    fn lower_is_bounded_and_ascii_only() {
        assert_eq!(
            Lower::new("NeverTheLess").map(|w| w.as_str().to_string()),
            Some("nevertheless".into())
        );
        assert!(Lower::new("organisations").is_none(), "13 bytes");
        assert!(Lower::new("Zürich").is_none() && Lower::new("zürich").is_none());
        assert_eq!(
            Lower::new("plain").map(|w| w.as_str().to_string()),
            Some("plain".into())
        );
        assert_eq!(
            Lower::new("").map(|w| w.as_str().to_string()),
            Some(String::new())
        );
    }
}
