#!/usr/bin/env bash
# examples/medical_qa: knowledge-graph questions -> SFT on fact-stating traces -> GRPO (with hard-sample
# mining when the config enables it), evaluated before SFT, after SFT and after RL on the held-out
# knowledge-graph questions (all of them) and on N questions drawn (Python random.Random(0).sample) from
# each of the MedQA, MedMCQA and PubMedQA test files (the files are ordered: PubMedQA's first 32
# answers are all "yes"). Prints the table the README shows; writes RUN/table.json.
#   RETORT=build-verify/retort TEST_LIMIT=32 RUN=runs/medical_qa examples/medical_qa/run.sh [--set key=value ...]
set -euo pipefail
cd "$(dirname "$0")/../.."
retort=${RETORT:-build/retort}
limit=${TEST_LIMIT:-32}
config=examples/medical_qa/config.json
run=${RUN:-runs/medical_qa}
[ -x "$retort" ] || { echo "examples/medical_qa/run.sh: $retort not built (scripts/build)" >&2; exit 2; }
start=$(date +%s)

"$retort" data build --task med_kg --out runs/data --seed 0
for test in medqa_test medmcqa_test pubmedqa_test; do
  python3 -c "import random, sys; lines = open(sys.argv[1]).readlines(); open(sys.argv[2], 'w').writelines(random.Random(0).sample(lines, int(sys.argv[3])))" \
    "runs/data/med_kg/$test.jsonl" "runs/data/med_kg/${test}_sample.jsonl" "$limit"
done
rm -rf "$run" "$run-base"
nice -n 10 "$retort" train "$config" "$@" --set run_dir="$run"
# The untrained policy as a checkpoint: one SFT step with learning rate 0 leaves the seeded init unchanged.
nice -n 10 "$retort" train "$config" "$@" --set run_dir="$run-base" --set sft.steps=1 --set rl.steps=0 \
  --set sft.lr=0 --set eval.at_stage_ends=false >/dev/null
sft_step=$(python3 -c "import json,sys; print(json.load(open('$run/config.json'))['sft']['steps'])")
last_step=$(ls "$run/checkpoints" | sed 's/step-//' | sort -n | tail -1)
declare -A checkpoint=([base]="$run-base/checkpoints/step-1" [sft]="$run/checkpoints/step-$sft_step"
                       [rl]="$run/checkpoints/step-$last_step")
results=$(mktemp)
for stage in base sft rl; do
  for test in heldout medqa_test medmcqa_test pubmedqa_test; do
    file=runs/data/med_kg/${test}_sample.jsonl; [ "$test" = heldout ] && file=runs/data/med_kg/heldout.jsonl
    metrics=$(nice -n 10 "$retort" eval "$config" --checkpoint "${checkpoint[$stage]}" "$@" \
              --set data.eval="$file" --limit 0 2>/dev/null)
    echo "{\"stage\": \"$stage\", \"test\": \"$test\", \"metrics\": $metrics}" | tr -d '\n' >> "$results"
    echo >> "$results"
  done
done
python3 - "$results" "$run" "$limit" "$(( $(date +%s) - start ))" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
run, limit, seconds = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
summary = json.load(open(run + "/summary.json"))["stages"]
names = {"heldout": "held-out KG (all)", "medqa_test": "MedQA test (%d drawn)" % limit,
         "medmcqa_test": "MedMCQA test (%d drawn)" % limit, "pubmedqa_test": "PubMedQA test (%d drawn)" % limit}
table = {}
for r in rows:
    table.setdefault(r["test"], {})[r["stage"]] = r["metrics"]
# Chance (uniform letter) and the most frequent keyed letter's share in the evaluated questions.
baselines = {}
for test in names:
    path = "runs/data/med_kg/%s.jsonl" % ("heldout" if test == "heldout" else test + "_sample")
    items = [json.loads(l) for l in open(path) if l.strip()]
    letters = [x["answer"] for x in items]
    baselines[test] = (sum(1 / len(x["meta"]["options"]) for x in items) / len(items),
                       max(letters.count(l) for l in set(letters)) / len(letters))
print("| eval set | chance | majority letter | base acc | SFT acc | RL acc | base format | SFT format | RL format |")
print("|---|---|---|---|---|---|---|---|---|")
for test in names:
    m = table[test]
    print("| %s | %.3f | %.3f | %s | %s |" % (names[test], baselines[test][0], baselines[test][1],
                                          " | ".join("%.3f" % m[s]["accuracy"] for s in ("base", "sft", "rl")),
                                          " | ".join("%.3f" % m[s]["format_rate"] for s in ("base", "sft", "rl"))))
# The trainer's own stage evaluations on the held-out split must agree with `retort eval` of the checkpoints.
for s in ("base", "sft", "rl"):
    if s in summary and abs(summary[s]["accuracy"] - table["heldout"][s]["accuracy"]) > 1e-9:
        print("warning: trainer's %s held-out accuracy %.3f differs from retort eval's %.3f"
              % (s, summary[s]["accuracy"], table["heldout"][s]["accuracy"]))
print("wall time: %d s" % seconds)
json.dump({"table": table, "baselines": baselines, "trainer_stages": summary, "test_limit": limit, "wall_s": seconds},
          open(run + "/table.json", "w"), indent=1)
PY
rm -f "$results"
