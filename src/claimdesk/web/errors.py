"""What the desk answers when a request goes wrong: an HTML page for pages, FastAPI's
JSON (``{"detail": ...}``) for the API, the feeds and static files, whatever the
cause: a bad request (4xx), a body too big (413), or a bug (500).

A bug's 500 is answered by ``ServerErrors``, a middleware inside ``SecurityHeaders``:
Starlette's own last-resort handler sits outside every middleware of the app, so what
it sends would lack the security headers (and be plain text).
"""

from __future__ import annotations

import logging

from fastapi import Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from claimdesk.web.limits import TOO_LARGE
from claimdesk.web.render import render

log = logging.getLogger("claimdesk.web")

_HEADINGS = {404: "Not found", 405: "Method not allowed", 413: "That request is too large",
             422: "That request does not make sense", 500: "Something went wrong on our side"}


def wants_html(request: Request) -> bool:
    """Pages answer errors with a page; the API, feeds and static files with FastAPI's JSON."""
    path = request.url.path
    return not path.startswith(("/api/", "/feeds/", "/static/")) and path != "/api"


def error_page(request: Request, status: int, detail: str) -> Response:
    return render(request, "error.html", status_code=status, status=status,
                  heading=_HEADINGS.get(status, "Something went wrong"), detail=detail)


async def http_error(request: Request, exc: HTTPException) -> Response:
    if not wants_html(request) or exc.status_code < 400:
        return await http_exception_handler(request, exc)
    return error_page(request, exc.status_code, str(exc.detail))


async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
    if not wants_html(request):
        return await request_validation_exception_handler(request, exc)
    problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:])}: {_message(e['msg'])}" for e in exc.errors())
    return error_page(request, 422, problems)


async def too_large(scope: Scope, receive: Receive, send: Send) -> None:
    """The 413 of ``limits.BodyLimit``, as a page or JSON like every other error."""
    response = await http_error(Request(scope, receive), HTTPException(413, TOO_LARGE))
    await response(scope, receive, send)


_BUG = "internal server error"
_BUG_PAGE = ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>500 · claimdesk</title></head>"
             "<body><h1>500: Something went wrong on our side</h1><p><a href=\"/\">Back to the news line</a></p></body></html>")


def _bug_response(request: Request) -> Response:
    """The 500 answer: the desk's error page (or JSON), no internals; a bare page when
    even rendering fails (the bug may be in the store every page reads)."""
    if not wants_html(request):
        return JSONResponse({"detail": _BUG}, status_code=500)
    try:
        return error_page(request, 500, "The desk hit an unexpected error; it has been logged. Try again later.")
    except Exception:  # noqa: BLE001 - the page of last resort must not fail
        log.exception("the error page itself failed")
        return HTMLResponse(_BUG_PAGE, status_code=500)


class ServerErrors:
    """Turns an exception no handler caught into a logged 500 answered like the other
    errors. Once the response has started it can only be re-raised (the server then
    drops the connection)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception:
            request = Request(scope, receive)
            log.exception("unexpected error answering %s %s", scope.get("method"), request.url.path)
            if started:
                raise
            await _bug_response(request)(scope, receive, send)


def _message(msg: str) -> str:
    """A validation message as a person reads it: pydantic prefixes our own with its class of error."""
    return msg.removeprefix("Value error, ")
