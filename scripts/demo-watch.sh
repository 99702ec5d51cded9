#!/usr/bin/env bash
# Plays an AI agent that stays connected to the running demo (scripts/demo.sh): it
# exchanges alice's IdP token for an RTAToken, calls PATH, opens the event stream
# (GET /.well-known/rta/events) and waits. Revoke alice from another shell —
#   rta-gateway ssf-transmitter send --key fixtures/dev-ssf-transmitter-key.pem \
#       --event session-revoked --email alice@example.com
# — and watch the `revoked` event arrive and the next call answer 401.
# Prints each thing the agent sees as a JSON line (Tests/peers/rta_agent.py).
#
# Usage: scripts/demo-watch.sh [PATH] [SECONDS]   default /orders/42, 300
# Env: RTA_DEMO_PORT (4433), RTA_DEMO_IDP (http://127.0.0.1:9190)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
path=${1:-/orders/42}
seconds=${2:-300}
port=${RTA_DEMO_PORT:-4433}
idp=${RTA_DEMO_IDP:-http://127.0.0.1:9190}
python="$repo/.venv/bin/python"
[ -x "$python" ] || { echo "demo-watch: $python missing; run scripts/setup.sh" >&2; exit 1; }

jwt=$(curl -sf -X POST "$idp/token" -d sub=alice -d email=alice@example.com -d aud=rta-gateway -d "scope=orders:read" \
  | "$python" -c 'import json,sys; print(json.load(sys.stdin)["access_token"])' 2>/dev/null) \
  || { echo "demo-watch: the dev identity provider at $idp did not answer (is scripts/demo.sh running?)" >&2; exit 1; }
config=$("$python" -c 'import json,sys; print(json.dumps({"subject_token": sys.argv[1], "agent_id": "demo-watch-agent",
    "check_path": sys.argv[2], "max_seconds": int(sys.argv[3])}))' "$jwt" "$path" "$seconds")
echo "demo-watch: alice's agent is connected; revoke her with:" >&2
echo "  rta-gateway ssf-transmitter send --key fixtures/dev-ssf-transmitter-key.pem --event session-revoked --email alice@example.com" >&2
exec "$python" "$repo/Tests/peers/rta_agent.py" "$port" "$config"
