// Fleming-R1-style knowledge-graph question synthesis: multi-hop multiple-choice questions built from
// the project's knowledge graph (never from the test files), each tagged with its difficulty
// (easy = 1 hop, moderate = 2 hops, hard = 3 hops), template and the facts and sources it rests on.
// Distractors are chosen so the graph makes them false; questions are split train / held-out by the
// anchor drug with a seeded hash, so held-out questions are about drugs never seen in training.
#pragma once
#include <cstdint>
#include <vector>

#include "med/knowledge_graph.h"
#include "med/mcq_formats.h"

namespace retort::med {

struct SynthesisOptions {
  uint64_t seed = 0;
  int option_count = 4;            // 2..10
  double held_out_fraction = 0.2;  // share of anchor drugs whose questions are held out
};

struct SynthesizedQuestions {
  std::vector<McqItem> train, held_out;
};

// Templates: target_of (easy), shares_target (moderate), drug_for_disease_and_target (moderate),
// adverse_effect_of_described_drug (hard), reversal_of_described_drug (hard).
SynthesizedQuestions synthesize_questions(const KnowledgeGraph& graph, const SynthesisOptions& options);

}  // namespace retort::med
