# Shared by the benchmark scripts (sourced): logging, and a temporary directory whose
# processes (appended to `pids`) are stopped, and which is removed unless keep=1,
# whenever the script ends (also on Ctrl-C).

log() { printf 'bench: %s\n' "$*"; }
die() { printf 'bench: ERROR: %s\n' "$*" >&2; exit 1; }

# bench_workdir NAME: sets `tmp` (/tmp/rta-NAME-bench.XXXXXX) and `pids`, installs the traps.
bench_workdir() {
  tmp=$(mktemp -d "/tmp/rta-$1-bench.XXXXXX")
  pids=()
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

bench_cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "${keep:-0}" = 1 ]; then log "kept $tmp"; else rm -rf "$tmp"; fi
}

udp_listening() { [ -n "$(ss -Hlun "sport = :$1" 2>/dev/null)" ]; }
tcp_listening() { [ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]; }

# wait_for CHECK PORT PID [SECONDS]: until CHECK PORT succeeds (default 20 s), failing
# early if PID died.
wait_for() {
  local i
  for i in $(seq $((${4:-20} * 10))); do
    "$1" "$2" && return 0
    kill -0 "$3" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}
