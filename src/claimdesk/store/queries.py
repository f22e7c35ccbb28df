"""Read queries for the web desk: the news line, search, speaker, entity and claim pages.

Functions over a ``Store`` (SQL stays in ``claimdesk.store``). Each returns plain
dataclasses and reads one page of rows, never a whole table: text pieces (titles,
claim parts) are cut from the document text inside the database, so no article
text leaves it unless a page shows that article.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Integer, and_, bindparam, case, column, exists, func, literal_column, or_, select, table
from sqlalchemy.sql import ColumnElement

from claimdesk.store.schema import (
    claims as claim_table,
    documents,
    entities as entity_table,
    headline_checks,
    person_articles as person_articles_table,
    person_claims as person_claims_table,
    person_counts,
    review_publications,
    review_revisions,
    speaker_edits,
    standing_claim,
)
from claimdesk.store.schema import claim_corrections  # the review desk (revision 0019)
from claimdesk.model import language_name
from claimdesk.store.fts import fts5_query
from claimdesk.store.store import Store, _latest_version, _like_escape
from claimdesk.store.schema import claim_index, review_propagations  # claim groups (revision 0014)

PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
# The news line's orders: newest first (the default), most claims, most check-worthy (the
# article's most check-worthy standing claim: one claim worth checking makes the article
# worth opening, where a mean would sink it among many minor ones). A search is ranked by
# relevance unless one of these is asked.
SORTS = ("newest", "claims", "check-worthy")
# claimdesk.analyze.hedge.SCALE, firmest first (not imported: that module loads spaCy; a test keeps them equal)
HEDGES = ("states", "claims", "alleges", "suggests", "doubts", "denies", "refuses")
# Search snippets mark matched terms with these private-use characters, which the
# page turns into <mark> after escaping everything else.
MATCH_OPEN, MATCH_CLOSE = "\ue000", "\ue001"
SAME_CLAIM_MIN_OVERLAP = 0.8  # word-set Jaccard above which two contents are the same claim
_SAME_CLAIM_CANDIDATES = 2000


# -- what the queries return ---------------------------------------------------------


@dataclass(frozen=True)
class NewsFilters:
    """What the news line is narrowed to; every field optional."""

    outlet: str | None = None
    speaker: str | None = None
    entity: str | None = None
    since: str | None = None  # ISO date, inclusive
    until: str | None = None  # ISO date, inclusive
    hedge: str | None = None
    verdict: str | None = None  # articles with a claim whose published review has this rating

    def active(self) -> bool:
        return any(getattr(self, name) for name in self.__dataclass_fields__)


@dataclass(frozen=True)
class NewsItem:
    """One article as the news line (and every list of articles) shows it."""

    id: str
    title: str
    outlet: str | None
    url: str | None
    published: str | None
    ingested_at: str
    claims: int
    headline: str | None  # the headline check's verdict (fits, does-not-fit, contradicts), None if unchecked
    snippet: str | None = None  # search only: matched terms between MATCH_OPEN and MATCH_CLOSE
    # the language of an article that was not analysed (no pipeline for it: analyze.registry), else None
    unanalysed_language: str | None = None

    @property
    def not_analysed_in(self) -> str | None:
        """The name of the language the article was not analysed in ("Russian"), else None."""
        return language_name(self.unanalysed_language) if self.unanalysed_language is not None else None


@dataclass
class NewsPage:
    items: list[NewsItem]
    page: int
    page_size: int
    has_next: bool
    filters: NewsFilters = field(default_factory=NewsFilters)
    query: str | None = None  # the search, when the page is search results
    total: int | None = None  # articles matching in all (None when not counted)
    sort: str | None = None  # one of SORTS; None: newest (news line) or relevance (search)

    @property
    def pages(self) -> int:
        return max(-(-(self.total or 0) // self.page_size), 1)


@dataclass(frozen=True)
class ClaimRef:
    """A claim with its parts as text and the article it stands in (lists of claims)."""

    article_id: str
    seq: int
    title: str
    outlet: str | None
    published: str | None
    ingested_at: str
    speaker: str | None
    source: str | None
    cue: str
    content: str
    hedge: str
    negated: bool
    medium: str | None
    speaker_type: str | None = None  # model.Claim.speaker_type: an "unnamed" source has no speaker page


@dataclass(frozen=True)
class TimelinePoint:
    date: str | None  # the article's published date (YYYY-MM-DD), None when undated
    by: int  # claims made by the person that day
    about: int  # claims about them that day


@dataclass
class PersonClaims:
    """Claims by and about one name across the corpus (speaker and entity pages)."""

    name: str
    by: list[ClaimRef]
    about: list[ClaimRef]
    by_total: int
    about_total: int
    timeline: list[TimelinePoint]
    roles: list[tuple[str, int]]  # roles as seen, most often first
    hedges: list[tuple[str, int]]  # hedges of their claims, on the scale's order
    outlets: list[tuple[str, int]]  # outlets whose articles mention or quote them, most first
    labels: list[tuple[str, int]]  # entity labels the name was tagged with


# -- shared pieces --------------------------------------------------------------------


def _cut(start, end) -> ColumnElement:
    """``text[start:end]`` of the document, cut in the database (SQL substr counts from 1)."""
    return func.substr(documents.c.text, start + 1, end - start)


def _title_column():
    d = documents.c
    return func.coalesce(_cut(d.title_start, d.title_end), d.stated_title, "").label("title")


def _normal_name(name: str) -> str:
    return " ".join(name.replace("\x00", " ").split())


def _said_by(name: str):
    """A claim whose speaker is ``name`` or has it as a whole word or run of words, any case
    ("Mammadov" finds "Elman Mammadov"): what ``Store.claims_by_speaker`` matches."""
    c = claim_table.c
    wanted = _normal_name(name)
    spoken, escaped = func.lower(c.speaker), _like_escape(wanted)
    return or_(
        spoken == func.lower(wanted),
        *(spoken.like(func.lower(pattern), escape="\\") for pattern in
          (escaped + " %", "% " + escaped, "% " + escaped + " %")),
    )


def _day():
    """The published date as the news line sorts it: undated ('') after every date when
    read newest first. The same expression as the ix_documents_*newsline indexes."""
    return func.coalesce(documents.c.published, literal_column("''"))  # a literal: a bound '' would not match the index


AFTER_EVERY_DATE = "9999-99"  # sorts after every date string of year 9999 (and "9999-12-31T...")


def after_period(value: str) -> str:
    """The first date string after the period ``value`` names (YYYY, YYYY-MM or YYYY-MM-DD):
    "published <= 2024-02" means any time in February, so the bound is "2024-03". The
    end of year 9999 has no next period to name ("10000" sorts before "2024"): there the
    bound is ``AFTER_EVERY_DATE``."""
    parts = value.split("-")
    year = int(parts[0])
    if len(parts) == 1:
        return f"{year + 1:04d}" if year < 9999 else AFTER_EVERY_DATE
    if len(parts) == 2:
        month = int(parts[1])
        if month >= 12:
            return f"{year + 1:04d}-01" if year < 9999 else AFTER_EVERY_DATE
        return f"{year:04d}-{month + 1:02d}"
    day = date.fromisoformat(value)
    return (day + timedelta(days=1)).isoformat() if day < date.max else AFTER_EVERY_DATE


def _filter_conditions(filters: NewsFilters, speakers: list[str] | None = None) -> list:
    """The filters as conditions on documents; each narrows through an index (claims by
    speaker or hedge, entities by name, the news line by outlet or date)."""
    d, c, e = documents.c, claim_table.c, entity_table.c
    conditions = [_latest_version()]
    if filters.outlet:
        conditions.append(d.outlet == filters.outlet)
    if filters.since:
        conditions.append(_day() >= filters.since)
    if filters.until:
        conditions.extend([_day() < after_period(filters.until), _day() > literal_column("''")])
    if filters.speaker and _normal_name(filters.speaker):
        names = speakers if speakers is not None else [_normal_name(filters.speaker)]
        conditions.append(d.pk.in_(select(c.doc_pk).where(func.lower(c.speaker).in_([n.lower() for n in names] or [""]))))
    if filters.hedge:
        conditions.append(d.pk.in_(select(c.doc_pk).where(c.hedge == filters.hedge)))
    if filters.entity and _normal_name(filters.entity):
        conditions.append(d.pk.in_(select(e.doc_pk).where(e.canonical == _normal_name(filters.entity))))
    if filters.verdict:
        conditions.append(d.pk.in_(_published_with(filters.verdict)))
    return conditions


_LATER_PUBLICATION = review_publications.alias("later")


def _published_with(rating: str):
    """doc_pk of the articles with a claim whose review, as published now, has this rating
    (the claim's latest publication event publishes a revision with it)."""
    p, r = review_publications.c, review_revisions.c
    later = _LATER_PUBLICATION
    return (
        select(p.doc_pk)
        .join(review_revisions, r.pk == p.revision_pk)
        .where(p.action == "published", r.rating == rating,
               ~exists().where(later.c.doc_pk == p.doc_pk, later.c.seq == p.seq, later.c.pk > p.pk))
    )


def standing() -> ColumnElement:
    """A claim no reviewer marked "not a claim" (``schema.standing_claim``: written so that
    SQLite counts one article's claims through the claims' primary key, not the queue's index)."""
    return standing_claim()


def _news_columns():
    return list(_NEWS_COLUMNS)


def _make_news_columns():
    d, c, h = documents.c, claim_table.c, headline_checks.c
    # claims a reviewer marked "not a claim" (rejected_pk) are not counted, here or anywhere
    claim_count = select(func.count()).where(c.doc_pk == d.pk, standing()).scalar_subquery().label("claims")
    verdict = select(h.verdict).where(h.doc_pk == d.pk).scalar_subquery().label("headline")
    unanalysed = case((d.analysed_end == 0, func.coalesce(d.language, "")), else_=None).label("unanalysed_language")
    return (d.id, _title_column(), d.outlet, d.url, d.published, d.ingested_at, claim_count, verdict, unanalysed)


# Built once: list pages describe a page of articles on every request, and building these
# subqueries (and their statements' cache keys) again each time cost more than the SQL.
_NEWS_COLUMNS = _make_news_columns()
_DESCRIBED = select(documents.c.pk, *_NEWS_COLUMNS).where(documents.c.pk.in_(bindparam("pks", expanding=True)))
_ARTICLES = select(*_NEWS_COLUMNS).where(documents.c.id.in_(bindparam("ids", expanding=True)))


def _news_item(row, snippet: str | None = None) -> NewsItem:
    return NewsItem(id=row.id, title=row.title, outlet=row.outlet, url=row.url, published=row.published,
                    ingested_at=row.ingested_at, claims=row.claims, headline=row.headline, snippet=snippet,
                    unanalysed_language=row.unanalysed_language)


def _newest_first():
    d = documents.c
    return (_day().desc(), d.ingested_at.desc(), d.pk.desc())


def _paging(page: int, page_size: int) -> tuple[int, int]:
    return max(page, 1), min(max(page_size, 1), MAX_PAGE_SIZE)


def _ordered(sort: str | None):
    """The ORDER BY of a list of articles sorted by ``sort`` (SORTS), newest first among
    equals. Claims a reviewer marked "not a claim" neither count nor rank."""
    d, c = documents.c, claim_table.c
    if sort == "claims":
        n = select(func.count()).where(c.doc_pk == d.pk, standing()).scalar_subquery()
        return (n.desc(), *_newest_first())
    if sort == "check-worthy":
        top = select(func.max(c.check_worthiness)).where(c.doc_pk == d.pk, standing()).scalar_subquery()
        return (func.coalesce(top, -1.0).desc(), *_newest_first())  # articles without a scored claim last
    return _newest_first()


def text_match(store: Store, query: str):
    """The condition "the article has every word of ``query``", as search matches it
    (FTS5 with each word quoted on SQLite, websearch syntax on PostgreSQL); None when the
    query has no words (nothing matches)."""
    words = _WORD.findall(query)
    if not words:
        return None
    if store.engine.dialect.name == "postgresql":
        fts = table("articles_fts", column("doc_pk"), column("tsv"))
        q = func.websearch_to_tsquery("english", query.replace("\x00", " "))
        return documents.c.pk.in_(select(fts.c.doc_pk).where(fts.c.tsv.op("@@")(q)))
    fts = table("articles_fts", column("rowid"))
    return documents.c.pk.in_(select(fts.c.rowid).where(literal_column("articles_fts").op("MATCH")(fts5_query(query))))


def article_conditions(store: Store, filters: NewsFilters = NewsFilters(), query: str | None = None,
                       speakers: list[str] | None = None) -> list | None:
    """The conditions on ``documents`` of the news line under ``filters`` and, with
    ``query``, its search: what every list and export of articles narrows by (None when
    the query has no words, so nothing matches)."""
    conditions = _filter_conditions(filters, _speakers_for(store, filters, speakers))
    if query:
        matched = text_match(store, query)
        if matched is None:
            return None
        conditions.append(matched)
    return conditions


def claim_conditions(store: Store, filters: NewsFilters = NewsFilters(), speakers: list[str] | None = None) -> list:
    """The news line's filters that name claims, as conditions on ``claims``: by the speaker
    filter's names, of its hedge, with its verdict as published now; and standing (no
    reviewer marked it "not a claim"). With ``article_conditions``, a list of claims."""
    c = claim_table.c
    conditions = [standing()]
    if filters.speaker and _normal_name(filters.speaker):
        names = _speakers_for(store, filters, speakers) or [_normal_name(filters.speaker)]
        conditions.append(func.lower(c.speaker).in_([n.lower() for n in names]))
    if filters.hedge:
        conditions.append(c.hedge == filters.hedge)
    if filters.verdict:
        p, r, later = review_publications.c, review_revisions.c, _LATER_PUBLICATION.c
        conditions.append(exists().select_from(review_publications.join(review_revisions, r.pk == p.revision_pk)).where(
            p.doc_pk == c.doc_pk, p.seq == c.seq, p.action == "published", r.rating == filters.verdict,
            ~exists().where(later.doc_pk == p.doc_pk, later.seq == p.seq, later.pk > p.pk)))
    return conditions


def _count(connection, conditions: list) -> int:
    return connection.scalar(select(func.count()).select_from(documents).where(*conditions))


def count_articles(store: Store, filters: NewsFilters = NewsFilters(), query: str | None = None,
                   speakers: list[str] | None = None) -> int:
    """How many articles the news line (with ``query``, its search) finds under ``filters``."""
    conditions = article_conditions(store, filters, query, speakers)
    if conditions is None:
        return 0
    with store._reading() as connection:
        return _count(connection, conditions)


# -- the news line and search ------------------------------------------------------------


def _page_of(connection, pks_statement, page: int, page_size: int) -> tuple[list[int], bool]:
    """The pks of one page (in the statement's order) and whether a next page exists.

    Pages are chosen by pk first and described afterwards: a sort over many matches
    then moves only pks, and the per-article columns (title, claim count, headline
    verdict, snippet) are computed for the page's rows alone.
    """
    rows = connection.scalars(pks_statement.limit(page_size + 1).offset((page - 1) * page_size)).all()
    return list(rows[:page_size]), len(rows) > page_size


def _described(connection, pks: list[int], extra=()) -> list:
    """The news columns (and ``extra`` ones) of these articles, in the order of ``pks``."""
    if not pks:
        return []
    statement = _DESCRIBED if not extra else (
        select(documents.c.pk, *_NEWS_COLUMNS, *extra).where(documents.c.pk.in_(bindparam("pks", expanding=True))))
    rows = {r.pk: r for r in connection.execute(statement, {"pks": list(pks)}).all()}
    return [rows[pk] for pk in pks if pk in rows]


def generation(store: Store) -> tuple[int, ...]:
    """Changes whenever an article is stored, a review written, published or unpublished, or
    a speaker merged, split or renamed, a claim grouped or a review confirmed for a repeat
    (the highest pk of each table; pks are never reused and these rows never deleted), or
    a claim corrected (marked not a claim, restored, given its speaker or words):
    what was read from the store before is still true while it stays the same."""
    newest = [select(func.max(t.c.pk)).scalar_subquery()
              for t in (documents, review_revisions, review_publications, speaker_edits, claim_index,
                        review_propagations, claim_corrections)]
    with store._reading() as connection:
        row = connection.execute(select(*newest)).one()
    return tuple(v or 0 for v in row)


def distinct_speakers(store: Store) -> list[str]:
    """Every speaker name stored (read from the speaker index)."""
    c = claim_table.c
    with store._reading() as connection:
        return list(connection.scalars(select(c.speaker).where(c.speaker.is_not(None)).group_by(c.speaker)))


def match_speakers(names: list[str], typed: str) -> list[str]:
    """The names that are ``typed`` or have it as a whole word or run of words, any case
    ("Mammadov" finds "Elman Mammadov", not "Mammadova"): what Store.claims_by_speaker matches."""
    wanted = _normal_name(typed).lower()
    if not wanted:
        return []
    return [name for name in names
            if (low := " ".join(name.split()).lower()) == wanted or low.startswith(wanted + " ")
            or low.endswith(" " + wanted) or f" {wanted} " in low]


def _speakers_for(store: Store, filters: NewsFilters, speakers: list[str] | None) -> list[str] | None:
    """The speaker names the speaker filter means: those with the typed words in them
    ("Mammadov"), and the speaker any name they are known by stands for ("Mr. Trump")."""
    if not filters.speaker:
        return None
    names = match_speakers(distinct_speakers(store) if speakers is None else speakers, filters.speaker)
    known_as = store.speaker_name(filters.speaker)
    return names + [known_as] if known_as is not None and known_as not in names else names


def news_line(store: Store, filters: NewsFilters = NewsFilters(), *, page: int = 1,
              page_size: int = PAGE_SIZE, speakers: list[str] | None = None, sort: str | None = None,
              count: bool = True) -> NewsPage:
    """The latest articles first (published date, then ingest time), or in the order
    ``sort`` names (SORTS), one page of them, with the number of matches (``count``).

    ``speakers``: every stored speaker name, when the caller keeps them (the speaker
    filter matches a surname against them), else read here.
    """
    page, page_size = _paging(page, page_size)
    conditions = article_conditions(store, filters, speakers=speakers)
    pks = select(documents.c.pk).where(and_(*conditions)).order_by(*_ordered(sort))
    with store._reading() as connection:
        chosen, has_next = _page_of(connection, pks, page, page_size)
        rows = _described(connection, chosen)
        total = _count(connection, conditions) if count else None
    return NewsPage(items=[_news_item(r) for r in rows], page=page, page_size=page_size,
                    has_next=has_next, filters=filters, total=total, sort=sort)


_WORD = re.compile(r"\w+")


def search(store: Store, query: str, filters: NewsFilters = NewsFilters(), *, page: int = 1,
           page_size: int = PAGE_SIZE, speakers: list[str] | None = None, sort: str | None = None,
           count: bool = True) -> NewsPage:
    """Articles matching every word of ``query``, best first (or in the order ``sort``
    names, SORTS), with a snippet whose matched terms sit between MATCH_OPEN and
    MATCH_CLOSE, and the number of matches (``count``); the news line's filters apply too.

    SQLite: FTS5 with each word quoted (user input is never FTS syntax); a word found in
    more than SEARCH_RANKED articles is ranked among its most recently stored matches
    (``_ranked_page``). PostgreSQL: websearch syntax over the tsvector, as ``Store.search``,
    every match ranked. Snippets are made for the page's articles only.
    """
    page, page_size = _paging(page, page_size)
    words = _WORD.findall(query)
    if not words:
        return NewsPage(items=[], page=page, page_size=page_size, has_next=False, filters=filters, query=query,
                        total=0 if count else None)
    d = documents.c
    named = _speakers_for(store, filters, speakers)
    if store.engine.dialect.name == "postgresql":
        conditions = _filter_conditions(filters, named)
        fts = table("articles_fts", column("doc_pk"), column("title"), column("body"), column("tsv"))
        q = func.websearch_to_tsquery("english", query.replace("\x00", " "))
        rank = func.ts_rank(literal_column("'{0.1, 0.2, 0.1, 1.0}'"), fts.c.tsv, q)
        pks = (select(d.pk).select_from(fts.join(documents, d.pk == fts.c.doc_pk))
               .where(fts.c.tsv.op("@@")(q), *conditions).order_by(rank.desc(), d.pk))

        def snippets(connection, chosen):
            headline = func.ts_headline(
                "english", fts.c.title + "\n\n" + fts.c.body, q,
                f"StartSel={MATCH_OPEN}, StopSel={MATCH_CLOSE}, MaxWords=24, MinWords=10, MaxFragments=2, "
                'FragmentDelimiter=" … "',
            )
            return dict(connection.execute(select(fts.c.doc_pk, headline).where(fts.c.doc_pk.in_(chosen))).all())
    else:
        statements = _sqlite_search(filters, tuple(named) if named is not None else None)
        matched = " ".join('"' + word.replace('"', '""') + '"' for word in words)

        def snippets(connection, chosen):
            return dict(connection.execute(statements.snippets, {"match": matched, "pks": list(chosen)}).all())

    every = article_conditions(store, filters, query, named)  # the matches, unranked
    with store._reading() as connection:
        if sort in SORTS:
            sorted_pks = select(d.pk).where(*every).order_by(*_ordered(sort))
            chosen, has_next = _page_of(connection, sorted_pks, page, page_size)
        elif store.engine.dialect.name == "postgresql":
            chosen, has_next = _page_of(connection, pks, page, page_size)
        else:
            chosen, has_next = _ranked_page(connection, statements, matched, page, page_size)
        rows = _described(connection, chosen)
        found = snippets(connection, chosen) if chosen else {}
        total = _count(connection, every) if count else None
    return NewsPage(items=[_news_item(r, found.get(r.pk)) for r in rows], page=page, page_size=page_size,
                    has_next=has_next, filters=filters, query=query, total=total,
                    sort=sort if sort in SORTS else None)


SEARCH_RANKED = 2000  # a word matching more articles than this: the newest this many of them are ranked


def _ranked_page(connection, statements: "_SqliteSearch", matched: str, page: int, page_size: int) -> tuple[list[int], bool]:
    """A page of SQLite search results, ranking a bounded set of matches.

    FTS5 scores every match before it can sort them, and a common word matches most of a
    large store (tens of thousands of articles: seconds per search). So the matches are
    ranked among the SEARCH_RANKED most recently stored ones (found by rowid, which costs
    no scoring), a set grown fourfold until it fills the asked page after the filters or
    holds every match. When a word matches fewer articles, every match is ranked.

    Only the best ranked matches go on to the filters and the articles' rows (looking
    up 2000 articles costs several times the ranking): twice the asked page's depth,
    grown fourfold while the filters leave the page short. The page is the same: the
    best k in (rank, pk) order, filtered, begin the whole ranked list, filtered.
    """
    wanted = page * page_size + 1
    bound = max(SEARCH_RANKED, 4 * wanted)
    page_of = {"match": matched, "limit": page_size + 1, "offset": (page - 1) * page_size}
    while True:
        cutoff = connection.scalar(statements.cutoff, {"match": matched, "skip": bound - 1})
        best = 2 * wanted
        while True:
            statement = statements.ranked[cutoff is not None, best < bound]
            rows = connection.scalars(statement, {**page_of, "cutoff": cutoff, "best": best}).all()
            chosen, has_next = list(rows[:page_size]), len(rows) > page_size
            if len(chosen) == page_size and has_next or best >= bound:
                break
            best *= 4
        if cutoff is None or len(chosen) == page_size and has_next:
            return chosen, has_next
        bound *= 4


class _SqliteSearch:
    """A SQLite search's statements for one set of filters, built once (``_sqlite_search``):
    the words, the cutoff, the depth and the page are parameters. Building them and their
    cache keys on every search cost more than a millisecond of the few it takes."""

    def __init__(self, conditions: list):
        d = documents.c
        fts = table("articles_fts", column("rowid"), column("rank"))
        match = literal_column("articles_fts").op("MATCH")(bindparam("match"))
        # the rowid of the bound-th most recently stored match (None: fewer matches)
        self.cutoff = (select(fts.c.rowid).where(match).order_by(fts.c.rowid.desc())
                       .limit(1).offset(bindparam("skip", type_=Integer)))
        self.ranked = {}
        for from_cutoff in (False, True):
            for best in (False, True):
                # matches ranked by FTS5's rank (bm25, title weighted), those stored at or after
                # the cutoff alone when there is one (FTS5 then scores only them); with ``best``,
                # only the best so many go on to the filters (and to the articles' rows)
                candidates = select(fts.c.rowid, fts.c.rank).where(match)
                if from_cutoff:
                    candidates = candidates.where(fts.c.rowid >= bindparam("cutoff", type_=Integer))
                if best:
                    candidates = candidates.order_by(fts.c.rank, fts.c.rowid).limit(bindparam("best", type_=Integer))
                candidates = candidates.subquery("candidates")
                self.ranked[from_cutoff, best] = (
                    select(d.pk).select_from(candidates.join(documents, d.pk == candidates.c.rowid))
                    .where(*conditions).order_by(candidates.c.rank, d.pk)
                    .limit(bindparam("limit", type_=Integer)).offset(bindparam("offset", type_=Integer)))
        snippet = func.snippet(literal_column("articles_fts"), -1, MATCH_OPEN, MATCH_CLOSE, "…", 24)
        self.snippets = select(fts.c.rowid, snippet).where(match, fts.c.rowid.in_(bindparam("pks", expanding=True)))


@lru_cache(maxsize=256)
def _sqlite_search(filters: NewsFilters, speakers: tuple[str, ...] | None) -> _SqliteSearch:
    """The statements of a search under these filters (``speakers``: the names a speaker
    filter matched), kept for the next search under the same ones (most have none)."""
    return _SqliteSearch(_filter_conditions(filters, list(speakers) if speakers is not None else None))


def articles(store: Store, ids: list[str]) -> list[NewsItem]:
    """These articles (versions, near-duplicate copies) as list items, in the order given."""
    if not ids:
        return []
    with store._reading() as connection:
        rows = {r.id: r for r in connection.execute(_ARTICLES, {"ids": list(ids)}).all()}
    return [_news_item(rows[i]) for i in ids if i in rows]


def mentioning(store: Store, name: str, *, page: int = 1, page_size: int = PAGE_SIZE) -> list[NewsItem]:
    """Articles that mention the entity ``name`` (its canonical name), newest first: one
    range of ``person_articles``' index (kept on ingest for the latest version of each
    article), then the page's articles described, so the cost follows the page, not the
    name's fame."""
    page, page_size = _paging(page, page_size)
    with store._reading() as connection:
        chosen = list(connection.scalars(_MENTIONING, {"name": _normal_name(name), "limit": page_size,
                                                        "offset": (page - 1) * page_size}).all())
        return [_news_item(r) for r in _described(connection, chosen)]


_pa = person_articles_table.c
_MENTIONING = (
    select(_pa.doc_pk).where(_pa.name == bindparam("name"))
    .order_by(_pa.day.desc(), _pa.ingested_at.desc(), _pa.doc_pk.desc())
    .limit(bindparam("limit", type_=Integer)).offset(bindparam("offset", type_=Integer))
)


def outlets(store: Store, limit: int = 200) -> list[str]:
    """Outlet names for the news line's filter, most articles first."""
    d = documents.c
    with store._reading() as connection:
        return list(connection.scalars(
            select(d.outlet).where(d.outlet.is_not(None)).group_by(d.outlet)
            .order_by(func.count().desc(), d.outlet).limit(limit)
        ))


# -- claims by and about a person ----------------------------------------------------------


def _claim_columns():
    c, d = claim_table.c, documents.c
    return [
        d.id.label("article_id"), c.seq, _title_column(), d.outlet, d.published, d.ingested_at, c.speaker,
        _cut(c.source_start, c.source_end).label("source"), _cut(c.cue_start, c.cue_end).label("cue"),
        _cut(c.content_start, c.content_end).label("content"), c.hedge, c.negated,
        _cut(c.medium_start, c.medium_end).label("medium"), c.speaker_type,
    ]


def _claim_ref(row) -> ClaimRef:
    return ClaimRef(article_id=row.article_id, seq=row.seq, title=row.title, outlet=row.outlet,
                    published=row.published, ingested_at=row.ingested_at, speaker=row.speaker, source=row.source, cue=row.cue or "",
                    content=row.content or "", hedge=row.hedge, negated=bool(row.negated), medium=row.medium,
                    speaker_type=row.speaker_type)


def _by(name: str):
    """Claims whose speaker is exactly ``name``, any case (the lower(speaker) index)."""
    return func.lower(claim_table.c.speaker) == func.lower(name)


def _describe_claims(connection, rows: list) -> list[ClaimRef]:
    """Claim rows (``_CLAIM_COLUMNS``, in that order) with their parts as text, in the order
    given: each article's text read once, its title and the parts cut from it here (rows
    unpacked as tuples: a page has a hundred, and looking columns up by name cost more
    than the cutting)."""
    if not rows:
        return []
    docs = {}
    for pk, id_, text, title_start, title_end, stated_title, outlet, published, ingested_at in connection.execute(
            _CLAIM_DOCUMENTS, {"pks": sorted({r[0] for r in rows})}).all():
        title = text[title_start:title_end] if title_start is not None and title_end is not None else None
        docs[pk] = (id_, text, title or stated_title or "", outlet, published, ingested_at)

    found = []
    for (doc_pk, seq, source_start, source_end, speaker, cue_start, cue_end, content_start, content_end, hedge,
         medium_start, medium_end, negated, speaker_type) in rows:
        doc = docs.get(doc_pk)
        if doc is None:
            continue
        id_, text, title, outlet, published, ingested_at = doc
        found.append(ClaimRef(
            article_id=id_, seq=seq, title=title, outlet=outlet, published=published, ingested_at=ingested_at,
            speaker=speaker,
            source=text[source_start:source_end] if source_start is not None and source_end is not None else None,
            cue=text[cue_start:cue_end] or "", content=text[content_start:content_end] or "", hedge=hedge,
            negated=bool(negated),
            medium=text[medium_start:medium_end] if medium_start is not None and medium_end is not None else None,
            speaker_type=speaker_type))
    return found


_CLAIM_DOCUMENTS = (
    select(documents.c.pk, documents.c.id, documents.c.text, documents.c.title_start, documents.c.title_end,
           documents.c.stated_title, documents.c.outlet, documents.c.published, documents.c.ingested_at)
    .where(documents.c.pk.in_(bindparam("pks", expanding=True)))
)

CLAIMS_PAGE_SIZE = 50  # claims by (and about) a person per page


@dataclass(frozen=True)
class PersonSummary:
    """What a speaker or entity page says of all their claims and mentions, as counts:
    computed by GROUP BY queries over indexes, never by reading every claim."""

    name: str
    by_total: int
    about_total: int
    timeline: list[TimelinePoint]  # by month (YYYY-MM) of the articles' dates, undated last
    roles: list[tuple[str, int]]
    hedges: list[tuple[str, int]]
    outlets: list[tuple[str, int]]
    labels: list[tuple[str, int]]


_p = person_counts.c
_SUMMARY_BY = (select(_p.month, _p.detail, func.sum(_p.n))
               .where(_p.kind == "by", func.lower(_p.name) == func.lower(bindparam("name"))).group_by(_p.month, _p.detail))
_SUMMARY_MENTIONS = select(_p.kind, _p.month, _p.detail, _p.n).where(_p.kind.in_(["about", "mention"]), _p.name == bindparam("name"))
_SUMMARY_OUTLETS = select(_p.detail, _p.n).where(_p.kind == "outlet", _p.name == bindparam("name"))


def person_summary(store: Store, name: str) -> PersonSummary:
    """Totals, the monthly timeline, roles, hedges, outlets and labels of ``name``, over the
    latest version of each article, from the counts kept on ingest (``person_counts``,
    see ``claimdesk.store.summaries``): a few hundred rows even for the most quoted.

    Claims *by* them: their speaker name in any case (as the claim lists match). Claims
    *about* them and their mentions: their canonical name. Outlets: articles quoting or
    mentioning the name in any case."""
    name = _normal_name(name)
    with store._reading() as connection:
        by_groups = connection.execute(_SUMMARY_BY, {"name": name}).all()
        rows = connection.execute(_SUMMARY_MENTIONS, {"name": name}).all()
        outlet_counts = connection.execute(_SUMMARY_OUTLETS, {"name": name.lower()}).all()
    months: dict[str | None, list[int]] = {}
    hedge_counts: Counter = Counter()
    roles: Counter = Counter()
    labels: Counter = Counter()
    for month, hedge, n in by_groups:
        if n:
            months.setdefault(month or None, [0, 0])[0] += n
            hedge_counts[hedge] += n
    about_total = 0
    for kind, month, detail, n in rows:
        if n <= 0:
            continue
        if kind == "about":
            months.setdefault(month or None, [0, 0])[1] += n
            about_total += n
        else:
            label, _, role = detail.partition("\t")
            labels[label] += n
            if role:
                roles[role] += n
    timeline = [TimelinePoint(k, by, ab) for k, (by, ab) in sorted(months.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))
                if by or ab]
    return PersonSummary(
        name=name,
        by_total=sum(hedge_counts.values()),
        about_total=about_total,
        timeline=timeline,
        roles=_most_common(roles, 20),
        hedges=[(h, hedge_counts[h]) for h in (*HEDGES, *sorted(set(hedge_counts) - set(HEDGES))) if hedge_counts[h] > 0],
        outlets=_most_common(Counter({o: n for o, n in outlet_counts if n > 0}), 20),
        labels=_most_common(labels, 20),
    )


def _claim_page(store: Store, kind: str, name: str, page: int, page_size: int) -> list[ClaimRef]:
    """One page of a person's claims (``kind`` by or about), newest articles first, claims
    of an article in text order: one range of ``person_claims``' index, kept on ingest for
    the latest version of each article, so the cost follows the page, not the person's fame."""
    with store._reading() as connection:
        chosen = connection.execute(_CLAIM_PAGE, {"kind": kind, "name": name, "limit": page_size,
                                                  "offset": (page - 1) * page_size}).all()
        return _describe_claims(connection, chosen)


_pc, _c = person_claims_table.c, claim_table.c
_CLAIM_COLUMNS = (_c.doc_pk, _c.seq, _c.source_start, _c.source_end, _c.speaker, _c.cue_start, _c.cue_end,
                  _c.content_start, _c.content_end, _c.hedge, _c.medium_start, _c.medium_end, _c.negated,
                  _c.speaker_type)
_CLAIM_PAGE = (
    select(*_CLAIM_COLUMNS).select_from(person_claims_table)
    .join(claim_table, and_(_c.doc_pk == _pc.doc_pk, _c.seq == _pc.seq))  # each through the claims' primary key
    .where(_pc.kind == bindparam("kind"), _pc.name == bindparam("name"))
    .order_by(_pc.day.desc(), _pc.ingested_at.desc(), _pc.doc_pk.desc(), _pc.seq)
    .limit(bindparam("limit", type_=Integer)).offset(bindparam("offset", type_=Integer))
)


def person_claims(store: Store, name: str, *, page: int = 1, page_size: int | None = None,
                  summary: PersonSummary | None = None) -> PersonClaims:
    """Claims by ``name`` (as speaker, any case) and about them (their mention inside a
    claim's content, their own claims excepted) in the latest version of each article, one
    page of each, newest articles first, with the summaries of all of them (``summary``,
    when the caller has it)."""
    name = _normal_name(name)
    page, page_size = max(page, 1), min(max(page_size or CLAIMS_PAGE_SIZE, 1), MAX_PAGE_SIZE)
    summary = summary if summary is not None else person_summary(store, name)
    skip = (page - 1) * page_size
    by = _claim_page(store, "by", name.lower(), page, page_size) if summary.by_total > skip else []
    about = _claim_page(store, "about", name, page, page_size) if summary.about_total > skip else []
    return PersonClaims(name=name, by=by, about=about, by_total=summary.by_total, about_total=summary.about_total,
                        timeline=summary.timeline, roles=summary.roles, hedges=summary.hedges,
                        outlets=summary.outlets, labels=summary.labels)


def _most_common(counts: Counter, n: int) -> list[tuple[str, int]]:
    """Most first, ties by name (a stable order for pages and tests)."""
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def speakers(store: Store, query: str | None = None, limit: int = 100) -> list[tuple[str, int]]:
    """Speakers with their number of claims, most first; ``query`` keeps those whose name
    has it as a word or run of words (as the speaker filter matches)."""
    c = claim_table.c
    conditions = [c.speaker.is_not(None), standing()]
    if query and _normal_name(query):
        conditions.append(_said_by(query))
    with store._reading() as connection:
        return [(s, n) for s, n in connection.execute(
            select(c.speaker, func.count()).where(*conditions).group_by(c.speaker)
            .order_by(func.count().desc(), c.speaker).limit(limit)
        )]


# -- one claim -------------------------------------------------------------------------------


def claim_key(store: Store, article_id: str, seq: int) -> tuple[int, int] | None:
    """(doc_pk, seq) of the claim, or None when no such claim is stored."""
    c, d = claim_table.c, documents.c
    with store._reading() as connection:
        row = connection.execute(
            select(c.doc_pk, c.seq).join(documents, d.pk == c.doc_pk).where(d.id == article_id, c.seq == seq)
        ).first()
    return (row.doc_pk, row.seq) if row else None


def _words(text: str) -> frozenset[str]:
    return frozenset(w.lower() for w in _WORD.findall(text))


def same_claim(a: str, b: str) -> bool:
    """Two contents are the same claim when their word sets overlap almost wholly
    (quotes trimmed differently, a word changed by an editor)."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return False
    return len(wa & wb) / len(wa | wb) >= SAME_CLAIM_MIN_OVERLAP


def same_claim_elsewhere(store: Store, article_id: str, seq: int, limit: int = 50) -> list[ClaimRef]:
    """The claim as found in other articles: a near-identical content said by the same
    speaker anywhere, or by anyone in a near-duplicate copy of the article.

    Candidates come from indexes (the speaker, the near-duplicate group); their contents
    are compared here, word set against word set.
    """
    c, d = claim_table.c, documents.c
    with store._reading() as connection:
        this = connection.execute(
            select(*_claim_columns(), d.pk.label("doc_pk"), d.group_pk)
            .join(documents, d.pk == c.doc_pk).where(d.id == article_id, c.seq == seq)
        ).first()
        if this is None:
            return []
        in_group = select(d.pk).where(d.group_pk == this.group_pk) if this.group_pk is not None else None
        wider = [c.doc_pk.in_(in_group)] if in_group is not None else []
        if this.speaker:
            wider.append(_by(this.speaker))
        if not wider:
            return []
        rows = connection.execute(
            select(*_claim_columns()).join(documents, d.pk == c.doc_pk)
            .where(or_(*wider), c.doc_pk != this.doc_pk, _latest_version(), standing())
            .order_by(*_newest_first(), c.seq).limit(_SAME_CLAIM_CANDIDATES)
        ).all()
    found = [_claim_ref(r) for r in rows if same_claim(this.content or "", r.content or "")]
    return found[:limit]
