"""Issue 17: how often the headline check raises a false alarm, and how often it catches a wrong headline.

Genuine pairs are articles with their own headlines, which a careful reader accepts: the 84
PolNeAR dev articles (first line), the 181 Zyte pages (the title claimdesk's HTML reader and
cleaner choose) and GUM's 24 Wikinews documents (first paragraph). Each goes through
``analyze_articles``, as ingest runs it, with its document date; a genuine pair flagged
``does-not-fit`` or ``contradicts`` is a false alarm (floor: at most 2%).

Wrong pairs: every genuine headline over the body of another article of the same sets,
by a seeded derangement that never pairs an article with itself or with an article of the
same headline, given the body article's date; each should be flagged (floor: at least 95%).

Settings were chosen on PolNeAR *train* (``--split train``: its 840 articles, genuine and
shuffled the same way); the figures reported are ``--split report``.

    python benchmarks/headline_alarms.py [--split report|train] [--limit N] [--json out.json]
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from collections import Counter
from pathlib import Path

import machine
from gum_dates import GUM, read_gum
from zyte_common import SHARED, pages

POLNEAR = SHARED / "data" / "polnear"
FLAGS = ("does-not-fit", "contradicts")


def polnear_articles(split: str, limit: int | None = None) -> list:
    from claimdesk.clean import clean
    from claimdesk.model import RawDocument

    dates = {}
    with open(POLNEAR / "metadata.tsv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            dates[row["filename"]] = row["publication_date"]
    paths = sorted((POLNEAR / split / "text").glob("*.txt"))[:limit]
    return [clean(RawDocument(p.read_text(encoding="utf-8"), path=p.name, published=dates.get(p.stem)))
            for p in paths]


def zyte_articles() -> list:
    from claimdesk.clean import clean
    from claimdesk.ingest import read_bytes
    from claimdesk.model import RawDocument

    out = []
    for key, data in pages():
        docs = [d for d in read_bytes(data, path=f"{key}.html") if isinstance(d, RawDocument)]
        if docs:
            out.append(clean(docs[0]))
    return out


def gum_articles() -> list:
    from claimdesk.model import Article, RawDocument, Span

    out = []
    for path in sorted((GUM / "xml").glob("*.xml")):
        text, published, _ = read_gum(path.stem)
        cut = text.index("\n\n")
        raw = RawDocument(text, path=path.stem, published=published)
        out.append(Article(raw, title=Span(0, cut), body=[Span(cut + 2, len(text))], removed=[]))
    return out


def shuffled(articles: list, seed: int = 17) -> list:
    """Each headline over another article's body (a derangement; never the same headline text)."""
    from claimdesk.model import Article, RawDocument, Span

    usable = [a for a in articles if a.title is not None and a.body]
    order = list(range(len(usable)))
    rng = random.Random(seed)
    while True:
        rng.shuffle(order)
        if all(i != j and _headline(usable[i]) != _headline(usable[j]) for i, j in enumerate(order)):
            break
    out = []
    for i, j in enumerate(order):
        head, body = _headline(usable[i]), usable[j].body_text
        text = f"{head}\n\n{body}"
        raw = RawDocument(text, path=f"{usable[i].raw.path} over {usable[j].raw.path}", published=usable[j].raw.published)
        out.append(Article(raw, title=Span(0, len(head)), body=[Span(len(head) + 2, len(text))], removed=[]))
    return out


def _headline(article) -> str:
    return article.title.of(article.raw.text)


def checks(articles: list) -> list:
    """(article, HeadlineCheck | None) for each, through ``analyze_articles``."""
    from claimdesk.analyze import analyze_articles
    from claimdesk.model import IngestError

    out = []
    for article, result in zip(articles, analyze_articles(articles)):
        out.append((article, None if isinstance(result, IngestError) else result.headline))
    return out


def summary(results: list, want_flag: bool) -> dict:
    checked = [(a, c) for a, c in results if c is not None]
    verdicts = Counter(c.verdict for _, c in checked)
    flagged = [(a, c) for a, c in checked if c.verdict in FLAGS]
    share = len(flagged) / len(checked) if checked else 0.0
    return {
        "articles": len(results), "checked": len(checked), "verdicts": dict(verdicts),
        "flagged": len(flagged), "share_flagged": round(share, 4),
        "examples": [{"path": a.raw.path, "headline": _headline(a)[:160], "verdict": c.verdict,
                      "reasons": [r.text[:200] for r in c.reasons if r.kind != "shared-entity"]}
                     for a, c in (flagged if not want_flag else [(a, c) for a, c in checked if c.verdict not in FLAGS])][:40],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("report", "train"), default="report")
    parser.add_argument("--limit", type=int, help="PolNeAR train articles to read (train split only)")
    parser.add_argument("--json")
    args = parser.parse_args()

    import torch

    torch.set_num_threads(1)
    started = time.perf_counter()
    if args.split == "train":
        sets = {"PolNeAR train": polnear_articles("train", args.limit)}
    else:
        sets = {"PolNeAR dev": polnear_articles("dev"), "Zyte": zyte_articles(), "GUM news": gum_articles()}
    genuine = {name: summary(checks(arts), want_flag=False) for name, arts in sets.items()}
    everything = [a for arts in sets.values() for a in arts]
    wrong = summary(checks(shuffled(everything)), want_flag=True)
    all_checked = sum(g["checked"] for g in genuine.values())
    all_flagged = sum(g["flagged"] for g in genuine.values())
    result = {
        "split": args.split, "genuine": genuine, "shuffled": wrong,
        "genuine_share_flagged": round(all_flagged / all_checked, 4) if all_checked else 0.0,
        "seconds": round(time.perf_counter() - started, 1),
    }
    for name, g in genuine.items():
        print(f"{name}: {g['flagged']}/{g['checked']} genuine flagged ({g['share_flagged']:.1%}) {g['verdicts']}")
    print(f"all genuine: {all_flagged}/{all_checked} ({result['genuine_share_flagged']:.1%})")
    print(f"shuffled: {wrong['flagged']}/{wrong['checked']} flagged ({wrong['share_flagged']:.1%}) {wrong['verdicts']}")
    if args.json:
        machine.save(args.json, result)


if __name__ == "__main__":
    sys.exit(main())
