//! The gazetteer as a second source of places, beside the NER model: names of the gazetteer
//! found in the text itself, each with the evidence of its context.
//!
//! Local news is full of places the model never types LOC: counties ("in Metcalfe County"),
//! places inside organisation names ("the Kentucky State Police", "Winnipeg Free Press"),
//! places before a noun ("Calgary MLA", "St. Thomas police"), and lists and datelines. A
//! reader knows them by their capitals and their context, and so does this module:
//!
//! * **where it looks**: runs of capitalised words that are no mention of a place entity or a
//!   PERSON ("Paris Hilton" stays a person; a whole PERSON mention right after "in", "near",
//!   "eastern", or after a place in a list, is the tagger's mistake for a place: "fighting in
//!   eastern Aleppo"), the parts of a hyphenated name ("Canada-EU",
//!   "Middlesex-London"), and inside ORG and MISC names that are no place themselves (the
//!   organisation stays as it is; the place is a mention of its own). Inside a name, a place
//!   goes by its own name (no alternate name but a country's), and past the name's first word
//!   only an area counts ("Costco Canada"; "Ryerson University" and "Real Madrid" are no
//!   places). The longest gazetteer
//!   name of at most four words wins, left to right.
//! * **the evidence**, in points: a capital not at the start of a sentence (1); inside an
//!   organisation's name (1); a preposition or a compass adjective before it ("in", "near",
//!   "from", "eastern": 2; "of": 1); a
//!   place before it in a list ("Edmonton, Mount Sheridan and Bentley Park": 2); a
//!   place noun before it ("the town of", "county of": 2); a word that follows places ("police",
//!   "council", "mayor", "residents": 1); a "Town, State" qualifier after it (2, and it narrows
//!   the candidates down as it does for entities).
//! * **the guards**: a month, a weekday, a title ("President"), a compass word or a word of two
//!   letters in lower case ("If", "No.") is no place;
//!   a word the article also writes in lower case ("reading", "mobile") is a common word; a
//!   name at the start of a sentence with no other evidence says nothing. A village (a place
//!   under [`VILLAGE_POPULATION`] inhabitants) needs [`STRONG`] points, as any English word
//!   or surname is some village's name; an area or a town needs one point. A town's
//!   alternate names need [`STRONG`] points too: many are common words or old names
//!   ("Google", "Box Elder"), and only a country's alternate names ("Britain") go without.
//!
//! A spot with [`STRONG`] points goes to the resolver as a LOC; a weaker one as a MISC, whose
//! town the resolver accepts only with the article's support (see `resolve`). The points
//! become the spot's evidence, 0–1, which scales the resolver's confidence in the record.

use std::cell::RefCell;
use std::collections::HashSet;

use super::candidates::{look_up, qualifier_after, within_qualifier, Candidate};
use super::gazetteer::{fold, fold_into, Feature, Gazetteer, NameKind, PlaceId};
use crate::ner::EntityType;
use crate::pipeline::doc::PlaceSource;
use crate::pipeline::{Doc, Span};
use crate::text::calendar::{month, weekday};
use crate::text::titles::{is_honorific, is_title_head};
use crate::text::tokens::{Token, TokenKind};
use crate::text::words::{is_one_of, lowercase_ascii};

/// A gazetteer name found in the text, with its candidates and evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Spot {
    /// The name in the text.
    pub span: Span,
    /// Its look-up key (spots and entities of one key are one place).
    pub key: String,
    /// Where it was found.
    pub source: PlaceSource,
    /// The points of its context.
    pub points: u32,
    /// The entries it could be (never empty).
    pub candidates: Vec<Candidate>,
    /// Whether a qualifier after it narrowed the candidates down.
    pub qualified: bool,
}

impl Spot {
    /// The type the resolver treats the spot as: LOC with strong evidence, else MISC.
    pub fn kind(&self) -> EntityType {
        if self.points >= STRONG {
            EntityType::Loc
        } else {
            EntityType::Misc
        }
    }

    /// The evidence as a share, 0–1: 0.4 for one point, 1 from [`STRONG`] points on.
    pub fn evidence(&self) -> f64 {
        (0.1 + 0.3 * f64::from(self.points)).min(1.0)
    }
}

/// Points from which a spot counts as a place mention in its own right.
pub const STRONG: u32 = 3;
/// A populated place below this many inhabitants is a village (see the module doc).
const VILLAGE_POPULATION: u64 = 15_000;
/// The most words of a spotted name.
const MAX_WORDS: usize = 4;

/// Words before a place name ("in Kentucky", "near Edmonton").
const PREPOSITIONS: [&str; 16] = [
    "across",
    "around",
    "at",
    "between",
    "from",
    "in",
    "inside",
    "into",
    "near",
    "outside",
    "throughout",
    "to",
    "toward",
    "towards",
    "via",
    "within",
];

/// The prepositions before which a name can only be a place, not a person ("in", not "to" or
/// "from": "a letter from Scott").
const LOCATIVES: [&str; 13] = [
    "across",
    "around",
    "central",
    "eastern",
    "in",
    "inside",
    "near",
    "northern",
    "outside",
    "southern",
    "throughout",
    "western",
    "within",
];

/// Nouns that introduce a place with "of" ("the town of Innisfail").
const PLACE_NOUNS: [&str; 14] = [
    "borough",
    "capital",
    "city",
    "county",
    "district",
    "municipality",
    "parish",
    "province",
    "region",
    "state",
    "suburb",
    "town",
    "township",
    "village",
];

/// Words that follow a place used as a modifier ("Springfield police", "Enfield Council").
const PLACE_FOLLOWERS: [&str; 16] = [
    "area",
    "authorities",
    "coroner",
    "council",
    "councillor",
    "county",
    "fire",
    "man",
    "mayor",
    "native",
    "officials",
    "police",
    "resident",
    "residents",
    "sheriff",
    "woman",
];

/// Who owns a token: nobody, or an entity's mention (entity index, span, type).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Owner {
    entity: usize,
    span: Span,
    kind: EntityType,
}

/// The gazetteer names in `doc` outside the mentions of entities that are places already
/// (`is_place[i]`: entity `i` matched the gazetteer by its own name) and of persons.
pub fn spots(doc: &Doc, gazetteer: &Gazetteer, is_place: &[bool]) -> Vec<Spot> {
    let owners = owners(doc);
    let starts: HashSet<usize> = doc.sentences.iter().map(|s| s.tokens.start).collect();
    let place_ends = owners
        .iter()
        .enumerate()
        .filter(|(i, o)| {
            o.is_some_and(|o| is_place[o.entity] && owners.get(i + 1) != Some(&Some(o)))
        })
        .map(|(i, _)| i)
        .collect();
    let scan = Scan {
        doc,
        owners,
        gazetteer,
        key: RefCell::new(String::new()),
        starts,
        place_ends: RefCell::new(place_ends),
    };
    let mut out = Vec::new();
    let mut i = 0;
    let owners = &scan.owners;
    while i < doc.tokens.len() {
        let owner = owners[i];
        let open = match owner {
            None => true,
            Some(o) if o.kind == EntityType::Person => scan.person_in_place(i, o),
            Some(o) => !is_place[o.entity] && matches!(o.kind, EntityType::Org | EntityType::Misc),
        };
        if !open || !capitalised(doc.tokens[i].text(&doc.text)) {
            i += 1;
            continue;
        }
        let run = (i..doc.tokens.len())
            .take(MAX_WORDS)
            .take_while(|&j| owners[j] == owner && capitalised(doc.tokens[j].text(&doc.text)))
            .count();
        let (source, shortest) = match owner {
            None => (PlaceSource::Text, 1),
            // A "person" in a place is the place as a whole, or nothing.
            Some(o) if o.kind == EntityType::Person => (PlaceSource::Text, run),
            Some(_) => (PlaceSource::Name, 1),
        };
        let lengths = scan.lengths(i, run);
        let mut known = (shortest..=run).rev().filter(|n| lengths & (1 << n) != 0);
        match known.find_map(|n| scan.spot(i, n, source)) {
            Some(spot) => {
                i += spot.1;
                scan.place_ends.borrow_mut().insert(i - 1);
                out.push(spot.0);
            }
            None => {
                out.extend(scan.hyphen_parts(i, source));
                i += 1;
            }
        }
    }
    out
}

/// The owner of each token.
fn owners(doc: &Doc) -> Vec<Option<Owner>> {
    let mut owners = vec![None; doc.tokens.len()];
    for (entity, e) in doc.entities.iter().enumerate() {
        for &span in &e.mentions {
            let first = doc.tokens.partition_point(|t| t.start < span.start);
            let last = doc.tokens.partition_point(|t| t.end <= span.end);
            for owner in owners.iter_mut().take(last).skip(first) {
                *owner = Some(Owner {
                    entity,
                    span,
                    kind: e.kind,
                });
            }
        }
    }
    owners
}

/// Whether a word is too short to be a place's name unless written as an acronym ("US"):
/// "If", "Or", "No.".
fn too_short(word: &str) -> bool {
    let letters = word.chars().filter(|c| c.is_alphabetic());
    letters.clone().count() < 3 && letters.clone().any(char::is_lowercase)
}

/// Whether a token starts with a capital letter and is a word.
fn capitalised(word: &str) -> bool {
    word.starts_with(|c: char| c.is_uppercase())
}

/// What one document's scan knows.
struct Scan<'d> {
    doc: &'d Doc,
    /// The owner of each token.
    owners: Vec<Option<Owner>>,
    gazetteer: &'d Gazetteer,
    /// A buffer for folding names before they are asked of the gazetteer's prefix filter.
    key: RefCell<String>,
    /// The first token of each sentence.
    starts: HashSet<usize>,
    /// The last token of each place mention so far: of the entities that are places, and of
    /// the spots found (the scan goes left to right, so a list's earlier items are in).
    place_ends: RefCell<HashSet<usize>>,
}

impl Scan<'_> {
    fn tokens(&self) -> &[Token] {
        &self.doc.tokens
    }

    /// Whether the PERSON mention `owner`, starting at token `i`, stands where only a place
    /// can ("in Aleppo", "near Trinity Beach"): the tagger's mistake, not a person.
    fn person_in_place(&self, i: usize, owner: Owner) -> bool {
        let before = i.checked_sub(1).map(|b| self.word(b));
        self.tokens()[i].start == owner.span.start
            && (before.is_some_and(|w| is_one_of(w, &LOCATIVES)) || self.in_a_list(i))
    }

    /// Whether token `i` follows a place in a list: "Edmonton, Mount Sheridan", "Hornsey, Stoke
    /// Newington and Walthamstow".
    fn in_a_list(&self, i: usize) -> bool {
        let separator = i.checked_sub(1).map(|b| self.word(b));
        matches!(separator, Some("," | "and" | "or"))
            && i.checked_sub(2)
                .is_some_and(|end| self.place_ends.borrow().contains(&end))
    }

    /// Where the mention that owns token `i` starts.
    fn owner_start(&self, i: usize) -> Option<usize> {
        self.owners.get(i).copied().flatten().map(|o| o.span.start)
    }

    fn word(&self, i: usize) -> &str {
        self.tokens().get(i).map_or("", |t| t.text(&self.doc.text))
    }

    /// Which lengths of the run of `run` capitalised words at token `first` the gazetteer may
    /// name, as a bit mask (bit `n`: the first `n` words): those whose fold its prefix filter
    /// may hold as a key, and those with periods (an abbreviation has a key of its own, see
    /// `look_up`). Where no longer key starts with the words so far, the walk stops (unless
    /// words without a space between, or with periods, are still to come), so most words
    /// cost one fold into a buffer and one cache line instead of up to four look-ups.
    fn lengths(&self, first: usize, run: usize) -> u32 {
        let tokens = &self.tokens()[first..first + run];
        let text = &self.doc.text;
        let mut key = self.key.borrow_mut();
        let mut mask = 0;
        for n in 1..=run {
            let name = Span::new(tokens[0].start, tokens[n - 1].end).text(text);
            fold_into(name, &mut key);
            let reach = self.gazetteer.reach(&key);
            if reach.key || name.contains('.') {
                mask |= 1 << n;
            }
            let spaced = tokens.get(n).is_some_and(|next| {
                text[tokens[n - 1].end..next.start].contains(char::is_whitespace)
            });
            let periods_ahead = tokens[n..].iter().any(|t| t.text(text).contains('.'));
            if !reach.prefix && spaced && !periods_ahead {
                break;
            }
        }
        mask
    }

    /// Whether the gazetteer may name the single word `part` (see [`Scan::lengths`]).
    fn may_name(&self, part: &str) -> bool {
        let mut key = self.key.borrow_mut();
        fold_into(part, &mut key);
        part.contains('.') || self.gazetteer.reach(&key).key
    }

    /// The spot of tokens `first..first + n`, with the number of tokens it takes.
    fn spot(&self, first: usize, n: usize, source: PlaceSource) -> Option<(Spot, usize)> {
        let tokens = &self.tokens()[first..first + n];
        if tokens.iter().any(|t| t.kind != TokenKind::Word) {
            return None;
        }
        let span = Span::new(tokens[0].start, tokens[n - 1].end);
        let text = span.text(&self.doc.text);
        if n == 1 && (self.guarded(text) || too_short(text)) {
            return None;
        }
        let spot = self.judge(span, first, first + n, source)?;
        Some((spot, n))
    }

    /// The capitalised parts of a hyphenated word that are places ("Canada-EU", "Calgary-North
    /// West"), each a spot of its own.
    fn hyphen_parts(&self, i: usize, source: PlaceSource) -> Vec<Spot> {
        let token = self.tokens()[i];
        let word = token.text(&self.doc.text);
        if !word.contains('-') {
            return Vec::new();
        }
        let mut out = Vec::new();
        let mut at = token.start;
        for part in word.split('-') {
            let span = Span::new(at, at + part.len());
            at += part.len() + 1;
            if part.len() > 1 && capitalised(part) && self.may_name(part) && !self.guarded(part) {
                out.extend(self.judge(span, i, i + 1, source));
            }
        }
        out
    }

    /// Whether a single word is no place whatever the gazetteer says.
    fn guarded(&self, word: &str) -> bool {
        let mut buffer = [0u8; 16];
        // Month and weekday names are ASCII and short: a word that is neither is none.
        lowercase_ascii(word, &mut buffer)
            .is_some_and(|lower| month(lower).is_some() || weekday(lower).is_some())
            || is_title_head(word)
            || is_honorific(word)
    }

    /// Whether the article writes the word `lower` as it is, in lower case. A scan of the
    /// tokens: few words are asked about, and hashing every token of the article into a set
    /// cost more than the whole scan for spots did.
    fn writes_in_lower_case(&self, lower: &str) -> bool {
        let text = &self.doc.text;
        self.tokens().iter().any(|t| {
            t.end - t.start == lower.len() && {
                let word = t.text(text);
                word == lower && word.starts_with(|c: char| c.is_lowercase())
            }
        })
    }

    /// Whether a single word the article also writes in lower case is a common word here
    /// (capitals in a row, "US", are an abbreviation, not the word "us").
    fn common_word(&self, text: &str) -> bool {
        !text.contains(' ') && !text.chars().all(|c| !c.is_lowercase()) && {
            let mut buffer = [0u8; 64];
            let owned;
            let lower = match lowercase_ascii(text, &mut buffer) {
                Some(lower) => lower,
                None => {
                    owned = text.to_lowercase();
                    owned.as_str()
                }
            };
            self.writes_in_lower_case(lower)
        }
    }

    /// The spot of `span` (tokens `first..end`), if the gazetteer knows it and its context
    /// gives it enough points.
    fn judge(&self, span: Span, first: usize, end: usize, source: PlaceSource) -> Option<Spot> {
        let text = span.text(&self.doc.text);
        let mut candidates = Vec::new();
        look_up(self.gazetteer, EntityType::Loc, text, &mut candidates);
        if candidates.is_empty() {
            return None;
        }
        let qualifier = qualifier_after(&self.doc.text, self.tokens(), span, self.gazetteer);
        let mut points = self.points(first, end, source);
        let mut qualified = false;
        match &qualifier {
            Some((_, within)) => {
                points += 2;
                qualified = within_qualifier(self.gazetteer, &mut candidates, within);
            }
            None if self.common_word(text) => return None,
            None => {}
        }
        let inside = source == PlaceSource::Name;
        if points < STRONG || inside {
            // A town's other names are often common words ("Google", "Box Elder" for towns
            // that once bore them); without strong context, and inside a name, which writes
            // its place by its own name, only a country's count.
            candidates.retain(|c| {
                c.kind != NameKind::Alternate || self.gazetteer.feature(c.place) <= Feature::Country
            });
        }
        if inside && Some(span.start) != self.owner_start(first) {
            // Past a name's first word a town is the name's own word ("Ryerson University",
            // "Real Madrid"); an area is still a place ("Costco Canada", "the Original Texas
            // Playboys"), a subdivision only where the article's places support it (see
            // `resolve`: "Liquor Store" is no Slovenian municipality in Alberta).
            candidates.retain(|c| self.gazetteer.feature(c.place).is_area());
        }
        let villages = candidates.iter().all(|c| self.is_village(c.place));
        let needed = if villages { STRONG } else { 1 };
        (points >= needed && !candidates.is_empty()).then(|| Spot {
            span,
            key: fold(text),
            source,
            points,
            candidates,
            qualified,
        })
    }

    /// The points of the context of tokens `first..end` (see the module doc).
    fn points(&self, first: usize, end: usize, source: PlaceSource) -> u32 {
        let word = |i: Option<usize>| i.map_or("", |i| self.word(i));
        let before = word(first.checked_sub(1));
        let two_before = word(first.checked_sub(2));
        let after = word(Some(end));
        let mut points = 0;
        if !self.starts.contains(&first) {
            points += 1;
        }
        if source == PlaceSource::Name {
            points += 1;
        }
        if is_one_of(before, &PREPOSITIONS) || is_one_of(before, &LOCATIVES) {
            points += 2;
        } else if before.eq_ignore_ascii_case("of") {
            points += if is_one_of(two_before, &PLACE_NOUNS) {
                2
            } else {
                1
            };
        }
        if is_one_of(after, &PLACE_FOLLOWERS) {
            points += 1;
        }
        if self.in_a_list(first) {
            points += 2;
        }
        points
    }

    /// Whether `place` is a populated place of fewer than [`VILLAGE_POPULATION`] inhabitants.
    fn is_village(&self, place: PlaceId) -> bool {
        let place = self.gazetteer.place(place);
        !place.feature.is_area()
            && place.feature != Feature::City
            && place.population.unwrap_or(0) < VILLAGE_POPULATION
    }
}
