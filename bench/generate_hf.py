"""transformers side of bench/generate.sh: loads the model and prompts bench_generate saved, runs
model.generate (KV cache, sampling with temperature 0.8 / top-k 50 / top-p 0.95, exactly 128 new
tokens, fp32) on the same two threads, best of N runs after a warm-up; prints one JSON line with the
best wall seconds and the process CPU seconds (time.process_time) of the same runs. --profile FILE
adds one profiled run (not timed) written as a Chrome trace for bench/generate_profile.py."""
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
parser.add_argument("--profile", default="")
args = parser.parse_args()

torch.set_num_threads(args.threads)
torch.set_num_interop_threads(1)
model = Qwen2ForCausalLM.from_pretrained(f"{args.dir}/model", dtype=torch.float32).eval()
input_ids = load_file(f"{args.dir}/prompts.safetensors")["input_ids"]
mask = torch.ones_like(input_ids)


def one_run(seed):
    torch.manual_seed(seed)
    return model.generate(input_ids=input_ids, attention_mask=mask, do_sample=True, temperature=0.8, top_k=50,
                          top_p=0.95, max_new_tokens=args.new_tokens, min_new_tokens=args.new_tokens,
                          eos_token_id=None, pad_token_id=0, use_cache=True)


best = best_cpu = float("inf")
tokens = 0
with torch.inference_mode():
    for r in range(args.repeats + 1):
        cpu_start = time.process_time()
        start = time.perf_counter()
        out = one_run(r)
        seconds = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
        tokens = (out.shape[1] - input_ids.shape[1]) * out.shape[0]
        if r > 0:
            best = min(best, seconds)
            best_cpu = min(best_cpu, cpu)
    if args.profile:
        with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU]) as prof:
            one_run(args.repeats + 1)
        prof.export_chrome_trace(args.profile)
print(json.dumps({"transformers_seconds": round(best, 4), "transformers_cpu_seconds": round(best_cpu, 4),
                  "transformers_tokens": tokens, "transformers_tokens_per_s": round(tokens / best, 1),
                  "transformers_cpu_ms_per_token": round(1000 * best_cpu / tokens, 4),
                  "torch_threads": torch.get_num_threads(), "transformers_version": __import__("transformers").__version__,
                  "torch_version": torch.__version__}))
