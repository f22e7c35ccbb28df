"""Issue 3, figure 2: `claimdesk analyze` against bare spaCy over the 84 PolNeAR dev articles.

Both run in the same invocation, each in a fresh process (so peak memory is its own),
alternating, best of ``--repeat`` runs:

* anchor: bare ``nlp.pipe`` with the same en_core_web_md pipeline and batch size over the raw texts;
* claimdesk: the real path of ``claimdesk analyze``: read, clean, one spaCy pass over
  the kept text, attributions, speakers, hedges, media, entities, dates and the headline
  check (``pipeline.analyze``).

Two ratios against bare spaCy: the whole analyze (issue 4: at least 0.7x), and the
claims path (issue 3: at least 0.8x), which is the same run with the time spent in the
entity, date and headline stages taken out (each stage's calls are timed in place).

Model loading is outside the timed part for both.

    python benchmarks/analyze_throughput.py [--repeat 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

import machine
from zyte_common import SHARED

DEV = SHARED / "data" / "polnear" / "dev" / "text"
BATCH = 32  # the batch size claimdesk's parse uses (analyze/parse.py), so both pay the same


def child(mode: str) -> None:
    from claimdesk import pipeline
    from claimdesk.analyze.nlp import load_nlp

    paths = sorted(str(p) for p in DEV.glob("*.txt"))
    nlp = load_nlp()
    if mode == "bare":
        texts = [open(p, encoding="utf-8").read() for p in paths]
        list(nlp.pipe(texts[:4]))  # warm up
        start = time.perf_counter()
        docs = sum(1 for _ in nlp.pipe(texts, batch_size=BATCH))
    else:
        stages = _time_stages()
        list(pipeline.analyze(paths[:4]))  # warm up: loads the taggers and the embedding model too
        stages.clear()
        start = time.perf_counter()
        docs = sum(1 for item in pipeline.analyze(paths) if isinstance(item, pipeline.Analysis))
    seconds = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"docs": docs, "seconds": seconds, "peak_rss_mb": rss,
                      "stages": dict(stages) if mode != "bare" else {}}))


def _time_stages() -> dict[str, float]:
    """Wrap the entity, date and headline stages where analyze calls them; seconds spent in each."""
    from collections import defaultdict

    import claimdesk.analyze.claims as claims
    import claimdesk.analyze.dates as dates
    import claimdesk.analyze.headline as headline

    spent: dict[str, float] = defaultdict(float)

    def timed(name, fn):
        def wrapper(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - t0
        return wrapper

    claims.find_entities = timed("entities", claims.find_entities)
    dates.find_dates = timed("dates", dates.find_dates)
    headline.check_headlines = timed("headline", headline.check_headlines)
    return spent


def run(mode: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", mode], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child)
    best: dict[str, dict] = {}
    for _ in range(args.repeat):
        for mode in ("bare", "claimdesk"):
            r = run(mode)
            if mode not in best or r["seconds"] < best[mode]["seconds"]:
                best[mode] = r
    result = {
        "documents": best["bare"]["docs"],
        "bare_docs_per_s": best["bare"]["docs"] / best["bare"]["seconds"],
        "claimdesk_docs_per_s": best["claimdesk"]["docs"] / best["claimdesk"]["seconds"],
        "bare_peak_rss_mb": best["bare"]["peak_rss_mb"],
        "claimdesk_peak_rss_mb": best["claimdesk"]["peak_rss_mb"],
        "repeat": args.repeat,
    }
    result["ratio"] = result["claimdesk_docs_per_s"] / result["bare_docs_per_s"]
    stages = best["claimdesk"]["stages"]
    result["stage_seconds"] = {k: round(v, 2) for k, v in stages.items()}
    claims_seconds = best["claimdesk"]["seconds"] - sum(stages.values())
    result["claims_path_docs_per_s"] = best["claimdesk"]["docs"] / claims_seconds
    result["claims_path_ratio"] = result["claims_path_docs_per_s"] / result["bare_docs_per_s"]
    for key, value in result.items():
        print(f"{key:24} {value:.2f}" if isinstance(value, float) else f"{key:24} {value}")
    if args.json:
        machine.save(args.json, result)


if __name__ == "__main__":
    main()
