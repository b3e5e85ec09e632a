#!/usr/bin/env bash
# Every test: formatting, lints, unit tests, integration tests against a real broker (tansu,
# started by the tests themselves), and the deploy checks (promtool). Installs what it needs.
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
