#!/usr/bin/env bash
# Batched sampling throughput: retort's KV-cache sampler vs transformers' generate (KV cache) on the
# same random Qwen2 (hidden 512, 8 layers, 8/2 heads, SwiGLU 1408, vocab 32000), same prompts
# (batch 16 x 32 tokens), 128 new tokens, temperature 0.8 / top-k 50 / top-p 0.95, 2 threads each,
# best of 3 runs after a warm-up. Last line: one JSON object with both rates and
# speedup = transformers seconds / retort seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${RETORT_BUILD_DIR:-build}
threads=${BENCH_THREADS:-2}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export OMP_NUM_THREADS=$threads MKL_NUM_THREADS=$threads
"$build/bench_generate" --dir "$tmp" --threads "$threads" > "$tmp/retort.json"
.venv/bin/python bench/generate_hf.py --dir "$tmp" --threads "$threads" > "$tmp/transformers.json" 2> "$tmp/hf.log" || { cat "$tmp/hf.log" >&2; exit 1; }
.venv/bin/python - "$tmp/retort.json" "$tmp/transformers.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
h = json.load(open(sys.argv[2]))
out = {"bench": "generate", **r, **h, "speedup": round(h["transformers_seconds"] / r["retort_seconds"], 2)}
print(json.dumps(out))
PY
