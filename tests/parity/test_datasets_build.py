# python: system
"""Parity: `retort data build` against the source CSVs and Python RDKit (Debian python3-rdkit, the same
RDKit 2022.09.3 the C++ links). Checks: every CSV row lands in exactly one split with its SMILES and
label; meta.scaffold equals MurckoScaffold.MurckoScaffoldSmiles(includeChirality=False) (chemprop's
scaffold key); no scaffold is in two splits; sizes are 80/10/10 within a couple of rows; the same seed
gives byte-identical files and another seed another split; every number a cold-start trace states
equals Python RDKit's value as rounded; the command line's errors are one line with exit code 2."""
import csv
import json
import os
import re
import subprocess
import sys
import tempfile

from rdkit import Chem, RDLogger
from rdkit.Chem import Crippen, Descriptors, rdMolDescriptors
from rdkit.Chem.Scaffolds import MurckoScaffold

RDLogger.DisableLog("rdApp.*")
SOURCE = os.environ.get("RETORT_SOURCE_DIR", os.getcwd())
BUILD = os.environ.get("RETORT_BUILD_DIR", os.path.join(SOURCE, "build"))
RETORT = os.path.join(BUILD, "retort")
TASKS = {  # task: (file, smiles column, label column, binary)
    "esol": ("esol.csv", "smiles", "logp", False),
    "freesolv": ("freesolv.csv", "smiles", "freesolv", False),
    "lipophilicity": ("lipophilicity.csv", "smiles", "lipo", False),
    "bbbp": ("bbbp.csv", "smiles", "p_np", True),
    "bace": ("bace.csv", "mol", "Class", True),
    "clintox": ("clintox.csv", "smiles", "CT_TOX", True),
}
failures = []


def check(ok, message):
    if not ok:
        failures.append(message)
        if len(failures) < 30:
            print("FAIL:", message)


def run(*args):
    return subprocess.run([RETORT, "data", *args], cwd=SOURCE, capture_output=True, text=True)


def load_splits(out, task):
    splits = {}
    for split in ("train", "valid", "test"):
        with open(os.path.join(out, task, split + ".jsonl")) as f:
            splits[split] = [json.loads(line) for line in f]
    return splits


def check_claims(think, mol):
    """Every claim sentence shape of datasets/cold_start.h, recomputed with Python RDKit."""
    mw, logp, tpsa = Descriptors.MolWt(mol), Crippen.MolLogP(mol), rdMolDescriptors.CalcTPSA(mol)
    counts = {
        "hydrogen bond donor": rdMolDescriptors.CalcNumHBD(mol),
        "hydrogen bond acceptor": rdMolDescriptors.CalcNumHBA(mol),
        "aromatic ring": rdMolDescriptors.CalcNumAromaticRings(mol),
        "rotatable bond": rdMolDescriptors.CalcNumRotatableBonds(mol),
    }
    n = 0
    for m in re.finditer(r"molecular weight is (\d+\.\d\d) g/mol", think):
        n += 1
        check(abs(float(m[1]) - mw) <= 0.005 + 1e-9, f"MW {m[1]} vs {mw:.4f}")
    for m in re.finditer(r"logP is (-?\d+\.\d\d)", think):
        n += 1
        check(abs(float(m[1]) - logp) <= 0.005 + 1e-9, f"logP {m[1]} vs {logp:.4f}")
    for m in re.finditer(r"TPSA is (\d+\.\d) Å²", think):
        n += 1
        check(abs(float(m[1]) - tpsa) <= 0.05 + 1e-9, f"TPSA {m[1]} vs {tpsa:.3f}")
    for noun, truth in counts.items():
        for m in re.finditer(r"(\d+) " + noun + r"s?\b", think):
            n += 1
            check(int(m[1]) == truth, f"{noun} {m[1]} vs {truth}")
    for m in re.finditer(r"has (\d+) rings?\b", think):
        n += 1
        check(int(m[1]) == rdMolDescriptors.CalcNumRings(mol), f"rings {m[1]}")
    return n


def main():
    if not os.path.exists(RETORT):
        print(f"SKIP-FAIL: {RETORT} not built")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        out0, again, out1 = (os.path.join(tmp, d) for d in ("seed0", "again", "seed1"))
        r = run("build", "--task", "all", "--out", out0, "--seed", "0", "--cold-start", "mixed")
        check(r.returncode == 0, f"build failed: {r.stderr}")
        summary = r.stdout.strip().splitlines()
        check(len(summary) == 6, f"one summary line per task, got {summary}")
        claims = traces = 0
        for task, (file, smiles_col, label_col, binary) in TASKS.items():
            rows = list(csv.DictReader(open(os.path.join(SOURCE, "datasets/moleculenet", file), newline="")))
            line = next((s for s in summary if s.startswith(task + ":")), "")
            check(f"read {len(rows)} rows" in line and "invalid SMILES 0" in line, f"summary line: {line!r}")
            splits = load_splits(out0, task)
            seen, scaffold_split = {}, {}
            for split, examples in splits.items():
                for e in examples:
                    src = e["meta"]["source_line"]
                    check(src not in seen, f"{task} line {src} twice")
                    seen[src] = e
                    row = rows[src - 2]  # header is line 1; these files have no quoted line breaks
                    check(e["smiles"] == row[smiles_col], f"{task} line {src} SMILES")
                    label = float(row[label_col])
                    if binary:
                        check(e["answer"] is (label == 1.0), f"{task} line {src} label")
                    else:
                        check(e["answer"]["value"] == label, f"{task} line {src} value")
                    mol = Chem.MolFromSmiles(row[smiles_col])
                    want = MurckoScaffold.MurckoScaffoldSmiles(mol=mol, includeChirality=False)
                    check(e["meta"]["scaffold"] == want, f"{task} line {src} scaffold {e['meta']['scaffold']} != {want}")
                    check(e["meta"]["split"] == split and e["image"] is True and "<|image|>" in e["prompt"],
                          f"{task} line {src} fields")
                    prev = scaffold_split.setdefault(e["meta"]["scaffold"], split)
                    check(prev == split, f"{task} scaffold {e['meta']['scaffold']!r} in {prev} and {split}")
            n = len(rows)
            check(len(seen) == n, f"{task}: {len(seen)} of {n} rows written")
            sizes = {s: len(v) for s, v in splits.items()}
            check(0.8 * n - 1 <= sizes["train"] <= 0.8 * n and 0.1 * n - 1 <= sizes["valid"] <= 0.1 * n
                  and abs(sizes["test"] - 0.1 * n) <= 2, f"{task} sizes {sizes}")
            print(f"{task}: {n} rows -> {sizes}, {len(scaffold_split)} scaffolds")
            with open(os.path.join(out0, task, "cold_start.jsonl")) as f:
                cold = [json.loads(l) for l in f]
            check([c["id"] for c in cold] == [e["id"] for e in splits["train"]], f"{task} cold_start ids")
            for c in cold:
                m = re.fullmatch(r"<think>(.*)</think>\n<answer>(.*)</answer>", c["completion"], re.S)
                check(m is not None, f"{task} {c['id']} format")
                if not m:
                    continue
                answer = m[2]
                if binary:
                    check(answer == ("yes" if c["answer"] else "no"), f"{task} {c['id']} answer {answer}")
                else:
                    check(float(answer) == c["answer"]["value"], f"{task} {c['id']} answer {answer}")
                claims += check_claims(m[1], Chem.MolFromSmiles(c["smiles"]))
                traces += 1
        print(f"cold-start traces {traces}, numeric/count claims checked with Python RDKit {claims}")
        check(traces > 8000 and claims > 2 * traces, "traces state claims")

        r = run("build", "--task", "all", "--out", again, "--seed", "0", "--cold-start", "mixed")
        check(r.returncode == 0, "second build")
        for task in TASKS:
            for name in ("train", "valid", "test", "cold_start"):
                a = open(os.path.join(out0, task, name + ".jsonl"), "rb").read()
                b = open(os.path.join(again, task, name + ".jsonl"), "rb").read()
                check(a == b, f"{task}/{name}.jsonl differs between two runs with seed 0")
        r = run("build", "--task", "esol", "--out", out1, "--seed", "1")
        check(r.returncode == 0, "seed 1 build")
        check(open(os.path.join(out0, "esol/test.jsonl")).read() != open(os.path.join(out1, "esol/test.jsonl")).read(),
              "seed 1 gives another split")

        for args, needle in [(("build", "--task", "tox21", "--out", out1), "unknown task 'tox21'"),
                             (("build", "--task", "esol"), "missing required option --out"),
                             (("build", "--task", "esol", "--out", out1, "--seed", "x"), "--seed must be"),
                             (("build", "--task", "esol", "--out", out1, "--cold-start", "long"), "--cold-start must be"),
                             (("build", "--task", "esol", "--out", out1, "--bogus", "1"), "unknown option --bogus")]:
            r = run(*args)
            check(r.returncode == 2 and needle in r.stderr and r.stderr.count("\n") == 1,
                  f"{args}: rc {r.returncode}, stderr {r.stderr!r}")
        r = run("build", "--help")
        check(r.returncode == 0 and "--skip-invalid" in r.stdout and "--cold-start" in r.stdout, "help text")
    print("FAILED" if failures else "OK", len(failures), "failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
