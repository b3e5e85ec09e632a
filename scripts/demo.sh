#!/usr/bin/env bash
# The demo: builds newsworker and runs the whole path (embedded Kafka cluster, sample articles,
# the real worker, records and dead letters read back, metrics). Installs the C toolchain
# librdkafka needs if it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
for pkg in build-essential pkg-config libssl-dev zlib1g-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q --no-install-recommends "${need_apt[@]}"
fi
exec cargo run --release --quiet -- demo "$@"
