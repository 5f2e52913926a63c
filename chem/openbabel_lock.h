// One process-wide lock around Open Babel: its plugin registry, force-field prototypes, builder
// fragment tables and obErrorLog are global, so chem/ runs one Open Babel job at a time.
#pragma once
#include <mutex>

namespace retort::chem {

// Locks Open Babel for the caller (and silences obErrorLog below errors on first use).
std::mutex& openbabel_mutex();

}  // namespace retort::chem
