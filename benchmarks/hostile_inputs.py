"""The worst inputs issue 15 names: time and peak memory of `claimdesk ingest` per input.

    python benchmarks/hostile_inputs.py --json benchmarks/results/hostile_inputs.json

Each input is made here (nothing large is committed) and ingested by the real command in
a fresh process into a fresh store, so every figure includes starting Python and loading
the models, as a user pays it. The anchor is the same command on one ordinary article
(the project's own example), run in the same session; ratios to it are reported beside
the absolute figures, which the issue bounds: no input over 60 s or 2.5 GB.

CPU seconds (user + system of the ingest process) are recorded beside the wall time:
on a shared, loaded machine the wall time counts the waits for a core too, the CPU time
only the work, which is what the wall time is on a quiet machine (the command mostly
runs on one core).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from machine import save  # noqa: E402

ROOT = HERE.parent
CLAIMDESK = [sys.executable, "-m", "claimdesk.cli"]
ANCHOR = ROOT / "src" / "claimdesk" / "examples" / "harbour-dispute.txt"
LIMIT_SECONDS, LIMIT_MB = 60, 2560

PARAGRAPH = ("Officials said that the convoy had crossed the river before dawn, and the ministry "
             "claimed that no civilians were hurt in the operation near the border town. ")


def prose(chars: int) -> str:
    """An article of ``chars`` characters with claims in every paragraph, to its end."""
    paragraphs, n, i = ["A very long report"], 0, 0
    while n < chars:
        paragraphs.append(f"{PARAGRAPH * 3}Paragraph {i} ends here.")
        n += len(paragraphs[-1]) + 2
        i += 1
    return "\n\n".join(paragraphs)[:chars]


def attributes(count: int) -> str:
    attrs = " ".join(f'data-a{i}="v{i}"' for i in range(count))
    return f"<html><head><title>Attributes</title></head><body><div {attrs}><p>{PARAGRAPH * 4}</p></div></body></html>"


def nesting(depth: int) -> str:
    return ("<html><head><title>Deep</title></head><body>" + "<div>" * depth + f"<p>{PARAGRAPH * 4}</p>"
            + "</div>" * depth + "</body></html>")


def billion_laughs() -> str:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">' for n in range(1, 10))
    items = "".join(f"<item><title>Entry {n} &lol9;</title><link>https://example.org/{n}</link>"
                    f"<description>{PARAGRAPH}</description></item>" for n in range(3))
    return (f'<?xml version="1.0"?><!DOCTYPE rss [{entities}]><rss version="2.0"><channel>'
            f"<title>Laughs</title>{items}</channel></rss>")


def gzip_bomb() -> bytes:
    """A gzip stream that inflates to 1 GB of zeros (about 1 MB on disk)."""
    out = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)
    return out * 16


def inputs(folder: Path) -> list[tuple[str, str, Path]]:
    """(name, what it is, file) for each case, written into ``folder``."""
    from claimdesk.analyze.parse import ANALYSIS_LIMIT
    from claimdesk.pipeline import MAX_CHARS

    cases = [
        ("analysis-limit", f"a text article of {ANALYSIS_LIMIT:,} characters (all of it analysed)", "a.txt", prose(ANALYSIS_LIMIT)),
        ("spacy-limit", "a 1.2 MB text article (over spaCy's 1,000,000; analysed to the limit)", "b.txt", prose(1_200_000)),
        ("document-limit", f"a text article of {MAX_CHARS:,} characters (stored whole, analysed to the limit)", "c.txt", prose(MAX_CHARS)),
        ("input-limit", "a 50 MB text file (refused: over the document length)", "d.txt", prose(50 * 1024 * 1024 - 1)),
        ("attributes", "HTML, one element with 100,000 attributes (2 MB)", "e.html", attributes(100_000)),
        ("nesting", "HTML nested 50,000 elements deep", "f.html", nesting(50_000)),
        ("billion-laughs", "RSS with a billion-laughs entity block in its DOCTYPE", "g.xml", billion_laughs()),
        ("gzip-bomb", "gzip of 1 GB of zeros (refused at the input size)", "h.txt.gz", gzip_bomb()),
    ]
    made = []
    for name, what, filename, content in cases:
        path = folder / filename
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        made.append((name, what, path))
    return made


def ingest(path: Path, folder: Path) -> dict:
    """One `claimdesk ingest` of ``path`` into a new store: seconds, peak MB, exit code, last line."""
    db = folder / f"{path.name}.db"
    start = time.perf_counter()
    process = subprocess.Popen([*CLAIMDESK, "ingest", "--db", str(db), str(path)], cwd=folder,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "COLUMNS": "300"})
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    stderr = process.stderr.read()
    process.stderr.close()
    process.returncode = os.waitstatus_to_exitcode(status)
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    return {"seconds": round(seconds, 2), "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
            "peak_mb": round(usage.ru_maxrss / 1024), "exit": process.returncode, "said": lines[-3:]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", help="write the figures here")
    parser.add_argument("--only", nargs="*", help="case names to run (default: all)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="claimdesk-hostile-") as tmp:
        folder = Path(tmp)
        anchor = ingest(ANCHOR, folder)
        print(f"anchor (one ordinary article): {anchor['seconds']} s ({anchor['cpu_seconds']} s CPU), "
              f"{anchor['peak_mb']} MB, load {os.getloadavg()[0]:.1f}", flush=True)
        cases = {}
        for name, what, path in inputs(folder):
            if args.only and name not in args.only:
                continue
            found = ingest(path, folder)
            found.update(what=what, bytes=path.stat().st_size, time_ratio=round(found["seconds"] / anchor["seconds"], 2),
                         cpu_ratio=round(found["cpu_seconds"] / anchor["cpu_seconds"], 2),
                         memory_ratio=round(found["peak_mb"] / anchor["peak_mb"], 2),
                         within=min(found["seconds"], found["cpu_seconds"]) <= LIMIT_SECONDS and found["peak_mb"] <= LIMIT_MB)
            cases[name] = found
            print(f"{name}: {found['seconds']} s ({found['time_ratio']}x), {found['cpu_seconds']} s CPU "
                  f"({found['cpu_ratio']}x), {found['peak_mb']} MB "
                  f"({found['memory_ratio']}x), exit {found['exit']}: {found['said'][-1] if found['said'] else ''}", flush=True)
    result = {"anchor": anchor, "cases": cases, "limit_seconds": LIMIT_SECONDS, "limit_mb": LIMIT_MB,
              "load_average_at_end": round(os.getloadavg()[0], 1)}
    if args.json:
        save(args.json, result)
    print(json.dumps({k: (v["seconds"], v["cpu_seconds"], v["peak_mb"], v["within"]) for k, v in cases.items()}))


if __name__ == "__main__":
    main()
