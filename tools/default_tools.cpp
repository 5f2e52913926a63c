// make_default_registry (see default_tools.h).
#include "tools/default_tools.h"

#include "tools/chem_tools.h"
#include "tools/drug_lookup_tool.h"
#include "tools/general_tools.h"
#include "tools/oracle_tools.h"

namespace retort::tools {

ToolRegistry make_default_registry() {
  ToolRegistry registry;
  registry.add(make_calculator_tool());
  registry.add(make_unit_convert_tool());
  for (auto& tool : make_chemistry_tools()) registry.add(tool);
  registry.add(make_drug_lookup_tool());
  for (auto& tool : make_oracle_tools()) registry.add(tool);
  return registry;
}

}  // namespace retort::tools
