// epoch_order: seeded per-epoch permutation, with optional label balancing for yes/no tasks.
#include "rl/data_order.h"

#include <algorithm>
#include <random>
#include <string>

#include "core/rng.h"

namespace retort::rl {

std::vector<size_t> epoch_order(const std::vector<Example>& train, uint64_t seed, int64_t epoch, bool balance_labels) {
  std::mt19937_64 rng(mix_seed(seed, "data-epoch-" + std::to_string(epoch)));
  std::vector<size_t> order;
  if (!balance_labels) {
    order.resize(train.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  } else {
    std::vector<size_t> yes, no;
    for (size_t i = 0; i < train.size(); ++i) {
      const auto& answer = train[i].answer;
      if (answer.is_boolean())
        (answer.get<bool>() ? yes : no).push_back(i);
      else
        order.push_back(i);
    }
    const size_t target = std::max(yes.size(), no.size());
    for (auto* group : {&yes, &no}) {
      if (group->empty()) continue;
      for (size_t k = 0; k + group->size() <= target; k += group->size())  // whole passes
        order.insert(order.end(), group->begin(), group->end());
      std::vector<size_t> rest = *group;
      std::shuffle(rest.begin(), rest.end(), rng);
      order.insert(order.end(), rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(target % group->size()));
    }
  }
  std::shuffle(order.begin(), order.end(), rng);
  return order;
}

}  // namespace retort::rl
