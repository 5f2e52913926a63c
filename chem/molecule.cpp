// Molecule: parsing untrusted SMILES with RDKit (reasons captured from RDKit's log or exceptions) and
// the identity facts (canonical SMILES, formula, charge, rings, stereocentres, InChIKey).
#include "chem/molecule.h"

#include <GraphMol/Chirality.h>
#include <GraphMol/Descriptors/MolDescriptors.h>
#include <GraphMol/MolOps.h>
#include <GraphMol/MolStandardize/Fragment.h>
#include <GraphMol/MolStandardize/MolStandardize.h>
#include <GraphMol/RingInfo.h>
#include <GraphMol/SmilesParse/SmilesParse.h>
#include <GraphMol/SmilesParse/SmilesWrite.h>
#include <GraphMol/SanitException.h>
#include <openbabel/mol.h>
#include <openbabel/obconversion.h>
#include <openbabel/oberror.h>

#include <memory>
#include <mutex>

#include "chem/guard.h"
#include "chem/openbabel_lock.h"
#include "chem/rdkit_log.h"

namespace retort::chem {
namespace {

constexpr size_t kMaxSmilesLength = 20000;  // longer model output is rejected before RDKit sees it

// BYTE as "\\xNN".
std::string hex_byte(unsigned char byte) {
  static const char* hex = "0123456789ABCDEF";
  return std::string("\\x") + hex[byte >> 4] + hex[byte & 0xf];
}

// BYTE as text: itself when printable ASCII, else "\\xNN" (NUL, control bytes, invalid UTF-8 and
// other non-ASCII bytes would cut a message short, break a line or make JSON output throw).
std::string escaped_byte(unsigned char byte) {
  return byte >= 0x20 && byte < 0x7f ? std::string(1, static_cast<char>(byte)) : hex_byte(byte);
}

// The SMILES as it should appear inside a one-line message: at most 80 bytes shown, every byte that is
// not printable ASCII escaped as \xNN.
std::string shown_smiles(const std::string& smiles) {
  const bool cut = smiles.size() > 80;
  std::string shown;
  for (size_t i = 0; i < (cut ? 77 : smiles.size()); ++i) shown += escaped_byte(static_cast<unsigned char>(smiles[i]));
  return "'" + shown + (cut ? "..." : "") + "'";
}

constexpr const char* kEdgeWhitespace = " \t\r\n";

std::string trimmed(const std::string& s) {
  size_t b = s.find_first_not_of(kEdgeWhitespace);
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(kEdgeWhitespace);
  return s.substr(b, e - b + 1);
}

// Why SMILES (trimmed; its first byte is byte FIRST_POSITION of the input, 1-based) must not reach
// RDKit, or "" when every byte is printable ASCII. RDKit's parser reads only up to the first
// whitespace and takes the rest as the molecule's name ("CCO ethanol" is ethanol named "ethanol",
// "CCO\nCC" is ethanol), and drops non-printable and non-ASCII bytes at the end ("C\xff\xfe" and
// "C\x01" are methane; checked with Python RDKit 2022.09): all of it would be read silently as another
// molecule than the text shows, so none of it is accepted.
std::string unreadable_byte(const std::string& smiles, size_t first_position) {
  for (size_t i = 0; i < smiles.size(); ++i) {
    const auto byte = static_cast<unsigned char>(smiles[i]);
    if (byte > 0x20 && byte < 0x7f) continue;
    const std::string at = " at position " + std::to_string(first_position + i);
    if (byte == ' ' || byte == '\t' || byte == '\n' || byte == '\r' || byte == '\v' || byte == '\f')
      return (byte == ' ' ? std::string("a space") : "whitespace " + hex_byte(byte)) + at +
             " (RDKit reads the SMILES only up to whitespace; give the SMILES alone, without a name)";
    if (byte == 0) return "NUL byte \\x00" + at;
    if (byte < 0x80) return "control byte " + hex_byte(byte) + at;
    return "non-ASCII byte " + hex_byte(byte) + at + " (SMILES is ASCII)";
  }
  return "";
}

// Why MOL cannot be used although RDKit parsed it, or "": its canonical SMILES must parse again, and
// canonicalising that must settle. RDKit's sanitiser is lenient with aromatic input: "Co1o=C1" parses,
// but its canonical form "CO1C=O1" has a trivalent oxygen and does not (found by fuzzing; Python RDKit
// 2022.09 the same). Everything downstream (oracle cache, AL pool, verifiers, datasets) re-reads the
// canonical form, so such a molecule is rejected at the door. Following the canonical form to its
// fixed point means the canonical SMILES of any accepted molecule is itself accepted.
std::string canonical_round_trip_failure(const RDKit::ROMol& mol) {
  std::string current = RDKit::MolToSmiles(mol);
  for (int round = 0; round < 3; ++round) {
    std::unique_ptr<RDKit::ROMol> again;
    std::string reason;
    clear_rdkit_log();
    try {
      again.reset(RDKit::SmilesToMol(current));
    } catch (const std::exception& e) {
      reason = e.what();
    }
    if (!again) {
      if (reason.empty()) reason = take_rdkit_log();
      clear_rdkit_log();
      return "RDKit accepts it, but its canonical form " + shown_smiles(current) + " does not parse (" +
             (reason.empty() ? "syntax error" : reason) + "): an inconsistent structure";
    }
    std::string next = RDKit::MolToSmiles(*again);
    if (next == current) return "";
    current = std::move(next);
  }
  return "its canonical SMILES does not settle (RDKit writes another one every round)";
}

}  // namespace

std::optional<Molecule> Molecule::try_from_smiles(const std::string& smiles_in, std::string* error) {
  auto fail = [&](const std::string& why) -> std::optional<Molecule> {
    if (error) *error = "SMILES " + shown_smiles(smiles_in) + " does not parse: " + why;
    return std::nullopt;
  };
  std::string smiles = trimmed(smiles_in);
  if (smiles.empty()) return fail("empty string");
  if (smiles.size() > kMaxSmilesLength) return fail("longer than " + std::to_string(kMaxSmilesLength) + " characters");
  if (std::string why = unreadable_byte(smiles, smiles_in.find_first_not_of(kEdgeWhitespace) + 1); !why.empty())
    return fail(why);
  capture_rdkit_logs();
  clear_rdkit_log();
  RDKit::ROMol* raw = nullptr;
  try {
    raw = RDKit::SmilesToMol(smiles);
  } catch (const RDKit::MolSanitizeException& e) {
    clear_rdkit_log();
    return fail(e.what());
  } catch (const std::exception& e) {
    clear_rdkit_log();
    return fail(std::string("RDKit error: ") + e.what());
  } catch (...) {
    clear_rdkit_log();
    return fail("unknown RDKit error");
  }
  if (!raw) {
    std::string reason = take_rdkit_log();
    return fail(reason.empty() ? "syntax error" : reason);
  }
  clear_rdkit_log();  // warnings of a successful parse are not reported
  std::shared_ptr<RDKit::ROMol> mol(raw);
  try {
    if (std::string why = canonical_round_trip_failure(*mol); !why.empty()) return fail(why);
  } catch (const std::exception& e) {
    clear_rdkit_log();
    return fail(std::string("RDKit error writing its canonical SMILES: ") + e.what());
  }
  return Molecule(std::move(mol));
}

Molecule Molecule::from_smiles(const std::string& smiles) {
  std::string error;
  auto mol = try_from_smiles(smiles, &error);
  if (!mol) throw ChemError(error);
  return std::move(*mol);
}

std::string Molecule::canonical_smiles(bool isomeric) const {
  return guarded("canonical SMILES", *this, [&] { return RDKit::MolToSmiles(*mol_, isomeric); });
}

Molecule Molecule::largest_fragment() const {
  return guarded("largest fragment", *this, [&] {
    RDKit::MolStandardize::CleanupParameters params;
    params.largestFragmentChooserCountHeavyAtomsOnly = true;
    RDKit::MolStandardize::LargestFragmentChooser chooser(params);
    return Molecule(std::shared_ptr<RDKit::ROMol>(chooser.choose(*mol_)));
  });
}

std::string Molecule::formula() const {
  return guarded("formula", *this, [&] { return RDKit::Descriptors::calcMolFormula(*mol_); });
}

int Molecule::heavy_atoms() const { return static_cast<int>(mol_->getNumHeavyAtoms()); }

int Molecule::formal_charge() const { return RDKit::MolOps::getFormalCharge(*mol_); }

int Molecule::ring_count() const {
  return guarded("ring count", *this, [&] { return static_cast<int>(RDKit::Descriptors::calcNumRings(*mol_)); });
}

int Molecule::aromatic_ring_count() const {
  return guarded("aromatic ring count", *this, [&] {
    return static_cast<int>(RDKit::Descriptors::calcNumAromaticRings(*mol_));
  });
}

int Molecule::stereocentres() const {
  return guarded("stereocentres", *this, [&] {
    // As Python's Chem.FindMolChiralCenters(mol, includeUnassigned=True) (legacy perception).
    RDKit::RWMol copy(*mol_);
    RDKit::MolOps::assignStereochemistry(copy, /*cleanIt=*/false, /*force=*/true, /*flagPossibleStereoCenters=*/true);
    int n = 0;
    for (const auto* atom : copy.atoms()) {
      if (atom->hasProp(RDKit::common_properties::_CIPCode) ||
          atom->hasProp(RDKit::common_properties::_ChiralityPossible)) {
        ++n;
      }
    }
    return n;
  });
}

std::string Molecule::inchikey() const {
  return guarded("InChIKey", *this, [&] {
    // Open Babel reads RDKit's Kekulé isomeric SMILES, so both agree on bonds, charges and stereo.
    std::string kekule = RDKit::MolToSmiles(*mol_, /*doIsomericSmiles=*/true, /*doKekule=*/true);
    std::lock_guard<std::mutex> lock(openbabel_mutex());
    OpenBabel::OBConversion conv;
    if (!conv.SetInAndOutFormats("smi", "inchikey")) throw ChemError("Open Babel has no inchikey format");
    OpenBabel::OBMol ob;
    if (!conv.ReadString(&ob, kekule)) throw ChemError("Open Babel cannot read SMILES " + shown_smiles(kekule));
    std::string key = trimmed(conv.WriteString(&ob));
    if (key.size() != 27) throw ChemError("Open Babel gave no InChIKey for " + shown_smiles(kekule));
    return key;
  });
}

}  // namespace retort::chem
