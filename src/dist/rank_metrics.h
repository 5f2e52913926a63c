// Merging the per-rank metrics of one training step into the one line rank 0 writes: timings take the
// slowest rank, per-rank throughputs and token counts add up, values that are already global (loss,
// grad_norm, lr) come from rank 0, everything else (per-row means over equal shares, or values every rank
// computed from the whole batch) is the mean over the ranks that reported it.
#pragma once
#include <map>
#include <string>
#include <vector>

namespace retort::dist {

enum class MetricMerge { mean, sum, max, first };

// The rule for NAME: timing_s/* max; perf/tokens_per_s, perf/tokens, sft/target_tokens sum;
// loss, grad_norm, lr first (rank 0's); others mean.
MetricMerge metric_merge_rule(const std::string& name);

// PER_RANK[r] is rank r's metrics; keys missing on some ranks merge over the ranks that have them.
std::map<std::string, double> merge_rank_metrics(const std::vector<std::map<std::string, double>>& per_rank);

class DistContext;
// Every rank's MINE gathered (a collective: all ranks call it) and merged; NaN/Inf survive the trip.
std::map<std::string, double> gather_and_merge_metrics(DistContext& dist, const std::map<std::string, double>& mine);

}  // namespace retort::dist
