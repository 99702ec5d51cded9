#!/usr/bin/env python3
"""cedarpy (the Rust Cedar engine behind a Python binding) on the workloads that
cedar-bench exports, so the Swift engine can be compared on identical input.

Usage
  cedarpy_bench.py EXPORT_DIR [--seconds S] [--json FILE]

EXPORT_DIR is what `cedar-bench export EXPORT_DIR` wrote: EXPORT_DIR/<workload>/<i>/
{policies.cedar, entities.json, schema.cedarschema?, requests.json, decisions.json}.
Policies, entities and schema are parsed once into cedarpy handles, as a long-running
service would. Reported per workload:
  per-call  cedarpy.is_authorized on one request (median, p99), which includes the
            binding's per-call cost: dict -> JSON -> Rust request, JSON result -> dict
  engine    cedarpy's own metric authz_duration_micros for the same per-call runs: time
            inside the Rust authorizer only (whole microseconds, so coarse below ~5 µs)
  batch     cedarpy.is_authorized_batch on all of a scenario's requests, per request
Every decision must equal the Swift engine's (decisions.json), or the script fails:
both sides must have measured the same work.
"""

import argparse
import importlib.metadata
import json
import os
import statistics
import sys
import time

import cedarpy


def load(workload_dir):
    scenarios = []
    for name in sorted(os.listdir(workload_dir), key=int):
        d = os.path.join(workload_dir, name)
        def read(f):
            with open(os.path.join(d, f), encoding="utf-8") as fh:
                return fh.read()
        schema_path = os.path.join(d, "schema.cedarschema")
        schema = cedarpy.Schema.from_str(read("schema.cedarschema")) if os.path.exists(schema_path) else None
        scenarios.append({
            "policies": cedarpy.PolicySet.from_str(read("policies.cedar")),
            "entities": cedarpy.Entities.from_json_str(read("entities.json"), schema),
            "schema": schema,
            "requests": json.loads(read("requests.json")),
            "decisions": json.loads(read("decisions.json")),
        })
    return scenarios


def check(scenarios, name):
    for i, s in enumerate(scenarios):
        results = cedarpy.is_authorized_batch(s["requests"], s["policies"], s["entities"], s["schema"])
        got = ["allow" if r.decision == cedarpy.Decision.Allow else "deny" for r in results]
        if got != s["decisions"]:
            bad = [j for j, (a, b) in enumerate(zip(got, s["decisions"])) if a != b]
            sys.exit(f"{name}/{i}: cedarpy and Swift disagree on requests {bad[:10]} "
                     f"(cedarpy {[got[j] for j in bad[:10]]}, swift {[s['decisions'][j] for j in bad[:10]]})")


def per_call(scenarios, seconds):
    calls = [(s, r) for s in scenarios for r in s["requests"]]
    samples, engine = [], []
    deadline = time.perf_counter() + seconds / 4
    i = 0
    while time.perf_counter() < deadline:  # warm-up
        s, r = calls[i % len(calls)]
        cedarpy.is_authorized(r, s["policies"], s["entities"], s["schema"])
        i += 1
    deadline = time.perf_counter() + seconds
    i = 0
    while time.perf_counter() < deadline and len(samples) < 2_000_000:
        s, r = calls[i % len(calls)]
        t0 = time.perf_counter_ns()
        result = cedarpy.is_authorized(r, s["policies"], s["entities"], s["schema"])
        samples.append(time.perf_counter_ns() - t0)
        engine.append(result.metrics.get("authz_duration_micros", 0))
        i += 1
    samples.sort()
    return samples, statistics.median(engine)


def batch(scenarios, seconds):
    total_requests = sum(len(s["requests"]) for s in scenarios)
    rounds = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline or len(rounds) < 3:
        t0 = time.perf_counter_ns()
        for s in scenarios:
            cedarpy.is_authorized_batch(s["requests"], s["policies"], s["entities"], s["schema"])
        rounds.append((time.perf_counter_ns() - t0) / total_requests)
    return statistics.median(rounds)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("export_dir")
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--json")
    args = parser.parse_args()
    lines = []
    version = importlib.metadata.version("cedarpy")
    print(f"{'cedarpy ' + version:<24} {'calls':>9} {'median µs':>10} {'p99 µs':>9} {'engine µs':>10} {'batch µs/req':>13}")
    for name in ["example_use_cases", "large_policy_set", "deep_hierarchy"]:
        scenarios = load(os.path.join(args.export_dir, name))
        check(scenarios, name)
        samples, engine_median = per_call(scenarios, args.seconds)
        median = samples[len(samples) // 2]
        p99 = samples[min(len(samples) - 1, int((len(samples) - 1) * 0.99))]
        per_request_batch = batch(scenarios, args.seconds / 2)
        print(f"{name:<24} {len(samples):>9} {median / 1000:>10.2f} {p99 / 1000:>9.2f} {engine_median:>10.1f} {per_request_batch / 1000:>13.2f}")
        lines.append({"workload": name, "calls": len(samples), "median_ns": median, "p99_ns": p99,
                      "engine_median_ns": int(engine_median * 1000),
                      "batch_ns_per_request": int(per_request_batch)})
    with open(os.path.join(args.export_dir, "large_policy_set", "0", "policies.cedar"), encoding="utf-8") as fh:
        text = fh.read()
    parse = []
    for _ in range(21):
        t0 = time.perf_counter_ns()
        cedarpy.PolicySet.from_str(text)
        parse.append(time.perf_counter_ns() - t0)
    parse_median = statistics.median(parse)
    print(f"parse 1,000 policies: median {parse_median / 1e6:.2f} ms")
    lines.append({"workload": "parse_1000_policies", "median_ns": int(parse_median)})
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            fh.write("".join(json.dumps(line) + "\n" for line in lines))


if __name__ == "__main__":
    main()
