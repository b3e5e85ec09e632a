#!/usr/bin/env bash
# The performance figures in the README: `newsworker-dev bench` on a corpus (default: the BBC
# articles), in process on 1 and all cores, then end to end through a real broker (tansu 0.6.0
# with SQLite storage, started here on a free port and stopped afterwards) as a ratio to the
# in-process throughput. Extra arguments go to `newsworker-dev bench` (e.g. --html DIR).
#   bash scripts/bench.sh [CORPUS] [BENCH ARGS...]
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-test-tools.sh >/dev/null
tansu="${NEWSWORKER_TANSU:-${NEWSWORKER_TOOLS:-$HOME/.cache/newsworker}/tansu-0.6.0/bin/tansu}"
cargo build --release --quiet -p newsworker-devtools

corpus="${1:-../shared/data/bbc/articles.jsonl}"
shift || true
scratch="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
url="tcp://127.0.0.1:$port"
# tansu reads the path of a sqlite:// URL as relative, so it runs inside its directory.
(cd "$scratch" && exec "$tansu" broker --listener-url "$url" --advertised-listener-url "$url" \
  --storage-engine sqlite://tansu.db >tansu.log 2>&1) &
broker=$!
trap 'kill "$broker" 2>/dev/null; wait "$broker" 2>/dev/null; rm -rf "$scratch"' EXIT
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.1
done

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores," \
  "$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)"
RUST_LOG=warn ./target/release/newsworker-dev bench "$corpus" --broker "127.0.0.1:$port" "$@"
