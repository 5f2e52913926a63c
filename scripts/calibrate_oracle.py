#!/usr/bin/python3
"""Calibrates retort's excited-state oracle (chem/oracle) against sTDA-xTB labels.

Draws a seeded sample of molecules from datasets/conjugated_xtb/conjugated_xtb_a.csv (optionally within
a heavy-atom window), splits it into a fit half and a held-out half, runs `retort oracle` on it once per
configuration (geometry level x INDO/S active space; results cached in SQLite so reruns are cheap),
then for each configuration and each pick rule (first excited state, first with f >= threshold)
fits a linear wavelength calibration (label_nm ~ a * oracle_nm + b, Theil-Sen; and a least-squares
variant with the GFN2 gap as a second feature) on the fit half and reports on the
held-out half: Spearman rho and MAE (nm) for the wavelength, Spearman rho for f_osc, the failure rate.
The best configuration and rule are chosen on the fit half only. Throughput (molecules/min) is the
wall clock of an uncached `retort oracle --workers W` run over the first --speed-n molecules of the
sample.

Usage (the README's figures):
  scripts/calibrate_oracle.py --retort build-oracle/retort --n 160 --heavy 30:50 --workers 2 \
      --work runs/calibrate_oracle --configs gfnff/20,10 gfn2/20,10 gfn2:crude/20,10

Runs with Debian's /usr/bin/python3 (RDKit for heavy-atom counts, numpy).
"""
import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import time

import numpy as np
from rdkit import Chem, RDLogger

RDLogger.DisableLog("rdApp.*")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def ranks(x):
    x = np.asarray(x, dtype=float)
    order = np.argsort(x, kind="mergesort")
    r = np.empty(len(x))
    r[order] = np.arange(len(x), dtype=float)
    for v in np.unique(x):  # average ranks for ties
        m = x == v
        if m.sum() > 1:
            r[m] = r[m].mean()
    return r


def spearman(a, b):
    if len(a) < 3:
        return float("nan")
    return float(np.corrcoef(ranks(a), ranks(b))[0, 1])


def sample_molecules(path, n, heavy, seed):
    rows = list(csv.DictReader(open(path)))
    random.Random(seed).shuffle(rows)
    lo, hi = heavy
    out = []
    for r in rows:
        m = Chem.MolFromSmiles(r["molecule"])
        if m is None or not (lo <= m.GetNumHeavyAtoms() <= hi):
            continue
        out.append({"smiles": r["molecule"], "heavy": m.GetNumHeavyAtoms(),
                    "wavelength": float(r["wavelength"]), "f_osc": float(r["f_osc"])})
        if len(out) == n:
            break
    return out


def parse_config(config):
    """GEOMETRY/N,M[/CONFORMERS] -> (geometry, "N,M", conformers or "")."""
    parts = config.split("/")
    if len(parts) not in (2, 3):
        sys.exit(f"calibrate_oracle: config '{config}': expected GEOMETRY/N,M[/openbabel|etkdg:K]")
    return parts[0], parts[1], parts[2] if len(parts) == 3 else ""


def run_oracle(args, config, in_path, work, cache, speed=False):
    geometry, ci, conformers = parse_config(config)
    tag = (f"{geometry.replace(':', '_')}_{ci.replace(',', '_')}" + (f"_{conformers.replace(':', '')}" if conformers else "")
           + ("_speed" if speed else ""))
    out_csv = os.path.join(work, f"{tag}.csv")
    states = os.path.join(work, f"{tag}.jsonl")
    cmd = [args.retort, "oracle", "--in", in_path, "--out", out_csv, "--states", states,
           "--workers", str(args.workers), "--geometry", geometry, "--ci", ci, "--timeout", str(args.timeout)]
    if conformers:
        cmd += ["--conformers", conformers]
    if cache:
        cmd += ["--cache", cache]
    t0 = time.time()
    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.time() - t0
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    run_oracle.cpu_seconds = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)  # retort + xtb + mopac
    if proc.returncode != 0:
        sys.exit(f"calibrate_oracle: {' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.strip()[-400:]}")
    sys.stderr.write(proc.stderr.strip().splitlines()[-1] + "\n")
    records = [json.loads(line) for line in open(states)]
    return records, wall


def theil_sen(x, y):
    """Theil-Sen line (median of pairwise slopes; intercept median(y - slope x)): robust to outliers."""
    i, j = np.triu_indices(len(x), 1)
    keep = x[i] != x[j]
    slope = float(np.median((y[j] - y[i])[keep] / (x[j] - x[i])[keep]))
    return np.array([slope, float(np.median(y - slope * x))])


def pick(states, threshold):
    for s in states:
        if s[2] >= threshold:
            return s
    return states[0]


def f_feature(states, rule):
    """The oscillator strength RULE reads from a molecule's INDO/S states (lowest first): first: the
    first state's; max:K: the largest among the lowest K states; window:W: the largest among the states
    within W eV of the first; bright:F: that of the first state with f >= F (else the first)."""
    kind, _, value = rule.partition(":")
    if kind == "first":
        return states[0][2]
    if kind == "max":
        return max(s[2] for s in states[: int(value)])
    if kind == "window":
        return max(s[2] for s in states if s[0] <= states[0][0] + float(value))
    if kind == "bright":
        return pick(states, float(value))[2]
    raise ValueError(f"unknown f rule '{rule}'")


def ok_records(records, indices, with_gap=False):
    return [i for i in indices if records[i]["status"] == "ok" and records[i]["states"]
            and (not with_gap or records[i].get("gap_ev"))]


def cross_validated_rho(x, labels, fit, predict, folds=5, seed=0):
    """Spearman rho of out-of-fold predictions within the fit half (FOLDS folds): how a calibration
    ranks molecules it was not fitted on, comparable between one- and two-feature fits."""
    order = np.random.default_rng(seed).permutation(len(labels))
    pred = np.empty(len(labels))
    for k in range(folds):
        test = order[k::folds]
        train = np.setdiff1d(order, test)
        pred[test] = predict(x[test], fit(x[train], labels[train]))
    return spearman(pred, labels)


def huber(design, y, delta, iterations=100):
    """Huber regression by iteratively reweighted least squares: y ~ design @ coef, residuals beyond
    DELTA weighted down (robust to INDO/S's rare spurious states and the few tiny GFN2 gaps)."""
    w = np.ones(len(y))
    for _ in range(iterations):
        coef = np.linalg.lstsq(design * np.sqrt(w)[:, None], y * np.sqrt(w), rcond=None)[0]
        r = np.abs(y - design @ coef)
        w = np.where(r <= delta, 1.0, delta / np.maximum(r, 1e-12))
    return coef


def evaluate_energy_fit(sample, records, fit_idx, held_idx, rule):
    """Calibration in energy space with the GFN2 gap: label_eV ~ a * state_eV + c * gap_eV + b (Huber,
    delta 0.1 eV) on the fit half; wavelength = 1239.84 / predicted eV; figures on the held-out half."""
    threshold = float(rule.partition(":")[2]) if rule.startswith("bright:") else 0.0

    def points(indices):
        keep = ok_records(records, indices, True)
        x = np.array([[pick(records[i]["states"], threshold)[0], records[i]["gap_ev"]] for i in keep]).reshape(-1, 2)
        return x, np.array([sample[i]["wavelength"] for i in keep])

    x_fit, l_fit = points(fit_idx)
    x_held, l_held = points(held_idx)
    design = lambda x: np.hstack([x, np.ones((len(x), 1))])
    fit = lambda x, l: huber(design(x), 1239.84193 / l, delta=0.1)
    to_nm = lambda e: np.where(e > 0, 1239.84193 / np.maximum(e, 1e-9), np.inf)
    predict = lambda x, coef: to_nm(design(x) @ coef)
    coef = fit(x_fit, l_fit)
    pred_fit, pred_held = predict(x_fit, coef), predict(x_held, coef)
    nan = float("nan")
    return {
        "rule": rule, "fit": "eV+gap",
        "fit_rho_wavelength": spearman(pred_fit, l_fit),
        "cv_rho_wavelength": cross_validated_rho(x_fit, l_fit, fit, predict),
        "scale": float(coef[0]), "offset_nm": nan, "gap_nm_coefficient": nan,
        "energy_fit": [float(coef[0]), float(coef[2]), float(coef[1])],  # --energy-fit A,B,C: eV = A*state_eV + B + C*gap_eV
        "n_held_ok": int(len(x_held)),
        "rho_wavelength": spearman(pred_held, l_held),
        "mae_nm_calibrated": float(np.mean(np.abs(pred_held - l_held))) if len(x_held) else nan,
        "mae_nm_raw": float(np.mean(np.abs(1239.84193 / x_held[:, 0] - l_held))) if len(x_held) else nan,
        "median_ae_nm_calibrated": float(np.median(np.abs(pred_held - l_held))) if len(x_held) else nan,
    }


def evaluate_wavelength(sample, records, fit_idx, held_idx, rule, with_gap=False):
    """Linear wavelength fit on the fit half; figures on the held-out half. RULE: first or bright:F (the
    state whose nm is read). With WITH_GAP the fit has a second feature, the GFN2 HOMO-LUMO gap as a
    wavelength (1239.84 / gap_eV): label ~ a*nm + c*gap_nm + b (least squares); else Theil-Sen."""
    threshold = float(rule.partition(":")[2]) if rule.startswith("bright:") else 0.0

    def points(indices):
        keep = ok_records(records, indices, with_gap)
        feats = [[pick(records[i]["states"], threshold)[1]] + ([1239.84193 / records[i]["gap_ev"]] if with_gap else [])
                 for i in keep]
        return np.array(feats).reshape(-1, 2 if with_gap else 1), np.array([sample[i]["wavelength"] for i in keep])

    x_fit, l_fit = points(fit_idx)
    x_held, l_held = points(held_idx)
    design = lambda x: np.hstack([x, np.ones((len(x), 1))])
    if with_gap:
        fit = lambda x, l: np.linalg.lstsq(design(x), l, rcond=None)[0]  # least squares (two features)
    else:
        fit = lambda x, l: theil_sen(x[:, 0], l)  # robust: INDO/S has rare spurious states near 1000-2700 nm
    predict = lambda x, coef: design(x) @ coef
    coef = fit(x_fit, l_fit)
    pred_fit, pred_held = predict(x_fit, coef), predict(x_held, coef)
    nan = float("nan")
    return {
        "rule": rule, "fit": "nm+gap" if with_gap else "nm",
        "fit_rho_wavelength": spearman(pred_fit, l_fit),
        "cv_rho_wavelength": cross_validated_rho(x_fit, l_fit, fit, predict),
        "scale": float(coef[0]), "offset_nm": float(coef[-1]), "gap_nm_coefficient": float(coef[1]) if with_gap else 0.0,
        "n_held_ok": int(len(x_held)),
        "rho_wavelength": spearman(pred_held, l_held),
        "mae_nm_calibrated": float(np.mean(np.abs(pred_held - l_held))) if len(x_held) else nan,
        "mae_nm_raw": float(np.mean(np.abs(x_held[:, 0] - l_held))) if len(x_held) else nan,
        "median_ae_nm_calibrated": float(np.median(np.abs(pred_held - l_held))) if len(x_held) else nan,
    }


def evaluate_f(sample, records, fit_idx, held_idx, rule):
    """Spearman rho of f_osc by RULE (f_feature) against the label's f_osc, on both halves (rank only: no fit)."""
    def rho(indices):
        keep = ok_records(records, indices)
        return spearman([f_feature(records[i]["states"], rule) for i in keep], [sample[i]["f_osc"] for i in keep])
    return {"rule": rule, "fit_rho_f_osc": rho(fit_idx), "rho_f_osc": rho(held_idx)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--retort", default=os.path.join(ROOT, "build", "retort"))
    ap.add_argument("--data", default=os.path.join(ROOT, "datasets/conjugated_xtb/conjugated_xtb_a.csv"))
    ap.add_argument("--n", type=int, default=160, help="molecules in the sample (half fit, half held out)")
    ap.add_argument("--heavy", default="30:50", help="heavy-atom window LO:HI")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("--work", default=os.path.join(ROOT, "runs", "calibrate_oracle"))
    ap.add_argument("--configs", nargs="+", default=["gfnff/20,10", "gfn2/20,10"],
                    help="GEOMETRY/N,M entries (geometry gfnff|gfn2|gfn2:LEVEL, INDO/S C.I.=(N,M))")
    ap.add_argument("--thresholds", nargs="+", type=float, default=[0, 0.01, 0.05, 0.1, 0.2, 0.3])
    ap.add_argument("--f-max-k", nargs="+", type=int, default=[2, 3, 5],
                    help="f_osc rules max:K (largest f among the lowest K states)")
    ap.add_argument("--f-window-ev", nargs="+", type=float, default=[0.1, 0.2, 0.3, 0.5],
                    help="f_osc rules window:W (largest f within W eV of the first state)")
    ap.add_argument("--speed-n", type=int, default=20, help="molecules in the uncached throughput run (0 = skip)")
    ap.add_argument("--speed-config", default="", help="configuration of the throughput run (default: the chosen one)")
    ap.add_argument("--speed-heavy", default="36:44", help="heavy-atom window LO:HI of the throughput molecules")
    args = ap.parse_args()

    os.makedirs(args.work, exist_ok=True)
    heavy = tuple(int(x) for x in args.heavy.split(":"))
    sample = sample_molecules(args.data, args.n, heavy, args.seed)
    in_path = os.path.join(args.work, "sample.smi")
    with open(in_path, "w") as f:
        for m in sample:
            f.write(m["smiles"] + "\n")
    idx = list(range(len(sample)))
    random.Random(args.seed + 1).shuffle(idx)
    fit_idx, held_idx = sorted(idx[: len(idx) // 2]), sorted(idx[len(idx) // 2:])
    cache = os.path.join(args.work, "oracle_cache.sqlite")
    heavy_atoms = [m["heavy"] for m in sample]
    print(f"sample: {len(sample)} molecules (seed {args.seed}, heavy atoms {heavy[0]}-{heavy[1]}, "
          f"median {int(np.median(heavy_atoms))}); fit {len(fit_idx)}, held out {len(held_idx)}")

    wl_rules = ["first"] + [f"bright:{t:g}" for t in args.thresholds if t > 0]
    f_rules = ["first"] + [f"max:{k}" for k in args.f_max_k] + [f"window:{w:g}" for w in args.f_window_ev]
    configs = []
    for config in args.configs:
        records, wall = run_oracle(args, config, in_path, args.work, cache)
        failures = sum(r["status"] != "ok" for r in records)
        compute = [r for r in records if not r["cache_hit"]]
        wl = [evaluate_wavelength(sample, records, fit_idx, held_idx, rule, with_gap)
              for rule in wl_rules for with_gap in (False, True)]
        wl += [evaluate_energy_fit(sample, records, fit_idx, held_idx, rule) for rule in wl_rules]
        fo = [evaluate_f(sample, records, fit_idx, held_idx, rule) for rule in f_rules]
        # Chosen on the fit half only, per output: the wavelength rule/fit and the f_osc rule.
        best_wl = max(wl, key=lambda e: e["cv_rho_wavelength"])
        best_f = max(fo, key=lambda e: e["fit_rho_f_osc"])
        statuses = {}
        for r in records:
            statuses[r["status"]] = statuses.get(r["status"], 0) + 1
        seconds = [r["seconds"] for r in records if r["status"] == "ok" and not r["cache_hit"]]
        configs.append({"config": config, "failure_rate": failures / len(records), "statuses": statuses,
                        "wavelength": wl, "f_osc": fo, "best_wavelength": best_wl, "best_f_osc": best_f,
                        "fit_score": best_wl["cv_rho_wavelength"] + best_f["fit_rho_f_osc"],
                        "median_seconds_when_computed": float(np.median(seconds)) if seconds else None})
        print(f"{config}: statuses {statuses}; this run {wall:.0f} s wall, {len(compute)} computed")

    print("\n| config | wavelength rule | fit | fit-half rho wl (5-fold CV) | held rho wl | held MAE nm (calibrated / raw) | held median AE nm | failures |")
    print("|---|---|---|---|---|---|---|---|")
    for c in configs:
        for e in c["wavelength"]:
            print(f"| {c['config']} | {e['rule']} | {e['fit']} | {e['cv_rho_wavelength']:.3f} | {e['rho_wavelength']:.3f} | "
                  f"{e['mae_nm_calibrated']:.1f} / {e['mae_nm_raw']:.1f} | {e['median_ae_nm_calibrated']:.1f} | "
                  f"{100 * c['failure_rate']:.1f}% |")
    print("\n| config | f_osc rule | fit rho f | held rho f |")
    print("|---|---|---|---|")
    for c in configs:
        for e in c["f_osc"]:
            print(f"| {c['config']} | {e['rule']} | {e['fit_rho_f_osc']:.3f} | {e['rho_f_osc']:.3f} |")
    print("\n| config (rules chosen on the fit half) | wavelength rule | fit-half CV rho wl | held rho wl | held MAE nm | "
          "f_osc rule | fit rho f | held rho f | failures |")
    print("|---|---|---|---|---|---|---|---|---|")
    for c in configs:
        w, f = c["best_wavelength"], c["best_f_osc"]
        print(f"| {c['config']} | {w['rule']} ({w['fit']}) | {w['cv_rho_wavelength']:.3f} | {w['rho_wavelength']:.3f} | "
              f"{w['mae_nm_calibrated']:.1f} | {f['rule']} | {f['fit_rho_f_osc']:.3f} | {f['rho_f_osc']:.3f} | "
              f"{100 * c['failure_rate']:.1f}% |")

    chosen = max(configs, key=lambda c: c["fit_score"])
    w, f = chosen["best_wavelength"], chosen["best_f_osc"]
    best = {"config": chosen["config"], "wavelength_rule": w["rule"], "wavelength_fit": w["fit"], "f_rule": f["rule"],
            "scale": w["scale"], "offset_nm": w["offset_nm"], "gap_nm_coefficient": w["gap_nm_coefficient"],
            "energy_fit": w.get("energy_fit"),
            "n_held_ok": w["n_held_ok"], "rho_wavelength": w["rho_wavelength"], "mae_nm_calibrated": w["mae_nm_calibrated"],
            "mae_nm_raw": w["mae_nm_raw"], "median_ae_nm_calibrated": w["median_ae_nm_calibrated"],
            "rho_f_osc": f["rho_f_osc"], "failure_rate": chosen["failure_rate"]}
    print(f"\nchosen on the fit half (max 5-fold CV rho wl + rho f): {best['config']}, wavelength {w['rule']} ({w['fit']}), "
          f"f_osc {f['rule']}; " + (
              f"calibration --energy-fit {','.join(f'{v:.4f}' for v in best['energy_fit'])} "
              f"(eV = A * INDO/S eV + B + C * GFN2 gap eV)" if best["energy_fit"] else
              f"calibration nm = {best['scale']:.4f} * INDO/S nm + {best['gap_nm_coefficient']:.4f} * "
              f"(1239.84 / gap eV) + {best['offset_nm']:.1f}"))
    print(f"held out ({best['n_held_ok']} ok molecules): rho wavelength {best['rho_wavelength']:.3f}, "
          f"MAE {best['mae_nm_calibrated']:.1f} nm calibrated ({best['mae_nm_raw']:.1f} raw; median AE "
          f"{best['median_ae_nm_calibrated']:.1f}), rho f_osc {best['rho_f_osc']:.3f}, "
          f"failure rate {100 * best['failure_rate']:.1f}%")

    speed = None
    if args.speed_n > 0:
        speed_in = os.path.join(args.work, "speed.smi")
        lo, hi = (int(x) for x in args.speed_heavy.split(":"))
        speed_sample = [m for m in sample if lo <= m["heavy"] <= hi][: args.speed_n]
        with open(speed_in, "w") as f:
            for m in speed_sample:
                f.write(m["smiles"] + "\n")
        speed_config = args.speed_config or best["config"]
        load_before = os.getloadavg()
        records, wall = run_oracle(args, speed_config, speed_in, args.work, cache=None, speed=True)
        load_after = os.getloadavg()
        ha = [m["heavy"] for m in speed_sample]
        speed = {"config": speed_config, "molecules": len(records), "wall_s": wall, "per_minute": 60 * len(records) / wall,
                 "workers": args.workers, "median_heavy_atoms": float(np.median(ha)),
                 "failed": sum(r["status"] != "ok" for r in records),
                 "cpu_seconds": run_oracle.cpu_seconds,
                 # What 2 idle cores would do: the run's CPU time (retort, xtb, MOPAC) spread over the workers.
                 "per_minute_if_idle": 60 * len(records) * args.workers / max(run_oracle.cpu_seconds, 1e-9),
                 "load_average_1_5_15_before": load_before, "load_average_1_5_15_after": load_after}
        print(f"throughput ({speed_config}, uncached, {args.workers} workers, {len(records)} molecules, "
              f"median {speed['median_heavy_atoms']:.0f} heavy atoms, {speed['failed']} failed): "
              f"{speed['per_minute']:.1f} molecules/min ({wall:.0f} s wall; load average "
              f"{load_before[0]:.1f} before, {load_after[0]:.1f} after, on {os.cpu_count()} cores); CPU time "
              f"{speed['cpu_seconds']:.0f} s = {speed['cpu_seconds'] / len(records):.1f} s per molecule, i.e. "
              f"{speed['per_minute_if_idle']:.1f} molecules/min on {args.workers} idle cores")
    with open(os.path.join(args.work, "calibration.json"), "w") as out:
        json.dump({"args": vars(args), "configs": configs, "best": best, "speed": speed}, out, indent=1)


if __name__ == "__main__":
    main()
