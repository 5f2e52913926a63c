// `retort score`: verify completions without a model. Reads JSONL, scores every line through the
// reward registry (chem and med verifiers) and a RewardSpec, writes every line back in order.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <fstream>
#include <sstream>
#include <thread>

#include "chem/verifiers/verifiers.h"
#include "cli/commands.h"
#include "core/errors.h"
#include "core/line_scorer.h"
#include "core/progress.h"
#include "med/verifiers.h"

namespace retort::cli {
namespace {

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}
double process_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct ScoringTimes {
  double wall_s = 0;          // the scoring loop, start to end
  double cpu_s = 0;           // CPU time of the whole process during it
  double critical_cpu_s = 0;  // per window, the busiest thread's CPU time (scoring plus the in-order write), summed:
                              // the wall time the loop would take with every thread on its own idle core
};

// Scores LINES on THREADS threads, window by window (bounded memory); inside a window the threads take
// lines from a shared counter in small batches, so a thread that the OS preempts does not hold the
// others at the window's end (the old split gave thread t every THREADS-th line). WRITE gets every
// scored line in input order; PROGRESS the count done after each window.
template <typename Write, typename Progress>
ScoringTimes score_in_windows(const LineScorer& scorer, const std::vector<std::string>& lines, int threads, Write write,
                              Progress progress) {
  constexpr size_t window = 4096, batch = 16;
  threads = std::max(1, std::min<int>(threads, static_cast<int>(std::max<size_t>(1, lines.size()))));
  ScoringTimes times;
  const auto wall_start = std::chrono::steady_clock::now();
  const double cpu_start = process_cpu_seconds();
  std::vector<std::string> scored(std::min(window, lines.size()));
  std::vector<double> thread_cpu(static_cast<size_t>(threads));
  for (size_t begin = 0; begin < lines.size(); begin += window) {
    const size_t end = std::min(lines.size(), begin + window);
    std::atomic<size_t> next{begin};
    auto work = [&](int t) {
      const double start = thread_cpu_seconds();
      for (size_t first; (first = next.fetch_add(batch)) < end;)
        for (size_t i = first; i < std::min(end, first + batch); ++i)
          scored[i - begin] = scorer.score_line(lines[i], i + 1).dump(-1, ' ', false,
                                                                       nlohmann::ordered_json::error_handler_t::replace);
      thread_cpu[static_cast<size_t>(t)] = thread_cpu_seconds() - start;
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(work, t);
    work(0);
    for (auto& th : pool) th.join();
    const double write_start = thread_cpu_seconds();
    for (size_t i = begin; i < end; ++i) write(scored[i - begin]);
    progress(end);
    times.critical_cpu_s += *std::max_element(thread_cpu.begin(), thread_cpu.end()) + thread_cpu_seconds() - write_start;
  }
  times.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  times.cpu_s = process_cpu_seconds() - cpu_start;
  return times;
}

int run(const std::vector<std::string>& argv) {
  Args args(argv);
  args.allow_only({"in", "out", "threads", "reward-spec"});
  if (!args.positionals().empty()) throw UsageError("unexpected argument '" + args.positionals()[0] + "'");
  const std::string in_path = args.require("in"), out_path = args.require("out");
  const int threads = args.get_int("threads", 1);
  if (threads < 1 || threads > 256) throw UsageError("--threads: must be 1..256, got " + std::to_string(threads));

  RewardSpec spec = RewardSpec::defaults();
  if (auto spec_path = args.get("reward-spec")) {
    std::ifstream spec_in(*spec_path);
    if (!spec_in) throw IoError(*spec_path + ": cannot open for reading");
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(spec_in);
    } catch (const std::exception& e) {
      throw ConfigError(*spec_path + ": not valid JSON");
    }
    spec = RewardSpec::from_json(j.contains("reward") ? j["reward"] : j, *spec_path);
  }

  std::ifstream in(in_path, std::ios::binary);
  if (!in) throw IoError(in_path + ": cannot open for reading");
  std::stringstream buffer;
  buffer << in.rdbuf();
  const auto lines = split_lines(buffer.str());

  VerifierRegistry registry;
  chem::register_verifiers(registry);
  med::register_verifiers(registry);
  LineScorer scorer(registry, spec);

  std::ofstream out(out_path, std::ios::binary);
  if (!out) throw IoError(out_path + ": cannot open for writing");
  ProgressBar bar("score", static_cast<int64_t>(lines.size()));
  size_t errors = 0, correct = 0;
  const ScoringTimes times = score_in_windows(scorer, lines, threads, [&](const std::string& line) {
    // Cheap tallies from the text; the line itself is written as scored.
    if (line.find("\"error\":") != std::string::npos) ++errors;
    else if (line.find("\"correct\":true") != std::string::npos) ++correct;
    out << line << "\n";
  }, [&](size_t done) { bar.update(static_cast<int64_t>(done)); });
  bar.finish();
  if (!out) throw IoError(out_path + ": write failed");
  std::fprintf(stderr, "retort score: %zu lines, %zu correct, %zu errors -> %s\n", lines.size(), correct, errors,
               out_path.c_str());
  // Timing of the scoring itself (not the binary's start-up or the file read), for bench/score.sh.
  std::fprintf(stderr,
               "retort score: scoring %.3f s wall, %.3f s cpu on %d thread(s), longest thread %.3f s cpu\n",
               times.wall_s, times.cpu_s, threads, times.critical_cpu_s);
  return 0;
}

std::string usage() {
  std::string u =
      "usage: retort score --in IN.jsonl --out OUT.jsonl [--threads N] [--reward-spec SPEC.json]\n"
      "\n"
      "Reads lines {\"task\", \"reference\", \"completion\", ...} (optionally \"smiles\", \"options\", \"image\",\n"
      "\"perception_answers\", \"id\", \"meta\") and writes each back, in order, with \"reward\", \"correct\" (the\n"
      "verdict on the final answer alone), \"components\" and \"reasons\" added. A malformed line or an unknown\n"
      "task gets an \"error\" field (\"line N: field: problem\") instead; no line is dropped or reordered.\n"
      "\n"
      "Final answer: the last <answer>...</answer> block, else the last \\boxed{...}. The format component is\n"
      "1 only for exactly one <think>...</think> followed by exactly one <answer>...</answer>.\n"
      "\n"
      "options:\n"
      "  --threads N           score on N threads (default 1); output order never changes\n"
      "  --reward-spec FILE    weights, gates, normalisation as JSON (a RewardSpec, or a config with a\n"
      "                        \"reward\" section); default: answer 1, format 0.1, structure /\n"
      "                        property_consistency / principle / logical_consistency 0.125 each,\n"
      "                        perception 0.25, extra terms only when format = 1\n"
      "\n"
      "tasks (task -> verifier: what is checked):\n";
  for (const auto& [task, route] : task_routes()) {
    std::string line = "  " + task;
    line.resize(std::max<size_t>(line.size() + 1, 20), ' ');
    line += route.verifier;
    line.resize(std::max<size_t>(line.size() + 1, 44), ' ');
    u += line + route.description + "\n";
  }
  u +=
      "\n"
      "references: mol_equal \"SMILES\" or {\"smiles\", \"ignore_stereo\", \"largest_fragment\"}; mol_formula\n"
      "\"C9H8O4\"; functional_group {\"formula\", \"groups\": [catalogue names]}; numeric / property numeric\n"
      "a number or {\"value\", \"tolerance\"|\"rel_tolerance\"}; binary / property binary true/false, 1/0 or\n"
      "yes/no (property answers may add a probability: \"yes (probability 0.8)\"); perception\n"
      "{\"question\": \"rings\"|\"aromatic_rings\"|\"nitrogen_atoms\"|...}; mcq \"B\" with \"options\" {\"A\": ...}.\n";
  return u;
}

}  // namespace

Command score_command() { return {"score", "verify completions without a model", usage(), run}; }

}  // namespace retort::cli
