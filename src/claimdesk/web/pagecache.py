"""Rendered pages kept for readers who are not signed in, until the data they show changes.

A page a reader sees without signing in depends on its URL and on what the store holds
alone (no form, no token, no name in the nav). ``queries.generation`` changes whenever
an article is stored or a review written or published, by this process or any other,
so a kept page is served only while the store is still as it was rendered from: never
stale. Signed-in users always get a fresh page. $CLAIMDESK_PAGE_CACHE=0 turns it off
(the latency benchmark measures both ways).

Concurrent requests for a page not kept yet wait for one render of it (single flight):
without that, 16 readers opening a popular page at once would each render it, and the
renders, Python holding the GIL, would hold up every kept page answered meanwhile.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections import OrderedDict
from collections.abc import Callable

import anyio
import anyio.to_thread
from fastapi import Request
from starlette.responses import Response

from claimdesk.store import Store, queries
from claimdesk.web.auth import SESSION_COOKIE

RENDERS = int(os.environ.get("CLAIMDESK_RENDER_THREADS", "2"))  # pages rendered at once per process
KEPT = 1000  # pages per process (news line pages, articles, speakers, searches: tens of KB each)


class PageCache:
    def __init__(self, size: int = KEPT, enabled: bool | None = None):
        self.size = size
        self.enabled = os.environ.get("CLAIMDESK_PAGE_CACHE", "1") != "0" if enabled is None else enabled
        self._pages: OrderedDict[str, tuple[tuple, bytes, str]] = OrderedDict()
        self._lock = threading.Lock()
        self._rendering: dict[tuple[str, tuple], asyncio.Future] = {}  # (key, generation) -> its render
        self.renders = 0  # pages rendered by this process (tests count them)
        self._limiter: anyio.CapacityLimiter | None = None  # made on the event loop

    async def page(self, request: Request, store: Store, render: Callable[[], Response]) -> Response:
        """The page at this URL: kept when the store has not changed since, else rendered
        (and kept when it is a 200 for a reader who is not signed in).

        A kept page is answered on the event loop at once (one indexed read to learn the
        store's generation); rendering runs in the thread pool, as FastAPI runs a plain
        handler, so a page being rendered does not hold up the kept ones."""
        if not self.enabled or SESSION_COOKIE in request.cookies or request.method != "GET":
            return await self._render(render)
        key = f"{request.url.path}?{request.url.query}|{request.headers.get('HX-Request', '')}"
        now = queries.generation(store)
        with self._lock:
            hit = self._pages.get(key)
            if hit is not None and hit[0] == now:
                self._pages.move_to_end(key)
                return Response(hit[1], media_type=hit[2])
        flight = (key, now)
        waiting = self._rendering.get(flight)
        if waiting is not None:  # the same page being rendered for another reader: wait for it
            kept = await asyncio.shield(waiting)
            if kept is not None:
                return Response(kept[0], media_type=kept[1])
            return await self._render(render)  # not keepable (an error page, a cookie): render our own
        waiting = self._rendering[flight] = asyncio.get_running_loop().create_future()
        kept = None
        try:
            response = await self._render(render)
            if response.status_code == 200 and not response.headers.get("set-cookie"):
                kept = (bytes(response.body), response.media_type or "text/html")
                with self._lock:
                    self._pages[key] = (now, *kept)
                    self._pages.move_to_end(key)
                    while len(self._pages) > self.size:
                        self._pages.popitem(last=False)
            return response
        finally:
            del self._rendering[flight]
            waiting.set_result(kept)

    async def _render(self, render: Callable[[], Response]) -> Response:
        """Render in a thread, RENDERS at a time in this process: rendering is Python
        holding the GIL, and more threads at it only slow each other and the event loop
        answering kept pages (a worker process per core gives the parallelism)."""
        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(RENDERS)
        self.renders += 1
        return await anyio.to_thread.run_sync(render, limiter=self._limiter)
