#!/usr/bin/env bash
# HTTP/3 reverse-proxy benchmark: RTA Gateway vs Caddy 2.6, both proxying to
# the same nginx on loopback, driven by gtlsclient (the ngtcp2 reference
# client). Everything runs on 127.0.0.1, every run is bounded by a timeout,
# and all processes started here are stopped on exit. See docs/benchmarks.md.
#
# Usage: Benchmarks/proxy/run.sh [options]
#   --runs N            timed runs per proxy and mode (default 5)
#   --requests N        requests on one connection, mode "single" (default 20000)
#   --procs P           parallel gtlsclient processes, mode "parallel" (default 4)
#   --per-proc N        requests per process in mode "parallel" (default 5000)
#   --only caddy|gateway  benchmark one proxy only (default: both)
#   --no-build          use the existing release binary instead of building it
#   --no-baseline       skip gtlsserver serving the same body directly
#   --keep              keep the temporary directory (logs, configs)
# Ports (env): BENCH_NGINX_PORT 18080, BENCH_CADDY_PORT 4434,
#              BENCH_GATEWAY_PORT 4435, BENCH_BASELINE_PORT 4436.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)

runs=5 single_n=20000 procs=4 per_proc=5000 only=both build=1 baseline=1 keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --requests) single_n=$2; shift 2 ;;
    --procs) procs=$2; shift 2 ;;
    --per-proc) per_proc=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --no-baseline) baseline=0; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 64 ;;
  esac
done
case "$only" in both|caddy|gateway) ;; *) echo "run.sh: --only takes caddy or gateway" >&2; exit 64 ;; esac

nginx_port=${BENCH_NGINX_PORT:-18080}
caddy_port=${BENCH_CADDY_PORT:-4434}
gateway_port=${BENCH_GATEWAY_PORT:-4435}
baseline_port=${BENCH_BASELINE_PORT:-4436}
run_timeout=${BENCH_RUN_TIMEOUT:-120}
body="hello from nginx"

# shellcheck source=../lib.sh
. "$repo/Benchmarks/lib.sh"

for tool in gtlsclient nginx caddy ss python3; do
  command -v "$tool" >/dev/null || die "$tool not found: run scripts/setup.sh"
done
[ "$baseline" = 0 ] || command -v gtlsserver >/dev/null || die "gtlsserver not found: run scripts/setup.sh"
bash "$repo/scripts/gen-dev-cert.sh" >/dev/null
cert="$repo/fixtures/dev-cert.pem"
key="$repo/fixtures/dev-key.pem"

tmp=$(mktemp -d /tmp/rta-bench.XXXXXX)
pids=()     # servers, stopped at exit
clients=()  # load generators of the current run, stopped at exit if still running
cleanup() {
  local pid
  for pid in "${clients[@]}" "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$keep" = 1 ]; then log "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for port in "$nginx_port" "$caddy_port" "$gateway_port" "$baseline_port"; do
  if udp_listening "$port" || tcp_listening "$port"; then die "port $port is already in use (set BENCH_*_PORT)"; fi
done

# nginx access-log lines so far (the log is flushed every second).
served() { sleep 1.2; wc -l < "$tmp/nginx-access.log"; }

# --- nginx upstream -------------------------------------------------------------
mkdir -p "$tmp/static"
printf '%s\n' "$body" > "$tmp/static/hello"
user_line=""
[ "$(id -u)" -eq 0 ] && user_line="user root;"
sed -e "s|@PREFIX@|$tmp|g" -e "s|@PORT@|$nginx_port|g" -e "s|@USER_LINE@|$user_line|" \
  "$here/nginx.conf" > "$tmp/nginx.conf"
nginx -p "$tmp" -c "$tmp/nginx.conf" > "$tmp/nginx.out" 2>&1 &
pids+=($!)
wait_for tcp_listening "$nginx_port" "$!" 10 || die "nginx did not start: $(cat "$tmp/nginx.out" "$tmp/nginx-error.log" 2>/dev/null)"
log "nginx 1 worker on 127.0.0.1:$nginx_port (GET /hello -> \"$body\")"

# probe NAME PORT: one verbose request; the proxy must answer 200 with nginx's body,
# and nginx must have logged it (so the answer crossed the proxy).
probe() {
  local before after out
  before=$(served)
  out=$(timeout 15 gtlsclient --no-quic-dump --exit-on-all-streams-close --sni=localhost \
        127.0.0.1 "$2" https://localhost/hello 2>&1) || true
  after=$(served)
  if ! grep -q ':status: 200\]' <<<"$out" || ! grep -q "|$body" <<<"$out"; then
    log "$1: probe failed (no 200 with nginx's body over HTTP/3); last client lines:"
    grep '^http:' <<<"$out" | tail -5 | sed 's/^/    /'
    return 1
  fi
  if [ "$1" != baseline ] && [ $((after - before)) -ne 1 ]; then
    log "$1: probe answered 200 but nginx logged $((after - before)) requests"
    return 1
  fi
  local streams
  streams=$(grep -m1 -o 'initial_max_streams_bidi=[0-9]*' <<<"$out" | cut -d= -f2)
  log "$1: probe OK (HTTP/3 200, expected body, $(grep -m1 -o 'server: [^]]*' <<<"$out" | head -1), server allows ${streams:-?} concurrent streams)"
}

targets=()

# --- Caddy ----------------------------------------------------------------------
if [ "$only" != gateway ]; then
  BENCH_CADDY_PORT=$caddy_port BENCH_NGINX_PORT=$nginx_port BENCH_CERT=$cert BENCH_KEY=$key \
  HOME=$tmp XDG_DATA_HOME=$tmp/caddy-data XDG_CONFIG_HOME=$tmp/caddy-config \
    caddy run --config "$here/Caddyfile" --adapter caddyfile > "$tmp/caddy.log" 2>&1 &
  pids+=($!)
  if wait_for udp_listening "$caddy_port" "$!" 10 && probe caddy "$caddy_port"; then
    targets+=("caddy:$caddy_port")
    log "caddy $(caddy version | cut -d' ' -f1) on udp 127.0.0.1:$caddy_port"
  else
    log "caddy unavailable; log: $(tail -3 "$tmp/caddy.log")"
  fi
fi

# --- RTA Gateway ----------------------------------------------------------------
if [ "$only" != caddy ]; then
  scratch=${RTA_SCRATCH_PATH:-$repo/.build}
  gateway_ok=1
  if [ "$build" = 1 ]; then
    log "building rta-gateway (release, scratch $scratch) ..."
    if ! (cd "$repo" && swift build -c release --product rta-gateway --scratch-path "$scratch") > "$tmp/build.log" 2>&1; then
      log "gateway: release build failed; tail of the log:"; tail -15 "$tmp/build.log" | sed 's/^/    /'
      gateway_ok=0
    fi
  fi
  binary="$scratch/release/rta-gateway"
  if [ "$gateway_ok" = 1 ] && [ ! -x "$binary" ]; then
    log "gateway: $binary not found"; gateway_ok=0
  fi
  if [ "$gateway_ok" = 1 ]; then
    sed -e "s|@PREFIX@|$tmp|g" -e "s|@GATEWAY_PORT@|$gateway_port|g" -e "s|@NGINX_PORT@|$nginx_port|g" \
        -e "s|@CERT@|$cert|g" -e "s|@KEY@|$key|g" "$here/gateway-bench.yaml" > "$tmp/gateway.yaml"
    "$binary" serve --config "$tmp/gateway.yaml" > "$tmp/gateway.log" 2>&1 &
    pids+=($!)
    if wait_for udp_listening "$gateway_port" "$!" 10 && probe gateway "$gateway_port"; then
      targets+=("gateway:$gateway_port")
    else
      log "gateway unavailable; log: $(tail -3 "$tmp/gateway.log" 2>/dev/null)"
    fi
  fi
fi

# --- baseline: gtlsserver serving the same body without any proxy -------------
if [ "$baseline" = 1 ]; then
  gtlsserver -q -d "$tmp/static" 127.0.0.1 "$baseline_port" "$key" "$cert" > "$tmp/gtlsserver.log" 2>&1 &
  pids+=($!)
  if wait_for udp_listening "$baseline_port" "$!" 10 && probe baseline "$baseline_port"; then
    targets+=("baseline:$baseline_port")
  else
    log "baseline gtlsserver unavailable"
  fi
fi

[ ${#targets[@]} -gt 0 ] || die "nothing to benchmark"

# --- timed runs -------------------------------------------------------------------
results="$tmp/results.tsv"
printf 'target\tmode\trun\trequests\tseconds\treq_per_s\tvalid\n' > "$results"

# timed_run NAME PORT MODE RUN
timed_run() {
  local name=$1 port=$2 mode=$3 run=$4 n count per start end rc=0 before after secs rps valid pid i
  if [ "$mode" = single ]; then count=1 per=$single_n; else count=$procs per=$per_proc; fi
  n=$((count * per))
  before=$(served)
  clients=()
  start=$(date +%s%N)
  rm -f "$tmp"/client-*.err
  for i in $(seq "$count"); do
    timeout "$run_timeout" gtlsclient -q --exit-on-all-streams-close --sni=localhost -n "$per" \
      127.0.0.1 "$port" https://localhost/hello > /dev/null 2> "$tmp/client-$i.err" &
    clients+=($!)
  done
  for pid in "${clients[@]}"; do wait "$pid" || rc=$?; done
  end=$(date +%s%N)
  after=$(served)
  secs=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", (e - s) / 1e9 }')
  rps=$(awk -v n="$n" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')
  valid=yes
  # gtlsclient exits 0 even after a handshake timeout; in -q mode it prints only errors.
  local errors
  errors=$(cat "$tmp"/client-*.err)
  [ -z "$errors" ] || valid="no(client: $(head -n 1 <<<"$errors"))"
  [ "$rc" -eq 0 ] || valid="no(client exit $rc)"
  if [ "$name" != baseline ] && [ $((after - before)) -ne "$n" ]; then
    valid="no(nginx saw $((after - before)) of $n)"
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$mode" "$run" "$n" "$secs" "$rps" "$valid" >> "$results"
  printf 'bench: %-8s %-8s run %d: %6d req in %7ss = %7s req/s  %s\n' "$name" "$mode" "$run" "$n" "$secs" "$rps" "$valid"
}

load=$(cut -d' ' -f1 /proc/loadavg)
log "load average before the runs: $load (cores: $(nproc))"
awk -v l="$load" 'BEGIN { exit !(l > 0.5) }' && log "WARNING: the machine is busy; numbers will be noisy"
log "runs: $runs per target and mode; single = $single_n requests on 1 connection; parallel = $procs x $per_proc (1 connection each)"
for mode in single parallel; do
  for run in $(seq "$runs"); do
    # Alternate the order so slow drift of the machine does not favour one proxy.
    order=("${targets[@]}")
    if [ $((run % 2)) -eq 0 ]; then
      order=(); for ((i = ${#targets[@]} - 1; i >= 0; i--)); do order+=("${targets[$i]}"); done
    fi
    for t in "${order[@]}"; do timed_run "${t%%:*}" "${t##*:}" "$mode" "$run"; done
  done
done

log "load average after the runs: $(cut -d' ' -f1 /proc/loadavg) (includes the benchmark itself)"

# --- summary ---------------------------------------------------------------------
python3 - "$results" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
print("\nbench: summary (median req/s over valid runs)")
table = {}
for r in rows:
    table.setdefault((r["target"], r["mode"]), {})[r["run"]] = (float(r["req_per_s"]), r["valid"] == "yes")
for mode in ("single", "parallel"):
    for target in ("caddy", "gateway", "baseline"):
        runs = table.get((target, mode))
        if not runs:
            continue
        good = [v for v, ok in runs.values() if ok]
        med = f"{statistics.median(good):9.0f}" if good else "      n/a"
        print(f"  {mode:8s} {target:8s} median {med} req/s  ({len(good)}/{len(runs)} valid runs: "
              + ", ".join(f"{v:.0f}" for v, _ in runs.values()) + ")")
    g, c = table.get(("gateway", mode)), table.get(("caddy", mode))
    if g and c:
        ratios = [g[k][0] / c[k][0] for k in g if k in c and g[k][1] and c[k][1]]
        if ratios:
            print(f"  {mode:8s} gateway/caddy: median of per-run ratios {statistics.median(ratios):.2f} "
                  f"({len(ratios)} pairs)")
invalid = [r for r in rows if r["valid"] != "yes"]
if invalid:
    print(f"  {len(invalid)} invalid run(s): " + "; ".join(f"{r['target']} {r['mode']} run {r['run']}: {r['valid']}" for r in invalid))
    sys.exit(1)
PY
