"""Plain text dumps: the decoded text is the document, untouched."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import RawDocument
from .decode import decode
from .errors import ReadError


def read_text(data: bytes, *, url: str | None = None, charset: str | None = None) -> Iterator[RawDocument]:
    """One document; the cleaner, not this reader, decides which line is the title."""
    text = decode(data, charset)
    if not text.strip():
        raise ReadError("empty file")
    yield RawDocument(text=text, url=url, format="text")
