"""``create_app(store)``: the web desk as one FastAPI app over one store.

Each part of the desk is a router in a small module of its own; this module only
puts them together. Pages (HTML), the JSON API (/api) and the feeds (/feeds) all
read the same store through ``claimdesk.store``.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from claimdesk.store import Store
from claimdesk.web import pages
from claimdesk.web.security import SecurityHeaders

STATIC = Path(__file__).parent / "static"
# htmx, installed from npm by scripts/setup.sh (never committed); served at /static/vendor/
VENDOR = Path(__file__).resolve().parents[3] / ".web-vendor" / "node_modules" / "htmx.org" / "dist"


def create_app(store: Store) -> FastAPI:
    """The desk over ``store``. The caller owns the store (and closes it)."""
    app = FastAPI(
        title="claimdesk",
        summary="Who claimed what, about whom, when, and how firmly: articles, claims, entities, reviews, search.",
        openapi_url="/api/openapi.json",
        # the interactive docs pages load scripts from a CDN and inline: the CSP forbids both
        docs_url=None,
        redoc_url=None,
    )
    app.state.store = store
    app.add_middleware(SecurityHeaders)
    if VENDOR.is_dir():
        app.mount("/static/vendor", StaticFiles(directory=VENDOR), name="vendor")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    app.include_router(pages.router)
    # web-B: users, sign-in and reviews mount here, e.g.
    #   app.include_router(auth.router); app.include_router(reviews.router)
    # (their templates plug into base.html through _account.html and into the
    # claim page through _claim_reviews.html)
    return app
