"""The HTML pages: news line, article, speaker, entity, claim.

Each handler asks ``views`` for the page's data (the same data the JSON API returns)
and renders one template; escaping happens in the templates (autoescape) and in
``highlight`` (marks over scraped text).
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qsl, urlsplit

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from claimdesk.store import Store, queries
from claimdesk.web import links, views
from claimdesk.web.auth import current_user
from claimdesk.web.deps import get_store
from claimdesk.web.feeds import base_url
from claimdesk.web.limits import MAX_PAGE, MAX_SEQ
from claimdesk.web.render import query_string, render

router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)
StoreDep = Annotated[Store, Depends(get_store)]
Page = Annotated[int, Query(ge=1, le=MAX_PAGE)]
Seq = Annotated[int, Path(ge=0, le=MAX_SEQ)]


def _params(request: Request) -> dict:
    return dict(request.query_params)


async def _kept(request: Request, store: Store, render_page):
    """The page as kept by the app's page cache (``pagecache``) or rendered now (in the thread pool)."""
    return await request.app.state.page_cache.page(request, store, render_page)


@router.get("/", name="news_line")
async def news_line(request: Request, store: StoreDep, filters: Annotated[views.LineQuery, Query()]):
    """The home page: the latest articles, newest first, or search results when ``q`` is given."""
    def page():
        line = views.line(store, filters)
        return render(request, "news.html", line=line, form=filters, params=_params(request),
                      outlets=views.outlet_choices(store), hedges=views.HEDGES, ratings=views.RATINGS,
                      sorts=queries.SORTS)

    response = await _kept(request, store, page)
    if request.headers.get("HX-Request"):
        _history(request, response)
    return response


def _history(request: Request, response) -> None:
    """Which address htmx puts in the address bar for the news line it just swapped in:
    this page's, with the empty form fields left out (the link a reader shares). When that
    is already the address shown (Apply pressed after a filter's change had loaded the
    page), it replaces the entry instead of pushing a second copy of it: with the copy,
    Back seemed to do nothing, and the history ran a step behind the pages seen."""
    shown = _news_address(request.url.path, request.query_params.multi_items())
    current = urlsplit(request.headers.get("HX-Current-URL", ""))
    here = _news_address(current.path, parse_qsl(current.query, keep_blank_values=True))
    response.headers["HX-Replace-Url" if shown == here else "HX-Push-Url"] = shown


def _news_address(path: str, pairs) -> str:
    query = query_string(dict(pairs))
    return path + ("?" + query if query else "")


@router.get("/articles/{article_id}", name="article")
async def article(request: Request, store: StoreDep, article_id: str, claims_page: Page = 1,
                  low: Annotated[bool, Query(description="also list low-confidence claims")] = False):
    """An article, its text marked, and its claims a page at a time (``claims_page``);
    low-confidence claims only with ``low=1`` (the page's toggle is a plain link)."""
    def page():
        found = views.article_page(store, article_id, claims_page=claims_page, show_low=low)
        url = base_url(request) + links.article_url(found.stored.article.raw.id)
        return render(request, "article.html", page=found, share_links=links.share_links(url, found.title),
                      params=_params(request))

    return await _kept(request, store, page)


@router.get("/articles/{article_id}/raw", name="article_raw")
def article_raw(request: Request, store: StoreDep, article_id: str):
    """The raw document as stored (the text every offset points into); a fragment for htmx."""
    stored = views.stored_or_404(store, article_id, copies=0)
    template = "_raw.html" if request.headers.get("HX-Request") else "raw.html"
    return render(request, template, stored=stored, title=views.title_of(stored))


@router.get("/speakers", name="speakers")
def speakers(request: Request, store: StoreDep, q: Annotated[str | None, Query(max_length=200)] = None, page: Page = 1):
    found = views.speaker_list(store, q, page=page)
    return render(request, "speakers.html", found=found, q=q or "", params=_params(request))


@router.get("/speakers/{name:path}", name="speaker")
async def speaker(request: Request, store: StoreDep, name: str, page: Page = 1):
    """A speaker across the corpus. Any name they are known by leads here: an alias
    redirects to the speaker's own name; a person only mentioned (never quoted) has an
    entity page; an unnamed source or an unresolved pronoun is no one, so no page."""
    shown_as = store.speaker_name(name)
    if shown_as is None:
        if views.is_entity(store, name):
            return RedirectResponse(links.entity_url(" ".join(name.split())), status_code=307)
        raise HTTPException(404, f"no speaker called {name!r}")
    if shown_as != name:
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(links.speaker_url(shown_as) + query, status_code=308)

    def shown():
        person = views.person_page(store, shown_as, page=page, speaker=store.speaker(shown_as))
        return render(request, "person.html", person=person, kind="speaker", params=_params(request))

    return await _kept(request, store, shown)


@router.get("/entities/{name:path}", name="entity")
async def entity(request: Request, store: StoreDep, name: str, page: Page = 1):
    def shown():
        person = views.person_page(store, name, page=page)
        if not person.claims.labels and not person.claims.by and page == 1:
            raise HTTPException(404, f"no entity {name!r}")
        return render(request, "person.html", person=person, kind="entity", params=_params(request))

    return await _kept(request, store, shown)


@router.get("/claims/{article_id}/{seq}", name="claim")
def claim(request: Request, store: StoreDep, article_id: str, seq: Seq):
    page = views.claim_page(store, article_id, seq)
    if seq in page.stored.rejected and current_user(request) is None:
        raise HTTPException(404, f"article {article_id[:12]} has no claim {seq}: a reviewer marked it not a claim")
    url = base_url(request) + links.claim_url(page.stored.article.raw.id, seq)
    return render(request, "claim.html", page=page, share_links=links.share_links(url, page.summary))
