"""Followed sources and where their polling stands: all the SQL of ``claimdesk.follow``.

The poller's state lives here, not in its memory, so a restarted poller resumes where
the last one stopped, and two pollers on one PostgreSQL store share the work: a poller
takes a due source by a lease (``claim_due``), a conditional UPDATE that only one of
them can win, and gives it back with the poll's outcome (``finish_poll``). A poller that
dies holding a lease loses it when the lease runs out.

Times are epoch seconds in the API and UTC ISO 8601 strings of one fixed shape in the
tables (``stamp``), which compare as strings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import and_, case, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from claimdesk.store.schema import source_items, sources
from claimdesk.store.store import Store

_KEY_CHUNK = 500
NEW_STATUSES = ("new", "version")  # what counts as a new article of a source


class SourceExists(ValueError):
    """A source with this URL is followed already."""


def stamp(seconds: float) -> str:
    """Epoch seconds as the tables keep times: ``2026-12-07T23:40:00+00:00``."""
    return datetime.fromtimestamp(seconds, timezone.utc).isoformat(timespec="seconds")


def seconds(value: str | None) -> float | None:
    """A stored time back as epoch seconds."""
    return datetime.fromisoformat(value).timestamp() if value else None


@dataclass(frozen=True)
class Source:
    pk: int
    url: str
    kind: str | None  # feed, sitemap, page; None until the first poll tells
    name: str
    outlet: str | None
    language: str | None
    tags: tuple[str, ...]
    every: int | None  # a fixed interval in seconds; None: adaptive
    added_at: str
    next_poll_at: str
    last_poll_at: str | None
    last_status: int | None
    last_error: str | None
    failures: int
    interval: int | None
    etag: str | None
    last_modified: str | None
    polls: int
    not_modified: int
    errors: int
    lease_owner: str | None = None  # the poller polling it now
    lease_until: str | None = None


@dataclass(frozen=True)
class Outcome:
    """What a poll found, to store: the answer, the validators for the next conditional
    request, the failures in a row, and when to poll again."""

    next_poll: float
    interval: int
    status: int | None
    error: str | None = None
    failures: int = 0
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    kind: str | None = None


@dataclass(frozen=True)
class Item:
    """An entry a source listed, with what ingesting it gave."""

    key: str
    url: str | None
    published: float | None
    status: str  # new, version, duplicate, failed
    doc_id: str | None = None


@dataclass(frozen=True)
class Activity:
    """A source's figures for the Sources page: entries seen, new articles, new articles per day."""

    items: int
    new: int
    per_day: tuple[int, ...]  # oldest day first, today last
    last_new: str | None = None  # when the latest new article came


def _source(row) -> Source:
    return Source(pk=row.pk, url=row.url, kind=row.kind, name=row.name, outlet=row.outlet, language=row.language,
                  tags=tuple(row.tags or ()), every=row.every, added_at=row.added_at, next_poll_at=row.next_poll_at,
                  last_poll_at=row.last_poll_at, last_status=row.last_status, last_error=row.last_error,
                  failures=row.failures, interval=row.interval, etag=row.etag, last_modified=row.last_modified,
                  polls=row.polls, not_modified=row.not_modified, errors=row.errors, lease_owner=row.lease_owner,
                  lease_until=row.lease_until)


# -- the list of sources ---------------------------------------------------------------


def add(store: Store, url: str, *, name: str, now: float, outlet: str | None = None, language: str | None = None,
        tags: Sequence[str] = (), every: int | None = None, kind: str | None = None) -> Source:
    """A new source, due at once; SourceExists when its URL is followed already."""
    row = {"url": url, "kind": kind, "name": name, "outlet": outlet, "language": language, "tags": list(tags),
           "every": every, "added_at": stamp(now), "next_poll_at": stamp(now)}
    try:
        with store._writing() as connection:
            pk = connection.execute(insert(sources).returning(sources.c.pk), row).scalar_one()
    except IntegrityError:
        raise SourceExists(f"{url} is followed already") from None
    return get(store, pk)


def get(store: Store, pk: int) -> Source | None:
    with store._reading() as connection:
        row = connection.execute(select(sources).where(sources.c.pk == pk)).first()
    return _source(row) if row is not None else None


def find(store: Store, url_or_name: str) -> Source | None:
    """The source with this URL, else the only one with this name."""
    with store._reading() as connection:
        row = connection.execute(select(sources).where(sources.c.url == url_or_name)).first()
        if row is None:
            rows = connection.execute(select(sources).where(sources.c.name == url_or_name).limit(2)).all()
            row = rows[0] if len(rows) == 1 else None
    return _source(row) if row is not None else None


def listing(store: Store) -> list[Source]:
    """Every source, by name."""
    with store._reading() as connection:
        return [_source(r) for r in connection.execute(select(sources).order_by(sources.c.name, sources.c.pk))]


def remove(store: Store, pk: int) -> bool:
    """Stop following a source (its entries' record goes with it; its articles stay stored)."""
    with store._writing() as connection:
        connection.execute(delete(source_items).where(source_items.c.source_pk == pk))
        return connection.execute(delete(sources).where(sources.c.pk == pk)).rowcount > 0


def poll_now(store: Store, pk: int, now: float) -> None:
    """Make a source due now (an editor's "poll now"); a source in back-off keeps its failures."""
    with store._writing() as connection:
        connection.execute(update(sources).where(sources.c.pk == pk).values(next_poll_at=stamp(now)))


# -- polling ---------------------------------------------------------------------------


def claim_due(store: Store, owner: str, now: float, *, lease: float, limit: int) -> list[Source]:
    """Take up to ``limit`` due sources for ``owner`` (most overdue first) until ``now + lease``.

    Each is taken by an UPDATE whose WHERE says the lease is free, and counted only when it
    changed the row: of two pollers asking at once, one wins each source."""
    at, until = stamp(now), stamp(now + lease)
    free = or_(sources.c.lease_until.is_(None), sources.c.lease_until < at)
    taken: list[int] = []
    with store._writing() as connection:
        due = connection.scalars(
            select(sources.c.pk).where(sources.c.next_poll_at <= at, free)
            .order_by(sources.c.next_poll_at, sources.c.pk).limit(limit)).all()
        for pk in due:
            won = connection.execute(update(sources).where(sources.c.pk == pk, sources.c.next_poll_at <= at, free)
                                     .values(lease_owner=owner, lease_until=until)).rowcount
            if won == 1:
                taken.append(pk)
        rows = connection.execute(select(sources).where(sources.c.pk.in_(taken)).order_by(sources.c.next_poll_at,
                                                                                          sources.c.pk)).all()
    return [_source(r) for r in rows]


def release(store: Store, pk: int, owner: str) -> None:
    """Give a lease back unused."""
    with store._writing() as connection:
        connection.execute(update(sources).where(sources.c.pk == pk, sources.c.lease_owner == owner)
                           .values(lease_owner=None, lease_until=None))


def release_all(store: Store, owner: str) -> int:
    """Give back every lease ``owner`` holds (a poller stopping before its polls ended); how many."""
    with store._writing() as connection:
        return connection.execute(update(sources).where(sources.c.lease_owner == owner)
                                  .values(lease_owner=None, lease_until=None)).rowcount


def renew_lease(store: Store, pk: int, owner: str, until: float) -> bool:
    """Hold a source longer (a poll fetching many pages); False when the lease was lost."""
    with store._writing() as connection:
        return connection.execute(update(sources).where(sources.c.pk == pk, sources.c.lease_owner == owner)
                                  .values(lease_until=stamp(until))).rowcount == 1


def finish_poll(store: Store, pk: int, owner: str, now: float, outcome: Outcome) -> bool:
    """Store a poll's outcome and give the lease back; False (nothing stored) when ``owner`` no
    longer holds it, or the source was removed meanwhile."""
    c = sources.c
    values = {
        "last_poll_at": stamp(now), "next_poll_at": stamp(outcome.next_poll), "interval": outcome.interval,
        "last_status": outcome.status, "last_error": outcome.error, "failures": outcome.failures,
        "polls": c.polls + 1, "not_modified": c.not_modified + int(outcome.not_modified),
        "errors": c.errors + int(outcome.error is not None), "lease_owner": None, "lease_until": None,
    }
    if outcome.error is None and not outcome.not_modified:  # validators of a body read whole
        values.update(etag=outcome.etag, last_modified=outcome.last_modified)
    if outcome.kind is not None:
        values["kind"] = outcome.kind
    with store._writing() as connection:
        return connection.execute(update(sources).where(c.pk == pk, c.lease_owner == owner).values(**values)).rowcount == 1


def next_due(store: Store) -> float | None:
    """When the next source falls due (None: no sources)."""
    with store._reading() as connection:
        return seconds(connection.scalar(select(func.min(sources.c.next_poll_at))))


# -- entries ---------------------------------------------------------------------------


def seen(store: Store, pk: int, keys: Iterable[str]) -> set[str]:
    """Which of these entry keys the source listed before."""
    wanted = sorted(set(keys))
    found: set[str] = set()
    with store._reading() as connection:
        for i in range(0, len(wanted), _KEY_CHUNK):
            found.update(connection.scalars(select(source_items.c.key).where(
                source_items.c.source_pk == pk, source_items.c.key.in_(wanted[i:i + _KEY_CHUNK]))))
    return found


def record_items(store: Store, pk: int, now: float, items: Sequence[Item]) -> None:
    """Remember entries as seen (one that is there already is left as it was)."""
    if not items:
        return
    with store._writing() as connection:
        known = set(connection.scalars(select(source_items.c.key).where(
            source_items.c.source_pk == pk, source_items.c.key.in_([i.key for i in items]))))
        rows = [{"source_pk": pk, "key": i.key, "url": i.url, "published": stamp(i.published) if i.published else None,
                 "seen_at": stamp(now), "status": i.status, "doc_id": i.doc_id}
                for i in {i.key: i for i in items if i.key not in known}.values()]
        if rows:
            connection.execute(insert(source_items), rows)


def item_times(store: Store, pk: int, since: float) -> list[float]:
    """When the source's entries since ``since`` appeared: as dated by the source, else when first seen."""
    when = func.coalesce(source_items.c.published, source_items.c.seen_at)
    with store._reading() as connection:
        return [seconds(v) for v in connection.scalars(
            select(when).where(source_items.c.source_pk == pk, when >= stamp(since)))]


def activity(store: Store, now: float, days: int = 30) -> dict[int, Activity]:
    """Per source: entries seen, new articles, and new articles per day over the last ``days`` days."""
    c = source_items.c
    is_new = c.status.in_(NEW_STATUSES)
    first_day = datetime.fromtimestamp(now, timezone.utc).date().toordinal() - days + 1
    since = stamp(datetime.fromordinal(first_day).replace(tzinfo=timezone.utc).timestamp())
    day = func.substr(c.seen_at, 1, 10)
    with store._reading() as connection:
        totals = connection.execute(select(c.source_pk, func.count(), func.sum(case((is_new, 1), else_=0)),
                                           func.max(case((is_new, c.seen_at), else_=None)))
                                    .group_by(c.source_pk)).all()
        daily = connection.execute(select(c.source_pk, day, func.count())
                                   .where(and_(is_new, c.seen_at >= since)).group_by(c.source_pk, day)).all()
    per_day: dict[int, list[int]] = {}
    for pk, on, count in daily:
        index = datetime.fromisoformat(on).date().toordinal() - first_day
        if 0 <= index < days:
            per_day.setdefault(pk, [0] * days)[index] = count
    return {pk: Activity(items, int(new or 0), tuple(per_day.get(pk, [0] * days)), last)
            for pk, items, new, last in totals}


def items_of(store: Store, pk: int, limit: int = 100) -> list[tuple[str | None, str | None, str, str, str | None]]:
    """The source's latest entries: (url, published, seen_at, status, doc_id), newest first."""
    c = source_items.c
    with store._reading() as connection:
        return [tuple(r) for r in connection.execute(
            select(c.url, c.published, c.seen_at, c.status, c.doc_id).where(c.source_pk == pk)
            .order_by(c.seen_at.desc()).limit(limit))]
