#!/usr/bin/env bash
# Runs the whole test suite the way CI does: setup (idempotent), build the
# package with its tests, then `swift test`. Extra arguments go to `swift test`
# (e.g. `scripts/test.sh --filter HTTP3Tests`).
#
# Environment handed to the tests:
#   RTA_PYTHON  the venv's python, which runs the peers in Tests/peers/
#   RTA_SHARED  the shared folder beside the repository (../shared)
# Optional: RTA_SCRATCH_PATH=/path uses a separate build directory (developers
# sharing one tree), passed to both swift commands as --scratch-path.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

bash scripts/setup.sh
if ! command -v swift >/dev/null && [ -x /opt/swift/usr/bin/swift ]; then
  export PATH="/opt/swift/usr/bin:$PATH"
fi

export RTA_PYTHON="$repo/.venv/bin/python"
export RTA_SHARED
RTA_SHARED=$(cd "$repo/.." && pwd)/shared
[ -d "$RTA_SHARED" ] || echo "test: warning: $RTA_SHARED does not exist; tests that read shared/ will fail" >&2

echo "test: h3client self-test (Tests/peers, against gtlsserver)"
"$RTA_PYTHON" Tests/peers/h3client_selftest.py

scratch=()
[ -n "${RTA_SCRATCH_PATH:-}" ] && scratch=(--scratch-path "$RTA_SCRATCH_PATH")

echo "test: swift build --build-tests ${scratch[*]}"
swift build --build-tests "${scratch[@]}"
echo "test: swift test --skip-build --no-parallel ${scratch[*]} $*"
# Serial: the suite starts real servers and clients on 2 cores; run in parallel,
# timing-sensitive checks (backpressure, signal handling) starve each other.
swift test --skip-build --no-parallel "${scratch[@]}" "$@"
