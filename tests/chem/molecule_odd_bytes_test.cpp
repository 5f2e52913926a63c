// SMILES with bytes RDKit reads silently as part of a string (whitespace inside, control bytes, NUL,
// non-ASCII): Python RDKit shows what it would make of them (another molecule than the text, without a
// word), and Molecule::try_from_smiles rejects each with a one-line message naming the byte (escaped)
// and its 1-based position. Whitespace at either end stays allowed.
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "chem/molecule.h"
#include "tests/support/run_command.h"

using namespace retort::chem;

namespace {

std::string hex_of(const std::string& bytes) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) out += std::string{hex[b >> 4], hex[b & 0xf]};
  return out;
}

std::string error_of(const std::string& smiles) {
  std::string error;
  auto mol = Molecule::try_from_smiles(smiles, &error);
  return mol ? "(parsed: " + mol->canonical_smiles() + ")" : error;
}

bool printable_ascii(const std::string& text) {
  for (unsigned char b : text)
    if (b < 0x20 || b >= 0x7f) return false;
  return true;
}

}  // namespace

// The inputs RDKit reads as part of the text (Python RDKit 2022.09, the same library): what it reads
// instead, and retort's reason for refusing.
TEST(MoleculeOddBytes, WhatRdkitReadsSilentlyIsRejectedWithTheByteAndPosition) {
  struct Case {
    std::string smiles, rdkit_reads, why;
  };
  const std::vector<Case> cases = {
      {"CCO ethanol", "CCO", "a space at position 4"},       // RDKit's "SMILES name" form
      {"C C", "C", "a space at position 2"},                 // methane named "C", not ethane
      {"CCO |$;;$|", "CCO", "a space at position 4"},        // CXSMILES extension
      {"CCO\tethanol", "CCO", "whitespace \\x09 at position 4"},
      {"CCO\nCC", "CCO", "whitespace \\x0A at position 4"},  // the second line is dropped
      {"C\x01", "C", "control byte \\x01 at position 2"},
      {"C\x1b", "C", "control byte \\x1B at position 2"},
      {"C\xc3\xa9", "C", "non-ASCII byte \\xC3 at position 2 (SMILES is ASCII)"},  // "Cé"
  };
  std::string args;
  for (const auto& c : cases) args += " " + hex_of(c.smiles);
  auto python = retort::testing::run_command("/usr/bin/python3 '" + std::string(RETORT_SOURCE_DIR) +
                                             "/tests/chem/data/rdkit_reads_of_odd_bytes.py'" + args);
  ASSERT_EQ(python.status, 0) << python.output;
  std::map<std::string, std::string> rdkit;  // hex -> what RDKit reads
  std::istringstream lines(python.output);
  for (std::string hex, read; lines >> hex >> read;) rdkit[hex] = read;
  for (const auto& c : cases) {
    SCOPED_TRACE(hex_of(c.smiles));
    EXPECT_EQ(rdkit[hex_of(c.smiles)], c.rdkit_reads) << "Python RDKit reads it otherwise now";
    const std::string error = error_of(c.smiles);
    EXPECT_NE(error.find(" does not parse: " + c.why), std::string::npos) << error;
    EXPECT_TRUE(printable_ascii(error)) << error;
  }
  // The whitespace message says what to do.
  EXPECT_NE(error_of("CCO ethanol").find("give the SMILES alone"), std::string::npos);
}

TEST(MoleculeOddBytes, MessagesEscapeTheBytesTheyQuote) {
  EXPECT_EQ(error_of("C\xff\xfe"), "SMILES 'C\\xFF\\xFE' does not parse: non-ASCII byte \\xFF at position 2 (SMILES is ASCII)");
  EXPECT_EQ(error_of(std::string("C\0C", 3)), "SMILES 'C\\x00C' does not parse: NUL byte \\x00 at position 2");
  EXPECT_EQ(error_of("C\x7f"), "SMILES 'C\\x7F' does not parse: control byte \\x7F at position 2");
  // Positions count from the input's first byte, leading whitespace included.
  EXPECT_EQ(error_of("  C\xff"), "SMILES '  C\\xFF' does not parse: non-ASCII byte \\xFF at position 4 (SMILES is ASCII)");
  // A long SMILES is cut to 77 bytes in the message, each escaped; the position is the real one.
  const std::string long_smiles = std::string(100, 'C') + "\xff";
  const std::string error = error_of(long_smiles);
  EXPECT_EQ(error, "SMILES '" + std::string(77, 'C') + "...' does not parse: non-ASCII byte \\xFF at position 101 (SMILES is ASCII)");
  // from_smiles throws the same one line.
  try {
    Molecule::from_smiles("CC\x02O");
    ADD_FAILURE() << "no error";
  } catch (const ChemError& e) {
    EXPECT_STREQ(e.what(), "SMILES 'CC\\x02O' does not parse: control byte \\x02 at position 3");
  }
}

TEST(MoleculeOddBytes, WhitespaceAtEitherEndIsStillTrimmed) {
  for (const std::string smiles : {"CCO", " CCO", "CCO ", "\tCCO\r\n", "\n CCO \n"}) {
    std::string error;
    auto mol = Molecule::try_from_smiles(smiles, &error);
    ASSERT_TRUE(mol.has_value()) << hex_of(smiles) << ": " << error;
    EXPECT_EQ(mol->canonical_smiles(), "CCO");
  }
  // Every printable ASCII byte still reaches RDKit: a syntax error is RDKit's, not ours.
  const std::string error = error_of("C|");
  EXPECT_EQ(error.find(" at position "), std::string::npos) << error;
  EXPECT_NE(error.find("SMILES 'C|' does not parse: "), std::string::npos) << error;
}
