"""News sitemaps (and plain ones): the pages a site lists, with what it says of each.

A sitemap has no text of its own, so ``claimdesk ingest`` refuses one; the poller
(``claimdesk.follow``) reads it here and fetches the pages it lists. Parsed by
defusedxml with DTDs refused outright: a sitemap never needs one, so no entity of any
kind (billion laughs, external files) is ever declared, let alone expanded.

What is read of each ``<url>``: ``<loc>``, ``<lastmod>``, and from the Google News
extension (``news:news``) the publication's name and language, the publication date
and the title. Tags are matched by local name, whatever namespace prefix a site used.
A sitemap index (``<sitemapindex>``) lists other sitemaps, returned as entries too,
``is_index`` set.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from .errors import ReadError
from .feeds import safe_link, iso_date

MAX_ENTRIES = 50_000  # the sitemap protocol's own limit per file


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    published: str | None = None  # news:publication_date, else lastmod (ISO 8601)
    title: str | None = None
    outlet: str | None = None  # news:publication/news:name
    language: str | None = None


@dataclass(frozen=True)
class Sitemap:
    entries: list[SitemapEntry]
    is_index: bool  # the entries are sitemaps, not pages


def read_sitemap(data: bytes) -> Sitemap:
    """The entries of a sitemap or sitemap index; ReadError for anything else or broken XML."""
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as err:
        raise ReadError(f"refused sitemap: {type(err).__name__} ({err})") from None
    except ParseError as err:
        raise ReadError(f"broken sitemap: {err}") from None
    kind = _local(root)
    if kind not in ("urlset", "sitemapindex"):
        raise ReadError(f"not a sitemap: its root element is <{kind}>")
    wanted = "url" if kind == "urlset" else "sitemap"
    entries: list[SitemapEntry] = []
    for element in root:
        if _local(element) != wanted:
            continue
        entry = _entry(element)
        if entry is not None:
            entries.append(entry)
            if len(entries) >= MAX_ENTRIES:
                break
    if not entries:
        raise ReadError("sitemap lists no pages")
    return Sitemap(entries, is_index=kind == "sitemapindex")


def _entry(element: Element) -> SitemapEntry | None:
    fields: dict[str, str] = {}
    for child in element.iter():
        name = _local(child)
        if name in ("loc", "lastmod", "publication_date", "title", "name", "language") and name not in fields:
            text = " ".join((child.text or "").split())
            if text:
                fields[name] = text
    url = safe_link(fields.get("loc"))
    if url is None:
        return None
    return SitemapEntry(url=url, published=iso_date(fields.get("publication_date")) or iso_date(fields.get("lastmod")),
                        title=fields.get("title"), outlet=fields.get("name"), language=fields.get("language"))


def _local(element: Element) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag.rpartition("}")[2].rpartition(":")[2].lower()
