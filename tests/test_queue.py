"""The review queue, assignments and corrections in the store, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace

import pytest
from test_store import db_url, store  # noqa: F401  (fixtures)
from test_store_claims import said

from claimdesk.store import queries, reviews
from claimdesk.store import queue as desk
from claimdesk.store.queries import NewsFilters

CHEAP = "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$1bbGCHGNaAgqK7xDEFsYmg"  # not checked here


@pytest.fixture
def stocked(store):
    """Two articles: four claims with check-worthiness 0.9, 0.2, 0.6 and unscored, one
    low-confidence claim, and a user of each role."""
    first, claims, entities = said("Convoy claims", ["Elman Mammadov", "Azer Gasimli", "Elman Mammadov"], seed=3,
                                   url="https://news.example/convoy", published="2023-12-20", outlet="turan.az")
    scores = [0.9, 0.2, 0.6]
    claims = [replace(c, check_worthiness=s, confidence=0.9) for c, s in zip(claims, scores)]
    store.add(first, line_keys=set(), claims=claims, entities=entities)
    second, claims2, entities2 = said("Port claims", ["Hikmet Hajiyev", "Ilham Aliyev"], seed=4,
                                      url="https://news.example/port", published="2023-12-21", outlet="apa.az")
    claims2 = [replace(claims2[0], check_worthiness=None), replace(claims2[1], check_worthiness=0.99, confidence=0.2)]
    store.add(second, line_keys=set(), claims=claims2, entities=entities2)
    for name, role in (("rita", "reader"), ("rev", "reviewer"), ("rev2", "reviewer"), ("ed", "editor")):
        reviews.add_user(store, name, CHEAP, role)
    store.ids = (first.raw.id, second.raw.id)
    return store


def key(store, article, seq):
    return reviews.claim_key(store.ids[article], seq)


def keys(page):
    return [item.key for item in page.items]


def test_the_queue_lists_unreviewed_claims_most_check_worthy_first_with_a_total(stocked):
    page = desk.queue(stocked)
    # 0.9, 0.6, 0.2, then the unscored one; the low-confidence claim (0.99) is left out
    assert keys(page) == [key(stocked, 0, 0), key(stocked, 0, 2), key(stocked, 0, 1), key(stocked, 1, 0)]
    assert page.total == 4 and page.pages == 1
    top = page.items[0]
    assert top.speaker == "Elman Mammadov" and top.part(top.content) == "that convoy 3-0 carried mines"
    assert "Elman Mammadov claimed that convoy 3-0 carried mines" in top.window
    assert desk.queue(stocked, include_low=True).items[0].key == key(stocked, 1, 1)
    second_page = desk.queue(stocked, page=2, page_size=3)
    assert keys(second_page) == [key(stocked, 1, 0)] and second_page.total == 4 and second_page.pages == 2

    reviews.add_review(stocked, key(stocked, 0, 0), rating="False", rationale="", reviewer="rev")
    assert key(stocked, 0, 0) not in keys(desk.queue(stocked)) and desk.queue(stocked).total == 3


def test_the_queue_takes_the_news_lines_filters_on_the_claim(stocked):
    assert keys(desk.queue(stocked, NewsFilters(speaker="Mammadov"))) == [key(stocked, 0, 0), key(stocked, 0, 2)]
    assert keys(desk.queue(stocked, NewsFilters(hedge="alleges"))) == [key(stocked, 0, 1)]
    assert keys(desk.queue(stocked, NewsFilters(outlet="apa.az"))) == [key(stocked, 1, 0)]
    assert desk.queue(stocked, NewsFilters(since="2023-12-21")).total == 1
    assert desk.queue(stocked, NewsFilters(speaker="Nobody Atall")).total == 0


def test_assigned_claims_make_a_reviewers_own_queue(stocked):
    assert desk.assign(stocked, [key(stocked, 0, 1), key(stocked, 1, 0)], "rev2", by="ed") == 2
    mine = desk.queue(stocked, assigned="rev2")
    assert keys(mine) == [key(stocked, 0, 1), key(stocked, 1, 0)] and all(i.assignee == "rev2" for i in mine.items)
    assert desk.queue(stocked, assigned="rev").total == 0
    desk.assign(stocked, [key(stocked, 0, 1)], "rev", by="ed")  # reassigned: one reviewer per claim
    assert keys(desk.queue(stocked, assigned="rev2")) == [key(stocked, 1, 0)]
    desk.assign(stocked, [key(stocked, 1, 0)], None, by="ed")
    assert desk.queue(stocked, assigned="rev2").total == 0
    with pytest.raises(desk.InvalidCorrection, match="reader"):
        desk.assign(stocked, [key(stocked, 0, 0)], "rita", by="ed")
    with pytest.raises(reviews.UnknownUser):
        desk.assign(stocked, [key(stocked, 0, 0)], "ghost", by="ed")
    with pytest.raises(reviews.UnknownClaim):  # nothing assigned when one key is wrong
        desk.assign(stocked, [key(stocked, 0, 0), reviews.claim_key(stocked.ids[0], 9)], "rev", by="ed")
    assert desk.queue(stocked, assigned="rev").total == 1


def test_the_editors_queue_lists_drafts_until_they_are_published(stocked):
    first = reviews.add_review(stocked, key(stocked, 0, 0), rating="False", rationale="a", reviewer="rev")
    reviews.add_review(stocked, key(stocked, 0, 1), rating="Mixed", rationale="b", reviewer="rev")
    waiting = desk.drafts(stocked)
    assert keys(waiting) == [key(stocked, 0, 0), key(stocked, 0, 1)] and waiting.total == 2
    assert waiting.items[0].review_state == "draft" and waiting.items[0].rating == "False"
    reviews.publish(stocked, key(stocked, 0, 0), editor="ed")
    assert keys(desk.drafts(stocked)) == [key(stocked, 0, 1)]
    reviews.add_review(stocked, key(stocked, 0, 0), rating="Misleading", rationale="c", reviewer="rev2",
                       based_on=first.revision)
    changed = {i.key: i.review_state for i in desk.drafts(stocked).items}
    assert changed == {key(stocked, 0, 0): "changed", key(stocked, 0, 1): "draft"}


def test_not_a_claim_leaves_every_list_keeps_its_history_and_is_never_published(stocked):
    k = key(stocked, 0, 0)
    reviews.add_review(stocked, k, rating="Not checkable", rationale="", reviewer="rev")
    reviews.publish(stocked, k, editor="ed")
    desk.assign(stocked, [k], "rev2", by="ed")
    before = queries.person_summary(stocked, "Elman Mammadov").by_total
    line_before = queries.news_line(stocked).items

    done = desk.correct(stocked, k, "not-a-claim", by="rev", note="'asked not to be identified' is no claim")
    assert done.kind == "not-a-claim" and done.was_speaker == "Elman Mammadov"
    assert desk.rejected(stocked, k).by == "rev"
    assert stocked.get(stocked.ids[0]).rejected == frozenset({0})
    assert len(stocked.get(stocked.ids[0]).claims) == 3  # kept: every seq still names its claim
    assert reviews.published_review(stocked, k) is None and reviews.published_reviews(stocked) == []
    assert queries.person_summary(stocked, "Elman Mammadov").by_total == before - 1
    counts = {i.id: i.claims for i in queries.news_line(stocked).items}
    assert counts[stocked.ids[0]] == {i.id: i.claims for i in line_before}[stocked.ids[0]] - 1
    assert desk.queue(stocked, assigned="rev2").total == 0
    assert k not in keys(desk.queue(stocked, include_low=True))
    with pytest.raises(reviews.ReviewConflict, match="not a claim"):
        reviews.add_review(stocked, k, rating="False", rationale="", reviewer="rev")
    with pytest.raises(reviews.ReviewConflict, match="not a claim"):
        reviews.publish(stocked, k, editor="ed")
    with pytest.raises(desk.InvalidCorrection, match="restore it"):
        desk.correct(stocked, k, "wrong-speaker", speaker="Someone Else", by="rev")

    desk.correct(stocked, k, "restored", by="ed")
    assert stocked.get(stocked.ids[0]).rejected == frozenset()
    assert queries.person_summary(stocked, "Elman Mammadov").by_total == before
    assert [c.kind for c in desk.corrections(stocked, k)] == ["not-a-claim", "restored"]
    with pytest.raises(desk.InvalidCorrection, match="nothing to restore"):
        desk.correct(stocked, k, "restored", by="ed")


def test_a_wrong_speaker_is_replaced_and_the_speaker_pages_follow(stocked):
    k = key(stocked, 0, 1)  # "Azer Gasimli claimed ..."
    done = desk.correct(stocked, k, "wrong-speaker", speaker="  Elman   Mammadov ", by="rev")
    assert done.speaker == "Elman Mammadov" and done.was_speaker == "Azer Gasimli"
    claim = stocked.get(stocked.ids[0]).claims[1]
    assert claim.speaker == "Elman Mammadov"
    assert queries.person_summary(stocked, "Elman Mammadov").by_total == 3
    assert queries.person_summary(stocked, "Azer Gasimli").by_total == 0
    assert keys(desk.queue(stocked, NewsFilters(speaker="Gasimli"))) == []
    with pytest.raises(desk.InvalidCorrection, match="names the right speaker"):
        desk.correct(stocked, k, "wrong-speaker", speaker="  ", by="rev")


def test_a_wrong_span_is_replaced_by_the_reviewers_offsets_inside_the_text(stocked):
    k = key(stocked, 0, 2)
    article = stocked.get(stocked.ids[0])
    text, old = article.article.raw.text, article.claims[2].content
    start = text.index("convoy 3-2")
    done = desk.correct(stocked, k, "wrong-span", content=(start, start + len("convoy 3-2 carried mines")), by="rev")
    assert done.was_content == (old.start, old.end)
    claim = stocked.get(stocked.ids[0]).claims[2]
    assert claim.content.of(text) == "convoy 3-2 carried mines"
    for bad in ((5, 2), (-1, 4), (0, len(text) + 1)):
        with pytest.raises(desk.InvalidCorrection, match="stretch of the article's text"):
            desk.correct(stocked, k, "wrong-span", content=bad, by="rev")
    with pytest.raises(desk.InvalidCorrection, match="unknown correction"):
        desk.correct(stocked, k, "wrong-verdict", by="rev")
    rows = list(desk.correction_rows(stocked))
    assert [r["correction"].kind for r in rows] == ["wrong-span"]


def test_a_large_queue_counts_up_to_a_cap_and_still_pages_on(stocked, monkeypatch):
    monkeypatch.setattr(desk, "COUNT_CAP", 2)
    page = desk.queue(stocked, page_size=2)
    assert page.total == 2 and page.capped and page.has_next  # "2+": counting stopped, more wait
    assert [i.key for i in desk.queue(stocked, page=2, page_size=2).items] == [key(stocked, 0, 1), key(stocked, 1, 0)]


def test_claims_stored_without_a_score_get_one_from_the_command_line(stocked):
    from typer.testing import CliRunner

    from claimdesk.cli import app as cli

    unscored = key(stocked, 1, 0)
    assert [i.check_worthiness for i in desk.queue(stocked).items if i.key == unscored] == [None]
    result = CliRunner().invoke(cli, ["score-claims", "--db", stocked.url])
    assert result.exit_code == 0, result.output
    assert "1 claim scored" in result.output  # only the one without a score
    scored = {i.key: i.check_worthiness for i in desk.queue(stocked, include_low=True).items}
    assert scored[unscored] is not None and 0 <= scored[unscored] <= 1
    assert scored[key(stocked, 0, 0)] == 0.9  # a score already there is kept without --all
    result = CliRunner().invoke(cli, ["score-claims", "--all", "--db", stocked.url])
    assert "5 claims scored" in result.output
    assert CliRunner().invoke(cli, ["score-claims", "--db", "/nonexistent/store.db"]).exit_code != 0


def test_corrections_export_as_training_data_with_offsets_into_the_text(stocked, tmp_path):
    import json

    from typer.testing import CliRunner

    from claimdesk.cli import app as cli

    text = stocked.get(stocked.ids[0]).article.raw.text
    start = text.index("convoy 3-2")
    desk.correct(stocked, key(stocked, 0, 2), "wrong-span", content=(start, start + len("convoy 3-2 carried mines")), by="rev")
    desk.correct(stocked, key(stocked, 0, 1), "not-a-claim", by="rev", note="no claim")
    out = tmp_path / "corrections.jsonl"
    result = CliRunner().invoke(cli, ["export", "corrections", "-o", str(out), "--db", stocked.url])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["kind"] for r in records] == ["wrong-span", "not-a-claim"]
    span = records[0]["corrected"]["content"]
    assert records[0]["text"][span["start"]:span["end"]] == span["text"] == "convoy 3-2 carried mines"
    assert records[0]["extracted"]["content"]["text"] == "that convoy 3-2 carried mines"
    assert records[0]["corrected"]["cue"] == records[0]["extracted"]["cue"]  # the cue was not corrected
    assert records[1]["corrected"] is None and records[1]["extracted"]["speaker"] == "Azer Gasimli"
    assert records[1]["note"] == "no claim"


def test_many_claims_are_marked_not_a_claim_together_or_not_at_all(stocked):
    wrong = reviews.claim_key(stocked.ids[0], 9)
    with pytest.raises(reviews.UnknownClaim):
        desk.correct_many(stocked, [key(stocked, 0, 0), wrong], "not-a-claim", by="rev")
    assert stocked.get(stocked.ids[0]).rejected == frozenset()  # the first one was not marked either
    assert desk.correct_many(stocked, [key(stocked, 0, 0), key(stocked, 0, 1)], "not-a-claim", by="rev") == 2
    assert desk.correct_many(stocked, [key(stocked, 0, 1), key(stocked, 0, 2)], "not-a-claim", by="rev") == 1  # one was already
    assert stocked.get(stocked.ids[0]).rejected == frozenset({0, 1, 2})
    with pytest.raises(desk.InvalidCorrection):
        desk.correct_many(stocked, [key(stocked, 0, 0)], "wrong-span", by="rev")
