# examples/tool_agent/eval_calls.py: what the policy's tool calls were in a stage evaluation. Reads the
# trainer's eval_<stage>.jsonl (completion transcripts with the tool turns) and the eval split, and counts
# per question: a call of the right tool (meta.tool_checklist), a call whose arguments equal the
# checklist's (the SMILES copied exactly), a correct answer, and a correct answer without such a call
# (a coincidence, e.g. TPSA 0.0 for a hydrocarbon the model made up).
#   python3 examples/tool_agent/eval_calls.py runs/tool_agent/eval_sft.jsonl runs/data/tool_agent/test.jsonl
import json
import re
import sys

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
split = {}
for line in open(sys.argv[2]):
    if line.strip():
        example = json.loads(line)
        split[example["id"]] = example
counts = {"questions": 0, "with a call": 0, "right tool called": 0, "right tool, exact arguments": 0,
          "correct": 0, "correct without the exact call": 0}
for row in rows:
    want = split[row["id"]]["meta"]["tool_checklist"][0]
    calls = []
    for body in re.findall(r"<tool_call>(.*?)</tool_call>", row.get("transcript", ""), re.S):
        try:
            calls.append(json.loads(body))
        except ValueError:
            calls.append(None)
    right = [c for c in calls if isinstance(c, dict) and c.get("name") == want["tool"]]
    exact = [c for c in right if c.get("arguments") == want["arguments"]]
    counts["questions"] += 1
    counts["with a call"] += bool(calls)
    counts["right tool called"] += bool(right)
    counts["right tool, exact arguments"] += bool(exact)
    counts["correct"] += bool(row["correct"])
    counts["correct without the exact call"] += bool(row["correct"]) and not exact
print(sys.argv[1] + ": " + ", ".join("%s %d" % kv for kv in counts.items()))
