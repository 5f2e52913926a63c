// 3D conformers: Open Babel (OBBuilder fragments + MMFF94 conjugate gradients, UFF when MMFF94 has no
// parameters) or RDKit ETKDGv3 (+ MMFF94/UFF relaxation); written as XYZ text with every hydrogen.
#include "chem/conformer.h"

#include <GraphMol/DistGeomHelpers/Embedder.h>
#include <GraphMol/ForceFieldHelpers/MMFF/AtomTyper.h>
#include <GraphMol/ForceFieldHelpers/MMFF/MMFF.h>
#include <GraphMol/ForceFieldHelpers/UFF/UFF.h>
#include <GraphMol/MolOps.h>
#include <GraphMol/PeriodicTable.h>
#include <GraphMol/SmilesParse/SmilesWrite.h>
#include <openbabel/atom.h>
#include <openbabel/builder.h>
#include <openbabel/elements.h>
#include <openbabel/forcefield.h>
#include <openbabel/mol.h>
#include <openbabel/obconversion.h>
#include <openbabel/obiter.h>

#include <dlfcn.h>

#include <cmath>
#include <cstdio>
#include <memory>
#include <mutex>

#include "chem/openbabel_lock.h"

namespace retort::chem {
namespace {

constexpr int kForceFieldSteps = 500;

// Debian's Open Babel runs its force fields with OpenMP; on a busy machine the spinning team makes a
// 0.2 s optimisation take 10 s. One OpenMP thread for this thread's parallel regions while Open Babel
// runs (libgomp comes with libopenbabel; looked up at run time so retort need not link OpenMP).
class SingleOpenMpThread {
 public:
  SingleOpenMpThread() {
    set_ = reinterpret_cast<void (*)(int)>(dlsym(RTLD_DEFAULT, "omp_set_num_threads"));
    auto get = reinterpret_cast<int (*)()>(dlsym(RTLD_DEFAULT, "omp_get_max_threads"));
    if (set_ && get) {
      previous_ = get();
      set_(1);
    }
  }
  ~SingleOpenMpThread() {
    if (set_ && previous_ > 0) set_(previous_);
  }
  SingleOpenMpThread(const SingleOpenMpThread&) = delete;
  SingleOpenMpThread& operator=(const SingleOpenMpThread&) = delete;

 private:
  void (*set_)(int) = nullptr;
  int previous_ = 0;
};

struct XyzAtom {
  std::string element;
  double x, y, z;
};

std::string to_xyz(const std::vector<XyzAtom>& atoms, const std::string& title) {
  std::string out = std::to_string(atoms.size()) + "\n" + title + "\n";
  char line[128];
  for (const auto& a : atoms) {
    if (!std::isfinite(a.x) || !std::isfinite(a.y) || !std::isfinite(a.z)) {
      throw ChemError("conformer for '" + title + "' has non-finite coordinates");
    }
    std::snprintf(line, sizeof line, "%-2s %14.6f %14.6f %14.6f\n", a.element.c_str(), a.x, a.y, a.z);
    out += line;
  }
  return out;
}

// True when every atom sits at the origin (OBBuilder's silent failure mode).
bool all_at_origin(const std::vector<XyzAtom>& atoms) {
  if (atoms.size() < 2) return false;
  for (const auto& a : atoms) {
    if (std::abs(a.x) + std::abs(a.y) + std::abs(a.z) > 1e-6) return false;
  }
  return true;
}

std::string openbabel_xyz(const Molecule& mol) {
  const std::string title = mol.canonical_smiles();
  // Kekulé isomeric SMILES: Open Babel and RDKit then agree on bond orders, charges and stereo.
  // The SMILES writer records which RDKit atom it wrote k-th; used below to give the XYZ the
  // Molecule's atom order (written from a copy: the writer stores that as a property).
  RDKit::ROMol copy(mol.rdkit());
  const std::string kekule = RDKit::MolToSmiles(copy, true, true);
  std::vector<unsigned int> written_order;
  copy.getPropIfPresent(RDKit::common_properties::_smilesAtomOutputOrder, written_order);
  std::lock_guard<std::mutex> lock(openbabel_mutex());
  SingleOpenMpThread one_thread;
  OpenBabel::OBConversion conv;
  if (!conv.SetInFormat("smi")) throw ChemError("Open Babel has no smi format");
  OpenBabel::OBMol ob;
  if (!conv.ReadString(&ob, kekule)) throw ChemError("Open Babel cannot read SMILES '" + kekule + "'");
  const unsigned n_smiles_atoms = ob.NumAtoms();
  ob.AddHydrogens();
  OpenBabel::OBBuilder builder;
  if (!builder.Build(ob, /*stereoWarnings=*/false)) throw ChemError("Open Babel OBBuilder failed for '" + title + "'");
  ob.SetDimension(3);

  bool optimised = false;
  for (const char* name : {"MMFF94", "UFF"}) {
    OpenBabel::OBForceField* prototype = OpenBabel::OBForceField::FindForceField(name);
    if (!prototype) continue;
    std::unique_ptr<OpenBabel::OBForceField> ff(prototype->MakeNewInstance());
    ff->SetLogLevel(OBFF_LOGLVL_NONE);
    if (!ff->Setup(ob)) continue;
    ff->ConjugateGradients(kForceFieldSteps);
    ff->GetCoordinates(ob);
    optimised = true;
    break;
  }
  if (!optimised) throw ChemError("neither MMFF94 nor UFF has parameters for '" + title + "'");

  auto xyz_atom = [](const OpenBabel::OBAtom* a) {
    return XyzAtom{OpenBabel::OBElements::GetSymbol(a->GetAtomicNum()), a->GetX(), a->GetY(), a->GetZ()};
  };
  std::vector<XyzAtom> atoms;
  atoms.reserve(ob.NumAtoms());
  // Open Babel atom (1-based) of each RDKit atom, when the SMILES round trip kept every atom.
  std::vector<unsigned> ob_of_rdkit(copy.getNumAtoms(), 0);
  bool mapped = written_order.size() == copy.getNumAtoms() && n_smiles_atoms == copy.getNumAtoms();
  for (unsigned k = 0; mapped && k < written_order.size(); ++k) {
    unsigned rd = written_order[k];
    const OpenBabel::OBAtom* a = ob.GetAtom(static_cast<int>(k) + 1);
    mapped = rd < ob_of_rdkit.size() && a && a->GetAtomicNum() == copy.getAtomWithIdx(rd)->getAtomicNum();
    if (mapped) ob_of_rdkit[rd] = k + 1;
  }
  if (mapped) {
    // RDKit's order (as MolOps::addHs): the molecule's atoms, then added hydrogens by parent atom.
    for (unsigned idx : ob_of_rdkit) atoms.push_back(xyz_atom(ob.GetAtom(static_cast<int>(idx))));
    for (unsigned idx : ob_of_rdkit) {
      FOR_NBORS_OF_ATOM(nb, ob.GetAtom(static_cast<int>(idx))) {
        if (nb->GetIdx() > n_smiles_atoms) atoms.push_back(xyz_atom(&*nb));
      }
    }
    if (atoms.size() != ob.NumAtoms()) mapped = false;
  }
  if (!mapped) {  // fall back to Open Babel's own order
    atoms.clear();
    FOR_ATOMS_OF_MOL(a, ob) atoms.push_back(xyz_atom(&*a));
  }
  if (all_at_origin(atoms)) throw ChemError("Open Babel produced no 3D coordinates for '" + title + "'");
  return to_xyz(atoms, title);
}

std::string rdkit_xyz(const Molecule& mol, unsigned seed) {
  const std::string title = mol.canonical_smiles();
  std::unique_ptr<RDKit::ROMol> with_h(RDKit::MolOps::addHs(mol.rdkit()));
  RDKit::DGeomHelpers::EmbedParameters params = RDKit::DGeomHelpers::ETKDGv3;
  params.randomSeed = static_cast<int>(seed & 0x7fffffff);
  params.numThreads = 1;
  int conf_id = RDKit::DGeomHelpers::EmbedMolecule(*with_h, params);
  if (conf_id < 0) {
    params.useRandomCoords = true;  // RDKit's own advice for hard cases
    conf_id = RDKit::DGeomHelpers::EmbedMolecule(*with_h, params);
  }
  if (conf_id < 0) throw ChemError("RDKit ETKDG could not embed '" + title + "'");
  RDKit::MMFF::MMFFMolProperties mmff(*with_h);
  if (mmff.isValid()) {
    RDKit::MMFF::MMFFOptimizeMolecule(*with_h, kForceFieldSteps);
  } else {
    RDKit::UFF::UFFOptimizeMolecule(*with_h, kForceFieldSteps);
  }
  const auto& conf = with_h->getConformer(conf_id);
  std::vector<XyzAtom> atoms;
  atoms.reserve(with_h->getNumAtoms());
  for (const auto* atom : with_h->atoms()) {
    const auto& p = conf.getAtomPos(atom->getIdx());
    atoms.push_back({atom->getSymbol(), p.x, p.y, p.z});
  }
  return to_xyz(atoms, title);
}

}  // namespace

std::string conformer_xyz(const Molecule& mol, ConformerMethod method, unsigned seed) {
  try {
    return method == ConformerMethod::rdkit_etkdg ? rdkit_xyz(mol, seed) : openbabel_xyz(mol);
  } catch (const ChemError&) {
    throw;
  } catch (const std::exception& e) {
    throw ChemError("conformer for '" + mol.canonical_smiles() + "' failed: " + e.what());
  }
}

}  // namespace retort::chem
