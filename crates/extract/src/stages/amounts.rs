//! Amounts: numbers in news text together with what they count.
//!
//! An amount is a number expression and its unit: "32 member countries" (32, "member
//! countries"), "70-plus years" (70, "years"), "100 percent" (100, "percent"), "$1.13bn"
//! (1 130 000 000, "USD"), "between 3 and 5 million people" (3 000 000 to 5 000 000, "people").
//! The span covers the number expression only (with its currency sign, multiplier, "percent" or
//! currency word); the counted unit is returned separately.
//!
//! Like the date finder, this is a hand-written scanner over the pieces of the shared tokens
//! ([`crate::text::pieces`]: "$1.13bn" is "$" "1.13" "bn", "70-plus" is "70" "-" "plus"):
//!
//! * **numbers** are digit runs ("2,000", "1.13"), number words ("twelve", "twenty-five",
//!   "three hundred", "a dozen"), each optionally scaled by a multiplier, glued ("bn", "m", "k")
//!   or written out ("million", "billion", "crore"); decimals are scaled exactly, so "1.13bn"
//!   is 1130000000.0, not 1129999999.9999998;
//! * **ranges** are "5-10", "5 to 10", "between 3 and 5"; a multiplier after the high end also
//!   scales the low end ("3-5 million");
//! * **units** are, in order: a currency (sign "$"/"£"/"€", code "USD", "Rs", or word "dollars")
//!   as an ISO 4217 code; a percentage ("%", "percent", "per cent") as "percent"; else the
//!   counted noun phrase after the number: up to three words, stopping at function words, at
//!   punctuation, at a verb-like word ("-ed"/"-ing" after the first word) and after the first
//!   plural noun. A number with no unit is not an amount (scores, ages, page numbers).
//!
//! Numbers that are not quantities are skipped: years and days that are part of dates, labels
//! ("Article 5", "No. 10"), ordinals ("21st"), times ("10:30", "3 pm"), list numbering at the
//! start of a line, and numbers glued to letters ("G7", "F-16", "4G"), apart from known unit
//! suffixes ("5km"). The dates are those the dates stage, which runs first, left in `Doc::dates`;
//! only dates that name themselves count ("in 1949", "on March 2"), not relative ones, whose
//! numbers are amounts all the same: "two years ago" counts two years.

use crate::pipeline::doc::DateMention;
use crate::pipeline::{Doc, Stage, StageError};
use crate::text::numbers::{
    currency_sign_code, is_label_word, is_plural_noun, number_word, number_words_at,
};
use crate::text::pieces::{pieces, Lower, PieceKind, PieceText};
use crate::text::tokens::Token;

pub use crate::pipeline::doc::Amount;

/// Finds the amounts of `text`, in text order, never overlapping.
///
/// `tokens` are the tokens of `text` (from [`tokenize`](crate::text::tokens::tokenize)) and
/// `dates` the date mentions found in it (by the dates stage): numbers inside the dates that
/// are not [`relative`](DateMention::relative) are not amounts.
pub fn find_amounts(text: &str, tokens: &[Token], dates: &[DateMention]) -> Vec<Amount> {
    let pieces = pieces(text, tokens);
    let mut in_date = vec![false; pieces.len()];
    let mut next_date = dates.iter().filter(|d| !d.relative).peekable();
    for (flag, piece) in in_date.iter_mut().zip(&pieces) {
        while next_date.next_if(|d| d.end <= piece.start).is_some() {}
        *flag = next_date.peek().is_some_and(|d| d.start <= piece.start);
    }
    AmountScanner {
        toks: PieceText {
            text,
            pieces: &pieces,
        },
        in_date,
    }
    .run()
}

/// The value a multiplier word or suffix stands for.
fn multiplier(lower: &str, glued: bool) -> Option<f64> {
    let glued_only = match lower {
        "k" => Some(1e3),
        "m" | "mn" | "mln" => Some(1e6),
        "b" | "bn" | "bln" => Some(1e9),
        "tn" | "trn" => Some(1e12),
        _ => None,
    };
    if glued && glued_only.is_some() {
        return glued_only;
    }
    Some(match lower {
        "dozen" => 12.0,
        "hundred" => 1e2,
        "thousand" => 1e3,
        "lakh" | "lakhs" => 1e5,
        "million" => 1e6,
        "crore" | "crores" => 1e7,
        "billion" => 1e9,
        "trillion" => 1e12,
        _ => return None,
    })
}

/// Units written glued to the number ("5km", "30mph"), kept as the unit.
fn is_unit_suffix(lower: &str) -> bool {
    UNIT_SUFFIXES.contains(&lower)
}

const UNIT_SUFFIXES: &[&str] = &[
    "km", "kg", "mph", "kph", "ft", "cm", "mm", "mi", "lb", "lbs", "kw", "mw", "gw", "kwh", "mwh",
    "gwh", "ml", "kmh", "sq", "ha", "mg", "gb", "tb",
];

/// The ISO 4217 code of a currency written as a word or code before or after the number.
fn currency_word_code(lower: &str) -> Option<&'static str> {
    Some(match lower {
        "usd" | "dollar" | "dollars" => "USD",
        "gbp" | "pound" | "pounds" | "sterling" => "GBP",
        "eur" | "euro" | "euros" => "EUR",
        "jpy" | "yen" => "JPY",
        "inr" | "rs" | "rupee" | "rupees" => "INR",
        "cny" | "rmb" | "yuan" => "CNY",
        "chf" | "francs" => "CHF",
        "rub" | "rouble" | "roubles" | "ruble" | "rubles" => "RUB",
        _ => return None,
    })
}

/// Country prefixes glued to "$" ("US$5", "A$5").
fn dollar_prefix_code(prefix: &str) -> Option<&'static str> {
    Some(match prefix {
        "US" => "USD",
        "A" | "AU" => "AUD",
        "C" | "CA" => "CAD",
        "HK" => "HKD",
        "NZ" => "NZD",
        "S" => "SGD",
        _ => return None,
    })
}

/// Words that end a counted noun phrase (or, right after the number, show there is none):
/// function words, adverbs of time and place, and time zones (a number before "GMT" is a time).
fn is_function_word(lower: &str) -> bool {
    FUNCTION_WORDS.contains(&lower)
}

const FUNCTION_WORDS: &[&str] = &[
    "a",
    "an",
    "the",
    "of",
    "to",
    "in",
    "on",
    "at",
    "for",
    "with",
    "by",
    "from",
    "and",
    "or",
    "but",
    "nor",
    "as",
    "that",
    "which",
    "who",
    "whom",
    "whose",
    "this",
    "these",
    "those",
    "it",
    "its",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "has",
    "have",
    "had",
    "do",
    "does",
    "did",
    "will",
    "would",
    "can",
    "could",
    "should",
    "may",
    "might",
    "must",
    "shall",
    "not",
    "no",
    "than",
    "then",
    "more",
    "less",
    "over",
    "under",
    "each",
    "every",
    "into",
    "onto",
    "about",
    "after",
    "before",
    "since",
    "until",
    "while",
    "when",
    "where",
    "why",
    "how",
    "if",
    "so",
    "such",
    "also",
    "only",
    "just",
    "still",
    "ago",
    "he",
    "she",
    "they",
    "we",
    "you",
    "i",
    "his",
    "her",
    "their",
    "our",
    "your",
    "my",
    "there",
    "here",
    "out",
    "up",
    "down",
    "off",
    "per",
    "am",
    "pm",
    "said",
    "says",
    "told",
    "other",
    "others",
    "another",
    "all",
    "both",
    "some",
    "any",
    "most",
    "many",
    "much",
    "few",
    "very",
    "too",
    "ever",
    "yet",
    "against",
    "between",
    "among",
    "during",
    "through",
    "across",
    "around",
    "via",
    "like",
    "what",
    "whether",
    "because",
    "though",
    "although",
    "upon",
    "within",
    "without",
    "toward",
    "towards",
    "beyond",
    "near",
    "along",
    "amid",
    "despite",
    "except",
    "inside",
    "outside",
    "instead",
    "again",
    "already",
    "now",
    "later",
    "earlier",
    "today",
    "yesterday",
    "tomorrow",
    "apiece",
    "respectively",
    "overall",
    "altogether",
    "alone",
    "together",
    "back",
    "away",
    "ahead",
    "behind",
    "above",
    "below",
    "gmt",
    "bst",
    "utc",
    "est",
    "edt",
    "cet",
    "hrs",
    "s",
    "t",
];

/// A number read from the text, kept as `numerator / 10^decimals × scale` so that scaling
/// decimals stays exact, and the multiplier apart so a range can lend its high end's multiplier
/// to a bare low end ("3-5 million").
#[derive(Debug, Clone, Copy)]
struct Number {
    numerator: f64,
    decimals: i32,
    scale: Option<f64>,
    /// Token index just past the number.
    end: usize,
}

impl Number {
    /// The value with `scale` as multiplier: the integer numerator is scaled before dividing,
    /// so 113 × 1e9 / 100 gives exactly 1130000000.
    fn scaled_by(self, scale: Option<f64>) -> f64 {
        self.numerator * scale.unwrap_or(1.0) / 10f64.powi(self.decimals)
    }

    fn value(self) -> f64 {
        self.scaled_by(self.scale)
    }
}

/// Parses "2,000", "1.13" or "70" exactly: commas must group thousands, and the decimal part is
/// kept as an integer numerator over a power of ten so scaling stays exact.
fn parse_digits(text: &str) -> Option<(u64, u32)> {
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) if !fraction.contains(['.', ',']) => (whole, fraction),
        Some(_) => return None,
        None => (text, ""),
    };
    let mut groups = whole.split(',');
    let first = groups.next()?;
    let grouped = whole.contains(',');
    if first.is_empty() || (grouped && first.len() > 3) {
        return None;
    }
    if groups.any(|g| g.len() != 3) || fraction.len() > 9 {
        return None;
    }
    let digits: String = whole
        .chars()
        .filter(|c| *c != ',')
        .chain(fraction.chars())
        .collect();
    let numerator = digits.parse::<u64>().ok()?;
    Some((numerator, u32::try_from(fraction.len()).ok()?))
}

/// Walks the tokens once, reading an amount wherever a number starts.
struct AmountScanner<'a> {
    toks: PieceText<'a>,
    /// Whether each token lies inside a date mention.
    in_date: Vec<bool>,
}

impl<'a> AmountScanner<'a> {
    fn run(&self) -> Vec<Amount> {
        let mut amounts = Vec::new();
        let mut i = 0;
        while i < self.toks.pieces.len() {
            match self.amount_at(i) {
                Some((end, amount)) if end > i => {
                    amounts.push(amount);
                    i = end;
                }
                _ => i += 1,
            }
        }
        amounts
    }

    fn punct_in(&self, i: usize, set: &[&str]) -> bool {
        set.iter().any(|ch| self.toks.punct(i, ch))
    }

    fn usable(&self, i: usize) -> bool {
        i < self.toks.pieces.len() && !self.in_date[i]
    }

    /// Reads an amount starting at token `i`: the token index after its span, and the amount.
    fn amount_at(&self, i: usize) -> Option<(usize, Amount)> {
        if !self.usable(i) || !self.may_start_amount(i) {
            return None;
        }
        let between = self.toks.word_is(i, "between");
        let first = if between { i + 1 } else { i };
        let (currency, number_at) = self.currency_prefix(first);
        if !self.usable(number_at) || !self.free_standing(number_at, currency.is_some()) {
            return None;
        }
        let low = self.number(number_at)?;
        let (mut end, mut max, low_value) = match self.range_end(low, between) {
            RangeEnd::High(high) => (
                high.end,
                Some(high.value()),
                low.scaled_by(low.scale.or(high.scale)),
            ),
            RangeEnd::None => (low.end, None, low.value()),
            RangeEnd::Invalid => return None,
        };
        if between && max.is_none() {
            return None;
        }
        if max.is_none() {
            end = self.plus_suffix(end);
        }
        let (unit, unit_end) = match currency {
            Some(code) => (code.to_string(), end),
            None => self.unit_after(end, number_at)?,
        };
        if max.is_some_and(|m| m <= low_value) {
            max = None;
        }
        let last = self.toks.pieces.get(unit_end.checked_sub(1)?)?;
        Some((
            unit_end.max(end),
            Amount {
                start: self.toks.pieces.get(i)?.start,
                end: last.end,
                value: low_value,
                max,
                unit,
            },
        ))
    }

    /// A cheap first test, so that most words cost one lookup: only digits, number words,
    /// "a"/"an" ("a dozen"), "between", currency signs and currency codes can start an amount.
    fn may_start_amount(&self, i: usize) -> bool {
        match self.toks.kind(i) {
            Some(PieceKind::Number) => true,
            Some(PieceKind::Punct) => currency_sign_code(self.toks.text_of(i)).is_some(),
            Some(PieceKind::Word) => {
                dollar_prefix_code(self.toks.text_of(i)).is_some()
                    || self.toks.lower(i).is_some_and(|w| {
                        let w = w.as_str();
                        matches!(w, "a" | "an" | "between")
                            || number_word(w).is_some()
                            || currency_word_code(w).is_some()
                    })
            }
            None => false,
        }
    }

    /// A currency before the number: "$", "US$", "£", "Rs", "USD". Returns the code and the
    /// index of the number.
    fn currency_prefix(&self, i: usize) -> (Option<&'static str>, usize) {
        let text = self.toks.text_of(i);
        if let Some(code) = currency_sign_code(text).filter(|_| self.toks.touches_next(i)) {
            return (Some(code), i + 1);
        }
        if self.toks.kind(i) == Some(PieceKind::Word) && self.toks.touches_next(i) && text != "$" {
            let glued_dollar = self.toks.text_of(i + 1) == "$" && self.toks.touches_next(i + 1);
            if let (true, Some(code)) = (glued_dollar, dollar_prefix_code(text)) {
                return (Some(code), i + 2);
            }
        }
        let code_word =
            matches!(text, "USD" | "GBP" | "EUR" | "JPY" | "INR" | "CNY" | "CHF") || text == "Rs";
        if code_word {
            let number_at = if self.punct_in(i + 1, &["."]) {
                i + 2
            } else {
                i + 1
            };
            if self.toks.kind(number_at) == Some(PieceKind::Number) {
                return (
                    Lower::new(text).and_then(|l| currency_word_code(l.as_str())),
                    number_at,
                );
            }
        }
        (None, i)
    }

    /// Whether the number at `i` stands on its own: not a label ("Article 5"), not glued to a
    /// word ("G7", "F-16"), not list numbering, not an ordinal or a time.
    fn free_standing(&self, i: usize, after_currency: bool) -> bool {
        let is_label = |k: usize| {
            self.toks
                .lower(k)
                .is_some_and(|w| is_label_word(w.as_str()))
        };
        if let Some(before) = i.checked_sub(1).filter(|_| !after_currency) {
            let dotted_label =
                self.toks.text_of(before) == "." && before > 0 && is_label(before - 1);
            if is_label(before) || dotted_label || self.toks.text_of(before) == "#" {
                return false;
            }
            if self.toks.touches_next(before) {
                let joiner = matches!(self.toks.text_of(before), "-" | "/" | ":" | "." | "," | "_");
                let glued_word = self.toks.kind(before) == Some(PieceKind::Word);
                let joined = joiner && before > 0 && self.toks.touches_next(before - 1);
                if glued_word || joined {
                    return false;
                }
            }
        }
        let gap_has_newline = |b: usize| match (self.toks.pieces.get(b), self.toks.pieces.get(i)) {
            (Some(before), Some(this)) => self.toks.text[before.end..this.start].contains('\n'),
            _ => false,
        };
        let line_start = i.checked_sub(1).is_none_or(gap_has_newline);
        let numbered = line_start && self.toks.touches_next(i) && self.punct_in(i + 1, &[".", ")"]);
        let time = self.toks.touches_next(i) && self.punct_in(i + 1, &[":"]);
        !numbered && !time
    }

    /// A number at `i`: digits with an optional multiplier, or number words.
    fn number(&self, i: usize) -> Option<Number> {
        match self.toks.kind(i)? {
            PieceKind::Number => {
                let (numerator, decimals) = parse_digits(self.toks.text_of(i))?;
                let glued = self.toks.touches_next(i);
                let next = self.toks.lower(i + 1);
                let scale = next
                    .as_ref()
                    .and_then(|w| multiplier(w.as_str(), glued))
                    .filter(|_| self.usable(i + 1));
                let glued_word = glued && self.toks.kind(i + 1) == Some(PieceKind::Word);
                let unit_suffix = next.as_ref().is_some_and(|w| is_unit_suffix(w.as_str()));
                if glued_word && scale.is_none() && !unit_suffix {
                    return None;
                }
                Some(Number {
                    numerator: numerator as f64,
                    decimals: i32::try_from(decimals).ok()?,
                    scale,
                    end: if scale.is_some() { i + 2 } else { i + 1 },
                })
            }
            PieceKind::Word => self.number_words(i),
            PieceKind::Punct => None,
        }
    }

    /// Number words: "twelve", "twenty-five", "three hundred", "two dozen", "a million".
    fn number_words(&self, i: usize) -> Option<Number> {
        let mut total = 0.0;
        let mut current = 0.0;
        let mut seen = false;
        let mut j = i;
        while let Some(lower) = self.toks.lower(j).filter(|_| self.usable(j)) {
            let word = lower.as_str();
            if let Some((n, after)) = number_words_at(&self.toks, j) {
                current += f64::from(n);
                seen = true;
                j = after;
                continue;
            }
            let scale = multiplier(word, false);
            match (word, scale) {
                ("a" | "an", _) if !seen => {
                    let next_scales = self
                        .toks
                        .lower(j + 1)
                        .is_some_and(|w| multiplier(w.as_str(), false).is_some());
                    if !next_scales {
                        return None;
                    }
                    current = 1.0;
                    seen = true;
                }
                ("and", _) if seen && current >= 100.0 => {
                    let number_follows = self
                        .toks
                        .lower(j + 1)
                        .is_some_and(|w| number_word(w.as_str()).is_some());
                    if !number_follows {
                        break;
                    }
                }
                (_, Some(s)) if seen && s < 1e3 => current = current.max(1.0) * s,
                (_, Some(s)) if seen => {
                    total += current.max(1.0) * s;
                    current = 0.0;
                }
                _ => break,
            }
            j += 1;
        }
        if !seen {
            return None;
        }
        let pronoun = total + current == 1.0
            && i.checked_sub(1)
                .and_then(|b| self.toks.lower(b))
                .is_some_and(|w| {
                    matches!(
                        w.as_str(),
                        "no" | "any"
                            | "every"
                            | "some"
                            | "the"
                            | "this"
                            | "that"
                            | "which"
                            | "each"
                    )
                });
        (!pronoun).then_some(Number {
            numerator: total + current,
            decimals: 0,
            scale: None,
            end: j,
        })
    }

    /// After a low number: a high end ("-10", "to 10", "and 10" after "between").
    fn range_end(&self, low: Number, between: bool) -> RangeEnd {
        let at = low.end;
        let dash = self.punct_in(at, &["-", "–", "—"]) && self.toks.touches_next(at - 1);
        let joined = if between {
            self.toks.word_is(at, "and")
        } else {
            dash || self.toks.word_is(at, "to")
        };
        if !joined || !self.usable(at + 1) {
            return RangeEnd::None;
        }
        let (_, high_at) = self.currency_prefix(at + 1);
        match self.number(high_at) {
            Some(high)
                if high.value() > low.value() || (low.scale.is_none() && high.scale.is_some()) =>
            {
                RangeEnd::High(high)
            }
            Some(_) if dash => RangeEnd::Invalid,
            _ => RangeEnd::None,
        }
    }

    /// "70-plus" / "70+": the index after the suffix.
    fn plus_suffix(&self, end: usize) -> usize {
        let glued = self.toks.touches_next(end - 1);
        if glued && self.punct_in(end, &["+"]) {
            return end + 1;
        }
        if glued
            && self.punct_in(end, &["-"])
            && self.toks.touches_next(end)
            && self.toks.word_is(end + 1, "plus")
        {
            return end + 2;
        }
        end
    }

    /// The unit after a number ending at `end`: percent, a currency word, a glued unit suffix
    /// or the counted noun phrase. Returns the unit and the token index just past the span
    /// (which includes "percent" or the currency word, but not a noun phrase).
    fn unit_after(&self, end: usize, number_at: usize) -> Option<(String, usize)> {
        if self.punct_in(end, &["%"]) {
            return Some(("percent".to_string(), end + 1));
        }
        let lower = self.toks.lower(end);
        let word = lower.as_ref().map_or("", |l| l.as_str());
        match word {
            "percent" | "pct" => return Some(("percent".to_string(), end + 1)),
            "per" if self.toks.word_is(end + 1, "cent") => {
                return Some(("percent".to_string(), end + 2))
            }
            "percentage" if self.toks.word_is(end + 1, "points") => {
                return Some(("percentage points".to_string(), end + 2))
            }
            _ => {}
        }
        if let Some(code) = currency_word_code(word).filter(|_| word != "rs") {
            return Some((code.to_string(), end + 1));
        }
        if self.toks.touches_next(end - 1) && is_unit_suffix(word) && end == number_at + 1 {
            return Some((word.to_string(), end + 1));
        }
        let phrase = self.noun_phrase(end)?;
        // "745bn Indian rupees": a currency word closing the phrase is the unit.
        let last_word = phrase.rsplit(' ').next().and_then(Lower::new);
        match last_word.and_then(|w| currency_word_code(w.as_str())) {
            Some(code) => Some((code.to_string(), end)),
            None => Some((phrase, end)),
        }
    }

    /// Up to three words after a number that name what it counts ("member countries").
    fn noun_phrase(&self, start: usize) -> Option<String> {
        let mut words: Vec<&str> = Vec::new();
        let mut j = start;
        // "45-year-old": the unit starts after the hyphen glued to the number.
        if self.punct_in(j, &["-"]) && self.toks.touches_next(j - 1) && self.toks.touches_next(j) {
            j += 1;
        }
        while words.len() < 3 && self.toks.kind(j) == Some(PieceKind::Word) && self.usable(j) {
            let lower = self.toks.lower(j);
            let word = lower.as_ref().map_or("", |l| l.as_str());
            if is_function_word(word) {
                break;
            }
            let verb_like = word.ends_with("ed") || word.ends_with("ing") || word.ends_with("ly");
            if verb_like {
                let next_is_content = self
                    .toks
                    .lower(j + 1)
                    .is_some_and(|w| !is_function_word(w.as_str()))
                    && self.toks.kind(j + 1) == Some(PieceKind::Word);
                if !words.is_empty() || !next_is_content {
                    break;
                }
            }
            let mut end = j + 1;
            while self.toks.touches_next(end - 1)
                && self.punct_in(end, &["-"])
                && self.toks.touches_next(end)
                && self.toks.kind(end + 1) == Some(PieceKind::Word)
            {
                end += 2;
            }
            let first = self.toks.pieces.get(j)?;
            let last = self.toks.pieces.get(end - 1)?;
            words.push(&self.toks.text[first.start..last.end]);
            let last_word = Lower::new(self.toks.text_of(end - 1));
            j = end;
            if last_word.is_some_and(|w| is_plural_noun(w.as_str())) {
                break;
            }
        }
        (!words.is_empty()).then(|| words.join(" "))
    }
}

/// What follows a low number.
enum RangeEnd {
    /// A valid high end.
    High(Number),
    /// Nothing that makes a range.
    None,
    /// A dash and a number that cannot be a high end ("3-1", a score).
    Invalid,
}

/// Finds the article's amounts.
pub struct AmountsStage;

impl Stage for AmountsStage {
    fn name(&self) -> &'static str {
        "amounts"
    }

    fn english_only(&self) -> bool {
        true
    }

    fn run(&self, doc: &mut Doc) -> Result<(), StageError> {
        doc.amounts = find_amounts(&doc.text, &doc.tokens, &doc.dates);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
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
}
