#!/usr/bin/env bash
# Instructions per article in process and end to end through a broker, counted by valgrind's
# callgrind. Unlike CPU time, an instruction count does not grow when the other core is busy
# (on this project's 2-vCPU machines it does: see docs/performance.md), and under
# callgrind the worker runs some 50 times slower, so the broker's acknowledgements are never
# what it waits for: the figure is the worker's own cost of going through Kafka.
#
# It runs `newsworker-dev bench --threads 1` four times, on the first N and 2N articles of the
# corpus, without and with `--broker --rounds 1` (the worker on one thread), and takes
# differences so that start-up and group joining cancel out. Without the broker the bench makes
# two in-process passes (warm-up and measured); with it, one more after the end-to-end pass (the
# measured one is the pass before it):
#   in process = (I(2N) - I(N)) / 2N
#   end to end = ((I(2N, broker) - I(N, broker)) - 1.5 (I(2N) - I(N))) / N
#   bash scripts/bench-instructions.sh [CORPUS] [N]   (default: the BBC articles, N = 100)
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-test-tools.sh >/dev/null
source scripts/lib/apt.sh
ensure_packages valgrind
source scripts/lib/kafka.sh
source scripts/lib/machine.sh
cargo build --release --quiet -p newsworker-devtools

corpus="${1:-../shared/data/bbc/articles.jsonl}"
n="${2:-100}"
start_scratch_broker
describe_machine
head -n "$n" "$corpus" >"$SCRATCH/n.jsonl"
head -n "$((2 * n))" "$corpus" >"$SCRATCH/2n.jsonl"

# instructions CORPUS [BENCH ARGS...]: the instructions the whole bench process executed.
instructions() {
  RUST_LOG=warn NEWSWORKER__WORKER__CPU_THREADS=1 valgrind --tool=callgrind \
    --callgrind-out-file=/dev/null ./target/release/newsworker-dev bench "$@" --threads 1 \
    2>&1 >/dev/null | awk '/Collected :/ { print $NF }'
}

alone_n="$(instructions "$SCRATCH/n.jsonl")"
alone_2n="$(instructions "$SCRATCH/2n.jsonl")"
broker_n="$(instructions "$SCRATCH/n.jsonl" --broker "$BROKER" --rounds 1)"
broker_2n="$(instructions "$SCRATCH/2n.jsonl" --broker "$BROKER" --rounds 1)"
python3 - "$n" "$alone_n" "$alone_2n" "$broker_n" "$broker_2n" <<'PY'
import sys
n, a1, a2, b1, b2 = (int(x) for x in sys.argv[1:])
in_process = (a2 - a1) / (2 * n)
end_to_end = ((b2 - b1) - 1.5 * (a2 - a1)) / n
print(f"instructions per article, {n} articles more: in process {in_process / 1e6:.2f} M, "
      f"end to end through the broker {end_to_end / 1e6:.2f} M: "
      f"{end_to_end / in_process:.2f}x the in-process cost")
PY
