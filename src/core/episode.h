// Episode: one rollout as plain data (no tensors), so verifiers and tools can read it without LibTorch.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace retort {

struct ToolCallRecord {
  std::string name;
  nlohmann::json arguments;
  std::string response;  // the text spliced back as <tool_response>
  bool ok = false;       // false: the model saw an error text
  double seconds = 0.0;
};

struct Episode {
  std::vector<int32_t> tokens;     // prompt + generated + tool-response tokens, (T)
  std::vector<uint8_t> loss_mask;  // 1 where the policy produced the token, (T)
  std::vector<float> logprobs;     // sampling log-prob of each token, 0 where mask is 0, (T)
  size_t prompt_length = 0;
  std::vector<ToolCallRecord> tool_calls;
  std::string completion;          // decoded text after the prompt, tool responses included
  bool truncated = false;          // stopped by the length limit, not by a stop token
};

}  // namespace retort
