#!/usr/bin/env python3
"""Load mode for the RTA gateway: one aioquic connection, an optional token
exchange on it, then phases of GETs with K concurrent streams, recording each
request's latency.

Why: gtlsclient cannot send an Authorization header, and an RTA token only
works on the connection it was issued on (PROTOCOL.md section 4), so loading a
protected route needs a client that exchanges and then reuses its connection.
Phases alternate on the same connection so that a protected route and a public
route see the same client, connection, machine load and time window; the
difference of their latencies is the gateway's enforcement cost.

Usage: rta_load.py PEERS_DIR PORT < config.json
  config: {"exchange": {"path": "/.well-known/rta/token", "body": "<form>"} (optional),
           "phases": [{"name": "protected", "path": "/orders/1", "auth": true},
                      {"name": "public", "path": "/public/42"}],
           "rounds": R (default 1), "requests": N per phase and round,
           "concurrency": K (default 1), "warmup": W per phase (default 0, not recorded),
           "warmup_seconds": S (default 0: one warm-up round of W; otherwise warm-up rounds of W
           are repeated until S seconds after connecting), "interleave": false}
  Phases with "auth": true send "Authorization: RTA <token from the exchange>".
  Round r runs the phases in order when r is even, reversed when odd; with
  "interleave": true a round instead sends the phases' requests two at a time in
  turn (A A B B A A B B ..., N of each), so both see exactly the same time window
  and each sees as many odd as even positions on the connection: at one stream
  in flight a request's latency depends on that parity (seen: 4-12 us between
  alternate requests of one route), and alternating single requests would give
  each route one parity for a whole round. With three or more phases the pairs
  go through every order of the phases in turn (A A B B C C, A A C C B B, B B A A
  C C, ...): a fixed order put each phase always right after the same other one,
  and a request right after a protected one is slower (seen: +10 us on the
  public route following it).
Output: one JSON line per round and phase {"round", "phase", "requests",
  "statuses": {"200": n, ...}, "failures", "errors": {reason: n}, "p50_us", "p90_us", "p99_us",
  "mean_us", "p50_after_us": {phase of the request sent just before: p50} (interleaved
  rounds; at one stream in flight, what a phase costs the request after it), "seconds"},
  then {"summary": {phase: {"median_p50_us", "rounds"}}}; with a warm-up, first
  {"warmup": {"requests_per_phase", "seconds"}} (how many it took, seconds since connecting).
Exit 1 when the exchange fails, any request got no status, or a warm-up
request answered other than 200.
"""
import asyncio, itertools, socket, json, ssl, statistics, sys, time
sys.path.insert(0, sys.argv[1])
import h3client
from aioquic.asyncio.client import connect
from aioquic.h3.connection import H3_ALPN
from aioquic.quic.configuration import QuicConfiguration

FORM = [(b"content-type", b"application/x-www-form-urlencoded")]


def percentile(sorted_values, fraction):
    index = min(len(sorted_values) - 1, max(0, round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]


async def one(proto, index, method, path, headers, body=None):
    request = h3client.Request(index=index, method=method, path=path)
    request.headers = headers
    request.body = body
    outcome = h3client.Outcome(request=request, connection=0)
    await proto.run(request, outcome, 30.0)
    return outcome


class Tally:
    """One phase's results within a round."""

    def __init__(self):
        self.latencies, self.statuses, self.failures, self.errors = [], {}, 0, {}
        # Latencies by the phase of the request sent just before (interleaved rounds).
        self.after = {}

    def add(self, outcome, after=None):
        if outcome.status is None or outcome.error or outcome.reset_code is not None:
            self.failures += 1
            reason = outcome.error or (f"stream reset 0x{outcome.reset_code:x}" if outcome.reset_code is not None
                                       else "no status")
            self.errors[reason] = self.errors.get(reason, 0) + 1
            return
        self.statuses[str(outcome.status)] = self.statuses.get(str(outcome.status), 0) + 1
        self.latencies.append(outcome.finished - outcome.started)
        if after is not None:
            self.after.setdefault(after, []).append(outcome.finished - outcome.started)


async def run_queue(proto, token, queue, concurrency):
    """Sends the (spec, tally) items of `queue` in order with `concurrency` in flight."""
    next_index = 0

    async def worker():
        nonlocal next_index
        while next_index < len(queue):
            spec, tally = queue[next_index]
            index = next_index
            next_index += 1
            headers = [(b"authorization", f"RTA {token}".encode())] if spec.get("auth") else []
            after = queue[index - 1][0]["name"] if index > 0 else None
            tally.add(await one(proto, index, "GET", spec["path"], headers), after)

    await asyncio.gather(*(worker() for _ in range(min(concurrency, len(queue)))))


async def run_round(proto, specs, token, count, concurrency, interleave):
    """Returns {phase name: (tally, seconds)} for one round."""
    results = {}
    if interleave:
        tallies = {spec["name"]: Tally() for spec in specs}
        started = time.monotonic()
        orders = list(itertools.permutations(specs)) if len(specs) > 2 else [specs]
        order = [spec for cycle in range(count // 2) for spec in orders[cycle % len(orders)] for _ in (0, 1)]
        order += specs * (count % 2)
        await run_queue(proto, token, [(spec, tallies[spec["name"]]) for spec in order], concurrency)
        seconds = time.monotonic() - started
        return {name: (tally, seconds) for name, tally in tallies.items()}
    for spec in specs:
        tally = Tally()
        started = time.monotonic()
        await run_queue(proto, token, [(spec, tally)] * count, concurrency)
        results[spec["name"]] = (tally, time.monotonic() - started)
    return results


async def main():
    config = json.load(sys.stdin)
    quic = QuicConfiguration(is_client=True, alpn_protocols=H3_ALPN, server_name="localhost", idle_timeout=60)
    quic.verify_mode = ssl.CERT_NONE

    def make(*a, **kw):
        proto = h3client.H3ClientProtocol(*a, capture_limit=4096, **kw)
        proto.authority = "localhost"
        return proto

    phases, rounds = config["phases"], config.get("rounds", 1)
    count, concurrency, warmup = config["requests"], config.get("concurrency", 1), config.get("warmup", 0)
    p50s = {spec["name"]: [] for spec in phases}
    ok = True
    warmup_seconds = config.get("warmup_seconds", 0)
    opened = time.monotonic()
    async with connect("127.0.0.1", int(sys.argv[2]), configuration=quic, create_protocol=make) as proto:
        # A Python client drains its socket slowly; with the default 208 KiB buffer the
        # kernel drops bursts of responses (RcvbufErrors), and the run then measures
        # loss recovery instead of the gateway. Ask for what rmem_max allows.
        sock = proto._transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        token = ""
        if "exchange" in config:
            answer = await one(proto, 0, "POST", config["exchange"]["path"], FORM, config["exchange"]["body"].encode())
            text = bytes(answer.captured).decode("utf-8", "replace")
            if answer.status != 200:
                print(f"rta_load: exchange answered {answer.status}: {text}", file=sys.stderr)
                return 1
            token = json.loads(text)["access_token"]
        interleave = config.get("interleave", False)
        # Time as well as count: on the 2-core test VM every run's latencies change
        # regime ~15 s after connecting (docs/benchmarks.md), and the rounds should not
        # straddle that.
        warmed = 0
        while warmup and (warmed == 0 or time.monotonic() - opened < warmup_seconds):
            for name, (tally, _) in (await run_round(proto, phases, token, warmup, concurrency, interleave)).items():
                if tally.failures or set(tally.statuses) - {"200"}:
                    print(f"rta_load: warm-up of {name}: {tally.statuses}, {tally.failures} failures", file=sys.stderr)
                    ok = False
            warmed += warmup
        if warmed:
            print(json.dumps({"warmup": {"requests_per_phase": warmed,
                                         "seconds": round(time.monotonic() - opened, 3)}}), flush=True)
        for round_index in range(rounds):
            order = phases if round_index % 2 == 0 else list(reversed(phases))
            results = await run_round(proto, order, token, count, concurrency, interleave)
            for spec in order:
                tally, seconds = results[spec["name"]]
                ok = ok and tally.failures == 0
                values = sorted(tally.latencies) or [0.0]
                us = lambda s: round(s * 1e6, 1)
                p50s[spec["name"]].append(us(percentile(values, 0.5)))
                print(json.dumps({"round": round_index, "phase": spec["name"], "requests": count,
                                  "statuses": tally.statuses, "failures": tally.failures, "errors": tally.errors,
                                  "p50_us": us(percentile(values, 0.5)), "p90_us": us(percentile(values, 0.9)),
                                  "p99_us": us(percentile(values, 0.99)), "mean_us": us(statistics.fmean(values)),
                                  "p50_after_us": {name: us(percentile(sorted(after), 0.5))
                                                   for name, after in tally.after.items()} if interleave else {},
                                  "seconds": round(seconds, 3)}), flush=True)
    print(json.dumps({"summary": {name: {"median_p50_us": statistics.median(values), "rounds": values}
                                  for name, values in p50s.items()}}), flush=True)
    return 0 if ok else 1

sys.exit(asyncio.run(main()))
