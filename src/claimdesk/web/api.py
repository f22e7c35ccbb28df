"""The JSON API under /api: the same data the pages show, from the same ``views``.

FastAPI writes its OpenAPI document at /api/openapi.json from these signatures.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query

from claimdesk.store import SpeakerDetail, Store
from claimdesk.store.queries import NewsItem, NewsPage, PersonClaims
from claimdesk.web import views
from claimdesk.web.deps import get_store
from claimdesk.web.limits import MAX_PAGE, MAX_SEQ

router = APIRouter(prefix="/api", tags=["api"])
StoreDep = Annotated[Store, Depends(get_store)]
Page = Annotated[int, Query(ge=1, le=MAX_PAGE)]
Seq = Annotated[int, Path(ge=0, le=MAX_SEQ, description="The claim's place in its article, from 0.")]


@dataclass
class Speaker:
    name: str
    claims: int
    type: str  # person, organisation, group, medium
    aliases: list[str]  # every written name they were seen under


@dataclass
class PersonResult:
    claims: PersonClaims
    articles: list[NewsItem]  # articles that mention them
    page: int
    has_next: bool
    speaker: SpeakerDetail | None = None  # who they are across the corpus (speakers only)


@router.get("/articles", summary="The news line (or search results when q is given)")
def articles(store: StoreDep, query: Annotated[views.LineQuery, Query()]) -> NewsPage:
    return views.line(store, query)


@router.get("/search", summary="Full-text search; matched terms in snippets sit between U+E000 and U+E001")
def search(store: StoreDep, query: Annotated[views.LineQuery, Query()]) -> NewsPage:
    if not query.q:
        raise HTTPException(422, "search needs q")
    return views.line(store, query)


@router.get("/articles/{article_id}", summary="One article: the JSON contract of claimdesk analyze, plus versions and copies")
def article(store: StoreDep, article_id: str) -> dict[str, Any]:
    return views.article_api(store, article_id)


@router.get("/claims/{article_id}/{seq}", summary="One claim, its article, and the same claim elsewhere")
def claim(store: StoreDep, article_id: str, seq: Seq) -> dict[str, Any]:
    return views.claim_page(store, article_id, seq).json()


@router.get("/speakers", summary="Speakers across the corpus with type, aliases and number of claims, most first")
def speakers(store: StoreDep, q: Annotated[str | None, Query(max_length=200)] = None, page: Page = 1) -> list[Speaker]:
    return [Speaker(s.name, s.claims, s.type, s.aliases) for s in views.speaker_list(store, q, page=page).speakers]


@router.get("/speakers/{name:path}", summary="Claims by and about a speaker (any name they are known by), with aliases, roles and hedges")
def speaker(store: StoreDep, name: str, page: Page = 1) -> PersonResult:
    detail = store.speaker(name)
    if detail is None:
        raise HTTPException(404, f"no speaker called {name!r}")
    found = views.person_page(store, detail.speaker.name, page=page, speaker=detail)
    return PersonResult(found.claims, found.articles, found.page, found.has_next, detail)


@router.get("/entities/{name:path}", summary="An entity across outlets: claims by and about it, roles, outlets")
def entity(store: StoreDep, name: str, page: Page = 1) -> PersonResult:
    found = views.person_page(store, name, page=page)
    return PersonResult(found.claims, found.articles, found.page, found.has_next)
