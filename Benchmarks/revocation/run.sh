#!/usr/bin/env bash
# Revocation-latency benchmark of RTA Gateway (see README.md here and docs/benchmarks.md,
# "Revocation latency"): with >= 100,000 active agent sessions, how long from a CAEP
# session-revoked SET being pushed (t_send) or accepted (t_accepted, the 202) until
#   (a) the next request of every session of the revoked subject answers 401, and
#   (b) the `revoked` event reaches each of that subject's agents (SSE, PROTOCOL.md §6)?
# Everything runs on 127.0.0.1 on free ports: the dev IdP, the echo upstream, the dev SSF
# transmitter (its JWKS), the release gateway, and one Python driver (driver.py) that
# creates the sessions with real token exchanges over HTTP/3 and measures. Every process
# started here is stopped when the script ends (also on Ctrl-C).
#
# Usage: Benchmarks/revocation/run.sh [options]
#   --rounds N              live rounds: the driver reads, probes and sends the next requests
#                           while the gateway works (default 100)
#   --quiet-rounds N        quiet rounds, alternating with the live ones: the driver blocks for
#                           --quiet-window after t_send, so only the gateway uses the CPU (default 100)
#   --quiet-window S        seconds (default 0.5)
#   --probe-rounds N        rounds like the quiet ones in which a separate prober process pushes
#                           the SET and plays --prober-sessions more agents of the subject, which
#                           send their next request the moment the 202 is read, to
#                           measure (a) without the driver's own backlog (default 100:
#                           the issue asks for ≥ 100 revocations per row)
#   --prober-sessions N     agents the prober plays, each on its own connection (default 4)
#   --prober-nice N         the prober's nice value (default -10, as the gateway's QUIC loop: the
#                           agents stand for other machines; 0 shows this box's scheduler too)
#   --background-subjects N subjects whose sessions stay active (default 100)
#   --sessions N            sessions per subject (default 1000)
#   --connections N         QUIC connections the sessions are spread over (default 20)
#   --probes N              victim sessions with a request always in flight (default 8)
#   --burst N               SETs in the throughput burst, 0 to skip (default 2000)
#   --burst-connections N   HTTP/1.1 connections for the burst (default 16)
#   --max-age D             tokens.max_age = nonce replay window (default 60s; see README)
#   --quick                 smoke test: 10 x 100 background sessions, 5+5+5 rounds of 100, burst 200
#   --no-build              use the existing release binary instead of building it
#   --keep                  keep the temporary directory (config, logs, audit, results.json)
# Prerequisites: bash scripts/setup.sh (Swift toolchain, .venv with aioquic, dev certificate).
# Env: RTA_BENCH_PERF=1 records the gateway with `perf record -g` during each round's push window only
#        (from the probes' start to the last event/answer)
#        (RTA_BENCH_PERF_HZ sets the sampling rate, default 999 Hz;
#        a profiling run: perf costs the gateway CPU; the top symbols and the inclusive share of the
#        gateway's main steps are printed; perf.data is kept with --keep; samples carry CLOCK_REALTIME
#        stamps, the driver's clock, so each round's t_send_unix in results.json finds its push
#        in `perf script` output),
#      RTA_BENCH_SCHED=1 records a system-wide scheduler trace (`perf record -a -e sched:sched_switch
#        -e sched:sched_wakeup`) during the same windows and prints, for the probe rounds, which
#        threads had the two CPUs (or left one idle) while each prober request waited for its 401
#        (sched_report.py; sched.data is kept with --keep; not together with RTA_BENCH_PERF),
#      RTA_SCRATCH_PATH (release build, default <repo>/.build-release),
#      RTA_GATEWAY_BINARY (a binary to use instead, implies nothing about --no-build),
#      RTA_PYTHON (default <repo>/.venv/bin/python).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)

rounds=100 quiet_rounds=100 probe_rounds=100 prober_sessions=4 prober_nice=-10 quiet_window=0.5 bg_subjects=100 sessions=1000 connections=20 probes=8 burst=2000 burst_conns=16 max_age=60s
build=1 keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --quiet-rounds) quiet_rounds=$2; shift 2 ;;
    --quiet-window) quiet_window=$2; shift 2 ;;
    --probe-rounds) probe_rounds=$2; shift 2 ;;
    --prober-sessions) prober_sessions=$2; shift 2 ;;
    --prober-nice) prober_nice=$2; shift 2 ;;
    --background-subjects) bg_subjects=$2; shift 2 ;;
    --sessions) sessions=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --probes) probes=$2; shift 2 ;;
    --burst) burst=$2; shift 2 ;;
    --burst-connections) burst_conns=$2; shift 2 ;;
    --max-age) max_age=$2; shift 2 ;;
    --quick) rounds=5 quiet_rounds=5 probe_rounds=5 bg_subjects=10 sessions=100 burst=200; shift ;;
    --no-build) build=0; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 64 ;;
  esac
done

python=${RTA_PYTHON:-$repo/.venv/bin/python}
scratch=${RTA_SCRATCH_PATH:-$repo/.build-release}
binary=${RTA_GATEWAY_BINARY:-$scratch/release/rta-gateway}

# shellcheck source=../lib.sh
. "$repo/Benchmarks/lib.sh"

[ -x "$python" ] || die "$python not found: run scripts/setup.sh (or set RTA_PYTHON)"
"$python" -c 'import aioquic, cryptography' || die "aioquic/cryptography missing in $python: run scripts/setup.sh"
command -v ss >/dev/null || die "ss not found (iproute2)"
bash "$repo/scripts/gen-dev-cert.sh" >/dev/null

bench_workdir revocation

if [ "$build" = 1 ]; then
  log "building rta-gateway (release, scratch $scratch) ..."
  if ! (cd "$repo" && swift build -c release --product rta-gateway --scratch-path "$scratch") > "$tmp/build.log" 2>&1; then
    tail -15 "$tmp/build.log" | sed 's/^/    /'
    die "release build failed"
  fi
fi
[ -x "$binary" ] || die "$binary not found (build it, or set RTA_SCRATCH_PATH)"


# Free ports: four TCP (IdP, transmitter, echo upstream, control) and one UDP (QUIC).
read -r idp_port tx_port echo_port control_port quic_port < <("$python" - <<'PY'
import socket
held, ports = [], []
for kind in [socket.SOCK_STREAM] * 4 + [socket.SOCK_DGRAM]:
    s = socket.socket(socket.AF_INET, kind); s.bind(("127.0.0.1", 0)); held.append(s); ports.append(s.getsockname()[1])
print(*ports)
PY
)

"$binary" dev-idp --port "$idp_port" > "$tmp/idp.log" 2>&1 &
pids+=($!); wait_for tcp_listening "$idp_port" "$!" || die "dev-idp did not start: $(tail -3 "$tmp/idp.log")"
"$binary" ssf-transmitter serve --port "$tx_port" --key "$repo/fixtures/dev-ssf-transmitter-key.pem" > "$tmp/transmitter.log" 2>&1 &
pids+=($!); wait_for tcp_listening "$tx_port" "$!" || die "ssf-transmitter did not start: $(tail -3 "$tmp/transmitter.log")"
"$binary" echo-upstream --port "$echo_port" > "$tmp/echo.log" 2>&1 &
pids+=($!); wait_for tcp_listening "$echo_port" "$!" || die "echo-upstream did not start: $(tail -3 "$tmp/echo.log")"
log "dev IdP :$idp_port, SSF transmitter :$tx_port (fixtures/dev-ssf-transmitter-key.pem), echo upstream :$echo_port"

mkdir -p "$tmp/audit"
sed -e "s|@PREFIX@|$tmp|g" -e "s|@REPO@|$repo|g" -e "s|@QUIC_PORT@|$quic_port|g" -e "s|@CONTROL_PORT@|$control_port|g" \
    -e "s|@ECHO_PORT@|$echo_port|g" -e "s|@IDP_PORT@|$idp_port|g" -e "s|@TX_PORT@|$tx_port|g" -e "s|@MAX_AGE@|$max_age|g" \
    "$here/gateway-bench.yaml" > "$tmp/gateway.yaml"
"$binary" serve --config "$tmp/gateway.yaml" > "$tmp/gateway.log" 2>&1 &
gateway_pid=$!
pids+=($gateway_pid)
wait_for udp_listening "$quic_port" "$gateway_pid" || die "gateway did not start: $(tail -5 "$tmp/gateway.log")"
wait_for tcp_listening "$control_port" "$gateway_pid" || die "gateway control listener did not start"
for i in $(seq 100); do
  "$python" -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$control_port/readyz', timeout=2)" 2>/dev/null && break
  sleep 0.1
done
log "gateway ($binary, pid $gateway_pid) QUIC 127.0.0.1:$quic_port, control 127.0.0.1:$control_port, tokens.max_age $max_age, audit fsync never"

load=$(cut -d' ' -f1 /proc/loadavg)
log "load average before the run: $load (cores: $(nproc))"
awk -v l="$load" 'BEGIN { exit !(l > 0.5) }' && log "WARNING: the machine is busy; numbers will be noisy"
log "plan: $bg_subjects x $sessions background sessions, then $rounds live + $quiet_rounds quiet + $probe_rounds probe rounds revoking $sessions sessions each, over $connections QUIC connections"

max_age_s=$("$python" -c "import sys; v=sys.argv[1]; m={'ms':0.001,'s':1,'m':60,'h':3600}; u=v.lstrip('0123456789.'); print(float(v[:len(v)-len(u)])*m[u or 's'])" "$max_age")
perf_pid= perf_args=()
if [ "${RTA_BENCH_PERF:-0}" = 1 ]; then
  command -v perf >/dev/null || die "RTA_BENCH_PERF=1 needs perf (apt-get install linux-perf)"
  mkfifo "$tmp/perf-ctl"
  # Starts disabled; the driver writes "enable" before the first round and "disable" after the last.
  perf record -k CLOCK_REALTIME -F ${RTA_BENCH_PERF_HZ:-999} -g -D -1 --control "fifo:$tmp/perf-ctl" -p "$gateway_pid" -o "$tmp/perf.data" > "$tmp/perf.log" 2>&1 &
  perf_pid=$!
  pids+=($perf_pid)
  perf_args=(--perf-control "$tmp/perf-ctl")
  log "perf recording the gateway during the rounds (perf pid $perf_pid): a profiling run, not the reference latencies"
fi
sched_offset=
if [ "${RTA_BENCH_SCHED:-0}" = 1 ]; then
  [ "${RTA_BENCH_PERF:-0}" != 1 ] || die "RTA_BENCH_PERF=1 and RTA_BENCH_SCHED=1: one recording at a time"
  [ "$probe_rounds" -gt 0 ] || die "RTA_BENCH_SCHED=1 reports on the probe rounds: give --probe-rounds > 0"
  command -v perf >/dev/null || die "RTA_BENCH_SCHED=1 needs perf (apt-get install linux-perf)"
  mkfifo "$tmp/perf-ctl"
  # Tracepoints refuse CLOCK_REALTIME stamps; the report shifts CLOCK_MONOTONIC by this offset.
  sched_offset=$("$python" -c "import time; print(time.clock_gettime_ns(time.CLOCK_REALTIME) - time.clock_gettime_ns(time.CLOCK_MONOTONIC))")
  perf record -a -k monotonic -e sched:sched_switch -e sched:sched_wakeup -D -1 --control "fifo:$tmp/perf-ctl" -o "$tmp/sched.data" > "$tmp/perf.log" 2>&1 &
  perf_pid=$!
  pids+=($perf_pid)
  perf_args=(--perf-control "$tmp/perf-ctl")
  log "perf tracing the scheduler on all CPUs during the rounds (perf pid $perf_pid)"
fi
rc=0
"$python" "$here/driver.py" --max-age "$max_age_s" "${perf_args[@]}" --port "$quic_port" --control "$control_port" \
  --idp "http://127.0.0.1:$idp_port" --transmitter "http://127.0.0.1:$tx_port" \
  --set-key "$repo/fixtures/dev-ssf-transmitter-key.pem" --admin-token-file "$repo/fixtures/dev-admin-token" \
  --gateway-pid "$gateway_pid" --connections "$connections" --background-subjects "$bg_subjects" \
  --sessions-per-subject "$sessions" --rounds "$rounds" --quiet-rounds "$quiet_rounds" --probe-rounds "$probe_rounds" --prober-sessions "$prober_sessions" --prober-nice "$prober_nice" --quiet-window "$quiet_window" --probes "$probes" --burst "$burst" \
  --burst-connections "$burst_conns" --json-out "$tmp/results.json" &
driver_pid=$!
pids+=($driver_pid)   # so that Ctrl-C or a timeout stops the driver too
wait "$driver_pid" || rc=$?
if [ -n "$perf_pid" ]; then
  kill -INT "$perf_pid" 2>/dev/null || true
  wait "$perf_pid" 2>/dev/null || true
fi
if [ -n "$sched_offset" ]; then
  [ -s "$tmp/results.json" ] && "$python" "$here/sched_report.py" --results "$tmp/results.json" --trace "$tmp/sched.data" \
    --offset-ns "$sched_offset" --gateway-pid "$gateway_pid" || log "scheduler report failed: $(tail -3 "$tmp/perf.log")"
elif [ -n "$perf_pid" ]; then
  demangle() { if command -v swift-demangle >/dev/null; then swift-demangle --simplified; else cat; fi; }
  perf report -i "$tmp/perf.data" --no-children -g none --sort dso,symbol --percent-limit 1 --stdio 2>/dev/null \
    | grep -E '^ +[0-9.]+%' | demangle | sed 's/  */ /g; s/ - - *$//' | cut -c1-160 | head -25 > "$tmp/perf-self.txt" || true
  perf report -i "$tmp/perf.data" --children -g none --sort symbol --stdio 2>/dev/null \
    | grep -E '^ +[0-9.]+%' | demangle | sed 's/  */ /g; s/ - - *$//' | cut -c1-200 > "$tmp/perf-children.txt" || true
  log "perf: top symbols of the gateway during the rounds (self time):"
  sed 's/^/    /' "$tmp/perf-self.txt"
  log "perf: inclusive time of the gateway's main steps (children), first matches:"
  grep -E 'SignalIntake\.|SignalProcessor\.|SubjectResolver\.|InMemorySessionStore\.|SessionEventHub\.|streamEvents|AuditWriter\.|AuditTrail\.|RequestPipeline\.|TokenValidator\.|SETVerifier\.|purge|HTTP3Connection\.|ngtcp2_conn_(read|write)|__libc_sendmsg|__libc_recvmsg|JSONSerialization|JSONDecoder\.decode' \
    "$tmp/perf-children.txt" | awk '!seen[$0]++' | head -40 | sed 's/^/    /' || true
fi

log "load average after the run: $(cut -d' ' -f1 /proc/loadavg) (includes the benchmark itself)"
rss=$(awk '/^VmHWM/ { print $2 }' "/proc/$gateway_pid/status" 2>/dev/null || true)
[ -z "$rss" ] || log "gateway peak RSS: $((rss / 1024)) MiB"
kill -0 "$gateway_pid" 2>/dev/null || { log "gateway died; tail of its log:"; tail -20 "$tmp/gateway.log" | sed 's/^/    /'; rc=1; }
log "audit: $(cat "$tmp"/audit/*.jsonl 2>/dev/null | wc -l) records in $(ls "$tmp"/audit | wc -l) file(s)"
[ "$keep" = 1 ] && log "results: $tmp/results.json"
exit "$rc"
