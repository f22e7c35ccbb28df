"""Downloads of what the news line shows: ``/export/claims.csv?outlet=...`` and its
siblings, for the same query string as the news line (search words and filters), every
match, newest articles first (``page`` and ``sort`` are the page's, not the export's).

The export streams: rows are read a batch at a time (``claimdesk.store.exports``) and
written as they come (``claimdesk.publish.export``), in chunks of about CHUNK bytes so
that the thread the rows are read in is not woken for every line.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import Field

from claimdesk.publish import export
from claimdesk.store import Store
from claimdesk.store import exports as store_exports
from claimdesk.web import links, views
from claimdesk.web.deps import get_store
from claimdesk.web.feeds import base_url

router = APIRouter(prefix="/export", tags=["exports"])
StoreDep = Annotated[Store, Depends(get_store)]
CHUNK = 64 * 1024
MAX_ROWS = 10_000_000


class ExportQuery(views.LineFilters):
    """The news line's search words and filters; an export holds every match, newest articles first."""

    limit: int | None = Field(None, ge=1, le=MAX_ROWS, description="At most this many rows.")


def desk_links(request: Request) -> export.Links:
    return export.Links(base=base_url(request), article=links.article_url, claim=links.claim_url)


def _chunked(pieces: Iterator[str]) -> Iterator[str]:
    waiting, size = [], 0
    for piece in pieces:
        waiting.append(piece)
        size += len(piece)
        if size >= CHUNK:
            yield "".join(waiting)
            waiting, size = [], 0
    if waiting:
        yield "".join(waiting)


def _download(request: Request, store: Store, kind: str, fmt: str, query: ExportQuery) -> StreamingResponse:
    if fmt not in export.FORMATS or (fmt == "jsonld" and kind != "claims"):
        formats = "csv, jsonl or jsonld (Web Annotation)" if kind == "claims" else "csv or jsonl"
        raise HTTPException(404, f"{kind} are exported as {formats}, not {fmt!r}")
    selection = store_exports.Selection(filters=query.filters(), query=query.q, limit=query.limit,
                                        speakers=views.speaker_names(store) if query.speaker else None)
    records = {"claims": store_exports.claims, "articles": store_exports.articles,
               "reviews": store_exports.reviews}[kind](store, selection)
    body = export.lines(kind, fmt, records, desk_links(request), label=f"claimdesk: {kind} ({request.url.query or 'all'})")
    day = datetime.now(timezone.utc).date().isoformat()
    filename = f"claimdesk-{kind}-{day}.{fmt}"
    return StreamingResponse(_chunked(body), media_type=export.MEDIA_TYPES[fmt],
                             headers={"Content-Disposition": f'attachment; filename="{filename}"'})


Query_ = Annotated[ExportQuery, Query()]
Format = Annotated[str, Path(description="csv, jsonl, or jsonld (Web Annotations, claims only)")]


@router.get("/claims.{fmt}", summary="Claims the news line's filters find: csv, jsonl, or jsonld (W3C Web Annotations)",
            response_class=StreamingResponse)
def claims(request: Request, store: StoreDep, fmt: Format, query: Query_) -> StreamingResponse:
    """One row per claim (claims marked "not a claim" left out): article, outlet, date, speaker,
    cue, claim, hedge, check-worthiness, published verdict, addresses. jsonld: an
    AnnotationCollection of W3C Web Annotations with text-quote selectors on the article's address."""
    return _download(request, store, "claims", fmt, query)


@router.get("/articles.{fmt}", summary="Articles the news line's filters find: csv or jsonl",
            response_class=StreamingResponse)
def articles(request: Request, store: StoreDep, fmt: Format, query: Query_) -> StreamingResponse:
    """One row per article: date, outlet, title, language, claims, headline check, addresses."""
    return _download(request, store, "articles", fmt, query)


@router.get("/reviews.{fmt}", summary="Published reviews of the claims the filters find: csv or jsonl",
            response_class=StreamingResponse)
def reviews(request: Request, store: StoreDep, fmt: Format, query: Query_) -> StreamingResponse:
    """One row per published review (as published now; no drafts, no account names): the
    claim, its verdict, rationale and evidence."""
    return _download(request, store, "reviews", fmt, query)
