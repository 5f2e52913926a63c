// tools.prompt_schemas (issue 7, examples/tool_agent): how much of each tool schema the system prompt's
// "# Tools" block carries. "full" (the default) must stay the registry's schemas unchanged; "compact"
// keeps name, the description's first sentence without asides and the required arguments' types;
// "none" renders no "# Tools" block. Expected compact schemas are written out by hand from the
// registry's descriptions (tools/chem_tools.cpp).
#include <gtest/gtest.h>

#include <string>

#include "core/config.h"
#include "core/errors.h"
#include "model/tokenizer.h"
#include "rl/prompting.h"
#include "rl/tool_settings.h"

namespace retort::rl {
namespace {

using ojson = nlohmann::ordered_json;

ToolSettings read(const json& tools) {
  return read_tool_settings(Config::from_json(json{{"tools", tools}}, "test"));
}

const model::Tokenizer& tokenizer() {
  static const model::Tokenizer t = model::Tokenizer::tiny_default();
  return t;
}

std::string system_prompt_text(const ToolSettings& settings) {
  PromptBuilder prompts(tokenizer(), "You are a chemist.", 0);
  prompts.set_tools(settings);
  Example e;
  e.id = "t";
  e.task = "numeric";
  e.prompt = "SMILES: CCO";
  std::vector<int32_t> ids;
  for (int64_t id : prompts.build(e).ids) ids.push_back(static_cast<int32_t>(id));
  return tokenizer().decode(ids, /*skip_special_tokens=*/false);
}

TEST(ToolPromptSchemas, DefaultIsFullAndUnchanged) {
  ToolSettings s = read({{"enabled", true}, {"names", {"molecular_weight", "similarity"}}});
  EXPECT_EQ(s.prompt_schemas, "full");
  std::vector<ojson> schemas = tool_schemas(s);
  ASSERT_EQ(schemas.size(), 2u);
  EXPECT_EQ(schemas[0], default_tool_registry().select({"molecular_weight"}).schema_list()[0]);
  // The full schema keeps the argument description and limits.
  EXPECT_EQ(schemas[0]["function"]["parameters"]["properties"]["smiles"]["description"], "SMILES of the molecule");
  EXPECT_TRUE(schemas[1]["function"]["parameters"]["properties"].contains("radius"));
}

TEST(ToolPromptSchemas, CompactKeepsNameFirstSentenceAndRequiredArgumentTypes) {
  ToolSettings s = read({{"enabled", true},
                         {"names", {"molecular_weight", "similarity", "descriptors"}},
                         {"prompt_schemas", "compact"}});
  std::vector<ojson> schemas = tool_schemas(s);
  ASSERT_EQ(schemas.size(), 3u);  // the registry's (alphabetical) order
  EXPECT_EQ(schemas[1].dump(),
            R"({"type":"function","function":{"name":"molecular_weight","description":"Average molecular weight and )"
            R"(monoisotopic exact mass.","parameters":{"type":"object","properties":{"smiles":{"type":"string"}},)"
            R"("required":["smiles"]}}})");
  // The optional radius is gone; both required SMILES stay, in the registry's order.
  EXPECT_EQ(schemas[2].dump(),
            R"({"type":"function","function":{"name":"similarity","description":"Tanimoto similarity of two molecules )"
            R"(on Morgan fingerprints.","parameters":{"type":"object","properties":{"smiles_a":{"type":"string"},)"
            R"("smiles_b":{"type":"string"}},"required":["smiles_a","smiles_b"]}}})");
  EXPECT_EQ(schemas[0]["function"]["description"],
            "RDKit descriptors: molecular weight, exact mass, Crippen logP and molar refractivity, TPSA, H-bond donors "
            "and acceptors, rotatable bonds, fraction sp3 carbons, ring counts, heavy atoms, formal charge, QED and "
            "synthetic accessibility.");
}

TEST(ToolPromptSchemas, CompactCutsAtTheFirstSentenceEnd) {
  ojson schema = {{"type", "function"},
                  {"function",
                   {{"name", "x"},
                    {"description", "Does one thing (e.g. 1.5 units). Then more. And more."},
                    {"parameters", {{"type", "object"}, {"properties", ojson::object()}}}}}};
  ojson compact = compact_tool_schema(schema);
  EXPECT_EQ(compact["function"]["description"], "Does one thing.");
  EXPECT_EQ(compact["function"]["parameters"].dump(), R"({"type":"object","properties":{},"required":[]})");
}

TEST(ToolPromptSchemas, SystemPromptCarriesTheChosenBlock) {
  json names = {"molecular_weight", "molecular_formula", "descriptors", "similarity"};
  std::string full = system_prompt_text(read({{"enabled", true}, {"names", names}}));
  std::string compact = system_prompt_text(read({{"enabled", true}, {"names", names}, {"prompt_schemas", "compact"}}));
  std::string none = system_prompt_text(read({{"enabled", true}, {"names", names}, {"prompt_schemas", "none"}}));
  EXPECT_NE(full.find("# Tools"), std::string::npos);
  EXPECT_NE(full.find("\"minLength\": 1"), std::string::npos);
  EXPECT_NE(compact.find("# Tools"), std::string::npos);
  EXPECT_NE(compact.find("{\"name\": \"similarity\", \"description\": \"Tanimoto similarity of two molecules on Morgan "
                         "fingerprints.\""),
            std::string::npos);
  EXPECT_EQ(compact.find("minLength"), std::string::npos);
  EXPECT_LT(compact.size() + 600, full.size());  // 1642 vs 2353 characters (the Hermes preamble stays)
  EXPECT_EQ(none, "<|im_start|>system\nYou are a chemist.<|im_end|>\n<|im_start|>user\nSMILES: CCO<|im_end|>\n"
                  "<|im_start|>assistant\n");
}

TEST(ToolPromptSchemas, UnknownValueIsAnErrorNamingTheKey) {
  try {
    read({{"enabled", true}, {"prompt_schemas", "short"}});
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("tools.prompt_schemas"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace retort::rl
