// Objective scores of molecules (objective.h).
#include "al/objective.h"

#include <algorithm>

#include "chem/descriptors.h"
#include "chem/molecule.h"
#include "core/errors.h"

namespace retort::al {

ObjectiveKind parse_objective(const std::string& name) {
  if (name == "fosc") return ObjectiveKind::fosc;
  if (name == "nir") return ObjectiveKind::nir;
  if (name == "druglike") return ObjectiveKind::druglike;
  throw ConfigError("objective: unknown '" + name + "' (choices: fosc, nir, druglike)");
}

const char* objective_name(ObjectiveKind kind) {
  switch (kind) {
    case ObjectiveKind::fosc: return "fosc";
    case ObjectiveKind::nir: return "nir";
    case ObjectiveKind::druglike: return "druglike";
  }
  return "?";
}

bool objective_needs_oracle(ObjectiveKind kind) { return kind != ObjectiveKind::druglike; }

std::vector<std::string> objective_properties(ObjectiveKind kind) {
  if (kind == ObjectiveKind::druglike) return {"qed", "sa"};
  return {"f_osc", "wavelength"};
}

std::optional<double> objective_score(ObjectiveKind kind, const Properties& props) {
  auto get = [&](const char* name) -> std::optional<double> {
    auto it = props.find(name);
    if (it == props.end()) return std::nullopt;
    return it->second;
  };
  switch (kind) {
    case ObjectiveKind::fosc:
      return get("f_osc");
    case ObjectiveKind::nir: {
      auto f = get("f_osc"), wl = get("wavelength");
      if (!f || !wl) return std::nullopt;
      double s = std::min(std::max(*wl, 0.0) / 1000.0, 1.0) * std::min(std::max(*f, 0.0) / 0.1, 1.0);
      if (*wl >= 1000.0 && *f > 0.1) s += *f;
      return s;
    }
    case ObjectiveKind::druglike: {
      auto q = get("qed"), sa = get("sa");
      if (!q || !sa) return std::nullopt;
      return *q * (10.0 - *sa) / 9.0;
    }
  }
  return std::nullopt;
}

std::optional<Properties> druglike_properties(const std::string& smiles) {
  auto mol = chem::Molecule::try_from_smiles(smiles);
  if (!mol) return std::nullopt;
  return Properties{{"qed", chem::qed(*mol)}, {"sa", chem::sa_score(*mol)}};
}

}  // namespace retort::al
