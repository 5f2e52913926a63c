// Synthetic accessibility score (Ertl & Schuffenhauer 2009) ported from RDKit Contrib
// SA_Score/sascorer.py: fragment scores from chem/data/sa_fragment_scores.bin (converted from
// fpscores.pkl.gz by scripts/convert_sa_scores.py) plus the size/stereo/spiro/bridge/macrocycle
// penalties and the fingerprint-density correction, in the same arithmetic order as Python.
#include <GraphMol/Descriptors/Lipinski.h>
#include <GraphMol/Fingerprints/MorganFingerprints.h>
#include <GraphMol/RingInfo.h>
#include <GraphMol/ROMol.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <utility>
#include <vector>

#include "chem/data_files.h"
#include "chem/descriptors.h"
#include "chem/guard.h"

namespace retort::chem {
namespace {

// (fragment id, score), sorted by id.
using FragmentScores = std::vector<std::pair<uint32_t, double>>;

FragmentScores load_fragment_scores() {
  const std::string path = chem_data_file("sa_fragment_scores.bin");
  std::ifstream in(path, std::ios::binary);
  std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t pos = 0;
  auto need = [&](size_t n) {
    if (pos + n > bytes.size()) throw ChemError(path + ": truncated at byte " + std::to_string(pos));
  };
  need(8);
  if (std::memcmp(bytes.data(), "RTSAFS01", 8) != 0) throw ChemError(path + ": not an SA fragment-score file");
  pos = 8;
  auto u32 = [&] {
    need(4);
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(bytes[pos + i]) << (8 * i);
    pos += 4;
    return v;
  };
  auto f64 = [&] {
    need(8);
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(bytes[pos + i]) << (8 * i);
    pos += 8;
    double d;
    std::memcpy(&d, &v, sizeof d);
    return d;
  };
  auto varint = [&] {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      need(1);
      unsigned char b = bytes[pos++];
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    throw ChemError(path + ": bad varint at byte " + std::to_string(pos));
  };
  FragmentScores scores;
  uint32_t groups = u32();
  for (uint32_t g = 0; g < groups; ++g) {
    double score = f64();
    uint32_t count = u32();
    uint64_t id = 0;
    for (uint32_t i = 0; i < count; ++i) {
      id += varint();
      if (id > 0xffffffffull) throw ChemError(path + ": fragment id out of range");
      scores.emplace_back(static_cast<uint32_t>(id), score);
    }
  }
  if (pos != bytes.size()) throw ChemError(path + ": trailing bytes");
  std::sort(scores.begin(), scores.end());
  return scores;
}

const FragmentScores& fragment_scores() {
  static const FragmentScores scores = load_fragment_scores();  // ~0.1 s, once per process
  return scores;
}

double fragment_score(uint32_t id) {
  const auto& s = fragment_scores();
  auto it = std::lower_bound(s.begin(), s.end(), std::make_pair(id, -1e300));
  return (it != s.end() && it->first == id) ? it->second : -4.0;  // _fscores.get(sfp, -4)
}

}  // namespace

double sa_score(const Molecule& molecule) {
  return guarded("SA score", molecule, [&] {
    const RDKit::ROMol& m = molecule.rdkit();
    // Fragment score: unhashed Morgan radius-2 counts (GetMorganFingerprint(m, 2)), ids in ascending order.
    std::unique_ptr<RDKit::SparseIntVect<std::uint32_t>> fp(RDKit::MorganFingerprints::getFingerprint(m, 2));
    const auto& fps = fp->getNonzeroElements();
    double score1 = 0.;
    int nf = 0;
    for (const auto& [bit, v] : fps) {
      nf += v;
      score1 += fragment_score(bit) * v;
    }
    if (nf == 0) throw ChemError("SA score of a molecule with no atoms");
    score1 /= nf;

    // Features score.
    const int n_atoms = static_cast<int>(m.getNumAtoms());
    const int n_chiral = molecule.stereocentres();  // FindMolChiralCenters(m, includeUnassigned=True)
    const int n_bridgeheads = static_cast<int>(RDKit::Descriptors::calcNumBridgeheadAtoms(m));
    const int n_spiro = static_cast<int>(RDKit::Descriptors::calcNumSpiroAtoms(m));
    int n_macrocycles = 0;
    for (const auto& ring : m.getRingInfo()->atomRings()) {
      if (ring.size() > 8) ++n_macrocycles;
    }
    const double size_penalty = std::pow(static_cast<double>(n_atoms), 1.005) - n_atoms;
    const double stereo_penalty = std::log10(n_chiral + 1);
    const double spiro_penalty = std::log10(n_spiro + 1);
    const double bridge_penalty = std::log10(n_bridgeheads + 1);
    double macrocycle_penalty = 0.;
    if (n_macrocycles > 0) macrocycle_penalty = std::log10(2);
    const double score2 = 0. - size_penalty - stereo_penalty - spiro_penalty - bridge_penalty - macrocycle_penalty;

    // Fingerprint-density correction (sascorer 1.1).
    double score3 = 0.;
    const int n_fps = static_cast<int>(fps.size());
    if (n_atoms > n_fps) score3 = std::log(static_cast<double>(n_atoms) / n_fps) * .5;

    double sascore = score1 + score2 + score3;
    const double min = -4.0, max = 2.5;
    sascore = 11. - (sascore - min + 1) / (max - min) * 9.;
    if (sascore > 8.) sascore = 8. + std::log(sascore + 1. - 9.);
    if (sascore > 10.) {
      sascore = 10.0;
    } else if (sascore < 1.) {
      sascore = 1.0;
    }
    return sascore;
  });
}

}  // namespace retort::chem
