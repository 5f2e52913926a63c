// Loading tokenizer.json (every field checked, errors name file and field) and the encode / decode
// pipeline of the `tokenizers` library for byte-level BPE tokenizers such as Qwen2's.
#include "model/tokenizer.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "model/bpe_byte_level.h"
#include "model/tokenizer_utf8.h"

namespace retort::model {
namespace {

using json = nlohmann::json;

const json& require(const json& node, const char* name, const std::string& where) {
  if (!node.is_object() || !node.contains(name)) throw TokenizerError(where + ": missing field \"" + name + "\"");
  return node[name];
}

bool optional_bool(const json& node, const char* name, bool fallback, const std::string& where) {
  if (!node.contains(name) || node[name].is_null()) return fallback;
  if (!node[name].is_boolean()) throw TokenizerError(where + "." + name + ": expected true or false");
  return node[name].get<bool>();
}

std::string optional_string(const json& node, const char* name, const std::string& where) {
  if (!node.contains(name) || node[name].is_null()) return "";
  if (!node[name].is_string()) throw TokenizerError(where + "." + name + ": expected a string or null");
  return node[name].get<std::string>();
}

int32_t token_id(const json& value, const std::string& where) {
  if (!value.is_number_integer()) throw TokenizerError(where + ": expected an integer id");
  auto id = value.get<int64_t>();
  if (id < 0 || id > INT32_MAX) throw TokenizerError(where + ": id " + std::to_string(id) + " is out of range");
  return static_cast<int32_t>(id);
}

std::unique_ptr<BpeModel> load_bpe(const json& model, bool byte_level, const std::string& origin) {
  const std::string where = origin + ": model";
  if (!model.is_object()) throw TokenizerError(where + ": expected an object");
  if (model.contains("type") && !(model["type"].is_string() && model["type"].get<std::string>() == "BPE"))
    throw TokenizerError(where + ".type: only \"BPE\" models are supported, got " + model["type"].dump());
  const json& vocab_node = require(model, "vocab", where);
  if (!vocab_node.is_object()) throw TokenizerError(where + ".vocab: expected an object of token -> id");
  std::unordered_map<std::string, int32_t> vocab;
  vocab.reserve(vocab_node.size() * 2);
  for (auto it = vocab_node.begin(); it != vocab_node.end(); ++it)
    vocab.emplace(it.key(), token_id(it.value(), where + ".vocab[\"" + it.key() + "\"]"));

  const json& merges_node = require(model, "merges", where);
  if (!merges_node.is_array()) throw TokenizerError(where + ".merges: expected an array");
  std::vector<std::pair<std::string, std::string>> merges;
  merges.reserve(merges_node.size());
  for (std::size_t i = 0; i < merges_node.size(); ++i) {
    const json& m = merges_node[i];
    const std::string at = where + ".merges[" + std::to_string(i) + "]";
    if (m.is_string()) {  // legacy "left right"
      const std::string& s = m.get_ref<const std::string&>();
      std::size_t space = s.find(' ');
      if (space == std::string::npos) throw TokenizerError(at + ": expected \"left right\", got \"" + s + "\"");
      merges.emplace_back(s.substr(0, space), s.substr(space + 1));
    } else if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string()) {
      merges.emplace_back(m[0].get<std::string>(), m[1].get<std::string>());
    } else {
      throw TokenizerError(at + ": expected \"left right\" or [\"left\", \"right\"]");
    }
  }

  if (model.contains("dropout") && !model["dropout"].is_null()) {
    if (!model["dropout"].is_number()) throw TokenizerError(where + ".dropout: expected a number or null");
    if (model["dropout"].get<double>() != 0.0)
      throw TokenizerError(where + ".dropout: BPE dropout is not supported (it randomizes encode); set it to null");
  }
  if (optional_bool(model, "byte_fallback", false, where))
    throw TokenizerError(where + ".byte_fallback: byte fallback is not supported");
  BpeOptions options;
  std::string unk = optional_string(model, "unk_token", where);
  if (!unk.empty()) options.unk_token = unk;
  options.continuing_subword_prefix = optional_string(model, "continuing_subword_prefix", where);
  options.end_of_word_suffix = optional_string(model, "end_of_word_suffix", where);
  options.fuse_unk = optional_bool(model, "fuse_unk", false, where);
  options.ignore_merges = optional_bool(model, "ignore_merges", false, where);
  options.byte_level = byte_level;
  return std::make_unique<BpeModel>(std::move(vocab), merges, std::move(options), origin);
}

// What the ByteLevel decoder makes of one token: the bytes its characters stand for when all of them
// are in the byte table, else the token's own UTF-8 text (e.g. an added token with other characters).
std::string byte_level_token_bytes(const std::string& token) {
  std::string bytes;
  for (std::size_t pos = 0; pos < token.size();) {
    int b = byte_level::unicode_to_byte(utf8::next_code_point(token, pos));
    if (b < 0) return token;
    bytes.push_back(static_cast<char>(b));
  }
  return bytes;
}

bool load_decoder(const json& node, const std::string& origin) {
  if (node.is_null()) return false;
  const std::string where = origin + ": decoder";
  if (!node.is_object() || !node.contains("type") || !node["type"].is_string())
    throw TokenizerError(where + ": expected an object with a string \"type\"");
  std::string type = node["type"].get<std::string>();
  if (type == "ByteLevel") return true;
  throw TokenizerError(where + ".type: decoder '" + type + "' is not supported (supported: ByteLevel, null)");
}

void check_post_processor(const json& node, const std::string& origin) {
  if (node.is_null()) return;
  const std::string where = origin + ": post_processor";
  if (!node.is_object() || !node.contains("type") || !node["type"].is_string())
    throw TokenizerError(where + ": expected an object with a string \"type\"");
  std::string type = node["type"].get<std::string>();
  // ByteLevel's post-processor only trims offsets: the ids are unchanged.
  if (type != "ByteLevel")
    throw TokenizerError(where + ".type: post-processor '" + type + "' is not supported (supported: ByteLevel, null)");
}

}  // namespace

Tokenizer Tokenizer::from_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw TokenizerError(path + ": cannot open tokenizer file");
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw TokenizerError(path + ": read error");
  return from_json_text(buffer.str(), path);
}

std::string Tokenizer::tiny_default_path() {
  if (const char* env = std::getenv("RETORT_TINY_TOKENIZER"); env != nullptr && *env != '\0') return env;
  // Plain string work: libtorch exports its own std::filesystem symbols, which binaries linking it may bind to.
  std::string source = __FILE__;
  return source.substr(0, source.find_last_of('/') + 1) + "assets/tiny_tokenizer.json";
}

Tokenizer Tokenizer::tiny_default() { return from_file(tiny_default_path()); }

Tokenizer Tokenizer::from_json_text(std::string_view json_text, const std::string& origin) {
  json root;
  try {
    root = json::parse(json_text);
  } catch (const json::exception& e) {  // parse_error, and out_of_range for a number like 1e400
    throw TokenizerError(origin + ": not valid JSON: " + e.what());
  }
  if (!root.is_object()) throw TokenizerError(origin + ": expected a JSON object at the top level");

  Tokenizer t;
  t.normalizer_ = Normalizer::from_json(root.value("normalizer", json()), origin);
  t.pre_tokenizer_ = PreTokenizer::from_json(root.value("pre_tokenizer", json()), origin);
  t.model_ = load_bpe(require(root, "model", origin), t.pre_tokenizer_.byte_level(), origin);
  t.byte_level_decoder_ = load_decoder(root.value("decoder", json()), origin);
  check_post_processor(root.value("post_processor", json()), origin);

  t.vocab_size_ = t.model_->max_id() + 1;
  std::vector<AddedToken> raw_tokens, normalized_tokens;
  std::vector<std::string> raw_patterns, normalized_patterns;
  if (root.contains("added_tokens") && !root["added_tokens"].is_null()) {
    const json& list = root["added_tokens"];
    if (!list.is_array()) throw TokenizerError(origin + ": added_tokens: expected an array");
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string where = origin + ": added_tokens[" + std::to_string(i) + "]";
      const json& node = list[i];
      if (!node.is_object()) throw TokenizerError(where + ": expected an object");
      AddedToken token;
      token.id = token_id(require(node, "id", where), where + ".id");
      const json& content = require(node, "content", where);
      if (!content.is_string() || content.get_ref<const std::string&>().empty())
        throw TokenizerError(where + ".content: expected a non-empty string");
      token.content = content.get<std::string>();
      if (!utf8::is_valid(token.content)) throw TokenizerError(where + ".content: not valid UTF-8");
      token.single_word = optional_bool(node, "single_word", false, where);
      token.lstrip = optional_bool(node, "lstrip", false, where);
      token.rstrip = optional_bool(node, "rstrip", false, where);
      token.special = optional_bool(node, "special", false, where);
      token.normalized = optional_bool(node, "normalized", !token.special, where);
      if (t.added_by_id_.count(token.id))
        throw TokenizerError(where + ".id: id " + std::to_string(token.id) + " is used by two added tokens");
      if (const std::string* existing = t.model_->id_to_token(token.id); existing != nullptr && *existing != token.content)
        throw TokenizerError(where + ".id: id " + std::to_string(token.id) + " is '" + *existing +
                             "' in model.vocab but the added token is '" + token.content + "'");
      t.added_by_id_[token.id] = t.added_tokens_.size();
      t.added_by_content_[token.content] = t.added_tokens_.size();
      t.added_tokens_.push_back(token);
      t.vocab_size_ = std::max(t.vocab_size_, token.id + 1);
      if (token.normalized) {
        normalized_patterns.push_back(t.normalizer_.apply(token.content));
        normalized_tokens.push_back(token);
      } else {
        raw_patterns.push_back(token.content);
        raw_tokens.push_back(token);
      }
    }
  }
  // Per-id tables for decode: known, special (by content, as the library checks), and the bytes.
  t.token_bytes_.assign(static_cast<std::size_t>(t.vocab_size_), std::string());
  t.known_id_.assign(static_cast<std::size_t>(t.vocab_size_), false);
  t.special_id_.assign(static_cast<std::size_t>(t.vocab_size_), false);
  for (int32_t id = 0; id < t.vocab_size_; ++id) {
    std::optional<std::string> token = t.id_to_token(id);
    if (!token) continue;
    t.known_id_[id] = true;
    if (auto a = t.added_by_content_.find(*token); a != t.added_by_content_.end())
      t.special_id_[id] = t.added_tokens_[a->second].special;
    t.token_bytes_[id] = t.byte_level_decoder_ ? byte_level_token_bytes(*token) : *token;
  }
  t.raw_splitter_ = AddedTokenSplitter(std::move(raw_tokens), std::move(raw_patterns));
  t.normalized_splitter_ = AddedTokenSplitter(std::move(normalized_tokens), std::move(normalized_patterns));
  return t;
}

const std::string& Tokenizer::token_bytes(int32_t id) const {
  static const std::string empty;
  if (id < 0 || static_cast<std::size_t>(id) >= token_bytes_.size()) return empty;
  return token_bytes_[id];
}

void Tokenizer::encode_plain(std::string_view text, std::vector<int32_t>& ids) const {
  std::vector<std::string> words;
  pre_tokenizer_.split(text, words);
  for (const std::string& word : words) model_->tokenize(word, ids);
}

std::vector<int32_t> Tokenizer::encode(std::string_view input) const {
  std::string repaired;
  std::string_view text = input;
  if (!utf8::is_valid(input)) {
    repaired = utf8::repair_lossy(input);
    text = repaired;
  }
  std::vector<int32_t> ids;
  ids.reserve(text.size() / 3 + 4);
  std::vector<AddedTokenSplitter::Segment> raw_segments, normalized_segments;
  raw_splitter_.split(text, raw_segments);
  for (const auto& raw : raw_segments) {
    if (raw.token_id >= 0) {
      ids.push_back(raw.token_id);
      continue;
    }
    std::string normalized = normalizer_.apply(text.substr(raw.start, raw.end - raw.start));
    if (normalized_splitter_.empty()) {
      encode_plain(normalized, ids);
      continue;
    }
    normalized_segments.clear();
    normalized_splitter_.split(normalized, normalized_segments);
    for (const auto& segment : normalized_segments) {
      if (segment.token_id >= 0) ids.push_back(segment.token_id);
      else encode_plain(std::string_view(normalized).substr(segment.start, segment.end - segment.start), ids);
    }
  }
  return ids;
}

std::string Tokenizer::decode(std::span<const int32_t> ids, bool skip_special_tokens) const {
  std::string bytes;
  bytes.reserve(ids.size() * 4);
  bool first = true;
  for (int32_t id : ids) {
    if (id < 0 || id >= vocab_size_ || !known_id_[id] || (skip_special_tokens && special_id_[id])) continue;
    if (!byte_level_decoder_ && !first) bytes += ' ';  // no decoder: tokens joined by spaces, as the library does
    bytes += token_bytes_[id];
    first = false;
  }
  return utf8::repair_lossy(bytes);
}

std::optional<int32_t> Tokenizer::token_to_id(std::string_view token) const {
  if (auto it = added_by_content_.find(std::string(token)); it != added_by_content_.end())
    return added_tokens_[it->second].id;
  return model_->token_to_id(token);
}

std::optional<std::string> Tokenizer::id_to_token(int32_t id) const {
  if (auto it = added_by_id_.find(id); it != added_by_id_.end()) return added_tokens_[it->second].content;
  if (const std::string* token = model_->id_to_token(id)) return *token;
  return std::nullopt;
}

int32_t Tokenizer::require_token_id(std::string_view token) const {
  if (auto id = token_to_id(token)) return *id;
  throw TokenizerError("tokenizer has no token '" + std::string(token) + "'");
}

bool Tokenizer::is_special(int32_t id) const {
  return id >= 0 && id < vocab_size_ && special_id_[id];
}

}  // namespace retort::model
