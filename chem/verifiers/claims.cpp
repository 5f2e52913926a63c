// Claim extraction: sentence splitter, tokenizer and the three claim grammars (see claims.h).
#include "chem/verifiers/claims.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "chem/verifiers/answer_parsing.h"

namespace retort::chem {
namespace {

// ---------------------------------------------------------------- tokens

struct Token {
  enum Type { word, number, symbol, punct } type;
  std::string text;  // lower-case word, normalised symbol ("<", "<=", "~", "->", "+-"), or the character
  double value = 0;
};

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::vector<Token> tokenize(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  auto starts = [&](std::string_view w) { return s.substr(i, w.size()) == w; };
  while (i < s.size()) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
      continue;
    }
    // A sign starts a number after a space or an operator ("is -1", "=-1"), not inside "C-3" or "5-10".
    bool previous_is_value = i > 0 && (is_alpha(s[i - 1]) || is_digit(s[i - 1]) || s[i - 1] == ')');
    bool number_start = is_digit(c) || (c == '.' && i + 1 < s.size() && is_digit(s[i + 1])) ||
                        ((c == '-' || c == '+' || starts("\xE2\x88\x92")) && !previous_is_value);
    if (number_start) {
      if (auto n = parse_number_at(s, i)) {
        // "5-HT3", "2D": a number glued to letters is a word.
        if (n->end < s.size() && is_alpha(s[n->end])) {
          size_t e = n->end;
          while (e < s.size() && (is_alpha(s[e]) || is_digit(s[e]) || s[e] == '-')) ++e;
          out.push_back({Token::word, lower_copy(s.substr(i, e - i))});
          i = e;
          continue;
        }
        out.push_back({Token::number, std::string(s.substr(i, n->end - i)), n->value});
        i = n->end;
        continue;
      }
    }
    if (is_alpha(c) || is_digit(c)) {
      size_t e = i;
      while (e < s.size() && (is_alpha(s[e]) || is_digit(s[e]) ||
                              ((s[e] == '-' || s[e] == '\'') && e + 1 < s.size() && (is_alpha(s[e + 1]) || is_digit(s[e + 1])))))
        ++e;
      std::string w = lower_copy(s.substr(i, e - i));
      // "n't" stays with its verb ("doesn't"); "lipinski's" -> "lipinski".
      if (w.size() > 2 && w.compare(w.size() - 2, 2, "'s") == 0) w.resize(w.size() - 2);
      out.push_back({Token::word, w});
      i = e;
      continue;
    }
    static const std::pair<std::string_view, const char*> symbols[] = {
        {"<=", "<="}, {">=", ">="}, {"->", "->"}, {"=>", "->"}, {"\xE2\x89\xA4", "<="}, {"\xE2\x89\xA5", ">="},
        {"\xE2\x89\x88", "~"}, {"\xE2\x86\x92", "->"}, {"\xC2\xB1", "+-"}, {"+/-", "+-"}, {"<", "<"}, {">", ">"},
        {"=", "="}, {"~", "~"}};
    bool matched = false;
    for (const auto& [text, norm] : symbols) {
      if (starts(text)) {
        out.push_back({Token::symbol, norm});
        i += text.size();
        matched = true;
        break;
      }
    }
    if (matched) continue;
    // Anything else is punctuation (one UTF-8 character).
    size_t len = 1;
    unsigned char u = static_cast<unsigned char>(c);
    if (u >= 0xF0) len = 4;
    else if (u >= 0xE0) len = 3;
    else if (u >= 0xC0) len = 2;
    out.push_back({Token::punct, std::string(s.substr(i, len))});
    i += len;
  }
  return out;
}

using Phrase = std::vector<std::string>;

Phrase words_of(const std::string& phrase) {
  Phrase p;
  size_t i = 0;
  while (i < phrase.size()) {
    size_t e = phrase.find(' ', i);
    if (e == std::string::npos) e = phrase.size();
    p.push_back(phrase.substr(i, e - i));
    i = e + 1;
  }
  return p;
}

// Number of tokens PHRASE covers at I, or 0.
size_t match_phrase(const std::vector<Token>& t, size_t i, const Phrase& phrase) {
  size_t k = 0;
  for (const auto& w : phrase) {
    if (i + k >= t.size()) return 0;
    const Token& tok = t[i + k];
    if (tok.text != w) return 0;
    ++k;
  }
  return k;
}

template <class T>
struct Lexicon {
  std::vector<std::pair<Phrase, T>> entries;  // longest phrases first
  Lexicon(std::initializer_list<std::pair<const char*, T>> list) {
    for (const auto& [p, v] : list) entries.push_back({words_of(p), v});
    std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  }
  // Longest match at I: (value, length) or length 0.
  std::pair<T, size_t> at(const std::vector<Token>& t, size_t i) const {
    for (const auto& [p, v] : entries)
      if (size_t n = match_phrase(t, i, p)) return {v, n};
    return {T{}, 0};
  }
};

const Lexicon<Quantity>& quantity_lexicon() {
  static const Lexicon<Quantity> lex = {
      {"molecular weight", Quantity::mol_wt}, {"molecular mass", Quantity::mol_wt}, {"molar mass", Quantity::mol_wt},
      {"mol wt", Quantity::mol_wt}, {"molwt", Quantity::mol_wt}, {"mw", Quantity::mol_wt},
      {"logp", Quantity::logp}, {"log p", Quantity::logp}, {"clogp", Quantity::logp}, {"mollogp", Quantity::logp},
      {"crippen logp", Quantity::logp}, {"partition coefficient", Quantity::logp},
      {"octanol-water partition coefficient", Quantity::logp},
      {"tpsa", Quantity::tpsa}, {"topological polar surface area", Quantity::tpsa},
      {"polar surface area", Quantity::tpsa}, {"psa", Quantity::tpsa},
      {"hbd", Quantity::hbd}, {"hbds", Quantity::hbd}, {"h-bond donors", Quantity::hbd}, {"h-bond donor", Quantity::hbd},
      {"hydrogen bond donors", Quantity::hbd}, {"hydrogen bond donor", Quantity::hbd},
      {"hydrogen-bond donors", Quantity::hbd}, {"hydrogen-bond donor", Quantity::hbd}, {"hbond donors", Quantity::hbd},
      {"donors", Quantity::hbd}, {"donor count", Quantity::hbd},
      {"hba", Quantity::hba}, {"hbas", Quantity::hba}, {"h-bond acceptors", Quantity::hba}, {"h-bond acceptor", Quantity::hba},
      {"hydrogen bond acceptors", Quantity::hba}, {"hydrogen bond acceptor", Quantity::hba},
      {"hydrogen-bond acceptors", Quantity::hba}, {"hydrogen-bond acceptor", Quantity::hba}, {"hbond acceptors", Quantity::hba},
      {"acceptors", Quantity::hba}, {"acceptor count", Quantity::hba},
      {"rotatable bonds", Quantity::rotatable_bonds}, {"rotatable bond", Quantity::rotatable_bonds},
      {"rotatable bond count", Quantity::rotatable_bonds},
      {"aromatic rings", Quantity::aromatic_rings}, {"aromatic ring", Quantity::aromatic_rings},
      {"aromatic ring count", Quantity::aromatic_rings},
      {"rings", Quantity::rings}, {"ring", Quantity::rings}, {"ring count", Quantity::rings},
      {"heavy atoms", Quantity::heavy_atoms}, {"heavy atom", Quantity::heavy_atoms},
      {"heavy atom count", Quantity::heavy_atoms}, {"non-hydrogen atoms", Quantity::heavy_atoms},
      {"net charge", Quantity::net_charge}, {"formal charge", Quantity::net_charge},
      {"overall charge", Quantity::net_charge}, {"total charge", Quantity::net_charge},
      {"nitrogen atoms", Quantity::nitrogen_atoms}, {"nitrogen atom", Quantity::nitrogen_atoms},
      {"nitrogens", Quantity::nitrogen_atoms}, {"n atoms", Quantity::nitrogen_atoms},
      {"oxygen atoms", Quantity::oxygen_atoms}, {"oxygen atom", Quantity::oxygen_atoms},
      {"oxygens", Quantity::oxygen_atoms}, {"o atoms", Quantity::oxygen_atoms},
      {"sulfur atoms", Quantity::sulfur_atoms}, {"sulfur atom", Quantity::sulfur_atoms},
      {"sulphur atoms", Quantity::sulfur_atoms}, {"sulphur atom", Quantity::sulfur_atoms},
      {"halogen atoms", Quantity::halogen_atoms}, {"halogen atom", Quantity::halogen_atoms},
      {"halogens", Quantity::halogen_atoms},
      {"charged atoms", Quantity::charged_atoms}, {"charged atom", Quantity::charged_atoms},
  };
  return lex;
}

bool is_count_quantity(Quantity q) {
  return q != Quantity::mol_wt && q != Quantity::logp && q != Quantity::tpsa && q != Quantity::net_charge &&
         q != Quantity::lipinski_violations;
}

// Single atoms named without "atoms" count only after a number: "two nitrogens" is covered, "one
// nitrogen" too via this list.
const Lexicon<Quantity>& bare_element_lexicon() {
  static const Lexicon<Quantity> lex = {{"nitrogen", Quantity::nitrogen_atoms}, {"oxygen", Quantity::oxygen_atoms},
                                        {"sulfur", Quantity::sulfur_atoms},     {"sulphur", Quantity::sulfur_atoms},
                                        {"halogen", Quantity::halogen_atoms}};
  return lex;
}

const Lexicon<Comparison>& comparator_lexicon() {
  static const Lexicon<Comparison> lex = {
      {"<", Comparison::lt}, {"<=", Comparison::le}, {">", Comparison::gt}, {">=", Comparison::ge},
      {"=", Comparison::eq}, {"~", Comparison::approx}, {"about", Comparison::approx}, {"around", Comparison::approx},
      {"approximately", Comparison::approx}, {"approx", Comparison::approx}, {"roughly", Comparison::approx},
      {"nearly", Comparison::approx}, {"circa", Comparison::approx}, {"ca", Comparison::approx},
      {"close to", Comparison::approx}, {"near", Comparison::approx},
      {"below", Comparison::lt}, {"under", Comparison::lt}, {"less than", Comparison::lt}, {"lower than", Comparison::lt},
      {"fewer than", Comparison::lt}, {"smaller than", Comparison::lt},
      {"above", Comparison::gt}, {"over", Comparison::gt}, {"greater than", Comparison::gt}, {"more than", Comparison::gt},
      {"higher than", Comparison::gt}, {"larger than", Comparison::gt}, {"exceeds", Comparison::gt},
      {"exceeding", Comparison::gt}, {"exceed", Comparison::gt},
      {"at least", Comparison::ge}, {"no less than", Comparison::ge}, {"not less than", Comparison::ge},
      {"no fewer than", Comparison::ge},
      {"at most", Comparison::le}, {"no more than", Comparison::le}, {"not more than", Comparison::le},
      {"up to", Comparison::le}, {"no greater than", Comparison::le},
  };
  return lex;
}

const std::set<std::string>& filler_words() {
  static const std::set<std::string> s = {
      "is", "are", "of", "value", "values", "a", "an", "the", "its", "it", "was", "be", "calculated", "computed",
      "estimated", "predicted", "measured", "crippen", "rdkit", "equals", "equal", "to", "at", "count", "number",
      "total", "this", "molecule", "molecule's", "compound", "here", "has", "have", "with", "roughly", "which",
      "(", ")", ":", ",", "=", "clogp", "only", "exactly", "just", "then", "therefore", "so", "thus", "being",
      "gives", "give", "i", "get", "we", "comes", "come", "out", "as", "g", "mol", "da", "dalton", "daltons",
      "a2", "angstrom", "angstroms", "squared", "units"};
  return s;
}

std::optional<int> number_word(const std::string& w) {
  static const std::map<std::string, int> m = {{"zero", 0}, {"one", 1},   {"two", 2},   {"three", 3}, {"four", 4},
                                               {"five", 5}, {"six", 6},   {"seven", 7}, {"eight", 8}, {"nine", 9},
                                               {"ten", 10}, {"eleven", 11}, {"twelve", 12}, {"single", 1}};
  auto it = m.find(w);
  if (it == m.end()) return std::nullopt;
  return it->second;
}

// V is a whole number that fits an integer (model text may say "1e26 rings"; casting that is undefined).
bool is_integral(double v) { return std::isfinite(v) && std::fabs(v) <= 1e15 && v == std::floor(v); }

// A count at token I: a number (integer), a number word or "no"/"none". Sets *length.
std::optional<double> count_at(const std::vector<Token>& t, size_t i, size_t* length) {
  if (i >= t.size()) return std::nullopt;
  *length = 1;
  if (t[i].type == Token::number) return t[i].value;
  if (t[i].type != Token::word) return std::nullopt;
  if (t[i].text == "a" && i + 1 < t.size() && t[i + 1].text == "single") {
    *length = 2;
    return 1;
  }
  if (t[i].text == "no" || t[i].text == "zero") return 0;
  if (auto n = number_word(t[i].text)) return *n;
  return std::nullopt;
}

// ------------------------------------------------------------- groups

const Lexicon<std::string>& group_lexicon() {
  static const Lexicon<std::string> lex = [] {
    std::vector<std::pair<std::string, std::string>> pairs;
    for (const auto& g : group_terms())
      for (const auto& p : g.phrases) pairs.push_back({p, g.name});
    Lexicon<std::string> l{};
    for (const auto& [p, n] : pairs) l.entries.push_back({words_of(p), n});
    std::stable_sort(l.entries.begin(), l.entries.end(), [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
    return l;
  }();
  return lex;
}

// ------------------------------------------------------------ sentences

bool general_statement(const std::vector<Token>& t) {
  static const std::vector<Phrase> markers = {
      words_of("molecules with"), words_of("compounds with"), words_of("drugs with"), words_of("those with"),
      words_of("a molecule with"), words_of("a compound with"), words_of("generally"), words_of("typically"),
      words_of("in general"), words_of("usually"), words_of("tend to"), words_of("tends to"), words_of("if"),
      words_of("rule of thumb"), words_of("as a rule"), words_of("would"), words_of("molecules having"),
      words_of("compounds having"), words_of("often")};
  for (size_t i = 0; i < t.size(); ++i)
    for (const auto& m : markers)
      if (match_phrase(t, i, m)) return true;
  return false;
}

std::string format_value(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// ------------------------------------------------------------ grammars

struct SentenceParser {
  const std::vector<Token>& t;
  std::vector<Claim>& out;
  const std::string& sentence;
  std::set<size_t> used;  // token positions of quantity phrases already turned into claims

  void add_numeric(Quantity q, Comparison c, double v) {
    Claim claim;
    claim.kind = Claim::Kind::numeric;
    claim.numeric = {q, c, v};
    claim.sentence = sentence;
    out.push_back(claim);
  }

  // Comparator phrase that ends right before token END (looking back up to 3 tokens).
  std::optional<Comparison> comparator_before(size_t end) const {
    for (size_t len = 3; len >= 1; --len) {
      if (end < len) continue;
      auto [c, n] = comparator_lexicon().at(t, end - len);
      if (n == len) return c;
    }
    return std::nullopt;
  }

  // How many tokens the comparator ending right before END takes (0 when there is none).
  size_t comparator_length_before(size_t end) const {
    for (size_t len = 3; len >= 1; --len) {
      if (end < len) continue;
      if (comparator_lexicon().at(t, end - len).second == len) return len;
    }
    return 0;
  }

  // QUANTITY [filler] [COMPARATOR] NUMBER.
  bool numeric_after(size_t i, Quantity q, size_t qlen) {
    std::optional<Comparison> cmp;
    size_t j = i + qlen;
    for (int steps = 0; j < t.size() && steps < 8; ++steps) {
      if (t[j].type == Token::number) {
        double v = t[j].value;
        // "one benzene ring, 13 heavy atoms": the number belongs to the next quantity.
        if (j + 1 < t.size() && quantity_lexicon().at(t, j + 1).second) return false;
        // "2 rings" right after another quantity ("logP 2 rings") is the count form, not this one.
        if (is_count_quantity(q) && !is_integral(v)) return false;
        if (j + 1 < t.size() && t[j + 1].text == "%") return false;
        add_numeric(q, cmp.value_or(Comparison::eq), v);
        return true;
      }
      auto [c, clen] = comparator_lexicon().at(t, j);
      if (clen) {
        cmp = c;
        j += clen;
        continue;
      }
      if (quantity_lexicon().at(t, j).second) return false;
      if (t[j].type == Token::word && number_word(t[j].text) && is_count_quantity(q)) {
        add_numeric(q, cmp.value_or(Comparison::eq), *number_word(t[j].text));
        return true;
      }
      if (t[j].type != Token::punct && !filler_words().count(t[j].text)) return false;
      ++j;
    }
    return false;
  }

  // [COMPARATOR] COUNT [fused/distinct/...] COUNTED-QUANTITY; "no rings", "without any rings".
  // Returns the index of the last token used, or 0 when there is no claim here.
  size_t count_before(size_t i) {
    size_t clen = 0;
    auto count = count_at(t, i, &clen);
    if (!count) return 0;
    size_t j = i + clen;
    while (j < t.size() && (t[j].text == "fused" || t[j].text == "distinct" || t[j].text == "separate" ||
                            t[j].text == "individual" || t[j].text == "total"))
      ++j;
    auto [q, qlen] = quantity_lexicon().at(t, j);
    if (!qlen) {
      if (*count >= 1 || t[i].type == Token::number || t[i].text == "no") {
        auto [bq, blen] = bare_element_lexicon().at(t, j);
        if (blen && !(j + 1 < t.size() && (t[j + 1].text == "group" || t[j + 1].text == "groups"))) q = bq, qlen = blen;
      }
      if (!qlen) return 0;
    }
    if (!is_count_quantity(q) || !is_integral(*count) || *count < 0) return 0;
    if (used.count(j)) return 0;
    Comparison c = comparator_before(i).value_or(Comparison::eq);
    add_numeric(q, c, *count);
    used.insert(j);
    return j + qlen - 1;
  }

  // "without any rings", "lacks rotatable bonds", "does not have any rings".
  bool negated_count(size_t i) {
    static const std::vector<Phrase> negations = {words_of("without any"), words_of("without"), words_of("lacks any"),
                                                  words_of("lacks"), words_of("not have any"), words_of("n't have any"),
                                                  words_of("not contain any"), words_of("free of")};
    for (const auto& n : negations) {
      size_t len = match_phrase(t, i, n);
      if (!len) continue;
      auto [q, qlen] = quantity_lexicon().at(t, i + len);
      if (qlen && is_count_quantity(q)) {
        // "without rings" counts; "lacks aromatic rings" counts.
        add_numeric(q, Comparison::eq, 0);
        used.insert(i + len);
        return true;
      }
    }
    return false;
  }

  void lipinski() {
    bool mentioned = false;
    size_t at = 0;
    for (size_t i = 0; i < t.size(); ++i) {
      if (t[i].text == "lipinski" || t[i].text == "ro5" || match_phrase(t, i, words_of("rule of five")) ||
          match_phrase(t, i, words_of("rule of 5")) || t[i].text == "rule-of-five") {
        mentioned = true;
        at = i;
        break;
      }
    }
    if (!mentioned) return;
    auto word_at = [&](size_t i) -> const std::string& {
      static const std::string empty;
      return i < t.size() ? t[i].text : empty;
    };
    // COUNT [lipinski/ro5/rule...] violation(s): "no Lipinski violations", "one violation", "0 violations".
    for (size_t i = 0; i < t.size(); ++i) {
      if (word_at(i) != "violation" && word_at(i) != "violations") continue;
      for (size_t back = 1; back <= 3 && back <= i; ++back) {
        size_t len = 0;
        auto n = count_at(t, i - back, &len);
        if (n && i - back + len <= i) {
          add_lipinski(Comparison::eq, *n);
          return;
        }
        const std::string& w = word_at(i - back);
        if (w != "lipinski" && w != "ro5" && w != "rule-of-five" && w != "of" && w != "five" && w != "rule") break;
      }
    }
    // "violates two of Lipinski's rules".
    for (size_t i = 0; i + 1 < t.size(); ++i) {
      if (word_at(i) == "violates" || word_at(i) == "violating" || word_at(i) == "breaks") {
        size_t len = 0;
        if (auto n = count_at(t, i + 1, &len); n && t[i + 1].text != "no") {
          add_lipinski(Comparison::eq, *n);
          return;
        }
      }
    }
    bool negated = false, violates = false, complies = false;
    static const std::set<std::string> negation = {"not", "no", "doesn't", "does't", "don't", "never", "without", "isn't"};
    static const std::set<std::string> violate_words = {"violates", "violate", "violating", "violation", "violations",
                                                         "breaks", "break", "breaking", "fails", "fail", "outside"};
    static const std::set<std::string> comply_words = {"obeys", "obey", "satisfies", "satisfy", "follows", "follow",
                                                       "complies", "comply", "compliant", "fulfills", "fulfils", "fulfill",
                                                       "meets", "meet", "passes", "pass", "adheres", "adhere", "within",
                                                       "conforms", "conform", "consistent"};
    for (size_t i = 0; i < t.size(); ++i) {
      if (negation.count(t[i].text)) negated = true;
      if (violate_words.count(t[i].text)) violates = true;
      if (comply_words.count(t[i].text)) complies = true;
    }
    (void)at;
    if (violates && !complies) add_lipinski(negated ? Comparison::eq : Comparison::ge, negated ? 0 : 1);
    else if (complies && !violates) add_lipinski(negated ? Comparison::ge : Comparison::eq, negated ? 1 : 0);
  }

  void add_lipinski(Comparison c, double v) { add_numeric(Quantity::lipinski_violations, c, v); }

  void net_charge() {
    for (size_t i = 0; i < t.size(); ++i) {
      if (t[i].text != "neutral" && t[i].text != "uncharged") continue;
      const std::string next = i + 1 < t.size() ? t[i + 1].text : "";
      const std::string prev = i > 0 ? t[i - 1].text : "";
      if (next == "ph" || next == "conditions" || next == "solution" || next == "form") continue;
      bool about_molecule = next == "molecule" || next == "compound" || prev == "is" || prev == "overall" ||
                            prev == "electrically" || prev == "net";
      if (about_molecule) {
        add_numeric(Quantity::net_charge, Comparison::eq, 0);
        return;
      }
    }
  }

  void groups() {
    static const std::set<std::string> positive = {"contains", "contain", "containing", "has", "have", "having",
                                                   "bears", "bearing", "carries", "carrying", "possesses", "possess",
                                                   "features", "featuring", "includes", "including", "with",
                                                   "incorporates", "presence", "is"};
    static const std::vector<Phrase> negative = {
        words_of("does not contain"), words_of("doesn't contain"), words_of("does not have"), words_of("doesn't have"),
        words_of("do not contain"), words_of("not contain"), words_of("lacks"), words_of("lacking"),
        words_of("without"), words_of("absence of"), words_of("free of"), words_of("devoid of")};
    static const std::set<std::string> skip_words = {"any", "a", "an", "the", "free", "terminal", "some", "several",
                                                     "multiple"};
    static const std::set<std::string> group_nouns = {"group", "groups", "moiety", "moieties", "functionality",
                                                      "substituent", "substituents", "residue", "residues", "unit",
                                                      "units", "atom", "atoms", "ring", "rings", "bond", "bonds"};
    for (size_t i = 0; i < t.size(); ++i) {
      // The scope: a negating verb ("lacks") makes every item absent; "has"/"contains" make items present
      // unless an item itself starts with "no" ("has no amine and a ketone").
      bool scope_negative = false;
      size_t start = 0;
      for (const auto& n : negative) {
        if (size_t len = match_phrase(t, i, n)) {
          scope_negative = true;
          start = i + len;
          break;
        }
      }
      if (!scope_negative) {
        if (t[i].text == "no") {
          start = i;  // "no amine": the item reads its own "no"
        } else {
          if (!positive.count(t[i].text)) continue;
          if (t[i].text == "is" && !(i + 1 < t.size() && (t[i + 1].text == "a" || t[i + 1].text == "an"))) continue;
          start = i + 1;
          if (t[i].text == "presence" && start < t.size() && t[start].text == "of") ++start;
        }
      }
      size_t j = start;
      size_t last_end = i;
      bool item_negative = scope_negative;
      for (int items = 0; j < t.size() && items < 8; ++items) {
        // One item: [no] [det] [count] GROUP [group noun].
        if (t[j].text == "no") item_negative = true, ++j;
        else if (!scope_negative && j != start) item_negative = false;
        int count = -1;
        for (size_t guard = 0; j < t.size() && guard < 3; ++guard) {
          size_t len = 0;
          if (skip_words.count(t[j].text)) {
            ++j;
          } else if (auto n = count_at(t, j, &len); n && t[j].text != "no") {
            if (*n >= 1 && *n <= 1e6) count = static_cast<int>(*n);  // larger is no group count (and no int)
            j += len;
          } else {
            break;
          }
        }
        auto [name, glen] = group_lexicon().at(t, j);
        if (glen) {
          for (size_t k = j; k < j + glen; ++k) used.insert(k);
          j += glen;
          while (j < t.size() && group_nouns.count(t[j].text)) used.insert(j++);
          Claim claim;
    claim.kind = Claim::Kind::group;
          claim.group = {name, !item_negative, item_negative || count == 1 ? -1 : count};
          claim.sentence = sentence;
          out.push_back(claim);
          last_end = j;
        } else {
          // Not a group ("3 hydrogen bond donors"): skip to the next list separator, if it is near.
          size_t k = j;
          while (k < t.size() && k < j + 5 && t[k].text != "," && t[k].text != "and") ++k;
          if (k >= t.size() || k >= j + 5) break;
          j = k;
        }
        if (j < t.size() && (t[j].text == "," || t[j].text == "and" || t[j].text == "or")) {
          ++j;
          if (j < t.size() && t[j].text == "and") ++j;
          continue;
        }
        break;
      }
      if (last_end > i) i = last_end - 1;
    }
  }

  // --------------------------------------------------------- principles

  void principles() {
    static const Lexicon<Property> properties = {
        {"aqueous solubility", Property::solubility}, {"water solubility", Property::solubility},
        {"solubility", Property::solubility}, {"soluble", Property::solubility}, {"insoluble", Property::solubility},
        {"water-soluble", Property::solubility}, {"dissolve", Property::solubility},
        {"blood-brain barrier", Property::bbb_penetration}, {"blood brain barrier", Property::bbb_penetration},
        {"bbb", Property::bbb_penetration}, {"brain penetration", Property::bbb_penetration},
        {"cns penetration", Property::bbb_penetration}, {"brain exposure", Property::bbb_penetration},
        {"oral absorption", Property::oral_absorption}, {"oral bioavailability", Property::oral_absorption},
        {"intestinal absorption", Property::oral_absorption}, {"bioavailability", Property::oral_absorption},
        {"absorption", Property::oral_absorption},
        {"lipinski violation", Property::lipinski_violation}, {"lipinski", Property::lipinski_violation},
        {"rule of five", Property::lipinski_violation}, {"ro5", Property::lipinski_violation}};
    // Direction words of the consequence, verbs in every form: "lowers", "raising", "worsened" all say which
    // way the property goes (the verb forms were missing, so "Higher logP lowers solubility" took its
    // direction from "higher").
    static const std::set<std::string> up = {"high", "higher", "good", "increased", "increase", "increases", "increasing",
                                             "enhanced", "enhances", "enhance", "enhancing", "more", "likely", "readily",
                                             "easily", "well", "improves", "improve", "improved", "improving", "favors",
                                             "favours", "favorable", "favourable", "permits", "allows", "greater",
                                             "better", "efficient", "efficiently", "can", "violation", "violates",
                                             "violate", "violating", "raises", "raise", "raised", "raising", "boosts",
                                             "boost", "boosted", "promotes", "promote", "aids", "helps"};
    static const std::set<std::string> down = {"low", "lower", "lowers", "lowered", "lowering", "poor", "poorly",
                                               "poorer", "reduced", "reduces", "reduce", "reducing", "decreased",
                                               "decreases", "decrease", "decreasing", "limited", "limits", "limit",
                                               "limiting", "less", "unlikely", "insoluble", "hinders", "hinder",
                                               "hindered", "hindering", "impairs", "impair", "impaired", "impairing",
                                               "prevents", "prevent", "blocks", "restricts", "restrict", "restricted",
                                               "restricting", "weak", "minimal", "cannot", "worse", "worsens", "worsen",
                                               "worsened", "worsening", "impede", "impedes", "impeded", "hampers",
                                               "hamper", "compliant", "obeys", "satisfies", "diminishes", "diminish"};
    static const std::set<std::string> negation = {"not", "no", "n't", "never", "doesn't", "don't", "won't", "isn't",
                                                   "without"};
    static const std::set<std::string> quantity_up = {"high", "higher", "large", "larger", "many", "more", "increased",
                                                      "elevated", "greater", "big", "bigger", "numerous", "increasing"};
    static const std::set<std::string> quantity_down = {"low", "lower", "small", "smaller", "few", "fewer", "less",
                                                        "reduced", "decreased", "decreasing", "modest"};
    static const std::set<Quantity> premise_quantities = {Quantity::logp, Quantity::mol_wt, Quantity::tpsa,
                                                          Quantity::hbd, Quantity::hba, Quantity::rotatable_bonds,
                                                          Quantity::aromatic_rings};
    // Premise: first premise quantity with a direction.
    std::optional<PrincipleClaim> premise;
    bool premise_general = false;
    size_t premise_at = 0, premise_end = 0;
    // A principle states a cause: without a causal word, "MW 342 and two violations" is two facts.
    static const std::set<std::string> causal = {
        "so", "therefore", "thus", "hence", "because", "since", "means", "mean", "suggests", "suggest", "indicates",
        "indicate", "indicating", "implies", "imply", "leads", "lead", "leading", "results", "result", "resulting",
        "->", "due", "causes", "cause", "predicts", "consequently", "lower", "lowers", "lowering", "reduces",
        "reduce", "reducing", "increases", "increase", "raises", "raise", "raising", "decreases", "decrease",
        "favors", "favours", "given", "with", "show", "shows", "expected", "associated", "correlates", "limits",
        "limit", "limiting", "hinders", "improves", "improve", "improving", "worsens", "worsen", "worsening",
        "makes", "which", "giving", "gives", "predict", "impairs", "prevents", "restricts", "explains", "hampers",
        "diminishes", "boosts", "promotes"};
    bool has_causal = false;
    for (const auto& tok : t) has_causal = has_causal || causal.count(tok.text) > 0;
    if (!has_causal) return;
    for (size_t i = 0; i < t.size() && !premise; ++i) {
      auto [q, qlen] = quantity_lexicon().at(t, i);
      if (!qlen || !premise_quantities.count(q)) continue;
      PrincipleClaim p{};
      p.quantity = q;
      bool comparative_in_general = false;
      // The premise spans its own direction words too ("Higher logP"), so the consequence never takes
      // its direction from them.
      size_t begin = i;
      for (size_t b = 1; b <= 2 && b <= i; ++b) {
        const std::string& w = t[i - b].text;
        if (quantity_up.count(w)) p.quantity_direction = +1;
        if (quantity_down.count(w)) p.quantity_direction = -1;
        if (p.quantity_direction) {
          begin = i - b;
          // "More aromatic rings lower solubility" is a general rule; "its higher logP" is about the molecule.
          static const std::set<std::string> comparatives = {"more", "higher", "larger", "greater", "fewer", "lower",
                                                             "smaller", "less", "increasing", "decreasing", "bigger"};
          bool possessive = (i - b > 0) && (t[i - b - 1].text == "its" || t[i - b - 1].text == "this" ||
                                            t[i - b - 1].text == "the" || t[i - b - 1].text == "his");
          comparative_in_general = comparatives.count(w) && !possessive;
          break;
        }
      }
      // Before, as a count: "more than 5 H-bond donors".
      if (!p.quantity_direction && i > 0 && t[i - 1].type == Token::number) {
        if (auto c = comparator_before(i - 1); c && *c != Comparison::approx && *c != Comparison::eq) {
          p.comparison = c;
          p.value = t[i - 1].value;
          p.quantity_direction = (*c == Comparison::gt || *c == Comparison::ge) ? +1 : -1;
          begin = i - 1 - std::min<size_t>(i - 1, comparator_length_before(i - 1));
        }
      }
      // After: "logP is high", "TPSA above 90", "TPSA of 61.8 is below 90", "MW > 500".
      size_t j = i + qlen;
      for (int steps = 0; j < t.size() && steps < 8 && !p.quantity_direction; ++steps) {
        auto [c, clen] = comparator_lexicon().at(t, j);
        if (clen && c != Comparison::approx && c != Comparison::eq) {
          size_t k = j + clen;
          if (k < t.size() && t[k].type == Token::number) {
            p.comparison = c;
            p.value = t[k].value;
            p.quantity_direction = (c == Comparison::gt || c == Comparison::ge) ? +1 : -1;
            j = k + 1;
            break;
          }
        }
        if (clen) {
          j += clen;
          continue;
        }
        if (t[j].type == Token::number) {
          if (!p.value) {
            p.value = t[j].value;  // "TPSA of 120": the direction comes from the rule's thresholds
            p.comparison = Comparison::eq;
          }
        } else if (quantity_up.count(t[j].text) || quantity_down.count(t[j].text)) {
          p.quantity_direction = quantity_up.count(t[j].text) ? +1 : -1;
          p.comparison.reset();
          p.value.reset();
          ++j;
          break;
        } else if (t[j].type == Token::word && !filler_words().count(t[j].text) && t[j].text != "well") {
          break;
        }
        ++j;
      }
      if (!p.quantity_direction && !p.value) continue;
      premise = p;
      premise_general = comparative_in_general;
      premise_at = begin;
      premise_end = std::max(j, i + qlen);
    }
    if (!premise) return;
    // Consequence: a property phrase outside the premise, with a direction.
    for (size_t i = 0; i < t.size(); ++i) {
      if (i >= premise_at && i < premise_end) continue;
      auto [prop, plen] = properties.at(t, i);
      if (!plen) continue;
      int direction = 0;
      if (t[i].text == "insoluble") direction = -1;
      // Nearest direction word within 4 tokens on either side (not inside the premise).
      size_t best = 100;
      for (size_t d = 1; d <= 4; ++d) {
        for (int side : {-1, +1}) {
          long k = side < 0 ? static_cast<long>(i) - static_cast<long>(d) : static_cast<long>(i + plen - 1 + d);
          if (k < 0 || k >= static_cast<long>(t.size())) continue;
          if (static_cast<size_t>(k) >= premise_at && static_cast<size_t>(k) < premise_end) continue;
          const std::string& w = t[k].text;
          int dir = up.count(w) ? +1 : down.count(w) ? -1 : 0;
          if (dir && d < best) {
            best = d;
            direction = dir;
            // A negation right before the direction word flips it ("not likely", "does not violate").
            if (k > 0 && negation.count(t[k - 1].text)) direction = -direction;
          }
        }
        if (best != 100) break;
      }
      if (!direction) {
        // A bare verb of crossing/dissolving/violating states the positive outcome; a negation flips it.
        bool neg = false;
        for (size_t b = 1; b <= 3 && b <= i; ++b) neg = neg || negation.count(t[i - b].text) > 0;
        direction = neg ? -1 : +1;
        if (prop == Property::oral_absorption || prop == Property::solubility) {
          if (t[i].text != "soluble" && t[i].text != "dissolve") continue;  // "absorption" alone says nothing
        }
      }
      if (t[i].text == "soluble" && i > 0 && (t[i - 1].text == "poorly" || t[i - 1].text == "sparingly")) direction = -1;
      if (prop == Property::lipinski_violation && premise->quantity == Quantity::aromatic_rings) continue;
      PrincipleClaim p = *premise;
      p.property = prop;
      p.property_direction = direction;
      p.general = general_statement(t) || premise_general;
      Claim claim;
    claim.kind = Claim::Kind::principle;
      claim.principle = p;
      claim.sentence = sentence;
      out.push_back(claim);
      return;  // one principle per sentence
    }
  }

  void run() {
    const bool general = general_statement(t);
    principles();
    if (general) return;  // "molecules with TPSA > 90 ..." says nothing about this molecule
    lipinski();
    net_charge();
    groups();
    for (size_t i = 0; i < t.size(); ++i) {
      if (negated_count(i)) continue;
      if (size_t end = count_before(i)) i = end;  // past the counted quantity ("a single ring" is one claim)
    }
    for (size_t i = 0; i < t.size(); ++i) {
      if (used.count(i)) continue;
      auto [q, qlen] = quantity_lexicon().at(t, i);
      if (!qlen) continue;
      // "number of rings" / "count of rings" is fine; "2 rings" was handled above.
      if (i > 0 && (t[i - 1].type == Token::number || number_word(t[i - 1].text) || t[i - 1].text == "no")) continue;
      numeric_after(i, q, qlen);
      i += qlen - 1;
    }
  }
};

}  // namespace

const std::vector<GroupTerm>& group_terms() {
  static const std::string src = "retort claim lexicon (SMARTS written for retort)";
  static const std::vector<GroupTerm> terms = {
      {"carboxylic_acid", {"carboxylic acid", "carboxylic acids", "carboxyl", "carboxylate", "cooh"}, "[CX3](=O)[OX2H1,OX1-]", src},
      {"ester", {"ester", "esters"}, "[#6][CX3](=O)[OX2H0][#6]", src},
      {"amide", {"amide", "amides", "lactam", "amide bond"}, "[#7X3][#6X3]=[OX1]", src},
      {"primary_amine", {"primary amine", "primary amines", "primary amino"},
       "[$([NX3;H2;!a;!$(N[C,S,P]=[O,S,N]);!$(N~[N,O])]),$([NX4+;H3])]", src},
      {"secondary_amine", {"secondary amine", "secondary amines"},
       "[NX3;H1;!a;!$(N[C,S,P]=[O,S,N]);!$(N~[N,O])]([#6])[#6]", src},
      {"tertiary_amine", {"tertiary amine", "tertiary amines"},
       "[NX3;H0;!a;!$(N[C,S,P]=[O,S,N]);!$(N~[N,O])]([#6])([#6])[#6]", src},
      {"aromatic_amine", {"aromatic amine", "aniline", "arylamine", "aryl amine"}, "[NX3;H2,H1;!$(N[C,S,P]=[O,S,N])]c", src},
      {"amine", {"amine", "amines", "amino", "amino group"}, "[NX3,NX4+;!a;!$(N[C,S,P]=[O,S,N]);!$(N~[N,O])]", src},
      {"hydroxyl", {"hydroxyl", "hydroxy", "oh"}, "[OX2H][#6;!$(C=O)]", src},
      {"alcohol", {"alcohol", "alcohols"}, "[OX2H][CX4]", src},
      {"phenol", {"phenol", "phenolic", "phenols", "phenolic hydroxyl"}, "[OX2H]c", src},
      {"ketone", {"ketone", "ketones"}, "[#6][CX3](=O)[#6]", src},
      {"aldehyde", {"aldehyde", "aldehydes"}, "[CX3H1](=O)[#6]", src},
      {"carbonyl", {"carbonyl", "carbonyls"}, "[CX3]=[OX1]", src},
      {"ether", {"ether", "ethers"}, "[OD2;!$(O[#6]=O)]([#6])[#6]", src},
      {"nitro", {"nitro"}, "[$([NX3](=O)=O),$([NX3+](=O)[O-])]", src},
      {"nitrile", {"nitrile", "nitriles", "cyano"}, "[CX2]#[NX1]", src},
      {"halogen", {"halogen", "halogens", "halide", "halo"}, "[F,Cl,Br,I]", src},
      {"fluorine", {"fluorine", "fluoro"}, "[F]", src},
      {"chlorine", {"chlorine", "chloro"}, "[Cl]", src},
      {"bromine", {"bromine", "bromo"}, "[Br]", src},
      {"iodine", {"iodine", "iodo"}, "[I]", src},
      {"sulfonamide", {"sulfonamide", "sulphonamide", "sulfonamides"}, "[SX4](=O)(=O)[NX3]", src},
      {"thiol", {"thiol", "sulfhydryl", "mercapto"}, "[SX2H]", src},
      {"benzene_ring", {"benzene ring", "benzene", "phenyl ring", "phenyl"}, "c1ccccc1", src},
      {"pyridine", {"pyridine", "pyridine ring"}, "[nX2]1ccccc1", src},
      {"alkene", {"alkene", "alkenes", "olefin", "carbon-carbon double bond"}, "[CX3]=[CX3]", src},
      {"alkyne", {"alkyne", "alkynes", "carbon-carbon triple bond"}, "[CX2]#[CX2]", src},
      {"urea", {"urea"}, "[NX3][CX3](=O)[NX3]", src},
      {"phosphate", {"phosphate"}, "[PX4](=O)([OX2,OX1-])[OX2,OX1-]", src},
  };
  return terms;
}

std::vector<std::string> split_sentences(std::string_view text) {
  std::vector<std::string> out;
  std::string current;
  auto flush = [&] {
    size_t b = current.find_first_not_of(" \t\r\n");
    if (b != std::string::npos) out.push_back(current.substr(b));
    current.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n' || c == ';' || c == '!' || c == '?') {
      flush();
      continue;
    }
    if (c == '.') {
      bool decimal = i + 1 < text.size() && is_digit(text[i + 1]) && i > 0 && is_digit(text[i - 1]);
      bool leading_decimal = i + 1 < text.size() && is_digit(text[i + 1]) && (i == 0 || !is_alpha(text[i - 1]));
      std::string tail = lower_copy(current.substr(current.size() >= 6 ? current.size() - 6 : 0));
      bool abbreviation = tail.ends_with("e.g") || tail.ends_with("i.e") || tail.ends_with("approx") ||
                          tail.ends_with(" vs") || tail.ends_with(" ca") || tail.ends_with("etc") || tail.ends_with("e.g.") ||
                          (current.size() >= 1 && tail.ends_with(" e")) || tail.ends_with(" i");
      if (decimal || leading_decimal || abbreviation) {
        current += c;
        continue;
      }
      flush();
      continue;
    }
    current += c;
  }
  flush();
  return out;
}

std::vector<Claim> extract_claims(std::string_view reasoning) {
  std::vector<Claim> claims;
  for (const auto& sentence : split_sentences(reasoning)) {
    auto tokens = tokenize(sentence);
    SentenceParser parser{tokens, claims, sentence, {}};
    parser.run();
  }
  return claims;
}

const char* quantity_name(Quantity q) {
  switch (q) {
    case Quantity::mol_wt: return "mol_wt";
    case Quantity::logp: return "logp";
    case Quantity::tpsa: return "tpsa";
    case Quantity::hbd: return "hbd";
    case Quantity::hba: return "hba";
    case Quantity::rotatable_bonds: return "rotatable_bonds";
    case Quantity::rings: return "rings";
    case Quantity::aromatic_rings: return "aromatic_rings";
    case Quantity::heavy_atoms: return "heavy_atoms";
    case Quantity::net_charge: return "net_charge";
    case Quantity::nitrogen_atoms: return "nitrogen_atoms";
    case Quantity::oxygen_atoms: return "oxygen_atoms";
    case Quantity::sulfur_atoms: return "sulfur_atoms";
    case Quantity::halogen_atoms: return "halogen_atoms";
    case Quantity::charged_atoms: return "charged_atoms";
    case Quantity::lipinski_violations: return "lipinski_violations";
  }
  return "?";
}

const char* property_name(Property p) {
  switch (p) {
    case Property::solubility: return "solubility";
    case Property::bbb_penetration: return "bbb_penetration";
    case Property::lipinski_violation: return "lipinski_violation";
    case Property::oral_absorption: return "oral_absorption";
  }
  return "?";
}

const char* comparison_symbol(Comparison c) {
  switch (c) {
    case Comparison::eq: return "=";
    case Comparison::approx: return "~";
    case Comparison::lt: return "<";
    case Comparison::le: return "<=";
    case Comparison::gt: return ">";
    case Comparison::ge: return ">=";
  }
  return "?";
}

std::string to_string(const Claim& c) {
  switch (c.kind) {
    case Claim::Kind::numeric:
      return std::string(quantity_name(c.numeric.quantity)) + " " + comparison_symbol(c.numeric.comparison) + " " +
             format_value(c.numeric.value);
    case Claim::Kind::group:
      if (!c.group.present) return "no " + c.group.group;
      return "has " + (c.group.count > 0 ? std::to_string(c.group.count) + " " : std::string()) + c.group.group;
    case Claim::Kind::principle: {
      const auto& p = c.principle;
      std::string premise = quantity_name(p.quantity);
      if (p.comparison && p.value && *p.comparison != Comparison::eq)
        premise += std::string(" ") + comparison_symbol(*p.comparison) + " " + format_value(*p.value);
      else if (p.value)
        premise += " = " + format_value(*p.value);
      else
        premise += p.quantity_direction > 0 ? " up" : " down";
      return (p.general ? "general: " : "") + premise + " -> " + property_name(p.property) +
             (p.property_direction > 0 ? " up" : " down");
    }
  }
  return "?";
}

}  // namespace retort::chem
