"""Figure: web desk latency on a store of 100,000 articles, under 16 concurrent clients.

The store: real news texts (the PolNeAR articles in their publishers' chrome and Zyte
page dumps, as in ingest_throughput.py) read, cleaned and analysed by claimdesk once;
then each analysed article is stored again and again with a distinct id (a line
"copy N" appended to its text, so every offset stays valid), its own URL, one of 40
outlets and a publication date spread over ten years, until the store holds 100,000
articles. Copies of one text are near-duplicates of each other, as syndicated
copies are.

The load: ``claimdesk serve`` in its own process on loopback; 16 clients (asyncio,
httpx), each asking one kind of page as fast as it can for a fixed time: the news
line (pages 1-5), an article page, a speaker page, a search (titles' words). p50 and
p95 latency and the error count per kind; the target is p95 under 100 ms, no errors.

    python benchmarks/web_latency.py [--db PATH] [--articles 100000] [--seconds 20] [--json out.json]

The store is built once at --db (default: a file under /tmp) and reused when it
already holds the asked number of articles.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import httpx

import machine
from ingest_throughput import write_corpus

from claimdesk import pipeline
from claimdesk.model import Analysis, Article, RawDocument
from claimdesk.store import Store

OUTLETS = 40
ORIGINALS = 400  # analysed texts the store is multiplied from
CLIENTS = 16
TARGET_P95_MS = 100.0


def analysed_originals(limit: int) -> list[Analysis]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        write_corpus(folder)
        inputs = sorted(str(p) for p in folder.rglob("*.txt"))
        random.Random(1).shuffle(inputs)
        return [a for a in pipeline.analyze(inputs[:limit], workers=1) if isinstance(a, Analysis)]


def copy_of(analysis: Analysis, n: int, rng: random.Random) -> Analysis:
    """The analysed article again with a distinct text (offsets unchanged), URL, outlet and date."""
    raw = analysis.article.raw
    published = (date(2015, 1, 1) + timedelta(days=rng.randrange(3653))).isoformat()
    new_raw = replace(raw, text=f"{raw.text}\n\ncopy {n}\n", url=f"https://bench.example/{n}",
                      outlet=f"Outlet {n % OUTLETS}", published=published, scope=None)
    article = Article(raw=new_raw, title=analysis.article.title, body=analysis.article.body,
                      removed=analysis.article.removed)
    return replace(analysis, article=article)


def build(db: str, total: int) -> dict:
    with Store(db) as store:
        have = store.stats()["documents"]
        if have >= total:
            return {"built": False, "documents": have}
        started = time.perf_counter()
        originals = analysed_originals(ORIGINALS)
        analysed = time.perf_counter() - started
        rng = random.Random(7)
        for n in range(have, total):
            a = copy_of(originals[n % len(originals)], n, rng)
            store.add(a.article, line_keys=set(), claims=a.claims, entities=a.entities, dates=a.dates,
                      headline=a.headline)
            if n % 5000 == 0:
                print(f"{n} stored, {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
        return {"built": True, "documents": total, "originals": len(originals),
                "analyse_seconds": round(analysed, 1), "build_seconds": round(time.perf_counter() - started, 1)}


def targets(db: str) -> dict[str, list[str]]:
    """The URLs each kind of client asks, drawn from what the store holds."""
    from claimdesk.store import queries

    rng = random.Random(3)
    with Store(db) as store:
        line = queries.news_line(store, page_size=100).items
        # speakers drawn at random among the full names, as readers follow links to them;
        # the most quoted ones are measured apart (their pages summarise tens of thousands of claims)
        names = sorted({n for n in queries.distinct_speakers(store) if " " in n and n[0].isupper() and n == " ".join(n.split())})
        speakers = rng.sample(names, min(50, len(names)))
        top = [name for name, _ in queries.speakers(store, limit=5)]
        words = sorted({w for item in line for w in item.title.split() if w.isalpha() and len(w) > 4})
    from urllib.parse import quote

    return {
        "news line": [f"/?page={p}" for p in range(1, 6)],
        "article": [f"/articles/{item.id}" for item in line],
        "speaker": [f"/speakers/{quote(name, safe='')}" for name in speakers],
        "speaker (5 most quoted)": [f"/speakers/{quote(name, safe='')}" for name in top],
        "search": [f"/?q={quote(w)}" for w in rng.sample(words, min(40, len(words)))],
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def load(base: str, urls: list[str], seconds: float, clients: int) -> dict:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds

    async def client(i: int) -> None:
        nonlocal errors
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            k = i
            while time.perf_counter() < deadline:
                url = urls[k % len(urls)]
                k += clients
                t = time.perf_counter()
                try:
                    response = await http.get(url)
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies.append((time.perf_counter() - t) * 1000)
                errors += not ok

    await asyncio.gather(*(client(i) for i in range(clients)))
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors,
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 1),
        "max_ms": round(latencies[-1], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(Path(tempfile.gettempdir()) / "claimdesk-web-bench.db"))
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--json", help="write the figures here as JSON")
    args = parser.parse_args()
    built = build(args.db, args.articles)
    print(built, file=sys.stderr)
    if args.build_only:
        return
    urls = targets(args.db)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "claimdesk.cli", "serve", "--db", args.db, "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(base + "/api/openapi.json", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.3)
        results = {}
        for kind, kind_urls in urls.items():
            asyncio.run(load(base, kind_urls, 2.0, 4))  # warm the caches
            results[kind] = asyncio.run(load(base, kind_urls, args.seconds, CLIENTS))
            print(kind, results[kind], file=sys.stderr)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # threads still busy with slow pages
            server.kill()
            server.wait()
    figures = {
        "articles": args.articles, "clients": CLIENTS, "seconds_per_kind": args.seconds,
        "target_p95_ms": TARGET_P95_MS, "results": results,
        "all_under_target": all(r["p95_ms"] < TARGET_P95_MS and r["errors"] == 0
                                for kind, r in results.items() if "most quoted" not in kind),
        "server": "claimdesk serve (uvicorn, one process), SQLite store",
        "load_average_at_end": round(os.getloadavg()[0], 1),
    }
    print(figures)
    if args.json:
        machine.save(args.json, figures)


if __name__ == "__main__":
    main()
