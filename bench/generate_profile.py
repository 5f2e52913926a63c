"""Summarises a Chrome trace from bench_generate --profile or generate_hf.py --profile: self time per
op name on the main thread (an op's time minus the ops nested inside it), the share of the run they
cover, and what is left outside any op (host overhead: Python, generate() machinery, C++ glue).
Usage: generate_profile.py TRACE.json [TOP]"""
import collections
import json
import sys

events = json.load(open(sys.argv[1]))
events = events["traceEvents"] if isinstance(events, dict) else events
top = int(sys.argv[2]) if len(sys.argv) > 2 else 18
ops = [e for e in events if e.get("ph") == "X" and e.get("cat", "cpu_op") in ("cpu_op", "user_annotation", "python_function")
       and "dur" in e]
by_thread = collections.defaultdict(list)
for e in ops:
    by_thread[e["tid"]].append(e)
tid = max(by_thread, key=lambda t: sum(e["dur"] for e in by_thread[t]))  # the thread that ran the model
main = sorted(by_thread[tid], key=lambda e: (e["ts"], -e["dur"]))
self_time = collections.Counter()
count = collections.Counter()
stack = []  # (end, name)
top_level = 0.0
for e in main:
    start, end = e["ts"], e["ts"] + e["dur"]
    while stack and stack[-1][0] <= start:
        stack.pop()
    if stack:
        self_time[stack[-1][1]] -= e["dur"]
    else:
        top_level += e["dur"]
    self_time[e["name"]] += e["dur"]
    count[e["name"]] += 1
    stack.append((end, e["name"]))
span = max(e["ts"] + e["dur"] for e in main) - min(e["ts"] for e in main)
print(f"{sys.argv[1]}: span {span / 1e3:.1f} ms, inside ops {top_level / 1e3:.1f} ms, "
      f"outside ops (host overhead) {(span - top_level) / 1e3:.1f} ms")
for name, us in self_time.most_common(top):
    print(f"  {us / 1e3:9.1f} ms {100 * us / span:5.1f}%  {count[name]:7d}x  {name}")
