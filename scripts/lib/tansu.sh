# start_scratch_broker [sqlite|memory]: starts tansu 0.6.0 (installed by
# scripts/install-test-tools.sh) on a free loopback port, with SQLite storage in a temporary
# directory (the default) or in memory, waits until it accepts connections, and sets BROKER
# (host:port) and SCRATCH (a directory for the caller's own files). The broker and both
# directories go when the calling script exits.
start_scratch_broker() {
  local tansu="${NEWSWORKER_TANSU:-${NEWSWORKER_TOOLS:-$HOME/.cache/newsworker}/tansu-0.6.0/bin/tansu}"
  local port url storage
  case "${1:-sqlite}" in
    sqlite) storage="sqlite://tansu.db" ;;
    memory) storage="memory://tansu/" ;;
    *) echo "start_scratch_broker: unknown storage '$1' (sqlite or memory)" >&2; return 2 ;;
  esac
  _broker_dir="$(mktemp -d)"
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  url="tcp://127.0.0.1:$port"
  # tansu reads the path of a sqlite:// URL as relative, so it runs inside its directory.
  (cd "$_broker_dir" && exec "$tansu" broker --listener-url "$url" --advertised-listener-url "$url" \
    --storage-engine "$storage" >tansu.log 2>&1) &
  _broker_pid=$!
  trap 'kill "$_broker_pid" 2>/dev/null; wait "$_broker_pid" 2>/dev/null; rm -rf "$_broker_dir"' EXIT
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
  done
  BROKER="127.0.0.1:$port"
  SCRATCH="$_broker_dir/scratch"
  mkdir -p "$SCRATCH"
}
