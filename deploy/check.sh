#!/usr/bin/env bash
# Checks everything under deploy/ and lists the worker metrics it relies on.
#
#   deploy/check.sh [METRIC_NAMES_FILE]
#
# 1. promtool: the compose Prometheus config, the rule file, and the rule unit tests.
# 2. check.py: every YAML/JSON file parses; structural checks of compose, Kubernetes, Grafana and
#    the alert tests (see check.py); the dashboard's PromQL goes through promtool too.
#    With kubectl installed, both kustomizations (k8s/, k8s-statefulset/) are also built.
# 3. The sorted set of newsworker_* metric names referenced anywhere under deploy/ (recording
#    rules' newsworker:* names are not metrics of the worker) goes to METRICS_NAMES_FILE, or to
#    stdout without one, to be compared with the worker's real /metrics.
#
# Needs promtool (Debian: apt-get install prometheus) and python3 ≥ 3.11 with PyYAML (installed
# with pip if missing). Runs from any working directory; exits non-zero on the first failure.
set -euo pipefail

deploy_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
names_file="${1:-}"
work_dir="$(mktemp -d)"
trap 'rm -rf "$work_dir"' EXIT
trap 'echo "deploy/check.sh: FAILED (line $LINENO)" >&2' ERR

step() { printf '\n== %s\n' "$*"; }

if ! command -v promtool > /dev/null; then
  echo "deploy/check.sh: promtool not found (Debian: apt-get install prometheus)" >&2
  exit 1
fi
if ! python3 -c 'import yaml' 2> /dev/null; then
  step "installing PyYAML"
  python3 -m pip install --quiet pyyaml 2> /dev/null \
    || python3 -m pip install --quiet --break-system-packages pyyaml
fi

step "promtool check config"
promtool check config "$deploy_dir/prometheus/prometheus.yml"

step "promtool check rules"
promtool check rules "$deploy_dir/prometheus/alerts.yml"

step "promtool test rules"
promtool test rules "$deploy_dir/prometheus/alerts.test.yml"

step "structure of compose, Kubernetes, Grafana and alert tests"
python3 "$deploy_dir/check.py" "$deploy_dir" "$work_dir/dashboard-queries.yml"

if command -v kubectl > /dev/null; then
  step "kubectl kustomize (the Deployment base and the StatefulSet variant)"
  for dir in k8s k8s-statefulset; do
    kubectl kustomize "$deploy_dir/$dir" > "$work_dir/$dir.yaml"
    echo "  $dir: $(grep -c '^kind:' "$work_dir/$dir.yaml") objects"
  done
else
  step "kubectl not found: the kustomizations are checked by check.py only, not built"
fi

step "promtool check rules (dashboard queries)"
promtool check rules "$work_dir/dashboard-queries.yml"

step "newsworker metrics referenced under deploy/"
# Lower-case metric names only: NEWSWORKER__* environment variables do not match.
grep -rhoE --exclude=check.sh --exclude=check.py '\bnewsworker_[a-z0-9_]*[a-z0-9]\b' "$deploy_dir" \
  | LC_ALL=C sort -u > "$work_dir/metric-names.txt"
if [[ ! -s "$work_dir/metric-names.txt" ]]; then
  echo "deploy/check.sh: no newsworker_* metric found under $deploy_dir" >&2
  exit 1
fi
if [[ -n "$names_file" ]]; then
  cp "$work_dir/metric-names.txt" "$names_file"
  echo "$(wc -l < "$names_file") names written to $names_file"
else
  cat "$work_dir/metric-names.txt"
fi

printf '\ndeploy/check.sh: all checks passed\n'
