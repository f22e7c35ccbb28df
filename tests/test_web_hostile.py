"""Bad requests never reach a 500 (issue 15): the desk as a careless or hostile client
uses it. Impossible dates, pages and offsets are refused with a message; a far but
real date works; an unexpected error still answers with the security headers and a
page or JSON; a forged Host header never reaches a page; a big body is refused before
it is read, and a request that may not write is refused before its body is read; an
article at the analysis size limit (thousands of claims) still makes a usable page.
"""

from __future__ import annotations

import logging
import re
import time
from urllib.parse import quote

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from test_store import make_article, prose
from test_store_claims import find
from typer.testing import CliRunner

from claimdesk import accounts
from claimdesk.model import Claim, DateMention, Entity
from claimdesk.store import Store
from claimdesk.store import reviews as desk
from claimdesk.web import create_app
from claimdesk.web.limits import MAX_BODY

PASSWORD = "a long enough passphrase"
HUGE_CHARS = 200_000  # the analysis size limit, in characters of text
HUGE_CLAIMS = 3_000


def huge_article():
    """An article at the analysis size limit: 200,000 characters, 3,000 claims, a named
    speaker and a place in every claim's sentence, a date in every tenth."""
    sentences = [f"Official Name{i % 700} Speaker{i % 900} said that the harbour plan {i} in Town{i % 500} "
                 f"would reopen on May {1 + i % 28}." for i in range(HUGE_CLAIMS)]
    paragraphs = [" ".join(sentences[k:k + 10]) for k in range(0, HUGE_CLAIMS, 10)]
    filler = HUGE_CHARS - sum(len(p) + 2 for p in paragraphs)
    while filler > 0:
        paragraphs.append(prose(len(paragraphs), words=min(200, filler // 6 + 1)))
        filler -= len(paragraphs[-1]) + 2
    article = make_article("The harbour plan in three thousand statements", paragraphs,
                           url="https://news.example/huge", published="2024-05-01")
    text = article.raw.text
    claims, entities, dates = [], [], []
    at = 0
    for i, sentence in enumerate(sentences):
        start = text.index(sentence, at)
        at = start + len(sentence)
        speaker = f"Official Name{i % 700} Speaker{i % 900}"
        cue = text.index(" said ", start) + 1
        town = text.index(f"Town{i % 500}", start)
        may = text.index("May ", town)
        claims.append(Claim(source=find(article, speaker, start), speaker=speaker[9:], cue=find(article, "said", cue),
                            content=find(article, sentence[sentence.index("that"):-1], start), hedge="states"))
        entities.append(Entity(find(article, speaker[9:], start), "PERSON", speaker[9:]))
        entities.append(Entity(find(article, f"Town{i % 500}", town), "GPE", f"Town{i % 500}"))
        if i % 10 == 0:
            day = text.index(" would", may)
            dates.append(DateMention(find(article, text[may:day], may), f"2024-05-{1 + i % 28:02d}"))
    return article, claims, entities, dates


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch):
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    with Store(str(tmp_path_factory.mktemp("hostile") / "desk.db")) as opened:
        plain = make_article("Convoy claims", [
            "Elman Mammadov claimed that convoy 7 carried mines, Turan reported. " + prose(3)],
            url="https://news.example/a", published="2023-12-20")
        opened.add(plain, line_keys=set(), claims=[
            Claim(source=find(plain, "Elman Mammadov"), speaker="Elman Mammadov", cue=find(plain, "claimed"),
                  content=find(plain, "that convoy 7 carried mines"), hedge="claims")],
            entities=[Entity(find(plain, "Elman Mammadov"), "PERSON", "Elman Mammadov")])
        big, claims, entities, dates = huge_article()
        opened.add(big, line_keys=set(), claims=claims, entities=entities, dates=dates)
        for name, role in (("rita", "reader"), ("rev", "reviewer"), ("ed", "editor")):
            desk.add_user(opened, name, accounts.hash_password(PASSWORD), role)
        opened.plain_id, opened.huge_id = plain.raw.id, big.raw.id
        yield opened


@pytest.fixture(scope="module")
def app(store):
    return create_app(store, base_url="https://desk.example")


@pytest.fixture
def client(app):
    return TestClient(app, raise_server_exceptions=False, follow_redirects=False)


def secured(response) -> None:
    """The response carries the desk's security headers, whatever its status."""
    assert "default-src 'none'" in response.headers.get("content-security-policy", ""), response.headers
    assert response.headers.get("x-content-type-options") == "nosniff"
    assert response.headers.get("x-frame-options") == "DENY"


def sign_in(app, name: str) -> TestClient:
    browser = TestClient(app, raise_server_exceptions=False, follow_redirects=False)
    token = re.search(r'name="csrf_token" value="([^"]*)"', browser.get("/signin").text).group(1)
    assert browser.post("/signin", data={"name": name, "password": PASSWORD, "csrf_token": token}).status_code == 303
    return browser


# -- a. query values ------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["until=2024-13-01", "until=2024-02-30", "since=2024-00", "until=2023-02-29",
                                   "since=0000", "page=0", "page=99999999999999999999999"])
def test_an_impossible_date_or_page_is_a_page_saying_so(client, query):
    response = client.get(f"/?{query}")
    assert response.status_code in (400, 422), response.text[:300]
    assert response.headers["content-type"].startswith("text/html")
    secured(response)
    name = query.split("=")[0]
    assert name in response.text and "Back to the news line" in response.text


@pytest.mark.parametrize("url", ["/api/articles?until=2024-00-10", "/api/articles?since=2024-02-30",
                                 "/api/search?q=convoy&until=2024-13", "/api/reviews?offset=9223372036854775808",
                                 "/api/reviews?offset=-1", "/api/reviews?limit=9223372036854775808",
                                 "/api/speakers/Elman%20Mammadov?page=9223372036854775808"])
def test_an_impossible_query_value_is_json_saying_which(client, url):
    response = client.get(url)
    assert response.status_code in (400, 422), response.text[:300]
    secured(response)
    problems = response.json()["detail"]
    name = url.split("?")[1].split("&")[-1].split("=")[0]
    assert name in str(problems)


def test_impossible_dates_are_named_as_such(client):
    detail = str(client.get("/api/articles?until=2024-02-30").json()["detail"])
    assert "2024-02-30" in detail and "not a real date" in detail
    page = client.get("/?until=2024-02-30").text  # in words a reader reads, without pydantic's prefix
    assert "until: &#39;2024-02-30&#39; is not a real date" in page and "Value error" not in page


@pytest.mark.parametrize("until", ["9999-12-31", "9999-12", "9999"])
def test_a_far_but_real_date_simply_works(client, store, until):
    page = client.get("/", params={"until": until})
    assert page.status_code == 200 and "Convoy claims" in page.text
    api = client.get("/api/articles", params={"until": until})
    assert api.status_code == 200 and store.plain_id in {item["id"] for item in api.json()["items"]}
    assert client.get("/", params={"since": until}).status_code == 200


def test_huge_claim_numbers_are_not_found_not_errors(client, store):
    too_big = 9223372036854775808
    for url in (f"/claims/{store.plain_id}/{too_big}", f"/api/claims/{store.plain_id}/{too_big}",
                f"/api/reviews/{store.plain_id}/{too_big}", f"/api/reviews/{store.plain_id}/-1"):
        response = client.get(url)
        assert response.status_code in (404, 422), (url, response.status_code)
        secured(response)


# -- b. an unexpected error ---------------------------------------------------------------------


@pytest.fixture
def broken(store):
    app = create_app(store)

    def fails():
        raise RuntimeError("the disk caught fire")

    app.add_api_route("/boom", fails)
    app.add_api_route("/api/boom", fails)
    return TestClient(app, raise_server_exceptions=False)


def test_an_unexpected_error_is_a_secured_page_and_is_logged(broken, caplog):
    with caplog.at_level(logging.ERROR):
        response = broken.get("/boom")
    assert response.status_code == 500
    secured(response)
    assert response.headers["content-type"].startswith("text/html")
    assert "500" in response.text and "Back to the news line" in response.text
    assert "the disk caught fire" not in response.text  # the reader gets no internals
    logged = [r for r in caplog.records if r.exc_info]
    assert logged and "the disk caught fire" in str(logged[-1].exc_info[1]) and "/boom" in logged[-1].getMessage()


def test_an_unexpected_api_error_is_secured_json(broken):
    response = broken.get("/api/boom")
    assert response.status_code == 500
    secured(response)
    assert response.json() == {"detail": "internal server error"}


# -- c. the Host header -------------------------------------------------------------------------


def test_a_forged_host_never_reaches_a_page(client, store):
    article = f"/articles/{store.plain_id}"
    forged = client.get(article, headers={"Host": "evil.example"})
    assert forged.status_code == 200 and "evil.example" not in forged.text
    page = client.get(article)  # an anonymous reader after it, as the page cache would serve it
    assert "evil.example" not in page.text
    assert quote(f"https://desk.example{article}", safe="") in page.text
    claim = client.get(f"/claims/{store.plain_id}/0", headers={"Host": "evil.example"})
    assert "evil.example" not in claim.text and quote("https://desk.example/claims/", safe="") in claim.text
    feed = client.get("/feeds/articles.json", headers={"Host": "evil.example"}).json()
    assert feed["home_page_url"] == "https://desk.example/"
    assert all(item["url"].startswith("https://desk.example/") for item in feed["items"])


def test_the_base_url_defaults_to_the_environment_then_the_usual_address(store, monkeypatch):
    monkeypatch.setenv("CLAIMDESK_BASE_URL", "https://from-env.example/")
    assert create_app(store).state.base_url == "https://from-env.example"
    monkeypatch.delenv("CLAIMDESK_BASE_URL")
    assert create_app(store).state.base_url == "http://127.0.0.1:8000"
    with pytest.raises(ValueError):
        create_app(store, base_url="javascript:alert(1)")


def test_serve_takes_the_base_url_and_defaults_to_the_listening_address(tmp_path, monkeypatch):
    import uvicorn

    from claimdesk.cli import app as cli

    served = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: served.append(app))
    monkeypatch.delenv("CLAIMDESK_BASE_URL", raising=False)
    db = str(tmp_path / "serve.db")
    Store(db).close()
    result = CliRunner().invoke(cli, ["serve", "--db", db, "--base-url", "https://news.desk.example"])
    assert result.exit_code == 0, result.output
    assert served[-1].state.base_url == "https://news.desk.example"
    result = CliRunner().invoke(cli, ["serve", "--db", db, "--host", "127.0.0.2", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert served[-1].state.base_url == "http://127.0.0.2:8123"


def test_serve_with_workers_hands_the_base_url_to_each_worker(tmp_path, monkeypatch):
    import uvicorn

    from claimdesk.cli import app as cli
    from claimdesk.web.app import app_from_environment

    monkeypatch.setattr(uvicorn, "run", lambda app, **options: None)
    monkeypatch.delenv("CLAIMDESK_BASE_URL", raising=False)
    monkeypatch.setenv("CLAIMDESK_DB", str(tmp_path / "other.db"))
    db = str(tmp_path / "workers.db")
    Store(db).close()
    result = CliRunner().invoke(cli, ["serve", "--db", db, "--workers", "2", "--base-url", "https://w.example"])
    assert result.exit_code == 0, result.output
    worker = app_from_environment()
    try:
        assert worker.state.base_url == "https://w.example"
    finally:
        worker.state.store.close()


# -- d. request bodies --------------------------------------------------------------------------


def test_a_big_body_from_a_stranger_is_refused_before_it_is_read(client, store):
    url = f"/api/reviews/{store.plain_id}/0"
    under = b"[" * (MAX_BODY // 2)  # not JSON at all: parsing it first would answer 422
    response = client.post(url, content=under, headers={"Content-Type": "application/json"})
    assert response.status_code == 401, response.text[:200]
    secured(response)
    form = client.post(f"/claims/{store.plain_id}/0/reviews",
                       data={"rating": "x" * (MAX_BODY // 2), "rationale": "y"})
    assert form.status_code == 401, form.text[:200]
    reader = sign_in(client.app, "rita")
    refused = reader.post(url, content=under, headers={"Content-Type": "application/json", "X-CSRF-Token": "x"})
    assert refused.status_code == 403


def test_a_body_over_the_limit_is_413_at_once(client, store):
    url = f"/api/reviews/{store.plain_id}/0"
    started = time.perf_counter()
    response = client.post(url, content=b"{" * (20 * 1024 * 1024), headers={"Content-Type": "application/json"})
    assert response.status_code == 413, response.text[:200]
    assert time.perf_counter() - started < 5
    secured(response)
    assert "detail" in response.json()
    page = client.post(f"/claims/{store.plain_id}/0/reviews", content=b"a=" + b"b" * (MAX_BODY + 10),
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert page.status_code == 413 and page.headers["content-type"].startswith("text/html")


def test_a_chunked_body_over_the_limit_is_413(store, app):
    reviewer = sign_in(app, "rev")
    token = reviewer.get("/api/me").json()["csrf_token"]

    def chunks():
        for _ in range(40):
            yield b" " * 65536

    response = reviewer.post(f"/api/reviews/{store.plain_id}/0", content=chunks(),
                             headers={"Content-Type": "application/json", "X-CSRF-Token": token})
    assert response.status_code == 413, response.text[:200]
    secured(response)


def test_a_signed_in_reviewer_still_writes(store, app):
    reviewer = sign_in(app, "rev")
    token = reviewer.get("/api/me").json()["csrf_token"]
    response = reviewer.post(f"/api/reviews/{store.plain_id}/0", json={"rating": "False", "rationale": "no convoy"},
                             headers={"X-CSRF-Token": token})
    assert response.status_code == 201, response.text
    bad = reviewer.post(f"/api/reviews/{store.plain_id}/0", content=b"[", headers={"Content-Type": "application/json",
                                                                                   "X-CSRF-Token": token})
    assert bad.status_code == 422


# -- e. an article at the analysis size limit ------------------------------------------------------


def test_a_huge_article_page_is_bounded_and_pages_its_claims(client, store):
    url = f"/articles/{store.huge_id}"
    started = time.perf_counter()
    page = client.get(url)
    elapsed = time.perf_counter() - started
    assert page.status_code == 200
    assert len(page.content) < 1_500_000, len(page.content)
    assert elapsed < 10  # benchmarks/web_hostile.py measures it (well under a second)
    assert f"Claims ({HUGE_CLAIMS})" in page.text
    assert "claims_page=2" in page.text and "1–100 of 3000" in page.text
    assert page.text.count('<a class="claim-content"') == 100
    second = client.get(url, params={"claims_page": 2})
    assert second.status_code == 200 and f'href="/claims/{store.huge_id}/100"' in second.text
    assert f'href="/claims/{store.huge_id}/99"' not in second.text and "claims_page=3" in second.text
    last = client.get(url, params={"claims_page": 30})
    assert "2901–3000 of 3000" in last.text and "claims_page=31" not in last.text
    assert client.get(url, params={"claims_page": 31}).status_code == 404
    assert client.get(url, params={"claims_page": 0}).status_code == 422


def test_a_small_article_shows_every_claim_without_paging(client, store):
    page = client.get(f"/articles/{store.plain_id}")
    assert page.status_code == 200 and "claims_page" not in page.text
    assert "Claims (1)" in page.text and 'class="claim-content"' in page.text


def test_the_huge_articles_api_and_claim_page_answer(client, store):
    api = client.get(f"/api/articles/{store.huge_id}")
    assert api.status_code == 200 and len(api.json()["claims"]) == HUGE_CLAIMS
    claim = client.get(f"/claims/{store.huge_id}/2999")
    assert claim.status_code == 200 and "harbour plan 2999" in claim.text


def test_an_article_analysed_in_part_says_where_analysis_stopped(tmp_path):
    """An article longer than analysis reads (analyze.parse.ANALYSIS_LIMIT) is shown whole,
    with a note that claims, entities and dates past the cut are not found."""
    article = make_article("A long inquiry report", [prose(n, words=120) for n in range(6)],
                           url="https://news.example/long")
    cut = article.body[3].start - 2
    with Store(str(tmp_path / "desk.db")) as opened:
        opened.add(article, line_keys=set(), analysed_end=cut)
        client = TestClient(create_app(opened, base_url="https://desk.example"))
        page = client.get(f"/articles/{article.raw.id}")
        assert page.status_code == 200
        note = re.search(r'<p class="analysis-note"[^>]*>(.*?)</p>', page.text, re.S)
        assert note and f"only the first {cut:,} of {len(article.raw.text):,} characters were analysed" in note.group(1)
        stop = page.text.index('class="analysis-stop"')
        body = article.raw.text
        last_read, first_unread = body[article.body[2].start:article.body[2].end], body[article.body[3].start:article.body[3].end]
        assert page.text.index(last_read[:40]) < stop < page.text.index(first_unread[:40])  # the line falls at the cut
        assert client.get(f"/api/articles/{article.raw.id}").json()["analysed_end"] == cut
        whole = make_article("A short report", [prose(1)], url="https://news.example/short")
        opened.add(whole, line_keys=set())
        shown = client.get(f"/articles/{whole.raw.id}").text
        assert "analysis-note" not in shown and "analysis-stop" not in shown

