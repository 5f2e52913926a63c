// Config: dotted-key access into a JSON document with validation messages a user can act on.
#include "core/config.h"

#include <cmath>
#include <cstdint>
#include <fstream>
#include <sstream>

#include "core/config_key_log.h"
#include "core/errors.h"

namespace retort {

namespace {

// A value for an error message; never throws (a --set string may hold invalid UTF-8).
std::string shown(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

std::vector<std::string> split_key(const std::string& key) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(key);
  while (std::getline(in, part, '.')) parts.push_back(part);
  return parts;
}

Config Config::from_json(json root, std::string source_name) {
  Config c;
  c.root_ = std::move(root);
  c.source_ = std::move(source_name);
  if (!c.root_.is_object()) throw ConfigError(c.source_ + ": top level must be a JSON object");
  return c;
}

Config Config::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError(path + ": cannot open file");
  std::string name = path.substr(path.find_last_of('/') + 1);
  try {
    return from_json(json::parse(in), name);
  } catch (const json::exception& e) {  // parse_error, and out_of_range for a number like 1e400
    // nlohmann reports "[json.exception.parse_error.101] parse error at line 3, column 5: ..."
    std::string what = e.what();
    auto pos = what.find("at line");
    throw ConfigError(name + ": invalid JSON " + (pos == std::string::npos ? what : what.substr(pos)));
  }
}

void Config::apply_override(const std::string& assignment) {
  auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw ConfigError("--set " + assignment + ": expected key=value");
  std::string key = assignment.substr(0, eq);
  std::string text = assignment.substr(eq + 1);
  json value = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) value = text;
  json* node = &root_;
  auto parts = split_key(key);
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    json& child = (*node)[parts[i]];
    if (child.is_null()) child = json::object();
    if (!child.is_object())
      throw ConfigError("--set " + key + ": '" + parts[i] + "' is not an object in " + source_);
    node = &child;
  }
  (*node)[parts.back()] = value;
}

const json* Config::find(const std::string& key) const {
  const json* node = &root_;
  for (const auto& part : split_key(key)) {
    if (!node->is_object()) return nullptr;
    auto it = node->find(part);
    if (it == node->end()) return nullptr;
    node = &*it;
  }
  used_.insert(key);
  return node;
}

bool Config::has(const std::string& key) const { return find(key) != nullptr; }

void Config::fail(const std::string& key, const std::string& problem) const {
  throw ConfigError(source_ + ": " + key + ": " + problem);
}

int64_t Config::get_int(const std::string& key, std::optional<int64_t> fallback,
                        std::optional<int64_t> min, std::optional<int64_t> max) const {
  if (ConfigKeyLog::active())
    ConfigKeyLog::note({key, "integer", fallback ? json(*fallback) : json(), !fallback,
                        min ? std::optional<double>(static_cast<double>(*min)) : std::nullopt,
                        max ? std::optional<double>(static_cast<double>(*max)) : std::nullopt, {}});
  const json* v = find(key);
  int64_t x;
  if (!v) {
    if (!fallback) fail(key, "required integer is missing");
    x = *fallback;
  } else if (v->is_number_unsigned() && v->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
    fail(key, "must be an integer below 2^63, got " + shown(*v));
  } else if (v->is_number_integer()) {
    x = v->get<int64_t>();
  } else if (v->is_number_float() && std::trunc(v->get<double>()) == v->get<double>() &&
             std::abs(v->get<double>()) < 9.2233720368547758e18) {  // 2^63: larger doubles do not fit (UB to cast)
    x = static_cast<int64_t>(v->get<double>());
  } else {
    fail(key, "must be an integer, got " + shown(*v));
  }
  if (min && x < *min) fail(key, "must be >= " + std::to_string(*min) + ", got " + std::to_string(x));
  if (max && x > *max) fail(key, "must be <= " + std::to_string(*max) + ", got " + std::to_string(x));
  return x;
}

double Config::get_double(const std::string& key, std::optional<double> fallback,
                          std::optional<double> min, std::optional<double> max) const {
  if (ConfigKeyLog::active()) ConfigKeyLog::note({key, "number", fallback ? json(*fallback) : json(), !fallback, min, max, {}});
  const json* v = find(key);
  double x;
  if (!v) {
    if (!fallback) fail(key, "required number is missing");
    x = *fallback;
  } else if (v->is_number()) {
    x = v->get<double>();
  } else {
    fail(key, "must be a number, got " + shown(*v));
  }
  auto str = [](double d) { json j = d; return j.dump(); };
  if (min && x < *min) fail(key, "must be >= " + str(*min) + ", got " + str(x));
  if (max && x > *max) fail(key, "must be <= " + str(*max) + ", got " + str(x));
  return x;
}

bool Config::get_bool(const std::string& key, std::optional<bool> fallback) const {
  if (ConfigKeyLog::active()) ConfigKeyLog::note({key, "boolean", fallback ? json(*fallback) : json(), !fallback, std::nullopt, std::nullopt, {}});
  const json* v = find(key);
  if (!v) {
    if (!fallback) fail(key, "required boolean is missing");
    return *fallback;
  }
  if (!v->is_boolean()) fail(key, "must be true or false, got " + shown(*v));
  return v->get<bool>();
}

std::string Config::get_string(const std::string& key, std::optional<std::string> fallback,
                               const std::vector<std::string>& allowed) const {
  if (ConfigKeyLog::active()) ConfigKeyLog::note({key, "string", fallback ? json(*fallback) : json(), !fallback, std::nullopt, std::nullopt, allowed});
  const json* v = find(key);
  std::string s;
  if (!v) {
    if (!fallback) fail(key, "required string is missing");
    s = *fallback;
  } else if (v->is_string()) {
    s = v->get<std::string>();
  } else {
    fail(key, "must be a string, got " + shown(*v));
  }
  if (!allowed.empty()) {
    bool ok = false;
    std::string list;
    for (const auto& a : allowed) {
      ok = ok || a == s;
      list += (list.empty() ? "" : ", ") + a;
    }
    if (!ok) fail(key, "must be one of {" + list + "}, got \"" + s + "\"");
  }
  return s;
}

json Config::get_json(const std::string& key, std::optional<json> fallback) const {
  if (ConfigKeyLog::active()) ConfigKeyLog::note({key, "json", fallback ? *fallback : json(), !fallback, std::nullopt, std::nullopt, {}});
  const json* v = find(key);
  if (!v) {
    if (!fallback) fail(key, "required value is missing");
    return *fallback;
  }
  // Mark every key below as read: the caller validates the subtree itself.
  std::vector<std::pair<std::string, const json*>> stack{{key, v}};
  while (!stack.empty()) {
    auto [prefix, node] = stack.back();
    stack.pop_back();
    used_.insert(prefix);
    if (node->is_object())
      for (auto it = node->begin(); it != node->end(); ++it)
        stack.push_back({prefix + "." + it.key(), &it.value()});
  }
  return *v;
}

void Config::check_all_used() const {
  std::vector<std::pair<std::string, const json*>> stack;
  for (auto it = root_.begin(); it != root_.end(); ++it) stack.push_back({it.key(), &it.value()});
  while (!stack.empty()) {
    auto [key, node] = stack.back();
    stack.pop_back();
    bool read = used_.count(key) > 0;
    if (node->is_object() && !read) {
      // An object is fine when something below it was read; report its unread leaves.
      for (auto it = node->begin(); it != node->end(); ++it)
        stack.push_back({key + "." + it.key(), &it.value()});
      continue;
    }
    if (!read) fail(key, "unknown key (not used by any part of retort; a typo?)");
  }
}

}  // namespace retort
