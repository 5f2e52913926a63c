#!/usr/bin/python3
"""Python RDKit reference values for retort's chem parity tests (run by tests/chem/*_test.cpp).

usage: /usr/bin/python3 rdkit_reference.py SMILES_FILE
Reads one SMILES per line (a header line 'SMILES' and lines starting with '#' are skipped) and prints
one tab-separated row per molecule; floats use repr() so no digits are lost:
smiles canonical canonical_nonisomeric formula heavy charge rings aromatic_rings stereocentres
mol_wt exact_mass logp mr tpsa hbd hba hbd_lipinski hba_lipinski rotatable_bonds fraction_csp3
qed sa_score murcko morgan2_2048_on_bits(comma-separated)
"""
import os
import sys

from rdkit import Chem, RDConfig, RDLogger
from rdkit.Chem import AllChem, Crippen, Descriptors, Lipinski, QED, rdMolDescriptors
from rdkit.Chem.Scaffolds import MurckoScaffold

RDLogger.DisableLog("rdApp.*")
sys.path.append(os.path.join(RDConfig.RDContribDir, "SA_Score"))
sys.path.append("/usr/share/RDKit/Contrib/SA_Score")
import sascorer  # noqa: E402


def row(smi):
    m = Chem.MolFromSmiles(smi)
    if m is None:
        return [smi, "PARSE_ERROR"]
    fp = AllChem.GetMorganFingerprintAsBitVect(m, 2, nBits=2048)
    values = [
        smi,
        Chem.MolToSmiles(m),
        Chem.MolToSmiles(m, isomericSmiles=False),
        rdMolDescriptors.CalcMolFormula(m),
        m.GetNumHeavyAtoms(),
        Chem.GetFormalCharge(m),
        rdMolDescriptors.CalcNumRings(m),
        rdMolDescriptors.CalcNumAromaticRings(m),
        len(Chem.FindMolChiralCenters(Chem.Mol(m), includeUnassigned=True)),
        Descriptors.MolWt(m),
        Descriptors.ExactMolWt(m),
        Crippen.MolLogP(m),
        Crippen.MolMR(m),
        rdMolDescriptors.CalcTPSA(m),
        rdMolDescriptors.CalcNumHBD(m),
        rdMolDescriptors.CalcNumHBA(m),
        Lipinski.NHOHCount(m),
        Lipinski.NOCount(m),
        rdMolDescriptors.CalcNumRotatableBonds(m),
        rdMolDescriptors.CalcFractionCSP3(m),
        QED.qed(m),
        sascorer.calculateScore(m),
        MurckoScaffold.MurckoScaffoldSmiles(mol=m),
        ",".join(str(b) for b in fp.GetOnBits()),
    ]
    return [repr(v) if isinstance(v, float) else str(v) for v in values]


def main():
    with open(sys.argv[1]) as f:
        for line in f:
            smi = line.strip()
            if not smi or smi.startswith("#") or smi == "SMILES":
                continue
            print("\t".join(row(smi)))


if __name__ == "__main__":
    main()
