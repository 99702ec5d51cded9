#!/usr/bin/env python3
"""HTTP/3 test client (aioquic) that the Swift integration tests drive.

Why it exists: the gateway must be tested by an HTTP/3 stack that is not our
own, one that can also misbehave on purpose (RFC 9114-violating header lists,
large streamed bodies, many concurrent streams or connections).

Usage
  h3client.py --host 127.0.0.1 --port 4433 [--authority localhost]
              [--insecure | --cafile fixtures/dev-cert.pem]
              [--plan plan.json | --plan - (stdin, the default)]
              [--connections N] [--max-concurrency K]
              [--connect-timeout S] [--request-timeout S] [--total-timeout S]

Plan (JSON): a list of requests, or {"requests": [...], "connections": N}.
Each request object:
  method            default "GET"
  path              default "/"
  headers           [[name, value], ...] added after the pseudo-headers
  body_hex          request body as hex, or
  body_size         N deterministic bytes, byte i = i % 251, streamed in
                    chunks of chunk_size (default 16384) with back-pressure,
                    never held in memory whole
  raw_headers       [[name, value], ...] sent VERBATIM as the whole header
                    list (no pseudo-headers added, no validation): for
                    RFC 9114 violations such as uppercase names or no :path
  trailers          [[name, value], ...] sent as a trailer section after body_hex
  expect_stream_reset  true if the server is expected to reset the stream
  connection        index of the connection to use (default: index % N)

Requests on one connection are all sent concurrently (each on its own
stream); with N connections the requests are spread round-robin.

Output: one JSON line per request, in plan order:
  {"index", "connection", "status", "headers": [[n, v]...], "body_sha256",
   "body_bytes", "body_text" (UTF-8 bodies up to --max-body-capture bytes),
   "reset_code" (stream reset by the peer), "error" (null when the outcome
   is what the plan expected), "elapsed_ms"}
then one line {"summary": {"requests", "ok", "failed", "resets",
  "connections": [{"index", "error"}...], "elapsed_ms"}}.

Exit code: 0 every request had the expected outcome; 1 some request did not
(unexpected reset, missing expected reset, timeout); 2 transport failure
(a connection could not be established or was closed under pending
requests); 64 bad arguments or plan.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import ssl
import sys
import time
from dataclasses import dataclass, field

from aioquic.asyncio.client import connect
from aioquic.asyncio.protocol import QuicConnectionProtocol
from aioquic.h3.connection import H3_ALPN, H3Connection
from aioquic.h3.events import DataReceived, HeadersReceived
from aioquic.quic.configuration import QuicConfiguration
from aioquic.quic.events import ConnectionTerminated, QuicEvent, StopSendingReceived, StreamReset

PATTERN_PERIOD = 251
# A whole number of periods covering any start offset (< 251) plus a 64 KiB chunk,
# so every chunk is one slice of it.
_PATTERN = bytes(i % PATTERN_PERIOD for i in range(PATTERN_PERIOD * 263))
# Unacknowledged request-body bytes kept in aioquic's send buffer before we wait.
SEND_BUFFER_LIMIT = 1 << 20

EXIT_OK, EXIT_REQUEST_FAILED, EXIT_TRANSPORT_FAILED, EXIT_USAGE = 0, 1, 2, 64


class PlanError(Exception):
    """The plan or the arguments cannot be used; the message says which field."""


def pattern_chunk(offset: int, size: int) -> bytes:
    """Bytes [offset, offset+size) of the deterministic body (byte i = i % 251)."""
    start = offset % PATTERN_PERIOD
    return _PATTERN[start:start + size]


@dataclass
class Request:
    index: int
    method: str = "GET"
    path: str = "/"
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    raw_headers: list[tuple[bytes, bytes]] | None = None
    body: bytes | None = None
    body_size: int | None = None
    chunk_size: int = 16384
    expect_stream_reset: bool = False
    connection: int | None = None
    trailers: list[tuple[bytes, bytes]] | None = None


def _header_list(value, where: str) -> list[tuple[bytes, bytes]]:
    if not isinstance(value, list) or not all(
        isinstance(h, list) and len(h) == 2 and all(isinstance(x, str) for x in h) for h in value
    ):
        raise PlanError(f"{where}: expected [[name, value], ...] of strings")
    return [(n.encode(), v.encode()) for n, v in value]


def parse_plan(doc) -> tuple[list[Request], int | None]:
    """Turns the plan JSON into requests; rejects unknown or ill-typed fields."""
    connections = None
    if isinstance(doc, dict):
        connections = doc.get("connections")
        doc = doc.get("requests")
    if not isinstance(doc, list) or not doc:
        raise PlanError("plan: expected a non-empty list of requests (or {\"requests\": [...]})")
    known = {"method", "path", "headers", "raw_headers", "body_hex", "body_size", "chunk_size",
             "expect_stream_reset", "connection", "trailers"}
    requests = []
    for i, item in enumerate(doc):
        where = f"plan[{i}]"
        if not isinstance(item, dict):
            raise PlanError(f"{where}: expected an object")
        unknown = set(item) - known
        if unknown:
            raise PlanError(f"{where}: unknown field(s) {sorted(unknown)}")
        r = Request(index=i, method=str(item.get("method", "GET")), path=str(item.get("path", "/")))
        r.headers = _header_list(item.get("headers", []), f"{where}.headers")
        if "raw_headers" in item:
            r.raw_headers = _header_list(item["raw_headers"], f"{where}.raw_headers")
        if "trailers" in item:
            if "body_hex" not in item:
                raise PlanError(f"{where}.trailers: needs body_hex")
            r.trailers = _header_list(item["trailers"], f"{where}.trailers")
        if "body_hex" in item and "body_size" in item:
            raise PlanError(f"{where}: body_hex and body_size are exclusive")
        if "body_hex" in item:
            try:
                r.body = bytes.fromhex(item["body_hex"])
            except (TypeError, ValueError) as e:
                raise PlanError(f"{where}.body_hex: {e}") from None
        if "body_size" in item:
            if not isinstance(item["body_size"], int) or item["body_size"] < 0:
                raise PlanError(f"{where}.body_size: expected an integer >= 0")
            r.body_size = item["body_size"]
        chunk = item.get("chunk_size", 16384)
        if not isinstance(chunk, int) or not 1 <= chunk <= 65536:
            raise PlanError(f"{where}.chunk_size: expected 1..65536")
        r.chunk_size = chunk
        r.expect_stream_reset = bool(item.get("expect_stream_reset", False))
        if "connection" in item:
            if not isinstance(item["connection"], int) or item["connection"] < 0:
                raise PlanError(f"{where}.connection: expected an integer >= 0")
            r.connection = item["connection"]
        requests.append(r)
    if connections is not None and (not isinstance(connections, int) or connections < 1):
        raise PlanError("plan.connections: expected an integer >= 1")
    return requests, connections


@dataclass
class Outcome:
    """What happened to one request; filled in by the protocol's events."""
    request: Request
    connection: int
    status: int | None = None
    headers: list[list[str]] = field(default_factory=list)
    sha: "hashlib._Hash" = field(default_factory=hashlib.sha256)
    body_bytes: int = 0
    captured: bytearray = field(default_factory=bytearray)
    reset_code: int | None = None
    error: str | None = None
    started: float = 0.0
    finished: float = 0.0
    done: asyncio.Event = field(default_factory=asyncio.Event)

    def to_json(self, capture_limit: int) -> dict:
        body_text = None
        if self.body_bytes <= capture_limit and self.status is not None:
            try:
                body_text = bytes(self.captured).decode("utf-8")
            except UnicodeDecodeError:
                body_text = None
        return {
            "index": self.request.index,
            "connection": self.connection,
            "status": self.status,
            "headers": self.headers,
            "body_sha256": self.sha.hexdigest(),
            "body_bytes": self.body_bytes,
            "body_text": body_text,
            "reset_code": self.reset_code,
            "error": self.error,
            "elapsed_ms": round((self.finished - self.started) * 1000, 3) if self.finished else None,
        }


class H3ClientProtocol(QuicConnectionProtocol):
    """One QUIC connection: maps stream ids to outcomes and routes events to them."""

    def __init__(self, *args, capture_limit: int = 65536, **kwargs):
        super().__init__(*args, **kwargs)
        self.h3 = H3Connection(self._quic)
        self.streams: dict[int, Outcome] = {}
        self.stop_sending: set[int] = set()
        self.terminated: str | None = None
        self.capture_limit = capture_limit
        self.wakeup = asyncio.Event()

    def quic_event_received(self, event: QuicEvent) -> None:
        if isinstance(event, StreamReset):
            outcome = self.streams.get(event.stream_id)
            if outcome is not None and not outcome.done.is_set():
                outcome.reset_code = event.error_code
                self._finish(outcome)
            return
        if isinstance(event, StopSendingReceived):
            self.stop_sending.add(event.stream_id)
            self.wakeup.set()
        if isinstance(event, ConnectionTerminated):
            self.terminated = (f"connection_closed: error_code=0x{event.error_code:x} "
                               f"reason={event.reason_phrase!r}")
            for outcome in self.streams.values():
                if not outcome.done.is_set():
                    outcome.error = self.terminated
                    self._finish(outcome)
            self.wakeup.set()
            return
        try:
            h3_events = self.h3.handle_event(event)
        except Exception as e:  # aioquic raises on malformed peer input
            self.terminated = f"h3_error: {type(e).__name__}: {e}"
            for outcome in self.streams.values():
                if not outcome.done.is_set():
                    outcome.error = self.terminated
                    self._finish(outcome)
            return
        for h3_event in h3_events:
            outcome = self.streams.get(getattr(h3_event, "stream_id", -1))
            if outcome is None or outcome.done.is_set():
                continue
            if isinstance(h3_event, HeadersReceived):
                headers = [[n.decode("latin-1"), v.decode("latin-1")] for n, v in h3_event.headers]
                status = next((v for n, v in headers if n == ":status"), None)
                if outcome.status is None or (outcome.status < 200 and status is not None):
                    outcome.status = int(status) if status and status.isdigit() else None
                    outcome.headers = headers
                else:
                    outcome.headers.extend(headers)  # trailers
            elif isinstance(h3_event, DataReceived):
                outcome.sha.update(h3_event.data)
                outcome.body_bytes += len(h3_event.data)
                if len(outcome.captured) + len(h3_event.data) <= self.capture_limit:
                    outcome.captured += h3_event.data
            if getattr(h3_event, "stream_ended", False):
                self._finish(outcome)

    def _finish(self, outcome: Outcome) -> None:
        outcome.finished = time.monotonic()
        outcome.done.set()
        self.wakeup.set()

    def _buffered(self, stream_id: int) -> int:
        stream = self._quic._streams.get(stream_id)  # pinned aioquic: see requirements.txt
        if stream is None:
            return 0
        return stream.sender._buffer_stop - stream.sender._buffer_start

    def _stream_gone(self, stream_id: int, outcome: Outcome) -> bool:
        return outcome.done.is_set() or stream_id in self.stop_sending or self.terminated is not None

    async def run(self, request: Request, outcome: Outcome, timeout: float) -> None:
        outcome.started = time.monotonic()
        # Allocate the stream and send HEADERS before the first await, so that
        # concurrent requests never pick the same stream id.
        stream_id = self._quic.get_next_available_stream_id()
        self.streams[stream_id] = outcome
        has_body = request.body is not None or request.body_size is not None
        if request.raw_headers is not None:
            headers = request.raw_headers
        else:
            headers = [(b":method", request.method.encode()), (b":scheme", b"https"),
                       (b":authority", self.authority.encode()), (b":path", request.path.encode())]
            headers += request.headers
        self.h3.send_headers(stream_id, headers, end_stream=not has_body)
        if request.body is not None:
            self.h3.send_data(stream_id, request.body, end_stream=not request.trailers)
            if request.trailers:
                self.h3.send_headers(stream_id, request.trailers, end_stream=True)
        self.transmit()
        try:
            await asyncio.wait_for(self._send_rest_and_wait(request, outcome, stream_id), timeout)
        except asyncio.TimeoutError:
            if not outcome.done.is_set():
                outcome.error = f"timeout after {timeout:g}s (stream {stream_id})"
                self._finish(outcome)
                self._quic.reset_stream(stream_id, 0x10C)  # H3_REQUEST_CANCELLED
                self.transmit()

    async def _send_rest_and_wait(self, request: Request, outcome: Outcome, stream_id: int) -> None:
        if request.body_size is not None:
            await self._stream_body(request, outcome, stream_id)
        await outcome.done.wait()

    async def _stream_body(self, request: Request, outcome: Outcome, stream_id: int) -> None:
        sent = 0
        while sent < request.body_size or request.body_size == 0:
            if self._stream_gone(stream_id, outcome):
                return
            while self._buffered(stream_id) > SEND_BUFFER_LIMIT:
                self.wakeup.clear()
                try:
                    await asyncio.wait_for(self.wakeup.wait(), 0.005)
                except asyncio.TimeoutError:
                    pass
                if self._stream_gone(stream_id, outcome):
                    return
            size = min(request.chunk_size, request.body_size - sent)
            last = sent + size >= request.body_size
            try:
                self.h3.send_data(stream_id, pattern_chunk(sent, size), end_stream=last)
            except Exception as e:  # the stream was reset under us
                if not outcome.done.is_set():
                    outcome.error = f"send_failed: {type(e).__name__}: {e}"
                return
            self.transmit()
            sent += size
            if last:
                return
            await asyncio.sleep(0)


async def run_connection(args, conn_index: int, requests: list[Request], outcomes: dict[int, Outcome],
                         failures: list[dict]) -> None:
    config = QuicConfiguration(is_client=True, alpn_protocols=H3_ALPN,
                               server_name=args.authority, idle_timeout=args.request_timeout + 5)
    if args.cafile:
        config.load_verify_locations(args.cafile)
    else:
        config.verify_mode = ssl.CERT_NONE

    def make_protocol(*a, **kw):
        proto = H3ClientProtocol(*a, capture_limit=args.max_body_capture, **kw)
        proto.authority = args.authority
        return proto

    for r in requests:
        outcomes[r.index] = Outcome(request=r, connection=conn_index)
    cm = connect(args.host, args.port, configuration=config, create_protocol=make_protocol)
    try:
        proto = await asyncio.wait_for(cm.__aenter__(), args.connect_timeout)
    except Exception as e:  # any handshake failure (timeout, TLS alert, refused) is reported, not raised
        reason = f"connect_failed: {type(e).__name__}: {e}" if str(e) else f"connect_failed: {type(e).__name__}"
        failures.append({"index": conn_index, "error": reason})
        for r in requests:
            outcomes[r.index].error = reason
        return
    try:
        limit = asyncio.Semaphore(args.max_concurrency or len(requests))

        async def one(r: Request) -> None:
            async with limit:
                if proto.terminated is not None:
                    outcomes[r.index].error = proto.terminated
                    return
                await proto.run(r, outcomes[r.index], args.request_timeout)

        await asyncio.gather(*(one(r) for r in requests))
        if proto.terminated is not None:
            failures.append({"index": conn_index, "error": proto.terminated})
    finally:
        try:
            await asyncio.wait_for(cm.__aexit__(None, None, None), 5)
        except (asyncio.TimeoutError, ConnectionError, OSError):
            pass


def judge(outcome: Outcome) -> None:
    """Sets outcome.error when the result differs from what the plan expected."""
    if outcome.error is not None:
        return
    if outcome.request.expect_stream_reset and outcome.reset_code is None:
        outcome.error = f"expected a stream reset, got status {outcome.status}"
    elif not outcome.request.expect_stream_reset and outcome.reset_code is not None:
        outcome.error = f"stream_reset: code=0x{outcome.reset_code:x}"
    elif outcome.reset_code is None and outcome.status is None:
        outcome.error = "no response status"


async def main_async(args, requests: list[Request], connections: int) -> int:
    loop = asyncio.get_running_loop()

    def quiet_connection_errors(loop, context):
        # aioquic leaves a failed handshake's future unretrieved; we report it ourselves.
        if not isinstance(context.get("exception"), ConnectionError):
            loop.default_exception_handler(context)

    loop.set_exception_handler(quiet_connection_errors)
    by_conn: list[list[Request]] = [[] for _ in range(connections)]
    for r in requests:
        target = r.connection if r.connection is not None else r.index % connections
        if target >= connections:
            raise PlanError(f"plan[{r.index}].connection: {target} >= --connections {connections}")
        by_conn[target].append(r)
    outcomes: dict[int, Outcome] = {}
    failures: list[dict] = []
    started = time.monotonic()
    tasks = [run_connection(args, i, rs, outcomes, failures) for i, rs in enumerate(by_conn) if rs]
    try:
        await asyncio.wait_for(asyncio.gather(*tasks), args.total_timeout)
    except asyncio.TimeoutError:
        failures.append({"index": None, "error": f"total timeout after {args.total_timeout:g}s"})
    elapsed = time.monotonic() - started
    ok = failed = resets = 0
    for r in requests:
        outcome = outcomes.get(r.index) or Outcome(request=r, connection=-1, error="not run")
        if not outcome.done.is_set() and outcome.error is None:
            outcome.error = "not completed"
        judge(outcome)
        resets += outcome.reset_code is not None
        ok += outcome.error is None
        failed += outcome.error is not None
        print(json.dumps(outcome.to_json(args.max_body_capture)), flush=True)
    print(json.dumps({"summary": {"requests": len(requests), "ok": ok, "failed": failed, "resets": resets,
                                  "connections": failures, "elapsed_ms": round(elapsed * 1000, 3)}}),
          flush=True)
    if failures:
        return EXIT_TRANSPORT_FAILED
    return EXIT_OK if failed == 0 else EXIT_REQUEST_FAILED


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="aioquic HTTP/3 test client (see module docstring)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--authority", default="localhost", help=":authority and TLS SNI (default localhost)")
    p.add_argument("--insecure", action="store_true", default=True,
                   help="do not verify the server certificate (default: the dev cert is self-signed)")
    p.add_argument("--cafile", help="verify the server certificate against this PEM instead")
    p.add_argument("--plan", default="-", help="plan JSON file, or - for stdin (default)")
    p.add_argument("--connections", type=int, help="number of QUIC connections (default 1 or plan's)")
    p.add_argument("--max-concurrency", type=int, default=0, help="max in-flight requests per connection (0: all)")
    p.add_argument("--connect-timeout", type=float, default=10.0)
    p.add_argument("--request-timeout", type=float, default=30.0)
    p.add_argument("--total-timeout", type=float, default=120.0)
    p.add_argument("--max-body-capture", type=int, default=65536, help="largest body reported as body_text")
    args = p.parse_args(argv)
    try:
        text = sys.stdin.read() if args.plan == "-" else open(args.plan, encoding="utf-8").read()
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as e:
            raise PlanError(f"plan is not JSON: {e}") from None
        requests, plan_connections = parse_plan(doc)
        connections = args.connections or plan_connections or 1
        if connections < 1:
            raise PlanError("--connections: expected >= 1")
        return asyncio.run(main_async(args, requests, connections))
    except (PlanError, OSError) as e:
        print(json.dumps({"summary": {"error": f"usage: {e}"}}), flush=True)
        print(f"h3client: {e}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
