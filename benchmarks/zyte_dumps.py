"""Figure 2: cleaning whole-page text dumps, scored against the Zyte ground truth.

A scraper that does not know a page's layout keeps every visible text block, one per
line. This turns each of the 181 pages into such a dump (with lxml, independent of
claimdesk's own readers), runs claimdesk's text cleaner on the dump alone, and scores
the kept body and the raw dump with the benchmark's own scorer.

    python benchmarks/zyte_dumps.py [--json out.json]
"""

from __future__ import annotations

import argparse
import re
import time

import lxml.html

from claimdesk.clean import clean
from claimdesk.model import RawDocument
import machine
from zyte_common import decode, pages, score

INVISIBLE = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object", "canvas"}
BLOCKS = {
    "address", "article", "aside", "blockquote", "body", "dd", "details", "dialog", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "td", "th", "tr", "ul", "br",
    "title", "html", "option", "button", "label",
}
SPACE = re.compile(r"\s+")


def page_dump(html: str) -> str:
    """Every visible text block of the page on its own line, the <title> first."""
    root = lxml.html.document_fromstring(html)
    blocks: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = SPACE.sub(" ", "".join(current)).strip()
        if text:
            blocks.append(text)
        current.clear()

    def walk(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in INVISIBLE:
            if el.tail:
                current.append(el.tail)
            return
        is_block = tag in BLOCKS
        if is_block:
            flush()
        if el.text and isinstance(el.tag, str):
            current.append(el.text)
        for child in el:
            walk(child)
        if is_block:
            flush()
        if el.tail:
            current.append(el.tail)

    title = root.findtext(".//title")
    if title and title.strip():
        blocks.append(SPACE.sub(" ", title).strip())
    body = root.find("body")
    walk(body if body is not None else root)
    flush()
    return "\n".join(blocks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="write the figures here as JSON")
    args = parser.parse_args()
    dumps = {key: page_dump(decode(data)) for key, data in pages()}
    start = time.perf_counter()
    cleaned = {key: clean(RawDocument(text=text, format="text")).body_text for key, text in dumps.items()}
    seconds = time.perf_counter() - start
    metrics = score({"raw_dump": dumps, "claimdesk_cleaned": cleaned})
    result = {"pages": len(dumps), "clean_ms_per_page": 1000 * seconds / len(dumps), "metrics": metrics}
    for name, m in metrics.items():
        print(f"{name:20} F1 {m['f1']:.3f}  precision {m['precision']:.3f}  recall {m['recall']:.3f}")
    print(f"cleaning: {result['clean_ms_per_page']:.2f} ms/page")
    if args.json:
        machine.save(args.json, result)


if __name__ == "__main__":
    main()
