#!/usr/bin/env python3
"""Runs HTTP/3 requests one after another on aioquic connections, substituting
the RTA token from an earlier token-exchange answer into later requests.

Why: an RTAToken is bound to the QUIC connection it was issued on (PROTOCOL.md
section 4), so the exchange and the calls that use it must share a connection,
which h3client.py's static plans cannot express. Re-binding (section 4) needs a
second connection and a proof over that connection's TLS exporter, which only
the client can compute (tls_exporter.py).

Usage: rta_flow.py PEERS_DIR PORT < steps.json
  steps: [{"method", "path", "headers": [[n, v]...], "body": "...",
           "connection": K (default 0; connections open on first use and stay
                            open to the end), "sleep_ms": N (wait before sending)}...]
  In header values and bodies:
    {rta}          the token from the last 200 answer with an access_token
    {rta@N}        the access_token of step N's answer
    {rta_flipped}  {rta} with one signature bit flipped
    {rta_bad_magic} {rta} with the magic bytes "RT" replaced by "XX"
    {pop_key}      base64url Ed25519 public key of this run's PoP key
    {proof}        PoP proof for {rta}'s session over THIS step's connection's
                   exporter: Ed25519("RTA-BIND-v1" || session_id || exporter)
    {proof@K}      the same over connection K's exporter (a proof for another
                   connection)
    {proof_wrong_label}  the same over this connection's exporter under the
                   label "EXPORTER-RTA-wrong" instead of "EXPORTER-RTA-binding"
Output: one JSON line per step {"status", "headers", "body", "connection"}.
"""
import asyncio, base64, contextlib, json, re, ssl, sys
sys.path.insert(0, sys.argv[1])
import h3client
import tls_exporter
from aioquic.asyncio.client import connect
from aioquic.h3.connection import H3_ALPN
from aioquic.quic.configuration import QuicConfiguration
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

EXPORTER_LABEL = "EXPORTER-RTA-binding"
BIND_LABEL = b"RTA-BIND-v1"
PLACEHOLDER = re.compile(r"\{(rta|rta@\d+|rta_flipped|rta_bad_magic|pop_key|proof|proof@\d+|proof_wrong_label)\}")


def b64d(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64e(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Flow:
    """The state shared by the steps: connections, tokens seen, the PoP key."""

    def __init__(self, stack, port):
        self.stack = stack
        self.port = port
        self.connections = {}
        self.token = ""
        self.tokens_by_step = {}
        self.pop_key = Ed25519PrivateKey.generate()

    async def connection(self, index):
        if index not in self.connections:
            config = QuicConfiguration(is_client=True, alpn_protocols=H3_ALPN, server_name="localhost")
            config.verify_mode = ssl.CERT_NONE

            def make(*a, **kw):
                proto = h3client.H3ClientProtocol(*a, **kw)
                proto.authority = "localhost"
                return proto
            self.connections[index] = await self.stack.enter_async_context(
                connect("127.0.0.1", self.port, configuration=config, create_protocol=make))
        return self.connections[index]

    def proof(self, connection_index, label=EXPORTER_LABEL):
        session_id = b64d(self.token)[8:24]
        exporter = tls_exporter.export(self.connections[connection_index]._quic, label)
        return b64e(self.pop_key.sign(BIND_LABEL + session_id + exporter))

    def value(self, name, connection_index):
        if name == "rta":
            return self.token
        if name.startswith("rta@"):
            return self.tokens_by_step.get(int(name[4:]), "")
        if name in ("rta_flipped", "rta_bad_magic"):
            raw = bytearray(b64d(self.token))
            if name == "rta_flipped":
                raw[100] ^= 0x01
            else:
                raw[0:2] = b"XX"
            return b64e(bytes(raw))
        if name == "pop_key":
            return b64e(self.pop_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))
        if name == "proof":
            return self.proof(connection_index)
        if name.startswith("proof@"):
            return self.proof(int(name[6:]))
        return self.proof(connection_index, label="EXPORTER-RTA-wrong")

    def fill(self, text, connection_index):
        return PLACEHOLDER.sub(lambda m: self.value(m.group(1), connection_index), text)


async def main():
    tls_exporter.install()
    steps = json.load(sys.stdin)
    async with contextlib.AsyncExitStack() as stack:
        flow = Flow(stack, int(sys.argv[2]))
        for index, step in enumerate(steps):
            connection_index = step.get("connection", 0)
            proto = await flow.connection(connection_index)
            if step.get("sleep_ms"):
                await asyncio.sleep(step["sleep_ms"] / 1000)
            request = h3client.Request(index=index, method=step["method"], path=step["path"])
            request.headers = [(n.encode(), flow.fill(v, connection_index).encode()) for n, v in step["headers"]]
            if "body" in step:
                request.body = flow.fill(step["body"], connection_index).encode()
            outcome = h3client.Outcome(request=request, connection=connection_index)
            await proto.run(request, outcome, 20.0)
            body = bytes(outcome.captured).decode("utf-8", "replace")
            if outcome.status == 200:
                try:
                    token = json.loads(body).get("access_token")
                except (ValueError, AttributeError):
                    token = None
                if token:
                    flow.token = token
                    flow.tokens_by_step[index] = token
            print(json.dumps({"status": outcome.status, "headers": outcome.headers, "body": body,
                              "connection": connection_index}), flush=True)

asyncio.run(main())
