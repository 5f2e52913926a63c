// Value-answer verifiers: chem.numeric (first number within tolerance), chem.binary (yes/no),
// chem.property (MoleculeNet numeric with tolerance, or binary with an optional probability) and
// chem.perception (one checklist question about the pictured molecule). Also register_verifiers().
#include <cmath>
#include <cstdio>

#include "chem/verifiers/answer_parsing.h"
#include "chem/verifiers/perception.h"
#include "chem/verifiers/reasoning_rewards.h"
#include "chem/verifiers/verifier_common.h"
#include "chem/verifiers/verifiers.h"

namespace retort::chem {

void register_molecule_verifiers(VerifierRegistry& registry);  // molecule_verifiers.cpp

namespace {

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

struct NumericReference {
  double value = 0;
  double tolerance = 0;  // absolute
};

// A number, or {"value", "tolerance"} / {"value", "rel_tolerance"}; DEFAULT_TOLERANCE when none is given.
NumericReference numeric_reference(const nlohmann::json& ref, double default_tolerance) {
  NumericReference r;
  auto check = [](const nlohmann::json& v, const char* field) {
    if (!v.is_number() || !std::isfinite(v.get<double>()))
      throw std::invalid_argument(std::string("reference") + field + ": must be a finite number, got " + v.dump());
    return v.get<double>();
  };
  if (ref.is_number()) {
    r.value = check(ref, "");
    r.tolerance = default_tolerance;
  } else if (ref.is_object() && ref.contains("value")) {
    r.value = check(ref["value"], ".value");
    if (ref.contains("tolerance")) r.tolerance = check(ref["tolerance"], ".tolerance");
    else if (ref.contains("rel_tolerance")) r.tolerance = std::abs(r.value) * check(ref["rel_tolerance"], ".rel_tolerance");
    else r.tolerance = default_tolerance;
  } else {
    throw std::invalid_argument("reference: need a number or {\"value\", \"tolerance\"|\"rel_tolerance\"}, got " + ref.dump());
  }
  if (r.tolerance < 0) throw std::invalid_argument("reference: tolerance must be >= 0");
  r.tolerance = std::max(r.tolerance, 1e-9 * std::max(1.0, std::abs(r.value)));
  return r;
}

bool binary_reference(const nlohmann::json& ref) {
  const nlohmann::json& v = ref.is_object() && ref.contains("label") ? ref["label"] : ref;
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number_integer() && (v.get<int>() == 0 || v.get<int>() == 1)) return v.get<int>() == 1;
  if (v.is_number() && (v.get<double>() == 0.0 || v.get<double>() == 1.0)) return v.get<double>() == 1.0;
  if (v.is_string())
    if (auto b = parse_binary_answer(v.get<std::string>())) return *b;
  throw std::invalid_argument("reference: need true/false, 1/0 or yes/no, got " + ref.dump());
}

ReasoningContext base_context(const Example& ex) {
  ReasoningContext c;
  c.task = ex.task;
  c.image = ex.image;
  c.asked = task_property(ex.task);
  if (ex.meta.contains("perception_answers")) c.perception_answers = ex.meta["perception_answers"];
  return c;
}

Score verify_numeric(const Example& ex, const Episode& ep, const NumericReference& ref) {
  auto parsed = parse_completion(ep.completion);
  Score s = start_score(parsed);
  ReasoningContext context = base_context(ex);
  context.kind = ReasoningContext::AnswerKind::numeric;
  context.tolerance = ref.tolerance;
  if (parsed.final_answer) {
    NumericAnswer a = parse_numeric_answer(*parsed.final_answer);
    if (!a.value) {
      set_answer(s, false, a.reason);
    } else if (a.hedged) {
      set_answer(s, false, a.reason);
    } else {
      context.answer_number = a.value;
      double error = std::abs(*a.value - ref.value);
      bool ok = error <= ref.tolerance;
      set_answer(s, ok, "answer " + fmt(*a.value) + " vs reference " + fmt(ref.value) + " +- " + fmt(ref.tolerance) +
                            (ok ? ": within tolerance" : ": outside tolerance"));
      s.components["abs_error"] = error;
    }
  }
  add_reasoning_components(s, parsed.reasoning, example_molecule(ex), context);
  return s;
}

Score verify_binary(const Example& ex, const Episode& ep, bool with_probability) {
  bool want = binary_reference(ex.answer);
  auto parsed = parse_completion(ep.completion);
  Score s = start_score(parsed);
  ReasoningContext context = base_context(ex);
  context.kind = ReasoningContext::AnswerKind::binary;
  if (parsed.final_answer) {
    std::optional<bool> label;
    std::string why;
    if (with_probability) {
      auto a = parse_binary_with_probability(*parsed.final_answer);
      label = a.label;
      why = a.reason;
      if (a.label) s.components["probability"] = a.probability.value_or(*a.label ? 1.0 : 0.0);
    } else {
      label = parse_binary_answer(*parsed.final_answer);
      why = "answer '" + *parsed.final_answer + "' is not yes/no/true/false/1/0";
    }
    if (!label) {
      set_answer(s, false, why);
    } else {
      context.answer_label = label;
      bool ok = *label == want;
      set_answer(s, ok, std::string("answer ") + (*label ? "yes" : "no") + ", reference " + (want ? "yes" : "no"));
    }
  }
  add_reasoning_components(s, parsed.reasoning, example_molecule(ex), context);
  return s;
}

class NumericVerifier : public Verifier {
 public:
  Score verify(const Example& ex, const Episode& ep) const override {
    return verify_numeric(ex, ep, numeric_reference(ex.answer, 0.0));
  }
};

class BinaryVerifier : public Verifier {
 public:
  Score verify(const Example& ex, const Episode& ep) const override { return verify_binary(ex, ep, false); }
};

// options: {"kind": "numeric"|"binary", "tolerance": x}; a reference object may also say "kind".
class PropertyVerifier : public Verifier {
 public:
  explicit PropertyVerifier(const nlohmann::json& options) : options_(options.is_object() ? options : nlohmann::json::object()) {}
  Score verify(const Example& ex, const Episode& ep) const override {
    std::string kind = options_.value("kind", "");
    if (ex.answer.is_object() && ex.answer.contains("kind") && ex.answer["kind"].is_string())
      kind = ex.answer["kind"].get<std::string>();
    if (kind.empty()) kind = ex.answer.is_boolean() || (ex.answer.is_object() && ex.answer.contains("label")) ? "binary" : "numeric";
    if (kind == "numeric") return verify_numeric(ex, ep, numeric_reference(ex.answer, options_.value("tolerance", 0.0)));
    if (kind == "binary") return verify_binary(ex, ep, true);
    throw std::invalid_argument("reference.kind: must be \"numeric\" or \"binary\", got \"" + kind + "\"");
  }

 private:
  nlohmann::json options_;
};

// reference: {"question": "rings"} (the answer comes from the example's molecule) or {"question", "value"}.
class PerceptionVerifier : public Verifier {
 public:
  Score verify(const Example& ex, const Episode& ep) const override {
    if (!ex.answer.is_object() || !ex.answer.contains("question") || !ex.answer["question"].is_string())
      throw std::invalid_argument("reference: need {\"question\": \"rings\" | \"aromatic_rings\" | \"nitrogen_atoms\" | ...}");
    const std::string id = ex.answer["question"].get<std::string>();
    std::optional<int> want;
    if (ex.answer.contains("value") && ex.answer["value"].is_number_integer()) want = ex.answer["value"].get<int>();
    if (!want) {
      auto mol = example_molecule(ex);
      if (!mol) throw std::invalid_argument("smiles: needed to answer the perception question");
      for (const auto& q : perception_checklist(*mol))
        if (q.id == id) want = q.answer;
      if (!want) throw std::invalid_argument("reference.question: unknown checklist question '" + id + "'");
    }
    auto parsed = parse_completion(ep.completion);
    Score s = start_score(parsed);
    if (parsed.final_answer) {
      auto got = read_count_answer(*parsed.final_answer);
      if (!got) set_answer(s, false, "no count in the answer");
      else set_answer(s, *got == *want, id + ": answer " + std::to_string(*got) + ", RDKit " + std::to_string(*want));
      s.components["perception"] = s.correct ? 1.0 : 0.0;
      s.reasons["perception"] = s.reasons["answer"];
    }
    return s;
  }
};

}  // namespace

void register_verifiers(VerifierRegistry& registry) {
  register_molecule_verifiers(registry);
  registry.add("chem.numeric", [](const nlohmann::json&) { return std::make_unique<NumericVerifier>(); });
  registry.add("chem.binary", [](const nlohmann::json&) { return std::make_unique<BinaryVerifier>(); });
  registry.add("chem.property", [](const nlohmann::json& o) { return std::make_unique<PropertyVerifier>(o); });
  registry.add("chem.perception", [](const nlohmann::json&) { return std::make_unique<PerceptionVerifier>(); });
}

}  // namespace retort::chem
