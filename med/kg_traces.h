// Cold-start SFT traces for knowledge-graph questions: the think text states, one sentence each, the
// graph facts the keyed answer rests on (item.meta.facts, in reasoning order), then concludes with the
// correct letter; the answer block holds that letter. Each fact sentence has one fixed shape per
// relation, so parse_fact_sentence() reads it back and a test can check every stated fact against
// the graph.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "med/knowledge_graph.h"
#include "med/mcq_formats.h"

namespace retort::med {

// "aspirin acts on cyclooxygenase-1 (COX-1)." (targets), "metformin is used for type 2 diabetes
// mellitus." (treats), "warfarin can cause bleeding." (adverse_effect), "the effect of warfarin is
// reversed by vitamin K." (reversed_by), "metformin is a biguanide." (is_a). Throws
// std::invalid_argument for another relation.
std::string fact_sentence(const KgFact& fact);
// The inverse of fact_sentence (trailing period optional); nullopt for any other sentence. The
// source is left empty.
std::optional<KgFact> parse_fact_sentence(std::string_view sentence);

// "<think>FACT. FACT. So the answer is B: text.</think>\n<answer>B</answer>" for ITEM. Throws
// DataError naming the item when meta.facts is missing or malformed or the answer is not an option.
std::string kg_trace_completion(const McqItem& item);

// The sentences of a think text written by kg_trace_completion (split at ". "), without the periods.
std::vector<std::string> trace_sentences(std::string_view think);

}  // namespace retort::med
