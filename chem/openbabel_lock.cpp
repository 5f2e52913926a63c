// The process-wide Open Babel lock (see openbabel_lock.h).
#include "chem/openbabel_lock.h"

#include <openbabel/oberror.h>

namespace retort::chem {

std::mutex& openbabel_mutex() {
  static std::mutex m;
  static std::once_flag quiet;
  std::call_once(quiet, [] { OpenBabel::obErrorLog.SetOutputLevel(OpenBabel::obError); });
  return m;
}

}  // namespace retort::chem
