// QED (Bickerton et al. 2012) ported from Debian python3-rdkit 2022.09's rdkit/Chem/QED.py
// (version 1.1.0): the same SMARTS tables, ADS parameters, mean weights and property calculators.
#include <GraphMol/ChemTransforms/ChemTransforms.h>
#include <GraphMol/Descriptors/Crippen.h>
#include <GraphMol/Descriptors/Lipinski.h>
#include <GraphMol/Descriptors/MolDescriptors.h>
#include <GraphMol/Descriptors/MolSurf.h>
#include <GraphMol/MolOps.h>
#include <GraphMol/SmilesParse/SmilesParse.h>
#include <GraphMol/Substruct/SubstructMatch.h>

#include <GraphMol/QueryAtom.h>
#include <Query/EqualityQuery.h>

#include <array>
#include <bitset>
#include <cmath>
#include <memory>
#include <vector>

#include "chem/descriptors.h"
#include "chem/guard.h"
#include "chem/rdkit_log.h"

namespace retort::chem {
namespace {

const char* const kAcceptorSmarts[] = {
    "[oH0;X2]", "[OH1;X2;v2]", "[OH0;X2;v2]", "[OH0;X1;v2]", "[O-;X1]", "[SH0;X2;v2]",
    "[SH0;X1;v2]", "[S-;X1]", "[nH0;X2]", "[NH0;X1;v3]", "[$([N;+0;X3;v3]);!$(N[C,S]=O)]"};

const char* const kStructuralAlertSmarts[] = {
    "*1[O,S,N]*1", "[S,C](=[O,S])[F,Br,Cl,I]", "[CX4][Cl,Br,I]", "[#6]S(=O)(=O)O[#6]",
    "[$([CH]),$(CC)]#CC(=O)[#6]", "[$([CH]),$(CC)]#CC(=O)O[#6]", "n[OH]", "[$([CH]),$(CC)]#CS(=O)(=O)[#6]",
    "C=C(C=O)C=O", "n1c([F,Cl,Br,I])cccc1", "[CH1](=O)", "[#8][#8]", "[C;!R]=[N;!R]", "[N!R]=[N!R]",
    "[#6](=O)[#6](=O)", "[#16][#16]", "[#7][NH2]", "C(=O)N[NH2]", "[#6]=S",
    "[$([CH2]),$([CH][CX4]),$(C([CX4])[CX4])]=[$([CH2]),$([CH][CX4]),$(C([CX4])[CX4])]",
    "C1(=[O,N])C=CC(=[O,N])C=C1", "C1(=[O,N])C(=[O,N])C=CC=C1", "a21aa3a(aa1aaaa2)aaaa3",
    "a31a(a2a(aa1)aaaa2)aaaa3", "a1aa2a3a(a1)A=AA=A3=AA=A2", "c1cc([NH2])ccc1",
    "[Hg,Fe,As,Sb,Zn,Se,se,Te,B,Si,Na,Ca,Ge,Ag,Mg,K,Ba,Sr,Be,Ti,Mo,Mn,Ru,Pd,Ni,Cu,Au,Cd,"
    "Al,Ga,Sn,Rh,Tl,Bi,Nb,Li,Pb,Hf,Ho]",
    "I", "OS(=O)(=O)[O-]", "[N+](=O)[O-]", "C(=O)N[OH]", "C1NC(=O)NC(=O)1", "[SH]", "[S-]",
    "c1ccc([Cl,Br,I,F])c([Cl,Br,I,F])c1[Cl,Br,I,F]", "c1cc([Cl,Br,I,F])cc([Cl,Br,I,F])c1[Cl,Br,I,F]",
    "[CR1]1[CR1][CR1][CR1][CR1][CR1][CR1]1", "[CR1]1[CR1][CR1]cc[CR1][CR1]1",
    "[CR2]1[CR2][CR2][CR2][CR2][CR2][CR2][CR2]1", "[CR2]1[CR2][CR2]cc[CR2][CR2][CR2]1",
    "[CH2R2]1N[CH2R2][CH2R2][CH2R2][CH2R2][CH2R2]1", "[CH2R2]1N[CH2R2][CH2R2][CH2R2][CH2R2][CH2R2][CH2R2]1",
    "C#C", "[OR2,NR2]@[CR2]@[CR2]@[OR2,NR2]@[CR2]@[CR2]@[OR2,NR2]", "[$([N+R]),$([n+R]),$([N+]=C)][O-]",
    "[#6]=N[OH]", "[#6]=NOC=O", "[#6](=O)[CX4,CR0X3,O][#6](=O)", "c1ccc2c(c1)ccc(=O)o2", "[O+,o+,S+,s+]",
    "N=C=O", "[NX3,NX4][F,Cl,Br,I]", "c1ccccc1OC(=O)[#6]", "[CR0]=[CR0][CR0]=[CR0]", "[C+,c+,C-,c-]",
    "N=[N+]=[N-]", "C12C(NC(N1)=O)CSC2", "c1c([OH])c([OH,NH2,NH])ccc1", "P", "[N,O,S]C#N", "C=C=O",
    "[Si][F,Cl,Br,I]", "[SX2]O", "[SiR0,CR0](c1ccccc1)(c2ccccc2)(c3ccccc3)", "O1CCCCC1OC2CCC3CCCCC3C2",
    "N=[CR0][N,n,O,S]",
    "[cR2]1[cR2][cR2]([Nv3X3,Nv4X4])[cR2][cR2][cR2]1[cR2]2[cR2][cR2][cR2]([Nv3X3,Nv4X4])[cR2][cR2]2",
    "C=[C!r]C#N", "[cR2]1[cR2]c([N+0X3R0,nX3R0])c([N+0X3R0,nX3R0])[cR2][cR2]1",
    "[cR2]1[cR2]c([N+0X3R0,nX3R0])[cR2]c([N+0X3R0,nX3R0])[cR2]1",
    "[cR2]1[cR2]c([N+0X3R0,nX3R0])[cR2][cR2]c1([N+0X3R0,nX3R0])", "[OH]c1ccc([OH,NH2,NH])cc1",
    "c1ccccc1OC(=O)O", "[SX2H0][N]", "c12ccccc1(SC(S)=N2)", "c12ccccc1(SC(=S)N2)", "c1nnnn1C=O",
    "s1c(S)nnc1NC=O", "S1C=CSC1=S", "C(=O)Onnn", "OS(=O)(=O)C(F)(F)F", "N#CC[OH]", "N#CC(=O)",
    "S(=O)(=O)C#N", "N[CH2]C#N", "C1(=O)NCC1", "S(=O)(=O)[O-,OH]", "NC[F,Cl,Br,I]", "C=[C!r]O",
    "[NX2+0]=[O+0]", "[OR0,NR0][OR0,NR0]", "C(=O)O[C,H1].C(=O)O[C,H1].C(=O)O[C,H1]", "[CX2R0][NX3R0]",
    "c1ccccc1[C;!R]=[C;!R]c2ccccc2", "[NX3R0,NX4R0,OR0,SX2R0][CX4][NX3R0,NX4R0,OR0,SX2R0]",
    "[s,S,c,C,n,N,o,O]~[n+,N+](~[s,S,c,C,n,N,o,O])(~[s,S,c,C,n,N,o,O])~[s,S,c,C,n,N,o,O]",
    "[s,S,c,C,n,N,o,O]~[nX3+,NX3+](~[s,S,c,C,n,N])~[s,S,c,C,n,N]", "[*]=[N+]=[*]", "[SX3](=O)[O-,OH]",
    "N#N", "F.F.F.F", "[R0;D2][R0;D2][R0;D2][R0;D2]", "[cR,CR]~C(=O)NC(=O)~[cR,CR]", "C=!@CC=[O,S]",
    "[#6,#8,#16][#6](=O)O[#6]", "c[C;R0](=[O,S])[#6]", "c[SX2][C;!R]", "C=C=C", "c1nc([F,Cl,Br,I,S])ncc1",
    "c1ncnc([F,Cl,Br,I,S])c1", "c1nc(c2c(n1)nc(n2)[F,Cl,Br,I])", "[#6]S(=O)(=O)c1ccc(cc1)F", "[15N]",
    "[13C]", "[18O]", "[34S]"};

struct Ads {
  double a, b, c, d, e, f, dmax;
};

// Order: MW, ALOGP, HBA, HBD, PSA, ROTB, AROM, ALERTS (QEDproperties).
constexpr std::array<Ads, 8> kAds = {{
    {2.817065973, 392.5754953, 290.7489764, 2.419764353, 49.22325677, 65.37051707, 104.9805561},
    {3.172690585, 137.8624751, 2.534937431, 4.581497897, 0.822739154, 0.576295591, 131.3186604},
    {2.948620388, 160.4605972, 3.615294657, 4.435986202, 0.290141953, 1.300669958, 148.7763046},
    {1.618662227, 1010.051101, 0.985094388, 0.000000001, 0.713820843, 0.920922555, 258.1632616},
    {1.876861559, 125.2232657, 62.90773554, 87.83366614, 12.01999824, 28.51324732, 104.5686167},
    {0.010000000, 272.4121427, 2.558379970, 1.565547684, 1.271567166, 2.758063707, 105.4420403},
    {3.217788970, 957.7374108, 2.274627939, 0.000000001, 1.317690384, 0.375760881, 312.3372610},
    {0.010000000, 1199.094025, -0.09002883, 0.000000001, 0.185904477, 0.875193782, 417.7253140},
}};
constexpr std::array<double, 8> kWeightMean = {0.66, 0.46, 0.05, 0.61, 0.06, 0.65, 0.48, 0.95};

double ads(double x, const Ads& p) {
  double exp1 = 1 + std::exp(-1 * (x - p.c + p.d / 2) / p.e);
  double exp2 = 1 + std::exp(-1 * (x - p.c - p.d / 2) / p.f);
  double dx = p.a + p.b / exp1 * (1 - 1 / exp2);
  return dx / p.dmax;
}

using QueryList = std::vector<std::unique_ptr<RDKit::ROMol>>;

QueryList compile(const char* const* begin, const char* const* end) {
  capture_rdkit_logs();
  QueryList out;
  for (auto it = begin; it != end; ++it) {
    out.emplace_back(RDKit::SmartsToMol(*it));
    if (!out.back()) throw ChemError(std::string("QED: SMARTS '") + *it + "' does not parse");
  }
  return out;
}

// Elements (atomic numbers 0..127) an atom may have; all set = unknown / any.
using ElementSet = std::bitset<128>;

// A superset of the elements a SMARTS atom query can match: element tests give their element, AND
// keeps the intersection of what its known children allow, OR the union; anything else (negations,
// charges, ring tests, recursion, ...) allows every element. Used only to skip alerts that cannot
// match, so it must never be too small.
ElementSet possible_elements(const RDKit::QueryAtom::QUERYATOM_QUERY* q) {
  ElementSet any;
  any.set();
  if (!q || q->getNegation()) return any;
  const std::string& what = q->getDescription();
  if (what == "AtomAtomicNum" || what == "AtomType") {
    auto eq = dynamic_cast<const Queries::EqualityQuery<int, RDKit::Atom const*, true>*>(q);
    if (!eq) return any;
    int val = eq->getVal();
    int element = what == "AtomType" && val > 1000 ? val - 1000 : val;  // QueryOps makeAtomType
    if (element < 0 || element >= 128) return any;
    ElementSet one;
    one.set(static_cast<size_t>(element));
    return one;
  }
  if (what == "AtomAnd") {
    ElementSet out = any;
    for (auto it = q->beginChildren(); it != q->endChildren(); ++it) out &= possible_elements(it->get());
    return out;
  }
  if (what == "AtomOr") {
    ElementSet out;
    for (auto it = q->beginChildren(); it != q->endChildren(); ++it) out |= possible_elements(it->get());
    return out;
  }
  return any;
}

struct Alert {
  std::unique_ptr<RDKit::ROMol> query;
  std::vector<ElementSet> atom_elements;  // per query atom
};

std::vector<Alert> compile_alerts() {
  std::vector<Alert> alerts;
  for (auto& q : compile(std::begin(kStructuralAlertSmarts), std::end(kStructuralAlertSmarts))) {
    Alert a;
    for (const auto* atom : q->atoms()) {
      ElementSet e;
      if (atom->hasQuery()) {
        e = possible_elements(static_cast<const RDKit::QueryAtom*>(atom)->getQuery());
      } else {
        e.set(static_cast<size_t>(atom->getAtomicNum()) % 128);
      }
      a.atom_elements.push_back(e);
    }
    a.query = std::move(q);
    alerts.push_back(std::move(a));
  }
  return alerts;
}

struct QedPatterns {
  QueryList acceptors = compile(std::begin(kAcceptorSmarts), std::end(kAcceptorSmarts));
  std::vector<Alert> alerts = compile_alerts();
  std::unique_ptr<RDKit::ROMol> aliphatic_rings{RDKit::SmartsToMol("[$([A;R][!a])]")};
};

const QedPatterns& patterns() {
  static const QedPatterns p;  // thread-safe initialisation; matching against const queries is read-only
  return p;
}

}  // namespace

double qed(const Molecule& molecule) {
  return guarded("QED", molecule, [&] {
    const QedPatterns& pat = patterns();
    // Chem.RemoveHs. Without explicit hydrogen atoms (any molecule parsed from SMILES without [H]) it
    // changes nothing, so the molecule itself is used: no copy, and Crippen/TPSA values RDKit cached on
    // it (e.g. by compute_descriptors or logp()) are reused.
    const RDKit::ROMol& original = molecule.rdkit();
    bool has_h_atoms = false;
    for (const auto* atom : original.atoms()) has_h_atoms |= atom->getAtomicNum() == 1;
    std::unique_ptr<RDKit::ROMol> without_h;
    if (has_h_atoms) without_h.reset(RDKit::MolOps::removeHs(original));
    const RDKit::ROMol* mol = has_h_atoms ? without_h.get() : &original;

    std::array<double, 8> props{};
    props[0] = RDKit::Descriptors::calcAMW(*mol);  // rdmd._CalcMolWt
    props[1] = RDKit::Descriptors::calcClogP(*mol);  // Crippen.MolLogP
    int hba = 0;
    for (const auto& q : pat.acceptors) {
      std::vector<RDKit::MatchVectType> matches;
      hba += static_cast<int>(RDKit::SubstructMatch(*mol, *q, matches));  // uniquify=True, as GetSubstructMatches
    }
    props[2] = hba;
    props[3] = RDKit::Descriptors::calcNumHBD(*mol);
    props[4] = RDKit::Descriptors::calcTPSA(*mol);  // MolSurf.TPSA
    props[5] = RDKit::Descriptors::calcNumRotatableBonds(*mol, RDKit::Descriptors::Strict);
    {
      std::unique_ptr<RDKit::ROMol> stripped(RDKit::deleteSubstructs(*mol, *pat.aliphatic_rings));
      RDKit::VECT_INT_VECT rings;
      RDKit::MolOps::findSSSR(*stripped, rings);  // len(Chem.GetSSSR(...))
      props[6] = static_cast<double>(rings.size());
    }
    // Alerts: an alert needing an element the molecule lacks cannot match; skip its search.
    ElementSet present;
    for (const auto* atom : mol->atoms()) present.set(static_cast<size_t>(atom->getAtomicNum()) % 128);
    int alerts = 0;
    for (const auto& alert : pat.alerts) {
      bool possible = true;
      for (const auto& e : alert.atom_elements) possible = possible && (e & present).any();
      if (!possible) continue;
      RDKit::MatchVectType match;
      alerts += RDKit::SubstructMatch(*mol, *alert.query, match) ? 1 : 0;
    }
    props[7] = alerts;

    double t = 0, wsum = 0;
    for (size_t i = 0; i < props.size(); ++i) {
      t += kWeightMean[i] * std::log(ads(props[i], kAds[i]));
      wsum += kWeightMean[i];
    }
    return std::exp(t / wsum);
  });
}

}  // namespace retort::chem
