"""Figure: web desk latency on a store of 100,000 articles, under 16 concurrent clients.

The store: real news texts (the PolNeAR articles in their publishers' chrome and Zyte
page dumps, as in ingest_throughput.py) read, cleaned and analysed by claimdesk once;
then each analysed article is stored again and again with a distinct id (a line
"copy N" appended to its text, so every offset stays valid), its own URL, one of 40
outlets and a publication date spread over ten years, until the store holds 100,000
articles. Copies of one text are near-duplicates of each other, as syndicated
copies are.

The load: ``claimdesk serve --workers 2`` on loopback; 16 keep-alive connections from
wrk (or asyncio httpx clients when wrk is missing), each kind of page in turn asked as
fast as they can for a fixed time: the news line (pages 1-5), articles (200 at random),
speakers (60 drawn by their number of claims, and the 5 most quoted apart), searches
(40 title words). p50 and p95 latency and the error count per kind; the target is p95
under 100 ms, no errors. Twice: with no page kept (every request renders), and with
the page cache readers who are not signed in get (from a cold start). Before the load,
one client alone gives the reference latency of each kind.

    python benchmarks/web_latency.py [--db PATH] [--articles 100000] [--seconds 20] [--workers 2] [--json out.json]

The store is built once at --db (default: a file under /tmp) and reused when it
already holds the asked number of articles.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
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


def targets(db: str, rng: random.Random) -> dict[str, list[str]]:
    """The URLs each kind of client asks, drawn from what the store holds.

    Articles: 200 at random over the whole news line (not its first page). Speakers: 60
    drawn with probability proportional to their number of claims, as readers follow
    links from claims (so the most quoted come up most; names seen in one claim rarely),
    and the 5 most quoted apart. Searches: 40 words of titles at random, common and rare.
    """
    from urllib.parse import quote

    from claimdesk.store import queries

    with Store(db) as store:
        total = store.stats()["documents"]
        pages = rng.sample(range(1, total // 100 + 1), 20)
        line = [item for p in pages for item in rng.sample(queries.news_line(store, page=p, page_size=100).items, 10)]
        counted = [(n, k) for n, k in queries.speakers(store, limit=2000)
                   if " " in n and n[0].isupper() and n == " ".join(n.split())]
        speakers = rng.choices([n for n, _ in counted], weights=[k for _, k in counted], k=60)
        top = [name for name, _ in queries.speakers(store, limit=5)]
        words = sorted({w for item in line for w in item.title.split() if w.isalpha() and len(w) > 4})
    return {
        "news line": [f"/?page={p}" for p in range(1, 6)],
        "article": [f"/articles/{item.id}" for item in line],
        "speaker (weighted by claims)": [f"/speakers/{quote(name, safe='')}" for name in speakers],
        "speaker (5 most quoted)": [f"/speakers/{quote(name, safe='')}" for name in top],
        "search": [f"/?q={quote(w)}" for w in rng.sample(words, min(40, len(words)))],
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def load(base: str, urls: list[str], seconds: float, clients: int, headers: dict | None = None) -> dict:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds

    async def client(i: int) -> None:
        nonlocal errors
        async with httpx.AsyncClient(base_url=base, timeout=30, headers=headers) as http:
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
    return summarise(latencies, errors)


_WRK_SCRIPT = r"""
local urls = {}
for line in io.lines(os.getenv("CLAIMDESK_WRK_URLS")) do urls[#urls + 1] = line end
local counter = 1
function setup(thread) thread:set("id", counter); counter = counter + 1 end
function init(args) i = id * 7 end
function request() i = i + 1; return wrk.format("GET", urls[(i % #urls) + 1]) end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('RESULT {"requests": %d, "errors": %d, "p50_ms": %.1f, "p95_ms": %.1f, "max_ms": %.1f, '
    .. '"status_errors": %d, "socket_errors": %d}\n', summary.requests, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency.max / 1000, e.status,
    e.connect + e.read + e.write + e.timeout))
end
"""


def load_wrk(base: str, urls: list[str], seconds: float, clients: int, headers: dict | None = None) -> dict:
    """The load from wrk (C, 2 threads, ``clients`` keep-alive connections, each asking the
    URLs in turn): the loading tool takes little of the 2 cores the server runs on."""
    with tempfile.TemporaryDirectory() as tmp:
        script, listed = Path(tmp) / "load.lua", Path(tmp) / "urls.txt"
        script.write_text(_WRK_SCRIPT)
        listed.write_text("\n".join(urls) + "\n")
        sent = [arg for name, value in (headers or {}).items() for arg in ("-H", f"{name}: {value}")]
        done = subprocess.run(["wrk", "-t2", f"-c{clients}", f"-d{seconds:.0f}s", "--timeout", "30s", *sent, "-s", str(script), base],
                              capture_output=True, text=True, env={**os.environ, "CLAIMDESK_WRK_URLS": str(listed)}, check=True)
    line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def summarise(latencies: list[float], errors: int) -> dict:
    latencies = sorted(latencies)
    return {
        "requests": len(latencies),
        "errors": errors,
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 1),
        "max_ms": round(latencies[-1], 1),
    }


def one_client(base: str, urls: list[str], seconds: float, headers: dict | None = None) -> dict:
    """One client alone, each URL in turn: the reference for what a request costs unloaded.
    The first pass meets every URL for the first time (cold: e.g. a speaker's summary not
    yet computed by that worker); its slowest request is reported as ``first_pass_max_ms``."""
    latencies, errors, first = [], 0, []
    deadline = time.perf_counter() + seconds
    with httpx.Client(base_url=base, timeout=60, headers=headers) as http:
        k = 0
        while time.perf_counter() < deadline or k < len(urls):
            t = time.perf_counter()
            try:
                ok = http.get(urls[k % len(urls)]).status_code == 200
            except httpx.HTTPError:
                ok = False
            ms = (time.perf_counter() - t) * 1000
            (first if k < len(urls) else latencies).append(ms)
            errors += not ok
            k += 1
    return {**summarise(latencies or first, errors), "first_pass_max_ms": round(max(first), 1)}


@contextmanager
def served(db: str, workers: int, env: dict | None = None) -> Iterator[str]:
    """``claimdesk serve --workers N`` over ``db`` on a free loopback port, until the block
    ends: yields its base URL once it answers."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "claimdesk.cli", "serve", "--db", db, "--port", str(port),
                               "--workers", str(workers)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
                              env={**os.environ, **(env or {})})
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(base + "/api/openapi.json", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.3)
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # uvicorn's supervisor and its workers
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # workers still busy with slow pages
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def measure(args, urls: dict[str, list[str]], use_wrk: bool, *, page_cache: bool, single: bool = True) -> dict:
    """Serve the store (``claimdesk serve --workers N``) and load it, kind by kind: one
    client alone first (when ``single``), then 16. ``page_cache`` False: the server keeps
    no rendered page ($CLAIMDESK_PAGE_CACHE=0), every request renders its page."""
    label = "cached" if page_cache else "no page cache"
    with served(args.db, args.workers, {"CLAIMDESK_PAGE_CACHE": "1" if page_cache else "0"}) as base:
        singles, results, load_before = {}, {}, {}
        if single:
            for kind, kind_urls in urls.items():
                singles[kind] = one_client(base, kind_urls, args.single_seconds)
                print(f"{label}, 1 client:", kind, singles[kind], file=sys.stderr)
        for kind, kind_urls in urls.items():
            load_before[kind] = round(os.getloadavg()[0], 1)
            if use_wrk:
                results[kind] = load_wrk(base, kind_urls, args.seconds, CLIENTS)
            else:
                results[kind] = asyncio.run(load(base, kind_urls, args.seconds, CLIENTS))
            print(f"{label}, {CLIENTS} clients:", kind, results[kind], file=sys.stderr)
    return {"results": results, "single": singles, "load_before": load_before}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(Path(tempfile.gettempdir()) / "claimdesk-web-bench.db"))
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--single-seconds", type=float, default=5.0, help="per kind, one client alone (the reference)")
    parser.add_argument("--workers", type=int, default=2, help="claimdesk serve --workers")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--json", help="write the figures here as JSON")
    parser.add_argument("--kinds", help="comma-separated kinds (prefixes: news,article,speaker,search) for iterations")
    parser.add_argument("--no-cached", action="store_true", help="iterations: skip the page cache run")
    parser.add_argument("--no-uncached", action="store_true", help="iterations: skip the run without the page cache")
    parser.add_argument("--python-load", action="store_true", help="load with asyncio httpx clients even when wrk is installed")
    args = parser.parse_args()
    use_wrk = shutil.which("wrk") is not None and not args.python_load
    load_at_start = [round(x, 1) for x in os.getloadavg()]
    built = build(args.db, args.articles)
    print(built, file=sys.stderr)
    if args.build_only:
        return
    urls = targets(args.db, random.Random(3))
    if args.kinds:  # iterations on some kinds only (the URL sets are drawn as always)
        urls = {kind: urls[kind] for kind in urls if any(kind.startswith(k) for k in args.kinds.split(","))}
    uncached = ({"results": {}, "single": {}, "load_before": {}} if args.no_uncached else
                measure(args, urls, use_wrk, page_cache=False))
    cached = ({"results": {}, "load_before": {}} if args.no_cached else
              measure(args, urls, use_wrk, page_cache=True, single=False))  # starts cold: first renders count
    results, single, load_before = uncached["results"], uncached["single"], uncached["load_before"]
    figures = {
        "articles": args.articles, "clients": CLIENTS, "seconds_per_kind": args.seconds,
        "target_p95_ms": TARGET_P95_MS, "results": results, "single_client": single,
        "all_under_target": all(r["p95_ms"] < TARGET_P95_MS and r["errors"] == 0 for r in results.values()),
        "results_with_page_cache": cached["results"],
        "all_under_target_with_page_cache": all(r["p95_ms"] < TARGET_P95_MS and r["errors"] == 0
                                                for r in cached["results"].values()),
        "load_average_before_each_kind_with_page_cache": cached["load_before"],
        "server": f"claimdesk serve --workers {args.workers} (uvicorn), SQLite store",
        "load_tool": (f"wrk -t2 -c{CLIENTS} (keep-alive connections, each asking its kind's URLs in turn)" if use_wrk
                      else f"{CLIENTS} asyncio httpx clients"),
        "load_average_at_start": load_at_start,
        "load_average_before_each_kind": load_before,
        "load_average_at_end": round(os.getloadavg()[0], 1),
        "note": ("2 cores shared with other agents' jobs; the load tool runs on them too. results: no page kept, "
                 "every request renders its page. results_with_page_cache: pages kept for readers not signed in "
                 "until the store changes (web/pagecache.py), from a cold start; the URL sets are small (5 news "
                 "line pages, 200 articles, 60 speakers, 40 searches), so most requests are served from it. "
                 "single_client: one httpx client alone, no page cache, the reference; first_pass_max_ms is "
                 "the slowest page seen for the first time."),
    }
    print(figures)
    if args.json:
        machine.save(args.json, figures)


if __name__ == "__main__":
    main()
