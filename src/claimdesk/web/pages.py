"""The HTML pages: news line, article, speaker, entity, claim.

Each handler reads one thing from the store and renders one template; the
escaping happens in the templates (autoescape) and in ``highlight``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from claimdesk.store import Store, queries
from claimdesk.web.deps import get_store
from claimdesk.web.render import render

router = APIRouter(default_response_class=HTMLResponse)


@router.get("/", name="news_line")
def news_line(request: Request, store: Annotated[Store, Depends(get_store)],
              page: Annotated[int, Query(ge=1)] = 1):
    """The home page: the latest articles, newest first."""
    line = queries.news_line(store, page=page)
    return render(request, "news.html", line=line, params=dict(request.query_params))
