// Unicode normalization of tokenizer input through ICU's Normalizer2 (the forms tokenizers' NFC/NFD/
// NFKC/NFKD normalizers apply), with an ASCII fast path.
#include "model/tokenizer_normalizer.h"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <nlohmann/json.hpp>

#include "model/tokenizer_error.h"

namespace retort::model {
namespace {

void add_forms(const nlohmann::json& node, const std::string& where, std::vector<Normalizer::Form>& forms) {
  if (!node.is_object() || !node.contains("type") || !node["type"].is_string())
    throw TokenizerError(where + ": expected an object with a string \"type\"");
  const std::string type = node["type"].get<std::string>();
  if (type == "NFC") {
    forms.push_back(Normalizer::Form::NFC);
  } else if (type == "NFD") {
    forms.push_back(Normalizer::Form::NFD);
  } else if (type == "NFKC") {
    forms.push_back(Normalizer::Form::NFKC);
  } else if (type == "NFKD") {
    forms.push_back(Normalizer::Form::NFKD);
  } else if (type == "Sequence") {
    if (!node.contains("normalizers") || !node["normalizers"].is_array())
      throw TokenizerError(where + ".normalizers: expected an array");
    for (std::size_t i = 0; i < node["normalizers"].size(); ++i)
      add_forms(node["normalizers"][i], where + ".normalizers[" + std::to_string(i) + "]", forms);
  } else {
    throw TokenizerError(where + ".type: normalizer '" + type +
                         "' is not supported (supported: NFC, NFD, NFKC, NFKD, Sequence)");
  }
}

const icu::Normalizer2& instance(Normalizer::Form form) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = nullptr;
  switch (form) {
    case Normalizer::Form::NFC: n = icu::Normalizer2::getNFCInstance(status); break;
    case Normalizer::Form::NFD: n = icu::Normalizer2::getNFDInstance(status); break;
    case Normalizer::Form::NFKC: n = icu::Normalizer2::getNFKCInstance(status); break;
    case Normalizer::Form::NFKD: n = icu::Normalizer2::getNFKDInstance(status); break;
  }
  if (U_FAILURE(status) || n == nullptr) throw TokenizerError(std::string("ICU normalizer unavailable: ") + u_errorName(status));
  return *n;
}

bool is_ascii(std::string_view text) {
  for (char c : text)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

}  // namespace

Normalizer Normalizer::from_json(const nlohmann::json& node, const std::string& origin) {
  Normalizer n;
  if (!node.is_null()) add_forms(node, origin + ": normalizer", n.forms_);
  return n;
}

std::string Normalizer::apply(std::string_view text) const {
  if (forms_.empty() || is_ascii(text)) return std::string(text);  // ASCII is invariant under all four forms
  icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  for (Form form : forms_) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2& n = instance(form);
    if (n.isNormalized(unicode, status) && U_SUCCESS(status)) continue;
    status = U_ZERO_ERROR;
    unicode = n.normalize(unicode, status);
    if (U_FAILURE(status)) throw TokenizerError(std::string("Unicode normalization failed: ") + u_errorName(status));
  }
  std::string out;
  unicode.toUTF8String(out);
  return out;
}

}  // namespace retort::model
