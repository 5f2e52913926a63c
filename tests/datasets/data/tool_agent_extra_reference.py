# Python RDKit reference for tests/datasets/tool_agent_tasks_test.cpp (ExtraTrainMolecules...):
#   /usr/bin/python3 tool_agent_extra_reference.py ZINC_CSV HELD_OUT_TXT ESOL_TRAIN_TXT QUESTIONS_JSON MAX_LEN
# HELD_OUT_TXT / ESOL_TRAIN_TXT: the valid/test and the ESOL train SMILES of the C++ build, one a line. Recomputes which ZINC rows may join train
# (SMILES <= MAX_LEN chars, parses, Murcko scaffold and canonical SMILES not those of a held-out molecule,
# not an ESOL train molecule, first occurrence) and prints "extra USED too_long T held_out H lines L1,L2,..." ; then for each question
# [kind, smiles, partner, value] of QUESTIONS_JSON checks the value against MolWt / TPSA / Morgan(2, 2048)
# Tanimoto and prints "values ok N" or the first mismatch.
import csv
import json
import sys

from rdkit import Chem, DataStructs, RDLogger
from rdkit.Chem import AllChem, Descriptors, rdMolDescriptors
from rdkit.Chem.Scaffolds import MurckoScaffold

RDLogger.DisableLog("rdApp.*")
zinc_csv, held_out_txt, esol_train_txt, questions_json = sys.argv[1:5]
max_len = int(sys.argv[5])


def scaffold(m):
    return MurckoScaffold.MurckoScaffoldSmiles(mol=m)


held_scaffolds, held_molecules = set(), set()
for line in open(held_out_txt):
    m = Chem.MolFromSmiles(line.strip())
    held_scaffolds.add(scaffold(m))
    held_molecules.add(Chem.MolToSmiles(m))

used, too_long, held_out = [], 0, 0
seen = {Chem.MolToSmiles(Chem.MolFromSmiles(line.strip())) for line in open(esol_train_txt)}
with open(zinc_csv) as f:
    for line_no, row in enumerate(csv.DictReader(f), start=2):
        s = row["SMILES"]
        if len(s) > max_len:
            too_long += 1
            continue
        m = Chem.MolFromSmiles(s)
        if m is None:
            continue
        if scaffold(m) in held_scaffolds or Chem.MolToSmiles(m) in held_molecules:
            held_out += 1
            continue
        if Chem.MolToSmiles(m) in seen:
            continue
        seen.add(Chem.MolToSmiles(m))
        used.append(line_no)
print("extra", len(used), "too_long", too_long, "held_out", held_out, "lines", ",".join(map(str, used)))

checked = 0
for kind, smiles, partner, value in json.load(open(questions_json)):
    m = Chem.MolFromSmiles(smiles)
    if kind == "molecular_weight":
        want = Descriptors.MolWt(m)
    elif kind == "tpsa":
        want = rdMolDescriptors.CalcTPSA(m)
    else:
        fp = lambda x: AllChem.GetMorganFingerprintAsBitVect(x, 2, nBits=2048)
        want = DataStructs.TanimotoSimilarity(fp(m), fp(Chem.MolFromSmiles(partner)))
    if abs(want - value) > 1e-9:
        print("mismatch", kind, smiles, partner, value, want)
        sys.exit(1)
    checked += 1
print("values ok", checked)
