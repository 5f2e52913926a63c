#!/usr/bin/env bash
# One RL step of the tiny default policy through the real Trainer (P 4 x G 8 rollouts, up to 128 new
# tokens, images, chem verifiers, dapo + k3 KL): per-phase seconds, tokens/s, and the update phase's
# achieved FLOP/s over an fp32 at::mm peak measured in the same process (update_vs_matmul_peak).
# BENCH_THREADS (default 2) torch threads. Last line: one JSON object.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${RETORT_BUILD_DIR:-build}
threads=${BENCH_THREADS:-2}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export OMP_NUM_THREADS=$threads MKL_NUM_THREADS=$threads
"$build/bench_train_step" --dir "$tmp" --threads "$threads" 2> "$tmp/log" | tail -n 1 || { cat "$tmp/log" >&2; exit 1; }
