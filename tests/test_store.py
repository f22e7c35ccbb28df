"""The store against a real database: SQLite, and PostgreSQL (a private server the tests start, see conftest.py)."""

from __future__ import annotations

import random
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event, inspect, text

from claimdesk.model import Article, IngestError, RawDocument, Removed, Span, text_id
from claimdesk.store import AmbiguousId, Store, default_db_url
from claimdesk.store import migrate
from claimdesk.store.schema import Base

TABLES = ("documents", "body_ranges", "removed_ranges", "scope_counts", "line_counts", "articles_fts")

# -- building articles ----------------------------------------------------------

VOCABULARY = (
    "ministry army border village report officials said claimed denied convoy mines road bridge "
    "peacekeepers residents council statement agency evidence attack shelling ceasefire troops "
    "region parliament committee defense security corruption journalist witness hospital water "
    "supply winter market election court lawyer appeal prisoner exchange negotiations talks"
).split()


def prose(seed: int, words: int = 120) -> str:
    """Deterministic filler sentences: different seeds give unrelated texts."""
    rng = random.Random(seed)
    sentences, sentence = [], []
    for _ in range(words):
        sentence.append(rng.choice(VOCABULARY))
        if len(sentence) >= rng.randint(8, 14):
            sentences.append(" ".join(sentence).capitalize() + ".")
            sentence = []
    if sentence:
        sentences.append(" ".join(sentence).capitalize() + ".")
    return " ".join(sentences)


def make_article(
    headline: str | None,
    paragraphs: list[str],
    *,
    chrome: tuple[str, ...] = ("Subscribe to our newsletter", "All rights reserved"),
    url: str | None = None,
    outlet: str | None = "example.com",
    scope: str | None = None,
    **raw_fields,
) -> Article:
    """A document text laid out as title, chrome, paragraphs; spans point into it."""
    text, title_span, body, removed = "", None, [], []

    def put(piece: str) -> Span:
        nonlocal text
        if text:
            text += "\n\n"
        start = len(text)
        text += piece
        return Span(start, len(text))

    if headline is not None:
        title_span = put(headline)
        span = put(headline.upper())
        removed.append(Removed(span.start, span.end, "duplicate-title", "repeats the title"))
    for line in chrome:
        span = put(line)
        removed.append(Removed(span.start, span.end, "site-chrome", f"recurs in 9 of 12 documents of {outlet}"))
    for paragraph in paragraphs:
        body.append(put(paragraph))
    raw = RawDocument(text=text, url=url, outlet=outlet, scope=scope, **raw_fields)
    return Article(raw=raw, title=title_span, body=body, removed=removed)


def edited(paragraph: str) -> str:
    """A light edit: one word changed."""
    words = paragraph.split(" ")
    words[len(words) // 2] = "allegedly"
    return " ".join(words)


# -- fixtures -------------------------------------------------------------------


def _reset_postgresql(url: str) -> None:
    engine = create_engine(default_db_url(url))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return default_db_url(str(tmp_path / "claimdesk.db"))
    pg_url = request.getfixturevalue("postgres_url")
    _reset_postgresql(pg_url)
    return default_db_url(pg_url)


@pytest.fixture
def store(db_url):
    with Store(db_url) as opened:
        yield opened


def count(store: Store, table: str) -> int:
    with store.engine.connect() as connection:
        return connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


# -- urls -----------------------------------------------------------------------


def test_default_db_url(monkeypatch, tmp_path):
    monkeypatch.delenv("CLAIMDESK_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    assert default_db_url() == f"sqlite:///{tmp_path.resolve()}/claimdesk.db"
    monkeypatch.setenv("CLAIMDESK_DB", "other.db")
    assert default_db_url() == f"sqlite:///{tmp_path.resolve()}/other.db"
    assert default_db_url("/srv/x.db") == "sqlite:////srv/x.db"
    assert default_db_url("sqlite:///rel.db") == "sqlite:///rel.db"
    assert default_db_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert default_db_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert default_db_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"


# -- round trip, duplicates, versions ----------------------------------------------


def test_round_trip_keeps_every_field(store):
    article = make_article(
        "Mines found near the corridor",
        [prose(1, 60), prose(2, 40)],
        url="https://example.com/a",
        scope="example.com",
        path="/tmp/a.html",
        format="html",
        title="Stated <title>",
        published="2023-12-20",
        fetched="2023-12-21T08:00:00Z",
        author="A. Writer",
        language="en",
        extracted=True,
    )
    added = store.add(article, line_keys={"k1", "k2"})
    assert (added.id, added.status, added.version, added.near_duplicates) == (article.raw.id, "new", 1, [])

    stored = store.get(added.id)
    assert stored.article == article
    assert [r.reason for r in stored.article.removed] == ["duplicate-title", "site-chrome", "site-chrome"]
    assert stored.article.paragraphs() == article.paragraphs()
    assert (stored.version, stored.versions, stored.near_duplicates) == (1, [added.id], [])
    at = datetime.fromisoformat(stored.ingested_at)
    assert at.tzinfo is not None and abs(datetime.now(timezone.utc) - at) < timedelta(minutes=5)


def test_round_trip_without_title_or_url(store):
    article = make_article(None, [prose(3)], chrome=(), url=None, outlet=None)
    store.add(article, line_keys=set())
    stored = store.get(article.raw.id)
    assert stored.article == article
    assert stored.article.title is None and stored.article.removed == []
    assert stored.versions == [article.raw.id]


def test_duplicate_is_stored_once(store):
    article = make_article("Same", [prose(4)], url="https://example.com/same", scope="s")
    first = store.add(article, line_keys={"a"})
    again = store.add(article, line_keys={"a"})
    assert (first.status, again.status, again.version, again.id) == ("new", "duplicate", 1, first.id)
    assert count(store, "documents") == 1
    assert count(store, "body_ranges") == 1
    assert store.line_counts("s", ["a"]).counts == {"a": 1}


def test_changed_text_at_same_url_is_a_new_version(store):
    url = "https://example.com/story"
    old = make_article("Convoy stopped at the bridge", [prose(5) + " Zebrafish were mentioned."], url=url)
    new = make_article("Convoy released after talks", [prose(6) + " Kangaroos were mentioned."], url=url)
    assert store.add(old, line_keys=set()).status == "new"
    added = store.add(new, line_keys=set())
    assert (added.status, added.version) == ("version", 2)
    assert count(store, "documents") == 2

    assert store.get(old.raw.id).article == old  # the old version is kept untouched
    for stored in (store.get(old.raw.id), store.get(new.raw.id)):
        assert stored.versions == [old.raw.id, new.raw.id]
    assert store.get(new.raw.id).version == 2

    assert [hit.id for hit in store.search("convoy")] == [new.raw.id]
    assert [hit.id for hit in store.search("kangaroos")] == [new.raw.id]
    assert store.search("zebrafish") == []  # only in the superseded version


# -- near-duplicates and line counts ---------------------------------------------------


def test_near_duplicates_are_grouped(store):
    paragraphs = [prose(7, 90), prose(8, 90)]
    original = make_article("Shelling reported", paragraphs, url="https://a.example/1", outlet="a.example")
    copy = make_article("Shelling reported, agency says", [edited(p) for p in paragraphs], url="https://b.example/9", outlet="b.example")
    unrelated = make_article("Water supply restored", [prose(9, 90), prose(10, 90)], url="https://a.example/2", outlet="a.example")

    assert store.add(original, line_keys=set()).near_duplicates == []
    added = store.add(copy, line_keys=set())
    assert (added.status, added.near_duplicates) == ("new", [original.raw.id])
    assert store.add(unrelated, line_keys=set()).near_duplicates == []

    assert store.get(original.raw.id).near_duplicates == [copy.raw.id]
    assert store.get(copy.raw.id).near_duplicates == [original.raw.id]
    assert store.get(unrelated.raw.id).near_duplicates == []
    stats = store.stats()
    assert (stats["near_duplicate_groups"], stats["near_duplicate_documents"]) == (1, 2)


def test_get_lists_the_first_copies_and_counts_them_all(store):
    """A page listing a few of a wire story's copies reads those few and a count, not every id."""
    paragraphs = [prose(11, 90), prose(12, 90)]
    copies = [make_article(f"Wire story {n}", paragraphs, url=f"https://o{n}.example/1", outlet=f"o{n}.example")
              for n in range(5)]
    for article in copies:
        store.add(article, line_keys=set())
    first = copies[0].raw.id
    ids = [a.raw.id for a in copies[1:]]  # oldest first

    assert store.get(first).near_duplicates == ids
    assert store.get(first).near_duplicates_total is None  # every copy listed: nothing to count
    shown = store.get(first, copies=2)
    assert (shown.near_duplicates, shown.near_duplicates_total) == (ids[:2], 4)
    assert store.get(copies[3].raw.id, copies=10).near_duplicates == [copies[0].raw.id, *ids[:2], ids[3]]
    none = store.get(first, copies=0)
    assert (none.near_duplicates, none.near_duplicates_total) == ([], 4)
    alone = make_article("Water supply restored", [prose(9, 90), prose(10, 90)], url="https://a.example/2")
    store.add(alone, line_keys=set())
    assert (store.get(alone.raw.id, copies=3).near_duplicates, store.get(alone.raw.id, copies=3).near_duplicates_total) == ([], 0)


def test_short_bodies_are_compared_too(store):
    body = ("The ministry said the convoy crossed the bridge at dawn and reached the village before noon, "
            "where residents and peacekeepers waited for water and medicine since Monday")
    one = make_article("Short", [body], url="https://a.example/s1")
    two = make_article("Short", [body.replace("Monday", "Sunday")], url="https://b.example/s2")
    store.add(one, line_keys=set())
    assert store.add(two, line_keys=set()).near_duplicates == [one.raw.id]


def test_a_second_store_sees_documents_added_by_another(db_url):
    paragraphs = [prose(11, 100)]
    with Store(db_url) as first, Store(db_url) as second:
        second.add(make_article("Other", [prose(12, 100)]), line_keys=set())  # builds its index now
        original = make_article("Original", paragraphs, url="https://a.example/o")
        first.add(original, line_keys=set())
        copy = make_article("Copy", [edited(p) for p in paragraphs], url="https://b.example/c")
        assert second.add(copy, line_keys=set()).near_duplicates == [original.raw.id]


def test_a_reopened_store_rebuilds_its_index_from_the_stored_sketches(db_url):
    paragraphs = [prose(13, 100)]
    original = make_article("Original", paragraphs, url="https://a.example/o")
    with Store(db_url) as first:
        first.add(original, line_keys=set())
    with Store(db_url) as reopened:
        copy = make_article("Copy", [edited(p) for p in paragraphs], url="https://b.example/c")
        assert reopened.add(copy, line_keys=set()).near_duplicates == [original.raw.id]


def test_line_counts_grow_once_per_distinct_text(store):
    one = make_article("One", [prose(20, 100)], url="https://s.example/1", scope="s.example")
    two = make_article("Two", [prose(21, 100)], url="https://s.example/2", scope="s.example")
    store.add(one, line_keys={"nav", "footer", "one"})
    store.add(two, line_keys={"nav", "footer", "two"})
    expected = {"nav": 2, "footer": 2, "one": 1, "two": 1}
    counts = store.line_counts("s.example", expected)
    assert (counts.scope, counts.documents, counts.counts) == ("s.example", 2, expected)

    # neither a duplicate, nor a syndicated copy, nor a light revision counts again
    store.add(one, line_keys={"nav", "footer", "one"})
    copy = make_article("One", [edited(prose(20, 100))], url="https://s.example/copy", scope="s.example")
    assert store.add(copy, line_keys={"nav", "footer", "one"}).near_duplicates == [one.raw.id]
    revision = make_article("One", [edited(prose(20, 100)) + " Updated."], url="https://s.example/1", scope="s.example")
    assert store.add(revision, line_keys={"nav", "footer", "one"}).status == "version"
    assert store.line_counts("s.example", expected) == counts

    # a rewrite at a known URL is a new text: it counts
    rewrite = make_article("Two", [prose(22, 100)], url="https://s.example/2", scope="s.example")
    assert store.add(rewrite, line_keys={"nav", "two"}).status == "version"
    assert store.line_counts("s.example", ["nav", "two"]).counts == {"nav": 3, "two": 2}
    assert store.line_counts("s.example", ["two"]).documents == 3


def test_line_counts_answers_only_what_is_asked(store):
    store.add(make_article("A", [prose(30)], scope="s"), line_keys={f"k{i}" for i in range(1200)})
    counts = store.line_counts("s", ["k1", "k1100", "missing"])
    assert counts.counts == {"k1": 1, "k1100": 1}
    assert len(store.line_counts("s", (f"k{i}" for i in range(1200))).counts) == 1200
    assert store.line_counts("unknown", ["k1"]) is None
    assert store.line_counts(None, ["k1"]) is None
    store.add(make_article("B", [prose(31)], scope=None), line_keys={"k1"})
    assert store.line_counts("s", ["k1"]).documents == 1
    assert count(store, "scope_counts") == 1


# -- search -------------------------------------------------------------------------


def test_search_ranks_title_matches_first_and_marks_snippets(store):
    body_only = make_article(
        "Council meeting postponed",
        ["Residents asked about the pipeline again and again; the pipeline was mentioned by every speaker. " + prose(40)],
        outlet="body.example",
        published="2024-01-02",
    )
    in_title = make_article("Pipeline explosion near the border", [prose(41) + " The pipeline burned."], outlet="title.example")
    store.add(body_only, line_keys=set())
    store.add(in_title, line_keys=set())
    store.add(make_article("Nothing relevant", [prose(42)]), line_keys=set())

    hits = store.search("pipelines")  # stemmed
    assert [hit.id for hit in hits] == [in_title.raw.id, body_only.raw.id]
    assert hits[0].rank > hits[1].rank
    assert hits[0].title == "Pipeline explosion near the border"
    assert (hits[1].outlet, hits[1].published) == ("body.example", "2024-01-02")
    for hit in hits:
        assert "[" in hit.snippet and "]" in hit.snippet
        marked = hit.snippet[hit.snippet.index("[") + 1 : hit.snippet.index("]")]
        assert marked.lower() == "pipeline"
        assert len(hit.snippet.split()) <= 20

    assert [hit.id for hit in store.search("pipeline burned")] == [in_title.raw.id]  # every word must match
    assert store.search("pipeline", limit=1, offset=1)[0].id == body_only.raw.id
    assert store.search("pipeline", limit=0) == []


@pytest.mark.parametrize(
    "query",
    ['"', '""', 'mines "convoy', "AND OR", "AND", "NOT", "OR mines", "foo:", "title:mines", "*", "mine*",
     "-", "-mines", "NEAR(", "NEAR(mines convoy)", "(", ")", "^", "{body}: x", "mines -- ;", "💣", "💣 mines",
     "", "   ", "?!.,", "'; DROP TABLE documents; --", "\x00", "mines\x00convoy", "a" * 500],
)
def test_hostile_queries_never_raise(store, query):
    store.add(make_article("Mines near the convoy route", [prose(50)]), line_keys=set())
    hits = store.search(query)
    assert isinstance(hits, list)
    if not any(ch.isalnum() for ch in query):
        assert hits == []
    assert count(store, "documents") == 1


# -- ids, errors, stats ---------------------------------------------------------------


def _two_texts_sharing_a_prefix(length: int = 4) -> tuple[str, str]:
    seen: dict[str, str] = {}
    for i in range(100_000):
        candidate = f"Prefix probe {i}.\n\n{prose(i, 30)}"
        prefix = text_id(candidate)[:length]
        if prefix in seen:
            return seen[prefix], candidate
        seen[prefix] = candidate
    raise AssertionError("no shared prefix found")


def test_known_ids(store):
    stored = [make_article(f"Known {i}", [prose(90 + i)]) for i in range(3)]
    for article in stored:
        store.add(article, line_keys=set())
    asked = [a.raw.id for a in stored[:2]] + [text_id(f"never stored {i}") for i in range(1000)]
    assert store.known_ids(asked) == {a.raw.id for a in stored[:2]}
    assert store.known_ids([]) == set()


def test_get_by_prefix_and_ambiguous_prefix(store):
    first, second = (make_article(None, [t], chrome=()) for t in _two_texts_sharing_a_prefix())
    store.add(first, line_keys=set())
    store.add(second, line_keys=set())
    a, b = first.raw.id, second.raw.id
    shared = a[:4]
    assert b.startswith(shared)

    with pytest.raises(AmbiguousId) as raised:
        store.get(shared)
    assert sorted(raised.value.candidates) == sorted([a, b])
    common = next(i for i in range(64) if a[i] != b[i])
    assert store.get(a[: common + 1]).article.raw.id == a
    assert store.get(b[: common + 1].upper()).article.raw.id == b
    assert store.get(a).article == first
    assert store.get(a[:3]) is None  # too short
    assert store.get("zzzz") is None  # not hex
    assert store.get("0" * 64) is None


def test_errors_and_stats(store):
    base = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)
    for i in range(7):
        store.record_error(IngestError(f"feed-{i}.xml", f"not well-formed (line {i})", base + timedelta(minutes=i)))
    store.record_error(IngestError("late.html", "timed out"))
    store.add(make_article("A", [prose(60)], url="https://a.example/1", outlet="a.example", format="html"), line_keys={"x"})
    store.add(make_article("A2", [prose(61)], url="https://a.example/1", outlet="a.example", format="html", scope="a"), line_keys={"x"})
    store.add(make_article("B", [prose(62)], outlet="b.example", scope="b"), line_keys={"x", "y"})
    store.add(make_article("C", [prose(63)], outlet=None), line_keys=set())

    errors = store.errors()
    assert len(errors) == 8 and errors[0].input == "late.html" and errors[0].at is not None
    assert errors[1] == IngestError("feed-6.xml", "not well-formed (line 6)", base + timedelta(minutes=6))
    assert len(store.errors(limit=3)) == 3

    stats = store.stats()
    assert stats["documents"] == 4
    assert stats["formats"] == {"html": 2, "text": 2}
    assert stats["outlets"] == {"a.example": 2, "b.example": 1}
    assert stats["versions"] == 1
    assert stats["errors"] == 8
    assert [e.input for e in stats["recent_errors"]] == ["late.html", "feed-6.xml", "feed-5.xml", "feed-4.xml", "feed-3.xml"]
    assert (stats["scopes"], stats["line_keys"]) == (2, 3)
    assert (stats["near_duplicate_groups"], stats["near_duplicate_documents"]) == (0, 0)


# -- atomicity ----------------------------------------------------------------------


@pytest.mark.parametrize("failure", [KeyboardInterrupt, RuntimeError])
@pytest.mark.parametrize("statement", ["INSERT INTO body_ranges", "INSERT INTO articles_fts", "INSERT INTO line_counts"])
def test_interrupted_add_leaves_nothing_and_can_be_rerun(store, statement, failure):
    article = make_article("Atomic", [prose(70), prose(71)], url="https://a.example/x", scope="a.example")

    def explode(conn, cursor, sql, *args):
        if sql.lstrip().startswith(statement):
            raise failure("interrupted mid-add")

    event.listen(store.engine, "before_cursor_execute", explode)
    with pytest.raises(failure):
        store.add(article, line_keys={"k1", "k2"})
    event.remove(store.engine, "before_cursor_execute", explode)

    for table in TABLES:
        assert count(store, table) == 0, table
    assert store.get(article.raw.id[:8]) is None

    added = store.add(article, line_keys={"k1", "k2"})
    assert (added.status, added.version, added.near_duplicates) == ("new", 1, [])
    assert store.get(added.id).article == article
    assert store.line_counts("a.example", ["k1", "k2"]).counts == {"k1": 1, "k2": 1}
    assert [hit.id for hit in store.search("atomic")] == [added.id]


def test_a_process_killed_mid_add_leaves_nothing(tmp_path):
    url = default_db_url(str(tmp_path / "crash.db"))
    Store(url).close()
    script = textwrap.dedent(
        f"""
        import os
        from sqlalchemy import event
        from claimdesk.model import Article, RawDocument, Span
        from claimdesk.store import Store
        store = Store({url!r})
        def die(conn, cursor, sql, *args):
            if sql.lstrip().startswith("INSERT INTO articles_fts"):
                os._exit(9)  # no cleanup, no rollback: like a power cut
        event.listen(store.engine, "before_cursor_execute", die)
        text = "Title\\n\\nBody of the crashed article."
        store.add(Article(RawDocument(text, scope="s"), Span(0, 5), [Span(7, len(text))], []), line_keys={{"k"}})
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 9, result.stderr
    with Store(url) as store:
        for table in TABLES:
            assert count(store, table) == 0, table
        text_ = "Title\n\nBody of the crashed article."
        added = store.add(Article(RawDocument(text_, scope="s"), Span(0, 5), [Span(7, len(text_))], []), line_keys={"k"})
        assert added.status == "new"
        assert store.line_counts("s", ["k"]).counts == {"k": 1}


# -- migrations ---------------------------------------------------------------------


def test_fresh_database_is_created_at_head(db_url):
    with Store(db_url) as store:
        with store.engine.connect() as connection:
            newest = max(p.name[:4] for p in (Path(migrate.__file__).parent / "migrations" / "versions").glob("0*.py"))
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [newest]
            assert migrate.current_revisions(connection) == migrate.head_revisions() == {newest}
            tables = set(inspect(connection).get_table_names())
        assert set(TABLES) | {"ingest_errors", "claims", "entities", "dates", "headline_checks", "headline_reasons", "alembic_version"} <= tables


def test_reopening_does_not_migrate_again(db_url, monkeypatch):
    Store(db_url).close()
    calls = []
    monkeypatch.setattr(migrate.command, "upgrade", lambda *a, **k: calls.append(a))
    with Store(db_url) as store:
        store.add(make_article("Reopened", [prose(80)]), line_keys=set())
    assert calls == []


@pytest.mark.filterwarnings("ignore:.*expression-based index")  # SQLite: checked by their SQL below
def test_models_match_the_migration(db_url):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import Column
    from sqlalchemy.schema import CreateIndex

    def ours(name, type_, *_):
        return not (type_ == "table" and name.startswith("articles_fts"))

    with Store(db_url) as store, store.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_name": ours, "compare_type": True, "target_metadata": Base.metadata}
        )
        assert compare_metadata(context, Base.metadata) == []
        if connection.dialect.name == "sqlite":  # Alembic cannot reflect expression indexes there
            expression_indexes = [
                index for table in Base.metadata.sorted_tables for index in table.indexes
                if not all(isinstance(e, Column) for e in index.expressions)
            ]
            assert expression_indexes
            for index in expression_indexes:
                stored = connection.scalar(
                    text("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = :name"), {"name": index.name}
                )
                expected = str(CreateIndex(index).compile(dialect=connection.dialect))
                assert " ".join((stored or "").split()) == " ".join(expected.split())


def test_sqlite_pragmas(tmp_path):
    with Store(str(tmp_path / "p.db")) as store, store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0


def test_a_sqlite_store_reads_through_a_memory_map(tmp_path):
    """Pages a desk request meets for the first time are read from the map, not copied by a
    read() each (SQLite caps the size at its compile-time maximum)."""
    from sqlalchemy import text

    with Store(f"sqlite:///{tmp_path / 'm.db'}") as store, store._reading() as connection:
        assert connection.execute(text("PRAGMA mmap_size")).scalar() > 0
