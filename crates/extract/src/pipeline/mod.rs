//! The pipeline: an ordered list of named stages over one [`Doc`].
//!
//! A stage is anything that implements [`Stage`]: it reads what earlier stages wrote on the
//! document and adds its own annotations. The [`Pipeline`] runs the stages in order, times each
//! one, skips the English-only stages on articles in other languages (saying so in the record),
//! and turns a stage's error — or its panic — into a [`Failure`] naming the stage, so one bad
//! article ends in the dead-letter topic instead of taking the worker down.
//!
//! The pipeline knows no stage: the standard stage list lives in
//! [`stages::standard`](crate::stages::standard), and [`Extractor`](crate::Extractor) puts the
//! two together.

pub mod doc;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

pub use doc::{Doc, Span};

use crate::contract::failure::{Failure, Reason};
use doc::{Skipped, StageTiming};

/// Version of the pipeline's output, written into every record as `pipeline.version`.
pub const VERSION: &str = concat!("newsworker/", env!("CARGO_PKG_VERSION"));

/// An error a stage reports for a document it cannot process.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason}: {message}")]
pub struct StageError {
    /// The failure kind.
    pub reason: Reason,
    /// What went wrong.
    pub message: String,
}

impl StageError {
    /// A stage error of the generic kind.
    pub fn new(message: impl Into<String>) -> Self {
        StageError {
            reason: Reason::StageError,
            message: message.into(),
        }
    }
}

/// One named step of the pipeline.
pub trait Stage: Send + Sync {
    /// The stage's name, used in records, metrics and DLQ headers.
    fn name(&self) -> &'static str;

    /// Whether the stage only understands English; it is skipped for other languages.
    fn english_only(&self) -> bool {
        false
    }

    /// Annotates the document.
    fn run(&self, doc: &mut Doc) -> Result<(), StageError>;
}

/// An ordered list of stages.
pub struct Pipeline {
    stages: Vec<Box<dyn Stage>>,
}

impl Pipeline {
    /// A pipeline of the given stages, run in order.
    pub fn new(stages: Vec<Box<dyn Stage>>) -> Self {
        Pipeline { stages }
    }

    /// The stage names, in order.
    pub fn stage_names(&self) -> Vec<&'static str> {
        self.stages.iter().map(|s| s.name()).collect()
    }

    /// Runs every stage over `doc`, recording timings and skips on the document.
    pub fn run(&self, doc: &mut Doc) -> Result<(), Failure> {
        for stage in &self.stages {
            if stage.english_only() && !doc.is_english() {
                let code = doc.language.as_ref().map_or("", |l| l.code.as_str());
                doc.skipped.push(Skipped {
                    stage: stage.name(),
                    reason: format!("English-only stage; the article's language is {code}"),
                });
                continue;
            }
            let started = Instant::now();
            let outcome = catch_unwind(AssertUnwindSafe(|| stage.run(doc)));
            doc.timings.push(StageTiming {
                stage: stage.name(),
                elapsed_us: u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
            });
            match outcome {
                Ok(Ok(())) => {}
                Ok(Err(e)) => return Err(Failure::new(stage.name(), e.reason, e.message)),
                Err(panic) => {
                    return Err(Failure::new(
                        stage.name(),
                        Reason::StageError,
                        format!("stage panicked: {}", panic_message(panic.as_ref())),
                    ));
                }
            }
        }
        Ok(())
    }
}

/// The message a caught panic carries (`panic!` with a literal or a formatted string), or
/// "unknown panic" for any other payload.
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_caught_panic_gives_its_message() {
        let caught = |f: fn()| catch_unwind(f).unwrap_err();
        assert_eq!(
            panic_message(caught(|| panic!("bad article")).as_ref()),
            "bad article"
        );
        assert_eq!(
            panic_message(caught(|| panic!("stage {}", 3)).as_ref()),
            "stage 3"
        );
        assert_eq!(
            panic_message(caught(|| std::panic::panic_any(7u8)).as_ref()),
            "unknown panic"
        );
    }
    use crate::contract::envelope::Article;

    struct Annotate;
    impl Stage for Annotate {
        fn name(&self) -> &'static str {
            "annotate"
        }
        fn run(&self, doc: &mut Doc) -> Result<(), StageError> {
            doc.text = "annotated".into();
            Ok(())
        }
    }

    struct EnglishOnly;
    impl Stage for EnglishOnly {
        fn name(&self) -> &'static str {
            "english_only"
        }
        fn english_only(&self) -> bool {
            true
        }
        fn run(&self, doc: &mut Doc) -> Result<(), StageError> {
            doc.text.push('!');
            Ok(())
        }
    }

    struct Fails;
    impl Stage for Fails {
        fn name(&self) -> &'static str {
            "fails"
        }
        fn run(&self, _: &mut Doc) -> Result<(), StageError> {
            Err(StageError::new("nope"))
        }
    }

    struct Panics;
    impl Stage for Panics {
        fn name(&self) -> &'static str {
            "panics"
        }
        fn run(&self, _: &mut Doc) -> Result<(), StageError> {
            panic!("boom")
        }
    }

    fn doc() -> Doc {
        Doc::new(
            Article {
                id: "x".into(),
                url: None,
                outlet: None,
                published_at: None,
                title: None,
                language: None,
                text: Some("t".into()),
                html: None,
            },
            None,
        )
    }

    #[test]
    fn stages_run_in_order_and_are_timed() {
        let p = Pipeline::new(vec![Box::new(Annotate), Box::new(EnglishOnly)]);
        let mut d = doc();
        p.run(&mut d).unwrap();
        assert_eq!(d.text, "annotated!");
        let names: Vec<_> = d.timings.iter().map(|t| t.stage).collect();
        assert_eq!(names, ["annotate", "english_only"]);
    }

    #[test]
    fn english_only_stages_are_skipped_for_other_languages() {
        let p = Pipeline::new(vec![Box::new(EnglishOnly)]);
        let mut d = doc();
        d.language = Some(doc::Language {
            code: "de".into(),
            confidence: 0.9,
        });
        p.run(&mut d).unwrap();
        assert_eq!(d.skipped.len(), 1);
        assert_eq!(d.skipped[0].stage, "english_only");
        assert!(d.timings.is_empty());
    }

    #[test]
    fn errors_and_panics_become_failures_naming_the_stage() {
        let mut d = doc();
        let f = Pipeline::new(vec![Box::new(Fails)])
            .run(&mut d)
            .unwrap_err();
        assert_eq!((f.stage, f.reason), ("fails", Reason::StageError));
        let f = Pipeline::new(vec![Box::new(Panics)])
            .run(&mut d)
            .unwrap_err();
        assert_eq!(f.stage, "panics");
        assert!(f.message.contains("boom"), "{}", f.message);
    }
}
