"""JSON Lines exports: one object per line with ``text`` or ``html`` and optional metadata.

A bad line is reported with its line number and the rest of the file goes on:
exports from scrapers often carry a few broken records.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from ..model import IngestError, RawDocument
from .decode import bom_encoding, decode, normalize_newlines, without_lone_surrogates
from .errors import ReadError
from .feeds import join_title
from .html import html_document

_FIELDS = ("url", "published", "outlet", "language", "author")
_LINE_BREAK = re.compile(rb"\r\n|\r|\n")  # the breaks decode.normalize_newlines turns into "\n"


def read_jsonl(data: bytes, *, name: str, charset: str | None = None) -> Iterator[RawDocument | IngestError]:
    """One document per good line; an IngestError naming ``name:line N`` for each bad one."""
    for number, line in enumerate(decoded_lines(data, charset), start=1):
        if isinstance(line, str) and not line.strip():
            continue
        try:
            if isinstance(line, ReadError):
                raise line
            yield line_document(line)
        except ReadError as err:
            yield IngestError(f"{name}:line {number}", str(err))
        except Exception as err:  # one odd record (e.g. HTML that breaks the parser) must not stop the file
            yield IngestError(f"{name}:line {number}", f"cannot read this record: {err}")


def decoded_lines(data: bytes, charset: str | None = None) -> list[str | ReadError]:
    """The lines as text, or a ReadError for a line whose bytes are not UTF-8.

    A file that is UTF-8 throughout (or has a BOM, or a declared charset) is decoded whole, as
    before. Otherwise line by line: JSON Lines is UTF-8 by definition, so a few lines of bad bytes
    are damaged records, and decoding the whole file as a guessed legacy charset would garble
    every good line too. Only when no line at all holds valid non-ASCII UTF-8 is the file taken
    to be in a legacy charset and decoded whole.
    """
    if charset or bom_encoding(data) or _is_utf8(data):
        return list(decode(data, charset).split("\n"))
    raw_lines = _LINE_BREAK.split(data)
    if not any(not line.isascii() and _is_utf8(line) for line in raw_lines):
        return list(decode(data).split("\n"))
    return [_utf8_line(line) for line in raw_lines]


def _utf8_line(line: bytes) -> str | ReadError:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError as err:
        return ReadError(f"line is not valid UTF-8 ({err.reason} at byte {err.start + 1:,})")


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


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
    return without_lone_surrogates(str(value))
