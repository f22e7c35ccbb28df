"""The desk's own URLs, built in one place (names are quoted, never pasted raw)."""

from __future__ import annotations

import os
from functools import lru_cache
from urllib.parse import quote, urlencode, urlsplit

DEFAULT_BASE_URL = "http://127.0.0.1:8000"  # where ``claimdesk serve`` listens unless told otherwise


def base_url(configured: str | None = None) -> str:
    """Where the desk is, for every absolute URL it writes (share links, feeds, JSON-LD):
    ``configured``, else $CLAIMDESK_BASE_URL, else ``DEFAULT_BASE_URL``; no trailing slash.

    Never the request's Host header: anyone can send any Host, and a page (kept by the
    page cache for every reader) would then link to the sender's site."""
    value = (configured or os.environ.get("CLAIMDESK_BASE_URL") or DEFAULT_BASE_URL).strip().rstrip("/")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"the base URL must be http(s)://host[:port][/path], not {value!r}")
    return value


@lru_cache(maxsize=16384)  # pure; a page links the same names and articles many times
def article_url(article_id: str) -> str:
    return f"/articles/{quote(article_id, safe='')}"


def claim_url(article_id: str, seq: int) -> str:
    return f"/claims/{quote(article_id, safe='')}/{int(seq)}"


@lru_cache(maxsize=16384)  # pure; a page links the same names and articles many times
def speaker_url(name: str) -> str:
    return f"/speakers/{quote(name, safe='')}"


@lru_cache(maxsize=16384)  # pure; a page links the same names and articles many times
def entity_url(canonical: str) -> str:
    return f"/entities/{quote(canonical, safe='')}"


def person_url(canonical: str, label: str) -> str:
    """A person's page is their speaker page; any other entity has an entity page."""
    return speaker_url(canonical) if label == "PERSON" else entity_url(canonical)


def speaker_feed_url(name: str, kind: str) -> str:
    return f"/feeds/speakers/{quote(name, safe='')}.{kind}"


def share_links(url: str, title: str) -> list[tuple[str, str]]:
    """Plain share links (label, href): no third-party script, nothing loaded until clicked."""
    return [
        ("Email", "mailto:?" + urlencode({"subject": title, "body": url}, quote_via=quote)),
        ("X", "https://x.com/intent/post?" + urlencode({"text": title, "url": url})),
        ("Bluesky", "https://bsky.app/intent/compose?" + urlencode({"text": f"{title} {url}"})),
        ("Mastodon", "https://mastodonshare.com/?" + urlencode({"text": title, "url": url})),
    ]
