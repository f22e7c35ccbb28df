"""The web desk as a reader uses it: the real app over a store filled by claimdesk's own ingest.

One store per module: the examples shipped with claimdesk, a JSONL export of short
synthetic council stories from two outlets (enough for two pages of news line), a
syndicated copy in a third outlet, and one article stored with a hand-made analysis
(dates, a headline check) whose offsets the tests know.
"""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path
from urllib.parse import quote

import feedparser
import pytest
from fastapi.testclient import TestClient

from claimdesk import pipeline
from claimdesk.clean import clean
from claimdesk.model import LOW_CONFIDENCE, Claim, DateMention, HeadlineCheck, HeadlineReason, RawDocument, Span
from claimdesk.store import Store, queries
from claimdesk.web import create_app

EXAMPLES = Path(__file__).resolve().parents[1] / "src" / "claimdesk" / "examples"
HARBOUR_TITLE = "Port authority denies dredging contract was rigged"
STORIES = 26  # with the 3 examples and the copies: more than one page of 25

# Words that make each story its own text (near-duplicate detection compares word shingles).
_VOCABULARY = ("amber basalt cedar delta ember falcon granite harbor indigo juniper kestrel lantern meadow "
               "nickel orchard pebble quarry raven saffron timber umber violet willow yarrow zephyr "
               "anchor bramble copper dune fennel glacier hollow iris jasper kelp lichen marble").split()


def story(n: int) -> dict:
    words = " ".join(_VOCABULARY[(n * 7 + k * 3) % len(_VOCABULARY)] for k in range(40))
    about = (f"Engineer Tomas Weller claimed that Anna Brook had ignored the warnings about pier {n}.\n\n"
             if n % 3 == 0 else f"Engineer Tomas Weller claimed that the piers had cracked after the floods of district {n}.\n\n")
    return {
        "url": f"https://news.example/bridge/{n}",
        "outlet": "Velmora Herald" if n % 2 else "Harbour Courier",
        "published": f"2025-{1 + n % 6:02d}-{n:02d}",
        "title": f"Bridge council meeting number {n} ends without a decision",
        "text": (f"The city council met for the {n}th time on the future of the old bridge over the {words}.\n\n"
                 f"Mayor Anna Brook said that the bridge would reopen to light traffic in spring {2025 + n % 2}.\n\n"
                 + about +
                 "Residents asked for a ferry while the bridge stays closed."),
    }


COPY_TEXT = (
    "Port workers walked out on Friday after the harbour board cut night shift pay by a fifth.\n\n"
    "Union leader Marta Olsen said that the strike would last until the board restored the old rates "
    "and paid the wages it had held back since the winter.\n\n"
    "The board's chairman, Viktor Hale, told reporters that the harbour could not afford the old rates "
    "and that the cut had been agreed with the workers' council in January.\n\n"
    "Ships waiting to unload were sent to the northern terminal, where crews worked through the night "
    "to clear the queue before the weekend storms."
)

DATED_TEXT = ("Flood wall plan approved in 2016\n\n"
              "The regional board approved the flood wall on March 3, 2024, after two years of hearings.\n\n"
              "Board member Ilse Varga said the wall would be finished by 2027.\n")


def _span(text: str, piece: str) -> Span:
    start = text.index(piece)
    return Span(start, start + len(piece))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    (folder / "council.jsonl").write_text("\n".join(json.dumps(story(n)) for n in range(1, STORIES + 1)) + "\n")
    copies = [
        {"url": "https://herald.example/strike", "outlet": "Velmora Herald", "published": "2025-07-01",
         "title": "Port strike", "text": COPY_TEXT},
        {"url": "https://courier.example/strike", "outlet": "Lakeside Courier", "published": "2025-07-02",
         "title": "Port strike", "text": COPY_TEXT.replace("by a fifth", "by a fifth, union says")},
    ]
    (folder / "copies.jsonl").write_text("\n".join(json.dumps(c) for c in copies) + "\n")
    return folder


@pytest.fixture(scope="module")
def store(tmp_path_factory, corpus):
    db = tmp_path_factory.mktemp("web") / "desk.db"
    with Store(f"sqlite:///{db}") as store:
        inputs = [str(p) for p in sorted(EXAMPLES.iterdir())] + [str(corpus / "council.jsonl"), str(corpus / "copies.jsonl")]
        summary = pipeline.ingest(inputs, store)
        assert not summary.errors
        # one article with an analysis the tests know offset by offset
        raw = RawDocument(text=DATED_TEXT, url="https://dated.example/wall", outlet="River Gazette",
                          published="2024-03-04", format="text")
        article = clean(raw)
        text = DATED_TEXT
        store.add(
            article,
            line_keys=set(),
            claims=[Claim(source=_span(text, "Board member Ilse Varga"), speaker="Ilse Varga", cue=_span(text, "said"),
                          content=_span(text, "the wall would be finished by 2027"), hedge="states")],
            dates=[DateMention(_span(text, "March 3, 2024"), "2024-03-03"), DateMention(_span(text, "2027"), "2027")],
            headline=HeadlineCheck(verdict="does-not-fit", stance="unrelated", score=0.12, reasons=(
                HeadlineReason("date-outside-frame", "the headline's year 2016 is before the body's events (2024 or later)",
                               (_span(text, "2016"),)),
            )),
        )
        yield store


@pytest.fixture(scope="module")
def client(store):
    with TestClient(create_app(store, base_url="http://testserver")) as client:
        yield client


def visible(html: str) -> str:
    """The page's text as a reader sees it (tags out, entities decoded, spaces collapsed)."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def news_titles(html: str) -> list[str]:
    return [unescape(t) for t in re.findall(r'<a class="headline" href="/articles/[0-9a-f]+">([^<]*)</a>', html)]


def all_items(client, **params) -> list[dict]:
    """Every article the API's news line gives for these parameters, page after page."""
    items, page = [], 1
    while True:
        found = client.get("/api/articles", params={**params, "page": page}).json()
        items += found["items"]
        if not found["has_next"]:
            return items
        page += 1


def article_id(client, title: str) -> str:
    api = client.get("/api/articles", params={"q": title}).json()
    return next(item["id"] for item in api["items"] if item["title"] == title)


# -- news line --------------------------------------------------------------------------------


def test_the_news_line_lists_the_latest_articles_first_with_outlet_date_and_claims(client):
    page = client.get("/")
    assert page.status_code == 200
    api = client.get("/api/articles").json()["items"]
    dates = [item["published"] for item in api if item["published"]]
    assert dates == sorted(dates, reverse=True) and len(dates) >= 20
    assert news_titles(page.text) == [item["title"] for item in api]
    first = api[0]
    shown = visible(page.text)
    assert first["outlet"] in shown and first["published"] in shown
    assert f"{first['claims']} claim" in shown


def test_the_news_line_pages_through_every_article_once(client, store):
    first, second = client.get("/"), client.get("/?page=2")
    assert 'rel="next"' in first.text and 'rel="prev"' in second.text
    one, two = news_titles(first.text), news_titles(second.text)
    assert len(one) == queries.PAGE_SIZE and two
    ids_one = {i["id"] for i in client.get("/api/articles").json()["items"]}
    ids_two = {i["id"] for i in client.get("/api/articles?page=2").json()["items"]}
    assert not ids_one & ids_two
    assert store.stats()["documents"] == len(one) + len(two)
    assert 'rel="next"' not in second.text


def test_filters_narrow_the_news_line(client):
    herald = client.get("/api/articles", params={"outlet": "Velmora Herald"}).json()["items"]
    assert herald and all(item["outlet"] == "Velmora Herald" for item in herald)
    spring = client.get("/api/articles", params={"since": "2025-03-01", "until": "2025-03-31"}).json()["items"]
    assert spring and all("2025-03-01" <= item["published"] <= "2025-03-31" for item in spring)
    page = client.get("/", params={"outlet": "Velmora Herald", "since": "2025-03-01", "until": "2025-03-31"})
    assert set(news_titles(page.text)) == {i["title"] for i in spring if i["outlet"] == "Velmora Herald"}
    # the page keeps the filters on its form and in its paging links
    assert 'value="2025-03-01"' in page.text and '<option value="Velmora Herald" selected>' in page.text


def test_speaker_entity_and_hedge_filters(client):
    korsak = client.get("/api/articles", params={"speaker": "Korsak"}).json()["items"]
    assert [i["title"] for i in korsak] == [HARBOUR_TITLE]
    weller = all_items(client, entity="Tomas Weller")
    assert len(weller) == STORIES and all(i["title"].startswith("Bridge council") for i in weller)
    denials = client.get("/api/articles", params={"hedge": "denies"}).json()["items"]
    assert HARBOUR_TITLE in {i["title"] for i in denials}
    assert all("Bridge council" not in i["title"] for i in denials)
    # an empty form field means "any", as a browser submits it
    assert len(client.get("/api/articles", params={"speaker": "", "hedge": ""}).json()["items"]) == queries.PAGE_SIZE


def test_search_shows_snippets_with_the_matched_words_marked(client):
    page = client.get("/", params={"q": "dredging"})
    assert news_titles(page.text) == [HARBOUR_TITLE]
    snippet = re.search(r'<p class="snippet">(.*?)</p>', page.text).group(1)
    assert "<mark>dredging</mark>" in snippet.lower()
    assert "Search results" in page.text


def test_search_and_filters_combine(client):
    both = client.get("/api/articles", params={"q": "bridge", "outlet": "Harbour Courier"}).json()["items"]
    assert both and all(i["outlet"] == "Harbour Courier" for i in both)
    assert client.get("/api/search", params={"q": "bridge", "outlet": "Nowhere Times"}).json()["items"] == []
    assert "Nothing matches" in client.get("/", params={"q": "zzyzx"}).text


# -- article ----------------------------------------------------------------------------------


def test_the_article_page_highlights_source_cue_and_content(client):
    page = client.get(f"/articles/{article_id(client, HARBOUR_TITLE)}")
    assert page.status_code == 200
    html = page.text
    source = re.search(r'<mark class="claim-source"[^>]*>Opposition deputy (.*?)</mark>', html)
    assert source and "Lina Korsak" in source.group(1)
    assert re.search(r'<mark class="claim-cue hedge-alleges"[^>]*>alleged</mark>', html)
    assert re.search(r'<mark class="claim-content"[^>]*>that two competing offers were disqualified on technicalities</mark>', html)
    assert 'class="legend"' in html  # the reader is told which colour is which
    # speakers and entities link to their pages
    assert f'href="/speakers/{quote("Lina Korsak")}"' in html
    assert f'href="/entities/{quote("Radio Meridian")}"' in html


def test_the_article_page_shows_what_was_removed_and_the_raw_document_on_demand(client):
    article = client.get(f"/articles/{article_id(client, HARBOUR_TITLE)}").text
    removed = re.search(r'<details class="removed">(.*?)</details>', article, re.S).group(1)
    assert "duplicate-title" in removed and "site-chrome" in removed
    assert "Subscribe to our newsletter" in removed and "after the last paragraph" in removed
    raw_link = re.search(r'href="(/articles/[0-9a-f]+/raw)"', article).group(1)
    raw = client.get(raw_link)
    assert "Home | Politics | Economy | Regions" in raw.text and "<h1>" in raw.text  # a page of its own
    fragment = client.get(raw_link, headers={"HX-Request": "true"})
    assert "Home | Politics | Economy | Regions" in fragment.text and "<html" not in fragment.text


def test_the_headline_warning_and_its_reasons_show_where_the_headline_does_not_fit(client):
    line = client.get("/", params={"outlet": "River Gazette"}).text
    assert "headline does not fit" in visible(line)
    fitting = client.get("/", params={"outlet": "Lakeside Courier"}).text
    assert "headline does not fit" not in visible(fitting)
    page = client.get(f"/articles/{article_id(client, 'Flood wall plan approved in 2016')}").text
    shown = visible(page)
    assert "headline does not fit" in shown
    assert "the headline's year 2016 is before the body's events (2024 or later)" in shown
    # the span the reason points at is marked in the headline
    assert re.search(r'<span class="reason-span reason-date-outside-frame" title="[^"]*">2016</span>', page)


def test_dates_carry_their_normalised_value_on_hover(client):
    page = client.get(f"/articles/{article_id(client, 'Flood wall plan approved in 2016')}").text
    assert re.search(r'<time class="date date-date" title="2024-03-03">March 3, 2024</time>', page)


def test_near_duplicate_copies_in_other_outlets_are_listed(client):
    items = client.get("/api/articles", params={"q": "strike"}).json()["items"]
    herald = next(i for i in items if i["outlet"] == "Velmora Herald")
    courier = next(i for i in items if i["outlet"] == "Lakeside Courier")
    page = client.get(f"/articles/{herald['id']}").text
    copies = re.search(r'<section class="copies">(.*?)</section>', page, re.S).group(1)
    assert f"/articles/{courier['id']}" in copies and "Lakeside Courier" in copies


def test_share_links_are_plain_links_to_the_page(client):
    page = client.get(f"/articles/{article_id(client, HARBOUR_TITLE)}").text
    share = re.search(r'<p class="share">(.*?)</p>', page, re.S).group(1)
    hrefs = [unescape(h) for h in re.findall(r'href="([^"]+)"', share)]
    assert any(h.startswith("mailto:?") for h in hrefs) and any(h.startswith("https://x.com/intent/post?") for h in hrefs)
    assert all(quote("http://testserver/articles/", safe="") in h or "http%3A%2F%2Ftestserver%2Farticles%2F" in h for h in hrefs)


def test_a_missing_article_is_a_404_page(client):
    page = client.get("/articles/" + "0" * 64)
    assert page.status_code == 404 and "Not found" in page.text
    assert client.get("/api/articles/" + "0" * 64).status_code == 404


# -- speaker, entity, claim --------------------------------------------------------------------


def _claims_by(html: str) -> list[str]:
    return re.findall(r'href="(/claims/[^"]+)"', re.search(r'<section class="claims-by">(.*?)</section>', html, re.S).group(1))


def test_a_speakers_claims_come_a_page_at_a_time_newest_first(client, monkeypatch):
    from claimdesk.web.pagecache import PageCache

    monkeypatch.setattr(queries, "CLAIMS_PAGE_SIZE", 10)
    kept, client.app.state.page_cache = client.app.state.page_cache, PageCache(enabled=False)  # pages of 10 not kept
    try:
        pages, url = [], f"/speakers/{quote('Anna Brook')}"
        while url:
            html = client.get(url).text
            pages.append(_claims_by(html))
            following = re.search(r'<a rel="next" href="([^"]+)"', html)
            url = f"/speakers/{quote('Anna Brook')}" + unescape(following.group(1)) if following else None
    finally:
        client.app.state.page_cache = kept
    assert [len(p) for p in pages] == [10, 10, STORIES - 20]  # paging links lead through all of them, once each
    seen = [link for p in pages for link in p]
    assert len(set(seen)) == STORIES
    api = client.get(f"/api/speakers/{quote('Anna Brook')}").json()["claims"]
    dates = [c["published"] for c in api["by"]]
    assert dates == sorted(dates, reverse=True)  # newest article first


def test_the_speaker_page_shows_every_claim_by_and_about_them_on_a_timeline(client):
    page = client.get(f"/speakers/{quote('Anna Brook')}")
    assert page.status_code == 200
    html = page.text
    assert len(_claims_by(html)) == STORIES  # under a page of 50: all of them
    about = re.search(r'<section class="claims-about">(.*?)</section>', html, re.S).group(1)
    assert about.count('class="claim-line"') == STORIES // 3 and "ignored the warnings" in about
    assert "Mayor" in visible(re.search(r"Roles as seen(.*?)</section>", html, re.S).group(1))
    assert re.search(r"<span class=\"hedge hedge-states\">states</span> %d" % STORIES, html)
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    api = client.get(f"/api/speakers/{quote('Anna Brook')}").json()["claims"]
    assert svg.count('class="dot dot-by"') == len({p["date"] for p in api["timeline"] if p["by"]})
    assert svg.count('class="dot dot-about"') == len({p["date"] for p in api["timeline"] if p["about"]})


def test_the_entity_page_shows_the_entity_across_outlets(client):
    page = client.get(f"/entities/{quote('Tomas Weller')}")
    assert page.status_code == 200
    outlets = visible(re.search(r"<h2>Outlets</h2>(.*?)</section>", page.text, re.S).group(1))
    assert "Velmora Herald" in outlets and "Harbour Courier" in outlets
    assert client.get(f"/entities/{quote('Nobody At All')}").status_code == 404


def test_the_claim_page_shows_the_claim_in_context_and_the_same_claim_elsewhere(client):
    items = client.get("/api/articles", params={"q": "strike"}).json()["items"]
    herald = next(i for i in items if i["outlet"] == "Velmora Herald")
    courier = next(i for i in items if i["outlet"] == "Lakeside Courier")
    article = client.get(f"/api/articles/{herald['id']}").json()
    seq = next(c["seq"] for c in article["claims"] if c["speaker"] == "Marta Olsen")
    page = client.get(f"/claims/{herald['id']}/{seq}")
    assert page.status_code == 200
    context = re.search(r'<section class="context">(.*?)</section>', page.text, re.S).group(1)
    assert re.search(r'<mark class="claim-content"[^>]*>that the strike would last', context)
    elsewhere = re.search(r'<section class="elsewhere">(.*?)</section>', page.text, re.S).group(1)
    assert f"/claims/{courier['id']}/" in elsewhere and "Lakeside Courier" in elsewhere
    assert 'id="reviews"' in page.text  # the reviews block of the review desk is on the page
    assert client.get(f"/claims/{herald['id']}/999").status_code == 404


# -- API, feeds -----------------------------------------------------------------------------


def test_the_api_returns_what_the_pages_show(client):
    line = client.get("/api/articles").json()
    assert news_titles(client.get("/").text) == [i["title"] for i in line["items"]]
    harbour = article_id(client, HARBOUR_TITLE)
    data = client.get(f"/api/articles/{harbour}").json()
    page = client.get(f"/articles/{harbour}").text
    every = client.get(f"/articles/{harbour}?low=1").text  # low-confidence claims are listed only when asked
    assert data["schema"] == 1 and data["id"] == harbour
    for claim in data["claims"]:
        link = f'/claims/{harbour}/{claim["seq"]}">'
        low = claim["confidence"] is not None and claim["confidence"] < LOW_CONFIDENCE
        assert (link in page) != low and link in every
        assert unescape(every.split(link, 1)[1].split("</a>", 1)[0]) == claim["content"]["text"]
    speaker = client.get(f"/api/speakers/{quote('Lina Korsak')}").json()["claims"]
    speaker_page = client.get(f"/speakers/{quote('Lina Korsak')}").text
    assert speaker["by_total"] == 2 and all(unescape(c["content"]) in unescape(speaker_page) for c in speaker["by"])
    claim = client.get(f"/api/claims/{harbour}/{data['claims'][0]['seq']}").json()
    assert claim["claim"] == data["claims"][0]
    assert {s["name"] for s in client.get("/api/speakers").json()} >= {"Anna Brook", "Lina Korsak"}


def test_the_openapi_document_is_served(client):
    doc = client.get("/api/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    for path in ("/api/articles", "/api/articles/{article_id}", "/api/claims/{article_id}/{seq}", "/api/search",
                 "/api/speakers/{name}", "/api/entities/{name}"):
        assert path in doc["paths"], path


def parse_feed(response):
    """Atom and RSS through feedparser; JSON Feed 1.1 read by its spec's required fields
    (feedparser 6 does not read JSON Feed), into the same shape."""
    if response.headers["content-type"].startswith("application/feed+json"):
        data = response.json()
        assert data["version"] == "https://jsonfeed.org/version/1.1"
        assert data["title"] and isinstance(data["items"], list)
        for item in data["items"]:
            assert item["id"] and ("content_text" in item or "content_html" in item)
        return feedparser.FeedParserDict(entries=[feedparser.FeedParserDict(title=i.get("title"), link=i.get("url"))
                                                  for i in data["items"]])
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version in ("atom10", "rss20"), feed.version
    return feed


@pytest.mark.parametrize("kind", ["atom", "rss", "json"])
def test_the_news_line_feeds_parse_back(client, kind):
    response = client.get(f"/feeds/articles.{kind}")
    assert response.status_code == 200
    assert response.headers["content-type"].endswith("charset=utf-8")  # else a browser guesses the encoding
    feed = parse_feed(response)
    line = client.get("/api/articles").json()["items"]
    assert [e.title for e in feed.entries[: len(line)]] == [i["title"] for i in line]
    assert feed.entries[0].link.endswith(f"/articles/{line[0]['id']}")


@pytest.mark.parametrize("kind", ["atom", "rss", "json"])
def test_a_speaker_feed_has_their_claims(client, kind):
    response = client.get(f"/feeds/speakers/{quote('Lina Korsak')}.{kind}")
    assert response.status_code == 200
    feed = parse_feed(response)
    assert len(feed.entries) == 2
    assert any("disqualified on technicalities" in e.title for e in feed.entries)
    assert all("/claims/" in e.link for e in feed.entries)
    assert client.get(f"/feeds/speakers/{quote('Nobody At All')}.{kind}").status_code == 404


def test_the_hedge_scale_is_the_analysers(client):
    from claimdesk.analyze.hedge import SCALE

    assert queries.HEDGES == SCALE


def test_htmx_is_served_when_the_setup_installed_it(client):
    from claimdesk.web.app import VENDOR

    if not VENDOR.is_dir():
        pytest.skip("htmx not installed (scripts/setup.sh installs it with npm)")
    response = client.get("/static/vendor/htmx.min.js")
    assert response.status_code == 200 and "htmx" in response.text[:2000]


def test_the_verdict_filter_keeps_articles_whose_published_review_has_that_rating(client, store):
    from claimdesk.store import reviews as desk

    desk.add_user(store, "verdict-editor", "not-a-real-hash", "editor")
    harbour = article_id(client, HARBOUR_TITLE)
    key = desk.claim_key(harbour, 3)
    desk.add_review(store, key, rating="Misleading", rationale="The offers were disqualified by the rules.",
                    reviewer="verdict-editor")
    assert all_items(client, verdict="Misleading") == []  # a draft is no verdict yet
    desk.publish(store, key, editor="verdict-editor")
    assert [i["title"] for i in all_items(client, verdict="Misleading")] == [HARBOUR_TITLE]
    assert all_items(client, verdict="False") == []
    page = client.get("/", params={"verdict": "Misleading"}).text
    assert news_titles(page) == [HARBOUR_TITLE] and '<option value="Misleading" selected>' in page
    desk.unpublish(store, key, editor="verdict-editor")
    assert all_items(client, verdict="Misleading") == []


def test_the_entity_page_lists_the_articles_that_mention_it(client):
    page = client.get(f"/entities/{quote('Marta Olsen')}").text
    mentions = re.search(r'<section class="mentions">(.*?)</section>', page, re.S).group(1)
    assert "Velmora Herald" in mentions and "Lakeside Courier" in mentions
    api = client.get(f"/api/entities/{quote('Marta Olsen')}").json()
    assert [a["outlet"] for a in api["articles"]] == ["Lakeside Courier", "Velmora Herald"]  # newest first


@pytest.mark.parametrize("workers", [1, 2])
def test_claimdesk_serve_serves_the_desk_over_http(store, client, workers):
    import socket
    import subprocess
    import sys
    import time

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    db = store.url.split("///", 1)[1]
    server = subprocess.Popen([sys.executable, "-m", "claimdesk.cli", "serve", "--db", db, "--port", str(port),
                               "--workers", str(workers)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(150):
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            pytest.fail("claimdesk serve did not answer")
        assert response.status_code == 200
        assert news_titles(response.text) == news_titles(client.get("/").text) != []
        assert "script-src 'self'" in response.headers["content-security-policy"]
        # every worker serves the same desk: several requests (spread over the workers) all answer alike
        for _ in range(4 * workers):
            again = httpx.get(f"http://127.0.0.1:{port}/", timeout=10)
            assert again.status_code == 200 and news_titles(again.text) == news_titles(response.text)
    finally:
        server.terminate()
        out, _ = server.communicate(timeout=10)
    assert f"http://127.0.0.1:{port}" in out  # it says where the desk is


def test_claimdesk_serve_refuses_a_missing_store(tmp_path):
    from typer.testing import CliRunner

    from claimdesk.cli import app

    result = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1 and "no store" in result.output
