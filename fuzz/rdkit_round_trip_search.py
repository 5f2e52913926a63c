# python: system
# Searches mutated SMILES for RDKit's canonical round-trip failures (Python RDKit, the same library the
# C++ links): inputs that parse but whose canonical SMILES does not (ROUND1), or whose second-round
# canonical form does not (ROUND2). Seeds: fuzz/corpus/smiles. Prints each failure and a count line.
#   /usr/bin/python3 fuzz/rdkit_round_trip_search.py [SEED] [SECONDS]
import glob
import os
import random
import sys
import time

from rdkit import Chem, RDLogger

RDLogger.DisableLog("rdApp.*")
here = os.path.dirname(os.path.abspath(__file__))
seeds = []
for path in glob.glob(os.path.join(here, "corpus", "smiles", "*")):
    try:
        text = open(path, "rb").read().decode("ascii")
    except UnicodeDecodeError:
        continue
    if "~" not in text:
        seeds.append(text)
alphabet = list("CNOSPFIBrcnosp()[]=#@+-/\\%123456789Hl.") + [
    "[nH]", "[N+]", "[O-]", "[C@@H]", "[C@H]", "c1", "n1", "1", "2", "[n+]", "[se]", "[B-]", "[NH3+]", "=O"]
rng = random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 60
tried = round1 = round2 = 0
start = time.time()
while time.time() - start < seconds:
    s = rng.choice(seeds)
    for _ in range(rng.randint(1, 4)):
        i, op = rng.randint(0, len(s)), rng.random()
        if op < 0.4:
            s = s[:i] + rng.choice(alphabet) + s[i:]
        elif op < 0.7:
            s = s[:i] + s[i + 1:]
        elif op < 0.85:
            j = rng.randint(0, len(s))
            s = s[:i] + s[min(i, j):max(i, j)] + s[i:]
        else:
            s = s[:i] + rng.choice(seeds)[:rng.randint(0, 20)] + s[i:]
    s = s[:300]
    tried += 1
    mol = Chem.MolFromSmiles(s)
    if mol is None:
        continue
    canonical = Chem.MolToSmiles(mol)
    again = Chem.MolFromSmiles(canonical)
    if again is None:
        round1 += 1
        print("ROUND1", repr(s), "->", repr(canonical))
        continue
    canonical2 = Chem.MolToSmiles(again)
    if Chem.MolFromSmiles(canonical2) is None:
        round2 += 1
        print("ROUND2", repr(s), "->", repr(canonical), "->", repr(canonical2))
print(f"tried {tried}: canonical form does not parse {round1}, second-round form does not parse {round2}")
