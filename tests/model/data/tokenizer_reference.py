"""Reference encodings from the Hugging Face `tokenizers` library for retort's tokenizer parity tests.

Usage (run by tests/model/tokenizer_parity_test.cpp with the project's .venv Python):
  tokenizer_reference.py build OUT_DIR        train a Qwen2-style byte-level BPE tokenizer.json into OUT_DIR
  tokenizer_reference.py expect TOKENIZER_JSON OUT_JSON
                                              encode/decode the parity corpus with `tokenizers`
The Qwen2-style tokenizer: NFC normalizer, Split(Qwen2 regex, Isolated) + ByteLevel(add_prefix_space
False, use_regex False) pre-tokenizer, BPE model, ByteLevel decoder, added special tokens (normalized
False, as in Qwen2's tokenizer.json), plus a few added tokens with other flags for coverage.
Nothing is downloaded: the training text is the project's shipped data plus the corpus below.
"""
import csv
import json
import os
import random
import sys

from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers

QWEN2_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*"
                 r"|\s*[\r\n]+|\s+(?!\S)|\s+")
SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]

# Texts the encodings are compared on: chemistry and medicine, SMILES, unicode, whitespace, special tokens.
CORPUS = [
    "",
    " ",
    "a",
    "Aspirin (acetylsalicylic acid) inhibits COX-1 and COX-2.",
    "The molecular weight of caffeine, C8H10N4O2, is 194.19 g/mol.",
    "What's the pKa? It's 4.76; they're sure we'll see it'd work, I'm told you've CAN'T DON'T.",
    "CC(=O)Oc1ccccc1C(=O)O",
    "C[C@@H](N)C(=O)O",
    "N[C@H](Cc1ccccc1)C(=O)O",
    "F/C=C/F and F/C=C\\F are trans and cis.",
    "[NH4+].[Cl-]",
    "[O-][N+](=O)c1ccc(cc1)C(=O)[O-]",
    "C1CC2CCC3CCC4CCC5CCC6CCC7CCC8CCC9CCC%10CCC%11CC%10C%11",
    "OC[C@H]1OC(O)[C@H](O)[C@@H](O)[C@@H]1O",
    "[2H]C([2H])([2H])Cl [13CH4] [Fe+2] [Cu@TB5]",
    "c1ccc2c(c1)[nH]c1ccccc12",
    "Cn1cnc2c1c(=O)n(C)c(=O)n2C",
    "SMILES: CCO\nSMILES:\tCCN\r\nSMILES:  CCC  ",
    "A 45-year-old man presents with chest pain radiating to the left arm. ECG shows ST elevation in leads II, III, aVF.",
    "Which of the following is the most likely diagnosis?\nA. Myocardial infarction\nB. Pericarditis\nC. Aortic dissection\nD. GERD",
    "Blood pressure 145/95 mm Hg; HbA1c 7.2%; eGFR < 60 mL/min/1.73 m².",
    "Dose: 5 mg/kg q8h × 7 days, max 2 g/day (≤ 40 kg).",
    "β-blockers and α₁-agonists; κ-opioid; Δ9-THC; μg; Ω; γ-aminobutyric acid (GABA).",
    "Temperature 37.5 °C, SpO₂ 94 %, x² + y² = r², 10⁻³ M, H₂O, CO₂, Ca²⁺.",
    "Café, naïve, résumé, Müller, São Paulo, Ångström, ﬁnal ligature, Ǆ.",
    "e\u0301 (e + combining acute) vs \u00e9; A\u030a vs \u00c5; \u1e9b\u0323",
    "Hangul \u1100\u1161\u11a8 decomposed, \uac01 composed",
    "中文：阿司匹林是一种非甾体抗炎药。日本語のテキスト。한국어 문장.",
    "Emoji: 💊🧪🧬👩‍⚕️ 🇩🇪 ❤️ 👍🏽",
    "Arabic: الأسبرين دواء; Hebrew: אספירין; Hindi: एस्पिरिन; Thai: แอสไพริน",
    "   leading spaces",
    "trailing spaces   ",
    "\ttab\tseparated\tvalues\t",
    "line one\r\nline two\r\n\r\nline four",
    "multiple\n\n\n\nnewlines\n",
    "trailing space before newline \nand two  \n  then indent",
    "  \n  \n\t\n",
    "\n",
    "\r",
    "\u00a0non-breaking\u00a0space\u2003em space\u3000ideographic\u2028line sep\u0085nel",
    "mixed\u200bzero\u200cwidth\u200djoiners\ufeffbom",
    "numbers 1234567890 12.5e-3 -42 +7 0x1F 1,000,000",
    "punct!!! ??? ... --- ''' \"\"\" ((( ))) [[[ ]]] {{{ }}} @@@ ### $$$ %%% ^^^ &&& *** ___",
    "'s 'S 'T 'RE 'Ve 'M 'LL 'D 'x ''s",
    "<|im_start|>user\nWhat is the logP of CCO?<|im_end|>\n<|im_start|>assistant\n",
    "<|im_start|>system\nYou are a chemist.<|im_end|><|endoftext|>",
    "text<|im_end|>text <|im_end|> text<|im_end|>\n",
    "<|im_start|><|im_start|><|im_end|>",
    "<|im_start",
    "<tool_call>\n{\"name\": \"molecular_weight\", \"arguments\": {\"smiles\": \"CCO\"}}\n</tool_call>",
    "<tool_response>\n{\"mw\": 46.07}\n</tool_response>",
    "<think>The ring is aromatic.</think><answer>C1=CC=CC=C1</answer>",
    "a <mask> b  <mask>  c<mask>d",
    "x <mask>",
    "stripped <mask>\n\nnext",
    "The dose <medterm> is medterm<medterm> here",
    "ünïcödé<uni>é</uni>",
    "He said \"don't\" — it's 'quoted' – en dash … ellipsis «guillemets» „Anführung“",
    "http://example.org/path?q=1&x=y#frag user@example.com",
    "def f(x):\n    return x ** 2  # square\n\n\nprint(f(3))\n",
    "JSON {\"a\": [1, 2.5, null, true], \"b\": {\"c\": \"d\"}}",
    "    ",
    "a\n \n b",
    "word\u0300\u0301\u0302 multiple combining",
    "\U0001d400\U0001d401 math bold, \u2160\u2161 roman numerals, \u00bd fractions, \u0660\u0661 arabic-indic digits",
    "x" * 300,
    "CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC",
]

# Added tokens beyond the special ones, to cover the AddedToken flags (content, lstrip, rstrip, single_word, normalized, special).
EXTRA_ADDED = [
    ("<tool_call>", False, False, False, False, False),
    ("</tool_call>", False, False, False, False, False),
    ("<tool_response>", False, False, False, False, False),
    ("</tool_response>", False, False, False, False, False),
    ("<think>", False, False, False, False, False),
    ("</think>", False, False, False, False, False),
    ("<answer>", False, False, False, False, True),
    ("</answer>", False, False, False, False, True),
    ("<mask>", True, True, False, False, True),
    ("<medterm>", False, False, True, False, False),
    ("<uni>é</uni>", False, False, False, True, False),
]


# Characters random texts are drawn from: ASCII, SMILES punctuation, every kind of Unicode space and line
# break, letters and digits of several scripts, combining marks, case-folding oddities next to
# apostrophes (long s, Kelvin sign, dotted I), emoji with joiners and variation selectors, added-token text.
RANDOM_POOL = (list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
               + list("()[]=#@+-/\\%.:;,!?'\"`~^&*_{}<>|$")
               + [" ", "  ", "\t", "\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x85", "\xa0", "\u1680", "\u180e", "\u2000",
                  "\u2007", "\u200a", "\u200b", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000", "\ufeff"]
               + list("éÉñßøæœłıİſµαβγΔΩжЯאבعربي中文日本語한국어ไทยहिन्दी") + ["\u212a", "\u2126"]
               + list("٠١٢٣٤٥٦٧٨٩０１２３¹²³⁴₀₁₂½ⅠⅡ")
               + ["\u0301", "\u0308", "\u0323", "\u20dd", "\u093f", "\u0e31"]
               + ["'s", "'S", "'ſ", "'t", "'T", "'re", "'RE", "'ve", "'m", "'ll", "'LL", "'d", "'\u212a", "'\u0130"]
               + ["😀", "👩\u200d⚕️", "🇩🇪", "❤\ufe0f", "👍🏽", "\U0001d400", "\U000e0041"]
               + ["<|im_start|>", "<|im_end|>", "<tool_call>", "<mask>", "<medterm>", "<uni>é</uni>", "<|im_"])


def random_texts(count, seed=20261128):
    rng = random.Random(seed)
    return ["".join(rng.choice(RANDOM_POOL) for _ in range(rng.randrange(1, 60))) for _ in range(count)]


def training_text(limit_lines=4000):
    """Yields text from the data the project ships (SMILES, PubMedQA train questions) and the corpus."""
    data = os.environ.get("RETORT_SHARED_DATA", "/work/shared/data")
    smiles_csv = os.path.join(data, "smiles", "zinc_moses_train10k.csv")
    if os.path.exists(smiles_csv):
        with open(smiles_csv) as f:
            for i, row in enumerate(csv.reader(f)):
                if 0 < i <= limit_lines:
                    yield row[0]
    pubmed = os.path.join(data, "medqa", "pubmedqa_train.jsonl")
    if os.path.exists(pubmed):
        with open(pubmed) as f:
            for i, line in enumerate(f):
                if i >= limit_lines // 10:
                    break
                yield json.loads(line)["question"]
    for _ in range(3):
        yield from CORPUS


def build(out_dir):
    tok = Tokenizer(models.BPE())
    tok.normalizer = normalizers.NFC()
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(QWEN2_PATTERN), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
    ])
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=1500, min_frequency=2, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
                                  special_tokens=[AddedToken(t, special=True, normalized=False) for t in SPECIAL_TOKENS])
    tok.train_from_iterator(training_text(), trainer=trainer)
    tok.add_tokens([AddedToken(c, lstrip=l, rstrip=r, single_word=s, normalized=n, special=sp)
                    for c, l, r, s, n, sp in EXTRA_ADDED])
    os.makedirs(out_dir, exist_ok=True)
    tok.save(os.path.join(out_dir, "tokenizer.json"))


def expect(tokenizer_json, out_json):
    tok = Tokenizer.from_file(tokenizer_json)
    cases = []
    for text in CORPUS + random_texts(600):
        ids = tok.encode(text).ids
        cases.append({"text": text, "ids": ids,
                      "decoded": tok.decode(ids, skip_special_tokens=False),
                      "decoded_skip": tok.decode(ids, skip_special_tokens=True)})
    rng = random.Random(1234)
    vocab_size = tok.get_vocab_size(with_added_tokens=True)
    random_ids = [[rng.randrange(vocab_size) for _ in range(rng.randrange(1, 40))] for _ in range(300)]
    random_ids.append([vocab_size + 5, 0, vocab_size])  # unknown ids are dropped by tokenizers
    decodes = [{"ids": ids, "decoded": tok.decode(ids, skip_special_tokens=False),
                "decoded_skip": tok.decode(ids, skip_special_tokens=True)} for ids in random_ids]
    vocab = tok.get_vocab(with_added_tokens=True)
    with open(out_json, "w", encoding="utf-8") as f:
        json.dump({"cases": cases, "random_decodes": decodes, "vocab": vocab,
                   "vocab_size": vocab_size}, f, ensure_ascii=False)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "build":
        build(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "expect":
        expect(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
