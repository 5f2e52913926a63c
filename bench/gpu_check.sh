#!/usr/bin/env bash
# The GPU check of retort, run once on a machine with an NVIDIA GPU (about 5-8 minutes, 10 at most):
#   1. builds retort with CUDA (RETORT_CUDA=ON) against that machine's own torch (python3's
#      torch.utils.cmake_prefix_path) into build-gpu/; if the full configure fails (e.g. the Debian
#      chemistry libraries are missing), builds kernels/ + the kernel tests + the bench alone;
#   2. runs the kernel tests on the GPU (test_kernels: fused vs plain on CUDA in fp32 and bf16, CUDA
#      kernels vs the CPU reference);
#   3. times fused_logprob vs plain_logprob, one forward + backward, bf16, at Qwen2.5-0.5B's head
#      (H 896, V 151,936) and Qwen2.5-7B's (H 3584, V 152,064): ms, peak GB, ratios;
#   4. measures sampling (top-k / top-p / min-p) against one read of the logits at copy bandwidth;
#   5. runs one SFT step and one RL step of examples/property_prediction on the GPU;
#   6. generates with a random Qwen2.5-0.5B-shaped policy in bf16 (tokens/s).
# Writes every log and JSON line under $OUT (or build-gpu/gpu_check/), prints a table, and the last
# line is one JSON object with the figures and fused/plain ratios.
#   bench/gpu_check.sh                       # everything
#   GPU_CHECK_PYTHON=/path/python3 bench/gpu_check.sh
set -uo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
python=${GPU_CHECK_PYTHON:-python3}
build=${GPU_CHECK_BUILD_DIR:-build-gpu}
out=${OUT:-$build/gpu_check}
mkdir -p "$out"
jobs=$(nproc)
elapsed() { echo $(( $(date +%s) - start )); }
say() { echo "gpu_check [$(elapsed) s]: $*" | tee -a "$out/gpu_check.log"; }
status_of() { [ "$1" -eq 0 ] && echo ok || echo "failed (rc $1)"; }

# ---- 0. the machine
gpu=$(nvidia-smi --query-gpu=name,memory.total,driver_version,compute_cap --format=csv,noheader 2>/dev/null | head -1)
if [ -z "$gpu" ]; then
  say "no NVIDIA GPU visible (nvidia-smi found none); nothing to check"
  exit 1
fi
say "GPU: $gpu"
arch=$(echo "$gpu" | awk -F', ' '{print $4}' | tr -d '.')
torch_prefix=$("$python" -c 'import torch.utils; print(torch.utils.cmake_prefix_path)') || { say "no torch in $python"; exit 1; }
torch_info=$("$python" -c 'import torch; print(torch.__version__, "cuda", torch.version.cuda, "available", torch.cuda.is_available())')
say "torch: $torch_info ($torch_prefix)"
nvcc=$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)
say "nvcc: $("$nvcc" --version 2>/dev/null | tail -1)"

# ---- 1. build
full_build=1
configure_args=(-DRETORT_CUDA=ON -DRETORT_PYTHON="$(command -v "$python")" -DCMAKE_BUILD_TYPE=Release
                -DCMAKE_CUDA_ARCHITECTURES="$arch" -DCMAKE_CUDA_COMPILER="$nvcc")
generator=()
command -v ninja >/dev/null && [ ! -f "$build/Makefile" ] && generator=(-G Ninja)
command -v ccache >/dev/null && configure_args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
if ! timeout 120 cmake -S . -B "$build" "${generator[@]}" "${configure_args[@]}" > "$out/configure.log" 2>&1; then
  full_build=0
  say "full configure failed (see $out/configure.log: $(grep -m1 -i 'error' "$out/configure.log")); building kernels/ alone"
  build=$build-kernels
  mkdir -p "$build/project"
  # A small project over the same sources: kernels/, rollout/sampling.cpp, the kernel tests, the bench.
  cat > "$build/project/CMakeLists.txt" <<EOF
cmake_minimum_required(VERSION 3.25)
project(retort_kernels_only LANGUAGES C CXX CUDA)
set(CMAKE_CXX_STANDARD 20)
set(CMAKE_CUDA_STANDARD 17)
set(CMAKE_CUDA_RUNTIME_LIBRARY Shared)
list(APPEND CMAKE_PREFIX_PATH "$torch_prefix")
find_package(Torch REQUIRED)
set(src "$PWD")
file(GLOB kernel_sources \${src}/kernels/*.cpp \${src}/kernels/*.cu)
add_library(retort_kernels STATIC \${kernel_sources} \${src}/src/rollout/sampling.cpp)
target_include_directories(retort_kernels PUBLIC \${src} \${src}/src)
target_link_libraries(retort_kernels PUBLIC stdc++ \${TORCH_LIBRARIES})
target_compile_definitions(retort_kernels PUBLIC RETORT_WITH_CUDA=1)
add_executable(bench_fused_logprob \${src}/bench/fused_logprob.cpp)
target_compile_definitions(bench_fused_logprob PRIVATE RETORT_BENCH_KERNELS_ONLY=1)
target_link_libraries(bench_fused_logprob PRIVATE retort_kernels)
set_target_properties(bench_fused_logprob PROPERTIES RUNTIME_OUTPUT_DIRECTORY \${CMAKE_BINARY_DIR})
find_package(GTest)
if(GTest_FOUND)
  file(GLOB test_sources \${src}/tests/kernels/*.cpp)
  add_executable(test_kernels \${test_sources})
  target_link_libraries(test_kernels PRIVATE retort_kernels GTest::gtest_main)
  set_target_properties(test_kernels PROPERTIES RUNTIME_OUTPUT_DIRECTORY \${CMAKE_BINARY_DIR}/tests)
endif()
EOF
  timeout 120 cmake -S "$build/project" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_CUDA_ARCHITECTURES="$arch" -DCMAKE_CUDA_COMPILER="$nvcc" -DTORCH_CUDA_ARCH_LIST="${arch%?}.${arch: -1}" \
      > "$out/configure_kernels.log" 2>&1 || { say "kernel-only configure failed too: see $out/configure_kernels.log"; exit 1; }
fi
targets=(test_kernels bench_fused_logprob)
[ $full_build -eq 1 ] && targets+=(retort)
if ! timeout 420 cmake --build "$build" -j "$jobs" --target "${targets[@]}" > "$out/build.log" 2>&1; then
  say "build failed: see $out/build.log"; tail -30 "$out/build.log"; exit 1
fi
say "built ${targets[*]} in $build ($( [ $full_build -eq 1 ] && echo full || echo kernels-only ))"

# ---- 2. kernel tests on the GPU (the 12 GB CPU memory test is left to the CPU machines)
test_bin=$build/tests/test_kernels
if [ -x "$test_bin" ]; then
  timeout 240 "$test_bin" --gtest_filter='FusedLogprob*-FusedLogprobMemory*' > "$out/test_kernels.log" 2>&1
  tests_rc=$?
  tests_passed=$(grep -c '^\[       OK \]' "$out/test_kernels.log")
  tests_failed=$(grep -c '^\[  FAILED  \] [A-Za-z]' "$out/test_kernels.log")
  tests_skipped=$(grep -c '^\[  SKIPPED \] [A-Za-z]' "$out/test_kernels.log")
  say "test_kernels: $(status_of $tests_rc): $tests_passed passed, $tests_failed failed, $tests_skipped skipped"
else
  tests_rc=127 tests_passed=0 tests_failed=0 tests_skipped=0
  say "test_kernels not built (no GoogleTest?)"
fi

# ---- 3. fused vs plain at the 0.5B and 7B heads, bf16
bench=$build/bench_fused_logprob
: > "$out/logprob.jsonl"
for shape in "4096 896 151936 qwen2.5-0.5b" "16384 896 151936 qwen2.5-0.5b" "4096 3584 152064 qwen2.5-7b"; do
  read -r n h v name <<< "$shape"
  timeout 120 "$bench" logprob --device cuda --dtype bfloat16 --tokens "$n" --hidden "$h" --vocab "$v" --repeats 5 \
      >> "$out/logprob.jsonl" 2> "$out/logprob_${name}_${n}.err" || say "logprob bench $name N=$n failed: $(tail -1 "$out/logprob_${name}_${n}.err")"
done
say "fused_logprob bench done"

# ---- 4. sampling against the memory bandwidth
: > "$out/sampling.jsonl"
for b in 64 256; do
  timeout 60 "$bench" sampling --device cuda --dtype bfloat16 --batch "$b" --vocab 151936 --repeats 10 \
      >> "$out/sampling.jsonl" 2> "$out/sampling_$b.err" || say "sampling bench B=$b failed: $(tail -1 "$out/sampling_$b.err")"
done
say "sampling bench done"

# ---- 5. one SFT + one RL step of the property-prediction example on the GPU
rl_rc=125
if [ $full_build -eq 1 ]; then
  data=$out/data
  run=$out/run_property_prediction
  rm -rf "$run"
  if timeout 60 "$build/retort" data build --task bbbp --out "$data" > "$out/data.log" 2>&1; then
    timeout 180 "$build/retort" train examples/property_prediction/config.json \
        --set run_dir="$run" --set model.device=cuda \
        --set data.train="$data/bbbp/train.jsonl" --set data.eval="$data/bbbp/test.jsonl" --set data.eval_limit=16 \
        --set sft.steps=1 --set rl.steps=1 --set eval.at_stage_ends=false \
        > "$out/train.log" 2>&1
    rl_rc=$?
    say "retort train (1 SFT + 1 RL step, cuda, fp32 weights + bf16 autocast): $(status_of $rl_rc); metrics: $(tail -1 "$run/metrics.jsonl" 2>/dev/null | cut -c1-300)"
  else
    say "retort data build failed: see $out/data.log"
  fi
else
  say "retort train skipped: no full build"
fi

# ---- 6. generation with a random Qwen2.5-0.5B-shaped policy in bf16
generate_json='{}'
if [ $full_build -eq 1 ]; then
  if generate_json=$(timeout 180 "$bench" generate --device cuda --dtype bfloat16 --batch 32 --prompt 64 \
                     --new-tokens 128 --repeats 2 2> "$out/generate.err"); then
    echo "$generate_json" > "$out/generate.json"
    say "generate: $generate_json"
  else
    generate_json='{}'
    say "generate bench failed: $(tail -1 "$out/generate.err")"
  fi
fi

# ---- summary: a table and one JSON line
"$python" - "$out" "$gpu" "$tests_rc" "$tests_passed" "$tests_failed" "$tests_skipped" "$rl_rc" "$full_build" "$(elapsed)" \
    "$generate_json" <<'PY'
import json, sys
out, gpu, tests_rc, passed, failed, skipped, rl_rc, full_build, seconds, generate = sys.argv[1:]
def lines(name):
    try:
        return [json.loads(l) for l in open(f"{out}/{name}") if l.strip().startswith("{")]
    except FileNotFoundError:
        return []
logprob, sampling = lines("logprob.jsonl"), lines("sampling.jsonl")
print(f"\nGPU: {gpu}\n")
print("| head | N | H | V | fused ms | plain ms | fused peak GB | plain peak GB | time fused/plain | memory fused/plain |")
print("|---|---|---|---|---|---|---|---|---|---|")
for r in logprob:
    head = "Qwen2.5-7B" if r["H"] == 3584 else "Qwen2.5-0.5B"
    print(f"| {head} | {r['N']} | {r['H']} | {r['V']} | {r['fused_ms']:.1f} | {r['plain_ms']:.1f} | "
          f"{r['fused_peak_gb']:.2f} | {r['plain_peak_gb']:.2f} | {r['time_ratio']:.2f} | {r['memory_ratio']:.3f} |")
print("\n| sampling (bf16, V 151,936) | B | copy GB/s | one read ms | case: ms (x one read) |")
print("|---|---|---|---|---|")
for r in sampling:
    cases = ", ".join(f"{k[:-3]}: {r[k]:.3f} ({r[k[:-3] + '_x_one_read']:.0f}x)" for k in r if k.endswith("_ms") and k != "one_read_ms")
    print(f"| | {r['B']} | {r['copy_gbps']:.0f} | {r['one_read_ms']:.4f} | {cases} |")
summary = {"bench": "gpu_check", "gpu": gpu, "seconds": int(seconds), "full_build": full_build == "1",
           "kernel_tests": {"rc": int(tests_rc), "passed": int(passed), "failed": int(failed), "skipped": int(skipped)},
           "train_1sft_1rl_rc": int(rl_rc)}
for r in logprob:
    key = f"logprob_H{r['H']}_N{r['N']}"
    summary[key] = {k: r[k] for k in ("fused_ms", "plain_ms", "fused_peak_gb", "plain_peak_gb", "time_ratio", "memory_ratio")}
for r in sampling:
    summary[f"sampling_B{r['B']}"] = {k: v for k, v in r.items() if k.endswith("_x_one_read") or k == "copy_gbps"}
g = json.loads(generate or "{}")
if g:
    summary["generate_tokens_per_s"] = g.get("tokens_per_s")
print(json.dumps(summary))
PY
