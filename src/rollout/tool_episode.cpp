// The tool-call episode loop (see tool_episode.h): run, answer the paused sequences' calls in parallel,
// append their tool turns, resume, until every sequence has finished.
#include "rollout/tool_episode.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include "model/tokenizer.h"
#include "tools/tool_response.h"

namespace retort::rollout {
namespace {

std::vector<int64_t> encode64(const model::Tokenizer& tokenizer, const std::string& text) {
  std::vector<int64_t> ids;
  for (int32_t id : tokenizer.encode(text)) ids.push_back(id);
  return ids;
}

ToolCallRecord refusal(const std::string& message) {
  ToolCallRecord record;
  record.name = "call_limit";
  record.ok = false;
  record.response = tools::tool_response_body(tools::ToolResult::failure(message), 4096);  // the JSON body
  return record;
}

}  // namespace

std::string tool_turn_prefix() { return "<|im_end|>\n<|im_start|>user\n<tool_response>\n"; }
std::string tool_turn_suffix() { return "\n</tool_response><|im_end|>\n<|im_start|>assistant\n"; }

std::vector<int64_t> tool_turn_ids(const model::Tokenizer& tokenizer, const std::string& body, int64_t max_body_tokens) {
  std::vector<int64_t> ids = encode64(tokenizer, tool_turn_prefix());
  std::vector<int64_t> body_ids = encode64(tokenizer, body);
  const int64_t keep = std::max<int64_t>(0, max_body_tokens);
  if (static_cast<int64_t>(body_ids.size()) > keep) {
    const int64_t dropped = static_cast<int64_t>(body_ids.size()) - keep;
    body_ids.resize(keep);
    auto marker = encode64(tokenizer, " ...[truncated " + std::to_string(dropped) + " tokens]");
    body_ids.insert(body_ids.end(), marker.begin(), marker.end());
  }
  ids.insert(ids.end(), body_ids.begin(), body_ids.end());
  auto suffix = encode64(tokenizer, tool_turn_suffix());
  ids.insert(ids.end(), suffix.begin(), suffix.end());
  return ids;
}

int64_t tool_append_capacity(const ToolEpisodeLimits& limits) {
  // Each turn: the body limit, the marker (< 16 tokens), the ChatML wrapper (< 32 tokens); the error
  // turn after the limit is short but budgeted the same.
  return (std::max<int64_t>(0, limits.max_calls) + 1) * (std::max<int64_t>(0, limits.max_response_tokens) + 48);
}

ToolEpisodeRunner::ToolEpisodeRunner(const tools::ToolRegistry& registry, const model::Tokenizer& tokenizer,
                                     ToolEpisodeLimits limits)
    : registry_(registry), tokenizer_(tokenizer), limits_(limits) {}

ToolCallRecord ToolEpisodeRunner::answer(const std::string& segment) const {
  ToolCallRecord record;
  try {
    std::vector<tools::ParsedToolCall> blocks = parser_.parse(segment);
    tools::ToolResult result;
    if (blocks.empty()) {
      record.name = "invalid_call";
      result = tools::ToolResult::failure("no <tool_call> block found");
    } else if (!blocks.back().ok()) {
      record.name = "invalid_call";
      result = tools::ToolResult::failure(blocks.back().error);
    } else {
      const tools::ToolCall& call = *blocks.back().call;
      record.name = call.name;
      record.arguments = call.arguments;
      result = registry_.call(call.name, call.arguments, tools::Deadline::after(limits_.deadline));
    }
    record.ok = result.ok;
    record.seconds = result.seconds;
    // Bytes are capped generously here; the token limit applies when the turn is tokenized.
    record.response = tools::tool_response_body(result, 64 * 1024);
  } catch (const std::exception& e) {  // allocation failure or the like: still an answer the model reads
    record.ok = false;
    record.response = tools::tool_response_body(tools::ToolResult::failure(std::string("tool call failed: ") + e.what()), 4096);
  }
  return record;
}

std::vector<std::vector<ToolCallRecord>> ToolEpisodeRunner::run(PausableBatch& batch) const {
  const int64_t B = batch.size();
  std::vector<std::vector<ToolCallRecord>> calls(B);
  std::vector<char> refused(B, 0);  // the sequence already got the call-limit error
  while (true) {
    batch.run();
    std::vector<int64_t> paused;
    for (int64_t i = 0; i < B; ++i)
      if (batch.sequence(i).status == SequenceStatus::paused) paused.push_back(i);
    if (paused.empty()) break;

    // Which paused sequences get a tool run, which the limit error, which end.
    std::vector<int64_t> to_run;
    std::vector<std::string> segments(B);
    for (int64_t i : paused) {
      if (static_cast<int64_t>(calls[i].size()) >= limits_.max_calls) {
        if (refused[i]) {
          batch.finish(i);
          continue;
        }
        refused[i] = 1;
        calls[i].push_back(refusal("tool call limit reached (" + std::to_string(limits_.max_calls) +
                                   " calls per episode); answer without further tool calls"));
        continue;
      }
      const Sequence& s = batch.sequence(i);
      std::vector<int32_t> segment(s.tokens.begin() + static_cast<std::ptrdiff_t>(s.segment_begin), s.tokens.end());
      segments[i] = tokenizer_.decode(segment, /*skip_special_tokens=*/false);
      to_run.push_back(i);
    }

    // Tool calls in parallel: a few workers take the paused sequences in turn.
    std::vector<ToolCallRecord> answered(to_run.size());
    std::atomic<size_t> next{0};
    auto worker = [&] {
      for (size_t k = next++; k < to_run.size(); k = next++) answered[k] = answer(segments[to_run[k]]);
    };
    const int workers = std::max(1, std::min<int>(limits_.threads, static_cast<int>(to_run.size())));
    std::vector<std::thread> pool;
    for (int w = 1; w < workers; ++w) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();
    for (size_t k = 0; k < to_run.size(); ++k) calls[to_run[k]].push_back(std::move(answered[k]));

    // Append each answered (or refused) sequence's tool turn and resume it.
    for (int64_t i : paused) {
      if (batch.sequence(i).status != SequenceStatus::paused) continue;  // ended above
      ToolCallRecord& record = calls[i].back();
      std::vector<int64_t> ids = tool_turn_ids(tokenizer_, record.response, limits_.max_response_tokens);
      // The record keeps the text the model read: the turn as tokenized (truncation marker included).
      std::vector<int32_t> body(ids.begin(), ids.end());
      std::string turn = tokenizer_.decode(body, /*skip_special_tokens=*/false);
      const std::string prefix = tool_turn_prefix(), suffix = tool_turn_suffix();
      if (turn.size() >= prefix.size() + suffix.size())
        record.response = "<tool_response>\n" + turn.substr(prefix.size(), turn.size() - prefix.size() - suffix.size()) +
                          "\n</tool_response>";
      batch.append_and_resume(i, ids);  // false: no room in the cache, the sequence has ended
    }
  }
  return calls;
}

}  // namespace retort::rollout
