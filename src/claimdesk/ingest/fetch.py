"""Downloading a URL, only when the user asked for it (--fetch).

Bounded in every direction: size (streamed, stops at the limit), time,
redirects, and schemes (http and https only).
"""

from __future__ import annotations

from datetime import datetime, timezone

import httpx

from .errors import ReadError, too_big

USER_AGENT = "claimdesk/0.1"
MAX_REDIRECTS = 5


def fetch(url: str, *, max_bytes: int, timeout: float = 20.0) -> tuple[bytes, str, str, str | None]:
    """(body, final URL after redirects, fetch time as ISO, Content-Type) or ReadError saying why not."""
    if not is_http_url(url):
        raise ReadError(f"cannot fetch {url!r}: only http and https URLs are fetched")
    try:
        with httpx.Client(
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            timeout=timeout,
            headers={"User-Agent": USER_AGENT},
        ) as client:
            with client.stream("GET", url) as response:
                fetched = datetime.now(timezone.utc).isoformat(timespec="seconds")
                _check_response(response)
                body = _read_body(response, max_bytes)
                return body, str(response.url), fetched, response.headers.get("content-type")
    except httpx.TooManyRedirects:
        raise ReadError(f"cannot fetch: more than {MAX_REDIRECTS} redirects") from None
    except httpx.TimeoutException:
        raise ReadError(f"cannot fetch: no answer within {timeout:g} seconds") from None
    except httpx.UnsupportedProtocol as err:
        raise ReadError(f"cannot fetch: {err}") from None
    except httpx.HTTPError as err:
        raise ReadError(f"cannot fetch: {err or type(err).__name__}") from None


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


def _check_response(response: httpx.Response) -> None:
    if response.status_code >= 400:
        raise ReadError(f"cannot fetch: HTTP {response.status_code} {response.reason_phrase}".rstrip())
    if not is_http_url(str(response.url)):
        raise ReadError(f"cannot fetch: redirected to a non-http URL {response.url}")


def _read_body(response: httpx.Response, max_bytes: int) -> bytes:
    """Stream the body and stop as soon as it passes max_bytes (a declared length is checked first)."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_big("download", int(declared), max_bytes)
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > max_bytes:
            raise too_big("download", None, max_bytes)
    return bytes(body)
