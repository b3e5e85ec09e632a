//! newsworker's developer tools as a library: the evaluations against the shared annotated data
//! and the benchmarks, used by the `newsworker-dev` binary and by the evaluation floors in
//! `tests/floors.rs`, which the test command runs so that no score drops unnoticed.

pub mod bench;
pub mod eval;
