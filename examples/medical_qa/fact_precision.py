# Usage: python3 examples/medical_qa/fact_precision.py runs/medical_qa/eval_sft.jsonl runs/medical_qa/eval_rl.jsonl
# Share of fact sentences in the held-out completions that are facts of the knowledge graph (same
# sentence shapes as med/kg_traces.cpp).
import json, re, sys
kg = set()
for line in open("med/data/knowledge_graph.tsv"):
    if line.startswith("#") or line.startswith("subject\t"): continue
    s, r, o, _ = line.rstrip("\n").split("\t")
    kg.add((s, r, o))
shapes = [("targets", "", " acts on "), ("treats", "", " is used for "), ("adverse_effect", "", " can cause "),
          ("reversed_by", "the effect of ", " is reversed by "), ("is_a", "", " is a ")]
def parse(sent):
    for rel, before, mid in shapes:
        if sent.startswith(before) and mid in sent[len(before):]:
            a, b = sent[len(before):].split(mid, 1)
            return (a, rel, b)
for path in sys.argv[1:]:
    stated = true = 0
    for l in open(path):
        c = json.loads(l)["completion"]
        m = re.search(r"<think>(.*?)</think>", c, re.S)
        if not m: continue
        for sent in m.group(1).split(". "):
            f = parse(sent.rstrip("."))
            if f: stated += 1; true += f in kg
    print("%s: %d fact sentences, %d in the graph (%.3f)" % (path, stated, true, true / max(stated, 1)))
