"""One request at a time per host, and a pause between them.

``HostGate.turn(url)`` is held around every request the poller makes: while it is held,
no other request goes to that host (from this process: pollers sharing a store share the
sources, not the hosts, and each holds its own gate), and the next one starts no sooner
than ``min_delay`` seconds after it ended, or the host's robots.txt ``Crawl-delay``, or
a ``Retry-After`` it sent. Clock and sleep are injected, so tests and the soak benchmark
never wait for real.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

MAX_CRAWL_DELAY = 60.0  # a robots.txt asking for more is held to this


def host_of(url: str) -> str:
    """What the gate counts as one host: the URL's host name and port, lower case."""
    parts = urlsplit(url)
    return (parts.hostname or "") + (f":{parts.port}" if parts.port else "")


@dataclass
class _Host:
    lock: threading.Lock = field(default_factory=threading.Lock)
    not_before: float = float("-inf")
    delay: float | None = None  # the host's own Crawl-delay, when it asked for more than the minimum


class HostGate:
    def __init__(self, min_delay: float = 1.0, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.min_delay = min_delay
        self.clock, self.sleep = clock, sleep
        self._hosts: dict[str, _Host] = {}
        self._guard = threading.Lock()

    def _host(self, url: str) -> _Host:
        with self._guard:
            return self._hosts.setdefault(host_of(url), _Host())

    @contextmanager
    def turn(self, url: str) -> Iterator[None]:
        """Wait for this host's turn, hold it for the request, and start its pause when the request ends."""
        host = self._host(url)
        with host.lock:
            wait = host.not_before - self.clock()
            if wait > 0:
                self.sleep(wait)
            try:
                yield
            finally:
                delay = max(self.min_delay, host.delay or 0.0)
                host.not_before = max(host.not_before, self.clock() + delay)

    def defer(self, url: str, seconds: float) -> None:
        """Send nothing to this host for ``seconds`` (its Retry-After)."""
        host = self._host(url)
        host.not_before = max(host.not_before, self.clock() + seconds)

    def crawl_delay(self, url: str, seconds: float | None) -> None:
        """The pause this host's robots.txt asks for (capped at MAX_CRAWL_DELAY)."""
        self._host(url).delay = min(seconds, MAX_CRAWL_DELAY) if seconds else None
