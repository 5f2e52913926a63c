// The registry the trainer, `retort generate` and `retort tools` use: every tool this build has.
#pragma once
#include "tools/registry.h"

namespace retort::tools {

// calculator, unit_convert, the chemistry tools, drug_lookup, and excited_states/xtb_properties when
// the oracle is part of the build.
ToolRegistry make_default_registry();

}  // namespace retort::tools
