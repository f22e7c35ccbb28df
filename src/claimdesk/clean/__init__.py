"""Clean: choose the title and body of a document as ranges of its text.

The cleaner never rewrites a character. It sorts the lines of ``RawDocument.text``
into title, body and removed, and says for each removed line why (``Removed.reason``
for programs, ``Removed.detail`` for people).
"""

from __future__ import annotations

import re

from ..model import Article, LineCounts, RawDocument, Removed, Span
from . import chrome
from .lines import Line, line_key, line_keys, normalize, split_lines
from .shape import is_prose, word_count

__all__ = ["batch_counts", "clean", "corpus_counts", "line_key", "line_keys", "merge_counts"]

MAX_TITLE_WORDS = 40
_TITLE_PARTS = re.compile(r"\s+[|\-–—:»·]\s+")


def clean(raw: RawDocument, recurring: LineCounts | None = None) -> Article:
    """Title, body and removed ranges of ``raw``; ``recurring`` is what the corpus taught."""
    lines = split_lines(raw.text)
    found = chrome.recurring(lines, recurring)
    title = _pick_title(lines, raw, set(found))
    verdicts = {i: ("site-chrome", why) for i, why in chrome.recurring_chrome(lines, found, title).items()}
    if title is not None:
        for i in _title_repeats(lines, title):
            verdicts[i] = ("duplicate-title", "repeats the title")
    # When an extractor (trafilatura, a feed) already chose the main text, its layout is
    # known: the cleaner then removes only what it can name, not what merely looks short
    # or repeats (tables, lists and repeated Q&A lines are the author's).
    layout_known = raw.extracted
    if not layout_known:
        for i, first in _repeated_lines(lines, title, verdicts).items():
            verdicts[i] = ("duplicate-line", f"repeats line {first + 1}")
    steps = [lambda keep: chrome.set_into_body(lines, keep, extracted=layout_known)]
    if not layout_known:
        steps.append(lambda keep: chrome.outside_main_run(lines, keep))
    steps += [
        lambda keep: chrome.after_tail_marker(lines, keep),
        lambda keep: chrome.ragged_edges(lines, keep, by_shape=not layout_known),
    ]
    for step in steps:
        keep = [i for i in range(len(lines)) if i != title and i not in verdicts]
        verdicts.update({i: ("site-chrome", why) for i, why in step(keep).items()})

    kept = [i for i in range(len(lines)) if i != title and i not in verdicts]
    inside = chrome.set_into_lines(lines, kept)
    body = [span for i in kept for span in _line_pieces(raw.text, lines[i], inside.get(i, ()))]
    removed = [Removed(lines[i].start, lines[i].end, reason, why) for i, (reason, why) in verdicts.items()]
    removed += [Removed(start, end, "site-chrome", why) for cuts in inside.values() for start, end, why in cuts]
    removed.sort(key=lambda r: r.start)
    title_span = Span(lines[title].start, lines[title].end) if title is not None else None
    return Article(raw=raw, title=title_span, body=body, removed=removed)


def _line_pieces(text: str, line: Line, cuts) -> list[Span]:
    """The line as one span, or the pieces of it around ranges cut out of it (whitespace at
    their edges left out, so a piece starts and ends on a character)."""
    pieces, start = [], line.start
    for cut_start, cut_end, _ in [*cuts, (line.end, line.end, "")]:
        piece = text[start:cut_start]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            pieces.append(Span(start + lead, start + len(piece.rstrip())))
        start = cut_end
    return pieces


def merge_counts(stored: LineCounts | None, batch: LineCounts | None) -> LineCounts | None:
    """What the store learned plus what the current batch shows, for one scope."""
    if stored is None or batch is None:
        return stored or batch
    keys = set(stored.counts) | set(batch.counts)
    counts = {k: stored.counts.get(k, 0) + batch.counts.get(k, 0) for k in keys}
    return LineCounts(stored.scope, stored.documents + batch.documents, counts)


def _pick_title(lines: list[Line], raw: RawDocument, chrome_lines: set[int]) -> int | None:
    """The title the input states if it is one of the first lines, else the first non-chrome line."""
    if raw.title:
        wanted = normalize(raw.title)
        for i, line in enumerate(lines[:8]):
            if normalize(line.text) == wanted:
                return i
    for i, line in enumerate(lines):
        if i in chrome_lines:
            continue
        return i if word_count(line.text) <= MAX_TITLE_WORDS and not _is_long_prose(line.text) else None
    return None


def _is_long_prose(text: str) -> bool:
    return is_prose(text) and word_count(text) > 25


def _title_forms(text: str) -> set[str]:
    """The title and its parts around " | Site" separators, for spotting repeats."""
    forms = {normalize(text)}
    forms.update(normalize(part) for part in _TITLE_PARTS.split(text) if word_count(part) >= 3)
    return forms


def _title_repeats(lines: list[Line], title: int) -> list[int]:
    forms = _title_forms(lines[title].text)

    def repeats(text: str) -> bool:
        if normalize(text) in forms:
            return True
        return bool(_TITLE_PARTS.search(text)) and bool(_title_forms(text) & forms)

    return [i for i, line in enumerate(lines) if i != title and word_count(line.text) <= MAX_TITLE_WORDS and repeats(line.text)]


def _repeated_lines(lines: list[Line], title: int | None, verdicts: dict) -> dict[int, int]:
    """Later copies of a line of four or more words (pull quotes, doubled captions)."""
    first_seen: dict[str, int] = {}
    repeats = {}
    for i, line in enumerate(lines):
        if i == title or i in verdicts or word_count(line.text) < 4:
            continue
        key = normalize(line.text)
        if key in first_seen:
            repeats[i] = first_seen[key]
        else:
            first_seen[key] = i
    return repeats


NEAR_COPY_OVERLAP = 0.5


def batch_counts(scope: str, texts: list[str] | list[set[str]]) -> LineCounts:
    """Line counts over a batch of texts (or their line key sets) of one scope.

    A text sharing most of its lines with one already counted (a syndicated copy, a
    lightly edited version) is not counted again: otherwise its body lines would look
    like template text.
    """
    counts: dict[str, int] = {}
    holders: dict[str, list[int]] = {}  # line key -> indices of counted texts that have it
    counted = 0
    for text in texts:
        keys = line_keys(text) if isinstance(text, str) else text
        shared: dict[int, int] = {}
        for key in keys:
            for j in holders.get(key, ()):
                shared[j] = shared.get(j, 0) + 1
        if keys and max(shared.values(), default=0) >= NEAR_COPY_OVERLAP * len(keys):
            continue
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
            holders.setdefault(key, []).append(counted)
        counted += 1
    return LineCounts(scope, counted, counts)


def corpus_counts(scope: str, documents: list[tuple[str, set[str]]]) -> LineCounts:
    """The line counts of a scope learned from a whole corpus counted elsewhere (a Spark
    aggregation: ``spark.job``), to clean each of its documents with (``clean(doc, counts)``).

    ``documents`` are (document id, line keys) in input order: as ``pipeline.clean_chunk``
    counts a chunk, a text repeated counts once and a near copy not at all (``batch_counts``).
    Only keys in at least ``chrome.MIN_RECURRING_DOCS`` documents are kept: no other key can
    make a line chrome, and the counts travel to every worker that cleans.
    """
    first: dict[str, set[str]] = {}
    for doc_id, keys in documents:
        first.setdefault(doc_id, keys)
    counts = batch_counts(scope, list(first.values()))
    kept = {key: n for key, n in counts.counts.items() if n >= chrome.MIN_RECURRING_DOCS}
    return LineCounts(scope, counts.documents, kept)
