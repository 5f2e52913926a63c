// Untrusted input: thousands of mutated ZINC SMILES (deterministic) go through every chem entry point;
// each either works or throws ChemError with a one-line message. Never a crash or a foreign exception.
#include <gtest/gtest.h>

#include <random>

#include "chem/conformer.h"
#include "chem/descriptors.h"
#include "chem/functional_groups.h"
#include "chem/image.h"
#include "chem/structure.h"
#include "molecule_rdkit_reference.h"

using namespace retort::chem;

namespace {

const std::string kAlphabet = "CNOSPFIBrcl()[]=#@+-123456789%/\\\\.Hon*:$ ";

std::string mutate(std::string s, std::mt19937& rng) {
  std::uniform_int_distribution<int> op(0, 3), pick(0, static_cast<int>(kAlphabet.size()) - 1);
  int edits = 1 + static_cast<int>(rng() % 3);
  for (int e = 0; e < edits && !s.empty(); ++e) {
    size_t pos = rng() % s.size();
    switch (op(rng)) {
      case 0: s.erase(pos, 1); break;
      case 1: s.insert(pos, 1, kAlphabet[pick(rng)]); break;
      case 2: s[pos] = kAlphabet[pick(rng)]; break;
      default: s = s.substr(0, pos) + s.substr(pos, 4) + s.substr(pos); break;  // duplicate a piece
    }
  }
  return s;
}

// Runs F; passes when it returns or throws ChemError with a one-line message.
template <typename F>
void only_chem_errors(const std::string& what, const std::string& smiles, F&& f) {
  try {
    f();
  } catch (const ChemError& e) {
    std::string msg = e.what();
    EXPECT_EQ(msg.find('\n'), std::string::npos) << what << " " << smiles << ": " << msg;
  } catch (const std::exception& e) {
    ADD_FAILURE() << what << " on '" << smiles << "' threw a non-ChemError: " << e.what();
  } catch (...) {
    ADD_FAILURE() << what << " on '" << smiles << "' threw a non-exception";
  }
}

}  // namespace

TEST(MoleculeUntrustedInput, MutatedZincSmilesThroughEveryEntryPoint) {
  auto zinc = retort::chem::testing::read_smiles(retort::chem::testing::zinc_1000_path());
  ASSERT_EQ(zinc.size(), 1000u);
  std::mt19937 rng(20261128);
  int parsed = 0, rejected = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string s = mutate(zinc[rng() % zinc.size()], rng);
    std::string err;
    auto m = Molecule::try_from_smiles(s, &err);
    if (!m) {
      ++rejected;
      EXPECT_NE(err.find("does not parse"), std::string::npos) << s;
      EXPECT_EQ(err.find('\n'), std::string::npos) << s;
      continue;
    }
    ++parsed;
    // An accepted molecule's canonical SMILES is accepted too, and is its own canonical form.
    const std::string canonical = m->canonical_smiles();
    auto again = Molecule::try_from_smiles(canonical, &err);
    EXPECT_TRUE(again.has_value()) << s << " -> " << canonical << ": " << err;
    if (again) EXPECT_EQ(again->canonical_smiles(), canonical) << s;
    only_chem_errors("identity", s, [&] {
      m->canonical_smiles();
      m->canonical_smiles(false);
      m->formula();
      m->largest_fragment();
      m->stereocentres();
      m->ring_count();
    });
    only_chem_errors("descriptors", s, [&] { compute_descriptors(*m); });
    only_chem_errors("structure", s, [&] {
      morgan_fingerprint(*m);
      murcko_scaffold(*m);
    });
    only_chem_errors("functional_groups", s, [&] { functional_groups(*m); });
    if (i % 20 == 0) {
      only_chem_errors("inchikey", s, [&] { m->inchikey(); });
      only_chem_errors("render", s, [&] { render_image(*m, 64, 64); });
    }
    if (i % 100 == 0) {
      only_chem_errors("conformer", s, [&] { conformer_xyz(*m, ConformerMethod::rdkit_etkdg); });
    }
  }
  std::printf("mutated SMILES: %d parsed, %d rejected with a reason\n", parsed, rejected);
  EXPECT_GT(parsed, 150);
  EXPECT_GT(rejected, 300);
}

TEST(MoleculeUntrustedInput, InconsistentInputIsRejectedBeforeLaterStepsFail) {
  // RDKit parses this, but re-sanitising its Murcko scaffold or its own canonical SMILES finds a
  // 5-valent carbon (found by the mutation test above: the scaffold used to fail, with ChemError).
  // The parse now rejects it, naming the canonical form that does not read back.
  std::string err;
  EXPECT_FALSE(Molecule::try_from_smiles("CCc1nc(CC(=O)NC(C)c2ccc(C)#2)cs1", &err));
  EXPECT_NE(err.find("its canonical form 'CCc1nc(CC(=O)NC(C)C2#C(C)C=C2)cs1' does not parse (Explicit valence "
                     "for atom # 11 C, 5, is greater than permitted)"),
            std::string::npos)
      << err;
}
