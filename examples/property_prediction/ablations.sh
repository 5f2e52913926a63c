#!/usr/bin/env bash
# The example's two ablations beside the full run, same seed and steps: without the image input
# (no vision encoder, no <|image|> tokens) and without the principle rewards (the four claim terms
# weighted 0). Prints one markdown table of the after-RL metrics (and after-SFT for reference).
#   examples/property_prediction/ablations.sh [--set key=value ...]   (needs build/retort and runs/data)
#   FULL_RUN=runs/demo examples/property_prediction/ablations.sh   reuses a finished run of the same
#   config (scripts/demo's) as the full row instead of training it again.
#   examples/property_prediction/ablations.sh --table   only prints the table of finished runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
config=examples/property_prediction/config.json
retort=${RETORT:-build/retort}
no_claims='{"weights": {"answer": 1.0, "format": 0.1, "structure": 0, "property_consistency": 0, "principle": 0, "logical_consistency": 0, "perception": 0.25}}'
full=${FULL_RUN:-runs/ablation_full}
if [ "${1:-}" != --table ]; then
  [ -f "$full/summary.json" ] && [ -n "${FULL_RUN:-}" ] || "$retort" train "$config" --set run_dir="$full" "$@"
  "$retort" train "$config" --set run_dir=runs/ablation_no_image --set model.vision=false --set data.images=false "$@"
  "$retort" train "$config" --set run_dir=runs/ablation_no_principle --set "reward=$no_claims" "$@"
fi
.venv/bin/python - "$full" <<'PY'
import json, sys
runs = [("full", sys.argv[1]), ("no image", "runs/ablation_no_image"),
        ("no principle rewards", "runs/ablation_no_principle")]
metrics = ["roc_auc", "roc_auc_answers", "accuracy", "format_rate", "claim_precision", "claims_per_answer"]
print("| run | stage | " + " | ".join(metrics) + " |")
print("|---|---|" + "---|" * len(metrics))
for name, path in runs:
    try:
        stages = json.load(open(f"{path}/summary.json"))["stages"]
    except FileNotFoundError:
        print(f"| {name} | not finished ({path}/summary.json missing) |" + " |" * len(metrics))
        continue
    for stage in ("sft", "rl"):
        row = stages.get(stage, {})
        cells = [f"{row[m]:.3f}" if m in row else "-" for m in metrics]
        print(f"| {name} | {stage} | " + " | ".join(cells) + " |")
PY
