"""Lines of a document as ranges, and the key that says two lines are the same line."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass



@dataclass(frozen=True)
class Line:
    start: int  # offsets of the stripped line in the document text
    end: int
    text: str


def split_lines(text: str) -> list[Line]:
    """Non-empty lines, stripped of surrounding whitespace, as ranges of ``text``."""
    lines = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            start = pos + (len(raw) - len(raw.lstrip()))
            lines.append(Line(start, start + len(stripped), stripped))
        pos += len(raw) + 1
    return lines


def normalize(line: str) -> str:
    """Case, inner spacing and edge punctuation do not make two lines different."""
    text = " ".join(line.casefold().split())
    start, end = 0, len(text)
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return text[start:end]


def line_key(line: str) -> str:
    """A short stable key for a line, stored by the store to learn recurring chrome."""
    return hashlib.blake2b(normalize(line).encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def line_keys(text: str) -> set[str]:
    """The distinct line keys of a document (each counts once per document)."""
    return {line_key(line.text) for line in split_lines(text) if normalize(line.text)}
