// The round's fine-tuning set: the best k (capped per scaffold) plus a random sample (finetune_selection.h).
#include "al/finetune_selection.h"

#include <algorithm>
#include <map>

#include "chem/molecule.h"
#include "chem/structure.h"

namespace retort::al {
namespace {

// The scaffold key of a pool SMILES (canonical, parsed before it entered the pool).
std::string scaffold_key(const std::string& smiles) {
  auto mol = chem::Molecule::try_from_smiles(smiles);
  if (!mol) return "unparsed:" + smiles;
  std::string scaffold = chem::murcko_scaffold(*mol);
  return scaffold.empty() ? "acyclic:" + smiles : scaffold;
}

}  // namespace

FinetuneSelection select_finetune_entries(const std::vector<const PoolEntry*>& ranked, int top_k, int random_count,
                                          int max_per_scaffold, std::mt19937_64& rng) {
  FinetuneSelection out;
  std::vector<const PoolEntry*> rest;
  std::map<std::string, int> per_scaffold;
  for (const PoolEntry* e : ranked) {
    bool room = out.top.size() < static_cast<std::size_t>(std::max(top_k, 0));
    if (room && max_per_scaffold > 0) room = per_scaffold[scaffold_key(e->smiles)]++ < max_per_scaffold;
    (room ? out.top : rest).push_back(e);
  }
  std::shuffle(rest.begin(), rest.end(), rng);
  for (std::size_t i = 0; i < rest.size() && i < static_cast<std::size_t>(std::max(random_count, 0)); ++i)
    out.random.push_back(rest[i]);
  return out;
}

}  // namespace retort::al
