#!/usr/bin/env python3
"""Reference Cedar oracle (cedarpy, the Rust engine) for the Swift differential test.

Why it exists: Tests/CedarTests/Differential generates random policy sets, entities
and requests; this script answers every request with the official Rust implementation
so the Swift engine (Sources/Cedar) can be compared decision by decision.

Usage
  cedar_oracle.py CASES.json

CASES.json: a list of cases, each {"policies": "<Cedar text>",
"entities": "<entities JSON text>", "requests": ["<request JSON text>", ...]}.

Output: one JSON line per request,
  {"case": i, "request": j, "decision": "allow"|"deny",
   "reasons": [policy ids, sorted], "errors": [policy ids, sorted],
   "error_messages": [...]}
or one line {"case": i, "load_error": "..."} when cedarpy rejects the policies or
entities of case i. Policy ids are Cedar's defaults policy0, policy1, ... in file order.

Exit status: 0 on success, 2 on bad usage or input, 3 when cedarpy is not installed
(scripts/setup.sh installs Tests/peers/requirements.txt into .venv).
"""

import json
import re
import sys

try:
    import cedarpy
except ImportError as error:  # the Swift test prints this message and fails
    print(f"cedar_oracle: cannot import cedarpy ({error}); run scripts/setup.sh "
          f"or: {sys.executable} -m pip install -r Tests/peers/requirements.txt", file=sys.stderr)
    sys.exit(3)

# cedarpy reports evaluation errors as text: "error while evaluating policy `policy2`: ..."
ERROR_POLICY = re.compile(r"policy `([^`]*)`")


def error_policy_ids(messages):
    ids = set()
    for message in messages:
        match = ERROR_POLICY.search(message)
        ids.add(match.group(1) if match else "?")
    return sorted(ids)


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        cases = json.load(f)
    out = sys.stdout
    for i, case in enumerate(cases):
        requests = [json.loads(text) for text in case["requests"]]
        try:
            entities = cedarpy.Entities.from_json_str(case["entities"])
            results = cedarpy.is_authorized_batch(requests, case["policies"], entities)
        except Exception as error:  # a load error is reported, not fatal: the Swift side decides
            out.write(json.dumps({"case": i, "load_error": str(error)}) + "\n")
            continue
        for j, result in enumerate(results):
            decision = result.decision
            if decision not in (cedarpy.Decision.Allow, cedarpy.Decision.Deny):
                # cedarpy answers NoDecision when the request or policies could not be used
                reason = "; ".join(result.diagnostics.errors)
                out.write(json.dumps({"case": i, "load_error": f"request {j}: no decision: {reason}"}) + "\n")
                continue
            messages = list(result.diagnostics.errors)
            out.write(json.dumps({
                "case": i,
                "request": j,
                "decision": "allow" if decision == cedarpy.Decision.Allow else "deny",
                "reasons": sorted(result.diagnostics.reasons),
                "errors": error_policy_ids(messages),
                "error_messages": messages,
            }) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
