// Captures RDKit's log text per thread, so a parse failure can report RDKit's own reason
// ("unclosed ring", "syntax error while parsing") instead of a bare null pointer.
#pragma once
#include <string>

namespace retort::chem {

// Routes RDKit's error and warning logs into a per-thread buffer instead of stderr (idempotent,
// thread-safe). Every chem entry point that parses calls it; call it yourself before using RDKit
// directly if you want RDKit quiet. Do not call RDLog::InitLogs() afterwards: it would undo this.
void capture_rdkit_logs();
// Clears this thread's captured log text.
void clear_rdkit_log();
// This thread's captured log lines since the last clear, tidied (timestamps, "SMILES Parse Error: "
// prefixes, "for input: ..." tails, "Failed parsing" lines and repeats removed), joined by "; ".
// Clears the buffer.
std::string take_rdkit_log();

}  // namespace retort::chem
