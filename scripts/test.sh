#!/usr/bin/env bash
# Every test: formatting, lints, unit tests, integration tests against a real broker (tansu,
# started by the tests themselves), the deploy checks (promtool), and a short fuzzing run of
# every cargo-fuzz target (NEWSWORKER_FUZZ_SECONDS each, default 30). Installs what it needs.
# NEWSWORKER_LONG_TESTS=1 runs the long versions (the 10,000-article crash test).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-test-tools.sh
export NEWSWORKER_TANSU="${NEWSWORKER_TANSU:-${NEWSWORKER_TOOLS:-$HOME/.cache/newsworker}/tansu-0.6.0/bin/tansu}"

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy --all-targets -- -D warnings"
cargo clippy --all-targets -- -D warnings
echo "== deploy checks (promtool, manifests)"
bash deploy/check.sh
echo "== cargo test"
cargo test --all-targets -- --test-threads=2
echo "== fuzzing, time-boxed (scripts/fuzz.sh 3600 for a long run)"
bash scripts/fuzz.sh "${NEWSWORKER_FUZZ_SECONDS:-30}"
