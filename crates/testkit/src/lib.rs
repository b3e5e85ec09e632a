//! Test support shared by the workspace's tests.
//!
//! The evaluation and golden tests read annotated data that lives beside the repository, in
//! `../shared` (the reference article and its gold record, CoNLL-2003, PolNeAR, TempEval-3, the
//! article-extraction pages). Someone who cloned only the repository has none of it: their test
//! run must still pass every product test, and say which data tests it skipped. In CI the data
//! must be there, so a missing file fails the test instead.
//!
//! [`shared`] decides that in one place: it returns the path when the file exists; otherwise,
//! with `CI=true` it panics, and without it it records the skip (on standard error and in the
//! file named by `NEWSWORKER_SKIPPED`, which `scripts/test.sh` prints at the end) and returns
//! `None` for the test to return early.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The workspace root.
pub fn workspace_root() -> &'static Path {
    // crates/testkit → the workspace root.
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// The shared data folder: `NEWSWORKER_SHARED`, else `../shared` beside the workspace.
pub fn shared_root() -> PathBuf {
    std::env::var_os("NEWSWORKER_SHARED")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("../shared"))
}

/// `relative` inside the shared data folder, for the test `test`; `None` (the test is skipped)
/// when the clone has no shared data and this is not CI.
pub fn shared(test: &str, relative: &str) -> Option<PathBuf> {
    let path = shared_root().join(relative);
    if path.exists() {
        return Some(path);
    }
    let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    assert!(
        !ci,
        "{test}: the shared data {} is missing, and CI=true requires it",
        path.display()
    );
    skip(&format!(
        "{test}: skipped, no {relative} in {}",
        shared_root().display()
    ));
    None
}

/// Records that a test was skipped, and why (`line` names the test): on standard error and in
/// the file named by `NEWSWORKER_SKIPPED`, which `scripts/test.sh` lists at the end.
pub fn skip(line: &str) {
    eprintln!("{line}");
    if let Some(log) = std::env::var_os("NEWSWORKER_SKIPPED").filter(|v| !v.is_empty()) {
        if let Ok(mut file) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
        {
            let _ = writeln!(file, "{line}");
        }
    }
}
