"""The poller against a local web site (tests/follow_site.py): what it requests, in what
order, with which headers, and what it stores. The clocks are the tests' own: nothing waits."""

from __future__ import annotations

import gzip
import threading
import time

import pytest
from follow_site import Clock, Site, article, prose, rss
from sqlalchemy import text

from claimdesk.follow import schedule
from claimdesk.follow.manage import add_source
from claimdesk.follow.poller import Poller, Settings
from claimdesk.store import Store
from claimdesk.store import sources as state

CONTACT = "https://desk.example/contact"
HOUR = 3600


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def site():
    opened = Site("127.0.0.1")
    yield opened
    opened.close()


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def store(tmp_path):
    with Store(str(tmp_path / "follow.db")) as opened:
        yield opened


def poller(store, clock, **settings) -> Poller:
    options = {"contact": CONTACT, "analyze": False, "workers": 2, **settings}
    return Poller(store, Settings(**options), clock=clock.time, monotonic=clock.monotonic, sleep=clock.sleep)


def wire(site: Site, clock: Clock, count: int, *, every: float = HOUR, first: int = 0) -> list[dict]:
    """``count`` entries published ``every`` seconds apart up to now, newest first, their pages served."""
    entries = []
    for n in range(first, first + count):
        path = f"/news/{n}"
        site.serve(path, article(f"Story {n}", prose(n)))
        entries.append({"title": f"Story {n}", "link": path, "description": f"Teaser {n}.",
                        "date": clock.now - (first + count - 1 - n) * every})
    return entries[::-1]


def documents(store) -> list[tuple[str, str, str]]:
    with store.engine.connect() as connection:
        return [tuple(r) for r in connection.execute(text("SELECT url, format, outlet FROM documents ORDER BY pk"))]


def test_a_feed_is_polled_its_pages_fetched_and_stored(store, site, clock):
    site.serve("/feed", rss("Local Wire", wire(site, clock, 3), site.base), "application/rss+xml")
    source = add_source(store, site.base + "/feed", name="Local Wire", now=clock.now)
    with poller(store, clock) as p:
        [report] = p.run_once()
    assert report.error is None and (report.status, report.entries, report.new, report.stored) == (200, 3, 3, 3)
    # the feed, robots.txt once for the site, then the pages oldest first
    assert site.paths() == ["/feed", "/robots.txt", "/news/0", "/news/1", "/news/2"]
    agents = {r.headers["user-agent"] for r in site.requests}
    assert agents == {f"claimdesk/0.1 (+{CONTACT}; follows news sources)"}
    stored = documents(store)
    assert [(u, f) for u, f, _ in stored] == [(site.base + f"/news/{n}", "html") for n in range(3)]
    polled = state.get(store, source.pk)
    assert polled.kind == "feed" and polled.last_status == 200 and polled.failures == 0 and polled.etag
    assert polled.lease_owner is None and polled.polls == 1
    # an entry an hour: polled every 24 minutes (0.4 of the time between entries)
    assert polled.interval == int(0.4 * HOUR)
    assert state.seconds(polled.next_poll_at) == pytest.approx(clock.now + polled.interval, abs=60)
    assert state.activity(store, clock.now)[source.pk].new == 3


def test_not_modified_costs_one_request_and_nothing_else(store, site, clock):
    site.serve("/feed", rss("Local Wire", wire(site, clock, 2), site.base), "application/rss+xml")
    source = add_source(store, site.base + "/feed", now=clock.now)
    with poller(store, clock) as p:
        p.run_once()
        site.clear()
        assert p.run_once() == []  # not due yet: nothing requested
        assert site.paths() == []
        clock.advance(HOUR)
        [report] = p.run_once()
    assert report.status == 304 and report.error is None
    assert site.paths() == ["/feed"]
    assert site.requests[0].headers["if-none-match"] == state.get(store, source.pk).etag
    polled = state.get(store, source.pk)
    assert polled.not_modified == 1 and polled.polls == 2 and len(documents(store)) == 2


def test_last_modified_is_sent_back_as_if_modified_since(store, site, clock):
    site.serve("/feed", rss("Dated", wire(site, clock, 1), site.base), "application/rss+xml", etag=False,
               last_modified=clock.now - 60)
    add_source(store, site.base + "/feed", now=clock.now)
    with poller(store, clock) as p:
        p.run_once()
        clock.advance(2 * schedule.DAY)
        site.clear()
        [report] = p.run_once()
    assert report.status == 304
    assert site.requests[0].headers["if-modified-since"].endswith("GMT") and "if-none-match" not in site.requests[0].headers


def test_only_new_entries_are_fetched(store, site, clock):
    entries = wire(site, clock, 2)
    site.serve("/feed", rss("Local Wire", entries, site.base), "application/rss+xml")
    add_source(store, site.base + "/feed", now=clock.now)
    with poller(store, clock) as p:
        p.run_once()
        clock.advance(HOUR)
        site.serve("/news/9", article("Story 9", prose(9)))
        newer = [{"title": "Story 9", "link": "/news/9", "description": "Teaser 9.", "date": clock.now}] + entries
        site.serve("/feed", rss("Local Wire", newer, site.base), "application/rss+xml")
        site.clear()
        [report] = p.run_once()
    assert (report.entries, report.new, report.stored) == (3, 1, 1)
    assert site.paths() == ["/feed", "/news/9"]  # robots.txt is kept a day


def test_entries_without_links_are_stored_from_the_feed(store, site, clock):
    entries = [{"title": "Council meets", "link": None, "description": prose(40), "date": clock.now - 60}]
    site.serve("/feed", rss("No Links", entries), "application/rss+xml")
    add_source(store, site.base + "/feed", outlet="The Outlet", now=clock.now)
    with poller(store, clock) as p:
        [report] = p.run_once()
    assert report.stored == 1 and site.paths() == ["/feed"]
    assert documents(store) == [(None, "rss", "The Outlet")]


def test_robots_txt_is_obeyed_for_article_pages(store, site, clock):
    site.serve("/robots.txt", b"User-agent: *\nDisallow: /private/\n", "text/plain")
    site.serve("/private/1", article("Secret", prose(1)))
    site.serve("/open/2", article("Open", prose(2)))
    entries = [{"title": "Secret", "link": "/private/1", "description": "Teaser kept.", "date": clock.now - 120},
               {"title": "Open", "link": "/open/2", "description": "Teaser two.", "date": clock.now - 60}]
    site.serve("/feed", rss("Partly closed", entries, site.base), "application/rss+xml")
    add_source(store, site.base + "/feed", now=clock.now)
    with poller(store, clock) as p:
        [report] = p.run_once()
    assert "/private/1" not in site.paths() and "/open/2" in site.paths()
    assert sorted(f for _, f, _ in documents(store)) == ["html", "rss"]  # the closed page's feed text is kept
    assert any("robots.txt" in e.cause for e in store.errors())


def test_robots_txt_that_fails_disallows_pages_and_crawl_delay_slows_the_host(store, site, clock):
    site.answer("/robots.txt", 503)
    entries = wire(site, clock, 1)
    site.serve("/feed", rss("Down robots", entries, site.base), "application/rss+xml")
    add_source(store, site.base + "/feed", now=clock.now)
    with poller(store, clock) as p:
        p.run_once()
    assert site.paths() == ["/feed", "/robots.txt"]  # no page while robots.txt cannot be read

    site.clear()
    site.serve("/robots.txt", b"User-agent: claimdesk\nCrawl-delay: 7\nAllow: /\n", "text/plain")
    site.serve("/feed", rss("Down robots", wire(site, clock, 2, first=5), site.base), "application/rss+xml")
    clock.advance(2 * schedule.DAY)
    sleeps = len(clock.sleeps)
    with poller(store, clock) as p:
        p.run_once()
    assert site.paths() == ["/feed", "/robots.txt", "/news/5", "/news/6"]
    assert clock.sleeps[sleeps:][-1] == pytest.approx(7.0)  # the host's Crawl-delay between its two pages


def test_429_retry_after_is_honoured_for_the_source_and_its_host(store, site, clock):
    site.answer("/busy", 429, {"Retry-After": "7200"})
    site.serve("/other", rss("Other", wire(site, clock, 1), site.base), "application/rss+xml")
    busy = add_source(store, site.base + "/busy", now=clock.now - 10)  # due first
    add_source(store, site.base + "/other", now=clock.now)
    start = clock.now
    with poller(store, clock, workers=1) as p:
        reports = p.run_once()
    failed = state.get(store, busy.pk)
    assert failed.last_status == 429 and failed.failures == 1 and "Retry-After 2h" in failed.last_error
    assert state.seconds(failed.next_poll_at) >= start + 7200
    assert site.paths()[0] == "/busy" and site.paths()[1] == "/other"
    assert max(clock.sleeps) == pytest.approx(7200, abs=1)  # the host's other source waited its turn
    assert [r.error is None for r in reports] == [False, True]


def test_failures_back_off_exponentially_and_recover(store, site, clock):
    site.answer("/feed", 500)
    source = add_source(store, site.base + "/feed", every="10m", now=clock.now)
    waits = []
    with poller(store, clock) as p:
        for _ in range(4):
            [report] = p.run_once()
            waits.append(report.next_in)
            clock.advance(report.next_in)
        assert waits == [1200, 2400, 4800, 9600]  # 10 minutes doubled each time
        assert state.get(store, source.pk).failures == 4 and "HTTP 500" in state.get(store, source.pk).last_error
        site.serve("/feed", rss("Back", wire(site, clock, 1), site.base), "application/rss+xml")
        [report] = p.run_once()
    back = state.get(store, source.pk)
    assert report.error is None and back.failures == 0 and back.last_error is None and report.next_in == 600
    assert back.errors == 4 and back.polls == 5


HOSTILE = {
    "broken": (200, {"Content-Type": "application/rss+xml"}, b"<rss><channel><title>x</title><item><title>a</ti"),
    "laughs": (200, {"Content-Type": "application/xml"},
               b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">' +
               b"".join(b'<!ENTITY %c "&%c;&%c;&%c;&%c;&%c;&%c;&%c;&%c;&%c;&%c;">' % ((98 + i,) + (97 + i,) * 10)
                        for i in range(8)) +
               b']><rss version="2.0"><channel><title>&i;</title><item><title>&i;</title></item></channel></rss>'),
    "huge": (200, {"Content-Type": "application/rss+xml"}, b"<rss>" + b" " * 300_000),
    "bomb": (200, {"Content-Type": "application/rss+xml", "Content-Encoding": "gzip"},
             gzip.compress(b"<rss>" + b" " * 5_000_000, 9)),
    "image": (200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n" + b"\x00" * 100),
    "empty": (200, {"Content-Type": "application/rss+xml"}, b""),
    "html-for-feed": (200, {"Content-Type": "text/plain"}, b"just some words, no feed at all"),
    "loop": (302, {"Location": "/loop"}, b""),
}


def test_hostile_sources_fail_alone_with_clear_errors(store, site, clock):
    for name, answer in HOSTILE.items():
        site.routes["/" + name] = lambda request, answer=answer: answer
        add_source(store, f"{site.base}/{name}", name=name, now=clock.now - 100)
    site.routes["/endless"] = lambda request: (200, {"Content-Type": "application/rss+xml"},
                                               iter(lambda: b"<item>" * 1000, None))
    add_source(store, site.base + "/endless", name="endless", now=clock.now - 100)
    site.serve("/good", rss("Good", wire(site, clock, 1), site.base), "application/rss+xml")
    good = add_source(store, site.base + "/good", name="good", now=clock.now)
    started = time.monotonic()
    with poller(store, clock, max_bytes=200_000) as p:
        reports = {r.source: r for r in p.run_once()}
    assert time.monotonic() - started < 20
    assert reports["good"].error is None and reports["good"].stored == 1 and state.get(store, good.pk).failures == 0
    errors = {name: reports[name].error for name in (*HOSTILE, "endless")}
    assert "broken feed" in errors["broken"]
    assert "over the 195,312 bytes limit" in errors["huge"] or "over the 0.2 MB limit" in errors["huge"]
    assert "limit" in errors["bomb"] and "limit" in errors["endless"]
    assert "image/png" in errors["image"] and "empty" in errors["empty"] and "redirects" in errors["loop"]
    assert "neither a feed" in errors["html-for-feed"]
    # the billion laughs is never expanded: read as a feed whose entity references stay text, or refused
    assert errors["laughs"] is None or "feed" in errors["laughs"]
    assert {s.name for s in state.listing(store) if s.failures == 1} >= set(HOSTILE) - {"laughs"} | {"endless"}
    assert sum(1 for e in store.errors(50) if "polling" in e.cause) >= len(HOSTILE)


def test_slow_answers_are_cut_off(store, site, clock):
    def trickle(request):
        def chunks():
            for _ in range(100):
                time.sleep(0.05)
                yield b" "
        return 200, {"Content-Type": "application/rss+xml"}, chunks()

    site.routes["/slow"] = trickle
    source = add_source(store, site.base + "/slow", now=clock.now)
    with poller(store, clock, total_seconds=0.5) as p:
        [report] = p.run_once()
    assert "longer than 0.5 seconds" in report.error and state.get(store, source.pk).failures == 1


def test_redirects_are_followed_and_the_final_url_named(store, site, clock):
    site.answer("/old-feed", 301, {"Location": site.base + "/feed"})
    site.serve("/feed", rss("Moved", wire(site, clock, 1), site.base), "application/rss+xml")
    add_source(store, site.base + "/old-feed", now=clock.now)
    with poller(store, clock) as p:
        [report] = p.run_once()
    assert report.stored == 1 and site.paths()[:2] == ["/old-feed", "/feed"]


def test_one_request_at_a_time_per_host_with_a_pause_between(store, clock):
    hosts = [Site("127.0.0.1"), Site("127.0.0.2")]
    try:
        for host in hosts:
            def slow(request, host=host):
                time.sleep(0.1)
                return 200, {"Content-Type": "application/rss+xml"}, rss("Slow", [], host.base)
            for n in range(4):
                host.routes[f"/feed{n}"] = slow
                add_source(store, f"{host.base}/feed{n}", now=clock.now)
        with poller(store, clock, workers=8, min_delay=2.5) as p:
            p.run_once()
        for host in hosts:
            assert len(host.requests) == 4 and host.most_in_flight == 1
        assert clock.sleeps and set(clock.sleeps) <= {2.5}  # pauses (the fake clock is shared: some overlap)
        overlap = any(a.started < b.ended and b.started < a.ended for a in hosts[0].requests for b in hosts[1].requests)
        assert overlap  # two hosts are polled at once
    finally:
        for host in hosts:
            host.close()


def test_a_restarted_poller_resumes_where_the_last_stopped(store, site, clock):
    site.serve("/feed", rss("Local Wire", wire(site, clock, 2), site.base), "application/rss+xml")
    source = add_source(store, site.base + "/feed", now=clock.now)
    with poller(store, clock) as first:
        first.run_once()
    due = state.seconds(state.get(store, source.pk).next_poll_at)
    site.clear()
    with poller(store, clock) as second:
        assert second.run_once() == [] and site.paths() == []  # not due
        clock.now = due
        [report] = second.run_once()
    assert report.status == 304 and site.paths() == ["/feed"]


def test_a_news_sitemap_lists_pages_to_fetch(store, site, clock):
    urls = []
    for n in range(2):
        site.serve(f"/2026/story-{n}", article(f"Sitemap story {n}", prose(20 + n)))
        urls.append(f"<url><loc>{site.base}/2026/story-{n}</loc><news:news><news:publication><news:name>Map Times"
                    f"</news:name><news:language>en</news:language></news:publication><news:publication_date>"
                    f"2026-12-0{n + 1}T10:00:00Z</news:publication_date><news:title>Sitemap story {n}</news:title>"
                    f"</news:news></url>")
    sitemap = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
               'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">' + "".join(urls) + "</urlset>").encode()
    site.serve("/news-sitemap.xml", sitemap, "application/xml")
    source = add_source(store, site.base + "/news-sitemap.xml", now=clock.now)
    with poller(store, clock) as p:
        [report] = p.run_once()
    assert report.stored == 2 and state.get(store, source.pk).kind == "sitemap"
    assert site.paths() == ["/news-sitemap.xml", "/robots.txt", "/2026/story-0", "/2026/story-1"]
    assert [r[1] for r in state.items_of(store, source.pk)] == ["2026-12-02T10:00:00+00:00", "2026-12-01T10:00:00+00:00"]


def test_a_page_is_rechecked_and_a_change_stored_as_a_new_version(store, site, clock):
    site.serve("/live", article("Live page", prose(30)))
    source = add_source(store, site.base + "/live", kind="page", every="1h", now=clock.now)
    with poller(store, clock) as p:
        [first] = p.run_once()
        clock.advance(HOUR)
        [same] = p.run_once()
        site.serve("/live", article("Live page", prose(30) + " An update came in."))
        clock.advance(HOUR)
        [changed] = p.run_once()
    assert (first.stored, same.status, changed.stored) == (1, 304, 1)
    with store.engine.connect() as connection:
        versions = connection.execute(text("SELECT version FROM documents ORDER BY pk")).scalars().all()
    assert versions == [1, 2] and state.activity(store, clock.now)[source.pk].new == 2


def test_a_json_feed_is_followed(store, site, clock):
    import json

    site.serve("/p/1", article("JSON story", prose(50)))
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "JSON Wire",
            "items": [{"id": "1", "url": site.base + "/p/1", "title": "JSON story", "content_text": "Teaser.",
                       "date_published": "2026-12-01T08:00:00Z"}]}
    site.serve("/feed.json", json.dumps(feed).encode(), "application/feed+json")
    add_source(store, site.base + "/feed.json", now=clock.now)
    with poller(store, clock) as p:
        [report] = p.run_once()
    assert report.stored == 1 and site.paths()[-1] == "/p/1"


def test_new_articles_arrive_with_their_claims(store, site, clock):
    body = ("Elman Mammadov, a member of parliament, claimed that the convoy carried mines into the region. "
            "The ministry denied that any convoy had crossed the border, officials said on Tuesday.")
    site.serve("/claims/1", article("Deputy says convoy carried mines", body + "\n\n" + prose(60)))
    site.serve("/feed", rss("Claims Wire", [{"title": "Convoy", "link": "/claims/1", "date": clock.now - 60}],
                            site.base), "application/rss+xml")
    add_source(store, site.base + "/feed", now=clock.now)
    with poller(store, clock, analyze=True) as p:
        [report] = p.run_once()
    assert report.stored == 1
    with store.engine.connect() as connection:
        claims = connection.execute(text("SELECT substr(d.text, c.content_start + 1, c.content_end - c.content_start) "
                                         "FROM claims c JOIN documents d ON d.pk = c.doc_pk")).scalars().all()
    assert any("the convoy carried mines" in claim for claim in claims)
    assert any("any convoy had crossed the border" in claim for claim in claims)


def test_two_pollers_on_postgresql_never_poll_one_source_twice(postgres_url, site):
    from test_store import _reset_postgresql

    from claimdesk.store import default_db_url

    _reset_postgresql(postgres_url)
    clock = Clock(time.time())
    with Store(default_db_url(postgres_url)) as store:
        for n in range(12):
            def slow(request, n=n):
                time.sleep(0.05)
                return 200, {"Content-Type": "application/rss+xml"}, rss(f"Feed {n}", [], site.base)
            site.routes[f"/feed{n}"] = slow
            add_source(store, f"{site.base}/feed{n}", now=clock.now)
        pollers = [Poller(Store(default_db_url(postgres_url)), Settings(contact=CONTACT, analyze=False, workers=3,
                                                                        min_delay=0.0, batch=2),
                          owner=f"poller-{i}") for i in range(2)]
        done: list[list] = [[], []]
        threads = [threading.Thread(target=lambda i=i: done[i].extend(pollers[i].run_once())) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for p in pollers:
            p.close()
            p.store.close()
        feeds = sorted(path for path in site.paths() if path.startswith("/feed"))
        assert feeds == sorted(f"/feed{n}" for n in range(12))  # each polled exactly once
        assert len(done[0]) + len(done[1]) == 12 and done[0] and done[1]  # and both pollers worked
        assert all(s.lease_owner is None and s.polls == 1 for s in state.listing(store))


def test_the_gate_pauses_between_requests_to_one_host_only():
    from claimdesk.follow.polite import HostGate

    clock = Clock()
    gate = HostGate(1.0, clock=clock.monotonic, sleep=clock.sleep)
    for url in ("http://a.example/1", "http://b.example/1", "http://a.example:8080/", "http://A.example/2"):
        with gate.turn(url):
            clock.advance(0.25)  # the request takes a quarter second
    assert clock.sleeps == [pytest.approx(0.5)]  # a.example again: 1 s after its first request ended
    gate.defer("http://b.example/x", 30)
    gate.crawl_delay("http://a.example/", 500)
    with gate.turn("http://b.example/2"):
        pass
    with gate.turn("http://a.example/3"):
        pass
    with gate.turn("http://a.example/4"):
        pass
    assert clock.sleeps[1:] == [pytest.approx(30), pytest.approx(60)]  # Retry-After; Crawl-delay capped at 60 s


def test_a_feed_with_no_entries_yet_is_quiet_not_failing(store, site, clock):
    site.serve("/feed", rss("New blog", []), "application/rss+xml")
    source = add_source(store, site.base + "/feed", now=clock.now)
    with poller(store, clock) as p:
        [report] = p.run_once()
    assert report.error is None and report.entries == 0 and state.get(store, source.pk).failures == 0
    assert report.next_in == schedule.DAY


def test_stopping_ends_the_loop_and_leaves_unpolled_sources_due(store, site, clock):
    site.serve("/feed", rss("Wire", wire(site, clock, 1), site.base), "application/rss+xml")
    first = add_source(store, site.base + "/feed", now=clock.now)
    stop = threading.Event()
    with poller(store, clock) as p:
        stop.set()  # Ctrl-C before anything was polled
        runner = threading.Thread(target=p.run, args=(stop,))
        runner.start()
        runner.join(timeout=5)
        assert not runner.is_alive()
        assert site.paths() == [] and state.get(store, first.pk).lease_owner is None
        p.stop = threading.Event()
        [polled] = state.claim_due(store, p.owner, clock.now, lease=60, limit=5)
        p.stop.set()
        assert p.poll(polled) is None  # stopping: given back unpolled, still due
        assert state.get(store, first.pk).lease_owner is None and state.get(store, first.pk).polls == 0


def test_the_poller_beside_the_desk_gives_its_sources_back_when_cut_off(store, site):
    from claimdesk.follow.poller import Beside

    def slow(request):
        time.sleep(1.0)
        return 200, {"Content-Type": "application/rss+xml"}, rss("Slow", [], site.base)

    site.routes["/slow"] = slow
    source = add_source(store, site.base + "/slow")
    beside = Beside(store, Settings(contact=CONTACT, analyze=False))
    beside.start()
    deadline = time.monotonic() + 5
    while not site.requests and time.monotonic() < deadline:
        time.sleep(0.02)
    assert state.get(store, source.pk).lease_owner == beside.poller.owner  # polling it now
    beside.stop(wait=0.1)  # the server shuts down before the answer came
    assert state.get(store, source.pk).lease_owner is None  # another poller may take it at once
