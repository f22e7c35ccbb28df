"""Saved HTML pages: trafilatura finds the article, lxml gives the fallback text.

The document text is the extracted text with the page title put first, so for
every format the cleaner can take the first non-empty line as the title
candidate and the title is a range of the text.

Speed: one trafilatura extraction per page. Metadata comes from trafilatura's
own cheap helpers on the already-parsed tree instead of ``with_metadata=True``,
which also runs byline, category, tag and licence searches (about +30% time per
page on the Zyte pages) whose results this project does not use.

Hostile pages: lxml (libxml2) checks each new attribute of an element against
all the earlier ones, so one element with 100,000 attributes takes minutes to
parse (and justext, under trafilatura, is quadratic in them again); the
attributes past the first ``MAX_ATTRIBUTES`` of an element are removed from the
markup before parsing (attributes never carry article text). libxml2 also stops
at 256 nested elements and drops the rest of the page; such a page is read by
``flat_text``, which has no depth limit.

Ledes: trafilatura 2.3.1 drops the text a container holds before its first block
child (``<div class="content">Following the 16-inch MacBook Pro, ...<br><br>``),
so that loose leading text is wrapped in a ``<p>`` of its own before extraction
(``wrap_loose_text``; no character changes). And the extractor keeps one container:
a standfirst set beside it (``<div class="article__summary">`` before
``<div class="article__text">``) is left out. When the page's own description does
appear in the extracted text, the page block that holds it and stands right before
one of the extraction's opening paragraphs is put back there (``with_lede``). That
second look at the page runs only when the first extraction lost the start.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import trafilatura
from lxml import etree
from lxml import html as lxml_html
from trafilatura.metadata import (
    META_URL,
    examine_meta,
    extract_meta_json,
    extract_sitename,
    extract_title,
    extract_url,
)
from trafilatura.settings import Document, set_date_params
from trafilatura.utils import load_html

from htmldate import find_date

from ..model import RawDocument
from .decode import decode
from .errors import ReadError
from .flat_text import BLOCK as _BLOCK
from .flat_text import SKIP as _SKIP
from .flat_text import flat_text

_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_LANG = re.compile(r"([A-Za-z]{2,3})(?:[-_]|$)")
_WALK_EVENTS = ("start", "end", "comment", "pi")
_WORD = re.compile(r"\w+")
# Opening words of the page description that must stand in a block for it to be the lede the extraction lost.
LEDE_WORDS = 8
# How far into the extraction a lost lede may be put back: it opens the article, or follows its heading.
OPENING_PARAGRAPHS = 3

MAX_ATTRIBUTES = 100  # per element; real pages stay far below, and the cost past it is quadratic
# One attribute as an HTML tokenizer reads it: separators (spaces or '/') may be missing after a quoted
# value, and a quoted value may hold '<' and '>'. Possessive quantifiers only, so a match never
# backtracks: each attempt is linear in what it reads.
_ATTRIBUTE = r"""[\s/]*+[^\s/>=][^\s/>=]*+(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s>]++))?+"""
_CROWDED_TAG = re.compile(rf"<[A-Za-z][^\s/>]*+(?:{_ATTRIBUTE}){{{MAX_ATTRIBUTES}}}")
_MORE_ATTRIBUTES = re.compile(rf"(?:{_ATTRIBUTE})*+")
_RAW_TEXT = re.compile(r"<(script|style)[\s/>]|</(script|style)\s*>", re.I)
# libxml2 stops at 256 levels; a page whose last element is this deep was cut there.
_CUT_DEPTH = 250


def read_html(data: bytes, *, url: str | None = None, charset: str | None = None) -> Iterator[RawDocument]:
    """One document from an HTML page's bytes (charset: the HTTP header's, when fetched)."""
    yield html_document(decode_html(data, charset), url=url)


def decode_html(data: bytes, charset: str | None = None) -> str:
    """Decode a page; the HTTP charset outranks the meta tag, as in browsers."""
    return decode(data, charset or meta_charset(data))


def meta_charset(data: bytes) -> str | None:
    """The charset a page declares in its first few KB (<meta charset> or http-equiv)."""
    match = _META_CHARSET.search(data, 0, 4096)
    return match.group(1).decode("ascii", "replace") if match else None


def html_document(html: str, *, url: str | None = None, title: str | None = None) -> RawDocument:
    """The page as a document; ``title`` (e.g. from a JSONL record) overrides the page's own."""
    html = cap_attributes(html)
    tree = load_html(_XML_DECLARATION.sub("", html, count=1))
    if tree is None:
        return _plain_document(html, url=url, title=title)
    if cut_by_depth(tree):
        body, chosen = flat_text(html), False  # the tree lost all past the depth limit: the whole page's text
    else:
        wrap_loose_text(tree)
        body, chosen = _main_text(tree, url)
    meta = page_metadata(tree, url)
    if chosen:
        body = with_lede(tree, body, meta.description)
    title = title or meta.title
    text = _with_title(title, body)
    if not text.strip():
        raise ReadError("no text in HTML page")
    final_url = url or meta.url
    return RawDocument(
        text=text,
        url=final_url,
        format="html",
        outlet=meta.sitename or host(final_url),
        title=title,
        published=meta.date,
        author=meta.author,
        language=page_language(tree),
        extracted=chosen,
    )


def _main_text(tree: lxml_html.HtmlElement, url: str | None) -> tuple[str, bool]:
    """The article text trafilatura chooses and True; else the whole page's text and False (lose nothing)."""
    extracted = trafilatura.bare_extraction(
        tree, url=url, with_metadata=False, include_comments=False, include_tables=True, favor_precision=False
    )
    body = (getattr(extracted, "text", None) or "").strip()
    return (body, True) if body else (tree_text(tree), False)


def wrap_loose_text(tree: etree._Element) -> None:
    """Give a container's leading text, when a block child follows it, a ``<p>`` of its own.

    trafilatura reads a paragraph from ``<p>`` and from text after a ``<br>``, not the text
    a ``<div>`` or ``<section>`` holds before its first block child, and that text is
    often the lede (``<section class="article-page">We bring you ...<p></p><h2>``). The
    text and the inline elements that continue it (links, emphasis) up to that block go
    into a new ``<p>`` in the same place; a container with inline children only (a
    paragraph written as a ``<div>``) is left alone. Nothing is added or removed.
    """
    for element in tree.iter("div", "section", "article", "main", "td"):
        if not (element.text and element.text.strip()):
            continue
        children = list(element)
        first_block = next((i for i, c in enumerate(children) if _local_name(c) in _BLOCK or _local_name(c) == "br"), None)
        if first_block is None:
            continue
        paragraph = element.makeelement("p", {})
        paragraph.text, element.text = element.text, None
        for child in children[:first_block]:
            paragraph.append(child)  # moves it, with its tail
        element.insert(0, paragraph)


def with_lede(tree: etree._Element, body: str, description: str | None) -> str:
    """``body`` with the page block that holds the page's description put back, when the
    extraction left it out although it stands right before one of the extraction's opening
    paragraphs, with no other text between them: the lede set beside the container the
    extractor chose (RT's ``article__summary`` before ``article__text``).

    Only when the description's first words are not in ``body`` already (most pages have
    them); then the first block that holds them (found through the longest of them) and the
    text that follows it are read, not the whole page. A description written for search
    engines alone is in no block of the page; a standfirst ("dek") is set apart from the text
    by the byline, the date or a photo, or marked ``itemprop="description"`` by the page
    itself: none of them is put in.
    """
    written = _WORD.findall(description or "")[:LEDE_WORDS]
    wanted = [w.casefold() for w in written]
    if len(wanted) < LEDE_WORDS or _has_words(_words(body), wanted):
        return body
    paragraphs = body.split("\n")
    openings = [_words(paragraph)[:LEDE_WORDS] for paragraph in paragraphs[:OPENING_PARAGRAPHS]]
    for block in _blocks_holding(tree, max(written, key=len)):
        lines = tree_text(block).split("\n")
        at = next((i for i, line in enumerate(lines) if _has_words(_words(line), wanted)), None)
        if at is None:
            continue
        if _marked_description(block):
            return body
        following = _words(lines[at + 1] if at + 1 < len(lines) else _text_after(block))
        for n, opening in enumerate(openings):
            if opening and following[: len(opening)] == opening:
                return "\n".join([*paragraphs[:n], lines[at], *paragraphs[n:]])
        return body  # where the page first shows the description decides: a later copy is a variant of it
    return body


def _blocks_holding(tree: etree._Element, word: str, limit: int = 20) -> Iterator[etree._Element]:
    """The block elements (a line each in ``tree_text``) whose visible text holds ``word``,
    found by libxml2's own search of the text nodes, in page order, each once."""
    seen: set[etree._Element] = set()
    for node in tree.xpath("//body//text()[contains(., $word)]", word=word)[:limit]:
        element = node.getparent()
        if element is None:
            continue
        if getattr(node, "is_tail", False) and element.getparent() is not None:
            element = element.getparent()
        path = [element, *element.iterancestors()]
        if any(_local_name(e) in _SKIP or e.get("hidden") is not None for e in path):
            continue
        block = next((e for e in path if _local_name(e) in _BLOCK), None)
        if block is not None and block not in seen:
            seen.add(block)
            yield block


def _text_after(element: etree._Element) -> str:
    """The first line of visible text after ``element`` in the page (its tail, a later sibling's,
    or, past its parent's last child, what follows the parent)."""
    while element is not None:
        if element.tail and element.tail.strip():
            return element.tail.strip()
        for sibling in element.itersiblings():
            text = tree_text(sibling)
            if text:
                return text.split("\n", 1)[0]
            if sibling.tail and sibling.tail.strip():
                return sibling.tail.strip()
        element = element.getparent()
    return ""


def _marked_description(element: etree._Element) -> bool:
    """Whether the page marks the block (or what holds it) as its description, not its body."""
    return any(e.get("itemprop") == "description" for e in (element, *element.iterancestors()))


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _has_words(words: list[str], wanted: list[str]) -> bool:
    """Whether ``wanted`` occurs in ``words`` as a run (punctuation and spacing do not count)."""
    return f" {' '.join(wanted)} " in f" {' '.join(words)} "


def cap_attributes(html: str) -> str:
    """The markup with every element's attributes past the first MAX_ATTRIBUTES removed.

    Linear in the page: one regex pass finds start tags with that many attributes (a few per
    ordinary page, nearly all JavaScript inside <script> that only looks like a tag, such as
    "for(i=0;i<n.length;...", which is left alone), and one pass follows where scripts and styles
    open and close, never going back. The element, its first attributes and all text stay as they were.
    """
    pieces: list[str] = []
    copied = position = scanned = 0
    inside_raw_text = False
    while (crowded := _CROWDED_TAG.search(html, position)) is not None:
        for mark in _RAW_TEXT.finditer(html, scanned, crowded.start()):
            inside_raw_text = bool(mark[1])
        scanned = crowded.start()
        if inside_raw_text:
            closing = next((mark for mark in _RAW_TEXT.finditer(html, scanned) if mark[2]), None)
            if closing is None:
                break  # an unclosed script runs to the end of the page
            position = scanned = closing.end()
            inside_raw_text = False
            continue
        pieces.append(html[copied : crowded.end()])
        copied = position = _MORE_ATTRIBUTES.match(html, crowded.end()).end()
    pieces.append(html[copied:])
    return "".join(pieces)


def cut_by_depth(root: etree._Element) -> bool:
    """Whether libxml2 stopped at its depth limit: parsing ends there, so the last element in document
    order (found by following last children) is the deepest one. O(depth), not O(page)."""
    depth, element = 0, root.getroottree().getroot()
    while depth < _CUT_DEPTH:
        element = next((c for c in element.iterchildren(reversed=True) if isinstance(c.tag, str)), None)
        if element is None:
            return False
        depth += 1
    return True


def page_metadata(tree: lxml_html.HtmlElement, url: str | None) -> Document:
    """Title, author, canonical URL, date and site name, as trafilatura's extract_metadata finds them,
    minus its slow byline/category/tag/licence searches (see the module docstring)."""
    meta = examine_meta(tree)
    if meta.author and " " not in meta.author:
        meta.author = None  # trafilatura's own rule: one-word "authors" are usually site names
    try:
        meta = extract_meta_json(tree, meta)
    except Exception:  # trafilatura guards this call the same way: JSON-LD in the wild is messy
        pass
    meta.title = meta.title or extract_title(tree)
    meta.url = meta.url or extract_url(tree, url)
    date_params = set_date_params(True)
    date_params["url"] = meta.url
    meta.date = find_date(tree, **date_params)
    meta.sitename = meta.sitename or extract_sitename(tree)
    if meta.sitename:
        meta.sitename = meta.sitename.lstrip("@")
    elif meta.url and (match := META_URL.match(meta.url)):
        meta.sitename = match[1]
    meta.clean_and_trim()
    return meta


def page_language(tree: lxml_html.HtmlElement) -> str | None:
    """The primary language subtag the page declares: <html lang>, else Content-Language, else
    its Open Graph locale ("pt_BR"), which pages without a lang attribute often still carry.
    Evidence for ``analyze.language``, which weighs it against the text."""
    root = tree.getroottree().getroot()
    declared = (root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
                or _meta(root, "http-equiv", "content-language") or _meta(root, "property", "og:locale"))
    match = _LANG.match((declared or "").strip())
    return match.group(1).lower() if match else None


def _meta(root: lxml_html.HtmlElement, attribute: str, name: str) -> str | None:
    """The content of the page's first <meta> whose ``attribute`` is ``name`` (case-insensitive)."""
    for meta in root.iterfind(f".//meta[@{attribute}]"):
        if meta.get(attribute, "").strip().lower() == name:
            return meta.get("content")
    return None


def host(url: str | None) -> str | None:
    """The host name of a URL, the outlet of last resort."""
    if not url:
        return None
    try:
        return urlsplit(url).hostname or None
    except ValueError:
        return None


def visible_text(html: str) -> str:
    """Every visible text block of an HTML page or fragment on its own line, at any nesting depth."""
    html = cap_attributes(html)
    root = _parse_fragment(html)
    if root is None:
        return ""
    return flat_text(html) if cut_by_depth(root) else tree_text(root)


def tree_text(root: etree._Element) -> str:
    """Visible text of a parsed tree: a line per block element or <br>, whitespace collapsed.

    Walks iteratively (no recursion limit on deep junk HTML) and skips what a
    browser does not show: scripts, styles, templates, the head, hidden elements.
    """
    lines: list[str] = []
    block: list[str] = []

    def flush() -> None:
        line = " ".join("".join(block).split())
        if line:
            lines.append(line)
        block.clear()

    walker = etree.iterwalk(root, events=_WALK_EVENTS)
    for event, element in walker:
        tag = _local_name(element)
        if event == "start":
            if tag in _SKIP or element.get("hidden") is not None:
                walker.skip_subtree()
                continue
            if tag in _BLOCK or tag == "br":
                flush()
            if element.text:
                block.append(element.text)
            continue
        if event == "end" and (tag in _BLOCK or tag == "br"):
            flush()
        if element.tail:
            block.append(element.tail)
    flush()
    return "\n".join(lines)


def _local_name(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""  # comment or processing instruction: only its tail is text
    return tag.rsplit("}", 1)[-1].lower()


def _parse_fragment(html: str) -> etree._Element | None:
    html = _XML_DECLARATION.sub("", html, count=1)
    if not html.strip():
        return None
    try:
        return lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None


def _plain_document(html: str, *, url: str | None, title: str | None) -> RawDocument:
    """For markup trafilatura will not load (too odd to be a page): its visible text."""
    body = visible_text(html)
    if not body.strip() and not title:
        raise ReadError("no text in HTML page")
    return RawDocument(text=_with_title(title, body), url=url, format="html", outlet=host(url), title=title)


def _with_title(title: str | None, body: str) -> str:
    """Title first unless the text already starts with it, so the title is a range of the text."""
    if not title or body.startswith(title):
        return body or (title or "")
    return f"{title}\n\n{body}" if body else title
