// BPE merge loop equal to the `tokenizers` library's Word::merge_all: a priority queue of adjacent
// pairs ordered by (merge rank, position), stale entries skipped, plus a bounded word cache.
#include "model/bpe_model.h"

#include <algorithm>
#include <mutex>
#include <queue>
#include <shared_mutex>

#include "model/bpe_byte_level.h"
#include "model/tokenizer_error.h"
#include "model/tokenizer_utf8.h"

namespace retort::model {

// Words already tokenized; bounded so a long run over varied text does not grow without end.
struct BpeModel::Cache {
  static constexpr std::size_t kCapacity = 100000;
  static constexpr std::size_t kMaxWordBytes = 256;
  mutable std::shared_mutex mutex;
  std::unordered_map<std::string, std::vector<int32_t>> words;
};

namespace {

uint64_t pair_key(int32_t left, int32_t right) {
  return (static_cast<uint64_t>(static_cast<uint32_t>(left)) << 32) | static_cast<uint32_t>(right);
}

}  // namespace

BpeModel::BpeModel(std::unordered_map<std::string, int32_t> vocab,
                   const std::vector<std::pair<std::string, std::string>>& merges, BpeOptions options,
                   const std::string& origin)
    : vocab_(std::move(vocab)), options_(std::move(options)), cache_(std::make_unique<Cache>()) {
  int32_t max_id = -1;
  for (const auto& [token, id] : vocab_) {
    if (id < 0) throw TokenizerError(origin + ": model.vocab: token '" + token + "' has negative id " + std::to_string(id));
    max_id = std::max(max_id, id);
  }
  id_to_token_.resize(static_cast<std::size_t>(max_id + 1));
  id_present_.assign(static_cast<std::size_t>(max_id + 1), false);
  for (const auto& [token, id] : vocab_) {
    if (id_present_[id])
      throw TokenizerError(origin + ": model.vocab: id " + std::to_string(id) + " is used by both '" + id_to_token_[id] +
                           "' and '" + token + "'");
    id_to_token_[id] = token;
    id_present_[id] = true;
  }
  if (options_.unk_token) {
    auto it = vocab_.find(*options_.unk_token);
    if (it == vocab_.end())
      throw TokenizerError(origin + ": model.unk_token: '" + *options_.unk_token + "' is not in model.vocab");
    unk_id_ = it->second;
  }
  const std::size_t prefix_length = options_.continuing_subword_prefix.size();
  merges_.reserve(merges.size() * 2);
  for (std::size_t rank = 0; rank < merges.size(); ++rank) {
    const auto& [left, right] = merges[rank];
    auto where = [&] { return origin + ": model.merges[" + std::to_string(rank) + "]: "; };
    auto l = vocab_.find(left);
    if (l == vocab_.end()) throw TokenizerError(where() + "token '" + left + "' is not in model.vocab");
    auto r = vocab_.find(right);
    if (r == vocab_.end()) throw TokenizerError(where() + "token '" + right + "' is not in model.vocab");
    std::string merged = left + (right.size() >= prefix_length ? right.substr(prefix_length) : right);
    auto m = vocab_.find(merged);
    if (m == vocab_.end()) throw TokenizerError(where() + "merged token '" + merged + "' is not in model.vocab");
    // Like the library's HashMap collect: a repeated pair keeps its last rank.
    merges_[pair_key(l->second, r->second)] = MergeResult{static_cast<uint32_t>(rank), m->second};
  }
  const auto& table = byte_level::byte_to_unicode();
  for (int b = 0; b < 256; ++b) {
    auto it = vocab_.find(table[b]);
    byte_symbol_id_[b] = it == vocab_.end() ? -1 : it->second;
  }
}

BpeModel::BpeModel(BpeModel&&) noexcept = default;
BpeModel& BpeModel::operator=(BpeModel&&) noexcept = default;
BpeModel::~BpeModel() = default;

std::optional<int32_t> BpeModel::token_to_id(std::string_view token) const {
  auto it = vocab_.find(std::string(token));
  if (it == vocab_.end()) return std::nullopt;
  return it->second;
}

const std::string* BpeModel::id_to_token(int32_t id) const {
  if (id < 0 || static_cast<std::size_t>(id) >= id_to_token_.size() || !id_present_[id]) return nullptr;
  return &id_to_token_[id];
}

const BpeModel::MergeResult* BpeModel::find_merge(int32_t left, int32_t right) const {
  auto it = merges_.find(pair_key(left, right));
  return it == merges_.end() ? nullptr : &it->second;
}

// One symbol per character (per byte for byte-level models), looked up in the vocab with the
// continuing-subword prefix and end-of-word suffix; unknown symbols become unk or are dropped.
void BpeModel::initial_symbols(std::string_view word, std::vector<int32_t>& ids, std::vector<uint32_t>& lengths) const {
  const bool plain = options_.continuing_subword_prefix.empty() && options_.end_of_word_suffix.empty();
  const auto& table = byte_level::byte_to_unicode();
  bool previous_unknown = false;
  std::size_t pos = 0;
  std::string symbol;
  while (pos < word.size()) {
    std::size_t start = pos;
    int32_t id = -1;
    if (options_.byte_level) {
      ++pos;
      if (plain) {
        id = byte_symbol_id_[static_cast<unsigned char>(word[start])];
      } else {
        symbol = table[static_cast<unsigned char>(word[start])];
      }
    } else {
      utf8::next_code_point(word, pos);
      symbol.assign(word.substr(start, pos - start));
    }
    if (!(options_.byte_level && plain)) {
      if (start > 0) symbol.insert(0, options_.continuing_subword_prefix);
      if (pos == word.size()) symbol += options_.end_of_word_suffix;
      auto it = vocab_.find(symbol);
      id = it == vocab_.end() ? -1 : it->second;
    }
    uint32_t length = static_cast<uint32_t>(pos - start);
    if (id >= 0) {
      ids.push_back(id);
      lengths.push_back(length);
      previous_unknown = false;
    } else if (unk_id_) {
      if (options_.fuse_unk && previous_unknown) {
        lengths.back() += length;
      } else {
        ids.push_back(*unk_id_);
        lengths.push_back(length);
      }
      previous_unknown = true;
    }
  }
}

void BpeModel::merge_word(std::string_view word, std::vector<int32_t>& out) const {
  if (options_.ignore_merges) {
    std::string mapped;
    if (options_.byte_level) {
      const auto& table = byte_level::byte_to_unicode();
      for (char c : word) mapped += table[static_cast<unsigned char>(c)];
    } else {
      mapped.assign(word);
    }
    auto it = vocab_.find(mapped);
    if (it != vocab_.end()) {
      out.push_back(it->second);
      return;
    }
  }
  struct Symbol {
    int32_t id;
    int32_t prev;
    int32_t next;
    uint32_t length;  // 0 once merged into its left neighbour
  };
  std::vector<int32_t> ids;
  std::vector<uint32_t> lengths;
  ids.reserve(word.size());
  lengths.reserve(word.size());
  initial_symbols(word, ids, lengths);
  const int32_t n = static_cast<int32_t>(ids.size());
  std::vector<Symbol> symbols(n);
  for (int32_t i = 0; i < n; ++i) symbols[i] = Symbol{ids[i], i - 1, i + 1 < n ? i + 1 : -1, lengths[i]};

  struct Candidate {
    uint32_t rank;
    int32_t pos;
    int32_t new_id;
    // std::priority_queue pops the largest: make the lowest rank, then the leftmost position, largest.
    bool operator<(const Candidate& other) const {
      if (rank != other.rank) return rank > other.rank;
      return pos > other.pos;
    }
  };
  std::vector<Candidate> storage;
  storage.reserve(n * 2);
  std::priority_queue<Candidate> queue(std::less<Candidate>(), std::move(storage));
  for (int32_t i = 0; i + 1 < n; ++i)
    if (const MergeResult* m = find_merge(symbols[i].id, symbols[i + 1].id)) queue.push({m->rank, i, m->new_id});

  while (!queue.empty()) {
    Candidate top = queue.top();
    queue.pop();
    Symbol& current = symbols[top.pos];
    if (current.length == 0 || current.next == -1) continue;
    Symbol right = symbols[current.next];
    const MergeResult* still = find_merge(current.id, right.id);
    if (still == nullptr || still->new_id != top.new_id) continue;  // an expired entry
    const int32_t right_pos = current.next;
    current.id = top.new_id;
    current.length += right.length;
    current.next = right.next;
    symbols[right_pos].length = 0;
    if (right.next >= 0) symbols[right.next].prev = top.pos;
    if (current.prev >= 0)
      if (const MergeResult* m = find_merge(symbols[current.prev].id, current.id))
        queue.push({m->rank, current.prev, m->new_id});
    if (current.next >= 0)
      if (const MergeResult* m = find_merge(current.id, symbols[current.next].id)) queue.push({m->rank, top.pos, m->new_id});
  }
  for (const Symbol& s : symbols)
    if (s.length != 0) out.push_back(s.id);
}

void BpeModel::tokenize(std::string_view word, std::vector<int32_t>& out) const {
  if (word.empty()) return;
  const bool cacheable = word.size() <= Cache::kMaxWordBytes;
  std::string key;
  if (cacheable) {
    key.assign(word);
    std::shared_lock lock(cache_->mutex);
    auto it = cache_->words.find(key);
    if (it != cache_->words.end()) {
      out.insert(out.end(), it->second.begin(), it->second.end());
      return;
    }
  }
  const std::size_t first = out.size();
  merge_word(word, out);
  if (cacheable) {
    std::unique_lock lock(cache_->mutex);
    if (cache_->words.size() < Cache::kCapacity)
      cache_->words.emplace(std::move(key), std::vector<int32_t>(out.begin() + first, out.end()));
  }
}

}  // namespace retort::model
