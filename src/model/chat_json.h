// JSON text exactly as Python's json.dumps(value, ensure_ascii=False) writes it (the `tojson` filter of
// transformers' chat templates): ", " and ": " separators, keys in insertion order, non-ASCII kept,
// control characters as \u00XX, floats as Python's repr (1.0, 1e-05, 1e+16).
#pragma once
#include <string>

#include <nlohmann/json.hpp>

namespace retort::model {

std::string python_json_dumps(const nlohmann::ordered_json& value);

// Python's repr() of a float.
std::string python_float_repr(double value);

}  // namespace retort::model
