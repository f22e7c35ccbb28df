"""``create_app(store, base_url=...)``: the web desk as one FastAPI app over one store.

Each part of the desk is a router in a small module of its own; this module only
puts them together. Pages (HTML), the JSON API (/api) and the feeds (/feeds) all
read the same store through ``claimdesk.store``.
"""

from __future__ import annotations

import gc
from pathlib import Path

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException

from claimdesk.store import Store, default_db_url
from claimdesk.web import api, auth, docs, errors, exports, feeds, groups, links, pages, queue, reviews, speakers, views
from claimdesk.web import sources as sources_page
from claimdesk.web.limits import MAX_BODY, BodyLimit
from claimdesk.web.pagecache import PageCache
from claimdesk.web.render import environment
from claimdesk.web.security import SecurityHeaders
from claimdesk.web.staticfiles import CachedStaticFiles

STATIC = Path(__file__).parent / "static"
# htmx, installed from npm by scripts/setup.sh (never committed); served at /static/vendor/
VENDOR = Path(__file__).resolve().parents[3] / ".web-vendor" / "node_modules" / "htmx.org" / "dist"


def create_app(store: Store, base_url: str | None = None, *, max_body: int = MAX_BODY) -> FastAPI:
    """The desk over ``store``. The caller owns the store (and closes it).

    ``base_url`` is where readers reach the desk (``links.base_url``: else
    $CLAIMDESK_BASE_URL, else http://127.0.0.1:8000): every absolute URL the desk
    writes starts with it. Request bodies over ``max_body`` bytes are refused (413)."""
    app = FastAPI(
        title="claimdesk",
        summary="Who claimed what, about whom, when, and how firmly: articles, claims, entities, reviews, search.",
        openapi_url="/api/openapi.json",
        # the interactive docs pages load scripts from a CDN and inline: the CSP forbids both
        docs_url=None,
        redoc_url=None,
    )
    app.state.store = store
    app.state.base_url = links.base_url(base_url)
    app.state.page_cache = PageCache()  # pages for readers not signed in, until the store changes
    # the last added is the outermost: headers on everything, the 500s and 413s included
    app.add_middleware(BodyLimit, refuse=errors.too_large, limit=max_body)
    app.add_middleware(errors.ServerErrors)  # outside BodyLimit: a 413 is never taken for a bug
    app.add_middleware(SecurityHeaders)
    if VENDOR.is_dir():
        app.mount("/static/vendor", CachedStaticFiles(directory=VENDOR), name="vendor")
    app.mount("/static", CachedStaticFiles(directory=STATIC), name="static")

    app.include_router(pages.router)
    app.include_router(api.router)
    app.include_router(feeds.router)
    app.include_router(auth.router)  # sign-in/out, /api/me, /admin/users
    app.include_router(reviews.router)  # review forms, /api/reviews, /claimreview.jsonl, /feeds/reviews.*
    app.include_router(speakers.router)  # editors' speaker corrections: merge, split, rename
    app.include_router(groups.router)  # claim groups: propagating reviews to repeats, /api/match
    app.include_router(queue.router)  # the review queue, triage, bulk actions, corrections of extractions
    app.include_router(sources_page.router)  # editors' Sources page: what the poller follows (claimdesk.follow)
    app.include_router(exports.router)  # /export/{claims,articles,reviews}.{csv,jsonl,jsonld}
    app.include_router(docs.router)  # /api (the API's documentation page) and /follow
    # (their templates: _account.html in base.html's nav; _claim_head.html and
    # _claim_reviews.html on the claim page)
    app.add_exception_handler(HTTPException, errors.http_error)
    app.add_exception_handler(RequestValidationError, errors.invalid_request)
    return app


def app_from_environment() -> FastAPI:
    """The desk over the store named by $CLAIMDESK_DB, at $CLAIMDESK_BASE_URL: what each
    worker process of ``claimdesk serve --workers N`` builds for itself (uvicorn imports
    it by name). The store lives as long as the process."""
    app = create_app(Store(default_db_url()))
    settle_heap(app)
    return app


def warm(app: FastAPI) -> None:
    """Before serving: compile every template and read what the news line's form lists
    (outlets), so that no reader's request pays for them (the first requests of a worker
    took 25-75 ms more than later ones: templates compiled, a GROUP BY over every article)."""
    for name in environment.list_templates(filter_func=lambda n: n.endswith(".html")):
        environment.get_template(name)
    views.outlet_choices(app.state.store)


def settle_heap(app: FastAPI | None = None) -> None:
    """Before serving: warm ``app`` (when given), then what is loaded by now (modules,
    templates, the app) lives as long as the process, so it is moved out of the garbage
    collector's sight. Otherwise every full collection walks it all again, some 80 ms in
    the middle of whichever request happened to allocate at that moment (the slowest
    requests under load)."""
    if app is not None:
        warm(app)
    gc.collect()
    gc.freeze()
