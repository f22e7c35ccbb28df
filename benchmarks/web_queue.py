"""Figure: the review queue's latency on the 100,000-article store of web_latency.py, under
16 concurrent clients, for a signed-in reviewer (issue 18, figure 3).

The store is web_latency.py's (built there, or here when missing, by the same code: every
claim scored for check-worthiness by the analysis). A reviewer account is added to it,
``claimdesk serve --workers 2`` serves it on loopback, and one sign-in gives the session
cookie every client sends. The load, as web_latency.py's (wrk, 16 keep-alive connections,
each asking its kind's URLs in turn for a fixed time), on:

- the queue: pages 1-5 of the unreviewed claims, most check-worthy first;
- the queue narrowed by the news line's filters: 20 speakers drawn by their number of
  claims, 10 outlets, each hedge, a date range;
- "assigned to me" (200 claims assigned to the reviewer);
- the anchor, in the same run and with the same cookie: the news line, pages 1-5 (signed
  in, so never from the page cache: rendered for every request, as the queue is).

Target: the queue's p95 under 100 ms. One client alone first gives each kind's reference.

    python benchmarks/web_queue.py [--db PATH] [--articles 100000] [--seconds 20] [--json out.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

import httpx

import machine
from web_latency import CLIENTS, TARGET_P95_MS, build, load, load_wrk, one_client, served

from claimdesk import accounts
from claimdesk.store import Store, queries, reviews
from claimdesk.store import queue as work

REVIEWER, PASSWORD = "bench-reviewer", "a long benchmark passphrase"
ASSIGNED = 200


def prepare(db: str, rng: random.Random) -> dict[str, list[str]]:
    """The reviewer account, their assignments, and the URLs each kind of client asks."""
    with Store(db) as store:
        if REVIEWER not in {u.name for u in reviews.list_users(store)}:
            reviews.add_user(store, REVIEWER, accounts.hash_password(PASSWORD), "reviewer")
        if work.queue(store, assigned=REVIEWER, page_size=1).total < ASSIGNED:
            keys = [i.key for p in range(1, 5) for i in work.queue(store, page=p * 7, page_size=50).items][:ASSIGNED]
            work.assign(store, keys, REVIEWER, by=REVIEWER)
        counted = [(n, k) for n, k in queries.speakers(store, limit=500) if " " in n and n[0].isupper()]
        speakers = rng.sample(rng.choices([n for n, _ in counted], weights=[k for _, k in counted], k=200), 20)
        outlets = rng.sample(queries.outlets(store), 10)
        scored = work.queue(store, page_size=1).items
    assert scored and scored[0].check_worthiness is not None, "the store's claims have no check-worthiness scores"
    return {
        "queue": [f"/queue?page={p}" for p in range(1, 6)],
        "queue, filtered": ([f"/queue?speaker={quote(s)}" for s in speakers] + [f"/queue?outlet={quote(o)}" for o in outlets]
                            + [f"/queue?hedge={h}" for h in queries.HEDGES] + ["/queue?since=2019-01-01&until=2019-06-30"]),
        "assigned to me": ["/queue?view=mine", "/queue?view=mine&page=2"],
        "news line (anchor)": [f"/?page={p}" for p in range(1, 6)],
    }


def session_cookie(base: str) -> dict[str, str]:
    """Signs the reviewer in; the headers every client then sends."""
    with httpx.Client(base_url=base, timeout=30, follow_redirects=False) as http:
        form = http.get("/signin").text
        token = re.search(r'name="csrf_token" value="([^"]*)"', form).group(1)
        answer = http.post("/signin", data={"name": REVIEWER, "password": PASSWORD, "csrf_token": token, "next": "/queue"})
        assert answer.status_code == 303, answer.text[:300]
        cookie = "; ".join(f"{k}={v}" for k, v in http.cookies.items())
    with httpx.Client(base_url=base, timeout=30, headers={"Cookie": cookie}) as http:
        assert http.get("/queue").status_code == 200
    return {"Cookie": cookie}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(Path(tempfile.gettempdir()) / "claimdesk-web-bench.db"))
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--single-seconds", type=float, default=5.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json")
    args = parser.parse_args()
    use_wrk = shutil.which("wrk") is not None
    load_at_start = [round(x, 1) for x in os.getloadavg()]
    print(build(args.db, args.articles), file=sys.stderr)
    urls = prepare(args.db, random.Random(5))
    with Store(args.db) as store:
        claims = store.stats().get("claims")
    single, results, load_before = {}, {}, {}
    with served(args.db, args.workers) as base:
        headers = session_cookie(base)
        for kind, kind_urls in urls.items():
            single[kind] = one_client(base, kind_urls, args.single_seconds, headers)
            print("1 client:", kind, single[kind], file=sys.stderr)
        for kind, kind_urls in urls.items():
            load_before[kind] = round(os.getloadavg()[0], 1)
            results[kind] = (load_wrk(base, kind_urls, args.seconds, CLIENTS, headers) if use_wrk
                             else asyncio.run(load(base, kind_urls, args.seconds, CLIENTS, headers)))
            print(f"{CLIENTS} clients:", kind, results[kind], file=sys.stderr)
    anchor = results["news line (anchor)"]["p95_ms"]
    queue_kinds = [k for k in results if not k.startswith("news line")]
    figures = {
        "articles": args.articles, "claims": claims, "clients": CLIENTS, "seconds_per_kind": args.seconds,
        "target_p95_ms": TARGET_P95_MS, "results": results, "single_client": single,
        "p95_over_anchor": {k: round(results[k]["p95_ms"] / anchor, 2) for k in queue_kinds},
        "queue_under_target": all(results[k]["p95_ms"] < TARGET_P95_MS and results[k]["errors"] == 0 for k in queue_kinds),
        "load_before_each_kind": load_before, "load_at_start": load_at_start,
        "server": f"claimdesk serve --workers {args.workers} (uvicorn), SQLite store, a signed-in reviewer",
        "load_tool": f"wrk -t2 -c{CLIENTS}" if use_wrk else f"{CLIENTS} asyncio httpx clients",
        "machine": machine.describe(),
        "command": "python benchmarks/web_queue.py --json benchmarks/results/web_queue.json",
    }
    print(json.dumps(figures, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
