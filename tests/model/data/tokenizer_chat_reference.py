"""Renders conversations with transformers' apply_chat_template and Qwen2.5-Instruct's chat template.

Usage (run by tests/model/chat_template_test.cpp): tokenizer_chat_reference.py CASES_JSON OUT_JSON
CASES_JSON is a list of {"messages": [...], "tools": [...] or null, "add_generation_prompt": bool};
OUT_JSON receives the list of rendered strings. The template text is the copy of Qwen2.5-Instruct's
chat template that the pinned trl ships (trl/chat_templates/qwen2_5.jinja); nothing is downloaded.
The tokenizer object only carries the template: retort's tiny tokenizer.json is used for it.
"""
import json
import os
import sys

import trl
from transformers import PreTrainedTokenizerFast


def main(cases_path, out_path):
    template_path = os.path.join(os.path.dirname(trl.__file__), "chat_templates", "qwen2_5.jinja")
    with open(template_path, encoding="utf-8") as f:
        template = f.read()
    source = os.environ.get("RETORT_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.dirname(os.path.abspath(__file__))))))
    tokenizer = PreTrainedTokenizerFast(tokenizer_file=os.path.join(source, "src", "model", "assets", "tiny_tokenizer.json"))
    tokenizer.chat_template = template
    with open(cases_path, encoding="utf-8") as f:
        cases = json.load(f)
    rendered = [tokenizer.apply_chat_template(c["messages"], tools=c.get("tools"), tokenize=False,
                                              add_generation_prompt=c.get("add_generation_prompt", False))
                for c in cases]
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(rendered, f, ensure_ascii=False)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
