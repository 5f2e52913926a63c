// Knowledge-graph SFT traces (see kg_traces.h).
#include "med/kg_traces.h"

#include <stdexcept>

#include "core/errors.h"

namespace retort::med {
namespace {

struct SentenceShape {
  const char* relation;
  const char* before;  // text before the subject
  const char* middle;  // between subject and object
};
// One shape per relation; the middles never occur inside a drug name of the graph.
constexpr SentenceShape kShapes[] = {
    {"targets", "", " acts on "},
    {"treats", "", " is used for "},
    {"adverse_effect", "", " can cause "},
    {"reversed_by", "the effect of ", " is reversed by "},
    {"is_a", "", " is a "},
};

}  // namespace

std::string fact_sentence(const KgFact& fact) {
  for (const auto& shape : kShapes)
    if (fact.relation == shape.relation) return shape.before + fact.subject + shape.middle + fact.object + ".";
  throw std::invalid_argument("fact_sentence: relation '" + fact.relation + "' has no sentence form");
}

std::optional<KgFact> parse_fact_sentence(std::string_view sentence) {
  std::string s(sentence);
  if (!s.empty() && s.back() == '.') s.pop_back();
  for (const auto& shape : kShapes) {
    const std::string before = shape.before, middle = shape.middle;
    if (s.rfind(before, 0) != 0) continue;
    const size_t at = s.find(middle, before.size());
    if (at == std::string::npos || at == before.size() || at + middle.size() >= s.size()) continue;
    return KgFact{s.substr(before.size(), at - before.size()), shape.relation, s.substr(at + middle.size()), ""};
  }
  return std::nullopt;
}

std::string kg_trace_completion(const McqItem& item) {
  const std::string where = "question '" + item.id + "'";
  if (!item.meta.contains("facts") || !item.meta["facts"].is_array() || item.meta["facts"].empty())
    throw DataError(where + ": meta.facts: missing or empty (only knowledge-graph questions have traces)");
  if (!item.options.count(item.answer)) throw DataError(where + ": answer: not one of the options");
  std::string think;
  for (const auto& f : item.meta["facts"]) {
    if (!f.is_array() || f.size() != 3 || !f[0].is_string() || !f[1].is_string() || !f[2].is_string())
      throw DataError(where + ": meta.facts: each fact must be [subject, relation, object]");
    try {
      think += fact_sentence({f[0].get<std::string>(), f[1].get<std::string>(), f[2].get<std::string>(), ""}) + " ";
    } catch (const std::invalid_argument& e) {
      throw DataError(where + ": meta.facts: " + e.what());
    }
  }
  const std::string letter(1, item.answer);
  think += "So the answer is " + letter + ": " + item.options.at(item.answer) + ".";
  return "<think>" + think + "</think>\n<answer>" + letter + "</answer>";
}

std::vector<std::string> trace_sentences(std::string_view think) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < think.size()) {
    size_t end = think.find(". ", start);
    if (end == std::string_view::npos) end = think.size();
    std::string s(think.substr(start, end - start));
    if (!s.empty() && s.back() == '.') s.pop_back();
    if (!s.empty()) out.push_back(s);
    start = end + 2;
  }
  return out;
}

}  // namespace retort::med
