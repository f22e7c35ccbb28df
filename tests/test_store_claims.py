"""Claims and entities in the store, on SQLite and PostgreSQL (fixtures from test_store.py)."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import create_engine, event, inspect, text

from claimdesk.model import Article, Claim, DateMention, Entity, HeadlineCheck, HeadlineReason, RawDocument, Span
from claimdesk.store import Store, migrate
from test_store import TABLES, count, db_url, make_article, prose, store  # noqa: F401  (fixtures)

CLAIM_TABLES = (*TABLES, "claims", "entities")


# -- building articles with claims ------------------------------------------------------


def find(article: Article, piece: str, after: int = 0) -> Span:
    start = article.raw.text.index(piece, after)
    return Span(start, start + len(piece))


def said(
    headline: str,
    speakers: list[str | None],
    *,
    medium: str = "Turan",
    seed: int = 0,
    **fields,
) -> tuple[Article, list[Claim], list[Entity]]:
    """An article with one attributed sentence per speaker (None: no stated source),
    and the claims and entities an analysis would find in it."""
    sentences = []
    for i, speaker in enumerate(speakers):
        who = speaker if speaker is not None else "It was"
        sentences.append(f"{who} claimed that convoy {seed}-{i} carried mines, {medium} reported.")
    article = make_article(headline, [" ".join(sentences), prose(seed)], **fields)
    claims, entities, at = [], [], article.body[0].start
    for i, speaker in enumerate(speakers):
        source = find(article, speaker, at) if speaker is not None else None
        cue = find(article, "claimed", at)
        content = find(article, f"that convoy {seed}-{i} carried mines", at)
        reported = find(article, medium, content.end)
        claims.append(
            Claim(
                source=source,
                speaker=speaker,
                cue=cue,
                content=content,
                hedge="claims" if i % 2 == 0 else "alleges",
                medium=reported if i % 2 == 0 else None,
                negated=i % 3 == 1,
            )
        )
        if source is not None:
            entities.append(Entity(source, "PERSON", speaker, role="member of parliament" if i == 0 else None))
        entities.append(Entity(reported, "MEDIA", medium))
        at = reported.end
    return article, claims, entities


def add(store: Store, headline: str, speakers: list[str | None], **fields):
    article, claims, entities = said(headline, speakers, **fields)
    added = store.add(article, line_keys=set(), claims=claims, entities=entities)
    return added, article, claims


def found(store: Store, name: str, **paging) -> list[tuple[str, str | None]]:
    """(article id, speaker) of each hit, in order."""
    return [(hit.article_id, hit.claim.speaker) for hit in store.claims_by_speaker(name, **paging)]


# -- round trip ----------------------------------------------------------------------


def test_claims_and_entities_round_trip(store):
    article, claims, entities = said("Mines on the road", ["Elman Mammadov", None, "Ilham Aliyev", "He"], seed=1)
    assert any(c.source is None for c in claims) and any(c.medium is None for c in claims)
    assert any(c.negated for c in claims) and any(e.role is None for e in entities)

    store.add(article, line_keys=set(), claims=claims, entities=entities)
    stored = store.get(article.raw.id)
    assert stored.article == article
    assert stored.claims == claims
    assert stored.entities == entities
    assert stored.analysis.claims == claims and stored.analysis.entities == entities
    assert [type(c.negated) for c in stored.claims] == [bool] * len(claims)
    assert claims[0].content.of(stored.article.raw.text) == "that convoy 1-0 carried mines"


def test_an_article_without_claims_reads_back_empty(store):
    article = make_article("Plain", [prose(2)])
    store.add(article, line_keys=set())
    stored = store.get(article.raw.id)
    assert (stored.claims, stored.entities) == ([], [])


def test_a_duplicate_adds_no_claims_and_a_version_keeps_its_own(store):
    url = "https://example.com/story"
    first, first_claims, _ = said("Story", ["Elman Mammadov", "Ilham Aliyev"], url=url, seed=3)
    store.add(first, line_keys=set(), claims=first_claims)
    again = store.add(first, line_keys=set(), claims=first_claims + first_claims)
    assert again.status == "duplicate"
    assert count(store, "claims") == 2

    second, second_claims, _ = said("Story, updated", ["Jeyhun Bayramov"], url=url, seed=4)
    assert store.add(second, line_keys=set(), claims=second_claims).status == "version"
    assert count(store, "claims") == 3
    assert store.get(first.raw.id).claims == first_claims
    assert store.get(second.raw.id).claims == second_claims


def test_deleting_a_document_deletes_its_claims_and_entities(store):
    add(store, "Gone", ["Elman Mammadov"], seed=5)
    with store.engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.execute(text("DELETE FROM articles_fts"))  # a virtual table: no foreign key
        connection.execute(text("DELETE FROM documents"))
    assert count(store, "claims") == count(store, "entities") == 0


# -- atomicity -------------------------------------------------------------------------


@pytest.mark.parametrize("failure", [KeyboardInterrupt, RuntimeError])
@pytest.mark.parametrize("statement", ["INSERT INTO claims", "INSERT INTO entities"])
def test_a_failure_while_storing_claims_leaves_nothing(store, statement, failure):
    article, claims, entities = said("Atomic", ["Elman Mammadov", None], url="https://a.example/x", scope="a", seed=6)

    def explode(conn, cursor, sql, *args):
        if sql.lstrip().startswith(statement):
            raise failure("interrupted mid-add")

    event.listen(store.engine, "before_cursor_execute", explode)
    try:
        with pytest.raises(failure):
            store.add(article, line_keys={"k"}, claims=claims, entities=entities)
    finally:
        event.remove(store.engine, "before_cursor_execute", explode)

    for table in CLAIM_TABLES:
        assert count(store, table) == 0, table
    assert store.get(article.raw.id) is None

    added = store.add(article, line_keys={"k"}, claims=claims, entities=entities)
    assert (added.status, added.version) == ("new", 1)
    stored = store.get(added.id)
    assert (stored.claims, stored.entities) == (claims, entities)
    assert found(store, "mammadov") == [(added.id, "Elman Mammadov")]
    assert store.line_counts("a", ["k"]).counts == {"k": 1}


# -- claims by speaker -------------------------------------------------------------------


@pytest.fixture
def desk(store):
    """Articles of several dates and speakers; returns the store and their ids by name."""
    ids = {}
    ids["december"], *_ = add(store, "December", ["Elman Mammadov", None, "Ilham Aliyev"], published="2023-12-20", outlet="a.example", seed=10)
    ids["january"], *_ = add(store, "January", ["Lt. Elman Mammadov Jr", "Leyla Mammadova", "Mammadovich"], published="2024-01-05", seed=11)
    ids["undated"], *_ = add(store, "Undated", ["MAMMADOV"], published=None, seed=12)
    ids["undated_later"], *_ = add(store, "Undated, later", ["mammadov", "Agent %", "O'Brien \"the\" 50_50"], published=None, seed=13)
    return store, {name: added.id for name, added in ids.items()}


def test_claims_by_speaker_full_name_and_surname(desk):
    store, ids = desk
    assert found(store, "Elman Mammadov") == [
        (ids["january"], "Elman Mammadov Jr"),  # stored under the speaker's name: no title
        (ids["december"], "Elman Mammadov"),
    ]
    surname = [
        (ids["january"], "Elman Mammadov Jr"),  # stored under the speaker's name: no title
        (ids["december"], "Elman Mammadov"),
        (ids["undated_later"], "mammadov"),  # no date: after the dated ones, the later ingested first
        (ids["undated"], "MAMMADOV"),
    ]
    for name in ("Mammadov", "mammadov", "MaMmAdOv", "  Mammadov ", "\tmammadov\n"):
        assert found(store, name) == surname, name
    assert found(store, "elman  MAMMADOV") == found(store, "Elman Mammadov")
    assert found(store, "Elman") == found(store, "Elman Mammadov")
    assert found(store, "Mammadova") == [(ids["january"], "Leyla Mammadova")]
    assert found(store, "Ilham Aliyev") == found(store, "aliyev") == [(ids["december"], "Ilham Aliyev")]
    for partial in ("Mammado", "ammadov", "Elman Mam", "Mammadov Elman", "Lt"):
        assert found(store, partial) == [], partial


def test_claims_by_speaker_hits_carry_their_article(desk):
    store, ids = desk
    hit = store.claims_by_speaker("aliyev")[0]
    stored = store.get(ids["december"])
    assert (hit.article_id, hit.title, hit.outlet, hit.published) == (ids["december"], "December", "a.example", "2023-12-20")
    assert hit.text == stored.article.raw.text
    assert hit.claim == stored.claims[2]
    assert hit.of(hit.claim.source) == "Ilham Aliyev"
    assert hit.of(hit.claim.content) == "that convoy 10-2 carried mines"
    assert hit.of(hit.claim.medium) == "Turan"


@pytest.mark.parametrize(
    "name",
    ["%", "%%", "_", "__", "%mammadov", "mammadov%", "Mammado_", "_ammadov", "% mammadov", "Elman%Mammadov",
     "Elman_Mammadov", "'", '"', "''", "' OR 1=1 --", "'; DROP TABLE claims; --", '" OR ""="', "\\", "\\%",
     "mammadov\\", "\x00", "mammadov\x00", "", "   ", "\u00a0", "💣", "a" * 2000],
)
def test_hostile_speaker_names_never_raise_or_overmatch(desk, name):
    store, ids = desk
    hits = store.claims_by_speaker(name)
    allowed = {"%": {"Agent %"}, "mammadov\x00": {"Elman Mammadov Jr", "Elman Mammadov", "mammadov", "MAMMADOV"}}
    assert {hit.claim.speaker for hit in hits} == allowed.get(name, set())
    assert count(store, "claims") == 10


def test_quotes_and_underscores_in_speakers_match_literally(desk):
    store, ids = desk
    quoted = [(ids["undated_later"], "O'Brien \"the\" 50_50")]
    assert found(store, "O'Brien") == found(store, '"the"') == found(store, "50_50") == quoted
    assert found(store, "o'brien \"THE\" 50_50") == quoted
    assert found(store, "50-50") == found(store, "50%50") == found(store, "the") == []


def test_claims_by_speaker_pages(desk):
    store, _ = desk
    everything = found(store, "mammadov")
    assert [h for offset in range(0, 4) for h in found(store, "mammadov", limit=1, offset=offset)] == everything
    assert found(store, "mammadov", limit=2, offset=1) == everything[1:3]
    assert found(store, "mammadov", limit=0) == []
    assert found(store, "mammadov", offset=10) == []
    assert found(store, "mammadov", offset=-5) == everything


def test_claims_by_speaker_reads_the_latest_version_only(store):
    url = "https://example.com/evolving"
    old, *_ = add(store, "Old", ["Elman Mammadov", "Ilham Aliyev"], url=url, published="2024-02-01", seed=20)
    new, *_ = add(store, "New", ["Ilham Aliyev"], url=url, published="2024-02-02", seed=21)
    assert (old.version, new.version) == (1, 2)
    assert found(store, "mammadov") == []  # only the superseded version has him
    assert found(store, "aliyev") == [(new.id, "Ilham Aliyev")]

    other = "https://example.com/other"
    add(store, "Other", ["Elman Mammadov"], url=other, published="2024-03-01", seed=22)
    latest, *_ = add(store, "Other, corrected", ["Elman Mammadov"], url=other, published="2024-01-01", seed=23)
    assert found(store, "mammadov") == [(latest.id, "Elman Mammadov")]


def test_claims_by_speaker_orders_by_date_within_text_order(store):
    late, *_ = add(store, "Late", ["Elman Mammadov", "Elman Mammadov"], published="2024-05-01", seed=30)
    early, *_ = add(store, "Early", ["Elman Mammadov"], published="2024-04-01", seed=31)
    same_day_later, *_ = add(store, "Same day", ["Elman Mammadov"], published="2024-04-01", seed=32)
    hits = store.claims_by_speaker("Elman Mammadov")
    assert [h.article_id for h in hits] == [late.id, late.id, same_day_later.id, early.id]
    assert hits[0].claim.content.start < hits[1].claim.content.start


# -- speakers and stats -----------------------------------------------------------------


def test_speakers_are_counted_most_first(desk):
    store, _ = desk
    speakers = store.speakers()
    assert [n for _, n in speakers] == [1] * 7  # ties come by name, in the database's collation
    # speakers across the corpus: a title is no part of the name; a lower-case "mammadov" names no one,
    # nor does "Agent %" (its only capital is its first word's: a description, corpus.identity.names_someone)
    assert {name for name, _ in speakers} == {
        "Elman Mammadov", "Ilham Aliyev", "Elman Mammadov Jr", "Leyla Mammadova", "Mammadovich",
        "MAMMADOV", "O'Brien \"the\" 50_50",
    }
    add(store, "More", ["Ilham Aliyev", "Ilham Aliyev", "Leyla Mammadova", None], seed=40)
    assert store.speakers(limit=2) == [("Ilham Aliyev", 3), ("Leyla Mammadova", 2)]
    assert store.speakers(limit=0) == []

    stats = store.stats()
    assert (stats["claims"], stats["speakers"]) == (14, 7)


def test_speakers_count_the_latest_version_only(store):
    url = "https://example.com/v"
    add(store, "V1", ["Elman Mammadov", "Elman Mammadov"], url=url, seed=50)
    add(store, "V2", ["Elman Mammadov", "Ilham Aliyev"], url=url, seed=51)
    assert store.speakers() == [("Elman Mammadov", 1), ("Ilham Aliyev", 1)]
    stats = store.stats()
    assert (stats["claims"], stats["speakers"]) == (4, 2)  # every stored version, like "documents"


def test_empty_store_has_no_speakers(store):
    assert store.speakers() == []
    assert store.claims_by_speaker("anyone") == []
    assert (store.stats()["claims"], store.stats()["speakers"]) == (0, 0)


# -- migration ----------------------------------------------------------------------------


def _revision(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    finally:
        engine.dispose()


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return set(inspect(connection).get_table_names())
    finally:
        engine.dispose()


def _migrate(url: str, action, revision: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            action(migrate.alembic_config(connection), revision)
    finally:
        engine.dispose()


def test_a_database_at_0001_is_upgraded_and_keeps_its_documents(db_url, monkeypatch):
    _migrate(db_url, command.upgrade, "0001")
    assert _revision(db_url) == ["0001"]
    assert not {"claims", "entities", "dates", "headline_checks", "headline_reasons"} & _tables(db_url)

    old = [make_article(f"Old {i}", [prose(60 + i)], url=f"https://old.example/{i}") for i in range(3)]
    with Store(db_url) as old_store:  # documents from before claims existed: added, then taken down to 0001
        for article in old:
            old_store.add(article, line_keys=set())
    _migrate(db_url, command.downgrade, "0001")
    assert _revision(db_url) == ["0001"]

    with Store(db_url) as store:
        assert _revision(db_url) == sorted(migrate.head_revisions())
        for article in old:
            stored = store.get(article.raw.id)
            assert stored.article == article and stored.claims == [] and stored.entities == []
        assert [hit.id for hit in store.search("old")] != []
        added, article, claims = add(store, "New", ["Elman Mammadov"], seed=70)
        assert store.get(added.id).claims == claims

    _migrate(db_url, command.downgrade, "0001")
    assert _revision(db_url) == ["0001"]
    assert not {"claims", "entities", "dates", "headline_checks", "headline_reasons"} & _tables(db_url)

    with Store(db_url) as store:
        assert _revision(db_url) == sorted(migrate.head_revisions())
        assert count(store, "documents") == 4
        assert store.get(added.id).article == article
        assert store.get(added.id).claims == []  # the downgrade dropped them
        assert store.claims_by_speaker("mammadov") == []
        again, _, claims = add(store, "Again", ["Elman Mammadov"], seed=71)
        assert found(store, "mammadov") == [(again.id, "Elman Mammadov")]
        assert store.get(again.id).claims == claims


def test_dates_and_headline_check_are_stored_with_their_article(db_url):
    text = "Talks due\nThe talks will resume on December 19, officials said in 2021.\n"
    article = Article(RawDocument(text=text, path="t.txt"), title=Span(0, 9), body=[Span(10, len(text) - 1)], removed=[])
    dates = [DateMention(Span(39, 50), "XXXX-12-19", "DATE", earliest="2021"), DateMention(Span(66, 70), "2021")]
    check = HeadlineCheck("does-not-fit", "unrelated", 0.12, (
        HeadlineReason("date-outside-frame", "the headline's year is outside the body's", (Span(0, 5), Span(66, 70))),
        HeadlineReason("low-similarity", "little shared meaning", ()),
    ))
    with Store(db_url) as store:
        added = store.add(article, line_keys=set(), dates=dates, headline=check)
        stored = store.get(added.id)
    assert stored.dates == dates
    assert stored.headline == check
    assert stored.analysis.headline == check and stored.analysis.dates == dates


def test_an_article_without_a_headline_check_reads_back_without_one(db_url):
    text = "Just a body line that says something.\n"
    article = Article(RawDocument(text=text, path="u.txt"), title=None, body=[Span(0, len(text) - 1)], removed=[])
    with Store(db_url) as store:
        stored = store.get(store.add(article, line_keys=set()).id)
    assert stored.headline is None and stored.dates == []
