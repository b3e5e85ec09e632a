//! Date expressions: finds them in news text and normalises them to TIMEX3 values.
//!
//! News text names dates in three ways, and this module handles all three with one hand-written
//! scanner (no regular expressions, one pass, a few hundred nanoseconds per word):
//!
//! * **absolute** dates carry their own value: "1949", "the 1990s" (`199`), "April 2023"
//!   (`2023-04`), "March 2, 2025" / "2 March 2025" / "2025-03-02" (`2025-03-02`), "the third
//!   quarter of 2024" (`2024-Q3`), "the 20th century" (`19`);
//! * **underspecified** dates lack the year: "Sept. 11", "in March", "the third quarter". The year
//!   is taken from the anchor (the publication date) unless that puts the date more than eight
//!   months away, in which case the neighbouring year is nearer and wins. Without an anchor the
//!   year is written `XXXX`, as TIMEX3 does;
//! * **relative** dates only mean something against the anchor: "yesterday", "on Friday", "last
//!   week" (`2025-W08`), "two years ago", "earlier this month", "last summer" (`2024-SU`), and the
//!   TimeML reference values "now" (`PRESENT_REF`), "recently" (`PAST_REF`), "the future"
//!   (`FUTURE_REF`). Without an anchor they are skipped.
//!
//! The scanner first splits the text into word, number and punctuation tokens (byte offsets),
//! classifies each word once against a small closed lexicon (month and weekday names, time units,
//! number words, temporal keywords), and then tries the date patterns at every token, keeping the
//! longest and moving past it. Words that narrow a date without changing its TIMEX3 value
//! ("early", "late", "mid-", "earlier", "the end of") are kept in the span.
//!
//! Conventions follow the TempEval-3 annotation of TimeBank and AQUAINT:
//! * a bare weekday is the anchor's own day when the names agree, else the most recent such day
//!   before the anchor, or the next one when a future cue ("will", "plans", "scheduled", ...)
//!   stands earlier in the sentence;
//! * "a year earlier/ago" and "the year-ago quarter" in financial prose refer to the quarter the
//!   text was just discussing, so the scanner remembers the last quarter it saw;
//! * false positives are avoided by construction: month names must be capitalised, a month alone
//!   needs a day, a year or an introducing word ("in", "since", "last", ...); four-digit numbers
//!   are years only in 1900–2099 (or after such a word), never after "Article"/"No."/a currency
//!   sign, never inside "2,000", and not when a counted plural noun follows ("1500 troops").
//!
//! The tokenizer and the lexical helpers are shared with [`crate::stages::amounts`], which needs
//! the same tokens and must skip numbers that are dates.

use chrono::{Datelike, NaiveDate, TimeDelta, Weekday};

use crate::text::calendar::{self, MonthForm};
use crate::text::numbers::{currency_sign_code, is_label_word, is_plural_noun, number_word};

pub use crate::pipeline::doc::DateMention;

/// Finds the date expressions of `text`, resolving relative ones against `anchor`.
///
/// `anchor` is the publication date. Without it, expressions that only make sense relative to
/// a date ("yesterday", "on Friday", "last year", "now") are skipped, and dates lacking a year
/// get the year `XXXX`. Mentions come in text order and never overlap.
pub fn find_dates(text: &str, anchor: Option<NaiveDate>) -> Vec<DateMention> {
    let tokens = tokenize(text);
    find_dates_in_tokens(text, &tokens, anchor)
}

/// [`find_dates`] over tokens already produced by [`tokenize`] for the same `text`.
pub(crate) fn find_dates_in_tokens(
    text: &str,
    tokens: &[Token],
    anchor: Option<NaiveDate>,
) -> Vec<DateMention> {
    Scanner::new(text, tokens, anchor).run()
}

// ---------------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------------

/// What kind of text a [`Token`] covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// A run of letters (any script).
    Word,
    /// A run of ASCII digits, including `,` or `.` between digits ("2,000", "1.13").
    Number,
    /// One character that is neither a letter, a digit nor white space.
    Punct,
}

/// A piece of text between byte offsets `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    /// Byte offset of the first byte.
    pub(crate) start: usize,
    /// Byte offset just past the token.
    pub(crate) end: usize,
    /// Word, number or punctuation.
    pub(crate) kind: TokenKind,
}

/// A text and its tokens, with the accessors the date and amount scanners share. Indices past
/// the end read as nothing (no kind, empty text), so patterns can look ahead without checks.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TokenText<'a> {
    /// The text the tokens index into.
    pub(crate) text: &'a str,
    /// The tokens of `text`, from [`tokenize`].
    pub(crate) tokens: &'a [Token],
}

impl<'a> TokenText<'a> {
    /// The text of token `i`.
    pub(crate) fn text_of(&self, i: usize) -> &'a str {
        self.tokens
            .get(i)
            .map_or("", |t| &self.text[t.start..t.end])
    }

    /// The kind of token `i`.
    pub(crate) fn kind(&self, i: usize) -> Option<TokenKind> {
        self.tokens.get(i).map(|t| t.kind)
    }

    /// Whether token `i` is punctuation `ch`.
    pub(crate) fn punct(&self, i: usize, ch: &str) -> bool {
        self.kind(i) == Some(TokenKind::Punct) && self.text_of(i) == ch
    }

    /// Whether token `i` ends exactly where token `i + 1` starts.
    pub(crate) fn touches_next(&self, i: usize) -> bool {
        match (self.tokens.get(i), self.tokens.get(i + 1)) {
            (Some(a), Some(b)) => a.end == b.start,
            _ => false,
        }
    }

    /// Whether token `i` is the word `word`, ignoring ASCII case.
    pub(crate) fn word_is(&self, i: usize, word: &str) -> bool {
        self.kind(i) == Some(TokenKind::Word) && self.text_of(i).eq_ignore_ascii_case(word)
    }

    /// Token `i` lower-cased, when it is a word that can be a keyword.
    pub(crate) fn lower(&self, i: usize) -> Option<Lower> {
        if self.kind(i) == Some(TokenKind::Word) {
            Lower::new(self.text_of(i))
        } else {
            None
        }
    }
}

/// Splits `text` into words, numbers and single punctuation characters, dropping white space.
///
/// Apostrophes and hyphens are punctuation, so "Friday's" is `Friday`, `'`, `s`, and "70-plus"
/// is `70`, `-`, `plus`; whether two tokens touch is read from their offsets.
pub(crate) fn tokenize(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::with_capacity(bytes.len() / 5);
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let byte = bytes[i];
        let kind = if byte.is_ascii_digit() {
            i = number_end(bytes, i);
            TokenKind::Number
        } else if byte.is_ascii_alphabetic() {
            i = word_end(text, i);
            TokenKind::Word
        } else if byte.is_ascii() {
            i += 1;
            if byte.is_ascii_whitespace() {
                continue;
            }
            TokenKind::Punct
        } else {
            let Some(ch) = text[i..].chars().next() else {
                break;
            };
            if ch.is_alphabetic() {
                i = word_end(text, i);
                TokenKind::Word
            } else {
                i += ch.len_utf8();
                if ch.is_whitespace() {
                    continue;
                }
                TokenKind::Punct
            }
        };
        tokens.push(Token {
            start,
            end: i,
            kind,
        });
    }
    tokens
}

fn number_end(bytes: &[u8], mut i: usize) -> usize {
    loop {
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let separator_then_digit =
            i + 1 < bytes.len() && matches!(bytes[i], b',' | b'.') && bytes[i + 1].is_ascii_digit();
        if !separator_then_digit {
            return i;
        }
        i += 1;
    }
}

fn word_end(text: &str, mut i: usize) -> usize {
    let bytes = text.as_bytes();
    while i < bytes.len() {
        let byte = bytes[i];
        if byte.is_ascii_alphabetic() {
            i += 1;
        } else if byte.is_ascii() {
            break;
        } else {
            match text[i..].chars().next() {
                Some(ch) if ch.is_alphabetic() => i += ch.len_utf8(),
                _ => break,
            }
        }
    }
    i
}

/// A short ASCII word lower-cased on the stack: every keyword of the lexicons is short and
/// ASCII, so longer or non-ASCII words need no lower-casing at all.
pub(crate) struct Lower {
    buf: [u8; 12],
    len: usize,
}

impl Lower {
    /// Lower-cases `word`, or `None` when it cannot be a keyword (too long or not ASCII).
    pub(crate) fn new(word: &str) -> Option<Lower> {
        if word.len() > 12 || !word.is_ascii() {
            return None;
        }
        let mut buf = [0; 12];
        for (low, byte) in buf.iter_mut().zip(word.bytes()) {
            *low = byte.to_ascii_lowercase();
        }
        Some(Lower {
            buf,
            len: word.len(),
        })
    }

    /// The lower-cased word.
    pub(crate) fn as_str(&self) -> &str {
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }
}

// ---------------------------------------------------------------------------------------------
// Lexicon
// ---------------------------------------------------------------------------------------------

/// Time units that relative expressions count in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Day,
    Week,
    Weekend,
    Month,
    Quarter,
    Year,
    Decade,
    Century,
}

/// Seasons in TIMEX3 order of the year: spring, summer, fall, winter (which starts in December).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Season {
    Spring,
    Summer,
    Fall,
    Winter,
}

impl Season {
    fn index(self) -> i64 {
        match self {
            Season::Spring => 0,
            Season::Summer => 1,
            Season::Fall => 2,
            Season::Winter => 3,
        }
    }

    fn code(self) -> &'static str {
        match self {
            Season::Spring => "SP",
            Season::Summer => "SU",
            Season::Fall => "FA",
            Season::Winter => "WI",
        }
    }

    /// The season a date falls in, as `year * 4 + index` (January and February belong to the
    /// winter that began the December before).
    fn ordinal_of(date: NaiveDate) -> i64 {
        let year = i64::from(date.year());
        match date.month() {
            3..=5 => year * 4,
            6..=8 => year * 4 + 1,
            9..=11 => year * 4 + 2,
            12 => year * 4 + 3,
            _ => (year - 1) * 4 + 3,
        }
    }
}

/// Temporal keywords and the few function words the patterns look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kw {
    Today,
    Yesterday,
    Tomorrow,
    Now,
    Currently,
    Current,
    Recently,
    Recent,
    Future,
    Past,
    Last,
    This,
    Next,
    Coming,
    Ago,
    Earlier,
    Later,
    Early,
    Late,
    Mid,
    End,
    Beginning,
    Middle,
    The,
    Of,
    A,
    Fiscal,
    Half,
    Latest,
    Period,
    /// "few", "several": a vague count.
    Vague,
    /// "about", "almost", "nearly": approximations kept in the span of "... ago".
    Approx,
    /// Prepositions and words that introduce a date: "in", "since", "until", "by", ...
    Introducer,
    /// "and", "or", "to": join a date to the one before ("January and March").
    Connector,
    /// Words announcing the future: "will", "plans", "scheduled", ...
    FutureCue,
}

/// The class of a word token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lex {
    Month { month: u32, abbrev: bool },
    Weekday(Weekday),
    Unit { unit: Unit, plural: bool },
    Cardinal(u32),
    Ordinal(u32),
    Season(Season),
    Kw(Kw),
    Other,
}

fn classify(word: &str) -> Lex {
    let Some(lower) = Lower::new(word) else {
        return Lex::Other;
    };
    let capital = word.as_bytes().first().is_some_and(u8::is_ascii_uppercase);
    let lower = lower.as_str();
    if capital {
        if let Some(lex) = calendar_name(lower) {
            return lex;
        }
    }
    if let Some(n) = number_word(lower) {
        return Lex::Cardinal(n);
    }
    let unit = |unit, plural| Lex::Unit { unit, plural };
    match lower {
        "day" => unit(Unit::Day, false),
        "days" => unit(Unit::Day, true),
        "week" => unit(Unit::Week, false),
        "weeks" => unit(Unit::Week, true),
        "weekend" => unit(Unit::Weekend, false),
        "weekends" => unit(Unit::Weekend, true),
        "month" => unit(Unit::Month, false),
        "months" => unit(Unit::Month, true),
        "quarter" => unit(Unit::Quarter, false),
        "quarters" => unit(Unit::Quarter, true),
        "year" => unit(Unit::Year, false),
        "years" => unit(Unit::Year, true),
        "decade" => unit(Unit::Decade, false),
        "decades" => unit(Unit::Decade, true),
        "century" => unit(Unit::Century, false),
        "centuries" => unit(Unit::Century, true),
        "first" => Lex::Ordinal(1),
        "second" => Lex::Ordinal(2),
        "third" => Lex::Ordinal(3),
        "fourth" => Lex::Ordinal(4),
        "spring" => Lex::Season(Season::Spring),
        "summer" => Lex::Season(Season::Summer),
        "fall" | "autumn" => Lex::Season(Season::Fall),
        "winter" => Lex::Season(Season::Winter),
        _ => keyword(lower).map_or(Lex::Other, Lex::Kw),
    }
}

/// Month and weekday names (from [`crate::text::calendar`]), which only count when capitalised
/// ("may" and "march" are verbs).
fn calendar_name(lower: &str) -> Option<Lex> {
    if let Some((month, form)) = calendar::month(lower) {
        let abbrev = form == MonthForm::Abbreviated;
        return Some(Lex::Month { month, abbrev });
    }
    calendar::weekday(lower).map(Lex::Weekday)
}

fn keyword(lower: &str) -> Option<Kw> {
    Some(match lower {
        "today" => Kw::Today,
        "yesterday" => Kw::Yesterday,
        "tomorrow" => Kw::Tomorrow,
        "now" => Kw::Now,
        "currently" | "nowadays" => Kw::Currently,
        "current" => Kw::Current,
        "recently" | "lately" => Kw::Recently,
        "recent" => Kw::Recent,
        "future" => Kw::Future,
        "past" => Kw::Past,
        "last" | "previous" => Kw::Last,
        "this" => Kw::This,
        "next" => Kw::Next,
        "coming" => Kw::Coming,
        "ago" => Kw::Ago,
        "earlier" => Kw::Earlier,
        "later" => Kw::Later,
        "early" => Kw::Early,
        "late" => Kw::Late,
        "mid" => Kw::Mid,
        "end" => Kw::End,
        "beginning" | "start" => Kw::Beginning,
        "middle" => Kw::Middle,
        "the" => Kw::The,
        "of" => Kw::Of,
        "a" | "an" => Kw::A,
        "fiscal" => Kw::Fiscal,
        "half" => Kw::Half,
        "latest" => Kw::Latest,
        "period" => Kw::Period,
        "few" | "several" => Kw::Vague,
        "about" | "almost" | "nearly" | "some" | "roughly" | "around" => Kw::Approx,
        "in" | "since" | "until" | "till" | "by" | "from" | "through" | "during" | "before"
        | "after" | "between" | "for" | "throughout" => Kw::Introducer,
        "and" | "or" | "to" => Kw::Connector,
        "will" | "shall" | "ll" | "plans" | "plan" | "planned" | "planning" | "scheduled"
        | "expected" | "expects" | "due" | "upcoming" | "intends" | "aims" | "hopes" | "going"
        | "set" | "soon" => Kw::FutureCue,
        _ => return None,
    })
}

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

fn day_value(date: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

fn week_value(date: NaiveDate) -> String {
    let week = date.iso_week();
    format!("{:04}-W{:02}", week.year(), week.week())
}

fn add_days(date: NaiveDate, days: i64) -> Option<NaiveDate> {
    date.checked_add_signed(TimeDelta::try_days(days)?)
}

/// Shifts a `(year, period)` pair by `delta` periods of `per_year` (12 for months, 4 for
/// quarters); periods count from 1.
fn shift_period(year: i32, period: u32, per_year: i64, delta: i64) -> Option<(i32, u32)> {
    let index = i64::from(year) * per_year + i64::from(period) - 1 + delta;
    let year = i32::try_from(index.div_euclid(per_year)).ok()?;
    let period = u32::try_from(index.rem_euclid(per_year) + 1).ok()?;
    (year >= 0).then_some((year, period))
}

fn quarter_of(date: NaiveDate) -> u32 {
    (date.month() - 1) / 3 + 1
}

/// The TIMEX3 value of the `unit` that lies `delta` units from `anchor` ("last week" is the week
/// one week before the anchor's).
fn unit_value(anchor: NaiveDate, unit: Unit, delta: i64) -> Option<String> {
    let year = i64::from(anchor.year());
    let non_negative = |value: i64| (value >= 0).then_some(value);
    Some(match unit {
        Unit::Day => day_value(add_days(anchor, delta)?),
        Unit::Week => week_value(add_days(anchor, delta.checked_mul(7)?)?),
        Unit::Weekend => weekend_value(anchor, delta)?,
        Unit::Month => {
            let (y, m) = shift_period(anchor.year(), anchor.month(), 12, delta)?;
            format!("{y:04}-{m:02}")
        }
        Unit::Quarter => {
            let (y, q) = shift_period(anchor.year(), quarter_of(anchor), 4, delta)?;
            format!("{y:04}-Q{q}")
        }
        Unit::Year => format!("{:04}", non_negative(year.checked_add(delta)?)?),
        Unit::Decade => format!("{:03}", non_negative((year / 10).checked_add(delta)?)?),
        Unit::Century => format!("{:02}", non_negative((year / 100).checked_add(delta)?)?),
    })
}

/// The weekend of the anchor's ISO week moved by `delta` weeks, as `YYYY-Www-WE`.
fn weekend_value(anchor: NaiveDate, delta: i64) -> Option<String> {
    let to_saturday = 5 - i64::from(anchor.weekday().num_days_from_monday());
    let saturday = add_days(anchor, to_saturday.checked_add(delta.checked_mul(7)?)?)?;
    Some(format!("{}-WE", week_value(saturday)))
}

/// Which occurrence of a weekday, month or season a relative expression means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Occurrence {
    /// The latest one on or before the anchor (a bare weekday in a past-tense sentence).
    OnOrBefore,
    /// The first one on or after the anchor (a bare weekday after a future cue).
    OnOrAfter,
    /// The latest one strictly before the anchor's ("last Friday", "last May").
    Previous,
    /// The one of the anchor's own week, month or year ("this Friday", "this May").
    Current,
    /// The first one strictly after the anchor's ("next Friday").
    Following,
}

fn weekday_date(anchor: NaiveDate, weekday: Weekday, occurrence: Occurrence) -> Option<NaiveDate> {
    let anchor_day = i64::from(anchor.weekday().num_days_from_monday());
    let target = i64::from(weekday.num_days_from_monday());
    let back = (anchor_day - target).rem_euclid(7);
    let forward = (target - anchor_day).rem_euclid(7);
    let offset = match occurrence {
        Occurrence::OnOrBefore => -back,
        Occurrence::OnOrAfter => forward,
        Occurrence::Previous => -(if back == 0 { 7 } else { back }),
        Occurrence::Following => {
            if forward == 0 {
                7
            } else {
                forward
            }
        }
        Occurrence::Current => target - anchor_day,
    };
    add_days(anchor, offset)
}

/// The month `month` relative to the anchor's month.
fn month_occurrence(anchor: NaiveDate, month: u32, occurrence: Occurrence) -> String {
    let year = anchor.year();
    let year = match occurrence {
        Occurrence::Previous if month >= anchor.month() => year - 1,
        Occurrence::Following if month <= anchor.month() => year + 1,
        _ => year,
    };
    format!("{year:04}-{month:02}")
}

/// The season relative to the anchor's season ("last summer" is the latest summer that ended
/// before the anchor's season began).
fn season_occurrence(anchor: NaiveDate, season: Season, occurrence: Occurrence) -> String {
    let now = Season::ordinal_of(anchor);
    let this_year = i64::from(anchor.year()) * 4 + season.index();
    let ordinal = match occurrence {
        Occurrence::Previous if this_year >= now => this_year - 4,
        Occurrence::Following if this_year <= now => this_year + 4,
        _ => this_year,
    };
    format!("{:04}-{}", ordinal.div_euclid(4), season.code())
}

/// The year to give a month-and-day without one: the anchor's, unless that is more than eight
/// months away from the anchor and a neighbouring year is nearer (late December in an early
/// January article).
fn year_for_month_day(anchor: NaiveDate, month: u32, day: u32) -> Option<i32> {
    let year = anchor.year();
    let distance = |y: i32| {
        NaiveDate::from_ymd_opt(y, month, day).map(|date| (date - anchor).num_days().abs())
    };
    let own = distance(year).unwrap_or(i64::MAX);
    if own <= 243 {
        return Some(year);
    }
    [year - 1, year + 1]
        .into_iter()
        .filter_map(|y| distance(y).map(|d| (d, y)))
        .min()
        .filter(|&(d, _)| d < own)
        .map(|(_, y)| y)
        .or(NaiveDate::from_ymd_opt(year, month, day).map(|_| year))
}

/// The year of a month named without a year: the anchor's, unless eight or more months away.
fn year_for_month(anchor: NaiveDate, month: u32) -> i32 {
    let diff = i64::from(month) - i64::from(anchor.month());
    match diff {
        d if d >= 8 => anchor.year() - 1,
        d if d <= -8 => anchor.year() + 1,
        _ => anchor.year(),
    }
}

/// The year of a quarter named without a year: the one whose middle is nearest the anchor, so
/// "the fourth quarter" in February is last year's.
fn year_for_quarter(anchor: NaiveDate, quarter: u32) -> i32 {
    let anchor_month = i64::from(anchor.year()) * 12 + i64::from(anchor.month0());
    (anchor.year() - 1..=anchor.year() + 1)
        .min_by_key(|&y| {
            let middle = i64::from(y) * 12 + i64::from(quarter - 1) * 3 + 1;
            (middle - anchor_month).abs()
        })
        .unwrap_or(anchor.year())
}

/// The quarter a financial report published on `anchor` most likely covers: the one that was
/// running two and a half months earlier (reports come out in the weeks after a quarter ends).
fn reported_quarter(anchor: NaiveDate) -> Option<(i32, u32)> {
    let date = add_days(anchor, -75)?;
    Some((date.year(), quarter_of(date)))
}

fn quarter_value((year, quarter): (i32, u32)) -> String {
    format!("{year:04}-Q{quarter}")
}

// ---------------------------------------------------------------------------------------------
// Scanner
// ---------------------------------------------------------------------------------------------

/// A match: the token index just past it and its value.
type Found = Option<(usize, String)>;

/// Walks the tokens once, trying the date patterns at each.
struct Scanner<'a> {
    toks: TokenText<'a>,
    lex: Vec<Lex>,
    anchor: Option<NaiveDate>,
    /// The quarter last named: financial prose says "a year earlier" meaning that quarter's
    /// counterpart a year before.
    reference_quarter: Option<(i32, u32)>,
    /// Token index just past the previous mention, so "January and March" can chain.
    previous_end: usize,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str, tokens: &'a [Token], anchor: Option<NaiveDate>) -> Scanner<'a> {
        let lex = tokens
            .iter()
            .map(|t| match t.kind {
                TokenKind::Word => classify(&text[t.start..t.end]),
                TokenKind::Number | TokenKind::Punct => Lex::Other,
            })
            .collect();
        Scanner {
            toks: TokenText { text, tokens },
            lex,
            anchor,
            reference_quarter: None,
            previous_end: usize::MAX,
        }
    }

    fn run(mut self) -> Vec<DateMention> {
        let mut mentions = Vec::new();
        let mut i = 0;
        while i < self.toks.tokens.len() {
            let found = self.match_at(i).filter(|(end, _)| *end > i);
            match found.and_then(|(end, value)| Some((self.toks.tokens.get(end - 1)?, end, value)))
            {
                Some((last, end, value)) => {
                    mentions.push(DateMention {
                        start: self.toks.tokens[i].start,
                        end: last.end,
                        value,
                    });
                    self.previous_end = end;
                    i = end;
                }
                _ => i += 1,
            }
        }
        mentions
    }

    // --- token access ---------------------------------------------------------------------

    fn lex(&self, i: usize) -> Lex {
        self.lex.get(i).copied().unwrap_or(Lex::Other)
    }

    fn is(&self, i: usize, kw: Kw) -> bool {
        self.lex(i) == Lex::Kw(kw)
    }

    /// The value of a plain digit run of `min..=max` digits at `i` (no separators).
    fn digits(&self, i: usize, min: usize, max: usize) -> Option<u32> {
        if self.toks.kind(i) != Some(TokenKind::Number) {
            return None;
        }
        let text = self.toks.text_of(i);
        if text.len() < min || text.len() > max || !text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        text.parse().ok()
    }

    /// A year written with four digits at `i`, in 1000..=2099.
    fn year_digits(&self, i: usize) -> Option<i32> {
        let year = self.digits(i, 4, 4)?;
        let year = i32::try_from(year).ok()?;
        (1000..=2099).contains(&year).then_some(year)
    }

    /// A day of the month at `i` ("2", "02", "2nd"): its value and the index after it.
    fn day_at(&self, i: usize) -> Option<(u32, usize)> {
        let day = self.digits(i, 1, 2)?;
        if !(1..=31).contains(&day) || self.toks.punct(i + 1, ":") {
            return None;
        }
        let suffix = self.toks.touches_next(i)
            && ["st", "nd", "rd", "th"]
                .iter()
                .any(|s| self.toks.word_is(i + 1, s));
        Some((day, if suffix { i + 2 } else { i + 1 }))
    }

    /// Whether the tokens before `start` introduce a date: "in", "since", "last", ..., or a
    /// connector right after the previous mention ("January and March").
    fn introduced(&self, start: usize) -> bool {
        let Some(before) = start.checked_sub(1) else {
            return false;
        };
        match self.lex(before) {
            Lex::Kw(Kw::Introducer | Kw::Of) => true,
            Lex::Kw(Kw::Connector) => self.previous_end == before,
            _ => self.toks.punct(before, "-") && self.previous_end == before,
        }
    }

    /// Whether a future cue stands earlier in the sentence than token `i`.
    fn future_context(&self, i: usize) -> bool {
        for k in (i.saturating_sub(12)..i).rev() {
            let sentence_end =
                matches!(self.toks.text_of(k), "." | "!" | "?" | ";") && !self.toks.touches_next(k);
            if sentence_end {
                return false;
            }
            if self.is(k, Kw::FutureCue) {
                return true;
            }
        }
        false
    }

    /// Whether the word at `i` is a lower-case plural noun, so a number before it counts
    /// things ("1500 troops") rather than naming a year.
    fn counted_noun(&self, i: usize) -> bool {
        if self.toks.kind(i) != Some(TokenKind::Word) {
            return false;
        }
        let word = self.toks.text_of(i);
        word.bytes().all(|b| b.is_ascii_lowercase()) && is_plural_noun(word)
    }

    // --- patterns -------------------------------------------------------------------------

    fn match_at(&mut self, i: usize) -> Found {
        self.core(self.skip_modifiers(i), i)
    }

    /// Skips words that narrow a date without changing its value: "early", "late", "mid-",
    /// "earlier", "later", "the end/beginning/middle of".
    fn skip_modifiers(&self, i: usize) -> usize {
        let mut j = i;
        loop {
            match self.lex(j) {
                Lex::Kw(Kw::Early | Kw::Late | Kw::Mid) => {
                    j += 1;
                    if self.toks.punct(j, "-") && self.toks.touches_next(j - 1) {
                        j += 1;
                    }
                }
                Lex::Kw(Kw::Earlier | Kw::Later) => j += 1,
                Lex::Kw(Kw::The)
                    if matches!(
                        self.lex(j + 1),
                        Lex::Kw(Kw::End | Kw::Beginning | Kw::Middle)
                    ) && self.is(j + 2, Kw::Of) =>
                {
                    j += 3;
                }
                _ => return j,
            }
        }
    }

    /// Tries every pattern that can start at token `j`; `start` is where the span starts
    /// (before any modifiers).
    fn core(&mut self, j: usize, start: usize) -> Found {
        match self.toks.kind(j)? {
            TokenKind::Number => self.numeric(j, start),
            TokenKind::Punct => self.apostrophe_decade(j),
            TokenKind::Word => match self.lex(j) {
                Lex::Month { month, abbrev } => self.month_led(j, start, month, abbrev),
                Lex::Weekday(weekday) => self.weekday_led(j, weekday),
                Lex::Kw(kw) => self.keyword_led(j, start, kw),
                Lex::Cardinal(n) => self.ago(j).or_else(|| self.spelled_year(j, n)),
                Lex::Ordinal(n) => self.ordinal_period(j, n),
                Lex::Unit { unit, plural } => self.unit_led(j, unit, plural),
                Lex::Season(season) => self.bare_season(j, start, season),
                Lex::Other => self.q_notation(j),
            },
        }
    }

    /// Dates that start with a number: ISO, slashed, day-first ("2 March 2025"), decades,
    /// centuries and years.
    fn numeric(&mut self, j: usize, start: usize) -> Found {
        if let Some(found) = self.ago(j) {
            return Some(found);
        }
        if let Some(found) = self.iso_date(j) {
            return Some(found);
        }
        if let Some(found) = self.slashed_date(j) {
            return Some(found);
        }
        if let Some(found) = self.day_first_date(j) {
            return Some(found);
        }
        if let Some(found) = self.decade(j) {
            return Some(found);
        }
        if let Some(found) = self.century(j) {
            return Some(found);
        }
        self.standalone_year(j, start)
    }

    fn iso_date(&self, j: usize) -> Found {
        let year = self.year_digits(j)?;
        let joined = (j..j + 4).all(|k| self.toks.touches_next(k));
        if !joined || !self.toks.punct(j + 1, "-") || !self.toks.punct(j + 3, "-") {
            return None;
        }
        let month = self.digits(j + 2, 2, 2)?;
        let day = self.digits(j + 4, 2, 2)?;
        let date = NaiveDate::from_ymd_opt(year, month, day)?;
        Some((j + 5, day_value(date)))
    }

    /// `D/M/YYYY`, `M/D/YYYY` or `YYYY/M/D`, only when the day and month cannot be swapped.
    fn slashed_date(&self, j: usize) -> Found {
        let joined = (j..j + 4).all(|k| self.toks.touches_next(k));
        if !joined || !self.toks.punct(j + 1, "/") || !self.toks.punct(j + 3, "/") {
            return None;
        }
        let (year, a, b) = if let Some(year) = self.year_digits(j) {
            (year, self.digits(j + 2, 1, 2)?, self.digits(j + 4, 1, 2)?)
        } else {
            let year = self.year_digits(j + 4)?;
            (year, self.digits(j, 1, 2)?, self.digits(j + 2, 1, 2)?)
        };
        let year_first = self.year_digits(j).is_some();
        let (month, day) = if year_first || a == b {
            (a, b)
        } else if a > 12 {
            (b, a)
        } else if b > 12 {
            (a, b)
        } else {
            return None;
        };
        let date = NaiveDate::from_ymd_opt(year, month, day)?;
        Some((j + 5, day_value(date)))
    }

    /// After a month and day: an optional year (", 2025" or " 2025"), else the year from the
    /// anchor.
    fn with_optional_year(&self, k: usize, month: u32, day: u32) -> Found {
        let year_at = if self.toks.punct(k, ",") { k + 1 } else { k };
        if let Some(year) = self.year_digits(year_at) {
            if let Some(date) = NaiveDate::from_ymd_opt(year, month, day) {
                return Some((year_at + 1, day_value(date)));
            }
        }
        if year_at > k && self.year_digits(year_at).is_some() {
            return None;
        }
        // Feb 29 exists in leap years: validate against 2000.
        NaiveDate::from_ymd_opt(2000, month, day)?;
        let value = match self.anchor.and_then(|a| year_for_month_day(a, month, day)) {
            Some(year) => format!("{year:04}-{month:02}-{day:02}"),
            None => format!("XXXX-{month:02}-{day:02}"),
        };
        Some((k, value))
    }

    fn month_led(&mut self, j: usize, start: usize, month: u32, abbrev: bool) -> Found {
        let mut k = j + 1;
        let dotted = self.toks.punct(k, ".");
        if dotted {
            k += 1;
        }
        if let Some((day, after)) = self.day_at(k) {
            let counted = self.counted_noun(after) || self.toks.punct(after, "%");
            if !counted {
                return self.with_optional_year(after, month, day);
            }
        }
        if abbrev && !dotted {
            return None;
        }
        let year_at = if self.is(k, Kw::Of) || self.toks.punct(k, ",") {
            k + 1
        } else {
            k
        };
        if let Some(year) = self.year_digits(year_at) {
            return Some((year_at + 1, format!("{year:04}-{month:02}")));
        }
        if start == j && !self.introduced(start) {
            return None;
        }
        let value = match self.anchor {
            Some(anchor) => format!("{:04}-{month:02}", year_for_month(anchor, month)),
            None => format!("XXXX-{month:02}"),
        };
        // The full stop after a full month name ends the sentence, not an abbreviation.
        Some((if abbrev { k } else { j + 1 }, value))
    }

    fn weekday_led(&self, j: usize, weekday: Weekday) -> Found {
        if self.toks.punct(j + 1, ",") {
            let full = match self.lex(j + 2) {
                Lex::Month { month, abbrev } => self.dated_weekday(j + 2, month, abbrev),
                _ => self.day_first_date(j + 2),
            };
            if full.is_some() {
                return full;
            }
        }
        let anchor = self.anchor?;
        let occurrence = if self.future_context(j) {
            Occurrence::OnOrAfter
        } else {
            Occurrence::OnOrBefore
        };
        let date = weekday_date(anchor, weekday, occurrence)?;
        Some((j + 1, day_value(date)))
    }

    /// "Oct. 12[, 1998]" after "Monday,": a month and a day, nothing less.
    fn dated_weekday(&self, k: usize, month: u32, abbrev: bool) -> Found {
        let (day, after) = self.day_at(self.after_month_name(k, abbrev)?)?;
        self.with_optional_year(after, month, day)
    }

    /// "12 October[ 1998]", "2nd of March", "12 Oct." (also after "Monday,").
    fn day_first_date(&self, k: usize) -> Found {
        let (day, after) = self.day_at(k)?;
        let after = if self.is(after, Kw::Of) {
            after + 1
        } else {
            after
        };
        let Lex::Month { month, abbrev } = self.lex(after) else {
            return None;
        };
        self.with_optional_year(self.after_month_name(after, abbrev)?, month, day)
    }

    /// The index after a month name at `i`, past the full stop of an abbreviation ("Oct.");
    /// `None` for an abbreviation without one ("Jan" is more often a name).
    fn after_month_name(&self, i: usize, abbrev: bool) -> Option<usize> {
        match (abbrev, self.toks.punct(i + 1, ".")) {
            (true, true) => Some(i + 2),
            (true, false) => None,
            (false, _) => Some(i + 1),
        }
    }

    /// "1990s" / "1990's" → `199`.
    fn decade(&self, j: usize) -> Found {
        let year = self.digits(j, 4, 4)?;
        if year % 10 != 0 || !(1000..=2090).contains(&year) || !self.toks.touches_next(j) {
            return None;
        }
        let end = if self.toks.word_is(j + 1, "s") {
            j + 2
        } else if matches!(self.toks.text_of(j + 1), "'" | "’")
            && self.toks.touches_next(j + 1)
            && self.toks.word_is(j + 2, "s")
        {
            j + 3
        } else {
            return None;
        };
        Some((end, format!("{:03}", year / 10)))
    }

    /// "'90s" → `199` (two-digit decades are taken as the 1900s).
    fn apostrophe_decade(&self, j: usize) -> Found {
        if !matches!(self.toks.text_of(j), "'" | "’") || !self.toks.touches_next(j) {
            return None;
        }
        let decade = self.digits(j + 1, 2, 2)?;
        if decade % 10 != 0 || !self.toks.touches_next(j + 1) || !self.toks.word_is(j + 2, "s") {
            return None;
        }
        Some((j + 3, format!("19{}", decade / 10)))
    }

    /// "20th century" → `19`.
    fn century(&self, j: usize) -> Found {
        let n = self.digits(j, 1, 2)?;
        let suffixed = self.toks.touches_next(j)
            && ["st", "nd", "rd", "th"]
                .iter()
                .any(|s| self.toks.word_is(j + 1, s));
        let is_century = matches!(
            self.lex(j + 2),
            Lex::Unit {
                unit: Unit::Century,
                plural: false
            }
        );
        if !suffixed || !is_century || n == 0 {
            return None;
        }
        Some((j + 3, format!("{:02}", n - 1)))
    }

    fn standalone_year(&self, j: usize, start: usize) -> Found {
        let year = self.year_digits(j)?;
        let introduced = start < j || self.introduced(start);
        if year < 1900 && !introduced {
            return None;
        }
        if let Some(before) = j.checked_sub(1) {
            let label = self
                .toks
                .lower(before)
                .is_some_and(|w| is_label_word(w.as_str()));
            let glued = start == j
                && self.toks.touches_next(before)
                && !matches!(
                    self.toks.text_of(before),
                    "(" | "[" | "\"" | "“" | "'" | "‘"
                );
            if label || currency_sign_code(self.toks.text_of(before)).is_some() || glued {
                return None;
            }
        }
        let next = j + 1;
        let glued_after = self.toks.touches_next(j)
            && (self.toks.kind(next) == Some(TokenKind::Word)
                || (self.toks.punct(next, "-")
                    && self.toks.kind(next + 1) == Some(TokenKind::Word)));
        let percent = self.toks.punct(next, "%") || self.toks.word_is(next, "percent");
        if glued_after || percent || (!introduced && self.counted_noun(next)) {
            return None;
        }
        Some((j + 1, format!("{year:04}")))
    }

    /// Expressions led by a keyword: today/yesterday/tomorrow, now, last/this/next ...,
    /// "the future", "the weekend", "a year ago", "fiscal 1989", "current quarter".
    fn keyword_led(&mut self, j: usize, start: usize, kw: Kw) -> Found {
        match kw {
            Kw::Today | Kw::Yesterday | Kw::Tomorrow => {
                let delta = match kw {
                    Kw::Yesterday => -1,
                    Kw::Tomorrow => 1,
                    _ => 0,
                };
                Some((j + 1, unit_value(self.anchor?, Unit::Day, delta)?))
            }
            Kw::Now => {
                self.anchor?;
                let compound = self.toks.touches_next(j) && self.toks.punct(j + 1, "-");
                (!compound).then(|| (j + 1, "PRESENT_REF".to_string()))
            }
            Kw::Currently => {
                self.anchor?;
                Some((j + 1, "PRESENT_REF".to_string()))
            }
            Kw::Current => self.current(j),
            Kw::Recently => {
                self.anchor?;
                Some((j + 1, "PAST_REF".to_string()))
            }
            Kw::Recent => {
                self.anchor?;
                let end = match self.lex(j + 1) {
                    Lex::Unit { plural: true, .. } => j + 2,
                    _ => j + 1,
                };
                Some((end, "PAST_REF".to_string()))
            }
            Kw::Last | Kw::This | Kw::Next | Kw::Past | Kw::Coming => self.relative(j, kw),
            Kw::The if start < j => self.modified_period(j),
            Kw::The => self.after_the(j),
            Kw::A | Kw::Vague => self.ago(j),
            Kw::Approx => self.ago(j + 1),
            Kw::Fiscal => self.fiscal(j),
            Kw::Future if start > 0 && self.toks.word_is(start - 1, "in") => {
                self.anchor?;
                Some((j + 1, "FUTURE_REF".to_string()))
            }
            _ => None,
        }
    }

    /// "current" + unit is "this" + unit; "current" alone is the present.
    fn current(&self, j: usize) -> Found {
        let anchor = self.anchor?;
        let next = if self.is(j + 1, Kw::Fiscal) {
            j + 2
        } else {
            j + 1
        };
        if let Lex::Unit {
            unit,
            plural: false,
        } = self.lex(next)
        {
            return Some((next + 1, unit_value(anchor, unit, 0)?));
        }
        Some((j + 1, "PRESENT_REF".to_string()))
    }

    /// last/this/next/past/coming + unit, weekday, month or season.
    fn relative(&self, j: usize, kw: Kw) -> Found {
        let anchor = self.anchor?;
        let (occurrence, k) = match (kw, self.lex(j + 1)) {
            (Kw::This, Lex::Kw(Kw::Past)) => (Occurrence::Previous, j + 2),
            (Kw::This, Lex::Kw(Kw::Coming)) => (Occurrence::Following, j + 2),
            (Kw::Last | Kw::Past, _) => (Occurrence::Previous, j + 1),
            (Kw::Next | Kw::Coming, _) => (Occurrence::Following, j + 1),
            _ => (Occurrence::Current, j + 1),
        };
        let value = match self.lex(k) {
            Lex::Unit {
                unit,
                plural: false,
            } => {
                let delta = match occurrence {
                    Occurrence::Previous => -1,
                    Occurrence::Following => 1,
                    _ => 0,
                };
                unit_value(anchor, unit, delta)?
            }
            Lex::Weekday(weekday) if kw != Kw::Past => {
                // "this Friday" is the coming one, whatever the anchor's week says.
                let occurrence = match occurrence {
                    Occurrence::Current => Occurrence::OnOrAfter,
                    other => other,
                };
                day_value(weekday_date(anchor, weekday, occurrence)?)
            }
            Lex::Month {
                month,
                abbrev: false,
            } if kw != Kw::Past => month_occurrence(anchor, month, occurrence),
            Lex::Season(season) => season_occurrence(anchor, season, occurrence),
            _ => return None,
        };
        Some((k + 1, value))
    }

    /// Patterns that include a leading "the": the future/past/weekend, the quarter, the
    /// latest quarter, the year-ago quarter, the third quarter, the 1990s, the past year.
    fn after_the(&mut self, j: usize) -> Found {
        let k = j + 1;
        match self.lex(k) {
            Lex::Kw(Kw::Future) => {
                self.anchor?;
                Some((k + 1, "FUTURE_REF".to_string()))
            }
            Lex::Other if self.toks.word_is(k, "near") && self.is(k + 1, Kw::Future) => {
                self.anchor?;
                Some((k + 2, "FUTURE_REF".to_string()))
            }
            Lex::Kw(Kw::Past) => {
                let anchor = self.anchor?;
                match self.lex(k + 1) {
                    Lex::Unit {
                        unit,
                        plural: false,
                    } => Some((k + 2, unit_value(anchor, unit, -1)?)),
                    Lex::Unit { .. } | Lex::Cardinal(_) | Lex::Kw(Kw::Vague) => None,
                    _ if self.toks.kind(k + 1) == Some(TokenKind::Number) => None,
                    _ => Some((k + 1, "PAST_REF".to_string())),
                }
            }
            Lex::Unit {
                unit: Unit::Weekend,
                plural: false,
            } => {
                let anchor = self.anchor?;
                let weekday = if self.future_context(j) {
                    Occurrence::OnOrAfter
                } else {
                    Occurrence::OnOrBefore
                };
                let saturday = weekday_date(anchor, Weekday::Sat, weekday)?;
                Some((k + 1, format!("{}-WE", week_value(saturday))))
            }
            Lex::Unit {
                unit: Unit::Quarter,
                plural: false,
            } => {
                let quarter = self.reference_quarter.or(reported_quarter(self.anchor?))?;
                Some((k + 1, quarter_value(quarter)))
            }
            Lex::Kw(Kw::Latest) => {
                let end = match self.lex(k + 1) {
                    Lex::Unit {
                        unit: Unit::Quarter,
                        plural: false,
                    } => k + 2,
                    Lex::Kw(Kw::Period) => k + 2,
                    _ => return None,
                };
                let quarter = self.reference_quarter.or(reported_quarter(self.anchor?))?;
                Some((end, quarter_value(quarter)))
            }
            Lex::Unit {
                unit: Unit::Year,
                plural: false,
            } => self.unit_led(k, Unit::Year, false),
            Lex::Ordinal(n) => self.ordinal_period(k, n),
            Lex::Kw(Kw::Fiscal) => self.fiscal(k),
            Lex::Kw(Kw::Last) => self.half(k, 2),
            _ if self.toks.kind(k) == Some(TokenKind::Number) => {
                self.decade(k).or_else(|| self.century(k))
            }
            _ => None,
        }
    }

    /// "the year", "the month", "the week" after a modifier ("the end of the year") are the
    /// anchor's; alone they are too vague to resolve, but otherwise as after any "the".
    fn modified_period(&mut self, j: usize) -> Found {
        match self.lex(j + 1) {
            Lex::Unit {
                unit: unit @ (Unit::Week | Unit::Month | Unit::Year),
                plural: false,
            } if !self.toks.touches_next(j + 1) || !self.toks.punct(j + 2, "-") => {
                Some((j + 2, unit_value(self.anchor?, unit, 0)?))
            }
            _ => self.after_the(j),
        }
    }

    /// "two years ago", "a year earlier", "a few weeks ago" (vague counts give `PAST_REF`).
    fn ago(&self, j: usize) -> Found {
        let anchor = self.anchor?;
        let (count, k) = match self.lex(j) {
            Lex::Kw(Kw::A) if self.is(j + 1, Kw::Vague) => (None, j + 2),
            Lex::Kw(Kw::A) => (Some(1), j + 1),
            Lex::Kw(Kw::Vague) => (None, j + 1),
            Lex::Cardinal(n) => self.compound_number(j, n),
            _ => (Some(self.digits(j, 1, 4).filter(|&n| n <= 1000)?), j + 1),
        };
        let Lex::Unit { unit, .. } = self.lex(k) else {
            return None;
        };
        let earlier = match self.lex(k + 1) {
            Lex::Kw(Kw::Ago) => false,
            Lex::Kw(Kw::Earlier) => true,
            _ => return None,
        };
        let Some(count) = count else {
            if earlier {
                return None;
            }
            return Some((k + 2, "PAST_REF".to_string()));
        };
        let value = match (unit, count, self.reference_quarter) {
            (Unit::Year, 1, Some((year, quarter))) => quarter_value((year - 1, quarter)),
            _ => unit_value(anchor, unit, -i64::from(count))?,
        };
        Some((k + 2, value))
    }

    /// A year in words, as broadcast transcripts write them: "nineteen ninety-six" → `1996`.
    fn spelled_year(&self, j: usize, n: u32) -> Found {
        if !(11..=20).contains(&n) {
            return None;
        }
        let Lex::Cardinal(tens) = self.lex(j + 1) else {
            return None;
        };
        let (rest, end) = self.compound_number(j + 1, tens);
        let rest = rest.filter(|&r| (10..=99).contains(&r))?;
        Some((end, format!("{:04}", n * 100 + rest)))
    }

    /// A number word at `j` with value `n`, joined to a following unit word by a hyphen
    /// ("twenty-five"): the total and the index after it.
    fn compound_number(&self, j: usize, n: u32) -> (Option<u32>, usize) {
        if n >= 20 && n % 10 == 0 && self.toks.touches_next(j) && self.toks.punct(j + 1, "-") {
            if let Lex::Cardinal(unit @ 1..=9) = self.lex(j + 2) {
                return (Some(n + unit), j + 3);
            }
        }
        (Some(n), j + 1)
    }

    /// "year-end", "year-ago", "year-earlier" [quarter|period].
    fn unit_led(&mut self, j: usize, unit: Unit, plural: bool) -> Found {
        if unit != Unit::Year
            || plural
            || !self.toks.touches_next(j)
            || !self.toks.punct(j + 1, "-")
        {
            return None;
        }
        let anchor = self.anchor?;
        match self.lex(j + 2) {
            Lex::Kw(Kw::End) => Some((j + 3, unit_value(anchor, Unit::Year, 0)?)),
            Lex::Kw(Kw::Ago | Kw::Earlier) => {
                let mut end = j + 3;
                if let Lex::Ordinal(1..=4) = self.lex(end) {
                    end += 1;
                }
                let quarterly = matches!(
                    self.lex(end),
                    Lex::Unit {
                        unit: Unit::Quarter,
                        ..
                    } | Lex::Kw(Kw::Period)
                );
                let reference = if quarterly {
                    end += 1;
                    self.reference_quarter.or(reported_quarter(anchor))
                } else {
                    self.reference_quarter
                };
                Some(match reference {
                    Some((year, quarter)) => (end, quarter_value((year - 1, quarter))),
                    None => (end, unit_value(anchor, Unit::Year, -1)?),
                })
            }
            _ => None,
        }
    }

    /// "first quarter [of 2024]", "third-quarter", "fiscal second quarter", "second half of
    /// 2024".
    fn ordinal_period(&mut self, j: usize, n: u32) -> Found {
        let mut k = j + 1;
        if self.toks.punct(k, "-") && self.toks.touches_next(j) {
            k += 1;
        }
        if self.is(k, Kw::Fiscal) {
            k += 1;
        }
        match self.lex(k) {
            Lex::Unit {
                unit: Unit::Quarter,
                plural: false,
            } if (1..=4).contains(&n) => {
                let (end, year) = self.period_year(k + 1);
                let year = match (year, self.anchor) {
                    (Some(year), _) => year,
                    (None, Some(anchor)) => year_for_quarter(anchor, n),
                    (None, None) => return Some((end, format!("XXXX-Q{n}"))),
                };
                self.reference_quarter = Some((year, n));
                Some((end, quarter_value((year, n))))
            }
            Lex::Kw(Kw::Half) if n <= 2 => self.half(j, n),
            _ => None,
        }
    }

    /// "of 2024" / "2024" / "of this year" after a period: the index after it and the year.
    fn period_year(&self, k: usize) -> (usize, Option<i32>) {
        let at = if self.is(k, Kw::Of) { k + 1 } else { k };
        if let Some(year) = self.year_digits(at) {
            return (at + 1, Some(year));
        }
        if self.is(k, Kw::Of) {
            let delta = match self.lex(at) {
                Lex::Kw(Kw::Last) => Some(-1),
                Lex::Kw(Kw::This) => Some(0),
                Lex::Kw(Kw::Next) => Some(1),
                _ => None,
            };
            let year_unit = self.lex(at + 1)
                == Lex::Unit {
                    unit: Unit::Year,
                    plural: false,
                };
            if let (Some(delta), true, Some(anchor)) = (delta, year_unit, self.anchor) {
                return (at + 2, Some(anchor.year() + delta));
            }
        }
        (k, None)
    }

    /// "the first/second/last half of 2024": halves need an explicit year, since "the second
    /// half" alone is as often a football match.
    fn half(&self, j: usize, n: u32) -> Found {
        if !self.is(j + 1, Kw::Half) {
            return None;
        }
        let (end, year) = self.period_year(j + 2);
        let year = year.filter(|_| end > j + 2)?;
        Some((end, format!("{year:04}-H{n}")))
    }

    /// "fiscal 1989", "fiscal year 1989", "fiscal third quarter".
    fn fiscal(&mut self, j: usize) -> Found {
        let mut k = j + 1;
        if let Lex::Ordinal(n) = self.lex(k) {
            return self.ordinal_period(k, n);
        }
        if self.lex(k)
            == (Lex::Unit {
                unit: Unit::Year,
                plural: false,
            })
        {
            k += 1;
        }
        let year = self.year_digits(k)?;
        Some((k + 1, format!("{year:04}")))
    }

    /// "Q3", "Q3 2024", "H1 2024".
    fn q_notation(&mut self, j: usize) -> Found {
        let letter = self.toks.text_of(j);
        if !matches!(letter, "Q" | "H") || !self.toks.touches_next(j) {
            return None;
        }
        let n = self.digits(j + 1, 1, 1)?;
        let quarter = letter == "Q";
        if n == 0 || n > if quarter { 4 } else { 2 } {
            return None;
        }
        let year = self.year_digits(j + 2);
        let end = if year.is_some() { j + 3 } else { j + 2 };
        if !quarter {
            return Some((end, format!("{:04}-H{n}", year?)));
        }
        let year = year.or(self.anchor.map(|a| year_for_quarter(a, n)));
        match year {
            Some(year) => {
                self.reference_quarter = Some((year, n));
                Some((end, quarter_value((year, n))))
            }
            None => Some((end, format!("XXXX-Q{n}"))),
        }
    }

    /// A season named without last/this/next: "summer 2024", "in the summer", "the winter
    /// of 1994".
    fn bare_season(&self, j: usize, start: usize, season: Season) -> Found {
        let (end, year) = self.period_year(j + 1);
        if let Some(year) = year {
            return Some((end, format!("{year:04}-{}", season.code())));
        }
        let after_the = j > 0 && self.is(j - 1, Kw::The) && self.introduced(j - 1);
        if start == j && !self.introduced(start) && !after_the {
            return None;
        }
        let anchor = self.anchor?;
        Some((j + 1, format!("{:04}-{}", anchor.year(), season.code())))
    }
}

/// Finds and normalises the article's dates.
pub struct DatesStage;

impl crate::pipeline::Stage for DatesStage {
    fn name(&self) -> &'static str {
        "dates"
    }

    fn english_only(&self) -> bool {
        true
    }

    fn run(&self, doc: &mut crate::pipeline::Doc) -> Result<(), crate::pipeline::StageError> {
        let anchor = doc.reference_time().date_naive();
        doc.dates = find_dates(&doc.text, Some(anchor));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The anchor of the tests: Sunday 2 March 2025.
    fn anchor() -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(2025, 3, 2)
    }

    /// `(text, value)` of every mention.
    fn dates(text: &str) -> Vec<(String, String)> {
        find_dates(text, anchor())
            .into_iter()
            .map(|m| (text[m.start..m.end].to_string(), m.value))
            .collect()
    }

    fn one(text: &str, expected_text: &str, expected_value: &str) {
        assert_eq!(
            dates(text),
            vec![(expected_text.to_string(), expected_value.to_string())],
            "in {text:?}"
        );
    }

    fn none(text: &str) {
        assert_eq!(dates(text), vec![], "in {text:?}");
    }

    #[test]
    fn reference_expectations() {
        one("The club was founded in 1949 by farmers.", "1949", "1949");
        one("The empire collapsed in 1991.", "1991", "1991");
        one("Norway (April 2023) joined last.", "April 2023", "2023-04");
        one(
            "It signed in March 2024 after a vote.",
            "March 2024",
            "2024-03",
        );
        one("Over the course of 2018 he complained.", "2018", "2018");
        one("as he said in 2019.", "2019", "2019");
        one(
            "The leaders met at the palace on Friday.",
            "Friday",
            "2025-02-28",
        );
        one(
            "The minister said this week that it works.",
            "this week",
            "2025-W09",
        );
    }

    #[test]
    fn years_and_decades() {
        one("Prices fell in the 1990s.", "the 1990s", "199");
        one("Prices fell in 1990's.", "1990's", "199");
        one("Music of the '80s returned.", "'80s", "198");
        one(
            "It was built in the 20th century.",
            "the 20th century",
            "19",
        );
        one("The battle of 1066 was decisive.", "1066", "1066");
        one("She moved in early 2020.", "early 2020", "2020");
        one("Growth slowed in mid-2019.", "mid-2019", "2019");
        one(
            "Growth slowed in late-November.",
            "late-November",
            "2024-11",
        );
        one(
            "Growth slows by the end of the year.",
            "the end of the year",
            "2025",
        );
        none("Growth was the best of the year.");
        one("It was nineteen ninety-six.", "nineteen ninety-six", "1996");
        one("It was nineteen seventy.", "nineteen seventy", "1970");
        none("It was nineteen people.");
        one("by the end of 2026, it said.", "the end of 2026", "2026");
        one("Profit for fiscal 1989 rose.", "fiscal 1989", "1989");
        one("The 2018-19 season ended.", "2018", "2018");
    }

    #[test]
    fn numbers_that_are_not_years() {
        none("It has 32 member countries.");
        none("They sent 2,000 troops.");
        none("under Article 5 of the treaty");
        none("They sent 1500 troops.");
        none("It costs $2000 a month.");
        none("The plane was a Boeing 1900D model.");
        none("Room 2012 was empty.");
        none("A rise of 2020% is absurd.");
        none("There were 1850 people there.");
        none("The 1000 pages were read.");
    }

    #[test]
    fn month_forms() {
        one(
            "It happened on March 2, 2025.",
            "March 2, 2025",
            "2025-03-02",
        );
        one("It happened on 2 March 2025.", "2 March 2025", "2025-03-02");
        one("It happened on 27 January.", "27 January", "2025-01-27");
        one("It happened on 27 Jan. at noon", "27 Jan.", "2025-01-27");
        one(
            "It happened on the 2nd of March 2025.",
            "2nd of March 2025",
            "2025-03-02",
        );
        one(
            "It happened on 2025-03-02 at noon.",
            "2025-03-02",
            "2025-03-02",
        );
        one("Filed on 25/12/2024 in court.", "25/12/2024", "2024-12-25");
        one("Filed on 12/25/2024 in court.", "12/25/2024", "2024-12-25");
        none("Filed on 02/03/2025 in court.");
        one(
            "the attacks of Sept. 11, 2001.",
            "Sept. 11, 2001",
            "2001-09-11",
        );
        one("the attacks of Sept. 11 shocked", "Sept. 11", "2025-09-11");
        one("The vote is on April 14.", "April 14", "2025-04-14");
        one("The vote was on Dec. 28.", "Dec. 28", "2024-12-28");
        one("It opened in March.", "March", "2025-03");
        one("It closes in late November.", "late November", "2024-11");
        one("It closes in mid-November.", "mid-November", "2024-11");
        one(
            "The rally on Monday, Oct. 12, 1998 was big.",
            "Monday, Oct. 12, 1998",
            "1998-10-12",
        );
        one("Talks start in May 2026.", "May 2026", "2026-05");
        one("Talks started last May.", "last May", "2024-05");
        one("Talks start next May.", "next May", "2025-05");
    }

    #[test]
    fn month_false_positives() {
        none("They may leave soon.");
        none("The march was peaceful.");
        none("March organisers said the crowd was big.");
        none("April Ryan asked a question.");
        none("May I ask?");
        none("Jan said no.");
        assert!(dates("On Feb. 30, 2024 nothing happened.")
            .iter()
            .all(|(_, value)| !value.contains("-02-30")));
    }

    #[test]
    fn relative_days_and_weekdays() {
        one("He spoke yesterday.", "yesterday", "2025-03-01");
        one("He speaks today.", "today", "2025-03-02");
        one("He speaks tomorrow.", "tomorrow", "2025-03-03");
        one("He spoke on Sunday.", "Sunday", "2025-03-02");
        one("He spoke on Monday.", "Monday", "2025-02-24");
        one("He will speak on Monday.", "Monday", "2025-03-03");
        one("He spoke last Friday.", "last Friday", "2025-02-28");
        one("He spoke last Sunday.", "last Sunday", "2025-02-23");
        one("He speaks next Friday.", "next Friday", "2025-03-07");
        one(
            "He speaks this coming Tuesday.",
            "this coming Tuesday",
            "2025-03-04",
        );
        one("Results came at the weekend.", "the weekend", "2025-W09-WE");
    }

    #[test]
    fn relative_periods() {
        one("Sales fell last week.", "last week", "2025-W08");
        one("Sales fall next week.", "next week", "2025-W10");
        one("Sales fell last month.", "last month", "2025-02");
        one("Sales rose this month.", "this month", "2025-03");
        one("Sales rise next month.", "next month", "2025-04");
        one("Sales fell last year.", "last year", "2024");
        one("Sales rise this year.", "this year", "2025");
        one("Sales rise next year.", "next year", "2026");
        one("Sales fell two years ago.", "two years ago", "2023");
        one("Sales fell 10 days ago.", "10 days ago", "2025-02-20");
        one("Sales fell a week ago.", "a week ago", "2025-W08");
        one(
            "Sales fell twenty-five years ago.",
            "twenty-five years ago",
            "2000",
        );
        one("Sales fell a few years ago.", "a few years ago", "PAST_REF");
        one(
            "Sales fell earlier this month.",
            "earlier this month",
            "2025-03",
        );
        one("Sales fell late last year.", "late last year", "2024");
        one("Sales fell over the past year.", "the past year", "2024");
        none("Sales fell over the past two years.");
        one("Sales fell last summer.", "last summer", "2024-SU");
        one("Sales rise next winter.", "next winter", "2025-WI");
        one(
            "Sales fell in the summer of 2019.",
            "summer of 2019",
            "2019-SU",
        );
        one("Sales fell in the last decade.", "last decade", "201");
        one(
            "Bonds are in the current quarter.",
            "current quarter",
            "2025-Q1",
        );
    }

    #[test]
    fn reference_values() {
        one("He is now in charge.", "now", "PRESENT_REF");
        none("The now-defunct firm closed.");
        one("He is currently in charge.", "currently", "PRESENT_REF");
        one("He recently left.", "recently", "PAST_REF");
        one("It will change in the future.", "the future", "FUTURE_REF");
        one(
            "It will change in the near future.",
            "the near future",
            "FUTURE_REF",
        );
        one("It was better in the past.", "the past", "PAST_REF");
        one("Prices rose in recent years.", "recent years", "PAST_REF");
    }

    #[test]
    fn quarters_and_halves() {
        one(
            "Profit rose in the third quarter.",
            "the third quarter",
            "2025-Q3",
        );
        one(
            "Profit rose in the fourth quarter.",
            "the fourth quarter",
            "2024-Q4",
        );
        one(
            "Profit rose in the first quarter.",
            "the first quarter",
            "2025-Q1",
        );
        one("Third-quarter profit rose.", "Third-quarter", "2025-Q3");
        one(
            "Profit rose in the third quarter of 2019.",
            "the third quarter of 2019",
            "2019-Q3",
        );
        one("Profit rose in Q3 2023.", "Q3 2023", "2023-Q3");
        one(
            "Profit rose in the second half of 2023.",
            "the second half of 2023",
            "2023-H2",
        );
        none("They scored in the second half.");
        assert_eq!(
            dates("Profit rose in the fourth quarter, up from a year earlier."),
            vec![
                ("the fourth quarter".to_string(), "2024-Q4".to_string()),
                ("a year earlier".to_string(), "2023-Q4".to_string())
            ]
        );
        one(
            "Profit beat the year-ago quarter.",
            "the year-ago quarter",
            "2023-Q4",
        );
        one(
            "Profit beat the year-earlier figure.",
            "the year-earlier",
            "2024",
        );
    }

    #[test]
    fn chained_months() {
        assert_eq!(
            dates("It ran between January and March."),
            vec![
                ("January".to_string(), "2025-01".to_string()),
                ("March".to_string(), "2025-03".to_string())
            ]
        );
        none("He gave it to June.");
    }

    #[test]
    fn without_anchor() {
        let found = |text: &str| {
            find_dates(text, None)
                .into_iter()
                .map(|m| m.value)
                .collect::<Vec<_>>()
        };
        assert_eq!(found("It happened in 1949."), vec!["1949"]);
        assert_eq!(found("It happened on Sept. 11."), vec!["XXXX-09-11"]);
        assert_eq!(found("It happened in March."), vec!["XXXX-03"]);
        assert!(found("It happened yesterday, on Friday, last week, now.").is_empty());
    }

    #[test]
    fn offsets_are_char_boundaries_in_unicode_text() {
        let text = "Le président — élu en 2019 — a parlé « hier » ; ‘’ 日本 2020年 …";
        for m in find_dates(text, anchor()) {
            assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
            assert!(m.start < m.end);
        }
        assert_eq!(
            dates("— élu en 2019 —"),
            vec![("2019".into(), "2019".into())]
        );
    }

    #[test]
    fn never_panics_on_odd_input() {
        for text in [
            "",
            "2025-",
            "2025-13-45",
            "9999/99/99",
            "Feb. 30, 2024",
            "Q9",
            "the",
            "last",
            "a",
            "'",
            "'9",
            "1,000,000,000,000,000,000,000 years ago",
            "999 centuries ago",
            "1000 decades ago",
            "mid-",
            "the end of",
            "\u{0}\u{ffff}",
        ] {
            find_dates(text, anchor());
            find_dates(text, None);
            find_dates(text, NaiveDate::from_ymd_opt(1, 1, 1));
            find_dates(text, NaiveDate::from_ymd_opt(262_000, 12, 31));
        }
    }

    #[test]
    fn tokenizer_splits_words_numbers_and_punctuation() {
        let text = "On 2,000 Friday's 1.13bn—ok";
        let pieces: Vec<_> = tokenize(text)
            .iter()
            .map(|t| (&text[t.start..t.end], t.kind))
            .collect();
        use TokenKind::*;
        assert_eq!(
            pieces,
            vec![
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
    }
}
