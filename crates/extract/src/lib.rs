//! newsworker's extraction library: a raw news article in, a structured record out.
//!
//! The library knows nothing of Kafka or async runtimes. It reads the way an article travels:
//!
//! - [`contract`]: the input contract ([`contract::envelope`]: raw bytes → article), the output
//!   contract ([`contract::record`]: document → JSON record) and the closed set of reasons an
//!   input fails ([`contract::failure`]);
//! - [`pipeline`]: the [`pipeline::Doc`] every stage annotates in turn, with every annotation
//!   type, and the [`pipeline::Pipeline`] that runs the stages in order, timing each;
//! - [`text`]: the foundation the stages share — the one tokenizer, the sentence splitter and
//!   the word lists;
//! - [`ner`]: the named-entity model's runtime (its training is behind the `training` feature);
//! - [`stages`]: the extraction stages and the standard order they run in;
//! - [`Extractor`]: the one entry point — built from an [`ExtractConfig`], it turns one input
//!   into an [`Outcome`]: a record, or a failure for the dead-letter topic.
//!
//! # Example
//!
//! ```
//! use newsworker_extract::{ExtractConfig, Extractor, Outcome};
//!
//! let extractor = Extractor::new(&ExtractConfig::default()).expect("the built-in model loads");
//! let envelope = br#"{"id": "a1", "published_at": "2025-03-02T10:00:00Z",
//!     "text": "Jane Smith, the mayor of Leeds, said on Friday: \"We will build it.\""}"#;
//! match extractor.extract(None, envelope, None) {
//!     Outcome::Record(processed) => {
//!         let record: serde_json::Value = serde_json::from_slice(&processed.bytes).unwrap();
//!         assert_eq!(record["id"], "a1");
//!         assert_eq!(record["quotes"][0]["speaker"]["name"], "Jane Smith");
//!         assert_eq!(record["dates"][0]["value"], "2025-02-28");
//!     }
//!     Outcome::Failed(failure) => panic!("{failure}"),
//! }
//! ```

pub mod config;
pub mod contract;
pub mod extractor;
pub mod ner;
pub mod pipeline;
pub mod stages;
pub mod text;

pub use config::ExtractConfig;
pub use extractor::{Extractor, Outcome, Processed};
