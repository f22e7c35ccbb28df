"""The review desk in the store: users, sessions, sign-in attempts, reviews, publication.

Functions over a ``Store`` (SQL stays in ``claimdesk.store``), returning the plain
dataclasses of ``claimdesk.model``.

How a review is kept: a claim has one review, the desk's, which reviewers edit in
turn. Every edit is a new row of ``review_revisions`` (who, when, the whole rating,
rationale and evidence); nothing is updated or deleted, so the history is the table.
The current review is the claim's latest revision. An editor publishes a *revision*
(the one they read), and unpublishes the claim's review; each is a new row of
``review_publications``. The public sees the revision named by the claim's latest
publication event when that event is "published": an edit after publication stays a
draft until an editor publishes it in turn.

A claim is named on the web by its key, ``"<document id>:<seq>"`` (``claim_key``).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

from sqlalchemy import Connection, and_, bindparam, delete, exists, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from claimdesk.model import (
    RATINGS,
    Publication,
    Review,
    ReviewedClaim,
    ReviewHistory,
    User,
)
from claimdesk.store.schema import (
    claims as claim_table,
)
from claimdesk.store.schema import (
    documents,
    sessions,
    signin_attempts,
    standing_claim,
    users,
)
from claimdesk.store.schema import (
    entities as entity_table,
)
from claimdesk.store.schema import (
    review_publications as publications,
)
from claimdesk.store.schema import (
    review_revisions as revisions,
)
from claimdesk.store.store import Store

MAX_RATIONALE = 20_000
MAX_EVIDENCE = 20
MAX_URL = 2_000
ATTEMPTS_KEPT = timedelta(days=1)  # older sign-in attempts are deleted as new ones come

_KEY = re.compile(r"([0-9a-f]{64}):(\d{1,9})")


class UnknownClaim(LookupError):
    """No stored claim has this key."""


class UserExists(ValueError):
    """An account with this name exists already."""


class UnknownUser(LookupError):
    """No account has this name."""


class ReviewConflict(ValueError):
    """The review changed since the revision the writer based their change on."""

    def __init__(self, message: str, current: int | None):
        super().__init__(message)
        self.current = current


class InvalidReview(ValueError):
    """A rating off the scale, a rationale too long, or evidence that is not an http(s) URL."""


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _iso(at: datetime) -> str:
    return at.astimezone(timezone.utc).isoformat(timespec="seconds")


# -- claim keys -------------------------------------------------------------------


def claim_key(article_id: str, seq: int) -> str:
    """The stable web name of a claim: its document id and its place in the analysis."""
    return f"{article_id}:{seq}"


def parse_claim_key(key: str) -> tuple[str, int]:
    """``(document id, seq)`` of a key; UnknownClaim when it is not shaped like one."""
    match = _KEY.fullmatch(key.strip().lower()) if isinstance(key, str) else None
    if match is None:
        raise UnknownClaim(f"not a claim key: {key!r} (expected '<document id>:<number>')")
    return match.group(1), int(match.group(2))


def _claim_pk(connection: Connection, key: str) -> tuple[int, int]:
    doc_id, seq = parse_claim_key(key)
    doc_pk = connection.scalar(
        select(documents.c.pk)
        .join(claim_table, and_(claim_table.c.doc_pk == documents.c.pk, claim_table.c.seq == seq))
        .where(documents.c.id == doc_id)
    )
    if doc_pk is None:
        raise UnknownClaim(f"no stored claim {key}")
    return doc_pk, seq


def _user_pk(connection: Connection, name: str) -> int:
    pk = connection.scalar(select(users.c.pk).where(users.c.name == name))
    if pk is None:
        raise UnknownUser(f"no user named {name!r}")
    return pk


def _refuse_rejected(connection: Connection, key: str, doc_pk: int, seq: int) -> None:
    """A claim a reviewer marked "not a claim" gets no review and is never published."""
    c = claim_table.c
    if connection.scalar(select(c.rejected_pk).where(c.doc_pk == doc_pk, c.seq == seq)) is not None:
        raise ReviewConflict(f"{key} is marked as not a claim: restore it before reviewing or publishing it", None)


def _current_revision(connection: Connection, doc_pk: int, seq: int) -> int | None:
    """The newest revision of a claim's review (None when nobody reviewed it)."""
    r = revisions.c
    return connection.scalar(select(func.max(r.pk)).where(r.doc_pk == doc_pk, r.seq == seq))


# -- validation (the store keeps its invariants whatever the caller) -----------------


def check_rating(rating: str) -> str:
    if rating not in RATINGS:
        raise InvalidReview(f"unknown rating {rating!r}: one of {', '.join(RATINGS)}")
    return rating


def check_evidence_url(url: str) -> str:
    """An evidence link as kept: an absolute http(s) URL with a host, no credentials,
    no spaces or control characters. It is shown as a link and never fetched."""
    url = url.strip()
    if not url:
        raise InvalidReview("an evidence link cannot be empty")
    if len(url) > MAX_URL:
        raise InvalidReview(f"an evidence link has at most {MAX_URL} characters")
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
        raise InvalidReview(f"an evidence link has no spaces or control characters: {url[:80]!r}")
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018  (raises on a malformed port)
    except ValueError as error:
        raise InvalidReview(f"not a valid link: {url[:80]!r} ({error})") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise InvalidReview(f"an evidence link starts with http:// or https://: {url[:80]!r}")
    if not host:
        raise InvalidReview(f"an evidence link names a host: {url[:80]!r}")
    if parts.username is not None or parts.password is not None:
        raise InvalidReview(f"an evidence link carries no user name or password: {url[:80]!r}")
    return url


def check_evidence(urls) -> tuple[str, ...]:
    """Evidence links as kept: each checked, empties dropped, duplicates once, order kept."""
    kept = tuple(dict.fromkeys(check_evidence_url(u) for u in urls if u and u.strip()))
    if len(kept) > MAX_EVIDENCE:
        raise InvalidReview(f"at most {MAX_EVIDENCE} evidence links")
    return kept


def check_rationale(rationale: str) -> str:
    """The rationale as kept: line breaks normalised to \\n (a browser sends CRLF), its
    paragraphs (blank-line separated) kept, trailing spaces and runs of blank lines dropped."""
    lines = [line.rstrip() for line in rationale.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    rationale = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    if len(rationale) > MAX_RATIONALE:
        raise InvalidReview(f"a rationale has at most {MAX_RATIONALE} characters")
    return rationale


# -- users --------------------------------------------------------------------------


def _user(row) -> User:
    return User(name=row.name, role=row.role, created=row.created)


def add_user(store: Store, name: str, password_hash: str, role: str) -> User:
    """A new account; UserExists when the name is taken. ``name`` and ``role`` are
    expected checked (``claimdesk.accounts``): the store only keeps them."""
    created = _iso(_now())
    try:
        with store._writing() as connection:
            connection.execute(
                insert(users), {"name": name, "password_hash": password_hash, "role": role, "created": created}
            )
    except IntegrityError:
        raise UserExists(f"a user named {name!r} exists already") from None
    return User(name=name, role=role, created=created)


def set_role(store: Store, name: str, role: str) -> User:
    """Change an account's role; its sessions end, so the new role applies at once."""
    with store._writing() as connection:
        row = connection.execute(select(users).where(users.c.name == name)).first()
        if row is None:
            raise UnknownUser(f"no user named {name!r}")
        connection.execute(update(users).where(users.c.pk == row.pk).values(role=role))
        connection.execute(delete(sessions).where(sessions.c.user_pk == row.pk))
    return User(name=row.name, role=role, created=row.created)


def set_password_hash(store: Store, name: str, password_hash: str, *, end_sessions: bool = True) -> None:
    """A new password (or the same one rehashed with stronger parameters, ``end_sessions=False``)."""
    with store._writing() as connection:
        pk = _user_pk(connection, name)
        connection.execute(update(users).where(users.c.pk == pk).values(password_hash=password_hash))
        if end_sessions:
            connection.execute(delete(sessions).where(sessions.c.user_pk == pk))


def list_users(store: Store) -> list[User]:
    with store._reading() as connection:
        return [_user(r) for r in connection.execute(select(users).order_by(users.c.name))]


def credentials(store: Store, name: str) -> tuple[User, str] | None:
    """The account and its password hash, for checking a sign-in; None for an unknown name."""
    with store._reading() as connection:
        row = connection.execute(select(users).where(users.c.name == name)).first()
    return (_user(row), row.password_hash) if row is not None else None


# -- sessions -----------------------------------------------------------------------


def create_session(store: Store, name: str, token_hash: str, ttl: timedelta, *, now: datetime | None = None) -> str:
    """Remember a signed-in browser by the hash of its token; returns when it expires.
    Expired sessions of every user are deleted on the way."""
    now = now or _now()
    expires = _iso(now + ttl)
    with store._writing() as connection:
        pk = _user_pk(connection, name)
        connection.execute(delete(sessions).where(sessions.c.expires <= _iso(now)))
        connection.execute(
            insert(sessions), {"token_hash": token_hash, "user_pk": pk, "created": _iso(now), "expires": expires}
        )
    return expires


def session_user(store: Store, token_hash: str, *, now: datetime | None = None) -> User | None:
    """The user a live session belongs to; None when unknown or expired."""
    with store._reading() as connection:
        row = connection.execute(
            select(users.c.name, users.c.role, users.c.created)
            .join(sessions, sessions.c.user_pk == users.c.pk)
            .where(sessions.c.token_hash == token_hash, sessions.c.expires > _iso(now or _now()))
        ).first()
    return _user(row) if row is not None else None


def end_session(store: Store, token_hash: str) -> None:
    with store._writing() as connection:
        connection.execute(delete(sessions).where(sessions.c.token_hash == token_hash))


# -- sign-in attempts -------------------------------------------------------------------


def record_signin(store: Store, name: str, address: str, ok: bool, *, now: datetime | None = None) -> None:
    """Note a sign-in attempt; attempts older than a day are deleted on the way."""
    now = now or _now()
    with store._writing() as connection:
        connection.execute(delete(signin_attempts).where(signin_attempts.c.at < _iso(now - ATTEMPTS_KEPT)))
        connection.execute(insert(signin_attempts), {"name": name, "address": address, "at": _iso(now), "ok": ok})


def failed_signins(store: Store, name: str, address: str, since: datetime) -> tuple[int, int]:
    """Failed attempts since ``since``: (for this name from anywhere, from this address for any name)."""
    a = signin_attempts.c
    with store._reading() as connection:
        by_name = connection.scalar(
            select(func.count()).where(a.name == name, a.at >= _iso(since), a.ok.is_(False))
        )
        by_address = connection.scalar(
            select(func.count()).where(a.address == address, a.at >= _iso(since), a.ok.is_(False))
        )
    return by_name, by_address


# -- reviews ------------------------------------------------------------------------


def _latest_event():
    """The publication row no later row of the same claim follows."""
    return _LATEST_EVENT


def _latest_revision():
    return _LATEST_REVISION


def _make_latest(table):
    later = table.alias("later")
    return ~exists().where(later.c.doc_pk == table.c.doc_pk, later.c.seq == table.c.seq, later.c.pk > table.c.pk)


# built once (news line pages ask for review states on every request): making an alias
# costs a column collection each time
_LATEST_EVENT = _make_latest(publications)
_LATEST_REVISION = _make_latest(revisions)


def _published_revision(connection: Connection, doc_pk: int, seq: int):
    """(revision pk, at, editor name) the public sees now, or None."""
    p = publications.c
    return connection.execute(
        select(p.revision_pk, p.action, p.at, users.c.name.label("editor"))
        .join(users, users.c.pk == p.editor_pk)
        .where(p.doc_pk == doc_pk, p.seq == seq)
        .order_by(p.pk.desc())
        .limit(1)
    ).first()


def _review(key: str, row, live) -> Review:
    """A revision row (with ``reviewer`` and ``number``) as a Review; ``live`` is the claim's latest publication event."""
    published = live is not None and live.action == "published" and live.revision_pk == row.pk
    return Review(
        claim=key, revision=row.pk, rating=row.rating, rationale=_paragraphs(row.rationale),
        evidence=tuple(row.evidence or ()),
        reviewer=row.reviewer, at=row.at, published=published,
        published_at=live.at if published else None, published_by=live.editor if published else None,
        number=row.number,
    )


def _paragraphs(rationale: str) -> str:
    """A stored rationale with \\n line breaks (rows kept before check_rationale normalised CRLF)."""
    return rationale.replace("\r\n", "\n").replace("\r", "\n")


def _make_number():
    """A revision's place among its claim's revisions, from 1 (a correlated count)."""
    earlier = revisions.alias("earlier")
    return (select(func.count()).where(earlier.c.doc_pk == revisions.c.doc_pk, earlier.c.seq == revisions.c.seq,
                                       earlier.c.pk <= revisions.c.pk)
            .scalar_subquery().label("number"))


_NUMBER = _make_number()


def _revision_rows(connection: Connection, where):
    r = revisions.c
    return connection.execute(
        select(r.pk, r.doc_pk, r.seq, r.rating, r.rationale, r.evidence, r.at, users.c.name.label("reviewer"), _NUMBER)
        .join(users, users.c.pk == r.reviewer_pk)
        .where(where)
        .order_by(r.pk)
    ).all()


def add_review(
    store: Store, key: str, *, rating: str, rationale: str, evidence=(), reviewer: str, based_on: int | None = None
) -> Review:
    """A new revision of the claim's review by ``reviewer``.

    ``based_on`` is the revision the reviewer edited (None: they saw no review); when
    someone else's revision came in between, ReviewConflict is raised instead of
    silently stacking an edit on a text its author never read.
    """
    rating, rationale, evidence = check_rating(rating), check_rationale(rationale), check_evidence(evidence)
    at = _iso(_now())
    with store._writing() as connection:
        doc_pk, seq = _claim_pk(connection, key)
        _refuse_rejected(connection, key, doc_pk, seq)
        reviewer_pk = _user_pk(connection, reviewer)
        current = _current_revision(connection, doc_pk, seq)
        if based_on is not None and current != based_on:
            raise ReviewConflict(
                f"the review of {key} changed since revision {based_on} (now {current}): reload and edit again", current
            )
        pk = connection.execute(
            insert(revisions).returning(revisions.c.pk),
            {"doc_pk": doc_pk, "seq": seq, "rating": rating, "rationale": rationale, "evidence": list(evidence),
             "reviewer_pk": reviewer_pk, "at": at},
        ).scalar_one()
        number = connection.scalar(select(func.count()).where(revisions.c.doc_pk == doc_pk, revisions.c.seq == seq))
    return Review(claim=key, revision=pk, rating=rating, rationale=rationale, evidence=evidence, reviewer=reviewer, at=at,
                  number=number)


def history(store: Store, key: str) -> ReviewHistory:
    """Every revision and publication event of the claim's review, oldest first
    (both empty for a claim nobody reviewed). UnknownClaim when there is no such claim."""
    key = key.strip().lower()
    with store._reading() as connection:
        doc_pk, seq = _claim_pk(connection, key)
        live = _published_revision(connection, doc_pk, seq)
        rows = _revision_rows(connection, and_(revisions.c.doc_pk == doc_pk, revisions.c.seq == seq))
        p = publications.c
        events = [
            Publication(claim=key, action=e.action, revision=e.revision_pk, editor=e.editor, at=e.at)
            for e in connection.execute(
                select(p.action, p.revision_pk, p.at, users.c.name.label("editor"))
                .join(users, users.c.pk == p.editor_pk)
                .where(p.doc_pk == doc_pk, p.seq == seq)
                .order_by(p.pk)
            )
        ]
    return ReviewHistory(claim=key, revisions=[_review(key, row, live) for row in rows], events=events)


def publish(store: Store, key: str, *, editor: str, revision: int | None = None) -> Review:
    """Publish the claim's current revision (the one the editor read: ``revision``, when
    given, must still be current, else ReviewConflict). Publishing what is already
    published records nothing new."""
    key = key.strip().lower()
    with store._writing() as connection:
        doc_pk, seq = _claim_pk(connection, key)
        _refuse_rejected(connection, key, doc_pk, seq)
        editor_pk = _user_pk(connection, editor)
        current = _current_revision(connection, doc_pk, seq)
        if current is None:
            raise ReviewConflict(f"{key} has no review to publish", None)
        if revision is not None and revision != current:
            raise ReviewConflict(f"revision {revision} of {key} is not the current one ({current})", current)
        live = _published_revision(connection, doc_pk, seq)
        if not (live is not None and live.action == "published" and live.revision_pk == current):
            connection.execute(
                insert(publications),
                {"doc_pk": doc_pk, "seq": seq, "action": "published", "revision_pk": current,
                 "editor_pk": editor_pk, "at": _iso(_now())},
            )
            live = _published_revision(connection, doc_pk, seq)
        row = _revision_rows(connection, revisions.c.pk == current)[0]
    return _review(key, row, live)


def unpublish(store: Store, key: str, *, editor: str) -> Publication | None:
    """Take the claim's review off the public pages and feeds; None when it was not published."""
    key = key.strip().lower()
    with store._writing() as connection:
        doc_pk, seq = _claim_pk(connection, key)
        editor_pk = _user_pk(connection, editor)
        live = _published_revision(connection, doc_pk, seq)
        if live is None or live.action != "published":
            return None
        at = _iso(_now())
        connection.execute(
            insert(publications),
            {"doc_pk": doc_pk, "seq": seq, "action": "unpublished", "revision_pk": None, "editor_pk": editor_pk, "at": at},
        )
    return Publication(claim=key, action="unpublished", revision=None, editor=editor, at=at)


# -- reviewed claims with their context (feeds, ClaimReview, API) ---------------------------


def _context_rows(connection: Connection, where, order_by, limit: int, offset: int):
    """Revision rows with the claim's content, speaker and article, cut in SQL: no
    article text leaves the database."""
    r, c, d = revisions.c, claim_table.c, documents.c
    content = func.substr(d.text, c.content_start + 1, c.content_end - c.content_start).label("content")
    title = func.coalesce(func.substr(d.text, d.title_start + 1, d.title_end - d.title_start), d.stated_title, "")
    speaker_label = (
        select(entity_table.c.label)
        .where(entity_table.c.doc_pk == c.doc_pk, entity_table.c.canonical == c.speaker)
        .order_by(entity_table.c.seq)
        .limit(1)
        .scalar_subquery()
    )
    return connection.execute(
        select(
            r.pk, r.doc_pk, r.seq, r.rating, r.rationale, r.evidence, r.at, users.c.name.label("reviewer"), _NUMBER,
            d.id.label("article_id"), title.label("title"), d.outlet, d.url, d.published.label("article_published"),
            content, c.speaker, speaker_label.label("speaker_label"),
        )
        .join(users, users.c.pk == r.reviewer_pk)
        .join(claim_table, and_(c.doc_pk == r.doc_pk, c.seq == r.seq))
        .join(documents, d.pk == r.doc_pk)
        .where(where, standing_claim())  # a claim marked "not a claim" is never published
        .order_by(*order_by)
        .limit(limit)
        .offset(max(offset, 0))
    ).all()


def _reviewed(row, live) -> ReviewedClaim:
    key = claim_key(row.article_id, row.seq)
    return ReviewedClaim(
        review=_review(key, row, live), article_id=row.article_id, seq=row.seq, claim=row.content,
        speaker=row.speaker, speaker_label=row.speaker_label, title=row.title, outlet=row.outlet, url=row.url,
        published=row.article_published,
    )


def published_reviews(store: Store, *, limit: int = 50, offset: int = 0) -> list[ReviewedClaim]:
    """What the public sees: each claim's published revision, latest publication first."""
    p = publications.c
    with store._reading() as connection:
        live = connection.execute(
            select(p.pk, p.doc_pk, p.seq, p.revision_pk, p.action, p.at, users.c.name.label("editor"))
            .join(users, users.c.pk == p.editor_pk)
            .where(_latest_event(), p.action == "published")
            .order_by(p.pk.desc())
            .limit(max(limit, 0))
            .offset(max(offset, 0))
        ).all()
        if not live:
            return []
        by_revision = {e.revision_pk: e for e in live}
        rows = _context_rows(connection, revisions.c.pk.in_(list(by_revision)), [revisions.c.pk], len(live), 0)
    reviewed = {row.pk: _reviewed(row, by_revision[row.pk]) for row in rows}
    return [reviewed[e.revision_pk] for e in live if e.revision_pk in reviewed]


def published_review(store: Store, key: str) -> ReviewedClaim | None:
    """The claim's published review with its context; None when it has none (or no such claim)."""
    try:
        doc_id, seq = parse_claim_key(key)
    except UnknownClaim:
        return None
    with store._reading() as connection:
        doc_pk = connection.scalar(select(documents.c.pk).where(documents.c.id == doc_id))
        if doc_pk is None:
            return None
        live = _published_revision(connection, doc_pk, seq)
        if live is None or live.action != "published":
            return None
        rows = _context_rows(connection, revisions.c.pk == live.revision_pk, [revisions.c.pk], 1, 0)
    return _reviewed(rows[0], live) if rows else None


def current_reviews(store: Store, *, limit: int = 50, offset: int = 0) -> list[ReviewedClaim]:
    """Each reviewed claim's current (latest) revision, most recently edited first: the
    desk's work list, drafts included."""
    with store._reading() as connection:
        rows = _context_rows(connection, _latest_revision(), [revisions.c.pk.desc()], max(limit, 0), offset)
        lives = {(row.doc_pk, row.seq): _published_revision(connection, row.doc_pk, row.seq) for row in rows}
    return [_reviewed(row, lives[(row.doc_pk, row.seq)]) for row in rows]


def review_states(store: Store, article_ids: list[str]) -> dict[str, dict[int, str]]:
    """For each of these articles, its reviewed claims' current states: seq -> "published"
    or "draft". Articles without a reviewed claim are left out (one query for a page)."""
    if not article_ids:
        return {}
    with store._reading() as connection:
        rows = connection.execute(_REVIEW_STATES, {"ids": sorted(set(article_ids))}).all()
    states: dict[str, dict[int, str]] = {}
    for row in rows:
        states.setdefault(row.id, {})[row.seq] = "published" if row.published else "draft"
    return states


def _make_review_states():
    r, d, p = revisions.c, documents.c, publications.c
    published_now = exists().where(
        p.doc_pk == r.doc_pk, p.seq == r.seq, p.action == "published", p.revision_pk.is_not(None), _latest_event()
    )
    return (select(d.id, r.seq, published_now.label("published"))
            .join(documents, d.pk == r.doc_pk)
            .join(claim_table, and_(claim_table.c.doc_pk == r.doc_pk, claim_table.c.seq == r.seq))
            .where(d.id.in_(bindparam("ids", expanding=True)), _latest_revision(), standing_claim()))


# built once: every news line and search page asks it (building it cost more than running it)
_REVIEW_STATES = _make_review_states()


def published_ratings(store: Store, article_ids: list[str]) -> dict[str, dict[int, str]]:
    """The verdicts the public sees: for each of these articles, seq -> the rating of the
    claim's published review (claims that stand only). One query for a page."""
    if not article_ids:
        return {}
    with store._reading() as connection:
        rows = connection.execute(_PUBLISHED_RATINGS, {"ids": sorted(set(article_ids))}).all()
    found: dict[str, dict[int, str]] = {}
    for row in rows:
        found.setdefault(row.id, {})[row.seq] = row.rating
    return found


def speaker_ratings(store: Store, name: str) -> list[tuple[str, int]]:
    """How the published reviews of a speaker's claims rate them: (rating, claims), in the
    order of ``RATINGS`` (best first), standing claims of any version of an article."""
    p, r, c = publications.c, revisions.c, claim_table.c
    with store._reading() as connection:
        rows = connection.execute(
            select(r.rating, func.count()).select_from(publications)
            .join(revisions, r.pk == p.revision_pk)
            .join(claim_table, and_(c.doc_pk == p.doc_pk, c.seq == p.seq))
            .where(p.action == "published", _latest_event(), standing_claim(),
                   func.lower(c.speaker) == func.lower(" ".join(name.split())))
            .group_by(r.rating)).all()
    counts = dict(rows)
    return [(rating, counts[rating]) for rating in RATINGS if counts.get(rating)]


def _make_published_ratings():
    p, r, d, c = publications.c, revisions.c, documents.c, claim_table.c
    return (select(d.id, p.seq, r.rating).select_from(publications)
            .join(revisions, r.pk == p.revision_pk)
            .join(documents, d.pk == p.doc_pk)
            .join(claim_table, and_(c.doc_pk == p.doc_pk, c.seq == p.seq))
            .where(d.id.in_(bindparam("ids", expanding=True)), p.action == "published", _latest_event(),
                   standing_claim()))


_PUBLISHED_RATINGS = _make_published_ratings()
