// A small JSON-schema validator for the subset tool schemas use: type (string, number, integer, boolean,
// object, array, null, or a list of them), required, properties, additionalProperties (false),
// enum, minimum/maximum, minLength/maxLength (in UTF-8 code points), items, minItems/maxItems.
// Messages read like "argument 'smiles': expected string, got number" so a model can fix its call.
#pragma once
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace retort::tools {

// The JSON type name of VALUE as a schema spells it ("string", "number", "object", ...; integers are "number").
std::string json_type_name(const nlohmann::json& value);

// The first violation of SCHEMA by ARGUMENTS (the tool's arguments object), or nullopt when valid.
std::optional<std::string> validate_arguments(const nlohmann::json& schema, const nlohmann::json& arguments);

}  // namespace retort::tools
