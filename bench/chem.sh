#!/usr/bin/env bash
# Benchmark chem: 10,000 ZINC molecules (../shared/data/smiles/zinc_moses_test10k.csv) through parse +
# canonical SMILES + MolWt + logP + TPSA + QED + Morgan(r=2, 2048) in retort (build/bench_chem) and in
# Python RDKit (/usr/bin/python3, python3-rdkit), one thread each, in this run. Prints one JSON line
# last: both rates, "speedup" (Python CPU seconds / retort CPU seconds: CPU time, because the machine
# is shared and wall time swings with its load; "speedup_wall" is the wall-clock ratio) and whether
# both produced the same numbers (QED sum and a checksum of the other outputs).
#   scripts/bench chem        (or: RETORT_BUILD_DIR=build-x bash bench/chem.sh [SMILES.csv])
set -euo pipefail
cd "$(dirname "$0")/.."
build=${RETORT_BUILD_DIR:-build}
data=${1:-../shared/data/smiles/zinc_moses_test10k.csv}
[ -f "$data" ] || { echo "bench/chem.sh: no data file $data" >&2; exit 1; }
[ -x "$build/bench_chem" ] || { echo "bench/chem.sh: $build/bench_chem missing (scripts/build --target bench_chem)" >&2; exit 1; }
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1

retort_json=$("$build/bench_chem" "$data")
echo "retort: $retort_json" >&2

python_json=$(/usr/bin/python3 - "$data" <<'PY'
import csv, json, sys, time
from rdkit import Chem, RDLogger
from rdkit.Chem import AllChem, Crippen, Descriptors, QED, rdMolDescriptors
RDLogger.DisableLog("rdApp.*")
with open(sys.argv[1]) as f:
    rows = csv.reader(f)
    next(rows)
    smiles = [r[0] for r in rows if r and r[0]]
QED.qed(Chem.MolFromSmiles("CCO"))
failed, qed_sum, checksum = 0, 0.0, 0.0
t0, cpu0 = time.perf_counter(), time.process_time()
for s in smiles:
    m = Chem.MolFromSmiles(s)
    if m is None:
        failed += 1
        continue
    checksum += len(Chem.MolToSmiles(m))
    checksum += Descriptors.MolWt(m) + Crippen.MolLogP(m) + rdMolDescriptors.CalcTPSA(m)
    qed_sum += QED.qed(m)
    fp = AllChem.GetMorganFingerprintAsBitVect(m, 2, nBits=2048)
    checksum += int(fp.GetBit(0))
seconds, cpu_seconds = time.perf_counter() - t0, time.process_time() - cpu0
print(json.dumps({"molecules": len(smiles), "failed": failed, "seconds": round(seconds, 4), "cpu_seconds": round(cpu_seconds, 4),
                  "per_second": round(len(smiles) / seconds, 1), "qed_sum": qed_sum, "checksum": checksum}))
PY
)
echo "python: $python_json" >&2

/usr/bin/python3 - "$retort_json" "$python_json" <<'PY'
import json, sys
r, p = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(json.dumps({
    "bench": "chem", "molecules": r["molecules"],
    "pipeline": "parse+canonical+MolWt+logP+TPSA+QED+Morgan2/2048, 1 thread",
    "retort_per_cpu_second": round(r["molecules"] / r["cpu_seconds"], 1),
    "python_rdkit_per_cpu_second": round(p["molecules"] / p["cpu_seconds"], 1),
    "retort_seconds": r["seconds"], "python_rdkit_seconds": p["seconds"],
    "retort_cpu_seconds": r["cpu_seconds"], "python_rdkit_cpu_seconds": p["cpu_seconds"],
    "speedup": round(p["cpu_seconds"] / r["cpu_seconds"], 2),
    "speedup_wall": round(p["seconds"] / r["seconds"], 2),
    "results_agree": r["failed"] == p["failed"] and abs(r["qed_sum"] - p["qed_sum"]) < 1e-6
                     and abs(r["checksum"] - p["checksum"]) < 1e-6,
}))
PY
