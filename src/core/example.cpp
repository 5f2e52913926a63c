// Example <-> JSON with field-level errors.
#include "core/example.h"

#include "core/errors.h"

namespace retort {

Example example_from_json(const nlohmann::json& j, const std::string& where) {
  if (!j.is_object()) throw DataError(where + ": expected a JSON object");
  auto str = [&](const char* key, bool required) -> std::string {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
      if (required) throw DataError(where + ": " + key + ": missing");
      return {};
    }
    if (!it->is_string()) throw DataError(where + ": " + key + ": must be a string, got " + it->dump());
    return it->get<std::string>();
  };
  Example e;
  e.id = str("id", false);
  e.task = str("task", true);
  e.prompt = str("prompt", false);
  if (j.contains("smiles") && !j["smiles"].is_null()) e.smiles = str("smiles", true);
  if (j.contains("image")) {
    if (!j["image"].is_boolean()) throw DataError(where + ": image: must be true or false");
    e.image = j["image"].get<bool>();
  }
  if (j.contains("answer")) e.answer = j["answer"];
  if (j.contains("meta")) {
    if (!j["meta"].is_object()) throw DataError(where + ": meta: must be an object");
    e.meta = j["meta"];
  }
  return e;
}

nlohmann::json example_to_json(const Example& e) {
  nlohmann::json j = {{"id", e.id}, {"task", e.task}, {"prompt", e.prompt}};
  if (e.smiles) j["smiles"] = *e.smiles;
  j["image"] = e.image;
  j["answer"] = e.answer;
  j["meta"] = e.meta;
  return j;
}

}  // namespace retort
