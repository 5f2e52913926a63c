"""Loads a checkpoint directory's tokenizer.json + tokenizer_config.json with transformers' AutoTokenizer
and prints what retort must agree with, as JSON: ids of each text, the rendered chat, eos/pad ids.

Usage (run by tests/model/tokenizer_config_test.cpp): tokenizer_hf_load.py CHECKPOINT_DIR INPUT_JSON
INPUT_JSON: {"texts": [...], "messages": [...], "tools": [...]}
"""
import json
import sys

from transformers import AutoTokenizer


def main(directory, input_path):
    tokenizer = AutoTokenizer.from_pretrained(directory)
    with open(input_path, encoding="utf-8") as f:
        request = json.load(f)
    out = {
        "ids": [tokenizer.encode(t, add_special_tokens=True) for t in request["texts"]],
        "chat": tokenizer.apply_chat_template(request["messages"], tools=request["tools"], tokenize=False,
                                              add_generation_prompt=True),
        "eos_token_id": tokenizer.eos_token_id,
        "pad_token_id": tokenizer.pad_token_id,
        "decoded": [tokenizer.decode(tokenizer.encode(t), skip_special_tokens=True) for t in request["texts"]],
    }
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
