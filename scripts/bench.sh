#!/usr/bin/env bash
# The performance figures in the README: `newsworker-dev bench` on a corpus (default: the BBC
# articles), in process on 1 and all cores, then end to end through a real broker (tansu 0.6.0
# with SQLite storage, started here on a free port and stopped afterwards) as a ratio to the
# in-process throughput. Extra arguments go to `newsworker-dev bench` (e.g. --html DIR).
#   bash scripts/bench.sh [CORPUS] [BENCH ARGS...]
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-test-tools.sh >/dev/null
source scripts/lib/tansu.sh
source scripts/lib/machine.sh
cargo build --release --quiet -p newsworker-devtools

corpus="${1:-../shared/data/bbc/articles.jsonl}"
shift || true
start_scratch_broker

describe_machine
RUST_LOG=warn ./target/release/newsworker-dev bench "$corpus" --broker "$BROKER" "$@"
