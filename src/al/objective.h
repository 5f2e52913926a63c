// What an active-learning run maximises (issue 9 item 3), as a score of one molecule's properties:
//   fosc:     f_osc of the lowest excitation (oracle);
//   nir:      lowest excitation at >= 1000 nm with f_osc > 0.1 (oracle):
//             score = min(wl / 1000, 1) * min(f / 0.1, 1) (+ f when both hold), 1 + f when satisfied;
//   druglike: QED * (10 - SA) / 9 (RDKit QED and Ertl-Schuffenhauer SA score; no oracle).
// Torch-free.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace retort::al {

enum class ObjectiveKind { fosc, nir, druglike };
ObjectiveKind parse_objective(const std::string& name);  // throws ConfigError naming the choices
const char* objective_name(ObjectiveKind kind);
bool objective_needs_oracle(ObjectiveKind kind);

// The properties each molecule carries (names used in conditions, the pool and the CSV).
// Oracle objectives: "f_osc", "wavelength"; druglike: "qed", "sa".
std::vector<std::string> objective_properties(ObjectiveKind kind);

using Properties = std::map<std::string, double>;

// The score of PROPS under KIND; nullopt when a needed property is missing.
std::optional<double> objective_score(ObjectiveKind kind, const Properties& props);

// QED and SA of a SMILES (druglike properties); nullopt when it does not parse.
std::optional<Properties> druglike_properties(const std::string& smiles);

}  // namespace retort::al
