#!/usr/bin/env python3
"""Builds retort's tiny default tokenizer: src/model/assets/tiny_tokenizer.json.

A byte-level BPE with Qwen2's pre-tokenizer (NFC, Split on Qwen2's regex, ByteLevel without prefix space)
and decoder, trained by the pinned Hugging Face `tokenizers` on text the project ships: SMILES from
/work/shared/data/smiles (MOSES train split) and the MoleculeNet CSVs, PubMedQA *train* questions (the
MedQA/MedMCQA/PubMedQA test files are evaluation data and are not trained on), plus the chemistry and
medical English below. Ids 0-14 are the special and tag tokens, each a single token.

  .venv/bin/python scripts/make_tiny_tokenizer.py                  # writes the asset (vocab 4096)
  .venv/bin/python scripts/make_tiny_tokenizer.py --measure        # tokens per character vs vocab size
  .venv/bin/python scripts/make_tiny_tokenizer.py --no-smiles --out PATH   # a variant without SMILES merges

--no-smiles trains on the same text minus every SMILES (the shipped SMILES corpora and the SMILES in the
written text), so SMILES come out as (nearly) single characters; the default output is unchanged.
"""
import argparse
import csv
import glob
import json
import os
import sys

import tokenizers
from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers

PINNED_TOKENIZERS = "0.23.3"  # requirements.txt
DATA = os.environ.get("RETORT_SHARED_DATA", "/work/shared/data")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "src", "model", "assets", "tiny_tokenizer.json")

QWEN2_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*"
                 r"|\s*[\r\n]+|\s+(?!\S)|\s+")
# (content, special): special tokens are dropped by decode(skip_special_tokens=True); the tags the
# verifiers and the tool loop read stay in the text, as Qwen2.5 keeps <tool_call> non-special.
ADDED_TOKENS = [
    ("<|endoftext|>", True), ("<|im_start|>", True), ("<|im_end|>", True),
    ("<tool_call>", False), ("</tool_call>", False), ("<tool_response>", False), ("</tool_response>", False),
    ("<think>", False), ("</think>", False), ("<answer>", False), ("</answer>", False),
    ("<|image|>", True), ("<|vision_start|>", True), ("<|vision_end|>", True), ("<|pad|>", True),
]

# Chemistry and medical English written for this tokenizer (prompt and answer phrasing the demos use).
WRITTEN_TEXT = """
You are a careful chemist. Think step by step inside <think></think> and give the final answer inside <answer></answer>.
You are a careful physician. Read the question, reason about the mechanism, and answer with the letter of the best option.
Predict the aqueous solubility (log mol/L) of the molecule with SMILES CCO.
Predict the octanol/water distribution coefficient logD at pH 7.4.
Does this molecule cross the blood-brain barrier? Answer yes or no.
Is this compound toxic in the Tox21 nuclear receptor assay? Is it an inhibitor of human beta-secretase 1 (BACE-1)?
Give the canonical SMILES of the product. Propose a molecule with a lowest excitation wavelength above 500 nm.
The molecular weight is 180.16 g/mol; the topological polar surface area is 63.6 square angstroms; logP is 1.19.
The hydration free energy is -6.3 kcal/mol. The HOMO-LUMO gap is 4.2 eV. The oscillator strength is 0.85.
Aromatic rings, hydrogen bond donors and acceptors, rotatable bonds, stereocentres, formal charges and ring closures.
Benzene, toluene, phenol, aniline, pyridine, pyrrole, furan, thiophene, imidazole, indole, quinoline, naphthalene.
Carboxylic acid, ester, amide, amine, alcohol, ketone, aldehyde, ether, nitrile, nitro group, sulfonamide, halide.
Aspirin, ibuprofen, paracetamol, caffeine, metformin, atorvastatin, warfarin, penicillin, morphine, dopamine, serotonin.
Lipinski's rule of five: molecular weight under 500, logP under 5, at most 5 donors and 10 acceptors.
Oxidation, reduction, nucleophilic substitution, elimination, esterification, hydrolysis, Diels-Alder cycloaddition.
A 54-year-old woman presents to the emergency department with fever, productive cough and pleuritic chest pain.
Vital signs: temperature 38.9 C, pulse 112/min, respirations 24/min, blood pressure 98/60 mm Hg, oxygen saturation 91%.
Laboratory studies show leukocytosis, elevated C-reactive protein, serum creatinine 1.8 mg/dL and lactate 3.1 mmol/L.
Which of the following is the most appropriate next step in management? Which is the most likely diagnosis?
Which of the following best explains the mechanism of action of this drug? What is the most likely cause?
Myocardial infarction, heart failure, atrial fibrillation, pneumonia, sepsis, diabetes mellitus, hypertension, stroke.
Hepatitis, cirrhosis, pancreatitis, nephrotic syndrome, asthma, chronic obstructive pulmonary disease, anemia.
Beta-blocker, ACE inhibitor, calcium channel blocker, diuretic, statin, anticoagulant, antibiotic, corticosteroid.
The patient was treated with intravenous fluids and broad-spectrum antibiotics and improved within 48 hours.
Randomized controlled trial, cohort study, case-control study, odds ratio, relative risk, confidence interval, p-value.
<tool_call>
{"name": "molecular_weight", "arguments": {"smiles": "CC(=O)Oc1ccccc1C(=O)O"}}
</tool_call>
<tool_response>
{"molecular_weight": 180.159}
</tool_response>
<think>The molecule has a carboxylic acid and an ester, so it is moderately polar.</think>
<answer>-1.72</answer> <answer>B</answer> <answer>yes</answer> <answer>no</answer>
<|im_start|>system
You are a helpful assistant.<|im_end|>
<|im_start|>user
What is the molecular weight of caffeine? What is the logP? What is the most likely diagnosis?<|im_end|>
<|im_start|>assistant
<think>I should compute it with a tool.</think><|im_end|>
<|im_start|>user
<tool_response>
{"logp": 0.16}
</tool_response><|im_end|>
# Tools
You may call one or more functions to assist with the user query.
You are provided with function signatures within <tools></tools> XML tags:
<tools>
{"type": "function", "function": {"name": "logp", "description": "Crippen logP of a molecule", "parameters": {"type": "object", "properties": {"smiles": {"type": "string"}}, "required": ["smiles"]}}}
</tools>
For each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:
{"name": <function-name>, "arguments": <args-json-object>}
"""


def shipped_smiles():
    for path in sorted(glob.glob(os.path.join(DATA, "smiles", "*train*.csv"))) + \
            sorted(glob.glob(os.path.join(DATA, "moleculenet", "*.csv"))):
        with open(path, newline="") as f:
            rows = csv.reader(f)
            header = next(rows)
            column = 0
            for name in ("smiles", "SMILES", "mol"):
                if name in header:
                    column = header.index(name)
            for row in rows:
                if row and row[column]:
                    yield row[column]


def shipped_medical_text():
    with open(os.path.join(DATA, "medqa", "pubmedqa_train.jsonl")) as f:
        for line in f:
            record = json.loads(line)
            yield record["question"]
            for option in record.get("options", {}).values():
                yield option


# The SMILES in WRITTEN_TEXT, left out (with the shipped SMILES) by --no-smiles.
WRITTEN_SMILES = ("CC(=O)Oc1ccccc1C(=O)O", "CCO")


def training_text(with_smiles=True):
    if with_smiles:
        yield from shipped_smiles()
    yield from shipped_medical_text()
    lines = WRITTEN_TEXT.strip().split("\n")
    if not with_smiles:
        for smiles in WRITTEN_SMILES:
            lines = [line.replace(smiles, "") for line in lines]
    for _ in range(20):  # the written text is short: weight it so its words become tokens
        yield from lines


def held_out_text():
    """Text not trained on, for measuring compression: MOSES test SMILES and PubMedQA test questions."""
    with open(os.path.join(DATA, "smiles", "zinc_moses_test10k.csv")) as f:
        smiles = [row[0] for i, row in enumerate(csv.reader(f)) if 0 < i <= 2000]
    with open(os.path.join(DATA, "medqa", "pubmedqa_test.jsonl")) as f:
        medical = [json.loads(line)["question"] for i, line in enumerate(f) if i < 200]
    return smiles, medical


def train(vocab_size, with_smiles=True):
    tok = Tokenizer(models.BPE())
    tok.normalizer = normalizers.NFC()
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(QWEN2_PATTERN), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
    ])
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, min_frequency=2, show_progress=False,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),  # every byte stays encodable
        special_tokens=[AddedToken(content, special=True, normalized=False) for content, _ in ADDED_TOKENS])
    tok.train_from_iterator(training_text(with_smiles), trainer=trainer)
    # The trainer marks all its special tokens special; the tags stay visible in decoded text.
    data = json.loads(tok.to_str())
    non_special = {content for content, special in ADDED_TOKENS if not special}
    for entry in data["added_tokens"]:
        if entry["content"] in non_special:
            entry["special"] = False
    return Tokenizer.from_str(json.dumps(data, ensure_ascii=False))


def measure():
    smiles, medical = held_out_text()
    print("vocab  smiles_tokens/char  medical_tokens/char  embedding_params@hidden256")
    for vocab_size in (1024, 2048, 4096, 8192):
        tok = train(vocab_size)
        rate = lambda texts: sum(len(e.ids) for e in tok.encode_batch(texts)) / sum(len(t) for t in texts)
        print(f"{tok.get_vocab_size():5d}  {rate(smiles):.3f}  {rate(medical):.3f}  {tok.get_vocab_size() * 256}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vocab-size", type=int, default=4096)
    parser.add_argument("--measure", action="store_true")
    parser.add_argument("--out", default=OUT)
    parser.add_argument("--no-smiles", action="store_true",
                        help="train without any SMILES text (write it with --out, not over the asset)")
    args = parser.parse_args()
    if tokenizers.__version__ != PINNED_TOKENIZERS:
        sys.exit(f"tokenizers {tokenizers.__version__} found, {PINNED_TOKENIZERS} pinned: run scripts/setup")
    if args.measure:
        measure()
        return
    if args.no_smiles and os.path.abspath(args.out) == OUT:
        sys.exit("--no-smiles: give --out PATH (the default asset is the SMILES-trained tokenizer)")
    tok = train(args.vocab_size, with_smiles=not args.no_smiles)
    for content, special in ADDED_TOKENS:
        assert tok.encode(content).ids == [tok.token_to_id(content)], content
    tok.save(args.out, pretty=False)
    print(f"wrote {args.out}: vocab {tok.get_vocab_size()}")


if __name__ == "__main__":
    main()
