#!/usr/bin/env bash
# Batched sampling throughput: retort's KV-cache sampler vs transformers' generate (KV cache) on the
# same random Qwen2 (hidden 512, 8 layers, 8/2 heads, SwiGLU 1408, vocab 32000), fp32, same prompts
# (batch 16 x 32 tokens), 128 new tokens, temperature 0.8 / top-k 50 / top-p 0.95, 2 threads each
# (at::set_num_threads / torch.set_num_threads, one interop thread), best of BENCH_REPEATS (3) runs
# after a warm-up, prefill included on both sides. Last line: one JSON object with both rates,
# speedup = transformers wall seconds / retort wall seconds, and cpu_speedup = the same ratio of
# process CPU seconds (steadier than wall time on a shared machine; load averages are included).
# BENCH_PROFILE=DIR also writes Chrome traces of one extra run per side and prints per-op summaries
# (bench/generate_profile.py) to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${RETORT_BUILD_DIR:-build}
threads=${BENCH_THREADS:-2}
repeats=${BENCH_REPEATS:-3}
profile_dir=${BENCH_PROFILE:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export OMP_NUM_THREADS=$threads MKL_NUM_THREADS=$threads
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
retort_profile=() hf_profile=()
if [ -n "$profile_dir" ]; then
  mkdir -p "$profile_dir"
  retort_profile=(--profile "$profile_dir/retort_trace.json")
  hf_profile=(--profile "$profile_dir/transformers_trace.json")
fi
"$build/bench_generate" --dir "$tmp" --threads "$threads" --repeats "$repeats" "${retort_profile[@]}" > "$tmp/retort.json"
.venv/bin/python bench/generate_hf.py --dir "$tmp" --threads "$threads" --repeats "$repeats" "${hf_profile[@]}" \
  > "$tmp/transformers.json" 2> "$tmp/hf.log" || { cat "$tmp/hf.log" >&2; exit 1; }
if [ -n "$profile_dir" ]; then
  .venv/bin/python bench/generate_profile.py "$profile_dir/retort_trace.json" >&2
  .venv/bin/python bench/generate_profile.py "$profile_dir/transformers_trace.json" >&2
fi
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
.venv/bin/python - "$tmp/retort.json" "$tmp/transformers.json" "$load_before" "$load_after" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
h = json.load(open(sys.argv[2]))
out = {"bench": "generate", **r, **h,
       "speedup": round(h["transformers_seconds"] / r["retort_seconds"], 2),
       "cpu_speedup": round(h["transformers_cpu_seconds"] / r["retort_cpu_seconds"], 2),
       "loadavg_before": sys.argv[3], "loadavg_after": sys.argv[4], "nproc": __import__("os").cpu_count()}
print(json.dumps(out))
PY
