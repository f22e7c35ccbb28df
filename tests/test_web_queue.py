"""The review queue on the web: who sees it, triage through it, bulk actions, corrections."""

from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

import pytest
from test_store import make_article, prose
from test_store_claims import find
from test_web_auth import PASSWORD, client, form_token, quick_hashes, sign_in  # noqa: F401  (fixture)

from claimdesk import accounts
from claimdesk.model import Claim, Entity
from claimdesk.store import Store
from claimdesk.store import queue as work
from claimdesk.store import reviews as desk
from claimdesk.web import create_app

SENTENCES = [
    ("Elman Mammadov", "claimed", "that convoy 7 carried mines", 0.9),
    ("Azer Gasimli", "said", "that he asked not to be identified", 0.1),
    ("Hikmet Hajiyev", "alleged", "that 300 passports were found at the Lachin checkpoint", 0.8),
]


@pytest.fixture
def store(tmp_path):
    with Store(str(tmp_path / "desk.db")) as opened:
        text = " ".join(f"{who} {cue} {what}." for who, cue, what, _ in SENTENCES)
        article = make_article("Convoy claims", [text + " " + prose(2)], url="https://news.example/a",
                               published="2023-12-20")
        claims, entities = [], []
        for who, cue, what, score in SENTENCES:
            claims.append(Claim(source=find(article, who), speaker=who, cue=find(article, cue), content=find(article, what),
                                hedge="claims", check_worthiness=score, confidence=0.9))
            entities.append(Entity(find(article, who), "PERSON", who))
        opened.add(article, line_keys=set(), claims=claims, entities=entities)
        for name, role in (("rita", "reader"), ("rev", "reviewer"), ("rev2", "reviewer"), ("ed", "editor")):
            desk.add_user(opened, name, accounts.hash_password(PASSWORD), role)
        opened.doc_id = article.raw.id
        yield opened


@pytest.fixture
def app(store):
    return create_app(store, base_url="http://testserver")


def key(store, seq):
    return desk.claim_key(store.doc_id, seq)


def queue_keys(html: str) -> list[str]:
    return re.findall(r'data-key="([0-9a-f]{64}:\d+)"', html)


def test_the_queue_is_for_reviewers_and_ranks_claims_by_check_worthiness(app, store):
    assert client(app).get("/queue").status_code == 401
    assert sign_in(app, "rita").get("/queue").status_code == 403
    reviewer = sign_in(app, "rev")
    page = reviewer.get("/queue")
    assert page.status_code == 200
    assert queue_keys(page.text) == [key(store, 0), key(store, 2), key(store, 1)]
    assert "3 claims" in page.text and "check-worthiness 0.90" in page.text
    # the claim in its sentence, its parts marked
    assert re.search(r'<mark class="claim-source">Elman Mammadov</mark> <mark class="claim-cue hedge-claims">claimed</mark> '
                     r'<mark class="claim-content">that convoy 7 carried mines</mark>', page.text)
    assert reviewer.get("/queue?view=drafts").status_code == 403  # the editor's queue
    assert queue_keys(reviewer.get("/queue?speaker=Hajiyev").text) == [key(store, 2)]
    assert reviewer.get("/queue?page=9").status_code == 404
    assert reviewer.get("/queue?since=2023-13-01").status_code in (400, 422)
    api = reviewer.get("/api/queue").json()
    assert api["total"] == 3 and [c["claim"] for c in api["claims"]] == [key(store, 0), key(store, 2), key(store, 1)]


def test_saving_a_review_from_the_queue_goes_on_to_the_next_claim(app, store):
    reviewer = sign_in(app, "rev")
    first = reviewer.get("/queue/next")
    assert first.status_code == 303
    opened = first.headers["location"]
    assert opened.startswith(f"/claims/{store.doc_id}/0?queue=")
    page = reviewer.get(opened).text
    assert 'id="triage"' in page and 'name="queue"' in page and "/static/triage.js" in page
    answer = reviewer.post(f"/claims/{store.doc_id}/0/reviews", data={
        "rating": "False", "rationale": "", "evidence": "", "based_on": "", "csrf_token": form_token(page),
        "queue": parse_qs(urlsplit(opened).query)["queue"][0]})
    # straight on to the next most check-worthy claim, in one redirect
    assert answer.status_code == 303 and answer.headers["location"].startswith(f"/claims/{store.doc_id}/2?queue=")
    # skipping goes past a claim without reviewing it; past the last one, back to the queue
    skip = reviewer.get(f"/queue/next?after={key(store, 2)}").headers["location"]
    assert skip.startswith(f"/claims/{store.doc_id}/1?")
    assert reviewer.get(f"/queue/next?after={key(store, 1)}").headers["location"].startswith("/queue?done=1")
    assert 'id="triage"' not in reviewer.get(f"/claims/{store.doc_id}/0").text  # not from the queue: no triage


def test_bulk_actions_mark_not_a_claim_and_assign(app, store):
    reviewer, editor = sign_in(app, "rev"), sign_in(app, "ed")
    page = reviewer.get("/queue").text
    token = form_token(page)
    answer = reviewer.post("/queue/bulk", data={"csrf_token": token, "action": "not-a-claim", "claim": [key(store, 1)],
                                                "back": "/queue?speaker=x"})
    assert answer.status_code == 303 and answer.headers["location"] == "/queue?speaker=x"
    after = reviewer.get("/queue").text
    assert queue_keys(after) == [key(store, 0), key(store, 2)]
    assert "2 claims" in after and "Unreviewed (2)" in after  # the kept total was counted again
    assert reviewer.post("/queue/bulk", data={"csrf_token": token, "action": "assign", "claim": [key(store, 0)],
                                              "assignee": "rev2"}).status_code == 403  # reviewers take claims themselves
    assert reviewer.post("/queue/bulk", data={"csrf_token": token, "action": "assign", "claim": [key(store, 0)],
                                              "assignee": "rev", "back": "https://evil.example/"}).headers["location"] == "/queue"
    assert queue_keys(reviewer.get("/queue?view=mine").text) == [key(store, 0)]
    assert "Assigned to me (1)" in reviewer.get("/queue").text  # the kept tab counts follow the assignments
    editor_token = form_token(editor.get("/queue").text)
    assert editor.post("/queue/bulk", data={"csrf_token": editor_token, "action": "assign", "claim": [key(store, 2)],
                                            "assignee": "rev2"}).status_code == 303
    assert work.queue(store, assigned="rev2").total == 1
    assert reviewer.post("/queue/bulk", data={"csrf_token": token, "action": "assign"}).status_code == 400
    assert reviewer.post("/queue/bulk", data={"csrf_token": token, "action": "delete", "claim": [key(store, 0)]}).status_code == 422
    assert reviewer.post("/queue/bulk", data={"action": "assign", "claim": [key(store, 0)]}).status_code == 403  # no CSRF token


def test_a_claim_marked_not_a_claim_leaves_the_public_pages_and_can_be_restored(app, store):
    reviewer = sign_in(app, "rev")
    claim_page = f"/claims/{store.doc_id}/1"
    page = reviewer.get(claim_page).text
    assert 'class="not-a-claim"' in page
    answer = reviewer.post(claim_page + "/corrections", data={"csrf_token": form_token(page), "kind": "not-a-claim",
                                                            "note": "a request for anonymity"})
    assert answer.status_code == 303
    assert client(app).get(claim_page).status_code == 404
    article = client(app).get(f"/articles/{store.doc_id}").text
    assert "asked not to be identified</mark>" not in article and "2 claims" in client(app).get("/").text
    signed_in = reviewer.get(claim_page).text
    assert "Marked <strong>not a claim</strong>" in signed_in and "a request for anonymity" in signed_in
    assert 'class="review-form"' not in signed_in  # nothing to review until it is restored
    reviewer.post(claim_page + "/corrections", data={"csrf_token": form_token(signed_in), "kind": "restored"})
    assert client(app).get(claim_page).status_code == 200


def test_wrong_speaker_and_wrong_words_are_corrected_from_the_claim_page(app, store):
    reviewer = sign_in(app, "rev")
    claim_page = f"/claims/{store.doc_id}/2"
    token = form_token(reviewer.get(claim_page).text)
    assert reviewer.post(claim_page + "/corrections", data={"csrf_token": token, "kind": "wrong-speaker",
                                                            "speaker": "Elman Mammadov"}).status_code == 303
    assert store.get(store.doc_id).claims[2].speaker == "Elman Mammadov"
    answer = reviewer.post(claim_page + "/corrections", data={"csrf_token": token, "kind": "wrong-span",
                                                              "content": "300 passports were found"})
    assert answer.status_code == 303
    stored = store.get(store.doc_id)
    assert stored.claims[2].content.of(stored.article.raw.text) == "300 passports were found"
    refused = reviewer.post(claim_page + "/corrections", data={"csrf_token": token, "kind": "wrong-span",
                                                               "content": "words nowhere in the text"})
    assert refused.status_code == 409 and "words nowhere in the text" in refused.text and "paragraph as written" in refused.text
    history = [c.kind for c in work.corrections(store, key(store, 2))]
    assert history == ["wrong-speaker", "wrong-span"]
    assert client(app).post(claim_page + "/corrections", data={"kind": "not-a-claim"}).status_code == 401
    rita = sign_in(app, "rita")
    assert rita.post(claim_page + "/corrections", data={"csrf_token": form_token(rita.get(claim_page).text),
                                                        "kind": "not-a-claim"}).status_code == 403


def test_the_editors_queue_lists_drafts(app, store):
    reviewer, editor = sign_in(app, "rev"), sign_in(app, "ed")
    desk.add_review(store, key(store, 2), rating="Mixed", rationale="", reviewer="rev")
    page = editor.get("/queue?view=drafts").text
    assert queue_keys(page) == [key(store, 2)] and "draft: Mixed by rev" in page
    desk.publish(store, key(store, 2), editor="ed")
    assert queue_keys(editor.get("/queue?view=drafts").text) == []
    assert "Waiting to be published (0)" in editor.get("/queue").text
    assert "Waiting to be published" not in reviewer.get("/queue").text


def test_published_verdicts_show_on_the_article_speaker_news_line_and_search(app, store):
    desk.add_review(store, key(store, 0), rating="False", rationale="", reviewer="rev")
    desk.add_review(store, key(store, 2), rating="Mostly true", rationale="", reviewer="rev")
    desk.publish(store, key(store, 0), editor="ed")  # claim 2 stays a draft: the public sees no verdict for it
    public = client(app)
    article = public.get(f"/articles/{store.doc_id}").text
    assert re.search(r'<mark class="claim-content verdict rating-false" title="[^"]*reviewed: False">that convoy 7 carried mines',
                     article)
    assert f'<a class="verdict rating-false" href="/claims/{store.doc_id}/0#reviews">False</a>' in article
    assert "Mostly true" not in article
    speaker = public.get("/speakers/Elman%20Mammadov").text
    assert "Verdicts on their claims" in speaker and 'class="verdict rating-false"' in speaker and "1 claim" in speaker
    assert "No published review of their claims yet." in public.get("/speakers/Azer%20Gasimli").text
    for page in (public.get("/").text, public.get("/?q=convoy").text):
        assert '<span class="verdict rating-false">False</span>' in page


def test_a_cached_public_page_forgets_a_claim_marked_not_a_claim(app, store):
    public = client(app)
    article = f"/articles/{store.doc_id}"
    assert "asked not to be identified</a>" in public.get(article).text  # rendered and kept by the page cache
    work.correct(store, key(store, 1), "not-a-claim", by="rev")
    assert "asked not to be identified</a>" not in public.get(article).text
