// Knowledge-graph multi-hop MCQ synthesis (see question_synthesis.h).
#include "med/question_synthesis.h"

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <stdexcept>

#include "core/rng.h"

namespace retort::med {
namespace {

// Adverse effects shared by many drug classes: never used as distractors (the graph is incomplete,
// so "not listed" would not mean "not true").
const std::set<std::string>& generic_adverse_effects() {
  static const std::set<std::string> s = {
      "bleeding", "hypoglycemia", "hyperglycemia", "headache", "hepatotoxicity", "hepatotoxicity in overdose",
      "nephrotoxicity", "QT prolongation", "sedation", "tremor", "diarrhea", "hypersensitivity reactions",
      "bradycardia", "hypokalemia", "hyperkalemia", "constipation", "teratogenicity", "Stevens-Johnson syndrome",
      "photosensitivity", "peripheral neuropathy", "myelosuppression", "osteoporosis", "ototoxicity",
      "gastrointestinal bleeding", "peptic ulceration"};
  return s;
}

struct Builder {
  const KnowledgeGraph& g;
  const SynthesisOptions& opt;
  std::vector<McqItem> items;
  std::map<std::string, std::string> anchor_of;  // item id -> anchor drug
  std::map<std::string, std::vector<KgFact>> chain_of;  // item id -> the facts its answer rests on
  KgFact fact(const std::string& s, const std::string& r, const std::string& o) const { return {s, r, o, ""}; }

  std::vector<std::string> all_objects(const std::string& relation) const {
    std::set<std::string> s;
    for (const auto& f : g.facts())
      if (f.relation == relation) s.insert(f.object);
    return {s.begin(), s.end()};
  }
  std::vector<std::string> sources_of(const std::string& drug, const std::vector<std::pair<std::string, std::string>>& used) const {
    std::set<std::string> out;
    for (const auto& f : g.facts())
      for (const auto& [rel, obj] : used)
        if (f.subject == drug && f.relation == rel && f.object == obj) out.insert(f.source);
    return {out.begin(), out.end()};
  }
  bool has(const std::string& drug, const std::string& rel, const std::string& obj) const {
    auto v = g.objects(drug, rel);
    return std::find(v.begin(), v.end(), obj) != v.end();
  }

  // Adds a question with CORRECT and distractors drawn (seeded) from POOL; skipped if too few.
  void add(const std::string& id, const std::string& anchor, const std::string& question, const std::string& correct,
           std::vector<std::string> pool, const std::string& difficulty, int hops, const std::string& template_name,
           const std::vector<std::string>& sources, const std::vector<KgFact>& chain) {
    pool.erase(std::remove(pool.begin(), pool.end(), correct), pool.end());
    std::sort(pool.begin(), pool.end());
    pool.erase(std::unique(pool.begin(), pool.end()), pool.end());
    const size_t need = static_cast<size_t>(opt.option_count - 1);
    if (pool.size() < need) return;
    std::mt19937_64 rng(mix_seed(opt.seed, "kg-options:" + id));
    for (size_t i = pool.size(); i > 1; --i) std::swap(pool[i - 1], pool[rng() % i]);
    std::vector<std::string> choices(pool.begin(), pool.begin() + need);
    choices.push_back(correct);
    for (size_t i = choices.size(); i > 1; --i) std::swap(choices[i - 1], choices[rng() % i]);
    McqItem item;
    item.id = id;
    item.dataset = "kg_mcq";
    item.question = question;
    for (size_t i = 0; i < choices.size(); ++i) {
      item.options[static_cast<char>('A' + i)] = choices[i];
      if (choices[i] == correct) item.answer = static_cast<char>('A' + i);
    }
    nlohmann::json facts = nlohmann::json::array();
    for (const auto& f : chain) facts.push_back({f.subject, f.relation, f.object});
    item.meta = {{"difficulty", difficulty}, {"hops", hops}, {"template", template_name},
                 {"anchor", anchor},         {"sources", sources}, {"facts", facts}};
    items.push_back(std::move(item));
    anchor_of[id] = anchor;
    chain_of[id] = chain;
  }
};

}  // namespace

SynthesizedQuestions synthesize_questions(const KnowledgeGraph& g, const SynthesisOptions& opt) {
  if (opt.option_count < 2 || opt.option_count > 10) throw std::invalid_argument("option_count: must be 2..10");
  if (opt.held_out_fraction < 0 || opt.held_out_fraction > 1) throw std::invalid_argument("held_out_fraction: must be in [0, 1]");
  Builder b{g, opt, {}, {}};
  const auto drugs = g.drugs();
  const auto all_targets = b.all_objects("targets");
  const auto all_reversals = b.all_objects("reversed_by");
  std::vector<std::string> targeted;  // drugs with at least one listed target
  for (const auto& d : drugs)
    if (!g.objects(d, "targets").empty()) targeted.push_back(d);

  for (const auto& d : drugs) {
    const auto targets = g.objects(d, "targets");
    const auto diseases = g.objects(d, "treats");
    // easy, 1 hop: drug -> target.
    for (size_t t = 0; t < targets.size(); ++t) {
      std::vector<std::string> pool;
      for (const auto& x : all_targets)
        if (!b.has(d, "targets", x)) pool.push_back(x);
      b.add("kg-target-" + d + "-" + std::to_string(t), d, "What is a molecular target of " + d + "?", targets[t],
            pool, "easy", 1, "target_of", b.sources_of(d, {{"targets", targets[t]}}),
            {b.fact(d, "targets", targets[t])});
    }
    // moderate, 2 hops: drug -> target <- other drug.
    for (const auto& other : targeted) {
      if (other == d) continue;
      std::string shared;
      for (const auto& t : targets)
        if (b.has(other, "targets", t)) shared = t;
      if (shared.empty()) continue;
      std::vector<std::string> pool;
      for (const auto& x : targeted) {
        bool overlap = x == d;
        for (const auto& t : targets) overlap = overlap || b.has(x, "targets", t);
        if (!overlap) pool.push_back(x);
      }
      b.add("kg-shares-" + d + "-" + other, d, "Which drug acts on the same molecular target as " + d + "?", other, pool,
            "moderate", 2, "shares_target", b.sources_of(d, {{"targets", shared}}),
            {b.fact(d, "targets", shared), b.fact(other, "targets", shared)});
    }
    // moderate, 2 hops: disease + target -> drug (unique in the graph).
    for (const auto& disease : diseases) {
      for (const auto& target : targets) {
        int matches = 0;
        for (const auto& x : drugs) matches += b.has(x, "treats", disease) && b.has(x, "targets", target);
        if (matches != 1) continue;
        std::vector<std::string> pool;  // distractors lack the target (listed targets are direct and complete)
        for (const auto& x : targeted)
          if (!b.has(x, "targets", target)) pool.push_back(x);
        auto sources = b.sources_of(d, {{"treats", disease}, {"targets", target}});
        b.add("kg-disease-target-" + d + "-" + disease + "-" + target, d,
              "Which drug used for " + disease + " acts directly on " + target + "?", d, pool, "moderate", 2,
              "drug_for_disease_and_target", sources, {b.fact(d, "treats", disease), b.fact(d, "targets", target)});
        // hard, 3 hops: disease + target -> drug -> adverse effect.
        std::set<std::string> excluded;  // effects of any drug sharing the target or a class
        for (const auto& x : drugs) {
          bool related = b.has(x, "targets", target) || x == d;
          for (const auto& c : g.objects(d, "is_a")) related = related || b.has(x, "is_a", c);
          if (related)
            for (const auto& e : g.objects(x, "adverse_effect")) excluded.insert(e);
        }
        std::vector<std::string> ae_pool;
        for (const auto& e : b.all_objects("adverse_effect"))
          if (!excluded.count(e) && !generic_adverse_effects().count(e)) ae_pool.push_back(e);
        for (const auto& effect : g.objects(d, "adverse_effect")) {
          auto s = b.sources_of(d, {{"treats", disease}, {"targets", target}, {"adverse_effect", effect}});
          b.add("kg-adverse-" + d + "-" + disease + "-" + target + "-" + effect, d,
                "For " + disease + ", a patient is started on the drug that acts directly on " + target +
                    ". Which adverse effect is characteristic of that drug?",
                effect, ae_pool, "hard", 3, "adverse_effect_of_described_drug", s,
                {b.fact(d, "treats", disease), b.fact(d, "targets", target), b.fact(d, "adverse_effect", effect)});
        }
        // hard, 3 hops: disease + target -> drug -> reversal agent.
        for (const auto& agent : g.objects(d, "reversed_by")) {
          std::vector<std::string> pool;
          for (const auto& r : all_reversals) {
            bool used_for_same_target = false;
            for (const auto& x : drugs)
              used_for_same_target = used_for_same_target || (b.has(x, "targets", target) && b.has(x, "reversed_by", r));
            if (!used_for_same_target) pool.push_back(r);
          }
          auto s = b.sources_of(d, {{"treats", disease}, {"targets", target}, {"reversed_by", agent}});
          b.add("kg-reversal-" + d + "-" + disease + "-" + target, d,
                "Which agent reverses the effect of the drug used for " + disease + " that acts directly on " + target + "?",
                agent, pool, "hard", 3, "reversal_of_described_drug", s,
                {b.fact(d, "treats", disease), b.fact(d, "targets", target), b.fact(d, "reversed_by", agent)});
        }
      }
    }
  }

  // Drugs are split by a seeded hash; a question goes with its anchor drug. With fact_disjoint, a
  // question whose facts name drugs of both splits (shares_target with the other drug across the split)
  // is dropped, so no fact (subject, relation, object) is behind questions of both splits.
  auto held_out_drug = [&](const std::string& drug) {
    double u = static_cast<double>(mix_seed(opt.seed, "kg-split:" + drug) % 1000000) / 1e6;
    return u < opt.held_out_fraction;
  };
  SynthesizedQuestions out;
  for (auto& item : b.items) {
    const bool held_out = held_out_drug(b.anchor_of[item.id]);
    if (opt.fact_disjoint) {
      bool mixed = false;
      for (const auto& f : b.chain_of[item.id]) mixed = mixed || held_out_drug(f.subject) != held_out;
      if (mixed) {
        ++out.dropped_across_split;
        continue;
      }
    }
    item.meta["split"] = held_out ? "held_out" : "train";
    (held_out ? out.held_out : out.train).push_back(std::move(item));
  }
  return out;
}

}  // namespace retort::med

namespace retort::med {

void balance_answer_letters(std::vector<McqItem>& items, uint64_t seed) {
  std::vector<size_t> slot(items.size());
  for (size_t i = 0; i < slot.size(); ++i) slot[i] = i;
  std::mt19937_64 rng(mix_seed(seed, "kg-answer-letters"));
  for (size_t i = slot.size(); i > 1; --i) std::swap(slot[i - 1], slot[rng() % i]);
  for (size_t i = 0; i < items.size(); ++i) {
    McqItem& item = items[i];
    if (item.options.empty() || !item.options.count(item.answer)) continue;
    const char letter = static_cast<char>('A' + slot[i] % item.options.size());
    std::swap(item.options[letter], item.options[item.answer]);
    item.answer = letter;
  }
}

}  // namespace retort::med
