//! The amount scanner: one walk over the pieces, reading an amount wherever a number starts.
//!
//! At each piece a cheap test first rules out almost every word (only digits, number words,
//! "a"/"an", "between", currency signs and codes can start an amount). Where one may start, the
//! scanner reads an optional currency before the number ("$", "US$", "Rs", "USD"), checks that
//! the number stands on its own (not a label, not glued to a word, not list numbering, not a
//! time), reads the number or range ([`super::numbers`]) and what it counts
//! ([`super::units`]), and moves past the amount. A number without a unit is no amount.

use super::lexicon::{currency_word_code, dollar_prefix_code};
use super::numbers::RangeEnd;
use crate::pipeline::doc::{Amount, DateMention};
use crate::text::numbers::{currency_sign_code, is_label_word, number_word};
use crate::text::pieces::{pieces, Lower, Piece, PieceKind, PieceText};
use crate::text::tokens::Token;

/// The amounts among the pieces of `text` (cut from `tokens`), skipping numbers in `dates`.
pub(super) fn scan(text: &str, tokens: &[Token], dates: &[DateMention]) -> Vec<Amount> {
    let pieces = pieces(text, tokens);
    let in_date = in_dates(&pieces, dates);
    AmountScanner {
        toks: PieceText {
            text,
            pieces: &pieces,
        },
        in_date,
    }
    .run()
}

/// Whether each piece lies inside one of the `dates` (in text order) that is not relative.
fn in_dates(pieces: &[Piece], dates: &[DateMention]) -> Vec<bool> {
    let mut in_date = vec![false; pieces.len()];
    let mut next_date = dates.iter().filter(|d| d.names_a_date()).peekable();
    for (flag, piece) in in_date.iter_mut().zip(pieces) {
        while next_date.next_if(|d| d.end <= piece.start).is_some() {}
        *flag = next_date.peek().is_some_and(|d| d.start <= piece.start);
    }
    in_date
}

/// Walks the pieces once, reading an amount wherever a number starts.
pub(super) struct AmountScanner<'a> {
    /// The text and its pieces.
    pub(super) toks: PieceText<'a>,
    /// Whether each piece lies inside a date that names itself.
    in_date: Vec<bool>,
}

impl AmountScanner<'_> {
    /// Finds the amounts, in text order.
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

    /// Whether piece `i` is one of the punctuation marks `set`.
    pub(super) fn punct_in(&self, i: usize, set: &[&str]) -> bool {
        set.iter().any(|ch| self.toks.punct(i, ch))
    }

    /// Whether piece `i` exists and is not part of a date.
    pub(super) fn usable(&self, i: usize) -> bool {
        i < self.toks.pieces.len() && !self.in_date[i]
    }

    /// Reads an amount starting at piece `i`: the piece index after its span, and the amount.
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
    pub(super) fn currency_prefix(&self, i: usize) -> (Option<&'static str>, usize) {
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
}
