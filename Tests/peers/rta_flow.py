#!/usr/bin/env python3
"""Runs HTTP/3 requests one after another on ONE aioquic connection, substituting
the RTA token from an earlier token-exchange answer into later requests.

Why: an RTAToken is bound to the QUIC connection it was issued on (PROTOCOL.md
section 4), so the exchange and the calls that use it must share a connection,
which h3client.py's static plans cannot express.

Usage: rta_flow.py PEERS_DIR PORT < steps.json
  steps: [{"method", "path", "headers": [[n, v]...], "body": "..."}...]
  In header values and bodies, {rta} is the token from the last 200 answer with an
  access_token, and {rta_flipped} the same token with one signature bit flipped.
Output: one JSON line per step {"status", "headers", "body"}.
"""
import asyncio, base64, json, ssl, sys
sys.path.insert(0, sys.argv[1])
import h3client
from aioquic.asyncio.client import connect
from aioquic.h3.connection import H3_ALPN
from aioquic.quic.configuration import QuicConfiguration

def b64d(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))

def b64e(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

async def main():
    steps = json.load(sys.stdin)
    config = QuicConfiguration(is_client=True, alpn_protocols=H3_ALPN, server_name="localhost")
    config.verify_mode = ssl.CERT_NONE
    def make(*a, **kw):
        proto = h3client.H3ClientProtocol(*a, **kw)
        proto.authority = "localhost"
        return proto
    token = ""
    async with connect("127.0.0.1", int(sys.argv[2]), configuration=config, create_protocol=make) as proto:
        for index, step in enumerate(steps):
            raw = bytearray(b64d(token)) if token else bytearray()
            if raw:
                raw[100] ^= 0x01
            def fill(text):
                return text.replace("{rta_flipped}", b64e(bytes(raw))).replace("{rta}", token)
            request = h3client.Request(index=index, method=step["method"], path=step["path"])
            request.headers = [(n.encode(), fill(v).encode()) for n, v in step["headers"]]
            if "body" in step:
                request.body = fill(step["body"]).encode()
            outcome = h3client.Outcome(request=request, connection=0)
            await proto.run(request, outcome, 20.0)
            body = bytes(outcome.captured).decode("utf-8", "replace")
            if outcome.status == 200:
                try:
                    token = json.loads(body).get("access_token", token)
                except (ValueError, AttributeError):
                    pass
            print(json.dumps({"status": outcome.status, "headers": outcome.headers, "body": body}), flush=True)

asyncio.run(main())
