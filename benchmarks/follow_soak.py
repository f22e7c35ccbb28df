"""The poller's soak test (issue 19): 200 simulated sources on 10 hosts for a simulated day.

    python benchmarks/follow_soak.py --json benchmarks/results/follow_soak.json

Ten web servers on 127.0.0.1 ... 127.0.0.10 (tests/follow_site.py) serve 20 RSS feeds each,
with ETags and 304s, and every entry's page. Each source publishes at its own rate, drawn
from a mix meant to look like a real list of outlets (wires, busy sites, regular sites,
slow sites, quiet blogs), more by day than by night, as a Poisson process. Time is
simulated: the real poller (``follow.Poller``, its store a fresh SQLite file, analysis off:
this measures polling, not NLP) runs against a clock that jumps from one due poll to the
next, so a day takes minutes. The servers read the same clock, so a feed lists the entries
published by then. The first simulated day warms up (the first polls read each feed's
backlog); the second is measured.

Measured: feed requests per source per day against fixed 10-minute polling (144), pages
fetched, the share of polls answered 304, the delay from an entry's publication to its
ingest (p50 / p95, by publishing rate), entries never ingested, the most requests any host
had in flight at once, and the process's peak memory. The politeness pause is 0.02 s of
real time here (1 s by default): it changes nothing simulated, only how long the run takes;
one-request-at-a-time per host is the real gate, checked by the servers. The simulated
clock jumps to the next due poll, but at least 30 s at a time (so each due poll may start up
to 30 s late: the delays reported are that much pessimistic); after the measured day it runs
one more day, not counted, so that entries published late in the day get their ingest time.
"""

from __future__ import annotations

import argparse
import email.utils
import hashlib
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

from follow_site import Site  # noqa: E402
from machine import describe  # noqa: E402

from claimdesk.follow import schedule  # noqa: E402
from claimdesk.follow.manage import add_source  # noqa: E402
from claimdesk.follow.poller import Poller, Settings  # noqa: E402
from claimdesk.store import Store  # noqa: E402
from claimdesk.store import sources as state  # noqa: E402

DAY, HOUR = 86400, 3600
START = 1_765_000_000.0  # the simulated clock's start (Dec 2025), midnight-aligned below
FEED_LENGTH = 20
FIXED_POLLS = DAY // 600  # fixed 10-minute polling: 144 requests a day
# (class, share of sources, entries a day: low, high)
MIX = (("wire", 0.03, 72, 192), ("busy", 0.10, 24, 72), ("regular", 0.32, 4, 16), ("slow", 0.30, 1, 3),
       ("quiet", 0.25, 1 / 7, 4 / 7))
BACKLOG = 60 * DAY  # entries published before the run: what the feeds list at the first poll
STEP = 30.0  # the simulated clock moves at least this far between rounds
WORDS = ("council minister border convoy river bridge talks court budget harbour election ministry village agency "
         "report witness statement troops winter market water supply hospital parliament").split()


def daylight(t: float) -> float:
    """Publishing intensity by hour (UTC): 1.3 from 06 to 22, 0.4 at night (mean 1)."""
    hour = (t % DAY) / HOUR
    return 1.3 if 6 <= hour < 22 else 0.4


@dataclass
class Feed:
    number: int
    kind: str
    per_day: float
    times: list[float] = field(default_factory=list)  # publication times, ascending

    def published_by(self, now: float) -> list[int]:
        """Indexes of the entries published by ``now``, newest first, the feed's length at most."""
        import bisect

        last = bisect.bisect_right(self.times, now)
        return list(range(last - 1, max(last - FEED_LENGTH, 0) - 1, -1))


def publications(rng: random.Random, per_day: float, start: float, end: float) -> list[float]:
    """A Poisson process of ``per_day`` a day on average, shaped by ``daylight`` (thinning)."""
    rate = per_day / DAY * 1.3  # the peak intensity
    times, t = [], start
    while True:
        t += rng.expovariate(rate)
        if t >= end:
            return times
        if rng.random() < daylight(t) / 1.3:
            times.append(t)


def make_feeds(seed: int, count: int, start: float, end: float) -> list[Feed]:
    rng = random.Random(seed)
    feeds = []
    for n in range(count):
        pick, total = rng.random(), 0.0
        for kind, share, low, high in MIX:
            total += share
            if pick < total or kind == MIX[-1][0]:
                break
        per_day = rng.uniform(low, high)
        feeds.append(Feed(n, kind, per_day, publications(rng, per_day, start - BACKLOG, end)))
    return feeds


def page(feed: Feed, k: int) -> bytes:
    rng = random.Random(feed.number * 1_000_003 + k)
    text = "".join(f"<p>{' '.join(rng.choice(WORDS) for _ in range(14)).capitalize()}.</p>" for _ in range(5))
    return (f"<!doctype html><html lang='en'><head><title>Story {feed.number}-{k}</title></head><body><article>"
            f"<h1>Story {feed.number}-{k}</h1>{text}</article></body></html>").encode()


def install(site: Site, feed: Feed, clock) -> None:
    """The feed's routes on its host: /s{n}/feed and /s{n}/{k}."""
    prefix = f"/s{feed.number}"

    def rss(request):
        shown = feed.published_by(clock.now)
        if not shown:
            return 200, {"Content-Type": "application/rss+xml"}, b'<rss version="2.0"><channel><title>x</title></channel></rss>'
        tag = '"' + hashlib.sha256(f"{feed.number}:{shown[0]}".encode()).hexdigest()[:16] + '"'
        headers = {"Content-Type": "application/rss+xml", "ETag": tag,
                   "Last-Modified": email.utils.formatdate(feed.times[shown[0]], usegmt=True)}
        if request.headers.get("If-None-Match") == tag:
            return 304, headers, b""
        items = "".join(f"<item><title>Story {feed.number}-{k}</title><link>{site.base}{prefix}/{k}</link>"
                        f"<pubDate>{email.utils.formatdate(feed.times[k], usegmt=True)}</pubDate>"
                        f"<description>Teaser {k}.</description></item>" for k in shown)
        return 200, headers, (f'<rss version="2.0"><channel><title>Source {feed.number}</title>{items}'
                              f"</channel></rss>").encode()

    def article(request):
        k = int(request.path.rsplit("/", 1)[1])
        return 200, {"Content-Type": "text/html; charset=utf-8"}, page(feed, k)

    site.routes[prefix + "/feed"] = rss
    for k in range(len(feed.times)):
        site.routes[f"{prefix}/{k}"] = article


class SimClock:
    def __init__(self, now: float):
        self.now = now

    def time(self) -> float:
        return self.now


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sources", type=int, default=200)
    parser.add_argument("--hosts", type=int, default=10)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--min-delay", type=float, default=0.02)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        os.environ.pop(var, None)

    machine = describe()  # the load at the start
    start = START - START % DAY  # midnight UTC
    warm_end, end = start + DAY, start + 2 * DAY  # the measured day
    drained = end + DAY  # polling goes on a day more (not counted), so late entries get their ingest time
    feeds = make_feeds(args.seed, args.sources, start, drained)
    clock = SimClock(start)
    sites = [Site(f"127.0.0.{h + 1}") for h in range(args.hosts)]
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    cpu_started = time.process_time()
    with tempfile.TemporaryDirectory() as tmp, Store(str(Path(tmp) / "soak.db")) as store:
        urls = {}
        for feed in feeds:
            site = sites[feed.number % args.hosts]
            install(site, feed, clock)
            source = add_source(store, f"{site.base}/s{feed.number}/feed", name=f"s{feed.number}", now=start)
            urls[source.pk] = feed
        poller = Poller(store, Settings(contact="https://claimdesk.example/soak", min_delay=args.min_delay,
                                        analyze=False, workers=8), clock=clock.time)
        rounds = 0
        measured_from = {id(s): 0 for s in sites}
        measured_to = dict(measured_from)
        while clock.now < drained:
            poller.run_once()
            rounds += 1
            for s in sites:
                if clock.now < warm_end:
                    measured_from[id(s)] = len(s.requests)
                if clock.now < end:
                    measured_to[id(s)] = len(s.requests)
            due = state.next_due(store)
            clock.now = min(max(due if due is not None else drained, clock.now + STEP), drained)
        poller.close()
        wall, cpu = time.monotonic() - started, time.process_time() - cpu_started

        # -- what was requested in the measured day -----------------------------------------
        polls = {f.number: 0 for f in feeds}
        answered_304 = pages = 0
        for s in sites:
            for request in s.requests[measured_from[id(s)]:measured_to[id(s)]]:
                parts = request.path.split("/")
                if request.path.endswith("/feed"):
                    polls[int(parts[1][1:])] += 1
                    answered_304 += request.status == 304
                elif len(parts) == 3 and parts[2].isdigit():
                    pages += 1
        not_modified = answered_304 / max(sum(polls.values()), 1)

        # -- delays: entries published in the measured day --------------------------------------
        delays: dict[str, list[float]] = {}
        hourly_or_more: list[float] = []
        missed = 0
        seen_at: dict[tuple[int, int], float] = {}
        for pk, feed in urls.items():
            for url, _published, seen, status, _doc in state.items_of(store, pk, limit=100_000):
                k = int(url.rsplit("/", 1)[1])
                seen_at[(feed.number, k)] = state.seconds(seen)
        for feed in feeds:
            for k, t in enumerate(feed.times):
                if not warm_end <= t < end:
                    continue
                got = seen_at.get((feed.number, k))
                if got is None:
                    missed += 1
                    continue
                delays.setdefault(feed.kind, []).append(got - t)
                if feed.per_day >= 24:
                    hourly_or_more.append(got - t)
        rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        in_flight = max(s.most_in_flight for s in sites)

    per_source = statistics.mean(polls.values())
    by_kind = {}
    for kind, *_ in MIX:
        members = [f for f in feeds if f.kind == kind]
        if not members:
            continue
        found = delays.get(kind, [])
        by_kind[kind] = {
            "sources": len(members),
            "entries_per_day": round(statistics.mean(f.per_day for f in members), 2),
            "polls_per_day": round(statistics.mean(polls[f.number] for f in members), 1),
            "delay_p50_min": round(percentile(found, 0.5) / 60, 1) if found else None,
            "delay_p95_min": round(percentile(found, 0.95) / 60, 1) if found else None,
            "entries": len(found),
        }
    result = {
        "sources": args.sources, "hosts": args.hosts, "seed": args.seed, "min_delay_s": args.min_delay,
        "polls_per_source_day": round(per_source, 2),
        "fixed_polls_per_source_day": FIXED_POLLS,
        "fewer_requests_x": round(FIXED_POLLS / per_source, 2),
        "pages_per_source_day": round(pages / args.sources, 2),
        "total_requests_x": round((FIXED_POLLS + pages / args.sources) / (per_source + pages / args.sources), 2),
        "share_304": round(not_modified, 3),
        "delay_p50_min_hourly_or_more": round(percentile(hourly_or_more, 0.5) / 60, 1),
        "delay_p95_min_hourly_or_more": round(percentile(hourly_or_more, 0.95) / 60, 1),
        "entries_hourly_or_more": len(hourly_or_more),
        "missed_entries": missed,
        "most_in_flight_per_host": in_flight,
        "by_kind": by_kind,
        "peak_rss_mib": round(rss_peak / 1024, 1),
        "rss_growth_mib": round((rss_peak - rss_before) / 1024, 1),
        "rounds": rounds,
        "wall_s": round(wall, 1),
        "cpu_s": round(cpu, 1),
        "machine": machine,
    }
    for s in sites:
        s.close()
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")


if __name__ == "__main__":
    main()
