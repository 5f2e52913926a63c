// config.json <-> Qwen2Config (see qwen2_config.h).
#include "model/qwen2_config.h"

#include <fstream>

#include "core/errors.h"

namespace retort::model {
namespace {

[[noreturn]] void fail(const std::string& source, const std::string& key, const std::string& problem) {
  throw ConfigError(source + ": " + key + ": " + problem);
}

int64_t read_int(const nlohmann::json& j, const std::string& source, const std::string& key,
                 std::optional<int64_t> fallback = std::nullopt) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    if (fallback) return *fallback;
    fail(source, key, "required but missing");
  }
  if (!it->is_number_integer()) fail(source, key, "must be an integer, got " + it->dump());
  return it->get<int64_t>();
}

double read_double(const nlohmann::json& j, const std::string& source, const std::string& key, double fallback) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  if (!it->is_number()) fail(source, key, "must be a number, got " + it->dump());
  return it->get<double>();
}

std::optional<int64_t> read_token_id(const nlohmann::json& j, const std::string& source, const std::string& key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  if (it->is_array()) {  // generation configs may list several eos ids; the first is the canonical one
    if (it->empty() || !(*it)[0].is_number_integer()) fail(source, key, "must be an integer id");
    return (*it)[0].get<int64_t>();
  }
  if (!it->is_number_integer()) fail(source, key, "must be an integer id, got " + it->dump());
  return it->get<int64_t>();
}

}  // namespace

nlohmann::json VisionConfig::to_json() const {
  return {{"image_size", image_size},       {"patch_size", patch_size},
          {"channels", channels},           {"hidden_size", hidden_size},
          {"num_layers", num_layers},       {"num_heads", num_heads},
          {"intermediate_size", intermediate_size}, {"layer_norm_eps", layer_norm_eps},
          {"image_token_id", image_token_id}};
}

VisionConfig VisionConfig::from_json(const nlohmann::json& j, const std::string& source) {
  if (!j.is_object()) fail(source, "retort_vision", "must be an object");
  const std::string s = source + ": retort_vision";
  VisionConfig v;
  v.image_size = read_int(j, s, "image_size", v.image_size);
  v.patch_size = read_int(j, s, "patch_size", v.patch_size);
  v.channels = read_int(j, s, "channels", v.channels);
  v.hidden_size = read_int(j, s, "hidden_size");
  v.num_layers = read_int(j, s, "num_layers");
  v.num_heads = read_int(j, s, "num_heads");
  v.intermediate_size = read_int(j, s, "intermediate_size");
  v.layer_norm_eps = read_double(j, s, "layer_norm_eps", v.layer_norm_eps);
  v.image_token_id = read_int(j, s, "image_token_id");
  if (v.patch_size <= 0 || v.image_size <= 0 || v.image_size % v.patch_size != 0)
    fail(s, "patch_size", "must divide image_size");
  if (v.num_heads <= 0 || v.hidden_size <= 0 || v.hidden_size % v.num_heads != 0)
    fail(s, "num_heads", "must divide hidden_size");
  if (v.num_layers < 0 || v.intermediate_size <= 0 || v.channels <= 0) fail(s, "num_layers", "sizes must be positive");
  if (v.image_token_id < 0) fail(s, "image_token_id", "must be a token id");
  return v;
}

Qwen2Config Qwen2Config::from_json(const nlohmann::json& j, const std::string& source) {
  if (!j.is_object()) throw ConfigError(source + ": not a JSON object");
  if (j.contains("model_type") && j["model_type"].is_string()) {
    std::string type = j["model_type"].get<std::string>();
    if (type != "qwen2" && type != "qwen2.5" && type != "llama" && type != "qwen3")
      fail(source, "model_type", "'" + type + "' is not a Qwen2-family decoder");
  }
  if (j.value("use_sliding_window", false)) fail(source, "use_sliding_window", "sliding-window attention is not supported");
  Qwen2Config c;
  c.vocab_size = read_int(j, source, "vocab_size");
  c.hidden_size = read_int(j, source, "hidden_size");
  c.intermediate_size = read_int(j, source, "intermediate_size");
  c.num_hidden_layers = read_int(j, source, "num_hidden_layers");
  c.num_attention_heads = read_int(j, source, "num_attention_heads");
  c.num_key_value_heads = read_int(j, source, "num_key_value_heads", c.num_attention_heads);
  c.head_dim = c.num_attention_heads > 0 ? c.hidden_size / c.num_attention_heads : 0;
  c.head_dim = read_int(j, source, "head_dim", c.head_dim);
  c.max_position_embeddings = read_int(j, source, "max_position_embeddings", c.max_position_embeddings);
  c.rms_norm_eps = read_double(j, source, "rms_norm_eps", c.rms_norm_eps);
  c.initializer_range = read_double(j, source, "initializer_range", c.initializer_range);
  // transformers < 5 writes rope_theta at the top level; 5.x writes rope_parameters.rope_theta.
  c.rope_theta = read_double(j, source, "rope_theta", c.rope_theta);
  if (auto rp = j.find("rope_parameters"); rp != j.end() && rp->is_object()) {
    c.rope_theta = read_double(*rp, source + ": rope_parameters", "rope_theta", c.rope_theta);
    std::string type = rp->value("rope_type", std::string("default"));
    if (type != "default") fail(source, "rope_parameters.rope_type", "'" + type + "' is not supported (only default RoPE)");
  }
  if (auto rs = j.find("rope_scaling"); rs != j.end() && !rs->is_null()) {
    std::string type = rs->is_object() ? rs->value("rope_type", rs->value("type", std::string("default"))) : "?";
    if (type != "default") fail(source, "rope_scaling", "RoPE scaling '" + type + "' is not supported");
  }
  if (auto t = j.find("tie_word_embeddings"); t != j.end() && !t->is_null()) {
    if (!t->is_boolean()) fail(source, "tie_word_embeddings", "must be true or false");
    c.tie_word_embeddings = t->get<bool>();
  }
  for (const char* key : {"torch_dtype", "dtype"})
    if (auto d = j.find(key); d != j.end() && d->is_string()) c.dtype = d->get<std::string>();
  if (auto act = j.find("hidden_act"); act != j.end() && act->is_string() && act->get<std::string>() != "silu")
    fail(source, "hidden_act", "'" + act->get<std::string>() + "' is not supported (Qwen2 uses silu)");
  c.bos_token_id = read_token_id(j, source, "bos_token_id");
  c.eos_token_id = read_token_id(j, source, "eos_token_id");
  c.pad_token_id = read_token_id(j, source, "pad_token_id");
  if (auto v = j.find("retort_vision"); v != j.end() && !v->is_null()) c.vision = VisionConfig::from_json(*v, source);
  c.validate(source);
  return c;
}

Qwen2Config Qwen2Config::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw IoError(path + ": cannot open");
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw ConfigError(path + ": not valid JSON: " + e.what());
  }
  return from_json(j, path);
}

void Qwen2Config::validate(const std::string& source) const {
  auto positive = [&](const char* key, int64_t v) {
    if (v <= 0) fail(source, key, "must be positive, got " + std::to_string(v));
  };
  positive("vocab_size", vocab_size);
  positive("hidden_size", hidden_size);
  positive("intermediate_size", intermediate_size);
  positive("num_hidden_layers", num_hidden_layers);
  positive("num_attention_heads", num_attention_heads);
  positive("num_key_value_heads", num_key_value_heads);
  positive("head_dim", head_dim);
  positive("max_position_embeddings", max_position_embeddings);
  if (head_dim % 2 != 0) fail(source, "head_dim", "must be even for RoPE, got " + std::to_string(head_dim));
  if (num_attention_heads % num_key_value_heads != 0)
    fail(source, "num_key_value_heads", std::to_string(num_key_value_heads) + " does not divide num_attention_heads " +
                                            std::to_string(num_attention_heads));
  if (!(rms_norm_eps > 0)) fail(source, "rms_norm_eps", "must be positive");
  if (!(rope_theta > 0)) fail(source, "rope_theta", "must be positive");
  if (vision && vision->image_token_id >= vocab_size)
    fail(source, "retort_vision.image_token_id", "outside the vocabulary");
}

nlohmann::json Qwen2Config::to_json() const {
  nlohmann::json j = {
      {"architectures", {"Qwen2ForCausalLM"}},
      {"model_type", "qwen2"},
      {"hidden_act", "silu"},
      {"attention_dropout", 0.0},
      {"vocab_size", vocab_size},
      {"hidden_size", hidden_size},
      {"intermediate_size", intermediate_size},
      {"num_hidden_layers", num_hidden_layers},
      {"num_attention_heads", num_attention_heads},
      {"num_key_value_heads", num_key_value_heads},
      {"head_dim", head_dim},
      {"max_position_embeddings", max_position_embeddings},
      {"rope_theta", rope_theta},
      {"rms_norm_eps", rms_norm_eps},
      {"initializer_range", initializer_range},
      {"tie_word_embeddings", tie_word_embeddings},
      {"use_cache", true},
      {"use_sliding_window", false},
      {"torch_dtype", dtype},
  };
  if (bos_token_id) j["bos_token_id"] = *bos_token_id;
  if (eos_token_id) j["eos_token_id"] = *eos_token_id;
  if (pad_token_id) j["pad_token_id"] = *pad_token_id;
  if (vision) j["retort_vision"] = vision->to_json();
  return j;
}

}  // namespace retort::model
