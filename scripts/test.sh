#!/usr/bin/env bash
# Every test: formatting, lints, unit tests, the library's doc example, integration tests against
# Apache Kafka 4.1.2 (KRaft nodes started by the tests themselves from the jars that
# install-test-tools.sh resolves from Maven Central), the evaluation and golden floors, the
# deploy checks (promtool), and a short fuzzing run of every cargo-fuzz target
# (NEWSWORKER_FUZZ_SECONDS each, default 30). Installs what it needs.
#
# The evaluation and golden tests read the shared annotated data beside the repository
# (../shared, or NEWSWORKER_SHARED). A clone without it still runs every product test; the data
# tests are skipped and listed at the end. With CI=true the data must be there.
# NEWSWORKER_LONG_TESTS=1 runs the long versions (the 10,000-article crash test).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-test-tools.sh
# A clean clone gains nothing from incremental compilation, and its caches would double the disk
# the test build takes. The free disk is printed first and last, so that a CI machine short of
# disk shows it in the log.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
echo "== free disk: $(df -h --output=avail . | tail -1 | tr -d ' ')"
skipped="$(mktemp)"
trap 'rm -f "$skipped"' EXIT
export NEWSWORKER_SKIPPED="$skipped"

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy --workspace --all-targets -- -D warnings"
cargo clippy --workspace --all-targets -- -D warnings
echo "== derived data rebuilds byte for byte (the first-name list)"
python3 scripts/build-first-names.py --check
echo "== deploy checks (promtool, manifests)"
bash deploy/check.sh
echo "== cargo test (unit, integration, evaluation floors)"
cargo test --workspace --all-targets -- --test-threads=2
echo "== cargo test --doc (the extraction library's example)"
cargo test --workspace --doc
echo "== fuzzing, time-boxed (scripts/fuzz.sh 3600 for a long run)"
bash scripts/fuzz.sh "${NEWSWORKER_FUZZ_SECONDS:-30}"

echo "== free disk at the end: $(df -h --output=avail . | tail -1 | tr -d ' '), the build took $(du -sh target | cut -f1)"
if [ -s "$skipped" ]; then
  echo "== skipped for want of the shared data ($(sort -u "$skipped" | wc -l) tests):"
  sort -u "$skipped" | sed 's/^/   /'
else
  echo "== no test skipped: the shared data was there"
fi
