"""RSS 2.0, RSS 1.0 (RDF) and Atom through feedparser; JSON Feed by hand.

One document per entry: title, blank line, entry text. feedparser only ever
gets bytes, never a URL, so reading a feed never touches the network; entry
links are fetched (or not) by the caller.

Entities declared in a DOCTYPE's internal subset are never expanded. Left to
itself, feedparser drops the declarations whose value refers to other entities
(so the nested "billion laughs" is cut to one level) but keeps every literal one,
which expat then expands at each reference, and its own DOCTYPE pattern ends at
the first '>' inside the subset. So the subset is removed before feedparser sees
the bytes, and references to what it declared are left as literal text.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator, Mapping
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

import feedparser

from ..model import IngestError, RawDocument
from .decode import bom_encoding, decode, normalize_newlines, without_lone_surrogates
from .detect import HEAD_BYTES, doctype_parts, prolog
from .errors import ReadError
from .html import visible_text

_FORMAT = {"rss": "rss", "rdf": "rss", "atom": "atom"}
NO_ENTRIES = "feed has no entries"  # an error for an input; for a followed feed, a quiet day
_ENTITY_DECLARATION = re.compile(r"<!ENTITY\s+([^\s%][^\s>\"']*)")
_ENTITY_REFERENCE = re.compile(rb"&([^\s&;<>\"']+);")
_XML_ENCODING = re.compile(r"^(\s*<\?xml[^>]*?)\s+encoding\s*=\s*[\"'][^\"']*[\"']")


def read_feed(data: bytes, *, kind: str, name: str, url: str | None = None) -> Iterator[RawDocument | IngestError]:
    """Entries of an XML feed; ``kind`` is what detection saw (rss, rdf, atom)."""
    headers = {"content-location": url, "content-type": "application/xml"} if url else None
    data = without_internal_subset(data)
    parsed = feedparser.parse(data, response_headers=headers, sanitize_html=True, resolve_relative_uris=True)
    items = list(_feed_entries(parsed, kind=kind, name=name))
    if parsed.get("bozo") and not any(isinstance(item, RawDocument) for item in items):
        raise ReadError(f"broken feed: {parsed.get('bozo_exception') or 'not well-formed XML'}")
    if not items:
        raise ReadError(NO_ENTRIES)
    yield from items


def without_internal_subset(data: bytes) -> bytes:
    """The feed with its DOCTYPE's internal subset ``[...]`` removed and every reference to an entity it
    declared written as literal text (``&lol9;`` becomes ``&amp;lol9;``), so no entity is ever expanded and
    a strict XML parser still reads the rest. Bytes in, bytes out; a feed without a subset is unchanged."""
    bom = bom_encoding(data)
    if bom and not bom[0].startswith("utf-8"):  # UTF-16/32: work on the text, hand feedparser UTF-8
        text = data[bom[1] :].decode(bom[0], errors="replace")
        stripped = _without_subset(text.encode("utf-8"))
        if stripped is None:
            return data
        return _XML_ENCODING.sub(r"\1", stripped.decode("utf-8"), count=1).encode("utf-8")
    stripped = _without_subset(data)
    return data if stripped is None else stripped


def _without_subset(data: bytes) -> bytes | None:
    """without_internal_subset for ASCII-compatible bytes; None when there is no subset.
    Latin-1 maps bytes to characters one to one, so positions in the view are byte positions."""
    view = data.decode("latin-1")
    _, start = prolog(view[:HEAD_BYTES])
    if start is None:
        return None
    _, subset = doctype_parts(view, start)
    if subset is None:
        return None
    declared = {name.encode("latin-1") for name in _ENTITY_DECLARATION.findall(view, *subset)}
    rest = _ENTITY_REFERENCE.sub(lambda ref: b"&amp;" + ref[0][1:] if ref[1] in declared else ref[0], data[subset[1] :])
    return data[: subset[0]] + rest


def _feed_entries(parsed: Mapping[str, Any], *, kind: str, name: str) -> Iterator[RawDocument | IngestError]:
    """One document (or a named IngestError) per entry feedparser found."""
    feed = parsed["feed"]
    outlet = _clean(feed.get("title"))
    language = _clean(feed.get("language"))
    for number, entry in enumerate(parsed["entries"], start=1):
        title = _entry_title(entry)
        body = _entry_body(entry)
        link = safe_link(entry.get("link"))
        if not title and not body:
            yield IngestError(f"{name}#entry {number}" + (f" ({link})" if link else ""), "feed entry has no title, content or summary")
            continue
        yield RawDocument(
            text=join_title(title, body),
            url=link,
            format=_FORMAT.get(kind, "rss"),
            outlet=outlet,
            title=title,
            published=_entry_date(entry),
            author=_clean(entry.get("author")),
            language=_clean(entry.get("language")) or language,
            extracted=True,
        )


def read_json_feed(data: bytes, *, name: str) -> Iterator[RawDocument | IngestError]:
    """Items of a JSON Feed 1.0/1.1 (https://jsonfeed.org/version/1.1)."""
    try:
        feed = json.loads(decode(data))
    except ValueError as err:
        raise ReadError(f"broken feed: {err}") from None
    items = feed.get("items") if isinstance(feed, dict) else None
    if not isinstance(items, list):
        raise ReadError("broken feed: no list of items")
    if not items:
        raise ReadError(NO_ENTRIES)
    outlet = _text_field(feed, "title")
    language = _text_field(feed, "language")
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            yield IngestError(f"{name}#entry {number}", "feed item is not a JSON object")
            continue
        title = _one_line(_text_field(item, "title"))
        body = _json_item_body(item)
        link = safe_link(_text_field(item, "url") or _text_field(item, "external_url"))
        if not title and not body:
            yield IngestError(f"{name}#entry {number}" + (f" ({link})" if link else ""), "feed item has no title, content or summary")
            continue
        yield RawDocument(
            text=join_title(title, body),
            url=link,
            format="jsonfeed",
            outlet=outlet,
            title=title,
            published=iso_date(_text_field(item, "date_published") or _text_field(item, "date_modified")),
            author=_json_author(item) or _json_author(feed),
            language=_text_field(item, "language") or language,
            extracted=True,
        )


def join_title(title: str | None, body: str) -> str:
    """Title, blank line, body; the title alone when there is no body; no repeat if the body starts with it."""
    if not title:
        return body
    if not body:
        return title
    return body if body.startswith(title) else f"{title}\n\n{body}"


def safe_link(link: object) -> str | None:
    """Only http(s) links are kept: a javascript: or data: link is not a source, and must never be fetched."""
    if not isinstance(link, str):
        return None
    link = link.strip()
    return link if link.lower().startswith(("http://", "https://")) else None


def _entry_title(entry: Mapping[str, Any]) -> str | None:
    title = entry.get("title")
    if not isinstance(title, str):
        return None
    if "html" in (entry.get("title_detail") or {}).get("type", "") and "<" in title:
        title = visible_text(title)
    return _one_line(title)


def _entry_body(entry: Mapping[str, Any]) -> str:
    """Full content when the feed has it, else the summary; HTML turned into lines of text."""
    for detail in list(entry.get("content") or []) + [entry.get("summary_detail") or {}]:
        value = detail.get("value") if isinstance(detail, Mapping) else None
        if isinstance(value, str) and value.strip():
            return _as_text(value, str(detail.get("type", "")))
    summary = entry.get("summary")
    return _as_text(summary, "text/html") if isinstance(summary, str) else ""


def _json_item_body(item: Mapping[str, Any]) -> str:
    text = _text_field(item, "content_text")
    if text:
        return normalize_newlines(text).strip()
    html = _text_field(item, "content_html")
    if html:
        return visible_text(html)
    summary = _text_field(item, "summary")
    return normalize_newlines(summary).strip() if summary else ""


def _as_text(value: str, content_type: str) -> str:
    if "html" in content_type or (not content_type and "<" in value):
        return visible_text(value)
    return normalize_newlines(value).strip()


def _entry_date(entry: Mapping[str, Any]) -> str | None:
    """The entry's own date string as ISO (keeping its UTC offset), else feedparser's parsed UTC time."""
    for key in ("published", "updated", "created"):
        iso = iso_date(entry.get(key))
        if iso:
            return iso
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if isinstance(parsed, time.struct_time):
            return datetime(*parsed[:6], tzinfo=timezone.utc).isoformat()
    return None


def iso_date(value: object) -> str | None:
    """An ISO 8601 or RFC 822 date string as ISO 8601; None when it is neither."""
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    for parse in (date.fromisoformat, datetime.fromisoformat):  # a bare date stays a date
        try:
            return parse(value).isoformat()
        except ValueError:
            pass
    try:
        return parsedate_to_datetime(value).isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def _json_author(obj: Mapping[str, Any]) -> str | None:
    authors = obj.get("authors")
    if isinstance(authors, list):
        names = [name for a in authors if isinstance(a, dict) and (name := _text_field(a, "name"))]
        if names:
            return "; ".join(names)
    author = obj.get("author")
    return _text_field(author, "name") if isinstance(author, dict) else None


def _text_field(obj: Mapping[str, Any], key: str) -> str | None:
    value = obj.get(key)
    return without_lone_surrogates(value.strip()) or None if isinstance(value, str) else None


def _clean(value: object) -> str | None:
    return _one_line(value) if isinstance(value, str) else None


def _one_line(value: str | None) -> str | None:
    return " ".join(value.split()) or None if value else None
