#!/usr/bin/env bash
# Plays an AI agent against the running demo (scripts/demo.sh): gets an access token
# for SUBJECT from the dev identity provider, exchanges it for an RTAToken at the
# gateway, then calls PATH with it — all on one QUIC connection, because the token is
# bound to the connection it was issued on. Prints each answer as a JSON line.
#
# Usage: scripts/demo-agent.sh [PATH] [SCOPES] [SUBJECT]
#   default PATH /orders/42, SCOPES "orders:read", SUBJECT alice
# Env: RTA_DEMO_PORT (4433), RTA_DEMO_IDP (http://127.0.0.1:9190)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
path=${1:-/orders/42}
scopes=${2:-orders:read}
subject=${3:-alice}
port=${RTA_DEMO_PORT:-4433}
idp=${RTA_DEMO_IDP:-http://127.0.0.1:9190}
python="$repo/.venv/bin/python"
[ -x "$python" ] || { echo "demo-agent: $python missing; run scripts/setup.sh" >&2; exit 1; }

jwt=$(curl -sf -X POST "$idp/token" -d "sub=$subject" -d aud=rta-gateway -d "scope=$scopes" \
  | "$python" -c 'import json,sys; print(json.load(sys.stdin)["access_token"])' 2>/dev/null) \
  || { echo "demo-agent: the dev identity provider at $idp did not answer (is scripts/demo.sh running?)" >&2; exit 1; }
nonce=$("$python" -c 'import base64,os; print(base64.urlsafe_b64encode(os.urandom(16)).rstrip(b"=").decode())')

"$python" - "$jwt" "$nonce" "$path" "$scopes" > "${TMPDIR:-/tmp}/rta-demo-steps.json" <<'PY'
import json, sys, urllib.parse
jwt, nonce, path, scopes = sys.argv[1:5]
form = urllib.parse.urlencode({
    "grant_type": "urn:ietf:params:oauth:grant-type:rta_token_exchange",
    "subject_token": jwt,
    "subject_token_type": "urn:ietf:params:oauth:token-type:jwt",
    "agent_id": "demo-agent",
    "nonce": nonce,
    "scope": scopes,
})
print(json.dumps([
    {"method": "POST", "path": "/.well-known/rta/token",
     "headers": [["content-type", "application/x-www-form-urlencoded"]], "body": form},
    {"method": "GET", "path": path, "headers": [["authorization", "RTA {rta}"]]},
]))
PY
"$python" "$repo/Tests/peers/rta_flow.py" "$repo/Tests/peers" "$port" < "${TMPDIR:-/tmp}/rta-demo-steps.json"
