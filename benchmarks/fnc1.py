"""FNC-1 headline stance: cross-validation grouped by Body ID.

Each fold trains with the same code as the shipped model
(``headline_model.train``) on the other folds' pairs and predicts the held-out
bodies' pairs; no body is in both.  Prints the official FNC-1 score relative to
its maximum, class-wise F1, the confusion matrix and inference time per pair
(features + both stages, embeddings computed cold, 1 thread).

    python benchmarks/fnc1.py [--folds 5] [--json out.json] [--config '{"stage2_weight_power": 1}']
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from claimdesk.analyze import headline_model as hm
from claimdesk.analyze.headline_features import Embedder
from claimdesk.train.headline import DEFAULT_FNC1, cached_embedder, read_fnc1

RELATED = set(hm.RELATED)


def fnc_score(gold: list[str], pred: list[str]) -> tuple[float, float]:
    """The official FNC-1 scorer: (score, maximum)."""
    score = best = 0.0
    for g, p in zip(gold, pred):
        best += 0.25 if g == "unrelated" else 1.0
        if g == p:
            score += 0.25
            if g != "unrelated":
                score += 0.5
        if g in RELATED and p in RELATED:
            score += 0.25
    return score, best


def report(gold: list[str], pred: list[str]) -> dict:
    from sklearn.metrics import confusion_matrix, f1_score

    s, m = fnc_score(gold, pred)
    f1 = f1_score(gold, pred, labels=list(hm.LABELS), average=None)
    cm = confusion_matrix(gold, pred, labels=list(hm.LABELS))
    return {
        "score": s, "max_score": m, "relative_score": s / m,
        "f1": {lab: float(v) for lab, v in zip(hm.LABELS, f1)},
        "macro_f1": float(np.mean(f1)),
        "accuracy": float(np.mean(np.array(gold) == np.array(pred))),
        "confusion": {"labels": list(hm.LABELS), "rows_gold_cols_pred": cm.tolist()},
    }


def print_report(r: dict) -> None:
    print(f"FNC-1 relative score {r['relative_score']:.2%} ({r['score']:.2f} / {r['max_score']:.2f}); "
          f"accuracy {r['accuracy']:.2%}; macro F1 {r['macro_f1']:.3f}")
    print("F1: " + "  ".join(f"{k} {v:.3f}" for k, v in r["f1"].items()))
    labels = r["confusion"]["labels"]
    print("gold \\ pred  " + "".join(f"{l:>10}" for l in labels))
    for lab, row in zip(labels, r["confusion"]["rows_gold_cols_pred"]):
        print(f"{lab:>11}  " + "".join(f"{v:>10}" for v in row))


def inference_time(model: hm.StanceModel, pairs, n: int = 200) -> float:
    """Seconds per pair for a cold batch of distinct bodies: every text embedded afresh."""
    cold = Embedder(hm.sentence_model())
    seen, sample = set(), []
    for h, b in pairs:  # one pair per body, so no body is embedded twice
        if b not in seen and len(sample) < n:
            seen.add(b)
            sample.append((h, b))
    t0 = time.perf_counter()
    hand, inter, _ = model.features(sample, cold)
    hm.decide(model.proba(hand, inter))
    return (time.perf_counter() - t0) / len(sample)


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--fnc1", type=Path, default=DEFAULT_FNC1)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--config", default="{}", help="JSON overrides of headline_model.DEFAULTS")
    ap.add_argument("--no-timing", action="store_true")
    a = ap.parse_args(argv)
    from sklearn.model_selection import GroupKFold

    config = json.loads(a.config)
    pairs, labels, ids = read_fnc1(a.fnc1)
    embedder = cached_embedder()
    t0 = time.perf_counter()
    embedder.encode([h for h, _ in pairs[:1]])  # warm
    pred = [None] * len(pairs)
    train_s = []
    for k, (tr, te) in enumerate(GroupKFold(n_splits=a.folds).split(pairs, labels, ids)):
        assert not set(np.array(ids)[tr]) & set(np.array(ids)[te])
        t1 = time.perf_counter()
        model = hm.train([pairs[i] for i in tr], [labels[i] for i in tr], embedder, config)
        embedder.save()
        train_s.append(time.perf_counter() - t1)
        hand, inter, _ = model.features([pairs[i] for i in te], embedder)
        for i, p in zip(te, hm.decide(model.proba(hand, inter))):
            pred[i] = p
        fold = report([labels[i] for i in te], [pred[i] for i in te])
        print(f"fold {k}: {len(te)} pairs, relative {fold['relative_score']:.2%}, "
              f"train {train_s[-1]:.0f} s", file=sys.stderr, flush=True)
    r = report(labels, pred)
    r.update({"folds": a.folds, "pairs": len(pairs), "bodies": len(set(ids)),
              "config": {**hm.DEFAULTS, **config},
              "train_seconds_per_fold": float(np.mean(train_s)),
              "total_seconds": time.perf_counter() - t0})
    if not a.no_timing:
        r["inference_seconds_per_pair"] = inference_time(model, [pairs[i] for i in te])
    print(f"FNC-1 CV: {a.folds} folds grouped by Body ID, {len(pairs)} pairs over {len(set(ids))} bodies")
    print_report(r)
    if "inference_seconds_per_pair" in r:
        print(f"inference: {r['inference_seconds_per_pair'] * 1000:.1f} ms per pair (cold, 1 thread)")
    if a.json:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import machine

        machine.save(str(a.json), r)
    return r


if __name__ == "__main__":
    main()
