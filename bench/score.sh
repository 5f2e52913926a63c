#!/usr/bin/env bash
# Benchmark `retort score`: completions verified per second on a mixed file (every task of
# tests/data/verifier_cases.jsonl plus claim-heavy property answers, repeated to N lines), on 2 threads
# and on 1 thread in the same run. Rates come from the scoring loop's own timing (retort score's
# stderr line), not from the process's wall time, which on this machine is mostly the start-up of a
# binary linked against LibTorch (about 2 s). Prints one JSON line last: lines/s on 2 and 1 threads,
# ratio_2_vs_1 (wall), and ratio_2_vs_1_cpu: 1-thread CPU time over the 2-thread critical path (per
# window of lines, the busiest thread's CPU time), the speed-up with each thread on an idle core. On a
# loaded machine whose scheduler shares CPU between sessions (autogroup), the wall ratio cannot exceed
# about 1 however well the work splits, so both are printed, with the load average.
set -euo pipefail
cd "$(dirname "$0")/.."
retort=${RETORT_BIN:-${RETORT_BUILD_DIR:-build}/retort}  # RETORT_BIN: another build of the same CLI
[ -x "$retort" ] || { echo "bench/score.sh: $retort not built (scripts/build)" >&2; exit 2; }
lines=${SCORE_BENCH_LINES:-20000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$lines" "$work/in.jsonl" <<'PY'
import json, sys
n, path = int(sys.argv[1]), sys.argv[2]
base = [json.loads(l) for l in open("tests/data/verifier_cases.jsonl") if l.strip()]
think = ("Caffeine has two aromatic rings, 14 heavy atoms and no hydrogen bond donors. The molecular weight is "
         "about 194.2 and logP is about -1.0. Its TPSA of 61.8 is below 90, so BBB penetration is likely. "
         "It contains an amide and no carboxylic acid. Therefore it crosses the blood-brain barrier.")
claim_heavy = {"task": "bbbp", "reference": 1, "smiles": "Cn1cnc2c1c(=O)n(C)c(=O)n2C",
               "completion": "<think>%s</think>\n<answer>yes</answer>" % think}
mixed = base + [claim_heavy] * (len(base) // 4)
with open(path, "w") as f:
    for i in range(n):
        f.write(json.dumps(mixed[i % len(mixed)]) + "\n")
PY
run() {  # threads -> "process_wall_s scoring_wall_s cpu_s critical_cpu_s"
  local start end timing
  start=$(date +%s%N)
  "$retort" score --in "$work/in.jsonl" --out "$work/out$1.jsonl" --threads "$1" 2>"$work/err$1.txt"
  end=$(date +%s%N)
  timing=$(sed -n 's/^retort score: scoring \([0-9.]*\) s wall, \([0-9.]*\) s cpu on .*longest thread \([0-9.]*\) s cpu$/\1 \2 \3/p' "$work/err$1.txt")
  [ -n "$timing" ] || { echo "bench/score.sh: no timing line from $retort score (an older build?)" >&2; exit 1; }
  echo "$(( (end - start) / 1000000 ))e-3 $timing"
}
load=$(cut -d' ' -f1 /proc/loadavg)
"$retort" score --in "$work/in.jsonl" --out "$work/warm.jsonl" --threads 2 2>/dev/null  # warm caches
r2=$(run 2)
r1=$(run 1)
cmp -s "$work/out1.jsonl" "$work/out2.jsonl" || { echo "bench/score.sh: 1- and 2-thread outputs differ" >&2; exit 1; }
python3 - "$lines" "$load" "$(nproc)" $r1 $r2 <<'PY'
import json, sys
n, load, cores = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
p1, w1, c1, k1, p2, w2, c2, k2 = map(float, sys.argv[4:12])
print(json.dumps({"bench": "score", "lines": n, "cores": cores, "load_average_1min": load,
                  "lines_per_s_2_threads": round(n / w2, 1), "lines_per_s_1_thread": round(n / w1, 1),
                  "ratio_2_vs_1": round(w1 / w2, 3), "ratio_2_vs_1_cpu": round(c1 / k2, 3),
                  "cpu_s_1_thread": round(c1, 3), "cpu_s_2_threads": round(c2, 3),
                  "critical_cpu_s_2_threads": round(k2, 3),
                  "process_wall_s_1_thread": round(p1, 2), "process_wall_s_2_threads": round(p2, 2)}))
PY
