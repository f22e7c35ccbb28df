"""The article page draws a paragraph the cleaner cut a box out of as one paragraph
(issue 17): "South Dakota Gov. Kristi Noem [pop-up box] (R) is defending ..." reads as one
sentence, not as two paragraphs, while real paragraphs stay apart."""

from __future__ import annotations

import re
from html import unescape

from fastapi.testclient import TestClient

from claimdesk.clean import clean
from claimdesk.ingest.html import html_document
from claimdesk.model import Span
from claimdesk.store import Store
from claimdesk.web import create_app
from claimdesk.web.views import paragraph_groups

BOX = ("<span class='rollover'><a href='/people/kristi-noem'>Kristi Noem</a><span class='rollover-block'>"
       "<a class='name' href='/people/kristi-noem'>Kristi Lynn Noem</a><a href='/a'>South Dakota drops pipeline protest "
       "laws after lawsuit</a> <a href='/b'>New law requiring sign to hang in public schools goes into effect</a> "
       "<a class='more' href='/people/kristi-noem'>MORE</a></span></span>")
LEDE_END = "(R) is defending the state's launch of an anti-drug campaign with the slogan that drew ridicule online."
P1 = "In addition to the campaign's launch on Tuesday, the governor's office said another ad would follow within a week."
P2 = "The office said the slogan had been tested with focus groups and called on critics to wait for the results."


def test_spans_with_no_line_break_between_them_are_one_paragraph():
    text = "One sentence [box] goes on.\n\nA second paragraph.\n\nA third."
    body = [Span(0, 13), Span(19, 27), Span(29, 48), Span(50, 58)]
    assert paragraph_groups(text, body) == [[0, 1], [2], [3]]
    assert paragraph_groups(text, []) == []


def test_the_article_page_shows_a_cut_sentence_as_one_paragraph(tmp_path):
    html = (f"<html><head><title>Noem defends campaign</title></head><body><main><article><h1>Noem defends campaign</h1>"
            f"<p>South Dakota Gov. {BOX} {LEDE_END}</p><p>{P1}</p><p>{P2}</p></article></main></body></html>")
    article = clean(html_document(html, url="https://example.com/news/noem"))
    assert len(article.body) == 4  # the box cut the first paragraph in two
    with Store(f"sqlite:///{tmp_path / 'desk.db'}") as store:
        added = store.add(article, line_keys=set())
        with TestClient(create_app(store, base_url="http://testserver")) as client:
            page = client.get(f"/articles/{added.id}").text
    body = re.search(r'<div class="body"[^>]*>(.*?)</div>', page, re.S)
    paragraphs = [" ".join(unescape(re.sub(r"<[^>]+>", " ", p)).split())
                  for p in re.findall(r"<p>(.*?)</p>", body.group(1) if body else page, re.S)]
    assert f"South Dakota Gov. Kristi Noem {LEDE_END}" in paragraphs
    assert P1 in paragraphs and P2 in paragraphs
    assert not any("MORE" in p or "Lynn" in p for p in paragraphs)
