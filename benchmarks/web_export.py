"""Figure: the desk's CSV export of claims on the 100,000-article store of web_latency.py:
how long a download of 1,000, 10,000 and 100,000 claims takes, and how much the server's
memory grows while it streams (it must not grow with the size of the export).

The server: ``claimdesk serve`` (one process, so its resident memory is the export's) on
loopback, page cache off. The client: httpx, streaming ``/export/claims.csv?limit=N`` to
the end (the first N claims of the news line, newest articles first), REPEATS times per
size. While each download runs, a thread samples the server's anonymous resident memory
(RssAnon; the database file is memory-mapped, so pages of it read count apart, RssFile)
from /proc every 5 ms; growth = the highest sample minus the one just before the request.
The first repeat runs on a server just started (cold). The anchor,
measured in the same run between the downloads: one news line page (``/?page=1``), the
desk's most common request, so that the export's time can be read as "so many news line
pages" on a machine whose load changes from minute to minute.

    python benchmarks/web_export.py [--db PATH] [--articles 100000] [--json out.json]

The store: web_latency.py's (its builder stores every article through ``Store.add``,
about half an hour on a quiet machine). On a busy one, ``--copies-from N`` builds it
faster: the first N articles are stored by that builder, and the rest are SQL copies of
them (documents, claims and headline checks, each copy with its own id, URL and date;
no entities, person counts or search index, which an export does not read). Either way,
REVIEWS claims get a published review (the verdict column has something to join) and
one claim in a hundred is marked "not a claim" (left out of every export).
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from datetime import date, timedelta

import httpx

import machine
from web_latency import build, free_port

from claimdesk.store import Store

SIZES = (1_000, 10_000, 100_000)
REPEATS = 3
ANCHOR_REQUESTS = 20
FLAT_MIB = 8.0  # a batch of claims and the chunks in flight; the whole of 100,000 claims' CSV is some 60 MiB


REVIEWS = 1000


def copy_up_to(db: str, total: int) -> dict:
    """Fill the store to ``total`` articles with SQL copies of the articles it holds."""
    import random

    from sqlalchemy import func, insert, select, text

    from claimdesk.store.schema import claims, documents, headline_checks

    started = time.perf_counter()
    rng = random.Random(11)
    with Store(db) as store, store.engine.begin() as connection:
        have = connection.scalar(select(func.count()).select_from(documents))
        if have < total:  # else the store is full already
            originals = connection.execute(select(documents).order_by(documents.c.pk)).mappings().all()
            claim_columns = [c.name for c in claims.columns if c.name != "doc_pk"]
            check_columns = [c.name for c in headline_checks.columns if c.name != "doc_pk"]
            for n in range(have, total):
                source = originals[n % len(originals)]
                published = (date(2015, 1, 1) + timedelta(days=rng.randrange(3653))).isoformat()
                row = {**{k: v for k, v in source.items() if k != "pk"}, "id": f"{rng.getrandbits(256):064x}",
                       "url": f"https://bench.example/copy/{n}", "published": published, "version": 1, "group_pk": None}
                pk = connection.execute(insert(documents).returning(documents.c.pk), row).scalar_one()
                for table, columns in ((claims, claim_columns), (headline_checks, check_columns)):
                    connection.execute(text(
                        f"INSERT INTO {table.name} (doc_pk, {', '.join(columns)}) "
                        f"SELECT :pk, {', '.join(columns)} FROM {table.name} WHERE doc_pk = :source"),
                        {"pk": pk, "source": source["pk"]})
                if n % 10_000 == 0:
                    print(f"{n} articles, {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
        copies = connection.scalar(select(func.count()).where(documents.c.url.like("https://bench.example/copy/%")))
    return {"stored_by_builder": max(total, have) - copies, "copied": copies,
            "copy_seconds_this_run": round(time.perf_counter() - started, 1)}


def reviews_and_rejections(db: str) -> dict:
    """REVIEWS published reviews on claims at random, and one claim in a hundred "not a claim"."""
    import random

    from sqlalchemy import func, select, update

    from claimdesk.store import reviews as desk
    from claimdesk.store.schema import claims, documents, review_publications

    rng = random.Random(5)
    with Store(db) as store:
        with store._reading() as connection:
            if connection.scalar(select(func.count()).select_from(review_publications)) >= REVIEWS:
                return {"reviews": REVIEWS}
            keys = connection.execute(select(documents.c.id, claims.c.seq).join(documents, documents.c.pk == claims.c.doc_pk)
                                      .order_by(func.random()).limit(REVIEWS)).all()
        if "bench-editor" not in {u.name for u in desk.list_users(store)}:
            desk.add_user(store, "bench-editor", "x", "editor")
        for article_id, seq in keys:
            key = desk.claim_key(article_id, seq)
            desk.add_review(store, key, rating=rng.choice(["True", "False", "Misleading"]), rationale="bench",
                            reviewer="bench-editor")
            desk.publish(store, key, editor="bench-editor")
        with store.engine.begin() as connection:
            rejected = connection.execute(update(claims).where((claims.c.doc_pk + claims.c.seq) % 100 == 7)
                                          .values(rejected_pk=-1)).rowcount
    return {"reviews": len(keys), "rejected": rejected}


def rss_kib(pid: int) -> tuple[int, int]:
    """(anonymous, file-backed) resident KiB of ``pid``: the store maps the database file
    (store.py's mmap_size), so pages of it an export reads count as resident too; they
    are the file in the OS's cache, not memory the export holds."""
    with open(f"/proc/{pid}/status") as status:
        fields = dict(line.split(":", 1) for line in status)
    return int(fields["RssAnon"].split()[0]), int(fields["RssFile"].split()[0])


class Sampler(threading.Thread):
    """The highest resident memory of ``pid`` (anonymous, file-backed) seen while running."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, rss_kib(pid), threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            anon, file = rss_kib(self.pid)
            self.peak = (max(self.peak[0], anon), max(self.peak[1], file))
            time.sleep(0.005)


def download(http: httpx.Client, pid: int, size: int) -> dict:
    """One export of ``size`` claims: wall time, bytes, rows and the server's memory growth."""
    before = rss_kib(pid)
    sampler = Sampler(pid)
    sampler.start()
    started = time.perf_counter()
    size_bytes, lines, last = 0, 0, b""
    with http.stream("GET", "/export/claims.csv", params={"limit": size}) as response:
        response.raise_for_status()
        for chunk in response.iter_bytes():
            size_bytes += len(chunk)
            lines += (last + chunk[:1] == b"\r\n") + chunk.count(b"\r\n")  # a line end split between chunks too
            last = chunk[-1:]
    seconds = time.perf_counter() - started
    sampler.done.set()
    sampler.join()
    return {"seconds": round(seconds, 3), "bytes": size_bytes, "lines": lines,
            "anon_before_mib": round(before[0] / 1024, 1), "rss_growth_mib": round((sampler.peak[0] - before[0]) / 1024, 1),
            "file_growth_mib": round((sampler.peak[1] - before[1]) / 1024, 1)}


def anchor(http: httpx.Client) -> float:
    """Median milliseconds of the news line's first page (rendered: the page cache is off)."""
    times = []
    for _ in range(ANCHOR_REQUESTS):
        started = time.perf_counter()
        http.get("/?page=1").raise_for_status()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="/tmp/claimdesk-web-bench.db")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--json", help="write the figures here as JSON")
    parser.add_argument("--copies-from", type=int, help="store this many by the builder, copy the rest in SQL")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="claims per export, comma-separated")
    args = parser.parse_args()
    load_at_start = [round(x, 1) for x in os.getloadavg()]
    built = build(args.db, args.copies_from or args.articles)
    if args.copies_from:
        built.update(copy_up_to(args.db, args.articles))
    built.update(reviews_and_rejections(args.db))
    port = free_port()
    env = {**os.environ, "CLAIMDESK_PAGE_CACHE": "0"}
    server = subprocess.Popen([sys.executable, "-m", "claimdesk.cli", "serve", "--db", args.db, "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True, env=env)
    base = f"http://127.0.0.1:{port}"
    sizes = [int(x) for x in args.sizes.split(",")]
    runs: dict[str, list[dict]] = {str(size): [] for size in sizes}
    anchors: list[float] = []
    try:
        with httpx.Client(base_url=base, timeout=600) as http:
            for _ in range(300):
                try:
                    http.get("/api/openapi.json")
                    break
                except httpx.HTTPError:
                    time.sleep(0.3)
            http.get("/export/claims.csv", params={"limit": 100}).raise_for_status()  # warm: modules, statements
            for repeat in range(REPEATS):
                anchors.append(anchor(http))
                for size in sizes:
                    result = download(http, server.pid, size)
                    runs[str(size)].append(result)
                    print(f"repeat {repeat + 1}: {size} claims {result}", file=sys.stderr, flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    anchor_ms = statistics.median(anchors)
    summary = {}
    for size, results in runs.items():
        seconds = statistics.median(r["seconds"] for r in results)
        summary[size] = {
            "median_seconds": seconds,
            "claims_per_second": round(int(size) / seconds),
            "news_line_pages": round(seconds * 1000 / anchor_ms, 1),
            "rows": results[0]["lines"] - 1,
            "mib": round(results[0]["bytes"] / 2**20, 2),
            "rss_growth_mib_max": max(r["rss_growth_mib"] for r in results),
            "rss_growth_mib_median": statistics.median(r["rss_growth_mib"] for r in results),
            "rss_growth_mib_cold": results[0]["rss_growth_mib"],
            "file_growth_mib_cold": results[0]["file_growth_mib"],
        }
    smallest = summary[str(sizes[0])]["rss_growth_mib_median"]
    figures = {
        "articles": args.articles, "store": built, "sizes": sizes, "repeats": REPEATS,
        "anchor_news_line_ms": anchor_ms, "anchor_runs_ms": anchors, "summary": summary, "runs": runs,
        # flat: no larger export makes the server grow more than FLAT_MIB beyond what the smallest did (medians)
        "memory_flat": all(s["rss_growth_mib_median"] <= smallest + FLAT_MIB for s in summary.values()),
        "flat_mib": FLAT_MIB,
        "server": "claimdesk serve (one uvicorn process), SQLite store, page cache off",
        "load_average_at_start": load_at_start, "load_average_at_end": round(os.getloadavg()[0], 1),
        "note": ("median of the repeats; news_line_pages: the export's time in news line pages rendered in the same "
                 "run (the anchor); rss growth: peak anonymous resident memory (RssAnon) of the server during the "
                 "download minus just before it, sampled every 5 ms; cold: the first repeat, on a server just started, "
                 "which fills SQLite's page cache (64 MiB per connection at most) and maps the pages of the database "
                 "file it reads (file growth: RssFile)"),
    }
    print(figures)
    if args.json:
        machine.save(args.json, figures)


if __name__ == "__main__":
    main()
