//! Inheritance between quotes: the speaker a quote with no attribution of its own gets from the
//! quotes around it, as news conventions say.
//!
//! * The parts of a multi-paragraph quote share their speaker, both ways.
//! * A quote glued to the next, attributed quote (`“…”“…,” he said`) takes its speaker.
//! * A quote that opens a sentence continues the speaker of the quote just before it (same or
//!   previous paragraph), or of the speech verb of the sentence before it (`Smith said the
//!   talks failed. “We tried.”`).
//! * A quote ending a sentence whose subject is the entity that spoke last is that entity's.
//!
//! Anything else — a short phrase in marks with no speech act, "a “shouting match”" — is a
//! scare quote and keeps no speaker.

use super::attribution::Attribution;
use super::context::Context;
use super::spans::Marked;
use crate::pipeline::doc::{Speaker, SpeakerVia};
use crate::text::sentences::Sentence;
use crate::text::tokens::TokenKind;

/// Gives unattributed quotes the speaker news conventions imply (see the module docs).
pub(super) fn inherit(ctx: &Context, marked: &[Marked], found: &mut [Attribution]) {
    // Parts of one multi-paragraph quote share a speaker, both ways.
    for i in 1..marked.len() {
        if marked[i].continues_previous && found[i].speaker.is_none() {
            found[i] = continued(&found[i - 1]);
        }
    }
    for i in (1..marked.len()).rev() {
        if marked[i].continues_previous && found[i - 1].speaker.is_none() {
            found[i - 1] = continued(&found[i]);
        }
    }
    // A quote glued to the next one takes its attribution: `“…”“…,” he said`.
    for i in (0..marked.len().saturating_sub(1)).rev() {
        if found[i].speaker.is_none() && glued(ctx, &marked[i], &marked[i + 1]) {
            found[i] = found[i + 1].clone();
        }
    }
    let mut last_speaker: Option<(usize, Speaker)> = None;
    for i in 0..marked.len() {
        if found[i].speaker.is_none() {
            found[i].speaker =
                continued_speaker(ctx, &marked[i], i, marked, &last_speaker).map(|s| Speaker {
                    via: SpeakerVia::Continuation,
                    ..s
                });
        }
        if let Some(s) = &found[i].speaker {
            last_speaker = Some((i, s.clone()));
        }
    }
}

/// The attribution of a quote that goes on with the words of the quote attributed by `a`.
fn continued(a: &Attribution) -> Attribution {
    let mut a = a.clone();
    if let Some(s) = &mut a.speaker {
        s.via = SpeakerVia::Continuation;
    }
    a
}

/// Whether only marks and punctuation separate quote `a` from the next quote `b` in the same
/// paragraph.
fn glued(ctx: &Context, a: &Marked, b: &Marked) -> bool {
    let Some(close) = a.close else { return false };
    a.paragraph == b.paragraph
        && (close..=b.open).all(|k| {
            ctx.tokens
                .get(k)
                .is_some_and(|t| matches!(t.kind, TokenKind::Quote | TokenKind::Punct))
        })
}

/// The speaker an unattributed quote continues, if any: the previous quote's when this one
/// opens its sentence (same paragraph, or the first thing of the next paragraph), or the
/// previous speaker when this quote ends a sentence whose subject is that speaker.
fn continued_speaker(
    ctx: &Context,
    q: &Marked,
    index: usize,
    marked: &[Marked],
    last: &Option<(usize, Speaker)>,
) -> Option<Speaker> {
    let sentence = ctx.sentence_of(q.open)?;
    let paragraph_start = ctx
        .paragraphs
        .get(q.paragraph)
        .is_some_and(|p| ctx.tokens.get(q.open).is_some_and(|t| t.start == p.start));
    let last = last
        .as_ref()
        .filter(|(i, _)| q.paragraph <= marked[*i].paragraph + 2);
    let adjacent = last.is_some_and(|(i, _)| {
        let prev = &marked[*i];
        *i + 1 == index
            && (q.paragraph == prev.paragraph
                || (q.paragraph == prev.paragraph + 1 && paragraph_start))
    });
    if sentence.tokens.start == q.open && nothing_follows(ctx, q, sentence) {
        let sentence_index =
            |token: usize| ctx.sentences.partition_point(|s| s.tokens.end <= token);
        let here = sentence_index(q.open);
        if let Some((i, prev)) = last {
            let prev_end = marked[*i].close.unwrap_or(marked[*i].open);
            if adjacent && sentence_index(prev_end) + 1 >= here {
                return Some(prev.clone());
            }
        }
        if let Some(speaker) = ctx.previous_sentence_speaker(q.open, paragraph_start) {
            return Some(speaker);
        }
        if adjacent {
            return last.map(|(_, prev)| prev.clone());
        }
    }
    let entity = last?.1.entity?;
    if !ends_sentence(ctx, q, sentence) {
        return None;
    }
    let subject = ctx.clause_subject(sentence.tokens.start, q.open)?;
    (subject.entity == Some(entity)).then_some(subject)
}

/// Whether only punctuation follows the quote in its sentence, so that it has no attribution
/// the stage failed to read.
fn nothing_follows(ctx: &Context, q: &Marked, sentence: &Sentence) -> bool {
    q.close.is_none_or(|close| {
        (close + 1..sentence.tokens.end).all(|k| {
            ctx.tokens
                .get(k)
                .is_some_and(|t| matches!(t.kind, TokenKind::Punct | TokenKind::Quote))
        })
    })
}

/// Whether the quote ends its sentence: `committed to “the peaceful resolution.”`.
fn ends_sentence(ctx: &Context, q: &Marked, sentence: &Sentence) -> bool {
    let Some(close) = q.close else { return true };
    let inner_final = q.span.text(ctx.text).ends_with(['.', '!', '?', '…']);
    inner_final
        || close + 1 >= sentence.tokens.end
        || (close + 2 >= sentence.tokens.end && ctx.tokens[close + 1].kind == TokenKind::Punct)
}
