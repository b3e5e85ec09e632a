//! A rule-based tokenizer for news text that reproduces CoNLL-2003 (Penn Treebank)
//! conventions, so the NER model sees the tokens it was trained on.
//!
//! The conventions, checked against the first column of CoNLL-2003 `train.txt`:
//!
//! * Clitics are split off: "don’t" → "do" "n’t", "can't" → "ca" "n't", "Musk’s" →
//!   "Musk" "’s", "we’re" → "we" "’re". Other inner apostrophes stay ("O'Brien",
//!   "rock'n'roll"). A trailing possessive apostrophe is its own token ("US’" → "US" "’").
//! * Abbreviations keep their period ("U.S.", "Adm.", "Corp.", "e.g.", initials "G.").
//!   When an abbreviation ends a sentence its period is not duplicated (CoNLL writes
//!   "U.S. ." but byte offsets cannot): the splitter ends the sentence after "U.S.".
//! * Hyphenated words are one token ("tooth-and-nail", "70-plus", "U.S.-led"), as are
//!   numbers with separators ("1,000", "3.5", "1:54.342", "3/8", "26.7.1996"), ordinals
//!   and decades ("10th", "1980s").
//! * Currency symbols and "%" are separate ("$1.13bn" → "$" "1.13" "bn", "76%" → "76"
//!   "%"): CoNLL writes "$ 1.13 billion", so a unit glued to a number is split off the
//!   same way. Currency prefixes with letters stay whole ("US$", "C$", "HK$").
//! * Quotes (“ ” ‘ ’ " ' « » ``), brackets, dashes (— – --), ellipses (… ... and "..")
//!   and runs of ! and ? are separate tokens.
//! * URLs, e-mail addresses, @handles and #hashtags are single [`TokenKind::Link`] tokens.
//!
//! The scanner walks the bytes once, decoding UTF-8 only for non-ASCII characters, and
//! allocates nothing but the output vector.

use super::Abbreviation;

/// One token: a half-open byte span of the tokenized text and what kind of token it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Token {
    /// Byte offset of the first byte of the token.
    pub start: usize,
    /// Byte offset just past the last byte of the token.
    pub end: usize,
    /// The token's coarse class.
    pub kind: TokenKind,
}

impl Token {
    /// The token's text within `text` (the string it was tokenized from); empty when the
    /// span does not fit `text`.
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }
}

/// The coarse class of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// Words, hyphenated compounds, abbreviations with their period and clitics ("’s", "n't").
    Word,
    /// Numbers, with their separators, ordinal or decade suffix ("1,000", "3.5", "10th", "2-1").
    Number,
    /// Punctuation: . , ; : ! ? … ... -- — – and brackets.
    Punct,
    /// Quotation marks and bare apostrophes: " ' “ ” ‘ ’ « » „ ``.
    Quote,
    /// Currency and other symbols: $ £ € % & / + emoji, and "US$"-style currency prefixes.
    Symbol,
    /// URLs, e-mail addresses, @handles and #hashtags.
    Link,
}

/// Splits `text` into tokens, in order, never overlapping. Every character that is not
/// whitespace belongs to exactly one token.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut scanner = Scanner {
        text,
        bytes: text.as_bytes(),
        tokens: Vec::with_capacity(text.len() / 4),
    };
    scanner.run();
    scanner.tokens
}

/// Whether a word token is a clitic the tokenizer split off ("’s", "'re", "n't").
pub fn is_clitic(word: &str) -> bool {
    word.starts_with(['\'', '’']) || is_negating_clitic(word)
}

/// Whether a word token is the negating clitic "n't".
pub fn is_negating_clitic(word: &str) -> bool {
    matches!(word, "n't" | "n’t" | "N'T" | "N’T")
}

/// Clitics split off the end of a word at an apostrophe, compared case-insensitively.
const CLITICS: [&str; 6] = ["s", "m", "re", "ve", "ll", "d"];

/// The scanning state: the text and the tokens found so far.
struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    tokens: Vec<Token>,
}

impl Scanner<'_> {
    fn run(&mut self) {
        let mut pos = 0;
        while let Some(c) = self.char_at(pos) {
            pos = if is_separator(c) {
                pos + c.len_utf8()
            } else if c.is_alphanumeric() {
                self.word(pos, c)
            } else {
                self.punctuation(pos, c)
            };
        }
    }

    /// The character starting at byte `pos`, if `pos` is inside the text.
    fn char_at(&self, pos: usize) -> Option<char> {
        let byte = *self.bytes.get(pos)?;
        if byte.is_ascii() {
            Some(char::from(byte))
        } else {
            self.text.get(pos..)?.chars().next()
        }
    }

    fn push(&mut self, start: usize, end: usize, kind: TokenKind) {
        self.tokens.push(Token { start, end, kind });
    }

    /// Scans the word, number or link starting with alphanumeric `first` at `start` and
    /// returns where it ends.
    fn word(&mut self, start: usize, first: char) -> usize {
        if let Some(end) = self.url_end(start) {
            self.push(start, end, TokenKind::Link);
            return end;
        }
        let mut end = start + first.len_utf8();
        let mut prev = first;
        let mut segment_chars = 1usize;
        let mut has_apostrophe = false;
        let mut dotted = false;
        while let Some(c) = self.char_at(end) {
            let len = c.len_utf8();
            if is_word_char(c) {
                end += len;
                prev = c;
                segment_chars += 1;
                continue;
            }
            let next = self.char_at(end + len);
            let joins = match c {
                '-' | '\u{2010}' | '\u{2011}' | '_' => next.is_some_and(char::is_alphanumeric),
                '\'' | '\u{2019}' => next.is_some_and(char::is_alphabetic),
                '&' => prev.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_uppercase()),
                ',' => prev.is_ascii_digit() && self.thousands_group_at(end + 1),
                ':' | '/' => prev.is_ascii_digit() && next.is_some_and(|n| n.is_ascii_digit()),
                '.' => self.period_joins(end, prev, segment_chars, dotted, next),
                '@' => {
                    if let Some(email_end) = self.email_domain_end(end + 1) {
                        self.push(start, email_end, TokenKind::Link);
                        return email_end;
                    }
                    false
                }
                _ => false,
            };
            if !joins {
                break;
            }
            has_apostrophe |= is_apostrophe(c);
            dotted |= c == '.';
            segment_chars = 0;
            prev = c;
            end += len;
        }
        if self.bytes.get(end) == Some(&b'.')
            && self.bytes.get(end + 1) != Some(&b'.')
            && self.period_is_abbreviation(start, end)
        {
            self.push(start, end + 1, TokenKind::Word);
            return end + 1;
        }
        if self.bytes.get(end) == Some(&b'$')
            && is_currency_prefix(self.bytes.get(start..end).unwrap_or_default())
        {
            self.push(start, end + 1, TokenKind::Symbol);
            return end + 1;
        }
        if has_apostrophe {
            self.push_splitting_clitic(start, end);
        } else {
            self.push_word_or_number(start, end);
        }
        end
    }

    /// Whether the period at `pos` (after word character `prev`, which ends a run of
    /// `segment_chars` word characters, in a word that is `dotted` already or not)
    /// continues the word: a decimal point ("3.5"), a dotted acronym ("U.S", "e.g",
    /// "U.S.-led") or a domain name ("bbc.co.uk").
    fn period_joins(
        &self,
        pos: usize,
        prev: char,
        segment_chars: usize,
        dotted: bool,
        next: Option<char>,
    ) -> bool {
        let Some(next) = next else {
            return false;
        };
        let single_letter = segment_chars == 1 && prev.is_alphabetic();
        if prev.is_numeric() {
            return next.is_ascii_digit();
        }
        if single_letter && next.is_alphabetic() {
            // "U.S", but not "G.Stavridis": the next segment must be one letter too.
            let after = self.char_at(pos + 1 + next.len_utf8());
            return !after.is_some_and(char::is_alphanumeric);
        }
        if single_letter && next == '-' {
            // "U.S.-led": the acronym's period, then a hyphen joining a word.
            let after = self.char_at(pos + 2);
            return dotted && after.is_some_and(char::is_alphanumeric);
        }
        prev.is_alphabetic() && (next.is_lowercase() || next.is_ascii_digit())
    }

    /// Whether three digits, not followed by a fourth, start at `pos` ("1,000").
    fn thousands_group_at(&self, pos: usize) -> bool {
        let digit = |i: usize| self.bytes.get(i).is_some_and(u8::is_ascii_digit);
        digit(pos) && digit(pos + 1) && digit(pos + 2) && !digit(pos + 3)
    }

    /// Whether the period right after the word `start..end` belongs to it: an initial,
    /// a dotted acronym or a listed abbreviation.
    fn period_is_abbreviation(&self, start: usize, end: usize) -> bool {
        let Some(word) = self.text.get(start..end) else {
            return false;
        };
        let mut chars = word.chars();
        if let (Some(only), None) = (chars.next(), chars.next()) {
            return only.is_uppercase();
        }
        if word.contains('.') {
            return is_dotted_acronym(word);
        }
        match super::abbreviation(word) {
            Some(Abbreviation::NumberPrefix) => self.digit_follows(end + 1),
            Some(_) => true,
            None => false,
        }
    }

    /// Whether a digit follows `pos`, after optional spaces ("No. 10").
    fn digit_follows(&self, pos: usize) -> bool {
        let rest = self.bytes.get(pos..).unwrap_or_default();
        rest.iter()
            .find(|&&b| b != b' ')
            .is_some_and(u8::is_ascii_digit)
    }

    /// If a URL ("http://", "https://", "www.") starts at `start`, returns where it ends:
    /// at whitespace or a quote, without trailing sentence punctuation.
    fn url_end(&self, start: usize) -> Option<usize> {
        let rest = self.bytes.get(start..)?;
        let has_prefix = |prefix: &[u8]| {
            rest.get(..prefix.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
        };
        let www = has_prefix(b"www.") && rest.get(4).is_some_and(u8::is_ascii_alphanumeric);
        if !(www || has_prefix(b"http://") || has_prefix(b"https://")) {
            return None;
        }
        let mut end = start;
        while let Some(c) = self.char_at(end) {
            if is_separator(c) || is_quote(c) || matches!(c, '<' | '>') {
                break;
            }
            end += c.len_utf8();
        }
        let url = self.text.get(start..end)?;
        let has_open_paren = url.contains('(');
        let trimmed = url.trim_end_matches(|c: char| {
            matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | ']' | '}' | '…')
                || (c == ')' && !has_open_paren)
        });
        Some(start + trimmed.len())
    }

    /// If an e-mail domain with at least one dot starts at `pos` (just after '@'),
    /// returns where it ends.
    fn email_domain_end(&self, pos: usize) -> Option<usize> {
        let mut end = pos;
        let mut dots = 0;
        let mut prev_alnum = false;
        while let Some(&b) = self.bytes.get(end) {
            let next_alnum = self
                .bytes
                .get(end + 1)
                .is_some_and(u8::is_ascii_alphanumeric);
            if b.is_ascii_alphanumeric() {
                prev_alnum = true;
            } else if (b == b'.' || b == b'-') && prev_alnum && next_alnum {
                dots += usize::from(b == b'.');
                prev_alnum = false;
            } else {
                break;
            }
            end += 1;
        }
        (dots > 0 && prev_alnum).then_some(end)
    }

    /// Pushes `start..end`, first splitting off a clitic after its last apostrophe.
    fn push_splitting_clitic(&mut self, start: usize, end: usize) {
        let Some(word) = self.text.get(start..end) else {
            return;
        };
        let Some((apostrophe, mark)) = word.char_indices().rfind(|&(_, c)| is_apostrophe(c)) else {
            self.push_word_or_number(start, end);
            return;
        };
        let suffix = &word[apostrophe + mark.len_utf8()..];
        let split = if CLITICS.iter().any(|c| suffix.eq_ignore_ascii_case(c)) {
            Some(apostrophe)
        } else if suffix.eq_ignore_ascii_case("t")
            && apostrophe >= 2
            && matches!(word.as_bytes().get(apostrophe - 1), Some(b'n' | b'N'))
        {
            Some(apostrophe - 1)
        } else {
            None
        };
        match split {
            Some(at) if at > 0 => {
                self.push_word_or_number(start, start + at);
                self.push(start + at, end, TokenKind::Word);
            }
            _ => self.push_word_or_number(start, end),
        }
    }

    /// Pushes `start..end` as a word or a number; a lower-case unit glued to a number is
    /// split off ("1.13bn" → "1.13" "bn"), ordinals and decades are not ("10th", "1980s").
    fn push_word_or_number(&mut self, start: usize, end: usize) {
        let bytes = self.bytes.get(start..end).unwrap_or_default();
        if !bytes.first().is_some_and(u8::is_ascii_digit) {
            self.push(start, end, TokenKind::Word);
            return;
        }
        let numeric = bytes
            .iter()
            .take_while(|&&b| b.is_ascii_digit() || matches!(b, b'.' | b',' | b':' | b'/'))
            .count();
        let unit = &bytes[numeric..];
        if unit.is_empty() || matches!(unit, b"st" | b"nd" | b"rd" | b"th" | b"s") {
            self.push(start, end, TokenKind::Number);
        } else if unit.iter().all(u8::is_ascii_lowercase) {
            self.push(start, start + numeric, TokenKind::Number);
            self.push(start + numeric, end, TokenKind::Word);
        } else if bytes
            .iter()
            .all(|&b| b.is_ascii_digit() || matches!(b, b'.' | b',' | b':' | b'/' | b'-'))
        {
            self.push(start, end, TokenKind::Number);
        } else {
            self.push(start, end, TokenKind::Word);
        }
    }

    /// Scans the punctuation, quote, symbol or link starting with `c` at `start` and
    /// returns where it ends.
    fn punctuation(&mut self, start: usize, c: char) -> usize {
        let len = c.len_utf8();
        let (end, kind) = match c {
            '.' | '-' | '`' => (self.run_end(start, |b| b == c as u8), kind_of_run(c)),
            '!' | '?' => (
                self.run_end(start, |b| b == b'!' || b == b'?'),
                TokenKind::Punct,
            ),
            '\'' if self.bytes.get(start + 1) == Some(&b'\'') => (start + 2, TokenKind::Quote),
            '@' | '#' => match self.handle_end(start + 1, c == '@') {
                Some(end) => (end, TokenKind::Link),
                None => (start + 1, TokenKind::Symbol),
            },
            _ if is_quote(c) => (start + len, TokenKind::Quote),
            ',' | ';' | ':' | '(' | ')' | '[' | ']' | '{' | '}' | '…' | '—' | '–' | '―' | '‒'
            | '¿' | '¡' => (start + len, TokenKind::Punct),
            _ => (start + len, TokenKind::Symbol),
        };
        self.push(start, end, kind);
        end
    }

    /// The end of the run of ASCII bytes matching `same` that starts at `start`.
    fn run_end(&self, start: usize, same: impl Fn(u8) -> bool) -> usize {
        let rest = self.bytes.get(start..).unwrap_or_default();
        start + rest.iter().take_while(|&&b| same(b)).count()
    }

    /// The end of an @handle or #hashtag whose name starts at `pos`, if it has one.
    /// Handles may start with a digit or underscore, hashtags with a letter.
    fn handle_end(&self, pos: usize, is_handle: bool) -> Option<usize> {
        let first = self.char_at(pos)?;
        let starts = if is_handle {
            first.is_alphanumeric() || first == '_'
        } else {
            first.is_alphabetic()
        };
        if !starts {
            return None;
        }
        let mut end = pos;
        while let Some(c) = self.char_at(end) {
            if !(c.is_alphanumeric() || c == '_') {
                break;
            }
            end += c.len_utf8();
        }
        Some(end)
    }
}

/// The kind of a run of one repeated ASCII character: backticks are quotes (``).
fn kind_of_run(c: char) -> TokenKind {
    if c == '`' {
        TokenKind::Quote
    } else {
        TokenKind::Punct
    }
}

/// Characters that separate tokens and are never part of one: whitespace, plus the
/// invisible zero-width space and byte-order mark.
fn is_separator(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_whitespace() || c == '\u{0B}'
    } else {
        c.is_whitespace() || matches!(c, '\u{200B}' | '\u{FEFF}')
    }
}

/// Characters that continue a word: letters, digits, combining marks, joiners and the
/// soft hyphen.
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    c.is_alphanumeric()
        || matches!(c,
            '\u{0300}'..='\u{036F}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{FE20}'..='\u{FE2F}'
            | '\u{200C}'
            | '\u{200D}'
            | '\u{00AD}')
}

/// Apostrophes that may join the parts of a word ("don’t", "O'Brien").
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}')
}

/// Quotation marks of every style.
fn is_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '“' | '”' | '‘' | '’' | '«' | '»' | '„' | '‚' | '‹' | '›' | '‟' | '‛'
    )
}

/// "U.S", "e.g", "a.m": letters, each alone between periods.
fn is_dotted_acronym(word: &str) -> bool {
    word.split('.').all(|segment| {
        let mut chars = segment.chars();
        matches!((chars.next(), chars.next()), (Some(c), None) if c.is_alphabetic())
    })
}

/// One to three capital letters written before "$" ("US$", "C$", "HK$").
fn is_currency_prefix(word: &[u8]) -> bool {
    (1..=3).contains(&word.len()) && word.iter().all(u8::is_ascii_uppercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text).iter().map(|t| t.text(text)).collect()
    }

    fn kinds(text: &str) -> Vec<(&str, TokenKind)> {
        tokenize(text)
            .iter()
            .map(|t| (t.text(text), t.kind))
            .collect()
    }

    #[test]
    fn abbreviations_keep_their_period() {
        assert_eq!(
            words("Mr. and Mrs. Dr. Gen. Sen. Rep. Gov. Lt. Col. Sept. Jan. Feb. vs. etc."),
            [
                "Mr.", "and", "Mrs.", "Dr.", "Gen.", "Sen.", "Rep.", "Gov.", "Lt.", "Col.",
                "Sept.", "Jan.", "Feb.", "vs.", "etc."
            ]
        );
        assert_eq!(
            words("Apple Corp. Inc. Ltd. Co. St. Louis"),
            ["Apple", "Corp.", "Inc.", "Ltd.", "Co.", "St.", "Louis"]
        );
    }

    #[test]
    fn dotted_acronyms_are_one_token() {
        assert_eq!(
            words("the U.S. and U.K. e.g. i.e. at 5 p.m. in D.C."),
            ["the", "U.S.", "and", "U.K.", "e.g.", "i.e.", "at", "5", "p.m.", "in", "D.C."]
        );
        assert_eq!(
            words("Washington, D.C., in 1949."),
            ["Washington", ",", "D.C.", ",", "in", "1949", "."]
        );
    }

    #[test]
    fn initials_keep_their_period_but_names_do_not_join() {
        assert_eq!(
            words("retired Adm. James G. Stavridis"),
            ["retired", "Adm.", "James", "G.", "Stavridis"]
        );
        assert_eq!(words("Michèle A. Flournoy"), ["Michèle", "A.", "Flournoy"]);
        assert_eq!(words("G.Stavridis"), ["G.", "Stavridis"]);
    }

    #[test]
    fn a_full_stop_after_an_ordinary_word_is_separate() {
        assert_eq!(words("to join NATO."), ["to", "join", "NATO", "."]);
        assert_eq!(words("said no."), ["said", "no", "."]);
        assert_eq!(words("in 1991.Many"), ["in", "1991", ".", "Many"]);
    }

    #[test]
    fn number_prefix_only_before_a_number() {
        assert_eq!(words("No. 10 Downing"), ["No.", "10", "Downing"]);
        assert_eq!(words("said No. Then"), ["said", "No", ".", "Then"]);
    }

    #[test]
    fn contractions_split_like_the_treebank() {
        assert_eq!(words("don’t"), ["do", "n’t"]);
        assert_eq!(
            words("can't won't isn’t"),
            ["ca", "n't", "wo", "n't", "is", "n’t"]
        );
        assert_eq!(
            words("Here’s it’s I’m we’re they've I'll she'd"),
            [
                "Here", "’s", "it", "’s", "I", "’m", "we", "’re", "they", "'ve", "I", "'ll", "she",
                "'d"
            ]
        );
        assert_eq!(words("DON'T"), ["DO", "N'T"]);
    }

    #[test]
    fn possessives_split_off() {
        assert_eq!(words("Musk’s NATO’s"), ["Musk", "’s", "NATO", "’s"]);
        assert_eq!(words("on US’ long-term"), ["on", "US", "’", "long-term"]);
        assert_eq!(
            words("analysts' expectations"),
            ["analysts", "'", "expectations"]
        );
        assert_eq!(words("O'Brien's"), ["O'Brien", "'s"]);
    }

    #[test]
    fn odd_apostrophes_do_not_panic() {
        assert_eq!(words("rock'n'roll"), ["rock'n'roll"]);
        assert_eq!(words("'n't n't ''"), ["'", "n't", "n't", "''"]);
        assert_eq!(words("’’’s’"), ["’", "’", "’", "s", "’"]);
        assert_eq!(words("'90s"), ["'", "90s"]);
    }

    #[test]
    fn quotes_are_separate_tokens() {
        assert_eq!(
            kinds("“it’s time”"),
            [
                ("“", TokenKind::Quote),
                ("it", TokenKind::Word),
                ("’s", TokenKind::Word),
                ("time", TokenKind::Word),
                ("”", TokenKind::Quote)
            ]
        );
        assert_eq!(
            words("\"yes,\" 'no' ``ok''"),
            ["\"", "yes", ",", "\"", "'", "no", "'", "``", "ok", "''"]
        );
        assert_eq!(
            words("What US ‘leaving’ NATO"),
            ["What", "US", "‘", "leaving", "’", "NATO"]
        );
    }

    #[test]
    fn ellipses_and_dashes() {
        assert_eq!(words("ready…”I"), ["ready", "…", "”", "I"]);
        assert_eq!(words("wait... what"), ["wait", "...", "what"]);
        assert_eq!(words("to join.."), ["to", "join", ".."]);
        assert_eq!(
            words("organisation — one – two--three"),
            ["organisation", "—", "one", "–", "two", "--", "three"]
        );
    }

    #[test]
    fn hyphenated_words_stay_together() {
        assert_eq!(
            words("tooth-and-nail 70-plus Russia-Ukraine mutual-defence U.S.-led 2-1"),
            [
                "tooth-and-nail",
                "70-plus",
                "Russia-Ukraine",
                "mutual-defence",
                "U.S.-led",
                "2-1"
            ]
        );
        assert_eq!(words("pre- and post-war"), ["pre", "-", "and", "post-war"]);
    }

    #[test]
    fn numbers_currencies_and_percentages() {
        assert_eq!(
            kinds("$1.13bn 1,000 3.5 76%"),
            [
                ("$", TokenKind::Symbol),
                ("1.13", TokenKind::Number),
                ("bn", TokenKind::Word),
                ("1,000", TokenKind::Number),
                ("3.5", TokenKind::Number),
                ("76", TokenKind::Number),
                ("%", TokenKind::Symbol)
            ]
        );
        assert_eq!(
            words("£600m, 10th 1980s 3D"),
            ["£", "600", "m", ",", "10th", "1980s", "3D"]
        );
        assert_eq!(words("US$5 HK$10 €3"), ["US$", "5", "HK$", "10", "€", "3"]);
        assert_eq!(
            words("1, 2,3 12,3456"),
            ["1", ",", "2", ",", "3", "12", ",", "3456"]
        );
        assert_eq!(
            kinds("1:54.342 3/8 26.7.1996 24/7 and/or"),
            [
                ("1:54.342", TokenKind::Number),
                ("3/8", TokenKind::Number),
                ("26.7.1996", TokenKind::Number),
                ("24/7", TokenKind::Number),
                ("and", TokenKind::Word),
                ("/", TokenKind::Symbol),
                ("or", TokenKind::Word)
            ]
        );
    }

    #[test]
    fn links_are_single_tokens() {
        assert_eq!(
            kinds("see https://bbc.co.uk/news?id=1. Or (www.nato.int) mail a.b@nato.int @elonmusk #NATO"),
            [
                ("see", TokenKind::Word),
                ("https://bbc.co.uk/news?id=1", TokenKind::Link),
                (".", TokenKind::Punct),
                ("Or", TokenKind::Word),
                ("(", TokenKind::Punct),
                ("www.nato.int", TokenKind::Link),
                (")", TokenKind::Punct),
                ("mail", TokenKind::Word),
                ("a.b@nato.int", TokenKind::Link),
                ("@elonmusk", TokenKind::Link),
                ("#NATO", TokenKind::Link)
            ]
        );
        assert_eq!(
            words("Amazon.com AT&T S&P @ #1"),
            ["Amazon.com", "AT&T", "S&P", "@", "#", "1"]
        );
    }

    #[test]
    fn brackets_are_separate() {
        assert_eq!(
            words("Efficiency (DOGE), [for the US]"),
            [
                "Efficiency",
                "(",
                "DOGE",
                ")",
                ",",
                "[",
                "for",
                "the",
                "US",
                "]"
            ]
        );
    }

    #[test]
    fn reference_sentence_with_quotes_and_brackets() {
        let text = "Elon Musk, the billionaire who heads the US Department of Government Efficiency (DOGE), agrees that “it’s time [for the US] to leave NATO [North Atlantic Treaty Organization] and the UN [United Nations].”";
        let got = words(text);
        assert_eq!(got[..4], ["Elon", "Musk", ",", "the"]);
        assert_eq!(
            got[got.len() - 8..],
            ["the", "UN", "[", "United", "Nations", "]", ".", "”"]
        );
        assert!(got.contains(&"it") && got.contains(&"’s"));
    }

    #[test]
    fn unicode_words_and_symbols() {
        assert_eq!(
            words("Zürich naïve Ελλάδα 東京 👍🏽"),
            ["Zürich", "naïve", "Ελλάδα", "東京", "👍", "🏽"]
        );
        assert_eq!(words("cafe\u{301} x\u{200B}y"), ["cafe\u{301}", "x", "y"]);
        assert_eq!(words("a\u{A0}b"), ["a", "b"]);
    }

    #[test]
    fn offsets_are_bytes_into_the_input() {
        let text = "“Hi” £5";
        let tokens = tokenize(text);
        assert_eq!(
            tokens[0],
            Token {
                start: 0,
                end: 3,
                kind: TokenKind::Quote
            }
        );
        assert_eq!(tokens[3].start, 9);
        assert_eq!(tokens[3].text(text), "£");
    }
}
