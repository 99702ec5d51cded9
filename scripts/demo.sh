#!/usr/bin/env bash
# Starts a working RTA Gateway demo on this machine: setup, a release build of
# rta-gateway, the demo echo upstream on 127.0.0.1:8081 in the background, and
# the gateway in the foreground with gateway.yaml. Ctrl-C stops both.
#
# Usage: scripts/demo.sh [CONFIG]   (default gateway.yaml at the repository root)
# Env:   RTA_DEMO_PORT  the QUIC port gateway.yaml listens on, for the hint (4433)
#        RTA_SCRATCH_PATH  build directory (default .build)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
config=${1:-gateway.yaml}
port=${RTA_DEMO_PORT:-4433}
upstream_port=8081

[ -f "$config" ] || { echo "demo: config $config not found (pass a path: scripts/demo.sh CONFIG)" >&2; exit 1; }
bash scripts/setup.sh
if ! command -v swift >/dev/null && [ -x /opt/swift/usr/bin/swift ]; then
  export PATH="/opt/swift/usr/bin:$PATH"
fi

scratch=${RTA_SCRATCH_PATH:-$repo/.build}
echo "demo: swift build -c release --product rta-gateway (first build takes several minutes)"
swift build -c release --product rta-gateway --scratch-path "$scratch"
gateway="$scratch/release/rta-gateway"

if [ -n "$(ss -Hltn "sport = :$upstream_port" 2>/dev/null)" ]; then
  echo "demo: port $upstream_port is already in use; stop whatever listens there first" >&2
  exit 1
fi

upstream_pid="" gateway_pid="" idp_pid="" transmitter_pid=""
stop() {
  [ -n "$transmitter_pid" ] && kill "$transmitter_pid" 2>/dev/null || true
  [ -n "$idp_pid" ] && kill "$idp_pid" 2>/dev/null || true
  [ -n "$gateway_pid" ] && kill "$gateway_pid" 2>/dev/null || true
  [ -n "$upstream_pid" ] && kill "$upstream_pid" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT TERM

"$gateway" dev-idp --port 9190 > "${TMPDIR:-/tmp}/rta-demo-idp.log" 2>&1 &
idp_pid=$!
echo "demo: dev identity provider on http://127.0.0.1:9190 (pid $idp_pid, DEVELOPMENT ONLY)"

"$gateway" ssf-transmitter serve --port 9191 --key fixtures/dev-ssf-transmitter-key.pem \
  > "${TMPDIR:-/tmp}/rta-demo-transmitter.log" 2>&1 &
transmitter_pid=$!
echo "demo: SSF transmitter on http://127.0.0.1:9191 (pid $transmitter_pid, DEVELOPMENT ONLY)"

"$gateway" echo-upstream --port "$upstream_port" &
upstream_pid=$!
for _ in $(seq 50); do
  [ -n "$(ss -Hltn "sport = :$upstream_port" 2>/dev/null)" ] && break
  kill -0 "$upstream_pid" 2>/dev/null || { echo "demo: echo upstream exited" >&2; exit 1; }
  sleep 0.1
done
echo "demo: echo upstream on http://127.0.0.1:$upstream_port (pid $upstream_pid)"

cat <<HINT
demo: starting the gateway with $config; from another shell:
  scripts/demo-agent.sh                       # alice's agent: IdP token -> RTAToken -> GET /orders/42 (200)
  scripts/demo-agent.sh /orders/42 profile    # without orders:read: 403 from policy
  scripts/demo-watch.sh                       # alice's agent keeps its event stream open; then revoke her:
  $gateway ssf-transmitter send --key fixtures/dev-ssf-transmitter-key.pem --event session-revoked --email alice@example.com
  $gateway sessions list --email alice@example.com --token-file fixtures/dev-admin-token
  gtlsclient -q --exit-on-all-streams-close 127.0.0.1 $port https://localhost/orders/42   # no token: 401
  mkdir -p /tmp/out; gtlsclient -q --exit-on-all-streams-close --download /tmp/out 127.0.0.1 $port https://localhost/public/hello
  rta-gateway audit verify audit/gateway.*.jsonl   # after stopping: the tamper-evident decision log
demo: Ctrl-C stops the gateway, the upstream and the identity provider.
HINT
"$gateway" serve --config "$config" &
gateway_pid=$!
wait "$gateway_pid"
