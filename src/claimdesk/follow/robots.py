"""robots.txt, read once per site and kept, for the article pages the poller fetches.

Read as RFC 9309 says: a robots.txt that is missing (any 4xx) allows everything; one
that cannot be had (5xx, 429, no answer) disallows everything until it is asked for
again, an hour later; one that was read is kept a day. Parsed by protego (longest
match, ``*`` and ``$``, as crawlers read it today). The feeds and pages an operator
added are fetched without asking: they were asked for by name, as a feed reader would.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

from ..ingest.errors import ReadError
from ..ingest.fetch import Response

KEEP = 86400.0  # seconds a robots.txt read is kept
KEEP_UNREACHABLE = 3600.0  # ... and a failure to read one
MAX_BYTES = 512 * 1024  # RFC 9309: at least 500 KiB must be read


@dataclass(frozen=True)
class _Rules:
    parser: Protego | None  # None: everything allowed (no robots.txt)
    disallow_all: bool
    until: float

    def allows(self, url: str, agent: str) -> bool:
        if self.disallow_all:
            return False
        return self.parser is None or bool(self.parser.can_fetch(url, agent))


class Robots:
    """``allows(url)``: whether the site's robots.txt lets ``agent`` fetch ``url``.

    ``get(url, max_bytes)`` fetches (through the host gate) and returns a Response, or
    raises ReadError; 4xx and 5xx come back as Responses (``answered``)."""

    def __init__(self, get: Callable[[str, int], Response], agent: str, *,
                 clock: Callable[[], float] = time.time, on_crawl_delay: Callable[[str, float | None], None] | None = None):
        self.get, self.agent, self.clock = get, agent, clock
        self.on_crawl_delay = on_crawl_delay
        self._sites: dict[str, _Rules] = {}
        self._lock = threading.Lock()

    def allows(self, url: str) -> bool:
        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            rules = self._sites.get(site)
        if rules is None or rules.until <= self.clock():
            rules = self._read(site)
            with self._lock:
                self._sites[site] = rules
        return rules.allows(url, self.agent)

    def _read(self, site: str) -> _Rules:
        now = self.clock()
        try:
            response = self.get(site + "/robots.txt", MAX_BYTES)
        except ReadError:
            return _Rules(None, True, now + KEEP_UNREACHABLE)
        if response.status == 429 or response.status >= 500:
            return _Rules(None, True, now + KEEP_UNREACHABLE)
        if response.status >= 400:
            return _Rules(None, False, now + KEEP)
        parser = Protego.parse(response.body.decode("utf-8", errors="replace"))
        if self.on_crawl_delay is not None:
            self.on_crawl_delay(site, parser.crawl_delay(self.agent))
        return _Rules(parser, False, now + KEEP)
