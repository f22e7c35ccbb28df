"""Check-worthiness ranking on CLEF 2020 CheckThat! task 5, cross-validated by transcript.

    python benchmarks/check_worthiness.py --json benchmarks/results/check_worthiness.json [--only NAME,...]

Every candidate and both anchors see the same folds (10, grouped by transcript:
a transcript's sentences are all on the train side or all on the test side).
Measures are the task's: MAP (average precision of a transcript's sentences
ranked by score, averaged over transcripts), P@10 and P@30.  No setting is
tuned on the test folds: the candidates' settings are fixed in
``claimdesk.analyze.checkworthiness.DEFAULTS`` before the run, and the document
stage learns from out-of-fold scores of inner folds of the training transcripts
(nested: the test fold is seen by neither stage).  Which candidate ships was
chosen by comparing these outer figures, a small selection optimism for it.  ``--only`` reruns
some candidates and keeps the others' results from the JSON file.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import machine  # noqa: E402
from claimdesk.analyze import checkworthiness as cw  # noqa: E402
from claimdesk.train import checkworthiness as tcw  # noqa: E402

FOLDS = 10

CANDIDATES = {
    # name: (config overrides or None for the anchors, description)
    "random": (None, "anchor: random ranking (mean of 20 seeded shuffles)"),
    "ngram-baseline": (None, "anchor: the task's n-gram baseline (TF-IDF word unigrams + RBF SVM, C=10, gamma=0.1, "
                             "its decision value; as in the task's baselines/task5.py)"),
    "ngram-baseline-linear": (None, "anchor: the task's n-gram baseline with a linear kernel (TF-IDF word unigrams + "
                                    "linear SVM, C=1, no class weights, its decision value)"),
    "tfidf": ({"blocks": ["tfidf"]}, "TF-IDF word 1-2-grams + logistic regression"),
    "hand": ({"blocks": ["hand"]}, "surface cues only (numbers, quantities, proper nouns, comparatives, past tense, "
                                   "questions, plans/opinions, thanks, person, length) + logistic regression"),
    "tfidf+hand": ({"blocks": ["tfidf", "hand"]}, "TF-IDF 1-2-grams and surface cues + logistic regression"),
    "embedding": ({"blocks": ["embedding"]}, "MiniLM sentence embedding + logistic regression"),
    "embedding+hand": ({"blocks": ["embedding", "hand"]}, "MiniLM embedding and surface cues + logistic regression"),
    "combined": ({"blocks": ["tfidf", "embedding", "hand"]},
                 "mean of the tfidf+hand and embedding+hand models' probabilities (shipped before the document "
                 "stage; the shipped model's score for a sentence alone)"),
    "embedding+hand+nearest": ({"blocks": ["embedding", "hand"], "nearest": True},
                               "embedding+hand, plus the cosine to the closest check-worthy training sentences "
                               "of other transcripts"),
    "combined+nearest": ({"blocks": ["tfidf", "embedding", "hand"], "nearest": True},
                         "combined, its embedding model also seeing the closest check-worthy training sentences"),
    "combined+context": ({"blocks": ["tfidf", "embedding", "hand"], "context": True},
                         "combined, the embedding model also seeing the previous sentence's embedding and cues"),
    "combined+document": ({"blocks": ["tfidf", "embedding", "hand"], "document": True},
                          "combined's two sentence models, then a logistic regression over their scores in the "
                          "transcript: neighbours' ranks, the speaker (role name, share of questions, mean rank, "
                          "share of lines, turn start), cosine to check-worthy training sentences of other "
                          "transcripts and to CheckThat 2020 verified claims (the shipped configuration)"),
}
CHOSEN = "combined+document"


def random_anchor(transcripts, seeds: int = 20) -> dict:
    runs = []
    for seed in range(seeds):
        rng = random.Random(seed)
        runs.append(tcw.summarize(transcripts, [np.array([rng.random() for _ in t.texts]) for t in transcripts]))
    out = {m: round(float(np.mean([r[m] for r in runs])), 4) for m in ("map", "p@10", "p@30")}
    out["per_transcript_ap"] = {t.name: round(float(np.mean([r["per_transcript_ap"][t.name] for r in runs])), 4)
                                for t in transcripts}
    return out


def ngram_baseline_fit(train):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import Pipeline
    from sklearn.svm import SVC

    pipe = Pipeline([("ngrams", TfidfVectorizer(ngram_range=(1, 1))),
                     ("clf", SVC(C=10, gamma=0.1, kernel="rbf", random_state=0))])
    pipe.fit([x for t in train for x in t.texts], [y for t in train for y in t.labels])
    return lambda t: pipe.decision_function(t.texts)


def ngram_linear_fit(train):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import Pipeline
    from sklearn.svm import LinearSVC

    pipe = Pipeline([("ngrams", TfidfVectorizer(ngram_range=(1, 1))), ("clf", LinearSVC(C=1.0))])
    pipe.fit([x for t in train for x in t.texts], [y for t in train for y in t.labels])
    return lambda t: pipe.decision_function(t.texts)


def cost(transcripts, n: int = 1000) -> dict:
    """Milliseconds per sentence (wall and CPU) for the shipped model to score batches with no embedding memo (1 thread).

    CPU time is the figure to read on a shared machine: wall time there mostly measures the other processes.
    """
    import torch

    from claimdesk.analyze.headline_features import Embedder
    from claimdesk.analyze.headline_model import sentence_model

    torch.set_num_threads(1)
    model = cw.load_weights()
    embedder = tcw.cached_embedder()
    score = ((lambda texts, embed: model.proba_document(texts, None, embed)) if model.stacker is not None
             else (lambda texts, embed: model.proba(texts, None, embed)))
    texts = [x for t in transcripts for x in t.texts]
    sample = random.Random(0).sample(texts, n)
    cold = Embedder(sentence_model(), batch_size=32)
    cold.encode(["warm up"])
    t0, c0 = time.perf_counter(), time.process_time()
    for i in range(0, n, 64):
        score(sample[i:i + 64], cold.encode)
    total, cpu = time.perf_counter() - t0, time.process_time() - c0
    t0 = time.perf_counter()
    for i in range(0, n, 64):
        score(sample[i:i + 64], embedder.encode)  # embeddings already known: the rest of the work
    rest = time.perf_counter() - t0
    return {"sentences": n, "batch": 64, "ms_per_sentence": round(1000 * total / n, 2),
            "cpu_ms_per_sentence": round(1000 * cpu / n, 2),
            "ms_per_sentence_without_embedding": round(1000 * rest / n, 2),
            "mean_words": round(float(np.mean([len(s.split()) for s in sample])), 1), "threads": 1}


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=tcw.DEFAULT_DATA)
    ap.add_argument("--verified", type=Path, default=tcw.VERIFIED, help="CheckThat 2020 claim retrieval's verified claims")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--only", help="comma-separated candidate names to (re)run; the rest kept from --json")
    ap.add_argument("--jobs", type=int, default=1, help="folds fitted in parallel processes (one thread each)")
    ap.add_argument("--no-cost", action="store_true", help="skip the per-sentence cost measurement")
    a = ap.parse_args(argv)
    transcripts = tcw.read_transcripts(a.data)
    labels = [y for t in transcripts for y in t.labels]
    prior = json.loads(a.json.read_text()) if a.json and a.json.exists() else {}
    results = dict(prior.get("candidates", {}))
    names = a.only.split(",") if a.only else list(CANDIDATES)
    embedder = verified = None
    for name in names:
        config, desc = CANDIDATES[name]
        print(f"{name} ...", file=sys.stderr, flush=True)
        if name == "random":
            r = random_anchor(transcripts)
        elif name == "ngram-baseline":
            r = tcw.cross_validate(transcripts, ngram_baseline_fit, FOLDS)
        elif name == "ngram-baseline-linear":
            r = tcw.cross_validate(transcripts, ngram_linear_fit, FOLDS)
        else:
            if embedder is None and ("embedding" in config["blocks"]):
                embedder = tcw.cached_embedder()
                embedder.encode([x for t in transcripts for x in t.texts])
                embedder.save()
            if config.get("document") and verified is None:
                verified = embedder.encode(tcw.read_verified(a.verified))
                embedder.save()
            r = tcw.cross_validate(transcripts, tcw.model_fit({**cw.DEFAULTS, **config},
                                                              embedder.encode if embedder else None, verified), FOLDS,
                                   a.jobs)
        r["description"] = desc
        results[name] = r
        print(f"{name}: MAP {r['map']:.4f}  P@10 {r['p@10']:.4f}  P@30 {r['p@30']:.4f}", file=sys.stderr, flush=True)
        if a.json:  # keep what is done if a later candidate dies
            a.json.write_text(json.dumps({**prior, "candidates": results}, indent=2) + "\n")
    out = {
        "data": str(a.data.name), "transcripts": len(transcripts), "sentences": len(labels), "positives": int(sum(labels)),
        "folds": FOLDS, "grouping": "by transcript (round-robin by number of positives)",
        "chosen": CHOSEN, "chosen_config": {**cw.DEFAULTS, **CANDIDATES[CHOSEN][0]},
        "candidates": {n: results[n] for n in CANDIDATES if n in results},
        "cost": prior.get("cost"),
        "machine": machine.describe(),
    }
    if not a.no_cost:
        out["cost"] = cost(transcripts)
    if a.json:
        a.json.parent.mkdir(parents=True, exist_ok=True)
        a.json.write_text(json.dumps(out, indent=2) + "\n")
    return out


if __name__ == "__main__":
    main()
