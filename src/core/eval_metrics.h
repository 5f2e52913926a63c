// Evaluation metrics over a split: accuracy, ROC-AUC (binary with probabilities), RMSE and
// within-tolerance rate (numeric), pass@k (unbiased estimator of Chen et al. 2021).
#pragma once
#include <optional>
#include <vector>

namespace retort {

// Area under the ROC curve with ties counted half (Mann-Whitney U). nullopt when one class is absent.
std::optional<double> roc_auc(const std::vector<double>& scores, const std::vector<int>& labels);
double rmse(const std::vector<double>& predicted, const std::vector<double>& reference);
// pass@k = 1 - C(n - c, k) / C(n, k) for n samples of which c are correct.
double pass_at_k(int n, int c, int k);

}  // namespace retort
