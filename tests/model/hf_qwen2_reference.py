"""Reference side of the Qwen2 parity tests (tests/model/qwen2_parity_test.cpp): transformers builds,
saves and runs small random Qwen2 models; no downloads.

  make DIR --tied 0|1 --seed N   random Qwen2ForCausalLM saved to DIR, plus DIR/reference.safetensors:
                                 a left-padded batch (input_ids, attention_mask), its fp32 and bf16
                                 logits (positions from the mask, as generate does), greedy prompts and
                                 the 64 tokens transformers' generate() produces from them.
  logits DIR                     loads DIR (a retort-saved checkpoint) with transformers and writes
                                 DIR/hf_logits.safetensors for DIR/inputs.safetensors.
"""
import argparse
import sys

import torch
from safetensors.torch import load_file, save_file
from transformers import Qwen2Config, Qwen2ForCausalLM

torch.set_num_threads(1)


def positions(mask):
    return (mask.long().cumsum(-1) - 1).clamp(min=0)


def make(directory, tied, seed):
    torch.manual_seed(seed)
    config = Qwen2Config(vocab_size=300, hidden_size=64, intermediate_size=160, num_hidden_layers=3,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=512,
                         rope_theta=10000.0, rms_norm_eps=1e-6, initializer_range=0.15, tie_word_embeddings=tied,
                         bos_token_id=1, eos_token_id=2, pad_token_id=0)
    model = Qwen2ForCausalLM(config).eval()
    # Biases are zero at init; make them random so the q/k/v bias path is exercised.
    with torch.no_grad():
        for layer in model.model.layers:
            for proj in (layer.self_attn.q_proj, layer.self_attn.k_proj, layer.self_attn.v_proj):
                proj.bias.normal_(0, 0.1)
            layer.input_layernorm.weight.normal_(1.0, 0.1)
        model.model.norm.weight.normal_(1.0, 0.1)
    model.save_pretrained(directory)

    g = torch.Generator().manual_seed(seed + 1)
    lengths = [11, 7, 3]
    T = max(lengths)
    input_ids = torch.zeros(len(lengths), T, dtype=torch.long)
    mask = torch.zeros(len(lengths), T, dtype=torch.long)
    for b, n in enumerate(lengths):
        input_ids[b, T - n:] = torch.randint(3, 300, (n,), generator=g)
        mask[b, T - n:] = 1
    with torch.no_grad():
        logits = model(input_ids=input_ids, attention_mask=mask, position_ids=positions(mask)).logits
        bf16 = Qwen2ForCausalLM.from_pretrained(directory, dtype=torch.bfloat16).eval()
        logits_bf16 = bf16(input_ids=input_ids, attention_mask=mask, position_ids=positions(mask)).logits.float()
        generated = model.generate(input_ids=input_ids, attention_mask=mask, do_sample=False, max_new_tokens=64,
                                   min_new_tokens=64, eos_token_id=None, pad_token_id=0)
    save_file({"input_ids": input_ids, "attention_mask": mask, "logits": logits.contiguous(),
               "logits_bf16": logits_bf16.contiguous(), "generated": generated[:, T:].contiguous()},
              f"{directory}/reference.safetensors")


def logits(directory):
    model = Qwen2ForCausalLM.from_pretrained(directory, dtype=torch.float32).eval()
    inputs = load_file(f"{directory}/inputs.safetensors")
    with torch.no_grad():
        out = model(input_ids=inputs["input_ids"], attention_mask=inputs["attention_mask"],
                    position_ids=positions(inputs["attention_mask"])).logits
    save_file({"logits": out.contiguous()}, f"{directory}/hf_logits.safetensors")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["make", "logits"])
    parser.add_argument("directory")
    parser.add_argument("--tied", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if args.command == "make":
        make(args.directory, bool(args.tied), args.seed)
    else:
        logits(args.directory)
    sys.exit(0)
