"""JSON Lines exports: one object per line with ``text`` or ``html`` and optional metadata.

A bad line is reported with its line number and the rest of the file goes on:
exports from scrapers often carry a few broken records.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ..model import IngestError, RawDocument
from .decode import decode, normalize_newlines
from .errors import ReadError
from .feeds import join_title
from .html import html_document

_FIELDS = ("url", "published", "outlet", "language", "author")


def read_jsonl(data: bytes, *, name: str, charset: str | None = None) -> Iterator[RawDocument | IngestError]:
    """One document per good line; an IngestError naming ``name:line N`` for each bad one."""
    for number, line in enumerate(decode(data, charset).split("\n"), start=1):
        if not line.strip():
            continue
        try:
            yield line_document(line)
        except ReadError as err:
            yield IngestError(f"{name}:line {number}", str(err))
        except Exception as err:  # one odd record (e.g. HTML that breaks the parser) must not stop the file
            yield IngestError(f"{name}:line {number}", f"cannot read this record: {err}")


def line_document(line: str) -> RawDocument:
    """The document one JSONL line describes."""
    try:
        record = json.loads(line)
    except ValueError as err:
        raise ReadError(f"invalid JSON: {err}") from None
    if not isinstance(record, dict):
        raise ReadError("line is not a JSON object")
    title = _field(record, "title")
    title = " ".join(title.split()) if title else None
    fields = {key: _field(record, key) for key in _FIELDS}
    html, text = _field(record, "html"), _field(record, "text")
    if html and html.strip():
        doc = html_document(html, url=fields["url"], title=title)
    elif text and text.strip():
        doc = RawDocument(text=join_title(title, normalize_newlines(text)), title=title)
    else:
        raise ReadError("no text or html field")
    doc.format = "jsonl"
    for key, value in fields.items():
        if value:
            setattr(doc, key, value)  # the record's own metadata outranks what the HTML says
    return doc


def _field(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    return str(value)
