"""Issue 4: what the headline check costs per article, against bare spaCy, on the 84 PolNeAR dev articles.

In one process, alternating, best of ``--repeat``: the anchor is bare ``nlp.pipe`` (en_core_web_md,
batches of 32) over the raw texts, as in ``analyze_throughput.py``; then the headline check of each
cleaned, parsed article with its entities and dates found beforehand (not timed), two ways:
``check_headlines`` once per parse batch of 32 articles (how ``analyze`` should call it) and
``check_headline`` once per article. The reasons alone (``headline.judge``, given the stances)
are timed too. Models are loaded outside the timed part; torch runs on one thread, like the parse.

    python benchmarks/headline_check.py [--repeat 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import time
from collections import Counter

import machine
from zyte_common import SHARED

DEV = SHARED / "data" / "polnear" / "dev" / "text"
BATCH = 32


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json")
    args = parser.parse_args()

    import torch

    torch.set_num_threads(1)
    from claimdesk.analyze import headline_model as hm
    from claimdesk.analyze.dates import find_dates
    from claimdesk.analyze.entities import find_entities
    from claimdesk.analyze.headline import (
        check_headline,
        check_headlines,
        judge,
        stance_inputs,
    )
    from claimdesk.analyze.nlp import load_nlp
    from claimdesk.analyze.parse import parse, with_paragraphs
    from claimdesk.clean import clean
    from claimdesk.model import RawDocument

    paths = sorted(DEV.glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in paths]
    articles = [clean(RawDocument(t, path=str(p))) for t, p in zip(texts, paths)]
    nlp = with_paragraphs(load_nlp())
    docs = [doc for _, doc in parse(nlp, articles, batch_size=BATCH)]
    found = [(find_entities(d), find_dates(d, a.raw.published)) for d, a in zip(docs, articles)]
    inputs = [stance_inputs(d, a.title) for d, a in zip(docs, articles)]
    hm.assess([inputs[0]])  # load the stance and embedding models

    items = [(d, a.title, e, ds) for d, a, (e, ds) in zip(docs, articles, found)]
    stances = hm.assess([pair for pair in inputs if pair])
    best = {"bare": float("inf"), "batch": float("inf"), "single": float("inf"), "reasons": float("inf")}
    checks = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        sum(1 for _ in nlp.pipe(texts, batch_size=BATCH))
        best["bare"] = min(best["bare"], time.perf_counter() - start)
        start = time.perf_counter()
        checks = [c for i in range(0, len(items), BATCH) for c in check_headlines(items[i : i + BATCH])]
        best["batch"] = min(best["batch"], time.perf_counter() - start)
        start = time.perf_counter()
        for item in items:
            check_headline(*item)
        best["single"] = min(best["single"], time.perf_counter() - start)
        start = time.perf_counter()
        for item, s in zip(items, stances):
            judge(*item, s)
        best["reasons"] = min(best["reasons"], time.perf_counter() - start)

    n = len(texts)
    per = {k: v / n * 1000 for k, v in best.items()}
    result = {
        "documents": n,
        "with_headline": sum(1 for c in checks if c is not None),
        "bare_ms_per_doc": per["bare"],
        "batch_ms_per_doc": per["batch"],
        "single_ms_per_doc": per["single"],
        "reasons_ms_per_doc": per["reasons"],
        "batch_over_bare": per["batch"] / per["bare"],
        "single_over_bare": per["single"] / per["bare"],
        "verdicts": dict(Counter(c.verdict for c in checks if c)),
        "stances": dict(Counter(c.stance for c in checks if c)),
        "embed_sentences": hm.load()[0].config.get("embed_sentences"),
        "repeat": args.repeat,
    }
    for key, value in result.items():
        print(f"{key:20} {value:.3f}" if isinstance(value, float) else f"{key:20} {value}")
    if args.json:
        machine.save(args.json, result)


if __name__ == "__main__":
    main()
