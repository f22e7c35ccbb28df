"""A published review offered to the other appearances of its claim (claim groups).

When a claim's review is published, every other claim of its group (``store.groups``:
the same claim in another article, latest versions only) is *offered* that review. An
editor confirms or rejects each offer, or all open ones at once; each decision is a new
row of ``review_propagations`` (who, when, which published revision), nothing is updated
or deleted. Nothing reaches a repeat without a confirmation:

- a repeat shows the verdict of a review confirmed for it, with a link to the original,
  while that exact revision is still the one published: a new revision published on the
  original, or its unpublication, takes the verdict off the repeats until an editor
  confirms again (the offer is then open again);
- the original's ClaimReview lists every confirmed repeat as an appearance
  (``itemReviewed.appearance``), under the same rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import Connection, and_, insert, select

from claimdesk.store import groups
from claimdesk.store.queries import ClaimRef
from claimdesk.store.reviews import (
    UnknownClaim,
    _claim_pk,
    _published_revision,
    _user_pk,
    claim_key,
    parse_claim_key,
)
from claimdesk.store.schema import documents, review_propagations as propagations, review_revisions, users
from claimdesk.store.store import Store

ACTIONS = ("confirmed", "rejected")


class NotOffered(ValueError):
    """The review cannot be offered there: no published review, or a claim outside its group."""


@dataclass(frozen=True)
class Offer:
    """One other appearance of a published review's claim, and what the desk decided for it."""

    repeat: ClaimRef
    key: str  # the repeat's claim key
    state: str  # offered (no decision on the published revision yet), confirmed, rejected
    editor: str | None = None  # who decided, and when
    at: str | None = None


@dataclass(frozen=True)
class Borrowed:
    """A review confirmed for this claim, from another appearance of it."""

    source: str  # the original claim's key
    source_ref: ClaimRef
    rating: str
    revision: int
    published_at: str  # when the original's revision was published
    confirmed_at: str
    confirmed_by: str


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _live(connection: Connection, doc_pk: int, seq: int) -> int | None:
    """The revision the public sees on the claim now, or None."""
    live = _published_revision(connection, doc_pk, seq)
    return live.revision_pk if live is not None and live.action == "published" else None


def _decisions(connection: Connection, where) -> dict[tuple[int, int, int, int], object]:
    """The latest decision per (repeat doc_pk, seq, source doc_pk, seq)."""
    p = propagations.c
    latest: dict[tuple[int, int, int, int], object] = {}
    for row in connection.execute(
        select(p.pk, p.doc_pk, p.seq, p.source_doc_pk, p.source_seq, p.revision_pk, p.action, p.at,
               users.c.name.label("editor"))
        .join(users, users.c.pk == p.editor_pk).where(where).order_by(p.pk)
    ):
        latest[(row.doc_pk, row.seq, row.source_doc_pk, row.source_seq)] = row
    return latest


def _doc_pks(connection: Connection, refs) -> dict[str, int]:
    ids = sorted({r.article_id for r in refs})
    return dict(connection.execute(select(documents.c.id, documents.c.pk).where(documents.c.id.in_(ids))).all()) if ids else {}


def offers(store: Store, key: str) -> list[Offer]:
    """The other appearances of the claim, each with its state for the claim's published
    review; empty when the review is not published or the claim has no repeat."""
    article_id, seq = parse_claim_key(key)
    members = [m for m in groups.group_of(store, article_id, seq) if not m.this]
    if not members:
        return []
    with store._reading() as connection:
        source = _claim_pk(connection, key)
        live = _live(connection, *source)
        if live is None:
            return []
        pks = _doc_pks(connection, [m.ref for m in members])
        p = propagations.c
        decided = _decisions(connection, and_(p.source_doc_pk == source[0], p.source_seq == source[1]))
    found = []
    for m in members:
        row = decided.get((pks.get(m.ref.article_id), m.ref.seq, *source))
        state = row.action if row is not None and row.revision_pk == live else "offered"
        found.append(Offer(m.ref, claim_key(m.ref.article_id, m.ref.seq), state,
                           row.editor if state != "offered" else None, row.at if state != "offered" else None))
    return found


def decide(store: Store, key: str, repeats: list[str] | None, action: str, *, editor: str) -> list[str]:
    """Confirm or reject the claim's published review for these repeats (claim keys; None:
    every repeat still only offered). Returns the keys decided. NotOffered when the review
    is not published or a key is not another appearance in the claim's group."""
    if action not in ACTIONS:
        raise NotOffered(f"unknown action {action!r}: one of {', '.join(ACTIONS)}")
    current = offers(store, key)
    if not current:
        raise NotOffered(f"{key} has no published review to offer, or no other appearance")
    by_key = {o.key: o for o in current}
    if repeats is None:
        chosen = [o.key for o in current if o.state == "offered"]
    else:
        chosen = list(dict.fromkeys(k.strip().lower() for k in repeats))
        stray = [k for k in chosen if k not in by_key]
        if stray:
            raise NotOffered(f"{stray[0]} is not another appearance of {key}")
    if not chosen:
        return []
    at = _now()
    with store._writing() as connection:
        source = _claim_pk(connection, key)
        live = _live(connection, *source)
        if live is None:  # unpublished meanwhile
            raise NotOffered(f"{key} has no published review to offer")
        editor_pk = _user_pk(connection, editor)
        rows = []
        for repeat in chosen:
            doc_pk, seq = _claim_pk(connection, repeat)
            rows.append({"doc_pk": doc_pk, "seq": seq, "source_doc_pk": source[0], "source_seq": source[1],
                         "revision_pk": live, "action": action, "editor_pk": editor_pk, "at": at})
        connection.execute(insert(propagations), rows)
    return chosen


def borrowed(store: Store, key: str) -> list[Borrowed]:
    """Reviews of other appearances confirmed for this claim, still published as confirmed."""
    try:
        article_id, seq = parse_claim_key(key)
    except UnknownClaim:
        return []
    p, r = propagations.c, review_revisions.c
    with store._reading() as connection:
        try:
            doc_pk, seq = _claim_pk(connection, key)
        except UnknownClaim:
            return []
        decided = _decisions(connection, and_(p.doc_pk == doc_pk, p.seq == seq))
        found = []
        for (_, _, source_doc, source_seq), row in decided.items():
            if row.action != "confirmed" or _live(connection, source_doc, source_seq) != row.revision_pk:
                continue
            rating = connection.scalar(select(r.rating).where(r.pk == row.revision_pk))
            published_at = _published_revision(connection, source_doc, source_seq).at
            source_id = connection.scalar(select(documents.c.id).where(documents.c.pk == source_doc))
            found.append((source_id, source_seq, rating, row, published_at))
    refs = {(m.ref.article_id, m.ref.seq): m.ref for m in groups.group_of(store, article_id, seq)}
    return [Borrowed(claim_key(sid, sseq), refs.get((sid, sseq)), rating, row.revision_pk, published_at, row.at, row.editor)
            for sid, sseq, rating, row, published_at in found if (sid, sseq) in refs]


def appearances(store: Store, key: str) -> list[tuple[ClaimRef, str | None]]:
    """The repeats the claim's published review is confirmed for, each with its article's
    URL (ClaimReview appearances), oldest first."""
    confirmed = [o.repeat for o in offers(store, key) if o.state == "confirmed"]
    if not confirmed:
        return []
    with store._reading() as connection:
        urls = dict(connection.execute(select(documents.c.id, documents.c.url)
                                       .where(documents.c.id.in_(sorted({r.article_id for r in confirmed})))).all())
    return [(ref, urls.get(ref.article_id)) for ref in confirmed]
