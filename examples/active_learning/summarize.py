# python: system
"""Prints the README's AL-vs-GRPO table rows from run directories (issue 9 item 4):
oracle calls, valid % (of generated), unique % (of valid), novel % (of unique), mean SA of the
evaluated molecules, top-1, top-10 mean and top-100 mean of the pool, summed over the rounds used.
usage: /usr/bin/python3 summarize.py RUN_DIR[:BUDGET] ...
  BUDGET: use only the rounds up to the one whose cumulative oracle calls is nearest BUDGET (GRPO
  compared at the AL run's budget); the pool is cut to those rounds too."""
import csv
import sys


def summarize(spec):
    run_dir, _, budget = spec.partition(":")
    rows = list(csv.DictReader(open(f"{run_dir}/rounds.csv")))
    if budget:
        target = int(budget)
        best = min(range(len(rows)), key=lambda i: (abs(int(rows[i]["oracle_calls_total"]) - target), i))
        rows = rows[: best + 1]
    last_round = int(rows[-1]["round"])
    total = lambda key: sum(int(r[key]) for r in rows)
    pool = [p for p in csv.DictReader(open(f"{run_dir}/pool.csv")) if int(p["round"]) <= last_round]
    scores = sorted((float(p["score"]) for p in pool if p["score"] not in ("", "nan")), reverse=True)
    sa = [float(p["sa"]) for p in pool if p.get("sa") not in (None, "", "nan")]
    top = lambda k: sum(scores[:k]) / len(scores[:k]) if scores else float("nan")
    pct = lambda a, b: f"{100.0 * a / b:.1f}%" if b else "-"
    return (f"| {run_dir.rstrip('/').split('/')[-1]}, {len(rows)} rounds | {rows[-1]['oracle_calls_total']} | "
            f"{pct(total('valid'), total('generated'))} | {pct(total('unique'), total('valid'))} | "
            f"{pct(total('novel'), total('unique'))} | {sum(sa) / len(sa) if sa else float('nan'):.2f} | "
            f"{scores[0] if scores else float('nan'):.3f} | {top(10):.3f} | {top(100):.3f} |")


print("| run | oracle calls | valid | unique (of valid) | novel (of unique) | mean SA (evaluated) | top-1 | top-10 mean | top-100 mean |")
print("|---|---|---|---|---|---|---|---|---|")
for spec in sys.argv[1:]:
    print(summarize(spec))
