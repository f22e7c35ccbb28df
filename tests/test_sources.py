"""Sources: the CLI (sources add / list / remove / import / export, follow --once), OPML both
ways, the store's leases, and the desk's Sources page (roles, CSRF, escaping, the CSP)."""

from __future__ import annotations

import json
import re

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from follow_site import Site, article, prose, rss
from typer.testing import CliRunner

from claimdesk import accounts
from claimdesk.cli import app as cli
from claimdesk.follow import opml, schedule
from claimdesk.follow.manage import add_source, export_opml, import_opml
from claimdesk.store import Store
from claimdesk.store import reviews as desk
from claimdesk.store import sources as state
from claimdesk.web import create_app

PASSWORD = "a long enough passphrase"
CONTACT = "mailto:desk@example.org"
HOSTILE = '<script>alert("x")</script>&amp; "quoted"'


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch):
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy", "CLAIMDESK_CONTACT"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def store(tmp_path):
    with Store(str(tmp_path / "sources.db")) as opened:
        yield opened


# -- adding, OPML ------------------------------------------------------------------------


def test_adding_checks_the_url_the_interval_and_duplicates(store):
    source = add_source(store, "https://wire.example/feed.xml", every="15m", tags=["war, region", "war"], now=100.0)
    assert (source.name, source.every, source.tags, source.kind) == ("wire.example", 900, ("war", "region"), None)
    assert state.seconds(source.next_poll_at) == 100.0  # due at once
    for url, every, wanted in (("ftp://wire.example/x", None, r"not an http\(s\) URL"),
                               ("javascript:alert(1)", None, r"not an http\(s\) URL"),
                               ("https://wire.example/feed.xml", None, "followed already"),
                               ("https://other.example/", "5s", "not polite"),
                               ("https://other.example/", "soon", "not an interval")):
        with pytest.raises(ValueError, match=wanted):
            add_source(store, url, every=every)


def test_opml_round_trip_and_hostile_opml(store):
    add_source(store, "https://a.example/rss", name=HOSTILE, outlet="A & Co", language="en", tags=["x"], every="2h")
    add_source(store, "https://b.example/page", name="Live page", kind="page")
    data = export_opml(store)
    listed = opml.read_opml(data)
    assert [(s.url, s.name, s.kind, s.outlet, s.language, s.tags, s.every) for s in listed] == [
        ("https://a.example/rss", HOSTILE, "feed", "A & Co", "en", ("x",), 7200),
        ("https://b.example/page", "Live page", "page", None, None, (), None)]
    with Store(":memory:") as other:
        added, skipped = import_opml(other, data)
        assert len(added) == 2 and skipped == []
        assert import_opml(other, data)[1] == ["https://a.example/rss: https://a.example/rss is followed already",
                                              "https://b.example/page: https://b.example/page is followed already"]
    laughs = b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><opml><body/></opml>'
    for bad, wanted in ((laughs, "refused"), (b"<opml><body><outline", "broken"), (b"<html></html>", "not an OPML")):
        with pytest.raises(ValueError, match=wanted):
            opml.read_opml(bad)


def test_claim_due_gives_each_source_to_one_poller_at_a_time(store):
    for n in range(3):
        add_source(store, f"https://s{n}.example/feed", now=0.0)
    first = state.claim_due(store, "one", 10.0, lease=60, limit=2)
    second = state.claim_due(store, "two", 10.0, lease=60, limit=5)
    assert len(first) == 2 and [s.url for s in second] == ["https://s2.example/feed"]
    assert state.claim_due(store, "two", 50.0, lease=60, limit=5) == []  # leased, still
    assert len(state.claim_due(store, "two", 71.0, lease=60, limit=5)) == 3  # every lease ran out
    outcome = state.Outcome(next_poll=1000.0, interval=600, status=200)
    assert not state.finish_poll(store, first[0].pk, "one", 72.0, outcome)  # "one" lost it
    assert state.finish_poll(store, first[0].pk, "two", 72.0, outcome)
    assert state.next_due(store) == 0.0


# -- the CLI -----------------------------------------------------------------------------


def run(*args, db):
    return CliRunner().invoke(cli, [*args, "--db", db], catch_exceptions=False)


def test_cli_sources_add_list_export_import_remove(tmp_path):
    db = str(tmp_path / "cli.db")
    added = run("sources", "add", "https://wire.example/feed", "--name", "Wire", "--every", "15m", "--tag", "war", db=db)
    assert added.exit_code == 0 and "following Wire" in added.stdout
    assert run("sources", "add", "https://wire.example/feed", db=db).exit_code == 1  # followed already
    assert run("sources", "add", "not a url", db=db).exit_code == 2
    listed = run("sources", "list", "--json", db=db)
    assert [json.loads(line)["name"] for line in listed.stdout.splitlines()] == ["Wire"]
    exported = tmp_path / "out.opml"
    assert run("sources", "export", str(exported), db=db).exit_code == 0
    assert run("sources", "remove", "Wire", db=db).exit_code == 0
    assert run("sources", "list", db=db).stdout == ""
    assert run("sources", "remove", "Wire", db=db).exit_code == 1
    imported = run("sources", "import", str(exported), db=db)
    assert imported.exit_code == 0 and "following 1 new source" in imported.stdout
    assert "every 15m" in run("sources", "list", db=db).stdout


def test_follow_needs_a_contact_and_once_polls_every_due_source(tmp_path, monkeypatch):
    db = str(tmp_path / "once.db")
    site = Site()
    try:
        site.serve("/a", article("Once story", prose(7)))
        site.serve("/feed", rss("Once", [{"title": "Once story", "link": "/a", "date": 1_765_000_000}], site.base),
                   "application/rss+xml")
        run("sources", "add", site.base + "/feed", "--name", "Once", db=db)
        refused = run("follow", "--once", db=db)
        assert refused.exit_code == 2 and "contact" in refused.stderr and site.paths() == []
        done = run("follow", "--once", "--no-analyze", "--contact", CONTACT, db=db)
        assert done.exit_code == 0, done.stderr
        assert "1 sources polled, 1 new articles, 0 failed" in done.stderr and "Once: HTTP 200" in done.stderr
        assert site.paths() == ["/feed", "/robots.txt", "/a"]
        monkeypatch.setenv("CLAIMDESK_CONTACT", CONTACT)
        again = run("follow", "--once", "--no-analyze", db=db)  # not due: nothing polled
        assert again.exit_code == 0 and "0 sources polled" in again.stderr and len(site.paths()) == 3
        site.answer("/feed", 500)
        run("sources", "add", site.base + "/broken", db=db)
        failed = run("follow", "--once", "--no-analyze", db=db)
        assert failed.exit_code == 1 and "1 failed" in failed.stderr
    finally:
        site.close()


# -- the desk's Sources page ----------------------------------------------------------------


@pytest.fixture
def app(store):
    for name, role in (("rita", "reader"), ("ed", "editor"), ("ada", "admin")):
        desk.add_user(store, name, accounts.hash_password(PASSWORD), role)
    return create_app(store, base_url="http://testserver")


def sign_in(app, name) -> TestClient:
    browser = TestClient(app, base_url="http://testserver", follow_redirects=False)
    token = token_of(browser.get("/signin").text)
    assert browser.post("/signin", data={"name": name, "password": PASSWORD, "csrf_token": token}).status_code == 303
    return browser


def token_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]*)"', html).group(1)


def test_the_sources_page_is_for_editors_and_admins(app):
    anonymous = TestClient(app, base_url="http://testserver", follow_redirects=False)
    assert anonymous.get("/sources").headers["location"] == "/signin?next=/sources"
    assert anonymous.get("/sources.opml").status_code == 401
    reader = sign_in(app, "rita")
    assert reader.get("/sources").status_code == 403 and reader.get("/sources.opml").status_code == 403
    assert 'href="/sources"' not in reader.get("/").text
    refused = reader.post("/sources", data={"url": "https://x.example/feed", "csrf_token": token_of(reader.get("/").text)})
    assert refused.status_code == 403
    for name in ("ed", "ada"):
        browser = sign_in(app, name)
        assert browser.get("/sources").status_code == 200 and 'href="/sources"' in browser.get("/").text


def test_editors_add_import_poll_and_remove_sources_with_csrf(app, store):
    editor = sign_in(app, "ed")
    token = token_of(editor.get("/sources").text)
    assert editor.post("/sources", data={"url": "https://x.example/feed"}).status_code == 403  # no token
    added = editor.post("/sources", data={"url": "https://x.example/feed", "name": HOSTILE, "every": "30m",
                                          "tags": "war, region", "csrf_token": token})
    assert added.status_code == 303
    bad = editor.post("/sources", data={"url": "gopher://x", "name": "kept", "csrf_token": token})
    assert bad.status_code == 400 and "not an http(s) URL" in bad.text and 'value="kept"' in bad.text
    page = editor.get("/sources").text
    assert HOSTILE not in page and "&lt;script&gt;alert(" in page and "every 30m (fixed)" in page
    [source] = state.listing(store)
    opml_file = b'<opml version="2.0"><body><outline text="B" type="rss" xmlUrl="https://b.example/rss"/></body></opml>'
    imported = editor.post("/sources/import", data={"csrf_token": token}, files={"file": ("s.opml", opml_file)})
    assert imported.status_code == 200 and "following 1 new source" in imported.text
    assert editor.post(f"/sources/{source.pk}/poll", data={"csrf_token": token}).status_code == 303
    assert editor.post(f"/sources/{source.pk}/remove", data={"csrf_token": token}).status_code == 303
    assert editor.post("/sources/999/remove", data={"csrf_token": token}).status_code == 404
    assert [s.name for s in state.listing(store)] == ["B"]
    exported = editor.get("/sources.opml")
    assert exported.headers["content-type"].startswith("text/x-opml") and b"https://b.example/rss" in exported.content


def test_the_page_shows_polling_state_and_a_sparkline_without_scripts(app, store):
    import time

    source = add_source(store, "https://wire.example/feed", name="Wire")
    now = time.time()
    state.claim_due(store, "t", now, lease=60, limit=1)
    state.finish_poll(store, source.pk, "t", now, state.Outcome(next_poll=now + 600, interval=600, status=503,
                                                                error="the server asks to wait (Retry-After 2h)",
                                                                failures=2))
    state.record_items(store, source.pk, now, [state.Item(f"k{n}", f"https://wire.example/{n}", now, "new")
                                              for n in range(3)] + [state.Item("d", None, None, "duplicate")])
    add_source(store, "https://blog.example/feed", name="Gone quiet", now=now - 10 * 86400)
    html = sign_in(app, "ed").get("/sources")
    assert html.status_code == 200
    text = html.text
    assert "503" in text and "(2 in a row)" in text and "Retry-After 2h" in text
    row = text[text.index("<strong>Wire</strong>"):]
    cells = re.findall(r"<td>(\d+)</td>", row)
    assert cells[:3] == ["503", "4", "3"]  # HTTP status, entries seen, new articles
    assert '<svg class="sparkline"' in text and "3 new articles in 30 days" in text
    quiet = text[text.index("<strong>Gone quiet</strong>"):]
    assert "silent for 10d" in quiet[:quiet.index("</tr>")] and "silent for" not in row[:row.index("</tr>")]
    assert "<script>" not in text.split("</head>")[1] and " style=" not in text and " onclick" not in text
    assert "content-security-policy" in html.headers


def test_schedule_adapts_within_bounds_and_backs_off():
    now = 1_000_000.0
    wire = [now - n * 120 for n in range(30)]  # every two minutes
    hourly = [now - n * 3600 for n in range(24)]
    weekly = [now - n * 7 * 86400 for n in range(3)]
    assert schedule.interval(schedule.publishing_rate(wire, now)) == 600  # never under 10 minutes
    assert schedule.interval(schedule.publishing_rate(hourly, now)) == 1440
    assert schedule.interval(schedule.publishing_rate(weekly, now)) == 86400  # never over a day
    assert schedule.interval(schedule.publishing_rate([], now)) == 86400
    assert schedule.interval(schedule.publishing_rate(hourly, now), every=300) == 300
    assert [schedule.backoff(600, n) for n in (1, 2, 3, 10)] == [1200, 2400, 4800, 86400]
    assert schedule.retry_after("120", now) == 120 and schedule.retry_after("junk", now) is None
    assert schedule.retry_after("Thu, 01 Jan 1970 00:00:00 GMT", now) == 0
    assert schedule.retry_after("99999999", now) == 7 * 86400
    assert [schedule.parse_every(t) for t in ("90", "15m", "2h", "1d")] == [90, 900, 7200, 86400]
