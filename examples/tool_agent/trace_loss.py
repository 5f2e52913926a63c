# examples/tool_agent/trace_loss.py: which parts of a tool trace a checkpoint has learned. For the first
# N examples of a split it rebuilds the token row SFT trains on (system prompt as the config's
# tools.prompt_schemas renders it, user turn, assistant turns with <tool_call> blocks, tool turns from
# `retort tools call`), runs the checkpoint (Hugging Face layout, transformers) teacher-forced, and reports
# the mean cross-entropy and the greedy next-token accuracy on the assistant tokens, split into: the tool
# name of a call, the SMILES copied into a call's arguments, the number copied from the tool response
# ("The tool gives X", <answer>X</answer>), and the rest (fixed template text); and the share of calls
# whose every SMILES token is the greedy choice (an exact copy under teacher forcing).
# Train examples use their meta.tool_trace; held-out (--split test/valid) examples, which carry none, get
# the direct trace the data builder writes (call the checklist's tool with its arguments, copy the number).
#   .venv/bin/python examples/tool_agent/trace_loss.py CHECKPOINT_DIR [--count N] [--split train|valid|test]
#       [--retort build-tools/retort] [--config examples/tool_agent/config.json]
import argparse
import json
import re
import subprocess

import torch
from tokenizers import Tokenizer
from transformers import AutoModelForCausalLM

parser = argparse.ArgumentParser()
parser.add_argument("checkpoint")
parser.add_argument("--count", type=int, default=24)
parser.add_argument("--split", default="train", choices=["train", "valid", "test"])
parser.add_argument("--retort", default="build-tools/retort")
parser.add_argument("--config", default="examples/tool_agent/config.json")
args = parser.parse_args()
checkpoint, count, retort = args.checkpoint, args.count, args.retort
config = json.load(open(args.config))
tok = Tokenizer.from_file(checkpoint + "/tokenizer.json")
model = AutoModelForCausalLM.from_pretrained(checkpoint, torch_dtype=torch.float32).eval()
names = config["tools"]["names"]
max_response = config["tools"]["max_response_tokens"]
prompt_schemas = config["tools"].get("prompt_schemas", "full")


def compact(schema):
    """src/rl/tool_settings.cpp compact_tool_schema: first sentence without asides, required arguments' types."""
    f = schema["function"]
    text, out, depth = f.get("description", ""), "", 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
            out = out.rstrip(" ")
            continue
        if ch == ")" and depth > 0:
            depth -= 1
            continue
        if depth > 0:
            continue
        if ch == "." and (i + 1 == len(text) or text[i + 1] == " "):
            break
        out += ch
    out = out.rstrip(" ")
    params = f.get("parameters", {})
    required = list(params.get("required", [])) if "properties" in params else []
    props = {k: ({"type": params["properties"][k]["type"]} if "type" in params["properties"].get(k, {}) else {})
             for k in required}
    return {"type": schema.get("type", "function"),
            "function": {"name": f["name"], "description": out + "." if out else out,
                         "parameters": {"type": "object", "properties": props, "required": required}}}


if prompt_schemas == "none":
    system = "<|im_start|>system\n" + config["data"]["system_prompt"] + "<|im_end|>\n"
else:
    schemas = [t for t in json.loads(subprocess.run([retort, "tools", "list"], capture_output=True, text=True).stdout)
               if t["function"]["name"] in names]  # the registry's (alphabetical) order, as the prompt has them
    if prompt_schemas == "compact":
        schemas = [compact(t) for t in schemas]
    system = ("<|im_start|>system\n" + config["data"]["system_prompt"] +
              "\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\n"
              "You are provided with function signatures within <tools></tools> XML tags:\n<tools>" +
              "".join("\n" + json.dumps(t) for t in schemas) +
              "\n</tools>\n\nFor each function call, return a json object with function name and arguments within "
              "<tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\": <function-name>, \"arguments\": "
              "<args-json-object>}\n</tool_call><|im_end|>\n")


def cut_decimals(number_text, decimals=3):
    """datasets/tool_agent_tasks.cpp cut_decimals."""
    if "e" in number_text or "E" in number_text:
        number_text = "%.*f" % (decimals + 3, float(number_text))
    dot = number_text.find(".")
    return number_text if dot < 0 else number_text[:dot + 1 + decimals]


VALUE_NAME = {"molecular_weight": "molecular_weight", "tpsa": "tpsa", "similarity": "tanimoto"}


def direct_trace(example):
    """The trace datasets/tool_agent_tasks.cpp writes for a train example without a wrong first call."""
    call = example["meta"]["tool_checklist"][0]
    answer = cut_decimals(json.dumps(example["answer"]["value"]))
    return [{"content": "<think>This needs an exact value; I will call %s.</think>" % call["tool"],
             "tool_call": {"name": call["tool"], "arguments": call["arguments"]}},
            {"content": "<think>The tool gives %s %s.</think>\n<answer>%s</answer>" %
                        (VALUE_NAME[example["meta"]["kind"]], answer, answer)}]


def encode(text):
    return tok.encode(text, add_special_tokens=False)


def trained_piece(text):
    """Token ids of an assistant piece, per token its category by the characters it covers, and per token
    whether it belongs to the piece's call's SMILES (a SMILES token or the token right after one, which
    closes the string)."""
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
    in_call = [c == "SMILES copy" or (k > 0 and cats[k - 1] == "SMILES copy") for k, c in enumerate(cats)]
    return list(enc.ids), cats, in_call


split_file = config["data"]["train"].replace("/train.jsonl", "/%s.jsonl" % args.split)
examples = [json.loads(line) for line in open(split_file) if line.strip()][:count]
totals = {}
calls_total, calls_exact = 0, 0
for ex in examples:
    ids = encode(system + "<|im_start|>user\n" + ex["prompt"] + "<|im_end|>\n<|im_start|>assistant\n").ids
    cats = [None] * len(ids)
    call_of = [None] * len(ids)  # which call's SMILES (and closing token) a token is part of
    trace = ex["meta"]["tool_trace"] if args.split == "train" else direct_trace(ex)
    for k, turn in enumerate(trace):
        text = turn["content"]
        if "tool_call" in turn:
            call = turn["tool_call"]
            text += "\n<tool_call>\n{\"name\": \"%s\", \"arguments\": %s}\n</tool_call>" % (
                call["name"], json.dumps(call["arguments"]))
        piece, piece_cats, in_call = trained_piece(text)
        ids += piece
        cats += piece_cats
        call_of += [k if c else None for c in in_call]
        if k + 1 == len(trace):
            ids += encode("<|im_end|>").ids
            cats += ["template"]
            call_of += [None]
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
        call_of += [None] * len(turn_ids)
    x = torch.tensor([ids])
    with torch.no_grad():
        logits = model(x).logits[0, :-1]  # (T-1, V)
    target = x[0, 1:]
    nll = torch.nn.functional.cross_entropy(logits, target, reduction="none")
    hit = (logits.argmax(-1) == target).float()
    call_hits = {}  # call -> greedy hits of its SMILES tokens and closing tokens
    for t, cat in enumerate(cats[1:]):
        if call_of[t + 1] is not None:
            call_hits.setdefault(call_of[t + 1], []).append(hit[t].item())
        if cat is None:
            continue
        s = totals.setdefault(cat, [0.0, 0.0, 0])
        s[0] += nll[t].item()
        s[1] += hit[t].item()
        s[2] += 1
    calls_total += len(call_hits)
    calls_exact += sum(all(h == 1.0 for h in hits) for hits in call_hits.values())

print("checkpoint %s, %d %s traces" % (checkpoint, len(examples), args.split))
print("| assistant tokens | count | mean cross-entropy | greedy next-token accuracy |")
print("|---|---|---|---|")
for cat in ("template", "tool name", "SMILES copy", "number copy"):
    if cat in totals:
        s = totals[cat]
        print("| %s | %d | %.3f | %.3f |" % (cat, s[2], s[0] / s[2], s[1] / s[2]))
print("calls whose every SMILES token (and the token closing each string) is the greedy choice: %d of %d" %
      (calls_exact, calls_total))
