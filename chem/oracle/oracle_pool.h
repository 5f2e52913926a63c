// A pool of N worker threads running the oracle over many molecules (each job its own subprocess
// chain and temp dir), with the SQLite cache consulted before any program runs. Results come back in
// input order; one molecule's failure never stops the others.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "chem/oracle/oracle.h"
#include "chem/oracle/oracle_cache.h"

namespace retort::chem::oracle {

class OraclePool {
 public:
  // CACHE may be null (no caching). WORKERS < 1 is treated as 1.
  OraclePool(OracleSettings settings, int workers, OracleCache* cache = nullptr);

  // Called once per finished molecule (index into the input, its result), serialised under a mutex.
  using ResultCallback = std::function<void(std::size_t index, const OracleResult& result)>;

  // Evaluates every entry of SMILES (the pick rule and calibration of the settings applied). Never throws
  // for a molecule's failure.
  std::vector<OracleResult> run(const std::vector<std::string>& smiles, const ResultCallback& on_result = {});

  const OracleSettings& settings() const { return settings_; }

 private:
  OracleResult evaluate_one(const std::string& smiles);
  OracleSettings settings_;
  int workers_;
  OracleCache* cache_;
};

}  // namespace retort::chem::oracle
