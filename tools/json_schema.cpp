// The JSON-schema subset validator (see json_schema.h).
#include "tools/json_schema.h"

#include <cmath>
#include <sstream>

namespace retort::tools {
namespace {

using nlohmann::json;

size_t utf8_length(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string short_dump(const json& v) {
  std::string s = v.dump(-1, ' ', false, json::error_handler_t::replace);
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return s;
}

std::string format_number(double x) {
  std::ostringstream out;
  out << x;
  return out.str();
}

bool type_matches(const std::string& type, const json& v) {
  if (type == "string") return v.is_string();
  if (type == "integer") {
    if (v.is_number_integer()) return true;
    // 3.0 counts as an integer, as JSON Schema says; 3.5 does not.
    return v.is_number_float() && std::isfinite(v.get<double>()) && std::floor(v.get<double>()) == v.get<double>();
  }
  if (type == "number") return v.is_number();
  if (type == "boolean") return v.is_boolean();
  if (type == "object") return v.is_object();
  if (type == "array") return v.is_array();
  if (type == "null") return v.is_null();
  return false;
}

std::string where(const std::string& path) { return path.empty() ? "arguments" : "argument '" + path + "'"; }

std::optional<std::string> validate(const json& schema, const json& v, const std::string& path) {
  if (!schema.is_object()) return std::nullopt;
  if (auto t = schema.find("type"); t != schema.end()) {
    bool ok = false;
    std::string expected;
    if (t->is_string()) {
      ok = type_matches(t->get<std::string>(), v);
      expected = t->get<std::string>();
    } else if (t->is_array()) {
      for (const auto& one : *t) {
        if (!one.is_string()) continue;
        ok = ok || type_matches(one.get<std::string>(), v);
        expected += (expected.empty() ? "" : " or ") + one.get<std::string>();
      }
    }
    if (!ok) return where(path) + ": expected " + expected + ", got " + json_type_name(v);
  }
  if (auto e = schema.find("enum"); e != schema.end() && e->is_array()) {
    bool found = false;
    std::string options;
    for (const auto& option : *e) {
      found = found || option == v;
      options += (options.empty() ? "" : ", ") + short_dump(option);
    }
    if (!found) return where(path) + ": " + short_dump(v) + " is not one of " + options;
  }
  if (v.is_number()) {
    double x = v.get<double>();
    if (!std::isfinite(x)) return where(path) + ": must be a finite number";
    if (auto m = schema.find("minimum"); m != schema.end() && m->is_number() && x < m->get<double>())
      return where(path) + ": must be >= " + format_number(m->get<double>()) + ", got " + short_dump(v);
    if (auto m = schema.find("maximum"); m != schema.end() && m->is_number() && x > m->get<double>())
      return where(path) + ": must be <= " + format_number(m->get<double>()) + ", got " + short_dump(v);
  }
  if (v.is_string()) {
    size_t n = utf8_length(v.get_ref<const std::string&>());
    if (auto m = schema.find("minLength"); m != schema.end() && m->is_number_unsigned() && n < m->get<size_t>())
      return where(path) + ": must have at least " + std::to_string(m->get<size_t>()) + " characters, got " +
             std::to_string(n);
    if (auto m = schema.find("maxLength"); m != schema.end() && m->is_number_unsigned() && n > m->get<size_t>())
      return where(path) + ": must have at most " + std::to_string(m->get<size_t>()) + " characters, got " +
             std::to_string(n);
  }
  if (v.is_array()) {
    if (auto m = schema.find("minItems"); m != schema.end() && m->is_number_unsigned() && v.size() < m->get<size_t>())
      return where(path) + ": must have at least " + std::to_string(m->get<size_t>()) + " items, got " +
             std::to_string(v.size());
    if (auto m = schema.find("maxItems"); m != schema.end() && m->is_number_unsigned() && v.size() > m->get<size_t>())
      return where(path) + ": must have at most " + std::to_string(m->get<size_t>()) + " items, got " +
             std::to_string(v.size());
    if (auto items = schema.find("items"); items != schema.end()) {
      for (size_t i = 0; i < v.size(); ++i) {
        if (auto err = validate(*items, v[i], path + "[" + std::to_string(i) + "]")) return err;
      }
    }
  }
  if (v.is_object()) {
    const json* properties = nullptr;
    if (auto p = schema.find("properties"); p != schema.end() && p->is_object()) properties = &*p;
    if (auto r = schema.find("required"); r != schema.end() && r->is_array()) {
      for (const auto& name : *r) {
        if (name.is_string() && !v.contains(name.get<std::string>())) {
          std::string full = path.empty() ? name.get<std::string>() : path + "." + name.get<std::string>();
          return "missing required argument '" + full + "'";
        }
      }
    }
    bool closed = false;
    if (auto a = schema.find("additionalProperties"); a != schema.end() && a->is_boolean()) closed = !a->get<bool>();
    for (const auto& [key, value] : v.items()) {
      std::string full = path.empty() ? key : path + "." + key;
      if (properties && properties->contains(key)) {
        if (auto err = validate((*properties)[key], value, full)) return err;
      } else if (closed) {
        std::string known;
        if (properties)
          for (const auto& [k, s] : properties->items()) known += (known.empty() ? "" : ", ") + k;
        return "unknown argument '" + full + "' (expected: " + (known.empty() ? "none" : known) + ")";
      }
    }
  }
  return std::nullopt;
}

}  // namespace

std::string json_type_name(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: return "number";
    case json::value_t::string: return "string";
    case json::value_t::array: return "array";
    case json::value_t::object: return "object";
    default: return "binary";
  }
}

std::optional<std::string> validate_arguments(const json& schema, const json& arguments) {
  return validate(schema, arguments, "");
}

}  // namespace retort::tools
