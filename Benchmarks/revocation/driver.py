#!/usr/bin/env python3
"""Revocation-latency driver for RTA Gateway (see README.md in this folder).

One process, one asyncio loop, one clock. It
  1. mints one dev-IdP JWT per subject (email `bg-NNN@bench.example` for the
     background subjects, `victim-NNN@bench.example` for the revoked ones);
  2. exchanges --background-subjects x --sessions-per-subject sessions over
     --connections aioquic HTTP/3 connections (PROTOCOL.md §2), spread evenly;
  3. runs --rounds live and --quiet-rounds quiet revocation rounds, alternating
     (in a quiet round the driver blocks its thread for --quiet-window right after
     t_send, so only the gateway uses the CPU). Each round exchanges the victim subject's
     sessions on the same connections, opens one SSE event stream per session
     (§6) and waits until all answered 200, starts --probes probe loops (one
     request in flight each, on victim sessions), signs a CAEP session-revoked
     SET for the victim's email with the dev transmitter key, POSTs it to the
     control listener's /ssf/events (one kept-alive HTTP/1.1 connection) and
     records t_send; the 202 gives t_accepted; right after the 202 has been read
     it sends one GET per victim session (the "next request"), and waits for the
     1,000 `revoked` events, the 1,000 answers and the probes;
     --probe-rounds are quiet rounds in which a second process (`driver.py --prober`,
     started by this one) pushes the SET itself and plays --prober-sessions more
     agents of the subject, which send their next request the moment it has read
     the 202: (a) without this process's own backlog;
  4. pushes a burst of SETs for subjects without sessions (then the same SETs
     again, as duplicates) over --burst-connections connections: SETs/s;
  5. reads /metrics (rta_signal_duration_seconds) and checks through the admin
     API that every background session is still active and every victim session
     revoked.

Timestamps: every packet the driver receives is stamped by the kernel when it is
queued on the driver's socket (SO_TIMESTAMPNS, CLOCK_REALTIME); the driver also
notes when it got round to handling it (time.time_ns(), same clock). "arrival" is
the kernel stamp, so the Python client's own backlog is excluded; "seen" is the
driver's handling time and includes it. Sends are stamped with time.time_ns()
right before the socket call.

Usage: driver.py --port UDP --control TCP --idp URL --transmitter URL --repo DIR
                 [--admin-token-file F] [--gateway-pid PID] [--json-out FILE] [options, see --help]
Exit 1 when any check failed (a follow-up request that did not answer 401
session_revoked, a missing revoked event, a refused SET, a background session that
is no longer active...).
"""
import argparse, asyncio, base64, json, math, os, secrets, socket, ssl, struct, sys, time, urllib.parse, urllib.request

from aioquic.asyncio.protocol import QuicConnectionProtocol
from aioquic.h3.connection import H3_ALPN, H3Connection
from aioquic.h3.events import DataReceived, HeadersReceived
from aioquic.quic.configuration import QuicConfiguration
from aioquic.quic.connection import QuicConnection
from aioquic.quic.events import StreamReset
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)  # Linux; Python does not export it
SO_RCVBUFFORCE = getattr(socket, "SO_RCVBUFFORCE", 33)
now_ns = time.time_ns  # CLOCK_REALTIME, the clock of the kernel's SO_TIMESTAMPNS stamps

JWT_TYPE = "urn:ietf:params:oauth:token-type:jwt"
GRANT = "urn:ietf:params:oauth:grant-type:rta_token_exchange"
SESSION_REVOKED = "https://schemas.openid.net/secevent/caep/event-type/session-revoked"
FORM = [(b"content-type", b"application/x-www-form-urlencoded")]
STATS = {"fallback_stamps": 0, "udp_send_errors": 0, "exchange_retries": 0}


def log(message):
    print(f"driver: {message}", flush=True)


def kernel_stamp(ancdata):
    for level, kind, data in ancdata:
        if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS and len(data) >= 16:
            sec, nsec = struct.unpack("qq", data[:16])
            return sec * 1_000_000_000 + nsec
    STATS["fallback_stamps"] += 1
    return now_ns()


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


# --------------------------------------------------------------------------- QUIC client

class TimestampedUDP(asyncio.DatagramTransport):
    """A datagram transport that reads with recvmsg and hands the protocol each
    datagram's kernel receive stamp (protocol.rx_ns) before processing it."""

    def __init__(self, loop, sock, protocol):
        super().__init__()
        self._loop, self._sock, self._protocol, self._closed = loop, sock, protocol, False
        loop.add_reader(sock.fileno(), self._read_ready)

    def sendto(self, data, addr=None):
        try:
            self._sock.sendto(data, addr)
        except (BlockingIOError, InterruptedError):
            STATS["udp_send_errors"] += 1  # QUIC retransmits

    def _read_ready(self):
        proto = self._protocol
        for _ in range(128):
            try:
                data, ancdata, _flags, addr = self._sock.recvmsg(65536, 256)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                return
            proto.rx_ns = kernel_stamp(ancdata)
            proto.datagram_received(data, addr)

    def close(self):
        if not self._closed:
            self._closed = True
            self._loop.remove_reader(self._sock.fileno())
            self._sock.close()

    def abort(self):
        self.close()

    def is_closing(self):
        return self._closed

    def get_extra_info(self, name, default=None):
        return default


class Stream:
    __slots__ = ("status", "www", "rx_ns", "seen_ns", "sent_ns", "body", "reset_code", "reset_rx_ns", "done", "headers",
                 "on_data", "keep_body", "received", "content_length", "fin", "kind")

    def __init__(self, loop, on_data=None, want_headers=False, keep_body=True):
        self.status = self.www = self.rx_ns = self.seen_ns = self.sent_ns = self.reset_code = self.reset_rx_ns = None
        self.body = bytearray()
        self.done = loop.create_future()
        self.headers = loop.create_future() if want_headers else None
        self.on_data = on_data
        self.keep_body = keep_body
        self.received = 0
        self.content_length = None
        self.fin = False
        self.kind = "sse" if on_data is not None else "request"

    def _headers_seen(self):
        if self.headers is not None and not self.headers.done():
            self.headers.set_result(None)

    def _finish(self):
        self._headers_seen()
        if not self.done.done():
            self.done.set_result(None)


class Conn(QuicConnectionProtocol):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.h3 = H3Connection(self._quic)
        self.streams = {}
        self.rx_ns = 0
        self.index = 0

    def request(self, method, path, headers, body=b"", on_data=None, want_headers=False, keep_body=True, flush=True):
        stream_id = self._quic.get_next_available_stream_id()
        stream = Stream(self._loop, on_data, want_headers, keep_body)
        self.streams[stream_id] = stream
        self.h3.send_headers(stream_id, [(b":method", method), (b":scheme", b"https"), (b":authority", b"localhost"),
                                         (b":path", path)] + headers, end_stream=not body)
        if body:
            self.h3.send_data(stream_id, body, end_stream=True)
        if flush:
            stream.sent_ns = now_ns()
            self.transmit()
        return stream

    def flush(self, streams):
        """Sends what request(..., flush=False) queued; the send stamp is taken just before."""
        stamp = now_ns()
        for stream in streams:
            stream.sent_ns = stamp
        self.transmit()

    def _handle_timer(self):
        self.rx_ns = now_ns()
        super()._handle_timer()

    def quic_event_received(self, event):
        rx = self.rx_ns
        if isinstance(event, StreamReset):
            stream = self.streams.pop(event.stream_id, None)
            if stream is not None:
                stream.reset_code = event.error_code
                stream.reset_rx_ns = rx
                if stream.rx_ns is None:
                    stream.rx_ns, stream.seen_ns = rx, now_ns()
                stream._finish()
        for h3_event in self.h3.handle_event(event):
            stream_id = getattr(h3_event, "stream_id", None)
            stream = self.streams.get(stream_id)
            if stream is None:
                continue
            if isinstance(h3_event, HeadersReceived):
                if stream.status is None:
                    for name, value in h3_event.headers:
                        if name == b":status":
                            stream.status = int(value)
                        elif name == b"www-authenticate":
                            stream.www = value.decode()
                        elif name == b"content-length":
                            stream.content_length = int(value)
                    stream.rx_ns, stream.seen_ns = rx, now_ns()
                    stream._headers_seen()
                    if stream.content_length == 0:
                        stream._finish()
            elif isinstance(h3_event, DataReceived):
                stream.received += len(h3_event.data)
                if stream.on_data is not None:
                    stream.on_data(h3_event.data, rx)
                elif stream.keep_body:
                    stream.body += h3_event.data
                # A response is complete once content-length bytes arrived, FIN or not: the
                # gateway sometimes never sends the FIN (counted, see missing_fin in the report).
                if stream.content_length is not None and stream.received >= stream.content_length:
                    stream._finish()
            if getattr(h3_event, "stream_ended", False):
                self.streams.pop(stream_id, None)
                stream.fin = True
                stream._finish()


async def open_conn(port, index):
    loop = asyncio.get_running_loop()
    config = QuicConfiguration(is_client=True, alpn_protocols=H3_ALPN, server_name="localhost", idle_timeout=900.0,
                               max_data=64 << 20, max_stream_data=1 << 20)
    config.verify_mode = ssl.CERT_NONE
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setblocking(False)
    for option, size in ((SO_RCVBUFFORCE, 16 << 20), (socket.SO_RCVBUF, 16 << 20)):
        try:
            sock.setsockopt(socket.SOL_SOCKET, option, size)
            break
        except OSError:
            continue
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
    sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    sock.bind(("127.0.0.1", 0))
    proto = Conn(QuicConnection(configuration=config))
    proto.index = index
    proto.connection_made(TimestampedUDP(loop, sock, proto))
    proto.connect(("127.0.0.1", port))
    await asyncio.wait_for(proto.wait_connected(), 10)
    return proto


async def exchange(conn, jwt, agent_id):
    """One RTA token exchange on `conn`; retries while the nonce store is full."""
    while True:
        body = urllib.parse.urlencode({"grant_type": GRANT, "subject_token": jwt, "subject_token_type": JWT_TYPE,
                                       "agent_id": agent_id, "nonce": secrets.token_urlsafe(16)}).encode()
        stream = conn.request(b"POST", b"/.well-known/rta/token", FORM, body)
        await asyncio.wait_for(stream.done, 30)
        if stream.status == 200:
            answer = json.loads(bytes(stream.body))
            return answer["access_token"], answer["session_id"]
        text = bytes(stream.body).decode("utf-8", "replace")
        if stream.status == 503 or "temporarily_unavailable" in text:
            # The nonce replay store holds at most 100,000 nonces for tokens.max_age.
            STATS["exchange_retries"] += 1
            await asyncio.sleep(0.5)
            continue
        raise RuntimeError(f"token exchange answered {stream.status} (reset {stream.reset_code}): {text[:300]}")


# --------------------------------------------------------------------------- prober process ((a) in probe rounds)

async def prober_main(args):
    """`driver.py --prober`: a second process that plays --prober-sessions agents of the
    victim subject, each on its own QUIC connection, and pushes the round's SET itself.
    The moment it has read the `202` (a socket callback, before anything else runs) each
    agent sends its next request: (a) as the issue words it, from the push being accepted
    to the next request of the subject's sessions answering 401, for agents that send at
    once. Nothing else runs in this process, so neither the main driver's 1,000 streams
    nor a pacing loop delays those requests. Commands on stdin, one JSON object per line:
    {"cmd": "round", "number", "jwt"} (answered {"ready": true, "warm": [statuses]} once
    its sessions are exchanged and each answered one request), {"cmd": "push", "body"}
    (answered with the push's send and `202` stamps and each agent's next request),
    {"cmd": "exit"}."""
    # The agents stand for clients on other machines. Here they share 2 cores with a
    # gateway that keeps both busy while it revokes 1,000 sessions, and at nice 0 an agent
    # sent its request up to 20 ms after it meant to: this box's scheduler, not the
    # gateway. At the QUIC loop's nice value they send when they mean to.
    try:
        os.setpriority(os.PRIO_PROCESS, 0, args.prober_nice)
        nice = os.getpriority(os.PRIO_PROCESS, 0)
    except OSError as error:
        nice = f"{os.getpriority(os.PRIO_PROCESS, 0)} ({args.prober_nice} refused: {error.strerror})"
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    conns = [await open_conn(args.port, 1000 + i) for i in range(args.prober_sessions)]
    control = H1Client("127.0.0.1", args.control)

    def answer(message):
        sys.stdout.write(json.dumps(message) + "\n")
        sys.stdout.flush()

    answer({"ready": True, "nice": nice})
    number, auth = 0, []
    while True:
        line = await reader.readline()
        command = json.loads(line) if line else {"cmd": "exit"}
        if command["cmd"] == "round":
            number = command["number"]
            tokens = [await exchange(conn, command["jwt"], f"prober-{number:03d}-{i}") for i, conn in enumerate(conns)]
            auth = [[(b"authorization", f"RTA {token}".encode())] for token, _ in tokens]
            warm = [conn.request(b"GET", f"/probe/{number}/prober/{i}/warm".encode(), auth[i], keep_body=False)
                    for i, conn in enumerate(conns)]
            await asyncio.wait_for(asyncio.gather(*(stream.done for stream in warm)), 30)
            answer({"ready": True, "warm": [stream.status for stream in warm]})
        elif command["cmd"] == "push":
            nexts = []

            def send_next(_response):
                for i, conn in enumerate(conns):
                    nexts.append((i, conn.request(b"GET", f"/probe/{number}/prober/{i}/next".encode(), auth[i],
                                                  keep_body=False)))

            pushed = control.post("/ssf/events", command["body"].encode(), on_response=send_next)
            t_send = control.waiting[-1][1]
            response = await asyncio.wait_for(pushed, 30)
            try:
                await asyncio.wait_for(asyncio.gather(*(stream.done for _, stream in nexts)), args.prober_timeout)
            except asyncio.TimeoutError:
                pass  # reported as an agent without an answer
            answer({"t_send": t_send, "t_accepted": response.rx_ns, "status": response.status,
                    "body": bytes(response.body[:200]).decode("utf-8", "replace"),
                    "agents": [[i, stream.sent_ns, stream.reset_rx_ns or stream.rx_ns, stream.status, stream.www,
                                stream.reset_code] for i, stream in nexts]})
        else:
            control.close()
            for conn in conns:
                conn.close()
            return


class Prober:
    """The main driver's handle on the `--prober` process."""

    def __init__(self, process):
        self.process = process

    @classmethod
    async def launch(cls, args):
        process = await asyncio.create_subprocess_exec(
            sys.executable, os.path.abspath(__file__), "--prober", "--port", str(args.port),
            "--control", str(args.control), "--prober-sessions", str(args.prober_sessions),
            "--prober-nice", str(args.prober_nice),
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
        prober = cls(process)
        prober.nice = (await prober.read())["nice"]
        return prober

    async def send(self, message):
        self.process.stdin.write((json.dumps(message) + "\n").encode())
        await self.process.stdin.drain()

    async def read(self):
        line = await asyncio.wait_for(self.process.stdout.readline(), 60)
        if not line:
            raise RuntimeError("the prober process exited")
        return json.loads(line)

    async def start(self, number, jwt):
        """Exchanges the agents' sessions for this round; the status of each one's first request."""
        await self.send({"cmd": "round", "number": number, "jwt": jwt})
        return (await self.read())["warm"]

    async def push(self, body):
        """Hands the prober the SET to push; returns without waiting (see `pushed`)."""
        await self.send({"cmd": "push", "body": body.decode()})

    async def pushed(self):
        """The push's stamps and answer, and each agent's next request."""
        return await self.read()

    async def close(self):
        await self.send({"cmd": "exit"})
        await asyncio.wait_for(self.process.wait(), 10)


# --------------------------------------------------------------------------- HTTP/1.1 client (SET push)

class Response:
    __slots__ = ("status", "headers", "body", "rx_ns", "seen_ns", "sent_ns")


class H1Client:
    """One kept-alive HTTP/1.1 connection on a raw socket; every response carries the
    kernel stamp of the segment that completed it (rx_ns) and the send stamp of its request."""

    def __init__(self, host, port):
        self.loop = asyncio.get_running_loop()
        self.host, self.port = host, port
        self.sock = socket.create_connection((host, port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        self.sock.setblocking(False)
        self.buffer = bytearray()
        self.waiting = []  # (future, sent_ns), FIFO
        self.loop.add_reader(self.sock.fileno(), self._read_ready)

    def post(self, path, body, content_type="application/secevent+jwt", extra=b"", on_response=None):
        head = (f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nContent-Type: {content_type}\r\n"
                f"Accept: application/json\r\nContent-Length: {len(body)}\r\n").encode() + extra + b"\r\n"
        future = self.loop.create_future()
        sent = now_ns()
        self.waiting.append((future, sent, on_response))
        data = memoryview(head + body)
        while data:  # a few hundred bytes to a fresh socket buffer: one call in practice
            try:
                data = data[self.sock.send(data):]
            except BlockingIOError:
                time.sleep(0)
        return future

    def _read_ready(self):
        while True:
            try:
                data, ancdata, _flags, _addr = self.sock.recvmsg(1 << 16, 256)
            except (BlockingIOError, InterruptedError):
                break
            if not data:
                for future, _, _ in self.waiting:
                    if not future.done():
                        future.set_exception(ConnectionError("control connection closed"))
                self.waiting.clear()
                self.loop.remove_reader(self.sock.fileno())
                return
            rx = kernel_stamp(ancdata)
            self.buffer += data
            self._parse(rx)

    def _parse(self, rx):
        while self.waiting:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            lines = bytes(self.buffer[:end]).decode("latin-1").split("\r\n")
            headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            length = int(headers.get("content-length", "0"))
            if len(self.buffer) < end + 4 + length:
                return
            response = Response()
            response.status = int(lines[0].split()[1])
            response.headers = headers
            response.body = bytes(self.buffer[end + 4:end + 4 + length])
            response.rx_ns, response.seen_ns = rx, now_ns()
            del self.buffer[:end + 4 + length]
            future, response.sent_ns, on_response = self.waiting.pop(0)
            if on_response is not None:  # synchronously, before the loop handles anything else
                on_response(response)
            if not future.done():
                future.set_result(response)

    def close(self):
        try:
            self.loop.remove_reader(self.sock.fileno())
        except Exception:
            pass
        self.sock.close()


# --------------------------------------------------------------------------- SETs

class SETSigner:
    def __init__(self, key_file, kid, issuer, audience):
        with open(key_file, "rb") as handle:
            self.key = serialization.load_pem_private_key(handle.read(), password=None)
        self.header = b64url(json.dumps({"alg": "RS256", "typ": "secevent+jwt", "kid": kid},
                                        separators=(",", ":")).encode())
        self.issuer, self.audience = issuer, audience

    def session_revoked(self, email, jti=None):
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": self.audience, "iat": now, "jti": jti or secrets.token_hex(16),
                  "sub_id": {"format": "email", "email": email},
                  "events": {SESSION_REVOKED: {"event_timestamp": now + 1, "initiating_entity": "policy",
                                               "reason_admin": {"en": "revocation latency benchmark"}}}}
        signing_input = self.header + "." + b64url(json.dumps(claims, separators=(",", ":")).encode())
        signature = self.key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
        return (signing_input + "." + b64url(signature)).encode(), claims["jti"]


# --------------------------------------------------------------------------- helpers

def http_get_json(url, token=None, timeout=60):
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    with urllib.request.urlopen(request, timeout=timeout) as answer:
        return json.loads(answer.read())


def http_get_text(url, timeout=30):
    with urllib.request.urlopen(url, timeout=timeout) as answer:
        return answer.read().decode()


def mint_jwt(idp, email, sub):
    body = urllib.parse.urlencode({"sub": sub, "email": email, "aud": "rta-gateway", "scope": "orders:read",
                                   "expires_in": "14400"}).encode()
    with urllib.request.urlopen(urllib.request.Request(idp + "/token", data=body), timeout=30) as answer:
        return json.loads(answer.read())["access_token"]


_perf_fifo = {}


def perf_control(fifo, command):
    """Tells `perf record --control fifo:...` to enable or disable sampling (profiling runs only)."""
    if fifo:
        if fifo not in _perf_fifo:
            _perf_fifo[fifo] = open(fifo, "w", buffering=1)
        _perf_fifo[fifo].write(command + "\n")


def percentile(values, fraction):
    """Nearest-rank percentile of a sorted list."""
    if not values:
        return float("nan")
    return values[min(len(values) - 1, max(0, math.ceil(fraction * len(values)) - 1))]


def summary_ms(values_ns):
    values = sorted(v / 1e6 for v in values_ns)
    if not values:
        return {"n": 0}
    return {"n": len(values), "min": values[0], "p50": percentile(values, 0.50), "p90": percentile(values, 0.90),
            "p99": percentile(values, 0.99), "max": values[-1], "mean": sum(values) / len(values)}


def fmt(summary):
    if not summary.get("n"):
        return "n/a"
    return (f"p50 {summary['p50']:8.3f}  p99 {summary['p99']:8.3f}  max {summary['max']:8.3f}  "
            f"min {summary['min']:8.3f} ms  (n={summary['n']})")


def cpu_seconds(pid):
    if not pid:
        return None
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return None


def parse_metrics(text):
    """rta_signal_duration_seconds buckets/sum/count, rta_signals_total and rta_sessions_revoked_total."""
    out = {"buckets": {}, "sum": 0.0, "count": 0, "signals": {}, "revoked": {}}
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        name_labels, _, value = line.rpartition(" ")
        try:
            number = float(value)
        except ValueError:
            continue
        if name_labels.startswith("rta_signal_duration_seconds_bucket"):
            le = name_labels.split('le="', 1)[1].split('"', 1)[0]
            out["buckets"][le] = number
        elif name_labels.startswith("rta_signal_duration_seconds_sum"):
            out["sum"] = number
        elif name_labels.startswith("rta_signal_duration_seconds_count"):
            out["count"] = int(number)
        elif name_labels.startswith("rta_signals_total"):
            out["signals"][name_labels.split('effect="', 1)[1].split('"', 1)[0] if 'effect="' in name_labels else ""] = number
        elif name_labels.startswith("rta_sessions_revoked_total"):
            out["revoked"][name_labels.split('cause="', 1)[1].split('"', 1)[0] if 'cause="' in name_labels else ""] = number
    return out


def metrics_delta(before, after):
    buckets = {le: after["buckets"].get(le, 0) - before["buckets"].get(le, 0) for le in after["buckets"]}
    return {"buckets": buckets, "count": after["count"] - before["count"], "sum": after["sum"] - before["sum"]}


def bucket_quantile(delta, fraction):
    """The upper bound of the bucket holding the given quantile (what a histogram can say)."""
    total = delta["count"]
    if total <= 0:
        return None
    def bound(le):
        return math.inf if le == "+Inf" else float(le)
    for le in sorted(delta["buckets"], key=bound):
        if delta["buckets"][le] >= fraction * total:
            return bound(le)
    return math.inf


# --------------------------------------------------------------------------- the benchmark

class Bench:
    def __init__(self, args):
        self.args = args
        self.conns = []
        self.failures = []
        self.samples = {mode: {k: [] for k in (
            "event_minus_accepted", "event_minus_send", "event_seen_minus_send", "event_client_lag",
            "deny_minus_accepted", "deny_minus_send", "deny_rtt", "deny_send_offset",
            "push_rtt", "push_rtt_seen", "probe_first_block_minus_send", "probe_first_401_minus_send",
            "probe_session_block_minus_send", "probe_session_block_minus_accepted",
            "prober_next_minus_accepted", "prober_next_minus_send", "prober_next_rtt", "prober_next_reaction",
            "round_event_spread", "round_first_event_minus_send", "round_last_event_minus_send",
            "round_exchange_s", "round_open_s")} for mode in ("live", "quiet", "probe")}
        self.prober = None
        self.late_events = 0  # quiet rounds: events stamped after the quiet window ended
        self.round_rows = []
        self.stage = "start"
        self.event_streams = []

    def fail(self, message):
        if len(self.failures) < 50:
            log(f"CHECK FAILED: {message}")
        self.failures.append(message)

    # ---- exchanges

    async def exchange(self, conn, jwt, agent_id):
        return await exchange(conn, jwt, agent_id)

    async def exchange_many(self, jobs, per_conn_concurrency):
        """jobs: list of (conn_index, jwt, agent_id); returns tokens in job order."""
        results = [None] * len(jobs)
        by_conn = {}
        for position, job in enumerate(jobs):
            by_conn.setdefault(job[0], []).append(position)

        async def worker(conn, positions):
            while positions:
                position = positions.pop()
                _, jwt, agent_id = jobs[position]
                results[position] = await self.exchange(conn, jwt, agent_id)

        tasks = []
        for index, positions in by_conn.items():
            for _ in range(min(per_conn_concurrency, len(positions))):
                tasks.append(worker(self.conns[index], positions))
        await asyncio.gather(*tasks)
        return results

    # ---- one revocation round

    async def round(self, number, jwt, email, signer, h1, mode):
        args, loop = self.args, asyncio.get_running_loop()
        quiet = mode != "live"  # probe rounds are quiet for this process; the prober runs alongside
        n, conns = args.sessions_per_subject, len(self.conns)
        started = time.monotonic()
        jobs = [(i % conns, jwt, f"victim-agent-{number:03d}-{i:04d}") for i in range(n)]
        self.stage = f"round {number}: exchanging"
        tokens = await self.exchange_many(jobs, args.exchange_concurrency)
        exchanged = time.monotonic()
        self.stage = f"round {number}: opening event streams"

        # One SSE event stream per session, on the connection the session was created on.
        arrivals = [None] * n  # (rx_ns, seen_ns, data)
        all_revoked = loop.create_future()
        remaining = [n]

        def on_events(index):
            pending = bytearray()

            def feed(data, rx):
                pending.extend(data)
                while True:
                    cut = pending.find(b"\n\n")
                    if cut < 0:
                        return
                    frame = bytes(pending[:cut])
                    del pending[:cut + 2]
                    name, payload = None, None
                    for line in frame.split(b"\n"):
                        if line.startswith(b"event: "):
                            name = line[7:].decode()
                        elif line.startswith(b"data: "):
                            payload = line[6:]
                    if name == "revoked" and arrivals[index] is None:
                        arrivals[index] = (rx, now_ns(), payload)
                        remaining[0] -= 1
                        if remaining[0] == 0 and not all_revoked.done():
                            all_revoked.set_result(None)
            return feed

        streams = []
        per_conn = {}
        for i, (token, _) in enumerate(tokens):
            conn = self.conns[i % conns]
            stream = conn.request(b"GET", b"/.well-known/rta/events", [(b"authorization", f"RTA {token}".encode())],
                                  on_data=on_events(i), want_headers=True, flush=False)
            streams.append(stream)
            per_conn.setdefault(conn, []).append(stream)
        for conn, batch in per_conn.items():
            conn.flush(batch)
        await asyncio.wait_for(asyncio.gather(*(s.headers for s in streams)), 30)
        bad = [s.status for s in streams if s.status != 200]
        if bad:
            self.fail(f"round {number}: {len(bad)} event streams did not answer 200 (e.g. {bad[0]})")
        opened = time.monotonic()

        # Probes: one request in flight on each of the first --probes sessions (distinct connections).
        probe_log = []
        stop = asyncio.Event()

        async def probe(index):
            conn, token = self.conns[index % conns], tokens[index][0]
            auth = [(b"authorization", f"RTA {token}".encode())]
            count = 0
            while not stop.is_set():
                stream = conn.request(b"GET", f"/probe/{number}/{index}/{count}".encode(), auth, keep_body=False)
                await asyncio.wait_for(stream.done, 30)
                # A reset can cut a response whose 200 head arrived earlier: the block time is the reset's.
                probe_log.append((index, stream.sent_ns, stream.reset_rx_ns or stream.rx_ns, stream.status, stream.www,
                                  stream.reset_code))
                if stream.reset_code is not None or stream.status == 401:
                    return
                count += 1

        self.stage = f"round {number}: probes and push"
        perf_control(args.perf_control, "enable")  # profiling runs: sample from the probes to the end of the round
        if mode == "probe":
            warm = await self.prober.start(number, jwt)
            if any(status != 200 for status in warm):
                self.fail(f"round {number}: a prober agent's first request answered {warm}")
        probes = [asyncio.ensure_future(probe(i)) for i in range(min(args.probes, n))]
        await asyncio.sleep(args.probe_warmup)

        # The push. The SET is signed before t_send; t_send is taken right before the socket write.
        body, jti = signer.session_revoked(email)
        followups = []
        auth = [[(b"authorization", f"RTA {token}".encode())] for token, _ in tokens]

        def send_followups(_response):
            # Called from the socket callback the moment the 202 has been read: the next
            # request of every affected session, one batch (one transmit) per connection.
            per_conn = {}
            for i in range(n):
                conn = self.conns[i % conns]
                stream = conn.request(b"GET", f"/probe/{number}/next/{i}".encode(), auth[i], flush=False)
                followups.append(stream)
                per_conn.setdefault(conn, []).append(stream)
            for conn, batch in per_conn.items():
                conn.flush(batch)

        if mode == "probe":
            # The prober pushes (its agents send their next requests on reading the 202).
            await self.prober.push(body)
        else:
            answer_future = h1.post("/ssf/events", body, on_response=send_followups)
            t_send = h1.waiting[-1][1]
        if quiet:
            # Quiet round: the driver blocks its own thread (reads nothing, uses no CPU) while
            # the gateway revokes and pushes; the kernel stamps every packet as it arrives, so
            # the arrival times are exact and free of the driver's CPU use on this 2-core machine.
            time.sleep(args.quiet_window)
            quiet_end = now_ns()
        if mode == "probe":
            pushed = await asyncio.wait_for(self.prober.pushed(), 30)
            t_send, t_accepted, t_accepted_seen = pushed["t_send"], pushed["t_accepted"], pushed["t_accepted"]
            status, answer_body = pushed["status"], pushed["body"]
            send_followups(None)
        else:
            answer = await asyncio.wait_for(answer_future, 30)
            t_accepted, t_accepted_seen = answer.rx_ns, answer.seen_ns
            status, answer_body = answer.status, answer.body[:200]
        if status != 202:
            self.fail(f"round {number}: push answered {status}: {answer_body!r}")

        self.stage = f"round {number}: waiting for events, answers and probes"
        try:
            await asyncio.wait_for(all_revoked, args.event_timeout)
        except asyncio.TimeoutError:
            self.fail(f"round {number}: {remaining[0]} of {n} sessions got no revoked event within {args.event_timeout} s")
        try:
            await asyncio.wait_for(asyncio.gather(*(s.done for s in followups)), 30)
        except asyncio.TimeoutError:
            self.fail(f"round {number}: follow-up requests unanswered after 30 s")
        stop.set()
        perf_control(args.perf_control, "disable")
        try:
            await asyncio.wait_for(asyncio.gather(*probes), 10)
        except asyncio.TimeoutError:
            self.fail(f"round {number}: a probe did not end")
            for task in probes:
                task.cancel()
        self.event_streams += streams  # checked at the end: each must have ended after `revoked`
        prober_agents = pushed["agents"] if mode == "probe" else []

        # ---- bookkeeping
        s = self.samples[mode]
        if quiet:
            self.late_events += sum(1 for a in arrivals if a is not None and a[0] > quiet_end)
        s["push_rtt"].append(t_accepted - t_send)
        s["push_rtt_seen"].append(t_accepted_seen - t_send)
        got = [a for a in arrivals if a is not None]
        wrong_jti = 0
        for rx, seen, payload in got:
            s["event_minus_accepted"].append(rx - t_accepted)
            s["event_minus_send"].append(rx - t_send)
            s["event_seen_minus_send"].append(seen - t_send)
            s["event_client_lag"].append(seen - rx)
            try:
                if json.loads(payload).get("jti") != jti:
                    wrong_jti += 1
            except (TypeError, ValueError):
                wrong_jti += 1
        if wrong_jti:
            self.fail(f"round {number}: {wrong_jti} revoked events without the SET's jti")
        if got:
            first, last = min(a[0] for a in got), max(a[0] for a in got)
            s["round_event_spread"].append(last - first)
            s["round_first_event_minus_send"].append(first - t_send)
            s["round_last_event_minus_send"].append(last - t_send)
        not_denied = 0
        for stream in followups:
            if stream.status == 401 and stream.www and "session_revoked" in stream.www:
                s["deny_minus_accepted"].append(stream.rx_ns - t_accepted)
                s["deny_minus_send"].append(stream.rx_ns - t_send)
                s["deny_rtt"].append(stream.rx_ns - stream.sent_ns)
                s["deny_send_offset"].append(stream.sent_ns - t_accepted_seen)
            else:
                not_denied += 1
                if not_denied == 1:
                    self.fail(f"round {number}: a follow-up request answered {stream.status} {stream.www} "
                              f"(reset {stream.reset_code})")
        if not_denied > 1:
            self.fail(f"round {number}: {not_denied} follow-up requests in all did not answer 401 session_revoked")
        blocks = {}
        first_401 = None
        ok_after_send = 0
        for index, sent, rx, status, www, reset in probe_log:
            blocked = reset is not None or status == 401
            if blocked and index not in blocks:
                blocks[index] = rx
            if status == 401 and reset is None and (first_401 is None or rx < first_401):
                first_401 = rx
            if status == 200 and sent >= t_accepted:
                ok_after_send += 1  # a request sent after the 202 must not be allowed
        if ok_after_send:
            self.fail(f"round {number}: {ok_after_send} probe requests sent after the 202 answered 200")
        if blocks:
            s["probe_first_block_minus_send"].append(min(blocks.values()) - t_send)
        for rx in blocks.values():  # every probe session: when was it first refused?
            s["probe_session_block_minus_send"].append(rx - t_send)
            s["probe_session_block_minus_accepted"].append(rx - t_accepted)
        if first_401 is not None:
            s["probe_first_401_minus_send"].append(first_401 - t_send)
        s["round_exchange_s"].append(int((exchanged - started) * 1e9))
        s["round_open_s"].append(int((opened - exchanged) * 1e9))
        if mode == "probe" and len(prober_agents) != args.prober_sessions:
            self.fail(f"round {number}: {len(prober_agents)} of {args.prober_sessions} prober agents sent a next request")
        for index, sent, rx, status, www, reset in prober_agents:
            if status != 401 or reset is not None or not www or "session_revoked" not in www:
                self.fail(f"round {number}: prober agent {index}'s next request answered {status} {www} (reset {reset})")
                continue
            s["prober_next_minus_accepted"].append(rx - t_accepted)
            s["prober_next_minus_send"].append(rx - t_send)
            s["prober_next_rtt"].append(rx - sent)
            s["prober_next_reaction"].append(sent - t_accepted)
        row = {"round": number, "mode": mode, "t_send_unix": t_send / 1e9, "push_rtt_ms": (t_accepted - t_send) / 1e6, "events": len(got),
               "event_p50_ms_after_send": summary_ms([a[0] - t_send for a in got]).get("p50"),
               "event_max_ms_after_send": summary_ms([a[0] - t_send for a in got]).get("max"),
               "denied": n - not_denied, "probe_requests": len(probe_log),
               "probe_resets": sum(1 for p in probe_log if p[5] is not None)}
        if prober_agents:  # each agent's next request: index, sent and arrival in ms after t_send, status, reset code
            row["prober"] = [[index, (sent - t_send) / 1e6, (rx - t_send) / 1e6 if rx else None, status, reset]
                             for index, sent, rx, status, _www, reset in prober_agents]
        self.round_rows.append(row)
        return row

    # ---- SET throughput

    async def burst(self, signer, count, connections, port, pid):
        sets = [signer.session_revoked(f"nobody-{i:06d}@bench.example")[0] for i in range(count)]
        results = {}
        for label in ("no_session_subjects", "duplicates"):
            clients = [H1Client("127.0.0.1", port) for _ in range(connections)]
            statuses = {}
            cpu_before = cpu_seconds(pid)

            async def worker(client, items):
                for item in items:
                    answer = await client.post("/ssf/events", item)
                    statuses[answer.status] = statuses.get(answer.status, 0) + 1

            started = time.perf_counter()
            await asyncio.gather(*(worker(clients[k], sets[k::connections]) for k in range(connections)))
            elapsed = time.perf_counter() - started
            cpu_after = cpu_seconds(pid)
            for client in clients:
                client.close()
            accepted = statuses.get(202, 0)
            if accepted != count:
                self.fail(f"SET burst ({label}): {accepted} of {count} answered 202: {statuses}")
            results[label] = {"sets": count, "connections": connections, "seconds": elapsed, "statuses": statuses,
                              "accepted_per_s": accepted / elapsed,
                              "gateway_cpu_s": None if cpu_before is None else cpu_after - cpu_before}
            await asyncio.sleep(0.5)
        return results

    # ---- main

    async def run(self):
        args = self.args
        control = f"http://127.0.0.1:{args.control}"
        results = {"config": {k: v for k, v in vars(args).items()}}
        jwks = http_get_json(args.transmitter + "/jwks.json")
        kid = jwks["keys"][0]["kid"]
        signer = SETSigner(args.set_key, kid, args.transmitter_issuer or args.transmitter, args.audience)
        log(f"transmitter kid {kid}; minting {args.background_subjects + args.rounds} IdP tokens")
        background_jwts = [mint_jwt(args.idp, f"bg-{s:03d}@bench.example", f"bg-{s:03d}")
                           for s in range(args.background_subjects)]
        total_rounds = args.rounds + args.quiet_rounds + args.probe_rounds
        victim_jwts = [mint_jwt(args.idp, f"victim-{r:03d}@bench.example", f"victim-{r:03d}")
                       for r in range(total_rounds)]
        # Live, quiet and probe rounds alternate (in that order) until each kind has its count.
        modes, left = [], {"live": args.rounds, "quiet": args.quiet_rounds, "probe": args.probe_rounds}
        while any(left.values()):
            for mode in ("live", "quiet", "probe"):
                if left[mode]:
                    modes.append(mode)
                    left[mode] -= 1

        self.conns = [await open_conn(args.port, i) for i in range(args.connections)]
        log(f"{len(self.conns)} QUIC connections open")

        # Background sessions: subject s, session j on connection (s*n + j) % C.
        n = args.sessions_per_subject
        total = args.background_subjects * n
        log(f"exchanging {total} background sessions ({args.background_subjects} subjects x {n}) ...")
        jobs = [((s * n + j) % len(self.conns), background_jwts[s], f"bg-agent-{s:03d}-{j:04d}")
                for s in range(args.background_subjects) for j in range(n)]
        started = time.perf_counter()
        await self.exchange_many(jobs, args.exchange_concurrency)
        elapsed = time.perf_counter() - started
        results["background"] = {"sessions": total, "seconds": elapsed, "exchanges_per_s": total / elapsed,
                                 "retries_replay_store_full": STATS["exchange_retries"]}
        log(f"background: {total} sessions in {elapsed:.1f} s = {total / elapsed:.0f} exchanges/s "
            f"({STATS['exchange_retries']} retries: nonce replay store full)")
        background_done = time.time()
        # The exchange nonce store holds at most 100,000 nonces for max_age: if the rounds'
        # exchanges would not fit, wait until the first background nonces have expired.
        if total + n > 100_000 - 1_000:
            wait = started + args.max_age + 1 - time.perf_counter()
            if wait > 0:
                log(f"waiting {wait:.0f} s for the first background nonces to leave the replay window")
                await asyncio.sleep(wait)

        metrics_before = parse_metrics(http_get_text(control + "/metrics"))
        h1 = H1Client("127.0.0.1", args.control)
        load_before = os.getloadavg()[0]
        log(f"load average before the rounds: {load_before:.2f}")
        rounds_started = time.perf_counter()
        if args.probe_rounds:
            self.prober = await Prober.launch(args)
            log(f"prober process {self.prober.process.pid}: {args.prober_sessions} agents on their own connections, "
                f"nice {self.prober.nice}")
            results["prober_nice"] = self.prober.nice
        for r, mode in enumerate(modes):
            try:
                row = await asyncio.wait_for(
                    self.round(r, victim_jwts[r], f"victim-{r:03d}@bench.example", signer, h1, mode),
                    args.round_timeout)
            except asyncio.TimeoutError:
                self.fail(f"round {r} did not finish within {args.round_timeout} s (stuck at: {self.stage}); stopping")
                break
            if r % 10 < 2 or r == len(modes) - 1:
                log(f"round {r:3d} ({row['mode']:5s}): push {row['push_rtt_ms']:.2f} ms, events {row['events']}, "
                    f"event p50 {row['event_p50_ms_after_send']:.2f} / max {row['event_max_ms_after_send']:.2f} ms "
                    f"after send, next requests denied {row['denied']}, probe requests {row['probe_requests']}")
            await asyncio.sleep(args.pause)
        results["rounds_seconds"] = time.perf_counter() - rounds_started
        if self.prober:
            await self.prober.close()
        h1.close()
        metrics_after = parse_metrics(http_get_text(control + "/metrics"))
        results["load_after_rounds"] = os.getloadavg()[0]
        results["load_before_rounds"] = load_before

        # Active-session accounting: every background session must still be active (so
        # each round ran with >= background + victim active sessions), every victim one revoked.
        token = open(args.admin_token_file).read().strip() if args.admin_token_file else None
        active_bg = 0
        victims_not_revoked = 0
        victims_listed = 0
        if token:
            for s in range(args.background_subjects):
                listed = http_get_json(f"{control}/admin/sessions?email=bg-{s:03d}@bench.example", token)["sessions"]
                active_bg += sum(1 for x in listed if x.get("state") == "active")
            for r in range(len(modes)):
                # Revoked sessions are purged from the store every 60 s, so a victim may list
                # fewer than n sessions; none of those listed may be active.
                listed = http_get_json(f"{control}/admin/sessions?email=victim-{r:03d}@bench.example", token)["sessions"]
                victims_not_revoked += sum(1 for x in listed if x.get("state") != "revoked")
                victims_listed += len(listed)
            if active_bg != total:
                self.fail(f"only {active_bg} of {total} background sessions are still active")
            if victims_not_revoked:
                self.fail(f"{victims_not_revoked} victim sessions are not revoked")
        results["accounting"] = {"background_active_after_rounds": active_bg, "victims_not_revoked": victims_not_revoked,
                                 "victim_sessions_still_listed": victims_listed,
                                 "seconds_since_background_created": time.time() - background_done}

        # SET throughput.
        if args.burst > 0:
            log(f"SET burst: {args.burst} SETs for subjects without sessions over {args.burst_connections} connections, "
                f"then the same SETs again (duplicates)")
            before_burst = parse_metrics(http_get_text(control + "/metrics"))
            results["burst"] = await self.burst(signer, args.burst, args.burst_connections, args.control, args.gateway_pid)
            after_burst = parse_metrics(http_get_text(control + "/metrics"))
            results["burst_metrics"] = metrics_delta(before_burst, after_burst)
        await asyncio.sleep(1)
        open_events = sum(1 for st in self.event_streams if not st.fin and st.reset_code is None)
        missing_fin = {}
        for conn in self.conns:
            for st in conn.streams.values():
                if st.kind == "request" and st.done.done() and not st.fin and st.reset_code is None:
                    missing_fin[st.status] = missing_fin.get(st.status, 0) + 1
        results["missing_fin"] = {"event_streams_open_after_revoked": open_events,
                                  "complete_responses_without_fin_by_status": missing_fin}
        if open_events:  # a protocol defect (PROTOCOL.md §6: "then the stream ends"), not a latency failure
            log(f"DEFECT: {open_events} event streams got `revoked` but never ended (no FIN)")
        for conn in self.conns:
            conn.close()

        delta = metrics_delta(metrics_before, metrics_after)
        results["gateway_signal_duration_rounds"] = {
            "count": delta["count"], "mean_ms": (delta["sum"] / delta["count"] * 1e3) if delta["count"] else None,
            "buckets": delta["buckets"], "p50_bucket_le_s": bucket_quantile(delta, 0.5),
            "p99_bucket_le_s": bucket_quantile(delta, 0.99)}
        results["metrics_after"] = {"signals_total": metrics_after["signals"], "sessions_revoked_total": metrics_after["revoked"]}
        results["summary_ms"] = {mode: {k: summary_ms(v) for k, v in samples.items()}
                                 for mode, samples in self.samples.items()}
        results["quiet_late_events"] = self.late_events
        results["rounds"] = self.round_rows
        results["stats"] = dict(STATS)
        results["failures"] = self.failures
        return results


def report(results):
    cfg = results["config"]
    live, quiet = results["summary_ms"]["live"], results["summary_ms"]["quiet"]
    n = cfg["sessions_per_subject"]
    bg = results["background"]
    print()
    print(f"== revocation latency: {cfg['rounds']} live + {cfg['quiet_rounds']} quiet + {cfg.get('probe_rounds', 0)} probe "
          f"rounds; each revokes the {n} "
          f"sessions of one subject while {bg['sessions']} other sessions are active ({bg['sessions'] + n} in all)")
    print(f"   background exchange rate {bg['exchanges_per_s']:.0f}/s ({bg['sessions']} in {bg['seconds']:.1f} s, "
          f"{bg['retries_replay_store_full']} retries on a full nonce store)")
    print(f"   load average {results['load_before_rounds']:.2f} before the rounds, {results['load_after_rounds']:.2f} after")
    print(f"   all times in ms; 'arrival' = kernel receive stamp on the driver's socket; t_send = SET written to the "
          f"socket; t_accepted = arrival of the 202")
    sections = [
        ("quiet rounds (driver idle from t_send for the quiet window: gateway + network only)", quiet, [
            ("push round trip: t_accepted - t_send", "push_rtt"),
            ("(b) revoked event arrival - t_accepted", "event_minus_accepted"),
            ("(b) revoked event arrival - t_send", "event_minus_send"),
            ("    per round: first event - t_send", "round_first_event_minus_send"),
            ("    per round: last event - t_send", "round_last_event_minus_send"),
            ("    per round: last - first event (fan-out)", "round_event_spread"),
        ]),
        ("live rounds (driver reads, probes and sends while the gateway works: Python shares the 2 cores)", live, [
            ("push round trip: t_accepted - t_send", "push_rtt"),
            ("(b) revoked event arrival - t_accepted", "event_minus_accepted"),
            ("(b) revoked event arrival - t_send", "event_minus_send"),
            ("    handled by the Python driver - t_send", "event_seen_minus_send"),
            ("    driver lag: handled - arrival", "event_client_lag"),
            ("    per round: last - first event (fan-out)", "round_event_spread"),
            ("(a) next request's 401 arrival - t_accepted", "deny_minus_accepted"),
            ("(a) next request's 401 arrival - t_send", "deny_minus_send"),
            ("    401 round trip: arrival - request sent", "deny_rtt"),
            ("    request sent - 202 read by driver", "deny_send_offset"),
            ("(a') each probe session's first refusal - t_send", "probe_session_block_minus_send"),
            ("(a') each probe session's first refusal - t_accepted", "probe_session_block_minus_accepted"),
            ("(a') probes: first blocked answer - t_send", "probe_first_block_minus_send"),
            ("(a') probes: first 401 - t_send", "probe_first_401_minus_send"),
        ]),
    ]
    if cfg.get("probe_rounds"):
        sections.append((f"probe rounds (quiet for the driver; a separate process at nice {results.get('prober_nice')} pushes "
                         f"the SET and plays {cfg['prober_sessions']} more agents of the subject, which send their next "
                         f"request on reading the 202)", results["summary_ms"]["probe"], [
            ("push round trip: t_accepted - t_send", "push_rtt"),
            ("(b) revoked event arrival - t_accepted", "event_minus_accepted"),
            ("(b) revoked event arrival - t_send", "event_minus_send"),
            ("(a) each agent's next request: 401 - t_accepted", "prober_next_minus_accepted"),
            ("(a) each agent's next request: 401 - t_send", "prober_next_minus_send"),
            ("    request sent - t_accepted (the agent)", "prober_next_reaction"),
            ("    401 round trip: arrival - request sent", "prober_next_rtt"),
        ]))
    for title, table, rows in sections:
        print(f"  -- {title}")
        for label, key in rows:
            print(f"  {label:47s} {fmt(table[key])}")
    print(f"  quiet rounds: {results['quiet_late_events']} events arrived after the quiet window")
    g = results["gateway_signal_duration_rounds"]
    if g["count"]:
        print(f"  gateway rta_signal_duration_seconds over the rounds: {g['count']} SETs, mean {g['mean_ms']:.3f} ms, "
              f"p50 <= {g['p50_bucket_le_s'] * 1e3:g} ms, p99 <= {g['p99_bucket_le_s'] * 1e3:g} ms (bucket bounds)")
    a = results["accounting"]
    print(f"  background sessions still active after all rounds: {a['background_active_after_rounds']} of {bg['sessions']}; "
          f"victim sessions still listed {a['victim_sessions_still_listed']} (the rest purged), not revoked: "
          f"{a['victims_not_revoked']}")
    for label, burst in results.get("burst", {}).items():
        cpu = burst["gateway_cpu_s"]
        cpu_text = f", gateway CPU {cpu:.2f} s = {burst['sets'] / cpu:.0f} SETs per CPU-second" if cpu else ""
        print(f"  SET burst {label:20s}: {burst['sets']} SETs over {burst['connections']} connections in "
              f"{burst['seconds']:.2f} s = {burst['accepted_per_s']:.0f} SETs/s accepted{cpu_text}")
    print(f"  event streams that got `revoked` but never ended: {results['missing_fin']['event_streams_open_after_revoked']}")
    print(f"  driver stats: {results['stats']}; responses complete (content-length) but without FIN: "
          f"{results['missing_fin']['complete_responses_without_fin_by_status']}")
    verdicts = [("(b) quiet, event - t_accepted", quiet, "event_minus_accepted"),
                ("(b) quiet, event - t_send", quiet, "event_minus_send"),
                ("(b) live, event - t_send", live, "event_minus_send"),
                ("(a) live, 401 - t_accepted", live, "deny_minus_accepted"),
                ("(a) live, 401 - t_send", live, "deny_minus_send"),
                ("(a') probe session refused - send", live, "probe_session_block_minus_send")]
    if cfg.get("probe_rounds"):
        probe = results["summary_ms"]["probe"]
        verdicts += [("(a) prober, next request - t_accepted", probe, "prober_next_minus_accepted"),
                     ("(a) prober, next request - t_send", probe, "prober_next_minus_send")]
    for label, table, key in verdicts:
        if not table[key].get("n"):
            continue
        p99 = table[key]["p99"]
        if p99 <= 0:  # every sample before t_accepted: no anchor ratio to give
            print(f"  p99 {label:30s} {p99:9.3f} ms: target 5 ms met (all samples precede the reference)")
            continue
        print(f"  p99 {label:30s} {p99:9.3f} ms: target 5 ms {'met' if p99 <= 5 else 'NOT met'}; "
              f"Entra CAE 15 min = {900_000 / p99:,.0f}x, AWS API GW 300 s = {300_000 / p99:,.0f}x, "
              f"Apigee 180 s = {180_000 / p99:,.0f}x")
    if results["failures"]:
        print(f"  {len(results['failures'])} CHECK FAILURES, first: {results['failures'][0]}")


def main():
    if "--prober" in sys.argv[1:]:
        prober = argparse.ArgumentParser(description="the prober process (the driver starts it for --probe-rounds)")
        prober.add_argument("--prober", action="store_true")
        prober.add_argument("--port", type=int, required=True)
        prober.add_argument("--control", type=int, required=True)
        prober.add_argument("--prober-sessions", type=int, default=4)
        prober.add_argument("--prober-nice", type=int, default=-10)
        prober.add_argument("--prober-timeout", type=float, default=5.0)
        asyncio.run(prober_main(prober.parse_args()))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True, help="gateway QUIC (UDP) port")
    parser.add_argument("--control", type=int, required=True, help="gateway control (TCP) port")
    parser.add_argument("--idp", required=True, help="dev IdP base URL")
    parser.add_argument("--transmitter", required=True, help="dev SSF transmitter base URL (its /jwks.json)")
    parser.add_argument("--transmitter-issuer", help="SET iss (default: --transmitter)")
    parser.add_argument("--set-key", required=True, help="PEM RSA key of the transmitter")
    parser.add_argument("--audience", default="rta-gateway")
    parser.add_argument("--admin-token-file")
    parser.add_argument("--gateway-pid", type=int)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--background-subjects", type=int, default=100)
    parser.add_argument("--sessions-per-subject", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=100, help="live rounds")
    parser.add_argument("--quiet-rounds", type=int, default=100, help="quiet rounds (alternating with the live ones)")
    parser.add_argument("--quiet-window", type=float, default=0.5,
                        help="seconds the driver blocks after t_send in a quiet round")
    parser.add_argument("--probes", type=int, default=8)
    parser.add_argument("--probe-rounds", type=int, default=100,
                        help="rounds like the quiet ones in which a separate prober process measures (a)")
    parser.add_argument("--prober-sessions", type=int, default=4, help="agents the prober process plays")
    parser.add_argument("--prober-nice", type=int, default=-10,
                        help="nice value of the prober process (default -10, the gateway's QUIC loop's)")
    parser.add_argument("--probe-warmup", type=float, default=0.05, help="seconds the probes run before the push")
    parser.add_argument("--pause", type=float, default=0.2, help="seconds between rounds")
    parser.add_argument("--event-timeout", type=float, default=10.0)
    parser.add_argument("--round-timeout", type=float, default=180.0)
    parser.add_argument("--max-age", type=float, default=60.0,
                        help="the gateway's tokens.max_age in seconds (= nonce replay window)")
    parser.add_argument("--exchange-concurrency", type=int, default=64, help="exchanges in flight per connection")
    parser.add_argument("--burst", type=int, default=2000, help="SETs in the throughput burst (0: skip)")
    parser.add_argument("--burst-connections", type=int, default=16)
    parser.add_argument("--json-out")
    parser.add_argument("--perf-control", help="perf record control FIFO: sampled during the rounds only")
    args = parser.parse_args()
    per_conn = -(-args.sessions_per_subject // args.connections)
    if 2 * per_conn + 1 > 120 or args.exchange_concurrency > 120:
        parser.error("too many streams per connection: a round holds 2 per session (event stream, next request) "
                     "plus a probe, and the gateway allows 128 concurrent streams; add --connections")
    results = asyncio.run(Bench(args).run())
    if args.json_out:
        with open(args.json_out, "w") as handle:
            json.dump(results, handle, indent=1, default=str)
    report(results)
    return 1 if results["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
