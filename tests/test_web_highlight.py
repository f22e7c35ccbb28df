"""highlight: marks over hostile text, whatever the spans (overlapping, nested, clipped,
repeated), give well-nested HTML whose text is the escaped text and in which every
character sits inside exactly the marks that cover it."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from claimdesk.model import Span
from claimdesk.web.highlight import Mark, highlight, highlight_spans

TEXT_CHARS = st.sampled_from(list("ab <>&\"'xy\n"))


class _Walk(HTMLParser):
    """Each character of the text with the marks (by their title) open around it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.chars: list[tuple[str, tuple[str, ...]]] = []
        self.balanced = True

    def handle_starttag(self, tag, attrs):
        self.stack.append(f"{tag}:{dict(attrs)['title']}")

    def handle_endtag(self, tag):
        if not self.stack or not self.stack[-1].startswith(tag + ":"):
            self.balanced = False
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.chars.extend((c, tuple(self.stack)) for c in data)


@st.composite
def marked_text(draw):
    text = draw(st.text(TEXT_CHARS, min_size=1, max_size=40))
    n = len(text)
    marks = []
    for i in range(draw(st.integers(0, 8))):
        start = draw(st.integers(0, n))
        end = draw(st.integers(start, n))
        tag = draw(st.sampled_from(["mark", "span", "a"]))
        # titles carry hostile text too; the index makes each mark recognisable
        marks.append(Mark(start, end, tag, (f"c{i % 3}",), (("title", f"m{i}<\"&'"),)))
    start = draw(st.integers(0, n))
    end = draw(st.integers(start, n))
    return text, start, end, marks


def _expected(text, start, end, marks):
    """Per character: the marks covering it, outer first (earlier start, then longer), the same
    tag and classes over the same range once, no link inside a link."""
    seen, kept = set(), []
    for m in sorted(marks, key=lambda m: (m.start, -m.end)):
        key = (m.start, m.end, m.tag, m.classes)
        if key not in seen and m.end > m.start:
            seen.add(key)
            kept.append(m)
    out = []
    for i in range(start, end):
        covering, in_link = [], False
        for m in kept:
            if m.start <= i < m.end:
                if m.tag == "a":
                    if in_link:
                        continue
                    in_link = True
                covering.append(f"{m.tag}:{dict(m.attrs)['title']}")
        out.append((text[i], tuple(covering)))
    return out


@settings(max_examples=300, deadline=None)
@given(marked_text())
def test_every_character_is_inside_exactly_the_marks_covering_it(case):
    text, start, end, marks = case
    html = str(highlight(text, start, end, marks))
    walk = _Walk()
    walk.feed(html)
    walk.close()
    assert walk.balanced and not walk.stack, html
    assert walk.chars == _expected(text, start, end, marks), html
    assert "<" not in re.sub(r'</?(mark|span|a)( [a-z]+="[^"<>]*")*>', "", html)  # no other tag, nothing raw


@settings(max_examples=100, deadline=None)
@given(marked_text(), st.integers(0, 40))
def test_paragraphs_at_once_equal_one_at_a_time(case, cut):
    text, _, _, marks = case
    cut = min(cut, len(text))
    spans = [Span(0, cut), Span(cut, len(text)), Span(0, len(text))]
    assert highlight_spans(text, spans, marks) == [highlight(text, s.start, s.end, marks) for s in spans]


def test_hostile_text_is_escaped_between_marks():
    text = "<script>alert('x')</script> & more"
    html = str(highlight(text, 0, len(text), [Mark(0, 8, "mark", ("claim-cue",), (("title", '"><img onerror=x>'),))]))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'title="&#34;&gt;&lt;img onerror=x&gt;"' in html


# -- lists built in Python (web/render.py) instead of template loops ---------------------------


def test_python_built_lists_escape_hostile_text_and_warn_as_the_macro_does():
    from claimdesk.store.queries import ClaimRef, NewsItem
    from claimdesk.web.render import claim_lines, environment, headline_badge, mention_items

    hostile = "<script>alert('x')</script> & \"quoted\""
    items = [NewsItem(id="ab" * 32, title=hostile, outlet=hostile, url=None, published=None, ingested_at="t",
                      claims=0, headline=verdict) for verdict in ("does-not-fit", "fits", None, "contradicts")]
    html = str(mention_items(items))
    assert "<script>" not in html and html.count("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;") == 8
    macro = environment.from_string('{% from "_macros.html" import headline_badge %}{{ headline_badge(v) }}')
    for verdict in ("does-not-fit", "fits", None, "contradicts", "<b>"):
        assert headline_badge(verdict) == macro.render(v=verdict).strip()
    assert html.count('class="headline-warning"') == 2 and "⚠ headline does not fit" in html

    ref = ClaimRef(article_id="cd" * 32, seq=3, title=hostile, outlet=None, published="2024-01-02", ingested_at="t",
                   speaker=hostile, source=None, cue="said <b>", content=hostile, hedge="states", negated=True, medium=None)
    lines = str(claim_lines([ref, ref]))
    assert "<script>" not in lines and "<b>" not in lines and lines.count('<div class="claim-line">') == 2
    assert f'/claims/{"cd" * 32}/3' in lines and 'title="hedge: states, negated"' in lines
