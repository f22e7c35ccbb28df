"""One speaker per real person or body across the corpus: the rules (corpus.identity),
the store (SQLite and PostgreSQL), editors' corrections, the CLI and the desk."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from typer.testing import CliRunner

from claimdesk.cli import app
from claimdesk.corpus import identity
from claimdesk.corpus.identity import Candidate
from claimdesk.store import SpeakerEditError, Store
from test_store import db_url, store  # noqa: F401  (fixtures)
from test_store_claims import said


# -- the rules -----------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["Donald Trump", "Donald J. Trump", "President Donald Trump", "Mr. Donald Trump",
                                     "DONALD TRUMP", "Donald Trump's", "U.S. President Donald J. Trump"])
def test_forms_of_one_full_name_share_a_key(written):
    assert identity.name_key(written, "person") == "donald trump"


def test_keys_keep_what_tells_people_apart():
    assert identity.name_key("Ivanka Trump", "person") != identity.name_key("Donald Trump", "person")
    assert identity.name_key("Donald Trump Jr.", "person") == "donald trump jr"
    assert identity.surname_of("donald trump jr") == "trump"
    assert identity.name_key("Mr. Obama", "person") == identity.name_key("President Obama", "person") == "obama"
    assert identity.name_key("Zelenskyy", "person") == identity.name_key("ZELENSKYY", "person")
    assert identity.name_key("Médecins Sans Frontières", "organisation") == "medecins sans frontieres"
    assert identity.name_key("The Kremlin", "organisation") == identity.name_key("Kremlin", "group") == "kremlin"
    assert identity.display_name("Mr. Obama", "person") == "Obama"
    assert identity.display_name("Prince Andrew", "person") == "Prince Andrew"  # a title that is part of who
    assert identity.display_name("Pope Francis", "person") == "Pope Francis"
    assert identity.display_name("Sen. Elizabeth A. Warren", "person") == "Elizabeth Warren"
    assert identity.name_key("WASHINGTON -- President Obama", "person") == "obama"  # a dateline glued on


def test_a_surname_joins_the_one_person_active_then():
    boris = Candidate(1, claims=40, first="2019-07-01", last="2022-07-01")
    assert identity.surname_choice([boris], "2020-01-01") == 1
    lyndon = Candidate(2, claims=300, first="1964-01-01", last="1968-12-31")
    assert identity.surname_choice([boris, lyndon], "2020-01-01") == 1  # the other Johnson is from another period
    assert identity.surname_choice([boris, lyndon], "1966-05-01") == 2


def test_two_people_quoted_alike_in_one_period_stay_apart():
    boris = Candidate(1, claims=40, first="2019-07-01", last="2022-07-01")
    dwayne = Candidate(2, claims=12, first="2020-01-01", last="2021-01-01")
    assert identity.surname_choice([boris, dwayne], "2020-06-01") is None
    # one who holds nearly all the claims is who the surname means
    ivanka = Candidate(3, claims=3, first="2016-01-01", last="2017-01-01")
    donald = Candidate(4, claims=900, first="2015-06-01", last="2021-01-20")
    assert identity.surname_choice([donald, ivanka], "2016-05-01") == 4
    assert identity.surname_choice([donald, ivanka], None) == 4


# -- the store: speakers as ingest makes them ------------------------------------------------


def typed(article_claims, types):
    article, claims, entities = article_claims
    return article, [replace(c, speaker_type=t) for c, t in zip(claims, types)], entities


def put(store: Store, headline: str, speakers: list[str | None], types: list[str], **fields):
    article, claims, entities = typed(said(headline, speakers, **fields), types)
    store.add(article, line_keys=set(), claims=claims, entities=entities)
    return store.get(article.raw.id)


def speakers_of(store: Store) -> dict[str, tuple[str, int, set[str]]]:
    return {s.name: (s.type, s.claims, set(s.aliases)) for s in store.speaker_list(limit=100)}


def test_one_speaker_however_the_outlets_write_the_name(store):
    put(store, "Rally", ["Donald J. Trump", "Trump"], ["person", "person"], seed=1, published="2016-08-01")
    put(store, "Debate", ["President Donald Trump", "Mr. Trump"], ["person", "person"], seed=2, published="2017-02-01")
    put(store, "Kremlin", ["The Kremlin", "Kremlin"], ["organisation", "organisation"], seed=3, published="2017-02-02")
    found = speakers_of(store)
    assert set(found) == {"Donald Trump", "The Kremlin"}
    assert found["Donald Trump"] == ("person", 4, {"Donald J. Trump", "Trump", "President Donald Trump", "Mr. Trump"})
    assert found["The Kremlin"][1] == 2
    # every query by name sees the one speaker: the CLI's claim list, the speaker filter, the page counts
    assert {hit.claim.speaker for hit in store.claims_by_speaker("Trump")} == {"Donald Trump"}
    assert len(store.claims_by_speaker("Donald Trump")) == 4
    assert store.speaker_name("mr. trump") == "Donald Trump"


def test_a_surname_seen_first_is_absorbed_when_the_full_name_arrives(store):
    first = put(store, "Early", ["Gasimli"], ["person"], seed=1, published="2023-01-01")
    assert first.claims[0].speaker == "Gasimli"
    put(store, "Later", ["Azer Gasimli"], ["person"], seed=2, published="2023-02-01")
    found = speakers_of(store)
    assert set(found) == {"Azer Gasimli"}
    assert found["Azer Gasimli"][1:] == (2, {"Gasimli", "Azer Gasimli"})
    assert store.get(first.article.raw.id).claims[0].speaker == "Azer Gasimli"
    assert [e.action for e in store.speaker("Azer Gasimli").edits] == ["join"]


def test_an_ambiguous_surname_stays_apart(store):
    put(store, "One", ["Boris Johnson"], ["person"], seed=1, published="2020-01-01")
    put(store, "Two", ["Dwayne Johnson"], ["person"], seed=2, published="2020-01-02")
    put(store, "Three", ["Johnson"], ["person"], seed=3, published="2020-01-03")
    found = speakers_of(store)
    assert set(found) == {"Boris Johnson", "Dwayne Johnson", "Johnson"}
    assert all(n == 1 for _, n, _ in found.values())


def test_unnamed_and_unresolved_sources_are_no_speaker(store):
    stored = put(store, "Sources", ["officials", "Kim", "they"], ["unnamed", "person", "unresolved"], seed=1)
    assert set(speakers_of(store)) == {"Kim"}
    assert [c.speaker for c in stored.claims] == ["officials", "Kim", "they"]
    assert store.speaker("officials") is None and store.speaker("they") is None
    assert store.unattributed() == {"unnamed": 1, "unresolved": 1}


# -- corrections -----------------------------------------------------------------------------


def editor(store: Store, name: str = "edna") -> str:
    from claimdesk.store import reviews as desk

    desk.add_user(store, name, "x", "editor")
    return name


def test_merge_split_and_rename_are_logged_and_move_the_claims(store):
    who = editor(store)
    put(store, "A", ["Vladimir Putin", "Putin"], ["person", "person"], seed=1, published="2022-01-01")
    put(store, "B", ["Vladimir Vladimirovich Putin"], ["person"], seed=2, published="2022-01-02")
    assert set(speakers_of(store)) == {"Vladimir Putin", "Vladimir Vladimirovich Putin"}

    assert store.merge_speakers("Vladimir Vladimirovich Putin", "Vladimir Putin", editor=who) == "Vladimir Putin"
    assert speakers_of(store)["Vladimir Putin"][1:] == (3, {"Vladimir Putin", "Putin", "Vladimir Vladimirovich Putin"})
    assert len(store.claims_by_speaker("Vladimir Putin")) == 3

    assert store.rename_speaker("Vladimir Putin", "Vladimir V. Putin", editor=who) == "Vladimir V. Putin"
    assert store.speaker_name("Vladimir Putin") == "Vladimir V. Putin"  # the old name still finds them
    assert {h.claim.speaker for h in store.claims_by_speaker("Putin")} == {"Vladimir V. Putin"}

    assert store.split_speaker("Vladimir V. Putin", "Vladimir Vladimirovich Putin", editor=who) == "Vladimir Vladimirovich Putin"
    found = speakers_of(store)
    assert found["Vladimir V. Putin"][1] == 2 and found["Vladimir Vladimirovich Putin"][1] == 1

    log = store.speaker("Vladimir V. Putin").edits
    assert [(e.action, e.by) for e in log] == [("rename", "edna"), ("merge", "edna")]
    assert [(e.action, e.by) for e in store.speaker("Vladimir Vladimirovich Putin").edits] == [("split", "edna")]
    # the person summaries follow: the speaker page's totals
    from claimdesk.store import queries
    assert queries.person_summary(store, "Vladimir V. Putin").by_total == 2
    assert queries.person_summary(store, "Vladimir Vladimirovich Putin").by_total == 1


def test_corrections_survive_reingest_and_apply_to_new_articles(store):
    who = editor(store)
    put(store, "A", ["Trump"], ["person"], seed=1, published="2016-01-01", url="https://example.com/a")
    put(store, "B", ["Donald Trump"], ["person"], seed=2, published="2016-01-02")
    assert set(speakers_of(store)) == {"Donald Trump"}  # the surname was joined
    store.split_speaker("Donald Trump", "Trump", editor=who)  # ... wrongly, says the editor
    put(store, "C", ["Trump"], ["person"], seed=3, published="2016-01-03")  # a new article
    # the first article again, changed: a new version, analysed and stored anew
    put(store, "A, updated", ["Trump"], ["person"], seed=4, published="2016-01-01", url="https://example.com/a")
    found = speakers_of(store)
    assert found["Trump"][1] == 2 and found["Donald Trump"][1] == 1


def test_corrections_that_cannot_be_made_say_why(store):
    who = editor(store)
    put(store, "A", ["Ilham Aliyev", "Jeyhun Bayramov"], ["person", "person"], seed=1)
    with pytest.raises(SpeakerEditError, match="no speaker named"):
        store.merge_speakers("Nobody", "Ilham Aliyev", editor=who)
    with pytest.raises(SpeakerEditError, match="merge them instead"):
        store.rename_speaker("Ilham Aliyev", "jeyhun bayramov", editor=who)
    with pytest.raises(SpeakerEditError, match="only alias"):
        store.split_speaker("Ilham Aliyev", "Ilham Aliyev", editor=who)
    with pytest.raises(SpeakerEditError, match="already one speaker"):
        store.merge_speakers("Ilham Aliyev", "ilham aliyev", editor=who)
    with pytest.raises(SpeakerEditError, match="no user"):
        store.merge_speakers("Ilham Aliyev", "Jeyhun Bayramov", editor="mallory")
    assert set(speakers_of(store)) == {"Ilham Aliyev", "Jeyhun Bayramov"}


# -- the CLI ---------------------------------------------------------------------------------


def test_cli_speakers_json_and_corrections(db_url):
    with Store(db_url) as opened:
        put(opened, "A", ["Donald J. Trump", "Mr. Trump", "officials"], ["person", "person", "unnamed"], seed=1,
            published="2016-03-01")
        editor(opened)
    runner = CliRunner()
    result = runner.invoke(app, ["speakers", "--json", "--db", db_url])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(x["name"], x["type"], x["claims"], sorted(x["aliases"])) for x in lines] == [
        ("Donald Trump", "person", 2, ["Donald J. Trump", "Mr. Trump"])]
    assert lines[0]["roles"] == ["member of parliament"]
    assert {"name", "type", "aliases", "roles", "claims"} <= set(lines[0])

    result = runner.invoke(app, ["speaker", "rename", "Trump", "Donald John Trump", "--by", "edna", "--db", db_url])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["speakers", "trump", "--db", db_url])
    assert result.exit_code == 0 and "Donald John Trump" in result.stdout
    result = runner.invoke(app, ["speaker", "merge", "Nobody", "Donald John Trump", "--db", db_url])
    assert result.exit_code == 1 and "no speaker named 'Nobody'" in result.output


# -- the desk --------------------------------------------------------------------------------


def test_the_desk_shows_one_speaker_and_editors_correct_it(tmp_path, monkeypatch):
    from urllib.parse import quote

    import test_web_auth as web
    from argon2 import PasswordHasher

    from claimdesk import accounts
    from claimdesk.store import reviews as desk
    from claimdesk.web.app import create_app

    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    with Store(str(tmp_path / "desk.db")) as opened:
        put(opened, "A", ["Donald J. Trump", "Mr. Trump", "officials"], ["person", "person", "unnamed"], seed=1,
            published="2016-03-01")
        put(opened, "B", ["Ilham Aliyev"], ["person"], seed=2, published="2016-03-02")
        for name, role in (("rev", "reviewer"), ("ed", "editor")):
            desk.add_user(opened, name, accounts.hash_password(web.PASSWORD), role)
        app = create_app(opened, base_url="http://testserver")
        anonymous = web.client(app)

        listing = anonymous.get("/speakers").text
        assert "Donald Trump" in listing and "also Donald J. Trump, Mr. Trump" in listing
        assert "officials" not in listing.split("Not listed")[0] and "1 claim by unnamed sources" in listing
        assert [s["name"] for s in anonymous.get("/api/speakers").json()] == ["Donald Trump", "Ilham Aliyev"]
        # any name they are known by leads to their one page
        moved = anonymous.get(f"/speakers/{quote('Mr. Trump')}")
        assert moved.status_code == 308 and moved.headers["location"] == f"/speakers/{quote('Donald Trump')}"
        page = anonymous.get(f"/speakers/{quote('Donald Trump')}").text
        assert "Also written as" in page and "Mr. Trump" in page and "member of parliament" in page
        assert 'action="/speakers/' not in page  # no correction forms for the public
        # an unnamed source is no one: no speaker page (here the test's entities tag it, so its entity page)
        assert anonymous.get("/speakers/officials").headers["location"] == "/entities/officials"
        assert anonymous.get("/speakers/Nobody").status_code == 404
        assert anonymous.get(f"/feeds/speakers/{quote('Mr. Trump')}.atom").status_code == 200

        reviewer = web.sign_in(app, "rev")
        token = web.form_token(reviewer.get("/").text)
        assert reviewer.post(f"/speakers/{quote('Donald Trump')}/rename",
                             data={"name": "Someone", "csrf_token": token}).status_code == 403
        assert anonymous.post(f"/speakers/{quote('Donald Trump')}/rename", data={"name": "Someone"}).status_code == 401

        editor = web.sign_in(app, "ed")
        page = editor.get(f"/speakers/{quote('Donald Trump')}").text
        token = web.form_token(page)
        assert f'action="/speakers/{quote("Donald Trump")}/merge"' in page
        done = editor.post(f"/speakers/{quote('Donald Trump')}/split", data={"alias": "Mr. Trump", "csrf_token": token})
        assert done.status_code == 303 and done.headers["location"] == f"/speakers/{quote('Trump')}#corrections"
        refused = editor.post(f"/speakers/{quote('Trump')}/rename", data={"name": "ilham aliyev", "csrf_token": token})
        assert refused.status_code == 409 and "merge them instead" in refused.text
        assert editor.post(f"/speakers/{quote('Trump')}/merge",
                           data={"target": "Nobody Known", "csrf_token": token}).status_code == 409
        assert editor.post(f"/speakers/{quote('Nobody Known')}/merge",
                           data={"target": "Donald Trump", "csrf_token": token}).status_code == 404
        done = editor.post(f"/speakers/{quote('Trump')}/merge", data={"target": "Donald Trump", "csrf_token": token})
        assert done.status_code == 303
        page = anonymous.get(f"/speakers/{quote('Donald Trump')}").text
        assert "merged in" in page and "split off" not in page  # the log of this speaker: the merge, by ed
        assert ">ed," in page.replace(" ", "").replace("\n", "") or "ed, " in page
        api = anonymous.get(f"/api/speakers/{quote('Mr. Trump')}").json()
        assert api["speaker"]["speaker"]["name"] == "Donald Trump" and api["claims"]["by_total"] == 2


def test_only_a_name_makes_a_body_someone_across_the_corpus():
    for named in ("the IMF", "Republicans", "The Clinton campaign", "Congress", "the Senate", "Reuters",
                  "The Velmora Port Authority", "Médecins Sans Frontières"):
        assert identity.names_someone(named, "organisation"), named
    for described in ("the ministry", "police", "Police", "The experts", "the president", "his supporters",
                      "The campaign", "Officials", "Some", "Many of them", "Port authority",
                      "Hydrologists at the state weather service"):
        assert not identity.names_someone(described, "organisation"), described


def test_a_name_typed_differently_in_two_articles_is_one_speaker(store):
    put(store, "A", ["Donald Trump"], ["organisation"], seed=1, published="2016-01-01")
    put(store, "B", ["Donald J. Trump", "Donald Trump"], ["person", "person"], seed=2, published="2016-01-02")
    put(store, "C", ["Trump"], ["organisation"], seed=3, published="2016-01-03")
    put(store, "D", ["the ministry"], ["organisation"], seed=4, published="2016-01-03")
    assert speakers_of(store) == {"Donald Trump": ("person", 4, {"Donald Trump", "Donald J. Trump", "Trump"})}


def test_a_surname_ambiguous_early_joins_the_person_who_comes_to_dominate_it(store):
    put(store, "A", ["Barack Obama", "Michelle Obama"], ["person", "person"], seed=1, published="2016-01-01")
    put(store, "B", ["Obama"], ["organisation"], seed=2, published="2016-01-02")  # tagged a body, and ambiguous
    assert "Obama" in speakers_of(store)
    for seed in range(3, 13):  # Barack Obama is quoted ten times more
        put(store, f"C{seed}", ["Barack Obama"], ["person"], seed=seed, published="2016-02-01")
    found = speakers_of(store)
    assert "Obama" not in found and found["Barack Obama"][1:] == (12, {"Barack Obama", "Obama"})
    assert found["Michelle Obama"][1] == 1


def test_the_news_line_filter_finds_a_speaker_by_any_name_they_are_known_by(store):
    from claimdesk.store import queries

    a = put(store, "Rally", ["Donald J. Trump"], ["person"], seed=1, published="2016-08-01")
    b = put(store, "Debate", ["Mr. Trump"], ["person"], seed=2, published="2016-09-01")
    put(store, "Other", ["Ilham Aliyev"], ["person"], seed=3, published="2016-09-02")
    for typed in ("Mr. Trump", "Trump", "donald j. trump", "Donald Trump"):
        found = queries.news_line(store, queries.NewsFilters(speaker=typed))
        assert {item.id for item in found.items} == {a.article.raw.id, b.article.raw.id}, typed


def test_a_store_from_before_speaker_identity_is_resolved_by_its_migration(db_url):
    from alembic import command
    from sqlalchemy import create_engine, text

    from test_store_claims import _migrate

    with Store(db_url) as opened:
        put(opened, "A", ["Donald J. Trump", "officials"], ["person", "unnamed"], seed=1, published="2016-01-01")
        put(opened, "B", ["Mr. Trump"], ["person"], seed=2, published="2016-01-02")
    _migrate(db_url, command.downgrade, "0012")  # speakers, aliases and the claims' speaker_pk are gone
    engine = create_engine(db_url)
    with engine.begin() as connection:  # as a store before 0013 kept them: each claim's name as its article wrote it
        connection.execute(text("UPDATE claims SET speaker = 'Donald J. Trump' WHERE doc_pk = 1 AND seq = 0"))
        connection.execute(text("UPDATE claims SET speaker = 'Mr. Trump' WHERE doc_pk = 2 AND seq = 0"))
    engine.dispose()
    with Store(db_url) as store:  # opening upgrades: 0013 resolves the stored claims
        assert speakers_of(store) == {"Donald Trump": ("person", 2, {"Donald J. Trump", "Mr. Trump"})}
        assert {h.claim.speaker for h in store.claims_by_speaker("Trump")} == {"Donald Trump"}
        assert store.unattributed() == {"unnamed": 1}


def test_a_capitalised_word_the_article_left_unnamed_is_a_known_surname(store):
    put(store, "A", ["Donald Trump"], ["person"], seed=1, published="2016-01-01")
    stored = put(store, "B", ["Trump", "Officials"], ["unnamed", "unnamed"], seed=2, published="2016-01-02")
    assert [(c.speaker, c.speaker_type) for c in stored.claims] == [("Donald Trump", "person"), ("Officials", "unnamed")]
    assert speakers_of(store)["Donald Trump"][1] == 2
    lone = put(store, "C", ["Mueller"], ["unnamed"], seed=3, published="2016-01-03")  # no stored Mueller: left as it was
    assert (lone.claims[0].speaker, lone.claims[0].speaker_type) == ("Mueller", "unnamed")
