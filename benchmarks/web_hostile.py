"""Figure: the desk's pages for an article at the analysis size limit.

An article of 200,000 characters (the analysis limit) carrying 3,000 claims (every tenth
with a content running to the end of its paragraph, over the next nine), 6,000 entity
mentions and 300 dates is stored as an analysis would store it; the shared sample
article (karabakh-peacekeepers.txt, through the real ingest and spaCy) is stored beside
it as the ordinary page. The desk app (as ``claimdesk serve`` builds it, warmed, no
page cache) is called over ASGI in this process, one request at a time; each page is
asked ``--rounds`` times and its best and median wall time kept, with its size. The
ratio is the huge article's page over the ordinary article's page, same run.

    python benchmarks/web_hostile.py [--rounds 5] [--json benchmarks/results/web_hostile.json]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote

os.environ["CLAIMDESK_PAGE_CACHE"] = "0"  # every request renders its page

import machine  # noqa: E402

from claimdesk import pipeline  # noqa: E402
from claimdesk.model import Article, Claim, DateMention, Entity, RawDocument, Span  # noqa: E402
from claimdesk.store import Store  # noqa: E402
from claimdesk.web.app import create_app, settle_heap  # noqa: E402

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parents[1] / "shared" / "samples" / "karabakh-peacekeepers.txt"
EXAMPLES = HERE.parent / "src" / "claimdesk" / "examples"
CHARS, CLAIMS = 200_000, 3_000


def huge_article(chars: int = CHARS, claims: int = CLAIMS) -> tuple[Article, list[Claim], list[Entity], list[DateMention]]:
    """The article at the size limit, spans laid out as the analysis would give them."""
    text, body = "The harbour plan in three thousand statements", []
    title = Span(0, len(text))
    found_claims, entities, dates = [], [], []
    for p in range(0, claims, 10):
        start = len(text) + 2
        text += "\n\n"
        ends: list[int] = []
        for i in range(p, min(p + 10, claims)):
            who = f"Name{i % 700} Speaker{i % 900}"
            place = f"Town{i % 500}"
            at = len(text) + (1 if text[-1] != "\n" else 0)
            sentence = f"Official {who} said that the harbour plan {i} in {place} would reopen on May {1 + i % 28}."
            text += ("" if text[-1] == "\n" else " ") + sentence
            s = lambda piece, base=at, line=sentence: Span(base + line.index(piece), base + line.index(piece) + len(piece))  # noqa: E731
            content = s(sentence[sentence.index("that"):-1])
            ends.append(len(found_claims))
            found_claims.append(Claim(source=s(f"Official {who}"), speaker=who, cue=s("said"), content=content, hedge="states"))
            entities += [Entity(s(who), "PERSON", who), Entity(s(place), "GPE", place)]
            if i % 10 == 0:
                dates.append(DateMention(s(f"May {1 + i % 28}"), f"2024-05-{1 + i % 28:02d}"))
        end = len(text)
        body.append(Span(start, end))
        first = found_claims[ends[0]]  # its content runs on to the paragraph's end, over the nine after it
        found_claims[ends[0]] = Claim(first.source, first.speaker, first.cue, Span(first.content.start, end - 1), first.hedge)
    filler = "Residents asked for a ferry while the bridge stays closed and the council debates the plan. "
    while len(text) < chars:
        start = len(text) + 2
        text += "\n\n" + filler * 10
        body.append(Span(start, len(text)))
    raw = RawDocument(text=text, url="https://news.example/huge", outlet="Harbour Courier", published="2024-05-01")
    return Article(raw=raw, title=title, body=body, removed=[]), found_claims, entities, dates


async def _get(app, url: str) -> tuple[int, int]:
    """One GET through the whole ASGI app; its status and body size."""
    path, _, query = url.partition("?")
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": unquote(path), "raw_path": path.encode(), "query_string": query.encode(), "root_path": "",
             "headers": [(b"host", b"127.0.0.1")], "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}
    status, size = [], [0]

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            status.append(message["status"])
        elif message["type"] == "http.response.body":
            size[0] += len(message.get("body", b""))

    await app(scope, receive, send)
    return status[0], size[0]


async def measure(app, pages: dict[str, str], rounds: int) -> dict:
    results = {}
    for name, url in pages.items():
        await _get(app, url)  # statements compiled, templates warm
        times, status, size = [], 0, 0
        for _ in range(rounds):
            started = time.perf_counter()
            status, size = await _get(app, url)
            times.append((time.perf_counter() - started) * 1000)
        results[name] = {"url": url, "status": status, "bytes": size, "best_ms": round(min(times), 1),
                         "median_ms": round(statistics.median(times), 1)}
        print(name, results[name], file=sys.stderr, flush=True)
    return results


def build(db: str) -> tuple[str, str]:
    """The store: the sample article (real ingest) and the huge one; their ids."""
    with Store(db) as store:
        inputs = [str(SAMPLE)] if SAMPLE.exists() else [str(sorted(EXAMPLES.glob("*.txt"))[0])]
        summary = pipeline.ingest(inputs, store)
        if summary.errors or not summary.ids:
            sys.exit(f"could not ingest the ordinary article: {summary.errors}")
        article, claims, entities, dates = huge_article()
        store.add(article, line_keys=set(), claims=claims, entities=entities, dates=dates)
        return summary.ids[0], article.raw.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", help="write the figures here as JSON")
    args = parser.parse_args()
    load_at_start = [round(x, 1) for x in os.getloadavg()]
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "hostile.db")
        ordinary, huge = build(db)
        with Store(db) as store:
            app = create_app(store)
            settle_heap(app)  # as claimdesk serve does
            pages = {"ordinary article page": f"/articles/{ordinary}",
                     "huge article page": f"/articles/{huge}",
                     "huge article page 15 of 30": f"/articles/{huge}?claims_page=15",
                     "huge article API": f"/api/articles/{huge}",
                     "ordinary article API": f"/api/articles/{ordinary}",
                     "huge article's last claim": f"/claims/{huge}/{CLAIMS - 1}"}
            results = asyncio.run(measure(app, pages, args.rounds))
    base = results["ordinary article page"]["best_ms"]
    figures = {
        "results": results, "rounds": args.rounds, "chars": CHARS, "claims": CLAIMS,
        "ordinary": SAMPLE.name if SAMPLE.exists() else "the first shipped example",
        "ratio_huge_page_over_ordinary_page": round(results["huge article page"]["best_ms"] / base, 1),
        "ratio_huge_api_over_ordinary_page": round(results["huge article API"]["best_ms"] / base, 1),
        "target_ms": 1000.0,
        "load_average_at_start": load_at_start, "load_average_at_end": round(os.getloadavg()[0], 1),
    }
    print(figures)
    if args.json:
        machine.save(args.json, figures)


if __name__ == "__main__":
    main()
