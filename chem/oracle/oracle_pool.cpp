// Worker pool + cache for the oracle (see oracle_pool.h).
#include "chem/oracle/oracle_pool.h"

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

namespace retort::chem::oracle {

OraclePool::OraclePool(OracleSettings settings, int workers, OracleCache* cache)
    : settings_(std::move(settings)), workers_(workers < 1 ? 1 : workers), cache_(cache) {}

OracleResult OraclePool::evaluate_one(const std::string& smiles) {
  auto start = std::chrono::steady_clock::now();
  OracleResult result;
  try {
    PreparedMolecule molecule = prepare_molecule(smiles);
    std::optional<OracleResult> cached;
    if (cache_) cached = cache_->lookup(molecule, settings_);
    if (cached) {
      result = std::move(*cached);
    } else {
      result = compute_excited_states(molecule, settings_);
      if (cache_) cache_->store(result, settings_);
    }
    apply_pick(result, settings_);
  } catch (const std::exception& e) {
    result = OracleResult{};
    result.input = smiles;
    result.status = OracleStatus::internal_error;
    result.message = e.what();
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

std::vector<OracleResult> OraclePool::run(const std::vector<std::string>& smiles, const ResultCallback& on_result) {
  std::vector<OracleResult> results(smiles.size());
  std::atomic<std::size_t> next{0};
  std::mutex callback_mutex;
  auto worker = [&] {
    while (true) {
      std::size_t i = next.fetch_add(1);
      if (i >= smiles.size()) return;
      results[i] = evaluate_one(smiles[i]);
      if (on_result) {
        std::lock_guard<std::mutex> lock(callback_mutex);
        on_result(i, results[i]);
      }
    }
  };
  int threads = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(workers_), std::max<std::size_t>(smiles.size(), 1)));
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  return results;
}

}  // namespace retort::chem::oracle
