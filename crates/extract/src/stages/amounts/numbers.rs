//! Reading numbers and ranges.
//!
//! A number is a digit piece ("2,000", "1.13") with an optional multiplier glued or written
//! after it ("1.13bn", "5 million"), or a run of number words ("three hundred and twenty",
//! "two dozen", "a million"). It is kept as an integer numerator over a power of ten, with the
//! multiplier apart, so that scaling decimals stays exact (113 × 1e9 / 100 is exactly
//! 1130000000) and a range can lend its high end's multiplier to a bare low end ("3-5
//! million"). A range is "5-10", "5 to 10" or "between 3 and 5"; a dash between a number and a
//! smaller one is a score ("3-1"), not a range.

use super::lexicon::{is_unit_suffix, multiplier};
use super::scanner::AmountScanner;
use crate::text::numbers::{number_word, number_words_at};
use crate::text::pieces::PieceKind;

/// A number read from the text, kept as `numerator / 10^decimals × scale` so that scaling
/// decimals stays exact, and the multiplier apart so a range can lend its high end's multiplier
/// to a bare low end ("3-5 million").
#[derive(Debug, Clone, Copy)]
pub(super) struct Number {
    /// The digits as an integer: 113 for "1.13".
    numerator: f64,
    /// The digits after the decimal point: 2 for "1.13".
    decimals: i32,
    /// The multiplier: 1e9 for "bn".
    pub(super) scale: Option<f64>,
    /// Piece index just past the number.
    pub(super) end: usize,
}

impl Number {
    /// The value with `scale` as multiplier: the integer numerator is scaled before dividing,
    /// so 113 × 1e9 / 100 gives exactly 1130000000.
    pub(super) fn scaled_by(self, scale: Option<f64>) -> f64 {
        self.numerator * scale.unwrap_or(1.0) / 10f64.powi(self.decimals)
    }

    /// The value with its own multiplier.
    pub(super) fn value(self) -> f64 {
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

/// What follows a low number.
pub(super) enum RangeEnd {
    /// A valid high end.
    High(Number),
    /// Nothing that makes a range.
    None,
    /// A dash and a number that cannot be a high end ("3-1", a score).
    Invalid,
}

impl AmountScanner<'_> {
    /// A number at `i`: digits with an optional multiplier, or number words.
    pub(super) fn number(&self, i: usize) -> Option<Number> {
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
    pub(super) fn range_end(&self, low: Number, between: bool) -> RangeEnd {
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
    pub(super) fn plus_suffix(&self, end: usize) -> usize {
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
}
