// Non-canonical SMILES of the same molecule (the same graph written from other start atoms), for
// augmenting the generator's pretraining corpus: the model sees each molecule spelled several ways
// and has to learn SMILES syntax (ring bonds, branches) rather than memorise one string per molecule.
// Torch-free.
#pragma once
#include <random>
#include <string>
#include <vector>

namespace retort::al {

// The SMILES RDKit writes for SMILES's molecule rooted at atom ROOT (RDKit's canonical atom ranks,
// starting at ROOT; MolToSmiles(mol, rootedAtAtom=ROOT) in Python). Empty when SMILES does not parse
// or ROOT is not an atom index.
std::string smiles_rooted_at(const std::string& smiles, int root);

// Up to COUNT distinct SMILES of SMILES's molecule, each rooted at a different atom drawn from RNG,
// none equal to SMILES itself. Empty when SMILES does not parse.
std::vector<std::string> smiles_variants(const std::string& smiles, int count, std::mt19937_64& rng);

}  // namespace retort::al
