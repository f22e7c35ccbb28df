"""What request handlers depend on: the store the app was created with."""

from __future__ import annotations

from fastapi import Request

from claimdesk.store import Store


async def get_store(request: Request) -> Store:
    """The app's store (``create_app(store)``); handlers take it as ``Depends(get_store)``.
    A coroutine: FastAPI runs it on the event loop, not in a thread of its pool."""
    return request.app.state.store
