"""HTML for a stretch of scraped text with marks (claims, entities, dates) over it.

Scraped text is hostile, so the text is never marked safe as a whole: it is cut at
every mark boundary, each piece is escaped on its own, and only claimdesk's own
tags go between the pieces. Overlapping marks (an entity inside a claim's content,
one claim inside another's) are handled by cutting the text into elementary
segments and wrapping each segment in every mark that covers it, so the result is
always well nested, whatever the spans.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from markupsafe import Markup, escape

_TAGS = frozenset({"mark", "span", "a", "time", "abbr"})


@dataclass(frozen=True)
class Mark:
    """A tag to put around ``[start, end)`` of the text.

    ``attrs`` values are plain strings (escaped here); ``href`` must be a URL claimdesk
    built itself (a path of its own), never one taken from the text.
    """

    start: int
    end: int
    tag: str = "mark"
    classes: tuple[str, ...] = ()
    attrs: tuple[tuple[str, str], ...] = ()

    def open(self) -> str:
        return self._open

    @cached_property
    def _open(self) -> str:  # a mark opens once per segment it covers: built once
        parts = [self.tag]
        if self.classes:
            parts.append(f'class="{escape(" ".join(self.classes))}"')
        parts.extend(f'{name}="{escape(value)}"' for name, value in self.attrs)
        return "<" + " ".join(parts) + ">"

    def close(self) -> str:
        return f"</{self.tag}>"


def _nestable(marks: list[Mark]) -> list[Mark]:
    """Marks in wrapping order (outer first: earlier start, then longer), the same tag and
    classes over the same range only once."""
    seen: set[tuple] = set()
    kept = []
    for mark in sorted(marks, key=lambda m: (m.start, -m.end)):
        if mark.tag not in _TAGS:
            raise ValueError(f"tag {mark.tag!r} is not one highlight may write")
        key = (mark.start, mark.end, mark.tag, mark.classes)
        if key not in seen and mark.end > mark.start:
            seen.add(key)
            kept.append(mark)
    return kept


def _wrapping(covering: list[Mark]) -> list[Mark]:
    """The marks to wrap a segment in, outer first, leaving out a link inside a link
    (HTML forbids it)."""
    kept, in_link = [], False
    for mark in covering:
        if mark.tag == "a":
            if in_link:
                continue
            in_link = True
        kept.append(mark)
    return kept


def highlight(text: str, start: int, end: int, marks: list[Mark]) -> Markup:
    """``text[start:end]`` as HTML, every character escaped, with ``marks`` (clipped to the range) around it.

    The text is cut at every mark boundary; between two cuts the open tags are kept
    as long as the same marks cover the text, and closed and reopened only where the
    covering marks change, so the result is always well nested.
    """
    return _highlight(text, start, end, _nestable(marks))


def highlight_spans(text: str, spans, marks: list[Mark]) -> list[Markup]:
    """``highlight`` of each span (an article's paragraphs) with the same marks, which are
    put in wrapping order once for all of them, not once per paragraph."""
    ordered = _nestable(marks)
    return [_highlight(text, span.start, span.end, ordered) for span in spans]


def _highlight(text: str, start: int, end: int, ordered: list[Mark]) -> Markup:
    inside = [m for m in ordered if m.end > start and m.start < end]
    cuts = sorted({start, end, *(max(m.start, start) for m in inside), *(min(m.end, end) for m in inside)})
    pieces: list[str] = []
    stack: list[Mark] = []
    for left, right in zip(cuts, cuts[1:]):
        wanted = _wrapping([m for m in inside if m.start <= left and m.end >= right])
        keep = 0
        while keep < len(stack) and keep < len(wanted) and stack[keep] is wanted[keep]:
            keep += 1
        pieces.extend(m.close() for m in reversed(stack[keep:]))
        pieces.extend(m.open() for m in wanted[keep:])
        stack = wanted
        pieces.append(str(escape(text[left:right])))
    pieces.extend(m.close() for m in reversed(stack))
    return Markup("".join(pieces))


def snippet_html(snippet: str, open_mark: str, close_mark: str) -> Markup:
    """A search snippet whose matched terms the database wrapped in ``open_mark``/``close_mark``
    (characters that cannot occur in stored text) as HTML with ``<mark>`` around them."""
    pieces: list[str] = []
    depth = 0
    for i, part in enumerate(snippet.split(open_mark)):
        for j, chunk in enumerate(part.split(close_mark)):
            if i > 0 and j == 0:
                pieces.append("<mark>")
                depth += 1
            if j > 0 and depth:
                pieces.append("</mark>")
                depth -= 1
            pieces.append(str(escape(chunk)))
    pieces.append("</mark>" * depth)
    return Markup("".join(pieces))
