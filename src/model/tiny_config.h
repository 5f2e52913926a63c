// The tiny default policy (the demos' policy, trainable on 2 CPU cores in minutes): hidden 256,
// 4 layers, 4 query / 2 key-value heads (head_dim 64), SwiGLU width 688, tied embeddings, the tiny
// tokenizer's vocabulary (src/model/assets/tiny_tokenizer.json, 4096 ids), and a ViT image encoder
// (224 px, 32 px patches -> 49 visual tokens, width 128, 2 layers). About 3.8 M decoder parameters
// plus 0.9 M vision parameters.
#pragma once
#include <cstdint>

#include "model/policy.h"
#include "model/qwen2_config.h"
#include "model/tokenizer.h"

namespace retort::model {

// The tiny config for TOKENIZER: vocab_size = tokenizer.vocab_size(); eos = <|im_end|>, bos =
// <|endoftext|>, pad = <|pad|> (when present); the vision part only when WITH_VISION (the image
// placeholder is "<|image|>", which must exist then).
Qwen2Config tiny_config(const Tokenizer& tokenizer, bool with_vision = true);
// Policy::create(tiny_config(Tokenizer::tiny_default(), with_vision), seed).
Policy create_tiny_policy(uint64_t seed, bool with_vision = true);

}  // namespace retort::model
