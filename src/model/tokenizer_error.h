// The tokenizer's error type: a malformed tokenizer.json or an unusable token id, with a message that
// names the file and the field ("tokenizer.json: model.merges[12]: token 'ab' is not in the vocab").
#pragma once
#include <stdexcept>

#include "core/errors.h"

namespace retort::model {

struct TokenizerError : retort::DataError {
  using retort::DataError::DataError;
};

}  // namespace retort::model
