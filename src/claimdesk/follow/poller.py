"""The poller: due sources fetched politely, their new entries stored like any other input.

One poll of one source:

1. a conditional GET of the source (If-None-Match / If-Modified-Since from the last
   answer read whole); 304 ends the poll there, as does a 429 or 503 (its Retry-After
   kept for the whole host) or any failure (the source backs off);
2. the body read by the ingest readers: a feed (RSS, Atom, JSON Feed) or a news sitemap
   gives entries, a page is one document;
3. entries the source listed before are skipped; each new one's page is fetched (when
   robots.txt allows) and read by the HTML reader, the feed's own text kept when it
   cannot be; an entry without a link is its feed text;
4. the documents go through ``pipeline.ingest_items`` (cleaned, analysed, deduplicated,
   stored), the entries are recorded as seen, and the next poll is scheduled.

Nothing a source sends stops the poller: whatever goes wrong in one poll (hostile bytes,
a reader's bug) is that source's failure, stored with it and logged.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import httpx

from .. import pipeline
from ..ingest import entry_page, linked_page, max_bytes_limit, read_bytes
from ..ingest.detect import GZIP_MAGIC, detect_format, gunzip
from ..ingest.errors import ReadError
from ..ingest.feeds import NO_ENTRIES
from ..ingest.fetch import USER_AGENT, Response, charset_of, get, new_client
from ..ingest.sitemaps import read_sitemap
from ..model import IngestError, RawDocument
from ..store import sources as state
from . import schedule
from .polite import HostGate, host_of
from .robots import Robots

log = logging.getLogger("claimdesk.follow")

ENV_CONTACT = "CLAIMDESK_CONTACT"
FEED_TYPES = ("xml", "json", "text/*", "application/x-gzip", "application/gzip", "application/octet-stream")
PAGE_TYPES = ("text/html", "application/xhtml+xml")
_KINDS = {"rss": "feed", "atom": "feed", "rdf": "feed", "jsonfeed": "feed", "sitemap": "sitemap", "html": "page"}


def user_agent(contact: str) -> str:
    """The User-Agent every request carries: what is asking, and how to reach whoever runs it."""
    return f"{USER_AGENT} (+{contact}; follows news sources)"


def check_contact(contact: str | None) -> str:
    """The operator's contact (an http(s) URL or mailto:), or ValueError saying how to give one."""
    contact = (contact or "").strip()
    if not contact.lower().startswith(("http://", "https://", "mailto:")) or any(c in contact for c in " ;()\r\n"):
        raise ValueError("the poller needs a contact in its User-Agent, so site operators can reach you: "
                         f"pass --contact URL or set ${ENV_CONTACT} (an https:// page or a mailto: address)")
    return contact


@dataclass(frozen=True)
class Settings:
    contact: str
    min_delay: float = 1.0  # seconds between two requests to one host
    bounds: schedule.Bounds = schedule.Bounds()
    max_bytes: int = field(default_factory=max_bytes_limit)
    timeout: float = 20.0  # per read
    total_seconds: float = 120.0  # per answer
    workers: int = 4  # sources polled at once (each host still gets one request at a time)
    batch: int = 32  # sources taken per lease
    lease: float = 900.0
    max_new: int = 100  # new entries fetched per poll; the rest wait for the next
    analyze: bool = True


@dataclass(frozen=True)
class Report:
    """One poll, as the log line and the tests see it."""

    source: str
    status: int | None
    entries: int = 0
    new: int = 0  # entries not seen before
    stored: int = 0  # of them, new articles or new versions
    error: str | None = None
    next_in: float = 0.0

    def line(self) -> str:
        answer = "no answer" if self.status is None else f"HTTP {self.status}"
        if self.error:
            return f"{self.source}: {answer}: {self.error}; next poll in {schedule.human(self.next_in)}"
        if self.status == 304:
            return f"{self.source}: not modified; next poll in {schedule.human(self.next_in)}"
        return (f"{self.source}: {answer}, {self.entries} entries, {self.new} new, {self.stored} stored; "
                f"next poll in {schedule.human(self.next_in)}")


@dataclass
class _Entry:
    key: str
    url: str | None
    published: float | None
    doc: RawDocument | None  # the feed's text; None for a sitemap's entry
    sitemap: object | None = None  # its SitemapEntry


class _Results(pipeline.Sink):
    """What ingesting each document gave, by the document (the same object comes back)."""

    def __init__(self):
        self.added: dict[int, object] = {}

    def article(self, analysis, added) -> None:
        self.added[id(analysis.article.raw)] = added


class Poller:
    def __init__(self, store, settings: Settings, *, clock: Callable[[], float] = time.time,
                 monotonic: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep,
                 owner: str | None = None, client: httpx.Client | None = None):
        self.store, self.settings = store, settings
        self.clock, self.monotonic = clock, monotonic
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.agent = user_agent(check_contact(settings.contact))
        self.gate = HostGate(settings.min_delay, clock=monotonic, sleep=sleep)
        self.robots = Robots(lambda url, limit: self._get(url, limit, answered=range(400, 600)), "claimdesk",
                             clock=clock, on_crawl_delay=self.gate.crawl_delay)
        self.client = client or new_client(settings.timeout)
        self._ingesting = threading.Lock()
        self.stop = threading.Event()  # set: polls not started are given back, pages not fetched wait

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Poller:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    # -- the loop ------------------------------------------------------------------------

    def run_once(self) -> list[Report]:
        """Poll every source due now once (``follow --once``)."""
        reports: list[Report] = []
        polled: set[int] = set()
        with ThreadPoolExecutor(self.settings.workers, thread_name_prefix="claimdesk-poll") as pool:
            while not self.stop.is_set():
                now = self.clock()
                claimed = state.claim_due(self.store, self.owner, now, lease=self.settings.lease,
                                          limit=self.settings.batch)
                due = [s for s in claimed if s.pk not in polled]
                for again in (s for s in claimed if s.pk in polled):  # due again already: the next run's
                    state.release(self.store, again.pk, self.owner)
                if not due:
                    break
                polled.update(s.pk for s in due)
                reports.extend(r for r in pool.map(self.poll, due) if r is not None)
        return reports

    def run(self, stop: threading.Event, *, idle: float = 60.0) -> None:
        """Poll until ``stop`` is set: each round polls what is due, then waits until the next
        source falls due (at most ``idle`` seconds, so sources added meanwhile are seen)."""
        log.info("following sources as %r", self.agent)
        self.stop = stop
        while not stop.is_set():
            try:
                self.run_once()
                due = state.next_due(self.store)
            except Exception as err:  # the store went away for a moment: try again later, never die
                log.error("poller round failed: %s: %s", type(err).__name__, err)
                due = None
            wait = idle if due is None else min(max(due - self.clock(), 1.0), idle)
            stop.wait(wait)

    # -- one source ----------------------------------------------------------------------

    def poll(self, source: state.Source) -> Report | None:
        """Poll one source (its lease taken) and store the outcome; never raises. None when the
        poller is stopping: the source is given back unpolled."""
        if self.stop.is_set():
            state.release(self.store, source.pk, self.owner)
            return None
        started = self.clock()
        try:
            outcome, report = self._poll(source, started)
        except Exception as err:  # a bug or a library choking on hostile bytes: this source's failure only
            outcome, report = self._failure(source, started, None, f"poll failed: {type(err).__name__}: {err}")
        if not state.finish_poll(self.store, source.pk, self.owner, self.clock(), outcome):
            log.warning("%s: lease lost (removed, or taken over) before the poll ended", source.name)
        (log.warning if report.error else log.info)("%s", report.line())
        return report

    def _poll(self, source: state.Source, now: float) -> tuple[state.Outcome, Report]:
        headers = {}
        if source.etag:
            headers["If-None-Match"] = source.etag
        if source.last_modified:
            headers["If-Modified-Since"] = source.last_modified
        accept = PAGE_TYPES if source.kind == "page" else FEED_TYPES + PAGE_TYPES
        try:
            response = self._get(source.url, self.settings.max_bytes, headers=headers, accept=accept)
        except ReadError as err:
            return self._failure(source, now, None, str(err).removeprefix("cannot fetch: "))
        if response.status == 304:
            return self._scheduled(source, now, response, entries=0, new=0, stored=0, not_modified=True)
        if response.status in (429, 503):
            wait = schedule.retry_after(response.retry_after, now)
            if wait is not None:
                self.gate.defer(response.url, wait)
            said = f" (Retry-After {schedule.human(wait)})" if wait is not None else ""
            return self._failure(source, now, response.status, f"the server asks to wait{said}", wait=wait)
        try:
            kind, entries = self._entries(source, response)
        except ReadError as err:
            return self._failure(source, now, response.status, str(err), kind=None)
        fresh = self._unseen(source, entries)
        stored = self._ingest(source, fresh, now)
        return self._scheduled(source, now, response, entries=len(entries), new=len(fresh), stored=stored, kind=kind)

    def _entries(self, source: state.Source, response: Response) -> tuple[str, list[_Entry]]:
        data = response.body
        if data.startswith(GZIP_MAGIC):  # a sitemap.xml.gz, served as a file rather than Content-Encoding
            data = gunzip(data, self.settings.max_bytes)
        kind = _KINDS.get(detect_format(data))
        if kind is None or (source.kind == "page" and kind != "page"):
            raise ReadError("neither a feed (RSS, Atom, JSON Feed), a news sitemap nor an HTML page")
        if kind == "sitemap":
            sitemap = read_sitemap(data)
            if sitemap.is_index:
                raise ReadError(f"a sitemap index of {len(sitemap.entries)} sitemaps: add the news sitemaps it "
                                "lists as sources themselves")
            return kind, [_Entry(_key(e.url), e.url, schedule.epoch(e.published), None, e) for e in sitemap.entries]
        items = list(read_bytes(data, url=response.url, fetched=response.fetched, max_bytes=self.settings.max_bytes,
                                charset=charset_of(response.content_type)))
        docs = [self._as_source(source, d) for d in items if isinstance(d, RawDocument)]
        if not docs:
            cause = next((e.cause for e in items if isinstance(e, IngestError)), "nothing readable")
            if cause == NO_ENTRIES and kind == "feed":  # a feed with nothing in it yet is quiet, not broken
                return kind, []
            raise ReadError(cause)
        if kind == "page":
            return kind, [_Entry(_key("page:" + d.id), d.url, None, d) for d in docs]
        return kind, [_Entry(_key(d.url or "text:" + d.id), d.url, schedule.epoch(d.published), d) for d in docs]

    def _unseen(self, source: state.Source, entries: list[_Entry]) -> list[_Entry]:
        """The entries not listed before, oldest first, at most ``max_new`` (the rest come next poll)."""
        known = state.seen(self.store, source.pk, [e.key for e in entries])
        fresh = list({e.key: e for e in entries if e.key not in known}.values())
        fresh.sort(key=lambda e: (e.published is None, e.published or 0.0))
        return fresh[: self.settings.max_new]

    def _ingest(self, source: state.Source, entries: list[_Entry], now: float) -> int:
        """Fetch the entries' pages, store them, record the entries; the number stored as new or new versions."""
        if not entries:
            return 0
        results = _Results()
        docs: dict[str, int] = {}  # entry key -> id() of the document that stands for it
        fetched: list[RawDocument | IngestError] = []
        renewed = self.monotonic()
        done: list[_Entry] = []
        for entry in entries:
            if self.stop.is_set():  # stopping: the entries not fetched yet are fetched next time
                break
            for item in self._documents(source, entry):
                if isinstance(item, RawDocument):
                    docs[entry.key] = id(item)
                fetched.append(item)
            done.append(entry)
            if self.monotonic() - renewed > self.settings.lease / 3:  # many pages: hold the source longer
                state.renew_lease(self.store, source.pk, self.owner, self.clock() + self.settings.lease)
                renewed = self.monotonic()
        with self._ingesting:  # one analysis at a time: the pages of other sources are fetched meanwhile
            pipeline.ingest_items(fetched, self.store, sink=results, analyze=self.settings.analyze)
        items = []
        for entry in done:
            added = results.added.get(docs.get(entry.key, -1))
            items.append(state.Item(entry.key, entry.url, entry.published, added.status if added else "failed",
                                    added.id if added else None))
        state.record_items(self.store, source.pk, self.clock(), items)
        return sum(i.status in state.NEW_STATUSES for i in items)

    def _documents(self, source: state.Source, entry: _Entry) -> Iterator[RawDocument | IngestError]:
        """The document an entry stands for: its page where there is one, else its feed text."""
        if entry.doc is not None and (entry.doc.format == "html" or not entry.url):
            yield entry.doc
            return
        if entry.doc is not None:
            yield from entry_page(entry.doc, max_bytes=self.settings.max_bytes, fetch=self._page)
            return
        try:
            page = linked_page(entry.url, max_bytes=self.settings.max_bytes, fetch=self._page)
        except ReadError as err:
            yield IngestError(entry.url, f"could not fetch the page the sitemap lists ({err})")
            return
        listed = entry.sitemap
        page.title = page.title or listed.title
        page.published = page.published or listed.published
        page.language = page.language or listed.language
        page.outlet = page.outlet or listed.outlet
        yield self._as_source(source, page)

    def _as_source(self, source: state.Source, doc: RawDocument) -> RawDocument:
        """The source's outlet and language, where the operator gave them, on its documents."""
        if source.outlet:
            doc.outlet = doc.scope = source.outlet
        doc.language = doc.language or source.language
        return doc

    # -- fetching --------------------------------------------------------------------------

    def _get(self, url: str, max_bytes: int, *, headers: dict | None = None, accept=None,
             answered=(304, 429, 503)) -> Response:
        """One GET in this host's turn."""
        with self.gate.turn(url):
            return get(url, max_bytes=max_bytes, timeout=self.settings.timeout,
                       total_seconds=self.settings.total_seconds, headers=headers, user_agent=self.agent,
                       accept=accept, answered=answered, client=self.client)

    def _page(self, url: str, *, max_bytes: int) -> tuple[bytes, str, str, str | None]:
        """An article page, as ``ingest.entry_page`` asks for it: robots.txt first, then politely."""
        if not self.robots.allows(url):
            raise ReadError(f"robots.txt of {host_of(url)} disallows it")
        response = self._get(url, max_bytes, accept=PAGE_TYPES, answered=())
        return response.body, response.url, response.fetched, response.content_type

    # -- outcomes ------------------------------------------------------------------------

    def _normal_interval(self, source: state.Source, now: float) -> int:
        times = state.item_times(self.store, source.pk, now - max(schedule.WINDOWS))
        return schedule.interval(schedule.publishing_rate(times, now), self.settings.bounds, source.every)

    def _scheduled(self, source: state.Source, now: float, response: Response, *, entries: int, new: int,
                   stored: int, not_modified: bool = False, kind: str | None = None) -> tuple[state.Outcome, Report]:
        every = self._normal_interval(source, now)
        outcome = state.Outcome(next_poll=now + every, interval=every, status=response.status, etag=response.etag,
                                last_modified=response.last_modified, not_modified=not_modified, kind=kind)
        return outcome, Report(source.name, response.status, entries, new, stored, None, every)

    def _failure(self, source: state.Source, now: float, status: int | None, error: str, *,
                 wait: float | None = None, kind: str | None = None) -> tuple[state.Outcome, Report]:
        failures = source.failures + 1
        every = self._normal_interval(source, now)
        delay = max(schedule.backoff(every, failures, self.settings.bounds), wait or 0)
        self.store.record_error(IngestError(source.url, f"polling {source.name}: {error}"))
        outcome = state.Outcome(next_poll=now + delay, interval=every, status=status, error=error,
                                failures=failures, kind=kind)
        return outcome, Report(source.name, status, error=error, next_in=delay)


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class Beside:
    """A poller on a thread of its own beside the desk (``serve --follow``), until ``stop()``."""

    def __init__(self, store, settings: Settings):
        self.poller = Poller(store, settings)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self.poller.run, args=(self._stop,), name="claimdesk-follow", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, wait: float = 30.0) -> None:
        """Stop, waiting ``wait`` seconds at most for the polls under way; a poll still running then is
        cut off with the process (its article transactions roll back), and its sources are given back
        at once instead of when their leases run out."""
        self._stop.set()
        self._thread.join(timeout=wait)
        if self._thread.is_alive():
            state.release_all(self.poller.store, self.poller.owner)
        else:
            self.poller.close()

