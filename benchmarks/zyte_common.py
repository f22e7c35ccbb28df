"""Shared by the Zyte article-extraction benchmarks: pages, ground truth, the official scorer."""

from __future__ import annotations

import gzip
import json
import os
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


def decode(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")
