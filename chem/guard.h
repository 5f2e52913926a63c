// Every chem entry point runs its RDKit / Open Babel work through guarded(): whatever those libraries
// throw (valence errors while re-sanitising a fragment, invariant violations, ...) becomes a one-line
// ChemError naming the operation and the molecule, so callers only ever see ChemError.
#pragma once
#include <exception>
#include <string>

#include "chem/molecule.h"

namespace retort::chem {

// Non-canonical SMILES of MOL for messages (never throws; shortened to 80 characters).
std::string smiles_for_message(const Molecule& mol);
// "OPERATION of 'SMILES' failed: WHAT" on one line.
std::string failure_message(const char* operation, const Molecule& mol, const char* what);

template <typename F>
auto guarded(const char* operation, const Molecule& mol, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const ChemError&) {
    throw;
  } catch (const std::exception& e) {
    throw ChemError(failure_message(operation, mol, e.what()));
  } catch (...) {
    throw ChemError(failure_message(operation, mol, "unknown error"));
  }
}

}  // namespace retort::chem
