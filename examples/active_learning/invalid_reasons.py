# python: system
"""Counts why generated SMILES fail to parse (issue 9 (a)): reads RUN_DIR/rounds/round-N.jsonl files
(or any JSONL with "smiles" and "finished") and classifies each sample with RDKit (the same RDKit
2022.09 that chem/ links): cut at max_new_tokens, unbalanced parentheses, unclosed ring bond,
other syntax, valence, aromaticity (kekulisation), several fragments, or valid.
usage: /usr/bin/python3 invalid_reasons.py FILE.jsonl [FILE.jsonl ...]"""
import json
import re
import sys
from collections import Counter

from rdkit import Chem, RDLogger

RDLogger.DisableLog("rdApp.*")

BRACKET = re.compile(r"\[[^\]]*\]")


def ring_bonds_closed(smiles):
    s = BRACKET.sub("A", smiles)  # drop bracket atoms (their digits are charges/H counts)
    open_labels = set()
    i = 0
    while i < len(s):
        c = s[i]
        if c == "%" and i + 2 < len(s):
            label = s[i + 1:i + 3]
            i += 3
        elif c.isdigit():
            label = c
            i += 1
        else:
            i += 1
            continue
        open_labels ^= {label}
    return not open_labels


def classify(smiles, finished):
    if not smiles:
        return "empty"
    mol = Chem.MolFromSmiles(smiles)
    if mol is not None:
        return "several_fragments" if "." in Chem.MolToSmiles(mol) else "valid"
    if not finished:
        return "cut_at_max_new_tokens"
    if smiles.count("(") != smiles.count(")"):
        return "unbalanced_parentheses"
    if not ring_bonds_closed(smiles):
        return "unclosed_ring_bond"
    raw = Chem.MolFromSmiles(smiles, sanitize=False)
    if raw is None:
        return "other_syntax"
    try:
        Chem.SanitizeMol(raw)
    except Chem.AtomValenceException:
        return "valence"
    except Chem.KekulizeException:
        return "aromaticity_kekulize"
    except Exception as e:  # noqa: BLE001
        return "sanitize_other:" + type(e).__name__
    return "valid"


def main():
    counts = Counter()
    for path in sys.argv[1:]:
        with open(path) as f:
            for line in f:
                j = json.loads(line)
                counts[classify(j["smiles"], j.get("finished", True))] += 1
    total = sum(counts.values())
    print(json.dumps({"samples": total, **{k: v for k, v in counts.most_common()}}))
    for k, v in counts.most_common():
        print(f"{k:28s} {v:6d} {100.0 * v / total:6.1f}%")


if __name__ == "__main__":
    main()
