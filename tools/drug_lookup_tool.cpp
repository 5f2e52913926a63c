// drug_lookup over the project's drug knowledge graph: the record of one drug by name or synonym.
#include "tools/drug_lookup_tool.h"

#include "med/knowledge_graph.h"
#include "tools/function_tool.h"

namespace retort::tools {

using nlohmann::json;
using nlohmann::ordered_json;

std::shared_ptr<Tool> make_drug_lookup_tool() {
  ordered_json parameters = {
      {"type", "object"},
      {"properties",
       {{"name", {{"type", "string"}, {"description", "Drug name or synonym (generic name, case-insensitive)"},
                  {"minLength", 1}, {"maxLength", 100}}}}},
      {"required", {"name"}},
      {"additionalProperties", false}};
  return make_function_tool(
      "drug_lookup",
      "Look up a drug in the project's knowledge graph: drug classes, targets, mechanisms, indications, adverse "
      "effects, reversal agents, and the sources of these facts.",
      parameters, [](const json& args, const Deadline&) -> json {
        const std::string& name = args["name"].get_ref<const std::string&>();
        auto record = med::drug_lookup(name);
        if (!record) throw ToolError("no drug named '" + name + "' in the knowledge graph (try the generic name)");
        return {{"name", record->name},
                {"synonyms", record->synonyms},
                {"classes", record->classes},
                {"targets", record->targets},
                {"mechanisms", record->mechanisms},
                {"indications", record->indications},
                {"adverse_effects", record->adverse_effects},
                {"reversal_agents", record->reversal_agents},
                {"sources", record->sources}};
      });
}

}  // namespace retort::tools
