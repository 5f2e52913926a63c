// Option shuffling and the ACRE consistency score (see answer_consistency.h).
#include "med/answer_consistency.h"

#include <algorithm>
#include <numeric>
#include <random>

#include "core/rng.h"

namespace retort::med {

ShuffledMcq shuffle_options(const McqItem& item, uint64_t seed) {
  const size_t n = item.options.size();
  std::vector<char> letters;
  for (const auto& [letter, text] : item.options) letters.push_back(letter);
  std::mt19937_64 rng(mix_seed(seed, "acre:" + item.id));
  std::vector<char> order = letters;
  // Fisher-Yates with our own index draw (std::shuffle's use of distributions is not portable).
  for (size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng() % i]);
  if (n >= 2) {
    size_t correct_at = std::find(order.begin(), order.end(), item.answer) - order.begin();
    if (order[correct_at] == letters[correct_at]) std::swap(order[correct_at], order[(correct_at + 1) % n]);
  }
  ShuffledMcq out;
  out.item = item;
  out.item.options.clear();
  out.original = order;
  for (size_t i = 0; i < n; ++i) {
    char new_letter = static_cast<char>('A' + i);
    out.item.options[new_letter] = item.options.at(order[i]);
    if (order[i] == item.answer) out.item.answer = new_letter;
  }
  return out;
}

ConsistencyScore answer_consistency(const McqItem& original, const ShuffledMcq& shuffled, char original_choice,
                                    char shuffled_choice) {
  ConsistencyScore s;
  char mapped = 0;
  if (shuffled_choice >= 'A' && static_cast<size_t>(shuffled_choice - 'A') < shuffled.original.size())
    mapped = shuffled.original[shuffled_choice - 'A'];
  if (!original_choice || !mapped) {
    s.reason = "an answer is missing";
    return s;
  }
  s.consistent = original_choice == mapped;
  bool correct = s.consistent && original_choice == original.answer;
  s.reward = correct ? 1.0 : 0.0;
  s.reason = std::string("original ") + original_choice + ", shuffled " + shuffled_choice + " (was " + mapped + ")" +
             (correct ? ": consistent and correct" : s.consistent ? ": consistent but wrong" : ": inconsistent");
  return s;
}

}  // namespace retort::med
