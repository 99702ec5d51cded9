#!/usr/bin/env bash
# Cedar engine benchmark: the Swift engine (Sources/Cedar, release build) against
# cedarpy 4.12 (the Rust engine) on the same three workloads, plus valgrind/callgrind
# instruction counts for workload (a). See docs/cedar-benchmarks.md.
#
# Usage: Benchmarks/cedar/run.sh [--seconds S] [--no-build] [--no-callgrind] [--calls N]
#   --seconds S      measuring time per workload and side (default 3)
#   --no-build       use the existing release binary
#   --no-callgrind   skip the valgrind run
#   --calls N        authorizations in the callgrind run (default 20000)
# Env: RTA_PYTHON (default <repo>/.venv/bin/python), CEDAR_BENCH_SCRATCH (SwiftPM
#      scratch path, default <repo>/.build-cedar-bench).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
seconds=3 build=1 callgrind=1 calls=20000
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --no-callgrind) callgrind=0; shift ;;
    --calls) calls=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
python=${RTA_PYTHON:-$repo/.venv/bin/python}
scratch=${CEDAR_BENCH_SCRATCH:-$repo/.build-cedar-bench}
bench=$scratch/release/cedar-bench
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ "$build" = 1 ]; then
  swift build -c release --package-path "$here" --scratch-path "$scratch" 2>&1 | tail -1
fi
"$python" -c 'import cedarpy' || { echo "cedarpy missing: run scripts/setup.sh" >&2; exit 1; }

echo "== Swift (Sources/Cedar, release)"
"$bench" run --seconds "$seconds" --json "$work/swift.json"
"$bench" export "$work/export"
echo
echo "== cedarpy"
"$python" "$here/cedarpy_bench.py" "$work/export" --seconds "$seconds" --json "$work/cedarpy.json"

if [ "$callgrind" = 1 ]; then
  # Instructions per call = (Ir with N calls - Ir with 0 calls) / N: start-up and loading cancel
  # out. Deterministic hashing makes the count repeatable (Swift seeds Hasher per process).
  for n in 0 "$calls"; do
    SWIFT_DETERMINISTIC_HASHING=1 valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.$n" "$bench" calls "$n" >/dev/null 2>"$work/valgrind.$n"
  done
  ir() { sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$work/valgrind.$1"; }
  echo "$(( ($(ir "$calls") - $(ir 0)) / calls ))" > "$work/ir_per_call"
fi

echo
echo "== Side by side (cedarpy / Swift ratios; per-call includes the Python binding)"
"$python" - "$work" <<'PY'
import json, os, sys
work = sys.argv[1]
def load(name):
    return {d["workload"]: d for d in map(json.loads, open(os.path.join(work, name)))}
swift, py = load("swift.json"), load("cedarpy.json")
labels = {"example_use_cases": "(a) example_use_cases", "large_policy_set": "(b) 1k policies/10k entities",
          "deep_hierarchy": "(c) hierarchy depth 20"}
us = lambda ns: f"{ns / 1000:.2f}"
print(f"{'workload':<30} {'Swift med µs':>12} {'p99 µs':>8} {'allocs':>7} {'cedarpy med µs':>15} {'ratio':>7}"
      f" {'engine µs':>10} {'ratio':>7} {'batch µs':>9} {'ratio':>7}")
for key, label in labels.items():
    s, p = swift[key], py[key]
    allocs = "n/a" if s["allocs_per_call"] is None else f"{s['allocs_per_call']:.2f}"
    print(f"{label:<30} {us(s['median_ns']):>12} {us(s['p99_ns']):>8} {allocs:>7} {us(p['median_ns']):>15}"
          f" {p['median_ns'] / s['median_ns']:>6.1f}x {us(p['engine_median_ns']):>10} {p['engine_median_ns'] / s['median_ns']:>6.1f}x"
          f" {us(p['batch_ns_per_request']):>9} {p['batch_ns_per_request'] / s['median_ns']:>6.1f}x")
sp, pp = swift["parse_1000_policies"]["median_ns"], py["parse_1000_policies"]["median_ns"]
print(f"{'parse 1,000 policies (ms)':<30} {sp / 1e6:>12.2f} {'':>8} {'':>7} {pp / 1e6:>15.2f} {pp / sp:>6.1f}x")
ir = os.path.join(work, "ir_per_call")
if os.path.exists(ir):
    print(f"callgrind, workload (a): {open(ir).read().strip()} instructions per isAuthorized call")
PY
