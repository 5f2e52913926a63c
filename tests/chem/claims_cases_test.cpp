// Claim extraction and checking on hand-written reasoning texts (tests/data/claims_cases.jsonl): each
// case lists the claims the grammar must extract (canonical form) and whether each holds for the
// molecule (verdicts checked by hand against Python RDKit's descriptor values).
#include <gtest/gtest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "chem/verifiers/claim_checks.h"
#include "chem/verifiers/claims.h"

using namespace retort::chem;

TEST(ClaimsCases, ExtractionAndVerdictsMatchTheLabelledFile) {
  std::ifstream in(std::string(RETORT_SOURCE_DIR) + "/tests/data/claims_cases.jsonl");
  ASSERT_TRUE(in) << "tests/data/claims_cases.jsonl missing";
  std::string line;
  int cases = 0, claims = 0, extraction_ok = 0, verdicts_ok = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto c = nlohmann::json::parse(line);
    ++cases;
    auto got = extract_claims(c["text"].get<std::string>());
    std::vector<std::string> got_text, want_text;
    for (const auto& g : got) got_text.push_back(to_string(g));
    for (const auto& w : c["claims"]) want_text.push_back(w["claim"].get<std::string>());
    EXPECT_EQ(got_text, want_text) << c["id"] << ": " << c["text"];
    if (got_text != want_text) continue;
    ++extraction_ok;
    auto facts = molecule_facts(Molecule::from_smiles(c["smiles"].get<std::string>()));
    bool all = true;
    for (size_t i = 0; i < got.size(); ++i) {
      ++claims;
      auto verdict = check_claim(got[i], facts, {});
      bool want = c["claims"][i]["holds"].get<bool>();
      EXPECT_TRUE(verdict.checkable) << c["id"] << ": " << verdict.reason;
      EXPECT_EQ(verdict.holds, want) << c["id"] << ": " << verdict.reason;
      all = all && verdict.holds == want;
    }
    verdicts_ok += all;
  }
  EXPECT_GE(cases, 40);
  std::printf("claims cases: %d texts, %d with exact extraction, %d with all verdicts right, %d claims\n", cases,
              extraction_ok, verdicts_ok, claims);
}

TEST(Claims, UnparseableTextGivesNoClaims) {
  EXPECT_TRUE(extract_claims("Let me think about this molecule carefully. It looks interesting!").empty());
  EXPECT_TRUE(extract_claims("").empty());
  EXPECT_TRUE(extract_claims("logP logP logP TPSA TPSA rings rings").empty());  // keywords alone are not claims
}

TEST(Claims, SentenceSplitterKeepsDecimalsAndAbbreviations) {
  auto s = split_sentences("MW is 180.16 g/mol. e.g. approx. 1.5 rings; next\nline");
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s[0], "MW is 180.16 g/mol");
  EXPECT_EQ(s[1], "e.g. approx. 1.5 rings");
}

TEST(Claims, PrincipleRequiresACausalWord) {
  EXPECT_TRUE(extract_claims("It has two Lipinski violations and a molecular weight of 342.3.").size() == 2);
  auto c = extract_claims("Its TPSA of 120 means poor BBB penetration.");
  ASSERT_FALSE(c.empty());
  EXPECT_EQ(to_string(c[0]), "tpsa = 120 -> bbb_penetration down");
}
