"""The one Jinja2 environment every page renders with (autoescape always on).

Routers (pages, auth, reviews) import ``render`` from here, so that every page
shares the same filters, globals and escaping rules.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from claimdesk.store.queries import MATCH_CLOSE, MATCH_OPEN
from claimdesk.web import links
from claimdesk.web.highlight import snippet_html

TEMPLATES = Path(__file__).parent / "templates"

# autoescape=True for every template whatever its name: scraped text must never
# reach a page unescaped. Templates mark nothing safe except markup built by
# claimdesk.web.highlight, which escapes each piece of text it inserts.
environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    auto_reload=False,  # templates ship with the package: no stat() of every template on every render
)
templates = Jinja2Templates(env=environment)


def query_string(params: dict, **changes) -> str:
    """The current query with some parameters changed (None drops one): paging and filter links."""
    merged = {**params, **changes}
    return urlencode([(k, v) for k, v in merged.items() if v not in (None, "")], doseq=True)


environment.globals.update(
    query_string=query_string,
    links=links,
    snippet_html=lambda snippet: snippet_html(snippet, MATCH_OPEN, MATCH_CLOSE),
)


def render(request: Request, name: str, status_code: int = 200, **context):
    """A page: the template ``name`` with ``context``, plus ``request`` (and what it carries)."""
    return templates.TemplateResponse(request, name, context, status_code=status_code)
