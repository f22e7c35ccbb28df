"""The web desk: FastAPI app, HTML pages, JSON API and feeds over the store.

``create_app(store)`` builds it; ``claimdesk serve`` runs it under uvicorn.
Everything here reads from ``claimdesk.store`` and never writes SQL itself.
"""

from claimdesk.web.app import create_app

__all__ = ["create_app"]
