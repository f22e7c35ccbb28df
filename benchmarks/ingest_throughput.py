"""Figure 3: ingest throughput, 1,000 text documents into SQLite, and peak memory.

The documents are real news texts read from ../shared/data: the 924 PolNeAR
articles (train + dev), each wrapped in its publisher's site chrome (a menu line
above, footer lines below, so that chrome learning works as on a real crawl), in
one folder per publisher, plus 76 whole-page text dumps of Zyte pages. They are
written to a temporary folder (never into the repository), then ingested by the
real command in a fresh process:

    claimdesk ingest FOLDER --db TMP.db

and, as the anchor in the same run, read and cleaned without storing
(``claimdesk analyze --json FOLDER``), so the cost of storing shows as a ratio.

    python benchmarks/ingest_throughput.py [--json out.json]
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
from pathlib import Path

import machine
from zyte_common import SHARED, decode, pages
from zyte_dumps import page_dump

POLNEAR = SHARED / "data" / "polnear"
CLAIMDESK = [sys.executable, "-m", "claimdesk.cli"]


def publishers() -> dict[str, str]:
    with open(POLNEAR / "metadata.tsv", newline="") as f:
        return {row["filename"]: row["publisher"] for row in csv.DictReader(f, delimiter="\t")}


def write_corpus(folder: Path, total: int = 1000) -> int:
    by_name = publishers()
    count = 0
    for split in ("train", "dev"):
        for path in sorted((POLNEAR / split / "text").glob("*.txt")):
            outlet = by_name.get(path.stem, "unknown")
            text = path.read_text(encoding="utf-8")
            headline, _, body = text.partition("\n")
            page = (f"{headline}\nHome | Politics | World | Opinion | {outlet.title()}\n{body.strip()}\n"
                    f"Share this story\nMore from {outlet.title()}\n© 2016 {outlet.title()} Media Group\n")
            (folder / outlet).mkdir(exist_ok=True)
            (folder / outlet / path.name).write_text(page, encoding="utf-8")
            count += 1
    dumps = folder / "zyte-dumps"
    dumps.mkdir(exist_ok=True)
    for key, data in pages()[: max(0, total - count)]:
        (dumps / f"{key}.txt").write_text(page_dump(decode(data)), encoding="utf-8")
        count += 1
    return count


def run(args: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one claimdesk command in a fresh process."""
    script = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
              "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
              "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)")
    out = subprocess.run([sys.executable, "-c", script, *CLAIMDESK, *args], capture_output=True, text=True, check=True)
    seconds, rss, code = out.stdout.split()
    if code != "0":
        raise SystemExit(f"claimdesk {' '.join(args)} exited {code}")
    return float(seconds), int(rss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="write the figures here as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        n = write_corpus(folder)
        db = Path(tmp) / "bench.db"
        ingest_s, ingest_rss = run(["ingest", str(folder), "--db", str(db)])
        analyze_s, analyze_rss = run(["analyze", "--json", str(folder), "--db", str(Path(tmp) / "none.db")])
        again_s, _ = run(["ingest", str(folder), "--db", str(db)])
        db_mb = sum(p.stat().st_size for p in Path(tmp).glob("bench.db*")) / 1e6
    result = {
        "documents": n,
        "ingest_docs_per_s": n / ingest_s,
        "ingest_seconds": ingest_s,
        "ingest_peak_rss_mb": ingest_rss / 1024,
        "analyze_no_store_docs_per_s": n / analyze_s,
        "analyze_peak_rss_mb": analyze_rss / 1024,
        "ingest_over_analyze_speed": (n / ingest_s) / (n / analyze_s),
        "reingest_same_folder_docs_per_s": n / again_s,
        "db_mb": db_mb,
    }
    for key, value in result.items():
        print(f"{key:32} {value:.2f}" if isinstance(value, float) else f"{key:32} {value}")
    if args.json:
        machine.save(args.json, result)


if __name__ == "__main__":
    main()
