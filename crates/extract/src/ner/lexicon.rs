//! Lexical resources behind the tagger's features: word clusters and a gazetteer.
//!
//! * [`WordClusters`]: k-means clusters (64, 256 and 1024 of them) of word vectors for
//!   ~340k lower-cased word forms. They let the model generalise from training words to
//!   unseen ones with similar vectors ("Kyiv" near "Kiev", surnames near surnames).
//!   All case variants of a word share one vector in the source file, so only the
//!   lower-cased form is kept.
//! * [`Gazetteer`]: the entity names of the training data (lower-cased token sequences,
//!   with the set of types each was annotated with). Built from training data only.
//!
//! Both are saved inside the model file, so a model is one self-contained file.

#[cfg(feature = "training")]
use std::io::{BufRead, BufReader};
#[cfg(feature = "training")]
use std::path::Path;

#[cfg(feature = "training")]
use flate2::read::GzDecoder;

#[cfg(feature = "training")]
use super::features::lower_text;
use super::features::{lower_key, word_key, KeyHasher, KeyMap, Scratch};
#[cfg(feature = "training")]
use super::{EntityType, NerError};

/// Word-vector cluster ids of lower-cased word forms.
#[derive(Debug, Default, Clone)]
pub(crate) struct WordClusters {
    /// The words, each followed by `'\n'`, in the order of `ids`.
    words: String,
    ids: Vec<[u16; 3]>,
    map: KeyMap<[u16; 3]>,
}

impl WordClusters {
    #[cfg(feature = "training")]
    /// Reads a gzipped `word<TAB>c64<TAB>c256<TAB>c1024` file. Case variants of a word
    /// collapse onto its first entry.
    pub(crate) fn read_tsv_gz(path: &Path) -> Result<WordClusters, NerError> {
        let io_error = |source| NerError::Io {
            path: path.to_path_buf(),
            source,
        };
        let file = std::fs::File::open(path).map_err(io_error)?;
        let reader = BufReader::new(GzDecoder::new(file));
        let mut clusters = WordClusters::default();
        let mut scratch = Scratch::default();
        for (number, line) in reader.lines().enumerate() {
            let line = line.map_err(io_error)?;
            let mut fields = line.split('\t');
            let word = fields.next().unwrap_or("");
            let mut ids = [0u16; 3];
            for id in ids.iter_mut() {
                *id = fields
                    .next()
                    .and_then(|f| f.trim().parse().ok())
                    .ok_or_else(|| NerError::BadConll {
                        path: path.to_path_buf(),
                        line: number + 1,
                        reason: "expected word<TAB>c64<TAB>c256<TAB>c1024".to_string(),
                    })?;
            }
            let lowered = lower_text(word, &mut scratch);
            if !lowered.is_empty() && !lowered.contains('\n') {
                clusters.insert(&lowered, ids, &mut scratch);
            }
        }
        Ok(clusters)
    }

    /// Rebuilds the table from saved parts: newline-terminated words and their ids.
    pub(crate) fn from_parts(words: &str, ids: &[[u16; 3]]) -> Result<WordClusters, String> {
        let mut clusters = WordClusters::default();
        let mut scratch = Scratch::default();
        let mut id_iter = ids.iter();
        for word in words.lines() {
            let id = id_iter.next().ok_or("fewer cluster ids than words")?;
            clusters.insert(word, *id, &mut scratch);
        }
        if id_iter.next().is_some() {
            return Err("more cluster ids than words".to_string());
        }
        Ok(clusters)
    }

    fn insert(&mut self, lowered: &str, ids: [u16; 3], scratch: &mut Scratch) {
        let key = lower_key(lowered, scratch);
        if self.map.contains_key(&key) {
            return;
        }
        self.map.insert(key, ids);
        self.words.push_str(lowered);
        self.words.push('\n');
        self.ids.push(ids);
    }

    /// The cluster ids of the word whose [`lower_key`] is `key`.
    pub(crate) fn get(&self, key: u64) -> Option<[u16; 3]> {
        self.map.get(&key).copied()
    }

    /// The words, newline-terminated, for saving.
    pub(crate) fn words(&self) -> &str {
        &self.words
    }

    /// The ids of the words, in order, for saving.
    pub(crate) fn ids(&self) -> &[[u16; 3]] {
        &self.ids
    }
}

/// The types a gazetteer sequence was annotated with; an entry with no types is only a
/// prefix of longer names (it lets matching stop early).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct GazetteerEntry(u8);

impl GazetteerEntry {
    /// For each type in [`EntityType::ALL`] order, whether the sequence is a name of it.
    pub(crate) fn types(self) -> [bool; 4] {
        [0, 1, 2, 3].map(|bit| self.0 & (1 << bit) != 0)
    }
}

/// Entity names seen in training, matched case-insensitively on token sequences.
#[derive(Debug, Default, Clone)]
pub(crate) struct Gazetteer {
    /// Lower-cased names (tokens joined by spaces) and their type masks, sorted.
    entries: Vec<(String, u8)>,
    map: KeyMap<GazetteerEntry>,
    max_len: usize,
}

impl Gazetteer {
    #[cfg(feature = "training")]
    /// Longest name kept, in tokens.
    const MAX_TOKENS: usize = 8;

    #[cfg(feature = "training")]
    /// Builds a gazetteer from names (token sequences) and their types.
    pub(crate) fn from_entries<I, S>(names: I) -> Gazetteer
    where
        I: IntoIterator<Item = (Vec<S>, EntityType)>,
        S: AsRef<str>,
    {
        let mut scratch = Scratch::default();
        let mut masks: std::collections::BTreeMap<String, u8> = Default::default();
        for (tokens, kind) in names {
            if tokens.is_empty() || tokens.len() > Self::MAX_TOKENS {
                continue;
            }
            let lowered: Vec<String> = tokens
                .iter()
                .map(|t| lower_text(t.as_ref(), &mut scratch))
                .collect();
            if lowered.iter().any(|t| t.is_empty() || t.contains(' ')) {
                continue;
            }
            *masks.entry(lowered.join(" ")).or_default() |= 1 << kind.index();
        }
        Gazetteer::from_parts(masks.into_iter().collect())
    }

    /// Rebuilds a gazetteer from saved `(name, type mask)` entries.
    pub(crate) fn from_parts(entries: Vec<(String, u8)>) -> Gazetteer {
        let mut scratch = Scratch::default();
        let mut map: KeyMap<GazetteerEntry> = KeyMap::default();
        let mut max_len = 0;
        for (name, mask) in &entries {
            let mut key = Gazetteer::start_key();
            let count = name.split(' ').count();
            for (index, token) in name.split(' ').enumerate() {
                key = Gazetteer::extend_key(key, word_key(token, &mut scratch));
                let entry = map.entry(key).or_default();
                if index + 1 == count {
                    entry.0 |= mask & 0xf;
                }
            }
            max_len = max_len.max(count);
        }
        Gazetteer {
            entries,
            map,
            max_len,
        }
    }

    /// The key of the empty sequence.
    pub(crate) fn start_key() -> u64 {
        KeyHasher::new(0x6a2).finish()
    }

    /// The key of a sequence extended by one token with word key `word`.
    pub(crate) fn extend_key(key: u64, word: u64) -> u64 {
        KeyHasher::new(key).add(word).finish()
    }

    /// The entry for a sequence key: `None` when no name starts with that sequence.
    pub(crate) fn lookup(&self, key: u64) -> Option<GazetteerEntry> {
        self.map.get(&key).copied()
    }

    /// Length of the longest name, in tokens.
    pub(crate) fn max_len(&self) -> usize {
        self.max_len
    }

    /// The saved form: `(name, type mask)` pairs.
    pub(crate) fn entries(&self) -> &[(String, u8)] {
        &self.entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sequence_key(tokens: &[&str]) -> u64 {
        let mut scratch = Scratch::default();
        tokens.iter().fold(Gazetteer::start_key(), |key, token| {
            Gazetteer::extend_key(key, word_key(token, &mut scratch))
        })
    }

    #[test]
    fn gazetteer_merges_types_and_marks_prefixes() {
        let gazetteer = Gazetteer::from_entries([
            (vec!["Jordan"], EntityType::Person),
            (vec!["JORDAN"], EntityType::Loc),
            (vec!["New", "York", "Times"], EntityType::Org),
        ]);
        assert_eq!(gazetteer.max_len(), 3);
        let jordan = gazetteer.lookup(sequence_key(&["jordan"])).expect("entry");
        assert_eq!(jordan.types(), [true, false, true, false]);
        let prefix = gazetteer
            .lookup(sequence_key(&["New", "York"]))
            .expect("prefix");
        assert_eq!(prefix.types(), [false; 4]);
        assert!(gazetteer.lookup(sequence_key(&["York"])).is_none());
        let rebuilt = Gazetteer::from_parts(gazetteer.entries().to_vec());
        assert_eq!(
            rebuilt.lookup(sequence_key(&["new", "york", "times"])),
            gazetteer.lookup(sequence_key(&["NEW", "YORK", "TIMES"]))
        );
    }

    #[test]
    fn clusters_round_trip_through_parts() {
        let mut clusters = WordClusters::default();
        let mut scratch = Scratch::default();
        clusters.insert("kyiv", [3, 209, 784], &mut scratch);
        clusters.insert("kyiv", [1, 1, 1], &mut scratch);
        clusters.insert("nato", [63, 218, 296], &mut scratch);
        assert_eq!(clusters.ids().len(), 2);
        let rebuilt = WordClusters::from_parts(clusters.words(), clusters.ids()).expect("parts");
        assert_eq!(
            rebuilt.get(lower_key("KYIV", &mut scratch)),
            Some([3, 209, 784])
        );
        assert_eq!(rebuilt.get(lower_key("Kiev", &mut scratch)), None);
        assert!(WordClusters::from_parts("a\nb\n", &[[0, 0, 0]]).is_err());
    }
}
