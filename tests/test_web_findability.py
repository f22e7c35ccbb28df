"""Finding things on the desk: the API's documentation page and the Follow page (served
under the desk's CSP, no script of their own), feeds named as alternates on every page,
totals and paging on the lists, the news line's sort, its download links, and the
address htmx shows after a partial update being the page's own."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from test_export import add

from claimdesk.store import Store
from claimdesk.store import reviews as desk
from claimdesk.store.schema import claims as claim_table
from claimdesk.web import create_app

BASE = "https://desk.example"


@pytest.fixture
def store(tmp_path):
    with Store(f"sqlite:///{tmp_path / 'find.db'}") as opened:
        yield opened


@pytest.fixture
def client(store):
    """Four articles: their claims and check-worthiness set so that each sort orders them apart."""
    add(store, 1, [("Anna Brook", "claims", "that the bridge will reopen in May", 0.3)],
        outlet="Gazette", published="2024-05-01")
    add(store, 2, [("Anna Brook", "alleges", "that the tender was rigged", 0.5),
                   ("Piet Loos", "states", "that nothing was decided", 0.2),
                   ("Mila Voss", "states", "that ferries run at night", 0.1)],
        outlet="Herald", published="2024-04-01")
    add(store, 3, [("Tomas Weller", "denies", "that the harbour is closed", 0.8),
                   ("Ivo Rand", "states", "that the harbour fee doubled", 0.99)],
        outlet="Courier", published="2024-03-01")
    add(store, 4, [("Ivo Rand", "claims", "that the ferry fleet is old", 0.6)], outlet="Courier", published="2024-02-01")
    with store.engine.begin() as connection:  # a reviewer said Ivo Rand's harbour-fee line is "not a claim"
        connection.execute(update(claim_table).where(claim_table.c.check_worthiness == 0.99).values(rejected_pk=1))
    return TestClient(create_app(store, base_url=BASE))


def titles(html: str) -> list[str]:
    return re.findall(r'class="headline" href="[^"]*">([^<]*)</a>', html)


def hrefs(html: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="([^"]*)"', html)]


# -- the news line: totals, sort, downloads, history -------------------------------------------------


def test_the_news_line_says_how_many_articles_match(client):
    assert re.search(r"<strong>4</strong> articles", client.get("/").text)
    assert re.search(r"<strong>2</strong> articles", client.get("/?outlet=Courier").text)
    assert re.search(r"<strong>1</strong> article\b", client.get("/?q=tender").text)
    assert client.get("/api/articles?outlet=Courier").json()["total"] == 2
    assert "Page 3 is past the end: the last is page 1." in client.get("/?page=3").text


@pytest.mark.parametrize("sort, expected", [
    ("", ["Story 1", "Story 2", "Story 3", "Story 4"]),  # newest first
    ("claims", ["Story 2", "Story 1", "Story 3", "Story 4"]),  # 3, 1, 1 (2 with "not a claim"), 1; ties newest first
    ("check-worthy", ["Story 3", "Story 4", "Story 2", "Story 1"]),  # 0.8 (0.99 is not a claim), 0.6, 0.5, 0.3
])
def test_the_news_line_sorts(client, sort, expected):
    assert [t.split(" from")[0] for t in titles(client.get("/", params={"sort": sort}).text)] == expected


def test_a_search_sorts_too_and_a_bad_sort_is_refused(client):
    found = titles(client.get("/", params={"q": "council", "sort": "claims"}).text)
    assert [t.split(" from")[0] for t in found] == ["Story 2", "Story 1", "Story 3", "Story 4"]
    assert client.get("/?sort=loudest").status_code == 422


def test_the_download_links_export_what_the_filters_show(client):
    page = client.get("/", params={"outlet": "Courier", "hedge": "", "sort": "claims", "page": "1"}).text
    link = next(h for h in hrefs(page) if h.startswith("/export/claims.csv"))
    assert dict(parse_qsl(urlsplit(link).query)) == {"outlet": "Courier"}  # every match: no page, no sort
    exported = client.get(link).text
    assert "that the ferry fleet is old" in exported and "that the harbour is closed" in exported
    assert "harbour fee" not in exported and "Gazette" not in exported  # "not a claim"; another outlet


def test_an_htmx_update_pushes_the_address_of_the_page_it_shows_once(client):
    """Apply after a filter's change had already loaded that page: the same address is
    replaced, not pushed again (a second entry made Back seem to do nothing)."""
    form = {"q": "", "outlet": "Courier", "speaker": "", "sort": ""}
    changed = client.get("/", params=form, headers={"HX-Request": "true", "HX-Current-URL": f"{BASE}/"})
    assert changed.headers["HX-Push-Url"] == "/?outlet=Courier" and "HX-Replace-Url" not in changed.headers
    again = client.get("/", params=form, headers={"HX-Request": "true", "HX-Current-URL": f"{BASE}/?outlet=Courier"})
    assert again.headers["HX-Replace-Url"] == "/?outlet=Courier" and "HX-Push-Url" not in again.headers
    assert "HX-Push-Url" not in client.get("/?outlet=Courier").headers  # a plain page load: the browser's own


# -- the speakers list -----------------------------------------------------------------------------


def test_the_speakers_list_pages_past_a_hundred_with_a_total(store):
    names = [f"Ada {chr(65 + i // 26)}{chr(97 + i % 26)}mberg" for i in range(105)]
    for n, name in enumerate(names):
        add(store, 100 + n, [(name, "states", f"that point {n} stands", 0.5)], outlet="Gazette", published="2024-01-01")
    client = TestClient(create_app(store, base_url=BASE))
    first, second = client.get("/speakers").text, client.get("/speakers?page=2").text
    assert "<strong>105</strong> speakers, page 1 of 2" in first and 'rel="next"' in first
    listed = lambda html: re.findall(r'<li><a href="/speakers/[^"]*">([^<]*)</a>', html)
    assert len(listed(first)) == 100 and len(listed(second)) == 5
    assert sorted(listed(first) + listed(second)) == sorted(names)
    assert 'rel="next"' not in second and "page 2 of 2" in second


# -- the API documentation and the Follow page -------------------------------------------------------


def test_the_api_page_documents_every_operation_with_an_example_that_answers(client):
    page = client.get("/api")
    assert page.status_code == 200 and "script-src 'self'" in page.headers["content-security-policy"]
    html = page.text
    assert not re.search(r"<script(?![^>]*\bsrc=\"/static/)", html)  # no inline script, nothing from elsewhere
    schema = client.get("/api/openapi.json").json()
    for path, methods in schema["paths"].items():
        for method in methods:
            assert f'id="{method}-{path}"' in unescape(html), (method, path)
    for tag in ("api", "exports", "feeds", "reviews"):
        assert f'id="tag-{tag}"' in html
    examples = dict(re.findall(r'id="get-([^"]*)".*?<pre class="code example">curl &#39;([^&]*)&#39;</pre>',
                               html, re.S))
    for path in ("/api/articles/{article_id}", "/api/claims/{article_id}/{seq}", "/api/speakers/{name}",
                 "/feeds/reviews.{kind}", "/export/claims.{fmt}"):
        answer = client.get(unescape(examples[path]).removeprefix(BASE))
        assert answer.status_code == 200, (path, examples[path], answer.text[:200])


def test_the_follow_page_links_every_feed_the_claimreview_lines_and_the_exports(client, store):
    desk.add_user(store, "ed", "x", "editor")
    html = client.get("/follow").text
    links = [h for h in hrefs(html) if h.startswith("/") and not h.startswith("/static/")]
    for wanted in ("/feeds/articles.atom", "/feeds/reviews.atom", "/feeds/reviews.rss", "/feeds/reviews.json",
                   "/claimreview.jsonl", "/export/claims.csv", "/export/claims.jsonld", "/export/reviews.csv", "/api"):
        assert wanted in links
    assert any(h.startswith("/feeds/speakers/") for h in links)
    for link in links:
        assert client.get(link).status_code == 200, link


def test_every_page_names_the_feeds_and_the_nav_leads_to_the_docs_and_follow_pages(client):
    html = client.get("/speakers").text
    alternates = re.findall(r'<link rel="alternate" type="[^"]*" title="[^"]*" href="([^"]*)">', html)
    assert {"/feeds/articles.atom", "/feeds/reviews.atom", "/feeds/reviews.rss", "/feeds/reviews.json"} <= set(alternates)
    nav = html.split('aria-label="main"')[1].split("</nav>")[0]
    assert '<a href="/api">API</a>' in nav and '<a href="/follow">Follow</a>' in nav
