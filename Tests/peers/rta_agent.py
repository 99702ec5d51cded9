#!/usr/bin/env python3
"""An RTA agent for the signal tests (PROTOCOL.md sections 2, 5 and 6), on one aioquic
HTTP/3 connection: exchanges an IdP token (optionally sub-delegates once), calls a
protected path, opens the event stream, optionally starts a long download, then
reacts to events as a real agent would.

Why a separate peer: the tests need an agent that holds an SSE stream open while
it makes other requests, and reports each thing it sees the moment it sees it.

Usage: rta_agent.py PORT CONFIG_JSON
  config: {"subject_token": JWT, "agent_id": str, "scope": str (optional),
           "delegate": {"agent_id": str, "scope": str} (optional),
           "check_path": "/orders/1", "stream_path": "/bytes/2000000000" (optional),
           "max_seconds": 30}
Output: one JSON object per line, flushed, with "type":
  token (session token obtained), call (a check_path request: phase, status,
  www_authenticate), events_open, event (event, data), stream_started,
  stream_end (reset_code or null, bytes), ready, done, timeout, error.
On a `token` event the agent calls check_path with the old token (phase old_token)
and the new one (phase new_token); on `revoked` it calls once more (phase
after_revoke), waits for the download to end, and exits.
"""
import asyncio, json, os, secrets, signal, ssl, sys, urllib.parse
from aioquic.asyncio.client import connect
from aioquic.asyncio.protocol import QuicConnectionProtocol
from aioquic.h3.connection import H3_ALPN, H3Connection
from aioquic.h3.events import DataReceived, HeadersReceived
from aioquic.quic.configuration import QuicConfiguration
from aioquic.quic.events import StreamReset


def say(**fields):
    print(json.dumps(fields), flush=True)


class Stream:
    """One request stream: headers, body chunks, end or reset."""

    def __init__(self, on_data=None):
        self.status = None
        self.headers = {}
        self.body = bytearray()
        self.bytes = 0
        self.reset_code = None
        self.headers_seen = asyncio.Event()
        self.ended = asyncio.Event()
        self.on_data = on_data


class AgentProtocol(QuicConnectionProtocol):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.h3 = H3Connection(self._quic)
        self.streams = {}

    def request(self, method, path, headers=(), body=b"", on_data=None):
        stream_id = self._quic.get_next_available_stream_id()
        stream = Stream(on_data)
        self.streams[stream_id] = stream
        fields = [(b":method", method.encode()), (b":scheme", b"https"), (b":authority", b"localhost"),
                  (b":path", path.encode())] + [(n.encode(), v.encode()) for n, v in headers]
        self.h3.send_headers(stream_id, fields, end_stream=not body)
        if body:
            self.h3.send_data(stream_id, body, end_stream=True)
        self.transmit()
        return stream

    def quic_event_received(self, event):
        if isinstance(event, StreamReset) and event.stream_id in self.streams:
            stream = self.streams[event.stream_id]
            stream.reset_code = event.error_code
            stream.headers_seen.set()
            stream.ended.set()
        for h3_event in self.h3.handle_event(event):
            stream = self.streams.get(getattr(h3_event, "stream_id", None))
            if stream is None:
                continue
            if isinstance(h3_event, HeadersReceived):
                for name, value in h3_event.headers:
                    if name == b":status":
                        stream.status = int(value)
                    else:
                        stream.headers[name.decode()] = value.decode()
                stream.headers_seen.set()
            elif isinstance(h3_event, DataReceived):
                stream.bytes += len(h3_event.data)
                if stream.on_data:
                    stream.on_data(h3_event.data)
                elif len(stream.body) < 65536:
                    stream.body += h3_event.data
            if getattr(h3_event, "stream_ended", False):
                stream.ended.set()


def form(**fields):
    return urllib.parse.urlencode(fields).encode()


async def exchange(proto, fields):
    stream = proto.request("POST", "/.well-known/rta/token",
                           [("content-type", "application/x-www-form-urlencoded")], form(**fields))
    await stream.ended.wait()
    answer = json.loads(bytes(stream.body) or b"{}")
    if stream.status != 200:
        raise RuntimeError(f"token exchange answered {stream.status}: {answer}")
    return answer["access_token"]


async def call(proto, path, token, phase):
    stream = proto.request("GET", path, [("authorization", f"RTA {token}")])
    await stream.ended.wait()
    say(type="call", phase=phase, status=stream.status, www_authenticate=stream.headers.get("www-authenticate"),
        reset_code=stream.reset_code)


async def run(port, config):
    quic = QuicConfiguration(is_client=True, alpn_protocols=H3_ALPN, server_name="localhost")
    quic.verify_mode = ssl.CERT_NONE
    async with connect("127.0.0.1", port, configuration=quic, create_protocol=AgentProtocol) as proto:
        fields = dict(grant_type="urn:ietf:params:oauth:grant-type:rta_token_exchange",
                      subject_token=config["subject_token"],
                      subject_token_type="urn:ietf:params:oauth:token-type:jwt",
                      agent_id=config["agent_id"], nonce=secrets.token_urlsafe(16))
        if "scope" in config:
            fields["scope"] = config["scope"]
        token = await exchange(proto, fields)
        if "delegate" in config:
            token = await exchange(proto, dict(
                grant_type="urn:ietf:params:oauth:grant-type:rta_token_exchange", subject_token=token,
                subject_token_type="urn:ietf:params:oauth:token-type:rta", nonce=secrets.token_urlsafe(16),
                agent_id=config["delegate"]["agent_id"], scope=config["delegate"]["scope"]))
        say(type="token", delegated="delegate" in config)
        await call(proto, config["check_path"], token, "initial")

        events = asyncio.Queue()
        pending = bytearray()

        def on_event_data(data):
            pending.extend(data)
            while b"\n\n" in pending:
                frame, _, rest = bytes(pending).partition(b"\n\n")
                pending[:] = rest
                name, payload = None, None
                for line in frame.decode().split("\n"):
                    if line.startswith("event: "):
                        name = line[7:]
                    elif line.startswith("data: "):
                        payload = json.loads(line[6:])
                if name:
                    events.put_nowait((name, payload))

        stream = proto.request("GET", "/.well-known/rta/events", [("authorization", f"RTA {token}")],
                               on_data=on_event_data)
        await stream.headers_seen.wait()
        say(type="events_open", status=stream.status, content_type=stream.headers.get("content-type"))
        if stream.status != 200:
            return

        download = None
        if config.get("stream_path"):
            download = proto.request("GET", config["stream_path"], [("authorization", f"RTA {token}")],
                                     on_data=lambda data: None)
            await download.headers_seen.wait()
            say(type="stream_started", status=download.status)
        say(type="ready")

        while True:
            name, data = await events.get()
            say(type="event", event=name, data=data)
            if name == "token":
                old, token = token, data["access_token"]
                await call(proto, config["check_path"], old, "old_token")
                await call(proto, config["check_path"], token, "new_token")
            elif name == "revoked":
                await call(proto, config["check_path"], token, "after_revoke")
                if download is not None:
                    try:
                        await asyncio.wait_for(download.ended.wait(), 5)
                    except asyncio.TimeoutError:
                        pass
                    say(type="stream_end", reset_code=download.reset_code, bytes=download.bytes,
                        ended=download.ended.is_set())
                say(type="done")
                return


async def main():
    # The test runner may spawn us with SIGTERM blocked (the mask is inherited); a test
    # that stops an agent expects it to go at once.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM])
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    port, config = int(sys.argv[1]), json.loads(sys.argv[2])
    try:
        await asyncio.wait_for(run(port, config), config.get("max_seconds", 30))
    except asyncio.TimeoutError:
        say(type="timeout")
        sys.exit(1)
    except Exception as error:  # the test reads this line rather than a traceback
        say(type="error", message=f"{type(error).__name__}: {error}")
        sys.exit(1)


asyncio.run(main())
