"""Write BENCHMARKS.md from the JSON each benchmark leaves in benchmarks/results/.

    python benchmarks/run.py   # runs every benchmark, then this
    python benchmarks/report.py

Each figure names the command that reproduces it; the machine and date are those of
the run that wrote the JSON.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"


def load(name: str) -> dict | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def zyte_html(r: dict) -> list[str]:
    m, ms = r["metrics"], r["ms_per_page"]
    return [
        "## 1. HTML extraction (Zyte article-extraction benchmark, 181 pages)",
        "",
        "`python benchmarks/zyte_html.py --json benchmarks/results/zyte_html.json`",
        "",
        "Scored by the benchmark's own `evaluate.py` (shingle precision/recall/F1, ± bootstrap std). Both systems run in",
        f"the same process, alternating page by page; time is the best of {r.get('repeat', 3)} passes.",
        "",
        "| system | F1 | precision | recall | ms / page |",
        "|---|---|---|---|---|",
        *(f"| {name} | {m[name]['f1']:.3f} ± {m[name]['f1_std']:.3f} | {m[name]['precision']:.3f} | {m[name]['recall']:.3f} | {ms[name]:.1f} |"
          for name in ("trafilatura", "claimdesk")),
        "",
        f"Time ratio claimdesk / bare trafilatura {r['trafilatura_version']}: **{r['time_ratio_claimdesk_over_trafilatura']:.2f}x** "
        "(target at most 1.3x). F1 claimdesk − trafilatura: "
        f"**{m['claimdesk']['f1'] - m['trafilatura']['f1']:+.3f}** (target: not worse, should beat).",
        "",
    ]


def zyte_dumps(r: dict) -> list[str]:
    m = r["metrics"]
    return [
        "## 2. Cleaning whole-page text dumps (the same 181 pages)",
        "",
        "`python benchmarks/zyte_dumps.py --json benchmarks/results/zyte_dumps.json`",
        "",
        "Each page is turned into a dump of every visible text block, one per line (lxml, in the benchmark, not",
        "claimdesk's readers); claimdesk's text cleaner sees only the dump. Same scorer.",
        "",
        "| text scored | F1 | precision | recall |",
        "|---|---|---|---|",
        *(f"| {label} | {m[name]['f1']:.3f} ± {m[name]['f1_std']:.3f} | {m[name]['precision']:.3f} | {m[name]['recall']:.3f} |"
          for name, label in (("raw_dump", "raw dump"), ("claimdesk_cleaned", "claimdesk cleaned"))),
        "",
        f"Cleaned F1 **{m['claimdesk_cleaned']['f1']:.3f}** (target at least 0.85); cleaning takes {r['clean_ms_per_page']:.1f} ms per page.",
        "",
    ]


def ingest(r: dict) -> list[str]:
    return [
        "## 3. Ingest throughput (1,000 text documents into SQLite)",
        "",
        "`python benchmarks/ingest_throughput.py --json benchmarks/results/ingest_throughput.json`",
        "",
        "924 PolNeAR news texts wrapped in their publisher's chrome (one folder per publisher) and 76 Zyte page dumps,",
        "written to a temporary folder; each command runs in a fresh process (start-up, migrations and all).",
        "",
        "| command | documents / s | peak RSS |",
        "|---|---|---|",
        f"| `claimdesk ingest FOLDER` (new store) | {r['ingest_docs_per_s']:.0f} | {r['ingest_peak_rss_mb']:.0f} MB |",
        f"| `claimdesk ingest FOLDER` again (all duplicates) | {r['reingest_same_folder_docs_per_s']:.0f} | |",
        f"| anchor: `claimdesk analyze --json FOLDER` (read + clean, no store) | {r['analyze_no_store_docs_per_s']:.0f} | {r['analyze_peak_rss_mb']:.0f} MB |",
        "",
        f"Ingest runs at {r['ingest_over_analyze_speed']:.2f}x the no-store anchor: per article, reading and cleaning take",
        f"{1000 / r['analyze_no_store_docs_per_s']:.1f} ms and storing (one transaction with its ranges, FTS row, MinHash and line",
        f"counts) {1000 / r['ingest_docs_per_s'] - 1000 / r['analyze_no_store_docs_per_s']:.1f} ms more. Store size: {r['db_mb']:.1f} MB for 1,000 articles.",
        "",
    ]


def ran(r: dict) -> str:
    m = r.get("machine")
    return f"Run on {m['description']}, {m['date']}." if m else "Machine not recorded."


def main() -> None:
    sections = [("zyte_html", zyte_html), ("zyte_dumps", zyte_dumps), ("ingest_throughput", ingest)]
    found = [(load(name), render) for name, render in sections]
    out = [
        "# Benchmarks",
        "",
        "Every figure here is written by `python benchmarks/report.py` from the JSON that its benchmark command",
        "left in `benchmarks/results/`; `python benchmarks/run.py` reruns them all (about two minutes). The data is read",
        "from `../shared/data` in place. These machines are shared and noisy: compare the ratios within one run.",
        "",
    ]
    for result, render in found:
        if result:
            out += render(result)[:-1] + [ran(result), ""]
    (HERE.parent / "BENCHMARKS.md").write_text("\n".join(out))
    print(f"wrote {HERE.parent / 'BENCHMARKS.md'}")


if __name__ == "__main__":
    main()
