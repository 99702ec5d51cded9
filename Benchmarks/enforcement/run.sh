#!/usr/bin/env bash
# Per-request enforcement overhead of RTA Gateway, two ways (see README.md here and
# docs/benchmarks.md, "Enforcement overhead"):
#
#  e2e    the SAME release gateway serves a protected route (token checks + Cedar
#         policy + audit write) and a public route, both to the same nginx; one
#         aioquic connection (Tests/peers/rta_load.py) exchanges a token and then
#         sends rounds of GETs alternating between the two routes request by request
#         (--blocks: a block of each per round). Reports the median over rounds
#         of each route's p50 latency and the difference, then checks that the audit
#         log holds exactly one record per protected request and verifies.
#  micro  Benchmarks/enforcement (its own package) times the enforcement steps in
#         process (median/p99 µs, tokens verified/s/core, cache hit rate, audit
#         writer throughput) and counts instructions per call with callgrind.
#
# Usage: Benchmarks/enforcement/run.sh [options]
#   --rounds R            rounds (default 20)
#   --requests N          requests per route and round (default 1000)
#   --control             add a third route phase "public+header": the public route with the
#                         same Authorization header (ignored and stripped there), to show how
#                         much of the difference is carrying the header, not enforcing it
#   --blocks              per round, N requests on one route then N on the other (order
#                         alternating per round) instead of alternating every two requests
#   --concurrency "C..."  streams in flight on the connection; one e2e run per value (default "1 8")
#   --warmup W            untimed requests per route before the rounds (default 500)
#   --warmup-seconds S    repeat the warm-up until S seconds after connecting (default 20: on
#                         the 2-core test VM latencies change regime ~15 s into every run)
#   --calls N             micro-benchmark calls per step (default 20000; cold steps N/10)
#   --callgrind-calls N   calls per step under callgrind (default 5000; cold steps N/10)
#   --only e2e|micro      run one half only
#   --gateway-template F  gateway config template instead of gateway-bench.yaml (same
#                         placeholders), e.g. a copy without `audit:` to split the cost
#   --no-build            use the existing release binaries
#   --no-callgrind        skip valgrind
#   --keep                keep the temporary directory (configs, logs, audit files)
# Prerequisites: bash scripts/setup.sh (Swift toolchain, .venv with aioquic, nginx-light,
#   libsodium, the dev certificate); valgrind for the callgrind part
#   (apt-get install -y valgrind; not installed by setup.sh).
# Env: RTA_SCRATCH_PATH (gateway release build, default <repo>/.build),
#      ENFORCEMENT_BENCH_SCRATCH (micro-benchmark build, default <repo>/.build-enforcement-bench),
#      RTA_PYTHON (default <repo>/.venv/bin/python),
#      BENCH_GATEWAY_PORT 4437, BENCH_NGINX_PORT 18082, BENCH_IDP_PORT 19192,
#      BENCH_CONTROL_PORT 19193 (the gateway's /metrics: rta_enforcement_overhead_seconds).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)

template=$here/gateway-bench.yaml rounds=20 requests=1000 interleave=1 control=0 concurrency="1 8" warmup=500 warmup_seconds=20 calls=20000 cg_calls=5000 only=both build=1 callgrind=1 keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --requests) requests=$2; shift 2 ;;
    --blocks) interleave=0; shift ;;
    --control) control=1; shift ;;
    --concurrency) concurrency=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --warmup-seconds) warmup_seconds=$2; shift 2 ;;
    --calls) calls=$2; shift 2 ;;
    --callgrind-calls) cg_calls=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --gateway-template) template=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --no-callgrind) callgrind=0; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 64 ;;
  esac
done
case "$only" in both|e2e|micro) ;; *) echo "run.sh: --only takes e2e or micro" >&2; exit 64 ;; esac
for option in "rounds $rounds" "requests $requests" "warmup $warmup" "warmup-seconds $warmup_seconds"; do
  set -- $option
  [[ $2 =~ ^[0-9]+$ ]] || { echo "run.sh: --$1 takes a whole number, found '$2'" >&2; exit 64; }
done

python=${RTA_PYTHON:-$repo/.venv/bin/python}
scratch=${RTA_SCRATCH_PATH:-$repo/.build}
bench_scratch=${ENFORCEMENT_BENCH_SCRATCH:-$repo/.build-enforcement-bench}
gateway_port=${BENCH_GATEWAY_PORT:-4437}
nginx_port=${BENCH_NGINX_PORT:-18082}
idp_port=${BENCH_IDP_PORT:-19192}
control_port=${BENCH_CONTROL_PORT:-19193}

# shellcheck source=../lib.sh
. "$repo/Benchmarks/lib.sh"

[ -x "$python" ] || die "$python not found: run scripts/setup.sh (or set RTA_PYTHON)"
"$python" -c 'import aioquic, cryptography' || die "aioquic missing in $python: run scripts/setup.sh"
if [ "$only" != micro ]; then
  for tool in nginx ss curl; do command -v "$tool" >/dev/null || die "$tool not found: run scripts/setup.sh"; done
fi
if [ "$only" != e2e ] && [ "$callgrind" = 1 ]; then
  command -v valgrind >/dev/null || die "valgrind not found: apt-get install -y valgrind (or pass --no-callgrind)"
  command -v strip >/dev/null || die "strip not found: apt-get install -y binutils"
fi
bash "$repo/scripts/gen-dev-cert.sh" >/dev/null

bench_workdir enforcement

log "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before; $(uname -sr)"
awk -v l="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN { exit !(l > 0.5) }' && log "WARNING: the machine is busy; numbers will be noisy"

# --- builds ------------------------------------------------------------------------
if [ "$build" = 1 ] && [ "$only" != micro ]; then
  log "building rta-gateway (release, scratch $scratch) ..."
  (cd "$repo" && swift build -c release --product rta-gateway --scratch-path "$scratch") > "$tmp/build-gateway.log" 2>&1 \
    || { tail -20 "$tmp/build-gateway.log" >&2; die "gateway release build failed"; }
fi
if [ "$build" = 1 ] && [ "$only" != e2e ]; then
  log "building enforcement-bench (release, scratch $bench_scratch) ..."
  swift build -c release --package-path "$here" --scratch-path "$bench_scratch" > "$tmp/build-bench.log" 2>&1 \
    || { tail -20 "$tmp/build-bench.log" >&2; die "micro-benchmark release build failed"; }
fi

# --- e2e -------------------------------------------------------------------------------

if [ "$only" != micro ]; then
  binary="$scratch/release/rta-gateway"
  [ -x "$binary" ] || die "$binary not found (build it, or drop --no-build)"
  for port in "$gateway_port"; do udp_listening "$port" && die "udp port $port is in use (set BENCH_GATEWAY_PORT)"; done
  for port in "$nginx_port" "$idp_port" "$control_port"; do tcp_listening "$port" && die "tcp port $port is in use (set BENCH_*_PORT)"; done

  user_line=""
  [ "$(id -u)" -eq 0 ] && user_line="user root;"
  sed -e "s|@PREFIX@|$tmp|g" -e "s|@PORT@|$nginx_port|g" -e "s|@USER_LINE@|$user_line|" "$here/nginx.conf" > "$tmp/nginx.conf"
  nginx -p "$tmp" -c "$tmp/nginx.conf" > "$tmp/nginx.out" 2>&1 &
  pids+=($!)
  wait_for tcp_listening "$nginx_port" "$!" || die "nginx did not start: $(cat "$tmp/nginx.out" "$tmp/nginx-error.log" 2>/dev/null)"

  "$binary" dev-idp --host 127.0.0.1 --port "$idp_port" > "$tmp/idp.log" 2>&1 &
  pids+=($!)
  wait_for tcp_listening "$idp_port" "$!" || die "dev IdP did not start: $(tail -3 "$tmp/idp.log")"

  mkdir -p "$tmp/audit"
  sed -e "s|@PREFIX@|$tmp|g" -e "s|@REPO@|$repo|g" -e "s|@GATEWAY_PORT@|$gateway_port|g" \
      -e "s|@NGINX_PORT@|$nginx_port|g" -e "s|@IDP_PORT@|$idp_port|g" -e "s|@CONTROL_PORT@|$control_port|g" \
      "$template" > "$tmp/gateway.yaml"
  "$binary" serve --config "$tmp/gateway.yaml" > "$tmp/gateway.log" 2>&1 &
  gateway_pid=$!
  pids+=($gateway_pid)
  wait_for udp_listening "$gateway_port" "$gateway_pid" || die "gateway did not start: $(tail -5 "$tmp/gateway.log")"
  log "gateway (release) on udp 127.0.0.1:$gateway_port, nginx :$nginx_port, dev IdP :$idp_port"

  # CPU time of each gateway thread so far (ns on the CPU, from the scheduler), read around
  # each level: how much CPU a request costs the gateway, and on which thread.
  thread_cpu() {
    local task
    for task in /proc/"$gateway_pid"/task/*; do
      printf '%s %s %s\n' "${task##*/}" "$(cut -d' ' -f1 "$task/schedstat")" "$(tr ' ' _ < "$task/comm")"
    done
  }
  expected_records=0
  for c in $concurrency; do
    jwt=$(curl -sf -X POST "http://127.0.0.1:$idp_port/token" -d sub=alice -d aud=rta-gateway -d 'scope=orders:read' \
      | "$python" -c 'import json,sys; print(json.load(sys.stdin)["access_token"])') || die "dev IdP gave no token"
    "$python" - "$jwt" "$rounds" "$requests" "$c" "$warmup" "$interleave" "$control" "$warmup_seconds" \
      > "$tmp/load-$c.json" <<'PY'
import base64, json, os, sys, urllib.parse
jwt, rounds, requests, concurrency, warmup, interleave, control, warmup_seconds = sys.argv[1], *map(int, sys.argv[2:9])
form = urllib.parse.urlencode({
    "grant_type": "urn:ietf:params:oauth:grant-type:rta_token_exchange", "subject_token": jwt,
    "subject_token_type": "urn:ietf:params:oauth:token-type:jwt", "agent_id": "bench-agent",
    "nonce": base64.urlsafe_b64encode(os.urandom(16)).rstrip(b"=").decode()})
phases = [{"name": "protected", "path": "/orders/42", "auth": True}, {"name": "public", "path": "/public/42"}]
if control:
    phases.append({"name": "public+header", "path": "/public/42", "auth": True})
print(json.dumps({"exchange": {"path": "/.well-known/rta/token", "body": form}, "phases": phases,
                  "rounds": rounds, "requests": requests, "concurrency": concurrency, "warmup": warmup,
                  "warmup_seconds": warmup_seconds, "interleave": bool(interleave)}))
PY
    mode="alternating every two requests"; [ "$interleave" = 1 ] || mode="one block per route, order alternating"
    log "e2e: concurrency $c: $rounds rounds x $requests requests per route, $mode (+ warm-up: $warmup each, repeated until ${warmup_seconds}s after connecting) ..."
    # The gateway's own account of the enforcement work (server side, in situ), read
    # around each level; empty when the template has no fixed control port.
    curl -sf "http://127.0.0.1:$control_port/metrics" > "$tmp/metrics-before-$c.txt" || : > "$tmp/metrics-before-$c.txt"
    thread_cpu > "$tmp/cpu-before-$c.txt"
    timeout 1800 "$python" "$repo/Tests/peers/rta_load.py" "$repo/Tests/peers" "$gateway_port" \
      < "$tmp/load-$c.json" > "$tmp/results-$c.jsonl" || die "rta_load.py failed: $(tail -3 "$tmp/results-$c.jsonl")"
    curl -sf "http://127.0.0.1:$control_port/metrics" > "$tmp/metrics-after-$c.txt" || : > "$tmp/metrics-after-$c.txt"
    thread_cpu > "$tmp/cpu-after-$c.txt"
    warmed=$("$python" -c 'import json, sys
print(next((json.loads(l)["warmup"]["requests_per_phase"] for l in open(sys.argv[1]) if l.startswith("{\"warmup\"")), 0))' \
      "$tmp/results-$c.jsonl")
    expected_records=$((expected_records + 1 + warmed + rounds * requests))
  done
  log "load average after the e2e runs: $(cut -d' ' -f1-3 /proc/loadavg) (includes the benchmark itself)"

  kill -TERM "$gateway_pid"; wait "$gateway_pid" 2>/dev/null || true
  if ! ls "$tmp"/audit/gateway.*.jsonl >/dev/null 2>&1; then
    log "WARNING: no audit files (the template has no audit section?): the record count is not checked"
  else
    audit_files=$(ls "$tmp"/audit/gateway.*.jsonl)
    records=$(cat $audit_files | wc -l)
    verify=$("$binary" audit verify $audit_files 2>&1) || die "audit verify failed: $verify"
    [ "$records" -eq "$expected_records" ] \
      || die "audit log has $records records, expected $expected_records (one per protected request + one per exchange)"
    log "audit: $records records = one per protected request and exchange; $verify"
  fi

  "$python" - "$tmp" $concurrency <<'PY'
import json, re, statistics, sys
tmp, levels = sys.argv[1], sys.argv[2:]

def buckets(path):
    """{upper bound in µs: cumulative count} of rta_enforcement_overhead_seconds."""
    found = {}
    for line in open(path):
        m = re.match(r'rta_enforcement_overhead_seconds_bucket\{le="([^"]+)"\} (\d+)', line)
        if m:
            found[float("inf") if m[1] == "+Inf" else float(m[1]) * 1e6] = int(m[2])
    return found

def quantile(before, after, q):
    """Linear interpolation inside the bucket that holds the q-quantile of the requests in between."""
    bounds = sorted(after)
    counts = [after[b] - before.get(b, 0) for b in bounds]
    total = counts[-1] if counts else 0
    if total == 0:
        return None, 0
    rank, lower, below = q * total, 0.0, 0
    for bound, cumulative in zip(bounds, counts):
        if cumulative >= rank:
            if bound == float("inf"):
                return lower, total
            return lower + (bound - lower) * (rank - below) / max(1, cumulative - below), total
        lower, below = bound, cumulative
    return lower, total

def thread_cpu(path):
    """{thread id: (thread name, ns on the CPU)} from a thread_cpu snapshot."""
    found = {}
    for line in open(path):
        tid, ns, name = line.split()
        found[tid] = (name, int(ns))
    return found

config = {c: json.load(open(f"{tmp}/load-{c}.json")) for c in levels}
print("\nbench: e2e summary (µs; p50 = per-round median latency, seen by the client)")
for c in levels:
    rows = [json.loads(line) for line in open(f"{tmp}/results-{c}.jsonl")]
    rounds = [r for r in rows if "phase" in r]
    bad = [r for r in rounds if r["failures"] or set(r["statuses"]) != {"200"}]
    if bad:
        sys.exit(f"bench: ERROR: non-200 answers at concurrency {c}: {bad[0]}")
    names = list(dict.fromkeys(r["phase"] for r in rounds))
    p50 = {name: [r["p50_us"] for r in rounds if r["phase"] == name] for name in names}
    base = statistics.median(p50["public"])
    warmed = next((r["warmup"] for r in rows if "warmup" in r), {"requests_per_phase": 0, "seconds": 0})
    print(f"  {c} stream(s) in flight, {len(p50['public'])} rounds after a warm-up of {warmed['requests_per_phase']}"
          f" requests per route ({warmed['seconds']:.0f} s from connecting); public p50 {base:.1f}")
    for name in names:
        if name == "public":
            continue
        paired = [a - b for a, b in zip(p50[name], p50["public"])]
        mine = statistics.median(p50[name])
        print(f"    {name:<14} p50 {mine:8.1f}  difference {mine - base:+7.1f}  paired diff {statistics.median(paired):+7.1f}"
              f"   per round: " + " ".join(f"{d:+.0f}" for d in paired))
    after = {name: [r.get("p50_after_us", {}) for r in rounds if r["phase"] == name] for name in names}
    steady = [a["protected"] - b["public"] for a, b in zip(after["protected"], after["public"])
              if "protected" in a and "public" in b]
    if steady:
        def lag(name, before, other):
            return statistics.median(r[before] - r[other] for r in after[name] if before in r and other in r)
        print(f"    same route in a row (protected after protected - public after public): paired diff"
              f" {statistics.median(steady):+7.1f}   per round: " + " ".join(f"{d:+.0f}" for d in steady))
        # In pairs, the request after its own route is always the second of a pair (odd
        # position) and the one after the other route the first (even): each lag below
        # mixes the cost of following a protected request with the position's parity.
        # Their half-sum is the first, their half-difference the second.
        on_public, on_protected = lag("public", "protected", "public"), lag("protected", "protected", "public")
        print(f"      a protected request slows the next one by {(on_public + on_protected) / 2:+.1f}"
              f" (second of a pair vs first: {(on_protected - on_public) / 2:+.1f}; p50 by the phase sent just before)")
    if "public+header" in p50:
        checks = [a - b for a, b in zip(p50["protected"], p50["public+header"])]
        print(f"    protected vs public+header (same request bytes, checked vs not): paired diff"
              f" {statistics.median(checks):+7.1f}   per round: " + " ".join(f"{d:+.0f}" for d in checks))
    p50_in, n_in = quantile(buckets(f"{tmp}/metrics-before-{c}.txt"), buckets(f"{tmp}/metrics-after-{c}.txt"), 0.5)
    if n_in:
        p90_in, _ = quantile(buckets(f"{tmp}/metrics-before-{c}.txt"), buckets(f"{tmp}/metrics-after-{c}.txt"), 0.9)
        print(f"    in the gateway (rta_enforcement_overhead_seconds, {n_in} requests): p50 {p50_in:.1f}  p90 {p90_in:.1f}"
              "  (bucket-interpolated)")
    sent = sum(r["requests"] for r in rounds) + warmed["requests_per_phase"] * len(names) + 1
    before, after = thread_cpu(f"{tmp}/cpu-before-{c}.txt"), thread_cpu(f"{tmp}/cpu-after-{c}.txt")
    spent = {}
    for tid, (name, ns) in after.items():
        spent[name] = spent.get(name, 0) + ns - before.get(tid, (name, 0))[1]
    busy = sorted(((ns, name) for name, ns in spent.items() if ns / sent >= 500), reverse=True)
    print(f"    gateway CPU per request, all routes of the level ({sent} requests): {sum(spent.values()) / sent / 1e3:.1f}"
          "  by thread: " + ", ".join(f"{name} {ns / sent / 1e3:.1f}" for ns, name in busy))
print("  difference = median(route p50) - median(public p50); paired diff = median over rounds of\n"
      "  (route p50 - public p50) in the same round. In the gateway = the enforcement work the\n"
      "  gateway timed itself for each forwarded protected request (warm-up included).")
PY
fi

# --- micro -------------------------------------------------------------------------------
if [ "$only" != e2e ]; then
  bench="$bench_scratch/release/enforcement-bench"
  [ -x "$bench" ] || die "$bench not found (build it, or drop --no-build)"
  echo
  log "micro: in-process steps, $calls calls each (cold steps $((calls / 10)))"
  "$bench" run --calls "$calls" --repo "$repo" --json "$tmp/micro.json"
  if [ "$callgrind" = 1 ]; then
    echo
    log "callgrind: instructions per call = (Ir(N calls) - Ir(0 calls)) / N, all threads (writer thread included)"
    # valgrind 3.19 (Debian 12) cannot read the DWARF 5 that Swift 6.3 emits ("unhandled dwarf2
    # abbrev form"), and instruction counts need no debug info: run a copy without it.
    strip --strip-debug -o "$tmp/enforcement-bench.nodebug" "$bench"
    for step in validate-warm validate-cold ed25519-verify policy audit-append token-parse request; do
      n=$cg_calls
      case "$step" in validate-cold|ed25519-verify) n=$((cg_calls / 10)) ;; esac
      for k in 0 "$n"; do
        SWIFT_DETERMINISTIC_HASHING=1 valgrind --tool=callgrind --callgrind-out-file="$tmp/callgrind.$step.$k" \
          "$tmp/enforcement-bench.nodebug" calls "$step" "$k" --repo "$repo" > /dev/null 2> "$tmp/valgrind.$step.$k" \
          || die "valgrind failed for $step: $(tail -3 "$tmp/valgrind.$step.$k")"
      done
      ir() { sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$tmp/valgrind.$step.$1"; }
      printf '  %-15s %9d instructions per call (N = %d)\n' "$step" "$(( ($(ir "$n") - $(ir 0)) / n ))" "$n"
    done
  fi
fi
log "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
