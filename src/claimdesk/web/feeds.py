"""Follow the desk: Atom and RSS 2.0 (through feedgen, which escapes every text it
writes) and JSON Feed 1.1 (a dict). The helpers take plain ``Entry`` values so that
other feeds (web-B's reviews feed) are built the same way."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from feedgen.feed import FeedGenerator

from claimdesk.store import Store, queries
from claimdesk.web import links
from claimdesk.web.deps import get_store
from claimdesk.web.links import article_url, claim_url, speaker_feed_url, speaker_url

FEED_SIZE = 50
# With the charset said: a browser shows a feed as text and would otherwise guess the encoding.
KINDS = {"atom": "application/atom+xml; charset=utf-8", "rss": "application/rss+xml; charset=utf-8",
         "json": "application/feed+json; charset=utf-8"}

router = APIRouter(prefix="/feeds", tags=["feeds"])
StoreDep = Annotated[Store, Depends(get_store)]


@dataclass(frozen=True)
class Entry:
    """One item of a feed; every field is plain text (the feed writers escape it)."""

    id: str  # an absolute URL, stable for the item
    title: str
    url: str
    summary: str
    updated: datetime
    published: datetime | None = None
    author: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Feed:
    title: str
    home: str  # the page the feed follows (absolute URL)
    self_url: str  # the feed's own URL (absolute); its siblings differ by extension
    description: str
    entries: list[Entry] = field(default_factory=list)

    @property
    def updated(self) -> datetime:
        return max((e.updated for e in self.entries), default=datetime(1970, 1, 1, tzinfo=timezone.utc))


def when(value: str | None, fallback: str | None = None) -> datetime:
    """A stored date (``2023-12-19``, ``2023-12``, a full ISO time) as an aware datetime;
    the fallback (ingest time) when the date is missing or not a date."""
    for candidate in (value, fallback):
        if not candidate:
            continue
        text = candidate.strip().replace("Z", "+00:00")
        for attempt in (text, text[:10], text[:7] + "-01", text[:4] + "-01-01"):
            try:
                parsed = datetime.fromisoformat(attempt)
            except ValueError:
                continue
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
    return datetime(1970, 1, 1, tzinfo=timezone.utc)


def _generator(feed: Feed) -> FeedGenerator:
    fg = FeedGenerator()
    fg.id(feed.self_url)
    fg.title(feed.title)
    fg.subtitle(feed.description)  # RSS description
    fg.link(href=feed.self_url, rel="self")
    fg.link(href=feed.home, rel="alternate")  # after self: RSS's channel <link> is the last one set
    fg.updated(feed.updated)
    fg.generator("claimdesk")
    fg.language("en")
    for entry in reversed(feed.entries):  # feedgen prepends: reversed keeps the given order
        fe = fg.add_entry()
        fe.id(entry.id)
        fe.guid(entry.id, permalink=True)
        fe.title(entry.title)
        fe.link(href=entry.url)
        fe.summary(entry.summary)  # Atom summary / RSS description, escaped by feedgen
        fe.updated(entry.updated)
        if entry.published:
            fe.published(entry.published)
        if entry.author:
            fe.author(name=entry.author)
        for tag in entry.tags:
            fe.category(term=tag)
    return fg


def atom(feed: Feed) -> bytes:
    return _generator(feed).atom_str(pretty=True)


def rss(feed: Feed) -> bytes:
    return _generator(feed).rss_str(pretty=True)


def json_feed(feed: Feed) -> dict:
    """JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/)."""
    items = []
    for entry in feed.entries:
        item = {"id": entry.id, "url": entry.url, "title": entry.title, "content_text": entry.summary,
                "summary": entry.summary, "date_modified": entry.updated.isoformat()}
        if entry.published:
            item["date_published"] = entry.published.isoformat()
        if entry.author:
            item["authors"] = [{"name": entry.author}]
        if entry.tags:
            item["tags"] = list(entry.tags)
        items.append(item)
    return {"version": "https://jsonfeed.org/version/1.1", "title": feed.title, "home_page_url": feed.home,
            "feed_url": feed.self_url, "description": feed.description, "language": "en", "items": items}


def respond(feed: Feed, kind: str) -> Response:
    """The feed in the asked format (atom, rss, json), with its media type."""
    if kind == "atom":
        return Response(atom(feed), media_type=KINDS["atom"])
    if kind == "rss":
        return Response(rss(feed), media_type=KINDS["rss"])
    if kind == "json":
        return JSONResponse(json_feed(feed), media_type=KINDS["json"])
    raise HTTPException(404, f"no feed format {kind!r}: atom, rss or json")


def base_url(request: Request) -> str:
    """Where the desk is (no trailing slash): the app's configured base URL
    (``links.base_url``), never the Host header the request came with."""
    return links.base_url(getattr(request.app.state, "base_url", None))


# -- the desk's feeds ----------------------------------------------------------------------


def article_entries(items: list[queries.NewsItem], base: str) -> list[Entry]:
    entries = []
    for item in items:
        url = base + article_url(item.id)
        facts = [item.outlet or "unknown outlet", item.published or "undated",
                 f"not analysed ({item.not_analysed_in})" if item.not_analysed_in
                 else f"{item.claims} claim{'' if item.claims == 1 else 's'}"]
        if item.headline and item.headline != "fits":
            facts.append(f"headline check: {item.headline.replace('-', ' ')}")
        published = when(item.published, item.ingested_at)
        entries.append(Entry(id=url, title=item.title or "(untitled)", url=url, summary=" · ".join(facts),
                             updated=published, published=published, author=item.outlet))
    return entries


def claim_entries(refs: list[queries.ClaimRef], base: str) -> list[Entry]:
    entries = []
    for ref in refs:
        url = base + claim_url(ref.article_id, ref.seq)
        who = ref.speaker or "Unattributed"
        source = f"{ref.title or '(untitled)'} ({ref.outlet or 'unknown outlet'}, {ref.published or 'undated'})"
        published = when(ref.published, ref.ingested_at)
        entries.append(Entry(id=url, title=f"{who} {ref.cue}: {ref.content}", url=url,
                             summary=f"{who} {ref.cue} {ref.content} (hedge: {ref.hedge}). In {source}.",
                             updated=published, published=published, author=ref.speaker, tags=(ref.hedge,)))
    return entries


def _split(filename: str) -> tuple[str, str]:
    name, dot, kind = filename.rpartition(".")
    if not dot or kind not in KINDS:
        raise HTTPException(404, "feeds end in .atom, .rss or .json")
    return name, kind


@router.get("/articles.{kind}", summary="The news line as a feed (atom, rss or json)")
def articles_feed(request: Request, store: StoreDep, kind: str) -> Response:
    base = base_url(request)
    line = queries.news_line(store, page_size=FEED_SIZE, count=False)
    feed = Feed(title="claimdesk: latest articles", home=base + "/", self_url=f"{base}/feeds/articles.{kind}",
                description="The latest articles on the claimdesk news line.",
                entries=article_entries(line.items, base))
    return respond(feed, kind)


@router.get("/speakers/{filename:path}", summary="Claims by one speaker as a feed (NAME.atom, NAME.rss, NAME.json)")
def speaker_feed(request: Request, store: StoreDep, filename: str) -> Response:
    written, kind = _split(filename)
    base = base_url(request)
    name = store.speaker_name(written)  # any name the speaker is known by
    if name is None:
        raise HTTPException(404, f"no speaker called {written!r}")
    found = queries.person_claims(store, name, page_size=FEED_SIZE)
    feed = Feed(title=f"claimdesk: claims by {found.name}", home=base + speaker_url(found.name),
                self_url=base + speaker_feed_url(found.name, kind), description=f"Claims by {found.name}, newest articles first.",
                entries=claim_entries(found.by, base))
    return respond(feed, kind)


