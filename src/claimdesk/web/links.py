"""The desk's own URLs, built in one place (names are quoted, never pasted raw)."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote, urlencode


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
