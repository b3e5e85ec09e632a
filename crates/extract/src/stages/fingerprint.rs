//! Fingerprint: the text's identity, for spotting exact and near duplicates.
//!
//! Wire services, syndication and re-publication put the same story into a feed many times,
//! sometimes byte for byte, often with a changed headline, a corrected figure or an added line.
//! The record carries two hashes of the normalised text and, when a recent article is (nearly)
//! the same, that article's id:
//!
//! * `content_hash`: XXH3-128 of the normalised text, as 32 hex digits. Equal hashes mean equal
//!   texts (after normalisation, so line endings and spacing do not matter).
//! * `simhash`: Charikar's SimHash over the text's word 3-shingles (lower-cased words and
//!   numbers, punctuation ignored), as 16 hex digits. Each shingle's 64-bit hash votes on every
//!   bit; a bit is set when more than half of the shingles have it set. Texts that share most
//!   shingles get hashes that differ in a few bits, so the Hamming distance between two
//!   SimHashes estimates how different the texts are (Manku et al., "Detecting Near-Duplicates
//!   for Web Crawling", WWW 2007).
//! * `near_duplicate_of`: the id of the closest of the last `window` articles this stage saw
//!   whose SimHash is at most `max_distance` bits away (an exact duplicate is 0 bits away); the
//!   most recent one wins a tie, and an article never matches an earlier copy of its own id
//!   (a replay or a retry).
//!
//! The window is the only state shared between documents: a ring buffer behind a mutex, since
//! the pipeline runs on several threads. To avoid comparing every new hash with every
//! remembered one, the window uses the pigeonhole index of Manku et al.: the 64 bits are cut into
//! `max_distance + 1` blocks, and two hashes at most `max_distance` bits apart agree exactly on at
//! least one block. Each block value maps to the remembered articles that have it, so a lookup
//! only checks the few articles sharing a block with the new one.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use xxhash_rust::xxh3::{xxh3_128, xxh3_64};

use crate::pipeline::doc::Fingerprint;
use crate::pipeline::{Doc, Stage, StageError};
use crate::text::tokens::{Token, TokenKind};
use crate::text::words::lowercase_ascii;

/// Words per shingle.
pub const SHINGLE_WORDS: usize = 3;

/// The largest meaningful Hamming distance between two different 64-bit hashes short of the
/// complement; larger settings are treated as this one.
const MAX_DISTANCE: u32 = 63;

/// Computes the fingerprint and looks for a near duplicate among recent articles.
pub struct FingerprintStage {
    max_distance: u32,
    window: Mutex<Window>,
}

impl FingerprintStage {
    /// A stage remembering the last `window` articles (0 turns near-duplicate detection off)
    /// and reporting one at most `max_distance` bits away (at most 63).
    pub fn new(window: usize, max_distance: u32) -> Self {
        let max_distance = max_distance.min(MAX_DISTANCE);
        FingerprintStage {
            max_distance,
            window: Mutex::new(Window::new(window, max_distance)),
        }
    }
}

impl Stage for FingerprintStage {
    fn name(&self) -> &'static str {
        "fingerprint"
    }

    fn run(&self, doc: &mut Doc) -> Result<(), StageError> {
        let simhash = simhash(&doc.text, &doc.tokens);
        // A panic elsewhere while the lock was held leaves the window usable: every lookup in it
        // is bounds-checked, so the worst case is a missed or stale match.
        let near_duplicate_of = self
            .window
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .remember(simhash, &doc.article.id, self.max_distance);
        doc.fingerprint = Some(Fingerprint {
            content_hash: content_hash(&doc.text),
            simhash: format!("{simhash:016x}"),
            near_duplicate_of,
        });
        Ok(())
    }
}

/// XXH3-128 of `text`, as 32 lower-case hex digits.
pub fn content_hash(text: &str) -> String {
    format!("{:032x}", xxh3_128(text.as_bytes()))
}

/// SimHash of the word 3-shingles of `text`, whose tokens are `tokens`. A text of fewer than
/// three words is one shingle; a text without words hashes to 0.
pub fn simhash(text: &str, tokens: &[Token]) -> u64 {
    let words: Vec<u64> = tokens
        .iter()
        .filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::Number))
        .map(|t| word_hash(t.text(text)))
        .collect();
    let mut ones = [0u32; 64];
    let mut shingles = 0u32;
    for shingle in words.windows(SHINGLE_WORDS.min(words.len()).max(1)) {
        let mut bytes = [0u8; 8 * SHINGLE_WORDS];
        for (chunk, hash) in bytes.chunks_exact_mut(8).zip(shingle) {
            chunk.copy_from_slice(&hash.to_le_bytes());
        }
        let hash = xxh3_64(&bytes[..8 * shingle.len()]);
        for (bit, count) in ones.iter_mut().enumerate() {
            *count += u32::from((hash >> bit) & 1 == 1);
        }
        shingles += 1;
    }
    ones.iter()
        .enumerate()
        .filter(|(_, &count)| 2 * u64::from(count) > u64::from(shingles))
        .fold(0, |acc, (bit, _)| acc | (1u64 << bit))
}

/// Hash of a word in lower case.
fn word_hash(word: &str) -> u64 {
    let mut buffer = [0u8; 64];
    match lowercase_ascii(word, &mut buffer) {
        Some(lower) => xxh3_64(lower.as_bytes()),
        None => xxh3_64(word.to_lowercase().as_bytes()),
    }
}

/// One remembered article.
#[derive(Debug)]
struct Entry {
    simhash: u64,
    id: String,
}

/// The last `capacity` SimHashes with the pigeonhole index over them.
#[derive(Debug)]
struct Window {
    capacity: usize,
    /// Oldest first.
    entries: VecDeque<Entry>,
    /// Sequence number of `entries[0]`; entry `i` has number `first_seq + i`.
    first_seq: u64,
    /// `(shift, mask)` of each block of bits.
    blocks: Vec<(u32, u64)>,
    /// `(block, block value)` → sequence numbers of the entries with that value, oldest first.
    index: HashMap<(usize, u64), VecDeque<u64>>,
}

impl Window {
    /// An empty window for `capacity` entries, indexed for lookups within `max_distance` bits.
    fn new(capacity: usize, max_distance: u32) -> Self {
        Window {
            capacity,
            entries: VecDeque::new(),
            first_seq: 0,
            blocks: blocks(max_distance + 1),
            index: HashMap::new(),
        }
    }

    /// The id of the closest remembered entry within `max_distance` of `simhash` (the most
    /// recent on a tie), not counting entries with `id`; then remembers `simhash` as `id`.
    fn remember(&mut self, simhash: u64, id: &str, max_distance: u32) -> Option<String> {
        if self.capacity == 0 {
            return None;
        }
        let found = self.closest(simhash, id, max_distance);
        if self.entries.len() >= self.capacity {
            self.forget_oldest();
        }
        let seq = self.first_seq + self.entries.len() as u64;
        for block in block_keys(&self.blocks, simhash) {
            self.index.entry(block).or_default().push_back(seq);
        }
        self.entries.push_back(Entry {
            simhash,
            id: id.to_owned(),
        });
        found
    }

    /// The closest entry within `max_distance` of `simhash` whose id is not `id`.
    fn closest(&self, simhash: u64, id: &str, max_distance: u32) -> Option<String> {
        let mut best: Option<(u32, u64)> = None;
        for key in block_keys(&self.blocks, simhash) {
            for &seq in self.index.get(&key).into_iter().flatten() {
                let Some(entry) = self.entry(seq) else {
                    continue;
                };
                let distance = (entry.simhash ^ simhash).count_ones();
                let better = best.is_none_or(|(d, s)| distance < d || (distance == d && seq > s));
                if distance <= max_distance && entry.id != id && better {
                    best = Some((distance, seq));
                }
            }
        }
        best.and_then(|(_, seq)| self.entry(seq))
            .map(|e| e.id.clone())
    }

    /// Drops the oldest entry and its references in the index.
    fn forget_oldest(&mut self) {
        let Some(oldest) = self.entries.pop_front() else {
            return;
        };
        for key in block_keys(&self.blocks, oldest.simhash) {
            if let Some(seqs) = self.index.get_mut(&key) {
                seqs.retain(|&s| s != self.first_seq);
                if seqs.is_empty() {
                    self.index.remove(&key);
                }
            }
        }
        self.first_seq += 1;
    }

    fn entry(&self, seq: u64) -> Option<&Entry> {
        let offset = usize::try_from(seq.checked_sub(self.first_seq)?).ok()?;
        self.entries.get(offset)
    }
}

/// The index keys of `simhash`: each block's number and value.
fn block_keys(blocks: &[(u32, u64)], simhash: u64) -> impl Iterator<Item = (usize, u64)> + '_ {
    blocks
        .iter()
        .enumerate()
        .map(move |(i, &(shift, mask))| (i, (simhash >> shift) & mask))
}

/// `(shift, mask)` of `count` (1–64) contiguous blocks covering the 64 bits, as equal in width
/// as possible.
fn blocks(count: u32) -> Vec<(u32, u64)> {
    let count = count.clamp(1, 64);
    let mut shift = 0;
    (0..count)
        .map(|i| {
            let width = 64 / count + u32::from(i < 64 % count);
            let mask = if width == 64 {
                u64::MAX
            } else {
                (1u64 << width) - 1
            };
            let block = (shift, mask);
            shift += width;
            block
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::testing::prepared;

    /// A made-up article of `words` words drawn from a small vocabulary, with sentence breaks,
    /// different for each `seed`.
    fn article(seed: u64, words: usize) -> String {
        const VOCABULARY: &[&str] = &[
            "the",
            "council",
            "voted",
            "on",
            "a",
            "plan",
            "to",
            "build",
            "new",
            "homes",
            "near",
            "river",
            "after",
            "residents",
            "complained",
            "about",
            "traffic",
            "and",
            "noise",
            "in",
            "town",
            "centre",
            "officials",
            "said",
            "work",
            "would",
            "start",
            "next",
            "spring",
            "with",
            "costs",
            "shared",
            "by",
            "region",
            "state",
            "budget",
            "critics",
            "warned",
            "of",
            "delays",
            "while",
            "supporters",
            "welcomed",
            "decision",
            "as",
            "overdue",
        ];
        let mut state = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let mut out = String::new();
        for i in 0..words {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let word = VOCABULARY[(state >> 33) as usize % VOCABULARY.len()];
            out.push_str(word);
            out.push_str(if i % 17 == 16 { ". " } else { " " });
        }
        out.push('.');
        out
    }

    fn fingerprint(stage: &FingerprintStage, id: &str, text: &str) -> Fingerprint {
        let mut doc = prepared(id, text);
        stage.run(&mut doc).expect("fingerprint stage");
        doc.fingerprint.expect("fingerprint filled")
    }

    fn distance(a: &Fingerprint, b: &Fingerprint) -> u32 {
        let parse = |h: &str| u64::from_str_radix(h, 16).expect("hex");
        (parse(&a.simhash) ^ parse(&b.simhash)).count_ones()
    }

    #[test]
    fn hashes_are_hex_of_fixed_width_and_ignore_layout() {
        let stage = FingerprintStage::new(0, 3);
        let a = fingerprint(&stage, "a", "One line.\r\n\r\nAnother   line.");
        let b = fingerprint(&stage, "b", "One line.\n\nAnother line.");
        assert_eq!(a.content_hash.len(), 32);
        assert_eq!(a.simhash.len(), 16);
        assert!(a.content_hash.chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(a.content_hash, b.content_hash);
        assert_eq!(a.simhash, b.simhash);
        assert_eq!(a.near_duplicate_of, None);
    }

    #[test]
    fn simhash_ignores_case_and_punctuation_but_not_words() {
        let stage = FingerprintStage::new(0, 3);
        let a = fingerprint(&stage, "a", "The Council voted, at last, on the plan.");
        let b = fingerprint(&stage, "b", "the council voted at last on the plan");
        let c = fingerprint(&stage, "c", "The council rejected the plan outright today.");
        assert_eq!(a.simhash, b.simhash);
        assert_ne!(a.content_hash, b.content_hash);
        assert_ne!(a.simhash, c.simhash);
    }

    #[test]
    fn lightly_edited_copy_is_a_near_duplicate_and_unrelated_text_is_not() {
        let stage = FingerprintStage::new(100, 3);
        let original = article(1, 800);
        let edited = original.replacen("homes", "houses", 1);
        let first = fingerprint(&stage, "original", &original);
        assert_eq!(first.near_duplicate_of, None);
        let second = fingerprint(&stage, "edited", &edited);
        assert!(
            distance(&first, &second) <= 3,
            "{}",
            distance(&first, &second)
        );
        assert_eq!(second.near_duplicate_of.as_deref(), Some("original"));
        let other = fingerprint(&stage, "other", &article(2, 800));
        assert_eq!(other.near_duplicate_of, None);
    }

    #[test]
    fn exact_duplicates_match_the_most_recent_copy_but_never_their_own_id() {
        let stage = FingerprintStage::new(10, 0);
        let text = article(3, 200);
        assert_eq!(fingerprint(&stage, "a", &text).near_duplicate_of, None);
        assert_eq!(fingerprint(&stage, "a", &text).near_duplicate_of, None);
        assert_eq!(
            fingerprint(&stage, "b", &text).near_duplicate_of.as_deref(),
            Some("a")
        );
        assert_eq!(
            fingerprint(&stage, "c", &text).near_duplicate_of.as_deref(),
            Some("b")
        );
    }

    #[test]
    fn the_window_forgets_the_oldest_articles() {
        let stage = FingerprintStage::new(2, 3);
        let text = article(4, 200);
        fingerprint(&stage, "old", &text);
        fingerprint(&stage, "x", &article(5, 200));
        fingerprint(&stage, "y", &article(6, 200));
        assert_eq!(fingerprint(&stage, "new", &text).near_duplicate_of, None);
    }

    #[test]
    fn index_finds_what_a_full_scan_finds() {
        for max_distance in [0, 3, 7, 63, 200] {
            let capacity = 500;
            let mut window = Window::new(capacity, max_distance.min(MAX_DISTANCE));
            let mut remembered: Vec<(u64, String)> = Vec::new();
            let mut state = 7u64;
            for i in 0..2_000u32 {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                // Half the hashes are near copies of a recent one, to exercise matches.
                let hash = match remembered.len().checked_sub(1 + (state >> 60) as usize) {
                    Some(j) if i % 2 == 0 => {
                        remembered[j].0 ^ (1 << (state % 64)) ^ (1 << (state >> 58))
                    }
                    _ => state,
                };
                let id = format!("id{i}");
                let start = remembered.len().saturating_sub(capacity);
                let expected = remembered[start..]
                    .iter()
                    .enumerate()
                    .rev()
                    .map(|(k, (h, id))| ((h ^ hash).count_ones(), k, id))
                    .filter(|&(d, _, _)| d <= max_distance.min(MAX_DISTANCE))
                    .min_by_key(|&(d, k, _)| (d, std::cmp::Reverse(k)))
                    .map(|(_, _, id)| id.clone());
                let got = window.remember(hash, &id, max_distance.min(MAX_DISTANCE));
                assert_eq!(got, expected, "max distance {max_distance}, item {i}");
                remembered.push((hash, id));
            }
            assert_eq!(window.entries.len(), capacity);
        }
    }

    #[test]
    fn blocks_cover_all_bits_once() {
        for count in [1, 4, 7, 64] {
            let blocks = blocks(count);
            assert_eq!(blocks.len(), count as usize);
            let union = blocks.iter().fold(0u64, |acc, &(shift, mask)| {
                assert_eq!(acc & (mask << shift), 0);
                acc | (mask << shift)
            });
            assert_eq!(union, u64::MAX);
        }
    }

    #[test]
    fn short_and_empty_texts_hash() {
        assert_eq!(simhash("", &[]), 0);
        let stage = FingerprintStage::new(5, 3);
        let one = fingerprint(&stage, "a", "Hello");
        let two = fingerprint(&stage, "b", "Hello there");
        assert_ne!(one.simhash, two.simhash);
        fingerprint(&stage, "c", "!!! ??? …");
    }
}
