#!/usr/bin/env bash
# Benchmark `retort score`: completions verified per second on a mixed file (every task of
# tests/data/verifier_cases.jsonl plus claim-heavy property answers, repeated to N lines), on 2 threads
# and on 1 thread in the same run. Prints one JSON line last: {"lines_per_s_2_threads", ..., "ratio_2_vs_1"}.
set -euo pipefail
cd "$(dirname "$0")/.."
retort=${RETORT_BIN:-${RETORT_BUILD_DIR:-build}/retort}  # RETORT_BIN: another build of the same CLI
[ -x "$retort" ] || { echo "bench/score.sh: $retort not built (scripts/build)" >&2; exit 2; }
lines=${SCORE_BENCH_LINES:-4000}
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
run() {  # threads -> nanoseconds
  local start end
  start=$(date +%s%N)
  "$retort" score --in "$work/in.jsonl" --out "$work/out$1.jsonl" --threads "$1" 2>/dev/null
  end=$(date +%s%N)
  echo $((end - start))
}
"$retort" score --in "$work/in.jsonl" --out "$work/warm.jsonl" --threads 2 2>/dev/null  # warm caches
t2=$(run 2)
t1=$(run 1)
cmp -s "$work/out1.jsonl" "$work/out2.jsonl" || { echo "bench/score.sh: 1- and 2-thread outputs differ" >&2; exit 1; }
python3 - "$lines" "$t1" "$t2" <<'PY'
import json, sys
n, t1, t2 = int(sys.argv[1]), float(sys.argv[2]) / 1e9, float(sys.argv[3]) / 1e9
print(json.dumps({"bench": "score", "lines": n, "lines_per_s_2_threads": round(n / t2, 1),
                  "lines_per_s_1_thread": round(n / t1, 1), "ratio_2_vs_1": round(t1 / t2, 3)}))
PY
