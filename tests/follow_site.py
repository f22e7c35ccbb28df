"""A local web site for the poller's tests and soak benchmark: feeds and pages served on
127.0.0.x with ETags, Last-Modified, 304s, 429s, slow and endless answers, and a log of
every request (path, headers, status, when it started and ended), with the most requests it
ever had in flight at once (from the request's arrival until its last bytes are handed to the
socket).

Each route is a function of the request handler returning (status, headers, body); a
body may be an iterator of chunks (streamed without a Content-Length)."""

from __future__ import annotations

import email.utils
import hashlib
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Answer = tuple[int, dict[str, str], bytes | Iterable[bytes]]


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    started: float
    ended: float = 0.0
    status: int = 0


class Clock:
    """Wall clock and monotonic clock the tests move by hand; ``sleep`` moves both and is recorded."""

    def __init__(self, start: float = 1_765_000_000.0):
        self.now = start
        self.mono = 1000.0
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def time(self) -> float:
        return self.now

    def monotonic(self) -> float:
        return self.mono

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds
            self.mono += seconds

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.now += seconds
            self.mono += seconds


class Site:
    """One host: ``routes`` by path; ``requests`` as they came; ``most_in_flight``."""

    def __init__(self, address: str = "127.0.0.1"):
        self.routes: dict[str, Callable[[BaseHTTPRequestHandler], Answer]] = {}
        self.requests: list[Request] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                record = Request(self.path, {k.lower(): v for k, v in self.headers.items()}, time.monotonic())
                with site._lock:
                    site.requests.append(record)
                    site.in_flight += 1
                    site.most_in_flight = max(site.most_in_flight, site.in_flight)

                def done() -> None:
                    """The request stops counting as in flight when its last bytes are handed to the
                    socket (no client can have read them before), not when this thread next runs: on a
                    loaded machine that can be after the client's next request came in."""
                    with site._lock:
                        if not record.ended:
                            site.in_flight -= 1
                            record.ended = time.monotonic()

                try:
                    route = site.routes.get(self.path.split("?")[0])
                    status, headers, body = route(self) if route else (404, {"Content-Type": "text/plain"}, b"not found")
                    record.status = status
                    self.send_response(status)
                    for key, value in headers.items():
                        self.send_header(key, value)
                    if isinstance(body, bytes):
                        self.send_header("Content-Length", str(len(body)))
                        self.end_headers()
                        done()
                        self.wfile.write(body)
                    else:
                        self.send_header("Transfer-Encoding", "chunked")
                        self.end_headers()
                        for chunk in body:
                            self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                        done()
                        self.wfile.write(b"0\r\n\r\n")
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True
                finally:
                    done()


            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer((address, 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://{address}:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    def clear(self) -> None:
        with self._lock:
            self.requests.clear()

    # -- routes ---------------------------------------------------------------------

    def serve(self, path: str, body: bytes, content_type: str = "text/html; charset=utf-8", *,
              etag: bool = True, last_modified: float | None = None, status: int = 200) -> None:
        """A fixed body with an ETag (and Last-Modified), answering 304 to a request that has it."""
        tag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        modified = email.utils.formatdate(last_modified, usegmt=True) if last_modified is not None else None

        def route(request: BaseHTTPRequestHandler) -> Answer:
            headers = {"Content-Type": content_type}
            if etag:
                headers["ETag"] = tag
            if modified:
                headers["Last-Modified"] = modified
            if etag and request.headers.get("If-None-Match") == tag:
                return 304, headers, b""
            if not etag and modified and request.headers.get("If-Modified-Since") == modified:
                return 304, headers, b""
            return status, headers, body

        self.routes[path] = route

    def answer(self, path: str, status: int, headers: dict[str, str] | None = None, body: bytes = b"") -> None:
        self.routes[path] = lambda request: (status, headers or {}, body)


def rss(title: str, entries: list[dict], base: str = "") -> bytes:
    """An RSS 2.0 feed; each entry a dict of title, link (a path on ``base``, or None), description, date (epoch)."""
    items = []
    for e in entries:
        link = f"<link>{base}{e['link']}</link>" if e.get("link") else ""
        date = f"<pubDate>{email.utils.formatdate(e['date'], usegmt=True)}</pubDate>" if e.get("date") else ""
        guid = f"<guid>{base}{e['link']}</guid>" if e.get("link") else ""
        items.append(f"<item><title>{e['title']}</title>{link}{guid}<description>{e.get('description', '')}"
                     f"</description>{date}</item>")
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            f'<link>{base}/</link>{"".join(items)}</channel></rss>').encode()


def article(title: str, body: str) -> bytes:
    """A news page the HTML reader takes the title and paragraphs of."""
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (f"<!doctype html><html lang='en'><head><title>{title}</title><meta property='og:site_name' "
            f"content='Local Wire'></head><body><article><h1>{title}</h1>{paragraphs}</article></body></html>").encode()


def prose(seed: int, sentences: int = 8) -> str:
    """Distinct, ordinary sentences (so that no two pages are near-duplicates)."""
    import random

    rng = random.Random(seed)
    words = ("council minister border convoy river bridge talks court budget harbour election ministry village "
             "agency report witness statement troops winter market water supply hospital parliament").split()
    return " ".join(" ".join(rng.choice(words) for _ in range(12)).capitalize() + "." for _ in range(sentences))
