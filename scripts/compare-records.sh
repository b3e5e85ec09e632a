#!/usr/bin/env bash
# Shows that a change left the records alone: runs `newsworker process` of a base revision and of
# the working tree over the 2,225 BBC articles and the 91 HTML pages of the article-extraction
# set, and compares the records byte for byte, except `pipeline.stages[].elapsed_us` and the
# version string, which differ by nature.
#   bash scripts/compare-records.sh [BASE_REV]      (default: origin/main if it exists, else HEAD)
# The base is built in a temporary worktree with its own target directory, cached under
# ${NEWSWORKER_TOOLS:-~/.cache/newsworker}/compare-target so a second run is quick.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
shared="${NEWSWORKER_SHARED:-$root/../shared}"
base="${1:-$(git rev-parse --verify -q origin/main || git rev-parse HEAD)}"
tools="${NEWSWORKER_TOOLS:-$HOME/.cache/newsworker}"
scratch="$(mktemp -d)"
trap 'git worktree remove --force "$scratch/base" >/dev/null 2>&1 || true; rm -rf "$scratch"' EXIT

echo "== building the base ($(git rev-parse --short "$base")) and the working tree"
git worktree add --detach "$scratch/base" "$base" >/dev/null
(cd "$scratch/base" && CARGO_TARGET_DIR="$tools/compare-target" cargo build --release --quiet)
cargo build --release --quiet --bin newsworker

# The HTML pages as envelopes, one per line, named by their file.
python3 - "$shared/data/article-extraction/html" > "$scratch/html.jsonl" <<'EOF'
import gzip, json, os, sys
folder = sys.argv[1]
for name in sorted(os.listdir(folder)):
    with gzip.open(os.path.join(folder, name), "rb") as f:
        page = f.read().decode("utf-8", errors="replace")
    print(json.dumps({"id": name, "html": page}))
EOF

status=0
for corpus in "$shared/data/bbc/articles.jsonl" "$scratch/html.jsonl"; do
  name="$(basename "$corpus")"
  # Each binary runs from inside its own tree, where a pre-workspace binary finds its model.
  (cd "$scratch/base" && "$tools/compare-target/release/newsworker" process "$corpus" \
    > "$scratch/base-$name" 2>/dev/null) || true
  "$root/target/release/newsworker" process "$corpus" > "$scratch/new-$name" 2>/dev/null || true
  python3 - "$scratch/base-$name" "$scratch/new-$name" "$name" <<'EOF' || status=1
import re, sys
def lines(path):
    with open(path, encoding="utf-8") as f:
        out = []
        for line in f:
            line = re.sub(r'"elapsed_us":\d+', '"elapsed_us":0', line)
            line = re.sub(r'"version":"newsworker/[^"]*"', '"version":""', line)
            out.append(line)
        return out
base, new, name = lines(sys.argv[1]), lines(sys.argv[2]), sys.argv[3]
same = sum(1 for a, b in zip(base, new) if a == b)
print(f"{name}: base {len(base)} records, new {len(new)} records, {same} byte-identical")
for i, (a, b) in enumerate(zip(base, new)):
    if a != b:
        n = next(k for k in range(min(len(a), len(b))) if a[k] != b[k]) if a[:len(b)] != b[:len(a)] else min(len(a), len(b))
        print(f"  first difference in record {i + 1} at character {n}:\n  base …{a[max(0, n - 80):n + 80]}…\n  new  …{b[max(0, n - 80):n + 80]}…")
        break
sys.exit(0 if len(base) == len(new) == same else 1)
EOF
done
exit $status
