#!/usr/bin/env python3
"""Writes smiles_tokenizer.json: the generator's character-level tokenizer in Hugging Face format.

Byte-level BPE with no merges (one token per byte, so every SMILES character is one token), the chat
special tokens retort's policy code expects (<|endoftext|> = BOS, <|im_end|> = EOS, <|pad|>), and one
added token per condition bin ("<fosc=0>" .. "<fosc=10>", "<wl=0>" .. "<wl=10>", "<qed=0>" .. "<qed=7>",
"<sa=0>" .. "<sa=7>"; bin counts as in src/al/condition_bins.cpp). Run with .venv/bin/python.
"""
import os

from tokenizers import Tokenizer, decoders, models, pre_tokenizers
from tokenizers.pre_tokenizers import ByteLevel


def bytes_to_unicode():
    """GPT-2's byte -> printable unicode map (the ByteLevel pre-tokenizer's alphabet)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, (chr(c) for c in cs)))


special = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|pad|>"]
byte_map = bytes_to_unicode()
vocab = {}
for token in special:
    vocab[token] = len(vocab)
for b in range(256):
    vocab[byte_map[b]] = len(vocab)

tokenizer = Tokenizer(models.BPE(vocab=vocab, merges=[]))
tokenizer.pre_tokenizer = ByteLevel(add_prefix_space=False, use_regex=False)
tokenizer.decoder = decoders.ByteLevel()
tokenizer.add_special_tokens(special)
conditions = [f"<fosc={i}>" for i in range(11)] + [f"<wl={i}>" for i in range(11)]
conditions += [f"<qed={i}>" for i in range(8)] + [f"<sa={i}>" for i in range(8)]
tokenizer.add_tokens(conditions)
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "smiles_tokenizer.json")
tokenizer.save(out)
enc = tokenizer.encode("<fosc=3><wl=5>c1ccc(Cl)cc1[nH]")
print(out, tokenizer.get_vocab_size(), enc.tokens)
assert tokenizer.decode(enc.ids) == "<fosc=3><wl=5>c1ccc(Cl)cc1[nH]"
