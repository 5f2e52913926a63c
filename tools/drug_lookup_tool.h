// drug_lookup: the medical knowledge graph (med/knowledge_graph.h) as a tool.
#pragma once
#include <memory>

#include "tools/tool.h"

namespace retort::tools {

std::shared_ptr<Tool> make_drug_lookup_tool();

}  // namespace retort::tools
