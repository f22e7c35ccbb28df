"""Claim groups in a real browser (issue 16): two outlets carry the same claim; an editor
publishes a review of one appearance and confirms it for the other, and the repeat then
shows the verdict. Same set-up as test_browser.py (Debian's chromium through Playwright,
``claimdesk ingest``, ``claimdesk user add`` and ``claimdesk serve`` run as commands), over
a store of three short articles written here."""

from __future__ import annotations

import json
import re
import subprocess
import time

import httpx
import pytest
from test_browser import (  # noqa: F401  (fixtures)
    ARTEFACTS,
    PASSWORD,
    Shots,
    browser,
    claimdesk,
    free_port,
    run,
    sign_in,
    sign_out,
    watched,
)

try:
    from playwright.sync_api import expect
except ImportError:  # pragma: no cover - the test extra installs it
    expect = None

EDITOR = "eva"
CLAIM = "Russian peacekeepers let Armenian trucks carry mines into Karabakh"
ARTICLES = [
    {"url": "https://caspian-wire.example/2023/12/19/mines", "outlet": "Caspian Wire", "published": "2023-12-19",
     "title": "Deputy says convoys carried mines",
     "text": "Deputy says convoys carried mines\n\nBaku, December 19. Elman Mammadov, a member of the defence "
             f"committee, claimed that {CLAIM}.\n\nThe committee will meet again next week to discuss the road."},
    {"url": "https://morning-ledger.example/news/karabakh-convoys", "outlet": "Morning Ledger", "published": "2023-12-20",
     "title": "Lawmaker repeats convoy allegation",
     "text": "Lawmaker repeats convoy allegation\n\nA day after his first remarks, Elman Mammadov told reporters that "
             f"{CLAIM}.\n\nThe peacekeeping mission has not commented on the remarks so far."},
    {"url": "https://harbour-post.example/city/bridge", "outlet": "Harbour Post", "published": "2023-12-20",
     "title": "Bridge to reopen in March",
     "text": "Bridge to reopen in March\n\nThe city council said that the old bridge over the river will reopen to "
             "traffic in March after two years of repairs.\n\nDrivers have used a ferry since the bridge closed."},
]


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    """``claimdesk serve`` over the three articles, ingested (and grouped) by ``claimdesk ingest``."""
    from test_browser import Desk

    folder = tmp_path_factory.mktemp("browser-groups")
    db = folder / "desk.db"
    source = folder / "articles.jsonl"
    source.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    run("ingest", "--db", str(db), str(source))
    run("user", "add", EDITOR, "--role", "editor", "--password-stdin", "--db", str(db), stdin=PASSWORD + "\n")
    port = free_port()
    log = (folder / "serve.log").open("w")
    server = subprocess.Popen(claimdesk("serve", "--db", str(db), "--port", str(port)), stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if server.poll() is not None:
                pytest.fail(f"claimdesk serve exited with {server.returncode}:\n{(folder / 'serve.log').read_text()}")
            try:
                if httpx.get(url + "/", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"claimdesk serve did not answer on {url} within 120 s")
            time.sleep(0.25)
        yield Desk(url, db, False)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.fixture(scope="module")
def shots() -> Shots:
    return Shots(ARTEFACTS.parent / "browser-groups")


def test_an_editor_publishes_a_review_and_confirms_it_for_the_repeat_in_another_outlet(desk, watched, shots):
    page, watch = watched
    page.goto("/")
    page.locator("a.headline", has_text="Deputy says convoys carried mines").click()
    page.wait_for_url(re.compile(r"/articles/[0-9a-f]+$"))
    original_article = page.url
    repeated = page.locator("section.claims li", has_text=CLAIM)
    expect(repeated.locator("a.repeats")).to_have_text("also in 1 other article")
    expect(page.locator("section.claims a.repeats")).to_have_count(1)  # the other claims have no repeat
    shots.take(page, "article-with-repeats")

    # the claim page lists both appearances, the earliest marked
    sign_in(page, shots, EDITOR)
    repeated.locator("a.repeats").click()
    page.wait_for_url(re.compile(r"/claims/[0-9a-f]+/\d+#group$"))
    original = page.url.removesuffix("#group")
    rows = page.locator("#group table.group tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Caspian Wire")
    expect(rows.nth(0).locator(".badge.earliest")).to_have_text("earliest")
    expect(rows.nth(1)).to_contain_text("Morning Ledger")
    expect(rows.nth(1)).to_contain_text("Elman Mammadov")
    expect(page.locator("#propagation")).to_have_count(0)  # nothing published: nothing offered
    shots.take(page, "claim-group")

    # the editor reviews and publishes; the review is then offered to the repeat, not published on it
    page.get_by_label("Rating").select_option("False")
    page.get_by_label("Rationale").fill("The mission's logs show no such convoy.")
    page.get_by_role("button", name="Save review").click()
    page.wait_for_url(original + "#reviews")
    page.get_by_role("button", name="Publish revision 1").click()
    page.wait_for_url(re.compile(re.escape(original)))
    offer = page.locator("#propagation li", has_text="Morning Ledger")
    expect(offer.locator(".state")).to_have_text("offered")
    shots.take(page, "review-offered")
    repeat = rows.nth(1).locator("a.claim-content").get_attribute("href")
    page.goto(repeat)
    expect(page.locator("article.review.borrowed")).to_have_count(0)  # not without a confirmation
    page.go_back()

    # confirmed for the repeat
    page.locator("#propagation li", has_text="Morning Ledger").get_by_role("button", name="Confirm").click()
    page.wait_for_url(original + "#group")
    expect(page.locator("#propagation li", has_text="Morning Ledger").locator(".state")).to_have_text("confirmed")
    expect(page.locator("#propagation li", has_text="Morning Ledger")).to_contain_text(f"by {EDITOR}")
    shots.take(page, "review-confirmed")
    sign_out(page)

    # anyone sees the verdict on the repeat, with a link to the original review
    page.goto(repeat)
    borrowed = page.locator("article.review.borrowed")
    expect(borrowed.locator(".rating strong")).to_have_text("False")
    expect(borrowed).to_contain_text("Caspian Wire")
    shots.take(page, "repeat-verdict")
    borrowed.get_by_role("link").first.click()
    page.wait_for_url(original + "#reviews")
    expect(page.locator("article.review.published .rating")).to_have_text("False")
    data = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert [a["url"] for a in data["itemReviewed"]["appearance"]] == [ARTICLES[0]["url"], ARTICLES[1]["url"]]
    assert original_article.startswith(desk.url)
    assert watch.dialogs == [] and watch.errors == [] and watch.csp_console() == []
