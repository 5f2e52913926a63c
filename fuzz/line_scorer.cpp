// Fuzz target: `retort score`'s path (core/line_scorer.h) with every registered chem and med verifier:
// the answer extractor, each verifier's reference handling and the reward spec, on random
// task / reference / completion / SMILES / options.
// Input: byte 0 picks the task (every route of task_routes()); the rest is fields separated by 0x1f:
// reference (JSON if it parses, else a string), completion, SMILES, options (JSON object if it parses).
// The whole input is also scored as one JSONL line.
// Invariants: score() returns a finite total and components or throws a documented error type
// (invalid_argument, DataError, ConfigError, ChemError), never another exception; score_line always
// returns an object with either "error" or a finite "reward" and a boolean "correct", and it dumps.
#include <cmath>
#include <iterator>

#include <nlohmann/json.hpp>

#include "chem/molecule.h"
#include "chem/verifiers/verifiers.h"
#include "core/errors.h"
#include "core/line_scorer.h"
#include "fuzz/fuzz_input.h"
#include "med/verifiers.h"

namespace {

const retort::LineScorer& scorer() {
  static const retort::LineScorer instance = [] {
    retort::VerifierRegistry registry;
    retort::chem::register_verifiers(registry);
    retort::med::register_verifiers(registry);
    return retort::LineScorer(registry, retort::RewardSpec::defaults());
  }();
  return instance;
}

void check_scored_line(const nlohmann::ordered_json& out) {
  FUZZ_CHECK(out.is_object());
  if (out.contains("error")) {
    FUZZ_CHECK(out["error"].is_string() && out["error"].get<std::string>().rfind("line 7: ", 0) == 0);
    FUZZ_CHECK(!out.contains("reward"));
  } else {
    FUZZ_CHECK(out["reward"].is_number() && std::isfinite(out["reward"].get<double>()));
    FUZZ_CHECK(out["correct"].is_boolean());
    FUZZ_CHECK(out["components"].is_object());
  }
  (void)out.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const auto& routes = retort::task_routes();
  auto route = routes.begin();
  std::advance(route, data[0] % routes.size());
  auto fields = retort::fuzz::split_fields(data + 1, size - 1, 4);
  // Every real path hands the verifiers valid UTF-8 (task files and `retort score` lines are JSON, model
  // text is decoded with U+FFFD repair), so invalid bytes are replaced here as JSON would have them.
  for (auto& field : fields)
    if (!retort::fuzz::valid_utf8(field))
      field = nlohmann::json::parse(nlohmann::json(field).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
                  .get<std::string>();

  retort::Example example;
  example.task = route->first;
  example.answer = nlohmann::json::parse(fields[0], nullptr, /*allow_exceptions=*/false);
  if (example.answer.is_discarded()) example.answer = fields[0];
  if (!fields[2].empty()) example.smiles = fields[2];
  auto options = nlohmann::json::parse(fields[3], nullptr, false);
  if (options.is_object()) example.meta["options"] = options;
  try {
    retort::Score s = scorer().score(example, fields[1]);
    FUZZ_CHECK(std::isfinite(s.total));
    for (const auto& [name, value] : s.components) FUZZ_CHECK(std::isfinite(value));
  } catch (const std::invalid_argument&) {
  } catch (const retort::DataError&) {
  } catch (const retort::ConfigError&) {
  } catch (const retort::chem::ChemError&) {
  }

  // The same text as a JSONL line: never throws, always one object back.
  check_scored_line(scorer().score_line(std::string_view(reinterpret_cast<const char*>(data), size), 7));
  // And a well-formed line built from the fields (strings must be valid UTF-8 to be JSON).
  nlohmann::ordered_json line = {{"task", route->first}, {"reference", example.answer}, {"completion", fields[1]}};
  if (example.smiles) line["smiles"] = *example.smiles;
  if (options.is_object()) line["options"] = options;
  std::string text = line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  check_scored_line(scorer().score_line(text, 7));
  return 0;
}
