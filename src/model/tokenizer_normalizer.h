// The "normalizer" of a tokenizer.json: Unicode normalization forms (NFC, NFD, NFKC, NFKD) alone or in
// a Sequence, through ICU. Other normalizer types are rejected when the file is loaded.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace retort::model {

class Normalizer {
 public:
  enum class Form { NFC, NFD, NFKC, NFKD };

  Normalizer() = default;  // the identity
  // From the "normalizer" field (null gives the identity). Throws TokenizerError naming `origin`.
  static Normalizer from_json(const nlohmann::json& node, const std::string& origin);

  bool is_identity() const { return forms_.empty(); }
  // Normalizes valid UTF-8 text.
  std::string apply(std::string_view text) const;

 private:
  std::vector<Form> forms_;
};

}  // namespace retort::model
