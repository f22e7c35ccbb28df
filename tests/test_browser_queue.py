"""The review desk's day in a real browser: a reviewer triages the queue with the keyboard
alone, corrects an extraction, and an editor publishes from the editor's queue.

Playwright drives Debian's chromium against ``claimdesk serve`` over a store filled by
``claimdesk ingest`` from a JSONL of short synthetic wire stories (written here), each a
few attributed statements. The triage test is issue 18's figure 2: it prints (and writes
to test-artifacts/triage.json, which ``benchmarks/triage.py`` reports) the key presses and
requests per claim while a reviewer reviews 20 claims without touching the mouse.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from test_browser import (  # noqa: F401  (fixtures and helpers shared with the desk's other browser tests)
    CHROMIUM_ARGS,
    PASSWORD,
    Shots,
    browser,
    claimdesk,
    free_port,
    no_script_ran,
    run,
)

from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[1]
ARTEFACTS = ROOT / "test-artifacts"
REVIEWER, EDITOR = "rui", "eva"
TRIAGED = 20

SPEAKERS = ["Elman Mammadov", "Azer Gasimli", "Hikmet Hajiyev", "Anna Petrova", "Tomas Berg", "Lina Haddad",
            "Oleg Sorokin", "Maria Silva", "Kofi Mensah", "Ines Duarte"]
PLACES = ["Lachin", "Shusha", "Goris", "Aghdam", "Khankendi", "Barda"]


def stories() -> list[dict]:
    """Ten wire stories of four attributed statements each: 40 claims, with numbers (the
    check-worthy kind) and without."""
    found = []
    for i in range(10):
        a, b = SPEAKERS[i], SPEAKERS[(i + 3) % len(SPEAKERS)]
        place = PLACES[i % len(PLACES)]
        text = (f"{a} said that {300 + 17 * i} families had left {place} since March. "
                f"{b} claimed that the convoy carried {12 + i} tonnes of fuel to {place}. "
                f"The talks resumed on Monday in Vienna after a pause of two weeks. "
                f"{a} told reporters that the checkpoint at {place} had been closed for {3 + i} days. "
                f"{b} alleged that officials in {place} had hidden the figures from the public. "
                f"Observers expect a statement from the ministry later this week.")
        found.append({"url": f"https://wire.example/story-{i}", "outlet": "wire.example", "published": f"2024-03-{10 + i:02d}",
                      "title": f"Families leave {place} as talks resume", "text": text})
    return found


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    """``claimdesk serve`` over the synthetic stories, with a reviewer and an editor."""
    folder = tmp_path_factory.mktemp("queue")
    db, feed = folder / "desk.db", folder / "wire.jsonl"
    feed.write_text("".join(json.dumps(s) + "\n" for s in stories()))
    run("ingest", "--db", str(db), str(feed))
    for name, role in ((REVIEWER, "reviewer"), (EDITOR, "editor")):
        run("user", "add", name, "--role", role, "--password-stdin", "--db", str(db), stdin=PASSWORD + "\n")
    port = free_port()
    log = (folder / "serve.log").open("w")
    server = subprocess.Popen(claimdesk("serve", "--db", str(db), "--port", str(port)), stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if server.poll() is not None:
                pytest.fail(f"claimdesk serve exited:\n{(folder / 'serve.log').read_text()}")
            try:
                if httpx.get(url + "/", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("claimdesk serve did not answer within 120 s")
            time.sleep(0.25)
        yield url, db
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


@pytest.fixture(scope="module")
def shots() -> Shots:
    return Shots(ARTEFACTS / "browser-queue")


@pytest.fixture
def page(browser, desk):  # noqa: F811
    url, _ = desk
    context = browser.new_context(base_url=url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    # no request routing here: Playwright's routing turns the browser's cache off, and the
    # triage figure counts what a reviewer's browser asks (the stories link nowhere else)
    opened = context.new_page()
    outside: list[str] = []
    opened.on("request", lambda request: None if request.url.startswith(url + "/") else outside.append(request.url))
    opened.outside = outside
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.errors = errors
    yield opened
    context.close()


def sign_in(page, name: str) -> None:
    page.goto("/signin?next=/queue")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/queue")


def stored(db: Path, sql: str):
    with sqlite3.connect(db) as connection:
        return connection.execute(sql).fetchall()


def test_a_reviewer_triages_twenty_claims_with_the_keyboard_alone(desk, page, shots):
    url, db = desk
    sign_in(page, REVIEWER)
    total = int(page.locator(".total").inner_text().split()[0])
    assert total >= TRIAGED + 5, "the synthetic stories give the queue enough claims"
    shots.take(page, "queue")
    ranked = [float(t.split()[-1]) for t in page.locator(".check-worthiness").all_inner_texts()]
    assert ranked == sorted(ranked, reverse=True)  # most check-worthy first

    # what the browser asks the server for, and what its cache answers (Chrome DevTools Protocol:
    # Playwright's own request events also fire for assets the memory cache serves)
    requests: list[str] = []
    cached: set[str] = set()
    devtools = page.context.new_cdp_session(page)
    devtools.send("Network.enable")
    devtools.on("Network.requestWillBeSent", lambda event: requests.append((event["requestId"], event["request"]["url"])))
    devtools.on("Network.requestServedFromCache", lambda event: cached.add(event["requestId"]))
    keys = 0

    def press(key: str) -> None:
        nonlocal keys
        keys += 1
        page.keyboard.press(key)

    seen = []
    with page.expect_navigation():
        press("o")  # open the first claim of the queue
    for n in range(TRIAGED):
        expect(page.locator("#triage")).to_be_visible()
        seen.append(page.url.split("?")[0])
        if n == 0:
            shots.take(page, "claim-from-queue")
        press("5")  # the fifth rating: False
        expect(page.locator("#review-rating")).to_have_value("False")
        with page.expect_navigation():
            press("s")  # save, and on to the next claim
    shots.take(page, "after-triage")
    assert len(set(seen)) == TRIAGED  # twenty different claims, none twice
    assert stored(db, "select count(*) from review_revisions")[0][0] == TRIAGED
    assert {r for (r,) in stored(db, "select rating from review_revisions")} == {"False"}
    assert page.errors == []
    assert page.outside == []
    sent = [address for request_id, address in requests if request_id not in cached]
    figures = {"claims": TRIAGED, "key_presses": keys, "requests": len(sent),
               "key_presses_per_claim": round(keys / TRIAGED, 2), "requests_per_claim": round(len(sent) / TRIAGED, 2),
               "page_requests": sum(1 for r in sent if "/static/" not in r),
               "asset_requests": sum(1 for r in sent if "/static/" in r),
               "served_from_cache": len(requests) - len(sent)}
    print(f"\ntriage: {TRIAGED} claims, {keys} key presses ({figures['key_presses_per_claim']} per claim), "
          f"{len(sent)} requests to the server ({figures['requests_per_claim']} per claim; "
          f"{figures['served_from_cache']} more answered by the browser's cache)")
    ARTEFACTS.mkdir(exist_ok=True)
    (ARTEFACTS / "triage.json").write_text(json.dumps(figures, indent=2))
    assert figures["key_presses_per_claim"] <= 2.1  # open once, then a rating and save per claim
    assert figures["page_requests"] <= 2 * TRIAGED + 1  # per claim: the save, answered by the next claim's page

    page.goto("/queue")
    assert int(page.locator(".total").inner_text().split()[0]) == total - TRIAGED


def test_a_reviewer_marks_extractions_wrong_and_they_leave_the_public_pages(desk, page, shots, browser):  # noqa: F811
    url, db = desk
    sign_in(page, REVIEWER)
    first = page.locator(".queue-item").first
    key = first.get_attribute("data-key")
    article_id, seq = key.split(":")
    # select the first two claims with x (j between), then n: both are marked not a claim
    page.keyboard.press("x")
    page.keyboard.press("j")
    second_key = page.locator(".queue-item").nth(1).get_attribute("data-key")
    page.keyboard.press("x")
    with page.expect_navigation():
        page.keyboard.press("n")
    shots.take(page, "queue-after-not-a-claim")
    remaining = page.locator(".queue-item").evaluate_all("items => items.map(i => i.dataset.key)")
    assert key not in remaining and second_key not in remaining
    rejected = {f"{d}:{s}" for d, s in stored(db, "select d.id, c.seq from claims c join documents d on d.pk = c.doc_pk "
                                                   "where c.rejected_pk is not null")}
    assert rejected == {key, second_key}

    public = browser.new_context(base_url=url)
    try:
        anonymous = public.new_page()
        assert anonymous.goto(f"/claims/{article_id}/{seq}").status == 404
        anonymous.goto(f"/articles/{article_id}")
        expect(anonymous.locator(f'.claim-list a[href="/claims/{article_id}/{seq}"]')).to_have_count(0)
    finally:
        public.close()

    # the reviewer sees it marked, with its history, and restores it
    page.goto(f"/claims/{article_id}/{seq}")
    expect(page.locator(".notice.rejected")).to_contain_text("not a claim")
    shots.take(page, "claim-marked-not-a-claim")
    page.get_by_role("button", name="Restore it as a claim").click()
    expect(page.locator(".notice.rejected")).to_have_count(0)

    # a wrong speaker, picked from the article's names
    page.locator("details.correct summary").click()
    page.get_by_label("Wrong speaker: who said it").fill("Maria Silva")
    page.get_by_role("button", name="Set the speaker").click()
    expect(page.locator("h1.claim-summary")).to_contain_text("Maria Silva")
    expect(page.locator(".corrections .history")).to_contain_text("→ “Maria Silva”")
    shots.take(page, "claim-speaker-corrected")
    assert page.errors == []


def test_an_editor_publishes_from_the_editors_queue_and_the_verdict_shows(desk, page, shots, browser):  # noqa: F811
    url, db = desk
    reviewed = stored(db, "select d.id, r.seq from review_revisions r join documents d on d.pk = r.doc_pk "
                          "join claims c on c.doc_pk = r.doc_pk and c.seq = r.seq where c.rejected_pk is null "
                          "order by r.pk limit 1")
    if not reviewed:  # run alone: review one claim through the form first
        sign_in(page, REVIEWER)
        page.keyboard.press("o")
        page.wait_for_url("**/claims/**")
        page.get_by_label("Rating").select_option("False")
        page.get_by_role("button", name="Save and go on to the next claim").click()
        page.get_by_role("button", name="Sign out").click()
        reviewed = stored(db, "select d.id, r.seq from review_revisions r join documents d on d.pk = r.doc_pk "
                              "order by r.pk limit 1")
    article_id, seq = reviewed[0]
    sign_in(page, EDITOR)
    page.get_by_role("link", name="Waiting to be published").click()
    expect(page.get_by_role("heading", name="Editor's queue")).to_be_visible()
    shots.take(page, "editors-queue")
    page.locator(f'.queue-item[data-key="{article_id}:{seq}"] a.open').click()
    page.get_by_role("button", name="Publish revision 1").click()
    expect(page.locator(".review.published .rating")).to_contain_text("False")

    public = browser.new_context(base_url=url)
    try:
        anonymous = public.new_page()
        anonymous.goto(f"/articles/{article_id}")
        expect(anonymous.locator(f'a.verdict.rating-false[href="/claims/{article_id}/{seq}#reviews"]')).to_be_visible()
        expect(anonymous.locator("mark.claim-content.rating-false").first).to_be_visible()
        shots.take(anonymous, "article-with-verdict")
        anonymous.goto("/")
        expect(anonymous.locator(".news-item .verdict.rating-false").first).to_be_visible()
    finally:
        public.close()
    assert page.errors == []
