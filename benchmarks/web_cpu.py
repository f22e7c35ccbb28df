"""Figure: CPU per uncached web desk page, in process, one request at a time.

web_latency.py measures latency under 16 clients on 2 shared cores, where a page's p95
follows from what each request costs the CPU (about 4-5 ms per request or less keeps
p95 under 100 ms there) and from whatever else the machine runs. This script measures
that cost alone: the desk app (as ``claimdesk serve`` builds it: warmed, heap frozen,
no page kept) is called over ASGI in this process, single threaded, for web_latency's
URL sets (same store, same draw), and the CPU time (``time.process_time``: every thread
of the process, so rendering in the thread pool counts) of each request is taken.

Each URL is asked ``--rounds`` times; ``best_ms`` is the mean over URLs of each URL's
least CPU time (what a page costs when the machine leaves it alone), ``mean_ms`` and
``p95_ms`` over every request. The figures move with the load on a shared machine:
compare runs made one after the other.

    python benchmarks/web_cpu.py [--db PATH] [--rounds 3] [--kinds news,article] [--json out.json]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote

os.environ["CLAIMDESK_PAGE_CACHE"] = "0"  # every request renders its page

import machine  # noqa: E402
from web_latency import targets  # noqa: E402

from claimdesk.store import Store  # noqa: E402
from claimdesk.web.app import create_app, settle_heap  # noqa: E402


async def _get(app, url: str) -> int:
    """One GET through the whole ASGI app (middleware, routing, the page); its status."""
    path, _, query = url.partition("?")
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": unquote(path), "raw_path": path.encode(), "query_string": query.encode(), "root_path": "",
             "headers": [(b"host", b"127.0.0.1")], "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}
    status = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            status.append(message["status"])

    await app(scope, receive, send)
    return status[0]


async def measure(app, urls: dict[str, list[str]], rounds: int) -> dict:
    results = {}
    for kind, kind_urls in urls.items():
        for url in kind_urls[:3]:  # the kind's statements compiled once
            await _get(app, url)
        spent: dict[str, list[float]] = {url: [] for url in kind_urls}
        errors = 0
        for _ in range(rounds):
            for url in kind_urls:
                started = time.process_time()
                errors += await _get(app, url) != 200
                spent[url].append((time.process_time() - started) * 1000)
        every = sorted(ms for times in spent.values() for ms in times)
        results[kind] = {
            "requests": len(every), "errors": errors,
            "best_ms": round(statistics.mean(min(times) for times in spent.values()), 2),
            "mean_ms": round(statistics.mean(every), 2),
            "p95_ms": round(every[int(0.95 * (len(every) - 1))], 2),
        }
        print(kind, results[kind], file=sys.stderr, flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(Path(tempfile.gettempdir()) / "claimdesk-web-bench.db"),
                        help="a store built by web_latency.py (--build-only)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--kinds", help="comma-separated kinds (prefixes: news,article,speaker,search)")
    parser.add_argument("--json", help="write the figures here as JSON")
    args = parser.parse_args()
    if not Path(args.db).exists():
        sys.exit(f"no store at {args.db}: build it with web_latency.py --build-only")
    urls = targets(args.db, random.Random(3))  # web_latency's draw
    if args.kinds:
        urls = {kind: urls[kind] for kind in urls if any(kind.startswith(k) for k in args.kinds.split(","))}
    load_at_start = [round(x, 1) for x in os.getloadavg()]
    with Store(args.db) as store:
        app = create_app(store)
        settle_heap(app)  # as claimdesk serve does
        results = asyncio.run(measure(app, urls, args.rounds))
    figures = {"results": results, "rounds": args.rounds, "target_ms": 4.0,
               "load_average_at_start": load_at_start, "load_average_at_end": round(os.getloadavg()[0], 1),
               "note": "CPU time per request, in process, one at a time, no page cache; best_ms: mean over URLs "
                       "of each URL's least CPU time over the rounds"}
    print(figures)
    if args.json:
        machine.save(args.json, figures)


if __name__ == "__main__":
    main()
