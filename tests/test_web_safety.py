"""Scraped text is hostile: articles full of scripts, event handlers and javascript: links,
in titles, bodies, outlets, URLs, speaker and entity names, go through the real ingest
and the real app; every page, feed and API answer must carry them as inert text, and
every response the Content-Security-Policy that forbids inline scripts.

(That no script *runs* in a browser is checked by the Playwright tests.)
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from urllib.parse import quote

import feedparser
import pytest
from fastapi.testclient import TestClient

from claimdesk import pipeline
from claimdesk.clean import clean
from claimdesk.model import Claim, DateMention, Entity, HeadlineCheck, HeadlineReason, RawDocument, Span
from claimdesk.store import Store
from claimdesk.web import create_app

SCRIPT = "<script>alert('xss')</script>"
IMG = '<img src=x onerror="alert(1)">'
LINK = '<a href="javascript:alert(2)">click</a>'
QUOTE_BREAK = '" onmouseover="alert(3)" x="'
SVG = "<svg onload=alert(4)>"
ALL = f"{SCRIPT} {IMG} {LINK} {QUOTE_BREAK} {SVG}"

EVIL_OUTLET = f"Evil {SCRIPT} Times {QUOTE_BREAK}"
EVIL_SPEAKER = f"Ivan {SCRIPT}{QUOTE_BREAK}Petrov"
EVIL_ENTITY = f"Acme {IMG} Corp"


def hostile_records() -> list[dict]:
    body = (f"Minister Ivan Petrov said that the harbour {SCRIPT} would reopen in May.\n\n"
            f"Critics claimed that the plan {IMG} was rushed {LINK}.\n\n"
            f"The ministry denied that the tender {QUOTE_BREAK} had been rigged {SVG}.")
    return [
        {"url": "javascript:alert(document.cookie)", "outlet": EVIL_OUTLET, "published": "2025-05-01",
         "title": f"Harbour {SCRIPT} reopens {IMG}", "text": body},
        {"url": f"https://evil.example/{SCRIPT}?q={QUOTE_BREAK}", "outlet": f"{LINK} Daily", "published": "2025-05-02",
         "author": ALL, "title": f"Tender {LINK} row {QUOTE_BREAK}", "text": body.replace("May", "June")},
    ]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "hostile.jsonl").write_text("\n".join(json.dumps(r) for r in hostile_records()) + "\n")
    (folder / "dump.txt").write_text(f"Dump {SCRIPT}\n\nMenu {LINK}\n\nThe mayor said that {IMG} nothing was hidden "
                                     f"from the auditors this year.\n\n{SVG} Share this article\n")
    db = tmp_path_factory.mktemp("db") / "hostile.db"
    with Store(f"sqlite:///{db}") as store:
        summary = pipeline.ingest([str(folder / "hostile.jsonl"), str(folder / "dump.txt")], store)
        assert not summary.errors
        # names the analysis would never produce, stored as if it had: the store holds whatever it is given
        text = f"{ALL}\n\nSpokesman {EVIL_SPEAKER} said that {EVIL_ENTITY} paid {ALL} on May 5.\n"
        raw = RawDocument(text=text, url="javascript:alert(5)", outlet=EVIL_OUTLET, published="2025-05-05")

        def at(piece: str, after: int = 0) -> Span:
            start = text.index(piece, after)
            return Span(start, start + len(piece))

        body_at = text.index("Spokesman")
        store.add(
            clean(raw),
            line_keys=set(),
            claims=[Claim(source=at(f"Spokesman {EVIL_SPEAKER}"), speaker=EVIL_SPEAKER, cue=at("said"),
                          content=at(f"that {EVIL_ENTITY} paid {ALL}", body_at), hedge="states",
                          medium=at(SCRIPT, body_at), speaker_type="person")],  # typed as analysis would
            entities=[Entity(at(EVIL_SPEAKER), "PERSON", EVIL_SPEAKER, role=ALL),
                      Entity(at(EVIL_ENTITY), "ORG", EVIL_ENTITY, role=SCRIPT)],
            dates=[DateMention(at("May 5"), f"2025-05-05{SCRIPT}")],
            headline=HeadlineCheck("does-not-fit", "unrelated", 0.1, (HeadlineReason(f"kind{SVG}", ALL, (at(IMG),)),)),
        )
        yield store


@pytest.fixture(scope="module")
def client(store):
    with TestClient(create_app(store, base_url="http://testserver")) as client:
        yield client


ALLOWED_SCRIPTS = ({"src": "/static/vendor/htmx.min.js", "defer": None}, {"type": "application/ld+json"})
FOREIGN_TAGS = {"img", "iframe", "object", "embed", "base", "meta", "link", "svg", "math", "frame", "style"}


class Tags(HTMLParser):
    """Every element a browser would build from the page, with its attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def inert_html(html: str) -> None:
    """No element, attribute or URL of the hostile text survived as markup: the page's
    elements are only claimdesk's own (parsed as a browser would, not by pattern)."""
    parser = Tags()
    parser.feed(html)
    for tag, attrs in parser.tags:
        handlers = [name for name in attrs if name.startswith("on")]
        assert not handlers, (tag, attrs)
        if tag == "script":
            assert attrs in ALLOWED_SCRIPTS, attrs
        for name in ("href", "src", "action", "formaction", "xlink:href"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), (tag, attrs)
        if tag in FOREIGN_TAGS:
            assert (tag, attrs.get("rel")) in {("meta", None), ("link", "stylesheet"), ("link", "alternate"), ("svg", None)}, (tag, attrs)
            if tag == "svg":
                assert attrs.get("role") == "img" and "onload" not in attrs  # the timeline chart


def pages(client) -> list[str]:
    items = client.get("/api/articles").json()["items"]
    urls = ["/", "/?q=harbour", "/?q=script", f"/?outlet={quote(EVIL_OUTLET)}", "/speakers",
            f"/speakers?q={quote(SCRIPT)}", f"/speakers/{quote(EVIL_SPEAKER, safe='')}",
            f"/entities/{quote(EVIL_ENTITY, safe='')}", f"/speakers/{quote(SCRIPT, safe='')}", f"/?speaker={quote(ALL)}"]
    for item in items:
        urls += [f"/articles/{item['id']}", f"/articles/{item['id']}/raw"]
        for claim in client.get(f"/api/articles/{item['id']}").json()["claims"]:
            urls.append(f"/claims/{item['id']}/{claim['seq']}")
    return urls


def test_the_hostile_articles_went_in(client):
    items = client.get("/api/articles").json()["items"]
    assert len(items) == 4
    assert {i["outlet"] for i in items} >= {EVIL_OUTLET, f"{LINK} Daily"}
    assert any(SCRIPT in i["title"] for i in items)


def test_every_page_shows_hostile_text_as_text(client):
    urls = pages(client)
    assert len(urls) > 15
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        inert_html(response.text)


def test_hostile_text_is_shown_not_dropped(client):
    items = client.get("/api/articles").json()["items"]
    evil = next(i for i in items if i["url"] == "javascript:alert(5)")
    page = client.get(f"/articles/{evil['id']}").text
    assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in page
    # the article's address is shown, never made a link
    assert "javascript:alert(5)" in page and 'href="javascript:' not in page.lower()
    # hover titles cannot be broken out of
    assert re.search(r'title="PERSON: [^"]*&lt;script&gt;', page)


def test_search_snippets_escape_the_text_around_the_marks(client):
    page = client.get("/", params={"q": "harbour"}).text
    snippets = re.findall(r'<p class="snippet">(.*?)</p>', page, re.S)
    assert snippets and all("<mark>" in s.lower() for s in snippets)
    assert any("&lt;script&gt;" in s for s in snippets)
    inert_html(page)


@pytest.mark.parametrize("url", ["/feeds/articles.atom", "/feeds/articles.rss", "/feeds/articles.json",
                                 f"/feeds/speakers/{quote(EVIL_SPEAKER, safe='')}.atom",
                                 f"/feeds/speakers/{quote(EVIL_SPEAKER, safe='')}.rss",
                                 f"/feeds/speakers/{quote(EVIL_SPEAKER, safe='')}.json"])
def test_feeds_carry_hostile_text_escaped(client, url):
    response = client.get(url)
    assert response.status_code == 200
    if url.endswith(".json"):
        data = response.json()
        assert response.headers["content-type"].startswith("application/feed+json")
        titles = [item["title"] for item in data["items"]]
        assert all(item["url"].startswith("http://testserver/") for item in data["items"])
    else:
        assert b"<script" not in response.content.lower() and b"<img" not in response.content.lower()
        feed = feedparser.parse(response.content)
        assert not feed.bozo, feed.get("bozo_exception")
        titles = [e.title for e in feed.entries]
        assert all(e.link.startswith("http://testserver/") for e in feed.entries)
    assert any(SCRIPT in t or IMG in t or LINK in t for t in titles)  # the text itself, unchanged


def test_the_api_returns_hostile_text_as_json_data(client):
    items = client.get("/api/articles").json()["items"]
    for item in items:
        response = client.get(f"/api/articles/{item['id']}")
        assert response.headers["content-type"] == "application/json"
        assert response.headers["x-content-type-options"] == "nosniff"
        data = response.json()
        assert data["title"]["text"] == data["text"][data["title"]["start"]:data["title"]["end"]]
    speaker = client.get(f"/api/speakers/{quote(EVIL_SPEAKER, safe='')}").json()["claims"]
    assert speaker["name"] == EVIL_SPEAKER and speaker["by"][0]["content"].endswith(ALL)


def test_every_response_carries_the_security_headers(client):
    urls = pages(client) + ["/feeds/articles.atom", "/feeds/articles.json", "/api/articles", "/api/openapi.json",
                            "/static/desk.css", "/no/such/page", "/api/no/such", "/?since=never", "/api/articles?page=0"]
    for url in urls:
        response = client.get(url)
        csp = response.headers.get("content-security-policy", "")
        directives = {d.split()[0]: d.split()[1:] for d in csp.split("; ") if d}
        assert directives.get("script-src") == ["'self'"], (url, csp)
        assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
        assert directives.get("frame-ancestors") == ["'none'"] and directives.get("object-src") == ["'none'"]
        assert response.headers.get("x-content-type-options") == "nosniff", url
        assert response.headers.get("referrer-policy") == "no-referrer", url


def test_error_pages_escape_what_was_asked(client):
    page = client.get(f"/articles/{quote(IMG, safe='')}")
    assert page.status_code == 404
    inert_html(page.text)
    assert "&lt;img src=x onerror=" in page.text  # what was asked is said back, as text
    page = client.get("/", params={"since": SCRIPT})
    assert page.status_code == 422
    inert_html(page.text)
