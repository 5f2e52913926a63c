// The project's drug - target - disease - mechanism knowledge graph (med/data/knowledge_graph.tsv,
// compiled into the library) and drug_lookup(), the narrow query the tools call. Every fact carries
// its source (textbook or DrugBank accession). Torch-free and JSON-free on purpose.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retort::med {

struct KgFact {
  std::string subject, relation, object, source;
};

struct DrugRecord {
  std::string name;                          // canonical name as in the graph ("acetaminophen")
  std::vector<std::string> synonyms;         // "paracetamol"
  std::vector<std::string> classes;          // is_a
  std::vector<std::string> targets;
  std::vector<std::string> mechanisms;
  std::vector<std::string> indications;      // treats
  std::vector<std::string> adverse_effects;
  std::vector<std::string> reversal_agents;  // reversed_by
  std::vector<std::string> sources;          // distinct sources of the facts above
};

class KnowledgeGraph {
 public:
  // Parses the TSV text (# comments, a header line, 4 columns); errors name "WHERE line N".
  static KnowledgeGraph parse(std::string_view tsv, const std::string& where);
  static KnowledgeGraph load(const std::string& path);
  // The graph shipped in med/data/knowledge_graph.tsv (embedded at build time).
  static const KnowledgeGraph& builtin();

  const std::vector<KgFact>& facts() const { return facts_; }
  std::vector<std::string> drugs() const;  // every subject, sorted
  // Case-insensitive; synonyms resolve to the canonical drug.
  std::optional<DrugRecord> drug(std::string_view name) const;
  // Objects of RELATION for SUBJECT (canonical name), in file order.
  std::vector<std::string> objects(const std::string& subject, const std::string& relation) const;

 private:
  std::vector<KgFact> facts_;
};

// drug_lookup("Paracetamol") on the built-in graph; nullopt for an unknown drug.
std::optional<DrugRecord> drug_lookup(std::string_view name);
// A short multi-line text of a record ("class: ...\ntargets: ...\n...\nsources: ..."), for tools.
std::string describe_drug(const DrugRecord& record);

}  // namespace retort::med
