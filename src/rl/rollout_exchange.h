// Data-parallel RL (docs/distributed.md): each rank rolls out and scores only its share of a step's
// prompt groups (a group never splits); all_gather_groups then gives every rank every group's
// rollouts, scores and rewards in global order, so the step's decisions (dynamic sampling, hints,
// hard-sample mining, advantages over the whole batch, metrics) are the same on every rank. Images are
// not exchanged: the receiver takes them from its own prompt build.
#pragma once
#include <vector>

#include <nlohmann/json.hpp>

#include "core/verifier.h"
#include "dist/dist_context.h"
#include "rl/rollout_batch.h"

namespace retort::rl {

struct ExchangedGroup {
  std::vector<Rollout> rollouts;  // images left empty on groups from other ranks
  std::vector<Score> scores;
  std::vector<double> rewards;
};

nlohmann::json exchanged_group_to_json(const ExchangedGroup& group);
ExchangedGroup exchanged_group_from_json(const nlohmann::json& j);

// LOCAL: this rank's groups (its contiguous shard, in order). Returns all ranks' groups, rank order.
// One process: LOCAL itself.
std::vector<ExchangedGroup> all_gather_groups(dist::DistContext& dist, std::vector<ExchangedGroup> local);

}  // namespace retort::rl
