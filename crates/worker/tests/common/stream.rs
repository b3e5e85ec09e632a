//! A steady stream of articles for the tests that disturb a running group: new articles keyed
//! by their id, now and then a second version of an earlier article (same key, so same
//! partition, later offset), and some broken JSON that can only become a dead letter; and the
//! check that per-key order held through it all ([`check_last_versions`]).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use super::{produce_at, ReadBack};

/// An article's id and version; `None` for broken JSON.
pub type Article = Option<(String, u32)>;

/// One input the stream produced.
pub struct Produced {
    pub position: (i32, i64),
    pub article: Article,
}

/// A producer thread writing small batches to the input topic until stopped.
pub struct Stream {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<Vec<Produced>>,
}

impl Stream {
    /// Starts writing batches to `topic`: six new articles, one second version of an article
    /// from a few batches back, and one broken input, every 200 ms.
    pub fn start(bootstrap: String, topic: String) -> Stream {
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut produced = Vec::new();
            let mut batch_number = 0usize;
            while !stopping.load(Ordering::SeqCst) {
                let batch = batch(batch_number);
                let inputs: Vec<_> = batch
                    .iter()
                    .map(|(article, value)| {
                        let key = article.as_ref().map(|(id, _)| id.clone().into_bytes());
                        (key, value.clone())
                    })
                    .collect();
                let positions = produce_at(&bootstrap, &topic, &inputs);
                for ((article, _), position) in batch.into_iter().zip(positions) {
                    produced.push(Produced { position, article });
                }
                batch_number += 1;
                std::thread::sleep(Duration::from_millis(200));
            }
            produced
        });
        Stream { stop, thread }
    }

    /// Stops the stream and returns everything it produced.
    pub fn stop(self) -> Vec<Produced> {
        self.stop.store(true, Ordering::SeqCst);
        self.thread.join().expect("the producer thread")
    }
}

/// Batch `n`: (article id and version, value) of each input; broken inputs have no article.
fn batch(n: usize) -> Vec<(Article, Vec<u8>)> {
    let mut inputs: Vec<_> = (0..6)
        .map(|i| {
            let id = format!("s-{n}-{i}");
            let value = article(&id, 1);
            (Some((id, 1)), value)
        })
        .collect();
    if n >= 3 {
        let id = format!("s-{}-{}", n - 3, n % 6);
        inputs.push((Some((id.clone(), 2)), article(&id, 2)));
    }
    inputs.push((None, b"{broken json".to_vec()));
    inputs
}

/// A short article; its title names its version.
fn article(id: &str, version: u32) -> Vec<u8> {
    serde_json::json!({
        "id": id,
        "title": format!("version {version}"),
        "text": format!("Story {id}, version {version}. The minister said on Monday that \
                         talks in Leeds would resume.\nMore detail follows."),
    })
    .to_string()
    .into_bytes()
}

/// For every article written twice, its last record is the second version.
pub fn check_last_versions(produced: &[Produced], records: &[ReadBack]) {
    let mut last: BTreeMap<String, String> = BTreeMap::new();
    let mut sorted: Vec<&ReadBack> = records.iter().collect();
    sorted.sort_by_key(|r| r.offset);
    for r in sorted {
        let title = r.json()["title"].as_str().unwrap_or_default().to_owned();
        last.insert(r.key.clone().unwrap_or_default(), title);
    }
    let updated: Vec<&str> = produced
        .iter()
        .filter_map(|p| match &p.article {
            Some((id, 2)) => Some(id.as_str()),
            _ => None,
        })
        .collect();
    assert!(!updated.is_empty(), "the stream wrote second versions");
    let wrong: Vec<_> = updated
        .iter()
        .filter(|id| last.get(**id).map(String::as_str) != Some("version 2"))
        .collect();
    assert!(
        wrong.is_empty(),
        "{} of {} updated articles do not end with their second version: {wrong:?}",
        wrong.len(),
        updated.len()
    );
}
