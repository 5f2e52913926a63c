// Python json.dumps-compatible serialization for rendering tool schemas and tool-call arguments.
#include "model/chat_json.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace retort::model {
namespace {

void append_string(std::string& out, const std::string& s) {
  out.push_back('"');
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) {
          char buffer[8];
          std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
          out += buffer;
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('"');
}

void append_value(std::string& out, const nlohmann::ordered_json& value) {
  using value_t = nlohmann::ordered_json::value_t;
  switch (value.type()) {
    case value_t::null: out += "null"; break;
    case value_t::boolean: out += value.get<bool>() ? "true" : "false"; break;
    case value_t::number_integer: out += std::to_string(value.get<int64_t>()); break;
    case value_t::number_unsigned: out += std::to_string(value.get<uint64_t>()); break;
    case value_t::number_float: out += python_float_repr(value.get<double>()); break;
    case value_t::string: append_string(out, value.get_ref<const std::string&>()); break;
    case value_t::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& item : value) {
        if (!first) out += ", ";
        append_value(out, item);
        first = false;
      }
      out.push_back(']');
      break;
    }
    case value_t::object: {
      out.push_back('{');
      bool first = true;
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (!first) out += ", ";
        append_string(out, it.key());
        out += ": ";
        append_value(out, it.value());
        first = false;
      }
      out.push_back('}');
      break;
    }
    case value_t::binary:
    case value_t::discarded: out += "null"; break;
  }
}

}  // namespace

std::string python_float_repr(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  // Shortest round-trip digits in scientific form, e.g. "-1.25e+02", then Python's layout: fixed
  // notation when -4 <= exponent < 16 (always with a fractional part), else d.ddde+XX.
  char buffer[64];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
  std::string scientific(buffer, result.ptr);
  std::size_t e = scientific.find('e');
  std::string mantissa = scientific.substr(0, e);
  int exponent = std::stoi(scientific.substr(e + 1));
  if (exponent < -4 || exponent >= 16) return scientific;
  bool negative = mantissa[0] == '-';
  std::string digits;
  for (char c : mantissa)
    if (c >= '0' && c <= '9') digits.push_back(c);
  std::string out = negative ? "-" : "";
  if (exponent < 0) {
    out += "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + digits;
  } else {
    std::size_t integer_digits = static_cast<std::size_t>(exponent) + 1;
    if (digits.size() <= integer_digits) {
      out += digits + std::string(integer_digits - digits.size(), '0') + ".0";
    } else {
      out += digits.substr(0, integer_digits) + "." + digits.substr(integer_digits);
    }
  }
  return out;
}

std::string python_json_dumps(const nlohmann::ordered_json& value) {
  std::string out;
  append_value(out, value);
  return out;
}

}  // namespace retort::model
