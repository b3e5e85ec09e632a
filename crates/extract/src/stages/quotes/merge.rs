//! Putting the quotes together: the quotes in marks and the reported speech, where a reported
//! content holding a quote in marks becomes one `mixed` quote.
//!
//! A reported content is checked against the quotes in marks:
//!
//! * made of nothing but one quote (and "that", punctuation): it *is* that direct quote, whose
//!   attribution already says who spoke — the reported speech is dropped;
//! * starting inside a quote: it is the writer's words around a direct quote read the wrong
//!   way round (`“…,” Smith said`) — dropped;
//! * holding quotes and words of its own: one `mixed` quote, which absorbs the quotes (a quote
//!   running past the content's end stretches the content to its closing mark) — except a
//!   quote with an attribution of its own after it (`Clinton suggested the plan was unserious
//!   — “…,” she said`), where the content ends before the quote (and is dropped when the
//!   quote goes on with its clause: what is left is a fragment), and one attributed inside
//!   the content (`X said he told Y that he had to “…”`), which the content holds to the
//!   clause's end without absorbing it: the nested report has it;
//! * holding none: an `indirect` quote.
//!
//! The same content found twice (two cues reading one clause) is kept once. The quotes come
//! out in text order.

use std::ops::Range;

use super::attribution::Attribution;
use super::confidence;
use super::context::Context;
use super::reported::Reported;
use super::spans::Marked;
use crate::pipeline::doc::{Quote, QuoteKind, Span};
use crate::text::tokens::TokenKind;

/// All quotes of the document: the quotes in marks with their attributions `found`, and the
/// reported speech, merged as the module docs say.
pub(super) fn merge(
    ctx: &Context,
    marked: &[Marked],
    found: Vec<Attribution>,
    reported: Vec<Reported>,
) -> Vec<Quote> {
    let mut absorbed = vec![false; marked.len()];
    let mut taken: Vec<Range<usize>> = Vec::new();
    let mut out = Vec::new();
    for r in reported {
        let Some((content, inside, nested)) = check(ctx, marked, &found, r.content) else {
            continue;
        };
        if taken.contains(&content) {
            continue;
        }
        for &i in &inside {
            absorbed[i] = true;
        }
        let (Some(first), Some(last)) = (
            ctx.tokens.get(content.start),
            ctx.tokens.get(content.end - 1),
        ) else {
            continue;
        };
        out.push(Quote {
            span: Span::new(first.start, last.end),
            kind: if inside.is_empty() && !nested {
                QuoteKind::Indirect
            } else {
                QuoteKind::Mixed
            },
            verb: Some(r.verb),
            speaker: r.speaker,
            confidence: round(r.confidence),
        });
        taken.push(content);
    }
    for ((q, a), absorbed) in marked.iter().zip(found).zip(absorbed) {
        if !absorbed {
            out.push(Quote {
                span: q.span,
                kind: QuoteKind::Direct,
                verb: a.verb,
                confidence: round(confidence::direct(a.speaker.as_ref())),
                speaker: a.speaker,
            });
        }
    }
    out.sort_by_key(|q| (q.span.start, q.span.end));
    out
}

/// The content (possibly stretched to a closing mark), the quotes in marks it absorbs, and
/// whether it holds a quote with an attribution of its own inside the content (which it does
/// not absorb); `None` when the reported speech is a direct quote or part of one's
/// attribution.
fn check(
    ctx: &Context,
    marked: &[Marked],
    found: &[Attribution],
    mut content: Range<usize>,
) -> Option<(Range<usize>, Vec<usize>, bool)> {
    let first = marked.partition_point(|q| q.close.is_some_and(|c| c < content.start));
    let mut inside = Vec::new();
    let mut nested = false;
    for (i, q) in marked.iter().enumerate().skip(first) {
        if q.open >= content.end {
            break;
        }
        if q.open + 1 < content.start {
            return None;
        }
        let close = q.close?;
        let cue = found[i].cue;
        if cue.is_some_and(|c| c > close) {
            // The content ends before a quote attributed after it — unless the quote goes on
            // with the content's clause (`suggests there are “significant” numbers`, `In 2005
            // it “will rise”, predicted X`): cut there, the content is a fragment.
            let before = q.open.checked_sub(1).map_or("", |b| ctx.word(b));
            if !matches!(before, "," | ":" | ";" | "—" | "–" | "-") {
                return None;
            }
            content = ctx.trimmed(content.start..q.open.min(content.end))?;
            break;
        }
        content.end = content.end.max(close + 1);
        if cue.is_some_and(|c| c >= content.start && c < q.open) {
            // `X said he told Y that he had to “…”`: the quote's own attribution is part of
            // the content, which runs on to the clause's end; the nested report keeps it.
            nested = true;
        } else {
            inside.push(i);
        }
    }
    let own_words = content.clone().any(|k| {
        !ctx.in_quote(k)
            && ctx
                .tokens
                .get(k)
                .is_some_and(|t| matches!(t.kind, TokenKind::Word | TokenKind::Number))
            && !ctx.word(k).eq_ignore_ascii_case("that")
    });
    own_words.then_some((content, inside, nested))
}

/// A confidence to two decimals: the factors are no finer than that.
fn round(confidence: f64) -> f64 {
    (confidence * 100.0).round() / 100.0
}
