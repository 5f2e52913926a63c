// Knowledge-graph SFT traces and the fact-disjoint split: every sentence of every trace is a fact of
// the graph, the facts are the question's reasoning chain and they single out the keyed option, the
// answer block is the correct letter (med.mcq scores the trace correct with format 1); train and
// held-out questions rest on disjoint facts; answer letters are balanced.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "core/errors.h"
#include "core/verifier.h"
#include "med/kg_traces.h"
#include "med/question_synthesis.h"
#include "med/verifiers.h"

using namespace retort;
using namespace retort::med;

namespace {

using Triple = std::tuple<std::string, std::string, std::string>;

std::set<Triple> graph_triples(const KnowledgeGraph& g) {
  std::set<Triple> out;
  for (const auto& f : g.facts()) out.insert({f.subject, f.relation, f.object});
  return out;
}

std::set<Triple> chain_triples(const std::vector<McqItem>& items) {
  std::set<Triple> out;
  for (const auto& item : items)
    for (const auto& f : item.meta["facts"])
      out.insert({f[0].get<std::string>(), f[1].get<std::string>(), f[2].get<std::string>()});
  return out;
}

SynthesizedQuestions disjoint_questions(uint64_t seed) {
  SynthesisOptions o;
  o.seed = seed;
  o.fact_disjoint = true;
  return synthesize_questions(KnowledgeGraph::builtin(), o);
}

}  // namespace

TEST(KgTraces, FactSentencesHaveOneShapePerRelationAndReadBack) {
  EXPECT_EQ(fact_sentence({"warfarin", "reversed_by", "vitamin K", ""}), "the effect of warfarin is reversed by vitamin K.");
  EXPECT_EQ(fact_sentence({"metformin", "treats", "type 2 diabetes mellitus", ""}),
            "metformin is used for type 2 diabetes mellitus.");
  EXPECT_THROW(fact_sentence({"metformin", "mechanism", "decreases hepatic gluconeogenesis", ""}), std::invalid_argument);
  EXPECT_FALSE(parse_fact_sentence("So the answer is B: aspirin").has_value());
  EXPECT_FALSE(parse_fact_sentence("aspirin acts on").has_value());
  // Every fact of the graph with a sentence form reads back unchanged.
  int round_trips = 0;
  for (const auto& f : KnowledgeGraph::builtin().facts()) {
    if (f.relation == "mechanism" || f.relation == "synonym") continue;
    auto back = parse_fact_sentence(fact_sentence(f));
    ASSERT_TRUE(back.has_value()) << fact_sentence(f);
    EXPECT_EQ(std::tie(back->subject, back->relation, back->object), std::tie(f.subject, f.relation, f.object))
        << fact_sentence(f);
    ++round_trips;
  }
  EXPECT_EQ(round_trips, 312);  // 333 facts - 19 mechanism - 2 synonym
}

TEST(KgTraces, EveryTraceStatesTrueFactsThatSingleOutTheCorrectLetter) {
  const auto& g = KnowledgeGraph::builtin();
  const auto truth = graph_triples(g);
  VerifierRegistry registry;
  register_verifiers(registry);
  auto verifier = registry.create("med.mcq", nlohmann::json::object());
  auto q = disjoint_questions(0);
  std::vector<McqItem> all = q.train;
  all.insert(all.end(), q.held_out.begin(), q.held_out.end());
  ASSERT_GT(all.size(), 150u);
  std::map<std::string, int> per_template;
  for (const auto& item : all) {
    const std::string trace = kg_trace_completion(item);
    const size_t think_end = trace.find("</think>");
    ASSERT_EQ(trace.rfind("<think>", 0), 0u) << trace;
    ASSERT_NE(think_end, std::string::npos);
    EXPECT_EQ(trace.substr(think_end), "</think>\n<answer>" + std::string(1, item.answer) + "</answer>") << item.id;
    auto sentences = trace_sentences(trace.substr(7, think_end - 7));
    ASSERT_EQ(sentences.size(), item.meta["facts"].size() + 1) << trace;
    std::vector<KgFact> stated;
    for (size_t i = 0; i + 1 < sentences.size(); ++i) {
      auto f = parse_fact_sentence(sentences[i]);
      ASSERT_TRUE(f.has_value()) << item.id << ": '" << sentences[i] << "' is not a fact sentence";
      EXPECT_TRUE(truth.count({f->subject, f->relation, f->object})) << item.id << ": not in the graph: " << sentences[i];
      stated.push_back(*f);
    }
    const std::string keyed = item.options.at(item.answer);
    EXPECT_EQ(sentences.back(), "So the answer is " + std::string(1, item.answer) + ": " + keyed) << item.id;
    // The stated facts name the keyed option, and no distractor satisfies the same chain.
    const std::string tmpl = item.meta["template"];
    const std::string anchor = item.meta["anchor"];
    ++per_template[tmpl];
    auto has = [&](const std::string& s, const std::string& r, const std::string& o) { return truth.count({s, r, o}) > 0; };
    for (const auto& [letter, text] : item.options) {
      bool fits = false;
      if (tmpl == "target_of") fits = has(anchor, "targets", text);
      else if (tmpl == "shares_target") fits = has(text, "targets", stated[0].object);
      else if (tmpl == "drug_for_disease_and_target") fits = has(text, "treats", stated[0].object) && has(text, "targets", stated[1].object);
      else if (tmpl == "adverse_effect_of_described_drug") fits = has(anchor, "adverse_effect", text);
      else if (tmpl == "reversal_of_described_drug") fits = has(anchor, "reversed_by", text);
      else ADD_FAILURE() << "unknown template " << tmpl;
      EXPECT_EQ(fits, letter == item.answer) << item.id << " option " << letter << ": " << text;
    }
    if (tmpl == "target_of" || tmpl == "adverse_effect_of_described_drug" || tmpl == "reversal_of_described_drug")
      EXPECT_EQ(stated.back().object, keyed) << item.id;
    else
      EXPECT_EQ(stated.back().subject, keyed) << item.id;
    // The verifier the trainer rewards with agrees: correct, format 1.
    Example e;
    e.id = item.id;
    e.task = "mcq";
    e.answer = std::string(1, item.answer);
    for (const auto& [letter, text] : item.options) e.meta["options"][std::string(1, letter)] = text;
    Episode episode;
    episode.completion = trace;
    Score s = verifier->verify(e, episode);
    EXPECT_TRUE(s.correct) << item.id;
    EXPECT_EQ(s.components.at("format"), 1.0) << item.id;
  }
  EXPECT_EQ(per_template.size(), 5u);
}

TEST(KgTraces, AQuestionWithoutFactsIsAClearError) {
  McqItem item;
  item.id = "medqa-7";
  item.question = "?";
  item.options = {{'A', "x"}, {'B', "y"}};
  item.answer = 'A';
  try {
    kg_trace_completion(item);
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("question 'medqa-7': meta.facts"), std::string::npos) << e.what();
  }
}

TEST(QuestionSynthesis, FactDisjointSplitSharesNoFact) {
  auto loose = synthesize_questions(KnowledgeGraph::builtin(), {.seed = 0, .option_count = 4, .held_out_fraction = 0.2});
  auto strict = disjoint_questions(0);
  std::set<Triple> loose_shared, strict_shared;
  auto lt = chain_triples(loose.train), lh = chain_triples(loose.held_out);
  auto st = chain_triples(strict.train), sh = chain_triples(strict.held_out);
  std::set_intersection(lt.begin(), lt.end(), lh.begin(), lh.end(), std::inserter(loose_shared, loose_shared.end()));
  std::set_intersection(st.begin(), st.end(), sh.begin(), sh.end(), std::inserter(strict_shared, strict_shared.end()));
  EXPECT_FALSE(loose_shared.empty());  // the drug split alone lets shares_target questions straddle it
  EXPECT_TRUE(strict_shared.empty()) << std::get<0>(*strict_shared.begin());
  EXPECT_GT(strict.dropped_across_split, 0u);
  EXPECT_EQ(strict.train.size() + strict.held_out.size() + strict.dropped_across_split,
            loose.train.size() + loose.held_out.size());
  // Held-out questions are about drugs that no train question's facts mention.
  std::set<std::string> train_subjects;
  for (const auto& [s, r, o] : st) train_subjects.insert(s);
  for (const auto& [s, r, o] : sh) EXPECT_FALSE(train_subjects.count(s)) << s;
}

TEST(QuestionSynthesis, BalanceAnswerLettersKeepsTheKeyedText) {
  auto q = disjoint_questions(5);
  std::vector<McqItem> before = q.train;
  balance_answer_letters(q.train, 5);
  std::map<char, int> counts;
  for (size_t i = 0; i < q.train.size(); ++i) {
    ++counts[q.train[i].answer];
    EXPECT_EQ(q.train[i].options.at(q.train[i].answer), before[i].options.at(before[i].answer));
    std::multiset<std::string> a, b;
    for (const auto& [l, t] : q.train[i].options) a.insert(t);
    for (const auto& [l, t] : before[i].options) b.insert(t);
    EXPECT_EQ(a, b);
  }
  ASSERT_EQ(counts.size(), 4u);
  int lo = q.train.size(), hi = 0;
  for (const auto& [l, n] : counts) lo = std::min(lo, n), hi = std::max(hi, n);
  EXPECT_LE(hi - lo, 1);
}
