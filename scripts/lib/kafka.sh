# start_scratch_broker: starts a single-node Apache Kafka 4.1.2 (KRaft, broker and controller in
# one JVM; jars installed by scripts/install-test-tools.sh) on free loopback ports with its data
# in a temporary directory, waits until it serves, and sets BROKER (host:port) and SCRATCH (a
# directory for the caller's own files). The broker and the directory go when the calling
# script exits. The tests start theirs from Rust (crates/worker/tests/common/kafka.rs) with the
# same settings.
start_scratch_broker() {
  local libs="${NEWSWORKER_KAFKA_LIBS:-${NEWSWORKER_TOOLS:-$HOME/.cache/newsworker}/kafka-4.1.2/libs}"
  local port controller cluster
  [ -f "$libs/kafka_2.13-4.1.2.jar" ] || {
    echo "Apache Kafka is not installed in $libs: run bash scripts/install-test-tools.sh" >&2
    return 2
  }
  _broker_dir="$(mktemp -d)"
  port="$(_free_port)"
  controller="$(_free_port)"
  cat >"$_broker_dir/server.properties" <<PROPERTIES
process.roles=broker,controller
node.id=1
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller
advertised.listeners=PLAINTEXT://127.0.0.1:$port
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
controller.quorum.bootstrap.servers=127.0.0.1:$controller
log.dirs=$_broker_dir/data
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
group.initial.rebalance.delay.ms=0
log.cleaner.dedupe.buffer.size=2097152
log.cleaner.threads=1
PROPERTIES
  cat >"$_broker_dir/log4j2.yaml" <<'LOG4J'
Configuration:
  Appenders:
    Console:
      name: STDOUT
      PatternLayout:
        pattern: "[%d] %p %m (%c)%n"
  Loggers:
    Root:
      level: WARN
      AppenderRef:
        - ref: STDOUT
    Logger:
      - name: kafka.server.KafkaRaftServer
        level: INFO
LOG4J
  local java=(java "-Dlog4j2.configurationFile=$_broker_dir/log4j2.yaml" -Xms256m -Xmx1g -cp "$libs/*")
  cluster="$("${java[@]}" kafka.tools.StorageTool random-uuid)"
  "${java[@]}" kafka.tools.StorageTool format -t "$cluster" -c "$_broker_dir/server.properties" \
    --standalone >"$_broker_dir/format.log" 2>&1
  "${java[@]}" kafka.Kafka "$_broker_dir/server.properties" >"$_broker_dir/kafka.log" 2>&1 &
  _broker_pid=$!
  trap 'kill -9 "$_broker_pid" 2>/dev/null; wait "$_broker_pid" 2>/dev/null; rm -rf "$_broker_dir"' EXIT
  for _ in $(seq 600); do
    grep -q "Kafka Server started" "$_broker_dir/kafka.log" && break
    kill -0 "$_broker_pid" 2>/dev/null || { cat "$_broker_dir/kafka.log" >&2; return 1; }
    sleep 0.1
  done
  BROKER="127.0.0.1:$port"
  SCRATCH="$_broker_dir/scratch"
  mkdir -p "$SCRATCH"
}

_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
