"""What request handlers depend on: the store the app was created with."""

from __future__ import annotations

from fastapi import Request

from claimdesk.store import Store


def get_store(request: Request) -> Store:
    """The app's store (``create_app(store)``); handlers take it as ``Depends(get_store)``."""
    return request.app.state.store
