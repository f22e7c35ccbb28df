"""The review desk's work lists in the store: the review queue, assignments, and
reviewers' corrections of what the analysis extracted.

- **The queue** (``queue``): claims nobody has reviewed yet, most check-worthy first
  (``claims.check_worthiness``), narrowed by the news line's filters, one page at a time
  with the total; ``assigned`` narrows it to one reviewer's claims ("my queue"). The
  editor's queue (``drafts``) lists reviews whose current revision is not the published one.
- **Assignments** (``assign``): one reviewer per claim, replaced when reassigned.
- **Corrections** (``correct``): "not a claim", "wrong speaker" (the right one given),
  "wrong span" (the right source, cue and content offsets), and "restored" (undoes "not a
  claim"). Each is a new row of ``claim_corrections`` keeping what the claim said before
  (``was_*``); the claim row then says what the reviewer decided. A claim marked "not a
  claim" (``claims.rejected_pk``) leaves the queue, the pages, the feeds and exports, and
  is never published; its corrections stay as history and as training data
  (``correction_rows``). The person summaries are recounted in the same transaction
  (``summaries.recount``), as for an editor's speaker correction.

Only claims of the latest version of an article are listed, as everywhere on the desk.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timezone

from sqlalchemy import Connection, and_, bindparam, case, delete, exists, func, insert, literal, or_, select, tuple_, update

from claimdesk.model import LOW_CONFIDENCE
from claimdesk.store import queries, speakers, summaries
from claimdesk.store.queries import MAX_PAGE_SIZE, NewsFilters, _title_column
from claimdesk.store.reviews import (
    InvalidReview,
    UnknownClaim,
    UnknownUser,
    _claim_pk,
    _latest_event,
    _latest_revision,
    _published_revision,
    _user_pk,
    claim_key,
)
from claimdesk.store.schema import (
    claim_assignments,
    claim_corrections,
    claims as claim_table,
    documents,
    review_publications,
    review_revisions,
    speakers as speaker_table,
    users,
)
from claimdesk.store.store import Store

QUEUE_PAGE_SIZE = 25
# Totals are counted up to this many and shown as "1,000+" beyond: an exact count of the
# unreviewed claims of a large store reads every one of them (a million claims at 100,000
# articles), where a page of the most check-worthy is read off an index; counting 10,000
# took 117 ms, far more than the page (2 ms).
COUNT_CAP = 1_000
CORRECTIONS = ("not-a-claim", "wrong-speaker", "wrong-span", "restored")
VIEWS = ("unreviewed", "drafts")  # the reviewers' queue, the editor's queue
CONTEXT = 400  # characters read on each side of a claim to find the sentence it stands in
MAX_NOTE = 2000
MAX_SPEAKER = 300


class InvalidCorrection(ValueError):
    """A correction that cannot be applied (unknown kind, a span outside the text, ...)."""


@dataclass(frozen=True)
class QueueItem:
    """A claim waiting for someone, with the stretch of text it stands in.

    ``window`` is the article text from ``window_start``; the spans (``cue``, ``content``,
    ``source``) are offsets into the whole text, as everywhere."""

    article_id: str
    seq: int
    title: str
    outlet: str | None
    url: str | None
    published: str | None
    speaker: str | None
    speaker_type: str | None
    hedge: str
    negated: bool
    check_worthiness: float | None
    confidence: float | None
    source: tuple[int, int] | None
    cue: tuple[int, int]
    content: tuple[int, int]
    window: str
    window_start: int
    assignee: str | None
    review_state: str | None = None  # drafts: "draft" (never published) or "changed" (edited since)
    rating: str | None = None  # drafts: the current revision's rating
    reviewer: str | None = None
    revision: int | None = None  # drafts: the revision an editor would publish

    @property
    def key(self) -> str:
        return claim_key(self.article_id, self.seq)

    def part(self, span: tuple[int, int] | None) -> str:
        if span is None:
            return ""
        start, end = span
        return self.window[max(start - self.window_start, 0):max(end - self.window_start, 0)]


@dataclass(frozen=True)
class QueuePage:
    items: list[QueueItem]
    total: int
    page: int
    page_size: int
    view: str
    filters: NewsFilters

    @property
    def pages(self) -> int:
        return max((self.total + self.page_size - 1) // self.page_size, 1)

    @property
    def capped(self) -> bool:
        """The total is a floor: there are at least ``total`` (``COUNT_CAP``), maybe more."""
        return self.total >= COUNT_CAP

    @property
    def has_next(self) -> bool:
        return self.page < self.pages or (self.capped and len(self.items) == self.page_size)


@dataclass(frozen=True)
class Correction:
    """One correction of a claim, as kept (``claim_corrections``)."""

    pk: int
    claim: str  # the claim key
    kind: str
    by: str
    at: str
    note: str
    speaker: str | None = None
    was_speaker: str | None = None
    source: tuple[int, int] | None = None
    cue: tuple[int, int] | None = None
    content: tuple[int, int] | None = None
    was_source: tuple[int, int] | None = None
    was_cue: tuple[int, int] | None = None
    was_content: tuple[int, int] | None = None


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def standing():
    """A claim no reviewer marked "not a claim", on the bare column: the queue's pages are
    read off its index (rejected_pk, check_worthiness, ...). Anywhere else, where one
    article's or one speaker's claims are wanted, ``schema.standing_claim``."""
    return claim_table.c.rejected_pk.is_(None)


def _unreviewed():
    r, c = review_revisions.c, claim_table.c
    return ~exists().where(r.doc_pk == c.doc_pk, r.seq == c.seq)


def _claim_conditions(store: Store, filters: NewsFilters, speakers: list[str] | None = None) -> list:
    """The news line's filters on claims: the article-level ones (outlet, dates, entity,
    latest version) as the news line has them, the speaker, hedge and verdict on the claim
    itself (``queries.claim_conditions``, which also keeps only standing claims). ``speakers``:
    every stored speaker name, when the caller keeps them (else read here)."""
    articles = queries.article_conditions(store, replace(filters, speaker=None, hedge=None, verdict=None))
    return [*articles, *queries.claim_conditions(store, filters, speakers)]


def _span(start, end) -> tuple[int, int] | None:
    return (start, end) if start is not None and end is not None else None


def _least(a, b):
    """The smaller of two values, on both dialects (SQLite's min(a, b) is PostgreSQL's least)."""
    return case((a < b, a), else_=b)


def _greatest(a, b):
    return case((a > b, a), else_=b)


def _columns():
    c, d, a = claim_table.c, documents.c, claim_assignments.c
    first = _least(_least(func.coalesce(c.source_start, c.cue_start), c.cue_start), c.content_start)
    start = _greatest(first - CONTEXT, literal(0))
    end = _greatest(_greatest(func.coalesce(c.source_end, 0), c.cue_end), c.content_end) + CONTEXT
    assignee = (select(users.c.name).join(claim_assignments, a.assignee_pk == users.c.pk)
                .where(a.doc_pk == c.doc_pk, a.seq == c.seq).scalar_subquery().label("assignee"))
    return [
        d.id.label("article_id"), c.seq, _title_column(), d.outlet, d.url, d.published, c.speaker, c.speaker_type,
        c.hedge, c.negated, c.check_worthiness, c.confidence, c.source_start, c.source_end, c.cue_start, c.cue_end,
        c.content_start, c.content_end, func.substr(d.text, start + 1, end - start).label("window"),
        start.label("window_start"), assignee,
    ]


def _item(row, **extra) -> QueueItem:
    return QueueItem(
        article_id=row.article_id, seq=row.seq, title=row.title, outlet=row.outlet, url=row.url,
        published=row.published, speaker=row.speaker, speaker_type=row.speaker_type, hedge=row.hedge,
        negated=bool(row.negated), check_worthiness=row.check_worthiness, confidence=row.confidence,
        source=_span(row.source_start, row.source_end), cue=(row.cue_start, row.cue_end),
        content=(row.content_start, row.content_end), window=row.window or "", window_start=row.window_start or 0,
        assignee=row.assignee, **extra,
    )


def queue(store: Store, filters: NewsFilters = NewsFilters(), *, assigned: str | None = None,
          include_low: bool = False, page: int = 1, page_size: int = QUEUE_PAGE_SIZE,
          speakers: list[str] | None = None, total: int | None = None) -> QueuePage:
    """Claims nobody reviewed yet, most check-worthy first (unscored claims last, then
    newest article first, claims in text order), with the total. ``assigned``: only the
    claims assigned to that user. Claims under ``model.LOW_CONFIDENCE`` are left out
    unless ``include_low``, as the article page hides them. ``total``: the count, when the
    caller kept it from an earlier page of an unchanged store (it is not counted again)."""
    c, d, a = claim_table.c, documents.c, claim_assignments.c
    page, page_size = max(page, 1), min(max(page_size, 1), MAX_PAGE_SIZE)
    # Two plans give the same order. The count goes the filter's way (a speaker's claims, an
    # outlet's articles, a reviewer's assignments; ``queries.standing`` keeps it off the
    # queue's index) and stops at COUNT_CAP. Then, when fewer than that match, the page sorts
    # them (few: cheap); when more do, the page is read off the queue's index in its order,
    # testing each claim against the filter until the page is full (many match: soon).
    # Either plan alone was slow somewhere on 100,000 articles: walking the index for a rare
    # filter reads the whole queue, sorting a common one (an outlet, a hedge, a famous
    # speaker: 50,000 claims) took 150-400 ms.
    conditions = [_unreviewed(), *_claim_conditions(store, filters, speakers)]
    if not include_low:
        conditions.append(or_(c.confidence.is_(None), c.confidence >= LOW_CONFIDENCE))
    with store._reading() as connection:
        if assigned is not None:  # from the reviewer's assignments, not by testing every claim
            user_pk = connection.scalar(select(users.c.pk).where(users.c.name == assigned))
            conditions.append(tuple_(c.doc_pk, c.seq).in_(select(a.doc_pk, a.seq).where(a.assignee_pk == user_pk)))
        base = select(c.doc_pk, c.seq).select_from(claim_table.join(documents, d.pk == c.doc_pk)).where(*conditions)
        total = _capped_count(connection, base) if total is None else total
        if total < COUNT_CAP:
            ordered = base.order_by((c.check_worthiness + 0).desc().nulls_last(), c.doc_pk.desc(), c.seq)
        else:
            ordered = base.where(standing()).order_by(c.check_worthiness.desc().nulls_last(), c.doc_pk.desc(), c.seq)
        chosen = connection.execute(ordered.limit(page_size).offset((page - 1) * page_size)).all() if total else []
        rows = _described(connection, chosen)
    return QueuePage([_item(r) for r in rows], total, page, page_size, "unreviewed", filters)


def _capped_count(connection: Connection, base) -> int:
    """How many rows ``base`` selects, counted up to ``COUNT_CAP``."""
    return connection.scalar(select(func.count()).select_from(base.limit(COUNT_CAP).subquery()))


def _described(connection: Connection, pairs: list, extra=()) -> list:
    """The queue columns of these claims, in the order given."""
    if not pairs:
        return []
    c, d = claim_table.c, documents.c
    pks = sorted({p[0] for p in pairs})
    rows = connection.execute(
        select(c.doc_pk, *_columns(), *extra).select_from(claim_table.join(documents, d.pk == c.doc_pk))
        .where(c.doc_pk.in_(pks), c.seq.in_(sorted({p[1] for p in pairs})))).all()
    found = {(r.doc_pk, r.seq): r for r in rows}
    return [found[(p[0], p[1])] for p in pairs if (p[0], p[1]) in found]


def drafts(store: Store, filters: NewsFilters = NewsFilters(), *, page: int = 1,
           page_size: int = QUEUE_PAGE_SIZE, speakers: list[str] | None = None) -> QueuePage:
    """The editor's queue: claims whose current review revision is not the one published
    (never published, or edited since), oldest edit first (it has waited longest).

    Read from the reviews, never from the claims: the waiting revisions are found first
    (a few, where the claims are a million), then narrowed by the filters."""
    r, p, c, d = review_revisions.c, review_publications.c, claim_table.c, documents.c
    page, page_size = max(page, 1), min(max(page_size, 1), MAX_PAGE_SIZE)
    published_now = exists().where(p.doc_pk == r.doc_pk, p.seq == r.seq, p.action == "published",
                                   p.revision_pk == r.pk, _latest_event())
    ever_published = exists().where(p.doc_pk == r.doc_pk, p.seq == r.seq, p.action == "published")
    with store._reading() as connection:
        waiting = {(w.doc_pk, w.seq): w for w in connection.execute(
            select(r.doc_pk, r.seq, r.pk, r.rating, users.c.name.label("reviewer"), ever_published.label("ever"))
            .join(users, users.c.pk == r.reviewer_pk).where(_latest_revision(), ~published_now).order_by(r.pk))}
        kept = set()
        pairs = list(waiting)
        for start in range(0, len(pairs), 500):  # the filters, on these claims only
            chunk = pairs[start:start + 500]
            kept.update(connection.execute(
                select(c.doc_pk, c.seq).select_from(claim_table.join(documents, d.pk == c.doc_pk))
                .where(tuple_(c.doc_pk, c.seq).in_(chunk), *_claim_conditions(store, filters, speakers))).all())
        ordered = [key for key in pairs if key in kept]
        chosen = ordered[(page - 1) * page_size:page * page_size]
        rows = _described(connection, chosen)
    items = []
    for row in rows:
        w = waiting[(row.doc_pk, row.seq)]
        items.append(_item(row, review_state="changed" if w.ever else "draft", rating=w.rating, reviewer=w.reviewer,
                           revision=w.pk))
    return QueuePage(items, len(ordered), page, page_size, "drafts", filters)


def counts(store: Store, user: str | None = None, **known: int) -> dict[str, int]:
    """How many claims wait in each list (up to ``COUNT_CAP``): unreviewed, mine (assigned to
    ``user``, unreviewed), drafts. ``known``: totals the caller has counted already."""
    found = dict(known)
    if "unreviewed" not in found:
        found["unreviewed"] = queue(store, page_size=1).total
    if "drafts" not in found:
        found["drafts"] = drafts(store, page_size=1).total
    if user is not None and "mine" not in found:
        found["mine"] = queue(store, assigned=user, page_size=1).total
    return found


# -- assignments ------------------------------------------------------------------------


def assignments_version(store: Store) -> tuple[int, str | None]:
    """Changes whenever a claim is assigned, reassigned or unassigned (how many assignments
    there are, and when the latest was made): with ``queries.generation``, when the queue's
    counts read earlier still hold."""
    a = claim_assignments.c
    with store._reading() as connection:
        n, latest = connection.execute(select(func.count(), func.max(a.at))).one()
    return n, latest


def assign(store: Store, keys: list[str], assignee: str | None, *, by: str) -> int:
    """Assign these claims to ``assignee`` (a reviewer or more), or take them off whoever had
    them (``assignee`` None). Returns how many claims it changed. UnknownClaim / UnknownUser /
    InvalidCorrection (the user cannot review) leave every claim as it was."""
    with store._writing() as connection:
        by_pk = _user_pk(connection, by)
        assignee_pk = None
        if assignee is not None:
            row = connection.execute(select(users.c.pk, users.c.role).where(users.c.name == assignee)).first()
            if row is None:
                raise UnknownUser(assignee)
            if row.role == "reader":
                raise InvalidCorrection(f"{assignee} is a reader: only reviewers, editors and admins review claims")
            assignee_pk = row.pk
        pairs = [_claim_pk(connection, key) for key in dict.fromkeys(keys)]
        a = claim_assignments.c
        for doc_pk, seq in pairs:
            connection.execute(delete(claim_assignments).where(a.doc_pk == doc_pk, a.seq == seq))
            if assignee_pk is not None:
                connection.execute(insert(claim_assignments), {"doc_pk": doc_pk, "seq": seq, "assignee_pk": assignee_pk,
                                                               "by_pk": by_pk, "at": _now()})
    return len(pairs)


# -- corrections --------------------------------------------------------------------------


def _checked_span(text: str, span, what: str) -> tuple[int, int] | None:
    if span is None:
        return None
    start, end = int(span[0]), int(span[1])
    if not 0 <= start < end <= len(text):
        raise InvalidCorrection(f"the {what} must be a stretch of the article's text (0-{len(text)}), got {start}-{end}")
    if not text[start:end].strip():
        raise InvalidCorrection(f"the {what} holds only white space")
    return start, end


def correct(store: Store, key: str, kind: str, *, by: str, speaker: str | None = None, source=None, cue=None,
            content=None, note: str = "") -> Correction:
    """Record a reviewer's correction of a claim and apply it (see the module docstring).

    ``wrong-speaker`` needs ``speaker`` (and may give the ``source`` span where the text
    names them); ``wrong-span`` needs ``content`` and may give ``cue`` and ``source``
    (offsets into the article text). The claim must stand for every kind but ``restored``,
    which needs a claim marked "not a claim"."""
    with store._writing() as connection:
        return _correct(connection, key, kind, by=by, speaker=speaker, source=source, cue=cue, content=content,
                        note=note)


def correct_many(store: Store, keys: list[str], kind: str, *, by: str, note: str = "") -> int:
    """The same correction ("not a claim" or "restored") of several claims, in one transaction:
    all of them or, when one cannot be corrected (an unknown key), none. Claims already in
    the wanted state are left as they are. Returns how many changed."""
    if kind not in ("not-a-claim", "restored"):
        raise InvalidCorrection(f"only not-a-claim and restored apply to many claims at once, not {kind!r}")
    changed = 0
    with store._writing() as connection:
        for key in dict.fromkeys(keys):
            doc_pk, seq = _claim_pk(connection, key)
            if is_standing(connection, doc_pk, seq) == (kind == "not-a-claim"):
                _correct(connection, key, kind, by=by, note=note)
                changed += 1
    return changed


def _correct(connection: Connection, key: str, kind: str, *, by: str, speaker: str | None = None, source=None,
             cue=None, content=None, note: str = "") -> Correction:
    """``correct`` inside the caller's write transaction."""
    if kind not in CORRECTIONS:
        raise InvalidCorrection(f"unknown correction {kind!r}: one of {', '.join(CORRECTIONS)}")
    note = (note or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(note) > MAX_NOTE:
        raise InvalidCorrection(f"a note has at most {MAX_NOTE} characters")
    speaker = " ".join((speaker or "").split()) or None
    if speaker is not None and len(speaker) > MAX_SPEAKER:
        raise InvalidCorrection(f"a speaker's name has at most {MAX_SPEAKER} characters")
    if kind == "wrong-speaker" and speaker is None:
        raise InvalidCorrection("a wrong-speaker correction names the right speaker")
    if kind == "wrong-span" and content is None:
        raise InvalidCorrection("a wrong-span correction gives the right content span")
    at = _now()
    doc_pk, seq = _claim_pk(connection, key)
    by_pk = _user_pk(connection, by)
    c, d = claim_table.c, documents.c
    row = connection.execute(select(claim_table).where(c.doc_pk == doc_pk, c.seq == seq)).one()
    doc = connection.execute(select(d.id, d.text, d.published).where(d.pk == doc_pk)).one()
    if kind == "restored" and row.rejected_pk is None:
        raise InvalidCorrection(f"{key} was not marked as not a claim: there is nothing to restore")
    if kind != "restored" and row.rejected_pk is not None:
        raise InvalidCorrection(f"{key} is marked as not a claim: restore it before correcting it")
    source = _checked_span(doc.text, source, "source")
    cue = _checked_span(doc.text, cue, "cue")
    content = _checked_span(doc.text, content, "content")
    values = {"doc_pk": doc_pk, "seq": seq, "kind": kind, "speaker": speaker, "note": note, "by_pk": by_pk, "at": at,
              "was_speaker": row.speaker, "was_source_start": row.source_start, "was_source_end": row.source_end,
              "was_cue_start": row.cue_start, "was_cue_end": row.cue_end,
              "was_content_start": row.content_start, "was_content_end": row.content_end}
    for name, span in (("source", source), ("cue", cue), ("content", content)):
        values[f"{name}_start"], values[f"{name}_end"] = span if span else (None, None)
    pk = connection.execute(insert(claim_corrections).returning(claim_corrections.c.pk), values).scalar_one()
    change = _change(kind, pk, source, cue, content)
    if kind == "wrong-speaker":
        change.update(_speaker_change(connection, speaker, doc.published))

    def apply() -> None:
        connection.execute(update(claim_table).where(c.doc_pk == doc_pk, c.seq == seq).values(**change))

    summaries.recount(connection, [doc_pk], apply)
    for speaker_pk in {row.speaker_pk, change.get("speaker_pk")} - {None}:
        speakers._recount_speaker(connection, speaker_pk)
    if kind == "not-a-claim":
        a = claim_assignments.c
        connection.execute(delete(claim_assignments).where(a.doc_pk == doc_pk, a.seq == seq))
        _unpublish(connection, doc_pk, seq, by_pk, at)
    return Correction(pk=pk, claim=claim_key(doc.id, seq), kind=kind, by=by, at=at, note=note,
                      speaker=speaker, was_speaker=row.speaker, source=source, cue=cue, content=content,
                      was_source=_span(row.source_start, row.source_end), was_cue=(row.cue_start, row.cue_end),
                      was_content=(row.content_start, row.content_end))


def _unpublish(connection: Connection, doc_pk: int, seq: int, by_pk: int, at: str) -> None:
    """A published review of a claim marked "not a claim" is taken off the public pages and
    feeds at once (an "unpublished" event by the same reviewer, in the same transaction)."""
    live = _published_revision(connection, doc_pk, seq)
    if live is not None and live.action == "published":
        connection.execute(insert(review_publications), {"doc_pk": doc_pk, "seq": seq, "action": "unpublished",
                                                         "revision_pk": None, "editor_pk": by_pk, "at": at})


def _change(kind: str, pk: int, source, cue, content) -> dict:
    """What a correction does to the claim row (a new speaker: ``_speaker_change``)."""
    if kind == "not-a-claim":
        return {"rejected_pk": pk}
    if kind == "restored":
        return {"rejected_pk": None}
    change: dict = {}
    for name, span in (("source", source), ("cue", cue), ("content", content)):
        if span is not None:
            change[f"{name}_start"], change[f"{name}_end"] = span
    return change


def _speaker_change(connection: Connection, name: str, published: str | None) -> dict:
    """The claim's speaker columns for the reviewer's speaker: a speaker the corpus knows by
    that name or alias, else resolved as ingest resolves a new mention (``speakers.assign``)."""
    s = speaker_table.c
    pk = speakers.find_pk(connection, name)
    if pk is not None:
        known = connection.execute(select(s.name, s.type).where(s.pk == pk)).one()
        return {"speaker": known.name, "speaker_pk": pk, "speaker_alias": name, "speaker_type": known.type}
    type_ = speakers._guessed_type(name)
    claim, pk, alias = speakers.assign(connection, [speakers._bare_claim(name, type_)], published)[0]
    return {"speaker": claim.speaker, "speaker_pk": pk, "speaker_alias": alias, "speaker_type": claim.speaker_type or type_}


def _correction(row, key: str) -> Correction:
    return Correction(
        pk=row.pk, claim=key, kind=row.kind, by=row.by, at=row.at, note=row.note or "", speaker=row.speaker,
        was_speaker=row.was_speaker, source=_span(row.source_start, row.source_end),
        cue=_span(row.cue_start, row.cue_end), content=_span(row.content_start, row.content_end),
        was_source=_span(row.was_source_start, row.was_source_end), was_cue=_span(row.was_cue_start, row.was_cue_end),
        was_content=_span(row.was_content_start, row.was_content_end),
    )


def corrections(store: Store, key: str) -> list[Correction]:
    """Every correction of the claim, oldest first (empty for a claim nobody corrected)."""
    k = claim_corrections.c
    with store._reading() as connection:
        doc_pk, seq = _claim_pk(connection, key)
        rows = connection.execute(select(claim_corrections, users.c.name.label("by")).join(users, users.c.pk == k.by_pk)
                                  .where(k.doc_pk == doc_pk, k.seq == seq).order_by(k.pk)).all()
    return [_correction(r, key) for r in rows]


def rejected(store: Store, key: str) -> Correction | None:
    """The correction that marked the claim "not a claim", or None when it stands."""
    k, c = claim_corrections.c, claim_table.c
    with store._reading() as connection:
        doc_pk, seq = _claim_pk(connection, key)
        row = connection.execute(
            select(claim_corrections, users.c.name.label("by")).join(users, users.c.pk == k.by_pk)
            .join(claim_table, c.rejected_pk == k.pk).where(c.doc_pk == doc_pk, c.seq == seq)).first()
    return _correction(row, key) if row is not None else None


def is_standing(connection: Connection, doc_pk: int, seq: int) -> bool:
    c = claim_table.c
    return connection.scalar(select(c.rejected_pk).where(c.doc_pk == doc_pk, c.seq == seq)) is None


def correction_rows(store: Store, batch: int = 500) -> Iterator[dict]:
    """Every correction with its article text, oldest first, a batch at a time (streamed:
    ``claimdesk export corrections`` writes them as they come)."""
    k, d = claim_corrections.c, documents.c
    last = 0
    while True:
        with store._reading() as connection:
            rows = connection.execute(
                select(claim_corrections, users.c.name.label("by"), d.id.label("article_id"), d.text, d.url)
                .join(users, users.c.pk == k.by_pk).join(documents, d.pk == k.doc_pk)
                .where(k.pk > bindparam("last")).order_by(k.pk).limit(batch), {"last": last}).all()
        if not rows:
            return
        for row in rows:
            yield {"row": row, "correction": _correction(row, claim_key(row.article_id, row.seq))}
        last = rows[-1].pk


# -- check-worthiness of claims stored before it was scored, or by an older model -------------


def claims_to_score(store: Store, *, everything: bool = False, batch: int = 500) -> Iterator[list[tuple[int, int, str]]]:
    """Batches of (doc_pk, seq, content) of the claims without a check-worthiness score (or of
    every claim, ``everything``, after the model changed), in storage order."""
    c, d = claim_table.c, documents.c
    content = func.substr(d.text, c.content_start + 1, c.content_end - c.content_start)
    after = (-1, -1)
    while True:
        where = [tuple_(c.doc_pk, c.seq) > tuple_(literal(after[0]), literal(after[1]))]
        if not everything:
            where.append(c.check_worthiness.is_(None))
        with store._reading() as connection:
            rows = connection.execute(select(c.doc_pk, c.seq, content).join(documents, d.pk == c.doc_pk)
                                      .where(*where).order_by(c.doc_pk, c.seq).limit(batch)).all()
        if not rows:
            return
        yield [(r[0], r[1], r[2] or "") for r in rows]
        after = (rows[-1][0], rows[-1][1])


def set_scores(store: Store, scores: list[tuple[int, int, float]]) -> None:
    """Store check-worthiness scores: (doc_pk, seq, score) each."""
    c = claim_table.c
    with store._writing() as connection:
        connection.execute(update(claim_table).where(c.doc_pk == bindparam("d"), c.seq == bindparam("s"))
                           .values(check_worthiness=bindparam("v")),
                           [{"d": d, "s": s, "v": round(float(v), 4)} for d, s, v in scores])


__all__ = ["CORRECTIONS", "COUNT_CAP", "Correction", "InvalidCorrection", "InvalidReview", "QueueItem", "QueuePage",
           "UnknownClaim", "UnknownUser", "assign", "assignments_version", "claims_to_score", "correct", "correct_many",
           "correction_rows", "corrections", "counts", "drafts", "is_standing", "queue", "rejected", "set_scores",
           "standing"]
