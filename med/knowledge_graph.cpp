// Knowledge graph parsing and drug lookup (see knowledge_graph.h).
#include "med/knowledge_graph.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "core/errors.h"

namespace retort::med {

const char* builtin_knowledge_graph_tsv();  // knowledge_graph_data.cpp, generated from the TSV

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

const std::set<std::string>& known_relations() {
  static const std::set<std::string> r = {"synonym", "is_a", "targets", "mechanism", "treats", "adverse_effect", "reversed_by"};
  return r;
}

}  // namespace

KnowledgeGraph KnowledgeGraph::parse(std::string_view tsv, const std::string& where) {
  KnowledgeGraph g;
  std::istringstream in{std::string(tsv)};
  std::string line;
  bool header_seen = false;
  for (size_t n = 1; std::getline(in, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cols;
    std::stringstream ss(line);
    for (std::string c; std::getline(ss, c, '\t');) cols.push_back(c);
    const std::string at = where + " line " + std::to_string(n);
    if (!header_seen) {
      if (cols != std::vector<std::string>{"subject", "relation", "object", "source"})
        throw DataError(at + ": header must be subject<TAB>relation<TAB>object<TAB>source");
      header_seen = true;
      continue;
    }
    if (cols.size() != 4) throw DataError(at + ": expected 4 tab-separated columns, got " + std::to_string(cols.size()));
    for (const auto& c : cols)
      if (c.empty()) throw DataError(at + ": empty column");
    if (!known_relations().count(cols[1])) throw DataError(at + ": unknown relation '" + cols[1] + "'");
    g.facts_.push_back({cols[0], cols[1], cols[2], cols[3]});
  }
  if (!header_seen) throw DataError(where + ": no header line");
  return g;
}

KnowledgeGraph KnowledgeGraph::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw IoError(path + ": cannot open for reading");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse(ss.str(), path);
}

const KnowledgeGraph& KnowledgeGraph::builtin() {
  static const KnowledgeGraph g = parse(builtin_knowledge_graph_tsv(), "med/data/knowledge_graph.tsv");
  return g;
}

std::vector<std::string> KnowledgeGraph::drugs() const {
  std::set<std::string> names;
  for (const auto& f : facts_) names.insert(f.subject);
  return {names.begin(), names.end()};
}

std::vector<std::string> KnowledgeGraph::objects(const std::string& subject, const std::string& relation) const {
  std::vector<std::string> out;
  for (const auto& f : facts_)
    if (f.subject == subject && f.relation == relation) out.push_back(f.object);
  return out;
}

std::optional<DrugRecord> KnowledgeGraph::drug(std::string_view name) const {
  std::string key = lower(name);
  while (!key.empty() && key.back() == ' ') key.pop_back();
  while (!key.empty() && key.front() == ' ') key.erase(key.begin());
  std::string canonical;
  for (const auto& f : facts_) {
    if (lower(f.subject) == key || (f.relation == "synonym" && lower(f.object) == key)) {
      canonical = f.subject;
      break;
    }
  }
  if (canonical.empty()) return std::nullopt;
  DrugRecord r;
  r.name = canonical;
  std::set<std::string> sources;
  for (const auto& f : facts_) {
    if (f.subject != canonical) continue;
    if (f.relation == "synonym") r.synonyms.push_back(f.object);
    else if (f.relation == "is_a") r.classes.push_back(f.object);
    else if (f.relation == "targets") r.targets.push_back(f.object);
    else if (f.relation == "mechanism") r.mechanisms.push_back(f.object);
    else if (f.relation == "treats") r.indications.push_back(f.object);
    else if (f.relation == "adverse_effect") r.adverse_effects.push_back(f.object);
    else if (f.relation == "reversed_by") r.reversal_agents.push_back(f.object);
    if (sources.insert(f.source).second) r.sources.push_back(f.source);
  }
  return r;
}

std::optional<DrugRecord> drug_lookup(std::string_view name) { return KnowledgeGraph::builtin().drug(name); }

std::string describe_drug(const DrugRecord& r) {
  auto join = [](const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : "; ") + x;
    return s.empty() ? std::string("(none recorded)") : s;
  };
  std::string out = r.name + (r.synonyms.empty() ? "" : " (" + join(r.synonyms) + ")") + "\n";
  out += "class: " + join(r.classes) + "\n";
  out += "targets: " + join(r.targets) + "\n";
  if (!r.mechanisms.empty()) out += "mechanism: " + join(r.mechanisms) + "\n";
  out += "used for: " + join(r.indications) + "\n";
  out += "adverse effects: " + join(r.adverse_effects) + "\n";
  if (!r.reversal_agents.empty()) out += "reversed by: " + join(r.reversal_agents) + "\n";
  out += "sources: " + join(r.sources) + "\n";
  return out;
}

}  // namespace retort::med
