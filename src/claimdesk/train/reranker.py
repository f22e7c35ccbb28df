"""Train the claim matcher's reranker on CheckThat 2020 train (tweets vs Snopes claims).

    python -m claimdesk.train.reranker [DATA] [--out DIR] [--encoder shipped|base] [--C 0.1]

The reranker is a logistic regression over ``corpus.match.FEATURES``: for each train tweet,
the claims in either stage's top ``RERANK_DEPTH`` (as ``Matcher.candidate_rows`` gives them at
query time), labelled by whether the tweet repeats them. It is scored first by 5-fold
cross-validation over the tweets (the seeded split ``claimdesk.train.matcher --cv 5`` uses),
then fitted on all of train; the weights (feature means, scales, one weight each) are written
as JSON beside the encoder's layers. Dev is never read here.

``--encoder`` says whose cosines the features hold while training. The shipped encoder was
fine-tuned on these same tweets, so on them its cosines and ranks are better than they will
be on new tweets, and a reranker fitted on them would trust the dense stage too much; the
base model (all-MiniLM-L6-v2 as packaged) has never seen them. Which of the two trains the
better reranker for the shipped encoder was measured on a held-out fold (``corpus/match.py``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import time
from pathlib import Path

import numpy as np

from claimdesk.corpus import match as M
from claimdesk.train.matcher import CACHE, DEFAULT_DATA, _git, read_claims, read_split

FOLDS = 5


def encoder(kind: str) -> M.Encoder:
    """The shipped encoder, or the packaged model through ``train.matcher.Split`` (its lower layers'
    states cached in ~/.cache/claimdesk by ``claimdesk train matcher``, shared here)."""
    if kind == "shipped":
        return M.default_encoder(threads=2)
    split = None

    def encode(texts):
        nonlocal split
        if split is None:  # only when the cache of vectors misses a text
            import torch

            from claimdesk.analyze.headline_model import sentence_model
            from claimdesk.train.matcher import RECIPE, Split

            split = Split(sentence_model(), RECIPE["layers"])
            cache = CACHE / f"matcher-lower-{split.cut}.pt"
            if cache.exists():
                split.cache = torch.load(cache)
        return split.encode(texts)

    encode.id = "all-MiniLM-L6-v2"  # type: ignore[attr-defined]
    return encode


def cached_vectors(texts: list[str], encode: M.Encoder, name: str) -> dict[str, np.ndarray]:
    """Each text's unit vector, from ~/.cache/claimdesk when the same encoder already made it."""
    path = CACHE / f"reranker-{name}-{encode.id}.npz"
    table: dict[str, np.ndarray] = {}
    if path.exists():
        with np.load(path, allow_pickle=False) as z:
            table = dict(zip(z["texts"].tolist(), z["vectors"].astype(np.float32)))
    missing = sorted({t for t in texts if t not in table})
    if missing:
        for t, v in zip(missing, M._unit(encode(missing))):
            table[t] = v
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(path, texts=np.array(list(table)), vectors=np.stack(list(table.values())).astype(np.float16))
    return table


def training_rows(claims: list[M.Claim], train, encode: M.Encoder, log=print):
    """(pool, features, labels) of each train tweet, through the matcher's own candidate code."""
    documents = [M.dense_document(c) for c in claims]
    texts = [M.query_text(t) for _, t, _ in train]
    table = cached_vectors(documents + texts, encode, "checkthat2020")
    matcher = M.Matcher(lambda batch: np.stack([table[t] for t in batch]), reranker=None)
    t0 = time.perf_counter()
    matcher.add(claims)
    log(f"indexed {len(claims)} claims in {time.perf_counter() - t0:.0f} s")
    queries = np.stack([table[t] for t in texts])
    labels, cosines = matcher.vectors.search(queries, M.CANDIDATES)
    out = []
    for (qid, _, relevant), text, query, dense, dense_cosines in zip(train, texts, queries, labels, cosines):
        words = M.tokens(text)
        scored = matcher.lexical.scores(words)
        lexical = [n for n, _ in M.best(*scored, M.CANDIDATES)]
        pool, rows = matcher.candidate_rows(words, query, lexical, [int(n) for n in dense], scored,
                                            float(dense_cosines[0]))
        wanted = {matcher.numbers[c] for c in relevant}
        out.append((pool, rows, np.array([n in wanted for n in pool], dtype=int), len(wanted),
                    [n for n, _ in M.fuse(lexical, [int(n) for n in dense])]))
    return out


def average_precision(ranked, wanted: set[int], total: int, depth: int = 5) -> float:
    hits, summed = 0, 0.0
    for rank, n in enumerate(ranked[:depth], 1):
        if n in wanted:
            hits += 1
            summed += hits / rank
    return summed / total


def fit(rows, C: float):
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    X = np.concatenate([r[1] for r in rows])
    y = np.concatenate([r[2] for r in rows])
    scaler = StandardScaler().fit(X)
    model = LogisticRegression(C=C, max_iter=5000).fit(scaler.transform(X), y)
    return {"features": list(M.FEATURES), "mean": scaler.mean_.tolist(), "scale": scaler.scale_.tolist(),
            "coef": model.coef_[0].tolist(), "intercept": float(model.intercept_[0])}


def ranked_ap(row, model) -> float:
    pool, X, y, total, _ = row
    wanted = {n for n, label in zip(pool, y) if label}
    order = M.reranked(pool, M.rerank_score(X, model), [(n, 0.0) for n in pool])
    return average_precision([n for n, _ in order], wanted, total)


def cross_validate(rows, C: float, seed: int = 0) -> dict:
    order = list(range(len(rows)))
    random.Random(seed).shuffle(order)
    folds = [order[f::FOLDS] for f in range(FOLDS)]
    reranked_ap, fused_ap = np.zeros(len(rows)), np.zeros(len(rows))
    for f, held in enumerate(folds):
        model = fit([rows[i] for g, fold in enumerate(folds) if g != f for i in fold], C)
        for i in held:
            reranked_ap[i] = ranked_ap(rows[i], model)
            pool, _, y, total, fused = rows[i]
            fused_ap[i] = average_precision(fused, {n for n, label in zip(pool, y) if label}, total)
    return {"reranked": round(float(reranked_ap.mean()), 4), "fused": round(float(fused_ap.mean()), 4),
            "reranked_folds": [round(float(reranked_ap[h].mean()), 4) for h in folds],
            "fused_folds": [round(float(fused_ap[h].mean()), 4) for h in folds]}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, nargs="?", default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=M.WEIGHTS)
    parser.add_argument("--encoder", choices=("shipped", "base"), default="base")
    parser.add_argument("--C", type=float, default=0.1, help="Inverse regularisation of the logistic regression.")
    parser.add_argument("--no-final", action="store_true", help="Only cross-validate; write no weights.")
    args = parser.parse_args(argv)
    claims = read_claims(args.data)
    train = read_split(args.data, "train")
    t0 = time.perf_counter()
    rows = training_rows(claims, train, encoder(args.encoder), log=lambda s: print(s, flush=True))
    cv = cross_validate(rows, args.C)
    print(f"{FOLDS}-fold CV on train ({args.encoder} encoder's cosines): {json.dumps(cv)}", flush=True)
    if args.no_final:
        return cv
    model = fit(rows, args.C)
    command = "python -m claimdesk.train.reranker " + " ".join(argv if argv is not None else __import__("sys").argv[1:])
    model["provenance"] = {
        "data": f"CLEF 2020 CheckThat! task 2 (English) train: {len(train)} tweets, {len(claims)} Snopes claims "
                "(dev not read)",
        "model": f"scikit-learn LogisticRegression(C={args.C}) over standardised features; pool: each stage's top "
                 f"{M.RERANK_DEPTH}", "cosines_from": args.encoder, "command": command.strip(), "git": _git(),
        "date": dt.date.today().isoformat(), "seconds": round(time.perf_counter() - t0), "cv": cv}
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / M.RERANKER_FILE
    path.write_text(json.dumps(model, indent=1) + "\n")
    print(f"wrote {path}", flush=True)
    return cv


if __name__ == "__main__":
    main()
