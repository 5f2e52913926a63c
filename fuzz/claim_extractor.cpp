// Fuzz target: the claim extractor of chem/verifiers (claims.h) on reasoning text, and the checks of
// every extracted claim against a fixed molecule's facts (claim_checks.h).
// Invariants: each claim has a non-empty canonical form and a non-empty source sentence; numeric
// values are finite; group claims name a catalogue group; check_claim gives a reason for each
// checkable verdict; no exception escapes.
#include <cmath>
#include <set>

#include "chem/molecule.h"
#include "chem/verifiers/claim_checks.h"
#include "chem/verifiers/claims.h"
#include "fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace retort::chem;
  static const MoleculeFacts aspirin = molecule_facts(Molecule::from_smiles("CC(=O)Oc1ccccc1C(=O)O"));
  static const std::set<std::string> group_names = [] {
    std::set<std::string> names;
    for (const auto& term : group_terms()) names.insert(term.name);
    return names;
  }();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const auto& sentence : split_sentences(text)) FUZZ_CHECK(sentence.size() <= text.size());
  for (const Claim& claim : extract_claims(text)) {
    FUZZ_CHECK(!to_string(claim).empty());
    FUZZ_CHECK(!claim.sentence.empty());
    if (claim.kind == Claim::Kind::numeric) FUZZ_CHECK(std::isfinite(claim.numeric.value));
    if (claim.kind == Claim::Kind::group) FUZZ_CHECK(group_names.count(claim.group.group) == 1);
    if (claim.kind == Claim::Kind::principle && claim.principle.value) FUZZ_CHECK(std::isfinite(*claim.principle.value));
    for (const AnswerContext& context :
         {AnswerContext{}, AnswerContext{Property::bbb_penetration, true}, AnswerContext{Property::solubility, false}}) {
      ClaimVerdict verdict = check_claim(claim, aspirin, context);
      if (verdict.checkable) FUZZ_CHECK(!verdict.reason.empty());
    }
    FUZZ_CHECK(claim_component(claim) != nullptr);
  }
  return 0;
}
