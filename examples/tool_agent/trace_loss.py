# examples/tool_agent/trace_loss.py: which parts of a tool trace a checkpoint has learned. For the first
# N train examples (meta.tool_trace) it rebuilds the token row SFT trains on (system prompt with the tool
# schemas, user turn, assistant turns with <tool_call> blocks, tool turns from `retort tools call`), runs
# the checkpoint (Hugging Face layout, transformers) teacher-forced, and reports the mean cross-entropy
# and the greedy next-token accuracy on the assistant tokens, split into: the tool name of a call, the
# SMILES copied into a call's arguments, the number copied from the tool response ("The tool gives X",
# <answer>X</answer>), and the rest (fixed template text).
#   .venv/bin/python examples/tool_agent/trace_loss.py CHECKPOINT_DIR [N] [RETORT]
import json
import re
import subprocess
import sys

import torch
from tokenizers import Tokenizer
from transformers import AutoModelForCausalLM

checkpoint = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 24
retort = sys.argv[3] if len(sys.argv) > 3 else "build-med/retort"
config = json.load(open("examples/tool_agent/config.json"))
tok = Tokenizer.from_file(checkpoint + "/tokenizer.json")
model = AutoModelForCausalLM.from_pretrained(checkpoint, torch_dtype=torch.float32).eval()
names = config["tools"]["names"]
max_response = config["tools"]["max_response_tokens"]

schemas = [t for t in json.loads(subprocess.run([retort, "tools", "list"], capture_output=True, text=True).stdout)
           if t["function"]["name"] in names]
schemas.sort(key=lambda t: names.index(t["function"]["name"]))
system = ("<|im_start|>system\n" + config["data"]["system_prompt"] +
          "\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\n"
          "You are provided with function signatures within <tools></tools> XML tags:\n<tools>" +
          "".join("\n" + json.dumps(t) for t in schemas) +
          "\n</tools>\n\nFor each function call, return a json object with function name and arguments within "
          "<tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\": <function-name>, \"arguments\": "
          "<args-json-object>}\n</tool_call><|im_end|>\n")


def encode(text):
    return tok.encode(text, add_special_tokens=False)


def trained_piece(text):
    """Token ids of an assistant piece and, per token, its category by the characters it covers."""
    spans = []  # (begin, end, category)
    for m in re.finditer(r'"name": "([^"]*)"', text):
        spans.append((m.start(1), m.end(1), "tool name"))
    for m in re.finditer(r'"(?:smiles|smiles_a|smiles_b)": "([^"]*)"', text):
        spans.append((m.start(1), m.end(1), "SMILES copy"))
    for m in re.finditer(r"The tool gives \w+ ([-0-9.eE]+)|<answer>([^<]*)</answer>", text):
        g = 1 if m.group(1) is not None else 2
        spans.append((m.start(g), m.end(g), "number copy"))
    enc = encode(text)
    cats = []
    for (b, e) in enc.offsets:
        cat = "template"
        for (sb, se, c) in spans:
            if b < se and e > sb:
                cat = c
        cats.append(cat)
    return list(enc.ids), cats


examples = [json.loads(line) for line in open(config["data"]["train"])][:count]
totals = {}
for ex in examples:
    ids = encode(system + "<|im_start|>user\n" + ex["prompt"] + "<|im_end|>\n<|im_start|>assistant\n").ids
    cats = [None] * len(ids)
    trace = ex["meta"]["tool_trace"]
    for k, turn in enumerate(trace):
        text = turn["content"]
        if "tool_call" in turn:
            call = turn["tool_call"]
            text += "\n<tool_call>\n{\"name\": \"%s\", \"arguments\": %s}\n</tool_call>" % (
                call["name"], json.dumps(call["arguments"]))
        piece, piece_cats = trained_piece(text)
        ids += piece
        cats += piece_cats
        if k + 1 == len(trace):
            ids += encode("<|im_end|>").ids
            cats += ["template"]
            break
        out = subprocess.run([retort, "tools", "call", call["name"], "--args", json.dumps(call["arguments"])],
                             capture_output=True, text=True).stdout
        body = encode(json.dumps(json.loads(out))).ids
        if len(body) > max_response:
            body = body[:max_response] + encode(" ...[truncated %d tokens]" % (len(body) - max_response)).ids
        turn_ids = (encode("<|im_end|>\n<|im_start|>user\n<tool_response>\n").ids + body +
                    encode("\n</tool_response><|im_end|>\n<|im_start|>assistant\n").ids)
        ids += turn_ids
        cats += [None] * len(turn_ids)
    x = torch.tensor([ids])
    with torch.no_grad():
        logits = model(x).logits[0, :-1]  # (T-1, V)
    target = x[0, 1:]
    nll = torch.nn.functional.cross_entropy(logits, target, reduction="none")
    hit = (logits.argmax(-1) == target).float()
    for t, cat in enumerate(cats[1:]):
        if cat is None:
            continue
        s = totals.setdefault(cat, [0.0, 0.0, 0])
        s[0] += nll[t].item()
        s[1] += hit[t].item()
        s[2] += 1

print("checkpoint %s, %d train traces" % (checkpoint, len(examples)))
print("| assistant tokens | count | mean cross-entropy | greedy next-token accuracy |")
print("|---|---|---|---|")
for cat in ("template", "tool name", "SMILES copy", "number copy"):
    if cat in totals:
        s = totals[cat]
        print("| %s | %d | %.3f | %.3f |" % (cat, s[2], s[0] / s[2], s[1] / s[2]))
