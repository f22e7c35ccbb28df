"""A claim's confidence through the store, the API and the desk (issue 17): stored and read
back, in the JSON of an article and of a claim, and on the article page the claims under
``model.LOW_CONFIDENCE`` are hidden by default behind a plain link that shows them.

One short article written for the test, stored with a hand-made analysis: a claim the
taggers are sure of, one they are not, and one stored before confidences existed.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient

from claimdesk.clean import clean
from claimdesk.model import LOW_CONFIDENCE, Claim, RawDocument, Span
from claimdesk.store import Store
from claimdesk.web import create_app

TEXT = ("Harbour dredging halted\n\n"
        "The port director said that the dredging would stop until the spring.\n\n"
        "Fishermen on the quay, he added, the silt had killed the mussel beds.\n\n"
        "The harbour board said in a statement that the contract was lawful.\n")
SURE, UNSURE = 0.93, 0.21


def _span(piece: str) -> Span:
    start = TEXT.index(piece)
    return Span(start, start + len(piece))


CLAIMS = [
    Claim(source=_span("The port director"), speaker="port director", cue=_span("said"),
          content=_span("that the dredging would stop until the spring"), hedge="states", confidence=SURE),
    Claim(source=_span("Fishermen on the quay"), speaker=None, cue=_span("added"),
          content=_span("the silt had killed the mussel beds"), hedge="states", confidence=UNSURE),
    Claim(source=_span("The harbour board"), speaker="harbour board", cue=_span("said in a statement"),
          content=_span("that the contract was lawful"), hedge="states", medium=_span("statement")),  # no confidence
]


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    db = tmp_path_factory.mktemp("confidence") / "desk.db"
    with Store(f"sqlite:///{db}") as store:
        added = store.add(clean(RawDocument(text=TEXT, format="text", url="https://harbour.example/dredging",
                                            outlet="Harbour Courier", published="2026-03-14")),
                          line_keys=set(), claims=CLAIMS)
        with TestClient(create_app(store, base_url="http://testserver")) as client:
            yield store, client, added.id


def listed(html: str) -> str:
    """The text of the article page's claim list."""
    section = re.search(r'<section class="claims" id="claims">(.*?)</section>', html, re.S).group(1)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", section)).split())


def test_the_threshold_hides_the_unsure_claim_only():
    assert UNSURE < LOW_CONFIDENCE <= SURE


def test_confidence_is_stored_and_read_back(desk):
    store, _, article_id = desk
    claims = store.get(article_id).claims
    assert [c.confidence for c in claims] == [SURE, UNSURE, None]
    assert [c.low_confidence for c in claims] == [False, True, False]


def test_confidence_is_in_the_api(desk):
    _, client, article_id = desk
    claims = client.get(f"/api/articles/{article_id}").json()["claims"]
    assert [c["confidence"] for c in claims] == [SURE, UNSURE, None]
    assert client.get(f"/api/claims/{article_id}/1").json()["claim"]["confidence"] == UNSURE


def test_the_desk_hides_low_confidence_claims_behind_a_link(desk):
    _, client, article_id = desk
    html = client.get(f"/articles/{article_id}").text
    shown = listed(html)
    assert "the dredging would stop" in shown and "the contract was lawful" in shown
    assert "mussel beds" not in shown
    assert "Claims (2 of 3)" in shown
    link = re.search(r'<a href="\?([^"]*)#claims">Show 1 low-confidence claim</a>', html)
    assert link is not None, "a visible toggle names how many claims it hides"
    paragraph = re.search(r"<p>[^\n]*mussel beds[^\n]*</p>", html).group(0)
    assert "claim-" not in paragraph  # nor marked in the text
    shown_page = client.get(f"/articles/{article_id}?{unescape(link.group(1))}").text
    everything = listed(shown_page)
    assert "mussel beds" in everything and f"low confidence {UNSURE:.2f}" in everything
    assert "Claims (3)" in everything
    assert re.search(r'<li value="2" class="low-confidence">', shown_page)
    assert re.search(r'<a href="\?[^"]*#claims">Hide 1 low-confidence claim</a>', shown_page)
    assert "claim-content" in re.search(r"<p>[^\n]*mussel beds[^\n]*</p>", shown_page).group(0)


def test_the_claim_page_says_its_confidence(desk):
    _, client, article_id = desk
    html = client.get(f"/claims/{article_id}/1").text
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
    assert f"confidence {UNSURE:.2f} (low: hidden on the article page unless asked)" in text
