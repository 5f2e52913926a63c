// Claim extraction from a reasoning text (MPPReasoner's principle-guided terms, checked instead of
// keyword-counted). A small grammar over a tokenizer: sentences -> tokens (words, numbers, comparison
// symbols) -> three claim shapes:
//   numeric    QUANTITY [filler] [COMPARATOR] NUMBER     "TPSA is about 63.6 Å²", "logP < 5"
//              [COMPARATOR] NUMBER COUNTED-QUANTITY      "two aromatic rings", "more than 5 H-bond donors"
//              Lipinski phrases                          "no Lipinski violations", "violates the rule of five"
//   group      VERB [det/number] GROUP {, GROUP}         "contains a carboxylic acid and two hydroxyl groups"
//              NEGATION GROUP                            "lacks any amine", "has no halogen"
//   principle  a premise (QUANTITY high/low or compared) and a consequence (PROPERTY up/down) in one
//              sentence                                  "its TPSA above 90 means poor BBB penetration"
// Text that fits none of these is ignored, never punished. Pure text: no RDKit.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retort::chem {

enum class Quantity {
  mol_wt, logp, tpsa, hbd, hba, rotatable_bonds, rings, aromatic_rings, heavy_atoms, net_charge,
  nitrogen_atoms, oxygen_atoms, sulfur_atoms, halogen_atoms, charged_atoms, lipinski_violations
};
enum class Comparison { eq, approx, lt, le, gt, ge };
enum class Property { solubility, bbb_penetration, lipinski_violation, oral_absorption };

struct NumericClaim {
  Quantity quantity;
  Comparison comparison;
  double value;
};

struct GroupClaim {
  std::string group;  // a name of group_terms(): "carboxylic_acid", "hydroxyl", ...
  bool present = true;
  int count = -1;     // an exact count when one was stated ("two hydroxyl groups"), else -1
};

struct PrincipleClaim {
  Quantity quantity;
  int quantity_direction = 0;              // +1 high / above, -1 low / below
  std::optional<Comparison> comparison;    // when the premise states a number: "TPSA > 90"
  std::optional<double> value;
  Property property;
  int property_direction = 0;              // +1 more / good / likely, -1 less / poor / unlikely
  bool general = false;                    // a rule stated in general ("molecules with ..."), not applied
};

struct Claim {
  enum class Kind { numeric, group, principle } kind = Kind::numeric;
  NumericClaim numeric{};
  GroupClaim group{};
  PrincipleClaim principle{};
  std::string sentence;  // the sentence it came from
};

std::vector<Claim> extract_claims(std::string_view reasoning);

// Canonical one-line form used by tests and reasons: "tpsa ~ 63.6", "rings = 2", "has carboxylic_acid",
// "no amine", "has 2 hydroxyl", "tpsa > 90 -> bbb_penetration down", "logp up -> solubility down".
std::string to_string(const Claim& claim);
const char* quantity_name(Quantity q);
const char* property_name(Property p);
const char* comparison_symbol(Comparison c);

// The functional groups claims may name: a name, the phrases that name it, a SMARTS, its source.
struct GroupTerm {
  std::string name;
  std::vector<std::string> phrases;  // lower-case, words separated by single spaces
  std::string smarts;
  std::string source;
};
const std::vector<GroupTerm>& group_terms();

// Sentences of TEXT (split at . ! ? ; and newlines, not inside numbers or after "e.g."/"approx.").
std::vector<std::string> split_sentences(std::string_view text);

}  // namespace retort::chem
