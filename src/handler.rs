//! One input in, one outcome out: the work done for every message, whatever its source.
//!
//! The worker, `process`, `demo` and the benchmarks all go through [`Handler::handle`], so an
//! article is treated the same wherever it comes from: parsed by the envelope contract, run
//! through the pipeline, serialised as a record — or turned into a [`Failure`] on its way to the
//! dead-letter topic.

use crate::config::Limits;
use crate::envelope;
use crate::failure::{Failure, Reason};
use crate::pipeline::doc::{Provenance, StageTiming};
use crate::pipeline::{Doc, Pipeline};
use crate::record::Record;
use crate::replay::ReplayMarker;

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
    /// The record, as JSON.
    pub json: Vec<u8>,
    /// Time spent per stage.
    pub timings: Vec<StageTiming>,
    /// Words in the article, for throughput figures.
    pub words: usize,
    /// Tokens in the article, for throughput figures.
    pub tokens: usize,
}

/// Turns raw inputs into outcomes.
pub struct Handler {
    pipeline: Pipeline,
    limits: Limits,
    replay: Option<ReplayMarker>,
}

impl Handler {
    /// A handler running `pipeline` under `limits`.
    pub fn new(pipeline: Pipeline, limits: Limits) -> Self {
        Handler {
            pipeline,
            limits,
            replay: None,
        }
    }

    /// Marks every record this handler makes as part of a replay.
    pub fn for_replay(mut self, marker: ReplayMarker) -> Self {
        self.replay = Some(marker);
        self
    }

    /// The pipeline this handler runs.
    pub fn pipeline(&self) -> &Pipeline {
        &self.pipeline
    }

    /// Processes one raw message.
    pub fn handle(
        &self,
        key: Option<&[u8]>,
        value: &[u8],
        provenance: Option<Provenance>,
    ) -> Outcome {
        self.handle_identified(key, value, provenance, |_| {})
    }

    /// [`Self::handle`], telling `identified` the article id as soon as the envelope is parsed
    /// (`None` when it cannot be), before the pipeline runs: the worker orders the publication
    /// of records by that id.
    pub fn handle_identified(
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
        let mut record = Record::from_doc(&doc);
        record.replay = self.replay.as_ref();
        match record.to_json() {
            Ok(json) => Outcome::Record(Processed {
                words: record.stats.words,
                tokens: doc.tokens.len(),
                id: doc.article.id.clone(),
                json,
                timings: doc.timings,
            }),
            Err(e) => Outcome::Failed(Failure::new(
                "record",
                Reason::StageError,
                format!("record could not be serialised: {e}"),
            )),
        }
    }
}
