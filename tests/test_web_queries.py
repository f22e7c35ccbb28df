"""The desk's read queries (store/queries.py) on both databases, SQLite and PostgreSQL,
over articles stored with a known analysis, and the desk's pages over each."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from claimdesk.clean import clean
from claimdesk.model import Claim, Entity, RawDocument, Span
from claimdesk.store import Store, queries
from claimdesk.store import reviews as desk
from claimdesk.web import create_app
from test_store import _reset_postgresql

FILLER = ("The committee met in the old town hall, where the minutes of the previous session were read aloud "
          "and the chairman asked members to keep their remarks short because the agenda was long. ")


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'q.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
        _reset_postgresql(url)
    with Store(url) as opened:
        yield opened


def add(store: Store, n: int, *, outlet: str, published: str | None, speaker: str, cue: str, content: str,
        hedge: str, mention: str | None = None, filler: str = "") -> str:
    """Store a short article whose one claim is ``speaker cue content`` (offsets computed here)."""
    title = f"Story {n}: council hears {speaker}"
    sentence = f"{speaker} {cue} {content}."
    text = f"{title}\n\n{filler or FILLER * 2}{n}\n\n{sentence}\n"
    at = text.index(sentence)
    source = Span(at, at + len(speaker))
    cue_span = Span(source.end + 1, source.end + 1 + len(cue))
    content_span = Span(cue_span.end + 1, cue_span.end + 1 + len(content))
    entities = [Entity(source, "PERSON", speaker, role="Mayor" if speaker == "Anna Brook" else None)]
    if mention:
        m = text.index(mention, content_span.start)
        entities.append(Entity(Span(m, m + len(mention)), "PERSON", mention))
    raw = RawDocument(text=text, outlet=outlet, published=published, url=f"https://q.example/{n}")
    added = store.add(clean(raw), line_keys=set(), entities=entities,
                      claims=[Claim(source=source, speaker=speaker, cue=cue_span, content=content_span, hedge=hedge)])
    return added.id


def add_new_version_of_brook_1(store: Store) -> str:
    """A new text at brook-1's URL (https://q.example/1), dated later: now Tomas Weller said
    it, about Anna Brook. The old version's rows leave the person summaries."""
    return add(store, 1, outlet="Gazette", published="2024-05-02", speaker="Tomas Weller", cue="said",
               content="Anna Brook would reopen the bridge in May", hedge="claims", mention="Anna Brook",
               filler="A rewritten story. " * 12)


@pytest.fixture
def filled(store):
    ids = {
        "brook-1": add(store, 1, outlet="Herald", published="2024-01-10", speaker="Anna Brook", cue="said",
                       content="the bridge would reopen in May", hedge="states"),
        "brook-2": add(store, 2, outlet="Courier", published="2024-03-05", speaker="Anna Brook", cue="denied",
                       content="that the tender had been rigged", hedge="denies"),
        "weller": add(store, 3, outlet="Herald", published="2024-02-01", speaker="Tomas Weller", cue="claimed",
                      content="that Anna Brook had ignored the engineers", hedge="claims", mention="Anna Brook"),
        "undated": add(store, 4, outlet="Courier", published=None, speaker="Lina Korsak", cue="alleged",
                       content="that the bridge would reopen in May", hedge="alleges"),
    }
    return store, ids


def test_news_line_order_and_filters(filled):
    store, ids = filled
    line = queries.news_line(store)
    assert [i.id for i in line.items] == [ids["brook-2"], ids["weller"], ids["brook-1"], ids["undated"]]
    assert [i.claims for i in line.items] == [1, 1, 1, 1]
    assert [i.id for i in queries.news_line(store, queries.NewsFilters(outlet="Herald")).items] == [ids["weller"], ids["brook-1"]]
    dated = queries.news_line(store, queries.NewsFilters(since="2024-01-15", until="2024-02"))
    assert [i.id for i in dated.items] == [ids["weller"]]
    assert {i.id for i in queries.news_line(store, queries.NewsFilters(speaker="brook")).items} == {ids["brook-1"], ids["brook-2"]}
    assert [i.id for i in queries.news_line(store, queries.NewsFilters(hedge="denies")).items] == [ids["brook-2"]]
    assert {i.id for i in queries.news_line(store, queries.NewsFilters(entity="Anna Brook")).items} == {
        ids["brook-1"], ids["brook-2"], ids["weller"]}
    two = queries.news_line(store, page_size=2)
    rest = queries.news_line(store, page=2, page_size=2)
    assert two.has_next and not rest.has_next and len(rest.items) == 2


def test_search_marks_the_matched_words_and_takes_filters(filled):
    store, ids = filled
    found = queries.search(store, "tender")
    assert [i.id for i in found.items] == [ids["brook-2"]]
    assert queries.MATCH_OPEN + "tender" + queries.MATCH_CLOSE in found.items[0].snippet
    assert queries.search(store, "bridge", queries.NewsFilters(outlet="Nowhere")).items == []
    assert queries.search(store, '"; DROP TABLE documents; --').items == []


def test_search_pages_are_slices_of_the_whole_ranking_whatever_the_filters(filled, monkeypatch):
    store, _ = filled
    for n in range(5, 17):  # a word in 12 more articles, ranked differently (more or fewer mentions)
        add(store, n, outlet="Herald" if n % 3 else "Courier", published=f"2024-04-{n:02d}", speaker="Ola Dahl",
            cue="said", content="the ferry would run" + " ferry" * (n % 4), hedge="states",
            filler=f"Ferry timetable {n}. " * (2 + n % 5) + "Harbour news. " * 10)
    monkeypatch.setattr(queries, "SEARCH_RANKED", 1)  # the ranked set and the rows looked up: grown as needed
    for filters in (queries.NewsFilters(), queries.NewsFilters(outlet="Courier"), queries.NewsFilters(since="2024-04-10")):
        whole = [i.id for i in queries.search(store, "ferry", filters, page_size=100).items]
        paged = [i.id for p in range(1, 20) for i in queries.search(store, "ferry", filters, page=p, page_size=2).items]
        assert paged == whole and len(whole) == len(set(whole)) > 0
    assert len([i for i in queries.search(store, "ferry", page_size=100).items]) == 12


def test_claims_by_and_about_a_person(filled):
    store, ids = filled
    brook = queries.person_claims(store, "Anna Brook")
    assert [c.article_id for c in brook.by] == [ids["brook-2"], ids["brook-1"]]
    assert [(c.article_id, c.speaker) for c in brook.about] == [(ids["weller"], "Tomas Weller")]
    assert brook.by[0].cue == "denied" and brook.by[0].content == "that the tender had been rigged"
    assert [(p.date, p.by, p.about) for p in brook.timeline] == [
        ("2024-01", 1, 0), ("2024-02", 0, 1), ("2024-03", 1, 0)]  # by month of the articles' dates
    assert brook.hedges == [("states", 1), ("denies", 1)]
    assert brook.roles == [("Mayor", 2)]
    assert dict(brook.outlets) == {"Herald": 2, "Courier": 1}


def test_the_same_claim_elsewhere(filled):
    store, ids = filled
    copy = add(store, 5, outlet="Gazette", published="2024-01-11", speaker="Anna Brook", cue="told reporters",
               content="the bridge would reopen in May", hedge="states", filler="A different story altogether. " * 12)
    found = queries.same_claim_elsewhere(store, ids["brook-1"], 0)
    assert [c.article_id for c in found] == [copy]  # same speaker, same words; not Korsak's like words
    assert queries.same_claim("that the tender had been rigged", "the tender had been rigged")
    assert not queries.same_claim("the bridge would reopen in May", "the bridge would close in May")


def test_the_verdict_filter_follows_publication(filled):
    store, ids = filled
    desk.add_user(store, "ed", "not-a-real-hash", "editor")
    key = desk.claim_key(ids["weller"], 0)
    desk.add_review(store, key, rating="False", rationale="The engineers were heard.", reviewer="ed")
    assert queries.news_line(store, queries.NewsFilters(verdict="False")).items == []
    desk.publish(store, key, editor="ed")
    assert [i.id for i in queries.news_line(store, queries.NewsFilters(verdict="False")).items] == [ids["weller"]]
    desk.add_review(store, key, rating="Mixed", rationale="Partly.", reviewer="ed")
    desk.publish(store, key, editor="ed")
    assert queries.news_line(store, queries.NewsFilters(verdict="False")).items == []
    assert [i.id for i in queries.news_line(store, queries.NewsFilters(verdict="Mixed")).items] == [ids["weller"]]


def test_the_pages_answer_on_either_database(filled):
    store, ids = filled
    with TestClient(create_app(store)) as client:
        for url in ("/", "/?q=bridge", "/?speaker=Brook&hedge=denies", f"/articles/{ids['weller']}",
                    f"/claims/{ids['weller']}/0", "/speakers/Anna%20Brook", "/entities/Anna%20Brook",
                    "/feeds/articles.atom", "/feeds/speakers/Anna%20Brook.json", "/api/articles?q=tender"):
            assert client.get(url).status_code == 200, url


def test_a_new_version_takes_the_old_ones_claims_off_the_person_pages(filled):
    store, ids = filled
    before = queries.person_summary(store, "Anna Brook")
    # a new text at brook-1's URL (https://q.example/1): now Tomas Weller said it, about Anna Brook
    add_new_version_of_brook_1(store)
    after = queries.person_summary(store, "Anna Brook")
    assert queries.person_summary(store, "anna BROOK").by_total == 1  # the speaker's name in any case
    assert (before.by_total, before.about_total) == (2, 1)
    assert (after.by_total, after.about_total) == (1, 2)
    assert [c.article_id for c in queries.person_claims(store, "Anna Brook").by] == [ids["brook-2"]]
    assert after.hedges == [("denies", 1)]
    assert [(p.date, p.by, p.about) for p in after.timeline] == [("2024-02", 0, 1), ("2024-03", 1, 0), ("2024-05", 0, 1)]
    assert dict(after.outlets) == {"Herald": 1, "Courier": 1, "Gazette": 1}
    about = queries.person_claims(store, "Anna Brook").about  # the new version's claim, newest first; the old one's gone
    assert [(c.speaker, c.published) for c in about] == [("Tomas Weller", "2024-05-02"), ("Tomas Weller", "2024-02-01")]
    assert [c.article_id for c in queries.person_claims(store, "anna brook").by] == [ids["brook-2"]]


def test_a_page_of_claims_is_the_next_slice_of_all_of_them_newest_first(filled):
    store, ids = filled
    for n in range(5, 12):  # more claims by Anna Brook, on dates out of storing order
        add(store, n, outlet="Herald", published=f"2023-{(n * 5) % 12 + 1:02d}-01", speaker="Anna Brook",
            cue="said", content=f"the ferry {n} would run", hedge="states", filler=f"Ferry story {n}. " * 12)
    every = queries.person_claims(store, "Anna Brook", page_size=100).by
    pages = [queries.person_claims(store, "Anna Brook", page=p, page_size=4).by for p in (1, 2, 3, 4)]
    assert [len(p) for p in pages] == [4, 4, 1, 0]
    assert [c.article_id for p in pages for c in p] == [c.article_id for c in every]
    assert len(every) == 9 and every[0].article_id == ids["brook-2"] and every[-1].published == "2023-02-01"
    assert [c.published for c in every] == sorted((c.published for c in every), reverse=True)


def test_person_counts_filled_from_a_store_equal_those_kept_on_ingest(filled):
    from sqlalchemy import delete, select

    from claimdesk.store import summaries
    from claimdesk.store.schema import person_counts

    store, _ = filled
    add_new_version_of_brook_1(store)

    def kept():
        with store._reading() as connection:
            return {tuple(r[:4]): r.n for r in connection.execute(select(person_counts)) if r.n}

    on_ingest = kept()
    with store._writing() as connection:
        connection.execute(delete(person_counts))
        summaries.backfill(connection)  # what migration 0007 does to an older store
    assert kept() == on_ingest and on_ingest


def test_person_claims_filled_from_a_store_equal_those_kept_on_ingest(filled):
    from sqlalchemy import delete, select

    from claimdesk.store import summaries
    from claimdesk.store.schema import person_claims

    store, ids = filled
    add_new_version_of_brook_1(store)  # a new version: the old one's rows taken away

    def kept():
        with store._reading() as connection:
            return sorted(tuple(r) for r in connection.execute(
                select(person_claims.c.kind, person_claims.c.name, person_claims.c.day, person_claims.c.doc_pk,
                       person_claims.c.seq)))

    on_ingest = kept()
    assert [(k, n, d) for k, n, d, *_ in on_ingest] == [
        ("about", "Anna Brook", "2024-02-01"), ("about", "Anna Brook", "2024-05-02"),
        ("by", "anna brook", "2024-03-05"), ("by", "lina korsak", ""), ("by", "tomas weller", "2024-02-01"),
        ("by", "tomas weller", "2024-05-02")]
    with store._writing() as connection:
        connection.execute(delete(person_claims))
        summaries.backfill_claims(connection)  # what migration 0008 does to an older store
    assert kept() == on_ingest


def test_articles_mentioning_a_name_newest_first_latest_versions_only(filled):
    store, ids = filled
    assert [a.id for a in queries.mentioning(store, "Anna Brook")] == [ids["brook-2"], ids["weller"], ids["brook-1"]]
    assert [a.id for a in queries.mentioning(store, "Tomas Weller")] == [ids["weller"]]
    assert queries.mentioning(store, "anna brook") == []  # the canonical name as stored
    # a new version of brook-1, dated later: it replaces the old one, at the top
    new = add_new_version_of_brook_1(store)
    assert [a.id for a in queries.mentioning(store, "Anna Brook")] == [new, ids["brook-2"], ids["weller"]]
    assert [a.id for a in queries.mentioning(store, "Tomas Weller")] == [new, ids["weller"]]
    pages = [queries.mentioning(store, "Anna Brook", page=p, page_size=2) for p in (1, 2, 3)]
    assert [[a.id for a in p] for p in pages] == [[new, ids["brook-2"]], [ids["weller"]], []]
    assert pages[0][0].outlet == "Gazette" and pages[0][0].claims == 1


def test_person_articles_filled_from_a_store_equal_those_kept_on_ingest(filled):
    from sqlalchemy import delete, select

    from claimdesk.store import summaries
    from claimdesk.store.schema import person_articles

    store, ids = filled
    add_new_version_of_brook_1(store)  # a new version: the old one's rows taken away

    def kept():
        with store._reading() as connection:
            return sorted(tuple(r) for r in connection.execute(select(person_articles)))

    on_ingest = kept()
    assert sorted((name, day) for _, name, day, _ in on_ingest) == [
        ("Anna Brook", "2024-02-01"), ("Anna Brook", "2024-03-05"), ("Anna Brook", "2024-05-02"), ("Lina Korsak", ""), ("Tomas Weller", "2024-02-01"), ("Tomas Weller", "2024-05-02")]
    with store._writing() as connection:
        connection.execute(delete(person_articles))
        summaries.backfill_articles(connection, batch=2)  # what migration 0009 does to an older store
    assert kept() == on_ingest


def test_pages_kept_for_readers_follow_every_change_of_the_store(filled):
    store, ids = filled
    with TestClient(create_app(store)) as client:
        line, speaker, judged = client.get("/").text, client.get("/speakers/Tomas%20Weller").text, client.get("/?verdict=False").text
        assert client.get("/").text == line  # unchanged store: the same page
        assert "Story 5" not in line and ids["weller"] not in judged
        add(store, 5, outlet="Gazette", published="2024-06-01", speaker="Tomas Weller", cue="said",
            content="the piers would hold", hedge="states", filler="Another story. " * 12)
        assert "Story 5" in client.get("/").text
        assert "2 claims by" in client.get("/speakers/Tomas%20Weller").text and "1 claim by" in speaker
        desk.add_user(store, "ed", "not-a-real-hash", "editor")
        key = desk.claim_key(ids["weller"], 0)
        desk.add_review(store, key, rating="False", rationale="The engineers were heard.", reviewer="ed")
        desk.publish(store, key, editor="ed")
        assert ids["weller"] in client.get("/?verdict=False").text  # a review published: the filter sees it


def test_the_outlet_menu_is_read_again_only_when_the_store_changed(filled, monkeypatch):
    from claimdesk.web import views

    store, _ = filled
    reads = []
    real = queries.outlets
    monkeypatch.setattr(queries, "outlets", lambda s: reads.append(1) or real(s))
    monkeypatch.setattr(views, "_TTL", 0.0)  # every call comes after the minute
    views._CACHE.pop(store, None)
    assert views.outlet_choices(store) == ["Courier", "Herald"]
    assert views.outlet_choices(store) == ["Courier", "Herald"] and len(reads) == 1  # unchanged store: not read again
    add(store, 9, outlet="Gazette", published="2024-06-01", speaker="Lina Korsak", cue="said",
        content="the ferry would run", hedge="states", filler="A ferry story. " * 12)
    assert views.outlet_choices(store) == ["Courier", "Herald", "Gazette"] and len(reads) == 2


def test_a_warmed_app_renders_its_pages_without_compiling_a_template(filled, monkeypatch):
    from claimdesk.web.app import warm
    from claimdesk.web.render import environment

    store, ids = filled
    app = create_app(store)
    environment.cache.clear()
    warm(app)

    def no_source(*args):
        raise AssertionError("a template compiled while serving")

    monkeypatch.setattr(environment.loader, "get_source", no_source)
    with TestClient(app) as client:
        for url in ("/", "/?q=bridge", f"/articles/{ids['weller']}", "/speakers/Anna%20Brook", "/entities/Anna%20Brook",
                    f"/claims/{ids['weller']}/0"):
            assert client.get(url).status_code == 200, url
