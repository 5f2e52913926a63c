// The tools that need no chemistry toolkit: calculator and unit_convert.
#pragma once
#include <memory>

#include "tools/tool.h"

namespace retort::tools {

std::shared_ptr<Tool> make_calculator_tool();
std::shared_ptr<Tool> make_unit_convert_tool();

}  // namespace retort::tools
