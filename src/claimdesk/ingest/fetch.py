"""Downloading a URL, only when the user asked for it (--fetch) or follows a source (``claimdesk.follow``).

Bounded in every direction: size (streamed, stops at the limit, compressed bodies
inflated a bounded piece at a time so a gzip bomb stops at the limit too), time (per
read and for the whole answer, so a server trickling a byte at a time is cut off),
redirects, and schemes (http and https only).

``fetch`` is what ``--fetch`` calls: any answer other than a 2xx is a ReadError.
``get`` is what the poller calls: conditional headers go out, and the answers a
poller must act on rather than fail (304 Not Modified, 429 and 503 with their
``Retry-After``) come back as a ``Response`` without a body.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Iterable, Mapping
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, timezone

import httpx

from .errors import ReadError, too_big

USER_AGENT = "claimdesk/0.1"
MAX_REDIRECTS = 5
TOTAL_SECONDS = 120.0  # the whole answer, however slowly it comes
# the answers ``get`` returns instead of raising: the caller decides what they mean
ANSWERED = frozenset({304, 429, 503})
# bodies are asked for gzip'd or plain only, so that every compressed byte is inflated here, bounded
_ACCEPT_ENCODING = "gzip, deflate"


@dataclass(frozen=True)
class Response:
    """What a GET brought back: a 2xx with its body, or 304 / 429 / 503 with an empty one."""

    status: int
    url: str  # after redirects
    body: bytes
    fetched: str  # ISO 8601, UTC
    content_type: str | None
    etag: str | None = None
    last_modified: str | None = None
    retry_after: str | None = None  # the raw header (seconds or an HTTP date)


def fetch(url: str, *, max_bytes: int, timeout: float = 20.0) -> tuple[bytes, str, str, str | None]:
    """(body, final URL after redirects, fetch time as ISO, Content-Type) or ReadError saying why not."""
    response = get(url, max_bytes=max_bytes, timeout=timeout, answered=())
    return response.body, response.url, response.fetched, response.content_type


def get(
    url: str,
    *,
    max_bytes: int,
    timeout: float = 20.0,
    total_seconds: float = TOTAL_SECONDS,
    headers: Mapping[str, str] | None = None,
    user_agent: str = USER_AGENT,
    accept: Iterable[str] | None = None,
    answered: Iterable[int] = ANSWERED,
    client: httpx.Client | None = None,
) -> Response:
    """GET ``url`` within the limits; ReadError saying why not.

    ``headers`` go with the request (If-None-Match, If-Modified-Since). ``accept``: the media
    types (``text/html``) or families (``xml``, ``json``, ``text/*``) a body may have; another
    declared Content-Type is refused before the body is read. ``answered``: statuses returned
    as a bodiless Response instead of raised. ``client``: reuse its connections (its own
    settings for redirects are replaced by these)."""
    if not is_http_url(url):
        raise ReadError(f"cannot fetch {url!r}: only http and https URLs are fetched")
    deadline = time.monotonic() + total_seconds
    sent = {"User-Agent": user_agent, "Accept-Encoding": _ACCEPT_ENCODING, **(headers or {})}
    try:
        with _client(client, timeout) as http:
            with http.stream("GET", url, headers=sent, follow_redirects=True) as response:
                fetched = datetime.now(timezone.utc).isoformat(timespec="seconds")
                if not is_http_url(str(response.url)):
                    raise ReadError(f"cannot fetch: redirected to a non-http URL {response.url}")
                found = {
                    "status": response.status_code, "url": str(response.url), "fetched": fetched,
                    "content_type": response.headers.get("content-type"), "etag": response.headers.get("etag"),
                    "last_modified": response.headers.get("last-modified"),
                    "retry_after": response.headers.get("retry-after"),
                }
                if response.status_code in set(answered):
                    _drain(response)
                    return Response(body=b"", **found)
                if response.status_code >= 400 or response.status_code == 304:
                    raise ReadError(f"cannot fetch: HTTP {response.status_code} {response.reason_phrase}".rstrip())
                if accept is not None:
                    check_content_type(found["content_type"], accept)
                return Response(body=_read_body(response, max_bytes, deadline, total_seconds), **found)
    except httpx.TooManyRedirects:
        raise ReadError(f"cannot fetch: more than {MAX_REDIRECTS} redirects") from None
    except httpx.TimeoutException:
        raise ReadError(f"cannot fetch: no answer within {timeout:g} seconds") from None
    except httpx.UnsupportedProtocol as err:
        raise ReadError(f"cannot fetch: {err}") from None
    except httpx.HTTPError as err:
        raise ReadError(f"cannot fetch: {err or type(err).__name__}") from None


def _client(client: httpx.Client | None, timeout: float):
    """A new client (closed after the request), or the caller's (left open) with these limits."""
    if client is not None:
        client.max_redirects = MAX_REDIRECTS
        client.timeout = httpx.Timeout(timeout)
        return nullcontext(client)
    return httpx.Client(max_redirects=MAX_REDIRECTS, timeout=timeout)


def new_client(timeout: float = 20.0) -> httpx.Client:
    """A client to pass to ``get`` again and again (kept-alive connections to each host)."""
    return httpx.Client(max_redirects=MAX_REDIRECTS, timeout=timeout)


def is_http_url(text: str) -> bool:
    """Whether an input names a web page rather than a file."""
    return text.lower().startswith(("http://", "https://"))


def charset_of(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header, if any."""
    for part in (content_type or "").split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def media_type(content_type: str | None) -> str | None:
    """``text/html`` of ``text/html; charset=utf-8``; None when not declared."""
    value = (content_type or "").split(";")[0].strip().lower()
    return value or None


def check_content_type(content_type: str | None, accept: Iterable[str]) -> None:
    """ReadError unless the declared type is one ``accept`` names: a media type (``text/html``),
    a family (``text/*``) or a suffix word (``xml`` takes application/rss+xml and text/xml,
    ``json`` application/feed+json). An undeclared type passes: the bytes are sniffed anyway."""
    declared = media_type(content_type)
    if declared is None:
        return
    main, _, sub = declared.partition("/")
    for wanted in accept:
        if wanted == declared or (wanted.endswith("/*") and wanted[:-2] == main) or (
                "/" not in wanted and (sub == wanted or sub.endswith("+" + wanted) or sub.startswith(wanted + "-")
                                       or sub.endswith("-" + wanted))):
            return
    raise ReadError(f"cannot fetch: the answer is {declared}, not {' or '.join(accept)}")


def _drain(response: httpx.Response, limit: int = 64 * 1024) -> None:
    """Read a small unwanted body (a 304's empty one, a 429's page), so the connection is kept for
    the host's next request instead of dropped; a larger one is left and the connection closed."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) <= limit:
        for _ in response.iter_raw():
            pass


def _read_body(response: httpx.Response, max_bytes: int, deadline: float, total_seconds: float) -> bytes:
    """Stream the body and stop as soon as it passes max_bytes (a declared length is checked first),
    inflating gzip/deflate a bounded piece at a time, and stop at the deadline."""
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("identity", "", "gzip", "x-gzip", "deflate"):
        raise ReadError(f"cannot fetch: the body is {encoding}-encoded, which was not asked for")
    declared = response.headers.get("content-length", "")
    if encoding in ("identity", "") and declared.isdigit() and int(declared) > max_bytes:
        raise too_big("download", int(declared), max_bytes)
    inflater = None if encoding in ("identity", "") else zlib.decompressobj(wbits=47)  # gzip or zlib header
    body = bytearray()
    for chunk in response.iter_raw():
        if inflater is None:
            body += chunk
        else:
            try:
                while chunk:
                    body += inflater.decompress(chunk, max_bytes + 1 - len(body))
                    if len(body) > max_bytes:
                        break
                    chunk = inflater.unconsumed_tail
            except zlib.error as err:
                raise ReadError(f"cannot fetch: broken {encoding} body: {err}") from None
        if len(body) > max_bytes:
            raise too_big("download", None, max_bytes)
        if time.monotonic() > deadline:
            raise ReadError(f"cannot fetch: the answer took longer than {total_seconds:g} seconds")
    return bytes(body)
