"""Run every benchmark, one fresh process each, then write BENCHMARKS.md (about fifteen minutes on 2 cores).

    python benchmarks/run.py [NAME ...]     # e.g. zyte_html; default: all

web_latency and web_cpu need the 100,000-article desk store (about half an hour to build
the first time), so they run only when named: python benchmarks/run.py web_latency web_cpu
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ["zyte_html", "zyte_dumps", "ingest_throughput", "polnear_claims", "medium_accuracy", "speakers", "polnear", "analyze_throughput", "fnc1", "headline_check", "gum_entities", "gum_dates", "web_hostile", "hostile_inputs", "claim_retrieval", "claim_groups", "language_id"]


def main() -> None:
    names = sys.argv[1:] or BENCHMARKS
    (HERE / "results").mkdir(exist_ok=True)
    for name in names:
        print(f"== {name}", flush=True)
        subprocess.run([sys.executable, str(HERE / f"{name}.py"), "--json", str(HERE / "results" / f"{name}.json")], check=True)
    subprocess.run([sys.executable, str(HERE / "report.py")], check=True)


if __name__ == "__main__":
    main()
