//! Pass 1: the spans of the quotes, found by pairing the quotation marks.
//!
//! Quotation marks are paired within a paragraph only, so one stray mark can never swallow the
//! rest of the article. Each mark is classified by its glyph (“ opens, ” closes, " either)
//! *and* by what touches it: a mark with a space before and a word after opens, one with a
//! word before and a space after closes, whatever its glyph (writers and CMSs mix them up). A
//! mark glued between sentence-final punctuation and a capital (`I’m ready…”I can trade it…”`)
//! closes the open quote and opens the next one.
//!
//! A quote still open at the end of its paragraph continues into the next paragraph when that
//! paragraph re-opens with a mark (the convention for quotes over several paragraphs); each
//! paragraph's part is its own [`Quote`](crate::pipeline::doc::Quote) and they share one
//! speaker. Otherwise a quote left open runs to the paragraph's end only when it opens the
//! paragraph or a colon or comma introduces it (`He said: “…`); any other stray opener is
//! dropped.
//!
//! Single marks (‘ ’ ') quote only where a matching closer follows in the paragraph before any
//! double mark, so apostrophes ("it’s", "the countries’ leaders", "’90s") never open anything;
//! single marks inside a double quote are nested quotes and stay part of it.

use crate::pipeline::Span;
use crate::text::tokens::{Token, TokenKind};

/// The most tokens a single-quoted phrase may have (they are short: headlines, nested quotes);
/// the bound also keeps the search for a closer linear.
const MAX_SINGLE_QUOTE: usize = 40;

/// A quotation found by pairing marks, before attribution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Marked {
    /// The text between the marks, trimmed.
    pub(super) span: Span,
    /// Token index of the opening mark.
    pub(super) open: usize,
    /// Token index of the closing mark; `None` when the quote runs to its paragraph's end.
    pub(super) close: Option<usize>,
    /// Index of the paragraph.
    pub(super) paragraph: usize,
    /// Whether this part continues a quote from the previous paragraph.
    pub(super) continues_previous: bool,
    /// Whether the quote goes on in the next paragraph.
    pub(super) continues_next: bool,
}

/// Which pair a mark belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Double,
    Single,
}

/// Which way a glyph points by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lean {
    Open,
    Close,
    Either,
}

/// A quotation mark in context.
#[derive(Debug, Clone, Copy)]
struct Mark {
    family: Family,
    lean: Lean,
    /// Nothing but space (or an opening bracket, dash or mark) before it.
    space_before: bool,
    /// Nothing but space (or punctuation, a closing bracket, dash or mark) after it.
    space_after: bool,
    /// The character before, when there is one.
    before: Option<char>,
    /// The character after, when there is one.
    after: Option<char>,
}

impl Mark {
    /// The mark at `token`, when the token is a quotation mark.
    fn of(token: &Token, text: &str) -> Option<Mark> {
        if token.kind != TokenKind::Quote {
            return None;
        }
        let (family, lean) = match token.text(text) {
            "“" | "„" | "«" | "``" => (Family::Double, Lean::Open),
            "”" | "»" | "''" => (Family::Double, Lean::Close),
            "\"" => (Family::Double, Lean::Either),
            "‘" => (Family::Single, Lean::Open),
            "’" => (Family::Single, Lean::Close),
            "'" => (Family::Single, Lean::Either),
            _ => return None,
        };
        let before = text.get(..token.start).and_then(|s| s.chars().next_back());
        let after = text.get(token.end..).and_then(|s| s.chars().next());
        Some(Mark {
            family,
            lean,
            space_before: before.is_none_or(|c| {
                c.is_whitespace() || matches!(c, '(' | '[' | '{' | '—' | '–') || is_mark_char(c)
            }),
            space_after: after.is_none_or(|c| {
                c.is_whitespace()
                    || matches!(
                        c,
                        '.' | ',' | ';' | ':' | '!' | '?' | '…' | ')' | ']' | '}' | '—' | '–'
                    )
                    || is_mark_char(c)
            }),
            before,
            after,
        })
    }

    /// Space on the left, a word on the right.
    fn opens(&self) -> bool {
        self.space_before && !self.space_after
    }

    /// A word on the left, space on the right.
    fn closes(&self) -> bool {
        !self.space_before && self.space_after
    }
}

/// Characters that are quotation marks.
fn is_mark_char(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '“' | '”' | '‘' | '’' | '„' | '«' | '»' | '`'
    )
}

/// What a double mark does to the quote being built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Open,
    Close,
    /// Closes the open quote and opens the next (`ready…”I can`).
    CloseAndOpen,
    Ignore,
}

/// Decides what a double mark does, given whether a quote is open.
fn double_action(mark: &Mark, open: bool) -> Action {
    if mark.opens() {
        return Action::Open;
    }
    if mark.closes() {
        return Action::Close;
    }
    if !mark.space_before && !mark.space_after {
        // Glued on both sides: `said,"We`, `ready…”I`, `word"word`.
        let after_terminal = mark
            .before
            .is_some_and(|c| matches!(c, '.' | '!' | '?' | '…'));
        let capital_next = mark
            .after
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
        return if open && after_terminal && capital_next {
            Action::CloseAndOpen
        } else if open {
            Action::Close
        } else if mark.before.is_some_and(|c| !c.is_alphanumeric()) {
            Action::Open
        } else {
            Action::Ignore
        };
    }
    // Space on both sides: only the glyph can tell.
    match (mark.lean, open) {
        (Lean::Open, _) => Action::Open,
        (Lean::Close, _) | (Lean::Either, true) => Action::Close,
        (Lean::Either, false) => Action::Open,
    }
}

/// Whether a single mark that looks like an opener is really an elision: `’90s`, `’em`.
fn is_elision(token_after: Option<&Token>, text: &str) -> bool {
    token_after.is_some_and(|t| {
        let word = t.text(text);
        t.kind == TokenKind::Number
            || word.starts_with(|c: char| c.is_ascii_digit())
            || matches!(
                word,
                "em" | "til" | "tis" | "twas" | "n" | "cause" | "bout" | "round"
            )
    })
}

/// Pairs the quotation marks of every paragraph (see the module docs).
pub(super) fn pair_marks(text: &str, tokens: &[Token], paragraphs: &[Span]) -> Vec<Marked> {
    let mut out = Vec::new();
    let mut first = 0;
    let mut continued = false;
    for (p, para) in paragraphs.iter().enumerate() {
        first += tokens[first..].partition_point(|t| t.start < para.start);
        let last = first + tokens[first..].partition_point(|t| t.end <= para.end);
        let next_para_opens = paragraphs.get(p + 1).is_some_and(|next| {
            let i = last + tokens[last..].partition_point(|t| t.start < next.start);
            tokens.get(i).is_some_and(|t| {
                Mark::of(t, text).is_some_and(|m| {
                    m.family == Family::Double && double_action(&m, false) == Action::Open
                })
            })
        });
        let builder = ParagraphPairing {
            text,
            tokens,
            paragraph: p,
            first,
            last,
            end: para.end,
            continues_previous: continued,
            continues_next: next_para_opens,
        };
        continued = builder.run(&mut out);
        first = last;
    }
    out
}

/// The pairing of one paragraph's marks.
struct ParagraphPairing<'a> {
    text: &'a str,
    tokens: &'a [Token],
    paragraph: usize,
    /// The paragraph's tokens are `first..last`.
    first: usize,
    last: usize,
    /// The paragraph's end byte.
    end: usize,
    /// Whether a quote from the previous paragraph goes on here.
    continues_previous: bool,
    /// Whether the next paragraph starts by re-opening a quote.
    continues_next: bool,
}

impl ParagraphPairing<'_> {
    /// Appends the paragraph's quotes to `out`; returns whether the last one goes on in the
    /// next paragraph.
    fn run(&self, out: &mut Vec<Marked>) -> bool {
        let mut open: Option<usize> = None;
        let mut i = self.first;
        while i < self.last {
            let Some(mark) = Mark::of(&self.tokens[i], self.text) else {
                i += 1;
                continue;
            };
            if mark.family == Family::Single {
                if open.is_none() {
                    if let Some(close) = self.single_closer(i, &mark) {
                        self.emit(out, i, Some(close), self.tokens[close].start);
                        i = close;
                    }
                }
                i += 1;
                continue;
            }
            match double_action(&mark, open.is_some()) {
                Action::Open => open = Some(i),
                Action::Close => {
                    if let Some(o) = open.take() {
                        self.emit(out, o, Some(i), self.tokens[i].start);
                    }
                }
                Action::CloseAndOpen => {
                    if let Some(o) = open.take() {
                        self.emit(out, o, Some(i), self.tokens[i].start);
                    }
                    open = Some(i);
                }
                Action::Ignore => {}
            }
            i += 1;
        }
        let Some(o) = open else { return false };
        let introduced = o == self.first
            || o.checked_sub(1)
                .and_then(|b| self.tokens.get(b))
                .is_some_and(|t| matches!(t.text(self.text), ":" | ","));
        if self.continues_next || introduced {
            self.emit(out, o, None, self.end);
            return self.continues_next;
        }
        false
    }

    /// The closer of the single quote opened at `open`, when the mark opens one and a closer
    /// follows before any double mark.
    fn single_closer(&self, open: usize, mark: &Mark) -> Option<usize> {
        let opens = mark.space_before
            && mark.lean != Lean::Close
            && mark.after.is_some_and(char::is_alphanumeric)
            && !is_elision(self.tokens.get(open + 1), self.text);
        if !opens {
            return None;
        }
        for j in open + 1..self.last.min(open + MAX_SINGLE_QUOTE) {
            let Some(m) = Mark::of(&self.tokens[j], self.text) else {
                continue;
            };
            if m.family == Family::Double {
                return None;
            }
            if m.closes() && m.lean != Lean::Open {
                return Some(j);
            }
        }
        None
    }

    /// Records the quote between the mark at `open` and byte `end`.
    fn emit(&self, out: &mut Vec<Marked>, open: usize, close: Option<usize>, end: usize) {
        let start = self.tokens[open].end;
        let Some(inner) = self.text.get(start..end) else {
            return;
        };
        if !inner.chars().any(char::is_alphabetic) {
            return;
        }
        let lead = inner.len() - inner.trim_start().len();
        let span = Span::new(start + lead, start + inner.trim_end().len());
        out.push(Marked {
            span,
            open,
            close,
            paragraph: self.paragraph,
            continues_previous: self.continues_previous && open == self.first,
            continues_next: close.is_none() && self.continues_next,
        });
    }
}
