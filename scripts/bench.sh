#!/usr/bin/env bash
# The performance figures in docs/performance.md: `newsworker-dev bench` on a corpus (default: the BBC
# articles), in process on 1 and all cores, then end to end through a real broker (Apache Kafka
# 4.1.2, started here on free ports and stopped afterwards) as a ratio to the in-process figures.
# Extra arguments go to `newsworker-dev bench` (e.g. --html DIR, --rounds N).
#   bash scripts/bench.sh [CORPUS] [BENCH ARGS...]
# The broker shares the machine's cores with the worker, so the end-to-end CPU ratio includes
# what the two compete for.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-test-tools.sh >/dev/null
source scripts/lib/kafka.sh
source scripts/lib/machine.sh
cargo build --release --quiet -p newsworker-devtools

corpus="${1:-../shared/data/bbc/articles.jsonl}"
shift || true
start_scratch_broker

describe_machine
RUST_LOG=warn ./target/release/newsworker-dev bench "$corpus" --broker "$BROKER" "$@"
