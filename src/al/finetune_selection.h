// Which pool molecules the generator is fine-tuned on after a round (STGG+AL: the pool's best k plus a
// random sample of the rest). Optionally at most max_per_scaffold of the best k share a Bemis-Murcko
// scaffold: without it the best set becomes substituent variants of one ring chain (methyl, ethyl,
// vinyl on the same oligomer) and the generator narrows onto it. Torch-free.
#pragma once
#include <random>
#include <vector>

#include "al/molecule_pool.h"

namespace retort::al {

struct FinetuneSelection {
  std::vector<const PoolEntry*> top;     // best first
  std::vector<const PoolEntry*> random;  // drawn from the entries not in top
};

// RANKED: scored entries, best first. max_per_scaffold 0 = no cap. Entries passed over by the cap
// join the rest the random sample is drawn from. Acyclic molecules count as their own scaffold.
FinetuneSelection select_finetune_entries(const std::vector<const PoolEntry*>& ranked, int top_k, int random_count,
                                          int max_per_scaffold, std::mt19937_64& rng);

}  // namespace retort::al
