"""Visible text of HTML without building a tree, for pages too deep for lxml.

libxml2 stops parsing at 256 nested elements and drops everything after that
point, so a page whose article sits inside 300 (or 50,000) <div>s comes out of
lxml as its title alone. A browser shows that text, so claimdesk must keep it.
The stdlib tokenizer (html.parser) has no depth limit and no recursion: it
streams tags and text, and this module applies the rules of
``html.tree_text`` to the stream (a line per block element or <br>, nothing
from scripts, styles, the head or hidden elements). It keeps no stack of open
elements, only the element being skipped and how deep inside it we are, so
memory stays proportional to the text, whatever the depth.
"""

from __future__ import annotations

from html.parser import HTMLParser

# The same sets as html.py's tree_text (imported there from here, so the two never drift).
SKIP = frozenset("script style noscript template head svg iframe object canvas title".split())
BLOCK = frozenset(
    "address article aside blockquote body caption dd details dialog div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main nav ol p pre section summary table tbody "
    "td tfoot th thead tr ul option legend".split()
)
# Elements that never have content: <img hidden> hides nothing after it.
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
# What may stand in <head>; any other start tag means the body has begun even without </head>.
_HEAD_CONTENT = frozenset("title meta link style script noscript base template".split())


def flat_text(html: str) -> str:
    """Every visible text block of an HTML page or fragment on its own line, at any nesting depth."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return parser.text()


class _VisibleText(HTMLParser):
    """Collects text as html.tree_text does; a class because the tokenizer calls back into its state."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._lines: list[str] = []
        self._block: list[str] = []
        self._skipping: str | None = None  # the element whose content is not shown
        self._skip_depth = 0  # open elements of that name, itself included

    def text(self) -> str:
        self._flush()
        return "\n".join(self._lines)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skipping == "head" and tag not in _HEAD_CONTENT:
            self._skipping, self._skip_depth = None, 0  # </head> is optional: the body started
        if self._skipping is not None:
            self._skip_depth += tag == self._skipping
            return
        if tag in SKIP or (tag not in _VOID and any(name == "hidden" for name, _ in attrs)):
            self._skipping, self._skip_depth = tag, 1
            return
        if tag in BLOCK or tag == "br":
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if self._skipping is not None:
            if tag == self._skipping:
                self._skip_depth -= 1
                if self._skip_depth == 0:
                    self._skipping = None
            return
        if tag in BLOCK or tag == "br":
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._skipping is None:
            self._block.append(data)

    def _flush(self) -> None:
        line = " ".join("".join(self._block).split())
        if line:
            self._lines.append(line)
        self._block.clear()
