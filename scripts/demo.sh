#!/usr/bin/env bash
# The demo: builds newsworker and runs the whole path (embedded Kafka cluster, sample articles,
# the real worker, records and dead letters read back, metrics). Installs the C toolchain
# librdkafka needs if it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/lib/apt.sh
ensure_packages build-essential pkg-config libssl-dev zlib1g-dev
exec cargo run --release --quiet -- demo "$@"
