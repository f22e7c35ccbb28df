"""Which lines of a page are not the article, and why.

Every function here takes the document's lines and the indices still in play and
returns ``{index: detail}`` for the lines it puts aside. Two sources of evidence:

* the corpus: a line that recurs in many documents of the same outlet or folder is
  template text (``recurring``);
* the page itself: the article is the densest run of prose (``outside_main_run``); a
  "Comments" or "You may also like" marker ends it (``after_tail_marker``); links to
  other stories and the site's self-promotion are set into it (``set_into_body``).

A line that reads as prose is only ever removed at the edges of the article, or
after a marker that ends it: a real one-line paragraph inside the body stays.
"""

from __future__ import annotations

from ..model import LineCounts
from .lines import Line, line_key
from .shape import (
    inline_boxes,
    is_credit,
    is_prose,
    is_self_promo,
    is_share_prompt,
    is_tail_marker,
    is_teaser,
    is_widget_heading,
    word_count,
)

# A recurring line is template text when it is in at least this many documents of the
# scope (the document itself included) and in at least this share of them.
MIN_RECURRING_DOCS = 3
MIN_RECURRING_SHARE = 0.1

# What one line break costs against the words of prose, when finding the main run:
# a menu entry of two words scores 2 - 8 = -6, a paragraph of 40 words +32.
LINE_COST = 8

# Prose words that must come before a tail marker for it to end the article.
MIN_WORDS_BEFORE_TAIL = 50

# In text an extractor chose, a line in capitals between paragraphs is a teaser headline when it
# has at least this many words; shorter, it is a section heading ("HOW WILL OBAMA PLAY?", "FORD
# MUSTANG MACH E"). A headline is a sentence (who did what); a heading is a label. Set on half A of
# the Zyte pages (pages in id order, even positions), where any of 6 to 8 gave the same cut: the middle.
SHOUTED_HEADLINE_WORDS = 7


def recurring(lines: list[Line], counts: LineCounts | None) -> dict[int, str]:
    """Every line that recurs across the scope, with the evidence."""
    if counts is None or counts.documents < MIN_RECURRING_DOCS:
        return {}
    found = {}
    for i, line in enumerate(lines):
        seen = counts.counts.get(line_key(line.text), 0)
        if seen >= MIN_RECURRING_DOCS and seen >= MIN_RECURRING_SHARE * counts.documents:
            found[i] = f"recurs in {seen} of {counts.documents} documents of {counts.scope}"
    return found


def recurring_chrome(lines: list[Line], found: dict[int, str], title: int | None) -> dict[int, str]:
    """Of the recurring lines, those that are template text.

    Non-prose lines go wherever they stand. A recurring prose line (a disclaimer, a
    standard sign-off) goes only in an unbroken run of recurring lines at the top or
    bottom of the page: a wire paragraph that several stories share stays in each body.
    """
    order = [i for i in range(len(lines)) if i != title]
    at_edges = set()
    for run in (order, order[::-1]):
        for i in run:
            if i not in found:
                break
            at_edges.add(i)
    return {i: why for i, why in found.items() if i != title and (i in at_edges or not is_prose(lines[i].text))}


def outside_main_run(lines: list[Line], keep: list[int], line_cost: int = LINE_COST) -> dict[int, str]:
    """Lines before and after the densest run of prose (maximum-sum subarray).

    Each line scores its prose words minus ``line_cost``; menus and link lists are
    many short lines and score below zero, so the best run is the article. When no
    run scores above zero (a very short article), nothing is cut here.
    """
    best, best_span = 0, None
    running, start = 0, 0
    for pos, i in enumerate(keep):
        text = lines[i].text
        value = (word_count(text) if is_prose(text) else 0) - line_cost
        if running <= 0:
            running, start = value, pos
        else:
            running += value
        if running > best:
            best, best_span = running, (start, pos)
    if best_span is None:
        return {}
    first, last = best_span
    cut = {i: "before the first paragraph" for i in keep[:first]}
    cut.update({i: "after the last paragraph" for i in keep[last + 1 :]})
    return cut


def after_tail_marker(lines: list[Line], keep: list[int]) -> dict[int, str]:
    """Everything from a "Comments" / "You may also like" marker on, once the article has begun."""
    words_before = 0
    for pos, i in enumerate(keep):
        text = lines[i].text
        if words_before >= MIN_WORDS_BEFORE_TAIL and is_tail_marker(text):
            return {j: f"in the “{text}” section after the article" for j in keep[pos:]}
        if is_prose(text):
            words_before += word_count(text)
    return {}


def set_into_body(lines: list[Line], keep: list[int], extracted: bool = False) -> dict[int, str]:
    """Teasers for other stories, share prompts and the site's self-promotion, inside the article.

    A box heading ("DON'T MISS", "Most read in world news") takes the headline-like
    lines under it, up to the next line of prose. A share prompt ("Like this story? Share
    it with a friend!") goes wherever it stands, prose-shaped or not.

    ``extracted`` (the text an extractor chose, whose layout is known): a line in capitals
    before the article's first paragraph is its kicker or first section heading ("LOOK WHAT
    YOU MADE ME DO"), not a teaser, which is set between paragraphs (the site's own promotion
    does not count as a paragraph there); between paragraphs, a short one is a section heading
    (``SHOUTED_HEADLINE_WORDS``).
    """
    cut: dict[int, str] = {}
    in_box = False
    begun = not extracted
    shouted_words = SHOUTED_HEADLINE_WORDS if extracted else 0
    for i in keep:
        text = lines[i].text
        prose = is_prose(text)
        if is_share_prompt(text):
            cut[i] = "a prompt to share the page"
            continue
        if in_box and not prose:
            cut[i] = "a link to another story"
            continue
        in_box = is_widget_heading(text)
        if in_box or is_teaser(text, shouted_words if begun else None):
            cut[i] = "a link to another story"
        elif not prose and is_self_promo(text):
            cut[i] = "the site speaking about itself"
        elif prose and not begun and not is_self_promo(text):
            begun = True
    return cut


def set_into_lines(lines: list[Line], keep: list[int]) -> dict[int, list[tuple[int, int, str]]]:
    """Pop-up boxes an extractor read into the middle of a sentence, as ranges of the
    document: ``{line index: [(start, end, detail)]}``. The rest of the line stays."""
    cuts: dict[int, list[tuple[int, int, str]]] = {}
    for i in keep:
        line = lines[i]
        found = [(line.start + start, line.start + end, f"a pop-up box of the linked name “{name}” (its headlines and “MORE”)")
                 for start, end, name in inline_boxes(line.text)]
        if found:
            cuts[i] = found
    return cuts


def ragged_edges(lines: list[Line], keep: list[int], by_shape: bool) -> dict[int, str]:
    """Self-promotion and credit lines at either end of the article, and (``by_shape``)
    any line there that does not read as prose."""
    def chrome_like(i: int) -> bool:
        text = lines[i].text
        return (by_shape and not is_prose(text)) or is_self_promo(text) or is_credit(text)

    cut: dict[int, str] = {}
    for i in keep:
        if not chrome_like(i):
            break
        cut[i] = "before the first paragraph"
    for i in reversed(keep):
        if i in cut or not chrome_like(i):
            break
        cut[i] = "after the last paragraph"
    if len(cut) == len(keep):  # nothing reads as an article: keep the text rather than lose it
        return {}
    return cut
