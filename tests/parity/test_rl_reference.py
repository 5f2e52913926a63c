# Python reference for src/rl: every advantage estimator and policy loss written out in plain torch
# from ../shared/ALGORITHMS.md, compared (values and d loss / d logp, 1e-6) with the numbers the C++
# side wrote; grpo/bnpo/dr_grpo/dapo/gspo/cispo also against TRL's GRPOTrainer._compute_loss itself;
# the learning-rate schedule against transformers' get_{cosine,constant}_schedule_with_warmup.
#
# Usage: test_rl_reference.py CASES.json   (written by tests/rl/parity_test.cpp)
#        test_rl_reference.py              (runs $RETORT_BUILD_DIR/tests/test_rl's parity test, which calls back)
import json
import math
import os
import subprocess
import sys
from collections import defaultdict
from types import SimpleNamespace

import torch

TOL = 1e-6
failures = []


def T(j):
    dtype = torch.int64 if j.get("dtype") == "int64" else torch.float64
    return torch.tensor(j["data"], dtype=dtype).reshape(j["shape"])


def check(label, got, want, tol=TOL):
    got = torch.as_tensor(got, dtype=torch.float64)
    want = torch.as_tensor(want, dtype=torch.float64)
    diff = (got - want).abs().max().item() if got.numel() else 0.0
    ok = got.shape == want.shape and diff <= tol
    print(f"{'ok  ' if ok else 'FAIL'} {label}: max |diff| = {diff:.3g}")
    if not ok:
        failures.append(label)
        print("  got ", got.tolist())
        print("  want", want.tolist())


# ---------------------------------------------------------------- advantages (ALGORITHMS.md "Advantages")
def groups_of(group_ids):
    out = defaultdict(list)
    for i, g in enumerate(group_ids.tolist()):
        out[g].append(i)
    return out


def scale_divisor(scaling, rewards, rows, eps):
    if scaling == "group":
        return rewards[rows].std(unbiased=True).item() + eps
    if scaling == "batch":
        return (rewards.std(unbiased=True).item() if len(rewards) > 1 else 0.0) + eps
    return 1.0


def ref_advantages(c):
    name, eps = c["name"], c["eps"]
    R, gids, mask = T(c["rewards"]), T(c["group_ids"]), T(c["response_mask"])
    B, L = mask.shape
    scaling = c["scaling"]
    if scaling == "default":
        scaling = {"grpo": "group", "tempo": "group", "reinforce_pp": "batch"}.get(name, "none")
    A = torch.zeros(B, dtype=torch.float64)
    groups = groups_of(gids)
    if name in ("grpo", "drgrpo", "rloo"):
        for rows in groups.values():
            G = len(rows)
            for i in rows:
                if G == 1:
                    A[i] = 0.0
                    continue
                if name == "rloo":  # R_i - mean of the others
                    centred = R[i].item() - sum(R[j].item() for j in rows if j != i) / (G - 1)
                else:
                    centred = R[i].item() - R[rows].mean().item()
                A[i] = centred / scale_divisor(scaling, R, rows, eps)
        return A[:, None] * mask
    if name == "reinforce_pp":
        centred = torch.zeros(B, dtype=torch.float64)
        for rows in groups.values():
            centred[rows] = R[rows] - R[rows].mean()
        if scaling != "batch":
            return torch.stack([centred[i] / scale_divisor(scaling, R, groups[gids[i].item()], eps) for i in range(B)])[:, None] * mask
        tokens = centred[:, None].expand(B, L)
        values = tokens[mask.bool()]  # whiten over every response token of the batch
        return (tokens - values.mean()) / (values.std(unbiased=True) + eps) * mask
    if name == "tempo":
        ids = T(c["token_ids"])
        valid = T(c["valid_mask"]) if "valid_mask" in c else mask
        out = torch.zeros(B, L, dtype=torch.float64)
        for rows in groups.values():
            if len(rows) < 2:
                continue
            seqs = {i: [ids[i, t].item() for t in range(L) if valid[i, t] > 0] for i in rows}

            def V(prefix):  # mean reward of the group's responses that start with PREFIX
                members = [j for j in rows if seqs[j][: len(prefix)] == prefix]
                return sum(R[j].item() for j in members) / len(members)

            mean = R[rows].mean().item()
            div = scale_divisor(scaling, R, rows, eps)
            for i in rows:
                k = 0
                for t in range(L):
                    if valid[i, t] == 0:
                        continue
                    td = V(seqs[i][: k + 1]) - V(seqs[i][:k])
                    if mask[i, t] > 0:
                        out[i, t] = (R[i].item() - mean + td) / div
                    k += 1
        return out
    if name == "canon":
        metric = T(c["metric"])
        alpha, mu = c.get("canon_alpha", 1.0), c.get("canon_mu", 1.0)
        for rows in groups.values():
            if len(rows) < 2:
                continue
            order = sorted(rows, key=lambda i: (metric[i].item(), i))
            n_low = len(rows) - len(rows) // 2
            low, high = order[:n_low], order[n_low:]
            m_l, m_h = R[low].mean().item(), R[high].mean().item()
            for i in high:
                A[i] = mu * (R[i] - alpha * m_l) + (1 - mu) * (R[i] - m_h)
            for i in low:
                A[i] = mu * (alpha * R[i] - m_h) + (1 - mu) * (R[i] - m_l)
        return A[:, None] * mask
    raise ValueError(name)


# ---------------------------------------------------------------- losses (ALGORITHMS.md "Policy losses")
def aggregate(l, m, mode, max_length=0, global_tokens=0):
    if mode == "token-mean":
        return (l * m).sum() / (global_tokens if global_tokens else m.sum().clamp(min=1))
    if mode == "seq-mean-token-sum":
        return (l * m).sum(-1).mean()
    if mode == "seq-mean-token-mean":
        return ((l * m).sum(-1) / m.sum(-1).clamp(min=1)).mean()
    if mode == "seq-mean-token-sum-norm":
        return (l * m).sum(-1).mean() / (max_length or l.shape[1])
    raise ValueError(mode)


def kl_term(logp, ref, est):
    delta = (ref - logp).clamp(-20, 20)
    if est == "k1":
        return -delta
    if est == "k2":
        return delta**2 / 2
    return (delta.exp() - delta - 1).clamp(-10, 10)


def ref_loss(c, logp):
    name, o = c["name"], c["options"]
    old, A, m = T(c["old_logp"]), T(c["advantages"]), T(c["mask"])
    log_r = (logp - old).clamp(-20, 20)
    r = log_r.exp()
    default_agg = {"gspo": "seq-mean-token-mean"}.get(name, "token-mean")
    agg = o.get("aggregation", default_agg)
    L_max, gtok = o.get("max_length", 0), o.get("global_tokens", 0)
    if name in ("ppo_clip", "dapo"):
        lo, hi = (0.2, 0.28) if name == "dapo" else (0.2, 0.2)
        l = -torch.min(r * A, r.clamp(1 - lo, 1 + hi) * A)
        if o.get("dual_clip"):
            l = torch.where(A < 0, torch.min(l, -o["dual_clip_c"] * A), l)
        loss = aggregate(l, m, agg, L_max, gtok)
        metrics = {"clip_ratio/low": ((r < 1 - lo) & (A < 0)), "clip_ratio/high": ((r > 1 + hi) & (A > 0))}
    elif name == "gspo":
        s = torch.stack([log_r[i][m[i] > 0].mean() for i in range(len(m))]).exp()  # s_i = exp(mean_t log r)
        A_i = torch.stack([A[i][m[i] > 0][0] for i in range(len(m))])  # one advantage per response
        l_i = -torch.min(s * A_i, s.clamp(1 - 3e-4, 1 + 4e-4) * A_i)
        loss = l_i.mean()  # seq-mean-token-mean of a per-sequence loss
        metrics = None
    elif name in ("cispo", "dispo"):
        if name == "cispo":
            w = r.clamp(max=1.28)
        else:
            pl, ph = o.get("eps_pos_low", 0.2), o.get("eps_pos_high", 10.0)
            nl, nh = o.get("eps_neg_low", 1.0), o.get("eps_neg_high", 100.0)
            w = torch.where(A > 0, r.clamp(1 - pl, 1 + ph), r.clamp(1 - nl, 1 + nh))
        l = -w.detach() * A * logp
        loss = aggregate(l, m, agg, L_max, gtok)
        metrics = None
    elif name == "real":
        R, gids = T(c["rewards"]), T(c["group_ids"])
        s = (log_r * m).sum(-1) / m.sum(-1)
        tau, terms = 0.5, []
        for rows in groups_of(gids).values():
            pos = [i for i in rows if R[i] >= 0.5]
            neg = [i for i in rows if R[i] < 0.5]
            if pos and neg:
                terms.append(torch.log(1 + torch.exp(-s[pos] / tau).sum()) + torch.log(1 + torch.exp(s[neg] / tau).sum()))
        loss = torch.stack(terms).mean()
        metrics = None
    else:
        raise ValueError(name)
    if o.get("kl_coef"):
        loss = loss + o["kl_coef"] * aggregate(kl_term(logp, T(c["ref_logp"]), o["kl_estimator"]), m, agg, L_max, gtok)
    if o.get("entropy_coef"):
        loss = loss - o["entropy_coef"] * aggregate(T(c["entropy"]), m, "token-mean", 0, gtok)
    if metrics:
        metrics = {k: (v.double() * m).sum().item() / m.sum().item() for k, v in metrics.items()}
    return loss, metrics


# ---------------------------------------------------------------- TRL's own loss code path
def trl_loss(c, logp):
    """Runs trl.GRPOTrainer._compute_loss (trl 1.16) itself on a stub trainer. What is compared: the stub's
    _get_per_token_logps_and_entropies returns LOGP (the C++ case's new log-probs, a leaf with grad) instead
    of a model forward; everything after it is TRL's code: log ratio, token or sequence importance weights,
    clipping (epsilon_low/high), the k3 KL term (beta = kl_coef, ref_per_token_logps), and the loss_type's
    aggregation. Inputs: completion_mask = the case's mask, advantages (B,) = the per-sequence advantage
    (TRL's layout; the C++ side broadcasts the same value to (B, T)), old_per_token_logps, num_items_in_batch
    = total mask tokens (one process, no gradient accumulation, so "dapo"/"cispo" divide by the batch's
    tokens), max_completion_length = the case's L_max. Our gspo == TRL loss_type "grpo" with
    importance_sampling_level "sequence" and eps 3e-4/4e-4; our cispo (upper bound 1 + 0.28) == TRL "cispo"
    with epsilon_high = 1.28 (TRL's bound is absolute). Compared: loss value, d loss / d logp, and
    clip_ratio/{low,high}_mean."""
    from trl.trainer.grpo_trainer import GRPOTrainer

    kind = c["trl_loss_type"]
    o = c["options"]
    t = GRPOTrainer.__new__(GRPOTrainer)
    m = T(c["mask"])
    B, L = m.shape
    entropies = torch.zeros(B, L, dtype=torch.float64)
    t._get_per_token_logps_and_entropies = lambda *a, **k: (logp, entropies, None)
    t.top_entropy_quantile = 1.0
    t.off_policy_mask_threshold = None
    t.importance_sampling_level = "sequence" if kind == "gspo" else "token"
    t.loss_type = {"gspo": "grpo"}.get(kind, kind)
    t.beta = o.get("kl_coef", 0.0)
    eps = {"dapo": (0.2, 0.28), "gspo": (3e-4, 4e-4), "cispo": (0.0, 1.28)}.get(kind, (0.2, 0.2))
    t.epsilon_low, t.epsilon_high = eps  # TRL's cispo clamps at max=epsilon_high (an absolute bound)
    t.args = SimpleNamespace(use_bias_correction_kl=False, delta=None, steps_per_generation=1)
    t.use_vllm = False
    t.model = SimpleNamespace(training=True)
    t.current_gradient_accumulation_steps = 1
    t.max_completion_length = o.get("max_length", L)
    t.accelerator = SimpleNamespace(num_processes=1, gather=lambda x: x, gather_for_metrics=lambda x: x,
                                    reduce=lambda x, reduction="sum": x)
    t._entropy_bonus_enabled = False
    t.aux_loss_enabled = False
    t._metrics = {"train": defaultdict(list), "eval": defaultdict(list)}
    A = T(c["advantages"])
    inputs = {
        "prompt_ids": torch.zeros(B, 1, dtype=torch.long),
        "prompt_mask": torch.ones(B, 1, dtype=torch.long),
        "completion_ids": torch.zeros(B, L, dtype=torch.long),
        "completion_mask": m,
        "advantages": torch.stack([A[i][m[i] > 0][0] for i in range(B)]),  # TRL's (B,) advantages
        "old_per_token_logps": T(c["old_logp"]),
        "num_items_in_batch": m.sum(),
    }
    if t.beta:
        inputs["ref_per_token_logps"] = T(c["ref_logp"])
    loss = t._compute_loss(None, inputs)
    return loss, t._metrics["train"]


def coverage(c):
    """Asserts that the fixed inputs exercise the branches a formula has (clipped and unclipped tokens,
    dual clip, both dispo signs, skipped REAL groups), so a parity pass is not vacuous."""
    name, label, o = c["name"], c["label"], c["options"]
    old, A, m, logp = T(c["old_logp"]), T(c["advantages"]), T(c["mask"]) > 0, T(c["logp"])
    r = (logp - old).clamp(-20, 20).exp()
    if name in ("ppo_clip", "dapo"):
        lo, hi = (0.2, 0.28) if name == "dapo" else (0.2, 0.2)
        clipped = (((r < 1 - lo) & (A < 0)) | ((r > 1 + hi) & (A > 0))) & m
        want = [0 < clipped.sum() < m.sum()]
        if o.get("dual_clip"):
            want.append(bool((((-A * r) > -3 * A) & (A < 0) & m).any()))
    elif name == "gspo":
        s = torch.stack([(logp - old)[i][m[i]].mean() for i in range(len(m))]).exp()
        inside = (s > 1 - 3e-4) & (s < 1 + 4e-4)
        want = [bool(inside.any()), bool((~inside).any())]
    elif name == "cispo":
        want = [bool(((r > 1.28) & m).any()), bool(((r < 1.28) & m).any())]
    elif name == "dispo":
        pl, ph = o.get("eps_pos_low", 0.2), o.get("eps_pos_high", 10.0)
        nl, nh = o.get("eps_neg_low", 1.0), o.get("eps_neg_high", 100.0)
        want = [bool(((A > 0) & (r < 1 - pl) & m).any()), bool(((A < 0) & m).any())]
        if label == "dispo_tight":
            want += [bool(((A > 0) & (r > 1 + ph) & m).any()), bool(((A < 0) & (r > 1 + nh) & m).any()),
                     bool(((A < 0) & (r < 1 - nl) & m).any())]
    elif name == "real":
        R, gids = T(c["rewards"]), T(c["group_ids"])
        both = [len({R[i].item() >= 0.5 for i in rows}) == 2 for rows in groups_of(gids).values()]
        want = [any(both), not all(both)]
    else:
        want = []
    ok = all(want)
    print(f"{'ok  ' if ok else 'FAIL'} coverage {label}: {want}")
    if not ok:
        failures.append("coverage " + label)


def run_cases(path):
    cases = json.load(open(path))
    for c in cases["advantage_cases"]:
        label = f"advantage {c['name']} scaling={c['scaling']}" + (" (tool tokens)" if "valid_mask" in c else "")
        check(label, T(c["advantages"]), ref_advantages(c))
        if c["name"] == "tempo" and c["scaling"] == "group":  # branching points exist: tempo != grpo
            grpo = ref_advantages(dict(c, name="grpo"))
            if torch.allclose(T(c["advantages"]), grpo):
                failures.append("coverage tempo")
                print("FAIL coverage tempo: no branching token in the fixed inputs")
    for c in cases["loss_cases"]:
        coverage(c)
        logp = T(c["logp"]).requires_grad_(True)
        loss, metrics = ref_loss(c, logp)
        loss.backward()
        check(f"loss {c['label']} value", c["loss"], loss.item())
        check(f"loss {c['label']} d/dlogp", T(c["grad_logp"]), logp.grad)
        for k, v in (metrics or {}).items():
            check(f"loss {c['label']} {k}", c["metrics"][k], v)
        if "trl_loss_type" in c:
            logp2 = T(c["logp"]).requires_grad_(True)
            tloss, tmetrics = trl_loss(c, logp2)
            tloss.backward()
            check(f"trl {c['trl_loss_type']} [{c['label']}] value", c["loss"], tloss.item())
            check(f"trl {c['trl_loss_type']} [{c['label']}] d/dlogp", T(c["grad_logp"]), logp2.grad)
            if "clip_ratio/low_mean" in tmetrics:
                check(f"trl {c['trl_loss_type']} [{c['label']}] clip_ratio/low", c["metrics"]["clip_ratio/low"],
                      tmetrics["clip_ratio/low_mean"][0])
                check(f"trl {c['trl_loss_type']} [{c['label']}] clip_ratio/high", c["metrics"]["clip_ratio/high"],
                      tmetrics["clip_ratio/high_mean"][0])
    from transformers import get_constant_schedule_with_warmup, get_cosine_schedule_with_warmup

    for c in cases["schedule_cases"]:
        p = torch.nn.Parameter(torch.zeros(1))
        opt = torch.optim.AdamW([p], lr=c["lr"])
        make = get_cosine_schedule_with_warmup if c["schedule"] == "cosine" else get_constant_schedule_with_warmup
        kwargs = {"num_training_steps": c["total_steps"]} if c["schedule"] == "cosine" else {}
        sched = make(opt, num_warmup_steps=c["warmup_steps"], **kwargs)
        want = [c["lr"] * sched.lr_lambdas[0](s) for s in range(c["total_steps"] + 1)]
        check(f"lr schedule {c['schedule']} vs transformers", c["lrs"][: c["total_steps"] + 1], want, 1e-12)
    print(f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) > 1:
        sys.exit(run_cases(sys.argv[1]))
    build = os.environ.get("RETORT_BUILD_DIR", "build")
    exe = os.path.join(build, "tests", "test_rl")
    sys.exit(subprocess.call([exe, "--gtest_filter=RlParity.*"]))
