"""transformers side of bench/generate.sh: loads the model and prompts bench_generate saved, runs
model.generate (KV cache, sampling with temperature 0.8 / top-k 50 / top-p 0.95, exactly 128 new
tokens) on the same two threads, best of N runs after a warm-up; prints one JSON line."""
import argparse
import json
import time

import torch
from safetensors.torch import load_file
from transformers import Qwen2ForCausalLM

parser = argparse.ArgumentParser()
parser.add_argument("--dir", required=True)
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--repeats", type=int, default=3)
parser.add_argument("--new-tokens", type=int, default=128)
args = parser.parse_args()

torch.set_num_threads(args.threads)
model = Qwen2ForCausalLM.from_pretrained(f"{args.dir}/model", dtype=torch.float32).eval()
input_ids = load_file(f"{args.dir}/prompts.safetensors")["input_ids"]
mask = torch.ones_like(input_ids)
best = float("inf")
tokens = 0
with torch.inference_mode():
    for r in range(args.repeats + 1):
        torch.manual_seed(r)
        start = time.perf_counter()
        out = model.generate(input_ids=input_ids, attention_mask=mask, do_sample=True, temperature=0.8, top_k=50,
                             top_p=0.95, max_new_tokens=args.new_tokens, min_new_tokens=args.new_tokens,
                             eos_token_id=None, pad_token_id=0, use_cache=True)
        seconds = time.perf_counter() - start
        tokens = (out.shape[1] - input_ids.shape[1]) * out.shape[0]
        if r > 0:
            best = min(best, seconds)
print(json.dumps({"transformers_seconds": round(best, 4), "transformers_tokens": tokens,
                  "transformers_tokens_per_s": round(tokens / best, 1), "torch_threads": torch.get_num_threads()}))
