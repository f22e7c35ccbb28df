"""Read queries for the web desk: the news line, speaker and entity pages, claims.

Functions over a ``Store`` (SQL stays in ``claimdesk.store``); each returns plain
dataclasses and reads one page of rows, never a whole table, so that the pages
stay fast on a store of 100,000 articles.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import and_, exists, func, or_, select

from claimdesk.store.schema import claims as claim_table, documents, entities as entity_table
from claimdesk.store.store import Store, _latest_version, _like_escape

PAGE_SIZE = 25
# claimdesk.analyze.hedge.SCALE, firmest first (not imported: that module loads spaCy; a test keeps them equal)
HEDGES = ("states", "claims", "alleges", "suggests", "doubts", "denies")
MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class NewsFilters:
    """What the news line is narrowed to; every field optional."""

    outlet: str | None = None
    speaker: str | None = None
    entity: str | None = None
    since: str | None = None  # ISO date, inclusive
    until: str | None = None  # ISO date, inclusive
    hedge: str | None = None

    def active(self) -> bool:
        return any(getattr(self, name) for name in self.__dataclass_fields__)


@dataclass(frozen=True)
class NewsItem:
    """One line of the news line."""

    id: str
    title: str
    outlet: str | None
    url: str | None
    published: str | None
    ingested_at: str
    claims: int


@dataclass
class NewsPage:
    items: list[NewsItem]
    page: int
    page_size: int
    has_next: bool
    filters: NewsFilters = field(default_factory=NewsFilters)


def _title_column():
    """The cleaned title cut from the text in SQL (no article text leaves the database),
    else the title the input stated."""
    d = documents.c
    cut = func.substr(d.text, d.title_start + 1, d.title_end - d.title_start)
    return func.coalesce(cut, d.stated_title, "").label("title")


def _said_by(name: str):
    """A claim whose speaker is ``name`` or has it as a whole word or run of words, any case."""
    c = claim_table.c
    wanted = " ".join(name.replace("\x00", " ").split())
    spoken, escaped = func.lower(c.speaker), _like_escape(wanted)
    return or_(
        spoken == func.lower(wanted),
        *(spoken.like(func.lower(pattern), escape="\\") for pattern in
          (escaped + " %", "% " + escaped, "% " + escaped + " %")),
    )


def _filter_conditions(filters: NewsFilters) -> list:
    d, c, e = documents.c, claim_table.c, entity_table.c
    conditions = [_latest_version()]
    if filters.outlet:
        conditions.append(d.outlet == filters.outlet)
    if filters.since:
        conditions.append(d.published >= filters.since)
    if filters.until:
        conditions.append(d.published <= filters.until + "\uffff")  # the whole last day, any time of it
    if filters.speaker and filters.speaker.strip():
        conditions.append(exists().where(c.doc_pk == d.pk, c.speaker.is_not(None), _said_by(filters.speaker)))
    if filters.hedge:
        conditions.append(exists().where(c.doc_pk == d.pk, c.hedge == filters.hedge))
    if filters.entity and filters.entity.strip():
        conditions.append(exists().where(e.doc_pk == d.pk, func.lower(e.canonical) == func.lower(filters.entity.strip())))
    return conditions


def news_line(store: Store, filters: NewsFilters = NewsFilters(), *, page: int = 1,
              page_size: int = PAGE_SIZE) -> NewsPage:
    """The latest articles first (published date, then ingest time), one page of them.

    One more row than the page is read to know whether a next page exists, instead
    of counting every match.
    """
    d, c = documents.c, claim_table.c
    page, page_size = max(page, 1), min(max(page_size, 1), MAX_PAGE_SIZE)
    claim_count = select(func.count()).where(c.doc_pk == d.pk).scalar_subquery().label("claims")
    statement = (
        select(d.id, _title_column(), d.outlet, d.url, d.published, d.ingested_at, claim_count)
        .where(and_(*_filter_conditions(filters)))
        .order_by(d.published.desc().nulls_last(), d.ingested_at.desc(), d.pk.desc())
        .limit(page_size + 1)
        .offset((page - 1) * page_size)
    )
    with store._reading() as connection:
        rows = connection.execute(statement).all()
    items = [NewsItem(id=r.id, title=r.title, outlet=r.outlet, url=r.url, published=r.published,
                      ingested_at=r.ingested_at, claims=r.claims) for r in rows[:page_size]]
    return NewsPage(items=items, page=page, page_size=page_size, has_next=len(rows) > page_size, filters=filters)


def outlets(store: Store, limit: int = 200) -> list[str]:
    """Outlet names for the news line's filter, most articles first."""
    d = documents.c
    with store._reading() as connection:
        return list(connection.scalars(
            select(d.outlet).where(d.outlet.is_not(None)).group_by(d.outlet)
            .order_by(func.count().desc(), d.outlet).limit(limit)
        ))
