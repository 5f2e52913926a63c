# What Python RDKit (Debian's python3-rdkit, the RDKit retort links) makes of SMILES strings with odd
# bytes: one line per argument (hex of the UTF-8 bytes), "<hex> <canonical SMILES>" or "<hex> None".
# Used by tests/chem/molecule_odd_bytes_test.cpp to show which inputs RDKit reads silently.
import sys

from rdkit import Chem, RDLogger

RDLogger.DisableLog("rdApp.*")
for arg in sys.argv[1:]:
    smiles = bytes.fromhex(arg).decode("utf-8")
    mol = Chem.MolFromSmiles(smiles)
    print(arg, Chem.MolToSmiles(mol) if mol is not None else "None")
