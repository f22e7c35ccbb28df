"""Shared by the Zyte article-extraction benchmarks: pages, ground truth, the official scorer."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SHARED = Path(os.environ.get("CLAIMDESK_SHARED", Path(__file__).resolve().parents[2] / "shared"))
ZYTE = SHARED / "data" / "zyte-article-extraction"


def pages() -> list[tuple[str, bytes]]:
    """(page id, raw HTML bytes) for the 181 pages, in a stable order."""
    return [(p.name.split(".")[0], gzip.decompress(p.read_bytes())) for p in sorted((ZYTE / "html").glob("*.html.gz"))]


def score(outputs: dict[str, dict[str, str]]) -> dict[str, dict]:
    """Run the benchmark's own evaluate.py on {system name: {page id: body}}; returns its metrics."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copy(ZYTE / "evaluate.py", work / "evaluate.py")
        (work / "ground-truth.json").symlink_to(ZYTE / "ground-truth.json")
        (work / "output").mkdir()
        for name, bodies in outputs.items():
            data = {key: {"articleBody": body} for key, body in bodies.items()}
            (work / "output" / f"{name}.json").write_text(json.dumps(data))
        subprocess.run(
            [sys.executable, "evaluate.py", "--n-bootstrap", "200", "--output", "metrics.json"],
            cwd=work, check=True, stdout=subprocess.DEVNULL,
        )
        metrics = json.loads((work / "metrics.json").read_text())
    for m in metrics.values():
        m.pop("tp_fp_fns", None)
    return metrics


LEDE_WORDS = 10  # the lede's opening words that must be found
_WORD = re.compile(r"\w+")


def words(text: str) -> str:
    """Word tokens as evaluate.py reads them (\\w+), casefolded, space-joined and padded:
    spacing, punctuation and quote styles do not count, word boundaries do."""
    return " " + " ".join(w.casefold() for w in _WORD.findall(text or "")) + " "


def reference_paragraphs(key: str, truth: dict[str, dict]) -> list[str]:
    """The ground truth's paragraphs: its lines that hold a word."""
    return [line.strip() for line in truth[key].get("articleBody", "").split("\n") if _WORD.search(line)]


def lede_found(reference: list[str], body: str) -> bool:
    """Whether the first LEDE_WORDS words of the reference's first paragraph occur in ``body`` as a run."""
    if not reference:
        return True
    opening = words(reference[0]).split()[:LEDE_WORDS]
    return f" {' '.join(opening)} " in words(body)


def paragraphs_found(reference: list[str], body: str) -> int:
    """How many reference paragraphs occur whole in ``body``, word for word."""
    text = words(body)
    return sum(words(paragraph) in text for paragraph in reference)


def recall_figures(outputs: dict[str, dict[str, str]], keys: list[str] | None = None) -> dict[str, dict]:
    """Lede recall and paragraph recall per system, over ``keys`` (all pages by default)."""
    truth = ground_truth()
    keys = keys if keys is not None else sorted(truth)
    figures = {}
    for name, bodies in outputs.items():
        ledes = [k for k in keys if lede_found(reference_paragraphs(k, truth), bodies[k])]
        total = sum(len(reference_paragraphs(k, truth)) for k in keys)
        found = sum(paragraphs_found(reference_paragraphs(k, truth), bodies[k]) for k in keys)
        whole = sum(paragraphs_found(reference_paragraphs(k, truth), bodies[k]) == len(reference_paragraphs(k, truth)) for k in keys)
        figures[name] = {
            "pages": len(keys),
            "lede_recall": len(ledes) / len(keys),
            "ledes_lost": sorted(set(keys) - set(ledes)),
            "paragraph_recall": found / total,
            "paragraphs": total,
            "pages_with_every_paragraph": whole,
        }
    return figures


def ground_truth() -> dict[str, dict]:
    return json.loads((ZYTE / "ground-truth.json").read_text())


def decode(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")
