//! Reading what a number counts.
//!
//! After the number come, in order of preference: a percent sign or word ("%", "percent", "per
//! cent", "percentage points"); a currency word ("5 million dollars"); a unit glued to the digits
//! ("5km"); else the counted noun phrase: up to three words, hyphenated compounds whole
//! ("45-year-old man"), stopping at a function word, at punctuation, at a verb-like word
//! ("-ed", "-ing", "-ly") after the first word, and after the first plural noun ("3 armed men
//! fled" counts "armed men"). A phrase that ends in a currency word makes the amount money
//! ("745bn Indian rupees" is INR). Percentages and currency words belong to the amount's span;
//! the noun phrase does not.

use super::lexicon::{currency_word_code, is_function_word, is_unit_suffix};
use super::scanner::AmountScanner;
use crate::text::numbers::is_plural_noun;
use crate::text::pieces::{Lower, PieceKind};

impl AmountScanner<'_> {
    /// The unit after a number ending at `end`: percent, a currency word, a glued unit suffix
    /// or the counted noun phrase. Returns the unit and the piece index just past the span
    /// (which includes "percent" or the currency word, but not a noun phrase).
    pub(super) fn unit_after(&self, end: usize, number_at: usize) -> Option<(String, usize)> {
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
