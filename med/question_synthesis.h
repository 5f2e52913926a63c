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
  // Drop the questions whose facts name drugs of both splits, so train and held-out questions rest on
  // disjoint sets of facts (every fact's subject drug is in exactly one split).
  bool fact_disjoint = false;
};

struct SynthesizedQuestions {
  std::vector<McqItem> train, held_out;
  size_t dropped_across_split = 0;  // with fact_disjoint: questions whose facts straddle the split
};

// Templates: target_of (easy), shares_target (moderate), drug_for_disease_and_target (moderate),
// adverse_effect_of_described_drug (hard), reversal_of_described_drug (hard). Each item's meta.facts
// lists the graph facts its answer rests on, in reasoning order, as [subject, relation, object].
SynthesizedQuestions synthesize_questions(const KnowledgeGraph& graph, const SynthesisOptions& options);

// Re-letters ITEMS so every letter is the correct one equally often (counts differ by at most one):
// a seeded permutation of the round-robin letter sequence, each item's correct option swapped into
// its letter. Option texts and the answer text are unchanged.
void balance_answer_letters(std::vector<McqItem>& items, uint64_t seed);

}  // namespace retort::med
