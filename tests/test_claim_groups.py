"""Claim groups (issue 16): one group per claim across outlets, matched at ingest; review
propagation to a group's repeats; "has this been checked already?" (CLI and API).

Short articles written here; the real sentence model (loaded once per process). Store
tests run on SQLite and PostgreSQL (fixtures from test_store.py)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text
from test_store import count, db_url, make_article, store  # noqa: F401  (fixtures)

from claimdesk import pipeline
from claimdesk.corpus import groups as rules
from claimdesk.model import Claim, Span
from claimdesk.store import Store, groups

MINES = "Russian peacekeepers let Armenian trucks carry mines into Karabakh through the Lachin corridor"
PARAPHRASE = "Armenian lorries were allowed by Russian peacekeepers to bring mines into Karabakh via the Lachin corridor"
SHORTENED = "Russian peacekeepers let Armenian trucks carry mines"
NEGATED = "Russian peacekeepers did not let Armenian trucks carry mines into Karabakh through the Lachin corridor"
BRIDGE = "the new bridge over the river will open to traffic in March after two years of work"
GRAIN = "grain exports through the Black Sea ports doubled in the last quarter of the year"


def reported(said: list[tuple[str, str, str]], *, outlet: str, url: str | None = None, published: str | None = None,
             headline: str | None = None):
    """An article with one paragraph per (speaker, cue, content), and the claims an analysis would find."""
    paragraphs = [f"{speaker} {cue} that {content}." for speaker, cue, content in said]
    article = make_article(headline or f"Report from {outlet}", paragraphs, outlet=outlet, url=url, published=published)
    claims = []
    for (speaker, cue, content), body in zip(said, article.body):
        start = body.start
        claims.append(Claim(source=Span(start, start + len(speaker)), speaker=speaker,
                            cue=Span(start + len(speaker) + 1, start + len(speaker) + 1 + len(cue)),
                            content=Span(start + len(speaker) + len(cue) + 2, body.end - 1),
                            hedge="claims" if cue == "claimed" else "says", medium=None))
    return article, claims


def put(store: Store, said, **fields) -> str:
    """Store an article and group its claims, as ingest does."""
    article, claims = reported(said, **fields)
    added = store.add(article, line_keys=set(), claims=claims)
    done = groups.group_articles(store, [added.id])
    assert done.failed == ()
    return added.id


@pytest.fixture(autouse=True)
def _cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv(groups.ENV_CACHE, str(tmp_path / "cache"))


def group_keys(store, article_id, seq=0):
    return [(m.ref.article_id, m.ref.seq) for m in groups.group_of(store, article_id, seq)]


# -- the decision, pure ----------------------------------------------------------------------


def candidate(text, similarity, doc=2, url="https://b.example/1", group=7, claim=7):
    return rules.Candidate(claim=claim, group=group, text=text, similarity=similarity, doc=doc, url=url)


def test_decision_rules():
    new = rules.NewClaim(rules.claim_text("that " + MINES), doc=1, url="https://a.example/1")
    assert new.text == MINES
    assert rules.decide(new, [candidate(MINES, 0.99)]).reason == "similar"
    assert rules.decide(new, [candidate(SHORTENED, 0.7)]).reason == "contained"
    assert rules.decide(new, [candidate(SHORTENED, 0.5)]).group is None  # too far apart even so
    assert rules.decide(new, [candidate(MINES, 0.99, doc=1)]).group is None  # the same article
    assert rules.decide(new, [candidate(MINES, 0.99, url="https://a.example/1")]).group is None  # another version
    assert rules.decide(new, [candidate(NEGATED, 0.95)]).group is None  # negation differs
    short = rules.NewClaim("he will win", doc=1, url=None)
    assert rules.decide(short, [candidate("he will win the state by a wide margin", 0.7)]).group is None
    # numbers: changed in a text of like length, or gained by the shorter one, separate claims
    twelve = rules.NewClaim("the shelling killed 12 people in the village on Monday", doc=1, url=None)
    assert rules.decide(twelve, [candidate("the shelling killed 40 people in the village on Monday", 0.95)]).group is None
    assert rules.decide(twelve, [candidate("the shelling killed 12 people in the village on Monday night", 0.97)]).group == 7
    # the most similar passing candidate decides
    best = rules.decide(new, [candidate(SHORTENED, 0.7, group=3, claim=3), candidate(MINES, 0.97, group=5, claim=5)])
    assert (best.group, best.reason) == (5, "similar")


# -- grouping at ingest, on SQLite and PostgreSQL ------------------------------------------------


def test_repeats_across_outlets_join_one_group_and_others_do_not(store):
    first = put(store, [("Elman Mammadov", "claimed", MINES), ("The council", "said", BRIDGE)],
                outlet="one.example", url="https://one.example/a", published="2023-12-19")
    other_outlet = put(store, [("Elman Mammadov", "claimed", MINES)], outlet="two.example", published="2023-12-20")
    paraphrase = put(store, [("Mammadov", "alleged", PARAPHRASE)], outlet="three.example", published="2023-12-21")
    shortened = put(store, [("Mammadov", "said", SHORTENED)], outlet="four.example", published="2023-12-22")
    unrelated = put(store, [("The ministry", "said", GRAIN)], outlet="five.example", published="2023-12-22")
    negated = put(store, [("The mission", "said", NEGATED)], outlet="six.example", published="2023-12-23")

    members = groups.group_of(store, shortened, 0)
    assert [(m.ref.article_id, m.ref.outlet) for m in members] == [
        (first, "one.example"), (other_outlet, "two.example"), (paraphrase, "three.example"), (shortened, "four.example")]
    assert [m.earliest for m in members] == [True, False, False, False]
    assert [m.this for m in members] == [False, False, False, True]
    assert members[0].reason == "new" and {m.reason for m in members[1:]} <= {"similar", "contained"}
    assert members[3].reason == "contained"
    assert [(m.ref.speaker, m.ref.hedge) for m in members[:2]] == [("Elman Mammadov", "claims")] * 2
    assert group_keys(store, first, 1) == [] and group_keys(store, unrelated) == [] and group_keys(store, negated) == []
    assert groups.repeats(store, first) == {0: 3}
    assert groups.repeats(store, unrelated) == {}
    assert count(store, "claim_index") == 7


def test_the_same_article_and_another_version_of_its_url_do_not_group(store):
    twice = put(store, [("Mammadov", "claimed", MINES), ("He", "repeated", MINES)], outlet="one.example",
                url="https://one.example/a")
    assert group_keys(store, twice, 0) == [] and group_keys(store, twice, 1) == []
    corrected = put(store, [("Mammadov", "claimed", MINES), ("The council", "said", BRIDGE)], outlet="one.example",
                    url="https://one.example/a")  # version 2 of the same page
    assert group_keys(store, corrected, 0) == []
    elsewhere = put(store, [("Mammadov", "claimed", MINES)], outlet="two.example")
    # another outlet joins the current version's claim, not the superseded one's
    assert group_keys(store, elsewhere) == [(corrected, 0), (elsewhere, 0)]


def test_ingest_groups_and_the_cache_catches_up_across_processes(store, tmp_path):
    one, _ = reported([("Mammadov", "claimed", MINES)], outlet="one.example")
    store.add(one, line_keys=set(), claims=_)
    # stored without matching (an older store, or matching off): grouped on first use
    assert count(store, "claim_index") == 0
    second = put(store, [("Mammadov", "claimed", MINES)], outlet="two.example")
    assert len(group_keys(store, second)) == 2
    saved = groups.save(store)
    assert saved is not None and (saved / "groups.json").exists()
    # another process: loads the cache, catches up with rows it does not hold, matches
    with Store(store.url) as again:
        third = put(again, [("Mammadov", "said", SHORTENED)], outlet="three.example")
        assert len(group_keys(again, third)) == 3
        index = groups._index(again)
        assert index.count == 3 and index.held == max(_pks(again))
    # a cache that no longer fits the database is rebuilt from the rows
    with store.engine.begin() as connection:
        connection.execute(text("DELETE FROM claim_index WHERE pk = :pk"), {"pk": max(_pks(store))})
    with Store(store.url) as again:
        fourth = put(again, [("Mammadov", "claimed", MINES)], outlet="four.example")
        assert groups._index(again).count == count(again, "claim_index")
        assert len(group_keys(again, fourth)) >= 3


def _pks(store):
    with store.engine.connect() as connection:
        return list(connection.execute(text("SELECT pk FROM claim_index")).scalars())


def test_pipeline_groups_claims_and_a_matching_failure_loses_no_article(tmp_path, monkeypatch):
    from claimdesk.ingest import read_input  # noqa: F401  (the pipeline's reader)

    db = Store(str(tmp_path / "p.db"))
    articles = [reported([("Mammadov", "claimed", MINES)], outlet=o) for o in ("one.example", "two.example")]
    analyses = iter([pipeline.Analysis(a, claims=c) for a, c in articles])
    monkeypatch.setattr(pipeline, "read_all", lambda inputs, **_: iter([a.raw for a, _ in articles]))
    monkeypatch.setattr(pipeline, "clean_chunk", lambda docs, *a, **k: [art for art, _ in articles])
    monkeypatch.setattr(pipeline, "analyses", lambda items, **_: iter(next(analyses) for _ in items))
    summary = pipeline.ingest(["x", "y"], db)
    assert summary.new == 2 and summary.errors == []
    assert len(groups.group_of(db, articles[1][0].raw.id, 0)) == 2

    third = reported([("Mammadov", "said", SHORTENED)], outlet="three.example")
    analyses = iter([pipeline.Analysis(third[0], claims=third[1])])
    monkeypatch.setattr(pipeline, "read_all", lambda inputs, **_: iter([third[0].raw]))
    monkeypatch.setattr(pipeline, "clean_chunk", lambda docs, *a, **k: [third[0]])

    def broken(*_a, **_k):
        raise RuntimeError("index unavailable")

    monkeypatch.setattr(groups, "_group_one", broken)
    summary = pipeline.ingest(["z"], db)
    assert summary.new == 1 and len(summary.errors) == 1
    assert "claim matching failed: RuntimeError: index unavailable" in summary.errors[0].cause
    assert db.get(third[0].raw.id) is not None  # stored all the same
    assert groups.group_of(db, third[0].raw.id, 0) == []
    db.close()


def test_matching_can_be_switched_off(tmp_path, monkeypatch):
    monkeypatch.setenv(groups.ENV_SWITCH, "off")
    assert not groups.enabled()
    db = Store(str(tmp_path / "off.db"))
    article, claims = reported([("Mammadov", "claimed", MINES)], outlet="one.example")
    monkeypatch.setattr(pipeline, "read_all", lambda inputs, **_: iter([article.raw]))
    monkeypatch.setattr(pipeline, "clean_chunk", lambda docs, *a, **k: [article])
    monkeypatch.setattr(pipeline, "analyses", lambda items, **_: iter([pipeline.Analysis(article, claims=claims)]))
    assert pipeline.ingest(["x"], db).new == 1
    assert count(db, "claim_index") == 0
    db.close()
