#!/usr/bin/env python3
"""Self-test of h3client.py against a real HTTP/3 server: Debian's gtlsserver
(ngtcp2-server, the ngtcp2 reference server) serving a temporary static
directory on 127.0.0.1 with the dev certificate.

Why: the Swift integration tests trust h3client's JSON; this proves the client
reports statuses, bodies, resets, concurrency and failures correctly before
those tests rely on it.

Usage: .venv/bin/python Tests/peers/h3client_selftest.py   (exit 0 when all checks pass)
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
CLIENT = HERE / "h3client.py"


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_client(port: int, plan, *extra: str, timeout: float = 60) -> tuple[int, list[dict], dict]:
    proc = subprocess.run([sys.executable, str(CLIENT), "--port", str(port), *extra],
                          input=json.dumps(plan), capture_output=True, text=True, timeout=timeout)
    lines = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    if not lines or "summary" not in lines[-1]:
        raise AssertionError(f"no summary line; rc={proc.returncode} stdout={proc.stdout!r} stderr={proc.stderr!r}")
    return proc.returncode, lines[:-1], lines[-1]["summary"]


def main() -> int:
    gtlsserver = shutil.which("gtlsserver")
    if gtlsserver is None:
        print("h3client self-test: gtlsserver not found (apt-get install ngtcp2-server)", file=sys.stderr)
        return 1
    cert, key = REPO / "fixtures/dev-cert.pem", REPO / "fixtures/dev-key.pem"
    if not cert.exists():
        print("h3client self-test: fixtures/dev-cert.pem missing (run scripts/gen-dev-cert.sh)", file=sys.stderr)
        return 1
    htdocs = Path(tempfile.mkdtemp(prefix="h3client-selftest-"))
    small = b"hello from gtlsserver\n"
    big = os.urandom(300_000)
    (htdocs / "small.txt").write_bytes(small)
    (htdocs / "big.bin").write_bytes(big)
    port = free_udp_port()
    server = subprocess.Popen([gtlsserver, "-q", "-d", str(htdocs), "127.0.0.1", str(port), str(key), str(cert)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    failures: list[str] = []
    passed = 0

    def check(name: str, condition: bool, detail: object = "") -> None:
        nonlocal passed
        if condition:
            passed += 1
        else:
            failures.append(f"{name}: {detail}")

    try:
        time.sleep(0.3)
        check("server started", server.poll() is None, f"gtlsserver exited {server.returncode}")
        plan = [
            {"path": "/small.txt"},
            {"path": "/big.bin"},
            {"method": "POST", "path": "/small.txt", "body_size": 3_000_000},
            {"path": "/missing"},
            {"raw_headers": [[":method", "GET"], [":scheme", "https"], [":authority", "localhost"],
                             [":path", "/small.txt"], ["X-Uppercase", "1"]], "expect_stream_reset": True},
            {"raw_headers": [[":method", "GET"], [":scheme", "https"], [":authority", "localhost"]],
             "expect_stream_reset": True},
        ]
        rc, rows, summary = run_client(port, plan)
        check("mixed plan exit code", rc == 0, (rc, summary))
        check("small body", rows[0]["status"] == 200 and rows[0]["body_sha256"] == hashlib.sha256(small).hexdigest()
              and rows[0]["body_text"] == small.decode(), rows[0])
        check("big body", rows[1]["body_bytes"] == len(big)
              and rows[1]["body_sha256"] == hashlib.sha256(big).hexdigest(), rows[1])
        check("streamed POST answered", rows[2]["status"] == 200 and rows[2]["error"] is None, rows[2])
        check("404", rows[3]["status"] == 404, rows[3])
        check("uppercase header reset", rows[4]["reset_code"] == 0x10E and rows[4]["error"] is None, rows[4])
        check("missing :path reset", rows[5]["reset_code"] == 0x10E and rows[5]["error"] is None, rows[5])

        rc, rows, summary = run_client(port, [{"raw_headers": [[":method", "GET"], [":scheme", "https"],
                                                               [":authority", "localhost"]]}])
        check("unexpected reset exits 1", rc == 1 and rows[0]["error"].startswith("stream_reset"), (rc, rows))

        rc, rows, summary = run_client(port, [{"path": "/small.txt"}], "--connections", "1")
        check("plain GET exits 0", rc == 0, rc)
        rc, rows, summary = run_client(port, [{"path": "/small.txt", "expect_stream_reset": True}])
        check("missing expected reset exits 1", rc == 1 and "expected a stream reset" in rows[0]["error"], rows)

        rc, rows, summary = run_client(port, [{"path": "/small.txt"}] * 300, "--connections", "3")
        conns = {r["connection"] for r in rows}
        check("300 requests on 3 connections", rc == 0 and summary["ok"] == 300 and conns == {0, 1, 2},
              (rc, summary, conns))

        rc, rows, summary = run_client(free_udp_port(), [{"path": "/"}], "--connect-timeout", "1")
        check("nothing listening exits 2", rc == 2 and rows[0]["error"].startswith("connect_failed"), (rc, rows))

        rc, _, summary = run_client(port, [{"path": "/", "bogus": 1}])
        check("bad plan exits 64", rc == 64 and "bogus" in summary.get("error", ""), (rc, summary))
    finally:
        server.terminate()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(htdocs, ignore_errors=True)

    for failure in failures:
        print(f"h3client self-test FAILED {failure}", file=sys.stderr)
    print(f"h3client self-test: {passed} checks ok, {len(failures)} not ok")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
