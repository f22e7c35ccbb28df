"""Lists of sources in and out as OPML, the file every feed reader imports and exports.

Each ``<outline>`` with an ``xmlUrl`` (a feed or sitemap) or a ``url`` (a page,
``type="link"``) is a source: ``text`` / ``title`` its name, ``category`` its tags
(comma-separated, a leading ``/`` dropped), ``language`` its language, and claimdesk's
own ``outlet`` and ``every`` (seconds) when it wrote the file. Outlines nested in
folders are read too, the folder's name becoming a tag. Parsed by defusedxml with DTDs
refused: an OPML file never needs one.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError, SubElement, tostring

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

MAX_BYTES = 5 * 1024 * 1024
MAX_OUTLINES = 10_000


@dataclass(frozen=True)
class Listed:
    url: str
    name: str
    kind: str | None = None  # feed, sitemap, page
    outlet: str | None = None
    language: str | None = None
    tags: tuple[str, ...] = ()
    every: int | None = None


def read_opml(data: bytes) -> list[Listed]:
    """The sources an OPML file lists; ValueError saying why when it is not one."""
    if len(data) > MAX_BYTES:
        raise ValueError(f"the OPML file is over {MAX_BYTES // (1024 * 1024)} MB")
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as err:
        raise ValueError(f"refused OPML file: {type(err).__name__}") from None
    except ParseError as err:
        raise ValueError(f"broken OPML file: {err}") from None
    if root.tag != "opml" or root.find("body") is None:
        raise ValueError("not an OPML file (no <opml><body>)")
    found: list[Listed] = []
    _walk(root.find("body"), (), found)
    return found


def _walk(parent: Element, folders: tuple[str, ...], found: list[Listed]) -> None:
    for outline in parent.findall("outline"):
        if len(found) >= MAX_OUTLINES:
            return
        attrs = {k.lower(): " ".join(v.split()) for k, v in outline.attrib.items()}
        url = attrs.get("xmlurl") or (attrs.get("url") if attrs.get("type", "").lower() == "link" else None)
        name = attrs.get("text") or attrs.get("title") or ""
        if url and url.lower().startswith(("http://", "https://")):
            tags = tuple(t.strip().lstrip("/") for t in attrs.get("category", "").split(",") if t.strip().lstrip("/"))
            every = attrs.get("every", "")
            kind = {"rss": "feed", "atom": "feed", "sitemap": "sitemap", "link": "page"}.get(attrs.get("type", "").lower())
            found.append(Listed(url=url, name=name or url, kind=kind, outlet=attrs.get("outlet") or None,
                                language=attrs.get("language") or None, tags=tuple(dict.fromkeys(folders + tags)),
                                every=int(every) if every.isdigit() and int(every) > 0 else None))
        else:
            _walk(outline, folders + ((name,) if name else ()), found)


def write_opml(sources, title: str = "claimdesk sources") -> bytes:
    """Sources (``store.sources.Source``) as an OPML 2.0 file."""
    root = Element("opml", version="2.0")
    SubElement(SubElement(root, "head"), "title").text = title
    body = SubElement(root, "body")
    for source in sources:
        attrs = {"text": source.name, "title": source.name}
        if source.kind == "page":
            attrs.update(type="link", url=source.url)
        else:
            attrs.update(type="sitemap" if source.kind == "sitemap" else "rss", xmlUrl=source.url)
        for key, value in (("outlet", source.outlet), ("language", source.language),
                           ("category", ",".join(source.tags)), ("every", str(source.every or ""))):
            if value:
                attrs[key] = value
        SubElement(body, "outline", attrs)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + tostring(root, encoding="utf-8", xml_declaration=False) + b"\n"
