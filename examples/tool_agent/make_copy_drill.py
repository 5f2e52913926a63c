# examples/tool_agent/make_copy_drill.py: copy-drill rows for a first SFT stage that teaches the tiny policy
# to copy a SMILES from the question into a tool call (the skill the tool_agent traces need and the
# policy did not learn from the traces alone: greedy predictions of the call's SMILES tokens were a SMILES
# language model's guesses, the first token almost never the question's). One drill per train example
# (train molecules only, so nothing of valid/test enters): the same question, and as the only target turn
# the first turn of its direct trace, i.e. the think line and the call, ending there (no tool runs, no
# response, no answer). A SCRAMBLED share of the drills use the SMILES's characters shuffled, in the
# question and the call alike: a string no language model can guess, so only a copy lowers their loss.
#   python3 examples/tool_agent/make_copy_drill.py TRAIN_JSONL OUT_JSONL [--scrambled 0.5] [--seed 0]
import argparse
import json
import random

parser = argparse.ArgumentParser()
parser.add_argument("train")
parser.add_argument("out")
parser.add_argument("--scrambled", type=float, default=0.5)
parser.add_argument("--seed", type=int, default=0)
args = parser.parse_args()
rng = random.Random(args.seed)

count, scrambled = 0, 0
with open(args.out, "w") as out:
    for line in open(args.train):
        if not line.strip():
            continue
        ex = json.loads(line)
        call = ex["meta"]["tool_checklist"][0]
        arguments = dict(call["arguments"])
        prompt = ex["prompt"]
        if rng.random() < args.scrambled:
            scrambled += 1
            for key, smiles in call["arguments"].items():
                chars = list(smiles)
                rng.shuffle(chars)
                text = "".join(chars)
                prompt = prompt.replace('"%s"' % smiles, '"%s"' % text, 1)
                arguments[key] = text
        # src/rl/tool_traces.cpp tool_call_text: "\n<tool_call>\n{"name": N, "arguments": ARGS}\n</tool_call>",
        # ARGS printed Python-style (", " and ": " separators) as json.dumps does.
        content = ("<think>This needs an exact value; I will call %s.</think>\n<tool_call>\n{\"name\": \"%s\", "
                   "\"arguments\": %s}\n</tool_call>" % (call["tool"], call["tool"], json.dumps(arguments)))
        ex["id"] += "-drill"
        ex["prompt"] = prompt
        ex["meta"] = {"split": "train", "kind": ex["meta"]["kind"], "source": ex["meta"]["source"] + " (copy drill)",
                      "tool_trace": [{"content": content}]}
        out.write(json.dumps(ex) + "\n")
        count += 1
print("copy drill: %d rows (%d scrambled) -> %s" % (count, scrambled, args.out))
