#!/usr/bin/env bash
# Time-boxed fuzzing of the libFuzzer targets in fuzz/ (see fuzz/fuzz_targets/).
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#
#   scripts/fuzz.sh              # CI: every target for 60 s
#   scripts/fuzz.sh 3600         # a long run: an hour per target
#   scripts/fuzz.sh 600 pipeline # one target
#
# Installs cargo-fuzz once into a cached root ($NEWSWORKER_TOOLS, default ~/.cache/newsworker),
# builds the targets (optimised, with debug assertions and overflow checks, as cargo-fuzz does
# by default), then runs each one seeded from fuzz/seeds/<target> and the corpus earlier runs
# grew in fuzz/corpus/<target>. Exits non-zero if any target crashed, printing the reproducer
# path under fuzz/artifacts/<target>/; `cargo fuzz run <target> <file>` replays it.
#
# Toolchain: the default `cargo` (stable is enough). AddressSanitizer needs the unstable flag
# -Zsanitizer, which RUSTC_BOOTSTRAP=1 unlocks on a stable compiler; LDFLAGS carries
# -fsanitize=address to the C code that build scripts link (gcc's libasan). The targets use only
# the extraction library, so no Kafka client is built. FUZZ_SANITIZER=none builds without a
# sanitizer and without any unstable flag, where that is not possible.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
shift || true
sanitizer="${FUZZ_SANITIZER:-address}"
cargo_fuzz_version=0.13.2
cargo_fuzz_root="${NEWSWORKER_TOOLS:-$HOME/.cache/newsworker}/cargo-fuzz-$cargo_fuzz_version"

if [ ! -x "$cargo_fuzz_root/bin/cargo-fuzz" ]; then
  echo "== installing cargo-fuzz $cargo_fuzz_version into $cargo_fuzz_root (about 2 minutes, once)"
  cargo install cargo-fuzz --version "$cargo_fuzz_version" --locked --root "$cargo_fuzz_root"
fi
export PATH="$cargo_fuzz_root/bin:$PATH"

case "$sanitizer" in
  address)
    export RUSTC_BOOTSTRAP=1
    export LDFLAGS="-fsanitize=address${LDFLAGS:+ $LDFLAGS}"
    ;;
  none) ;;
  *)
    echo "FUZZ_SANITIZER must be address or none, not $sanitizer" >&2
    exit 2
    ;;
esac

if [ "$#" -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(cargo fuzz list --fuzz-dir fuzz)
fi

# Longest input per target: whole pages for the parser; for the pipeline, inputs big enough for
# several paragraphs but small enough that time goes to variety, not to megabyte inputs.
max_len() {
  case "$1" in
    envelope) echo 262144 ;;
    *) echo 65536 ;;
  esac
}

echo "== building fuzz targets ($(rustc --version), sanitizer: $sanitizer)"
build_started=$SECONDS
cargo fuzz build --fuzz-dir fuzz -s "$sanitizer"
echo "built in $((SECONDS - build_started)) s"

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
crashed=()
for target in "${targets[@]}"; do
  echo "== fuzzing $target for $seconds s"
  mkdir -p "fuzz/corpus/$target"
  status=0
  # -detect_leaks=0: the pipeline keeps state by design (the near-duplicate window fills up to its
  # configured size), so LeakSanitizer would rescan the whole heap, NER model included, after
  # nearly every input: measured, that was over half the run time. A leak is no memory-safety bug.
  cargo fuzz run --fuzz-dir fuzz -s "$sanitizer" "$target" \
    "fuzz/corpus/$target" "fuzz/seeds/$target" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=60 \
    -max_len="$(max_len "$target")" -detect_leaks=0 -print_final_stats=1 \
    >"$logs/$target.log" 2>&1 || status=$?
  # The last status line carries executions, coverage and speed.
  grep -E '^#[0-9]+' "$logs/$target.log" | tail -n 1 || true
  grep -E '^(Done [0-9]+ runs|stat::number_of_executed_units|stat::average_exec_per_sec)' \
    "$logs/$target.log" || true
  if [ "$status" -ne 0 ]; then
    crashed+=("$target")
    echo "!! $target failed (exit $status); the end of its log:"
    tail -n 60 "$logs/$target.log"
    grep -E 'Test unit written to|artifact_prefix' "$logs/$target.log" || true
  fi
done

if [ "${#crashed[@]}" -gt 0 ]; then
  echo "== crashes in: ${crashed[*]}; reproducers are under fuzz/artifacts/" >&2
  exit 1
fi
echo "== no crashes in ${targets[*]} ($seconds s each)"
