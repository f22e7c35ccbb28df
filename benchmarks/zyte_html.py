"""Figure 1: HTML extraction on the Zyte benchmark, claimdesk against bare trafilatura.

Both run in the same process over the same 181 pages, alternating page by page so
that machine noise hits both alike; both are scored by the benchmark's own
evaluate.py. claimdesk's path is its real one: format detection, decoding,
trafilatura with metadata, then the cleaner.

Beside the scorer's F1: lede recall (the first 10 words of the reference's first
paragraph, as evaluate.py tokenises them, found as a run in the body) and paragraph
recall (reference paragraphs found whole, word for word), on all pages and on two
fixed halves (pages in id order, even and odd positions) so that a rule fitted to
one half shows on the other.

    python benchmarks/zyte_html.py [--repeat 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import time

import trafilatura

from claimdesk.clean import clean
from claimdesk.ingest import read_bytes
from claimdesk.model import RawDocument
import machine
from zyte_common import decode, pages, recall_figures, score


def claimdesk_body(data: bytes, key: str) -> str:
    docs = [d for d in read_bytes(data, path=f"{key}.html") if isinstance(d, RawDocument)]
    return clean(docs[0]).body_text if docs else ""


def bare_trafilatura(data: bytes, key: str = "") -> str:
    return trafilatura.extract(decode(data)) or ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timing passes (the best pass counts)")
    parser.add_argument("--json", help="write the figures here as JSON")
    args = parser.parse_args()
    corpus = pages()
    outputs: dict[str, dict[str, str]] = {"trafilatura": {}, "claimdesk": {}}
    best = {"trafilatura": float("inf"), "claimdesk": float("inf")}
    for _ in range(args.repeat):
        spent = {"trafilatura": 0.0, "claimdesk": 0.0}
        for key, data in corpus:
            for name, run in (("trafilatura", bare_trafilatura), ("claimdesk", claimdesk_body)):
                start = time.perf_counter()
                outputs[name][key] = run(data, key)
                spent[name] += time.perf_counter() - start
        best = {name: min(best[name], spent[name]) for name in best}
    metrics = score(outputs)
    keys = [key for key, _ in corpus]
    recall = {
        "all": recall_figures(outputs, keys),
        "half_even": recall_figures(outputs, keys[0::2]),
        "half_odd": recall_figures(outputs, keys[1::2]),
    }
    ms = {name: 1000 * best[name] / len(corpus) for name in best}
    result = {
        "pages": len(corpus),
        "repeat": args.repeat,
        "trafilatura_version": trafilatura.__version__,
        "ms_per_page": ms,
        "time_ratio_claimdesk_over_trafilatura": ms["claimdesk"] / ms["trafilatura"],
        "metrics": metrics,
        "recall": recall,
    }
    for name, m in metrics.items():
        print(f"{name:12} F1 {m['f1']:.3f}  precision {m['precision']:.3f}  recall {m['recall']:.3f}  {ms[name]:.1f} ms/page")
    for part, figures in recall.items():
        for name, f in figures.items():
            print(f"{part:9} {name:12} lede recall {f['lede_recall']:.3f}  paragraph recall {f['paragraph_recall']:.3f}")
    print(f"time ratio claimdesk / trafilatura: {result['time_ratio_claimdesk_over_trafilatura']:.2f}")
    if args.json:
        machine.save(args.json, result)


if __name__ == "__main__":
    main()
