// Cold-start traces read by the verifier engineer's claim extractor (chem/verifiers): on 200 traces
// (full and short, all six tasks) every checkable claim holds, there are checkable claims, and the
// reasoning's conclusion agrees with the answer (logical_consistency = 1).
#include <gtest/gtest.h>

#include "chem/molecule.h"
#include "chem/verifiers/claim_checks.h"
#include "chem/verifiers/claims.h"
#include "chem/verifiers/reasoning_rewards.h"
#include "core/answer_protocol.h"
#include "core/rng.h"
#include "datasets/cold_start.h"
#include "datasets/moleculenet_tasks.h"
#include "datasets/task_files.h"

using namespace retort;
using namespace retort::datasets;

TEST(ColdStartClaims, ClaimExtractorFindsEveryClaimTrueOn200Traces) {
  RngStreams rng(3);
  BuildOptions o;
  o.data_dir = std::string(RETORT_SOURCE_DIR) + "/datasets/moleculenet";
  int traces = 0, checkable = 0, principles = 0, consistent = 0, concluded = 0;
  for (const auto& spec : moleculenet_tasks()) {
    TaskBuild b = build_task(spec, o);
    // 34 examples per task (204 traces), spread over the train split; alternate full / short.
    const size_t step = b.train.size() / 34;
    for (size_t k = 0; k < 34; ++k) {
      const Example& e = b.train[k * step];
      const TraceLength length = k % 2 ? TraceLength::brief : TraceLength::full;
      const std::string completion = cold_start_completion(e, rng.stream("claims"), length);
      const ParsedCompletion parsed = parse_completion(completion);
      ASSERT_TRUE(parsed.well_formed) << completion;
      const auto mol = chem::Molecule::from_smiles(*e.smiles);
      const chem::MoleculeFacts facts = chem::molecule_facts(mol);
      chem::AnswerContext answer_context{chem::task_property(spec.name), std::nullopt};
      if (spec.kind == TaskKind::binary) answer_context.answer_label = e.answer.get<bool>();
      for (const auto& claim : chem::extract_claims(parsed.reasoning)) {
        const chem::ClaimVerdict v = chem::check_claim(claim, facts, answer_context);
        if (!v.checkable) continue;
        ++checkable;
        principles += claim.kind == chem::Claim::Kind::principle;
        EXPECT_TRUE(v.holds) << v.reason << "\n" << completion;
      }
      // logical_consistency through the verifier's own entry point.
      chem::ReasoningContext context;
      context.task = spec.name;
      context.asked = chem::task_property(spec.name);
      if (spec.kind == TaskKind::binary) {
        context.kind = chem::ReasoningContext::AnswerKind::binary;
        context.answer_label = e.answer.get<bool>();
      } else {
        context.kind = chem::ReasoningContext::AnswerKind::numeric;
        context.answer_number = e.answer["value"].get<double>();
        context.tolerance = spec.tolerance;
      }
      Score score;
      chem::add_reasoning_components(score, parsed.reasoning, mol, context);
      auto it = score.components.find("logical_consistency");
      if (it != score.components.end()) {
        ++concluded;
        consistent += it->second == 1.0;
        EXPECT_EQ(it->second, 1.0) << score.reasons["logical_consistency"] << "\n" << completion;
      }
      ++traces;
    }
  }
  std::printf("traces %d: checkable claims %d (%.2f per trace, %d principle), conclusions judged %d, consistent %d\n",
              traces, checkable, static_cast<double>(checkable) / traces, principles, concluded, consistent);
  EXPECT_GE(traces, 200);
  EXPECT_GE(checkable, 2 * traces) << "traces state checkable claims";
  EXPECT_EQ(concluded, traces) << "every trace's conclusion is recognised";
}
