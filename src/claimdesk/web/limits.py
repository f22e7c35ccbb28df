"""How much a request may send, and how far a query may reach.

A body is refused (413) before anything parses it: at once when its Content-Length
says it is too big, else as soon as the chunks streamed so far add up to more than
the limit. The desk's biggest legitimate body is a review form (a 20,000-character
rationale, twenty links): far under ``MAX_BODY``.

The numeric bounds keep every number a query can carry inside what the store's
integers hold (SQLite's are 64-bit), so a huge offset is a 422 naming the parameter,
never an OverflowError from the driver.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY = 1_000_000  # bytes of a request body
MAX_OFFSET = 1_000_000_000  # rows skipped by a listing (/api/reviews?offset=)
MAX_PAGE = 10_000  # pages of a listing
MAX_SEQ = 1_000_000  # a claim's place in its article (an analysed text has far fewer)

TOO_LARGE = f"the request body is larger than {MAX_BODY:,} bytes"


class BodyLimit:
    """Refuses request bodies over ``limit`` bytes with 413, before they are read.

    ``refuse`` is the ASGI app that answers when nothing has been sent yet (the desk's
    error page or JSON); a body found too big while a handler reads it raises
    ``HTTPException(413)`` from ``receive``, which FastAPI hands to the same error
    handlers."""

    def __init__(self, app: ASGIApp, refuse: ASGIApp, limit: int = MAX_BODY):
        self.app = app
        self.refuse = refuse
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.limit:
            await self.refuse(scope, receive, send)
            return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise HTTPException(413, TOO_LARGE)
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except HTTPException as error:
            if error.status_code != 413 or started:
                raise
            await self.refuse(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
