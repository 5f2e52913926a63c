# python: system
"""Parity of `retort tools call` with Python RDKit 2022.09 (Debian python3-rdkit, the RDKit the C++ links).

Runs $RETORT_BUILD_DIR/retort for each chemistry tool on known molecules and compares the JSON result with
RDKit's Python API (Descriptors, Crippen, rdMolDescriptors, Lipinski, QED, SA_Score contrib, Morgan
fingerprints, MurckoScaffold, substructure matching); checks safety_check's similarities against the shipped
list, the conformer's atoms and geometry, and the CLI contract (one JSON object, exit 0 for failures; `--batch`
replies equal single calls). The chemistry calls run through one `retort tools call --batch` process."""
import json
import math
import os
import subprocess
import sys

from rdkit import Chem, DataStructs, RDLogger
from rdkit.Chem import AllChem, Crippen, Descriptors, Lipinski, QED, rdMolDescriptors
from rdkit.Chem.Scaffolds import MurckoScaffold

sys.path.append("/usr/share/RDKit/Contrib/SA_Score")
import sascorer  # noqa: E402

RDLogger.DisableLog("rdApp.*")
BUILD = os.environ.get("RETORT_BUILD_DIR", "build")
SOURCE = os.environ.get("RETORT_SOURCE_DIR", ".")
RETORT = os.path.join(BUILD, "retort")

MOLECULES = {
    "ethanol": "CCO",
    "aspirin": "CC(=O)Oc1ccccc1C(=O)O",
    "caffeine": "Cn1cnc2c1c(=O)n(C)c(=O)n2C",
    "ibuprofen": "CC(C)Cc1ccc(cc1)[C@@H](C)C(=O)O",
    "paracetamol": "CC(=O)Nc1ccc(O)cc1",
    "nicotine": "CN1CCC[C@H]1c1cccnc1",
    "morphine": "CN1CC[C@]23[C@@H]4[C@H]1CC5=C2C(=C(C=C5)O)O[C@@H]3[C@H](C=C4)O",
    "penicillin G": "CC1([C@@H](N2[C@H](S1)[C@@H](C2=O)NC(=O)Cc3ccccc3)C(=O)O)C",
    "atorvastatin": "CC(C)c1c(C(=O)Nc2ccccc2)c(-c2ccccc2)c(-c2ccc(F)cc2)n1CC[C@@H](O)C[C@@H](O)CC(=O)O",
    "imatinib": "Cc1ccc(NC(=O)c2ccc(CN3CCN(C)CC3)cc2)cc1Nc1nccc(-c2cccnc2)n1",
    "sildenafil": "CCCc1nn(C)c2c(=O)[nH]c(-c3cc(S(=O)(=O)N4CCN(C)CC4)ccc3OCC)nc12",
    "cholesterol": "CC(C)CCC[C@@H](C)[C@H]1CC[C@H]2[C@@H]3CC=C4C[C@@H](O)CC[C@]4(C)[C@H]3CC[C@]12C",
    "glucose": "OC[C@H]1OC(O)[C@H](O)[C@@H](O)[C@@H]1O",
    "glycine zwitterion": "[NH3+]CC(=O)[O-]",
    "sodium acetate": "CC(=O)[O-].[Na+]",
    "losartan": "CCCCc1nc(Cl)c(CO)n1Cc1ccc(-c2ccccc2-c2nnn[nH]2)cc1",
    "benzene": "c1ccccc1",
    "hexane": "CCCCCC",
    "pyridine N-oxide": "[O-][n+]1ccccc1",
    "deuterated chloroform": "[2H]C(Cl)(Cl)Cl",
}

SMARTS = ["C(=O)O", "[OX2H]", "c", "[#7]", "[$([NX3](=O)=O),$([NX3+](=O)[O-])]", "[R2]", "*~*"]

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


# Replies of `retort tools call --batch` runs, by call: one process for many calls (a process start is ~1.5 s,
# ~3.5 s under the sanitizers); call() falls back to its own process for calls not fetched.
BATCHED = {}


def call_key(name, args):
    return name + " " + json.dumps(args, sort_keys=True)


def run_batch(calls):
    """Runs [(name, args)] through one `retort tools call --batch FILE`; returns the reply lines."""
    import tempfile
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl") as f:
        for name, args in calls:
            f.write(json.dumps({"name": name, "arguments": args}) + "\n")
        f.flush()
        out = subprocess.run([RETORT, "tools", "call", "--batch", f.name], capture_output=True, text=True, timeout=900)
    check(out.returncode == 0, f"--batch: exit {out.returncode}: {out.stderr.strip()}")
    lines = [line for line in out.stdout.splitlines() if line.strip()]
    check(len(lines) == len(calls), f"--batch: {len(calls)} calls, {len(lines)} reply lines")
    return [json.loads(line) for line in lines]


def prefetch(calls):
    for (name, args), reply in zip(calls, run_batch(calls)):
        BATCHED[call_key(name, args)] = reply


def call(name, args, expect_ok=True, own_process=False):
    if not own_process and call_key(name, args) in BATCHED:
        reply = BATCHED[call_key(name, args)]
        if expect_ok:
            check(reply.get("ok") is True, f"{name} {args}: {reply}")
        return reply
    out = subprocess.run([RETORT, "tools", "call", name, "--args", json.dumps(args)], capture_output=True,
                         text=True, timeout=300)
    check(out.returncode == 0, f"{name} {args}: exit {out.returncode}: {out.stderr.strip()}")
    lines = [line for line in out.stdout.splitlines() if line.strip()]
    check(len(lines) == 1, f"{name} {args}: expected one JSON line, got {out.stdout!r}")
    reply = json.loads(lines[-1])
    if expect_ok:
        check(reply.get("ok") is True, f"{name} {args}: {reply}")
    return reply


def close(a, b, tolerance=1e-6):
    return abs(a - b) <= tolerance * max(1.0, abs(b))


SAFETY_SMILES = ["CCOP(C)(=O)F", "CC(=O)Oc1ccccc1C(=O)O", "CCSCCCl", "ClCCN(C)CCCl", "CN(C)CCOC(=O)C", "CCN(CC)CC",
                 "CC(C)OP(=O)(OC(C)C)F", "ClCCCl"]
CONFORMER_MOLECULES = ("ethanol", "aspirin", "caffeine", "ibuprofen")


def calls_to_prefetch():
    """The calls of run_chemistry, run_conformer and run_safety, to run in one batch process."""
    calls = []
    for smiles in MOLECULES.values():
        for name in ("canonicalize_smiles", "molecular_formula", "molecular_weight", "descriptors", "lipinski",
                     "murcko_scaffold", "functional_groups"):
            calls.append((name, {"smiles": smiles}))
        calls += [("substructure_match", {"smiles": smiles, "smarts": smarts}) for smarts in SMARTS]
    names = list(MOLECULES)
    for a, b in zip(names, names[1:] + names[:1]):
        calls += [("similarity", {"smiles_a": MOLECULES[a], "smiles_b": MOLECULES[b], "radius": r}) for r in (2, 3)]
    for label in CONFORMER_MOLECULES:
        calls += [("conformer_3d", {"smiles": MOLECULES[label], "method": m}) for m in ("mmff94", "etkdg")]
    calls += [("safety_check", {"smiles": smiles}) for smiles in SAFETY_SMILES]
    return calls


def run_chemistry():
    for label, smiles in MOLECULES.items():
        mol = Chem.MolFromSmiles(smiles)
        args = {"smiles": smiles}

        r = call("canonicalize_smiles", args)["result"]
        check(r["canonical_smiles"] == Chem.MolToSmiles(mol), f"{label}: canonical {r} vs {Chem.MolToSmiles(mol)}")

        r = call("molecular_formula", args)["result"]
        check(r["formula"] == rdMolDescriptors.CalcMolFormula(mol), f"{label}: formula {r}")

        r = call("molecular_weight", args)["result"]
        check(close(r["molecular_weight"], Descriptors.MolWt(mol), 1e-9), f"{label}: MolWt {r}")
        check(close(r["exact_mass"], Descriptors.ExactMolWt(mol), 1e-9), f"{label}: ExactMolWt {r}")

        d = call("descriptors", args)["result"]
        expected = {
            "molecular_weight": Descriptors.MolWt(mol), "exact_mass": Descriptors.ExactMolWt(mol),
            "logp": Crippen.MolLogP(mol), "molar_refractivity": Crippen.MolMR(mol),
            "tpsa": rdMolDescriptors.CalcTPSA(mol), "h_bond_donors": rdMolDescriptors.CalcNumHBD(mol),
            "h_bond_acceptors": rdMolDescriptors.CalcNumHBA(mol),
            "rotatable_bonds": rdMolDescriptors.CalcNumRotatableBonds(mol),
            "fraction_csp3": rdMolDescriptors.CalcFractionCSP3(mol), "rings": rdMolDescriptors.CalcNumRings(mol),
            "aromatic_rings": rdMolDescriptors.CalcNumAromaticRings(mol), "heavy_atoms": mol.GetNumHeavyAtoms(),
            "formal_charge": Chem.GetFormalCharge(mol), "qed": QED.qed(mol), "sa_score": sascorer.calculateScore(mol),
        }
        for key, value in expected.items():
            check(key in d and close(d[key], value, 1e-6), f"{label}: descriptors.{key} = {d.get(key)}, RDKit {value}")

        r = call("lipinski", args)["result"]
        hbd, hba = Lipinski.NHOHCount(mol), Lipinski.NOCount(mol)
        mw, logp = Descriptors.MolWt(mol), Crippen.MolLogP(mol)
        violations = (mw > 500) + (logp > 5) + (hbd > 5) + (hba > 10)
        check(r["h_bond_donors"] == hbd and r["h_bond_acceptors"] == hba, f"{label}: lipinski counts {r}")
        check(r["violations"] == violations and r["passes"] == (violations <= 1), f"{label}: lipinski {r}")

        r = call("murcko_scaffold", args)["result"]
        check(r["scaffold"] == MurckoScaffold.MurckoScaffoldSmiles(mol=mol), f"{label}: scaffold {r}")

        for smarts in SMARTS:
            r = call("substructure_match", {"smiles": smiles, "smarts": smarts})["result"]
            n = len(mol.GetSubstructMatches(Chem.MolFromSmarts(smarts)))
            check(r["count"] == n and r["matches"] == (n > 0), f"{label}: {smarts} {r} vs {n}")

        r = call("functional_groups", args)["result"]
        ring_groups = {"aromatic_ring": rdMolDescriptors.CalcNumAromaticRings,  # chem/ counts these as rings
                       "heteroaromatic_ring": rdMolDescriptors.CalcNumAromaticHeterocycles}
        for group in r["functional_groups"]:
            if group["name"] in ring_groups:
                n = ring_groups[group["name"]](mol)
            else:
                n = len(mol.GetSubstructMatches(Chem.MolFromSmarts(group["smarts"])))
            check(n > 0 and group["count"] == n, f"{label}: functional group {group} vs RDKit count {n}")

    names = list(MOLECULES)
    for a, b in zip(names, names[1:] + names[:1]):
        for radius in (2, 3):
            r = call("similarity", {"smiles_a": MOLECULES[a], "smiles_b": MOLECULES[b], "radius": radius})["result"]
            fa = AllChem.GetMorganFingerprintAsBitVect(Chem.MolFromSmiles(MOLECULES[a]), radius, 2048)
            fb = AllChem.GetMorganFingerprintAsBitVect(Chem.MolFromSmiles(MOLECULES[b]), radius, 2048)
            expected = DataStructs.TanimotoSimilarity(fa, fb)
            check(close(r["tanimoto"], expected, 1e-12), f"similarity {a}/{b} r={radius}: {r} vs {expected}")


def run_functional_group_known_answers():
    # Hand-checked: aspirin has a carboxylic acid and an ester; paracetamol a phenol and an amide.
    groups = {g["name"] for g in call("functional_groups", {"smiles": MOLECULES["aspirin"]})["result"]["functional_groups"]}
    check(any("carboxylic" in g for g in groups), f"aspirin groups {groups}: no carboxylic acid")
    check(any("ester" in g for g in groups), f"aspirin groups {groups}: no ester")
    groups = {g["name"] for g in call("functional_groups", {"smiles": MOLECULES["paracetamol"]})["result"]["functional_groups"]}
    check(any("amide" in g for g in groups), f"paracetamol groups {groups}: no amide")


def run_conformer():
    for label in CONFORMER_MOLECULES:
        mol = Chem.AddHs(Chem.MolFromSmiles(MOLECULES[label]))
        for method in ("mmff94", "etkdg"):
            r = call("conformer_3d", {"smiles": MOLECULES[label], "method": method})["result"]
            lines = r["xyz"].splitlines()
            n = int(lines[0])
            check(n == mol.GetNumAtoms() == r["atoms"], f"{label} {method}: {n} atoms, RDKit {mol.GetNumAtoms()}")
            atoms = [line.split() for line in lines[2:2 + n]]
            elements = sorted(a[0] for a in atoms)
            check(elements == sorted(atom.GetSymbol() for atom in mol.GetAtoms()), f"{label} {method}: elements {elements}")
            xyz = [tuple(map(float, a[1:4])) for a in atoms]
            for i, p in enumerate(xyz):
                distances = [math.dist(p, q) for j, q in enumerate(xyz) if j != i]
                check(min(distances) > 0.85 and min(distances) < 1.8,
                      f"{label} {method}: atom {i} nearest neighbour {min(distances):.2f} A")


def run_safety():
    listed = []
    with open(os.path.join(SOURCE, "tools/data/chemical_weapons.tsv")) as f:
        rows = [line.rstrip("\n").split("\t") for line in f if line.strip() and not line.startswith("#")]
    def heteroatoms(mol):
        return {a.GetSymbol() for a in mol.GetAtoms()} - {"C", "H"}

    for name, schedule, klass, match, smiles in rows[1:]:
        if match == "similarity":
            mol = Chem.MolFromSmiles(smiles)
            listed.append((name, AllChem.GetMorganFingerprintAsBitVect(mol, 2, 2048), heteroatoms(mol),
                           Chem.MolToSmiles(mol)))
    for smiles in SAFETY_SMILES:
        r = call("safety_check", {"smiles": smiles})["result"]
        fp = AllChem.GetMorganFingerprintAsBitVect(Chem.MolFromSmiles(smiles), 2, 2048)
        best = max(listed, key=lambda e: DataStructs.TanimotoSimilarity(fp, e[1]))
        value = DataStructs.TanimotoSimilarity(fp, best[1])
        check(abs(r["nearest_listed_agent"]["tanimoto"] - round(value, 4)) < 1e-9,
              f"safety {smiles}: nearest {r['nearest_listed_agent']} vs RDKit {best[0]} {value}")
        mol = Chem.MolFromSmiles(smiles)
        flagged = {e[0] for e in listed if DataStructs.TanimotoSimilarity(fp, e[1]) > 0.35 and e[2] <= heteroatoms(mol)
                   and e[3] != Chem.MolToSmiles(mol)}  # identity is reported as "is NAME" instead
        if any(e[3] == Chem.MolToSmiles(mol) for e in listed):
            check(any(reason.startswith("is ") for reason in r["reasons"]), f"safety {smiles}: identity not reported")
        reported = {reason[len("similar to "):].split(",")[0] for reason in r["reasons"] if reason.startswith("similar to ")}
        check(flagged == reported, f"safety {smiles}: RDKit flags {flagged}, tool reports {reported}")


def run_xtb_parity():
    """xtb_properties against xtb run directly (from Python) on the conformer_3d geometry of the same molecule."""
    import shutil
    import tempfile
    listing = json.loads(subprocess.run([RETORT, "tools", "list"], capture_output=True, text=True).stdout)
    if "xtb_properties" not in {s["function"]["name"] for s in listing} or not shutil.which("xtb"):
        print("xtb_properties not in this build or no xtb: skipped")
        return
    for smiles in ("O", "CCO", "c1ccccc1O"):
        xyz = call("conformer_3d", {"smiles": smiles})["result"]["xyz"]
        r = call("xtb_properties", {"smiles": smiles})["result"]
        with tempfile.TemporaryDirectory() as tmp:
            with open(os.path.join(tmp, "start.xyz"), "w") as f:
                f.write(xyz)
            subprocess.run(["xtb", "start.xyz", "--gfn", "2", "--chrg", "0", "--json"], cwd=tmp, capture_output=True,
                           env=dict(os.environ, OMP_NUM_THREADS="1"), timeout=120, check=True)
            with open(os.path.join(tmp, "xtbout.json")) as f:
                ref = json.load(f)
        # Separate runs differ by ~1e-5 eV / 1e-8 Eh (SCC convergence, conformer round-off): physical tolerances.
        check(abs(r["total_energy_hartree"] - ref["total energy"]) < 1e-6, f"xtb {smiles}: energy {r} vs {ref['total energy']}")
        check(abs(r["homo_lumo_gap_ev"] - ref["HOMO-LUMO gap/eV"]) < 1e-3, f"xtb {smiles}: gap {r} vs {ref['HOMO-LUMO gap/eV']}")
        occupied = [i for i, occ in enumerate(ref["fractional occupation"]) if occ > 0.5]
        homo, lumo = ref["orbital energies/eV"][occupied[-1]], ref["orbital energies/eV"][occupied[-1] + 1]
        check(abs(r["homo_ev"] - homo) < 1e-3 and abs(r["lumo_ev"] - lumo) < 1e-3, f"xtb {smiles}: HOMO/LUMO {r} vs {homo}, {lumo}")
        dipole = math.sqrt(sum(x * x for x in ref["dipole"])) * 2.541746473
        check(abs(r["dipole_debye"] - dipole) < 1e-3, f"xtb {smiles}: dipole {r['dipole_debye']} vs {dipole}")


def run_cli_contract():
    # --batch replies equal single calls' replies; a malformed line is an ok=false line and the next still runs.
    for name, args in calls_to_prefetch()[:8]:
        check(call(name, args, own_process=True) == BATCHED[call_key(name, args)], f"--batch vs single call: {name} {args}")
    import tempfile
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl") as f:
        f.write('{"name": "molecular_weight", "arguments": {"smiles": "CCO"}}\n{bad\n\n["not", "an object"]\n'
                '{"name": "calculator", "arguments": {"expression": "2^10"}}\n')
        f.flush()
        out = subprocess.run([RETORT, "tools", "call", "--batch", f.name], capture_output=True, text=True, timeout=120)
    replies = [json.loads(line) for line in out.stdout.splitlines()]
    check(out.returncode == 0 and len(replies) == 4, f"--batch with bad lines: exit {out.returncode}, {out.stdout!r}")
    if len(replies) == 4:
        check(replies[0]["ok"] and close(replies[0]["result"]["molecular_weight"], 46.069, 1e-9), f"--batch line 1: {replies[0]}")
        check(not replies[1]["ok"] and replies[1]["error"].startswith("malformed JSON in ") and "line 2" in replies[1]["error"],
              f"--batch line 2: {replies[1]}")
        check(not replies[2]["ok"] and "line 4" in replies[2]["error"], f"--batch line 4: {replies[2]}")
        check(replies[3]["ok"] and replies[3]["result"]["value"] == 1024.0, f"--batch line 5: {replies[3]}")
    r = call("no_such_tool", {"smiles": "CCO"}, expect_ok=False)
    check(r["ok"] is False and r["error"].startswith("unknown tool 'no_such_tool' (available: "), f"unknown tool: {r}")
    out = subprocess.run([RETORT, "tools", "call", "molecular_weight", "--args", "{\"smiles\": "], capture_output=True,
                         text=True, timeout=60)
    reply = json.loads(out.stdout)
    check(out.returncode == 0 and reply["ok"] is False and reply["error"].startswith("malformed JSON in --args"),
          f"malformed --args: {out.returncode} {out.stdout}")
    r = call("molecular_weight", {"smiles": "C1CC"}, expect_ok=False)
    check(r["ok"] is False and "does not parse" in r["error"], f"bad SMILES: {r}")
    r = call("calculator", {"expression": "2*12.011 + 6*1.008 + 15.999"})
    check(close(r["result"]["value"], 46.069, 1e-12), f"calculator: {r}")
    r = call("unit_convert", {"value": 500, "from": "nm", "to": "eV"})
    check(close(r["result"]["value"], 1239.84198 / 500, 1e-6), f"unit_convert: {r}")
    listing = subprocess.run([RETORT, "tools", "list"], capture_output=True, text=True, timeout=60)
    schemas = json.loads(listing.stdout)
    names = {s["function"]["name"] for s in schemas}
    check(all(s["type"] == "function" and set(s["function"]) == {"name", "description", "parameters"} for s in schemas),
          "tools list: every entry is {type: function, function: {name, description, parameters}}")
    for name in ("canonicalize_smiles", "molecular_weight", "molecular_formula", "functional_groups", "similarity",
                 "descriptors", "lipinski", "substructure_match", "murcko_scaffold", "conformer_3d", "safety_check",
                 "calculator", "unit_convert", "drug_lookup"):
        check(name in names, f"tools list lacks {name}")


def main():
    if not os.path.exists(RETORT):
        print(f"no {RETORT}: build the retort target first", file=sys.stderr)
        return 1
    prefetch(calls_to_prefetch())
    run_chemistry()
    run_functional_group_known_answers()
    run_conformer()
    run_safety()
    run_xtb_parity()
    run_cli_contract()
    for f in failures:
        print("FAIL:", f)
    print(f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
