//! One input in, one outcome out: the work done for every message, whatever its source.
//!
//! The worker, `process`, `demo`, the benchmarks and the evaluations all go through
//! [`Extractor::extract`], so an article is treated the same wherever it comes from: parsed by
//! the envelope contract, run through the pipeline, serialised as a record — or turned into a
//! [`Failure`] on its way to the dead-letter topic.

use crate::config::{ExtractConfig, Limits};
use crate::contract::envelope;
use crate::contract::failure::{Failure, Reason};
use crate::contract::record::{Record, RecordEncoding, ReplayMarker};
use crate::pipeline::doc::{Provenance, StageTiming};
use crate::pipeline::{Doc, Pipeline, StageError};

/// What became of one input.
#[derive(Debug)]
pub enum Outcome {
    /// A record to publish.
    Record(Processed),
    /// A dead letter.
    Failed(Failure),
}

/// A successfully processed article.
#[derive(Debug)]
pub struct Processed {
    /// The article id: the record's key.
    pub id: String,
    /// The record, encoded as the extractor's [`RecordEncoding`] says (JSON by default).
    pub bytes: Vec<u8>,
    /// Time spent per stage, and last the time spent writing the record ([`RECORD_STEP`]).
    pub timings: Vec<StageTiming>,
    /// Words in the article, for throughput figures.
    pub words: usize,
    /// Tokens in the article, for throughput figures.
    pub tokens: usize,
}

/// The name under which [`Processed::timings`] reports the making and encoding of the record.
pub const RECORD_STEP: &str = "record";

/// Turns raw inputs into outcomes: the standard pipeline (or any other) under size limits.
pub struct Extractor {
    pipeline: Pipeline,
    limits: Limits,
    replay: Option<ReplayMarker>,
    encoding: RecordEncoding,
}

impl Extractor {
    /// The standard extractor: every stage in the standard order, configured from `config`
    /// (which loads the NER model: build one and share it).
    pub fn new(config: &ExtractConfig) -> Result<Self, StageError> {
        Ok(Self::with_pipeline(
            Pipeline::new(crate::stages::standard(config)?),
            config.limits.clone(),
        ))
    }

    /// An extractor running `pipeline` under `limits`.
    pub fn with_pipeline(pipeline: Pipeline, limits: Limits) -> Self {
        Extractor {
            pipeline,
            limits,
            replay: None,
            encoding: RecordEncoding::default(),
        }
    }

    /// Marks every record this extractor makes as part of a replay.
    pub fn for_replay(mut self, marker: ReplayMarker) -> Self {
        self.replay = Some(marker);
        self
    }

    /// Writes records as `encoding` says instead of as bare JSON.
    pub fn with_encoding(mut self, encoding: RecordEncoding) -> Self {
        self.encoding = encoding;
        self
    }

    /// The pipeline this extractor runs.
    pub fn pipeline(&self) -> &Pipeline {
        &self.pipeline
    }

    /// Processes one raw message: its Kafka key (if any), its bytes, and where it came from
    /// (written into the record; `None` outside Kafka).
    pub fn extract(
        &self,
        key: Option<&[u8]>,
        value: &[u8],
        provenance: Option<Provenance>,
    ) -> Outcome {
        self.extract_identified(key, value, provenance, |_| {})
    }

    /// [`Self::extract`], telling `identified` the article id as soon as the envelope is parsed
    /// (`None` when it cannot be), before the pipeline runs: the worker orders the publication
    /// of records by that id.
    pub fn extract_identified(
        &self,
        key: Option<&[u8]>,
        value: &[u8],
        provenance: Option<Provenance>,
        identified: impl FnOnce(Option<&str>),
    ) -> Outcome {
        let article = match envelope::parse(key, value, &self.limits) {
            Ok(article) => article,
            Err(failure) => {
                identified(None);
                return Outcome::Failed(failure);
            }
        };
        identified(Some(&article.id));
        let mut doc = Doc::new(article, provenance);
        if let Err(failure) = self.pipeline.run(&mut doc) {
            return Outcome::Failed(failure);
        }
        let started = std::time::Instant::now();
        let mut record = Record::from_doc(&doc);
        record.replay = self.replay.as_ref();
        let words = record.stats.words;
        let encoded = record.encode(&self.encoding);
        drop(record);
        match encoded {
            Ok(bytes) => {
                let mut timings = doc.timings;
                timings.push(StageTiming {
                    stage: RECORD_STEP,
                    elapsed_us: started.elapsed().as_micros() as u64,
                });
                Outcome::Record(Processed {
                    words,
                    tokens: doc.tokens.len(),
                    id: doc.article.id.clone(),
                    bytes,
                    timings,
                })
            }
            Err(e) => Outcome::Failed(Failure::new(
                "record",
                Reason::StageError,
                format!("record could not be serialised: {e}"),
            )),
        }
    }
}
