#!/usr/bin/env bash
# The performance figures in the README: `newsworker-dev bench` on a corpus (default: the BBC
# articles), in process on 1 and all cores, then end to end through a real broker (tansu 0.6.0,
# started here on a free port and stopped afterwards) as a ratio to the in-process figures.
# Extra arguments go to `newsworker-dev bench` (e.g. --html DIR, --rounds N).
#   bash scripts/bench.sh [CORPUS] [BENCH ARGS...]
# The broker keeps its log in memory unless NEWSWORKER_BENCH_STORAGE=sqlite. A broker that
# acknowledges promptly, as Kafka does from its page cache, is what the worker's cost should be
# measured against: tansu's SQLite storage commits every produce request to a database on the
# same two cores, and while the worker's producer waits for those acknowledgements, librdkafka's
# broker thread polls (the README's benchmark table has both figures and the profile).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-test-tools.sh >/dev/null
source scripts/lib/tansu.sh
source scripts/lib/machine.sh
cargo build --release --quiet -p newsworker-devtools

corpus="${1:-../shared/data/bbc/articles.jsonl}"
shift || true
start_scratch_broker "${NEWSWORKER_BENCH_STORAGE:-memory}"

describe_machine
RUST_LOG=warn ./target/release/newsworker-dev bench "$corpus" --broker "$BROKER" "$@"
