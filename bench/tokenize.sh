#!/usr/bin/env bash
# Benchmark tokenize: encode throughput of retort's Tokenizer (build/bench_tokenize) vs the Hugging Face
# `tokenizers` library (pinned, .venv) on the same texts with the same tokenizer.json (default: the tiny
# default tokenizer), one thread each, warm caches, best of PASSES (tokenizers: best of per-text encode
# and encode_batch). Texts: PubMedQA/MedQA questions
# and MOSES SMILES from ../shared/data. Prints one JSON line last: both rates, "speedup" (tokenizers
# seconds / retort seconds) and whether the token ids agree.
#   scripts/bench tokenize      (or: RETORT_BUILD_DIR=build-x bash bench/tokenize.sh [TOKENIZER_JSON])
set -euo pipefail
cd "$(dirname "$0")/.."
build=${RETORT_BUILD_DIR:-build}
tokenizer=${1:-src/model/assets/tiny_tokenizer.json}
passes=${PASSES:-3}
data=${RETORT_SHARED_DATA:-../shared/data}
[ -x "$build/bench_tokenize" ] || { echo "bench/tokenize.sh: $build/bench_tokenize missing (scripts/build --target bench_tokenize)" >&2; exit 1; }
export RAYON_NUM_THREADS=1 TOKENIZERS_PARALLELISM=false OMP_NUM_THREADS=1
texts=$(mktemp /tmp/retort_bench_tokenize.XXXXXX.jsonl)
trap 'rm -f "$texts"' EXIT

.venv/bin/python - "$data" "$texts" <<'PY'
import csv, json, sys
data, out = sys.argv[1], sys.argv[2]
texts = []
for name in ("medqa/medqa_test.jsonl", "medqa/pubmedqa_test.jsonl", "medqa/medmcqa_test.jsonl"):
    with open(f"{data}/{name}") as f:
        texts += [json.loads(line)["question"] for line in f]
with open(f"{data}/smiles/zinc_moses_test10k.csv") as f:
    texts += [row[0] for i, row in enumerate(csv.reader(f)) if i > 0 and row]
with open(out, "w") as f:
    for t in texts:
        f.write(json.dumps(t, ensure_ascii=False) + "\n")
PY

retort_json=$("$build/bench_tokenize" "$tokenizer" "$texts" "$passes")
echo "retort: $retort_json" >&2

python_json=$(.venv/bin/python - "$tokenizer" "$texts" "$passes" <<'PY'
import json, sys, time
from tokenizers import Tokenizer
tok = Tokenizer.from_file(sys.argv[1])
texts = [json.loads(line) for line in open(sys.argv[2]) if line.strip()]
passes = int(sys.argv[3])
for t in texts:
    tok.encode(t)  # warm-up
# The faster of per-text encode and encode_batch (one Rayon thread): the library's best single-thread rate.
best = None
for p in range(2 * passes):
    t0 = time.perf_counter()
    encodings = [tok.encode(t) for t in texts] if p % 2 == 0 else tok.encode_batch(texts)
    seconds = time.perf_counter() - t0
    best = seconds if best is None else min(best, seconds)
tokens = sum(len(e.ids) for e in encodings)
checksum = sum(sum(e.ids) for e in encodings)
print(json.dumps({"texts": len(texts), "tokens": tokens, "id_checksum": checksum, "seconds": round(best, 4),
                  "tokens_per_second": round(tokens / best)}))
PY
)
echo "tokenizers: $python_json" >&2

.venv/bin/python - "$retort_json" "$python_json" "$tokenizer" <<'PY'
import json, sys
r, p = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(json.dumps({
    "bench": "tokenize", "tokenizer": sys.argv[3], "texts": r["texts"], "tokens": r["tokens"],
    "retort_tokens_per_second": r["tokens_per_second"], "tokenizers_tokens_per_second": p["tokens_per_second"],
    "retort_seconds": r["seconds"], "tokenizers_seconds": p["seconds"],
    "speedup": round(p["seconds"] / r["seconds"], 2),
    "ids_agree": r["tokens"] == p["tokens"] and r["id_checksum"] == p["id_checksum"],
}))
PY
