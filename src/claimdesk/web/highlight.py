"""HTML for a stretch of scraped text with marks (claims, entities, dates) over it.

Scraped text is hostile, so the text is never marked safe as a whole: it is cut at
every mark boundary, each piece is escaped on its own, and only claimdesk's own
tags go between the pieces. Overlapping marks (an entity inside a claim's content,
one claim inside another's) are handled by cutting the text into elementary
segments and wrapping each segment in every mark that covers it, so the result is
always well nested, whatever the spans.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

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
        return _open_tag(self.tag, self.classes, self.attrs)

    def close(self) -> str:
        return f"</{self.tag}>"


_SPECIAL = re.compile(r"[&<>\"']")


def escaped(piece: str) -> str:
    """``escape`` for the many short strings of a page (pieces of a marked text, names,
    titles), most with nothing to escape: those are returned as they are (no Markup made
    for them). The result is safe to paste between tags and into a quoted attribute."""
    return escape(piece) if _SPECIAL.search(piece) else piece


_escaped = escaped


@lru_cache(maxsize=16384)
def _open_tag(tag: str, classes: tuple[str, ...], attrs: tuple[tuple[str, str], ...]) -> str:
    """The open tag of a mark, every attribute value escaped. A pure function, remembered:
    an article marks the same entity (same link, same title) many times over, and the
    same names come back article after article."""
    parts = [tag]
    if classes:
        parts.append(f'class="{escape(" ".join(classes))}"')
    parts.extend(f'{name}="{escape(value)}"' for name, value in attrs)
    return "<" + " ".join(parts) + ">"


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
    put in wrapping order once for all of them, not once per paragraph. Each paragraph
    looks only at the marks that can reach it (found by bisection on their starts), not
    at every mark of the article: a long article has hundreds of paragraphs and
    thousands of marks."""
    ordered = _nestable(marks)
    starts = [m.start for m in ordered]
    longest = max((m.end - m.start for m in ordered), default=0)
    return [_highlight(text, span.start, span.end,
                       ordered[bisect_left(starts, span.start - longest):bisect_left(starts, span.end)])
            for span in spans]


def _highlight(text: str, start: int, end: int, ordered: list[Mark]) -> Markup:
    """One sweep over the cuts: the marks covering the text change only at a cut where
    one starts or ends, so the covering set is updated there (not recomputed from every
    mark for every segment: an article paragraph has dozens of marks and cuts)."""
    inside = [m for m in ordered if m.end > start and m.start < end]
    if not inside:
        return escape(text[start:end])
    opening: dict[int, list[int]] = {}
    closing: dict[int, list[int]] = {}
    for rank, m in enumerate(inside):  # rank: wrapping order (``ordered`` is in it)
        opening.setdefault(max(m.start, start), []).append(rank)
        closing.setdefault(min(m.end, end), []).append(rank)
    cuts = sorted({start, end, *opening, *closing})
    pieces: list[str] = []
    stack: list[Mark] = []
    active: list[int] = []
    for left, right in zip(cuts, cuts[1:]):
        ended, began = closing.get(left), opening.get(left)
        if ended or began:
            if ended:
                active = [r for r in active if r not in ended]
            if began:
                active = sorted(active + began)
            wanted = _wrapping([inside[r] for r in active])
            keep = 0
            while keep < len(stack) and keep < len(wanted) and stack[keep] is wanted[keep]:
                keep += 1
            pieces.extend(m.close() for m in reversed(stack[keep:]))
            pieces.extend(m.open() for m in wanted[keep:])
            stack = wanted
        pieces.append(_escaped(text[left:right]))
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
