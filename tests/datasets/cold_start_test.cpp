// Cold-start traces: every number a trace states is recomputed with chem/ and must match as rounded;
// every named functional group must be present; stated threshold comparisons must hold; the answer
// equals the reference; the format is what core/answer_protocol accepts; phrasings vary with the
// seed; lengths stay short for the tiny model.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <regex>
#include <set>

#include "chem/descriptors.h"
#include "chem/functional_groups.h"
#include "chem/molecule.h"
#include "core/answer_protocol.h"
#include "core/rng.h"
#include "datasets/cold_start.h"
#include "datasets/moleculenet_tasks.h"
#include "datasets/task_examples.h"
#include "datasets/task_files.h"

using namespace retort;
using namespace retort::datasets;

namespace {

struct ClaimCheck {
  int claims = 0;
  std::vector<std::string> failures;
};

// An independent reading of the trace's claim sentences (the shapes cold_start.h documents).
ClaimCheck check_claims(const std::string& think, const std::string& smiles) {
  ClaimCheck out;
  const auto mol = chem::Molecule::from_smiles(smiles);
  const auto d = chem::compute_descriptors(mol);
  auto fail = [&](const std::string& what) { out.failures.push_back(what + " [" + smiles + "]"); };
  auto each = [&](const std::string& pattern, const std::function<void(const std::smatch&)>& f) {
    std::regex re(pattern);
    for (auto it = std::sregex_iterator(think.begin(), think.end(), re); it != std::sregex_iterator(); ++it) {
      ++out.claims;
      f(*it);
    }
  };
  auto near = [&](const std::string& name, const std::string& text, double truth, double half_step) {
    if (std::abs(std::stod(text) - truth) > half_step + 1e-9) fail(name + " stated " + text + ", is " + std::to_string(truth));
  };
  auto exact = [&](const std::string& name, const std::string& text, int truth) {
    if (std::stoi(text) != truth) fail(name + " stated " + text + ", is " + std::to_string(truth));
  };
  each(R"(molecular weight is (\d+\.\d\d) g/mol)", [&](auto& m) { near("MW", m[1], d.mol_wt, 0.005); });
  each(R"(logP is (-?\d+\.\d\d))", [&](auto& m) { near("logP", m[1], d.logp, 0.005); });
  each(R"(TPSA is (\d+\.\d) Å²)", [&](auto& m) { near("TPSA", m[1], d.tpsa, 0.05); });
  each(R"((\d+) hydrogen bond donors?\b)", [&](auto& m) { exact("HBD", m[1], d.hbd); });
  each(R"((\d+) hydrogen bond acceptors?\b)", [&](auto& m) { exact("HBA", m[1], d.hba); });
  each(R"((\d+) aromatic rings?\b)", [&](auto& m) { exact("aromatic rings", m[1], mol.aromatic_ring_count()); });
  each(R"(has (\d+) rings?\b)", [&](auto& m) { exact("rings", m[1], mol.ring_count()); });
  each(R"((\d+) rotatable bonds?\b)", [&](auto& m) { exact("rotatable bonds", m[1], d.rotatable_bonds); });
  each(R"((\d+) Lipinski violations?\b)", [&](auto& m) { exact("Lipinski violations", m[1], d.lipinski_violations); });
  // "contains a carboxylic acid, an ester and a halogen" -> each group must be in chem's catalogue.
  static const std::map<std::string, std::string> catalogue_name_of = {
      {"carboxylic acid", "carboxylic_acid"}, {"ester", "ester"}, {"amide", "amide"},
      {"primary amine", "primary_amine"}, {"secondary amine", "secondary_amine"},
      {"tertiary amine", "tertiary_amine"}, {"alcohol", "alcohol"}, {"phenol", "phenol"}, {"ketone", "ketone"},
      {"aldehyde", "aldehyde"}, {"ether", "ether"}, {"nitro group", "nitro"}, {"nitrile", "nitrile"},
      {"halogen", "halide"}, {"sulfonamide", "sulfonamide"}, {"thiol", "thiol"}, {"alkene", "alkene"},
      {"alkyne", "alkyne"}, {"urea", "urea"}, {"phosphate", "phosphate"}};
  each(R"(contains ((?:an? [a-z0-9 ]+?)(?:(?:, | and )an? [a-z0-9 ]+?)*)(?:[.,;]|$))", [&](auto& m) {
    std::string list = m[1];
    std::regex item(R"((?:^|, | and )an? ([a-z0-9 ]+?)(?=, | and |$))");
    for (auto it = std::sregex_iterator(list.begin(), list.end(), item); it != std::sregex_iterator(); ++it) {
      auto name = catalogue_name_of.find((*it)[1]);
      if (name == catalogue_name_of.end()) fail("group phrase '" + std::string((*it)[1]) + "' unknown");
      else if (!chem::has_functional_group(mol, name->second)) fail("group " + name->second + " absent");
    }
  });
  // "TPSA is 45.2 Å², well below 90 Å²" / "..., above 450 g/mol": the comparison must hold for the stated value.
  each(R"((-?\d+(?:\.\d+)?) (Å²|g/mol), (?:well )?(above|below) (\d+) (?:Å²|g/mol))", [&](auto& m) {
    double v = std::stod(m[1]), t = std::stod(m[4]);
    if ((m[3] == "above") != (v > t)) fail("comparison '" + m.str() + "' is false");
  });
  return out;
}

std::vector<Example> sample_train_examples(const TaskSpec& spec, size_t count) {
  BuildOptions o;
  o.data_dir = std::string(RETORT_SOURCE_DIR) + "/datasets/moleculenet";
  TaskBuild b = build_task(spec, o);
  std::vector<Example> out;
  const size_t step = std::max<size_t>(1, b.train.size() / count);
  for (size_t i = 0; i < b.train.size() && out.size() < count; i += step) out.push_back(b.train[i]);
  return out;
}

double percentile(std::vector<size_t> v, double q) {
  std::sort(v.begin(), v.end());
  return static_cast<double>(v[static_cast<size_t>(q * (v.size() - 1))]);
}

}  // namespace

TEST(ColdStart, EveryStatedClaimIsTrueAndTheAnswerIsTheReference) {
  RngStreams rng(0);
  std::vector<size_t> full_lengths, brief_lengths;
  int total_claims = 0, traces = 0;
  for (const auto& spec : moleculenet_tasks()) {
    for (const auto& e : sample_train_examples(spec, 100)) {
      for (TraceLength length : {TraceLength::full, TraceLength::brief}) {
        const std::string completion = cold_start_completion(e, rng.stream("traces"), length);
        ParsedCompletion parsed = parse_completion(completion);
        ASSERT_TRUE(parsed.well_formed) << parsed.format_reason << "\n" << completion;
        ASSERT_TRUE(parsed.final_answer.has_value());
        if (spec.kind == TaskKind::binary) {
          EXPECT_EQ(*parsed.final_answer, e.answer.get<bool>() ? "yes" : "no") << completion;
        } else {
          EXPECT_DOUBLE_EQ(std::stod(*parsed.final_answer), e.answer["value"].get<double>()) << completion;
        }
        ClaimCheck check = check_claims(parsed.reasoning, *e.smiles);
        for (const auto& f : check.failures) ADD_FAILURE() << f << "\n" << completion;
        EXPECT_GE(check.claims, length == TraceLength::full ? 2 : 1) << completion;
        total_claims += check.claims;
        ++traces;
        (length == TraceLength::full ? full_lengths : brief_lengths).push_back(completion.size());
      }
    }
  }
  const double full_median = percentile(full_lengths, 0.5), full_p90 = percentile(full_lengths, 0.9);
  const double brief_median = percentile(brief_lengths, 0.5), brief_p90 = percentile(brief_lengths, 0.9);
  std::printf("traces %d, claims per trace %.2f; chars full median %.0f p90 %.0f max %.0f; short median %.0f p90 %.0f\n",
              traces, static_cast<double>(total_claims) / traces, full_median, full_p90, percentile(full_lengths, 1.0),
              brief_median, brief_p90);
  EXPECT_LT(full_p90, 600);
  EXPECT_LT(brief_p90, 350);
}

TEST(ColdStart, KnownMoleculeTraceStatesRDKitValues) {
  // Aspirin as an ESOL-style example (log S -1.72, near its measured solubility; aspirin is not in the
  // shipped file). Python RDKit 2022.09.3: MolWt 180.159, MolLogP 1.3101, TPSA 63.60, CalcNumHBD 1,
  // CalcNumHBA 3, 1 aromatic ring, CalcNumRotatableBonds 2.
  Example e;
  e.id = "aspirin";
  e.task = "esol";
  e.smiles = "CC(=O)Oc1ccccc1C(=O)O";
  e.answer = {{"value", -1.72}, {"tolerance", 0.7}};
  std::set<std::string> seen;
  for (uint64_t seed = 0; seed < 20; ++seed) {
    std::mt19937_64 rng(seed);
    const std::string c = cold_start_completion(e, rng, TraceLength::full);
    EXPECT_NE(c.find("<answer>-1.72</answer>"), std::string::npos) << c;
    EXPECT_TRUE(check_claims(c, *e.smiles).failures.empty()) << c;
    for (const char* stated : {"180.16 g/mol", "logP is 1.31", "1 hydrogen bond donor and 3 hydrogen bond acceptors",
                               "1 aromatic ring", "2 rotatable bonds"}) {
      if (c.find(stated) != std::string::npos) seen.insert(stated);
    }
  }
  EXPECT_GE(seen.size(), 4u) << "the ESOL trace states the relevant facts across seeds";
}

TEST(ColdStart, SeededPhrasingVariesAndRepeats) {
  const TaskSpec& spec = find_task("bbbp");
  MoleculeRecord record{"CN1C=NC2=C1C(=O)N(C(=O)N2C)C", 1, 7, ""};  // caffeine
  Example e = make_example(spec, record, "train");
  std::set<std::string> texts;
  for (uint64_t seed = 0; seed < 30; ++seed) {
    std::mt19937_64 a(seed), b(seed);
    const std::string x = cold_start_completion(e, a), y = cold_start_completion(e, b);
    EXPECT_EQ(x, y) << "same seed, same trace";
    texts.insert(x);
  }
  EXPECT_GE(texts.size(), 5u) << "phrasing varies with the seed";
}

TEST(ColdStart, BadExamplesAreClearErrors) {
  std::mt19937_64 rng(0);
  Example e;
  e.id = "x";
  e.task = "esol";
  e.smiles = "C1CC";
  e.answer = {{"value", 1.0}, {"tolerance", 0.7}};
  EXPECT_THROW(cold_start_completion(e, rng), std::runtime_error);
  e.smiles = "CCO";
  e.answer = true;
  EXPECT_THROW(cold_start_completion(e, rng), std::runtime_error);
  e.task = "nope";
  EXPECT_THROW(cold_start_completion(e, rng), std::runtime_error);
}
