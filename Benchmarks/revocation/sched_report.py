#!/usr/bin/env python3
"""Where the CPUs' time went while the prober's requests waited for their 401.

Reads a system-wide scheduler trace (`perf record -a -k monotonic -e sched:sched_switch
-e sched:sched_wakeup`, what run.sh records with RTA_BENCH_SCHED=1) and the run's
results.json, rebuilds which thread ran on each CPU when, and for every probe-round
request of the prober (request sent .. 401 arrival) adds up each thread group's time on
both CPUs. Printed: the mean per request for the fastest half and the slowest tenth, and
the slowest requests one by one. "idle" is a CPU with nothing to run: time a request
waited while a core was free (wake-up placement), not CPU work.

Tracepoints cannot be stamped with CLOCK_REALTIME (perf: "wrong clockid"), so the trace
uses CLOCK_MONOTONIC and --offset-ns (realtime - monotonic, taken when the trace began)
places it against the driver's CLOCK_REALTIME stamps.

Usage: sched_report.py --results results.json --trace sched.data --offset-ns N --gateway-pid PID
"""
import argparse, bisect, collections, json, re, subprocess

SWITCH = re.compile(r"^\s*(\d+)/(\d+)\s+\[(\d+)\]\s+([\d.]+): sched:sched_switch: prev_comm=(.*?) prev_pid=\d+ .*"
                    r"==> next_comm=(.*?) next_pid=(\d+)")


def role(pid, comm, gateway_pid):
    """The thread group a running thread's time counts to."""
    if pid == 0:
        return "idle"
    if pid == gateway_pid:
        for prefix, name in (("NIO-ELT", "gateway: QUIC loop"), ("NIO-SGLTN", "gateway: request loops"),
                             ("rta-audit", "gateway: audit writer")):
            if comm.startswith(prefix):
                return name
        return "gateway: Swift executor and other"
    if comm.startswith("python"):
        return "python (prober, driver)"
    return "other: " + comm


def cpu_segments(trace, offset_s, gateway_pid):
    """Per CPU, sorted (start, end, group) in CLOCK_REALTIME seconds. A switch sample
    belongs to the task switched out, so it closes that task's segment."""
    out = subprocess.run(["perf", "script", "-i", trace, "-F", "cpu,pid,tid,time,event,trace", "--ns"],
                         capture_output=True, text=True, check=True).stdout
    segments, started = collections.defaultdict(list), {}
    for line in out.splitlines():
        m = SWITCH.match(line)
        if not m:
            continue
        cpu, t = int(m[3]), float(m[4]) + offset_s
        if cpu in started:
            segments[cpu].append((started[cpu], t, role(int(m[1]), m[5], gateway_pid)))
        started[cpu] = t
    return segments


def occupancy(segments, starts, a, b):
    groups = collections.Counter()
    for cpu, segs in segments.items():
        i = max(0, bisect.bisect_right(starts[cpu], a) - 1)
        while i < len(segs) and segs[i][0] < b:
            overlap = min(segs[i][1], b) - max(segs[i][0], a)
            if overlap > 0:
                groups[segs[i][2]] += overlap * 1e3
            i += 1
    return groups


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--results", required=True)
    parser.add_argument("--trace", required=True)
    parser.add_argument("--offset-ns", type=int, required=True, help="CLOCK_REALTIME - CLOCK_MONOTONIC in ns")
    parser.add_argument("--gateway-pid", type=int, required=True)
    parser.add_argument("--show", type=int, default=5, help="slowest requests to list one by one")
    args = parser.parse_args()
    results = json.load(open(args.results))
    segments = cpu_segments(args.trace, args.offset_ns / 1e9, args.gateway_pid)
    starts = {cpu: [s[0] for s in segs] for cpu, segs in segments.items()}
    requests = []
    for row in results["rounds"]:
        for agent, sent, arrival, _status, _reset in row.get("prober", []):
            if arrival is None:
                continue
            a, b = row["t_send_unix"] + sent / 1e3, row["t_send_unix"] + arrival / 1e3
            requests.append((arrival - sent, row["round"], agent, occupancy(segments, starts, a, b)))
    if not requests:
        raise SystemExit("sched_report.py: no prober requests in the results (run probe rounds)")
    requests.sort(key=lambda r: r[0])
    halves = [("fastest half", requests[:max(1, len(requests) // 2)]),
              ("slowest tenth", requests[-max(1, len(requests) // 10):])]
    names = sorted({g for r in requests for g in r[3]}, key=lambda g: -sum(r[3][g] for r in requests))
    print(f"== scheduler trace: CPU time (both CPUs, ms per request) while a prober request waited for its 401, "
          f"{len(segments)} CPUs, {len(requests)} requests")
    print(f"   {'':36}" + "".join(f"{label:>22}" for label, _ in halves))
    print(f"   {'401 round trip (mean)':36}" + "".join(f"{sum(r[0] for r in sel) / len(sel):22.2f}" for _, sel in halves))
    for name in [n for n in names if any(sum(r[3][n] for r in sel) / len(sel) >= 0.005 for _, sel in halves)][:12]:
        print(f"   {name[:36]:36}" + "".join(f"{sum(r[3][name] for r in sel) / len(sel):22.2f}" for _, sel in halves))
    for rtt, number, agent, groups in requests[-args.show:][::-1]:
        top = ", ".join(f"{g} {ms:.2f}" for g, ms in groups.most_common(5))
        print(f"   round {number} agent {agent}: 401 round trip {rtt:.2f} ms; {top}")


if __name__ == "__main__":
    main()
