"""The streaming reads behind exports: every article, claim or published review the
news line's filters (and search) find, newest articles first, a batch at a time.

Articles are chosen with the news line's own conditions (``queries.article_conditions``)
and claims narrowed with ``queries.claim_conditions``, so an export holds what the desk
shows for the same filter, and claims a reviewer marked "not a claim" are never in it.

Each batch is one short read: BATCH articles found by keyset (after the last one sent,
in the news line's order), then their claims, reviews and the text around each claim
cut in the database. Memory stays flat however large the export, and no read
transaction is held open while a slow client downloads.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import case, select, tuple_

from claimdesk.store import queries
from claimdesk.store.queries import NewsFilters, _cut, _day, _news_columns
from claimdesk.store.reviews import _latest_event
from claimdesk.store.schema import claims as claim_table, documents, review_publications, review_revisions
from claimdesk.store.store import Store

BATCH = 500  # articles per read
CONTEXT = 32  # characters of text kept on each side of a claim (the Web Annotation prefix and suffix)


@dataclass(frozen=True)
class ExportedArticle:
    id: str
    title: str
    outlet: str | None
    url: str | None  # where the article was published (None when ingested from a file)
    published: str | None
    ingested_at: str
    language: str | None
    claims: int  # standing claims
    headline: str | None  # the headline check's verdict


@dataclass(frozen=True)
class ExportedClaim:
    article: ExportedArticle
    seq: int
    speaker: str | None  # who it resolves to (None: no stated source)
    source: str | None  # the source as written
    cue: str
    content: str
    content_start: int  # offsets of the content into the article's stored text
    content_end: int
    prefix: str  # up to CONTEXT characters of text before the content
    suffix: str  # and after it
    hedge: str
    negated: bool
    medium: str | None
    confidence: float | None
    check_worthiness: float | None
    verdict: str | None  # the published review's rating, None when none is published
    verdict_published_at: str | None


@dataclass(frozen=True)
class ExportedReview:
    claim: ExportedClaim
    revision: int
    rating: str
    rationale: str
    evidence: tuple[str, ...]
    reviewed_at: str
    published_at: str


@dataclass(frozen=True)
class Selection:
    """What to export: the news line's filters and search words (``query``)."""

    filters: NewsFilters = NewsFilters()
    query: str | None = None
    speakers: list[str] | None = None  # every stored speaker name, when the caller keeps them
    limit: int | None = None  # at most this many rows


def articles(store: Store, selection: Selection = Selection()) -> Iterator[ExportedArticle]:
    """The articles the selection finds, newest first (the news line's order)."""
    yield from _limited((article for batch in _batches(store, selection) for article in batch.values()),
                        selection.limit)


def claims(store: Store, selection: Selection = Selection()) -> Iterator[ExportedClaim]:
    """Their claims (standing, narrowed by the speaker, hedge and verdict filters), in
    article order, each article's in text order, with the published verdict."""
    narrowing = queries.claim_conditions(store, selection.filters, selection.speakers)
    yield from _limited((claim for batch in _batches(store, selection)
                         for claim, _ in _claims_of(store, batch, narrowing)), selection.limit)


def reviews(store: Store, selection: Selection = Selection()) -> Iterator[ExportedReview]:
    """The published reviews of those claims, as published now (no drafts, no names)."""
    narrowing = queries.claim_conditions(store, selection.filters, selection.speakers)
    yield from _limited((ExportedReview(claim=claim, revision=review.pk, rating=review.rating,
                                        rationale=review.rationale, evidence=tuple(review.evidence or ()),
                                        reviewed_at=review.written, published_at=review.at)
                         for batch in _batches(store, selection)
                         for claim, review in _claims_of(store, batch, narrowing) if review is not None),
                        selection.limit)


# -- the batches -------------------------------------------------------------------------


def _limited(rows: Iterator, limit: int | None) -> Iterator:
    for n, row in enumerate(rows):
        if limit is not None and n >= limit:
            return
        yield row


def _batches(store: Store, selection: Selection) -> Iterator[dict[int, ExportedArticle]]:
    """The selected articles, BATCH at a time ({pk: article}, in the news line's order),
    each batch read after the last article of the one before (keyset, not OFFSET: the
    thousandth batch costs what the first does)."""
    conditions = queries.article_conditions(store, selection.filters, selection.query, selection.speakers)
    if conditions is None:  # search words with no word in them: nothing matches
        return
    d = documents.c
    order = (_day(), d.ingested_at, d.pk)
    after = None
    while True:
        statement = select(d.pk, *order[:2]).where(*conditions)
        if after is not None:
            statement = statement.where(tuple_(*order) < tuple_(*after))
        with store._reading() as connection:
            keys = connection.execute(statement.order_by(*(o.desc() for o in order)).limit(BATCH)).all()
            if not keys:
                return
            pks = [k.pk for k in keys]
            described = {r.pk: r for r in connection.execute(
                select(d.pk, d.language, *_news_columns()).where(d.pk.in_(pks))).all()}
        yield {pk: _article(described[pk]) for pk in pks if pk in described}
        last = keys[-1]
        after = (last[1], last[2], last[0])
        if len(keys) < BATCH:
            return


def _article(row) -> ExportedArticle:
    return ExportedArticle(id=row.id, title=row.title, outlet=row.outlet, url=row.url, published=row.published,
                           ingested_at=row.ingested_at, language=row.language, claims=row.claims, headline=row.headline)


def _claims_of(store: Store, batch: dict[int, ExportedArticle], narrowing: list) -> Iterator[tuple]:
    """The batch's claims under ``narrowing``, with their parts and context cut in SQL,
    each with its published review (None when it has none)."""
    if not batch:
        return
    c, d = claim_table.c, documents.c
    before = case((c.content_start > CONTEXT, c.content_start - CONTEXT), else_=0)  # max() is an aggregate on PostgreSQL
    columns = [
        c.doc_pk, c.seq, c.speaker, _cut(c.source_start, c.source_end).label("source"),
        _cut(c.cue_start, c.cue_end).label("cue"), _cut(c.content_start, c.content_end).label("content"),
        c.content_start, c.content_end, _cut(before, c.content_start).label("prefix"),
        _cut(c.content_end, c.content_end + CONTEXT).label("suffix"), c.hedge, c.negated,
        _cut(c.medium_start, c.medium_end).label("medium"), c.confidence, c.check_worthiness,
    ]
    with store._reading() as connection:
        rows = connection.execute(
            select(*columns).join(documents, d.pk == c.doc_pk)
            .where(c.doc_pk.in_(list(batch)), *narrowing).order_by(c.doc_pk, c.seq)).all()
        published = _published(connection, list(batch))
    order = {pk: n for n, pk in enumerate(batch)}
    for row in sorted(rows, key=lambda r: (order[r.doc_pk], r.seq)):
        review = published.get((row.doc_pk, row.seq))
        yield ExportedClaim(
            article=batch[row.doc_pk], seq=row.seq, speaker=row.speaker, source=row.source, cue=row.cue or "",
            content=row.content or "", content_start=row.content_start, content_end=row.content_end,
            prefix=row.prefix or "", suffix=row.suffix or "", hedge=row.hedge, negated=bool(row.negated),
            medium=row.medium, confidence=row.confidence, check_worthiness=row.check_worthiness,
            verdict=review.rating if review else None, verdict_published_at=review.at if review else None), review


def _published(connection, pks: list[int]) -> dict[tuple[int, int], object]:
    """(doc_pk, seq) -> the revision published now (rating, rationale, evidence, when
    written and when published) of each claim of these articles that has one."""
    p, r = review_publications.c, review_revisions.c
    rows = connection.execute(
        select(p.doc_pk, p.seq, p.at, r.pk, r.rating, r.rationale, r.evidence, r.at.label("written"))
        .join(review_revisions, r.pk == p.revision_pk)
        .where(p.doc_pk.in_(pks), p.action == "published", _latest_event())).all()
    return {(row.doc_pk, row.seq): row for row in rows}
