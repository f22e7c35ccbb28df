"""Adding, importing and exporting sources: what the CLI and the desk's Sources page share."""

from __future__ import annotations

import time
from collections.abc import Sequence
from urllib.parse import urlsplit

from ..ingest.fetch import is_http_url
from ..store import sources as state
from . import opml
from .schedule import MINUTE, parse_every

KINDS = ("feed", "sitemap", "page")
MIN_EVERY = MINUTE  # a fixed interval shorter than this is refused


def add_source(store, url: str, *, name: str | None = None, every: str | int | None = None, outlet: str | None = None,
               language: str | None = None, tags: Sequence[str] = (), kind: str | None = None,
               now: float | None = None) -> state.Source:
    """Follow ``url``; ValueError saying what is wrong (not http(s), a bad interval, followed already)."""
    url = url.strip()
    if not is_http_url(url) or not urlsplit(url).hostname or any(ch.isspace() for ch in url):
        raise ValueError(f"{url!r} is not an http(s) URL")
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind {kind!r}: use one of {', '.join(KINDS)}")
    seconds = parse_every(every) if isinstance(every, str) and every.strip() else (every or None)
    if seconds is not None and seconds < MIN_EVERY:
        raise ValueError(f"an interval under {MIN_EVERY} seconds is not polite")
    clean_tags = tuple(dict.fromkeys(t.strip() for tag in tags for t in tag.split(",") if t.strip()))
    try:
        return state.add(store, url, name=(name or "").strip() or urlsplit(url).hostname, outlet=(outlet or "").strip() or None,
                         language=(language or "").strip() or None, tags=clean_tags, every=seconds, kind=kind,
                         now=time.time() if now is None else now)
    except state.SourceExists as error:
        raise ValueError(str(error)) from None


def import_opml(store, data: bytes, *, now: float | None = None) -> tuple[list[state.Source], list[str]]:
    """Follow every source an OPML file lists: (sources added, why each other one was not)."""
    added, skipped = [], []
    for listed in opml.read_opml(data):
        try:
            added.append(add_source(store, listed.url, name=listed.name, every=listed.every, outlet=listed.outlet,
                                    language=listed.language, tags=listed.tags, kind=listed.kind, now=now))
        except ValueError as error:
            skipped.append(f"{listed.url}: {error}")
    return added, skipped


def export_opml(store) -> bytes:
    return opml.write_opml(state.listing(store))
