// Evaluation metrics: plain, numerically careful implementations (no ML library is a dependency here).
#include "core/eval_metrics.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace retort {

std::optional<double> roc_auc(const std::vector<double>& scores, const std::vector<int>& labels) {
  if (scores.size() != labels.size()) throw std::invalid_argument("roc_auc: scores and labels differ in length");
  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] < scores[b]; });
  // Average ranks over ties, then U = sum of positive ranks - P(P+1)/2.
  double positive_rank_sum = 0;
  size_t positives = 0;
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j < order.size() && scores[order[j]] == scores[order[i]]) ++j;
    double average_rank = (i + 1 + j) / 2.0;  // ranks i+1 .. j
    for (size_t k = i; k < j; ++k)
      if (labels[order[k]]) {
        positive_rank_sum += average_rank;
        ++positives;
      }
    i = j;
  }
  size_t negatives = scores.size() - positives;
  if (positives == 0 || negatives == 0) return std::nullopt;
  double u = positive_rank_sum - positives * (positives + 1) / 2.0;
  return u / (static_cast<double>(positives) * negatives);
}

double rmse(const std::vector<double>& predicted, const std::vector<double>& reference) {
  if (predicted.size() != reference.size() || predicted.empty())
    throw std::invalid_argument("rmse: needs two equal, non-empty vectors");
  double sum = 0;
  for (size_t i = 0; i < predicted.size(); ++i) sum += (predicted[i] - reference[i]) * (predicted[i] - reference[i]);
  return std::sqrt(sum / predicted.size());
}

double pass_at_k(int n, int c, int k) {
  if (n - c < k) return 1.0;
  double fail = 1.0;  // prod_{i=n-c+1}^{n} (1 - k / i), stable form of C(n-c,k)/C(n,k)
  for (int i = n - c + 1; i <= n; ++i) fail *= 1.0 - static_cast<double>(k) / i;
  return 1.0 - fail;
}

}  // namespace retort
