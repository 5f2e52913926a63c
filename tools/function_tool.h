// FunctionTool: a Tool whose work is a function object, so each tool is a schema plus a lambda.
#pragma once
#include <functional>
#include <memory>
#include <string>

#include "tools/tool.h"

namespace retort::tools {

class FunctionTool : public Tool {
 public:
  using Body = std::function<nlohmann::json(const nlohmann::json& args, const Deadline& deadline)>;
  FunctionTool(std::string name, std::string description, nlohmann::ordered_json parameters, Body body)
      : Tool(std::move(name), std::move(description), std::move(parameters)), body_(std::move(body)) {}

 protected:
  nlohmann::json run(const nlohmann::json& args, const Deadline& deadline) const override {
    return body_(args, deadline);
  }

 private:
  Body body_;
};

inline std::shared_ptr<Tool> make_function_tool(std::string name, std::string description,
                                                nlohmann::ordered_json parameters, FunctionTool::Body body) {
  return std::make_shared<FunctionTool>(std::move(name), std::move(description), std::move(parameters),
                                        std::move(body));
}

}  // namespace retort::tools
