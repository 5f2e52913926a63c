// Fuzz target: the Hugging Face tokenizer (src/model/tokenizer.h) with the shipped tiny byte-level BPE
// (src/model/assets/tiny_tokenizer.json), and the tokenizer.json loader itself.
// Byte 0 picks the mode: 0-1 encode text, 2 decode raw ids, 3 load the rest as a tokenizer.json.
// Invariants: encode gives ids inside the vocabulary; decode always gives valid UTF-8; encoding is a
// round trip up to normalization: encode(decode(encode(t))) == encode(t) (the tiny vocabulary covers
// all 256 bytes, so nothing is dropped); any id, even negative or huge, decodes without error;
// a malformed tokenizer.json throws one one-line TokenizerError, nothing else.
#include <cstring>

#include "fuzz/fuzz_input.h"
#include "model/tokenizer.h"

namespace {

const retort::model::Tokenizer& tiny() {
  static const retort::model::Tokenizer tokenizer = retort::model::Tokenizer::from_file(RETORT_TINY_TOKENIZER_PATH);
  return tokenizer;
}

void check_ids(const retort::model::Tokenizer& t, const std::vector<int32_t>& ids) {
  for (int32_t id : ids) {
    FUZZ_CHECK(id >= 0 && id < t.vocab_size());
    FUZZ_CHECK(t.id_to_token(id).has_value());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using retort::model::Tokenizer;
  if (size == 0) return 0;
  const int mode = data[0] & 3;
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  const Tokenizer& t = tiny();
  if (mode <= 1) {
    auto ids = t.encode(rest);
    check_ids(t, ids);
    std::string text = t.decode(ids);
    FUZZ_CHECK(retort::fuzz::valid_utf8(text));
    FUZZ_CHECK(t.encode(text) == ids);
    FUZZ_CHECK(retort::fuzz::valid_utf8(t.decode(ids, /*skip_special_tokens=*/true)));
  } else if (mode == 2) {
    std::vector<int32_t> ids(rest.size() / 4);
    if (!ids.empty()) std::memcpy(ids.data(), rest.data(), ids.size() * 4);
    // Mostly small ids (real tokens), some raw (hostile) ones.
    for (size_t i = 0; i < ids.size(); ++i)
      if ((ids[i] & 0x40000000) == 0) ids[i] = static_cast<int32_t>(static_cast<uint32_t>(ids[i]) % (t.vocab_size() + 8));
    std::string text = t.decode(ids);
    FUZZ_CHECK(retort::fuzz::valid_utf8(text));
    FUZZ_CHECK(retort::fuzz::valid_utf8(t.decode(ids, true)));
    std::string bytes;
    for (int32_t id : ids) bytes += t.token_bytes(id);
    FUZZ_CHECK(bytes.size() >= text.size() / 3);  // U+FFFD (3 bytes) replaces at least one byte
    check_ids(t, t.encode(text));
  } else {
    try {
      Tokenizer loaded = Tokenizer::from_json_text(rest, "fuzz/tokenizer.json");
      check_ids(loaded, loaded.encode("CCO is ethanol <|im_end|> ☃"));
      FUZZ_CHECK(retort::fuzz::valid_utf8(loaded.decode(loaded.encode(rest.substr(0, 256)))));
    } catch (const retort::model::TokenizerError& e) {
      FUZZ_CHECK(std::strncmp(e.what(), "fuzz/tokenizer.json", 19) == 0);
      FUZZ_CHECK(std::strchr(e.what(), '\n') == nullptr);
    }
  }
  return 0;
}
