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
    # names likewise: the cosine hardly sees one name swapped for another
    trump = rules.NewClaim("Trump will win Florida by a wide margin this November", doc=1, url=None)
    assert rules.decide(trump, [candidate("Clinton will win Florida by a wide margin this November", 0.95)]).group is None
    assert rules.decide(rules.NewClaim(SHORTENED, 1, None), [candidate(MINES, 0.86)]).reason == "contained"
    # fragments the analyser took for contents never group; a date named differently does not part a quotation
    fragment = rules.NewClaim("the effort", doc=1, url=None)
    assert rules.decide(fragment, [candidate("effort", 0.95)]).group is None
    said = rules.NewClaim("the unfairness of the tax laws is unbelievable, Trump said Monday", doc=1, url=None)
    assert rules.decide(said, [candidate("the unfairness of the tax laws is unbelievable, Trump said", 0.93)]).group == 7
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

    working = groups._group_one
    monkeypatch.setattr(groups, "_group_one", broken)
    summary = pipeline.ingest(["z"], db)
    assert summary.new == 1 and len(summary.errors) == 1
    assert "claim matching failed: RuntimeError: index unavailable" in summary.errors[0].cause
    assert summary.errors[0].input == third[0].raw.name
    assert db.get(third[0].raw.id) is not None  # stored all the same
    assert groups.group_of(db, third[0].raw.id, 0) == []
    # the next grouping in the process takes the claims left behind
    monkeypatch.setattr(groups, "_group_one", working)
    assert groups.group_articles(db, []).claims == 1
    assert len(groups.group_of(db, third[0].raw.id, 0)) == 3
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


# -- review propagation in the store ------------------------------------------------------------


@pytest.fixture
def grouped(store):
    """Four appearances of one claim (three outlets and the original) and an unrelated
    claim, with a reviewer and an editor."""
    from claimdesk.store import reviews

    store.keys = [put(store, [("Elman Mammadov", "claimed", MINES)], outlet=f"{name}.example",
                      url=f"https://{name}.example/mines", published=f"2023-12-{19 + i}")
                  for i, name in enumerate(("one", "two", "three", "four"))]
    store.other = put(store, [("The ministry", "said", GRAIN)], outlet="five.example")
    cheap = "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$1bbGCHGNaAgqK7xDEFsYmg"
    for name, role in (("rev", "reviewer"), ("ed", "editor")):
        reviews.add_user(store, name, cheap, role)
    return store


def keys(store):
    from claimdesk.store.reviews import claim_key

    return [claim_key(article_id, 0) for article_id in store.keys]


def publish_first(store):
    from claimdesk.store import reviews

    original = keys(store)[0]
    review = reviews.add_review(store, original, rating="False", rationale="No convoy crossed.", reviewer="rev")
    reviews.publish(store, original, editor="ed", revision=review.revision)
    return original, review


def test_a_published_review_is_offered_then_confirmed_or_rejected_per_repeat(grouped):
    from claimdesk.store import propagation, reviews

    original, two, three, four = keys(grouped)
    assert propagation.offers(grouped, original) == []  # nothing published yet: nothing offered
    reviews.add_review(grouped, original, rating="False", rationale="draft", reviewer="rev")
    assert propagation.offers(grouped, original) == []  # a draft is never offered
    review = reviews.publish(grouped, original, editor="ed")
    assert [(o.key, o.state) for o in propagation.offers(grouped, original)] == [
        (two, "offered"), (three, "offered"), (four, "offered")]
    assert propagation.borrowed(grouped, two) == []  # offered is not published

    assert propagation.decide(grouped, original, [two], "confirmed", editor="ed") == [two]
    assert propagation.decide(grouped, original, [three], "rejected", editor="ed") == [three]
    states = {o.key: (o.state, o.editor) for o in propagation.offers(grouped, original)}
    assert states == {two: ("confirmed", "ed"), three: ("rejected", "ed"), four: ("offered", None)}
    [borrowed] = propagation.borrowed(grouped, two)
    assert (borrowed.source, borrowed.rating, borrowed.revision, borrowed.confirmed_by) == (original, "False",
                                                                                           review.revision, "ed")
    assert propagation.borrowed(grouped, three) == [] and propagation.borrowed(grouped, four) == []
    assert [ref.article_id for ref, _ in propagation.appearances(grouped, original)] == [grouped.keys[1]]

    # confirm all: every appearance still offered, none decided already
    assert propagation.decide(grouped, original, None, "confirmed", editor="ed") == [four]
    assert {o.key: o.state for o in propagation.offers(grouped, original)}[three] == "rejected"
    assert count(grouped, "review_propagations") == 3

    # a claim outside the group, the original itself, an unknown action: refused
    from claimdesk.store.reviews import claim_key

    for stray in (claim_key(grouped.other, 0), original):
        with pytest.raises(propagation.NotOffered):
            propagation.decide(grouped, original, [stray], "confirmed", editor="ed")
    with pytest.raises(propagation.NotOffered):
        propagation.decide(grouped, original, [two], "published", editor="ed")

    # a new revision published on the original takes the verdict off the repeats until confirmed again
    newer = reviews.add_review(grouped, original, rating="Misleading", rationale="Some did.", reviewer="rev",
                               based_on=review.revision)
    reviews.publish(grouped, original, editor="ed", revision=newer.revision)
    assert {o.state for o in propagation.offers(grouped, original)} == {"offered"}
    assert propagation.borrowed(grouped, two) == []
    reviews.unpublish(grouped, original, editor="ed")
    assert propagation.offers(grouped, original) == []
    with pytest.raises(propagation.NotOffered):
        propagation.decide(grouped, original, None, "confirmed", editor="ed")


# -- the web desk ----------------------------------------------------------------------------


@pytest.fixture
def web(grouped, monkeypatch):
    from argon2 import PasswordHasher

    from claimdesk import accounts
    from claimdesk.store import reviews
    from claimdesk.web import create_app

    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    reviews.set_password_hash(grouped, "ed", accounts.hash_password("a long enough passphrase"))
    reviews.set_password_hash(grouped, "rev", accounts.hash_password("a long enough passphrase"))
    return create_app(grouped, base_url="http://testserver")


def sign_in(app, name):
    import re

    from fastapi.testclient import TestClient

    browser = TestClient(app, base_url="http://testserver", follow_redirects=False)
    token = re.search(r'name="csrf_token" value="([^"]*)"', browser.get("/signin").text).group(1)
    response = browser.post("/signin", data={"name": name, "password": "a long enough passphrase",
                                             "csrf_token": token, "next": "/"})
    assert response.status_code == 303
    return browser


def token_of(html: str) -> str:
    import re

    return re.search(r'name="csrf_token" value="([^"]*)"', html).group(1)


def claim_path(key):
    article_id, seq = key.split(":")
    return f"/claims/{article_id}/{seq}"


def jsonld(html: str) -> dict:
    import re

    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))


def test_claim_page_lists_the_group_oldest_first_and_the_article_page_marks_repeats(web, grouped):
    from fastapi.testclient import TestClient

    reader = TestClient(web)
    original, two, three, four = keys(grouped)
    page = reader.get(claim_path(three)).text
    assert "4 appearances" in page
    outlets = [o for o in ("one.example", "two.example", "three.example", "four.example") if o in page]
    assert outlets == ["one.example", "two.example", "three.example", "four.example"]
    assert page.index("one.example") < page.index("two.example") < page.index("four.example")
    assert page.count('class="badge earliest"') == 1 and "2023-12-19 <strong class=\"badge earliest\">" in page
    assert "(this appearance)" in page and "Elman Mammadov" in page and "claims" in page
    article = reader.get(f"/articles/{grouped.keys[0]}").text
    assert "also in 3 other articles" in article and f'{claim_path(original)}#group' in article
    assert "also in" not in reader.get(f"/articles/{grouped.other}").text
    assert "Not found in any other article" in reader.get(claim_path(f"{grouped.other}:0")).text
    data = reader.get(f"/api/claims/{grouped.keys[1]}/0/group").json()
    assert [a["outlet"] for a in data["appearances"]] == ["one.example", "two.example", "three.example", "four.example"]
    assert [a["earliest"] for a in data["appearances"]] == [True, False, False, False]


def test_propagation_through_the_forms_and_the_claimreview_appearances(web, grouped):
    from fastapi.testclient import TestClient

    original, two, three, four = keys(grouped)
    publish_first(grouped)
    public = TestClient(web)
    assert "offered" not in public.get(claim_path(original)).text  # offers are for the desk
    assert "the desk's review of" not in public.get(claim_path(two)).text  # nothing published on the repeat yet
    assert isinstance(jsonld(public.get(claim_path(original)).text)["itemReviewed"]["appearance"], dict)

    reviewer = sign_in(web, "rev")
    page = reviewer.get(claim_path(original)).text
    assert f'data-claim="{two}" data-state="offered"' in page and "Confirm</button>" not in page  # editors only
    refused = reviewer.post(f"{claim_path(original)}/propagate",
                            data={"csrf_token": token_of(page), "repeat": two, "action": "confirmed"})
    assert refused.status_code == 403

    editor = sign_in(web, "ed")
    page = editor.get(claim_path(original)).text
    assert page.count("Confirm</button>") == 3 and "Confirm for all offered appearances" in page
    token = token_of(page)
    assert editor.post(f"{claim_path(original)}/propagate", data={"repeat": two, "action": "confirmed"}).status_code == 403
    done = editor.post(f"{claim_path(original)}/propagate", data={"csrf_token": token, "repeat": two, "action": "confirmed"})
    assert done.status_code == 303 and done.headers["location"].endswith("#group")
    editor.post(f"{claim_path(original)}/propagate", data={"csrf_token": token, "repeat": three, "action": "rejected"})
    page = editor.get(claim_path(original)).text
    assert f'data-claim="{two}" data-state="confirmed"' in page and f'data-claim="{three}" data-state="rejected"' in page
    assert "confirmed</span> by ed" in page

    repeat = public.get(claim_path(two)).text
    assert "<strong>False</strong>: the desk's review of" in repeat and f'{claim_path(original)}#reviews' in repeat
    assert "the desk's review of" not in public.get(claim_path(three)).text
    appearance = jsonld(public.get(claim_path(original)).text)["itemReviewed"]["appearance"]
    assert [a["url"] for a in appearance] == ["https://one.example/mines", "https://two.example/mines"]
    assert appearance[1]["publisher"]["name"] == "two.example"

    # all at once, through the API: the one left offered
    token = editor.get("/api/me").json()["csrf_token"]
    answer = editor.post(f"/api/reviews/{grouped.keys[0]}/0/propagate?action=confirmed", headers={"X-CSRF-Token": token})
    assert answer.json()["decided"] == [four]
    appearance = json.loads(public.get("/claimreview.jsonl").text.splitlines()[0])["itemReviewed"]["appearance"]
    assert [a["url"] for a in appearance] == ["https://one.example/mines", "https://two.example/mines",
                                              "https://four.example/mines"]
    assert public.get(f"/api/reviews/{grouped.keys[0]}/0").json()["claim_review"]["itemReviewed"]["appearance"] == appearance
    assert editor.post(f"/api/reviews/{grouped.other}/0/propagate?action=confirmed",
                       headers={"X-CSRF-Token": token}).status_code == 409


def test_api_match_returns_the_nearest_claims_and_their_published_reviews(web, grouped):
    from fastapi.testclient import TestClient

    original, *_ = keys(grouped)
    publish_first(grouped)
    reader = TestClient(web)
    found = reader.get("/api/match", params={"q": "Did Armenian trucks bring mines into Karabakh past Russian peacekeepers?"})
    assert found.status_code == 200
    data = found.json()
    first = data["claims"][0]
    assert first["claim"] in keys(grouped) and first["appearances"] == 4 and first["rank"] == 1
    assert first["similarity"] > 0.6 and first["score"] > 0 and first["reviews"] == [original]
    assert [r["claim"] for r in data["reviews"]] == [original]
    assert data["reviews"][0]["review"]["rating"] == "False" and "reviewer" not in data["reviews"][0]["review"]
    assert len({c["claim"] for c in data["claims"]}) == len(data["claims"])  # one claim per group
    assert reader.get("/api/match").status_code == 422
    assert reader.get("/api/match", params={"q": "x" * 3000}).status_code == 422


def test_cli_match_text_against_the_store(grouped, tmp_path):
    from typer.testing import CliRunner

    from claimdesk.cli import app as cli

    publish_first(grouped)
    runner = CliRunner()
    result = runner.invoke(cli, ["match", "Armenian trucks carried mines into Karabakh", "--db", grouped.url])
    assert result.exit_code == 0, result.output
    assert "Elman Mammadov" in result.output and "one.example" in result.output and "False" in result.output
    assert "similarity" in result.output
    as_json = runner.invoke(cli, ["match", "Armenian trucks carried mines into Karabakh", "--db", grouped.url, "--json"])
    rows = [json.loads(line) for line in as_json.output.splitlines() if line.startswith("{")]
    assert rows[0]["appearances"] == 4 and rows[0]["reviews"][0]["rating"] == "False"
    queries = tmp_path / "queries.tsv"
    queries.write_text("id\ttext\nq1\tArmenian trucks carried mines into Karabakh\nq2\n", encoding="utf-8")
    run = runner.invoke(cli, ["match", str(queries), "--db", grouped.url, "--top", "2"])
    assert run.exit_code == 1  # q2 has no text: reported, the rest matched
    lines = [line.split("\t") for line in run.output.splitlines() if line.startswith("q1\t")]
    assert [(q, rank) for q, _, _, rank, _, _ in lines] == [("q1", "1"), ("q1", "2")]
    assert lines[0][2] == f"{grouped.keys[0]}:0" or lines[0][2] in keys(grouped)
